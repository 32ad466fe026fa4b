//! Platform data written by someone hostile: room names that try to leave
//! the folder or hit reserved names, CSV cells that are formulas, markup in
//! every text field. The export must stay inside its folder, keep every
//! room, defuse the formulas and escape the markup.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{Manifest, verify};
use offboard::platform::Platform;
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

fn hostile_platform() -> SyntheticPlatform {
    let size = SyntheticSize {
        rooms: 60,
        messages: 600,
        ..SyntheticSize::small()
    };
    SyntheticPlatform::new(99, size, now()).with_hostile_text()
}

fn export_hostile() -> Result<(tempfile::TempDir, PathBuf), Box<dyn std::error::Error>> {
    let platform = hostile_platform();
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(&platform, SyntheticPlatform::ACCOUNT, parent.path(), now())?;
    let report = verify(&summary.folder);
    assert!(report.is_ok(), "{:#?}", report.problems);
    Ok((parent, summary.folder))
}

/// Every file under `dir`, relative, `/`-separated.
fn all_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> TestResult {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            all_files(&entry.path(), &format!("{prefix}{name}/"), out)?;
        } else {
            out.push(format!("{prefix}{name}"));
        }
    }
    Ok(())
}

#[test]
fn room_files_stay_inside_and_are_safe_and_unique() -> TestResult {
    let (parent, folder) = export_hostile()?;
    // Nothing was written outside the export folder.
    let outside: Vec<_> = std::fs::read_dir(parent.path())?.collect::<Result<_, _>>()?;
    assert_eq!(outside.len(), 1, "only the export folder: {outside:?}");
    let mut files = Vec::new();
    all_files(&folder, "", &mut files)?;
    let rooms: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_prefix("messages/"))
        .collect();
    let platform = hostile_platform();
    let room_count = platform.counts(SyntheticPlatform::ACCOUNT)?.rooms as usize;
    assert_eq!(
        rooms.len(),
        room_count * 2,
        "a .json and a .txt per room, none lost"
    );
    let reserved = ["con", "prn", "aux", "nul", "com1", "lpt1"];
    let mut seen = HashSet::new();
    for name in &rooms {
        assert!(
            !name.contains('/') && !name.contains('\\') && !name.contains(".."),
            "{name}"
        );
        assert!(!name.starts_with('.') && !name.starts_with(' '), "{name}");
        assert!(
            !name
                .chars()
                .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{name:?}"
        );
        assert!(!name.chars().any(|c| ":*?\"<>|".contains(c)), "{name}");
        let device = name.split('.').next().unwrap_or_default().to_lowercase();
        assert!(!reserved.contains(&device.as_str()), "{name}");
        assert!(name.len() <= 100, "{name}");
        assert!(
            seen.insert(name.to_lowercase()),
            "{name} twice, ignoring case"
        );
    }
    Ok(())
}

#[test]
fn formula_cells_are_neutralised_and_numbers_stay_numbers() -> TestResult {
    let (_parent, folder) = export_hostile()?;
    let numeric = [
        "Amount $",
        "Amount in local currency",
        "Current Balance $",
        "Hourly Rate $",
        "Total Billed $",
        "Hours Billed",
        "Escrow $",
        "Bid $",
        "Connects Spent",
        "Score Received",
        "Score Given",
        "Hours",
        "Amount $",
        "Transactions",
        "Weekly Limit Hours",
    ];
    let mut neutralised = 0;
    let mut negative_numbers = 0;
    for file in [
        "transactions.csv",
        "contracts.csv",
        "proposals.csv",
        "feedback.csv",
        "time-reports.csv",
    ] {
        let mut reader = csv::Reader::from_path(folder.join(file))?;
        let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
        for row in reader.records() {
            let row = row?;
            for (column, cell) in header.iter().zip(row.iter()) {
                if numeric.contains(&column.as_str()) {
                    if !cell.is_empty() {
                        let value: f64 = cell
                            .parse()
                            .map_err(|_| format!("{file} {column}: {cell:?}"))?;
                        if value < 0.0 {
                            negative_numbers += 1;
                        }
                    }
                    continue;
                }
                let first = cell.chars().next();
                assert!(
                    !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                    "{file} {column}: formula cell {cell:?}"
                );
                if cell.starts_with('\'') {
                    neutralised += 1;
                }
            }
        }
    }
    assert!(
        neutralised > 10,
        "the hostile data should have needed neutralising ({neutralised})"
    );
    assert!(
        negative_numbers > 10,
        "fees and withdrawals stay negative numbers ({negative_numbers})"
    );
    Ok(())
}

#[test]
fn markup_is_escaped_in_index_html() -> TestResult {
    let (_parent, folder) = export_hostile()?;
    let html = std::fs::read_to_string(folder.join("index.html"))?;
    assert!(
        !html.contains("<script>alert"),
        "raw script from platform data"
    );
    assert!(
        !html.contains("<img src=x"),
        "raw markup from platform data"
    );
    assert!(
        !html.contains("<b>Synthetic</b>"),
        "the account name is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert("));
    assert!(
        html.contains("&lt;b&gt;Synthetic&lt;&#x2f;b&gt;")
            || html.contains("&lt;b&gt;Synthetic&lt;/b&gt;")
    );
    // Only the page's own script element.
    assert_eq!(html.matches("<script>").count(), 1);
    // Every room, even those whose names needed cleaning, is on the page,
    // and its links point at the files that exist.
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(folder.join("manifest.json"))?)?;
    let rooms = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("messages/") && f.path.ends_with(".json"))
        .count();
    assert_eq!(html.matches("<details class=\"room\"").count(), rooms);
    for href in html.split("href=\"messages/").skip(1) {
        let encoded = href.split('"').next().unwrap_or_default();
        let decoded = percent_decode(encoded);
        assert!(
            folder.join("messages").join(&decoded).is_file(),
            "broken link {encoded} -> {decoded}"
        );
    }
    Ok(())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn transcripts_carry_no_control_characters() -> TestResult {
    let (_parent, folder) = export_hostile()?;
    for entry in std::fs::read_dir(folder.join("messages"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path)?;
            assert!(
                !text
                    .chars()
                    .any(|c| (c.is_control() && c != '\n' && c != '\t')
                        || ('\u{202A}'..='\u{202E}').contains(&c)),
                "{}",
                path.display()
            );
        }
    }
    Ok(())
}

#[test]
fn json_keeps_the_text_exactly() -> TestResult {
    let (_parent, folder) = export_hostile()?;
    // The JSON files are the faithful copy: hostile text survives there
    // unchanged (only CSV, HTML and transcripts are defused).
    let platform = hostile_platform();
    let expected: Vec<String> = platform
        .transactions(SyntheticPlatform::ACCOUNT)?
        .map(|t| t.map(|t| t.description))
        .collect::<Result<_, _>>()?;
    let text = std::fs::read_to_string(folder.join("transactions.json"))?;
    let stored: Vec<serde_json::Value> = serde_json::from_str(&text)?;
    let descriptions: Vec<&str> = stored
        .iter()
        .filter_map(|t| t["description"].as_str())
        .collect();
    assert_eq!(descriptions, expected);
    assert!(descriptions.iter().any(|d| d.starts_with('=')));
    Ok(())
}
