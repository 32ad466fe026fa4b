//! Fuzz targets: each takes arbitrary bytes and must never panic. They are
//! called by the cargo-fuzz targets in `fuzz/` (one line each) and by
//! `tests/fuzz_smoke.rs`, which runs them on the committed corpus and on a
//! seeded batch of mutations of it inside `cargo test`.
//!
//! Beyond "no panic", each target checks properties of what it parsed: a
//! broken property panics with a message, which the fuzzer reports as a
//! crash like any other.

use crate::export::names::{
    MAX_STEM_BYTES, UniqueStems, fold_key, is_safe_file_name, sanitize_stem,
};
use crate::export::{self, Manifest, verify};
use crate::model::money::Money;
use crate::platform::Platform;
use crate::platform::upwork::api::{parse_date as api_date, parse_money as api_money};
use crate::platform::upwork::csv::{ACCOUNT_ID, UpworkCsvPlatform, parse_amount, parse_date};
use crate::store::{Loaded, Store};
use chrono::{DateTime, TimeZone, Utc};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Splits one fuzz input into several files.
const FILE_SEPARATOR: &[u8] = b"\n=====\n";

fn today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The Upwork CSV import: up to three files (split at `=====` lines), then
/// every view the wizard and the export take of the result.
pub fn csv_import(data: &[u8]) {
    let parts: Vec<&[u8]> = split(data, FILE_SEPARATOR).take(3).collect();
    let files: Vec<(String, &[u8])> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| (format!("file-{i}.csv"), *part))
        .collect();
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let platform = match UpworkCsvPlatform::from_bytes(&named, today()) {
        Ok(platform) => platform,
        Err(error) => {
            let message = error.to_string();
            assert!(!message.is_empty());
            return;
        }
    };
    let transactions = platform.transaction_list();
    assert!(
        transactions.windows(2).all(|w| w[0].date <= w[1].date),
        "transactions are sorted by date"
    );
    let ids: HashSet<&str> = transactions.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), transactions.len(), "transaction ids are unique");
    // The import promises every sum over its amounts is exact.
    let sizes = transactions.iter().map(|t| t.amount.checked_abs());
    let bound = sizes
        .chain([platform.opening_balance().checked_abs()])
        .try_fold(Money::ZERO, |sum, size| sum.checked_add(size?));
    assert!(
        bound.is_some(),
        "the import let through amounts that overflow"
    );
    let _ = platform.balances();
    let _ = platform.money_per_client();
    let _ = platform.manual_checks();
    let _ = platform.warnings();
    let _ = Platform::pending_work(&platform, ACCOUNT_ID);
    let _ = Platform::profile(&platform, ACCOUNT_ID);
    for transaction in transactions {
        // What the export writes reads back as the same amount.
        assert_eq!(
            parse_amount(&transaction.amount.plain()),
            Some(transaction.amount)
        );
        let _ = transaction.amount.to_string();
    }
    // The cell parsers on their own, on every line and field.
    for line in String::from_utf8_lossy(data).lines().take(64) {
        for field in line.split([',', ';', '\t']).take(32) {
            if let Some(amount) = parse_amount(field) {
                assert_eq!(parse_amount(&amount.plain()), Some(amount));
            }
            let _ = parse_date(field);
        }
    }
}

/// The API answers' value readers, on every string and number of an
/// arbitrary JSON document (and on the raw text when it is not JSON).
pub fn api_mapping(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        let text = String::from_utf8_lossy(data);
        let _ = api_date(&text);
        money(&text);
        return;
    };
    let mut stack = vec![&value];
    let mut visited = 0;
    while let Some(value) = stack.pop() {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        match value {
            serde_json::Value::String(text) => {
                let _ = api_date(text);
                money(text);
            }
            serde_json::Value::Number(number) => {
                let text = number.to_string();
                let _ = api_date(&text);
                money(&text);
            }
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    let _ = api_date(key);
                    stack.push(item);
                }
            }
            serde_json::Value::Bool(_) | serde_json::Value::Null => {}
        }
    }
}

thread_local! {
    /// This thread's folder for targets that need files: in memory where
    /// there is a RAM disk, since the store and the manifest sync each
    /// file, which on a disk costs milliseconds per input.
    static SCRATCH: PathBuf = {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        base.join(format!(
            "offboard-fuzz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ))
    };
}

/// The API's money reader.
fn money(text: &str) {
    if let Some(amount) = api_money(text) {
        let _ = amount.to_string();
    }
}

/// A folder of this thread's own, emptied before each input.
fn scratch(name: &str) -> PathBuf {
    let dir = SCRATCH.with(|root| root.join(name));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Removes this thread's scratch folder (the smoke test calls it at the
/// end; a fuzzer's process leaves it in the temporary folder).
pub fn remove_scratch() {
    SCRATCH.with(|root| {
        let _ = std::fs::remove_dir_all(root);
    });
}

/// The saved progress file: whatever `load_readonly` accepts saves and
/// loads again as the same progress.
pub fn state_file(data: &[u8]) {
    let dir = scratch("state");
    let store = Store::new(&dir);
    if std::fs::write(store.path(), data).is_err() {
        return;
    }
    match store.load_readonly() {
        Loaded::Resumed(state) => {
            let before = serde_json::to_value(&*state).ok();
            if store.save(&state).is_err() {
                return;
            }
            match store.load_readonly() {
                Loaded::Resumed(again) => {
                    assert_eq!(serde_json::to_value(&*again).ok(), before);
                }
                other => panic!("saved progress did not load again: {other:?}"),
            }
        }
        Loaded::Damaged { problem, .. } => assert!(!problem.is_empty()),
        Loaded::Fresh => {}
    }
}

/// The export folder a fuzzed manifest is checked against.
const EXPORT_FILES: [(&str, &[u8]); 5] = [
    ("profile.json", b"{\"name\":\"Maya\"}\n"),
    (
        "contracts.json",
        b"[\n{\"id\":\"c-1\"},\n{\"id\":\"c-2\"}\n]\n",
    ),
    ("contracts.csv", b"Contract ID,Title\nc-1,Logo\nc-2,Site\n"),
    (
        "messages/Logo design.json",
        b"{\"id\":\"r-1\",\"messages\":[\n{\"id\":\"m-1\"}\n]}\n",
    ),
    ("messages/Logo design.txt", b"Logo design\n\nMaya: hello\n"),
];

/// The manifest parser and `verify`, on a fuzzed manifest.json beside a few
/// real files; then adding a file to that export, which rewrites it.
pub fn manifest_verify(data: &[u8]) {
    let dir = scratch("export");
    if std::fs::create_dir_all(dir.join("messages")).is_err() {
        return;
    }
    for (name, contents) in EXPORT_FILES {
        if std::fs::write(dir.join(name), contents).is_err() {
            return;
        }
    }
    if std::fs::write(Manifest::path_in(&dir), data).is_err() {
        return;
    }
    let manifest = Manifest::read(&dir).ok();
    let report = verify(&dir);
    if let Some(manifest) = &manifest {
        assert!(report.files_checked <= manifest.files.len());
    }
    for problem in &report.problems {
        assert!(!problem.problem.is_empty());
    }
    if manifest.is_some() && export::write_closing_file(&dir, export::RECEIPT_JSON, b"{}").is_ok() {
        let again = verify(&dir);
        assert!(
            !again.problems.iter().any(|p| p.file == "receipt.json"),
            "an added file verifies: {:?}",
            again.problems
        );
    }
    for entry in manifest.iter().flat_map(|m| &m.files).take(64) {
        if let Some(path) = export::safe_relative_path(&dir, &entry.path) {
            assert!(path.starts_with(&dir), "{path:?} is outside {dir:?}");
            assert!(
                !path
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir)),
                "{path:?} goes up"
            );
        }
    }
}

/// File names made from platform text: one raw name per line, claimed in
/// turn the way room files are.
pub fn file_names(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut stems = UniqueStems::new();
    let mut claimed = HashSet::new();
    for (i, raw) in text.split('\n').take(256).enumerate() {
        let fallback = format!("room-{i}");
        let stem = sanitize_stem(raw, &fallback);
        check_stem(&stem, raw);
        assert_eq!(sanitize_stem(&stem, &fallback), stem, "stable for {raw:?}");
        let unique = stems.claim(raw, &fallback);
        check_stem(&unique, raw);
        assert!(
            claimed.insert(fold_key(&unique)),
            "{unique:?} was handed out twice, as macOS or Windows compare names"
        );
    }
}

/// What every stem must be, whatever it was made from.
fn check_stem(stem: &str, raw: &str) {
    assert!(!stem.is_empty(), "empty stem for {raw:?}");
    assert!(stem.len() <= MAX_STEM_BYTES, "{stem:?} is too long");
    assert!(!stem.contains(['/', '\\']), "{stem:?} has a separator");
    assert!(!stem.contains(".."), "{stem:?} has ..");
    for extension in ["json", "txt"] {
        let name = format!("{stem}.{extension}");
        assert!(is_safe_file_name(&name), "{name:?} is not a safe name");
        assert!(
            Path::new(&name).components().count() == 1,
            "{name:?} is more than one path component"
        );
    }
}

/// The pieces of `data` between occurrences of `separator`.
fn split<'d>(data: &'d [u8], separator: &'d [u8]) -> impl Iterator<Item = &'d [u8]> + 'd {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let current = rest?;
        match current
            .windows(separator.len())
            .position(|window| window == separator)
        {
            Some(at) => {
                rest = current.get(at + separator.len()..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_every_piece() {
        let pieces: Vec<&[u8]> = split(b"a\n=====\nb\n=====\n", FILE_SEPARATOR).collect();
        assert_eq!(pieces, [&b"a"[..], b"b", b""]);
        assert_eq!(split(b"", FILE_SEPARATOR).count(), 1);
    }
}
