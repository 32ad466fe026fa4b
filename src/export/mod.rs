//! The export: a platform account turned into a folder the user keeps after
//! the account is gone — JSON and CSV per section, readable message
//! transcripts, one offline index.html, and a manifest with the SHA-256 of
//! every file so `verify` can prove nothing was lost or changed.
//!
//! Records stream from the platform straight into the files, so memory does
//! not grow with the account. Every file is written under a temporary name
//! and renamed when complete; the manifest is rewritten after each finished
//! section, so an interrupted export resumes where it stopped.

mod closing_files;
pub mod csv_cells;
mod files;
mod html;
mod manifest;
pub mod names;
mod page_rows;
mod sections;
mod short_text;
mod tally;
mod transcript;
mod verify;

pub use closing_files::{CLOSING_FILES, RECEIPT_JSON, RECEIPT_TEXT, write_closing_file};
pub use files::DiskBudget;
pub use manifest::{
    ExportTotals, FileEntry, MANIFEST_NAME, Manifest, ManifestAccount, SectionEntry, YearTotals,
};
pub(crate) use verify::safe_relative_path;
pub use verify::{VerifyProblem, VerifyReport, verify};

use crate::model::account::{PlatformId, Profile};
use crate::model::wizard::ExportRecord;
use crate::platform::{Platform, PlatformError};
use chrono::{DateTime, Utc};
use files::{AtomicFile, WriteMode, commit_all, hash_file, is_partial_name};
use manifest::ManifestProblem;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Where an export stands, reported often enough for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportProgress {
    /// The section being written, e.g. `transactions`.
    pub section: String,
    pub sections_done: usize,
    pub sections_total: usize,
    /// Platform records written so far (including sections finished by an
    /// earlier, interrupted run).
    pub records: u64,
    /// Bytes written so far.
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the export was cancelled; export again into the same folder to resume where it stopped"
    )]
    Cancelled,
    #[error("could not {action} ({source}); {}: {}", io_advice(.source), .path.display())]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "the platform failed while exporting {section} ({source}); the export so far is kept, export again later to resume"
    )]
    Platform {
        section: String,
        #[source]
        source: PlatformError,
    },
    #[error("this folder is not empty and was not created by Offboard, so Offboard will not write into it; choose an empty folder or the folder that should contain the export: {}", .0.display())]
    NotOurs(PathBuf),
    #[error("this folder holds the export of another account ({found}); choose another folder: {}", .path.display())]
    OtherAccount { found: String, path: PathBuf },
    #[error("the export folder holds a symbolic link, which Offboard never follows inside an export (it could lead to files outside the folder, and resuming removes unfinished files); remove the link, or export into another folder: {}", .0.display())]
    Symlink(PathBuf),
    #[error("this export is already complete; to export again, choose the folder that contains it: {}", .0.display())]
    AlreadyComplete(PathBuf),
    #[error("the export's manifest cannot be used ({reason}); export again into another folder: {}", .path.display())]
    BadManifest { reason: String, path: PathBuf },
    #[error(
        "\"{0}\" cannot be a file name in an export; use a plain name such as closing-receipt.json"
    )]
    InvalidName(String),
    #[error("{name} already belongs to the {section} section of this export; choose another name: {}", .path.display())]
    NameTaken {
        name: String,
        section: String,
        path: PathBuf,
    },
    #[error("a file of this export changed while the export was running ({reason}); export again into another folder: {}", .path.display())]
    Unreadable { reason: String, path: PathBuf },
    #[error(
        "the amounts in {section} add up to more than Offboard can count (at record {record}); the platform's data is wrong there: check that record on the platform, then export again"
    )]
    TooLarge { section: String, record: String },
    #[error("index.html could not be built ({0}); this is a bug in Offboard, please report it")]
    Template(String),
}

/// What to do about an IO failure, by its kind.
fn io_advice(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "free some disk space, then export again into the same folder to resume"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "choose a folder you can write to"
        }
        io::ErrorKind::NotFound => {
            "the folder may have been moved, removed or unplugged; check it and export again"
        }
        _ => "check the folder and the disk, then export again to resume",
    }
}

/// Builds an `ExportError::Io` naming what was done and where.
/// Nothing is allocated unless the error happens: it is used per record.
pub(crate) fn io_error<'p, A: Into<String>>(
    action: A,
    path: &'p Path,
) -> impl FnOnce(io::Error) -> ExportError + use<'p, A> {
    move |source| ExportError::Io {
        action: action.into(),
        path: path.to_path_buf(),
        source,
    }
}

/// Options beyond the defaults: the app's clock, and a test hook for
/// failures that are hard to cause for real.
#[derive(Clone, Default)]
pub struct ExportOptions {
    /// Simulates a disk that is full after this many more bytes.
    pub disk_budget: Option<u64>,
    /// Tells the time at the end, for the manifest's `finished`; without
    /// it, `now` plus the time the export took. The app passes its clock so
    /// a fixed clock gives byte-identical exports.
    pub clock: Option<std::sync::Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>>,
}

/// Exports `account` into a new subfolder
/// `offboard-<platform>-<account>-<YYYYMMDD-HHMMSS>` of `parent` and returns
/// what was written.
///
/// Resuming: if `parent` is itself an unfinished export of this account, or
/// holds one (the latest is taken, see [`latest_unfinished`]), that export is
/// resumed: finished sections are re-hashed and kept, the rest is written
/// again. Cancelling through `cancel` returns [`ExportError::Cancelled`] and
/// leaves the folder resumable.
pub fn export_account(
    platform: &dyn Platform,
    account: &str,
    parent: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ExportProgress),
    cancel: &AtomicBool,
) -> Result<ExportRecord, ExportError> {
    export_account_with(
        platform,
        account,
        parent,
        now,
        progress,
        cancel,
        &ExportOptions::default(),
    )
}

/// [`export_account`] with test hooks.
#[doc(hidden)]
pub fn export_account_with(
    platform: &dyn Platform,
    account: &str,
    parent: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ExportProgress),
    cancel: &AtomicBool,
    options: &ExportOptions,
) -> Result<ExportRecord, ExportError> {
    let clock = Instant::now();
    if cancel.load(Ordering::Relaxed) {
        return Err(ExportError::Cancelled);
    }
    let profile = platform
        .profile(account)
        .map_err(|source| ExportError::Platform {
            section: "profile".to_string(),
            source,
        })?;
    let budget = options
        .disk_budget
        .map_or_else(DiskBudget::unlimited, DiskBudget::limited);
    let (dir, manifest) = choose_folder(&platform.id(), account, &profile, parent, now, &budget)?;
    let mut run = ExportRun {
        platform,
        account,
        profile,
        dir,
        manifest,
        budget,
        progress,
        cancel,
        section: Pass::Profile.section(),
        passes_done: 0,
        records: 0,
        bytes_done: 0,
        until_report: REPORT_EVERY,
        page: None,
    };
    run.prepare_resume()?;
    if !run.is_finished(Pass::Index) {
        run.page = Some(html::start_page(&run)?);
    }
    for pass in Pass::ALL {
        if run.is_finished(pass) {
            if run.page.is_some() {
                // Finished by an earlier run: its rows come from its files.
                run.section = Pass::Index.section();
                sections::replay_rows(&mut run, pass)?;
            }
            run.passes_done += 1;
            continue;
        }
        run.check_cancel()?;
        run.section = pass.section();
        run.report(0);
        sections::run_pass(&mut run, pass)?;
        run.passes_done += 1;
        run.write_manifest()?;
    }
    run.make_durable()?;
    let finished_at = match &options.clock {
        Some(tell) => tell().max(now),
        None => now + chrono::Duration::from_std(clock.elapsed()).unwrap_or_default(),
    };
    run.manifest.finished = Some(finished_at);
    run.manifest.complete = true;
    let manifest_file = run.write_manifest()?;
    run.report(0);
    Ok(ExportRecord {
        folder: run.dir.clone(),
        manifest_sha256: hex::encode(manifest_file.sha256),
        files: run.manifest.files.len(),
        records: platform_records(&run.manifest),
        bytes: run.manifest.total_bytes(),
        finished_at,
    })
}

/// Records that came from the platform, per the manifest's sections (a
/// derived file such as time-reports.csv adds none).
fn platform_records(manifest: &Manifest) -> u64 {
    manifest
        .sections
        .iter()
        .filter(|s| {
            Pass::ALL
                .iter()
                .any(|p| p.section() == s.name && p.counts_records())
        })
        .map(|s| s.records)
        // A manifest read back from disk can say anything: never overflow.
        .fold(0u64, u64::saturating_add)
}

/// The folder name for a new export.
fn folder_name(platform: &PlatformId, account: &str, now: DateTime<Utc>) -> String {
    format!(
        "{}{}",
        folder_prefix(platform, account),
        now.format("%Y%m%d-%H%M%S")
    )
}

fn folder_prefix(platform: &PlatformId, account: &str) -> String {
    format!(
        "offboard-{}-{}-",
        platform.slug(),
        names::sanitize_stem(account, "account")
    )
}

fn manifest_account(account: &str, profile: &Profile) -> ManifestAccount {
    ManifestAccount {
        id: account.to_string(),
        name: profile.account.display_name.clone(),
        username: profile.account.username.clone(),
        kind: profile.account.kind.label().to_string(),
    }
}

/// Picks the folder to write: `parent` itself when it is an unfinished
/// export of this account, else the latest unfinished export inside it,
/// else a new subfolder (with its first manifest written, which marks it as
/// Offboard's).
fn choose_folder(
    platform: &PlatformId,
    account: &str,
    profile: &Profile,
    parent: &Path,
    now: DateTime<Utc>,
    budget: &DiskBudget,
) -> Result<(PathBuf, Manifest), ExportError> {
    match Manifest::read(parent) {
        Ok(manifest) => {
            check_same_account(&manifest, platform, account, parent)?;
            if manifest.complete {
                return Err(ExportError::AlreadyComplete(parent.to_path_buf()));
            }
            return Ok((parent.to_path_buf(), manifest));
        }
        Err(ManifestProblem::Damaged(reason)) => {
            return Err(ExportError::BadManifest {
                reason,
                path: Manifest::path_in(parent),
            });
        }
        // A plain folder (or someone else's manifest.json): a parent.
        Err(ManifestProblem::Missing | ManifestProblem::NotOurs) => {}
        Err(ManifestProblem::Io(source)) => {
            return Err(ExportError::Io {
                action: "read the folder".to_string(),
                path: Manifest::path_in(parent),
                source,
            });
        }
    }
    std::fs::create_dir_all(parent).map_err(io_error("create the folder", parent))?;
    remove_abandoned_folders(parent, &folder_prefix(platform, account));
    if let Some(dir) = latest_unfinished(parent, platform, account) {
        let manifest = Manifest::read(&dir).map_err(|_| ExportError::NotOurs(dir.clone()))?;
        return Ok((dir, manifest));
    }
    let base = folder_name(platform, account, now);
    for attempt in 1u32.. {
        let name = if attempt == 1 {
            base.clone()
        } else {
            format!("{base}-{attempt}")
        };
        let dir = parent.join(&name);
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                let manifest =
                    Manifest::new(platform.slug(), manifest_account(account, profile), now);
                if let Err(error) = manifest.write(&dir, budget) {
                    // Without a manifest the folder is nobody's: leave nothing.
                    let _ = std::fs::remove_dir(&dir);
                    return Err(io_error("write the manifest", &Manifest::path_in(&dir))(
                        error,
                    ));
                }
                files::sync_dir(parent).map_err(io_error("create the export folder", &dir))?;
                return Ok((dir, manifest));
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 1000 => {
                continue;
            }
            Err(error) => return Err(io_error("create the export folder", &dir)(error)),
        }
    }
    Err(ExportError::NotOurs(parent.join(base)))
}

fn check_same_account(
    manifest: &Manifest,
    platform: &PlatformId,
    account: &str,
    dir: &Path,
) -> Result<(), ExportError> {
    if manifest.platform != platform.slug() || manifest.account.id != account {
        return Err(ExportError::OtherAccount {
            found: format!("{} on {}", manifest.account.id, manifest.platform),
            path: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// Folders an export created and was killed in before its first manifest
/// reached the disk: nothing in them is the user's, so they go (only our
/// own temp files are removed, and a folder only while it is then empty).
fn remove_abandoned_folders(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(prefix);
        // file_type does not follow links: a link named like ours is left be.
        if !ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        if dir.join(MANIFEST_NAME).exists() {
            continue;
        }
        if let Ok(inside) = std::fs::read_dir(&dir) {
            for file in inside.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if is_partial_name(&name) && file.file_type().is_ok_and(|t| t.is_file()) {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
        // Fails, harmlessly, when anything else is inside.
        let _ = std::fs::remove_dir(&dir);
    }
}

/// The most recently started unfinished export of this account directly
/// inside `parent`, to resume it.
pub fn latest_unfinished(parent: &Path, platform: &PlatformId, account: &str) -> Option<PathBuf> {
    let prefix = folder_prefix(platform, account);
    let entries = std::fs::read_dir(parent).ok()?;
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| {
            let dir = entry.path();
            let manifest = Manifest::read(&dir).ok()?;
            let ours = manifest.platform == platform.slug() && manifest.account.id == account;
            (ours && !manifest.complete).then_some((manifest.started, dir))
        })
        .max()
        .map(|(_, dir)| dir)
}

/// One unit of resumable work; most write one section, the transactions
/// pass also writes time-reports.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pass {
    Profile,
    Contracts,
    Proposals,
    Offers,
    JobPosts,
    Team,
    Feedback,
    Transactions,
    Disputes,
    Messages,
    Index,
}

impl Pass {
    pub(crate) const ALL: [Pass; 11] = [
        Pass::Profile,
        Pass::Contracts,
        Pass::Proposals,
        Pass::Offers,
        Pass::JobPosts,
        Pass::Team,
        Pass::Feedback,
        Pass::Transactions,
        Pass::Disputes,
        Pass::Messages,
        Pass::Index,
    ];

    /// The section name in the manifest and in progress reports.
    pub(crate) fn section(self) -> &'static str {
        match self {
            Pass::Profile => "profile",
            Pass::Contracts => "contracts",
            Pass::Proposals => "proposals",
            Pass::Offers => "offers",
            Pass::JobPosts => "job-posts",
            Pass::Team => "team",
            Pass::Feedback => "feedback",
            Pass::Transactions => "transactions",
            Pass::Disputes => "disputes",
            Pass::Messages => "messages",
            Pass::Index => "index",
        }
    }

    /// Every section this pass finishes.
    pub(crate) fn sections(self) -> &'static [&'static str] {
        match self {
            Pass::Transactions => &["transactions", "time-reports"],
            Pass::Profile => &["profile"],
            Pass::Contracts => &["contracts"],
            Pass::Proposals => &["proposals"],
            Pass::Offers => &["offers"],
            Pass::JobPosts => &["job-posts"],
            Pass::Team => &["team"],
            Pass::Feedback => &["feedback"],
            Pass::Disputes => &["disputes"],
            Pass::Messages => &["messages"],
            Pass::Index => &["index"],
        }
    }

    fn counts_records(self) -> bool {
        self != Pass::Index
    }
}

/// Report progress every this many records.
const REPORT_EVERY: u32 = 4096;

/// The state of one export run.
pub(crate) struct ExportRun<'a> {
    pub(crate) platform: &'a dyn Platform,
    pub(crate) account: &'a str,
    pub(crate) profile: Profile,
    pub(crate) dir: PathBuf,
    pub(crate) manifest: Manifest,
    pub(crate) budget: DiskBudget,
    progress: &'a mut dyn FnMut(&ExportProgress),
    cancel: &'a AtomicBool,
    section: &'static str,
    passes_done: usize,
    /// Records written by the pass being run.
    records: u64,
    /// Bytes of finished files, this run's and earlier runs' (only grows).
    bytes_done: u64,
    until_report: u32,
    /// index.html while it is written, passed from section to section
    /// (see `html`); `None` once an earlier run finished it.
    pub(crate) page: Option<AtomicFile>,
}

impl ExportRun<'_> {
    fn is_finished(&self, pass: Pass) -> bool {
        pass.sections()
            .iter()
            .all(|section| self.manifest.is_section_finished(section))
    }

    pub(crate) fn check_cancel(&self) -> Result<(), ExportError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(ExportError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Called once per record: checks Cancel and reports progress now and
    /// then. `open_bytes` are the bytes of files still being written.
    pub(crate) fn record_done(&mut self, open_bytes: u64) -> Result<(), ExportError> {
        self.records_done(1, open_bytes)
    }

    /// Like `record_done` for `count` records at once (a message room).
    pub(crate) fn records_done(&mut self, count: u64, open_bytes: u64) -> Result<(), ExportError> {
        self.records += count;
        self.work_done(count.max(1), open_bytes)
    }

    /// Checks Cancel and reports progress after about `REPORT_EVERY`
    /// units of work (a record, or a block of copied bytes).
    pub(crate) fn work_done(&mut self, units: u64, open_bytes: u64) -> Result<(), ExportError> {
        self.check_cancel()?;
        let units = u32::try_from(units).unwrap_or(u32::MAX);
        if units >= self.until_report {
            self.until_report = REPORT_EVERY;
            self.report(open_bytes);
        } else {
            self.until_report -= units;
        }
        Ok(())
    }

    pub(crate) fn report(&mut self, open_bytes: u64) {
        let earlier_records: u64 = platform_records(&self.manifest);
        let progress = ExportProgress {
            section: self.section.to_string(),
            sections_done: self.passes_done,
            sections_total: Pass::ALL.len(),
            records: earlier_records.saturating_add(self.records),
            bytes: self.bytes_done.saturating_add(open_bytes),
        };
        (self.progress)(&progress);
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    pub(crate) fn create(
        &self,
        relative: &str,
        mode: WriteMode,
    ) -> Result<AtomicFile, ExportError> {
        let path = self.path(relative);
        AtomicFile::create(&path, mode, &self.budget)
            .map_err(io_error(format!("create {relative}"), &path))
    }

    /// Commits finished files together and lists them in the manifest.
    pub(crate) fn commit(
        &mut self,
        finished: Vec<(AtomicFile, &str, &str, u64)>,
    ) -> Result<(), ExportError> {
        let mut labels = Vec::with_capacity(finished.len());
        let mut files = Vec::with_capacity(finished.len());
        for (file, relative, section, records) in finished {
            labels.push((relative.to_string(), section.to_string(), records));
            files.push(file);
        }
        for ((path, result), (relative, section, records)) in
            commit_all(files).into_iter().zip(labels)
        {
            let written = result.map_err(io_error(format!("finish {relative}"), &path))?;
            self.bytes_done = self.bytes_done.saturating_add(written.bytes);
            self.manifest
                .put_file(FileEntry::new(relative, written, &section, records));
        }
        Ok(())
    }

    /// Forces every file the manifest lists to the disk (see
    /// `files::make_durable`).
    fn make_durable(&self) -> Result<(), ExportError> {
        files::make_durable(
            &self.dir,
            self.manifest.files.iter().map(|f| f.path.as_str()),
            &[sections::MESSAGES_DIR],
        )
        .map_err(|(path, source)| io_error("save the export to the disk", &path)(source))
    }

    /// Marks sections finished (the manifest is written after the pass).
    pub(crate) fn finish_section(&mut self, section: &str, records: u64) {
        self.manifest.finish_section(section, records);
    }

    /// Closes a pass: its records now count through the manifest.
    pub(crate) fn pass_closed(&mut self) {
        self.records = 0;
        self.until_report = REPORT_EVERY;
    }

    fn write_manifest(&mut self) -> Result<files::WrittenFile, ExportError> {
        let path = Manifest::path_in(&self.dir);
        self.manifest
            .write(&self.dir, &self.budget)
            .map_err(io_error("write the manifest", &path))
    }

    /// On a resumed export: removes temporary files, re-hashes the files of
    /// finished sections, and forgets any section whose files do not match
    /// (and every later one, since later passes read earlier files).
    fn prepare_resume(&mut self) -> Result<(), ExportError> {
        refuse_links(&self.dir)?;
        remove_partials(&self.dir)?;
        remove_partials(&self.dir.join(sections::MESSAGES_DIR))?;
        // An export begun by an earlier version kept index.html's rows in
        // parts of their own: they are not needed any more.
        remove_legacy_parts(&self.dir)?;
        let legacy_parts = format!("{}/", LEGACY_PARTS_DIR);
        self.manifest
            .files
            .retain(|f| !f.path.starts_with(&legacy_parts));
        let damaged = Pass::ALL
            .iter()
            .position(|&pass| self.is_finished(pass) && !self.pass_files_intact(pass));
        if let Some(first_damaged) = damaged {
            // Later passes read earlier files: they run again too.
            for pass in &Pass::ALL[first_damaged..] {
                for section in pass.sections() {
                    self.manifest.forget_section(section);
                }
            }
        }
        // Files of sections that never finished are written again.
        let finished: Vec<&'static str> = Pass::ALL
            .iter()
            .filter(|&&pass| self.is_finished(pass))
            .flat_map(|pass| pass.sections().iter().copied())
            .collect();
        let known: Vec<&'static str> = Pass::ALL
            .iter()
            .flat_map(|p| p.sections().iter().copied())
            .collect();
        self.manifest.files.retain(|f| {
            !known.contains(&f.section.as_str()) || finished.contains(&f.section.as_str())
        });
        self.bytes_done = self.manifest.total_bytes();
        if self.manifest.files.is_empty() && self.manifest.sections.is_empty() {
            return Ok(());
        }
        self.write_manifest().map(|_| ())
    }

    fn pass_files_intact(&self, pass: Pass) -> bool {
        self.manifest
            .files
            .iter()
            .filter(|f| pass.sections().contains(&f.section.as_str()))
            .all(|entry| {
                let Some(path) = verify::safe_relative_path(&self.dir, &entry.path) else {
                    return false;
                };
                hash_file(&path).is_ok_and(|written| {
                    written.bytes == entry.bytes && hex::encode(written.sha256) == entry.sha256
                })
            })
    }
}

/// Where exports begun by earlier versions (before index.html was written
/// in one pass) kept each section's rows; removed when one is resumed.
const LEGACY_PARTS_DIR: &str = "index-parts";

/// Refuses an export folder holding a symbolic link where the export
/// writes: removing unfinished files and re-hashing finished ones would
/// follow it out of the folder. Offboard never creates links, so one there
/// was put by someone else.
fn refuse_links(dir: &Path) -> Result<(), ExportError> {
    for folder in [
        dir.to_path_buf(),
        dir.join(sections::MESSAGES_DIR),
        dir.join(LEGACY_PARTS_DIR),
    ] {
        // The folder itself was checked as an entry of `dir` first.
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(io_error("read the folder", &folder)(error)),
        };
        for entry in entries {
            let entry = entry.map_err(io_error("read the folder", &folder))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(io_error("read the folder", &path))?;
            if kind.is_symlink() {
                return Err(ExportError::Symlink(path));
            }
        }
    }
    Ok(())
}

/// `Err(Symlink)` when `path` itself is a symbolic link.
pub(crate) fn refuse_link(path: &Path) -> Result<(), ExportError> {
    if verify::is_symlink(path) {
        return Err(ExportError::Symlink(path.to_path_buf()));
    }
    Ok(())
}

/// Removes the folder where earlier versions kept index.html's rows.
fn remove_legacy_parts(dir: &Path) -> Result<(), ExportError> {
    let folder = dir.join(LEGACY_PARTS_DIR);
    refuse_link(&folder)?;
    match std::fs::remove_dir_all(&folder) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error("remove the parts of index.html", &folder)(error)),
    }
}

/// Removes Offboard's temporary files left by an interrupted run.
fn remove_partials(dir: &Path) -> Result<(), ExportError> {
    refuse_link(dir)?;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io_error("read the folder", dir)(error)),
    };
    for entry in entries.flatten() {
        if is_partial_name(&entry.file_name().to_string_lossy()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io_error("remove an unfinished file", &path))?;
        }
    }
    Ok(())
}
