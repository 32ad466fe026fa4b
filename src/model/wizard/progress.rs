//! What is saved after every change: the user's progress, the export and
//! the receipt it names.

use super::runtime::SourceSettings;
use super::steps::{ChecklistItem, LeaveReason, Step};
use crate::model::account::{AccountSummary, DEFAULT_PLATFORM, PlatformId};
use crate::model::closure_check::ClosureCheck;
use crate::model::review::AccountChange;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A finished export, as the export returns it and the saved progress
/// remembers it, so the receipt can name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub folder: PathBuf,
    /// SHA-256 of manifest.json as written: it covers every other file.
    pub manifest_sha256: String,
    /// Files listed in the manifest.
    pub files: usize,
    /// Platform records exported (a record in both JSON and CSV counts once).
    pub records: u64,
    /// Bytes of the files listed in the manifest.
    pub bytes: u64,
    pub finished_at: DateTime<Utc>,
}

/// What the done page shows and the receipt file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub closed_at: DateTime<Utc>,
    pub platform: PlatformId,
    pub account: AccountSummary,
    pub reason: String,
    pub feedback: String,
    pub reference: String,
    pub reactivate_until: Option<DateTime<Utc>>,
    pub export_manifest_sha256: Option<String>,
    /// How the closing is known, where the platform did not close it itself.
    #[serde(default)]
    pub evidence: Option<String>,
    /// What was observed about the closing, and when; `evidence` is its
    /// sentence. `None` on receipts from before Offboard kept it.
    #[serde(default)]
    pub check: Option<ClosureCheck>,
    /// Where the receipt was written, when it was.
    pub receipt_path: Option<PathBuf>,
}

impl Receipt {
    /// Records what checking the platform after closing observed, with
    /// the sentence the receipt shows for it.
    pub fn record_check(&mut self, company: &str, check: ClosureCheck) {
        self.evidence = Some(check.sentence(company));
        self.check = Some(check);
    }
}

/// The user's progress: everything saved after each change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: Step,
    /// The furthest step reached; every step up to it can be revisited.
    pub furthest: Step,
    pub platform: PlatformId,
    pub account: Option<AccountSummary>,
    pub reason: Option<LeaveReason>,
    pub other_reason: String,
    pub feedback: String,
    pub export_parent: Option<PathBuf>,
    pub export: Option<ExportRecord>,
    /// The user chose to go on without exporting through Offboard.
    pub export_skipped: bool,
    pub checklist: BTreeSet<ChecklistItem>,
    /// Farewell messages the user edited, by client name.
    pub farewells: BTreeMap<String, String>,
    pub typed_name: String,
    pub receipt: Option<Receipt>,
    #[serde(default)]
    pub sources: SourceSettings,
    /// Manual checks (from sources that cannot see everything) ticked by id.
    #[serde(default)]
    pub manual_ticks: BTreeSet<String>,
    /// The user says the account is closed on the platform's website,
    /// for sources that cannot close it themselves.
    #[serde(default)]
    pub closed_on_website: bool,
    /// The day the user asked to be reminded of (the earliest closing
    /// day): a launch on or after it checks the review again.
    #[serde(default)]
    pub reminder: Option<chrono::NaiveDate>,
    /// What an agency's close form will ask, prepared beforehand.
    #[serde(default)]
    pub agency_plan: AgencyPlan,
}

/// The answers an agency's close form asks for: why, how pending work is
/// completed, and any payout agreement with a client (whose text the form
/// wants pasted in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyPlan {
    pub pending_work: String,
    pub payout_agreement: bool,
    pub agreement_text: String,
}

impl AgencyPlan {
    /// What is still missing, as a sentence to show beside the form.
    pub fn missing(&self) -> Option<&'static str> {
        if self.pending_work.trim().is_empty() {
            Some("say how pending work will be completed")
        } else if self.payout_agreement && self.agreement_text.trim().is_empty() {
            Some("paste the payout agreement's text")
        } else {
            None
        }
    }

    /// The answers to copy into the form, with the reason given earlier.
    pub fn answers(&self, reason: &str) -> String {
        let agreement = if self.payout_agreement {
            format!("Yes. The agreement:\n{}", self.agreement_text.trim())
        } else {
            "No payout agreement with any client.".to_string()
        };
        format!(
            "Why are you closing the agency?\n{reason}\n\n\
             How will pending work be completed?\n{}\n\n\
             Is there a payout agreement with a client?\n{agreement}\n",
            self.pending_work.trim()
        )
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            step: Step::Welcome,
            furthest: Step::Welcome,
            platform: DEFAULT_PLATFORM,
            account: None,
            reason: None,
            other_reason: String::new(),
            feedback: String::new(),
            export_parent: None,
            export: None,
            export_skipped: false,
            checklist: BTreeSet::new(),
            farewells: BTreeMap::new(),
            typed_name: String::new(),
            receipt: None,
            sources: SourceSettings::default(),
            manual_ticks: BTreeSet::new(),
            closed_on_website: false,
            reminder: None,
            agency_plan: AgencyPlan::default(),
        }
    }
}

/// Light or dark, or as the system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "As the system",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }
}

/// How the window looks: the user's, not the exit's, so "Start over"
/// keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UiPrefs {
    #[serde(default)]
    pub theme: ThemeChoice,
}

/// What the store writes: the progress plus the changes made to demo
/// accounts and the window's preferences, which outlive "Start over".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedState {
    pub schema_version: u32,
    pub progress: Progress,
    pub account_changes: Vec<AccountChange>,
    /// Missing from files written before there were any.
    #[serde(default)]
    pub prefs: UiPrefs,
}
