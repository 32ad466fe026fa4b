//! Saved progress: one JSON file in the user's data folder, written
//! atomically (temp file, fsync, rename, fsync of the folder) with a schema
//! version. One Offboard at a time writes it, under a lock; what could not
//! be read is never overwritten, and a receipt survives whatever else in
//! the file does not.

use crate::model::review::AccountChange;
use crate::model::wizard::{Progress, SCHEMA_VERSION, SavedState};
use chrono::{DateTime, Utc};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = "state.lock";

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
    #[error("progress is not being saved: {0}")]
    ReadOnly(String),
}

/// What loading found.
#[derive(Debug)]
pub enum Loaded {
    /// No saved progress: a first launch.
    Fresh,
    Resumed(Box<SavedState>),
    /// The file could not be read as progress; it was moved aside (or could
    /// not be) and what could be read of it is offered. Never silently
    /// dropped, and never overwritten.
    Damaged {
        problem: String,
        moved_to: Option<PathBuf>,
        /// What was read despite the damage (always the receipt, when the
        /// file has one that reads), to resume with.
        salvaged: Option<Box<SavedState>>,
    },
}

impl Loaded {
    /// The state to resume from: the saved one, what was salvaged, or a
    /// fresh start.
    pub fn state(&self) -> SavedState {
        match self {
            Loaded::Fresh => SavedState::default(),
            Loaded::Resumed(state) => (**state).clone(),
            Loaded::Damaged { salvaged, .. } => salvaged.as_deref().cloned().unwrap_or_default(),
        }
    }
}

/// The folder progress is kept in.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
    /// Why this store must not write, when it must not: another Offboard
    /// holds the lock, or the file there could not be read nor moved aside.
    read_only: Option<String>,
    /// The open lock file; the lock lasts as long as any clone of the store.
    _lock: Option<std::sync::Arc<fs::File>>,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            read_only: None,
            _lock: None,
        }
    }

    /// Open the store for the window: take the lock so one Offboard at a
    /// time writes, clear temp files a crash left, and load. A second
    /// Offboard, or a file that could not be read nor moved aside, gets a
    /// store that does not write, and says why.
    pub fn open_for_app(dir: impl Into<PathBuf>, now: DateTime<Utc>) -> (Store, Loaded) {
        let mut store = Store::new(dir);
        match store.take_lock() {
            Ok(lock) => store._lock = Some(std::sync::Arc::new(lock)),
            Err(why) => {
                store.read_only = Some(why);
                let loaded = store.load_readonly();
                return (store, loaded);
            }
        }
        store.remove_stale_temp_files();
        let loaded = store.load(now);
        if let Loaded::Damaged {
            moved_to: None,
            problem,
            ..
        } = &loaded
        {
            store.read_only = Some(format!(
                "the saved progress could not be read ({problem}) nor moved aside, so it is left \
                 untouched; move or fix {} and restart Offboard",
                store.path().display()
            ));
        }
        (store, loaded)
    }

    /// Why this store does not write, if it does not.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn take_lock(&self) -> Result<fs::File, String> {
        fs::create_dir_all(&self.dir).map_err(|e| {
            format!(
                "the progress folder could not be created ({e}); check {}",
                self.dir.display()
            )
        })?;
        let path = self.dir.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                format!(
                    "the lock file could not be opened ({e}): {}",
                    path.display()
                )
            })?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(
                "another Offboard window is open and saves the progress; close it and start \
                 Offboard again to make changes here"
                    .into(),
            ),
            Err(fs::TryLockError::Error(e)) => Err(format!(
                "the progress could not be locked ({e}): {}",
                path.display()
            )),
        }
    }

    /// Temp files of saves a crash interrupted; only called under the lock,
    /// so no other Offboard is writing them.
    fn remove_stale_temp_files(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&format!(".{STATE_FILE}.")) && name.ends_with(".partial") {
                let _ = fs::remove_file(entry.path());
            }
        }
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
                // and say so; the store then does not write over it.
                return Loaded::Damaged {
                    problem: format!("it could not be read ({e})"),
                    moved_to: None,
                    salvaged: None,
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
        let moved_to = fs::rename(&path, &aside).ok().map(|()| {
            sync_dir(&self.dir);
            aside
        });
        Loaded::Damaged {
            problem,
            moved_to,
            salvaged: salvage(&bytes).map(Box::new),
        }
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
                    salvaged: salvage(&bytes).map(Box::new),
                },
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::Fresh,
            Err(e) => Loaded::Damaged {
                problem: format!("it could not be read ({e})"),
                moved_to: None,
                salvaged: None,
            },
        }
    }

    /// Write the progress atomically: a crash leaves the old or the new file,
    /// never half of one.
    pub fn save(&self, state: &SavedState) -> Result<(), StoreError> {
        if let Some(why) = &self.read_only {
            return Err(StoreError::ReadOnly(why.clone()));
        }
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
/// temporary `.NAME.<pid>-<n>.partial` beside it (its own for each writer),
/// fsynced, renamed over it, and the folder fsynced so the rename lasts.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name given")
    })?;
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}-{n}.partial", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let written = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Make a rename in `dir` durable; best effort (not every OS or file
/// system can open a folder for syncing).
pub fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// What can be read of a file that does not read whole: every part of the
/// progress that still fits on its own, and every account change that
/// does. A file from a newer Offboard gives only its receipt, since its
/// other fields may mean something this version does not know.
fn salvage(bytes: &[u8]) -> Option<SavedState> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let newer = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .is_none_or(|v| v != u64::from(SCHEMA_VERSION));
    let saved_progress = value.get("progress")?.as_object()?;
    let mut progress = serde_json::to_value(Progress::default()).ok()?;
    let fields = progress.as_object_mut()?;
    let wanted: Vec<&str> = if newer {
        vec![
            "receipt",
            "platform",
            "account",
            "reason",
            "other_reason",
            "feedback",
        ]
    } else {
        saved_progress.keys().map(String::as_str).collect()
    };
    for key in wanted {
        let Some(field) = saved_progress.get(key) else {
            continue;
        };
        let previous = fields.insert(key.to_string(), field.clone());
        let fits = serde_json::from_value::<Progress>(serde_json::Value::Object(fields.clone()));
        if fits.is_err() {
            match previous {
                Some(previous) => fields.insert(key.to_string(), previous),
                None => fields.remove(key),
            };
        }
    }
    // From a newer file only the `wanted` fields were taken over the
    // defaults: the receipt and what names it; the rest starts again.
    let progress: Progress = serde_json::from_value(progress).ok()?;
    if newer && progress.receipt.is_none() {
        return None;
    }
    let account_changes = if newer {
        Vec::new()
    } else {
        value
            .get("account_changes")
            .and_then(serde_json::Value::as_array)
            .map(|changes| {
                changes
                    .iter()
                    .filter_map(|c| serde_json::from_value::<AccountChange>(c.clone()).ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let prefs = value
        .get("prefs")
        .and_then(|prefs| serde_json::from_value(prefs.clone()).ok())
        .unwrap_or_default();
    Some(SavedState {
        schema_version: SCHEMA_VERSION,
        progress,
        account_changes,
        prefs,
    })
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
            Loaded::Damaged {
                problem, moved_to, ..
            } => {
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

    fn receipt_state() -> SavedState {
        use crate::model::account::{AccountKind, AccountSummary};
        use crate::model::wizard::Receipt;
        let account = AccountSummary {
            id: "freelancer".into(),
            kind: AccountKind::Freelancer,
            username: "maya".into(),
            display_name: "Maya".into(),
            email: "maya@example.com".into(),
            member_since: now(),
        };
        let mut state = SavedState {
            schema_version: SCHEMA_VERSION,
            ..SavedState::default()
        };
        state.progress.step = Step::Done;
        state.progress.reason = Some(LeaveReason::TakingABreak);
        state.progress.account = Some(account.clone());
        state.progress.receipt = Some(Receipt {
            closed_at: now(),
            platform: crate::model::account::DEFAULT_PLATFORM,
            account,
            reason: "I'm taking a break from freelancing".into(),
            feedback: String::new(),
            reference: "DEMO-1234".into(),
            reactivate_until: None,
            export_manifest_sha256: None,
            evidence: None,
            check: None,
            receipt_path: None,
        });
        state
    }

    #[test]
    fn a_file_that_cannot_be_moved_aside_is_never_overwritten()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let damaged = b"{\"schema_version\": 1, \"progress\": tru";
        fs::write(dir.path().join(STATE_FILE), damaged)?;
        // Something already sits where the damaged copy would go.
        let aside = dir.path().join("state.damaged-20261123-100000.json");
        fs::create_dir(&aside)?;
        fs::write(aside.join("keep"), b"x")?;
        let (store, loaded) = Store::open_for_app(dir.path(), now());
        assert!(matches!(loaded, Loaded::Damaged { moved_to: None, .. }));
        let why = store.read_only_reason().ok_or("the store still writes")?;
        assert!(why.contains("left untouched"), "{why}");
        let refused = store.save(&SavedState::default());
        assert!(
            matches!(refused, Err(StoreError::ReadOnly(_))),
            "{refused:?}"
        );
        assert_eq!(fs::read(store.path())?, damaged);
        Ok(())
    }

    #[test]
    fn a_newer_file_keeps_its_receipt_and_the_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let mut value = serde_json::to_value(receipt_state())?;
        value["schema_version"] = serde_json::json!(SCHEMA_VERSION + 1);
        value["progress"]["step"] = serde_json::json!("a-step-from-the-future");
        let bytes = serde_json::to_vec(&value)?;
        fs::write(dir.path().join(STATE_FILE), &bytes)?;
        let (store, loaded) = Store::open_for_app(dir.path(), now());
        let Loaded::Damaged {
            problem,
            moved_to: Some(moved_to),
            salvaged: Some(salvaged),
        } = loaded
        else {
            panic!("expected a salvaged receipt, got {loaded:?}");
        };
        assert!(problem.contains("newer"), "{problem}");
        assert_eq!(fs::read(moved_to)?, bytes);
        assert_eq!(salvaged.progress.receipt, receipt_state().progress.receipt);
        assert_eq!(store.read_only_reason(), None);
        Ok(())
    }

    #[test]
    fn one_unknown_value_loses_only_itself() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let mut value = serde_json::to_value(receipt_state())?;
        value["progress"]["reason"] = serde_json::json!("a-reason-from-the-future");
        fs::write(dir.path().join(STATE_FILE), serde_json::to_vec(&value)?)?;
        let Loaded::Damaged {
            salvaged: Some(salvaged),
            ..
        } = Store::new(dir.path()).load(now())
        else {
            panic!("expected a salvaged state");
        };
        let mut expected = receipt_state();
        expected.progress.reason = None;
        assert_eq!(*salvaged, expected);
        Ok(())
    }

    #[test]
    fn a_second_window_gets_a_store_that_does_not_write() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let (first, _) = Store::open_for_app(dir.path(), now());
        first.save(&receipt_state())?;
        let (second, loaded) = Store::open_for_app(dir.path(), now());
        assert!(matches!(loaded, Loaded::Resumed(_)));
        let why = second.read_only_reason().ok_or("two writers")?;
        assert!(why.contains("another Offboard window"), "{why}");
        assert!(second.save(&SavedState::default()).is_err());
        assert!(matches!(first.load_readonly(), Loaded::Resumed(s) if *s == receipt_state()));
        // Once the first is gone, the next one writes.
        drop(first);
        let (third, _) = Store::open_for_app(dir.path(), now());
        assert_eq!(third.read_only_reason(), None);
        Ok(())
    }

    #[test]
    fn temp_files_a_crash_left_are_cleared_on_open() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let stale = dir.path().join(".state.json.4242-7.partial");
        fs::write(&stale, b"half")?;
        let other = dir.path().join("notes.partial");
        fs::write(&other, b"not ours")?;
        let _ = Store::open_for_app(dir.path(), now());
        assert!(!stale.exists());
        assert!(other.exists());
        Ok(())
    }

    #[test]
    fn concurrent_atomic_writes_never_mix() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("file.json");
        std::thread::scope(|scope| {
            for writer in 0..6u8 {
                let path = &path;
                scope.spawn(move || {
                    let contents = vec![b'a' + writer; 64 * 1024];
                    for _ in 0..40 {
                        assert!(write_atomically(path, &contents).is_ok());
                    }
                });
            }
        });
        let written = fs::read(&path)?;
        assert_eq!(written.len(), 64 * 1024);
        assert!(written.iter().all(|b| *b == written[0]));
        let left: Vec<_> = fs::read_dir(dir.path())?.flatten().collect();
        assert_eq!(left.len(), 1, "temp files left behind");
        Ok(())
    }
}
