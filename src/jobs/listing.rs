//! Lists a folder for the in-app file browser, on a worker thread: a folder
//! on a slow disk or a dead network mount must not freeze the window.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::Waker;

/// More entries than anyone scrolls through; a folder with more is cut
/// short, and the listing says so.
pub const MAX_ENTRIES: usize = 5_000;

/// One folder or file in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name as the file system has it, to build the path from.
    pub name: OsString,
    /// The name as shown (lossy where it is not UTF-8).
    pub label: String,
}

/// What a folder holds, as the browser shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderListing {
    /// The folder listed: the one asked for, or its nearest existing parent.
    pub dir: PathBuf,
    /// Set when `dir` is not the folder asked for, saying why.
    pub note: Option<String>,
    pub folders: Vec<Entry>,
    /// Files with one of the wanted extensions (none when none are wanted).
    pub files: Vec<Entry>,
    /// Whether the folder held more than `MAX_ENTRIES` and was cut short.
    pub truncated: bool,
}

/// Lists `path`, or its nearest existing parent when `path` does not exist
/// yet (a typed export folder often does not). Hidden entries are left out;
/// files are listed only when their extension is in `extensions`
/// (compared without case).
pub fn list_folder(path: &Path, extensions: &[&str]) -> Result<FolderListing, String> {
    let mut dir = path.to_path_buf();
    let mut note = None;
    while !dir.is_dir() {
        match dir.parent() {
            Some(parent) if parent != dir => {
                note = Some(format!(
                    "{} does not exist yet; showing the nearest folder that does.",
                    path.display()
                ));
                dir = parent.to_path_buf();
            }
            _ => return Err(format!("No folder to show at {}", path.display())),
        }
    }
    let reader = std::fs::read_dir(&dir)
        .map_err(|e| format!("Could not open the folder ({e}): {}", dir.display()))?;
    let mut listing = FolderListing {
        dir,
        note,
        ..FolderListing::default()
    };
    for entry in reader.filter_map(Result::ok) {
        if listing.folders.len() + listing.files.len() >= MAX_ENTRIES {
            listing.truncated = true;
            break;
        }
        let name = entry.file_name();
        let label = name.to_string_lossy().into_owned();
        if label.starts_with('.') {
            continue;
        }
        // A link counts as what it points to.
        let is_dir = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => entry.path().is_dir(),
            Ok(kind) => kind.is_dir(),
            Err(_) => continue,
        };
        if is_dir {
            listing.folders.push(Entry { name, label });
        } else if Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| extensions.iter().any(|w| w.eq_ignore_ascii_case(ext)))
        {
            listing.files.push(Entry { name, label });
        }
    }
    let by_label = |a: &Entry, b: &Entry| a.label.to_lowercase().cmp(&b.label.to_lowercase());
    listing.folders.sort_by(by_label);
    listing.files.sort_by(by_label);
    Ok(listing)
}

/// A listing asked for, with the number that ties the answer to it.
pub type ListingReply = (u64, Result<FolderListing, String>);

/// Lists `path` on a named thread; the answer goes to `reply` with `ticket`,
/// then `waker` wakes the window.
pub fn list_in_background(
    ticket: u64,
    path: PathBuf,
    extensions: &'static [&'static str],
    reply: Sender<ListingReply>,
    waker: Waker,
) {
    let failed = reply.clone();
    let spawned = std::thread::Builder::new()
        .name("offboard-list-folder".into())
        .spawn(move || {
            let _ = reply.send((ticket, list_folder(&path, extensions)));
            waker();
        });
    if let Err(e) = spawned {
        let _ = failed.send((ticket, Err(format!("Could not list the folder: {e}"))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn lists_folders_and_wanted_files_sorted_without_hidden_ones() -> TestResult {
        let root = tempfile::tempdir()?;
        for folder in ["beta", "Alpha", ".hidden"] {
            std::fs::create_dir(root.path().join(folder))?;
        }
        for file in ["b.CSV", "a.csv", "notes.txt", ".secret.csv"] {
            std::fs::write(root.path().join(file), "x")?;
        }
        let listing = list_folder(root.path(), &["csv"])?;
        let labels =
            |entries: &[Entry]| entries.iter().map(|e| e.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&listing.folders), ["Alpha", "beta"]);
        assert_eq!(labels(&listing.files), ["a.csv", "b.CSV"]);
        assert_eq!(listing.note, None);
        assert!(!listing.truncated);
        let folders_only = list_folder(root.path(), &[])?;
        assert!(folders_only.files.is_empty());
        Ok(())
    }

    #[test]
    fn a_folder_not_made_yet_shows_its_nearest_parent() -> TestResult {
        let root = tempfile::tempdir()?;
        let wanted = root.path().join("Offboard export").join("deeper");
        let listing = list_folder(&wanted, &[])?;
        assert_eq!(listing.dir, root.path());
        assert!(
            listing
                .note
                .is_some_and(|n| n.contains("does not exist yet"))
        );
        Ok(())
    }

    #[test]
    fn a_file_in_place_of_a_folder_shows_its_parent() -> TestResult {
        let root = tempfile::tempdir()?;
        std::fs::write(root.path().join("plain"), "x")?;
        let listing = list_folder(&root.path().join("plain"), &[])?;
        assert_eq!(listing.dir, root.path());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_an_error_not_a_panic() -> TestResult {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir()?;
        let locked = root.path().join("locked");
        std::fs::create_dir(&locked)?;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000))?;
        // Root reads anything; the check only means something for others.
        let privileged = std::fs::read_dir(&locked).is_ok();
        let result = list_folder(&locked, &[]);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755))?;
        if privileged {
            return Ok(());
        }
        let message = result.err().ok_or("listed a folder it cannot read")?;
        assert!(message.contains("Could not open the folder"), "{message}");
        Ok(())
    }

    #[test]
    fn the_background_listing_answers_with_its_ticket_and_wakes() -> TestResult {
        let root = tempfile::tempdir()?;
        std::fs::create_dir(root.path().join("inside"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        let woken = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = woken.clone();
        list_in_background(
            7,
            root.path().to_path_buf(),
            &[],
            tx,
            std::sync::Arc::new(move || flag.store(true, std::sync::atomic::Ordering::SeqCst)),
        );
        let (ticket, listing) = rx.recv_timeout(std::time::Duration::from_secs(10))?;
        assert_eq!(ticket, 7);
        assert_eq!(listing?.folders.len(), 1);
        // The waker runs after the send; give it a moment.
        for _ in 0..100 {
            if woken.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        Err("the window was not woken".into())
    }
}
