//! The connect step: which platform, which account, and what the source
//! needs (CSV files, an API key, a questionnaire's answers). Its actions
//! are handled here; `Wizard::apply` hands them over.

use super::{Action, AuthState, Effect, Loadable, Wizard};
use crate::model::account::AccountSummary;
use crate::model::profile::ConnectForm;

impl Wizard {
    /// One of the connect step's actions.
    pub(super) fn apply_connect(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ChoosePlatform(platform) => {
                if platform != self.progress.platform && !self.is_closed() && !self.busy_leaving() {
                    self.progress.platform = platform;
                    self.forget_account();
                    self.accounts = Loadable::NotLoaded;
                    self.accounts.begin();
                    self.manual_checks = None;
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
            Action::Answer { question, answer } => {
                let known = self
                    .profile()
                    .questionnaire()
                    .is_some_and(|q| q.question(&question).is_some());
                let before = self.progress.sources.answers.get(&question).cloned();
                if !known || before == answer || self.busy_leaving() || self.is_closed() {
                    return Vec::new();
                }
                let answers = &mut self.progress.sources.answers;
                match answer {
                    Some(answer) => answers.insert(question, answer),
                    None => answers.remove(&question),
                };
                self.reload_source()
            }
            Action::SetUsername(name) => {
                if self.progress.sources.username == name || self.busy_leaving() {
                    return Vec::new();
                }
                self.progress.sources.username = name;
                // The account list names the user: list it again (the
                // chosen account's details follow the new list).
                self.reload_source()
            }
            Action::ConnectApi(key) => {
                if self.api_auth == AuthState::Authorizing || self.is_closed() {
                    return Vec::new();
                }
                self.api_auth = AuthState::Authorizing;
                vec![Effect::AuthorizeApi {
                    platform: self.progress.platform.clone(),
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
                    platform: self.progress.platform.clone(),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// The other accounts of the same login that closing also closes (a
    /// freelancer's client companies, a Fiverr buyer's selling side), where
    /// the platform's profile says closing closes both.
    pub fn other_sides(&self) -> Vec<&AccountSummary> {
        let Some(chosen) = self.account() else {
            return Vec::new();
        };
        let both = self
            .profile()
            .kind(chosen.kind)
            .is_some_and(|k| k.note.is_some());
        if !both {
            return Vec::new();
        }
        self.accounts
            .value()
            .map(|list| {
                list.iter()
                    .filter(|a| a.id != chosen.id && a.kind != chosen.kind)
                    .filter(|a| {
                        self.profile()
                            .kind(a.kind)
                            .is_some_and(|k| k.note.is_some())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// API sources first find out whether the user has connected; the
    /// others list their accounts at once.
    pub(super) fn connect_platform(&mut self) -> Effect {
        let platform = self.progress.platform.clone();
        if matches!(self.profile().connect, ConnectForm::ApiKey)
            && self.api_auth != AuthState::Connected
        {
            return Effect::CheckApiConnection {
                platform,
                sources: self.progress.sources.clone(),
            };
        }
        self.load_accounts()
    }

    pub(super) fn load_accounts(&self) -> Effect {
        Effect::LoadAccounts {
            platform: self.progress.platform.clone(),
            changes: self.account_changes.clone(),
            sources: self.progress.sources.clone(),
        }
    }

    /// The source's data changed (files added or removed): list the
    /// accounts again and drop what was loaded from the old data.
    pub(super) fn reload_source(&mut self) -> Vec<Effect> {
        if self.busy_leaving() || self.is_closed() {
            return Vec::new();
        }
        self.assessment = Loadable::NotLoaded;
        self.export_preview = Loadable::NotLoaded;
        self.clients = Loadable::NotLoaded;
        self.manual_checks = None;
        // Sources whose accounts come from what the user gives (files,
        // answers) list them again; the others did not change.
        if !self.profile().connect.given_by_user() {
            return Vec::new();
        }
        self.accounts.begin();
        vec![self.load_accounts()]
    }
}
