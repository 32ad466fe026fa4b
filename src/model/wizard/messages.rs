//! The messages of the state machine: what the user does (`Action`),
//! what the outside world must do (`Effect`), what workers report (`Event`).

use super::gate::CloseClearance;
use super::progress::{ExportRecord, Receipt, SavedState, ThemeChoice};
use super::runtime::{ApiKeyForm, FetchStatus, SourceSettings, VerifyOutcome};
use super::steps::{ChecklistItem, LeaveReason, Step};
use crate::model::account::{
    AccountKind, AccountSummary, ClientContact, ManualCheck, PlatformId, SectionCounts,
};
use crate::model::closure_check::ClosureCheck;
use crate::model::review::{AccountChange, ClosureOutcome, PendingWork, Resolution};
use std::path::PathBuf;

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
    /// A guided platform's answer to one question (`None` clears it).
    Answer {
        question: String,
        answer: Option<crate::model::questionnaire::Answer>,
    },
    /// The username a guided platform's receipt and letters name.
    SetUsername(String),
    /// The agency close form's answers, as edited.
    EditAgencyPlan(super::progress::AgencyPlan),
    /// The day a calendar reminder was saved for (`None` forgets it).
    SetReminder(Option<chrono::NaiveDate>),
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
    /// Ask the platform again whether the closed account is gone.
    CheckClosureAgain,
    SaveText {
        path: PathBuf,
        contents: String,
    },
    DismissNotice,
    StartOver,
    ResetDemo,
    SetTheme(ThemeChoice),
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
        /// For the endpoint a saved or given `api_base` names.
        sources: SourceSettings,
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
    /// Close the account: only the close gate makes the clearance.
    CloseAccount {
        clearance: CloseClearance,
        receipt: Box<Receipt>,
        export_folder: Option<PathBuf>,
    },
    WriteText {
        path: PathBuf,
        contents: String,
    },
    /// Ask the platform whether the account is closed, then rewrite the
    /// receipt (and its files) with what was observed.
    CheckClosure {
        account: String,
        receipt: Box<Receipt>,
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
    /// The API endpoint the token goes to, or why it is refused.
    ApiEndpoint(Result<String, String>),
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
    /// What asking again after closing observed.
    ClosureChecked(ClosureCheck),
    TextSaved(Result<PathBuf, String>),
    SaveFailed(String),
    DemoReset,
}
