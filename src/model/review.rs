//! The pending-work review: what stops an account from closing, what would
//! be lost, how to resolve each, and the earliest date closing can work.

use super::account::{
    AccountKind, AccountSummary, Contract, ContractKind, ContractStatus, Dispute, JobPost, Offer,
    PaymentStatus, Proposal, TeamMember, Transaction,
};
use super::money::Money;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Money on the account by where it stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    /// Withdrawable now.
    pub available: Money,
    /// Hourly earnings in the client's review window.
    pub in_review: Money,
    /// Approved payments in the security hold.
    pub pending: Money,
    /// Funded milestones held in escrow on open contracts.
    pub escrow: Money,
    /// What the account owes: a negative balance or unpaid invoices.
    pub owed: Money,
}

impl Balances {
    /// Sums the transactions by payment status; escrow comes from contracts.
    pub fn from_transactions<'a>(
        transactions: impl IntoIterator<Item = &'a Transaction>,
        open_contracts: &[Contract],
    ) -> Balances {
        let mut balances = Balances {
            escrow: open_contracts.iter().map(Contract::escrow).sum(),
            ..Balances::default()
        };
        for t in transactions {
            match t.status {
                PaymentStatus::Available => balances.available += t.amount,
                PaymentStatus::InReview => balances.in_review += t.amount,
                PaymentStatus::Pending => balances.pending += t.amount,
                PaymentStatus::Unpaid => balances.owed -= t.amount,
            }
        }
        // A negative available balance is money owed, not money to withdraw.
        if balances.available.is_negative() {
            balances.owed += balances.available.abs();
            balances.available = Money::ZERO;
        }
        balances
    }
}

/// Everything a platform reports that decides whether an account can close.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingWork {
    pub account: AccountSummary,
    pub closed: bool,
    /// Active and paused contracts.
    pub open_contracts: Vec<Contract>,
    /// Proposals still waiting for the client.
    pub open_proposals: Vec<Proposal>,
    /// Offers waiting for an answer.
    pub pending_offers: Vec<Offer>,
    pub open_job_posts: Vec<JobPost>,
    /// Members other than the owner.
    pub team: Vec<TeamMember>,
    pub open_disputes: Vec<Dispute>,
    /// Transactions whose money is not settled yet (in review, pending, unpaid).
    pub unsettled: Vec<Transaction>,
    pub balances: Balances,
}

/// What an action on the platform would do to resolve an item. The demo
/// platform carries them out; on real platforms they name what to do.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Resolution {
    EndContract { contract_id: String },
    WithdrawProposal { proposal_id: String },
    AnswerOffer { offer_id: String },
    CloseJobPost { job_post_id: String },
    RemoveTeamMember { member_id: String },
    ReleaseEscrow { contract_id: String },
    SettleDispute { dispute_id: String },
    /// Fast-forward to when money in review or pending is released.
    WaitForRelease,
    WithdrawBalance,
    PayBalance,
}

impl Resolution {
    /// The button text for doing it on the demo platform.
    pub fn action_label(&self) -> &'static str {
        match self {
            Resolution::EndContract { .. } => "End contract",
            Resolution::WithdrawProposal { .. } => "Withdraw proposal",
            Resolution::AnswerOffer { .. } => "Decline offer",
            Resolution::CloseJobPost { .. } => "Close job post",
            Resolution::RemoveTeamMember { .. } => "Remove member",
            Resolution::ReleaseEscrow { .. } => "Release escrow",
            Resolution::SettleDispute { .. } => "Settle dispute",
            Resolution::WaitForRelease => "Skip ahead to release",
            Resolution::WithdrawBalance => "Withdraw balance",
            Resolution::PayBalance => "Pay balance",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The platform refuses to close while this remains.
    Blocker,
    /// Closing works, but something is lost or worth doing first.
    Advisory,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Blocker => "Blocker",
            Severity::Advisory => "Advisory",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    ActiveContract,
    PausedContract,
    OpenProposal,
    PendingOffer,
    OpenJobPost,
    EscrowMilestone,
    EarningsInReview,
    PendingEarnings,
    AvailableBalance,
    NegativeBalance,
    OpenDispute,
    TeamMember,
    DataLoss,
}

/// One line of the review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Stable across re-checks, e.g. `contract:c-1042`.
    pub id: String,
    pub kind: ItemKind,
    pub severity: Severity,
    pub title: String,
    /// Why it matters.
    pub why: String,
    /// How to resolve it, naming the platform page.
    pub how_to_resolve: String,
    pub amount: Option<Money>,
    /// When the item resolves by itself (money released), if it does.
    pub clears_on: Option<DateTime<Utc>>,
    pub resolution: Option<Resolution>,
}

/// The review of one account at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub account: AccountSummary,
    pub checked_at: DateTime<Utc>,
    pub items: Vec<ReviewItem>,
    pub balances: Balances,
    /// The earliest moment the account can close if every blocker that can
    /// be resolved now is resolved now.
    pub earliest_close: DateTime<Utc>,
    pub already_closed: bool,
}

impl Assessment {
    pub fn blockers(&self) -> impl Iterator<Item = &ReviewItem> {
        self.items.iter().filter(|i| i.severity == Severity::Blocker)
    }

    pub fn advisories(&self) -> impl Iterator<Item = &ReviewItem> {
        self.items.iter().filter(|i| i.severity == Severity::Advisory)
    }

    pub fn blocker_count(&self) -> usize {
        self.blockers().count()
    }
}

/// What the platform reports when an account closes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureOutcome {
    pub closed_at: DateTime<Utc>,
    /// The platform's reference for the closure, for the receipt.
    pub reference: String,
    /// Until when the account can be reactivated, if it can.
    pub reactivate_until: Option<DateTime<Utc>>,
}

/// Where each kind of account resolves things, in the platform's menus.
struct Pages {
    contracts: &'static str,
    proposals: &'static str,
    offers: &'static str,
    job_posts: &'static str,
    team: &'static str,
    money: &'static str,
    disputes: &'static str,
}

fn pages(kind: AccountKind) -> Pages {
    match kind {
        AccountKind::Freelancer => Pages {
            contracts: "My Jobs › All Contracts",
            proposals: "Find Work › My Proposals",
            offers: "Find Work › My Proposals › Offers",
            job_posts: "Jobs › My Jobs",
            team: "Settings › Members & Permissions",
            money: "Reports › Overview and Settings › Get Paid",
            disputes: "Contract page › Dispute",
        },
        AccountKind::Client => Pages {
            contracts: "Hires › Contracts",
            proposals: "Jobs › My Jobs",
            offers: "Hires › Offers",
            job_posts: "Jobs › My Jobs › Close job",
            team: "Settings › Members & Permissions",
            money: "Settings › Billing & Payments",
            disputes: "Contract page › Dispute",
        },
        AccountKind::Agency => Pages {
            contracts: "Agency Dashboard › Contracts",
            proposals: "Find Work › My Proposals (agency)",
            offers: "Find Work › Offers (agency)",
            job_posts: "Jobs › My Jobs",
            team: "Agency Profile › Members",
            money: "Reports › Agency Financials › Get Paid",
            disputes: "Contract page › Dispute",
        },
    }
}

/// The end of the hourly billing week that contains `t` (Sunday 23:59:59 UTC).
pub fn billing_week_end(t: DateTime<Utc>) -> DateTime<Utc> {
    let days_to_sunday = 6 - i64::from(t.weekday().num_days_from_monday());
    let sunday = t.date_naive() + Duration::days(days_to_sunday);
    let end = sunday.and_hms_opt(23, 59, 59).unwrap_or_default();
    Utc.from_utc_datetime(&end)
}

/// When hourly work logged at `t` becomes withdrawable: the Wednesday ten
/// days after its billing week ends.
pub fn hourly_available_on(t: DateTime<Utc>) -> DateTime<Utc> {
    let week_end = billing_week_end(t) + Duration::seconds(1); // Monday 00:00
    week_end + Duration::days(9)
}

/// When a manual payment (milestone, bonus) processed at `t` becomes withdrawable.
pub fn manual_payment_available_on(t: DateTime<Utc>) -> DateTime<Utc> {
    t + Duration::days(5)
}

/// Review an account's pending work by the closing rules of its kind.
pub fn assess(work: &PendingWork, now: DateTime<Utc>) -> Assessment {
    let kind = work.account.kind;
    let page = pages(kind);
    let mut items = Vec::new();
    let mut earliest = now;

    for c in &work.open_contracts {
        items.push(contract_item(c, kind, &page));
        if c.kind == ContractKind::Hourly {
            // Ending an hourly contract today still leaves this week's hours
            // to be billed, reviewed and released.
            earliest = earliest.max(hourly_available_on(now));
        }
        let escrow = c.escrow();
        if escrow.is_positive() {
            items.push(ReviewItem {
                id: format!("escrow:{}", c.id),
                kind: ItemKind::EscrowMilestone,
                severity: Severity::Blocker,
                title: format!("{escrow} in escrow on \"{}\"", c.title),
                why: "Funded milestones must be approved and paid, or refunded, before the \
                      contract can end."
                    .into(),
                how_to_resolve: format!(
                    "Submit the work for approval or agree a refund with {}, on {}.",
                    c.counterparty, page.contracts
                ),
                amount: Some(escrow),
                clears_on: None,
                resolution: Some(Resolution::ReleaseEscrow {
                    contract_id: c.id.clone(),
                }),
            });
            // Released escrow is a manual payment with a 5-day hold.
            earliest = earliest.max(manual_payment_available_on(now));
        }
    }

    for p in &work.open_proposals {
        items.push(ReviewItem {
            id: format!("proposal:{}", p.id),
            kind: ItemKind::OpenProposal,
            severity: Severity::Blocker,
            title: format!("Open proposal: {}", p.job_title),
            why: format!(
                "Submitted {} to {}; the account cannot close while a proposal awaits an answer.",
                p.submitted.format("%-d %b %Y"),
                p.client
            ),
            how_to_resolve: format!("Withdraw it on {}.", page.proposals),
            amount: Some(p.bid),
            clears_on: None,
            resolution: Some(Resolution::WithdrawProposal {
                proposal_id: p.id.clone(),
            }),
        });
    }

    for o in &work.pending_offers {
        let (title, how) = if kind == AccountKind::Client {
            (
                format!("Offer sent, not answered: {}", o.title),
                format!("Withdraw the offer to {} on {}.", o.counterparty, page.offers),
            )
        } else {
            (
                format!("Offer waiting for your answer: {}", o.title),
                format!("Decline the offer from {} on {}.", o.counterparty, page.offers),
            )
        };
        items.push(ReviewItem {
            id: format!("offer:{}", o.id),
            kind: ItemKind::PendingOffer,
            severity: Severity::Blocker,
            title,
            why: "A pending offer can turn into a contract at any moment.".into(),
            how_to_resolve: how,
            amount: Some(o.amount),
            clears_on: None,
            resolution: Some(Resolution::AnswerOffer {
                offer_id: o.id.clone(),
            }),
        });
    }

    for j in &work.open_job_posts {
        items.push(ReviewItem {
            id: format!("job-post:{}", j.id),
            kind: ItemKind::OpenJobPost,
            severity: Severity::Blocker,
            title: format!("Open job post: {}", j.title),
            why: format!(
                "It is still taking proposals ({} so far); open job posts block closing.",
                j.proposals_received
            ),
            how_to_resolve: format!("Close the job post on {}.", page.job_posts),
            amount: None,
            clears_on: None,
            resolution: Some(Resolution::CloseJobPost {
                job_post_id: j.id.clone(),
            }),
        });
    }

    for m in &work.team {
        items.push(ReviewItem {
            id: format!("member:{}", m.id),
            kind: ItemKind::TeamMember,
            severity: Severity::Blocker,
            title: format!("Team member: {} ({})", m.name, m.role),
            why: "Only an owner with no other members can close the account.".into(),
            how_to_resolve: format!(
                "Remove {} on {}; tell them first, they lose access.",
                m.name, page.team
            ),
            amount: None,
            clears_on: None,
            resolution: Some(Resolution::RemoveTeamMember {
                member_id: m.id.clone(),
            }),
        });
    }

    for d in &work.open_disputes {
        items.push(ReviewItem {
            id: format!("dispute:{}", d.id),
            kind: ItemKind::OpenDispute,
            severity: Severity::Blocker,
            title: format!("Open dispute: {}", d.title),
            why: format!(
                "{} is contested since {}; support will not close an account mid-dispute.",
                d.amount,
                d.opened.format("%-d %b %Y")
            ),
            how_to_resolve: format!("Settle or withdraw the dispute on {}.", page.disputes),
            amount: Some(d.amount),
            clears_on: None,
            resolution: Some(Resolution::SettleDispute {
                dispute_id: d.id.clone(),
            }),
        });
    }

    let b = work.balances;
    let release_on = |status: PaymentStatus| {
        work.unsettled
            .iter()
            .filter(|t| t.status == status)
            .filter_map(|t| t.available_on)
            .max()
    };
    if b.in_review.is_positive() {
        let on = release_on(PaymentStatus::InReview).unwrap_or_else(|| hourly_available_on(now));
        earliest = earliest.max(on);
        items.push(ReviewItem {
            id: "money:in-review".into(),
            kind: ItemKind::EarningsInReview,
            severity: Severity::Blocker,
            title: format!("{} of earnings in review", b.in_review),
            why: format!(
                "Hourly earnings stay in the client's review window and cannot be withdrawn \
                 until {}. Closing before then forfeits your access to them.",
                on.format("%a %-d %b %Y")
            ),
            how_to_resolve: format!(
                "Wait until {}, then withdraw on {}.",
                on.format("%-d %b %Y"),
                page.money
            ),
            amount: Some(b.in_review),
            clears_on: Some(on),
            resolution: Some(Resolution::WaitForRelease),
        });
    }
    if b.pending.is_positive() {
        let on = release_on(PaymentStatus::Pending)
            .unwrap_or_else(|| manual_payment_available_on(now));
        earliest = earliest.max(on);
        items.push(ReviewItem {
            id: "money:pending".into(),
            kind: ItemKind::PendingEarnings,
            severity: Severity::Blocker,
            title: format!("{} of payments pending", b.pending),
            why: format!(
                "Approved milestone and bonus payments are held for 5 days; this money is \
                 released on {}.",
                on.format("%a %-d %b %Y")
            ),
            how_to_resolve: format!(
                "Wait until {}, then withdraw on {}.",
                on.format("%-d %b %Y"),
                page.money
            ),
            amount: Some(b.pending),
            clears_on: Some(on),
            resolution: Some(Resolution::WaitForRelease),
        });
    }
    if b.available.is_positive() {
        items.push(ReviewItem {
            id: "money:available".into(),
            kind: ItemKind::AvailableBalance,
            severity: Severity::Blocker,
            title: format!("{} available to withdraw", b.available),
            why: "A closed account cannot withdraw; the balance must be taken out first. \
                  A withdrawal can take up to 8 business days to arrive."
                .into(),
            how_to_resolve: format!("Withdraw the full balance on {}.", page.money),
            amount: Some(b.available),
            clears_on: None,
            resolution: Some(Resolution::WithdrawBalance),
        });
    }
    if b.owed.is_positive() {
        let why = if kind == AccountKind::Client {
            "Unpaid invoices must be paid before a client account can close."
        } else {
            "A negative balance (refunds or fees) must be paid back before closing."
        };
        items.push(ReviewItem {
            id: "money:owed".into(),
            kind: ItemKind::NegativeBalance,
            severity: Severity::Blocker,
            title: format!("{} owed to the platform", b.owed),
            why: why.into(),
            how_to_resolve: format!("Pay the balance on {}.", page.money),
            amount: Some(b.owed),
            clears_on: None,
            resolution: Some(Resolution::PayBalance),
        });
    }

    items.extend(data_loss_advisories(kind));

    Assessment {
        account: work.account.clone(),
        checked_at: now,
        items,
        balances: b,
        earliest_close: earliest,
        already_closed: work.closed,
    }
}

fn contract_item(c: &Contract, kind: AccountKind, page: &Pages) -> ReviewItem {
    let paused = c.status == ContractStatus::Paused;
    let who = match kind {
        AccountKind::Client => "freelancer",
        _ => "client",
    };
    let kind_word = match c.kind {
        ContractKind::Hourly => "hourly",
        ContractKind::FixedPrice => "fixed-price",
    };
    ReviewItem {
        id: format!("contract:{}", c.id),
        kind: if paused {
            ItemKind::PausedContract
        } else {
            ItemKind::ActiveContract
        },
        severity: Severity::Blocker,
        title: format!(
            "{} {kind_word} contract: {}",
            if paused { "Paused" } else { "Active" },
            c.title
        ),
        why: format!(
            "With {} since {}. Every contract must be ended before the account can close{}.",
            c.counterparty,
            c.started.format("%b %Y"),
            if c.kind == ContractKind::Hourly {
                "; hours of the current week are still billed after it ends"
            } else {
                ""
            }
        ),
        how_to_resolve: format!(
            "Tell the {who}, then end the contract on {} and leave feedback.",
            page.contracts
        ),
        amount: None,
        clears_on: None,
        resolution: Some(Resolution::EndContract {
            contract_id: c.id.clone(),
        }),
    }
}

/// What vanishes with any account, whatever its state.
fn data_loss_advisories(kind: AccountKind) -> Vec<ReviewItem> {
    let mut items = vec![
        ReviewItem {
            id: "data:messages".into(),
            kind: ItemKind::DataLoss,
            severity: Severity::Advisory,
            title: "Messages disappear with the account".into(),
            why: "The platform offers no message export; once closed, conversations and \
                  shared files are out of reach."
                .into(),
            how_to_resolve: "Export them in the next step.".into(),
            amount: None,
            clears_on: None,
            resolution: None,
        },
        ReviewItem {
            id: "data:history".into(),
            kind: ItemKind::DataLoss,
            severity: Severity::Advisory,
            title: "Work history, reviews and invoices go too".into(),
            why: "Your reviews and job history are proof of your track record, and invoices \
                  and tax forms may be needed for years."
                .into(),
            how_to_resolve: "Export them in the next step; download tax forms from \
                             Reports › Tax Documents."
                .into(),
            amount: None,
            clears_on: None,
            resolution: None,
        },
    ];
    if kind != AccountKind::Client {
        items.push(ReviewItem {
            id: "data:clients".into(),
            kind: ItemKind::DataLoss,
            severity: Severity::Advisory,
            title: "Clients lose the way to reach you".into(),
            why: "Messages on the platform stop working for both sides once you close.".into(),
            how_to_resolve: "Send farewell notes with your contact details (hand-off step)."
                .into(),
            amount: None,
            clears_on: None,
            resolution: None,
        });
    }
    items
}

/// A change made to a demo account from Offboard, kept in the saved state so
/// the demo platform replays it on the next launch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    pub account: String,
    pub at: DateTime<Utc>,
    pub change: ChangeKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ChangeKind {
    Resolved { resolution: Resolution },
    Closed { outcome: ClosureOutcome },
}
