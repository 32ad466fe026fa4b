//! Every account kind of the guided platforms (Fiverr's sellers and buyers,
//! Freelancer.com's freelancers and employers) walks from connect to the
//! receipt and its after-care with its own platform's rules, driven as a
//! user would, through widgets found by their accessible names.

#[path = "support/ui_app.rs"]
mod ui_app;

use chrono::{DateTime, TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use offboard::export;
use offboard::jobs::{self, Clock, Jobs};
use offboard::model::wizard::Step;
use offboard::platform::upwork::auth::OAuthEndpoints;
use offboard::platform::upwork::secrets::SecretStore;
use offboard::store::Store;
use offboard::ui::{DefaultFolders, DialogDone, DialogKind, DialogOutcome, Dialogs, OffboardApp};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ui_app::settle;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

fn clock() -> Clock {
    Arc::new(now)
}

/// Answers every folder dialog with one folder and every save dialog with
/// a file in it.
struct OneFolder(PathBuf);

impl Dialogs for OneFolder {
    fn open(&mut self, kind: DialogKind, _start_in: Option<PathBuf>, done: DialogDone) {
        done(match kind {
            DialogKind::Folder => DialogOutcome::Chosen(vec![self.0.clone()]),
            DialogKind::SaveAs { suggested_name } => {
                DialogOutcome::Chosen(vec![self.0.join(suggested_name)])
            }
            DialogKind::CsvFiles => DialogOutcome::Cancelled,
        });
    }
}

fn app(state_dir: &Path, exports: &Path) -> OffboardApp {
    let store = Store::new(state_dir);
    let loaded = store.load(now());
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
    let folders = DefaultFolders {
        home: Some(exports.to_path_buf()),
        documents: Some(exports.to_path_buf()),
        downloads: None,
    };
    OffboardApp::new(
        loaded,
        jobs,
        Box::new(OneFolder(exports.to_path_buf())),
        folders,
    )
}

fn click(h: &mut Harness<'_, OffboardApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(2);
    settle(h);
}

fn type_into(h: &mut Harness<'_, OffboardApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run_steps(2);
    settle(h);
}

/// Clears a text field, as select-all and delete would.
fn clear(h: &mut Harness<'_, OffboardApp>, label: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(1);
    for _ in 0..12 {
        h.key_press(egui::Key::Backspace);
    }
    h.run_steps(2);
    settle(h);
}

fn step_of(h: &Harness<'_, OffboardApp>) -> Step {
    h.state().wizard().step()
}

/// One walk: the platform, the kind, a question whose answer blocks
/// closing (and what the review calls it), the reason only this kind is
/// offered, and what the after-care names.
struct Walk {
    platform: &'static str,
    company: &'static str,
    account: &'static str,
    blocking_question: &'static str,
    blocking_answer: &'static str,
    blocker_title: &'static str,
    reason: &'static str,
    not_offered: &'static str,
    privacy: &'static str,
    /// Snapshot names for the connect and review pages, if taken.
    snapshots: Option<(&'static str, &'static str)>,
}

fn walk(w: &Walk) -> TestResult {
    let state = tempfile::tempdir()?;
    let exports = tempfile::tempdir()?;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1120.0, 1600.0))
        .with_theme(egui::Theme::Light)
        .build_eframe({
            let app = app(state.path(), exports.path());
            move |_cc| app
        });
    settle(&mut h);
    click(&mut h, "Start");

    // Connect: the platform, the username, the kind, the answers.
    click(&mut h, w.platform);
    type_into(&mut h, "Username", "maya_k");
    let account = format!("{} on {} (maya_k)", w.account, w.company);
    click(&mut h, &account);
    h.get_by_label("Your answers");
    type_into(&mut h, w.blocking_question, w.blocking_answer);
    assert!(
        !h.state().wizard().progress.sources.answers.is_empty(),
        "{}: the answer was not kept",
        w.platform
    );
    if let Some((connect, _)) = w.snapshots {
        h.snapshot(connect);
    }
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Reason, "{}", w.platform);

    // Reason: this kind's own reasons.
    click(&mut h, "Reason for leaving");
    assert!(
        h.query_by_label(w.not_offered).is_none(),
        "{} {}: offered {:?}",
        w.platform,
        w.account,
        w.not_offered
    );
    click(&mut h, w.reason);
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Next");
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Review, "{}", w.platform);

    // Review: the answer is a blocker with the platform's own words.
    // The item, and the timeline's line for today, both name it.
    assert!(
        h.query_all_by_label_contains(w.blocker_title).count() >= 1,
        "{}: no {:?}",
        w.platform,
        w.blocker_title
    );
    h.get_by_label_contains("1 blocker to resolve");
    h.get_by_label("Timeline if you act today");
    if let Some((_, review)) = w.snapshots {
        h.snapshot(review);
    }

    // Resolved on the platform: the answer changes, the review clears.
    for _ in 0..3 {
        click(&mut h, "Back");
    }
    assert_eq!(step_of(&h), Step::Connect, "{}", w.platform);
    clear(&mut h, w.blocking_question);
    for _ in 0..3 {
        click(&mut h, "Next");
    }
    assert_eq!(step_of(&h), Step::Review, "{}", w.platform);
    h.get_by_label("Nothing blocks closing this account.");
    click(&mut h, "Next");

    // Export: what there is, with the erasure request in it.
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
    assert!(letter.contains(w.privacy), "{letter}");
    click(&mut h, "Next");

    // Checklist: this platform's items only.
    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    click(&mut h, "Next");
    assert_eq!(step_of(&h), Step::Confirm, "{}", w.platform);

    // Confirm: closed on the platform's website, then the username.
    h.get_by_label(&format!("Close it on {}'s website", w.company));
    click(
        &mut h,
        &format!("I have closed the account on {}'s website", w.company),
    );
    type_into(&mut h, "Type the username \"maya_k\" to confirm", "maya_k");
    click(&mut h, "Close account");
    assert_eq!(step_of(&h), Step::Done, "{}", w.platform);

    // After-care: the platform's own contact, recovery and retention.
    h.get_by_label("Your account is closed");
    h.get_by_label(&format!("What {} keeps", w.company));
    let receipt = std::fs::read_to_string(record.folder.join("receipt.txt"))?;
    assert!(receipt.contains(w.company), "{receipt}");
    assert!(receipt.contains("If it closed by mistake"), "{receipt}");
    let done_letter = h
        .state()
        .wizard()
        .progress
        .receipt
        .clone()
        .ok_or("no receipt")?;
    assert_eq!(done_letter.platform.slug(), w.platform_slug());
    Ok(())
}

impl Walk {
    fn platform_slug(&self) -> &'static str {
        if self.company == "Fiverr" {
            "fiverr"
        } else {
            "freelancer-com"
        }
    }
}

#[test]
fn a_fiverr_seller_walks_from_connect_to_after_care() -> TestResult {
    walk(&Walk {
        platform: "Fiverr (answer a few questions)",
        company: "Fiverr",
        account: "Seller",
        blocking_question: "How much is still pending clearance?",
        blocking_answer: "245.50",
        blocker_title: "$245.50 pending clearance",
        reason: "I'm taking a break from freelancing",
        not_offered: "We no longer hire freelancers",
        privacy: "privacy@fiverr.com",
        snapshots: Some(("12-fiverr-connect", "13-fiverr-review")),
    })
}

#[test]
fn a_fiverr_buyer_walks_from_connect_to_after_care() -> TestResult {
    walk(&Walk {
        platform: "Fiverr (answer a few questions)",
        company: "Fiverr",
        account: "Buyer",
        blocking_question: "How many orders are still active (not completed or cancelled)?",
        blocking_answer: "2",
        blocker_title: "Active orders: 2",
        reason: "We no longer hire freelancers",
        not_offered: "It's too hard to find clients",
        privacy: "privacy@fiverr.com",
        snapshots: None,
    })
}

#[test]
fn a_freelancer_com_freelancer_walks_from_connect_to_after_care() -> TestResult {
    walk(&Walk {
        platform: "Freelancer.com (answer a few questions)",
        company: "Freelancer.com",
        account: "Freelancer",
        blocking_question: "How many contests are open or awaiting handover?",
        blocking_answer: "1",
        blocker_title: "Open contests: 1",
        reason: "I found work outside the platform",
        not_offered: "We hire through another channel now",
        privacy: "privacy-officer@freelancer.com",
        snapshots: None,
    })
}

#[test]
fn a_freelancer_com_employer_walks_from_connect_to_after_care() -> TestResult {
    walk(&Walk {
        platform: "Freelancer.com (answer a few questions)",
        company: "Freelancer.com",
        account: "Employer",
        blocking_question: "How many of your posted projects are still open for bids?",
        blocking_answer: "3",
        blocker_title: "Projects still open for bids: 3",
        reason: "We hire through another channel now",
        not_offered: "It's too hard to find clients",
        privacy: "privacy-officer@freelancer.com",
        snapshots: None,
    })
}

/// The demo resolves its own blockers: every button until none is left,
/// in the order a careful user would (escrow before ending its contract,
/// money released before it is withdrawn).
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
        let Some(label) = ORDER.iter().find(|label| {
            h.query_all_by_label_contains(label)
                .any(|n| n.accesskit_node().role() == Role::Button)
        }) else {
            return;
        };
        if let Some(button) = h
            .query_all_by_label_contains(label)
            .find(|n| n.accesskit_node().role() == Role::Button)
        {
            button.click_accesskit();
        }
        h.run_steps(2);
        settle(h);
    }
    panic!("blockers kept coming back");
}

/// The demo's client company owner and agency owner, from connect to the
/// receipt: their own blockers resolved, the agency's close form prepared.
#[test]
fn the_demo_client_and_agency_walk_from_connect_to_after_care() -> TestResult {
    for (account, username, reason, agency) in [
        (
            "Priya Raman (Northwind Labs) (northwind_labs)",
            "northwind_labs",
            "We no longer hire freelancers",
            false,
        ),
        (
            "BrightPath Studio (brightpath_studio)",
            "brightpath_studio",
            "The business is closing or changing",
            true,
        ),
    ] {
        let state = tempfile::tempdir()?;
        let exports = tempfile::tempdir()?;
        let mut h = Harness::builder()
            .with_size(egui::vec2(1120.0, 2400.0))
            .with_theme(egui::Theme::Light)
            .build_eframe({
                let app = app(state.path(), exports.path());
                move |_cc| app
            });
        settle(&mut h);
        click(&mut h, "Start");
        click(&mut h, account);
        click(&mut h, "Next");
        click(&mut h, "Reason for leaving");
        click(&mut h, reason);
        h.key_press(egui::Key::Escape);
        settle(&mut h);
        click(&mut h, "Next");
        click(&mut h, "Next");
        assert_eq!(step_of(&h), Step::Review, "{account}");
        resolve_all_blockers(&mut h);
        h.get_by_label("Nothing blocks closing this account.");
        click(&mut h, "Next");
        click(&mut h, "Choose folder…");
        click(&mut h, "Export");
        h.get_by_label("Export complete");
        click(&mut h, "Next");
        assert_eq!(step_of(&h), Step::Checklist, "{account}");
        if agency {
            h.get_by_label("The agency close form");
            let field = "How will pending work be completed?";
            h.get_by_role_and_label(Role::MultilineTextInput, field)
                .focus();
            h.run_steps(1);
            h.get_by_role_and_label(Role::MultilineTextInput, field)
                .type_text("Every contract ends before closing.");
            h.run_steps(2);
            settle(&mut h);
        } else {
            assert!(h.query_by_label("The agency close form").is_none());
        }
        let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
        for item in items {
            click(&mut h, item.label());
        }
        click(&mut h, "Next");
        assert_eq!(step_of(&h), Step::Confirm, "{account}");
        let field = format!("Type the username \"{username}\" to confirm");
        type_into(&mut h, &field, username);
        click(&mut h, "Close account");
        assert_eq!(step_of(&h), Step::Done, "{account}");
        h.get_by_label("Your account is closed");
        h.get_by_label("What the demo platform keeps");
        if agency {
            assert_eq!(
                h.state().wizard().progress.agency_plan.pending_work,
                "Every contract ends before closing."
            );
        }
    }
    Ok(())
}
