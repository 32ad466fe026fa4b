//! The pending-work review: what stops an account from closing, what would
//! be lost, how to resolve each, and the earliest date closing can work.

use super::account::{
    AccountKind, AccountSummary, Contract, ContractKind, ContractStatus, Dispute, JobPost, Offer,
    PaymentStatus, Proposal, TeamMember, Transaction,
};
use super::closure_check::ClosureCheck;
use super::money::Money;
use super::profile::{MenuPages, PlatformProfile};
use super::questionnaire::MoneyRole;
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
    /// A guided platform's questionnaire answers, which its rules read.
    #[serde(default)]
    pub answers: crate::model::questionnaire::Answers,
}

impl PendingWork {
    /// `account` with nothing open and no money anywhere; a source fills in
    /// what it can see.
    pub fn nothing_open(account: AccountSummary) -> Self {
        PendingWork {
            account,
            closed: false,
            open_contracts: Vec::new(),
            open_proposals: Vec::new(),
            pending_offers: Vec::new(),
            open_job_posts: Vec::new(),
            team: Vec::new(),
            open_disputes: Vec::new(),
            unsettled: Vec::new(),
            balances: Balances::default(),
            answers: Default::default(),
        }
    }
}

/// What an action on the platform would do to resolve an item. The demo
/// platform carries them out; on real platforms they name what to do.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Resolution {
    EndContract {
        contract_id: String,
    },
    WithdrawProposal {
        proposal_id: String,
    },
    AnswerOffer {
        offer_id: String,
    },
    CloseJobPost {
        job_post_id: String,
    },
    RemoveTeamMember {
        member_id: String,
    },
    ReleaseEscrow {
        contract_id: String,
    },
    SettleDispute {
        dispute_id: String,
    },
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
    OpenContest,
    /// A suspension, restriction, review or identity check.
    AccountIssue,
    Subscription,
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

impl ReviewItem {
    /// What the item is about without its kind, for naming the button that
    /// resolves it ("End contract: Ongoing full-stack development"). The
    /// titles of these kinds are "<kind>: <subject>"; the others are whole.
    pub fn subject(&self) -> &str {
        match self.kind {
            ItemKind::ActiveContract
            | ItemKind::PausedContract
            | ItemKind::OpenProposal
            | ItemKind::PendingOffer
            | ItemKind::OpenJobPost
            | ItemKind::OpenDispute
            | ItemKind::TeamMember => self
                .title
                .split_once(": ")
                .map_or(self.title.as_str(), |(_, subject)| subject),
            _ => &self.title,
        }
    }
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
        self.items
            .iter()
            .filter(|i| i.severity == Severity::Blocker)
    }

    pub fn advisories(&self) -> impl Iterator<Item = &ReviewItem> {
        self.items
            .iter()
            .filter(|i| i.severity == Severity::Advisory)
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
    /// How the closing is known, where the platform did not do it itself
    /// (e.g. "you confirmed it; the API now refuses the token").
    #[serde(default)]
    pub evidence: Option<String>,
    /// What was observed about the closing; `None` in records from before
    /// Offboard kept it.
    #[serde(default)]
    pub check: Option<ClosureCheck>,
}

/// The end of the hourly billing week that contains `t` (Sunday 23:59:59 UTC).
pub fn billing_week_end(t: DateTime<Utc>) -> DateTime<Utc> {
    let days_to_sunday = 6 - i64::from(t.weekday().num_days_from_monday());
    let Some(sunday) = t
        .date_naive()
        .checked_add_signed(Duration::days(days_to_sunday))
    else {
        return DateTime::<Utc>::MAX_UTC;
    };
    let end = sunday.and_hms_opt(23, 59, 59).unwrap_or_default();
    Utc.from_utc_datetime(&end)
}

/// `t` plus `d`, or the last representable moment: a date from a file or
/// an answer near the calendar's end must not panic, and "never" is the
/// honest answer for when such money becomes withdrawable.
fn later(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// When hourly work logged at `t` becomes withdrawable: the Wednesday ten
/// days after its billing week ends.
pub fn hourly_available_on(t: DateTime<Utc>) -> DateTime<Utc> {
    let week_end = later(billing_week_end(t), Duration::seconds(1)); // Monday 00:00
    later(week_end, Duration::days(9))
}

/// When a manual payment (milestone, bonus) processed at `t` becomes withdrawable.
pub fn manual_payment_available_on(t: DateTime<Utc>) -> DateTime<Utc> {
    later(t, Duration::days(5))
}

/// Review an account's pending work by the closing rules of its platform
/// and kind.
pub fn assess(profile: &PlatformProfile, work: &PendingWork, now: DateTime<Utc>) -> Assessment {
    let kind = work.account.kind;
    let Some(kind_profile) = profile.kind(kind) else {
        return Assessment {
            account: work.account.clone(),
            checked_at: now,
            items: Vec::new(),
            balances: work.balances,
            earliest_close: now,
            already_closed: work.closed,
        };
    };
    let page = &kind_profile.pages;
    let timing = &profile.payment;
    let after_hold = |t| later(t, Duration::days(timing.hold_days));
    let hourly_release = |t| {
        if timing.weekly_hourly_cycle {
            hourly_available_on(t)
        } else {
            after_hold(t)
        }
    };
    let mut items = Vec::new();
    let mut earliest = now;
    let mut balances = work.balances;

    for c in &work.open_contracts {
        items.push(contract_item(c, kind, page));
        if c.kind == ContractKind::Hourly {
            // Ending an hourly contract today still leaves this week's hours
            // to be billed, reviewed and released.
            earliest = earliest.max(hourly_release(now));
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
            // Released escrow is a manual payment with the platform's hold.
            earliest = earliest.max(after_hold(now));
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
                format!(
                    "Withdraw the offer to {} on {}.",
                    o.counterparty, page.offers
                ),
            )
        } else {
            (
                format!("Offer waiting for your answer: {}", o.title),
                format!(
                    "Decline the offer from {} on {}.",
                    o.counterparty, page.offers
                ),
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

    // A guided platform's rules read the answers; their money counts in
    // the balances like a source's records do.
    if let Some(questionnaire) = profile.questionnaire() {
        let (answered, money) = questionnaire.items(kind, &work.answers, now);
        for item in &answered {
            if item.severity == Severity::Blocker
                && let Some(on) = item.clears_on
            {
                earliest = earliest.max(on);
            }
        }
        for (role, amount) in money {
            let slot = match role {
                MoneyRole::Available => &mut balances.available,
                MoneyRole::Pending => &mut balances.pending,
                MoneyRole::Owed => &mut balances.owed,
            };
            *slot = slot.checked_add(amount).unwrap_or(*slot);
        }
        items.extend(answered);
    }

    let b = if profile.questionnaire().is_some() {
        // The answers' money is shown, never turned into items twice.
        Balances::default()
    } else {
        balances
    };
    let release_on = |status: PaymentStatus| {
        work.unsettled
            .iter()
            .filter(|t| t.status == status)
            .filter_map(|t| t.available_on)
            .max()
    };
    if b.in_review.is_positive() {
        let on = release_on(PaymentStatus::InReview).unwrap_or_else(|| hourly_release(now));
        earliest = earliest.max(on);
        items.push(ReviewItem {
            id: "money:in-review".into(),
            kind: ItemKind::EarningsInReview,
            severity: Severity::Blocker,
            title: format!("{} of earnings in review", b.in_review),
            why: timing
                .in_review_why
                .replace("{date}", &on.format("%a %-d %b %Y").to_string()),
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
        let on = release_on(PaymentStatus::Pending).unwrap_or_else(|| after_hold(now));
        earliest = earliest.max(on);
        items.push(ReviewItem {
            id: "money:pending".into(),
            kind: ItemKind::PendingEarnings,
            severity: Severity::Blocker,
            title: format!("{} of payments pending", b.pending),
            why: timing
                .pending_why
                .replace("{date}", &on.format("%a %-d %b %Y").to_string()),
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
            why: format!(
                "A closed account cannot withdraw; the balance must be taken out first. \
                 A withdrawal can take up to {} business days to arrive.",
                timing.withdrawal_days
            ),
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

    items.extend(data_loss_advisories(profile, kind));

    Assessment {
        account: work.account.clone(),
        checked_at: now,
        items,
        balances,
        earliest_close: earliest,
        already_closed: work.closed,
    }
}

fn contract_item(c: &Contract, kind: AccountKind, page: &MenuPages) -> ReviewItem {
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

/// What vanishes with any account on this platform, whatever its state.
fn data_loss_advisories(profile: &PlatformProfile, kind: AccountKind) -> Vec<ReviewItem> {
    profile
        .data_loss
        .iter()
        .filter(|d| d.kinds.is_empty() || d.kinds.contains(&kind))
        .map(|d| ReviewItem {
            id: d.id.into(),
            kind: ItemKind::DataLoss,
            severity: Severity::Advisory,
            title: d.title.into(),
            why: d.why.into(),
            how_to_resolve: d.how.into(),
            amount: None,
            clears_on: None,
            resolution: None,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::{
        DisputeStatus, JobPostStatus, Milestone, MilestoneStatus, OfferStatus, ProposalStatus,
        TransactionKind,
    };
    use crate::model::profile::testing::DEMO;
    use chrono::Weekday;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid UTC time")
    }

    /// Monday 23 November 2026, 10:00 UTC.
    fn now() -> DateTime<Utc> {
        at(2026, 11, 23, 10, 0, 0)
    }

    fn dollars(d: i64) -> Money {
        Money::from_dollars(d)
    }

    fn summary(kind: AccountKind) -> AccountSummary {
        let (id, username, name) = match kind {
            AccountKind::Freelancer => ("freelancer", "maya", "Maya Okafor"),
            AccountKind::Client => ("client", "northwind", "Northwind Ltd"),
            AccountKind::Agency => ("agency", "pixelworks", "Pixelworks Studio"),
        };
        AccountSummary {
            id: id.into(),
            kind,
            username: username.into(),
            display_name: name.into(),
            email: format!("{username}@example.com"),
            member_since: at(2019, 3, 4, 9, 0, 0),
        }
    }

    fn empty_work(kind: AccountKind) -> PendingWork {
        PendingWork::nothing_open(summary(kind))
    }

    fn contract(id: &str, kind: ContractKind, status: ContractStatus) -> Contract {
        Contract {
            id: id.into(),
            title: format!("Contract {id}"),
            counterparty: "Ana Lima".into(),
            counterparty_company: Some("Lima Co".into()),
            kind,
            status,
            started: at(2025, 2, 10, 0, 0, 0),
            ended: None,
            hourly_rate: (kind == ContractKind::Hourly).then(|| dollars(60)),
            weekly_limit_hours: None,
            total_billed: dollars(4_800),
            hours_billed: None,
            milestones: Vec::new(),
            assignee: None,
        }
    }

    fn milestone(title: &str, amount: Money, status: MilestoneStatus) -> Milestone {
        Milestone {
            title: title.into(),
            amount,
            status,
            due: None,
        }
    }

    fn proposal(id: &str) -> Proposal {
        Proposal {
            id: id.into(),
            job_title: format!("Job {id}"),
            client: "Ben Ode".into(),
            submitted: at(2026, 11, 2, 8, 0, 0),
            status: ProposalStatus::Submitted,
            bid: dollars(900),
            bid_kind: ContractKind::FixedPrice,
            connects_spent: 16,
            cover_letter: "Hello".into(),
        }
    }

    fn offer(id: &str) -> Offer {
        Offer {
            id: id.into(),
            title: format!("Offer {id}"),
            counterparty: "Chen Wu".into(),
            sent: at(2026, 11, 20, 12, 0, 0),
            status: OfferStatus::Pending,
            kind: ContractKind::Hourly,
            amount: dollars(45),
        }
    }

    fn job_post(id: &str) -> JobPost {
        JobPost {
            id: id.into(),
            title: format!("Job post {id}"),
            posted: at(2026, 11, 1, 8, 0, 0),
            status: JobPostStatus::Open,
            kind: ContractKind::FixedPrice,
            budget: dollars(2_000),
            proposals_received: 7,
        }
    }

    fn member(id: &str) -> TeamMember {
        TeamMember {
            id: id.into(),
            name: "Dana Kim".into(),
            email: "dana@example.com".into(),
            role: "Admin".into(),
            joined: at(2024, 5, 1, 0, 0, 0),
        }
    }

    fn dispute(id: &str) -> Dispute {
        Dispute {
            id: id.into(),
            contract_id: "c-fixed".into(),
            title: format!("Dispute {id}"),
            opened: at(2026, 11, 10, 0, 0, 0),
            amount: dollars(250),
            status: DisputeStatus::Open,
        }
    }

    fn tx(
        id: &str,
        amount: Money,
        status: PaymentStatus,
        available_on: Option<DateTime<Utc>>,
    ) -> Transaction {
        Transaction {
            id: id.into(),
            date: at(2026, 11, 16, 0, 0, 0),
            kind: TransactionKind::Hourly,
            description: format!("Transaction {id}"),
            counterparty: None,
            contract_id: None,
            amount,
            balance_after: Money::ZERO,
            status,
            available_on,
        }
    }

    /// (id, kind, severity, resolution) of every item, in order.
    fn shape(a: &Assessment) -> Vec<(String, ItemKind, Severity, Option<Resolution>)> {
        a.items
            .iter()
            .map(|i| (i.id.clone(), i.kind, i.severity, i.resolution.clone()))
            .collect()
    }

    fn item<'a>(a: &'a Assessment, id: &str) -> &'a ReviewItem {
        match a.items.iter().find(|i| i.id == id) {
            Some(item) => item,
            None => panic!("no item {id} in {:?}", shape(a)),
        }
    }

    fn data_loss(with_clients: bool) -> Vec<(String, ItemKind, Severity, Option<Resolution>)> {
        let mut ids = vec!["data:messages", "data:history"];
        if with_clients {
            ids.push("data:clients");
        }
        ids.into_iter()
            .map(|id| (id.to_string(), ItemKind::DataLoss, Severity::Advisory, None))
            .collect()
    }

    /// The subject names the thing without its kind, and keeps a colon that
    /// belongs to the thing's own title.
    #[test]
    fn subject_drops_only_the_kind() {
        let item = |kind, title: &str| ReviewItem {
            id: "x".into(),
            kind,
            severity: Severity::Blocker,
            title: title.into(),
            why: String::new(),
            how_to_resolve: String::new(),
            amount: None,
            clears_on: None,
            resolution: None,
        };
        let contract = item(
            ItemKind::ActiveContract,
            "Active hourly contract: Phase 2: API",
        );
        assert_eq!(contract.subject(), "Phase 2: API");
        let escrow = item(
            ItemKind::EscrowMilestone,
            "$500.00 in escrow on \"Phase 2: API\"",
        );
        assert_eq!(escrow.subject(), escrow.title);
        let member = item(ItemKind::TeamMember, "Team member: Ana Lima (Designer)");
        assert_eq!(member.subject(), "Ana Lima (Designer)");
    }

    #[test]
    fn now_is_a_monday() {
        assert_eq!(now().weekday(), Weekday::Mon);
    }

    #[test]
    fn billing_week_end_of_a_monday_is_the_sunday_after() {
        assert_eq!(billing_week_end(now()), at(2026, 11, 29, 23, 59, 59));
        assert_eq!(
            billing_week_end(at(2026, 11, 23, 0, 0, 0)),
            at(2026, 11, 29, 23, 59, 59)
        );
        assert_eq!(
            billing_week_end(at(2026, 11, 29, 23, 59, 59)).weekday(),
            Weekday::Sun
        );
    }

    #[test]
    fn dates_at_the_end_of_the_calendar_do_not_panic() {
        let last = DateTime::<Utc>::MAX_UTC;
        assert_eq!(hourly_available_on(last), last);
        assert_eq!(manual_payment_available_on(last), last);
        assert_eq!(billing_week_end(last), last);
        let near = last - Duration::days(3);
        assert_eq!(manual_payment_available_on(near), last);
    }

    #[test]
    fn billing_week_end_of_a_sunday_is_that_sunday() {
        assert_eq!(
            billing_week_end(at(2026, 11, 29, 8, 30, 0)),
            at(2026, 11, 29, 23, 59, 59)
        );
        assert_eq!(
            billing_week_end(at(2026, 11, 29, 23, 59, 59)),
            at(2026, 11, 29, 23, 59, 59)
        );
        // One second later a new week starts.
        assert_eq!(
            billing_week_end(at(2026, 11, 30, 0, 0, 0)),
            at(2026, 12, 6, 23, 59, 59)
        );
        // Across a year end.
        assert_eq!(
            billing_week_end(at(2026, 12, 30, 12, 0, 0)),
            at(2027, 1, 3, 23, 59, 59)
        );
    }

    #[test]
    fn hourly_work_is_available_the_wednesday_ten_days_after_its_week() {
        // Week Mon 23 Nov – Sun 29 Nov; 10 days after Sunday is Wednesday 9 Dec.
        let expected = at(2026, 12, 9, 0, 0, 0);
        assert_eq!(expected.weekday(), Weekday::Wed);
        assert_eq!(hourly_available_on(now()), expected);
        assert_eq!(hourly_available_on(at(2026, 11, 23, 0, 0, 0)), expected);
        assert_eq!(hourly_available_on(at(2026, 11, 29, 23, 59, 59)), expected);
        assert_eq!(
            hourly_available_on(at(2026, 11, 30, 0, 0, 0)),
            at(2026, 12, 16, 0, 0, 0)
        );
        assert_eq!(
            hourly_available_on(now()).date_naive() - billing_week_end(now()).date_naive(),
            Duration::days(10)
        );
    }

    #[test]
    fn manual_payment_is_available_five_days_after_processing() {
        assert_eq!(
            manual_payment_available_on(now()),
            at(2026, 11, 28, 10, 0, 0)
        );
        assert_eq!(
            manual_payment_available_on(at(2026, 12, 29, 23, 0, 0)),
            at(2027, 1, 3, 23, 0, 0)
        );
    }

    #[test]
    fn balances_sum_transactions_by_status_and_escrow_from_contracts() {
        let transactions = [
            tx("t1", dollars(1_000), PaymentStatus::Available, None),
            tx("t2", dollars(-250), PaymentStatus::Available, None),
            tx(
                "t3",
                dollars(300),
                PaymentStatus::InReview,
                Some(at(2026, 12, 2, 0, 0, 0)),
            ),
            tx(
                "t4",
                dollars(120),
                PaymentStatus::InReview,
                Some(at(2026, 12, 9, 0, 0, 0)),
            ),
            tx(
                "t5",
                dollars(150),
                PaymentStatus::Pending,
                Some(at(2026, 11, 27, 0, 0, 0)),
            ),
            tx("t6", dollars(-420), PaymentStatus::Unpaid, None),
        ];
        let mut fixed = contract("c-fixed", ContractKind::FixedPrice, ContractStatus::Active);
        fixed.milestones = vec![
            milestone("Design", dollars(500), MilestoneStatus::InEscrow),
            milestone("Build", dollars(800), MilestoneStatus::Paid),
            milestone("Launch", dollars(250), MilestoneStatus::InEscrow),
            milestone("Later", dollars(999), MilestoneStatus::Pending),
        ];
        let mut other = contract("c-other", ContractKind::FixedPrice, ContractStatus::Paused);
        other.milestones = vec![milestone("Only", dollars(40), MilestoneStatus::InEscrow)];

        let b = Balances::from_transactions(&transactions, &[fixed, other]);
        assert_eq!(
            b,
            Balances {
                available: dollars(750),
                in_review: dollars(420),
                pending: dollars(150),
                escrow: dollars(790),
                owed: dollars(420),
            }
        );
    }

    #[test]
    fn negative_available_balance_becomes_owed() {
        let transactions = [
            tx("t1", dollars(100), PaymentStatus::Available, None),
            tx(
                "t2",
                Money::from_cents(-18_050),
                PaymentStatus::Available,
                None,
            ),
            tx("t3", dollars(-20), PaymentStatus::Unpaid, None),
        ];
        let b = Balances::from_transactions(&transactions, &[]);
        assert_eq!(b.available, Money::ZERO);
        assert_eq!(b.owed, Money::from_cents(10_050));
        assert_eq!(b.in_review, Money::ZERO);
        assert_eq!(b.pending, Money::ZERO);
        assert_eq!(b.escrow, Money::ZERO);
    }

    #[test]
    fn no_transactions_means_zero_balances() {
        let b = Balances::from_transactions(&[], &[]);
        assert_eq!(b, Balances::default());
    }

    #[test]
    fn freelancer_items_severity_and_resolution() {
        let mut work = empty_work(AccountKind::Freelancer);
        let hourly = contract("c-hourly", ContractKind::Hourly, ContractStatus::Active);
        let mut fixed = contract("c-fixed", ContractKind::FixedPrice, ContractStatus::Paused);
        fixed.milestones = vec![
            milestone("Design", dollars(500), MilestoneStatus::InEscrow),
            milestone("Build", dollars(200), MilestoneStatus::Paid),
            milestone("Launch", dollars(250), MilestoneStatus::InEscrow),
        ];
        work.open_contracts = vec![hourly, fixed];
        work.open_proposals = vec![proposal("p-1")];
        work.pending_offers = vec![offer("o-1")];
        work.open_disputes = vec![dispute("d-1")];
        work.unsettled = vec![
            tx(
                "t-rev",
                dollars(300),
                PaymentStatus::InReview,
                Some(at(2026, 12, 2, 0, 0, 0)),
            ),
            tx(
                "t-pend",
                dollars(150),
                PaymentStatus::Pending,
                Some(at(2026, 11, 27, 0, 0, 0)),
            ),
        ];
        work.balances = Balances {
            available: dollars(1_000),
            in_review: dollars(300),
            pending: dollars(150),
            escrow: dollars(750),
            owed: Money::ZERO,
        };

        let a = assess(&DEMO, &work, now());
        let mut expected = vec![
            (
                "contract:c-hourly".to_string(),
                ItemKind::ActiveContract,
                Severity::Blocker,
                Some(Resolution::EndContract {
                    contract_id: "c-hourly".into(),
                }),
            ),
            (
                "contract:c-fixed".to_string(),
                ItemKind::PausedContract,
                Severity::Blocker,
                Some(Resolution::EndContract {
                    contract_id: "c-fixed".into(),
                }),
            ),
            (
                "escrow:c-fixed".to_string(),
                ItemKind::EscrowMilestone,
                Severity::Blocker,
                Some(Resolution::ReleaseEscrow {
                    contract_id: "c-fixed".into(),
                }),
            ),
            (
                "proposal:p-1".to_string(),
                ItemKind::OpenProposal,
                Severity::Blocker,
                Some(Resolution::WithdrawProposal {
                    proposal_id: "p-1".into(),
                }),
            ),
            (
                "offer:o-1".to_string(),
                ItemKind::PendingOffer,
                Severity::Blocker,
                Some(Resolution::AnswerOffer {
                    offer_id: "o-1".into(),
                }),
            ),
            (
                "dispute:d-1".to_string(),
                ItemKind::OpenDispute,
                Severity::Blocker,
                Some(Resolution::SettleDispute {
                    dispute_id: "d-1".into(),
                }),
            ),
            (
                "money:in-review".to_string(),
                ItemKind::EarningsInReview,
                Severity::Blocker,
                Some(Resolution::WaitForRelease),
            ),
            (
                "money:pending".to_string(),
                ItemKind::PendingEarnings,
                Severity::Blocker,
                Some(Resolution::WaitForRelease),
            ),
            (
                "money:available".to_string(),
                ItemKind::AvailableBalance,
                Severity::Blocker,
                Some(Resolution::WithdrawBalance),
            ),
        ];
        expected.extend(data_loss(true));
        assert_eq!(shape(&a), expected);
        assert_eq!(a.blocker_count(), 9);
        assert_eq!(a.advisories().count(), 3);
        assert_eq!(a.account, summary(AccountKind::Freelancer));
        assert_eq!(a.checked_at, now());
        assert_eq!(a.balances, work.balances);
        assert!(!a.already_closed);

        let c = item(&a, "contract:c-hourly");
        assert_eq!(c.title, "Active hourly contract: Contract c-hourly");
        assert_eq!(
            c.how_to_resolve,
            "Tell the client, then end the contract on My Jobs › All Contracts and leave feedback."
        );
        assert!(
            c.why.contains("hours of the current week are still billed"),
            "{}",
            c.why
        );
        assert_eq!(
            item(&a, "contract:c-fixed").title,
            "Paused fixed-price contract: Contract c-fixed"
        );

        let escrow = item(&a, "escrow:c-fixed");
        assert_eq!(escrow.amount, Some(dollars(750)));
        assert_eq!(escrow.title, "$750.00 in escrow on \"Contract c-fixed\"");

        let o = item(&a, "offer:o-1");
        assert_eq!(o.title, "Offer waiting for your answer: Offer o-1");
        assert_eq!(
            o.how_to_resolve,
            "Decline the offer from Chen Wu on Find Work › My Proposals › Offers."
        );
        assert_eq!(
            item(&a, "proposal:p-1").how_to_resolve,
            "Withdraw it on Find Work › My Proposals."
        );
        assert_eq!(item(&a, "proposal:p-1").amount, Some(dollars(900)));

        let review = item(&a, "money:in-review");
        assert_eq!(review.amount, Some(dollars(300)));
        assert_eq!(review.clears_on, Some(at(2026, 12, 2, 0, 0, 0)));
        assert_eq!(
            review.how_to_resolve,
            "Wait until 2 Dec 2026, then withdraw on Reports › Overview and Settings › Get Paid."
        );
        let pending = item(&a, "money:pending");
        assert_eq!(pending.amount, Some(dollars(150)));
        assert_eq!(pending.clears_on, Some(at(2026, 11, 27, 0, 0, 0)));
        let available = item(&a, "money:available");
        assert_eq!(available.amount, Some(dollars(1_000)));
        assert_eq!(available.clears_on, None);
        assert_eq!(available.title, "$1,000.00 available to withdraw");

        // The hourly contract's week is the latest release of them all.
        assert_eq!(a.earliest_close, at(2026, 12, 9, 0, 0, 0));
    }

    #[test]
    fn client_items_severity_and_resolution() {
        let mut work = empty_work(AccountKind::Client);
        work.open_contracts = vec![contract(
            "c-9",
            ContractKind::FixedPrice,
            ContractStatus::Active,
        )];
        work.pending_offers = vec![offer("o-2")];
        work.open_job_posts = vec![job_post("j-1")];
        work.team = vec![member("m-1")];
        work.unsettled = vec![tx("inv-1", dollars(-420), PaymentStatus::Unpaid, None)];
        work.balances = Balances {
            owed: dollars(420),
            ..Balances::default()
        };

        let a = assess(&DEMO, &work, now());
        let mut expected = vec![
            (
                "contract:c-9".to_string(),
                ItemKind::ActiveContract,
                Severity::Blocker,
                Some(Resolution::EndContract {
                    contract_id: "c-9".into(),
                }),
            ),
            (
                "offer:o-2".to_string(),
                ItemKind::PendingOffer,
                Severity::Blocker,
                Some(Resolution::AnswerOffer {
                    offer_id: "o-2".into(),
                }),
            ),
            (
                "job-post:j-1".to_string(),
                ItemKind::OpenJobPost,
                Severity::Blocker,
                Some(Resolution::CloseJobPost {
                    job_post_id: "j-1".into(),
                }),
            ),
            (
                "member:m-1".to_string(),
                ItemKind::TeamMember,
                Severity::Blocker,
                Some(Resolution::RemoveTeamMember {
                    member_id: "m-1".into(),
                }),
            ),
            (
                "money:owed".to_string(),
                ItemKind::NegativeBalance,
                Severity::Blocker,
                Some(Resolution::PayBalance),
            ),
        ];
        // A client has no clients to hand off.
        expected.extend(data_loss(false));
        assert_eq!(shape(&a), expected);
        assert_eq!(a.blocker_count(), 5);

        assert_eq!(
            item(&a, "contract:c-9").how_to_resolve,
            "Tell the freelancer, then end the contract on Hires › Contracts and leave feedback."
        );
        let o = item(&a, "offer:o-2");
        assert_eq!(o.title, "Offer sent, not answered: Offer o-2");
        assert_eq!(
            o.how_to_resolve,
            "Withdraw the offer to Chen Wu on Hires › Offers."
        );
        assert_eq!(
            item(&a, "job-post:j-1").how_to_resolve,
            "Close the job post on Jobs › My Jobs › Close job."
        );
        assert_eq!(
            item(&a, "member:m-1").title,
            "Team member: Dana Kim (Admin)"
        );
        let owed = item(&a, "money:owed");
        assert_eq!(owed.amount, Some(dollars(420)));
        assert_eq!(owed.title, "$420.00 owed to the platform");
        assert_eq!(
            owed.why,
            "Unpaid invoices must be paid before a client account can close."
        );
        assert_eq!(
            owed.how_to_resolve,
            "Pay the balance on Settings › Billing & Payments."
        );
        // Nothing here waits for money to be released.
        assert_eq!(a.earliest_close, now());
    }

    #[test]
    fn agency_items_severity_and_resolution() {
        let mut work = empty_work(AccountKind::Agency);
        let mut c = contract("c-a", ContractKind::Hourly, ContractStatus::Active);
        c.assignee = Some("Dana Kim".into());
        work.open_contracts = vec![c];
        work.open_proposals = vec![proposal("p-a")];
        work.team = vec![member("m-a")];
        work.balances = Balances {
            owed: dollars(35),
            ..Balances::default()
        };

        let a = assess(&DEMO, &work, now());
        let mut expected = vec![
            (
                "contract:c-a".to_string(),
                ItemKind::ActiveContract,
                Severity::Blocker,
                Some(Resolution::EndContract {
                    contract_id: "c-a".into(),
                }),
            ),
            (
                "proposal:p-a".to_string(),
                ItemKind::OpenProposal,
                Severity::Blocker,
                Some(Resolution::WithdrawProposal {
                    proposal_id: "p-a".into(),
                }),
            ),
            (
                "member:m-a".to_string(),
                ItemKind::TeamMember,
                Severity::Blocker,
                Some(Resolution::RemoveTeamMember {
                    member_id: "m-a".into(),
                }),
            ),
            (
                "money:owed".to_string(),
                ItemKind::NegativeBalance,
                Severity::Blocker,
                Some(Resolution::PayBalance),
            ),
        ];
        expected.extend(data_loss(true));
        assert_eq!(shape(&a), expected);

        assert_eq!(
            item(&a, "contract:c-a").how_to_resolve,
            "Tell the client, then end the contract on Agency Dashboard › Contracts and leave feedback."
        );
        assert_eq!(
            item(&a, "proposal:p-a").how_to_resolve,
            "Withdraw it on Find Work › My Proposals (agency)."
        );
        assert_eq!(
            item(&a, "member:m-a").how_to_resolve,
            "Remove Dana Kim on Agency Profile › Members; tell them first, they lose access."
        );
        let owed = item(&a, "money:owed");
        assert_eq!(
            owed.why,
            "A negative balance (refunds or fees) must be paid back before closing."
        );
        assert_eq!(
            owed.how_to_resolve,
            "Pay the balance on Reports › Agency Financials › Get Paid."
        );
        assert_eq!(a.earliest_close, at(2026, 12, 9, 0, 0, 0));
    }

    #[test]
    fn nothing_pending_closes_now_with_only_advisories() {
        let a = assess(&DEMO, &empty_work(AccountKind::Freelancer), now());
        assert_eq!(shape(&a), data_loss(true));
        assert_eq!(a.blocker_count(), 0);
        assert_eq!(a.earliest_close, now());
    }

    #[test]
    fn already_closed_is_reported() {
        let mut work = empty_work(AccountKind::Client);
        work.closed = true;
        assert!(assess(&DEMO, &work, now()).already_closed);
    }

    #[test]
    fn earliest_close_for_active_hourly_contract_is_wednesday_ten_days_after_this_week() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.open_contracts = vec![contract(
            "c-1",
            ContractKind::Hourly,
            ContractStatus::Active,
        )];
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, at(2026, 12, 9, 0, 0, 0));
        assert_eq!(a.earliest_close.weekday(), Weekday::Wed);
        // On the Sunday the week is the same, so is the date.
        let sunday = at(2026, 11, 29, 22, 0, 0);
        assert_eq!(
            assess(&DEMO, &work, sunday).earliest_close,
            at(2026, 12, 9, 0, 0, 0)
        );
        // The next Monday starts a new week: a week later.
        let monday = at(2026, 11, 30, 9, 0, 0);
        assert_eq!(
            assess(&DEMO, &work, monday).earliest_close,
            at(2026, 12, 16, 0, 0, 0)
        );
    }

    #[test]
    fn fixed_price_contract_without_escrow_does_not_delay_closing() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.open_contracts = vec![contract(
            "c-1",
            ContractKind::FixedPrice,
            ContractStatus::Active,
        )];
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, now());
        assert_eq!(a.blocker_count(), 1);
    }

    #[test]
    fn escrow_delays_closing_by_the_manual_payment_hold() {
        let mut work = empty_work(AccountKind::Freelancer);
        let mut c = contract("c-1", ContractKind::FixedPrice, ContractStatus::Active);
        c.milestones = vec![milestone("M1", dollars(400), MilestoneStatus::InEscrow)];
        work.open_contracts = vec![c];
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, at(2026, 11, 28, 10, 0, 0));
        assert_eq!(a.blocker_count(), 2);
    }

    #[test]
    fn earliest_close_for_pending_money_is_its_available_on() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.unsettled = vec![
            tx(
                "t1",
                dollars(100),
                PaymentStatus::Pending,
                Some(at(2026, 11, 26, 15, 0, 0)),
            ),
            tx(
                "t2",
                dollars(50),
                PaymentStatus::Pending,
                Some(at(2026, 11, 30, 15, 0, 0)),
            ),
        ];
        work.balances.pending = dollars(150);
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, at(2026, 11, 30, 15, 0, 0));
        let pending = item(&a, "money:pending");
        assert_eq!(pending.clears_on, Some(at(2026, 11, 30, 15, 0, 0)));
        assert_eq!(pending.title, "$150.00 of payments pending");
        assert!(pending.why.contains("Mon 30 Nov 2026"), "{}", pending.why);
    }

    #[test]
    fn pending_money_without_a_date_waits_five_days() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.unsettled = vec![tx("t1", dollars(100), PaymentStatus::Pending, None)];
        work.balances.pending = dollars(100);
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, at(2026, 11, 28, 10, 0, 0));
        assert_eq!(
            item(&a, "money:pending").clears_on,
            Some(at(2026, 11, 28, 10, 0, 0))
        );
    }

    #[test]
    fn money_in_review_without_a_date_waits_for_the_hourly_cycle() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.balances.in_review = dollars(80);
        let a = assess(&DEMO, &work, now());
        assert_eq!(a.earliest_close, at(2026, 12, 9, 0, 0, 0));
        assert_eq!(
            item(&a, "money:in-review").clears_on,
            Some(at(2026, 12, 9, 0, 0, 0))
        );
    }

    #[test]
    fn money_released_in_the_past_does_not_move_earliest_close_back() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.unsettled = vec![tx(
            "t1",
            dollars(10),
            PaymentStatus::Pending,
            Some(at(2026, 11, 20, 0, 0, 0)),
        )];
        work.balances.pending = dollars(10);
        assert_eq!(assess(&DEMO, &work, now()).earliest_close, now());
    }

    #[test]
    fn latest_release_wins_over_the_hourly_cycle() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.open_contracts = vec![contract(
            "c-1",
            ContractKind::Hourly,
            ContractStatus::Active,
        )];
        work.unsettled = vec![tx(
            "t1",
            dollars(70),
            PaymentStatus::InReview,
            Some(at(2026, 12, 10, 0, 0, 0)),
        )];
        work.balances.in_review = dollars(70);
        assert_eq!(
            assess(&DEMO, &work, now()).earliest_close,
            at(2026, 12, 10, 0, 0, 0)
        );
    }

    #[test]
    fn zero_balances_raise_no_money_items() {
        let mut work = empty_work(AccountKind::Freelancer);
        work.balances.owed = dollars(-5);
        let a = assess(&DEMO, &work, now());
        assert!(
            a.items.iter().all(|i| !i.id.starts_with("money:")),
            "{:?}",
            shape(&a)
        );
    }
}
