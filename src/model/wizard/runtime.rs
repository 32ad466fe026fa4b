//! What the wizard knows only while it runs: values loaded in the
//! background, the export job, the API sign-in, notices.

use crate::model::account::AccountKind;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
    pub(super) fn take_previous(&mut self) -> Option<T> {
        match std::mem::take(self) {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous,
            Loadable::NotLoaded => None,
        }
    }

    /// Start loading, keeping what was there to show meanwhile.
    pub(super) fn begin(&mut self) {
        let previous = self.take_previous();
        *self = Loadable::Loading { previous };
    }

    pub(super) fn finish(&mut self, result: Result<T, String>) {
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
    /// A guided platform's answers, by question id.
    #[serde(default)]
    pub answers: crate::model::questionnaire::Answers,
    /// The username a guided platform's receipt and letters name.
    #[serde(default)]
    pub username: String,
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
