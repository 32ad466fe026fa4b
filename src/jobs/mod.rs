//! Carries out the wizard's effects on named worker threads and reports
//! back as events over a channel, so the UI thread never waits on the
//! platform or the disk.

pub mod listing;

use crate::export;
use crate::model::account::PlatformId;
use crate::model::closing::receipt_text;
use crate::model::closure_check::ClosureCheck;
use crate::model::handoff::contacts_from_contracts;
use crate::model::review::{AccountChange, ChangeKind, ClosureOutcome};
use crate::model::wizard::SourceSettings;
use crate::model::wizard::{Effect, Event, FetchStatus, Receipt, SavedState, VerifyOutcome};
use crate::platform::endpoint::check_api_endpoint;
use crate::platform::registry::{self, Credentials, OpenContext};
use crate::platform::upwork::api::{ApiConfig, TokenSource};
use crate::platform::upwork::auth::{self, ApiKey, OAuthEndpoints, UpworkTokenSource};
use crate::platform::upwork::secrets::{Secret, SecretStore};
use crate::platform::{Platform, PlatformError};
use crate::store::{Store, write_atomically};
use chrono::{DateTime, Utc};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

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

    /// The GraphQL endpoint other than Upwork's to use, if any: the command
    /// line or environment first, then the saved progress.
    pub fn endpoint_for(&self, sources: &SourceSettings) -> Option<String> {
        self.api_base.clone().or_else(|| sources.api_base.clone())
    }

    /// The endpoint the token goes to, as the connect page shows it, or
    /// why it is refused.
    pub fn endpoint_in_use(&self, sources: &SourceSettings) -> Result<String, String> {
        let base = self
            .endpoint_for(sources)
            .unwrap_or_else(|| ApiConfig::default().base_url);
        check_api_endpoint(&base).map(|url| url.to_string())
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

/// The platforms this build offers (the registry), built as the product
/// runs them.
pub fn default_platforms(clock: Clock, api: ApiAccess) -> PlatformFactory {
    Arc::new(move |c: &Connection<'_>| {
        let context = OpenContext {
            now: clock(),
            changes: c.changes,
            sources: c.sources,
            credentials: &api,
        };
        registry::open(&c.platform, &context)
    })
}

/// Upwork's API as a platform, with the given token source and endpoint.
pub fn upwork_platform(
    tokens: Arc<dyn TokenSource>,
    api_base: Option<&str>,
    today: DateTime<Utc>,
) -> Result<Box<dyn Platform>, PlatformError> {
    crate::platform::upwork::api::connect_platform(tokens, api_base, today)
}

impl Credentials for ApiAccess {
    fn token_source(&self) -> Result<Option<Arc<dyn TokenSource>>, String> {
        Ok(ApiAccess::token_source(self)?.map(|t| Arc::new(t) as Arc<dyn TokenSource>))
    }

    fn endpoint(&self, sources: &SourceSettings) -> Option<String> {
        self.endpoint_for(sources)
    }
}

type SharedPlatform = Arc<RwLock<Option<Box<dyn Platform>>>>;

/// The platform for reading. A worker that panicked is reported as a
/// failed job; the platform it held stays usable, so the user can retry
/// instead of restarting (sources keep no half-made changes: the demo
/// applies each change whole, the others only read).
fn read_platform(platform: &SharedPlatform) -> RwLockReadGuard<'_, Option<Box<dyn Platform>>> {
    platform.read().unwrap_or_else(|poisoned| {
        platform.clear_poison();
        poisoned.into_inner()
    })
}

fn write_platform(platform: &SharedPlatform) -> RwLockWriteGuard<'_, Option<Box<dyn Platform>>> {
    platform.write().unwrap_or_else(|poisoned| {
        platform.clear_poison();
        poisoned.into_inner()
    })
}

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
    /// The order connects were asked in, and the newest one built: a
    /// connect overtaken on its way (the user typed again) must not put its
    /// older files or answers back.
    connects_asked: Arc<AtomicU64>,
    connect_built: Arc<AtomicU64>,
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
        let guard = read_platform(&self.platform);
        match guard.as_ref() {
            Some(platform) => work(platform.as_ref()),
            None => Err("not connected to a platform yet".into()),
        }
    }

    fn with_platform_mut<T>(
        &self,
        work: impl FnOnce(&mut dyn Platform) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut guard = write_platform(&self.platform);
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
    /// Why progress is not saved, when it is not (a second window, an
    /// unreadable state file).
    store_warning: Option<String>,
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
            connects_asked: Arc::new(AtomicU64::new(0)),
            connect_built: Arc::new(AtomicU64::new(0)),
        };
        let store_warning = store
            .as_ref()
            .and_then(|s| s.read_only_reason().map(str::to_string));
        let (saves, saver) = spawn_saver(context.clone(), store);
        Jobs {
            context,
            events,
            saves: Some(saves),
            saver,
            store_warning,
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

    /// Why progress is not saved, when it is not.
    pub fn store_warning(&self) -> Option<&str> {
        self.store_warning.as_deref()
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
                let failed = |message| Event::AccountsLoaded(Err(message));
                let order = self.context.connects_asked.fetch_add(1, Ordering::SeqCst) + 1;
                self.spawn("offboard-connect", failed, move |cx| {
                    let connection = Connection {
                        platform,
                        changes: &changes,
                        sources: &sources,
                    };
                    let result = connect(&cx, &connection, order);
                    cx.send(Event::AccountsLoaded(result));
                });
            }
            Effect::CheckApiConnection { sources, .. } => {
                let failed = |message| Event::ApiConnection {
                    result: Err(message),
                    storage_warning: None,
                };
                self.spawn("offboard-auth", failed, move |cx| {
                    let endpoint = cx.api.endpoint_in_use(&sources);
                    cx.send(Event::ApiEndpoint(endpoint.clone()));
                    let result = endpoint.and_then(|_| cx.api.token_source()).and_then(|t| {
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
                let failed = |message| Event::ApiConnection {
                    result: Err(message),
                    storage_warning: None,
                };
                self.spawn("offboard-auth", failed, move |cx| {
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
                    if result.is_ok() {
                        *write_platform(&cx.platform) = None;
                    }
                    cx.send(Event::ApiConnection {
                        result,
                        storage_warning: cx.api.secrets().backend().warning(),
                    });
                });
            }
            Effect::CancelAuthorize => self.authorize_cancel.store(true, Ordering::SeqCst),
            Effect::DisconnectApi { .. } => {
                let failed = |message| Event::ApiConnection {
                    result: Err(message),
                    storage_warning: None,
                };
                self.spawn("offboard-auth", failed, move |cx| {
                    let forgotten = match cx.api.token_source() {
                        Ok(Some(tokens)) => auth::disconnect(cx.api.secrets(), tokens.client_id())
                            .map_err(|e| e.to_string()),
                        Ok(None) => Ok(()),
                        Err(e) => Err(e),
                    };
                    *write_platform(&cx.platform) = None;
                    cx.send(Event::ApiConnection {
                        result: forgotten.map(|()| false),
                        storage_warning: cx.api.secrets().backend().warning(),
                    });
                });
            }
            Effect::ResetDemo => {
                let failed = |message| Event::AccountsLoaded(Err(message));
                self.spawn("offboard-reset", failed, move |cx| {
                    let rebuilt = (cx.make_platform)(&Connection {
                        platform: crate::platform::demo::profile::DEMO.id.clone(),
                        changes: &[],
                        sources: &SourceSettings::default(),
                    });
                    match rebuilt {
                        Ok(fresh) => {
                            *write_platform(&cx.platform) = Some(fresh);
                            cx.send(Event::DemoReset);
                        }
                        Err(e) => cx.send(Event::AccountsLoaded(Err(e.to_string()))),
                    }
                });
            }
            Effect::CancelFetch => self.fetch_cancel.store(true, Ordering::SeqCst),
            Effect::FetchPendingWork { account } => {
                self.fetch_cancel.store(false, Ordering::SeqCst);
                let cancel = Arc::clone(&self.fetch_cancel);
                let failed = {
                    let account = account.clone();
                    move |message| Event::PendingWorkLoaded {
                        account,
                        result: Err(message),
                    }
                };
                self.spawn("offboard-review", failed, move |cx| {
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
                let failed = {
                    let account = account.clone();
                    move |message| Event::ExportPreviewLoaded {
                        account,
                        result: Err(message),
                    }
                };
                self.spawn("offboard-preview", failed, move |cx| {
                    let result =
                        cx.with_platform(|p| p.counts(&account).map_err(|e| e.to_string()));
                    cx.send(Event::ExportPreviewLoaded { account, result });
                });
            }
            Effect::LoadClients { account } => {
                let failed = {
                    let account = account.clone();
                    move |message| Event::ClientsLoaded {
                        account,
                        result: Err(message),
                    }
                };
                self.spawn("offboard-clients", failed, move |cx| {
                    let result = cx.with_platform(|p| {
                        let contracts = p
                            .contracts(&account)
                            .and_then(|stream| stream.collect::<Result<Vec<_>, _>>())
                            .map_err(|e| e.to_string())?;
                        Ok(contacts_from_contracts(&contracts))
                    });
                    // Only checks actually read count as loaded: the close
                    // gate waits for them.
                    if let Ok(checks) = cx.with_platform(|p| Ok(p.manual_checks(&account))) {
                        cx.send(Event::ManualChecksLoaded {
                            account: account.clone(),
                            checks,
                        });
                    }
                    cx.send(Event::ClientsLoaded { account, result });
                });
            }
            Effect::Resolve {
                account,
                resolution,
            } => {
                let failed = {
                    let resolution = resolution.clone();
                    move |message| Event::Resolved {
                        resolution,
                        change: Err(message),
                    }
                };
                self.spawn("offboard-resolve", failed, move |cx| {
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
                let failed = |message| Event::ExportFinished(Err(message));
                self.spawn("offboard-export", failed, move |cx| {
                    let event = run_export(&cx, &account, &parent, &cancel);
                    cx.send(event);
                });
            }
            Effect::VerifyExport { folder } => {
                let failed = |message| Event::Verified(Err(message));
                self.spawn("offboard-verify", failed, move |cx| {
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
                clearance,
                receipt,
                export_folder,
            } => {
                let failed = |message| Event::Closed(Err(message));
                self.spawn("offboard-close", failed, move |cx| {
                    let result =
                        close_account(&cx, clearance.account(), *receipt, export_folder.as_deref());
                    cx.send(Event::Closed(result));
                });
            }
            Effect::CheckClosure { account, receipt } => {
                let clock = Arc::clone(&self.context.clock);
                let failed = move |message| {
                    Event::ClosureChecked(ClosureCheck::CouldNotCheck {
                        at: clock(),
                        problem: message,
                    })
                };
                self.spawn("offboard-check-closure", failed, move |cx| {
                    let now = (cx.clock)();
                    let check = cx
                        .with_platform(|p| Ok(check_closure(p, &account, now)))
                        .unwrap_or_else(|problem| ClosureCheck::CouldNotCheck { at: now, problem });
                    let mut receipt = *receipt;
                    let company = registry::profiles().get(&receipt.platform).company;
                    receipt.record_check(company, check.clone());
                    if let Some(folder) = receipt.receipt_path.as_deref().and_then(Path::parent)
                        && let Err(e) = write_receipt_files(folder, &receipt)
                    {
                        log::error!("the receipt could not be rewritten: {e}");
                    }
                    cx.send(Event::ClosureChecked(check));
                });
            }
            Effect::WriteText { path, contents } => {
                let failed = |message| Event::TextSaved(Err(message));
                self.spawn("offboard-write", failed, move |cx| {
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

    /// Run `work` on a named thread. A panic in it is a bug, but must not
    /// leave the page waiting forever: `failed` turns the panic's message
    /// into the job's own failure event, so the page offers to try again.
    fn spawn(
        &self,
        name: &'static str,
        failed: impl FnOnce(String) -> Event + Send + 'static,
        work: impl FnOnce(Context) + Send + 'static,
    ) {
        let cx = self.context.clone();
        cx.running.fetch_add(1, Ordering::SeqCst);
        let guard = RunningGuard(Arc::clone(&cx.running));
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let _guard = guard;
                let reporter = cx.clone();
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| work(cx)));
                if let Err(payload) = outcome {
                    let message = panic_message(payload.as_ref());
                    log::error!("the {name} thread panicked: {message}");
                    reporter.send(failed(format!(
                        "Offboard hit an internal error ({message}). Nothing was lost; try \
                         again, and if it happens again restart Offboard and report it."
                    )));
                }
            });
        if let Err(e) = spawned {
            log::error!("could not start the {name} thread: {e}");
        }
    }
}

/// The text a panic carries, when it is text.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Builds the platform `connection` names (the `order`-th connect asked
/// for) and lists its accounts. Workers may run connects out of order: one
/// overtaken by a newer connect leaves the newer platform in place.
fn connect(
    cx: &Context,
    connection: &Connection<'_>,
    order: u64,
) -> Result<Vec<crate::model::account::AccountSummary>, String> {
    let mut guard = write_platform(&cx.platform);
    let overtaken = cx.connect_built.load(Ordering::SeqCst) > order;
    let current = guard.as_ref().map(|p| p.id());
    let given = registry::profiles()
        .get(&connection.platform)
        .connect
        .given_by_user();
    if !overtaken && (current.as_ref() != Some(&connection.platform) || given) {
        *guard = None;
        *guard = Some((cx.make_platform)(connection).map_err(|e| e.to_string())?);
        cx.connect_built.store(order, Ordering::SeqCst);
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
) -> Result<(ClosureOutcome, Option<PathBuf>), String> {
    let now = (cx.clock)();
    let outcome = cx.with_platform_mut(|p| {
        if p.can_act() {
            return p.close_account(account, now).map_err(|e| e.to_string());
        }
        let check = check_closure(p, account, now);
        Ok(ClosureOutcome {
            closed_at: now,
            reference: format!("confirmed by you on {}", now.format("%Y-%m-%d %H:%M UTC")),
            reactivate_until: None,
            evidence: Some(check.sentence(registry::profiles().get(&p.id()).company)),
            check: Some(check),
        })
    })?;
    let Some(folder) = export_folder else {
        return Ok((outcome, None));
    };
    receipt.closed_at = outcome.closed_at;
    receipt.reference = outcome.reference.clone();
    receipt.reactivate_until = outcome.reactivate_until;
    receipt.evidence = outcome.evidence.clone();
    receipt.check = outcome.check.clone();
    receipt.receipt_path = Some(folder.join(export::RECEIPT_TEXT));
    // The account is closed whatever happens to the receipt file, even a
    // bug: a failure here is reported on the done page, not as a failed
    // closing.
    let written =
        std::panic::catch_unwind(AssertUnwindSafe(|| write_receipt_files(folder, &receipt)))
            .unwrap_or_else(|payload| Err(panic_message(payload.as_ref())));
    match written {
        Ok(()) => Ok((outcome, receipt.receipt_path)),
        Err(e) => {
            log::error!(
                "the receipt could not be written into {}: {e}",
                folder.display()
            );
            Ok((outcome, None))
        }
    }
}

/// receipt.json and receipt.txt beside the export's manifest.
fn write_receipt_files(folder: &Path, receipt: &Receipt) -> Result<(), String> {
    let json = serde_json::to_vec_pretty(receipt).map_err(|e| e.to_string())?;
    export::write_closing_file(folder, export::RECEIPT_JSON, &json).map_err(|e| e.to_string())?;
    export::write_closing_file(
        folder,
        export::RECEIPT_TEXT,
        receipt_text(registry::profiles().get(&receipt.platform), receipt).as_bytes(),
    )
    .map_err(|e| e.to_string())
}

/// Ask the platform whether an account closed on its website is gone, and
/// say only what was observed.
fn check_closure(platform: &dyn Platform, account: &str, now: DateTime<Utc>) -> ClosureCheck {
    if !platform.sees_account_state() {
        return ClosureCheck::CannotCheck;
    }
    match platform.pending_work(account) {
        Ok(work) if work.closed => ClosureCheck::VerifiedClosed {
            at: now,
            how: "the API reports the account closed".into(),
        },
        Ok(_) => ClosureCheck::StillOpen { at: now },
        Err(PlatformError::AccountClosed) => ClosureCheck::VerifiedClosed {
            at: now,
            how: "the API answers that the account is closed".into(),
        },
        // A refused sign-in often follows a closing, but proves nothing:
        // the key may have been revoked for another reason.
        Err(e) => ClosureCheck::CouldNotCheck {
            at: now,
            problem: e.to_string(),
        },
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
                // A read-only store was reported once, at start.
                if let Some(store) = store.as_ref().filter(|s| s.read_only_reason().is_none()) {
                    let saved = std::panic::catch_unwind(AssertUnwindSafe(|| store.save(&state)))
                        .map_err(|payload| {
                            format!("an internal error ({})", panic_message(payload.as_ref()))
                        })
                        .and_then(|saved| saved.map_err(|e| e.to_string()));
                    if let Err(e) = saved {
                        log::error!("{e}");
                        cx.send(Event::SaveFailed(e));
                    }
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

#[cfg(test)]
mod tests;
