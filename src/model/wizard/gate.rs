//! The one gate for closing. It checks every condition of every earlier
//! step (account, reason, feedback, a fresh review with no blockers, the
//! export or its explicit skip, the whole checklist, the typed name, the
//! website tick) from the state alone, so the Close button, the action and
//! the effect agree whatever path led to the confirm page: Back and Next,
//! the step list, or a saved state that opens on it.

use super::FEEDBACK_LIMIT;
use super::progress::Progress;
use super::runtime::Loadable;
use super::steps::{LeaveReason, Step};
use crate::model::account::ManualCheck;
use crate::model::profile::PlatformProfile;
use crate::model::review::Assessment;
use chrono::{DateTime, Duration, Utc};

/// How old the review may be when closing: the confirm page re-checks every
/// minute, so an older one means the checks stopped (offline, a stuck fetch).
pub const MAX_REVIEW_AGE: Duration = Duration::minutes(10);

/// The first moment a review checked at `checked_at` counts as stale: just
/// past `MAX_REVIEW_AGE`, since a review exactly that old is still good.
pub fn review_stale_at(checked_at: DateTime<Utc>) -> DateTime<Utc> {
    checked_at + MAX_REVIEW_AGE + Duration::nanoseconds(1)
}

/// One thing still in the way of closing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseBlock {
    AlreadyClosed,
    NoAccount,
    NoReason,
    OtherReasonEmpty,
    FeedbackTooLong { excess: usize },
    ReviewLoading,
    ReviewMissing,
    ReviewStale { minutes: i64 },
    Blockers(usize),
    ExportRunning,
    NoExport,
    ChecklistOpen(usize),
    ManualChecksNotLoaded,
    NameNotTyped { username: String },
    NotClosedOnWebsite { company: &'static str },
    ClosingUnderWay,
}

impl CloseBlock {
    /// The page where the user can clear it.
    pub fn step(&self) -> Step {
        match self {
            CloseBlock::AlreadyClosed => Step::Done,
            CloseBlock::NoAccount => Step::Connect,
            CloseBlock::NoReason | CloseBlock::OtherReasonEmpty => Step::Reason,
            CloseBlock::FeedbackTooLong { .. } => Step::Feedback,
            CloseBlock::ReviewLoading
            | CloseBlock::ReviewMissing
            | CloseBlock::ReviewStale { .. }
            | CloseBlock::Blockers(_) => Step::Review,
            CloseBlock::ExportRunning | CloseBlock::NoExport => Step::Export,
            CloseBlock::ChecklistOpen(_) | CloseBlock::ManualChecksNotLoaded => Step::Checklist,
            CloseBlock::NameNotTyped { .. }
            | CloseBlock::NotClosedOnWebsite { .. }
            | CloseBlock::ClosingUnderWay => Step::Confirm,
        }
    }

    /// In words for the user, lower case, to be joined with others.
    pub fn text(&self) -> String {
        match self {
            CloseBlock::AlreadyClosed => "the account is already closed".into(),
            CloseBlock::NoAccount => "no account is chosen".into(),
            CloseBlock::NoReason => "choose a reason for leaving on the Reason page".into(),
            CloseBlock::OtherReasonEmpty => {
                "describe your \"Other\" reason on the Reason page".into()
            }
            CloseBlock::FeedbackTooLong { excess } => {
                format!("shorten your feedback by {excess} characters")
            }
            CloseBlock::ReviewLoading => "the pending work is being re-checked".into(),
            CloseBlock::ReviewMissing => {
                "the pending work could not be checked; press Re-check".into()
            }
            CloseBlock::ReviewStale { minutes } => format!(
                "the last check of your pending work is {minutes} minutes old; press Re-check"
            ),
            CloseBlock::Blockers(n) => format!(
                "{n} blocker{} still open on the pending-work page",
                if *n == 1 { " is" } else { "s are" }
            ),
            CloseBlock::ExportRunning => "wait for the export to finish, or cancel it".into(),
            CloseBlock::NoExport => "export your data on the Export page, or tick that you \
                                     already have a copy"
                .into(),
            CloseBlock::ChecklistOpen(n) => format!(
                "{n} checklist item{} still unticked on the Checklist page",
                if *n == 1 { " is" } else { "s are" }
            ),
            CloseBlock::ManualChecksNotLoaded => {
                "the checks your data source cannot make are still loading; open the Checklist \
                 page"
                    .into()
            }
            CloseBlock::NameNotTyped { username } => {
                format!("type the username \"{username}\" exactly to confirm")
            }
            CloseBlock::NotClosedOnWebsite { company } => {
                format!("close the account on {company}'s website, then tick that you did")
            }
            CloseBlock::ClosingUnderWay => "closing is under way".into(),
        }
    }
}

/// All of them as one sentence: "A; b; c."
pub fn describe(blocks: &[CloseBlock]) -> Option<String> {
    if blocks.is_empty() {
        return None;
    }
    let text = blocks
        .iter()
        .map(CloseBlock::text)
        .collect::<Vec<_>>()
        .join("; ");
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    Some(first.unwrap_or_default() + chars.as_str() + ".")
}

/// What the gate reads: the saved progress and what is loaded now.
pub struct GateInput<'a> {
    pub progress: &'a Progress,
    /// The chosen platform's profile: its checklist, whether it closes
    /// accounts itself.
    pub profile: &'a PlatformProfile,
    pub assessment: &'a Loadable<Assessment>,
    /// `None` until the source's manual checks are loaded for the account.
    pub manual_checks: Option<&'a [ManualCheck]>,
    pub export_running: bool,
    pub closing: bool,
    pub now: DateTime<Utc>,
}

/// Proof that the gate was passed at one moment for one account. Only
/// [`clear_to_close`] makes one, and closing takes one, so no path can
/// close without passing the gate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseClearance {
    account: String,
    cleared_at: DateTime<Utc>,
}

impl CloseClearance {
    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn cleared_at(&self) -> DateTime<Utc> {
        self.cleared_at
    }
}

/// Everything still in the way of closing, in the order of the steps.
pub fn close_blocks(input: &GateInput<'_>) -> Vec<CloseBlock> {
    let p = input.progress;
    let mut blocks = Vec::new();
    if p.receipt.is_some() {
        blocks.push(CloseBlock::AlreadyClosed);
    }
    if p.account.is_none() {
        blocks.push(CloseBlock::NoAccount);
    }
    match p.reason {
        None => blocks.push(CloseBlock::NoReason),
        Some(LeaveReason::Other) if p.other_reason.trim().is_empty() => {
            blocks.push(CloseBlock::OtherReasonEmpty)
        }
        Some(_) => {}
    }
    let feedback = p.feedback.chars().count();
    if feedback > FEEDBACK_LIMIT {
        blocks.push(CloseBlock::FeedbackTooLong {
            excess: feedback - FEEDBACK_LIMIT,
        });
    }
    match input.assessment {
        Loadable::Loaded(a) => {
            if input.now >= review_stale_at(a.checked_at) {
                blocks.push(CloseBlock::ReviewStale {
                    minutes: (input.now - a.checked_at).num_minutes(),
                });
            }
            let n = a.blocker_count();
            if n > 0 {
                blocks.push(CloseBlock::Blockers(n));
            }
        }
        Loadable::Loading { .. } => blocks.push(CloseBlock::ReviewLoading),
        Loadable::Failed { .. } | Loadable::NotLoaded => blocks.push(CloseBlock::ReviewMissing),
    }
    if input.export_running {
        blocks.push(CloseBlock::ExportRunning);
    } else if p.export.is_none() && !p.export_skipped {
        blocks.push(CloseBlock::NoExport);
    }
    let unticked = unticked(input.profile, p, input.manual_checks);
    if unticked > 0 {
        blocks.push(CloseBlock::ChecklistOpen(unticked));
    }
    if input.manual_checks.is_none() {
        blocks.push(CloseBlock::ManualChecksNotLoaded);
    }
    if let Some(account) = &p.account
        && p.typed_name.trim() != account.username
    {
        blocks.push(CloseBlock::NameNotTyped {
            username: account.username.clone(),
        });
    }
    if !input.profile.acts_itself && !p.closed_on_website {
        blocks.push(CloseBlock::NotClosedOnWebsite {
            company: input.profile.company,
        });
    }
    if input.closing {
        blocks.push(CloseBlock::ClosingUnderWay);
    }
    blocks
}

/// The platform's checklist items and loaded manual checks not ticked yet.
pub fn unticked(
    profile: &PlatformProfile,
    progress: &Progress,
    manual_checks: Option<&[ManualCheck]>,
) -> usize {
    let items = profile
        .checklist_items()
        .filter(|item| !progress.checklist.contains(item))
        .count();
    let checks = manual_checks
        .unwrap_or_default()
        .iter()
        .filter(|c| !progress.manual_ticks.contains(&c.id))
        .count();
    items + checks
}

/// The gate itself: a clearance to close, or everything in the way.
pub fn clear_to_close(input: &GateInput<'_>) -> Result<CloseClearance, Vec<CloseBlock>> {
    let blocks = close_blocks(input);
    match (&input.progress.account, blocks.is_empty()) {
        (Some(account), true) => Ok(CloseClearance {
            account: account.id.clone(),
            cleared_at: input.now,
        }),
        _ => Err(blocks),
    }
}
