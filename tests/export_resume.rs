//! Kill -9 an export of a large synthetic account at several points, check
//! that no file looks complete without being so, resume, and check that the
//! result is byte for byte the export an uninterrupted run writes.
//!
//! The exporting process is this test binary itself, started again with
//! `child_export` selected and the target folder in an environment variable.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{Manifest, export_account, latest_unfinished, verify};
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CHILD_PARENT: &str = "OFFBOARD_EXPORT_CHILD_PARENT";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

fn platform() -> SyntheticPlatform {
    SyntheticPlatform::new(2026, SyntheticSize::large(), now())
}

/// Runs only in the child process: exports the large account into the
/// folder named by the environment, printing progress for the parent.
#[test]
fn child_export() {
    let Some(parent) = std::env::var_os(CHILD_PARENT) else {
        return; // an ordinary test run: nothing to do
    };
    let result = export_account(
        &platform(),
        SyntheticPlatform::ACCOUNT,
        Path::new(&parent),
        now(),
        &mut |p| eprintln!("PROGRESS {} {} {}", p.section, p.records, p.bytes),
        &AtomicBool::new(false),
    );
    eprintln!("DONE {}", result.is_ok());
}

/// Where to kill the child: the first progress report for which this holds
/// (`nth` counts the reports of the same section, from 1).
type KillPoint = fn(section: &str, records: u64, nth: u32) -> bool;

/// This test binary, to start again as the child. On Linux through
/// /proc/self/exe, which still works when a concurrent `cargo test`
/// rebuilds the binary while this one runs.
fn own_executable() -> std::io::Result<PathBuf> {
    let proc_self = Path::new("/proc/self/exe");
    if proc_self.exists() {
        Ok(proc_self.to_path_buf())
    } else {
        std::env::current_exe()
    }
}

/// Starts the child and kills it (SIGKILL) at `kill_at`; true when killed,
/// false when the export finished first.
fn run_child_and_kill(
    parent: &Path,
    kill_at: KillPoint,
) -> Result<bool, Box<dyn std::error::Error>> {
    let mut child = Command::new(own_executable()?)
        .args(["--exact", "child_export", "--nocapture", "--test-threads=1"])
        .env(CHILD_PARENT, parent)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let started = Instant::now();
    let (mut last_section, mut nth) = (String::new(), 0);
    for line in BufReader::new(stderr).lines() {
        let line = line?;
        let mut words = line.split_whitespace();
        if words.next() == Some("PROGRESS") {
            let section = words.next().unwrap_or_default().to_string();
            let records: u64 = words.next().unwrap_or("0").parse()?;
            nth = if section == last_section { nth + 1 } else { 1 };
            last_section.clone_from(&section);
            if kill_at(&section, records, nth) {
                child.kill()?; // SIGKILL on Unix: no cleanup runs
                child.wait()?;
                return Ok(true);
            }
        }
        if started.elapsed() > Duration::from_secs(600) {
            child.kill()?;
            return Err("the child export took too long".into());
        }
    }
    let status = child.wait()?;
    assert!(status.success(), "child failed: {status}");
    Ok(false)
}

/// After a kill: every file with its final name is whole. Files the
/// manifest lists must match it; the others must at least be complete.
fn assert_nothing_looks_complete_that_is_not(folder: &Path) -> TestResult {
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(folder.join("manifest.json"))?)?;
    assert!(
        !manifest.complete,
        "a killed export must not be marked complete"
    );
    let listed: BTreeMap<&str, &str> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let mut stack = vec![(folder.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), format!("{relative}/")));
                continue;
            }
            if name.starts_with('.') && name.ends_with(".partial") {
                continue; // plainly unfinished
            }
            let bytes = std::fs::read(entry.path())?;
            if let Some(sha) = listed.get(relative.as_str()) {
                use sha2::Digest;
                assert_eq!(
                    &hex::encode(sha2::Sha256::digest(&bytes)),
                    sha,
                    "{relative} changed"
                );
                continue;
            }
            let whole = if name.ends_with(".json") {
                serde_json::from_slice::<serde_json::Value>(&bytes).is_ok()
            } else if name == "index.html" {
                bytes.ends_with(b"</html>\n")
            } else {
                // CSV and transcripts end with a line break.
                bytes.is_empty() || bytes.ends_with(b"\n")
            };
            assert!(whole, "{relative} has its final name but is incomplete");
        }
    }
    Ok(())
}

/// Path → (bytes, SHA-256, records) of every file in the manifest.
type FileTable = BTreeMap<String, (u64, String, u64)>;

fn file_table(folder: &Path) -> Result<FileTable, Box<dyn std::error::Error>> {
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(folder.join("manifest.json"))?)?;
    assert!(manifest.complete);
    Ok(manifest
        .files
        .into_iter()
        .map(|f| (f.path, (f.bytes, f.sha256, f.records)))
        .collect())
}

/// An uninterrupted export, to compare the resumed ones with.
fn reference() -> Result<(tempfile::TempDir, PathBuf), Box<dyn std::error::Error>> {
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(
        &platform(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    Ok((parent, summary.folder))
}

/// Kills at each point in turn on the same folder, resuming in between
/// with another killed child, then finishes in this process.
fn kill_resume_and_compare(kill_points: &[KillPoint]) -> TestResult {
    let parent = tempfile::tempdir()?;
    for kill_at in kill_points {
        let killed = run_child_and_kill(parent.path(), *kill_at)?;
        assert!(killed, "the export finished before the kill point");
        if let Some(folder) = latest_unfinished(
            parent.path(),
            &offboard::model::account::DEFAULT_PLATFORM,
            SyntheticPlatform::ACCOUNT,
        ) {
            assert_nothing_looks_complete_that_is_not(&folder)?;
        }
    }
    let summary = export_quietly(
        &platform(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    let report = verify(&summary.folder);
    assert!(report.is_ok(), "{:#?}", report.problems);
    let folders = std::fs::read_dir(parent.path())?.count();
    assert_eq!(folders, 1, "the resumed export used the interrupted folder");
    let (_reference_parent, reference_folder) = reference()?;
    assert_eq!(file_table(&summary.folder)?, file_table(&reference_folder)?);
    Ok(())
}

#[test]
fn killed_while_writing_contracts_then_resumed() -> TestResult {
    kill_resume_and_compare(&[|section, _, _| section == "contracts"])
}

#[test]
fn killed_in_the_middle_of_transactions_then_resumed() -> TestResult {
    kill_resume_and_compare(&[|section, records, _| section == "transactions" && records > 100_000])
}

#[test]
fn killed_while_writing_messages_and_again_while_writing_index_html() -> TestResult {
    kill_resume_and_compare(&[
        |section, records, _| section == "messages" && records > 210_000,
        |section, _, nth| section == "index" && nth >= 2,
    ])
}

#[test]
fn killed_three_times_in_a_row() -> TestResult {
    kill_resume_and_compare(&[
        |section, _, _| section == "feedback",
        |section, records, _| section == "transactions" && records > 50_000,
        |section, records, _| section == "transactions" && records > 150_000,
    ])
}
