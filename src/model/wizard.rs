//! The wizard as an Elm-style state machine: the UI sends `Action`s, workers
//! send `Event`s, and both return `Effect`s for the outside world to carry
//! out. Every rule about moving between steps lives here.

use super::account::{AccountSummary, ClientContact, PlatformId, SectionCounts};
use super::review::{AccountChange, Assessment, ChangeKind, ClosureOutcome, PendingWork, Resolution, assess};
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
        self.index().checked_sub(1).and_then(|i| Step::ALL.get(i).copied())
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

/// A finished export, remembered so the receipt can name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub folder: PathBuf,
    pub manifest_sha256: String,
    pub files: usize,
    pub records: u64,
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
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => {
                previous.as_ref()
            }
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

    /// Start loading, keeping what was there to show meanwhile.
    fn begin(&mut self) {
        let previous = match std::mem::take(self) {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous,
            Loadable::NotLoaded => None,
        };
        *self = Loadable::Loading { previous };
    }

    fn finish(&mut self, result: Result<T, String>) {
        *self = match result {
            Ok(v) => Loadable::Loaded(v),
            Err(message) => {
                let previous = match std::mem::take(self) {
                    Loadable::Loaded(v) => Some(v),
                    Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous,
                    Loadable::NotLoaded => None,
                };
                Loadable::Failed { message, previous }
            }
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
    ToggleChecklist(ChecklistItem),
    EditFarewell { client: String, text: String },
    ResetFarewell(String),
    TypeName(String),
    CloseAccount,
    SaveText { path: PathBuf, contents: String },
    DismissNotice,
    StartOver,
    ResetDemo,
}

/// What the outside world must do; the app hands these to `jobs`.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Save(SavedState),
    /// Connect to the platform (replaying the saved changes on a demo) and
    /// list its accounts.
    LoadAccounts {
        platform: PlatformId,
        changes: Vec<AccountChange>,
    },
    FetchPendingWork { account: String },
    LoadExportPreview { account: String },
    LoadClients { account: String },
    Resolve { account: String, resolution: Resolution },
    RunExport { account: String, parent: PathBuf },
    CancelExport,
    CloseAccount { account: String, receipt: Receipt, export_folder: Option<PathBuf> },
    WriteText { path: PathBuf, contents: String },
    ResetDemo,
}

/// What the workers report back.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    AccountsLoaded(Result<Vec<AccountSummary>, String>),
    PendingWorkLoaded { account: String, result: Result<PendingWork, String> },
    ExportPreviewLoaded { account: String, result: Result<SectionCounts, String> },
    ClientsLoaded { account: String, result: Result<Vec<ClientContact>, String> },
    Resolved { change: Result<AccountChange, String> },
    ExportProgress { section: String, sections_done: usize, sections_total: usize, records: u64, bytes: u64 },
    ExportFinished(Result<ExportRecord, String>),
    ExportCancelled,
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
    /// Resolutions sent to the platform and not answered yet.
    pub resolving: BTreeSet<Resolution>,
    pub closing: bool,
    pub close_error: Option<String>,
    pub notice: Option<Notice>,
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
            resolving: BTreeSet::new(),
            closing: false,
            close_error: None,
            notice: None,
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
        let mut effects = vec![wizard.load_accounts()];
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
                Loadable::Failed { message, .. } => {
                    Some(format!("The review could not be loaded: {message} Press Re-check."))
                }
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
                let left = ChecklistItem::ALL.len() - p.checklist.len();
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
            effects.push(Effect::Save(self.saved_state()));
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
                if platform != self.progress.platform && !self.is_closed() {
                    self.progress.platform = platform;
                    self.forget_account();
                    self.accounts = Loadable::NotLoaded;
                    self.accounts.begin();
                    return vec![self.load_accounts()];
                }
                Vec::new()
            }
            Action::ChooseAccount(id) => {
                if self.is_closed() || self.account_id().as_deref() == Some(id.as_str()) {
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
            effects.push(Effect::Save(self.saved_state()));
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
                if is_current(&account) {
                    self.assessment.finish(result.map(|work| assess(&work, now)));
                }
                Vec::new()
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
            Event::Resolved { change } => match change {
                Ok(change) => {
                    if let ChangeKind::Resolved { resolution } = &change.change {
                        self.resolving.remove(resolution);
                    }
                    self.account_changes.push(change);
                    self.fetch_pending_work()
                }
                Err(message) => {
                    self.resolving.clear();
                    self.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: message,
                    });
                    self.fetch_pending_work()
                }
            },
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
                        self.progress.export = Some(record);
                        self.progress.export_skipped = false;
                        self.export_job = ExportJob::Idle;
                    }
                    Err(message) => self.export_job = ExportJob::Failed(message),
                }
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
                            self.progress.receipt = Some(self.receipt_for(account, &outcome, receipt_path));
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
            Loadable::Loaded(a) if now - a.checked_at >= RECHECK_AFTER && self.resolving.is_empty() => {
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
            export_manifest_sha256: self.progress.export.as_ref().map(|e| e.manifest_sha256.clone()),
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
            },
            None,
        );
        vec![Effect::CloseAccount {
            account: account.id,
            receipt: draft,
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
            Step::Checklist if matches!(self.clients, Loadable::NotLoaded | Loadable::Failed { .. }) => {
                self.clients.begin();
                vec![Effect::LoadClients { account }]
            }
            _ => Vec::new(),
        }
    }

    fn load_accounts(&self) -> Effect {
        Effect::LoadAccounts {
            platform: self.progress.platform,
            changes: self.account_changes.clone(),
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

    /// Everything tied to the chosen account goes when the account changes.
    fn forget_account(&mut self) {
        let p = &mut self.progress;
        p.account = None;
        p.export = None;
        p.export_skipped = false;
        p.farewells.clear();
        p.typed_name.clear();
        p.furthest = p.furthest.min(p.step);
        self.assessment = Loadable::NotLoaded;
        self.export_preview = Loadable::NotLoaded;
        self.clients = Loadable::NotLoaded;
        self.export_job = ExportJob::Idle;
        self.resolving.clear();
        self.close_error = None;
    }

    fn reset_runtime(&mut self) {
        self.assessment = Loadable::NotLoaded;
        self.export_preview = Loadable::NotLoaded;
        self.clients = Loadable::NotLoaded;
        self.export_job = ExportJob::Idle;
        self.resolving.clear();
        self.closing = false;
        self.close_error = None;
    }
}
