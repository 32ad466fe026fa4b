//! The files that install Offboard as a desktop app (assets/): the desktop
//! entry and the AppStream metainfo are read here, so a rename or a lost
//! key shows up as a failing test rather than a missing menu entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

/// The keys of one group of a desktop entry (the format is INI-like:
/// `[Group]` headers, `Key=Value` lines, `#` comments).
fn desktop_group(text: &str, group: &str) -> Result<BTreeMap<String, String>, String> {
    let mut current = None;
    let mut keys = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.to_string());
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {} is neither a group nor a key: {line}", n + 1))?;
        if current.as_deref() == Some(group)
            && keys
                .insert(key.trim().to_string(), value.trim().to_string())
                .is_some()
        {
            return Err(format!("key {key} appears twice"));
        }
    }
    Ok(keys)
}

#[test]
fn the_desktop_entry_launches_offboard_with_its_icon() -> TestResult {
    let name = format!("{}.desktop", offboard::ui::APP_ID);
    let text = std::fs::read_to_string(asset(&name))?;
    let entry = desktop_group(&text, "Desktop Entry")?;
    for key in ["Type", "Name", "Exec", "Icon", "Categories", "Comment"] {
        assert!(entry.contains_key(key), "{name} lacks {key}");
    }
    assert_eq!(entry["Type"], "Application");
    // The command `cargo install` puts on the PATH.
    let binary = Path::new(env!("CARGO_BIN_EXE_offboard"))
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("no binary name")?;
    assert_eq!(entry["Exec"], binary);
    assert_eq!(entry["Icon"], offboard::ui::APP_ID);
    assert_eq!(
        entry.get("StartupWMClass").map(String::as_str),
        Some(offboard::ui::APP_ID),
        "the window's app id ties it to this entry"
    );
    assert_eq!(entry.get("Terminal").map(String::as_str), Some("false"));
    assert!(entry["Categories"].ends_with(';'));
    let icon = asset(&format!("icons/{}.png", offboard::ui::APP_ID));
    assert!(icon.is_file(), "no icon at {}", icon.display());
    Ok(())
}

#[test]
fn the_metainfo_names_the_app_its_entry_and_licences() -> TestResult {
    let name = format!("{}.metainfo.xml", offboard::ui::APP_ID);
    let text = std::fs::read_to_string(asset(&name))?;
    let doc = roxmltree::Document::parse(&text)?;
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "component");
    assert_eq!(root.attribute("type"), Some("desktop-application"));
    let child = |tag: &str| {
        root.children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(child("id"), offboard::ui::APP_ID);
    assert_eq!(child("name"), "Offboard");
    assert_eq!(child("project_license"), env!("CARGO_PKG_LICENSE"));
    assert!(!child("metadata_license").is_empty());
    assert!(!child("summary").is_empty());
    let description = root
        .children()
        .find(|n| n.has_tag_name("description"))
        .ok_or("no description")?;
    assert!(description.children().any(|n| n.has_tag_name("p")));
    let launchable = root
        .children()
        .find(|n| n.has_tag_name("launchable"))
        .ok_or("no launchable")?;
    assert_eq!(launchable.attribute("type"), Some("desktop-id"));
    assert_eq!(
        launchable.text(),
        Some(format!("{}.desktop", offboard::ui::APP_ID).as_str())
    );
    // The newest release is this version.
    let release = root
        .descendants()
        .find(|n| n.has_tag_name("release"))
        .ok_or("no release")?;
    assert_eq!(
        release.attribute("version"),
        Some(env!("CARGO_PKG_VERSION"))
    );
    Ok(())
}
