//! The wizard's steps. The fixed choices on them (the reasons for leaving,
//! the pre-close checklist) are in `model::choices`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Welcome,
    Connect,
    Reason,
    Feedback,
    Review,
    Export,
    Checklist,
    Confirm,
    Done,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Welcome,
        Step::Connect,
        Step::Reason,
        Step::Feedback,
        Step::Review,
        Step::Export,
        Step::Checklist,
        Step::Confirm,
        Step::Done,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Welcome => "Welcome",
            Step::Connect => "Connect",
            Step::Reason => "Reason",
            Step::Feedback => "Feedback",
            Step::Review => "Pending work",
            Step::Export => "Export data",
            Step::Checklist => "Checklist & clients",
            Step::Confirm => "Confirm",
            Step::Done => "Done",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ALL.get(i).copied())
    }
}

pub use crate::model::choices::{ChecklistItem, LeaveReason};
