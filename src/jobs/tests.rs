//! Workers under failure: a panicking platform, and what closing may claim.

use super::*;
use crate::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, MessageRoom, Offer, Profile, Proposal,
    SectionCounts, TeamMember, Transaction,
};
use crate::model::review::PendingWork;
use crate::platform::RecordStream;
use crate::platform::demo::DemoPlatform;
use chrono::TimeZone;
use std::time::{Duration, Instant};

type Answer = Box<dyn Fn() -> Result<PendingWork, PlatformError> + Send + Sync>;

/// The demo platform, except that the pending work answers as scripted
/// and reading the profile panics, as a bug in a platform source would.
struct Panicky(DemoPlatform, Answer);

fn panicky() -> Result<Panicky, PlatformError> {
    Ok(Panicky(
        DemoPlatform::new(now(), &[])?,
        Box::new(|| panic!("attempt to add with overflow")),
    ))
}

impl Platform for Panicky {
    fn id(&self) -> PlatformId {
        self.0.id()
    }
    fn sees_account_state(&self) -> bool {
        true
    }
    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        self.0.accounts()
    }
    fn pending_work(&self, _: &str) -> Result<PendingWork, PlatformError> {
        (self.1)()
    }
    fn profile(&self, _: &str) -> Result<Profile, PlatformError> {
        panic!("a profile bug")
    }
    fn counts(&self, a: &str) -> Result<SectionCounts, PlatformError> {
        self.0.counts(a)
    }
    fn contracts(&self, a: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        self.0.contracts(a)
    }
    fn proposals(&self, a: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.0.proposals(a)
    }
    fn offers(&self, a: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.0.offers(a)
    }
    fn job_posts(&self, a: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.0.job_posts(a)
    }
    fn team(&self, a: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.0.team(a)
    }
    fn transactions(&self, a: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        self.0.transactions(a)
    }
    fn feedback(&self, a: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.0.feedback(a)
    }
    fn disputes(&self, a: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.0.disputes(a)
    }
    fn rooms(&self, a: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.0.rooms(a)
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

fn panicky_jobs(dir: &Path) -> Jobs {
    let clock: Clock = Arc::new(now);
    let factory: PlatformFactory =
        Arc::new(|_: &Connection<'_>| Ok(Box::new(panicky()?) as Box<dyn Platform>));
    Jobs::new(factory, ApiAccess::system(dir.to_path_buf()), None, clock)
}

/// Events until `done` says the awaited one came, or a generous limit
/// passes (a hang is the failure this guards against, not slowness).
fn wait_for(jobs: &Jobs, done: impl Fn(&Event) -> bool) -> Vec<Event> {
    let start = Instant::now();
    let mut seen = Vec::new();
    while start.elapsed() < Duration::from_secs(60) {
        seen.extend(jobs.drain());
        if seen.iter().any(&done) {
            return seen;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("no answer in time; events so far: {seen:?}");
}

#[test]
fn a_panicking_worker_reports_a_failure_and_the_next_try_runs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let jobs = panicky_jobs(dir.path());
    jobs.run(Effect::LoadAccounts {
        platform: crate::platform::demo::profile::DEMO.id.clone(),
        changes: Vec::new(),
        sources: SourceSettings::default(),
    });
    wait_for(&jobs, |e| matches!(e, Event::AccountsLoaded(Ok(_))));
    for attempt in 0..2 {
        jobs.run(Effect::FetchPendingWork {
            account: "freelancer".into(),
        });
        let events = wait_for(&jobs, |e| matches!(e, Event::PendingWorkLoaded { .. }));
        let message = events
            .iter()
            .find_map(|e| match e {
                Event::PendingWorkLoaded {
                    result: Err(message),
                    ..
                } => Some(message.clone()),
                _ => None,
            })
            .unwrap_or_default();
        // Each try reaches the platform again: no poisoned lock, no
        // "restart Offboard" after the first bug.
        assert!(
            message.contains("internal error (attempt to add with overflow)"),
            "try {attempt}: {message}"
        );
        assert!(message.contains("try again"), "{message}");
    }
    // The export, too, ends in a failure the page shows, not "Exporting" forever.
    jobs.run(Effect::RunExport {
        account: "freelancer".into(),
        parent: dir.path().to_path_buf(),
    });
    let events = wait_for(&jobs, |e| matches!(e, Event::ExportFinished(_)));
    assert!(
        events.iter().any(|e| matches!(e,
            Event::ExportFinished(Err(m)) if m.contains("a profile bug"))),
        "{events:?}"
    );
    let start = Instant::now();
    while jobs.busy() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!jobs.busy(), "a job still counts as running");
}

#[test]
fn the_wizard_leaves_loading_after_a_worker_panic() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let jobs = panicky_jobs(dir.path());
    let (mut wizard, effects) = crate::model::wizard::Wizard::resume(
        crate::model::wizard::SavedState::default(),
        now(),
        crate::platform::registry::profiles(),
    );
    let pump = |_: &mut crate::model::wizard::Wizard, effects: Vec<Effect>| {
        for effect in effects {
            jobs.run(effect);
        }
    };
    pump(&mut wizard, effects);
    let events = wait_for(&jobs, |e| matches!(e, Event::AccountsLoaded(_)));
    for event in events {
        let effects = wizard.handle(event, now());
        pump(&mut wizard, effects);
    }
    let effects = wizard.apply(
        crate::model::wizard::Action::ChooseAccount("freelancer".into()),
        now(),
    );
    pump(&mut wizard, effects);
    let effects = wizard.apply(crate::model::wizard::Action::Recheck, now());
    assert!(wizard.assessment.is_loading());
    pump(&mut wizard, effects);
    let events = wait_for(&jobs, |e| matches!(e, Event::PendingWorkLoaded { .. }));
    for event in events {
        wizard.handle(event, now());
    }
    assert!(!wizard.assessment.is_loading());
    assert!(
        wizard
            .assessment
            .error()
            .is_some_and(|m| m.contains("internal error"))
    );
}

#[test]
fn a_failed_check_after_closing_is_never_called_verified() -> Result<(), PlatformError> {
    let mut platform = panicky()?;
    let account = "freelancer";
    platform.1 = Box::new(|| Err(PlatformError::Refused("the connection timed out".into())));
    let check = check_closure(&platform, account, now());
    assert!(!check.is_verified(), "{check:?}");
    assert!(check.can_check_again());
    let sentence = check.sentence("Upwork");
    assert!(sentence.contains("not verified"), "{sentence}");
    assert!(sentence.contains("timed out"), "{sentence}");

    platform.1 = Box::new(|| Err(PlatformError::Reconnect));
    assert!(matches!(
        check_closure(&platform, account, now()),
        ClosureCheck::CouldNotCheck { .. }
    ));

    let open = platform.0.pending_work(account)?;
    platform.1 = Box::new(move || Ok(open.clone()));
    assert_eq!(
        check_closure(&platform, account, now()),
        ClosureCheck::StillOpen { at: now() }
    );

    let mut closed = platform.0.pending_work(account)?;
    closed.closed = true;
    platform.1 = Box::new(move || Ok(closed.clone()));
    assert!(check_closure(&platform, account, now()).is_verified());

    platform.1 = Box::new(|| Err(PlatformError::AccountClosed));
    assert!(check_closure(&platform, account, now()).is_verified());

    // Files cannot see the account at all.
    let demo = DemoPlatform::new(now(), &[])?;
    assert_eq!(
        check_closure(&demo, account, now()),
        ClosureCheck::CannotCheck
    );
    Ok(())
}

/// Connect workers can run out of order when the user types faster than
/// they finish: one overtaken by a newer connect must not put its older
/// answers back.
#[test]
fn a_connect_overtaken_by_a_newer_one_leaves_the_newer_platform()
-> Result<(), Box<dyn std::error::Error>> {
    use crate::platform::fiverr::FIVERR;
    use crate::platform::guided::GuidedPlatform;
    let dir = tempfile::tempdir()?;
    let factory: PlatformFactory = Arc::new(|c: &Connection<'_>| {
        let platform =
            GuidedPlatform::new(&FIVERR, &c.sources.username, &c.sources.answers, now())?;
        Ok(Box::new(platform) as Box<dyn Platform>)
    });
    let jobs = Jobs::new(
        factory,
        ApiAccess::system(dir.path().to_path_buf()),
        None,
        Arc::new(now),
    );
    let as_user = |name: &str| SourceSettings {
        username: name.into(),
        ..SourceSettings::default()
    };
    let (older, newer) = (as_user("older"), as_user("newer"));
    let ask = |sources: &SourceSettings, order| {
        let connection = Connection {
            platform: FIVERR.id.clone(),
            changes: &[],
            sources,
        };
        connect(&jobs.context, &connection, order)
    };
    let names = |listed: Vec<crate::model::account::AccountSummary>| {
        listed.into_iter().map(|a| a.username).collect::<Vec<_>>()
    };
    assert_eq!(names(ask(&newer, 2)?), ["newer", "newer"]);
    // The first one asked arrives last: the newer platform stays.
    assert_eq!(names(ask(&older, 1)?), ["newer", "newer"]);
    // Asked after it, the same answers are built.
    assert_eq!(names(ask(&older, 3)?), ["older", "older"]);
    Ok(())
}
