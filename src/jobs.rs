//! Carries out the wizard's effects on named worker threads and reports
//! back as events over a channel, so the UI thread never waits on the
//! platform or the disk.

use crate::export;
use crate::model::account::PlatformId;
use crate::model::closing::receipt_text;
use crate::model::handoff::contacts_from_contracts;
use crate::model::review::{AccountChange, ChangeKind, ClosureOutcome};
use crate::model::wizard::SourceSettings;
use crate::model::wizard::{Effect, Event, FetchStatus, Receipt, SavedState, VerifyOutcome};
use crate::platform::upwork::api::{ApiConfig, TokenSource, UpworkApi, UpworkPlatform};
use crate::platform::upwork::auth::{self, ApiKey, OAuthEndpoints, UpworkTokenSource};
use crate::platform::upwork::secrets::{Secret, SecretStore};
use crate::platform::upwork_csv::UpworkCsvPlatform;
use crate::platform::{Platform, PlatformError, demo::DemoPlatform};
use crate::store::{Store, write_atomically};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

/// The current time; injected so tests and snapshots are reproducible.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What a platform source is built from.
pub struct Connection<'a> {
    pub platform: PlatformId,
    /// Changes made to demo accounts, replayed on the fresh platform.
    pub changes: &'a [AccountChange],
    pub sources: &'a SourceSettings,
}

/// Builds a platform source.
pub type PlatformFactory =
    Arc<dyn Fn(&Connection<'_>) -> Result<Box<dyn Platform>, PlatformError> + Send + Sync>;

/// Opens a URL in the user's browser (injected so tests play the browser).
pub type Browser = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// Where API keys and tokens live, and the OAuth endpoints to use.
#[derive(Clone)]
pub struct ApiAccess {
    secrets_dir: PathBuf,
    /// Opened on first use, on a worker: finding the keyring asks D-Bus.
    secrets: Arc<std::sync::OnceLock<SecretStore>>,
    pub endpoints: OAuthEndpoints,
    pub browser: Browser,
    /// Another GraphQL endpoint (a local test server, a proxy).
    pub api_base: Option<String>,
}

impl ApiAccess {
    /// The OS keyring (or a private file beside the progress), Upwork's
    /// endpoints and the system browser.
    pub fn system(data_dir: PathBuf) -> ApiAccess {
        ApiAccess {
            secrets_dir: data_dir,
            secrets: Arc::new(std::sync::OnceLock::new()),
            endpoints: OAuthEndpoints::upwork(),
            browser: Arc::new(auth::system_browser),
            api_base: None,
        }
    }

    /// A given secret store and endpoints (tests use a private file and a
    /// local server).
    pub fn with_store(
        secrets: SecretStore,
        endpoints: OAuthEndpoints,
        browser: Browser,
    ) -> ApiAccess {
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(secrets);
        ApiAccess {
            secrets_dir: PathBuf::new(),
            secrets: Arc::new(cell),
            endpoints,
            browser,
            api_base: None,
        }
    }

    pub fn secrets(&self) -> &SecretStore {
        self.secrets
            .get_or_init(|| SecretStore::new(self.secrets_dir.clone()))
    }

    /// A token source for the saved key, if the user has connected.
    pub fn token_source(&self) -> Result<Option<UpworkTokenSource>, String> {
        UpworkTokenSource::from_store(self.secrets().clone(), self.endpoints.clone())
            .map_err(|e| e.to_string())
    }
}

/// Called after each event is sent, to wake the UI (egui's request_repaint).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The platforms this build offers, built as the product runs them.
pub fn default_platforms(clock: Clock, api: ApiAccess) -> PlatformFactory {
    Arc::new(move |c: &Connection<'_>| match c.platform {
        PlatformId::Demo => {
            Ok(Box::new(DemoPlatform::new(clock(), c.changes)?) as Box<dyn Platform>)
        }
        PlatformId::UpworkCsv => {
            if c.sources.csv_files.is_empty() {
                return Err(PlatformError::Refused(
                    "add the transaction-history CSV files you downloaded from Upwork".into(),
                ));
            }
            let platform =
                UpworkCsvPlatform::open_as(&c.sources.csv_files, c.sources.csv_kind, clock())
                    .map_err(|e| PlatformError::Malformed(e.to_string()))?;
            Ok(Box::new(platform))
        }
        PlatformId::Upwork => {
            let tokens = api
                .token_source()
                .map_err(PlatformError::Refused)?
                .ok_or_else(|| PlatformError::Refused("connect with your API key first".into()))?;
            let base = c.sources.api_base.as_deref().or(api.api_base.as_deref());
            upwork_platform(Arc::new(tokens), base, clock())
        }
    })
}

/// Upwork's API as a platform, with the given token source and endpoint.
pub fn upwork_platform(
    tokens: Arc<dyn TokenSource>,
    api_base: Option<&str>,
    today: DateTime<Utc>,
) -> Result<Box<dyn Platform>, PlatformError> {
    let mut config = ApiConfig::default();
    if let Some(base) = api_base {
        config.base_url = base.to_string();
    }
    let api = UpworkApi::new(config, tokens).map_err(PlatformError::from)?;
    let platform = UpworkPlatform::connect(api, today).map_err(PlatformError::from)?;
    Ok(Box::new(platform))
}

/// A worker panicked while holding the platform: nothing sound is left.
const POISONED: &str = "an earlier task failed badly; restart Offboard";

type SharedPlatform = Arc<RwLock<Option<Box<dyn Platform>>>>;

/// Everything a worker thread needs, cheap to clone into it.
#[derive(Clone)]
struct Context {
    events: Sender<Event>,
    waker: Arc<Mutex<Option<Waker>>>,
    platform: SharedPlatform,
    make_platform: PlatformFactory,
    api: ApiAccess,
    clock: Clock,
    running: Arc<AtomicUsize>,
}

impl Context {
    fn send(&self, event: Event) {
        // The receiver only goes away when the app is shutting down.
        let _ = self.events.send(event);
        if let Ok(guard) = self.waker.lock()
            && let Some(wake) = guard.as_ref()
        {
            wake();
        }
    }

    /// Run `work` on the current platform under a read lock.
    fn with_platform<T>(
        &self,
        work: impl FnOnce(&dyn Platform) -> Result<T, String>,
    ) -> Result<T, String> {
        let guard = self.platform.read().map_err(|_| POISONED.to_string())?;
        match guard.as_ref() {
            Some(platform) => work(platform.as_ref()),
            None => Err("not connected to a platform yet".into()),
        }
    }

    fn with_platform_mut<T>(
        &self,
        work: impl FnOnce(&mut dyn Platform) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut guard = self.platform.write().map_err(|_| POISONED.to_string())?;
        match guard.as_mut() {
            Some(platform) => work(platform.as_mut()),
            None => Err("not connected to a platform yet".into()),
        }
    }
}

/// Counts a job as running for as long as it lives.
struct RunningGuard(Arc<AtomicUsize>);

impl Drop for RunningGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Jobs {
    context: Context,
    events: Receiver<Event>,
    /// `None` only while shutting down.
    saves: Option<Sender<SavedState>>,
    saver: Option<std::thread::JoinHandle<()>>,
    export_cancel: Arc<AtomicBool>,
    authorize_cancel: Arc<AtomicBool>,
    fetch_cancel: Arc<AtomicBool>,
}

impl Jobs {
    /// `store` is `None` when progress should not be kept (never in the product).
    pub fn new(
        make_platform: PlatformFactory,
        api: ApiAccess,
        store: Option<Store>,
        clock: Clock,
    ) -> Jobs {
        let (events_tx, events) = channel();
        let context = Context {
            events: events_tx,
            waker: Arc::new(Mutex::new(None)),
            platform: Arc::new(RwLock::new(None)),
            make_platform,
            api,
            clock,
            running: Arc::new(AtomicUsize::new(0)),
        };
        let (saves, saver) = spawn_saver(context.clone(), store);
        Jobs {
            context,
            events,
            saves: Some(saves),
            saver,
            export_cancel: Arc::new(AtomicBool::new(false)),
            authorize_cancel: Arc::new(AtomicBool::new(false)),
            fetch_cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn set_waker(&self, waker: Waker) {
        if let Ok(mut guard) = self.context.waker.lock() {
            *guard = Some(waker);
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.context.clock)()
    }

    /// Events reported since the last call.
    pub fn drain(&self) -> Vec<Event> {
        self.events.try_iter().collect()
    }

    /// Whether any job is still running (tests wait on it).
    pub fn busy(&self) -> bool {
        self.context.running.load(Ordering::SeqCst) > 0
    }

    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Save(state) => {
                if let Some(saves) = &self.saves {
                    // Counted from now, so `busy` covers a save not yet written.
                    self.context.running.fetch_add(1, Ordering::SeqCst);
                    if saves.send(*state).is_err() {
                        self.context.running.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            }
            Effect::CancelExport => self.export_cancel.store(true, Ordering::SeqCst),
            Effect::LoadAccounts {
                platform,
                changes,
                sources,
            } => {
                self.spawn("offboard-connect", move |cx| {
                    let connection = Connection {
                        platform,
                        changes: &changes,
                        sources: &sources,
                    };
                    let result = connect(&cx, &connection);
                    cx.send(Event::AccountsLoaded(result));
                });
            }
            Effect::CheckApiConnection { .. } => {
                self.spawn("offboard-auth", move |cx| {
                    let result = cx.api.token_source().and_then(|t| {
                        t.map_or(Ok(false), |t| t.is_connected().map_err(|e| e.to_string()))
                    });
                    cx.send(Event::ApiConnection {
                        result,
                        storage_warning: cx.api.secrets().backend().warning(),
                    });
                });
            }
            Effect::AuthorizeApi { key, .. } => {
                self.authorize_cancel.store(false, Ordering::SeqCst);
                let cancel = Arc::clone(&self.authorize_cancel);
                self.spawn("offboard-auth", move |cx| {
                    let key = ApiKey {
                        client_id: key.client_id.trim().to_string(),
                        client_secret: Secret::new(key.client_secret.0),
                        redirect_uri: key.redirect_uri.trim().to_string(),
                    };
                    let browser = Arc::clone(&cx.api.browser);
                    let open = move |url: &str| browser(url);
                    let result = auth::connect(
                        cx.api.secrets(),
                        &key,
                        &cx.api.endpoints,
                        &open,
                        &cancel,
                        auth::DEFAULT_AUTHORIZE_TIMEOUT,
                    )
                    .map(|_| true)
                    .map_err(|e| e.to_string());
                    // A new key means a new connection to the platform.
                    if result.is_ok()
                        && let Ok(mut guard) = cx.platform.write()
                    {
                        *guard = None;
                    }
                    cx.send(Event::ApiConnection {
                        result,
                        storage_warning: cx.api.secrets().backend().warning(),
                    });
                });
            }
            Effect::CancelAuthorize => self.authorize_cancel.store(true, Ordering::SeqCst),
            Effect::DisconnectApi { .. } => {
                self.spawn("offboard-auth", move |cx| {
                    let forgotten = match cx.api.token_source() {
                        Ok(Some(tokens)) => auth::disconnect(cx.api.secrets(), tokens.client_id())
                            .map_err(|e| e.to_string()),
                        Ok(None) => Ok(()),
                        Err(e) => Err(e),
                    };
                    if let Ok(mut guard) = cx.platform.write() {
                        *guard = None;
                    }
                    cx.send(Event::ApiConnection {
                        result: forgotten.map(|()| false),
                        storage_warning: cx.api.secrets().backend().warning(),
                    });
                });
            }
            Effect::ResetDemo => {
                self.spawn("offboard-reset", move |cx| {
                    let rebuilt = (cx.make_platform)(&Connection {
                        platform: PlatformId::Demo,
                        changes: &[],
                        sources: &SourceSettings::default(),
                    });
                    match (rebuilt, cx.platform.write()) {
                        (Ok(fresh), Ok(mut guard)) => {
                            *guard = Some(fresh);
                            cx.send(Event::DemoReset);
                        }
                        (Err(e), _) => cx.send(Event::AccountsLoaded(Err(e.to_string()))),
                        (_, Err(_)) => cx.send(Event::AccountsLoaded(Err(POISONED.into()))),
                    }
                });
            }
            Effect::CancelFetch => self.fetch_cancel.store(true, Ordering::SeqCst),
            Effect::FetchPendingWork { account } => {
                self.fetch_cancel.store(false, Ordering::SeqCst);
                let cancel = Arc::clone(&self.fetch_cancel);
                self.spawn("offboard-review", move |cx| {
                    let result = cx.with_platform(|p| {
                        let reporter = cx.clone();
                        p.watch_fetch(
                            Arc::new(move |current: &str, queries, records| {
                                reporter.send(Event::FetchProgress(FetchStatus {
                                    current: current.to_string(),
                                    queries,
                                    records,
                                }));
                            }),
                            cancel,
                        );
                        match p.pending_work(&account) {
                            // Tokens refused even after a refresh: the
                            // connect page must ask for the key again.
                            Err(PlatformError::Reconnect) => {
                                cx.send(Event::ApiConnection {
                                    result: Ok(false),
                                    storage_warning: None,
                                });
                                Err(PlatformError::Reconnect.to_string())
                            }
                            other => other.map_err(|e| e.to_string()),
                        }
                    });
                    cx.send(Event::PendingWorkLoaded {
                        account,
                        result: result.map(Box::new),
                    });
                });
            }
            Effect::LoadExportPreview { account } => {
                self.spawn("offboard-preview", move |cx| {
                    let result =
                        cx.with_platform(|p| p.counts(&account).map_err(|e| e.to_string()));
                    cx.send(Event::ExportPreviewLoaded { account, result });
                });
            }
            Effect::LoadClients { account } => {
                self.spawn("offboard-clients", move |cx| {
                    let result = cx.with_platform(|p| {
                        let contracts = p
                            .contracts(&account)
                            .and_then(|stream| stream.collect::<Result<Vec<_>, _>>())
                            .map_err(|e| e.to_string())?;
                        Ok(contacts_from_contracts(&contracts))
                    });
                    let checks = cx
                        .with_platform(|p| Ok(p.manual_checks(&account)))
                        .unwrap_or_default();
                    cx.send(Event::ManualChecksLoaded {
                        account: account.clone(),
                        checks,
                    });
                    cx.send(Event::ClientsLoaded { account, result });
                });
            }
            Effect::Resolve {
                account,
                resolution,
            } => {
                self.spawn("offboard-resolve", move |cx| {
                    let now = (cx.clock)();
                    let change = cx.with_platform_mut(|p| {
                        p.resolve(&account, &resolution, now)
                            .map_err(|e| e.to_string())
                    });
                    let change = change.map(|()| AccountChange {
                        account,
                        at: now,
                        change: ChangeKind::Resolved {
                            resolution: resolution.clone(),
                        },
                    });
                    cx.send(Event::Resolved { resolution, change });
                });
            }
            Effect::RunExport { account, parent } => {
                self.export_cancel.store(false, Ordering::SeqCst);
                let cancel = Arc::clone(&self.export_cancel);
                self.spawn("offboard-export", move |cx| {
                    let event = run_export(&cx, &account, &parent, &cancel);
                    cx.send(event);
                });
            }
            Effect::VerifyExport { folder } => {
                self.spawn("offboard-verify", move |cx| {
                    let report = export::verify(&folder);
                    cx.send(Event::Verified(Ok(VerifyOutcome {
                        files_checked: report.files_checked,
                        records: report.records,
                        problems: report
                            .problems
                            .into_iter()
                            .map(|p| (p.file, p.problem))
                            .collect(),
                    })));
                });
            }
            Effect::CloseAccount {
                account,
                receipt,
                export_folder,
            } => {
                self.spawn("offboard-close", move |cx| {
                    let result = close_account(&cx, &account, *receipt, export_folder.as_deref());
                    cx.send(Event::Closed(result));
                });
            }
            Effect::WriteText { path, contents } => {
                self.spawn("offboard-write", move |cx| {
                    let result = write_atomically(&path, contents.as_bytes())
                        .map(|()| path.clone())
                        .map_err(|e| {
                            format!(
                                "Could not save the file ({e}); choose another folder: {}",
                                path.display()
                            )
                        });
                    cx.send(Event::TextSaved(result));
                });
            }
        }
    }

    fn spawn(&self, name: &str, work: impl FnOnce(Context) + Send + 'static) {
        let cx = self.context.clone();
        cx.running.fetch_add(1, Ordering::SeqCst);
        let guard = RunningGuard(Arc::clone(&cx.running));
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let _guard = guard;
                work(cx);
            });
        if let Err(e) = spawned {
            log::error!("could not start the {name} thread: {e}");
        }
    }
}

fn connect(
    cx: &Context,
    connection: &Connection<'_>,
) -> Result<Vec<crate::model::account::AccountSummary>, String> {
    let mut guard = cx.platform.write().map_err(|_| POISONED.to_string())?;
    let current = guard.as_ref().map(|p| p.id());
    // The CSV source is rebuilt every time: its files may have changed.
    if current != Some(connection.platform) || connection.platform == PlatformId::UpworkCsv {
        *guard = None;
        *guard = Some((cx.make_platform)(connection).map_err(|e| e.to_string())?);
    }
    match guard.as_ref() {
        Some(p) => p.accounts().map_err(|e| e.to_string()),
        None => Err("not connected to a platform yet".into()),
    }
}

fn run_export(cx: &Context, account: &str, parent: &Path, cancel: &AtomicBool) -> Event {
    let now = (cx.clock)();
    let result = cx.with_platform(|platform| {
        let mut report = |p: &export::ExportProgress| {
            cx.send(Event::ExportProgress {
                section: p.section.clone(),
                sections_done: p.sections_done,
                sections_total: p.sections_total,
                records: p.records,
                bytes: p.bytes,
            });
        };
        let options = export::ExportOptions {
            clock: Some(Arc::clone(&cx.clock)),
            ..Default::default()
        };
        match export::export_account_with(
            platform,
            account,
            parent,
            now,
            &mut report,
            cancel,
            &options,
        ) {
            Ok(summary) => Ok(Some(summary)),
            Err(export::ExportError::Cancelled) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    });
    match result {
        Ok(Some(record)) => Event::ExportFinished(Ok(record)),
        Ok(None) => Event::ExportCancelled,
        Err(message) => Event::ExportFinished(Err(message)),
    }
}

/// Close on the platform, then write the receipt beside the export.
fn close_account(
    cx: &Context,
    account: &str,
    mut receipt: Receipt,
    export_folder: Option<&Path>,
) -> Result<(crate::model::review::ClosureOutcome, Option<PathBuf>), String> {
    let now = (cx.clock)();
    let outcome = cx.with_platform_mut(|p| {
        if p.can_act() {
            return p.close_account(account, now).map_err(|e| e.to_string());
        }
        Ok(confirmed_on_website(p, account, now))
    })?;
    let Some(folder) = export_folder else {
        return Ok((outcome, None));
    };
    receipt.closed_at = outcome.closed_at;
    receipt.reference = outcome.reference.clone();
    receipt.reactivate_until = outcome.reactivate_until;
    receipt.receipt_path = Some(folder.join("receipt.txt"));
    // The account is closed whatever happens to the receipt file: a failure
    // here is reported on the done page, not as a failed closing.
    let written = serde_json::to_vec_pretty(&receipt)
        .map_err(|e| e.to_string())
        .and_then(|json| {
            export::add_file(folder, "receipt.json", &json, "receipt", 1)
                .map_err(|e| e.to_string())?;
            export::add_file(
                folder,
                "receipt.txt",
                receipt_text(&receipt).as_bytes(),
                "receipt",
                1,
            )
            .map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => Ok((outcome, Some(folder.join("receipt.txt")))),
        Err(e) => {
            log::error!(
                "the receipt could not be written into {}: {e}",
                folder.display()
            );
            Ok((outcome, None))
        }
    }
}

/// The user closed the account on the website; check what can be checked:
/// a closed account's API refuses to answer.
fn confirmed_on_website(
    platform: &dyn Platform,
    account: &str,
    now: DateTime<Utc>,
) -> ClosureOutcome {
    let evidence = match (platform.id(), platform.pending_work(account)) {
        (PlatformId::Upwork, Err(e)) => format!(
            "You closed it on the website; verified: the API no longer answers for the account ({e})."
        ),
        (PlatformId::Upwork, Ok(work)) if work.closed => {
            "You closed it on the website; verified: the API reports it closed.".to_string()
        }
        (PlatformId::Upwork, Ok(_)) => "You closed it on the website; not verified: the API \
             still answered for the account just now (closing can take a while to reach it)."
            .to_string(),
        _ => "You closed it on the website; files cannot verify it.".to_string(),
    };
    ClosureOutcome {
        closed_at: now,
        reference: format!("confirmed by you on {}", now.format("%Y-%m-%d %H:%M UTC")),
        reactivate_until: None,
        evidence: Some(evidence),
    }
}

/// One thread writes progress, newest state wins, so a burst of typing
/// costs one write and the UI never waits on the disk.
fn spawn_saver(
    cx: Context,
    store: Option<Store>,
) -> (Sender<SavedState>, Option<std::thread::JoinHandle<()>>) {
    let (tx, rx) = channel::<SavedState>();
    let spawned = std::thread::Builder::new()
        .name("offboard-save".into())
        .spawn(move || {
            while let Ok(mut state) = rx.recv() {
                let mut taken = 1;
                while let Ok(newer) = rx.try_recv() {
                    state = newer;
                    taken += 1;
                }
                if let Some(store) = &store
                    && let Err(e) = store.save(&state)
                {
                    log::error!("{e}");
                    cx.send(Event::SaveFailed(e.to_string()));
                }
                cx.running.fetch_sub(taken, Ordering::SeqCst);
            }
        });
    match spawned {
        Ok(handle) => (tx, Some(handle)),
        Err(e) => {
            log::error!("could not start the saving thread: {e}");
            (tx, None)
        }
    }
}

impl Drop for Jobs {
    /// The last change must reach the disk before the app goes: close the
    /// channel and wait for the saver to write what it holds.
    fn drop(&mut self) {
        self.saves = None;
        if let Some(saver) = self.saver.take()
            && saver.join().is_err()
        {
            log::error!("the saving thread failed while shutting down");
        }
    }
}
