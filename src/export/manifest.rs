//! manifest.json: what an export holds and how to check it. It is rewritten
//! atomically after every finished section, so an interrupted export knows
//! which sections it can skip, and `complete` (the last field) is true only
//! once everything is written.

use super::files::{DiskBudget, WrittenFile, write_atomically_with};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const MANIFEST_NAME: &str = "manifest.json";
/// Marks a manifest as Offboard's, so a folder is never mistaken for ours.
pub const FORMAT_NAME: &str = "offboard-export";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestAccount {
    pub id: String,
    pub name: String,
    pub username: String,
    pub kind: String,
}

/// A finished section and how many records it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionEntry {
    pub name: String,
    pub records: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the export folder, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    pub section: String,
    pub records: u64,
}

impl FileEntry {
    pub fn new(path: String, written: WrittenFile, section: &str, records: u64) -> Self {
        FileEntry {
            path,
            bytes: written.bytes,
            sha256: hex::encode(written.sha256),
            section: section.to_string(),
            records,
        }
    }
}

/// Money per calendar year, in cents, as index.html shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotals {
    pub year: i32,
    /// Earnings: hourly, fixed-price and bonus payments received.
    pub earned_cents: i64,
    /// Paid out for work, on the client side.
    pub spent_cents: i64,
    /// Service fees, withdrawal fees and Connects.
    pub fees_cents: i64,
    pub withdrawn_cents: i64,
    pub refunds_cents: i64,
    /// The sum of every transaction of the year.
    pub net_cents: i64,
    pub transactions: u64,
}

/// Totals computed while sections were written, kept so a resumed export
/// can build index.html without reading everything again.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportTotals {
    pub contracts_open: u64,
    pub contracts_billed_cents: i64,
    pub contracts_hours: f64,
    pub money_in_cents: i64,
    pub money_out_cents: i64,
    pub years: Vec<YearTotals>,
    pub rooms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub offboard_version: String,
    /// The platform's slug, e.g. `demo`.
    pub platform: String,
    pub account: ManifestAccount,
    pub started: DateTime<Utc>,
    pub finished: Option<DateTime<Utc>>,
    /// Finished sections, in the order they finished.
    pub sections: Vec<SectionEntry>,
    #[serde(default)]
    pub totals: ExportTotals,
    pub files: Vec<FileEntry>,
    /// Written last: true only when every file above is complete.
    pub complete: bool,
}

/// Why a folder's manifest could not be used.
#[derive(Debug)]
pub enum ManifestProblem {
    /// No manifest.json.
    Missing,
    /// A manifest.json that is not Offboard's.
    NotOurs,
    /// Offboard's, but damaged or from a newer version.
    Damaged(String),
    Io(io::Error),
}

impl Manifest {
    pub fn new(platform: &str, account: ManifestAccount, started: DateTime<Utc>) -> Self {
        Manifest {
            format: FORMAT_NAME.to_string(),
            format_version: FORMAT_VERSION,
            offboard_version: env!("CARGO_PKG_VERSION").to_string(),
            platform: platform.to_string(),
            account,
            started,
            finished: None,
            sections: Vec::new(),
            totals: ExportTotals::default(),
            files: Vec::new(),
            complete: false,
        }
    }

    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(MANIFEST_NAME)
    }

    pub fn read(dir: &Path) -> Result<Manifest, ManifestProblem> {
        let bytes = match std::fs::read(Self::path_in(dir)) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(ManifestProblem::Missing);
            }
            Err(error) => return Err(ManifestProblem::Io(error)),
        };
        // Look at the marker first: a foreign manifest.json is not damage.
        #[derive(Deserialize)]
        struct Marker {
            format: Option<String>,
            format_version: Option<u32>,
        }
        let marker: Marker = match serde_json::from_slice(&bytes) {
            Ok(marker) => marker,
            Err(_) => return Err(ManifestProblem::NotOurs),
        };
        if marker.format.as_deref() != Some(FORMAT_NAME) {
            return Err(ManifestProblem::NotOurs);
        }
        if marker.format_version.is_some_and(|v| v > FORMAT_VERSION) {
            return Err(ManifestProblem::Damaged(
                "it was written by a newer version of Offboard".to_string(),
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| ManifestProblem::Damaged(e.to_string()))
    }

    /// Writes manifest.json atomically; returns its size and hash.
    pub fn write(&self, dir: &Path, budget: &DiskBudget) -> io::Result<WrittenFile> {
        // Streamed: a manifest listing thousands of room files is never
        // held as one string.
        write_atomically_with(&Self::path_in(dir), budget, |file| {
            serde_json::to_writer_pretty(&mut *file, self)?;
            file.write_all(b"\n")
        })
    }

    pub fn is_section_finished(&self, name: &str) -> bool {
        self.sections.iter().any(|s| s.name == name)
    }

    pub fn section_records(&self, name: &str) -> u64 {
        self.sections
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.records)
    }

    /// Records a finished section (replacing an earlier run's entry).
    pub fn finish_section(&mut self, name: &str, records: u64) {
        self.sections.retain(|s| s.name != name);
        self.sections.push(SectionEntry {
            name: name.to_string(),
            records,
        });
    }

    /// Adds a file, replacing an entry with the same path.
    pub fn put_file(&mut self, entry: FileEntry) {
        self.files.retain(|f| f.path != entry.path);
        self.files.push(entry);
    }

    /// Forgets a section and its files, so it is written again.
    pub fn forget_section(&mut self, name: &str) {
        self.sections.retain(|s| s.name != name);
        self.files.retain(|f| f.section != name);
    }

    pub fn total_bytes(&self) -> u64 {
        // A manifest read back from disk can say anything: never overflow.
        self.files
            .iter()
            .map(|f| f.bytes)
            .fold(0u64, u64::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_is_the_last_field() {
        let account = ManifestAccount {
            id: "a".into(),
            name: "A".into(),
            username: "a".into(),
            kind: "freelancer".into(),
        };
        let manifest = Manifest::new("demo", account, DateTime::<Utc>::MIN_UTC);
        let text = serde_json::to_string_pretty(&manifest).unwrap();
        assert!(
            text.trim_end().ends_with("\"complete\": false\n}"),
            "{text}"
        );
    }

    #[test]
    fn foreign_manifests_are_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ManifestProblem::Missing)
        ));
        std::fs::write(
            Manifest::path_in(dir.path()),
            br#"{"name":"my-app","version":"1"}"#,
        )
        .unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ManifestProblem::NotOurs)
        ));
        std::fs::write(Manifest::path_in(dir.path()), b"not json").unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ManifestProblem::NotOurs)
        ));
        std::fs::write(
            Manifest::path_in(dir.path()),
            br#"{"format":"offboard-export","format_version":1}"#,
        )
        .unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ManifestProblem::Damaged(_))
        ));
    }
}
