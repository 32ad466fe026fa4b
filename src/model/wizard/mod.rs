//! The wizard as an Elm-style state machine: the UI sends `Action`s, workers
//! send `Event`s, and both return `Effect`s for the outside world to carry
//! out. Every rule about moving between steps lives here.

mod connect;
mod gate;
mod messages;
mod progress;
mod resume;
mod runtime;
mod steps;

pub use gate::{
    CloseBlock, CloseClearance, GateInput, MAX_REVIEW_AGE, clear_to_close, review_stale_at,
};
pub use messages::{Action, Effect, Event};
pub use progress::{AgencyPlan, ExportRecord, Progress, Receipt, SavedState, ThemeChoice, UiPrefs};
pub use runtime::{
    ApiKeyForm, AuthState, ExportJob, FetchStatus, Loadable, Notice, NoticeKind, SecretText,
    SourceSettings, VerifyOutcome,
};
pub use steps::{ChecklistItem, LeaveReason, Step};

use super::account::{AccountSummary, ClientContact, ManualCheck, SectionCounts};
use super::profile::{PlatformProfile, Profiles};
use super::review::{AccountChange, Assessment, ChangeKind, ClosureOutcome, Resolution, assess};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;
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

/// The whole wizard: saved progress plus what is only known while running.
#[derive(Clone, Debug)]
pub struct Wizard {
    pub progress: Progress,
    pub account_changes: Vec<AccountChange>,
    /// How the window looks; saved with the progress, kept on Start over.
    pub prefs: UiPrefs,
    pub accounts: Loadable<Vec<AccountSummary>>,
    pub assessment: Loadable<Assessment>,
    pub export_preview: Loadable<SectionCounts>,
    pub clients: Loadable<Vec<ClientContact>>,
    pub export_job: ExportJob,
    pub verification: Loadable<VerifyOutcome>,
    /// Checks the source cannot make, for the checklist; `None` until
    /// loaded for the chosen account (the close gate waits for them).
    pub manual_checks: Option<Vec<ManualCheck>>,
    pub api_auth: AuthState,
    /// Where the API token goes, or why that endpoint is refused.
    pub api_endpoint: Option<Result<String, String>>,
    /// The fetch under way, for sources that report it.
    pub fetch_status: Option<FetchStatus>,
    /// Shown when secrets fall back to a private file (no OS keyring).
    pub secret_storage_warning: Option<String>,
    /// Resolutions sent to the platform and not answered yet.
    pub resolving: BTreeSet<Resolution>,
    pub closing: bool,
    /// Asking the platform again whether the closed account is gone.
    pub checking_closure: bool,
    pub close_error: Option<String>,
    pub notice: Option<Notice>,
    /// A re-check was asked for while one was under way: its answer may
    /// predate a change, so fetch once more when it lands.
    refetch_pending_work: bool,
    /// The time of the last action, event or tick: the close gate's "now".
    seen_at: DateTime<Utc>,
    /// Every platform this build offers; the wizard reads the chosen one's
    /// profile for its rules, pages and texts.
    profiles: Profiles,
}

impl Wizard {
    /// A wizard resumed from saved state (or `SavedState::default()` for a
    /// first launch). Returns the effects that load what the current step needs.
    pub fn resume(
        saved: SavedState,
        now: DateTime<Utc>,
        profiles: Profiles,
    ) -> (Wizard, Vec<Effect>) {
        let mut wizard = Wizard {
            profiles,
            progress: saved.progress,
            account_changes: saved.account_changes,
            prefs: saved.prefs,
            accounts: Loadable::NotLoaded,
            assessment: Loadable::NotLoaded,
            export_preview: Loadable::NotLoaded,
            clients: Loadable::NotLoaded,
            export_job: ExportJob::Idle,
            verification: Loadable::NotLoaded,
            manual_checks: None,
            seen_at: now,
            api_auth: AuthState::Unknown,
            api_endpoint: None,
            fetch_status: None,
            secret_storage_warning: None,
            resolving: BTreeSet::new(),
            closing: false,
            checking_closure: false,
            close_error: None,
            notice: None,
            refetch_pending_work: false,
        };
        wizard.forget_unknown_platform();
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
        wizard.remind_if_due(now);
        wizard.accounts.begin();
        let mut effects = vec![wizard.connect_platform()];
        effects.extend(wizard.enter_step(now));
        // A later launch asks once more whether a closed account is really
        // gone, where the last look could not tell; the receipt records it.
        if let Some(receipt) = &wizard.progress.receipt
            && receipt.check.as_ref().is_some_and(|c| c.can_check_again())
            && now.date_naive() > receipt.closed_at.date_naive()
        {
            wizard.checking_closure = true;
            effects.push(Effect::CheckClosure {
                account: receipt.account.id.clone(),
                receipt: Box::new(receipt.clone()),
            });
        }
        (wizard, effects)
    }

    pub fn saved_state(&self) -> SavedState {
        SavedState {
            schema_version: SCHEMA_VERSION,
            progress: self.progress.clone(),
            account_changes: self.account_changes.clone(),
            prefs: self.prefs.clone(),
        }
    }

    pub fn step(&self) -> Step {
        self.progress.step
    }

    /// The time of the last action, event or tick: the model's "now".
    pub fn now(&self) -> DateTime<Utc> {
        self.seen_at
    }

    /// The chosen platform's profile.
    pub fn profile(&self) -> &'static PlatformProfile {
        self.profiles.get(&self.progress.platform)
    }

    /// Every platform this build offers.
    pub fn profiles(&self) -> Profiles {
        self.profiles
    }

    /// The reasons for leaving the chosen kind of account is asked about
    /// (a company owner is not asked whether clients are hard to find).
    pub fn reasons(&self) -> &'static [LeaveReason] {
        self.account()
            .and_then(|a| self.profile().kind(a.kind))
            .map_or(LeaveReason::WORKING, |k| k.reasons)
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
                let left = gate::unticked(self.profile(), p, self.manual_checks.as_deref());
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

    /// What the close gate reads, as things stand now.
    fn gate_input(&self) -> GateInput<'_> {
        GateInput {
            progress: &self.progress,
            profile: self.profile(),
            assessment: &self.assessment,
            manual_checks: self.manual_checks.as_deref(),
            export_running: self.export_job.is_running(),
            closing: self.closing,
            now: self.seen_at,
        }
    }

    /// Everything still in the way of closing, from the one close gate.
    pub fn close_blocks(&self) -> Vec<CloseBlock> {
        gate::close_blocks(&self.gate_input())
    }

    /// Why the account cannot be closed now, naming each thing still in the way.
    pub fn close_blocked_reason(&self) -> Option<String> {
        gate::describe(&self.close_blocks())
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
        self.seen_at = now;
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
            Action::ChoosePlatform(_)
            | Action::ChooseAccount(_)
            | Action::AddCsvFiles(_)
            | Action::RemoveCsvFile(_)
            | Action::SetCsvKind(_)
            | Action::Answer { .. }
            | Action::SetUsername(_)
            | Action::ConnectApi(_)
            | Action::CancelConnectApi
            | Action::DisconnectApi => self.apply_connect(action),
            Action::EditAgencyPlan(plan) => {
                if self.busy_leaving() || self.is_closed() {
                    return Vec::new();
                }
                self.progress.agency_plan = plan;
                Vec::new()
            }
            Action::SetReminder(day) => {
                self.progress.reminder = day;
                Vec::new()
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
            Action::CheckClosureAgain => {
                let Some(receipt) = &self.progress.receipt else {
                    return Vec::new();
                };
                let again = receipt.check.as_ref().is_some_and(|c| c.can_check_again());
                if !again || self.checking_closure {
                    return Vec::new();
                }
                self.checking_closure = true;
                vec![Effect::CheckClosure {
                    account: receipt.account.id.clone(),
                    receipt: Box::new(receipt.clone()),
                }]
            }
            Action::SaveText { path, contents } => vec![Effect::WriteText { path, contents }],
            Action::DismissNotice => {
                self.notice = None;
                Vec::new()
            }
            Action::StartOver => {
                if self.busy_leaving() {
                    return Vec::new();
                }
                let platform = self.progress.platform.clone();
                self.progress = Progress {
                    platform,
                    ..Progress::default()
                };
                self.reset_runtime();
                Vec::new()
            }
            Action::SetTheme(theme) => {
                self.prefs.theme = theme;
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
        self.seen_at = now;
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
                let connected = result.is_ok();
                self.accounts.finish(result);
                if connected {
                    return self.retry_failed_loads(now);
                }
                Vec::new()
            }
            Event::PendingWorkLoaded { account, result } => {
                if !is_current(&account) {
                    return Vec::new();
                }
                self.fetch_status = None;
                self.assessment
                    .finish(result.map(|work| assess(self.profile(), &work, now)));
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
                    self.manual_checks = Some(checks);
                }
                Vec::new()
            }
            Event::ApiEndpoint(endpoint) => {
                self.api_endpoint = Some(endpoint);
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
            Event::ClosureChecked(check) => {
                self.checking_closure = false;
                let company = self.profile().company;
                if let Some(receipt) = &mut self.progress.receipt {
                    receipt.record_check(company, check);
                }
                Vec::new()
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
        self.seen_at = now;
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

    /// The next moment something on the current page changes by itself
    /// (the review's re-check falls due, or the review turns stale on the
    /// close page), strictly after `now`. `None`: nothing changes until the
    /// user acts or a worker reports, so the window need not wake.
    pub fn next_timed_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let step = self.progress.step;
        if !matches!(step, Step::Review | Step::Confirm) || self.closing {
            return None;
        }
        let Loadable::Loaded(a) = &self.assessment else {
            return None;
        };
        let recheck = self
            .resolving
            .is_empty()
            .then_some(a.checked_at + RECHECK_AFTER);
        let stale = (step == Step::Confirm).then(|| gate::review_stale_at(a.checked_at));
        [recheck, stale]
            .into_iter()
            .flatten()
            .filter(|due| *due > now)
            .min()
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
            platform: self.progress.platform.clone(),
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
            check: outcome.check.clone(),
            receipt_path,
        }
    }

    fn close(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.progress.step != Step::Confirm {
            return Vec::new();
        }
        let Ok(clearance) = clear_to_close(&self.gate_input()) else {
            return Vec::new();
        };
        let Some(account) = self.progress.account.clone() else {
            return Vec::new();
        };
        self.closing = true;
        self.close_error = None;
        // The draft carries everything but what the platform answers.
        let draft = self.receipt_for(
            account,
            &ClosureOutcome {
                closed_at: now,
                reference: String::new(),
                reactivate_until: None,
                evidence: None,
                check: None,
            },
            None,
        );
        vec![Effect::CloseAccount {
            clearance,
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
            // Blockers are live facts: fetch them afresh every time. The
            // close gate also needs the source's manual checks, which a
            // saved state opening on Confirm has not loaded yet.
            Step::Review => self.fetch_pending_work(),
            Step::Confirm => {
                let mut effects = self.fetch_pending_work();
                effects.extend(self.load_clients_if_needed(account));
                effects
            }
            Step::Export if !self.export_preview.is_loading() => {
                self.export_preview.begin();
                vec![Effect::LoadExportPreview { account }]
            }
            Step::Checklist => self.load_clients_if_needed(account),
            _ => Vec::new(),
        }
    }

    /// A resumed step starts its loads while the platform is still being
    /// connected, and a load that ran first failed for that alone: once the
    /// accounts are listed, the step's failed loads go again.
    fn retry_failed_loads(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let failed = match self.progress.step {
            Step::Review => self.assessment.error().is_some(),
            Step::Export => self.export_preview.error().is_some(),
            Step::Checklist => self.clients.error().is_some(),
            Step::Confirm => self.assessment.error().is_some() || self.clients.error().is_some(),
            _ => false,
        };
        if failed {
            self.enter_step(now)
        } else {
            Vec::new()
        }
    }

    /// Clients and manual checks come together; load them when either is
    /// missing and no load is under way.
    fn load_clients_if_needed(&mut self, account: String) -> Vec<Effect> {
        let missing = matches!(self.clients, Loadable::NotLoaded | Loadable::Failed { .. })
            || self.manual_checks.is_none();
        if !missing || self.clients.is_loading() {
            return Vec::new();
        }
        self.clients.begin();
        vec![Effect::LoadClients { account }]
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
        self.manual_checks = None;
        self.export_job = ExportJob::Idle;
        self.resolving.clear();
        self.closing = false;
        self.checking_closure = false;
        self.close_error = None;
    }
}

#[cfg(test)]
mod tests;
