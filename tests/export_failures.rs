//! Failures: an unwritable folder, a full disk, a folder removed mid-way, a
//! platform failing part-way. Each gives an error that names the path (or
//! the section), nothing is reported done that is not, and the export
//! resumes once the cause is gone.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{
    ExportError, ExportOptions, export_account, export_account_with, latest_unfinished, verify,
};
use offboard::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, MessageRoom, Offer, PlatformId, Profile,
    Proposal, SectionCounts, TeamMember, Transaction,
};
use offboard::model::review::PendingWork;
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use offboard::platform::{Platform, PlatformError, RecordStream};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

fn platform() -> SyntheticPlatform {
    SyntheticPlatform::new(3, SyntheticSize::small(), now())
}

const ACCOUNT: &str = SyntheticPlatform::ACCOUNT;

fn export(parent: &Path) -> Result<offboard::model::wizard::ExportRecord, ExportError> {
    export_quietly(&platform(), ACCOUNT, parent, now())
}

/// The IO error's kind and its message, which must name `path_part`.
fn expect_io_error(
    result: Result<offboard::model::wizard::ExportRecord, ExportError>,
    path_part: &str,
) -> io::ErrorKind {
    match result {
        Err(error @ ExportError::Io { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains(path_part),
                "the message does not name {path_part}: {message}"
            );
            match error {
                ExportError::Io { source, .. } => source.kind(),
                _ => unreachable!(),
            }
        }
        other => panic!("expected an IO error naming {path_part}, got {other:?}"),
    }
}

/// Whether this process ignores file permissions (root does).
fn permissions_are_ignored(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let ignored = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(probe);
    ignored
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_named() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir()?;
    let locked = parent.path().join("locked");
    std::fs::create_dir(&locked)?;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))?;
    if permissions_are_ignored(&locked) {
        eprintln!("skipped: running as root, which ignores folder permissions");
        return Ok(());
    }
    let result = export(&locked);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755))?;
    let kind = expect_io_error(result, &locked.display().to_string());
    assert_eq!(kind, io::ErrorKind::PermissionDenied);
    assert_eq!(std::fs::read_dir(&locked)?.count(), 0);
    Ok(())
}

#[test]
fn a_parent_that_is_a_file_is_named() -> TestResult {
    let parent = tempfile::tempdir()?;
    let file = parent.path().join("not-a-folder");
    std::fs::write(&file, "x")?;
    let error = export(&file).expect_err("a file is not a folder");
    assert!(
        error.to_string().contains(&file.display().to_string()),
        "{error}"
    );
    assert_eq!(std::fs::read(&file)?, b"x");
    Ok(())
}

#[test]
fn a_full_disk_stops_the_export_and_it_resumes_later() -> TestResult {
    let full_size = {
        let parent = tempfile::tempdir()?;
        export(parent.path())?.bytes
    };
    for budget in [100, 5_000, full_size / 3, full_size * 9 / 10] {
        let parent = tempfile::tempdir()?;
        let options = ExportOptions {
            disk_budget: Some(budget),
            ..Default::default()
        };
        let result = export_account_with(
            &platform(),
            ACCOUNT,
            parent.path(),
            now(),
            &mut |_| {},
            &AtomicBool::new(false),
            &options,
        );
        let message = result
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        let kind = expect_io_error(result, &parent.path().display().to_string());
        assert_eq!(kind, io::ErrorKind::StorageFull, "budget {budget}");
        assert!(message.contains("free some disk space"), "{message}");
        // Once there is room again, running the export again finishes it.
        let summary = export(parent.path())?;
        let report = verify(&summary.folder);
        assert!(report.is_ok(), "budget {budget}: {:#?}", report.problems);
        assert_eq!(
            std::fs::read_dir(parent.path())?.count(),
            1,
            "budget {budget}: one export folder"
        );
    }
    Ok(())
}

#[test]
fn a_folder_removed_midway_is_named() -> TestResult {
    let parent = tempfile::tempdir()?;
    let mut removed = None;
    let result = export_account(
        &platform(),
        ACCOUNT,
        parent.path(),
        now(),
        &mut |p| {
            if p.section == "transactions" && removed.is_none() {
                let folder = latest_unfinished(
                    parent.path(),
                    &offboard::model::account::DEFAULT_PLATFORM,
                    ACCOUNT,
                );
                if let Some(folder) = folder {
                    let _ = std::fs::remove_dir_all(&folder);
                    removed = Some(folder);
                }
            }
        },
        &AtomicBool::new(false),
    );
    let folder = removed.ok_or("the folder was not removed")?;
    let kind = expect_io_error(result, &folder.display().to_string());
    assert_eq!(kind, io::ErrorKind::NotFound);
    // Running again starts afresh.
    let summary = export(parent.path())?;
    assert!(verify(&summary.folder).is_ok());
    Ok(())
}

/// The synthetic platform, with transactions failing part-way while `failing`.
struct FlakyPlatform {
    inner: SyntheticPlatform,
    failing: AtomicBool,
}

impl Platform for FlakyPlatform {
    fn id(&self) -> PlatformId {
        self.inner.id()
    }
    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        self.inner.accounts()
    }
    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        self.inner.pending_work(account)
    }
    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        self.inner.profile(account)
    }
    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        self.inner.counts(account)
    }
    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        self.inner.contracts(account)
    }
    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.inner.proposals(account)
    }
    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.inner.offers(account)
    }
    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.inner.job_posts(account)
    }
    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.inner.team(account)
    }
    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        let stream = self.inner.transactions(account)?;
        if !self.failing.load(Ordering::SeqCst) {
            return Ok(stream);
        }
        Ok(Box::new(stream.take(100).chain(std::iter::once(Err(
            PlatformError::Refused("HTTP 429 Too Many Requests".to_string()),
        )))))
    }
    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.inner.feedback(account)
    }
    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.inner.disputes(account)
    }
    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.inner.rooms(account)
    }
}

#[test]
fn a_platform_failing_part_way_leaves_a_resumable_export() -> TestResult {
    let flaky = FlakyPlatform {
        inner: platform(),
        failing: AtomicBool::new(true),
    };
    let parent = tempfile::tempdir()?;
    let result = export_quietly(&flaky, ACCOUNT, parent.path(), now());
    match &result {
        Err(ExportError::Platform { section, .. }) => assert_eq!(section, "transactions"),
        other => panic!("expected a platform error, got {other:?}"),
    }
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("429") && message.contains("resume"),
        "{message}"
    );
    let folder = latest_unfinished(
        parent.path(),
        &offboard::model::account::DEFAULT_PLATFORM,
        ACCOUNT,
    )
    .ok_or("not resumable")?;
    assert!(
        !folder.join("transactions.json").exists(),
        "no half section under a final name"
    );
    assert!(
        !verify(&folder).is_ok(),
        "an interrupted export does not verify"
    );

    flaky.failing.store(false, Ordering::SeqCst);
    let summary = export_quietly(&flaky, ACCOUNT, parent.path(), now())?;
    assert_eq!(summary.folder, folder);
    assert!(verify(&folder).is_ok());
    Ok(())
}

#[test]
fn a_foreign_folder_with_our_name_is_left_alone() -> TestResult {
    let parent = tempfile::tempdir()?;
    let squatter = parent
        .path()
        .join("offboard-demo-synthetic-20260414-093005");
    std::fs::create_dir(&squatter)?;
    std::fs::write(squatter.join("holiday.jpg"), "not an export")?;
    std::fs::write(
        squatter.join("manifest.json"),
        "{\"name\":\"another tool\"}",
    )?;
    let summary = export(parent.path())?;
    assert_ne!(summary.folder, squatter);
    assert_eq!(
        std::fs::read_dir(&squatter)?.count(),
        2,
        "nothing written into it"
    );
    assert_eq!(
        std::fs::read(squatter.join("holiday.jpg"))?,
        b"not an export"
    );
    assert!(verify(&summary.folder).is_ok());
    Ok(())
}
