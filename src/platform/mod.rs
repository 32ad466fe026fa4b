//! Platform sources behind one trait. Each maps its data into the model's
//! types; large collections stream as iterators so an export never holds a
//! whole account in memory.

pub mod demo;
pub mod endpoint;
pub mod fiverr;
pub mod freelancer_com;
pub mod guided;
pub mod registry;
pub mod synthetic;
pub mod upwork;

use crate::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, ManualCheck, MessageRoom, Offer,
    PlatformId, Profile, Proposal, SectionCounts, TeamMember, TimeEntry, Transaction,
};
use crate::model::review::{ClosureOutcome, PendingWork, Resolution};
use chrono::{DateTime, Utc};

/// A lazily fetched collection: records arrive one at a time, and a failure
/// part-way is an item of the stream rather than a lost collection.
pub type RecordStream<'a, T> = Box<dyn Iterator<Item = Result<T, PlatformError>> + 'a>;

#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    #[error("there is no account \"{0}\" on this platform; choose one of the listed accounts")]
    UnknownAccount(String),
    #[error("this account is closed, so the platform no longer answers for it")]
    AccountClosed,
    #[error("the platform refused: {0}")]
    Refused(String),
    #[error("the platform no longer accepts your sign-in; connect again with your API key")]
    Reconnect,
    #[error("{0} is not something this platform source can do; do it on the platform's website")]
    Unsupported(&'static str),
    #[error("the platform's data could not be read: {0}")]
    Malformed(String),
}

/// Receives (what is being fetched, queries made, records read) while a
/// networked source fetches.
pub type FetchSink = std::sync::Arc<dyn Fn(&str, u64, u64) + Send + Sync>;

/// One platform source. All methods take the platform's account id.
pub trait Platform: Send + Sync {
    fn id(&self) -> PlatformId;

    /// The accounts the user can choose from.
    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError>;

    /// Everything that decides whether the account can close, fetched fresh.
    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError>;

    fn profile(&self, account: &str) -> Result<Profile, PlatformError>;
    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError>;
    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError>;
    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError>;
    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError>;
    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError>;
    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError>;
    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError>;
    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError>;
    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError>;
    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError>;

    /// The platform's own time report over the account's whole history, when
    /// it keeps one. `None`: the export derives weekly hours from the hourly
    /// payments instead.
    fn time_report(
        &self,
        _account: &str,
    ) -> Result<Option<RecordStream<'_, TimeEntry>>, PlatformError> {
        Ok(None)
    }

    /// Report fetch progress to `progress` and stop fetching once `cancel`
    /// is set. Sources that fetch nothing over the network ignore it.
    fn watch_fetch(
        &self,
        _progress: FetchSink,
        _cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) {
    }

    /// What this source cannot see and the user must confirm by hand.
    fn manual_checks(&self, _account: &str) -> Vec<ManualCheck> {
        Vec::new()
    }

    /// Whether `resolve` and `close_account` act on the platform itself.
    /// Real platforms offer no API for most of it: the user does it on the
    /// website and Offboard re-checks.
    fn can_act(&self) -> bool {
        false
    }

    /// Whether asking this source about an account closed elsewhere tells
    /// anything: an API does, downloaded files do not.
    fn sees_account_state(&self) -> bool {
        false
    }

    /// Carry out one resolution (end a contract, withdraw the balance…).
    fn resolve(
        &mut self,
        _account: &str,
        _resolution: &Resolution,
        _now: DateTime<Utc>,
    ) -> Result<(), PlatformError> {
        Err(PlatformError::Unsupported("resolving items from Offboard"))
    }

    /// Close the account. Refused while any blocker remains, as the platform's
    /// own close button is.
    fn close_account(
        &mut self,
        _account: &str,
        _now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, PlatformError> {
        Err(PlatformError::Unsupported(
            "closing the account from Offboard",
        ))
    }
}
