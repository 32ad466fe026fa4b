//! The wizard as an Elm-style state machine: the UI sends `Action`s, workers
//! send `Event`s, and both return `Effect`s for the outside world to carry
//! out. Every rule about moving between steps lives here.

use super::account::{
    AccountKind, AccountSummary, ClientContact, ManualCheck, PlatformId, SectionCounts,
};
use super::review::{
    AccountChange, Assessment, ChangeKind, ClosureOutcome, PendingWork, Resolution, assess,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The saved-state format; bump when `SavedState` changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

/// The most characters the feedback field takes.
pub const FEEDBACK_LIMIT: usize = 2000;

/// The most characters the "other reason" field takes.
pub const OTHER_REASON_LIMIT: usize = 200;

/// How old a review may get on the review and confirm pages before it is
/// fetched again by itself.
pub const RECHECK_AFTER: Duration = Duration::seconds(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Welcome,
    Connect,
    Reason,
    Feedback,
    Review,
    Export,
    Checklist,
    Confirm,
    Done,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Welcome,
        Step::Connect,
        Step::Reason,
        Step::Feedback,
        Step::Review,
        Step::Export,
        Step::Checklist,
        Step::Confirm,
        Step::Done,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Welcome => "Welcome",
            Step::Connect => "Connect",
            Step::Reason => "Reason",
            Step::Feedback => "Feedback",
            Step::Review => "Pending work",
            Step::Export => "Export data",
            Step::Checklist => "Checklist & clients",
            Step::Confirm => "Confirm",
            Step::Done => "Done",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ALL.get(i).copied())
    }
}

/// Why people leave; the platform's own closing form asks the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeaveReason {
    FoundWorkOutside,
    TakingABreak,
    HardToFindClients,
    FeesNotWorthIt,
    ClientDidNotPay,
    PrivacyConcerns,
    MovingToAnotherPlatform,
    NoLongerNeeded,
    Other,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 9] = [
        LeaveReason::FoundWorkOutside,
        LeaveReason::TakingABreak,
        LeaveReason::HardToFindClients,
        LeaveReason::FeesNotWorthIt,
        LeaveReason::ClientDidNotPay,
        LeaveReason::PrivacyConcerns,
        LeaveReason::MovingToAnotherPlatform,
        LeaveReason::NoLongerNeeded,
        LeaveReason::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LeaveReason::FoundWorkOutside => "I found work outside the platform",
            LeaveReason::TakingABreak => "I'm taking a break from freelancing",
            LeaveReason::HardToFindClients => "It's too hard to find clients",
            LeaveReason::FeesNotWorthIt => "The fees or pay aren't worth it",
            LeaveReason::ClientDidNotPay => "A client didn't pay or scammed me",
            LeaveReason::PrivacyConcerns => "Privacy concerns",
            LeaveReason::MovingToAnotherPlatform => "I'm moving to another platform",
            LeaveReason::NoLongerNeeded => "I no longer need the account",
            LeaveReason::Other => "Other",
        }
    }
}

/// The pre-close checklist: things no platform check catches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistItem {
    WithdrawEarnings,
    DownloadTaxForms,
    DownloadCertificateOfEarnings,
    RemovePaymentMethods,
    DisconnectLinkedLogins,
    UpdateProfileLinks,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 6] = [
        ChecklistItem::WithdrawEarnings,
        ChecklistItem::DownloadTaxForms,
        ChecklistItem::DownloadCertificateOfEarnings,
        ChecklistItem::RemovePaymentMethods,
        ChecklistItem::DisconnectLinkedLogins,
        ChecklistItem::UpdateProfileLinks,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChecklistItem::WithdrawEarnings => "Withdraw all earnings",
            ChecklistItem::DownloadTaxForms => "Download tax forms (1099-K, W-9 or W-8BEN)",
            ChecklistItem::DownloadCertificateOfEarnings => {
                "Download the certificate of earnings and invoices"
            }
            ChecklistItem::RemovePaymentMethods => "Remove saved payment and withdrawal methods",
            ChecklistItem::DisconnectLinkedLogins => "Disconnect linked logins (Google, Apple)",
            ChecklistItem::UpdateProfileLinks => {
                "Update links to your profile (website, CV, LinkedIn, email signature)"
            }
        }
    }

    pub fn detail(self) -> &'static str {
        match self {
            ChecklistItem::WithdrawEarnings => {
                "Withdrawals can take up to 8 business days to arrive; keep the payout method \
                 until they do."
            }
            ChecklistItem::DownloadTaxForms => {
                "Reports › Tax Documents. Whether they stay reachable after closing is unknown."
            }
            ChecklistItem::DownloadCertificateOfEarnings => {
                "Reports › Certificate of Earnings (1, 3, 6 or 12 months) and one invoice \
                 download per month."
            }
            ChecklistItem::RemovePaymentMethods => {
                "Settings › Billing & Payments and Get Paid: remove cards, bank accounts and \
                 PayPal."
            }
            ChecklistItem::DisconnectLinkedLogins => {
                "Settings › Password & Security: unlink sign-in providers."
            }
            ChecklistItem::UpdateProfileLinks => {
                "A link to a closed profile looks like a dead end to a future client."
            }
        }
    }
}

/// A finished export, as the export returns it and the saved progress
/// remembers it, so the receipt can name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub folder: PathBuf,
    /// SHA-256 of manifest.json as written: it covers every other file.
    pub manifest_sha256: String,
    /// Files listed in the manifest.
    pub files: usize,
    /// Platform records exported (a record in both JSON and CSV counts once).
    pub records: u64,
    /// Bytes of the files listed in the manifest.
    pub bytes: u64,
    pub finished_at: DateTime<Utc>,
}

/// What the done page shows and the receipt file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub closed_at: DateTime<Utc>,
    pub platform: PlatformId,
    pub account: AccountSummary,
    pub reason: String,
    pub feedback: String,
    pub reference: String,
    pub reactivate_until: Option<DateTime<Utc>>,
    pub export_manifest_sha256: Option<String>,
    /// How the closing is known, where the platform did not close it itself.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Where the receipt was written, when it was.
    pub receipt_path: Option<PathBuf>,
}

/// The user's progress: everything saved after each change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: Step,
    /// The furthest step reached; every step up to it can be revisited.
    pub furthest: Step,
    pub platform: PlatformId,
    pub account: Option<AccountSummary>,
    pub reason: Option<LeaveReason>,
    pub other_reason: String,
    pub feedback: String,
    pub export_parent: Option<PathBuf>,
    pub export: Option<ExportRecord>,
    /// The user chose to go on without exporting through Offboard.
    pub export_skipped: bool,
    pub checklist: BTreeSet<ChecklistItem>,
    /// Farewell messages the user edited, by client name.
    pub farewells: BTreeMap<String, String>,
    pub typed_name: String,
    pub receipt: Option<Receipt>,
    #[serde(default)]
    pub sources: SourceSettings,
    /// Manual checks (from sources that cannot see everything) ticked by id.
    #[serde(default)]
    pub manual_ticks: BTreeSet<String>,
    /// The user says the account is closed on the platform's website,
    /// for sources that cannot close it themselves.
    #[serde(default)]
    pub closed_on_website: bool,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            step: Step::Welcome,
            furthest: Step::Welcome,
            platform: PlatformId::Demo,
            account: None,
            reason: None,
            other_reason: String::new(),
            feedback: String::new(),
            export_parent: None,
            export: None,
            export_skipped: false,
            checklist: BTreeSet::new(),
            farewells: BTreeMap::new(),
            typed_name: String::new(),
            receipt: None,
            sources: SourceSettings::default(),
            manual_ticks: BTreeSet::new(),
            closed_on_website: false,
        }
    }
}

/// What the store writes: the progress plus the changes made to demo
/// accounts, which outlive "Start over".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedState {
    pub schema_version: u32,
    pub progress: Progress,
    pub account_changes: Vec<AccountChange>,
}

/// A value fetched in the background.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loadable<T> {
    #[default]
    NotLoaded,
    Loading {
        /// The last value, shown while re-checking.
        previous: Option<T>,
    },
    Loaded(T),
    Failed {
        message: String,
        previous: Option<T>,
    },
}

impl<T> Loadable<T> {
    /// The freshest value there is, even while reloading or after a failure.
    pub fn value(&self) -> Option<&T> {
        match self {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous.as_ref(),
            Loadable::NotLoaded => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading { .. })
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Loadable::Failed { message, .. } => Some(message),
            _ => None,
        }
    }

    /// Take the freshest value out, leaving `NotLoaded`.
    fn take_previous(&mut self) -> Option<T> {
        match std::mem::take(self) {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous,
            Loadable::NotLoaded => None,
        }
    }

    /// Start loading, keeping what was there to show meanwhile.
    fn begin(&mut self) {
        let previous = self.take_previous();
        *self = Loadable::Loading { previous };
    }

    fn finish(&mut self, result: Result<T, String>) {
        *self = match result {
            Ok(v) => Loadable::Loaded(v),
            Err(message) => Loadable::Failed {
                message,
                previous: self.take_previous(),
            },
        };
    }
}

/// Where a running export stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportJob {
    Idle,
    Running {
        section: String,
        sections_done: usize,
        sections_total: usize,
        records: u64,
        bytes: u64,
        cancelling: bool,
    },
    Cancelled,
    Failed(String),
}

impl ExportJob {
    pub fn is_running(&self) -> bool {
        matches!(self, ExportJob::Running { .. })
    }
}

/// What a platform source needs besides its id: the files of the CSV
/// source and, for tests and proxies, another API endpoint. Secrets are
/// never here: they live in the OS keyring.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSettings {
    pub csv_files: Vec<PathBuf>,
    /// The kind of account the CSV files are from, when the user says so;
    /// `None` reads it from the files.
    #[serde(default)]
    pub csv_kind: Option<AccountKind>,
    pub api_base: Option<String>,
}

/// Text that must not show up in logs or debug output (an API secret).
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(pub String);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The user's own API key, as typed into the connect form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyForm {
    pub client_id: String,
    pub client_secret: SecretText,
    pub redirect_uri: String,
}

/// How far a networked fetch has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchStatus {
    pub current: String,
    pub queries: u64,
    pub records: u64,
}

/// Where signing in to a platform's API stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AuthState {
    /// Not known yet, or not asked.
    #[default]
    Unknown,
    /// Waiting for the user to approve in the browser.
    Authorizing,
    Connected,
    NotConnected,
    Failed(String),
}

/// What re-checking an export folder against its manifest found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOutcome {
    pub files_checked: usize,
    pub records: u64,
    /// Each problem as (file, what is wrong).
    pub problems: Vec<(String, String)>,
}

/// A message for the user that is not tied to one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

/// What the user does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Next,
    Back,
    GoTo(Step),
    ChoosePlatform(PlatformId),
    AddCsvFiles(Vec<PathBuf>),
    RemoveCsvFile(PathBuf),
    /// Which kind of account the CSV files are from (`None`: as detected).
    SetCsvKind(Option<AccountKind>),
    ConnectApi(ApiKeyForm),
    CancelConnectApi,
    DisconnectApi,
    ToggleManualCheck(String),
    CancelFetch,
    SetClosedOnWebsite(bool),
    ChooseAccount(String),
    ChooseReason(LeaveReason),
    SetOtherReason(String),
    SetFeedback(String),
    Recheck,
    Resolve(Resolution),
    ChooseExportFolder(PathBuf),
    StartExport,
    CancelExport,
    SkipExport(bool),
    VerifyExport,
    ToggleChecklist(ChecklistItem),
    EditFarewell {
        client: String,
        text: String,
    },
    ResetFarewell(String),
    TypeName(String),
    CloseAccount,
    SaveText {
        path: PathBuf,
        contents: String,
    },
    DismissNotice,
    StartOver,
    ResetDemo,
}

/// What the outside world must do; the app hands these to `jobs`.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Save(Box<SavedState>),
    /// Connect to the platform (replaying the saved changes on a demo) and
    /// list its accounts.
    LoadAccounts {
        platform: PlatformId,
        changes: Vec<AccountChange>,
        sources: SourceSettings,
    },
    /// Run the OAuth flow in the browser with the user's API key.
    AuthorizeApi {
        platform: PlatformId,
        key: ApiKeyForm,
    },
    CancelAuthorize,
    /// Stop a networked fetch (the review) part-way.
    CancelFetch,
    /// Forget the tokens and secret of the platform's API.
    DisconnectApi {
        platform: PlatformId,
    },
    /// Ask whether the platform's API is connected.
    CheckApiConnection {
        platform: PlatformId,
    },
    FetchPendingWork {
        account: String,
    },
    LoadExportPreview {
        account: String,
    },
    LoadClients {
        account: String,
    },
    Resolve {
        account: String,
        resolution: Resolution,
    },
    RunExport {
        account: String,
        parent: PathBuf,
    },
    CancelExport,
    VerifyExport {
        folder: PathBuf,
    },
    CloseAccount {
        account: String,
        receipt: Box<Receipt>,
        export_folder: Option<PathBuf>,
    },
    WriteText {
        path: PathBuf,
        contents: String,
    },
    ResetDemo,
}

/// What the workers report back.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    AccountsLoaded(Result<Vec<AccountSummary>, String>),
    PendingWorkLoaded {
        account: String,
        result: Result<Box<PendingWork>, String>,
    },
    ExportPreviewLoaded {
        account: String,
        result: Result<SectionCounts, String>,
    },
    ClientsLoaded {
        account: String,
        result: Result<Vec<ClientContact>, String>,
    },
    ManualChecksLoaded {
        account: String,
        checks: Vec<ManualCheck>,
    },
    FetchProgress(FetchStatus),
    ApiConnection {
        result: Result<bool, String>,
        storage_warning: Option<String>,
    },
    Resolved {
        resolution: Resolution,
        change: Result<AccountChange, String>,
    },
    ExportProgress {
        section: String,
        sections_done: usize,
        sections_total: usize,
        records: u64,
        bytes: u64,
    },
    ExportFinished(Result<ExportRecord, String>),
    ExportCancelled,
    Verified(Result<VerifyOutcome, String>),
    Closed(Result<(ClosureOutcome, Option<PathBuf>), String>),
    TextSaved(Result<PathBuf, String>),
    SaveFailed(String),
    DemoReset,
}

/// The whole wizard: saved progress plus what is only known while running.
#[derive(Clone, Debug)]
pub struct Wizard {
    pub progress: Progress,
    pub account_changes: Vec<AccountChange>,
    pub accounts: Loadable<Vec<AccountSummary>>,
    pub assessment: Loadable<Assessment>,
    pub export_preview: Loadable<SectionCounts>,
    pub clients: Loadable<Vec<ClientContact>>,
    pub export_job: ExportJob,
    pub verification: Loadable<VerifyOutcome>,
    /// Checks the source cannot make, for the checklist.
    pub manual_checks: Vec<ManualCheck>,
    pub api_auth: AuthState,
    /// The fetch under way, for sources that report it.
    pub fetch_status: Option<FetchStatus>,
    /// Shown when secrets fall back to a private file (no OS keyring).
    pub secret_storage_warning: Option<String>,
    /// Resolutions sent to the platform and not answered yet.
    pub resolving: BTreeSet<Resolution>,
    pub closing: bool,
    pub close_error: Option<String>,
    pub notice: Option<Notice>,
    /// A re-check was asked for while one was under way: its answer may
    /// predate a change, so fetch once more when it lands.
    refetch_pending_work: bool,
}

impl Wizard {
    /// A wizard resumed from saved state (or `SavedState::default()` for a
    /// first launch). Returns the effects that load what the current step needs.
    pub fn resume(saved: SavedState, now: DateTime<Utc>) -> (Wizard, Vec<Effect>) {
        let mut wizard = Wizard {
            progress: saved.progress,
            account_changes: saved.account_changes,
            accounts: Loadable::NotLoaded,
            assessment: Loadable::NotLoaded,
            export_preview: Loadable::NotLoaded,
            clients: Loadable::NotLoaded,
            export_job: ExportJob::Idle,
            verification: Loadable::NotLoaded,
            manual_checks: Vec::new(),
            api_auth: AuthState::Unknown,
            fetch_status: None,
            secret_storage_warning: None,
            resolving: BTreeSet::new(),
            closing: false,
            close_error: None,
            notice: None,
            refetch_pending_work: false,
        };
        // A saved step past what the data supports (e.g. a hand-edited file)
        // falls back to the first step that is not complete.
        if wizard.progress.furthest < wizard.progress.step {
            wizard.progress.furthest = wizard.progress.step;
        }
        if wizard.progress.receipt.is_none() && wizard.progress.step == Step::Done {
            wizard.progress.step = Step::Confirm;
        }
        if wizard.progress.receipt.is_some() {
            wizard.progress.step = Step::Done;
        }
        wizard.accounts.begin();
        let mut effects = vec![wizard.connect_platform()];
        effects.extend(wizard.enter_step(now));
        (wizard, effects)
    }

    pub fn saved_state(&self) -> SavedState {
        SavedState {
            schema_version: SCHEMA_VERSION,
            progress: self.progress.clone(),
            account_changes: self.account_changes.clone(),
        }
    }

    pub fn step(&self) -> Step {
        self.progress.step
    }

    pub fn account(&self) -> Option<&AccountSummary> {
        self.progress.account.as_ref()
    }

    fn account_id(&self) -> Option<String> {
        self.progress.account.as_ref().map(|a| a.id.clone())
    }

    pub fn is_closed(&self) -> bool {
        self.progress.receipt.is_some()
    }

    /// Whether a step can be opened from the step list.
    pub fn can_visit(&self, step: Step) -> bool {
        if self.is_closed() {
            return step == Step::Done;
        }
        step <= self.progress.furthest && step != Step::Done
    }

    pub fn can_go_back(&self) -> bool {
        !self.is_closed() && self.progress.step.previous().is_some() && !self.busy_leaving()
    }

    /// An export in flight keeps the user on the export page, so Cancel
    /// stays in reach.
    fn busy_leaving(&self) -> bool {
        self.export_job.is_running() || self.closing
    }

    /// Why Next is disabled on the current step, in words for the user;
    /// `None` when it is enabled.
    pub fn next_blocked_reason(&self) -> Option<String> {
        let p = &self.progress;
        if self.export_job.is_running() {
            return Some("Wait for the export to finish, or cancel it.".into());
        }
        match p.step {
            Step::Welcome => None,
            Step::Connect => match &p.account {
                None => Some("Choose the account you are leaving to continue.".into()),
                Some(_) => None,
            },
            Step::Reason => match p.reason {
                None => Some("Choose a reason for leaving to continue.".into()),
                Some(LeaveReason::Other) if p.other_reason.trim().is_empty() => {
                    Some("You chose \"Other\": describe your reason in a few words.".into())
                }
                Some(_) => None,
            },
            Step::Feedback => {
                let used = p.feedback.chars().count();
                (used > FEEDBACK_LIMIT).then(|| {
                    format!(
                        "Shorten your feedback by {} characters to continue.",
                        used - FEEDBACK_LIMIT
                    )
                })
            }
            Step::Review => match &self.assessment {
                Loadable::Loaded(_) => None,
                Loadable::Failed { message, .. } => Some(format!(
                    "The review could not be loaded: {message} Press Re-check."
                )),
                _ => Some("Wait for the review of your pending work to load.".into()),
            },
            Step::Export => {
                if p.export.is_some() || p.export_skipped {
                    None
                } else {
                    Some(
                        "Export your data first: it is gone once the account closes. \
                         Or tick that you already have a copy."
                            .into(),
                    )
                }
            }
            Step::Checklist => {
                let manual_left = self
                    .manual_checks
                    .iter()
                    .filter(|c| !p.manual_ticks.contains(&c.id))
                    .count();
                let left = ChecklistItem::ALL.len() - p.checklist.len() + manual_left;
                (left > 0).then(|| {
                    format!(
                        "Tick the {left} remaining checklist item{} to continue; tick those \
                         that do not apply to you too.",
                        if left == 1 { "" } else { "s" }
                    )
                })
            }
            Step::Confirm => self.close_blocked_reason(),
            Step::Done => Some("The account is closed.".into()),
        }
    }

    /// Why the account cannot be closed now, naming each thing still in the way.
    pub fn close_blocked_reason(&self) -> Option<String> {
        let mut reasons = Vec::new();
        match &self.assessment {
            Loadable::Loaded(a) => {
                let n = a.blocker_count();
                if n > 0 {
                    reasons.push(format!(
                        "{n} blocker{} still open on the pending-work page",
                        if n == 1 { " is" } else { "s are" }
                    ));
                }
            }
            Loadable::Loading { .. } => reasons.push("the pending work is being re-checked".into()),
            Loadable::Failed { .. } | Loadable::NotLoaded => {
                reasons.push("the pending work could not be checked; press Re-check".into())
            }
        }
        match &self.progress.account {
            Some(account) if self.progress.typed_name.trim() == account.username => {}
            Some(account) => reasons.push(format!(
                "type the username \"{}\" exactly to confirm",
                account.username
            )),
            None => reasons.push("no account is chosen".into()),
        }
        if !self.progress.platform.acts_itself() && !self.progress.closed_on_website {
            reasons.push(format!(
                "close the account on {}'s website, then tick that you did",
                self.progress.platform.company()
            ));
        }
        if self.closing {
            reasons.push("closing is under way".into());
        }
        if reasons.is_empty() {
            None
        } else {
            let mut text = reasons.join("; ");
            if let Some(first) = text.get(0..1) {
                text = first.to_uppercase() + &text[1..];
            }
            Some(text + ".")
        }
    }

    /// The reason as the receipt states it.
    pub fn reason_text(&self) -> String {
        match self.progress.reason {
            Some(LeaveReason::Other) => format!("Other: {}", self.progress.other_reason.trim()),
            Some(reason) => reason.label().to_string(),
            None => String::new(),
        }
    }

    /// Handle a user action at `now`.
    pub fn apply(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        let before = self.saved_state();
        let mut effects = self.apply_inner(action, now);
        if self.saved_state() != before {
            effects.push(Effect::Save(Box::new(self.saved_state())));
        }
        effects
    }

    fn apply_inner(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        match action {
            Action::Next => {
                if self.progress.step == Step::Confirm {
                    return self.apply_inner(Action::CloseAccount, now);
                }
                if self.next_blocked_reason().is_some() {
                    return Vec::new();
                }
                match self.progress.step.next() {
                    Some(next) => self.go_to(next, now),
                    None => Vec::new(),
                }
            }
            Action::Back => {
                if !self.can_go_back() {
                    return Vec::new();
                }
                match self.progress.step.previous() {
                    Some(previous) => self.go_to(previous, now),
                    None => Vec::new(),
                }
            }
            Action::GoTo(step) => {
                if self.can_visit(step) && !self.busy_leaving() && step != self.progress.step {
                    self.go_to(step, now)
                } else {
                    Vec::new()
                }
            }
            Action::ChoosePlatform(platform) => {
                if platform != self.progress.platform && !self.is_closed() && !self.busy_leaving() {
                    self.progress.platform = platform;
                    self.forget_account();
                    self.accounts = Loadable::NotLoaded;
                    self.accounts.begin();
                    self.manual_checks.clear();
                    self.api_auth = AuthState::Unknown;
                    return vec![self.connect_platform()];
                }
                Vec::new()
            }
            Action::ChooseAccount(id) => {
                if self.is_closed()
                    || self.busy_leaving()
                    || self.account_id().as_deref() == Some(id.as_str())
                {
                    return Vec::new();
                }
                let Some(summary) = self
                    .accounts
                    .value()
                    .and_then(|list| list.iter().find(|a| a.id == id))
                    .cloned()
                else {
                    return Vec::new();
                };
                self.forget_account();
                self.progress.account = Some(summary);
                Vec::new()
            }
            Action::AddCsvFiles(paths) => {
                let files = &mut self.progress.sources.csv_files;
                let before = files.len();
                for path in paths {
                    if !files.contains(&path) {
                        files.push(path);
                    }
                }
                if files.len() == before {
                    return Vec::new();
                }
                self.reload_source()
            }
            Action::RemoveCsvFile(path) => {
                let files = &mut self.progress.sources.csv_files;
                let before = files.len();
                files.retain(|f| f != &path);
                if files.len() == before {
                    return Vec::new();
                }
                self.reload_source()
            }
            Action::SetCsvKind(kind) => {
                if self.progress.sources.csv_kind == kind {
                    return Vec::new();
                }
                self.progress.sources.csv_kind = kind;
                self.reload_source()
            }
            Action::ConnectApi(key) => {
                if self.api_auth == AuthState::Authorizing || self.is_closed() {
                    return Vec::new();
                }
                self.api_auth = AuthState::Authorizing;
                vec![Effect::AuthorizeApi {
                    platform: self.progress.platform,
                    key,
                }]
            }
            Action::CancelConnectApi => {
                if self.api_auth == AuthState::Authorizing {
                    return vec![Effect::CancelAuthorize];
                }
                Vec::new()
            }
            Action::DisconnectApi => {
                if self.busy_leaving() {
                    return Vec::new();
                }
                self.forget_account();
                self.accounts = Loadable::NotLoaded;
                self.api_auth = AuthState::NotConnected;
                vec![Effect::DisconnectApi {
                    platform: self.progress.platform,
                }]
            }
            Action::ToggleManualCheck(id) => {
                if !self.progress.manual_ticks.remove(&id) {
                    self.progress.manual_ticks.insert(id);
                }
                Vec::new()
            }
            Action::CancelFetch => {
                if self.assessment.is_loading() {
                    return vec![Effect::CancelFetch];
                }
                Vec::new()
            }
            Action::SetClosedOnWebsite(closed) => {
                self.progress.closed_on_website = closed;
                Vec::new()
            }
            Action::ChooseReason(reason) => {
                self.progress.reason = Some(reason);
                Vec::new()
            }
            Action::SetOtherReason(text) => {
                self.progress.other_reason = text.chars().take(OTHER_REASON_LIMIT).collect();
                Vec::new()
            }
            Action::SetFeedback(text) => {
                self.progress.feedback = text.chars().take(FEEDBACK_LIMIT).collect();
                Vec::new()
            }
            Action::Recheck => self.fetch_pending_work(),
            Action::Resolve(resolution) => {
                let Some(account) = self.account_id() else {
                    return Vec::new();
                };
                if self.is_closed() || !self.resolving.insert(resolution.clone()) {
                    return Vec::new();
                }
                vec![Effect::Resolve {
                    account,
                    resolution,
                }]
            }
            Action::ChooseExportFolder(path) => {
                if !self.export_job.is_running() {
                    self.progress.export_parent = Some(path);
                    self.export_job = ExportJob::Idle;
                }
                Vec::new()
            }
            Action::StartExport => {
                let (Some(account), Some(parent)) =
                    (self.account_id(), self.progress.export_parent.clone())
                else {
                    return Vec::new();
                };
                if self.export_job.is_running() || self.is_closed() {
                    return Vec::new();
                }
                self.export_job = ExportJob::Running {
                    section: "Starting".into(),
                    sections_done: 0,
                    sections_total: 0,
                    records: 0,
                    bytes: 0,
                    cancelling: false,
                };
                vec![Effect::RunExport { account, parent }]
            }
            Action::CancelExport => {
                if let ExportJob::Running { cancelling, .. } = &mut self.export_job {
                    *cancelling = true;
                    return vec![Effect::CancelExport];
                }
                Vec::new()
            }
            Action::VerifyExport => {
                let Some(record) = &self.progress.export else {
                    return Vec::new();
                };
                if self.verification.is_loading() || self.export_job.is_running() {
                    return Vec::new();
                }
                let folder = record.folder.clone();
                self.verification = Loadable::NotLoaded;
                self.verification.begin();
                vec![Effect::VerifyExport { folder }]
            }
            Action::SkipExport(skip) => {
                self.progress.export_skipped = skip;
                Vec::new()
            }
            Action::ToggleChecklist(item) => {
                if !self.progress.checklist.remove(&item) {
                    self.progress.checklist.insert(item);
                }
                Vec::new()
            }
            Action::EditFarewell { client, text } => {
                self.progress.farewells.insert(client, text);
                Vec::new()
            }
            Action::ResetFarewell(client) => {
                self.progress.farewells.remove(&client);
                Vec::new()
            }
            Action::TypeName(text) => {
                self.progress.typed_name = text;
                Vec::new()
            }
            Action::CloseAccount => self.close(now),
            Action::SaveText { path, contents } => vec![Effect::WriteText { path, contents }],
            Action::DismissNotice => {
                self.notice = None;
                Vec::new()
            }
            Action::StartOver => {
                if self.busy_leaving() {
                    return Vec::new();
                }
                let platform = self.progress.platform;
                self.progress = Progress {
                    platform,
                    ..Progress::default()
                };
                self.reset_runtime();
                Vec::new()
            }
            Action::ResetDemo => {
                if self.busy_leaving() {
                    return Vec::new();
                }
                self.account_changes.clear();
                self.progress = Progress::default();
                self.reset_runtime();
                self.accounts.begin();
                vec![Effect::ResetDemo]
            }
        }
    }

    /// Handle a worker's report at `now`.
    pub fn handle(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Effect> {
        let before = self.saved_state();
        let mut effects = self.handle_inner(event, now);
        if self.saved_state() != before {
            effects.push(Effect::Save(Box::new(self.saved_state())));
        }
        effects
    }

    fn handle_inner(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Effect> {
        let current = self.account_id();
        let is_current = |account: &str| current.as_deref() == Some(account);
        match event {
            Event::AccountsLoaded(result) => {
                // Keep the chosen account's details fresh, or drop a choice
                // the platform no longer lists.
                if let (Ok(list), Some(chosen)) = (&result, &self.progress.account) {
                    match list.iter().find(|a| a.id == chosen.id) {
                        Some(fresh) => self.progress.account = Some(fresh.clone()),
                        None if !self.is_closed() => {
                            self.forget_account();
                            if self.progress.step > Step::Connect {
                                self.progress.step = Step::Connect;
                            }
                            self.progress.furthest = self.progress.furthest.min(Step::Connect);
                        }
                        None => {}
                    }
                }
                self.accounts.finish(result);
                Vec::new()
            }
            Event::PendingWorkLoaded { account, result } => {
                if !is_current(&account) {
                    return Vec::new();
                }
                self.fetch_status = None;
                self.assessment
                    .finish(result.map(|work| assess(&work, now)));
                if std::mem::take(&mut self.refetch_pending_work) {
                    return self.fetch_pending_work();
                }
                Vec::new()
            }
            Event::FetchProgress(status) => {
                if self.assessment.is_loading() {
                    self.fetch_status = Some(status);
                }
                Vec::new()
            }
            Event::ManualChecksLoaded { account, checks } => {
                if is_current(&account) {
                    self.manual_checks = checks;
                }
                Vec::new()
            }
            Event::ApiConnection {
                result,
                storage_warning,
            } => {
                self.secret_storage_warning = storage_warning;
                match result {
                    Ok(true) => {
                        self.api_auth = AuthState::Connected;
                        self.accounts.begin();
                        vec![self.load_accounts()]
                    }
                    Ok(false) => {
                        self.api_auth = AuthState::NotConnected;
                        self.accounts = Loadable::NotLoaded;
                        Vec::new()
                    }
                    Err(message) => {
                        self.api_auth = AuthState::Failed(message);
                        self.accounts = Loadable::NotLoaded;
                        Vec::new()
                    }
                }
            }
            Event::ExportPreviewLoaded { account, result } => {
                if is_current(&account) {
                    self.export_preview.finish(result);
                }
                Vec::new()
            }
            Event::ClientsLoaded { account, result } => {
                if is_current(&account) {
                    self.clients.finish(result);
                }
                Vec::new()
            }
            Event::Resolved { resolution, change } => {
                self.resolving.remove(&resolution);
                match change {
                    Ok(change) => self.account_changes.push(change),
                    Err(message) => {
                        self.notice = Some(Notice {
                            kind: NoticeKind::Error,
                            text: message,
                        })
                    }
                }
                // A check already under way may have read the account before
                // this change: ask again once it lands.
                if self.assessment.is_loading() {
                    self.refetch_pending_work = true;
                }
                self.fetch_pending_work()
            }
            Event::ExportProgress {
                section,
                sections_done,
                sections_total,
                records,
                bytes,
            } => {
                if let ExportJob::Running { cancelling, .. } = self.export_job {
                    self.export_job = ExportJob::Running {
                        section,
                        sections_done,
                        sections_total,
                        records,
                        bytes,
                        cancelling,
                    };
                }
                Vec::new()
            }
            Event::ExportFinished(result) => {
                match result {
                    Ok(record) => {
                        self.verification = Loadable::NotLoaded;
                        self.progress.export = Some(record);
                        self.progress.export_skipped = false;
                        self.export_job = ExportJob::Idle;
                    }
                    Err(message) => self.export_job = ExportJob::Failed(message),
                }
                Vec::new()
            }
            Event::Verified(result) => {
                self.verification.finish(result);
                Vec::new()
            }
            Event::ExportCancelled => {
                self.export_job = ExportJob::Cancelled;
                Vec::new()
            }
            Event::Closed(result) => {
                self.closing = false;
                match result {
                    Ok((outcome, receipt_path)) => {
                        if let Some(account) = self.progress.account.clone() {
                            self.account_changes.push(AccountChange {
                                account: account.id.clone(),
                                at: outcome.closed_at,
                                change: ChangeKind::Closed {
                                    outcome: outcome.clone(),
                                },
                            });
                            self.progress.receipt =
                                Some(self.receipt_for(account, &outcome, receipt_path));
                        }
                        self.close_error = None;
                        self.progress.step = Step::Done;
                        self.progress.furthest = Step::Done;
                        Vec::new()
                    }
                    Err(message) => {
                        self.close_error = Some(message);
                        self.fetch_pending_work()
                    }
                }
            }
            Event::TextSaved(result) => {
                self.notice = Some(match result {
                    Ok(path) => Notice {
                        kind: NoticeKind::Info,
                        text: format!("Saved to {}", path.display()),
                    },
                    Err(message) => Notice {
                        kind: NoticeKind::Error,
                        text: message,
                    },
                });
                Vec::new()
            }
            Event::SaveFailed(message) => {
                self.notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!(
                        "Your progress could not be saved: {message} Offboard keeps working and \
                         tries again with your next change."
                    ),
                });
                Vec::new()
            }
            Event::DemoReset => {
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: "The demo accounts are back to how they started.".into(),
                });
                self.accounts.begin();
                vec![self.load_accounts()]
            }
        }
    }

    /// Re-check due on pages that show live blockers; call once a frame or so.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if !matches!(self.progress.step, Step::Review | Step::Confirm) || self.closing {
            return Vec::new();
        }
        match &self.assessment {
            Loadable::Loaded(a)
                if now - a.checked_at >= RECHECK_AFTER && self.resolving.is_empty() =>
            {
                self.fetch_pending_work()
            }
            _ => Vec::new(),
        }
    }

    /// The receipt the done page and the receipt file show.
    fn receipt_for(
        &self,
        account: AccountSummary,
        outcome: &ClosureOutcome,
        receipt_path: Option<PathBuf>,
    ) -> Receipt {
        Receipt {
            closed_at: outcome.closed_at,
            platform: self.progress.platform,
            account,
            reason: self.reason_text(),
            feedback: self.progress.feedback.clone(),
            reference: outcome.reference.clone(),
            reactivate_until: outcome.reactivate_until,
            export_manifest_sha256: self
                .progress
                .export
                .as_ref()
                .map(|e| e.manifest_sha256.clone()),
            evidence: outcome.evidence.clone(),
            receipt_path,
        }
    }

    fn close(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.progress.step != Step::Confirm || self.close_blocked_reason().is_some() {
            return Vec::new();
        }
        let Some(account) = self.progress.account.clone() else {
            return Vec::new();
        };
        self.closing = true;
        self.close_error = None;
        // The draft carries everything but what the platform answers.
        let draft = self.receipt_for(
            account.clone(),
            &ClosureOutcome {
                closed_at: now,
                reference: String::new(),
                reactivate_until: None,
                evidence: None,
            },
            None,
        );
        vec![Effect::CloseAccount {
            account: account.id,
            receipt: Box::new(draft),
            export_folder: self.progress.export.as_ref().map(|e| e.folder.clone()),
        }]
    }

    fn go_to(&mut self, step: Step, now: DateTime<Utc>) -> Vec<Effect> {
        self.progress.step = step;
        self.progress.furthest = self.progress.furthest.max(step);
        self.close_error = None;
        self.enter_step(now)
    }

    /// Loads what a step shows, when it is not loaded or may be stale.
    fn enter_step(&mut self, _now: DateTime<Utc>) -> Vec<Effect> {
        let Some(account) = self.account_id() else {
            return Vec::new();
        };
        if self.is_closed() {
            return Vec::new();
        }
        match self.progress.step {
            // Blockers are live facts: fetch them afresh every time.
            Step::Review | Step::Confirm => self.fetch_pending_work(),
            Step::Export if !self.export_preview.is_loading() => {
                self.export_preview.begin();
                vec![Effect::LoadExportPreview { account }]
            }
            Step::Checklist
                if matches!(self.clients, Loadable::NotLoaded | Loadable::Failed { .. }) =>
            {
                self.clients.begin();
                vec![Effect::LoadClients { account }]
            }
            _ => Vec::new(),
        }
    }

    /// API sources first find out whether the user has connected; the
    /// others list their accounts at once.
    fn connect_platform(&mut self) -> Effect {
        let platform = self.progress.platform;
        if platform == PlatformId::Upwork && self.api_auth != AuthState::Connected {
            return Effect::CheckApiConnection { platform };
        }
        self.load_accounts()
    }

    fn load_accounts(&self) -> Effect {
        Effect::LoadAccounts {
            platform: self.progress.platform,
            changes: self.account_changes.clone(),
            sources: self.progress.sources.clone(),
        }
    }

    fn fetch_pending_work(&mut self) -> Vec<Effect> {
        let Some(account) = self.account_id() else {
            return Vec::new();
        };
        if self.assessment.is_loading() || self.is_closed() {
            return Vec::new();
        }
        self.assessment.begin();
        vec![Effect::FetchPendingWork { account }]
    }

    /// The source's data changed (files added or removed): list the
    /// accounts again and drop what was loaded from the old data.
    fn reload_source(&mut self) -> Vec<Effect> {
        if self.busy_leaving() || self.is_closed() {
            return Vec::new();
        }
        self.assessment = Loadable::NotLoaded;
        self.export_preview = Loadable::NotLoaded;
        self.clients = Loadable::NotLoaded;
        self.manual_checks.clear();
        if self.progress.platform != PlatformId::UpworkCsv {
            return Vec::new();
        }
        self.accounts.begin();
        vec![self.load_accounts()]
    }

    /// Everything tied to the chosen account goes when the account changes.
    fn forget_account(&mut self) {
        let p = &mut self.progress;
        p.account = None;
        p.export = None;
        p.export_skipped = false;
        p.farewells.clear();
        // Every checklist item (earnings, tax forms, payment methods...) is
        // about the account being closed, so a new account starts unticked.
        p.checklist.clear();
        p.typed_name.clear();
        p.manual_ticks.clear();
        p.closed_on_website = false;
        p.furthest = p.furthest.min(p.step);
        self.reset_runtime();
    }

    /// Drops what was loaded for the account and any job state; callers
    /// make sure no export or closing is under way.
    fn reset_runtime(&mut self) {
        self.refetch_pending_work = false;
        self.verification = Loadable::NotLoaded;
        self.assessment = Loadable::NotLoaded;
        self.export_preview = Loadable::NotLoaded;
        self.clients = Loadable::NotLoaded;
        self.manual_checks.clear();
        self.export_job = ExportJob::Idle;
        self.resolving.clear();
        self.closing = false;
        self.close_error = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::{AccountKind, ContractKind, Proposal, ProposalStatus};
    use crate::model::money::Money;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid UTC time")
    }

    /// Monday 23 November 2026, 10:00 UTC.
    fn now() -> DateTime<Utc> {
        at(2026, 11, 23, 10, 0, 0)
    }

    fn summary(id: &str, kind: AccountKind, username: &str) -> AccountSummary {
        AccountSummary {
            id: id.into(),
            kind,
            username: username.into(),
            display_name: format!("{username} display"),
            email: format!("{username}@example.com"),
            member_since: at(2019, 3, 4, 9, 0, 0),
        }
    }

    fn freelancer() -> AccountSummary {
        summary("freelancer", AccountKind::Freelancer, "maya")
    }

    fn agency() -> AccountSummary {
        summary("agency", AccountKind::Agency, "pixelworks")
    }

    fn accounts() -> Vec<AccountSummary> {
        vec![
            freelancer(),
            summary("client", AccountKind::Client, "northwind"),
            agency(),
        ]
    }

    /// Pending work with nothing in the way of closing.
    fn clear_work(account: &AccountSummary) -> PendingWork {
        PendingWork::nothing_open(account.clone())
    }

    /// Pending work with `n` open proposals, each a blocker.
    fn blocked_work(account: &AccountSummary, n: usize) -> PendingWork {
        let mut work = clear_work(account);
        work.open_proposals = (1..=n)
            .map(|i| Proposal {
                id: format!("p-{i}"),
                job_title: format!("Job {i}"),
                client: "Ben Ode".into(),
                submitted: at(2026, 11, 2, 8, 0, 0),
                status: ProposalStatus::Submitted,
                bid: Money::from_dollars(500),
                bid_kind: ContractKind::FixedPrice,
                connects_spent: 8,
                cover_letter: String::new(),
            })
            .collect();
        work
    }

    fn withdraw(proposal: &str) -> Resolution {
        Resolution::WithdrawProposal {
            proposal_id: proposal.into(),
        }
    }

    fn export_record() -> ExportRecord {
        ExportRecord {
            folder: PathBuf::from("/home/maya/Offboard/demo-freelancer-2026-11-23"),
            manifest_sha256: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
                .into(),
            files: 14,
            records: 1_234,
            bytes: 456_789,
            finished_at: now(),
        }
    }

    fn work_loaded(w: &mut Wizard, work: PendingWork, at: DateTime<Utc>) -> Vec<Effect> {
        let account = work.account.id.clone();
        w.handle(
            Event::PendingWorkLoaded {
                account,
                result: Ok(Box::new(work)),
            },
            at,
        )
    }

    /// A first launch with the demo accounts listed.
    fn fresh() -> Wizard {
        let (mut w, _) = Wizard::resume(SavedState::default(), now());
        w.handle(Event::AccountsLoaded(Ok(accounts())), now());
        w
    }

    /// Walks the wizard from the start to `target` the way a user would:
    /// the freelancer account, a reason, a clear review, a finished export,
    /// the whole checklist.
    fn walk_to(target: Step) -> Wizard {
        let mut w = fresh();
        while w.step() != target {
            match w.step() {
                Step::Connect => {
                    w.apply(Action::ChooseAccount("freelancer".into()), now());
                }
                Step::Reason => {
                    w.apply(Action::ChooseReason(LeaveReason::FoundWorkOutside), now());
                }
                Step::Review => {
                    work_loaded(&mut w, clear_work(&freelancer()), now());
                }
                Step::Export => {
                    w.handle(Event::ExportFinished(Ok(export_record())), now());
                }
                Step::Checklist => {
                    for item in ChecklistItem::ALL {
                        if !w.progress.checklist.contains(&item) {
                            w.apply(Action::ToggleChecklist(item), now());
                        }
                    }
                }
                _ => {}
            }
            let before = w.step();
            w.apply(Action::Next, now());
            assert_ne!(w.step(), before, "stuck: {:?}", w.next_blocked_reason());
        }
        w
    }

    /// Only the effects that are not `Save`.
    fn without_save(effects: &[Effect]) -> Vec<Effect> {
        effects
            .iter()
            .filter(|e| !matches!(e, Effect::Save(_)))
            .cloned()
            .collect()
    }

    fn fetch() -> Effect {
        Effect::FetchPendingWork {
            account: "freelancer".into(),
        }
    }

    // ----- steps and gating -----

    #[test]
    fn first_launch_starts_on_welcome_and_loads_accounts() {
        let (w, effects) = Wizard::resume(SavedState::default(), now());
        assert_eq!(w.step(), Step::Welcome);
        assert_eq!(w.progress.furthest, Step::Welcome);
        assert_eq!(
            effects,
            vec![Effect::LoadAccounts {
                platform: PlatformId::Demo,
                changes: Vec::new(),
                sources: SourceSettings::default(),
            }]
        );
        assert_eq!(w.next_blocked_reason(), None);
        assert!(!w.can_go_back());
    }

    #[test]
    fn connect_needs_an_account() {
        let mut w = fresh();
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Connect);
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("Choose the account you are leaving to continue.")
        );
        // Next does nothing, not even save.
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.step(), Step::Connect);

        // An id the platform did not list is not a choice.
        assert_eq!(
            w.apply(Action::ChooseAccount("nobody".into()), now()),
            Vec::new()
        );
        assert_eq!(w.account(), None);

        let effects = w.apply(Action::ChooseAccount("freelancer".into()), now());
        assert_eq!(w.account(), Some(&freelancer()));
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn accounts_cannot_be_chosen_before_they_are_listed() {
        let (mut w, _) = Wizard::resume(SavedState::default(), now());
        w.apply(Action::Next, now());
        assert_eq!(
            w.apply(Action::ChooseAccount("freelancer".into()), now()),
            Vec::new()
        );
        assert_eq!(w.account(), None);
    }

    #[test]
    fn reason_needs_a_choice() {
        let mut w = walk_to(Step::Reason);
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("Choose a reason for leaving to continue.")
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.step(), Step::Reason);
        w.apply(Action::ChooseReason(LeaveReason::TakingABreak), now());
        assert_eq!(w.next_blocked_reason(), None);
        assert_eq!(w.reason_text(), "I'm taking a break from freelancing");
    }

    #[test]
    fn other_reason_needs_words() {
        let mut w = walk_to(Step::Reason);
        w.apply(Action::ChooseReason(LeaveReason::Other), now());
        let expected = Some("You chose \"Other\": describe your reason in a few words.");
        assert_eq!(w.next_blocked_reason().as_deref(), expected);
        w.apply(Action::SetOtherReason("   \n ".into()), now());
        assert_eq!(w.next_blocked_reason().as_deref(), expected);
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        w.apply(Action::SetOtherReason("  Moving abroad ".into()), now());
        assert_eq!(w.next_blocked_reason(), None);
        assert_eq!(w.reason_text(), "Other: Moving abroad");
        w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Feedback);
    }

    #[test]
    fn other_reason_is_capped_in_chars() {
        let mut w = walk_to(Step::Reason);
        w.apply(
            Action::SetOtherReason("ø".repeat(OTHER_REASON_LIMIT + 7)),
            now(),
        );
        assert_eq!(w.progress.other_reason, "ø".repeat(OTHER_REASON_LIMIT));
    }

    #[test]
    fn feedback_is_capped_at_the_limit_in_chars_not_bytes() {
        let mut w = walk_to(Step::Feedback);
        assert_eq!(w.next_blocked_reason(), None, "feedback is optional");

        let effects = w.apply(Action::SetFeedback("é".repeat(FEEDBACK_LIMIT + 10)), now());
        assert_eq!(w.progress.feedback.chars().count(), FEEDBACK_LIMIT);
        assert_eq!(w.progress.feedback.len(), 2 * FEEDBACK_LIMIT);
        assert_eq!(w.progress.feedback, "é".repeat(FEEDBACK_LIMIT));
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

        // Mixed widths: 1-byte, 4-byte emoji, 3-byte CJK.
        let mixed: String = "a🙂界".repeat(FEEDBACK_LIMIT);
        w.apply(Action::SetFeedback(mixed.clone()), now());
        let expected: String = mixed.chars().take(FEEDBACK_LIMIT).collect();
        assert_eq!(w.progress.feedback, expected);
        assert!(w.progress.feedback.ends_with('🙂'), "2000 = 3 × 666 + 2");

        // Exactly at the limit is kept whole.
        let exact = "界".repeat(FEEDBACK_LIMIT);
        w.apply(Action::SetFeedback(exact.clone()), now());
        assert_eq!(w.progress.feedback, exact);
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn over_long_saved_feedback_blocks_next_with_the_excess() {
        let saved = SavedState {
            schema_version: SCHEMA_VERSION,
            progress: Progress {
                step: Step::Feedback,
                furthest: Step::Feedback,
                account: Some(freelancer()),
                reason: Some(LeaveReason::PrivacyConcerns),
                feedback: "ü".repeat(FEEDBACK_LIMIT + 3),
                ..Progress::default()
            },
            account_changes: Vec::new(),
        };
        let (mut w, _) = Wizard::resume(saved, now());
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("Shorten your feedback by 3 characters to continue.")
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.step(), Step::Feedback);
    }

    #[test]
    fn entering_review_fetches_pending_work_and_waits_for_it() {
        let mut w = walk_to(Step::Feedback);
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Review);
        assert_eq!(
            effects,
            vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
        );
        assert!(w.assessment.is_loading());
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("Wait for the review of your pending work to load.")
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());

        // A second fetch is not sent while one is under way.
        assert_eq!(w.apply(Action::Recheck, now()), Vec::new());

        let effects = w.handle(
            Event::PendingWorkLoaded {
                account: "freelancer".into(),
                result: Err("The platform did not answer.".into()),
            },
            now(),
        );
        assert_eq!(effects, Vec::new());
        assert_eq!(w.assessment.error(), Some("The platform did not answer."));
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("The review could not be loaded: The platform did not answer. Press Re-check.")
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());

        assert_eq!(w.apply(Action::Recheck, now()), vec![fetch()]);
        assert!(w.assessment.is_loading());
        work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
        // Blockers do not stop the user from reading on; only closing waits.
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn pending_work_loaded_runs_assess() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        let later = now() + Duration::minutes(5);
        let work = blocked_work(&freelancer(), 2);
        work_loaded(&mut w, work.clone(), later);
        assert_eq!(w.assessment, Loadable::Loaded(assess(&work, later)));
        let a = w.assessment.value().expect("loaded");
        assert_eq!(a.checked_at, later);
        assert_eq!(a.blocker_count(), 2);
    }

    #[test]
    fn failed_recheck_keeps_the_last_assessment_to_show() {
        let mut w = walk_to(Step::Review);
        work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        let last = w.assessment.value().cloned();
        assert_eq!(last.as_ref().map(Assessment::blocker_count), Some(1));
        w.apply(Action::Recheck, now());
        assert_eq!(
            w.assessment,
            Loadable::Loading {
                previous: last.clone()
            }
        );
        w.handle(
            Event::PendingWorkLoaded {
                account: "freelancer".into(),
                result: Err("offline".into()),
            },
            now(),
        );
        assert_eq!(
            w.assessment,
            Loadable::Failed {
                message: "offline".into(),
                previous: last,
            }
        );
    }

    #[test]
    fn stale_events_for_another_account_are_ignored() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        let before = w.assessment.clone();
        let effects = work_loaded(&mut w, blocked_work(&agency(), 3), now());
        assert_eq!(effects, Vec::new());
        assert_eq!(w.assessment, before);
        assert!(w.assessment.is_loading());

        w.handle(
            Event::ExportPreviewLoaded {
                account: "agency".into(),
                result: Ok(SectionCounts {
                    contracts: 99,
                    ..SectionCounts::default()
                }),
            },
            now(),
        );
        assert_eq!(w.export_preview, Loadable::NotLoaded);
        w.handle(
            Event::ClientsLoaded {
                account: "agency".into(),
                result: Ok(Vec::new()),
            },
            now(),
        );
        assert_eq!(w.clients, Loadable::NotLoaded);
    }

    #[test]
    fn export_needs_an_export_or_an_existing_copy() {
        let mut w = walk_to(Step::Review);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Export);
        assert_eq!(
            effects,
            vec![
                Effect::LoadExportPreview {
                    account: "freelancer".into()
                },
                Effect::Save(Box::new(w.saved_state())),
            ]
        );
        assert!(w.export_preview.is_loading());
        let blocked = Some(
            "Export your data first: it is gone once the account closes. Or tick that you \
             already have a copy.",
        );
        assert_eq!(w.next_blocked_reason().as_deref(), blocked);
        assert_eq!(w.apply(Action::Next, now()), Vec::new());

        w.apply(Action::SkipExport(true), now());
        assert_eq!(w.next_blocked_reason(), None);
        w.apply(Action::SkipExport(false), now());
        assert_eq!(w.next_blocked_reason().as_deref(), blocked);

        w.apply(Action::SkipExport(true), now());
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        assert_eq!(w.progress.export, Some(export_record()));
        assert!(
            !w.progress.export_skipped,
            "a real export replaces the skip"
        );
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn a_running_export_keeps_the_user_on_the_export_page() {
        let mut w = walk_to(Step::Export);
        let parent = PathBuf::from("/home/maya/Backups");
        w.apply(Action::ChooseExportFolder(parent.clone()), now());
        let effects = w.apply(Action::StartExport, now());
        assert_eq!(
            effects,
            vec![Effect::RunExport {
                account: "freelancer".into(),
                parent: parent.clone(),
            }]
        );
        assert!(w.export_job.is_running());
        // A second start while running does nothing.
        assert_eq!(w.apply(Action::StartExport, now()), Vec::new());
        // Nor can the folder change under it.
        w.apply(
            Action::ChooseExportFolder(PathBuf::from("/elsewhere")),
            now(),
        );
        assert_eq!(w.progress.export_parent, Some(parent));

        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("Wait for the export to finish, or cancel it.")
        );
        assert!(!w.can_go_back());
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.apply(Action::Back, now()), Vec::new());
        assert_eq!(w.apply(Action::GoTo(Step::Connect), now()), Vec::new());
        assert_eq!(w.apply(Action::StartOver, now()), Vec::new());
        assert_eq!(w.apply(Action::ResetDemo, now()), Vec::new());
        assert_eq!(w.step(), Step::Export);

        w.handle(
            Event::ExportProgress {
                section: "messages".into(),
                sections_done: 3,
                sections_total: 9,
                records: 120,
                bytes: 4_096,
            },
            now(),
        );
        assert_eq!(
            w.export_job,
            ExportJob::Running {
                section: "messages".into(),
                sections_done: 3,
                sections_total: 9,
                records: 120,
                bytes: 4_096,
                cancelling: false,
            }
        );

        assert_eq!(
            w.apply(Action::CancelExport, now()),
            vec![Effect::CancelExport]
        );
        assert!(matches!(
            w.export_job,
            ExportJob::Running {
                cancelling: true,
                ..
            }
        ));
        w.handle(Event::ExportCancelled, now());
        assert_eq!(w.export_job, ExportJob::Cancelled);
        assert!(w.can_go_back());
        w.apply(Action::Back, now());
        assert_eq!(w.step(), Step::Review);
    }

    #[test]
    fn a_failed_export_is_reported_and_frees_the_user() {
        let mut w = walk_to(Step::Export);
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        w.apply(Action::ChooseExportFolder(PathBuf::from("/tmp/x")), now());
        w.apply(Action::StartExport, now());
        w.handle(Event::ExportFinished(Err("Disk full.".into())), now());
        assert_eq!(w.export_job, ExportJob::Failed("Disk full.".into()));
        assert_eq!(
            w.progress.export,
            Some(export_record()),
            "the earlier export stays"
        );
        assert!(w.can_go_back());
    }

    #[test]
    fn start_export_needs_a_folder() {
        let mut w = walk_to(Step::Export);
        assert_eq!(w.apply(Action::StartExport, now()), Vec::new());
        assert_eq!(w.export_job, ExportJob::Idle);
    }

    #[test]
    fn checklist_counts_the_items_left() {
        let mut w = walk_to(Step::Export);
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Checklist);
        assert_eq!(
            effects,
            vec![
                Effect::LoadClients {
                    account: "freelancer".into()
                },
                Effect::Save(Box::new(w.saved_state())),
            ]
        );
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some(
                "Tick the 6 remaining checklist items to continue; tick those that do not \
                 apply to you too."
            )
        );
        for item in &ChecklistItem::ALL[..4] {
            w.apply(Action::ToggleChecklist(*item), now());
        }
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some(
                "Tick the 2 remaining checklist items to continue; tick those that do not \
                 apply to you too."
            )
        );
        w.apply(Action::ToggleChecklist(ChecklistItem::ALL[4]), now());
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some(
                "Tick the 1 remaining checklist item to continue; tick those that do not apply \
                 to you too."
            )
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        // Toggling twice unticks.
        w.apply(Action::ToggleChecklist(ChecklistItem::ALL[0]), now());
        assert_eq!(w.progress.checklist.len(), 4);
        w.apply(Action::ToggleChecklist(ChecklistItem::ALL[0]), now());
        w.apply(Action::ToggleChecklist(ChecklistItem::ALL[5]), now());
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn clients_are_loaded_once_and_retried_after_failure() {
        let mut w = walk_to(Step::Checklist);
        w.handle(
            Event::ClientsLoaded {
                account: "freelancer".into(),
                result: Err("timeout".into()),
            },
            now(),
        );
        assert_eq!(w.clients.error(), Some("timeout"));
        w.apply(Action::Back, now());
        let effects = w.apply(Action::Next, now());
        assert_eq!(
            without_save(&effects),
            vec![Effect::LoadClients {
                account: "freelancer".into()
            }]
        );
        w.handle(
            Event::ClientsLoaded {
                account: "freelancer".into(),
                result: Ok(Vec::new()),
            },
            now(),
        );
        w.apply(Action::Back, now());
        let effects = w.apply(Action::Next, now());
        assert_eq!(
            without_save(&effects),
            Vec::new(),
            "loaded clients are kept"
        );
    }

    #[test]
    fn confirm_lists_blockers_and_the_username() {
        let mut w = walk_to(Step::Checklist);
        for item in ChecklistItem::ALL {
            w.apply(Action::ToggleChecklist(item), now());
        }
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Confirm);
        assert_eq!(
            effects,
            vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
        );
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some(
                "The pending work is being re-checked; type the username \"maya\" exactly to \
                 confirm."
            )
        );

        work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some(
                "1 blocker is still open on the pending-work page; type the username \"maya\" \
                 exactly to confirm."
            )
        );
        assert_eq!(w.next_blocked_reason(), w.close_blocked_reason());

        w.apply(Action::Recheck, now());
        work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
        w.apply(Action::TypeName("Maya".into()), now());
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some(
                "2 blockers are still open on the pending-work page; type the username \"maya\" \
                 exactly to confirm."
            )
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.apply(Action::CloseAccount, now()), Vec::new());
        assert!(!w.closing);

        w.apply(Action::TypeName("  maya ".into()), now());
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some("2 blockers are still open on the pending-work page.")
        );
        assert_eq!(w.apply(Action::Next, now()), Vec::new());

        w.apply(Action::Recheck, now());
        w.handle(
            Event::PendingWorkLoaded {
                account: "freelancer".into(),
                result: Err("offline".into()),
            },
            now(),
        );
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some("The pending work could not be checked; press Re-check.")
        );

        w.apply(Action::Recheck, now());
        work_loaded(&mut w, clear_work(&freelancer()), now());
        assert_eq!(w.close_blocked_reason(), None);
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn next_on_confirm_closes_with_a_draft_receipt() {
        let mut w = walk_to(Step::Confirm);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(Action::TypeName("maya".into()), now());
        let effects = w.apply(Action::Next, now());
        let draft = Receipt {
            closed_at: now(),
            platform: PlatformId::Demo,
            account: freelancer(),
            reason: "I found work outside the platform".into(),
            feedback: String::new(),
            reference: String::new(),
            reactivate_until: None,
            export_manifest_sha256: Some(export_record().manifest_sha256),
            receipt_path: None,
            evidence: None,
        };
        assert_eq!(
            effects,
            vec![Effect::CloseAccount {
                account: "freelancer".into(),
                receipt: Box::new(draft),
                export_folder: Some(export_record().folder),
            }]
        );
        assert!(w.closing);
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some("Closing is under way.")
        );
        // No second close, no leaving, no re-check while closing.
        assert_eq!(w.apply(Action::Next, now()), Vec::new());
        assert_eq!(w.apply(Action::Back, now()), Vec::new());
        assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
        assert_eq!(w.step(), Step::Confirm);
    }

    #[test]
    fn close_only_works_on_the_confirm_step() {
        let mut w = walk_to(Step::Confirm);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(Action::TypeName("maya".into()), now());
        w.apply(Action::GoTo(Step::Checklist), now());
        assert_eq!(
            without_save(&w.apply(Action::CloseAccount, now())),
            Vec::new()
        );
        assert!(!w.closing);
    }

    // ----- moving between steps -----

    #[test]
    fn back_and_next_move_one_step_and_furthest_remembers() {
        let mut w = walk_to(Step::Review);
        assert_eq!(w.progress.furthest, Step::Review);
        assert!(w.can_go_back());
        let effects = w.apply(Action::Back, now());
        assert_eq!(w.step(), Step::Feedback);
        assert_eq!(w.progress.furthest, Step::Review);
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        w.apply(Action::Back, now());
        w.apply(Action::Back, now());
        w.apply(Action::Back, now());
        assert_eq!(w.step(), Step::Welcome);
        assert_eq!(w.progress.furthest, Step::Review);
        assert!(!w.can_go_back());
        assert_eq!(w.apply(Action::Back, now()), Vec::new());
        w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Connect);
        assert_eq!(w.progress.furthest, Step::Review);
    }

    #[test]
    fn go_to_opens_only_visited_steps() {
        let mut w = walk_to(Step::Review);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        for step in Step::ALL {
            assert_eq!(w.can_visit(step), step <= Step::Review, "{step:?}");
        }
        assert_eq!(w.apply(Action::GoTo(Step::Export), now()), Vec::new());
        assert_eq!(w.apply(Action::GoTo(Step::Done), now()), Vec::new());
        assert_eq!(w.step(), Step::Review);
        // The current step is no move.
        assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());

        let effects = w.apply(Action::GoTo(Step::Connect), now());
        assert_eq!(w.step(), Step::Connect);
        assert_eq!(w.progress.furthest, Step::Review);
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

        // Back to the review: blockers are live, fetched again.
        let effects = w.apply(Action::GoTo(Step::Review), now());
        assert_eq!(w.step(), Step::Review);
        assert_eq!(
            effects,
            vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
        );
    }

    #[test]
    fn entering_confirm_fetches_pending_work_again() {
        let mut w = walk_to(Step::Confirm);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(Action::GoTo(Step::Export), now());
        let effects = w.apply(Action::GoTo(Step::Confirm), now());
        assert_eq!(
            effects,
            vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
        );
    }

    #[test]
    fn choosing_another_account_forgets_account_tied_progress() {
        let mut w = walk_to(Step::Confirm);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(
            Action::EditFarewell {
                client: "Ana Lima".into(),
                text: "Bye Ana".into(),
            },
            now(),
        );
        w.apply(Action::TypeName("maya".into()), now());
        w.apply(Action::GoTo(Step::Feedback), now());
        w.apply(Action::SetFeedback("Fees.".into()), now());
        w.apply(Action::GoTo(Step::Connect), now());
        assert_eq!(w.progress.furthest, Step::Confirm);

        // Picking the same account again changes nothing.
        assert_eq!(
            w.apply(Action::ChooseAccount("freelancer".into()), now()),
            Vec::new()
        );
        assert_eq!(w.progress.furthest, Step::Confirm);

        let effects = w.apply(Action::ChooseAccount("agency".into()), now());
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        let p = &w.progress;
        assert_eq!(p.account, Some(agency()));
        assert_eq!(p.step, Step::Connect);
        assert_eq!(p.furthest, Step::Connect);
        assert_eq!(p.export, None);
        assert!(!p.export_skipped);
        assert!(p.farewells.is_empty());
        assert_eq!(p.typed_name, "");
        assert!(
            p.checklist.is_empty(),
            "the checklist was ticked for the other account"
        );
        assert_eq!(w.assessment, Loadable::NotLoaded);
        assert_eq!(w.export_preview, Loadable::NotLoaded);
        assert_eq!(w.clients, Loadable::NotLoaded);
        // What is about the user, not the account, stays.
        assert_eq!(p.reason, Some(LeaveReason::FoundWorkOutside));
        assert_eq!(p.feedback, "Fees.");
        assert!(!w.can_visit(Step::Reason));
        assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());

        // Walking on fetches for the new account.
        w.apply(Action::Next, now());
        w.apply(Action::Next, now());
        let effects = w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Review);
        assert_eq!(
            without_save(&effects),
            vec![Effect::FetchPendingWork {
                account: "agency".into()
            }]
        );
    }

    #[test]
    fn a_result_for_the_previous_account_does_not_land_on_the_new_one() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        w.apply(Action::GoTo(Step::Connect), now());
        w.apply(Action::ChooseAccount("agency".into()), now());
        w.apply(Action::Next, now());
        w.apply(Action::Next, now());
        w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Review);
        work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        assert!(w.assessment.is_loading());
        work_loaded(&mut w, clear_work(&agency()), now());
        assert_eq!(
            w.assessment.value().map(|a| a.account.id.as_str()),
            Some("agency")
        );
    }

    #[test]
    fn accounts_loaded_without_the_chosen_account_goes_back_to_connect() {
        let mut w = walk_to(Step::Checklist);
        assert_eq!(w.progress.export, Some(export_record()));
        w.handle(Event::AccountsLoaded(Ok(vec![agency()])), now());
        assert_eq!(w.step(), Step::Connect);
        assert_eq!(w.progress.furthest, Step::Connect);
        assert_eq!(w.account(), None);
        assert_eq!(w.progress.export, None);
    }

    #[test]
    fn accounts_loaded_refreshes_the_chosen_account() {
        let mut w = walk_to(Step::Reason);
        let mut renamed = freelancer();
        renamed.display_name = "Maya O.".into();
        let effects = w.handle(Event::AccountsLoaded(Ok(vec![renamed.clone()])), now());
        assert_eq!(w.account(), Some(&renamed));
        assert_eq!(w.step(), Step::Reason);
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
    }

    // ----- effects and saving -----

    #[test]
    fn a_change_saves_the_new_state_and_no_change_saves_nothing() {
        let mut w = walk_to(Step::Reason);
        let effects = w.apply(Action::ChooseReason(LeaveReason::FeesNotWorthIt), now());
        let [Effect::Save(saved)] = effects.as_slice() else {
            panic!("expected one Save, got {effects:?}");
        };
        assert_eq!(**saved, w.saved_state());
        assert_eq!(saved.schema_version, SCHEMA_VERSION);
        assert_eq!(saved.progress.reason, Some(LeaveReason::FeesNotWorthIt));
        assert_eq!(saved.progress.step, Step::Reason);

        assert_eq!(
            w.apply(Action::ChooseReason(LeaveReason::FeesNotWorthIt), now()),
            Vec::new()
        );
        assert_eq!(w.apply(Action::DismissNotice, now()), Vec::new());
        assert_eq!(w.apply(Action::GoTo(Step::Reason), now()), Vec::new());
    }

    #[test]
    fn farewells_are_saved_and_reset() {
        let mut w = walk_to(Step::Checklist);
        let effects = w.apply(
            Action::EditFarewell {
                client: "Ana Lima".into(),
                text: "Thanks Ana".into(),
            },
            now(),
        );
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        assert_eq!(
            w.progress.farewells.get("Ana Lima").map(String::as_str),
            Some("Thanks Ana")
        );
        w.apply(Action::ResetFarewell("Ana Lima".into()), now());
        assert!(w.progress.farewells.is_empty());
        assert_eq!(
            w.apply(Action::ResetFarewell("Ana Lima".into()), now()),
            Vec::new()
        );
    }

    #[test]
    fn save_text_writes_and_reports() {
        let mut w = walk_to(Step::Reason);
        let path = PathBuf::from("/tmp/letter.txt");
        let effects = w.apply(
            Action::SaveText {
                path: path.clone(),
                contents: "Dear DPO".into(),
            },
            now(),
        );
        assert_eq!(
            effects,
            vec![Effect::WriteText {
                path: path.clone(),
                contents: "Dear DPO".into(),
            }]
        );
        w.handle(Event::TextSaved(Ok(path)), now());
        assert_eq!(
            w.notice,
            Some(Notice {
                kind: NoticeKind::Info,
                text: "Saved to /tmp/letter.txt".into(),
            })
        );
        w.apply(Action::DismissNotice, now());
        assert_eq!(w.notice, None);
        w.handle(Event::SaveFailed("Disk full.".into()), now());
        assert_eq!(w.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
        assert!(
            w.notice.as_ref().is_some_and(|n| n
                .text
                .starts_with("Your progress could not be saved: Disk full.")),
            "{:?}",
            w.notice
        );
    }

    // ----- resolving -----

    #[test]
    fn resolved_appends_to_account_changes_and_refetches() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        work_loaded(&mut w, blocked_work(&freelancer(), 2), now());

        let effects = w.apply(Action::Resolve(withdraw("p-1")), now());
        assert_eq!(
            effects,
            vec![Effect::Resolve {
                account: "freelancer".into(),
                resolution: withdraw("p-1"),
            }]
        );
        assert!(w.resolving.contains(&withdraw("p-1")));
        // The same resolution is not sent twice.
        assert_eq!(w.apply(Action::Resolve(withdraw("p-1")), now()), Vec::new());
        w.apply(Action::Resolve(withdraw("p-2")), now());

        let change = AccountChange {
            account: "freelancer".into(),
            at: now(),
            change: ChangeKind::Resolved {
                resolution: withdraw("p-1"),
            },
        };
        let effects = w.handle(
            Event::Resolved {
                resolution: withdraw("p-1"),
                change: Ok(change.clone()),
            },
            now(),
        );
        assert_eq!(w.account_changes, vec![change]);
        assert_eq!(
            w.resolving.iter().cloned().collect::<Vec<_>>(),
            vec![withdraw("p-2")]
        );
        assert_eq!(
            effects,
            vec![fetch(), Effect::Save(Box::new(w.saved_state()))]
        );
        assert!(w.assessment.is_loading());
    }

    #[test]
    fn a_failed_resolution_is_shown_and_refetches() {
        let mut w = walk_to(Step::Review);
        work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        w.apply(Action::Resolve(withdraw("p-1")), now());
        let effects = w.handle(
            Event::Resolved {
                resolution: withdraw("p-1"),
                change: Err("The proposal is already withdrawn.".into()),
            },
            now(),
        );
        assert_eq!(effects, vec![fetch()]);
        assert!(w.resolving.is_empty());
        assert!(w.account_changes.is_empty());
        assert_eq!(
            w.notice,
            Some(Notice {
                kind: NoticeKind::Error,
                text: "The proposal is already withdrawn.".into(),
            })
        );
    }

    // ----- closing -----

    fn outcome() -> ClosureOutcome {
        ClosureOutcome {
            closed_at: at(2026, 11, 23, 10, 0, 3),
            reference: "DEMO-CLOSE-0042".into(),
            reactivate_until: Some(at(2031, 11, 23, 10, 0, 3)),
            evidence: None,
        }
    }

    /// On Confirm, with reason "Other", feedback, an export, nothing in the way.
    fn ready_to_close() -> Wizard {
        let mut w = walk_to(Step::Confirm);
        w.apply(Action::GoTo(Step::Reason), now());
        w.apply(Action::ChooseReason(LeaveReason::Other), now());
        w.apply(Action::SetOtherReason(" Moving abroad  ".into()), now());
        w.apply(Action::GoTo(Step::Feedback), now());
        w.apply(Action::SetFeedback("Fees went up.".into()), now());
        w.apply(Action::GoTo(Step::Confirm), now());
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(Action::TypeName("maya".into()), now());
        assert_eq!(w.close_blocked_reason(), None);
        w
    }

    #[test]
    fn closed_ok_goes_to_done_with_a_full_receipt() {
        let mut w = ready_to_close();
        let effects = w.apply(Action::CloseAccount, now());
        assert_eq!(effects.len(), 1, "{effects:?}");
        let path = PathBuf::from("/home/maya/Offboard/receipt.txt");
        let effects = w.handle(Event::Closed(Ok((outcome(), Some(path.clone())))), now());

        let receipt = Receipt {
            closed_at: outcome().closed_at,
            platform: PlatformId::Demo,
            account: freelancer(),
            reason: "Other: Moving abroad".into(),
            feedback: "Fees went up.".into(),
            reference: "DEMO-CLOSE-0042".into(),
            reactivate_until: outcome().reactivate_until,
            export_manifest_sha256: Some(export_record().manifest_sha256),
            receipt_path: Some(path),
            evidence: None,
        };
        assert_eq!(w.progress.receipt, Some(receipt));
        assert_eq!(w.step(), Step::Done);
        assert_eq!(w.progress.furthest, Step::Done);
        assert!(!w.closing);
        assert!(w.is_closed());
        assert_eq!(w.close_error, None);
        assert_eq!(
            w.account_changes.last(),
            Some(&AccountChange {
                account: "freelancer".into(),
                at: outcome().closed_at,
                change: ChangeKind::Closed { outcome: outcome() },
            })
        );
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);

        // Once closed, only the done page is left.
        for step in Step::ALL {
            assert_eq!(w.can_visit(step), step == Step::Done, "{step:?}");
        }
        assert!(!w.can_go_back());
        assert_eq!(
            w.next_blocked_reason().as_deref(),
            Some("The account is closed.")
        );
        assert_eq!(w.apply(Action::Back, now()), Vec::new());
        assert_eq!(w.apply(Action::GoTo(Step::Review), now()), Vec::new());
        assert_eq!(w.apply(Action::Recheck, now()), Vec::new());
        assert_eq!(w.apply(Action::Resolve(withdraw("p-1")), now()), Vec::new());
        assert_eq!(
            w.apply(Action::ChooseAccount("agency".into()), now()),
            Vec::new()
        );
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    }

    #[test]
    fn receipt_without_export_has_no_manifest_hash() {
        let mut w = ready_to_close();
        // As if the user had skipped the export instead.
        w.progress.export = None;
        w.progress.export_skipped = true;
        w.apply(Action::CloseAccount, now());
        w.handle(Event::Closed(Ok((outcome(), None))), now());
        let receipt = w.progress.receipt.clone().expect("closed");
        assert_eq!(receipt.export_manifest_sha256, None);
        assert_eq!(receipt.receipt_path, None);
    }

    #[test]
    fn closed_err_stays_on_confirm_and_shows_the_error() {
        let mut w = ready_to_close();
        w.apply(Action::CloseAccount, now());
        let effects = w.handle(
            Event::Closed(Err("You still have an open contract.".into())),
            now(),
        );
        assert_eq!(w.step(), Step::Confirm);
        assert!(!w.closing);
        assert_eq!(w.progress.receipt, None);
        assert_eq!(
            w.close_error.as_deref(),
            Some("You still have an open contract.")
        );
        assert_eq!(effects, vec![fetch()]);
        assert!(w.account_changes.is_empty());
        assert!(w.can_go_back());

        // Moving on clears the error.
        w.apply(Action::Back, now());
        assert_eq!(w.close_error, None);
    }

    // ----- re-checking -----

    #[test]
    fn tick_rechecks_the_review_after_recheck_after() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        work_loaded(&mut w, clear_work(&freelancer()), now());
        assert_eq!(
            w.tick(now() + RECHECK_AFTER - Duration::seconds(1)),
            Vec::new()
        );
        assert_eq!(w.tick(now() + RECHECK_AFTER), vec![fetch()]);
        assert!(w.assessment.is_loading());
        assert_eq!(
            w.tick(now() + RECHECK_AFTER * 5),
            Vec::new(),
            "already loading"
        );

        let later = now() + RECHECK_AFTER;
        work_loaded(&mut w, clear_work(&freelancer()), later);
        assert_eq!(w.tick(later + Duration::seconds(30)), Vec::new());
        assert_eq!(w.tick(later + RECHECK_AFTER), vec![fetch()]);
    }

    #[test]
    fn tick_waits_while_a_resolution_is_under_way() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        w.apply(Action::Resolve(withdraw("p-1")), now());
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    }

    #[test]
    fn tick_rechecks_on_confirm() {
        let mut w = walk_to(Step::Confirm);
        work_loaded(&mut w, clear_work(&freelancer()), now());
        assert_eq!(w.tick(now() + Duration::seconds(59)), Vec::new());
        assert_eq!(w.tick(now() + Duration::seconds(60)), vec![fetch()]);
    }

    #[test]
    fn tick_does_nothing_on_other_steps() {
        let mut w = walk_to(Step::Export);
        assert!(matches!(w.assessment, Loadable::Loaded(_)));
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
        w.apply(Action::ChooseExportFolder(PathBuf::from("/tmp")), now());
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        w.apply(Action::Next, now());
        assert_eq!(w.step(), Step::Checklist);
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    }

    #[test]
    fn tick_does_not_retry_a_failed_review() {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Recheck, now());
        w.handle(
            Event::PendingWorkLoaded {
                account: "freelancer".into(),
                result: Err("offline".into()),
            },
            now(),
        );
        assert_eq!(w.tick(now() + Duration::hours(1)), Vec::new());
    }

    // ----- resuming -----

    #[test]
    fn saved_state_round_trips_and_resumes_on_the_same_step() -> Result<(), serde_json::Error> {
        let mut w = walk_to(Step::Checklist);
        w.apply(
            Action::ToggleChecklist(ChecklistItem::DownloadTaxForms),
            now(),
        );
        w.apply(
            Action::EditFarewell {
                client: "Ana Lima".into(),
                text: "Até logo, Ana 👋".into(),
            },
            now(),
        );
        w.account_changes.push(AccountChange {
            account: "freelancer".into(),
            at: now(),
            change: ChangeKind::Resolved {
                resolution: withdraw("p-9"),
            },
        });
        let saved = w.saved_state();
        let json = serde_json::to_string_pretty(&saved)?;
        let back: SavedState = serde_json::from_str(&json)?;
        assert_eq!(back, saved);

        let (r, effects) = Wizard::resume(back, now());
        assert_eq!(r.step(), Step::Checklist);
        assert_eq!(r.progress, w.progress);
        assert_eq!(r.account_changes, w.account_changes);
        assert_eq!(
            effects,
            vec![
                Effect::LoadAccounts {
                    platform: PlatformId::Demo,
                    changes: w.account_changes.clone(),
                    sources: SourceSettings::default(),
                },
                Effect::LoadClients {
                    account: "freelancer".into()
                },
            ]
        );
        assert_eq!(r.next_blocked_reason(), w.next_blocked_reason());
        Ok(())
    }

    #[test]
    fn resuming_on_review_fetches_pending_work() -> Result<(), serde_json::Error> {
        let w = walk_to(Step::Review);
        let json = serde_json::to_string(&w.saved_state())?;
        let (r, effects) = Wizard::resume(serde_json::from_str(&json)?, now());
        assert_eq!(r.step(), Step::Review);
        assert_eq!(r.progress.furthest, Step::Review);
        assert_eq!(
            effects,
            vec![
                Effect::LoadAccounts {
                    platform: PlatformId::Demo,
                    changes: Vec::new(),
                    sources: SourceSettings::default(),
                },
                fetch(),
            ]
        );
        assert!(r.assessment.is_loading());
        Ok(())
    }

    #[test]
    fn a_state_with_a_receipt_resumes_on_done() -> Result<(), serde_json::Error> {
        let mut w = ready_to_close();
        w.apply(Action::CloseAccount, now());
        w.handle(Event::Closed(Ok((outcome(), None))), now());
        let mut saved = w.saved_state();
        // Even if the step on file says otherwise.
        saved.progress.step = Step::Confirm;
        let json = serde_json::to_string(&saved)?;
        let (r, effects) = Wizard::resume(serde_json::from_str(&json)?, now());
        assert_eq!(r.step(), Step::Done);
        assert!(r.is_closed());
        assert_eq!(r.progress.receipt, w.progress.receipt);
        assert_eq!(
            effects,
            vec![Effect::LoadAccounts {
                platform: PlatformId::Demo,
                changes: w.account_changes.clone(),
                sources: SourceSettings::default(),
            }]
        );
        Ok(())
    }

    #[test]
    fn done_without_a_receipt_resumes_on_confirm() {
        let saved = SavedState {
            schema_version: SCHEMA_VERSION,
            progress: Progress {
                step: Step::Done,
                furthest: Step::Done,
                account: Some(freelancer()),
                ..Progress::default()
            },
            account_changes: Vec::new(),
        };
        let (r, effects) = Wizard::resume(saved, now());
        assert_eq!(r.step(), Step::Confirm);
        assert!(!r.is_closed());
        assert_eq!(
            effects,
            vec![
                Effect::LoadAccounts {
                    platform: PlatformId::Demo,
                    changes: Vec::new(),
                    sources: SourceSettings::default(),
                },
                fetch(),
            ]
        );
    }

    #[test]
    fn a_step_past_furthest_raises_furthest() {
        let saved = SavedState {
            schema_version: SCHEMA_VERSION,
            progress: Progress {
                step: Step::Feedback,
                furthest: Step::Connect,
                account: Some(freelancer()),
                ..Progress::default()
            },
            account_changes: Vec::new(),
        };
        let (r, _) = Wizard::resume(saved, now());
        assert_eq!(r.step(), Step::Feedback);
        assert_eq!(r.progress.furthest, Step::Feedback);
    }

    // ----- starting over -----

    fn with_a_change() -> Wizard {
        let mut w = walk_to(Step::Review);
        w.apply(Action::Resolve(withdraw("p-1")), now());
        w.handle(
            Event::Resolved {
                resolution: withdraw("p-1"),
                change: Ok(AccountChange {
                    account: "freelancer".into(),
                    at: now(),
                    change: ChangeKind::Resolved {
                        resolution: withdraw("p-1"),
                    },
                }),
            },
            now(),
        );
        assert_eq!(w.account_changes.len(), 1);
        w
    }

    #[test]
    fn start_over_keeps_account_changes() {
        let mut w = with_a_change();
        let changes = w.account_changes.clone();
        let effects = w.apply(Action::StartOver, now());
        assert_eq!(w.progress, Progress::default());
        assert_eq!(w.account_changes, changes);
        assert_eq!(w.assessment, Loadable::NotLoaded);
        assert!(w.resolving.is_empty());
        assert_eq!(effects, vec![Effect::Save(Box::new(w.saved_state()))]);
        let Some(Effect::Save(saved)) = effects.last() else {
            panic!("expected a Save, got {effects:?}");
        };
        assert_eq!(saved.account_changes, changes);
        // The account list is still there to choose from.
        assert!(matches!(w.accounts, Loadable::Loaded(_)));
    }

    #[test]
    fn start_over_after_closing_begins_again() {
        let mut w = ready_to_close();
        w.apply(Action::CloseAccount, now());
        w.handle(Event::Closed(Ok((outcome(), None))), now());
        w.apply(Action::StartOver, now());
        assert_eq!(w.step(), Step::Welcome);
        assert!(!w.is_closed());
        assert_eq!(w.account_changes.len(), 1, "the closure is remembered");
    }

    #[test]
    fn reset_demo_clears_account_changes_and_reloads() {
        let mut w = with_a_change();
        let effects = w.apply(Action::ResetDemo, now());
        assert!(w.account_changes.is_empty());
        assert_eq!(w.progress, Progress::default());
        assert_eq!(
            effects,
            vec![Effect::ResetDemo, Effect::Save(Box::new(w.saved_state()))]
        );
        assert!(w.accounts.is_loading());

        let effects = w.handle(Event::DemoReset, now());
        assert_eq!(
            effects,
            vec![Effect::LoadAccounts {
                platform: PlatformId::Demo,
                changes: Vec::new(),
                sources: SourceSettings::default(),
            }]
        );
        assert_eq!(
            w.notice,
            Some(Notice {
                kind: NoticeKind::Info,
                text: "The demo accounts are back to how they started.".into(),
            })
        );
    }

    // ----- small pieces -----

    #[test]
    fn steps_are_in_order() {
        assert_eq!(Step::Welcome.next(), Some(Step::Connect));
        assert_eq!(Step::Confirm.next(), Some(Step::Done));
        assert_eq!(Step::Done.next(), None);
        assert_eq!(Step::Welcome.previous(), None);
        assert_eq!(Step::Review.previous(), Some(Step::Feedback));
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(step.index(), i);
        }
    }

    #[test]
    fn loadable_keeps_the_previous_value_while_reloading() {
        let mut l: Loadable<u32> = Loadable::NotLoaded;
        assert_eq!(l.value(), None);
        l.begin();
        assert_eq!(l, Loadable::Loading { previous: None });
        l.finish(Ok(7));
        assert_eq!(l.value(), Some(&7));
        l.begin();
        assert_eq!(l.value(), Some(&7));
        assert!(l.is_loading());
        l.finish(Err("boom".into()));
        assert_eq!(l.error(), Some("boom"));
        assert_eq!(l.value(), Some(&7));
        l.begin();
        l.finish(Err("again".into()));
        assert_eq!(
            l,
            Loadable::Failed {
                message: "again".into(),
                previous: Some(7),
            }
        );
    }

    #[test]
    fn a_change_during_a_check_triggers_one_more_check() {
        let mut w = walk_to(Step::Review);
        work_loaded(&mut w, blocked_work(&freelancer(), 2), now());
        w.apply(Action::Resolve(withdraw("p-1")), now());
        w.apply(Action::Resolve(withdraw("p-2")), now());
        let change = |id: &str| AccountChange {
            account: "freelancer".into(),
            at: now(),
            change: ChangeKind::Resolved {
                resolution: withdraw(id),
            },
        };
        // The first change starts a check; the second lands while it runs.
        let first = w.handle(
            Event::Resolved {
                resolution: withdraw("p-1"),
                change: Ok(change("p-1")),
            },
            now(),
        );
        assert!(first.contains(&fetch()));
        let second = w.handle(
            Event::Resolved {
                resolution: withdraw("p-2"),
                change: Ok(change("p-2")),
            },
            now(),
        );
        assert!(!second.contains(&fetch()), "no second fetch while one runs");
        // The first answer may predate the second change: fetch again, once.
        let effects = work_loaded(&mut w, blocked_work(&freelancer(), 1), now());
        assert_eq!(effects, vec![fetch()]);
        assert!(w.assessment.is_loading());
        let effects = work_loaded(&mut w, blocked_work(&freelancer(), 0), now());
        assert_eq!(effects, Vec::new());
        assert_eq!(w.assessment.value().map(Assessment::blocker_count), Some(0));
    }

    #[test]
    fn verify_needs_an_export_and_reports_problems() {
        let mut w = walk_to(Step::Export);
        assert_eq!(w.apply(Action::VerifyExport, now()), Vec::new());
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        let effects = w.apply(Action::VerifyExport, now());
        assert_eq!(
            effects,
            vec![Effect::VerifyExport {
                folder: export_record().folder
            }]
        );
        assert!(w.verification.is_loading());
        // Not twice at once.
        assert_eq!(w.apply(Action::VerifyExport, now()), Vec::new());
        let outcome = VerifyOutcome {
            files_checked: 12,
            records: 3400,
            problems: vec![("contracts.json".into(), "SHA-256 differs".into())],
        };
        w.handle(Event::Verified(Ok(outcome.clone())), now());
        assert_eq!(w.verification, Loadable::Loaded(outcome));
        // A fresh export makes the old verdict meaningless.
        w.handle(Event::ExportFinished(Ok(export_record())), now());
        assert_eq!(w.verification, Loadable::NotLoaded);
    }

    #[test]
    fn fetch_progress_shows_while_loading_and_cancel_is_sent() {
        let mut w = walk_to(Step::Review);
        assert!(w.assessment.is_loading());
        let status = FetchStatus {
            current: "transactions 2024-03".into(),
            queries: 41,
            records: 1200,
        };
        w.handle(Event::FetchProgress(status.clone()), now());
        assert_eq!(w.fetch_status, Some(status));
        assert_eq!(
            w.apply(Action::CancelFetch, now()),
            vec![Effect::CancelFetch]
        );
        w.handle(
            Event::PendingWorkLoaded {
                account: "freelancer".into(),
                result: Err("the fetch was cancelled".into()),
            },
            now(),
        );
        assert_eq!(w.fetch_status, None);
        assert_eq!(w.assessment.error(), Some("the fetch was cancelled"));
        // Nothing to cancel once the fetch is over.
        assert_eq!(w.apply(Action::CancelFetch, now()), Vec::new());
    }

    #[test]
    fn csv_files_reload_the_source_and_manual_checks_gate_the_checklist() {
        let mut w = fresh();
        w.apply(Action::ChoosePlatform(PlatformId::UpworkCsv), now());
        let effects = w.apply(
            Action::AddCsvFiles(vec![PathBuf::from("/tmp/a.csv")]),
            now(),
        );
        assert_eq!(
            effects,
            vec![
                Effect::LoadAccounts {
                    platform: PlatformId::UpworkCsv,
                    changes: Vec::new(),
                    sources: SourceSettings {
                        csv_files: vec![PathBuf::from("/tmp/a.csv")],
                        csv_kind: None,
                        api_base: None,
                    },
                },
                Effect::Save(Box::new(w.saved_state())),
            ]
        );
        // The same file twice changes nothing.
        assert_eq!(
            w.apply(
                Action::AddCsvFiles(vec![PathBuf::from("/tmp/a.csv")]),
                now()
            ),
            Vec::new()
        );
        // Saying which kind of account the files are from reads them again.
        let effects = w.apply(Action::SetCsvKind(Some(AccountKind::Agency)), now());
        assert!(
            matches!(&effects[0], Effect::LoadAccounts { sources, .. }
                if sources.csv_kind == Some(AccountKind::Agency)),
            "{effects:?}"
        );
        assert_eq!(
            w.apply(Action::SetCsvKind(Some(AccountKind::Agency)), now()),
            Vec::new()
        );

        let mut w = walk_to(Step::Checklist);
        for item in ChecklistItem::ALL {
            w.apply(Action::ToggleChecklist(item), now());
        }
        assert_eq!(w.next_blocked_reason(), None);
        w.handle(
            Event::ManualChecksLoaded {
                account: "freelancer".into(),
                checks: vec![ManualCheck {
                    id: "contracts".into(),
                    label: "No contract is still open".into(),
                    where_to_check: "My Jobs".into(),
                }],
            },
            now(),
        );
        assert!(
            w.next_blocked_reason()
                .is_some_and(|r| r.contains("the 1 remaining checklist item "))
        );
        w.apply(Action::ToggleManualCheck("contracts".into()), now());
        assert_eq!(w.next_blocked_reason(), None);
    }

    #[test]
    fn closing_on_the_website_must_be_confirmed_where_offboard_cannot_close() {
        let mut w = walk_to(Step::Confirm);
        w.progress.platform = PlatformId::UpworkCsv;
        work_loaded(&mut w, clear_work(&freelancer()), now());
        w.apply(Action::TypeName("maya".into()), now());
        assert_eq!(
            w.close_blocked_reason().as_deref(),
            Some("Close the account on Upwork's website, then tick that you did.")
        );
        w.apply(Action::SetClosedOnWebsite(true), now());
        assert_eq!(w.close_blocked_reason(), None);
    }
}
