//! The wizard's steps and the fixed choices on them: the reasons for
//! leaving and the pre-close checklist.

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

/// Why people leave; the platform's own closing form asks the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeaveReason {
    FoundWorkOutside,
    TakingABreak,
    HardToFindClients,
    FeesNotWorthIt,
    ClientDidNotPay,
    PrivacyConcerns,
    MovingToAnotherPlatform,
    NoLongerNeeded,
    Other,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 9] = [
        LeaveReason::FoundWorkOutside,
        LeaveReason::TakingABreak,
        LeaveReason::HardToFindClients,
        LeaveReason::FeesNotWorthIt,
        LeaveReason::ClientDidNotPay,
        LeaveReason::PrivacyConcerns,
        LeaveReason::MovingToAnotherPlatform,
        LeaveReason::NoLongerNeeded,
        LeaveReason::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LeaveReason::FoundWorkOutside => "I found work outside the platform",
            LeaveReason::TakingABreak => "I'm taking a break from freelancing",
            LeaveReason::HardToFindClients => "It's too hard to find clients",
            LeaveReason::FeesNotWorthIt => "The fees or pay aren't worth it",
            LeaveReason::ClientDidNotPay => "A client didn't pay or scammed me",
            LeaveReason::PrivacyConcerns => "Privacy concerns",
            LeaveReason::MovingToAnotherPlatform => "I'm moving to another platform",
            LeaveReason::NoLongerNeeded => "I no longer need the account",
            LeaveReason::Other => "Other",
        }
    }
}

/// The pre-close checklist: things no platform check catches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistItem {
    WithdrawEarnings,
    DownloadTaxForms,
    DownloadCertificateOfEarnings,
    RemovePaymentMethods,
    DisconnectLinkedLogins,
    UpdateProfileLinks,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 6] = [
        ChecklistItem::WithdrawEarnings,
        ChecklistItem::DownloadTaxForms,
        ChecklistItem::DownloadCertificateOfEarnings,
        ChecklistItem::RemovePaymentMethods,
        ChecklistItem::DisconnectLinkedLogins,
        ChecklistItem::UpdateProfileLinks,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChecklistItem::WithdrawEarnings => "Withdraw all earnings",
            ChecklistItem::DownloadTaxForms => "Download tax forms (1099-K, W-9 or W-8BEN)",
            ChecklistItem::DownloadCertificateOfEarnings => {
                "Download the certificate of earnings and invoices"
            }
            ChecklistItem::RemovePaymentMethods => "Remove saved payment and withdrawal methods",
            ChecklistItem::DisconnectLinkedLogins => "Disconnect linked logins (Google, Apple)",
            ChecklistItem::UpdateProfileLinks => {
                "Update links to your profile (website, CV, LinkedIn, email signature)"
            }
        }
    }

    pub fn detail(self) -> &'static str {
        match self {
            ChecklistItem::WithdrawEarnings => {
                "Withdrawals can take up to 8 business days to arrive; keep the payout method \
                 until they do."
            }
            ChecklistItem::DownloadTaxForms => {
                "Reports › Tax Documents. Whether they stay reachable after closing is unknown."
            }
            ChecklistItem::DownloadCertificateOfEarnings => {
                "Reports › Certificate of Earnings (1, 3, 6 or 12 months) and one invoice \
                 download per month."
            }
            ChecklistItem::RemovePaymentMethods => {
                "Settings › Billing & Payments and Get Paid: remove cards, bank accounts and \
                 PayPal."
            }
            ChecklistItem::DisconnectLinkedLogins => {
                "Settings › Password & Security: unlink sign-in providers."
            }
            ChecklistItem::UpdateProfileLinks => {
                "A link to a closed profile looks like a dead end to a future client."
            }
        }
    }
}
