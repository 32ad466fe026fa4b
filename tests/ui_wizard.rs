//! The wizard driven as a user would: clicking and typing into labelled
//! widgets, found by their accessible names. Snapshots of every page of the
//! freelancer flow are compared against tests/snapshots/.

#[path = "support/upwork_server.rs"]
mod upwork_server;

use chrono::{DateTime, TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use offboard::export;
use offboard::jobs::{self, Clock, Jobs};
use offboard::model::account::AccountKind;
use offboard::model::wizard::Step;
use offboard::platform::Platform;
use offboard::platform::demo::DemoPlatform;
use offboard::platform::upwork::auth::OAuthEndpoints;
use offboard::platform::upwork::secrets::SecretStore;
use offboard::store::Store;
use offboard::ui::{DefaultFolders, DialogDone, DialogKind, DialogOutcome, Dialogs, OffboardApp};
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

fn clock() -> Clock {
    Arc::new(now)
}

/// Stands in for the native dialogs: answers with prepared paths (or a
/// prepared failure) and records what was asked.
#[derive(Clone, Default)]
struct InjectedDialogs {
    folder: Option<PathBuf>,
    save_as: Option<PathBuf>,
    csv_files: Vec<PathBuf>,
    /// Every dialog fails with this, as on a desktop without a portal.
    failure: Option<String>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl InjectedDialogs {
    fn asked(&self) -> Vec<String> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl Dialogs for InjectedDialogs {
    fn open(&mut self, kind: DialogKind, _start_in: Option<PathBuf>, done: DialogDone) {
        let (asked, chosen) = match &kind {
            DialogKind::Folder => ("folder".to_string(), self.folder.iter().cloned().collect()),
            DialogKind::CsvFiles => ("csv".to_string(), self.csv_files.clone()),
            DialogKind::SaveAs { suggested_name } => (
                format!("save {suggested_name}"),
                self.save_as.iter().cloned().collect::<Vec<_>>(),
            ),
        };
        if let Ok(mut log) = self.asked.lock() {
            log.push(asked);
        }
        done(match (&self.failure, chosen.is_empty()) {
            (Some(why), _) => DialogOutcome::Failed(why.clone()),
            (None, true) => DialogOutcome::Cancelled,
            (None, false) => DialogOutcome::Chosen(chosen),
        });
    }
}

/// The user's folders as tests see them: fixed paths, so snapshots that
/// show the default export folder are the same on every machine.
fn test_folders() -> DefaultFolders {
    DefaultFolders {
        home: Some(PathBuf::from("/tmp/offboard-ui-test-home")),
        documents: Some(PathBuf::from("/tmp/offboard-ui-test-home/Documents")),
        downloads: None,
    }
}

/// A folder at the same absolute path on every machine, emptied first and
/// removed after, so snapshots that show it stay identical.
struct FixedDir(PathBuf);

impl FixedDir {
    fn new(name: &str) -> std::io::Result<FixedDir> {
        let path = Path::new("/tmp").join(name);
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(FixedDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for FixedDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn app(state_dir: &Path, dialogs: InjectedDialogs) -> OffboardApp {
    app_with_folders(state_dir, dialogs, test_folders())
}

fn app_with_folders(
    state_dir: &Path,
    dialogs: InjectedDialogs,
    folders: DefaultFolders,
) -> OffboardApp {
    let store = Store::new(state_dir);
    let loaded = store.load(now());
    // No keyring and no browser in tests: secrets go to a private file.
    let api = jobs::ApiAccess::with_store(
        SecretStore::file_only(state_dir.join("secrets")),
        OAuthEndpoints {
            authorize_url: "http://127.0.0.1:9/authorize".into(),
            token_url: "http://127.0.0.1:9/token".into(),
        },
        Arc::new(|_| Err("no browser in tests".into())),
    );
    let jobs = Jobs::new(
        jobs::default_platforms(clock(), api.clone()),
        api,
        Some(store),
        clock(),
    );
    OffboardApp::new(loaded, jobs, Box::new(dialogs), folders)
}

fn harness(app: OffboardApp, height: f32) -> Harness<'static, OffboardApp> {
    Harness::builder()
        .with_size(egui::vec2(1120.0, height))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |_cc| app)
}

/// Let background work finish and its results reach the screen.
fn settle(h: &mut Harness<'_, OffboardApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.run_steps(2);
        if !h.state().busy() {
            // One more pass to take in the last events and draw them.
            h.run_steps(3);
            if !h.state().busy() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "background work did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn click(h: &mut Harness<'_, OffboardApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(2);
    settle(h);
}

/// Picks `option` in the drop-down `combo`, then closes the drop-down as
/// a user's click would (an accessibility click leaves it open).
fn choose(h: &mut Harness<'_, OffboardApp>, combo: &str, option: &str) {
    click(h, combo);
    click(h, option);
    h.key_press(egui::Key::Escape);
    settle(h);
}

fn next(h: &mut Harness<'_, OffboardApp>) {
    click(h, "Next");
}

fn type_into(h: &mut Harness<'_, OffboardApp>, role: Role, label: &str, text: &str) {
    let field = h.get_by_role_and_label(role, label);
    field.focus();
    h.run_steps(1);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(2);
}

fn step_of(h: &Harness<'_, OffboardApp>) -> Step {
    h.state().wizard().step()
}

/// Resolve every blocker through the demo platform's buttons, in the order
/// a careful user would: escrow before ending its contract, money released
/// before it is withdrawn.
fn resolve_all_blockers(h: &mut Harness<'_, OffboardApp>) {
    const ORDER: [&str; 10] = [
        "Release escrow",
        "End contract",
        "Withdraw proposal",
        "Decline offer",
        "Close job post",
        "Remove member",
        "Settle dispute",
        "Pay balance",
        "Skip ahead to release",
        "Withdraw balance",
    ];
    for _ in 0..60 {
        // Each button is named after what it resolves: "End contract: …".
        let Some(label) = ORDER
            .iter()
            .map(|verb| format!("{verb}: "))
            .find(|label| h.query_all_by_label_contains(label).next().is_some())
        else {
            return;
        };
        if let Some(node) = h.query_all_by_label_contains(&label).next() {
            node.click_accesskit()
        }
        h.run_steps(2);
        settle(h);
        assert!(
            h.state().wizard().notice.is_none(),
            "resolving with {label} failed: {:?}",
            h.state().wizard().notice
        );
    }
    panic!("blockers kept coming back");
}

#[test]
fn freelancer_walks_from_welcome_to_receipt() -> TestResult {
    let state = tempfile::tempdir()?;
    // A fixed path, because the snapshots show it.
    let exports = FixedDir::new("offboard-ui-test-exports")?;
    let dialogs = InjectedDialogs {
        folder: Some(exports.path().to_path_buf()),
        save_as: Some(exports.path().join("my-erasure-letter.txt")),
        ..Default::default()
    };
    let mut h = harness(app(state.path(), dialogs.clone()), 900.0);
    settle(&mut h);

    // Welcome.
    h.get_by_label("Leave your freelance platform safely");
    h.snapshot("01-welcome");
    click(&mut h, "Start");
    assert_eq!(step_of(&h), Step::Connect);

    // Connect: Next waits for an account.
    h.get_by_label("Choose the account you are leaving to continue.");
    click(&mut h, "Maya Okafor (maya_okafor)");
    h.snapshot("02-connect");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Reason);

    // Reason: required, and the page says why Next is disabled.
    h.get_by_label("Choose a reason for leaving to continue.");
    next(&mut h);
    assert_eq!(
        step_of(&h),
        Step::Reason,
        "Next must stay disabled without a reason"
    );
    click(&mut h, "Reason for leaving");
    click(&mut h, "Other");
    h.get_by_label("You chose \"Other\": describe your reason in a few words.");
    type_into(
        &mut h,
        Role::TextInput,
        "Your reason",
        "Going back to a full-time job",
    );
    h.run_steps(2);
    assert_eq!(
        h.state().wizard().progress.other_reason,
        "Going back to a full-time job"
    );
    h.snapshot("03-reason");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Feedback);

    // Feedback, with its count.
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Feedback",
        "Great clients, but the fees add up.",
    );
    h.get_by_label("35 / 2000 characters");
    h.snapshot("04-feedback");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Review);

    // Pending work: blockers with how to resolve them, then resolve each.
    settle(&mut h);
    h.get_by_label_contains("Blockers (");
    h.get_by_label_contains("Earliest closing date");
    h.snapshot("05-review");
    resolve_all_blockers(&mut h);
    h.get_by_label("Nothing blocks closing this account.");
    h.snapshot("05-review-resolved");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Export);

    // Export into the injected folder.
    settle(&mut h);
    h.get_by_label("Export your data first: it is gone once the account closes. Or tick that you already have a copy.");
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
    assert!(record.folder.starts_with(exports.path()));
    assert!(export::verify(&record.folder).is_ok());
    click(&mut h, "Verify");
    h.get_by_label_contains("Verified: ");
    h.snapshot("06-export");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Checklist);

    // Checklist: every item must be ticked.
    settle(&mut h);
    h.get_by_label_contains("remaining checklist items to continue");
    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    assert!(
        h.query_all_by_label_contains("Copy the farewell to ")
            .next()
            .is_some()
    );
    h.snapshot("07-checklist");
    next(&mut h);
    assert_eq!(step_of(&h), Step::Confirm);

    // Confirm: the username, exactly.
    settle(&mut h);
    h.get_by_label_contains("the username \"maya_okafor\" exactly to confirm");
    type_into(
        &mut h,
        Role::TextInput,
        "Type the username \"maya_okafor\" to confirm",
        "maya_okafor",
    );
    settle(&mut h);
    h.snapshot("08-confirm");
    click(&mut h, "Close account");
    assert_eq!(step_of(&h), Step::Done);

    // Done: receipt in the export folder, beside a manifest closing did
    // not change, so the hash the receipt names still matches it.
    h.get_by_label("Your account is closed");
    h.snapshot("09-done");
    let receipt = std::fs::read_to_string(record.folder.join("receipt.txt"))?;
    assert!(receipt.contains("maya_okafor"), "{receipt}");
    assert!(
        receipt.contains("Other: Going back to a full-time job"),
        "{receipt}"
    );
    assert!(
        receipt.contains("Great clients, but the fees add up."),
        "{receipt}"
    );
    assert!(receipt.contains(&record.manifest_sha256), "{receipt}");
    let report = export::verify(&record.folder);
    assert!(report.is_ok(), "{:?}", report.problems);
    let manifest = std::fs::read(record.folder.join("manifest.json"))?;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&manifest)),
        record.manifest_sha256,
        "closing changed the manifest the receipt names"
    );
    assert!(record.folder.join("receipt.json").exists());

    // Save the erasure letter through the injected save dialog.
    click(&mut h, "Save letter…");
    let letter = std::fs::read_to_string(exports.path().join("my-erasure-letter.txt"))?;
    assert!(letter.contains("Article 17"));

    // The account stays closed on the next launch, and the wizard resumes on Done.
    drop(h);
    let mut h = harness(app(state.path(), dialogs), 900.0);
    settle(&mut h);
    assert_eq!(step_of(&h), Step::Done);
    h.get_by_label("Your account is closed");
    let platform = DemoPlatform::new(now(), &h.state().wizard().account_changes)?;
    assert!(platform.pending_work("freelancer")?.closed);
    Ok(())
}

/// The client and agency owners reach the pending-work page, see the
/// blockers of their kind, and can resolve them all.
#[test]
fn client_and_agency_reach_and_clear_pending_work() -> TestResult {
    for (account, blocker) in [
        (
            "Priya Raman (Northwind Labs) (northwind_labs)",
            "Open job post",
        ),
        ("BrightPath Studio (brightpath_studio)", "Team member"),
    ] {
        let state = tempfile::tempdir()?;
        let mut h = harness(app(state.path(), InjectedDialogs::default()), 1400.0);
        settle(&mut h);
        click(&mut h, "Start");
        click(&mut h, account);
        next(&mut h);
        click(&mut h, "Reason for leaving");
        click(&mut h, "I no longer need the account");
        next(&mut h);
        next(&mut h);
        assert_eq!(step_of(&h), Step::Review, "{account}");
        settle(&mut h);
        h.get_by_label_contains("Blockers (");
        assert!(
            h.query_all_by_label_contains(blocker).next().is_some(),
            "{account}: no {blocker} blocker shown"
        );
        resolve_all_blockers(&mut h);
        h.get_by_label("Nothing blocks closing this account.");
    }
    Ok(())
}

/// A damaged state file is moved aside, the user is told, and the wizard
/// starts afresh instead of crashing.
#[test]
fn damaged_state_file_is_reported_and_kept() -> TestResult {
    let state = tempfile::tempdir()?;
    std::fs::write(state.path().join("state.json"), b"{ not json")?;
    let mut h = harness(app(state.path(), InjectedDialogs::default()), 900.0);
    settle(&mut h);
    h.get_by_label_contains("Your saved progress could not be read");
    assert_eq!(step_of(&h), Step::Welcome);
    let kept: Vec<_> = std::fs::read_dir(state.path())?
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("state.damaged-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    click(&mut h, "Dismiss");
    assert!(
        h.query_all_by_label_contains("could not be read")
            .next()
            .is_none()
    );
    Ok(())
}

/// Quitting mid-way and launching again resumes on the same page with the
/// same answers.
#[test]
fn progress_resumes_after_relaunch() -> TestResult {
    let state = tempfile::tempdir()?;
    let mut h = harness(app(state.path(), InjectedDialogs::default()), 900.0);
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Maya Okafor (maya_okafor)");
    next(&mut h);
    click(&mut h, "Reason for leaving");
    click(&mut h, "Privacy concerns");
    next(&mut h);
    type_into(&mut h, Role::MultilineTextInput, "Feedback", "See you");
    settle(&mut h);
    drop(h);

    let mut h = harness(app(state.path(), InjectedDialogs::default()), 900.0);
    settle(&mut h);
    assert_eq!(step_of(&h), Step::Feedback);
    assert_eq!(h.state().wizard().progress.feedback, "See you");
    click(&mut h, "Back");
    assert_eq!(step_of(&h), Step::Reason);
    assert_eq!(
        h.state().wizard().progress.reason,
        Some(offboard::model::wizard::LeaveReason::PrivacyConcerns)
    );
    assert_eq!(
        h.get_by_label("Reason for leaving").value().as_deref(),
        Some("Privacy concerns")
    );
    // Done steps can be revisited from the step list.
    click(&mut h, "Step 2: Connect (done)");
    assert_eq!(step_of(&h), Step::Connect);
    Ok(())
}

/// The CSV source: files picked in the dialog feed the review; what the
/// files cannot show becomes manual checks; closing happens on the
/// website and is confirmed by hand.
#[test]
fn upwork_csv_files_feed_review_checklist_and_confirm() -> TestResult {
    let state = tempfile::tempdir()?;
    // Copied to a fixed path: the page shows the files' paths, and the
    // checkout's path differs from machine to machine.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upwork-csv");
    let downloads = FixedDir::new("offboard-ui-test-downloads")?;
    let mut csv_files = Vec::new();
    for name in [
        "statements_2026-01-01_2026-10-15.csv",
        "transaction-history_2026-10-01_2026-11-23.csv",
    ] {
        std::fs::copy(fixtures.join(name), downloads.path().join(name))?;
        csv_files.push(downloads.path().join(name));
    }
    let dialogs = InjectedDialogs {
        csv_files,
        ..Default::default()
    };
    let mut h = harness(app(state.path(), dialogs), 1000.0);
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Upwork (downloaded CSV files)");
    h.get_by_label("Transaction-history files");
    click(&mut h, "Add CSV files…");
    h.get_by_label("/tmp/offboard-ui-test-downloads/statements_2026-01-01_2026-10-15.csv");
    click(&mut h, "Maya Lindqvist (Maya Lindqvist)");
    // The kind of account is read from the files; the user can correct it.
    let kind_of = |h: &Harness<'_, OffboardApp>| {
        h.state()
            .wizard()
            .progress
            .account
            .as_ref()
            .map(|account| account.kind)
    };
    assert_eq!(kind_of(&h), Some(AccountKind::Freelancer));
    choose(&mut h, "Account kind", "Agency owner");
    assert_eq!(kind_of(&h), Some(AccountKind::Agency));
    choose(&mut h, "Account kind", "Read from the files");
    assert_eq!(kind_of(&h), Some(AccountKind::Freelancer));
    h.snapshot("10-upwork-csv-connect");
    next(&mut h);
    click(&mut h, "Reason for leaving");
    click(&mut h, "The fees or pay aren't worth it");
    next(&mut h);
    next(&mut h);
    assert_eq!(step_of(&h), Step::Review);
    settle(&mut h);
    // Each item, and the timeline's lines for it.
    assert!(
        h.query_all_by_label_contains("available to withdraw")
            .count()
            >= 1
    );
    assert!(
        h.query_all_by_label_contains("of earnings in review")
            .count()
            >= 1
    );
    // The files cannot act on Upwork: no resolve buttons, only directions.
    assert!(
        h.query_all_by_label_contains("Withdraw balance")
            .next()
            .is_none()
    );
    next(&mut h);
    click(
        &mut h,
        "I already have a copy of my data; continue without exporting",
    );
    next(&mut h);
    assert_eq!(step_of(&h), Step::Checklist);
    settle(&mut h);
    h.get_by_label("Check on the website");
    let manual = h.state().wizard().manual_checks.clone().unwrap_or_default();
    assert!(manual.iter().any(|c| c.id == "contracts"), "{manual:?}");
    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    h.get_by_label_contains("remaining checklist item");
    for check in &manual {
        click(&mut h, &check.label);
    }
    next(&mut h);
    assert_eq!(step_of(&h), Step::Confirm);
    settle(&mut h);
    h.get_by_label("Close it on Upwork's website");
    h.get_by_label_contains("close the account on Upwork's website, then tick that you did");
    click(&mut h, "I have closed the account on Upwork's website");
    // Money still shows in the files, so closing stays refused.
    h.get_by_label_contains("blockers are still open on the pending-work page");
    Ok(())
}

/// The API source asks for the user's own key before anything else, and
/// the secret field hides what is typed.
#[test]
fn upwork_api_asks_for_the_users_own_key() -> TestResult {
    // A fixed path: the keyring warning on screen names it.
    let state = FixedDir::new("offboard-ui-test-api-state")?;
    let mut h = harness(app(state.path(), InjectedDialogs::default()), 900.0);
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Upwork (with your API key)");
    h.get_by_label("Your Upwork API key");
    type_into(&mut h, Role::TextInput, "Client ID", "my-client-id");
    type_into(&mut h, Role::PasswordInput, "Client secret", "s3cret");
    settle(&mut h);
    h.snapshot("11-upwork-api-connect");
    // No browser in tests: the attempt fails with a message, and the secret
    // is in neither the saved progress nor the screen.
    click(&mut h, "Connect with Upwork");
    settle(&mut h);
    assert!(matches!(
        h.state().wizard().api_auth,
        offboard::model::wizard::AuthState::Failed(_)
    ));
    let saved = std::fs::read_to_string(state.path().join("state.json"))?;
    assert!(!saved.contains("s3cret"));
    assert!(h.query_all_by_label_contains("s3cret").next().is_none());
    Ok(())
}

/// A token endpoint on 127.0.0.1 that swaps any code for the test server's
/// access token.
fn fake_token_endpoint() -> Result<(String, std::thread::JoinHandle<()>), Box<dyn std::error::Error>>
{
    let server = tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or("no port")?;
    let handle = std::thread::Builder::new()
        .name("fake-token-endpoint".into())
        .spawn(move || {
            // The code exchange succeeds; a later refresh is refused, as
            // after the user revoked the key.
            for (status, body) in [
                (
                    200,
                    serde_json::json!({
                        "access_token": upwork_server::TOKEN,
                        "refresh_token": "test-refresh-token",
                        "token_type": "bearer",
                        "expires_in": 86399,
                    }),
                ),
                (400, serde_json::json!({ "error": "invalid_grant" })),
            ] {
                let Ok(request) = server.recv() else {
                    return;
                };
                let response = tiny_http::Response::from_string(body.to_string())
                    .with_status_code(status)
                    .with_header(
                        tiny_http::Header::from_bytes(
                            &b"Content-Type"[..],
                            &b"application/json"[..],
                        )
                        .unwrap_or_else(|()| unreachable!("a valid header")),
                    );
                let _ = request.respond(response);
            }
        })?;
    Ok((format!("http://127.0.0.1:{port}/token"), handle))
}

/// Signs in with the user's own key through a stand-in browser, lists the
/// organisations from a local GraphQL server, and reviews pending work.
#[test]
fn upwork_api_signs_in_and_reviews_against_a_local_server() -> TestResult {
    use upwork_server::{Fixture, Size, TestServer};
    let graphql = TestServer::start(Fixture::freelancer(Size::small()));
    let (token_url, token_thread) = fake_token_endpoint()?;
    let state = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    // The stand-in browser "approves" at once: it calls Offboard's loopback
    // redirect with a code and the state from the authorize URL.
    let browser: jobs::Browser = Arc::new(|authorize: &str| {
        let url = url::Url::parse(authorize).map_err(|e| e.to_string())?;
        let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        let redirect = pairs
            .get("redirect_uri")
            .cloned()
            .ok_or("no redirect_uri")?;
        let state = pairs.get("state").cloned().ok_or("no state")?;
        std::thread::Builder::new()
            .name("stand-in-browser".into())
            .spawn(move || {
                let _ = reqwest::blocking::Client::builder()
                    .no_proxy()
                    .build()
                    .and_then(|c| {
                        c.get(format!("{redirect}?code=approved&state={state}"))
                            .send()
                    });
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let mut api = jobs::ApiAccess::with_store(
        SecretStore::file_only(state.path().join("secrets")),
        OAuthEndpoints {
            authorize_url: "http://127.0.0.1:9/authorize".into(),
            token_url,
        },
        browser,
    );
    api.api_base = Some(graphql.url.clone());
    let store = Store::new(state.path());
    let jobs = Jobs::new(
        jobs::default_platforms(clock(), api.clone()),
        api,
        Some(store),
        clock(),
    );
    let app = OffboardApp::new(
        offboard::store::Loaded::Fresh,
        jobs,
        Box::new(InjectedDialogs::default()),
        test_folders(),
    );
    let mut h = harness(app, 1000.0);
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Upwork (with your API key)");
    type_into(&mut h, Role::TextInput, "Client ID", "my-client-id");
    type_into(&mut h, Role::PasswordInput, "Client secret", "s3cret");
    let field = h.get_by_role_and_label(Role::TextInput, "Redirect URI");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Redirect URI")
        .type_text(&format!("http://127.0.0.1:{port}/callback"));
    h.run_steps(2);
    click(&mut h, "Connect with Upwork");
    settle(&mut h);
    assert_eq!(
        h.state().wizard().api_auth,
        offboard::model::wizard::AuthState::Connected,
        "{:?}",
        h.state().wizard().api_auth
    );
    h.get_by_label("Disconnect");
    let accounts = h
        .state()
        .wizard()
        .accounts
        .value()
        .cloned()
        .unwrap_or_default();
    assert!(!accounts.is_empty(), "no organisations listed");
    let first = &accounts[0];
    click(
        &mut h,
        &format!("{} ({})", first.display_name, first.username),
    );
    next(&mut h);
    click(&mut h, "Reason for leaving");
    click(&mut h, "I'm moving to another platform");
    next(&mut h);
    next(&mut h);
    assert_eq!(step_of(&h), Step::Review);
    settle(&mut h);
    let assessment = h
        .state()
        .wizard()
        .assessment
        .value()
        .cloned()
        .ok_or_else(|| format!("no review: {:?}", h.state().wizard().assessment.error()))?;
    assert!(assessment.blocker_count() > 0);
    // Read-only source: directions, no buttons that pretend to act.
    assert!(
        h.query_all_by_label_contains("End contract")
            .next()
            .is_none()
    );
    h.get_by_label_contains("Blockers (");
    // The secret stays out of the saved progress.
    let saved = std::fs::read_to_string(state.path().join("state.json"))?;
    assert!(!saved.contains("s3cret") && !saved.contains(upwork_server::TOKEN));

    // The key is revoked: the token is refused and so is its refresh. The
    // review says so and leads back to the key form.
    graphql.accept_tokens(&[]);
    click(&mut h, "Re-check");
    settle(&mut h);
    assert!(
        h.query_all_by_label_contains("connect again with your API key")
            .next()
            .is_some()
    );
    click(&mut h, "Connect again");
    assert_eq!(step_of(&h), Step::Connect);
    h.get_by_label("Connect with Upwork");
    let _ = token_thread.join();
    Ok(())
}

/// Start to the export page with the freelancer, blockers left open (they
/// gate closing, not exporting).
fn walk_to_export(h: &mut Harness<'_, OffboardApp>) {
    settle(h);
    click(h, "Start");
    click(h, "Maya Okafor (maya_okafor)");
    next(h);
    click(h, "Reason for leaving");
    click(h, "Privacy concerns");
    next(h);
    next(h);
    settle(h);
    next(h);
    settle(h);
    assert_eq!(step_of(h), Step::Export);
}

/// Export, and return the folder the export was written to.
fn export_and_wait(
    h: &mut Harness<'_, OffboardApp>,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    click(h, "Export");
    h.get_by_label("Export complete");
    let record = h
        .state()
        .wizard()
        .progress
        .export
        .clone()
        .ok_or("no export recorded")?;
    assert!(export::verify(&record.folder).is_ok());
    Ok(record.folder)
}

/// Without any dialog, the user types where the export goes; a folder that
/// does not exist yet is made.
#[test]
fn export_folder_set_by_typing_its_path() -> TestResult {
    let state = tempfile::tempdir()?;
    let target = tempfile::tempdir()?;
    let typed = target.path().join("Typed exports").join("2026");
    let dialogs = InjectedDialogs::default();
    let mut h = harness(app(state.path(), dialogs.clone()), 1000.0);
    walk_to_export(&mut h);
    // The default is under Documents.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Export folder")
            .value()
            .as_deref(),
        Some("/tmp/offboard-ui-test-home/Documents/Offboard export")
    );
    // A relative path is refused, and Export says why it is disabled.
    let field = h.get_by_role_and_label(Role::TextInput, "Export folder");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Export folder")
        .type_text("exports");
    h.run_steps(2);
    h.get_by_label_contains("Type a full path");
    assert!(h.get_by_label("Export").accesskit_node().is_disabled());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Export folder")
        .type_text(&typed.display().to_string());
    h.run_steps(2);
    assert_eq!(
        h.state().wizard().progress.export_parent,
        Some(typed.clone())
    );
    let folder = export_and_wait(&mut h)?;
    assert!(folder.starts_with(&typed), "{}", folder.display());
    assert!(dialogs.asked().is_empty(), "no dialog was needed");
    Ok(())
}

/// On a desktop without a portal or zenity the system's dialog fails: the
/// page says so and opens Offboard's own browser, which picks the folder.
#[test]
fn export_folder_from_the_in_app_browser_when_the_dialog_fails() -> TestResult {
    let state = tempfile::tempdir()?;
    // A fixed path: the snapshot shows the browser's folder.
    let documents = FixedDir::new("offboard-ui-test-documents")?;
    for folder in ["Client work", "Taxes", "archive"] {
        std::fs::create_dir(documents.path().join(folder))?;
    }
    let dialogs = InjectedDialogs {
        failure: Some(
            "Failed to pick folder with zenity: No such file or directory (os error 2)".into(),
        ),
        ..Default::default()
    };
    let folders = DefaultFolders {
        home: Some(documents.path().to_path_buf()),
        documents: Some(documents.path().to_path_buf()),
        downloads: None,
    };
    let mut h = harness(
        app_with_folders(state.path(), dialogs.clone(), folders),
        1200.0,
    );
    walk_to_export(&mut h);
    click(&mut h, "Choose folder…");
    h.get_by_label("The system's file dialog did not open");
    h.get_by_label_contains("No such file or directory");
    // The default folder does not exist yet; the browser shows Documents.
    h.get_by_label("Choose the export folder");
    h.get_by_label_contains("showing the nearest folder that does");
    h.snapshot("06-export-browser");
    click(&mut h, "Client work");
    h.get_by_label_contains("Selected: /tmp/offboard-ui-test-documents/Client work");
    click(&mut h, "Use this folder");
    let chosen = documents.path().join("Client work");
    assert_eq!(
        h.state().wizard().progress.export_parent,
        Some(chosen.clone())
    );
    assert!(
        h.query_all_by_label("Choose the export folder")
            .next()
            .is_none()
    );
    // The field shows the choice.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Export folder")
            .value()
            .as_deref(),
        Some(chosen.to_string_lossy().as_ref())
    );
    // The system's dialog is not tried again in this run.
    click(&mut h, "Choose folder…");
    h.get_by_label("Choose the export folder");
    assert_eq!(dialogs.asked(), ["folder"]);
    click(&mut h, "Cancel");
    let folder = export_and_wait(&mut h)?;
    assert!(folder.starts_with(&chosen));
    Ok(())
}

/// CSV files can be added with Offboard's own browser: go to a folder by
/// typing it, tick the files, add them.
#[test]
fn csv_files_added_with_the_in_app_browser() -> TestResult {
    let state = tempfile::tempdir()?;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upwork-csv");
    let downloads = tempfile::tempdir()?;
    let name = "statements_2026-01-01_2026-10-15.csv";
    std::fs::copy(fixtures.join(name), downloads.path().join(name))?;
    std::fs::write(downloads.path().join("notes.txt"), "not a CSV")?;
    let mut h = harness(app(state.path(), InjectedDialogs::default()), 1200.0);
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Upwork (downloaded CSV files)");
    click(&mut h, "Browse in Offboard…");
    h.get_by_label("Choose CSV files");
    let field = h.get_by_role_and_label(Role::TextInput, "Look in");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Look in")
        .type_text(&downloads.path().display().to_string());
    h.run_steps(1);
    click(&mut h, "Go");
    assert!(h.query_all_by_label("notes.txt").next().is_none());
    h.get_by_label("Tick at least one file.");
    click(&mut h, name);
    click(&mut h, "Add the ticked files");
    assert_eq!(
        h.state().wizard().progress.sources.csv_files,
        vec![downloads.path().join(name)]
    );
    assert!(h.query_all_by_label("Choose CSV files").next().is_none());
    Ok(())
}

/// How long egui was asked to wait before the next frame (`None`: no frame
/// until something happens).
fn repaint_delay(h: &Harness<'_, OffboardApp>) -> Option<Duration> {
    let delay = h
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)?
        .repaint_delay;
    (delay != Duration::MAX).then_some(delay)
}

/// An idle window asks for no frames; the review and close pages ask for
/// one exactly when the re-check falls due, not every few seconds.
#[test]
fn idle_pages_request_no_periodic_repaints() -> TestResult {
    let state = tempfile::tempdir()?;
    let mut h = harness(app(state.path(), InjectedDialogs::default()), 1000.0);
    settle(&mut h);
    // Away from the buttons, so no hover effect asks for frames.
    h.hover_at(egui::pos2(1100.0, 600.0));
    h.run_steps(3);
    assert_eq!(repaint_delay(&h), None, "welcome");
    walk_to_export(&mut h);
    h.hover_at(egui::pos2(1100.0, 600.0));
    h.run_steps(3);
    assert_eq!(repaint_delay(&h), None, "export");
    click(&mut h, "Back");
    settle(&mut h);
    assert_eq!(step_of(&h), Step::Review);
    h.hover_at(egui::pos2(1100.0, 600.0));
    h.run_steps(3);
    // The clock is fixed in tests, so the re-check is a whole minute away.
    let recheck = offboard::model::wizard::RECHECK_AFTER.to_std()?;
    assert_eq!(repaint_delay(&h), Some(recheck), "review");
    Ok(())
}

/// With a dark system theme the pages are dark (snapshots of three), and
/// More › Light switches to light and keeps that choice.
#[test]
fn dark_theme_follows_the_system_and_more_switches_it() -> TestResult {
    let state = tempfile::tempdir()?;
    let app = app(state.path(), InjectedDialogs::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1120.0, 900.0))
        .with_theme(egui::Theme::Dark)
        .build_eframe(move |_cc| app);
    settle(&mut h);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    h.snapshot("dark-01-welcome");
    click(&mut h, "Start");
    click(&mut h, "Maya Okafor (maya_okafor)");
    next(&mut h);
    click(&mut h, "Reason for leaving");
    click(&mut h, "Privacy concerns");
    next(&mut h);
    next(&mut h);
    settle(&mut h);
    h.get_by_label_contains("Blockers (");
    h.snapshot("dark-05-review");
    next(&mut h);
    settle(&mut h);
    h.snapshot("dark-06-export");

    click(&mut h, "More");
    click(&mut h, "Light");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    assert_eq!(
        h.state().wizard().prefs.theme,
        offboard::model::wizard::ThemeChoice::Light
    );
    let saved = std::fs::read_to_string(state.path().join("state.json"))?;
    assert!(
        saved.contains("\"theme\": \"light\"") || saved.contains("\"theme\":\"light\""),
        "{saved}"
    );
    Ok(())
}

/// At 200% in the smallest window (820×560 pixels: 410×280 points) the
/// pages still read and work: snapshots of two, and the walk to the review
/// by name.
#[test]
fn pages_work_at_200_percent_in_the_smallest_window() -> TestResult {
    let state = tempfile::tempdir()?;
    let app = app(state.path(), InjectedDialogs::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(410.0, 280.0))
        .with_pixels_per_point(2.0)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |_cc| app);
    settle(&mut h);
    h.snapshot("zoom-01-welcome");
    click(&mut h, "Start");
    click(&mut h, "Maya Okafor (maya_okafor)");
    next(&mut h);
    choose(&mut h, "Reason for leaving", "Privacy concerns");
    next(&mut h);
    next(&mut h);
    settle(&mut h);
    h.get_by_label_contains("Blockers (");
    h.snapshot("zoom-05-review");
    Ok(())
}
