//! Checks an export folder against its manifest: every listed file is
//! there with its size, SHA-256 and record count, nothing unlisted or
//! half-written lies around, and the export was marked complete. Each
//! problem names its file.
//!
//! Symbolic links are never followed: Offboard writes none, so a link is a
//! file replaced after the export, and it could lead verify (and a resumed
//! export) to read or change files outside the folder.

use super::closing_files::{CLOSING_FILES, check_closing_files};
use super::files::is_partial_name;
use super::manifest::{FileEntry, MANIFEST_NAME, Manifest, ManifestProblem};
use super::platform_records;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyProblem {
    /// Relative to the export folder, `/`-separated.
    pub file: String,
    pub problem: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub problems: Vec<VerifyProblem>,
    /// Files listed in the manifest that were checked.
    pub files_checked: usize,
    /// Platform records the manifest lists (as `ExportRecord::records`).
    pub records: u64,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, file: &str, problem: impl Into<String>) {
        self.problems.push(VerifyProblem {
            file: file.to_string(),
            problem: problem.into(),
        });
    }
}

/// Re-hashes every file of the export in `dir` and names each problem.
pub fn verify(dir: &Path) -> VerifyReport {
    let mut report = VerifyReport::default();
    if is_symlink(&Manifest::path_in(dir)) {
        report.problem(MANIFEST_NAME, LINK_PROBLEM);
        return report;
    }
    let manifest = match Manifest::read(dir) {
        Ok(manifest) => manifest,
        Err(ManifestProblem::Missing) => {
            report.problem(
                MANIFEST_NAME,
                "is missing: this folder is not an Offboard export, or its manifest was deleted",
            );
            return report;
        }
        Err(ManifestProblem::NotOurs) => {
            report.problem(
                MANIFEST_NAME,
                "is not an Offboard manifest (it was changed or replaced)",
            );
            return report;
        }
        Err(ManifestProblem::Damaged(reason)) => {
            report.problem(MANIFEST_NAME, format!("cannot be read: {reason}"));
            return report;
        }
        Err(ManifestProblem::Io(error)) => {
            report.problem(MANIFEST_NAME, format!("cannot be read: {error}"));
            return report;
        }
    };
    if !manifest.complete {
        report.problem(
            MANIFEST_NAME,
            "says the export is not complete: it was interrupted; export again into this folder to finish it",
        );
    }
    let mut listed = HashSet::with_capacity(manifest.files.len());
    for entry in &manifest.files {
        if !listed.insert(entry.path.as_str()) {
            report.problem(&entry.path, "is listed twice in the manifest");
            continue;
        }
        let Some(path) = safe_relative_path(dir, &entry.path) else {
            report.problem(
                &entry.path,
                "is a path outside the export folder (absolute, going up with \"..\", or empty), so it was not read; the manifest was changed after the export",
            );
            continue;
        };
        if let Some(link) = first_symlink(dir, &entry.path) {
            if link == entry.path {
                report.problem(&entry.path, LINK_PROBLEM);
            } else {
                report.problem(
                    &entry.path,
                    format!("was not read: the folder {link} is a symbolic link, {LINK_REASON}"),
                );
            }
            continue;
        }
        report.files_checked += 1;
        for problem in check_file(&path, entry) {
            report.problem(&entry.path, problem);
        }
    }
    look_for_strays(dir, "", &listed, &mut report, 0);
    for (file, problem) in check_closing_files(dir) {
        report.problem(&file, problem);
    }
    report.records = platform_records(&manifest);
    report
}

/// Why links are refused, for problems that name them.
const LINK_REASON: &str = "which an export never holds: it was put there after the export and may lead outside the folder; replace it with the real file or export again";
const LINK_PROBLEM: &str = "is a symbolic link, so it was not read; an export never holds links: it was put there after the export and may lead outside the folder; replace it with the real file or export again";

/// Whether `path` itself (not what it points to) is a symbolic link.
pub(crate) fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The first part of `relative` (a checked manifest path) that is a
/// symbolic link inside `dir`, as a relative path.
fn first_symlink(dir: &Path, relative: &str) -> Option<String> {
    let mut path = dir.to_path_buf();
    let mut end = 0;
    for part in relative.split('/') {
        path.push(part);
        end += part.len();
        if is_symlink(&path) {
            return relative.get(..end).map(str::to_string);
        }
        end += 1;
    }
    None
}

/// `relative` (from a manifest) as a path inside `dir`, or None when it
/// could point elsewhere.
pub(crate) fn safe_relative_path(dir: &Path, relative: &str) -> Option<PathBuf> {
    if relative.is_empty() || relative.contains('\\') || relative.contains(':') {
        return None;
    }
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) if !part.is_empty() => path.push(name),
            _ => return None,
        }
    }
    Some(path)
}

/// How a file's records can be counted.
enum Counting {
    /// A JSON array written one record per line.
    JsonLines,
    /// A CSV file with a header row.
    Csv,
    /// A message room: an object with a `messages` array.
    Room,
    /// Hash only (profile.json, transcripts, index.html, added files).
    None,
}

fn counting(entry: &FileEntry) -> Counting {
    let json = entry.path.ends_with(".json");
    let csv = entry.path.ends_with(".csv");
    match entry.section.as_str() {
        "messages" if json => Counting::Room,
        "contracts" | "proposals" | "offers" | "job-posts" | "team" | "feedback"
        | "transactions" | "disputes"
            if json =>
        {
            Counting::JsonLines
        }
        "contracts" | "proposals" | "feedback" | "transactions" | "time-reports" if csv => {
            Counting::Csv
        }
        _ => Counting::None,
    }
}

/// A reader that hashes and counts what passes through it.
struct HashingReader {
    file: File,
    hasher: Sha256,
    bytes: u64,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.file.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

impl HashingReader {
    fn drain(&mut self) -> io::Result<()> {
        io::copy(self, &mut io::sink()).map(|_| ())
    }
}

/// Opens a file for reading without following a link in its last part (a
/// link put there after `first_symlink` looked is refused, not followed).
fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

fn check_file(path: &Path, entry: &FileEntry) -> Vec<String> {
    let mut problems = Vec::new();
    let file = match open_no_follow(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return vec!["is missing".to_string()];
        }
        Err(error) => return vec![format!("cannot be read: {error}")],
    };
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return vec!["is a folder, not a file".to_string()];
    }
    let mut reader = HashingReader {
        file,
        hasher: Sha256::new(),
        bytes: 0,
    };
    let counted = match count_records(&mut reader, counting(entry)) {
        Ok(counted) => counted,
        Err(error) => return vec![format!("cannot be read: {error}")],
    };
    if let Err(error) = reader.drain() {
        return vec![format!("cannot be read: {error}")];
    }
    let sha256 = hex::encode(reader.hasher.finalize());
    if reader.bytes != entry.bytes {
        problems.push(format!(
            "has changed: it is {} bytes, the manifest says {}",
            reader.bytes, entry.bytes
        ));
    } else if sha256 != entry.sha256 {
        problems.push("has changed: its SHA-256 does not match the manifest".to_string());
    }
    match counted {
        Ok(Some(records)) if records != entry.records => problems.push(format!(
            "holds {records} records, the manifest says {}",
            entry.records
        )),
        Err(reason) => problems.push(reason),
        Ok(_) => {}
    }
    problems
}

/// Counts records while the reader hashes; `Ok(Err(..))` is a file that
/// does not parse, `Err` a file that cannot be read.
fn count_records(
    reader: &mut HashingReader,
    how: Counting,
) -> io::Result<Result<Option<u64>, String>> {
    match how {
        Counting::None => Ok(Ok(None)),
        Counting::JsonLines => {
            let mut buffer = vec![0u8; 256 * 1024];
            let mut newlines = 0u64;
            let (mut first, mut last) = (None, None);
            loop {
                let read = reader.read(&mut buffer)?;
                if read == 0 {
                    break;
                }
                first = first.or(Some(buffer[0]));
                newlines += buffer[..read].iter().filter(|&&b| b == b'\n').count() as u64;
                last = buffer[..read]
                    .iter()
                    .rev()
                    .find(|b| !b.is_ascii_whitespace())
                    .copied()
                    .or(last);
            }
            if first != Some(b'[') || last != Some(b']') {
                return Ok(Err("is not a JSON array as Offboard writes it".to_string()));
            }
            // `[`, one line per record, `]`.
            Ok(Ok(Some(newlines.saturating_sub(2))))
        }
        Counting::Csv => {
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(&mut *reader);
            let mut records = 0u64;
            for record in csv.byte_records() {
                match record {
                    Ok(_) => records += 1,
                    Err(error) => return Ok(Err(format!("is not valid CSV: {error}"))),
                }
            }
            Ok(Ok(Some(records)))
        }
        Counting::Room => {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes)?;
            let room: serde_json::Value = match serde_json::from_slice(&bytes) {
                Ok(room) => room,
                Err(error) => return Ok(Err(format!("is not valid JSON: {error}"))),
            };
            match room.get("messages").and_then(|m| m.as_array()) {
                Some(messages) => Ok(Ok(Some(messages.len() as u64))),
                None => Ok(Err("has no list of messages".to_string())),
            }
        }
    }
}

/// Reports files that are not in the manifest: leftovers of an
/// interrupted run, or files added after the export.
fn look_for_strays(
    dir: &Path,
    prefix: &str,
    listed: &HashSet<&str>,
    report: &mut VerifyReport,
    depth: u32,
) {
    // A folder that cannot be read could hide anything: say so.
    let folder = if prefix.is_empty() { "." } else { prefix };
    let unreadable = |error: io::Error| {
        format!(
            "is a folder that cannot be read ({error}), so what it holds was not checked; check its permissions, then verify again"
        )
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            report.problem(folder, unreadable(error));
            return;
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => names.push(entry),
            Err(error) => {
                report.problem(folder, unreadable(error));
                return;
            }
        }
    }
    names.sort_by_key(|entry| entry.file_name());
    for entry in names {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(error) => {
                report.problem(
                    &relative,
                    format!("cannot be read ({error}); check its permissions, then verify again"),
                );
                continue;
            }
        };
        if file_type.is_symlink() {
            // Listed links were reported with their entry.
            if !listed.contains(relative.as_str()) && relative != MANIFEST_NAME {
                report.problem(
                    &relative,
                    "is a symbolic link, not listed in the manifest: it was put there after the export; it was not followed",
                );
            }
        } else if file_type.is_dir() {
            if depth < 8 {
                look_for_strays(
                    &entry.path(),
                    &format!("{relative}/"),
                    listed,
                    report,
                    depth + 1,
                );
            } else {
                report.problem(
                    &format!("{relative}/"),
                    "is nested deeper than an export's folders, so it was not checked: it was put there after the export",
                );
            }
        } else if relative == MANIFEST_NAME
            || listed.contains(relative.as_str())
            || CLOSING_FILES.contains(&relative.as_str())
        {
            continue;
        } else if is_partial_name(&name) {
            report.problem(
                &relative,
                "is an unfinished temporary file: the export was interrupted while writing it",
            );
        } else {
            report.problem(
                &relative,
                "is not listed in the manifest: it was added after the export",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_cannot_leave_the_folder() {
        let dir = Path::new("/export");
        assert_eq!(
            safe_relative_path(dir, "messages/a.json"),
            Some(PathBuf::from("/export/messages/a.json"))
        );
        for hostile in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "",
            "a//b",
            "./a",
            "a\\..\\b",
            "C:x",
            "a/.",
        ] {
            assert_eq!(safe_relative_path(dir, hostile), None, "{hostile}");
        }
    }
}
