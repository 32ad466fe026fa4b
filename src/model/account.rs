//! What a platform account holds, in Offboard's own words. Every platform
//! source (the demo, Upwork's API, Upwork's CSV) maps its data into these.

use super::money::Money;
use super::timestamp;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Which platform source an account comes from: the slug of a profile in
/// the registry (`demo`, `upwork`, `upwork-csv`, `fiverr`…), as the command
/// line, folder names and saved files name it. What a platform is and does
/// is in its [`PlatformProfile`](super::profile::PlatformProfile).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlatformId(Cow<'static, str>);

impl PlatformId {
    pub const fn new(slug: &'static str) -> PlatformId {
        PlatformId(Cow::Borrowed(slug))
    }

    /// An id read from a file or a command line; it may name no platform
    /// this build knows.
    pub fn from_text(slug: &str) -> PlatformId {
        PlatformId(Cow::Owned(slug.to_string()))
    }

    /// The name used on the command line and in folder names.
    pub fn slug(&self) -> &str {
        &self.0
    }
}

/// The platform a first launch starts on: the built-in demo.
pub const DEFAULT_PLATFORM: PlatformId = PlatformId::new("demo");

impl fmt::Display for PlatformId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// The three kinds of account a marketplace has; each closes by other rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountKind {
    Freelancer,
    Client,
    Agency,
}

impl AccountKind {
    pub const ALL: [AccountKind; 3] = [
        AccountKind::Freelancer,
        AccountKind::Client,
        AccountKind::Agency,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Freelancer => "Freelancer",
            AccountKind::Client => "Client company owner",
            AccountKind::Agency => "Agency owner",
        }
    }
}

impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who the account is: enough to pick it, name it and confirm closing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// Stable id within the platform (`freelancer`, `client`, `agency` on the demo).
    pub id: String,
    pub kind: AccountKind,
    /// What the user types to confirm closing.
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub member_since: DateTime<Utc>,
}

/// The public profile and totals, exported as profile.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub account: AccountSummary,
    pub title: String,
    pub overview: String,
    pub location: String,
    pub hourly_rate: Option<Money>,
    pub skills: Vec<String>,
    pub profile_url: String,
    pub total_earnings: Money,
    pub job_success_score: Option<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractKind {
    Hourly,
    FixedPrice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractStatus {
    Active,
    Paused,
    Ended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneStatus {
    /// Not funded yet.
    Pending,
    /// Funded and held in escrow.
    InEscrow,
    /// Approved and paid.
    Paid,
    /// Refunded to the client.
    Refunded,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    pub amount: Money,
    pub status: MilestoneStatus,
    pub due: Option<DateTime<Utc>>,
}

/// A contract seen from the account's side: for a freelancer or agency the
/// counterparty is the client; for a client it is the freelancer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub id: String,
    pub title: String,
    pub counterparty: String,
    /// The counterparty's organisation, when it has one.
    pub counterparty_company: Option<String>,
    pub kind: ContractKind,
    pub status: ContractStatus,
    pub started: DateTime<Utc>,
    pub ended: Option<DateTime<Utc>>,
    pub hourly_rate: Option<Money>,
    pub weekly_limit_hours: Option<u32>,
    pub total_billed: Money,
    pub hours_billed: Option<f64>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Which agency member does the work, on agency contracts.
    #[serde(default)]
    pub assignee: Option<String>,
}

impl Contract {
    pub fn is_open(&self) -> bool {
        self.status != ContractStatus::Ended
    }

    pub fn escrow(&self) -> Money {
        self.milestones
            .iter()
            .filter(|m| m.status == MilestoneStatus::InEscrow)
            .map(|m| m.amount)
            .sum()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalStatus {
    /// Submitted, awaiting the client: blocks closing until withdrawn.
    Submitted,
    Declined,
    Withdrawn,
    Hired,
    Archived,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    pub job_title: String,
    pub client: String,
    pub submitted: DateTime<Utc>,
    pub status: ProposalStatus,
    pub bid: Money,
    pub bid_kind: ContractKind,
    pub connects_spent: u32,
    pub cover_letter: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OfferStatus {
    /// Waiting for an answer: blocks closing until accepted or declined.
    Pending,
    Accepted,
    Declined,
    Withdrawn,
    Expired,
}

/// A contract offer: received (freelancer, agency) or sent (client).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: String,
    pub title: String,
    pub counterparty: String,
    pub sent: DateTime<Utc>,
    pub status: OfferStatus,
    pub kind: ContractKind,
    pub amount: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobPostStatus {
    Open,
    Closed,
    Filled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPost {
    pub id: String,
    pub title: String,
    pub posted: DateTime<Utc>,
    pub status: JobPostStatus,
    pub kind: ContractKind,
    pub budget: Money,
    pub proposals_received: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub joined: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionKind {
    Hourly,
    FixedPrice,
    Bonus,
    ServiceFee,
    Withdrawal,
    WithdrawalFee,
    Refund,
    /// A client paying an invoice or funding a milestone.
    Payment,
    ConnectsPurchase,
    Adjustment,
}

impl TransactionKind {
    /// The words Upwork's transaction history uses for this type.
    pub fn label(self) -> &'static str {
        match self {
            TransactionKind::Hourly => "Hourly",
            TransactionKind::FixedPrice => "Fixed Price",
            TransactionKind::Bonus => "Bonus",
            TransactionKind::ServiceFee => "Service Fee",
            TransactionKind::Withdrawal => "Withdrawal",
            TransactionKind::WithdrawalFee => "Withdrawal Fee",
            TransactionKind::Refund => "Refund",
            TransactionKind::Payment => "Payment",
            TransactionKind::ConnectsPurchase => "Membership & Connects",
            TransactionKind::Adjustment => "Miscellaneous",
        }
    }
}

/// Where a transaction's money stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaymentStatus {
    /// Settled: part of the available balance.
    Available,
    /// Hourly earnings in the review/dispute window.
    InReview,
    /// Approved, waiting for the security hold to end.
    Pending,
    /// An invoice the client has not paid yet.
    Unpaid,
}

/// One line of a platform's own time report: the hours one contract logged
/// on one day, and what they were billed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub date: DateTime<Utc>,
    pub contract_id: Option<String>,
    pub hours: f64,
    pub charges: Money,
    /// The work diary's memo for the day, when there is one.
    pub memo: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: String,
    #[serde(serialize_with = "timestamp::serialize")]
    pub date: DateTime<Utc>,
    pub kind: TransactionKind,
    pub description: String,
    pub counterparty: Option<String>,
    pub contract_id: Option<String>,
    /// Positive is money in, negative money out.
    pub amount: Money,
    /// The available balance after this row, as the platform showed it.
    pub balance_after: Money,
    pub status: PaymentStatus,
    /// When money in review or pending becomes withdrawable.
    #[serde(serialize_with = "timestamp::serialize_optional")]
    pub available_on: Option<DateTime<Utc>>,
}

/// One review left on a contract, either way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// 1.0 to 5.0.
    pub score: f32,
    pub comment: String,
    pub date: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub contract_id: String,
    pub contract_title: String,
    pub counterparty: String,
    pub received: Option<Review>,
    pub given: Option<Review>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(serialize_with = "timestamp::serialize")]
    pub sent: DateTime<Utc>,
    pub author: String,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRoom {
    pub id: String,
    pub topic: String,
    pub contract_id: Option<String>,
    pub participants: Vec<String>,
    pub messages: Vec<Message>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisputeStatus {
    Open,
    Resolved,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: String,
    pub contract_id: String,
    pub title: String,
    pub opened: DateTime<Utc>,
    pub amount: Money,
    pub status: DisputeStatus,
}

/// A client the user may want to keep in touch with after leaving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientContact {
    pub name: String,
    pub company: Option<String>,
    pub contracts: u32,
    pub total_billed: Money,
    pub last_worked: DateTime<Utc>,
}

/// How many records each export section holds, shown before exporting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionCounts {
    pub contracts: u64,
    pub proposals: u64,
    pub offers: u64,
    pub job_posts: u64,
    pub team: u64,
    pub transactions: u64,
    pub feedback: u64,
    pub disputes: u64,
    pub rooms: u64,
    pub messages: u64,
}

/// Something a platform source cannot check, which the user confirms by
/// hand on the checklist (e.g. no contract is still open).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualCheck {
    pub id: String,
    pub label: String,
    pub where_to_check: String,
}
