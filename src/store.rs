//! Saved progress: one JSON file in the user's data folder, written
//! atomically (temp file, fsync, rename) with a schema version.

use crate::model::wizard::{SCHEMA_VERSION, SavedState};
use chrono::{DateTime, Utc};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const STATE_FILE: &str = "state.json";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no data folder could be found for this user; pass --state-dir DIR")]
    NoDataDir,
    #[error(
        "could not {action}: {source}; check that the folder exists and you may write to it: {path}"
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not encode the progress: {0}")]
    Encode(#[from] serde_json::Error),
}

/// What loading found.
#[derive(Debug)]
pub enum Loaded {
    /// No saved progress: a first launch.
    Fresh,
    Resumed(Box<SavedState>),
    /// The file could not be read as progress; it was moved aside (or could
    /// not be) and a fresh start is offered. Never silently dropped.
    Damaged {
        problem: String,
        moved_to: Option<PathBuf>,
    },
}

/// The folder progress is kept in.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The platform's per-user data folder (e.g. ~/.local/share/offboard).
    pub fn default_dir() -> Result<PathBuf, StoreError> {
        directories::ProjectDirs::from("", "", "offboard")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or(StoreError::NoDataDir)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    /// Read the saved progress. A damaged file is renamed
    /// `state.damaged-<time>.json` beside it so nothing is lost.
    pub fn load(&self, now: DateTime<Utc>) -> Loaded {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Fresh,
            Err(e) => {
                // Unreadable (permissions, a folder in its place): leave it be
                // and say so; saving will report its own error.
                return Loaded::Damaged {
                    problem: format!("it could not be read ({e})"),
                    moved_to: None,
                };
            }
        };
        let problem = match parse(&bytes) {
            Ok(state) => return Loaded::Resumed(Box::new(state)),
            Err(problem) => problem,
        };
        let aside = self.dir.join(format!(
            "state.damaged-{}.json",
            now.format("%Y%m%d-%H%M%S")
        ));
        let moved_to = fs::rename(&path, &aside).ok().map(|()| aside);
        Loaded::Damaged { problem, moved_to }
    }

    /// Read the saved progress without touching the file, for headless
    /// commands that only look.
    pub fn load_readonly(&self) -> Loaded {
        match fs::read(self.path()) {
            Ok(bytes) => match parse(&bytes) {
                Ok(state) => Loaded::Resumed(Box::new(state)),
                Err(problem) => Loaded::Damaged {
                    problem,
                    moved_to: None,
                },
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::Fresh,
            Err(e) => Loaded::Damaged {
                problem: format!("it could not be read ({e})"),
                moved_to: None,
            },
        }
    }

    /// Write the progress atomically: a crash leaves the old or the new file,
    /// never half of one.
    pub fn save(&self, state: &SavedState) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(state)?;
        fs::create_dir_all(&self.dir).map_err(|source| StoreError::Io {
            action: "create the progress folder",
            path: self.dir.clone(),
            source,
        })?;
        write_atomically(&self.path(), &json).map_err(|source| StoreError::Io {
            action: "write the progress",
            path: self.path(),
            source,
        })?;
        Ok(())
    }
}

/// Write a file so it is complete or absent, never half-written: a
/// temporary `.NAME.partial` beside it, fsynced, then renamed over it.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name given")
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".partial");
    let temp = path.with_file_name(temp_name);
    let mut file = fs::File::create(&temp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    fs::rename(&temp, path)
}

fn parse(bytes: &[u8]) -> Result<SavedState, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    match version {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) if v > u64::from(SCHEMA_VERSION) => {
            return Err(format!(
                "it was written by a newer Offboard (format {v}, this one reads {SCHEMA_VERSION})"
            ));
        }
        Some(v) => {
            return Err(format!(
                "it has an old format ({v}) this Offboard cannot read"
            ));
        }
        None => return Err("it has no schema_version".into()),
    }
    serde_json::from_value(value).map_err(|e| format!("its contents do not fit ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wizard::{LeaveReason, Step};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn save_then_load_resumes() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path().join("nested"));
        assert!(matches!(store.load(now()), Loaded::Fresh));
        let mut state = SavedState {
            schema_version: SCHEMA_VERSION,
            ..SavedState::default()
        };
        state.progress.step = Step::Feedback;
        state.progress.reason = Some(LeaveReason::TakingABreak);
        state.progress.feedback = "Thanks for everything".into();
        store.save(&state)?;
        match store.load(now()) {
            Loaded::Resumed(loaded) => assert_eq!(*loaded, state),
            other => panic!("expected resumed, got {other:?}"),
        }
        // No temp file is left behind.
        let names: Vec<_> = fs::read_dir(store.dir())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
        Ok(())
    }

    #[test]
    fn damaged_file_is_moved_aside_not_dropped() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        fs::write(store.path(), b"{\"schema_version\": 1, \"progress\": tru")?;
        match store.load(now()) {
            Loaded::Damaged { problem, moved_to } => {
                assert!(problem.contains("not valid JSON"), "{problem}");
                let moved = moved_to.ok_or("not moved")?;
                assert_eq!(
                    fs::read(&moved)?,
                    b"{\"schema_version\": 1, \"progress\": tru"
                );
                assert!(!store.path().exists());
            }
            other => panic!("expected damaged, got {other:?}"),
        }
        // The next launch starts fresh, and the damaged copy stays.
        assert!(matches!(store.load(now()), Loaded::Fresh));
        Ok(())
    }

    #[test]
    fn newer_or_unversioned_files_are_damaged() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        fs::write(store.path(), br#"{"schema_version": 99}"#)?;
        assert!(
            matches!(store.load(now()), Loaded::Damaged { problem, .. } if problem.contains("newer"))
        );
        fs::write(store.path(), br#"{"progress": {}}"#)?;
        assert!(
            matches!(store.load(now()), Loaded::Damaged { problem, .. } if problem.contains("schema_version"))
        );
        Ok(())
    }

    #[test]
    fn unwritable_folder_is_a_clear_error() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        // A file where the folder should be: fails even for root.
        let blocker = dir.path().join("not-a-folder");
        fs::write(&blocker, b"x")?;
        let store = Store::new(blocker.join("state"));
        let err = store
            .save(&SavedState::default())
            .err()
            .ok_or("expected an error")?;
        let message = err.to_string();
        assert!(message.contains("not-a-folder"), "{message}");
        Ok(())
    }
}
