//! The wizard in a kittest harness for the keyboard and accessibility
//! tests: the demo platform, a fixed clock, dialogs that answer with
//! prepared paths, and waiting for background work.

#![allow(dead_code)] // Each test file uses its own part.

use chrono::{DateTime, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use offboard::jobs::{self, Clock, Jobs};
use offboard::platform::upwork::auth::OAuthEndpoints;
use offboard::platform::upwork::secrets::SecretStore;
use offboard::store::Store;
use offboard::ui::{DefaultFolders, DialogDone, DialogKind, DialogOutcome, Dialogs, OffboardApp};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Answers every dialog with the prepared folder or file, or cancels.
#[derive(Clone, Default)]
pub struct InjectedDialogs {
    pub folder: Option<PathBuf>,
    pub save_as: Option<PathBuf>,
}

impl Dialogs for InjectedDialogs {
    fn open(&mut self, kind: DialogKind, _start_in: Option<PathBuf>, done: DialogDone) {
        let chosen = match kind {
            DialogKind::Folder => self.folder.clone(),
            DialogKind::SaveAs { .. } => self.save_as.clone(),
            DialogKind::CsvFiles => None,
        };
        done(match chosen {
            Some(path) => DialogOutcome::Chosen(vec![path]),
            None => DialogOutcome::Cancelled,
        });
    }
}

/// Fixed folders, so that what pages show is the same on every machine.
pub fn test_folders() -> DefaultFolders {
    DefaultFolders {
        home: Some(PathBuf::from("/tmp/offboard-ui-test-home")),
        documents: Some(PathBuf::from("/tmp/offboard-ui-test-home/Documents")),
        downloads: None,
    }
}

pub fn app(state_dir: &Path, dialogs: InjectedDialogs) -> OffboardApp {
    let clock: Clock = Arc::new(now);
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
        jobs::default_platforms(clock.clone(), api.clone()),
        api,
        Some(store),
        clock,
    );
    OffboardApp::new(loaded, jobs, Box::new(dialogs), test_folders())
}

pub fn harness(app: OffboardApp, size: egui::Vec2) -> Harness<'static, OffboardApp> {
    Harness::builder()
        .with_size(size)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |_cc| app)
}

/// Lets background work finish and its results reach the screen.
pub fn settle(h: &mut Harness<'_, OffboardApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.run_steps(2);
        if !h.state().busy() {
            h.run_steps(3);
            if !h.state().busy() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "background work did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The accessible name of the control that has keyboard focus.
pub fn focused_name(h: &Harness<'_, OffboardApp>) -> Option<String> {
    h.query_by(|node| node.is_focused())
        .and_then(|node| node.accesskit_node().label())
}

/// The resolve buttons of the review, in the order a careful user takes them.
pub const RESOLVE_ORDER: [&str; 10] = [
    "Release escrow: ",
    "End contract: ",
    "Withdraw proposal: ",
    "Decline offer: ",
    "Close job post: ",
    "Remove member: ",
    "Settle dispute: ",
    "Pay balance: ",
    "Skip ahead to release: ",
    "Withdraw balance: ",
];
