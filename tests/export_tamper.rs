//! Verify names every file that was changed, deleted, added or left
//! half-written, and a manifest that lies.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{VerifyReport, verify};
use offboard::platform::demo::DemoPlatform;
use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

/// A fresh, verified export of the demo freelancer.
fn fresh_export() -> Result<(tempfile::TempDir, PathBuf), Box<dyn std::error::Error>> {
    let demo = DemoPlatform::new(now(), &[])?;
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(&demo, "freelancer", parent.path(), now())?;
    assert!(verify(&summary.folder).is_ok());
    Ok((parent, summary.folder))
}

fn problems_of<'r>(report: &'r VerifyReport, file: &str) -> Vec<&'r str> {
    report
        .problems
        .iter()
        .filter(|p| p.file == file)
        .map(|p| p.problem.as_str())
        .collect()
}

fn flip_byte(path: &Path, at_fraction: f64) -> TestResult {
    let mut bytes = std::fs::read(path)?;
    let at = ((bytes.len() as f64 * at_fraction) as usize).min(bytes.len() - 1);
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes)?;
    Ok(())
}

fn room_files(folder: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut names: Vec<String> = std::fs::read_dir(folder.join("messages"))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    Ok(names)
}

#[test]
fn a_changed_byte_is_named() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    flip_byte(&folder.join("transactions.csv"), 0.5)?;
    let room = room_files(&folder)?
        .into_iter()
        .find(|n| n.ends_with(".txt"))
        .ok_or("no room")?;
    flip_byte(&folder.join("messages").join(&room), 0.9)?;
    let report = verify(&folder);
    assert!(!report.is_ok());
    assert_eq!(
        problems_of(&report, "transactions.csv"),
        ["has changed: its SHA-256 does not match the manifest"]
    );
    assert_eq!(problems_of(&report, &format!("messages/{room}")).len(), 1);
    assert_eq!(report.problems.len(), 2, "{:#?}", report.problems);
    Ok(())
}

#[test]
fn a_deleted_file_is_named() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    std::fs::remove_file(folder.join("contracts.json"))?;
    let room = room_files(&folder)?
        .into_iter()
        .find(|n| n.ends_with(".json"))
        .ok_or("no room")?;
    std::fs::remove_file(folder.join("messages").join(&room))?;
    let report = verify(&folder);
    assert_eq!(problems_of(&report, "contracts.json"), ["is missing"]);
    assert_eq!(
        problems_of(&report, &format!("messages/{room}")),
        ["is missing"]
    );
    assert_eq!(report.problems.len(), 2, "{:#?}", report.problems);
    Ok(())
}

#[test]
fn a_truncated_or_extended_file_is_named_with_its_size() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    let path = folder.join("index.html");
    let mut bytes = std::fs::read(&path)?;
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&path, &bytes)?;
    let mut json = std::fs::read(folder.join("feedback.json"))?;
    json.extend_from_slice(b"\n");
    std::fs::write(folder.join("feedback.json"), json)?;
    let report = verify(&folder);
    let index = problems_of(&report, "index.html");
    assert_eq!(index.len(), 1);
    assert!(index[0].contains("bytes, the manifest says"), "{index:?}");
    assert!(!problems_of(&report, "feedback.json").is_empty());
    Ok(())
}

#[test]
fn added_and_half_written_files_are_named() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    std::fs::write(folder.join("notes.txt"), "mine")?;
    std::fs::write(folder.join(".transactions.json.partial"), "[\n{")?;
    std::fs::write(folder.join("messages").join("extra.json"), "{}")?;
    let report = verify(&folder);
    assert!(problems_of(&report, "notes.txt")[0].contains("not listed in the manifest"));
    assert!(
        problems_of(&report, ".transactions.json.partial")[0].contains("unfinished temporary file")
    );
    assert!(problems_of(&report, "messages/extra.json")[0].contains("not listed"));
    assert_eq!(report.problems.len(), 3, "{:#?}", report.problems);
    Ok(())
}

fn edit_manifest(folder: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> TestResult {
    let path = folder.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest)?)?;
    Ok(())
}

#[test]
fn a_manifest_that_lies_is_caught() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    edit_manifest(&folder, |m| {
        m["complete"] = false.into();
        for file in m["files"].as_array_mut().into_iter().flatten() {
            if file["path"] == "contracts.csv" {
                file["records"] = 999.into();
            }
            if file["path"] == "profile.json" {
                file["path"] = "../profile.json".into();
            }
        }
    })?;
    let report = verify(&folder);
    assert!(problems_of(&report, "manifest.json")[0].contains("not complete"));
    assert!(problems_of(&report, "contracts.csv")[0].contains("records, the manifest says 999"));
    assert!(problems_of(&report, "../profile.json")[0].contains("outside the export folder"));
    // profile.json itself is now unlisted.
    assert!(problems_of(&report, "profile.json")[0].contains("not listed"));
    Ok(())
}

#[test]
fn a_missing_or_foreign_manifest_is_named() -> TestResult {
    let (_parent, folder) = fresh_export()?;
    std::fs::remove_file(folder.join("manifest.json"))?;
    let report = verify(&folder);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].file, "manifest.json");
    assert!(report.problems[0].problem.contains("missing"));
    std::fs::write(
        folder.join("manifest.json"),
        "{\"name\":\"something else\"}",
    )?;
    let report = verify(&folder);
    assert!(
        report.problems[0]
            .problem
            .contains("not an Offboard manifest")
    );
    let empty = tempfile::tempdir()?;
    assert!(!verify(empty.path()).is_ok());
    Ok(())
}
