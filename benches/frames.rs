//! Frame budget: every page of the wizard drawn headless by the real
//! `OffboardApp` (egui layout and tessellation on the CPU, no GPU) with a
//! large account: 10k contracts, all of them open (so the review has 10k
//! blockers), 100k transactions, 2k rooms and 2k clients to write to.
//! Reports the median and 99th-percentile CPU time of a frame next to an
//! empty egui frame (an empty central panel in the same window) measured in
//! the same run. Targets: a median of at most 1 ms and at most 5 times the
//! empty frame's; the bench exits non-zero when a page misses one.
//!
//! Run: `cargo bench --bench frames` (`FRAMES_TRACE=1` lists slow frames).

use chrono::{TimeZone, Utc};
use egui::{Event, Pos2, RawInput, Rect, vec2};
use offboard::jobs::{self, Clock, Jobs, PlatformFactory};
use offboard::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, MessageRoom, Offer, PlatformId, Profile,
    Proposal, SectionCounts, TeamMember, Transaction,
};
use offboard::model::review::PendingWork;
use offboard::model::wizard::{LeaveReason, Progress, Receipt, SCHEMA_VERSION, SavedState, Step};
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use offboard::platform::upwork::auth::OAuthEndpoints;
use offboard::platform::upwork::secrets::SecretStore;
use offboard::platform::{Platform, PlatformError, RecordStream};
use offboard::store::Loaded;
use offboard::ui::{DefaultFolders, DialogDone, DialogKind, DialogOutcome, Dialogs, OffboardApp};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Frames measured per page, after the page has loaded and settled.
const FRAMES: usize = 300;
const WINDOW: egui::Vec2 = vec2(1120.0, 800.0);

struct NoDialogs;

impl Dialogs for NoDialogs {
    fn open(&mut self, _kind: DialogKind, _start_in: Option<PathBuf>, done: DialogDone) {
        done(DialogOutcome::Cancelled);
    }
}

/// Distinct clients the contracts are spread over (the checklist's list).
const CLIENTS: usize = 2_000;

/// The synthetic account with every contract still open, spread over
/// `CLIENTS` clients: the synthetic source itself reports nothing open.
struct OpenAccount(SyntheticPlatform);

impl Platform for OpenAccount {
    fn id(&self) -> PlatformId {
        self.0.id()
    }
    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        self.0.accounts()
    }
    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        let mut work = self.0.pending_work(account)?;
        work.open_contracts = self.contracts(account)?.collect::<Result<_, _>>()?;
        Ok(work)
    }
    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        self.0.profile(account)
    }
    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        self.0.counts(account)
    }
    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        let contracts = self.0.contracts(account)?.enumerate();
        Ok(Box::new(contracts.map(|(index, contract)| {
            contract.map(|mut c| {
                c.counterparty = format!("{} {:04}", c.counterparty, index % CLIENTS);
                c
            })
        })))
    }
    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.0.proposals(account)
    }
    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.0.offers(account)
    }
    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.0.job_posts(account)
    }
    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.0.team(account)
    }
    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        self.0.transactions(account)
    }
    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.0.feedback(account)
    }
    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.0.disputes(account)
    }
    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.0.rooms(account)
    }
}

fn size() -> SyntheticSize {
    SyntheticSize {
        contracts: 10_000,
        transactions: 100_000,
        rooms: 2_000,
        messages: 20_000,
        ..SyntheticSize::benchmark()
    }
}

/// The wizard resumed on `step` with the large account chosen and every
/// earlier step done, as a saved state would bring it back.
fn app_on(step: Step, secrets: PathBuf) -> BenchResult<OffboardApp> {
    let today = Utc
        .with_ymd_and_hms(2026, 4, 14, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
    let clock: Clock = Arc::new(move || today);
    let account = SyntheticPlatform::new(2026, size(), today)
        .accounts()?
        .into_iter()
        .next()
        .ok_or("no synthetic account")?;
    let profiles = offboard::platform::registry::profiles();
    let profile = profiles.default_profile();
    let receipt = (step == Step::Done).then(|| Receipt {
        closed_at: today,
        platform: profile.id.clone(),
        account: account.clone(),
        reason: "Privacy concerns".into(),
        feedback: String::new(),
        reference: "OFB-BENCH".into(),
        reactivate_until: None,
        export_manifest_sha256: None,
        evidence: None,
        check: None,
        receipt_path: None,
    });
    let progress = Progress {
        step,
        furthest: step,
        platform: profile.id.clone(),
        typed_name: account.username.clone(),
        account: Some(account),
        reason: Some(LeaveReason::PrivacyConcerns),
        export_skipped: true,
        checklist: profile.checklist_items().collect(),
        receipt,
        ..Progress::default()
    };
    let saved = SavedState {
        schema_version: SCHEMA_VERSION,
        progress,
        ..SavedState::default()
    };
    let factory: PlatformFactory = Arc::new(move |_| {
        Ok(Box::new(OpenAccount(SyntheticPlatform::new(2026, size(), today))) as Box<dyn Platform>)
    });
    let api = jobs::ApiAccess::with_store(
        SecretStore::file_only(secrets),
        OAuthEndpoints {
            authorize_url: "http://127.0.0.1:9/authorize".into(),
            token_url: "http://127.0.0.1:9/token".into(),
        },
        Arc::new(|_| Err("no browser in the bench".into())),
    );
    let jobs = Jobs::new(factory, api, None, clock);
    Ok(OffboardApp::new(
        Loaded::Resumed(Box::new(saved)),
        jobs,
        Box::new(NoDialogs),
        DefaultFolders {
            home: Some(PathBuf::from("/tmp/offboard-bench-home")),
            documents: None,
            downloads: None,
        },
    ))
}

/// One frame's input: the pointer moves across the page, as it does while
/// someone reads, so hover state changes from frame to frame.
fn input(frame: usize) -> RawInput {
    let x = 300.0 + (frame % 40) as f32 * 18.0;
    let y = 120.0 + (frame % 30) as f32 * 20.0;
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, WINDOW)),
        events: vec![Event::PointerMoved(Pos2::new(x, y))],
        ..RawInput::default()
    }
}

/// Lays out and tessellates one frame; returns its CPU time.
fn frame(ctx: &egui::Context, n: usize, mut draw: impl FnMut(&mut egui::Ui)) -> Duration {
    let started = thread_cpu_time();
    let output = ctx.run_ui(input(n), |ui| draw(ui));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    thread_cpu_time().saturating_sub(started)
}

/// The CPU time this thread has used: a frame's cost without the time
/// another process held the core (on a busy machine the wall clock adds a
/// 4 ms scheduler tick to one frame in fifty).
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or_default(),
        u32::try_from(t.tv_nsec).unwrap_or_default(),
    )
}

/// Elsewhere the wall clock stands in.
#[cfg(not(target_os = "linux"))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

struct Figures {
    median: Duration,
    p99: Duration,
}

fn figures(mut times: Vec<Duration>) -> Figures {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Figures {
        median: at(0.5),
        p99: at(0.99),
    }
}

/// What an empty eframe app draws: a central panel with nothing in it, in
/// the same window, with the same input.
fn empty_frame() -> Figures {
    let ctx = egui::Context::default();
    let mut draw = |ui: &mut egui::Ui| {
        egui::CentralPanel::default().show(ui, |_| {});
    };
    for n in 0..20 {
        frame(&ctx, n, &mut draw);
    }
    figures((0..FRAMES).map(|n| frame(&ctx, n, &mut draw)).collect())
}

/// What a page showed, so the figures say what was measured.
struct Shown {
    blockers: usize,
    clients: usize,
}

fn page(step: Step, secrets: PathBuf) -> BenchResult<(Figures, Shown)> {
    let mut app = app_on(step, secrets)?;
    let ctx = egui::Context::default();
    // Load what the page shows (the review of 10k contracts, the clients)
    // on the workers, as the window would, then settle.
    let loading = Instant::now();
    let mut n = 0;
    while app.busy() || n < 20 {
        frame(&ctx, n, |ui| app.show(ui));
        n += 1;
        if loading.elapsed() > Duration::from_secs(300) {
            return Err(format!("{step:?} did not finish loading").into());
        }
        std::thread::sleep(Duration::from_millis(if app.busy() { 20 } else { 0 }));
    }
    let wizard = app.wizard();
    if let Some(notice) = &wizard.notice {
        return Err(format!("{step:?} showed a notice: {}", notice.text).into());
    }
    let shown = Shown {
        blockers: wizard.assessment.value().map_or(0, |a| a.blocker_count()),
        clients: wizard.clients.value().map_or(0, Vec::len),
    };
    let times: Vec<Duration> = (0..FRAMES)
        .map(|i| frame(&ctx, n + i, |ui| app.show(ui)))
        .collect();
    if std::env::var_os("FRAMES_TRACE").is_some() {
        // Which frames were slow: a pattern (every frame, or one in a
        // hundred) tells layout from a periodic cost.
        let slow: Vec<String> = times
            .iter()
            .enumerate()
            .filter(|(_, t)| **t > Duration::from_millis(1))
            .take(12)
            .map(|(i, t)| format!("{i}: {:.2} ms", t.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("{step:?} frames over 1 ms (the first 12): {slow:?}");
    }
    Ok((figures(times), shown))
}

fn bench() -> BenchResult<bool> {
    let secrets = tempfile::tempdir()?;
    let s = size();
    println!(
        "frame benchmark: {} contracts, {} transactions, {} rooms; {FRAMES} frames a page at {}x{} points, CPU only (layout + tessellation)",
        s.contracts, s.transactions, s.rooms, WINDOW.x, WINDOW.y
    );
    let empty = empty_frame();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "empty egui frame: median {:.3} ms, p99 {:.3} ms",
        ms(empty.median),
        ms(empty.p99)
    );
    let mut all_met = true;
    for step in Step::ALL {
        let (page, shown) = page(step, secrets.path().join(format!("{step:?}")))?;
        // A page that did not load the large account measured nothing.
        match step {
            Step::Review if shown.blockers < s.contracts as usize => {
                return Err(format!("the review showed {} blockers", shown.blockers).into());
            }
            Step::Checklist if shown.clients < CLIENTS => {
                return Err(format!("the checklist showed {} clients", shown.clients).into());
            }
            _ => {}
        }
        let ratio = page.median.as_secs_f64() / empty.median.as_secs_f64();
        let met = page.median <= Duration::from_millis(1) && ratio <= 5.0;
        all_met &= met;
        println!(
            "{:<20} median {:.3} ms, p99 {:.3} ms, median / empty {ratio:.1} (targets <= 1 ms and <= 5): {}",
            step.title(),
            ms(page.median),
            ms(page.p99),
            if met { "met" } else { "NOT met" },
        );
    }
    println!("all pages: {}", if all_met { "met" } else { "NOT met" });
    Ok(all_met)
}

fn main() -> ExitCode {
    match bench() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("frame bench: {error}");
            ExitCode::FAILURE
        }
    }
}
