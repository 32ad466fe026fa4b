//! Step 2: which platform, which account. API sources sign in with the
//! user's own key; the CSV source takes the files the user downloaded.

use crate::model::account::AccountKind;
use crate::model::profile::ConnectForm;
use crate::model::wizard::{Action, ApiKeyForm, AuthState, Loadable, SecretText, Step, Wizard};
use crate::ui::app::PageContext;
use crate::ui::file_choice::{Purpose, Slot};
use crate::ui::widgets;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// The redirect URI suggested for a new API key.
const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1:8765/callback";

/// What the user is typing into the API-key form; kept in egui's memory
/// for this run only, never saved (the secret goes to the OS keyring).
#[derive(Clone)]
struct KeyDraft {
    client_id: String,
    client_secret: String,
    redirect_uri: String,
}

impl Default for KeyDraft {
    fn default() -> Self {
        KeyDraft {
            client_id: String::new(),
            client_secret: String::new(),
            redirect_uri: DEFAULT_REDIRECT_URI.into(),
        }
    }
}

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Connect",
        "Choose the platform and the account you want to leave.",
    );
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Platform");
        for profile in wizard.profiles().all() {
            let selected = wizard.progress.platform == profile.id;
            if ui.radio(selected, profile.name).clicked() && !selected {
                cx.act(Action::ChoosePlatform(profile.id.clone()));
            }
            ui.indent(profile.id.slug(), |ui| {
                ui.label(RichText::new(profile.description).color(widgets::muted(ui)));
            });
        }
    });
    ui.add_space(6.0);
    let profile = wizard.profile();
    match profile.connect {
        ConnectForm::ApiKey => {
            if !api_connection(ui, wizard, cx) {
                return;
            }
        }
        ConnectForm::Files => csv_files(ui, wizard, cx),
        ConnectForm::Questionnaire(_) => super::questionnaire::username(ui, wizard, cx),
        ConnectForm::Offline => {}
    }
    accounts(ui, wizard, cx);
    if let ConnectForm::Questionnaire(questions) = profile.connect {
        super::questionnaire::ui(ui, wizard, questions, cx);
    }
    if wizard.account().is_some() && wizard.progress.furthest > Step::Connect {
        ui.label(
            RichText::new(
                "Choosing another account clears the export, drafts and confirmation tied to \
                 this one.",
            )
            .color(widgets::muted(ui)),
        );
    }
}

fn accounts(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Account");
        match &wizard.accounts {
            Loadable::NotLoaded => {
                ui.label(
                    RichText::new("Connect above to see your accounts.").color(widgets::muted(ui)),
                );
            }
            Loadable::Loading { previous: None } => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Connecting…");
                });
            }
            Loadable::Failed {
                message,
                previous: None,
            } => {
                ui.label(
                    RichText::new(format!("Could not list the accounts: {message}"))
                        .color(widgets::danger(ui)),
                );
            }
            _ => {
                let accounts = wizard
                    .accounts
                    .value()
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let chosen = wizard.account().map(|a| a.id.as_str());
                for account in accounts {
                    let selected = chosen == Some(account.id.as_str());
                    let label = format!("{} ({})", account.display_name, account.username);
                    if ui.radio(selected, label).clicked() && !selected {
                        cx.act(Action::ChooseAccount(account.id.clone()));
                    }
                    ui.indent(&account.id, |ui| {
                        // A questionnaire does not know when the account began.
                        let since = match wizard.profile().connect {
                            ConnectForm::Questionnaire(_) => String::new(),
                            _ => format!("member since {}", account.member_since.format("%B %Y")),
                        };
                        let facts: Vec<&str> = [
                            wizard.profile().kind_label(account.kind),
                            account.email.as_str(),
                            since.as_str(),
                        ]
                        .into_iter()
                        .filter(|fact| !fact.is_empty())
                        .collect();
                        ui.label(RichText::new(facts.join(" · ")).color(widgets::muted(ui)));
                    });
                }
                if let Some(message) = wizard.accounts.error() {
                    ui.label(RichText::new(message).color(widgets::danger(ui)));
                }
            }
        }
    });
}

/// The API-key form, sign-in progress and Disconnect. Returns whether the
/// API is connected, so the account list makes sense.
fn api_connection(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) -> bool {
    let mut connected = false;
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Your Upwork API key");
        match &wizard.api_auth {
            AuthState::Connected => {
                connected = true;
                ui.horizontal(|ui| {
                    ui.label("Connected. Offboard only reads your data.");
                    if ui
                        .button("Disconnect")
                        .on_hover_text("Forget the key and tokens")
                        .clicked()
                    {
                        cx.act(Action::DisconnectApi);
                    }
                });
            }
            AuthState::Authorizing => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Approve Offboard in the browser window that opened…");
                    if ui.button("Cancel").clicked() {
                        cx.act(Action::CancelConnectApi);
                    }
                });
            }
            AuthState::Unknown => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Looking for a saved key…");
                });
            }
            AuthState::NotConnected | AuthState::Failed(_) => {
                if let AuthState::Failed(message) = &wizard.api_auth {
                    ui.label(RichText::new(message).color(widgets::danger(ui)));
                }
                key_form(ui, cx);
            }
        }
        match &wizard.api_endpoint {
            Some(Ok(endpoint)) => {
                ui.label(
                    RichText::new(format!("Your sign-in goes only to {endpoint}"))
                        .color(widgets::muted(ui)),
                );
            }
            Some(Err(refused)) => {
                ui.label(RichText::new(refused).color(widgets::danger(ui)));
            }
            None => {}
        }
        if let Some(warning) = &wizard.secret_storage_warning {
            widgets::callout(ui, widgets::warning(ui), |ui| {
                ui.label(RichText::new(warning).color(widgets::warning(ui)));
            });
        }
    });
    ui.add_space(6.0);
    connected
}

fn key_form(ui: &mut Ui, cx: &mut PageContext<'_>) {
    ui.label(
        RichText::new(
            "Upwork approves API keys one by one: request yours in Upwork's API Center with \
             the redirect URI below. Offboard keeps the secret and tokens in your system \
             keyring, never in its own files.",
        )
        .color(widgets::muted(ui)),
    );
    let id = egui::Id::unique("offboard-api-key-draft");
    let mut draft: KeyDraft = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    egui::Grid::new("api-key-form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Client ID");
            ui.add(egui::TextEdit::singleline(&mut draft.client_id).desired_width(360.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Client secret");
            ui.add(
                egui::TextEdit::singleline(&mut draft.client_secret)
                    .password(true)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Redirect URI");
            ui.add(egui::TextEdit::singleline(&mut draft.redirect_uri).desired_width(360.0))
                .labelled_by(label.id);
            ui.end_row();
        });
    let ready = !draft.client_id.trim().is_empty() && !draft.client_secret.is_empty();
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new("Connect with Upwork"))
            .clicked()
        {
            cx.act(Action::ConnectApi(ApiKeyForm {
                client_id: draft.client_id.clone(),
                client_secret: SecretText(std::mem::take(&mut draft.client_secret)),
                redirect_uri: draft.redirect_uri.clone(),
            }));
        }
        if !ready {
            ui.label(
                RichText::new("Enter the client ID and secret first.").color(widgets::muted(ui)),
            );
        }
    });
    ui.data_mut(|d| d.insert_temp(id, draft));
}

fn csv_files(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Transaction-history files");
        ui.label(
            RichText::new(
                "Download them from Upwork under Reports › Transaction History (Download CSV). \
                 Add every period you have; overlapping rows are counted once.",
            )
            .color(widgets::muted(ui)),
        );
        let files: &[PathBuf] = &wizard.progress.sources.csv_files;
        for file in files {
            ui.horizontal(|ui| {
                ui.label(RichText::new(file.display().to_string()).monospace());
                if ui
                    .small_button("Remove")
                    .accessible_name(format!("Remove {}", file.display()))
                    .clicked()
                {
                    cx.act(Action::RemoveCsvFile(file.clone()));
                }
            });
        }
        let start_in = cx.files.folders.downloads.clone();
        ui.horizontal_wrapped(|ui| {
            let waiting = cx.files.waiting();
            if ui
                .add_enabled(!waiting, egui::Button::new("Add CSV files…"))
                .on_hover_text("Opens your system's file picker")
                .clicked()
            {
                cx.files.choose(Purpose::CsvFiles, start_in.clone());
            }
            if ui
                .button("Browse in Offboard…")
                .on_hover_text("Offboard's own file browser, for when the system's does not open")
                .clicked()
            {
                cx.files.browse(Purpose::CsvFiles, start_in);
            }
            if waiting {
                ui.label(
                    RichText::new("Waiting for the file dialog to close.")
                        .color(widgets::muted(ui)),
                );
            }
        });
        let actions = &mut cx.actions;
        cx.files.ui(ui, Slot::CsvFiles, actions);
        if !files.is_empty() {
            ui.add_space(6.0);
            csv_kind(ui, wizard, cx);
        }
    });
    ui.add_space(6.0);
}

/// Which kind of account the files are from: read from the files unless
/// the user says otherwise (closing rules and checklist depend on it).
fn csv_kind(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let chosen = wizard.progress.sources.csv_kind;
    let detected = match (chosen, wizard.accounts.value()) {
        (None, Some(accounts)) => accounts.first().map(|account| account.kind),
        _ => None,
    };
    let shown = match (chosen, detected) {
        (Some(kind), _) => kind.label().to_string(),
        (None, Some(kind)) => format!("{} (read from the files)", kind.label()),
        (None, None) => "Read from the files".to_string(),
    };
    egui::ComboBox::from_label("Account kind")
        .width(280.0)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(chosen.is_none(), "Read from the files")
                .clicked()
                && chosen.is_some()
            {
                cx.act(Action::SetCsvKind(None));
            }
            for kind in AccountKind::ALL {
                if ui
                    .selectable_label(chosen == Some(kind), kind.label())
                    .clicked()
                    && chosen != Some(kind)
                {
                    cx.act(Action::SetCsvKind(Some(kind)));
                }
            }
        });
}
