//! Upwork through its API, from connect to after-care, against a local
//! stand-in server: an account with nothing left open is reviewed, exported,
//! checked off, closed on the website (the user says so), and the receipt
//! records what the API then reports. (Signing in is walked in
//! `ui_wizard.rs`; here the key and its tokens are already saved.)

#[path = "support/ui_app.rs"]
mod ui_app;
#[path = "support/upwork_server.rs"]
mod upwork_server;

use chrono::{DateTime, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use offboard::export;
use offboard::jobs::{self, Clock, Jobs};
use offboard::model::wizard::Step;
use offboard::platform::upwork::auth::{self, ApiKey, OAuthEndpoints, Tokens};
use offboard::platform::upwork::secrets::{Secret, SecretStore};
use offboard::store::Store;
use offboard::ui::{DefaultFolders, DialogDone, DialogKind, DialogOutcome, Dialogs, OffboardApp};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ui_app::settle;
use upwork_server::{Fixture, Size, TOKEN, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Answers the folder dialog with one folder and the CSV dialog with the
/// prepared files.
struct Prepared {
    folder: PathBuf,
    csv_files: Vec<PathBuf>,
}

impl Dialogs for Prepared {
    fn open(&mut self, kind: DialogKind, _start_in: Option<PathBuf>, done: DialogDone) {
        done(match kind {
            DialogKind::Folder => DialogOutcome::Chosen(vec![self.folder.clone()]),
            DialogKind::CsvFiles => DialogOutcome::Chosen(self.csv_files.clone()),
            DialogKind::SaveAs { .. } => DialogOutcome::Cancelled,
        });
    }
}

/// The app on `state_dir` with the given API access and clock, every
/// folder dialog answered with `exports` and the CSV dialog with
/// `csv_files`, started and settled.
fn started(
    api: jobs::ApiAccess,
    clock: Clock,
    state_dir: &Path,
    exports: &Path,
    csv_files: Vec<PathBuf>,
) -> Harness<'static, OffboardApp> {
    let jobs = Jobs::new(
        jobs::default_platforms(clock.clone(), api.clone()),
        api,
        Some(Store::new(state_dir)),
        clock,
    );
    let folders = DefaultFolders {
        home: Some(exports.to_path_buf()),
        documents: Some(exports.to_path_buf()),
        downloads: None,
    };
    let app = OffboardApp::new(
        offboard::store::Loaded::Fresh,
        jobs,
        Box::new(Prepared {
            folder: exports.to_path_buf(),
            csv_files,
        }),
        folders,
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1120.0, 2400.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |_cc| app);
    settle(&mut h);
    h
}

/// The close page's last two moves: the username, then Close account.
fn type_username_and_close(h: &mut Harness<'_, OffboardApp>, username: &str) {
    let field = format!("Type the username \"{username}\" to confirm");
    h.get_by_role_and_label(Role::TextInput, &field).focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, &field)
        .type_text(username);
    h.run_steps(2);
    settle(h);
    click(h, "Close account");
}

fn click(h: &mut Harness<'_, OffboardApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(2);
    settle(h);
}

/// The small freelancer account with nothing left open: contracts ended,
/// proposals and offers answered, every payment settled and withdrawn.
fn cleared() -> Fixture {
    let mut fixture = Fixture::freelancer(Size::small());
    let today = fixture.today;
    for org in &mut fixture.orgs {
        for contract in &mut org.contracts {
            contract.status = "CLOSED";
            contract.end.get_or_insert(today);
        }
        org.proposals.clear();
        org.offers.clear();
        org.job_posts.clear();
        org.staff.clear();
        for t in &mut org.transactions {
            t.payment_status = "Paid";
        }
        let balance: i64 = org.transactions.iter().map(|t| t.amount_cents).sum();
        if let Some(last) = org.transactions.last().cloned() {
            let mut withdrawal = last;
            withdrawal.id = format!("{}-w", withdrawal.id);
            withdrawal.kind = "Withdrawal";
            withdrawal.subtype = "Withdrawal";
            withdrawal.description = "Withdrawal to bank".into();
            withdrawal.amount_cents = -balance;
            withdrawal.balance_cents = 0;
            withdrawal.company = None;
            withdrawal.assignment = None;
            org.transactions.push(withdrawal);
        }
    }
    fixture
}

fn now() -> DateTime<Utc> {
    cleared().today
}

/// Each organisation the login lists (a freelancer's own and a client
/// company) walks through, with its kind's rules and steps.
#[test]
fn every_upwork_account_kind_walks_from_connect_to_after_care() -> TestResult {
    for index in 0..cleared().orgs.len() {
        api_walk(index)?;
    }
    Ok(())
}

fn api_walk(index: usize) -> TestResult {
    let graphql = TestServer::start(cleared());
    let state = tempfile::tempdir()?;
    let exports = tempfile::tempdir()?;
    let secrets = SecretStore::file_only(state.path().join("secrets"));
    let key = ApiKey {
        client_id: "my-client-id".into(),
        client_secret: Secret::new("s3cret"),
        redirect_uri: "http://127.0.0.1:8765/callback".into(),
    };
    auth::save_api_key(&secrets, &key)?;
    auth::save_tokens(
        &secrets,
        &key.client_id,
        &Tokens {
            access: Secret::new(TOKEN),
            refresh: None,
            expires_at: Some(now() + chrono::Duration::days(365 * 20)),
        },
    )?;
    let mut api = jobs::ApiAccess::with_store(
        secrets,
        OAuthEndpoints {
            authorize_url: "http://127.0.0.1:9/authorize".into(),
            token_url: "http://127.0.0.1:9/token".into(),
        },
        Arc::new(|_| Err("no browser in tests".into())),
    );
    api.api_base = Some(graphql.url.clone());
    let clock: Clock = Arc::new(now);
    let mut h = started(api, clock, state.path(), exports.path(), Vec::new());
    click(&mut h, "Start");
    click(&mut h, "Upwork (with your API key)");
    let accounts = h
        .state()
        .wizard()
        .accounts
        .value()
        .cloned()
        .unwrap_or_default();
    let freelancer = accounts
        .get(index)
        .ok_or("no such organisation listed")?
        .clone();
    click(
        &mut h,
        &format!("{} ({})", freelancer.display_name, freelancer.username),
    );
    click(&mut h, "Next");
    click(&mut h, "Reason for leaving");
    click(&mut h, "I'm moving to another platform");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Next");
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Review);

    // Upwork's own rules: one login, both sides, and nothing blocks.
    h.get_by_label("Nothing blocks closing this account.");
    if freelancer.kind != offboard::model::account::AccountKind::Agency {
        h.get_by_label_contains("Closing the account from Settings closes the whole login");
    }
    click(&mut h, "Next");

    // The export reads the account from the API.
    click(&mut h, "Choose folder…");
    click(&mut h, "Export");
    h.get_by_label("Export complete");
    let record = h
        .state()
        .wizard()
        .progress
        .export
        .clone()
        .ok_or("no export recorded")?;
    assert!(export::verify(&record.folder).is_ok());
    let letter = std::fs::read_to_string(record.folder.join("erasure-request.txt"))?;
    assert!(letter.contains("privacyrequests@upwork.com"), "{letter}");
    click(&mut h, "Next");

    // Upwork's checklist, and what the API cannot see (disputes).
    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    let manual = h.state().wizard().manual_checks.clone().unwrap_or_default();
    assert!(!manual.is_empty());
    for check in &manual {
        click(&mut h, &check.label);
    }
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Confirm);

    // Closed on Upwork's website, with Upwork's own steps.
    h.get_by_label("Close it on Upwork's website");
    let steps = h
        .state()
        .wizard()
        .profile()
        .kind(freelancer.kind)
        .map(|k| k.closing.steps)
        .unwrap_or_default();
    for step in steps {
        assert!(
            h.query_all_by_label_contains(step).next().is_some(),
            "{:?}: {step}",
            freelancer.kind
        );
    }
    click(&mut h, "I have closed the account on Upwork's website");
    type_username_and_close(&mut h, &freelancer.username);
    assert_eq!(step_of(&h), Step::Done);

    // After-care: Upwork's retention and recovery; the receipt records what
    // the API said after (the stand-in still answers: not verified).
    h.get_by_label("Your account is closed");
    h.get_by_label("What Upwork keeps");
    let receipt = std::fs::read_to_string(record.folder.join("receipt.txt"))?;
    assert!(receipt.contains("Upwork"), "{receipt}");
    assert!(receipt.contains("If it closed by mistake"), "{receipt}");
    let check = h
        .state()
        .wizard()
        .progress
        .receipt
        .as_ref()
        .and_then(|r| r.check.clone())
        .ok_or("no check recorded")?;
    assert!(!check.is_verified(), "{check:?}");
    Ok(())
}

fn step_of(h: &Harness<'_, OffboardApp>) -> Step {
    h.state().wizard().step()
}

/// Upwork from downloaded files, from connect to after-care, for each kind
/// of account the files can be from (read from them, or as the user says):
/// files whose money is all settled and withdrawn; what files cannot show
/// is checked on the website; the receipt says files cannot see the closing.
#[test]
fn every_upwork_kind_from_csv_files_walks_from_connect_to_after_care() -> TestResult {
    for kind in [None, Some("Client company owner"), Some("Agency owner")] {
        csv_walk(kind)?;
    }
    Ok(())
}

fn csv_walk(kind: Option<&str>) -> TestResult {
    let state = tempfile::tempdir()?;
    let exports = tempfile::tempdir()?;
    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upwork-csv/settled_transaction-history_2026-09-01_2026-09-30.csv");
    let api = jobs::ApiAccess::with_store(
        SecretStore::file_only(state.path().join("secrets")),
        OAuthEndpoints {
            authorize_url: "http://127.0.0.1:9/authorize".into(),
            token_url: "http://127.0.0.1:9/token".into(),
        },
        Arc::new(|_| Err("no browser in tests".into())),
    );
    // After the files' last day, when their money has long cleared.
    let clock: Clock = Arc::new(|| {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .single()
            .unwrap_or_default()
    });
    let mut h = started(api, clock, state.path(), exports.path(), vec![csv]);
    click(&mut h, "Start");
    click(&mut h, "Upwork (downloaded CSV files)");
    click(&mut h, "Add CSV files…");
    if let Some(kind) = kind {
        click(&mut h, "Account kind");
        click(&mut h, kind);
        h.key_press(egui::Key::Escape);
        settle(&mut h);
    }
    let accounts = h
        .state()
        .wizard()
        .accounts
        .value()
        .cloned()
        .unwrap_or_default();
    let account = accounts
        .first()
        .ok_or("no account read from the files")?
        .clone();
    click(
        &mut h,
        &format!("{} ({})", account.display_name, account.username),
    );
    click(&mut h, "Next");
    let label = h
        .state()
        .wizard()
        .profile()
        .kind_label(account.kind)
        .to_string();
    assert_eq!(kind.unwrap_or("Freelancer"), label);
    click(&mut h, "Reason for leaving");
    click(&mut h, "I no longer need the account");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Next");
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Review);
    h.get_by_label("Nothing blocks closing this account.");
    click(&mut h, "Next");

    click(&mut h, "Choose folder…");
    click(&mut h, "Export");
    h.get_by_label("Export complete");
    click(&mut h, "Next");

    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    let manual = h.state().wizard().manual_checks.clone().unwrap_or_default();
    assert!(manual.iter().any(|c| c.id == "contracts"), "{manual:?}");
    for check in &manual {
        click(&mut h, &check.label);
    }
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Confirm);
    click(&mut h, "I have closed the account on Upwork's website");
    type_username_and_close(&mut h, &account.username);
    assert_eq!(step_of(&h), Step::Done);
    h.get_by_label("Your account is closed");
    h.get_by_label("What Upwork keeps");
    let check = h
        .state()
        .wizard()
        .progress
        .receipt
        .as_ref()
        .and_then(|r| r.check.clone())
        .ok_or("no check recorded")?;
    assert!(
        !check.can_check_again(),
        "files cannot look again: {check:?}"
    );
    Ok(())
}
