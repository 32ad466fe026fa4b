//! Export edges: amounts that add up past what Offboard counts, symbolic
//! links put into an export folder (resume and verify must never follow
//! them out of it), folders verify cannot read, and manifest paths that
//! try to leave the folder.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{DiskBudget, ExportError, Manifest, verify};
use offboard::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, Message, MessageRoom, Offer,
    PaymentStatus, PlatformId, Profile, Proposal, SectionCounts, TeamMember, Transaction,
    TransactionKind,
};
use offboard::model::money::Money;
use offboard::model::review::PendingWork;
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use offboard::platform::{Platform, PlatformError, RecordStream};
use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

fn synthetic() -> SyntheticPlatform {
    SyntheticPlatform::new(7, SyntheticSize::small(), now())
}

/// The synthetic account with its transactions or rooms replaced.
struct Custom {
    inner: SyntheticPlatform,
    transactions: Option<Vec<Transaction>>,
    rooms: Option<Vec<MessageRoom>>,
}

impl Platform for Custom {
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
        match &self.transactions {
            Some(list) => Ok(Box::new(list.iter().cloned().map(Ok))),
            None => self.inner.transactions(account),
        }
    }
    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.inner.feedback(account)
    }
    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.inner.disputes(account)
    }
    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        match &self.rooms {
            Some(list) => Ok(Box::new(list.iter().cloned().map(Ok))),
            None => self.inner.rooms(account),
        }
    }
}

fn payment(id: &str, day: u32, cents: i64, kind: TransactionKind) -> Transaction {
    Transaction {
        id: id.to_string(),
        date: Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap(),
        kind,
        description: "Payment".to_string(),
        counterparty: Some("Acme".to_string()),
        contract_id: Some("c-1".to_string()),
        amount: Money::from_cents(cents),
        balance_after: Money::ZERO,
        status: PaymentStatus::Available,
        available_on: None,
    }
}

#[test]
fn transactions_adding_up_past_what_offboard_counts_fail_the_export_clearly() -> TestResult {
    let big = 9_000_000_000_000_000_000; // $90,000,000,000,000,000.00
    for kind in [TransactionKind::Bonus, TransactionKind::Hourly] {
        let platform = Custom {
            inner: synthetic(),
            transactions: Some(vec![
                payment("t-1", 2, big, kind),
                payment("t-2", 3, big, kind),
            ]),
            rooms: None,
        };
        let parent = tempfile::tempdir()?;
        let result = export_quietly(&platform, SyntheticPlatform::ACCOUNT, parent.path(), now());
        match result {
            Err(
                ref error @ ExportError::TooLarge {
                    ref section,
                    ref record,
                },
            ) => {
                assert_eq!((section.as_str(), record.as_str()), ("transactions", "t-2"));
                let message = error.to_string();
                assert!(
                    message.contains("more than Offboard can count"),
                    "{message}"
                );
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
    // Amounts that fit are summed exactly.
    let fits = Custom {
        inner: synthetic(),
        transactions: Some(vec![
            payment("t-1", 2, big / 2, TransactionKind::Bonus),
            payment("t-2", 3, big / 2, TransactionKind::Bonus),
        ]),
        rooms: None,
    };
    let parent = tempfile::tempdir()?;
    let record = export_quietly(&fits, SyntheticPlatform::ACCOUNT, parent.path(), now())?;
    let manifest = Manifest::read(&record.folder).map_err(|e| format!("{e:?}"))?;
    assert_eq!(manifest.totals.money_in_cents, big);
    assert!(verify(&record.folder).is_ok());
    Ok(())
}

/// A finished export made unfinished again from `section` on, as if it had
/// been interrupted there.
fn interrupted_export(
    parent: &Path,
    forget: &[&str],
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let record = export_quietly(&synthetic(), SyntheticPlatform::ACCOUNT, parent, now())?;
    let mut manifest = Manifest::read(&record.folder).map_err(|e| format!("{e:?}"))?;
    for section in forget {
        manifest.forget_section(section);
    }
    manifest.complete = false;
    manifest.finished = None;
    manifest.write(&record.folder, &DiskBudget::unlimited())?;
    Ok(record.folder)
}

/// Files that must survive whatever the export does.
fn victims(outside: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(outside)?;
    let mut paths = Vec::new();
    for name in ["precious.json", "notes.txt", ".precious.json.partial"] {
        let path = outside.join(name);
        std::fs::write(&path, format!("do not delete {name}"))?;
        paths.push(path);
    }
    Ok(paths)
}

fn assert_untouched(paths: &[PathBuf]) {
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        assert_eq!(
            std::fs::read_to_string(path).ok().as_deref(),
            Some(format!("do not delete {name}").as_str()),
            "{} was changed or removed",
            path.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn resuming_never_follows_a_messages_folder_that_is_a_link() -> TestResult {
    let parent = tempfile::tempdir()?;
    let folder = interrupted_export(parent.path(), &["messages", "index"])?;
    let outside = tempfile::tempdir()?;
    let precious = victims(outside.path())?;
    let messages = folder.join("messages");
    std::fs::remove_dir_all(&messages)?;
    std::os::unix::fs::symlink(outside.path(), &messages)?;

    let result = export_quietly(&synthetic(), SyntheticPlatform::ACCOUNT, &folder, now());
    match result {
        Err(ref error @ ExportError::Symlink(ref path)) => {
            assert_eq!(path, &messages);
            let message = error.to_string();
            assert!(message.contains("symbolic link"), "{message}");
            assert!(
                message.ends_with(&messages.display().to_string()),
                "{message}"
            );
        }
        other => panic!("expected Symlink, got {other:?}"),
    }
    assert_untouched(&precious);
    assert_eq!(std::fs::read_dir(outside.path())?.count(), precious.len());
    Ok(())
}

#[cfg(unix)]
#[test]
fn resuming_never_follows_a_linked_file_or_temporary_file() -> TestResult {
    for (forget, linked) in [
        (
            &["transactions", "time-reports", "messages", "index"][..],
            "contracts.json",
        ),
        (
            &["messages", "index"][..],
            "messages/.precious.json.partial",
        ),
        (&["index"][..], ".index.html.partial"),
    ] {
        let parent = tempfile::tempdir()?;
        let folder = interrupted_export(parent.path(), forget)?;
        let outside = tempfile::tempdir()?;
        let precious = victims(outside.path())?;
        let link = folder.join(linked);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(outside.path().join("precious.json"), &link)?;

        let result = export_quietly(&synthetic(), SyntheticPlatform::ACCOUNT, &folder, now());
        assert!(
            matches!(&result, Err(ExportError::Symlink(path)) if path == &link),
            "{linked}: {result:?}"
        );
        assert_untouched(&precious);
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn verify_reports_listed_files_and_folders_that_are_links() -> TestResult {
    let parent = tempfile::tempdir()?;
    let record = export_quietly(
        &synthetic(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    let folder = record.folder;
    assert!(verify(&folder).is_ok());
    // Identical copies outside, so hashes alone would not notice.
    let outside = tempfile::tempdir()?;
    std::fs::copy(folder.join("contracts.json"), outside.path().join("c.json"))?;
    std::fs::remove_file(folder.join("contracts.json"))?;
    std::os::unix::fs::symlink(outside.path().join("c.json"), folder.join("contracts.json"))?;
    let copy = outside.path().join("messages");
    std::fs::rename(folder.join("messages"), &copy)?;
    std::os::unix::fs::symlink(&copy, folder.join("messages"))?;

    let report = verify(&folder);
    let problem = |file: &str| {
        report
            .problems
            .iter()
            .find(|p| p.file == file)
            .map(|p| p.problem.clone())
    };
    let contracts = problem("contracts.json").unwrap_or_default();
    assert!(
        contracts.contains("symbolic link"),
        "{:#?}",
        report.problems
    );
    let rooms: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.file.starts_with("messages/"))
        .collect();
    assert!(!rooms.is_empty(), "{:#?}", report.problems);
    assert!(
        rooms
            .iter()
            .all(|p| p.problem.contains("the folder messages is a symbolic link")),
        "{rooms:#?}"
    );
    assert!(!report.is_ok());
    Ok(())
}

#[cfg(unix)]
#[test]
fn verify_reports_a_linked_manifest() -> TestResult {
    let parent = tempfile::tempdir()?;
    let record = export_quietly(
        &synthetic(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    let outside = tempfile::tempdir()?;
    let manifest = record.folder.join("manifest.json");
    std::fs::rename(&manifest, outside.path().join("manifest.json"))?;
    std::os::unix::fs::symlink(outside.path().join("manifest.json"), &manifest)?;
    let report = verify(&record.folder);
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    assert_eq!(report.problems[0].file, "manifest.json");
    assert!(report.problems[0].problem.contains("symbolic link"));
    Ok(())
}

#[test]
fn verify_refuses_manifest_paths_that_leave_the_folder() -> TestResult {
    let parent = tempfile::tempdir()?;
    let record = export_quietly(
        &synthetic(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    let secret = parent.path().join("secret.txt");
    std::fs::write(&secret, "outside")?;
    let mut manifest = Manifest::read(&record.folder).map_err(|e| format!("{e:?}"))?;
    let template = manifest.files[0].clone();
    let hostile = [
        "../secret.txt".to_string(),
        secret.display().to_string(),
        "messages/../../secret.txt".to_string(),
        String::new(),
    ];
    for path in &hostile {
        let mut entry = template.clone();
        entry.path = path.clone();
        manifest.files.push(entry);
    }
    manifest.write(&record.folder, &DiskBudget::unlimited())?;
    let report = verify(&record.folder);
    for path in &hostile {
        let found = report.problems.iter().find(|p| &p.file == path);
        let Some(found) = found else {
            panic!("{path:?} not reported: {:#?}", report.problems);
        };
        assert!(
            found.problem.contains("outside the export folder"),
            "{found:?}"
        );
    }
    assert_eq!(
        report.problems.len(),
        hostile.len(),
        "{:#?}",
        report.problems
    );
    Ok(())
}

/// Drops this thread's power to read what its permissions forbid (root's
/// CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so an unreadable folder is
/// unreadable even when the tests run as root. Capabilities are per thread
/// on Linux, and each test runs on a thread of its own.
#[cfg(target_os = "linux")]
fn drop_read_override() {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    const DAC_BITS: u32 = (1 << 1) | (1 << 2);
    let mut header = Header {
        version: VERSION_3,
        pid: 0,
    };
    let mut data = [Data::default(); 2];
    // SAFETY: capget/capset read and write exactly these two structures.
    unsafe {
        if libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) != 0 {
            return;
        }
        data[0].effective &= !DAC_BITS;
        libc::syscall(libc::SYS_capset, &mut header, data.as_ptr());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn verify_reports_folders_it_cannot_read() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir()?;
    let record = export_quietly(
        &synthetic(),
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
    )?;
    let hidden = record.folder.join("extra");
    std::fs::create_dir(&hidden)?;
    std::fs::write(hidden.join("added-later.txt"), "stray")?;
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o000))?;
    drop_read_override();
    let readable = std::fs::read_dir(&hidden).is_ok();
    let report = verify(&record.folder);
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o755))?;
    if readable {
        eprintln!("skipped: this process can read a folder with mode 000");
        return Ok(());
    }
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    assert_eq!(report.problems[0].file, "extra/");
    assert!(
        report.problems[0].problem.contains("cannot be read"),
        "{:?}",
        report.problems[0]
    );
    Ok(())
}

fn room(i: usize, topic: &str) -> MessageRoom {
    MessageRoom {
        id: format!("room-{i}"),
        topic: topic.to_string(),
        contract_id: None,
        participants: vec!["Maya".to_string()],
        messages: vec![Message {
            id: format!("m-{i}"),
            sent: now(),
            author: "Maya".to_string(),
            text: format!("only in room {i}"),
            attachments: Vec::new(),
        }],
    }
}

/// Room titles that macOS (normalisation and case) or Windows (case) would
/// see as one file name get files of their own, and every transcript is
/// there.
#[test]
fn room_titles_equal_after_normalisation_or_case_get_distinct_files() -> TestResult {
    use unicode_normalization::UnicodeNormalization;
    let titles = [
        "Café",
        "Cafe\u{301}",
        "café",
        "CAFÉ",
        "CAFE\u{301}",
        "Straße",
        "STRASSE",
    ];
    let platform = Custom {
        inner: synthetic(),
        transactions: None,
        rooms: Some(titles.iter().enumerate().map(|(i, t)| room(i, t)).collect()),
    };
    let parent = tempfile::tempdir()?;
    let record = export_quietly(&platform, SyntheticPlatform::ACCOUNT, parent.path(), now())?;
    assert!(verify(&record.folder).is_ok());
    let mut names = Vec::new();
    for entry in std::fs::read_dir(record.folder.join("messages"))? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    assert_eq!(names.len(), titles.len() * 2, "{names:?}");
    // Compared as macOS compares them: NFC and case folded.
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        let key: String = name.nfc().collect::<String>().to_uppercase().to_lowercase();
        assert!(
            seen.insert(key.nfc().collect::<String>()),
            "{name:?} collides: {names:?}"
        );
    }
    for (i, title) in titles.iter().enumerate() {
        let found = names.iter().filter(|n| n.ends_with(".txt")).any(|n| {
            std::fs::read_to_string(record.folder.join("messages").join(n))
                .is_ok_and(|text| text.contains(&format!("only in room {i}")))
        });
        assert!(found, "the transcript of {title:?} is missing");
    }
    Ok(())
}
