//! Where secrets live: the API key's client secret and the OAuth tokens.
//!
//! The system keyring comes first (service "offboard": Keychain on macOS,
//! Credential Manager on Windows, the Secret Service on Linux). Where no
//! keyring service exists — a headless machine with no Secret Service on
//! D-Bus — the secrets go to one JSON file in the data folder that only the
//! user can read (mode 0600 from the moment it is created, replaced
//! atomically), and [`SecretStore::backend`] says so, so the UI can warn.
//!
//! Secrets never reach logs, `Debug` output, exports or the state file:
//! they travel as [`Secret`], whose `Debug` prints `[redacted]` and which
//! has neither `Display` nor `Serialize`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The keyring service name every entry is filed under.
pub const KEYRING_SERVICE: &str = "offboard";

/// The fallback file's name inside the data folder.
pub const SECRETS_FILE: &str = "secrets.json";

const FILE_FORMAT_VERSION: u64 = 1;

/// A secret string. `Debug` prints `[redacted]`; there is no `Display` and
/// no `Serialize`, so it cannot slip into a log line or a saved file by
/// accident. Read it with [`Secret::expose`] at the one place it is sent.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Secret {
        Secret(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Secret {
        Secret(secret.to_owned())
    }
}

/// Where this store keeps secrets, for the UI to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretBackend {
    /// The operating system's keyring.
    Keyring,
    /// No keyring service was found: a file only the user can read.
    File { path: PathBuf },
}

impl SecretBackend {
    /// The warning the UI shows when secrets are not in a keyring.
    pub fn warning(&self) -> Option<String> {
        match self {
            SecretBackend::Keyring => None,
            SecretBackend::File { path } => Some(format!(
                "No system keyring was found, so your API key and tokens are stored in a file \
                 only you can read (mode 0600). Anyone who can log in as you, or read your \
                 backups, can read it: {}",
                path.display()
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the system keyring could not {action} \"{key}\" ({problem}); unlock the keyring and try again"
    )]
    Keyring {
        action: &'static str,
        key: String,
        problem: String,
    },
    #[error("could not {action}: {source}; check that you may write to the folder: {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the secrets file cannot be read ({problem}); delete it and connect again: {path}")]
    Damaged { problem: String, path: PathBuf },
    #[error("the stored \"{key}\" is not in Offboard's format; disconnect and connect again")]
    Format { key: String },
}

#[derive(Clone, Debug)]
enum Backend {
    Keyring,
    File,
}

/// The secret store: keyring first, a 0600 file where there is none.
///
/// Cheap to clone; clones share one lock so the file is never written by
/// two threads at once.
#[derive(Clone, Debug)]
pub struct SecretStore {
    backend: Backend,
    /// The fallback file (also read, as a migration source, when the keyring
    /// is in use and does not hold a key).
    file: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl SecretStore {
    /// Use the system keyring when one answers, else a file in
    /// `fallback_dir` (the user's data folder).
    pub fn new(fallback_dir: PathBuf) -> SecretStore {
        remove_stale_temp_files(&fallback_dir);
        let backend = if keyring_available() {
            Backend::Keyring
        } else {
            log::warn!(
                "no system keyring answered; secrets go to a file only this user can read: {}",
                fallback_dir.join(SECRETS_FILE).display()
            );
            Backend::File
        };
        SecretStore {
            backend,
            file: fallback_dir.join(SECRETS_FILE),
            lock: Arc::new(Mutex::new(())),
        }
    }

    /// Always use the file in `dir`, never the keyring (tests, and users who
    /// ask for it).
    pub fn file_only(dir: PathBuf) -> SecretStore {
        remove_stale_temp_files(&dir);
        SecretStore {
            backend: Backend::File,
            file: dir.join(SECRETS_FILE),
            lock: Arc::new(Mutex::new(())),
        }
    }

    pub fn backend(&self) -> SecretBackend {
        match self.backend {
            Backend::Keyring => SecretBackend::Keyring,
            Backend::File => SecretBackend::File {
                path: self.file.clone(),
            },
        }
    }

    /// Waits until no other Offboard on this machine holds the lock `name`
    /// in this store's folder, then holds it until the guard is dropped: a
    /// window and a headless command share the store. Gives up waiting
    /// after [`PROCESS_LOCK_WAIT`] (the holder is stuck, not working) and
    /// goes on unlocked, as it does where no lock file can be made.
    pub fn hold(&self, name: &str) -> ProcessLock {
        let Some(dir) = self.file.parent() else {
            return ProcessLock { _file: None };
        };
        let path = dir.join(format!("{name}.lock"));
        let file = match create_private_dir(dir).and_then(|()| open_lock_file(&path)) {
            Ok(file) => file,
            Err(e) => {
                log::warn!(
                    "{} could not be opened, going on unlocked: {e}",
                    path.display()
                );
                return ProcessLock { _file: None };
            }
        };
        let started = std::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return ProcessLock { _file: Some(file) },
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < PROCESS_LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(e) => {
                    log::warn!(
                        "{} could not be locked, going on unlocked: {e}",
                        path.display()
                    );
                    return ProcessLock { _file: None };
                }
            }
        }
    }

    /// Store `secret` under `key`, replacing any earlier one.
    pub fn save(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        match self.backend {
            Backend::Keyring => {
                entry(key, "store")?
                    .set_password(secret)
                    .map_err(|e| keyring_error("store", key, &e))?;
                // A copy left in the fallback file from a keyring-less past
                // would outlive a later delete: drop it.
                if self.file.exists() {
                    self.file_remove(key)?;
                }
                Ok(())
            }
            Backend::File => {
                // Read, change, write: another Offboard must not write in
                // between, or one of the two changes is lost.
                let _process = self.hold(SECRETS_LOCK);
                let mut map = self.file_read()?;
                map.insert(key.to_owned(), secret.to_owned());
                self.file_write(&map)
            }
        }
    }

    /// The secret stored under `key`, if any.
    pub fn load(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        if let Backend::Keyring = self.backend {
            match entry(key, "read")?.get_password() {
                Ok(secret) => return Ok(Some(Secret(secret))),
                Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("read", key, &e)),
            }
            if !self.file.exists() {
                return Ok(None);
            }
        }
        Ok(self.file_read()?.remove(key).map(Secret))
    }

    /// Forget the secret under `key` (no error when there is none).
    pub fn delete(&self, key: &str) -> Result<(), SecretError> {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        if let Backend::Keyring = self.backend {
            match entry(key, "delete")?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("delete", key, &e)),
            }
        }
        if self.file.exists() {
            self.file_remove(key)?;
        }
        Ok(())
    }

    fn file_remove(&self, key: &str) -> Result<(), SecretError> {
        let _process = self.hold(SECRETS_LOCK);
        let mut map = self.file_read()?;
        if map.remove(key).is_some() {
            self.file_write(&map)?;
        }
        Ok(())
    }

    fn file_read(&self) -> Result<BTreeMap<String, String>, SecretError> {
        let path = &self.file;
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(source) => {
                return Err(SecretError::Io {
                    action: "read the secrets file",
                    path: path.clone(),
                    source,
                });
            }
        };
        tighten_permissions(path);
        let file: SecretsFile =
            serde_json::from_slice(&bytes).map_err(|e| SecretError::Damaged {
                // Only the position: the message could quote a secret.
                problem: format!("not valid JSON at line {}, column {}", e.line(), e.column()),
                path: path.clone(),
            })?;
        if file.version > FILE_FORMAT_VERSION {
            return Err(SecretError::Damaged {
                problem: format!(
                    "it was written by a newer Offboard (format {}, this one reads {FILE_FORMAT_VERSION})",
                    file.version
                ),
                path: path.clone(),
            });
        }
        Ok(file.secrets)
    }

    /// Replace the file atomically: a new file created with mode 0600 (never
    /// readable by others, not even for a moment), written, synced, then
    /// renamed over the old one.
    fn file_write(&self, secrets: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let path = &self.file;
        let dir = path.parent().unwrap_or(Path::new("."));
        create_private_dir(dir).map_err(|source| SecretError::Io {
            action: "create the data folder",
            path: dir.to_path_buf(),
            source,
        })?;
        let body = SecretsFile {
            version: FILE_FORMAT_VERSION,
            secrets: secrets.clone(),
        };
        let json = serde_json::to_vec_pretty(&body).map_err(|e| SecretError::Io {
            action: "encode the secrets",
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        let temp = dir.join(format!(
            ".{SECRETS_FILE}.{}-{:016x}.tmp",
            std::process::id(),
            rand::random::<u64>()
        ));
        let written = write_private(&temp, &json).and_then(|()| fs::rename(&temp, path));
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(SecretError::Io {
                action: "write the secrets file",
                path: path.clone(),
                source,
            });
        }
        crate::store::sync_dir(dir);
        Ok(())
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SecretsFile {
    version: u64,
    secrets: BTreeMap<String, String>,
}

/// Whether the platform keyring answers: the store initialises (on Linux,
/// a Secret Service is reachable on the session bus) and a lookup of an
/// entry that does not exist comes back as "no entry".
fn keyring_available() -> bool {
    if let Err(e) = keyring::Entry::store_status() {
        log::info!("no system keyring: {e}");
        return false;
    }
    match keyring::Entry::new(KEYRING_SERVICE, "availability-probe").map(|e| e.get_password()) {
        Ok(Ok(_)) | Ok(Err(keyring::Error::NoEntry)) => true,
        Ok(Err(e)) | Err(e) => {
            log::info!("the system keyring does not answer: {e}");
            false
        }
    }
}

fn entry(key: &str, action: &'static str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(KEYRING_SERVICE, key).map_err(|e| keyring_error(action, key, &e))
}

/// Keyring errors, described without their payload (some variants carry the
/// secret's bytes).
fn keyring_error(action: &'static str, key: &str, error: &keyring::Error) -> SecretError {
    use keyring::Error as E;
    let problem = match error {
        E::BadEncoding(_) | E::BadDataFormat(..) => "the stored value is not text".to_owned(),
        E::NoEntry => "there is no such entry".to_owned(),
        E::TooLong(what, limit) => {
            format!("the {what} is longer than the keyring allows ({limit})")
        }
        E::PlatformFailure(e) => format!("keyring failure: {e}"),
        E::NoStorageAccess(e) => format!("the keyring is locked or refused access: {e}"),
        E::NoDefaultStore => "no keyring service is available".to_owned(),
        other => other.to_string(),
    };
    SecretError::Keyring {
        action,
        key: key.to_owned(),
        problem,
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // The file lives in the user's own profile folder, whose ACL already
    // keeps other users out.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// An empty file that only carries the lock; private like the folder.
fn open_lock_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// The lock around a change of the secrets file.
const SECRETS_LOCK: &str = "secrets";

/// How long [`SecretStore::hold`] waits: longer than a token refresh with
/// its timeouts takes.
pub const PROCESS_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(90);

/// A lock shared with other Offboard processes, released when dropped
/// (`None` when it could not be taken).
#[derive(Debug)]
#[must_use = "the lock is released when this is dropped"]
pub struct ProcessLock {
    _file: Option<fs::File>,
}

/// How old a temp file of the secrets file must be before it counts as
/// left by a crash: a live write takes milliseconds, so another Offboard's
/// write under way is never touched.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Temp files a killed write left beside the secrets file (they may hold
/// tokens, so they must not linger).
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{SECRETS_FILE}.");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(&prefix) || !name.ends_with(".tmp") {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A file someone loosened (a copy, a restore from backup) is put back to
/// 0600 before its secrets are used.
fn tighten_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            log::warn!(
                "the secrets file was readable by others; it is now readable only by you: {}",
                path.display()
            );
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn secret_debug_is_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn file_store_round_trip() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = SecretStore::file_only(dir.path().join("data"));
        assert_eq!(store.load("a")?, None);
        store.save("a", "one")?;
        store.save("b", "two")?;
        store.save("a", "three")?;
        assert_eq!(store.load("a")?, Some(Secret::new("three")));
        assert_eq!(store.load("b")?, Some(Secret::new("two")));
        store.delete("a")?;
        store.delete("a")?;
        assert_eq!(store.load("a")?, None);
        assert_eq!(store.load("b")?, Some(Secret::new("two")));
        // A clone sees the same file.
        assert_eq!(store.clone().load("b")?, Some(Secret::new("two")));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn file_is_private_and_no_temp_files_stay() -> TestResult {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("new-data");
        let store = SecretStore::file_only(data.clone());
        store.save("k", "v")?;
        store.save("k2", "v2")?;
        let path = data.join(SECRETS_FILE);
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(&data)?.permissions().mode() & 0o777, 0o700);
        let mut names: Vec<_> = fs::read_dir(&data)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        // The secrets and the empty file other Offboards lock to change them.
        let lock = format!("{SECRETS_LOCK}.lock");
        assert_eq!(
            names,
            vec![std::ffi::OsString::from(SECRETS_FILE), lock.into()]
        );
        assert_eq!(
            fs::metadata(data.join(format!("{SECRETS_LOCK}.lock")))?.len(),
            0
        );
        assert_eq!(store.backend(), SecretBackend::File { path: path.clone() });
        let warning = store.backend().warning().unwrap_or_default();
        assert!(warning.contains("only you can read"), "{warning}");
        assert!(warning.ends_with(&path.display().to_string()), "{warning}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn loosened_file_is_tightened_on_read() -> TestResult {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let store = SecretStore::file_only(dir.path().to_path_buf());
        store.save("k", "v")?;
        let path = dir.path().join(SECRETS_FILE);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644))?;
        assert_eq!(store.load("k")?, Some(Secret::new("v")));
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        Ok(())
    }

    #[test]
    fn new_uses_the_keyring_or_the_file_in_the_given_folder() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = SecretStore::new(dir.path().to_path_buf());
        match store.backend() {
            SecretBackend::Keyring => assert_eq!(store.backend().warning(), None),
            SecretBackend::File { path } => {
                assert_eq!(path, dir.path().join(SECRETS_FILE));
                assert!(store.backend().warning().is_some());
            }
        }
        Ok(())
    }

    #[test]
    fn damaged_file_names_the_file_without_quoting_it() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = SecretStore::file_only(dir.path().to_path_buf());
        fs::write(dir.path().join(SECRETS_FILE), "{\"secrets\": \"topsecret")?;
        let err = store
            .load("k")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(SECRETS_FILE), "{err}");
        assert!(!err.contains("topsecret"), "{err}");
        Ok(())
    }

    #[test]
    fn temp_files_a_crash_left_are_removed_once_stale() -> TestResult {
        let dir = tempfile::tempdir()?;
        let stale = dir.path().join(format!(".{SECRETS_FILE}.4242-00ff.tmp"));
        let fresh = dir.path().join(format!(".{SECRETS_FILE}.4343-00ee.tmp"));
        fs::write(&stale, b"{\"secrets\": {\"token\": \"t\"}}")?;
        fs::write(&fresh, b"a write under way")?;
        let long_ago = std::time::SystemTime::now() - STALE_TEMP_AGE * 2;
        fs::File::options()
            .write(true)
            .open(&stale)?
            .set_modified(long_ago)?;
        let _ = SecretStore::file_only(dir.path().to_path_buf());
        assert!(!stale.exists(), "a stale temp file with tokens stays");
        assert!(fresh.exists(), "a write under way was removed");
        Ok(())
    }
}
