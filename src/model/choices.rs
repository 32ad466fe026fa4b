//! The fixed choices the wizard offers: the reasons for leaving and the
//! pre-close checklist. Which of them a platform and account kind offers,
//! and where each is done, is in its profile.

use serde::{Deserialize, Serialize};

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
    /// A client's: the company no longer hires freelancers.
    NoLongerHiring,
    /// A client's: hiring goes through another channel now.
    HiringElsewhere,
    /// A client's or an agency's: the business is closing or changing.
    BusinessClosing,
    Other,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 12] = [
        LeaveReason::FoundWorkOutside,
        LeaveReason::TakingABreak,
        LeaveReason::HardToFindClients,
        LeaveReason::FeesNotWorthIt,
        LeaveReason::ClientDidNotPay,
        LeaveReason::PrivacyConcerns,
        LeaveReason::MovingToAnotherPlatform,
        LeaveReason::NoLongerNeeded,
        LeaveReason::NoLongerHiring,
        LeaveReason::HiringElsewhere,
        LeaveReason::BusinessClosing,
        LeaveReason::Other,
    ];

    /// What someone who works on the platform is asked.
    pub const WORKING: &[LeaveReason] = &[
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

    /// What someone who hires on the platform is asked.
    pub const HIRING: &[LeaveReason] = &[
        LeaveReason::NoLongerHiring,
        LeaveReason::HiringElsewhere,
        LeaveReason::FeesNotWorthIt,
        LeaveReason::BusinessClosing,
        LeaveReason::PrivacyConcerns,
        LeaveReason::MovingToAnotherPlatform,
        LeaveReason::NoLongerNeeded,
        LeaveReason::Other,
    ];

    /// What an agency owner is asked.
    pub const AGENCY: &[LeaveReason] = &[
        LeaveReason::BusinessClosing,
        LeaveReason::FoundWorkOutside,
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
            LeaveReason::NoLongerHiring => "We no longer hire freelancers",
            LeaveReason::HiringElsewhere => "We hire through another channel now",
            LeaveReason::BusinessClosing => "The business is closing or changing",
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
    /// Ask the platform for a copy of the data Offboard cannot read.
    RequestDataCopy,
    /// Where a closed account's email can never sign up again.
    ChangeEmailFirst,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 8] = [
        ChecklistItem::WithdrawEarnings,
        ChecklistItem::DownloadTaxForms,
        ChecklistItem::DownloadCertificateOfEarnings,
        ChecklistItem::RemovePaymentMethods,
        ChecklistItem::DisconnectLinkedLogins,
        ChecklistItem::UpdateProfileLinks,
        ChecklistItem::RequestDataCopy,
        ChecklistItem::ChangeEmailFirst,
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
            ChecklistItem::RequestDataCopy => "Request a copy of your data from the platform",
            ChecklistItem::ChangeEmailFirst => {
                "Change the account's email first if you want to use it there again"
            }
        }
    }
}
