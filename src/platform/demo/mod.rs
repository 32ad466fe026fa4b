//! The embedded demo platform: three realistic accounts (a freelancer, a
//! client company, an agency) that work offline and on which every action
//! works, so the whole wizard can be tried without touching a real account.
//!
//! The data lives in `assets/demo/*.json` (made by `assets/demo/generate.py`)
//! and is compiled in. Its "today" (`as_of`, a Monday) is moved by whole
//! weeks into the user's current week, so money in review is always about to
//! be released and billing weeks keep their weekdays. What the user resolves
//! or closes is kept as a log of [`AccountChange`]s that the saved state
//! replays on the next launch.

pub mod profile;

use super::{Platform, PlatformError, RecordStream, SectionCounts};
use crate::model::account::{
    AccountKind, AccountSummary, Contract, ContractStatus, Dispute, DisputeStatus, Feedback,
    JobPost, JobPostStatus, Message, MessageRoom, Milestone, MilestoneStatus, Offer, OfferStatus,
    PaymentStatus, PlatformId, Profile, Proposal, ProposalStatus, Review, TeamMember, Transaction,
    TransactionKind,
};
use crate::model::closure_check::ClosureCheck;
use crate::model::money::Money;
use crate::model::review::{
    AccountChange, Balances, ChangeKind, ClosureOutcome, PendingWork, Resolution, assess,
    manual_payment_available_on,
};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The embedded accounts, in the order `accounts()` lists them.
const SOURCES: [(&str, &str); 3] = [
    (
        "freelancer",
        include_str!("../../../assets/demo/freelancer.json"),
    ),
    ("client", include_str!("../../../assets/demo/client.json")),
    ("agency", include_str!("../../../assets/demo/agency.json")),
];

/// The service fee the demo charges freelancers and agencies on earnings.
const SERVICE_FEE_PERCENT: i64 = 10;

/// One demo account as stored in `assets/demo/<id>.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    /// The data's "today": every other date is relative to it.
    pub as_of: DateTime<Utc>,
    pub profile: Profile,
    pub contracts: Vec<Contract>,
    pub proposals: Vec<Proposal>,
    pub offers: Vec<Offer>,
    pub job_posts: Vec<JobPost>,
    pub team: Vec<TeamMember>,
    /// Chronological; `balance_after` is the running total of the available rows.
    pub transactions: Vec<Transaction>,
    pub feedback: Vec<Feedback>,
    pub disputes: Vec<Dispute>,
    pub rooms: Vec<MessageRoom>,
}

#[derive(Clone, Debug, PartialEq)]
struct AccountState {
    data: DemoAccount,
    closed: Option<ClosureOutcome>,
}

/// The demo platform. Every action works; nothing leaves the machine.
#[derive(Clone, Debug)]
pub struct DemoPlatform {
    /// The embedded data after rebasing, for `reset`.
    base: Vec<AccountState>,
    accounts: Vec<AccountState>,
    changes: Vec<AccountChange>,
}

impl DemoPlatform {
    /// `today` rebases the data: every date in the data is shifted by a whole
    /// number of weeks so `as_of` lands in the week of `today` (weekdays are
    /// preserved, so billing weeks stay right), and money whose release date
    /// has passed by `today` is available, as it would be on the platform.
    /// Then `changes` (from the saved state, in order) are replayed; one that
    /// no longer applies is skipped with a warning rather than failing the load.
    pub fn new(
        today: DateTime<Utc>,
        changes: &[AccountChange],
    ) -> Result<DemoPlatform, PlatformError> {
        let mut base = Vec::with_capacity(SOURCES.len());
        for (id, json) in SOURCES {
            let mut data: DemoAccount = serde_json::from_str(json)
                .map_err(|e| PlatformError::Malformed(format!("demo account \"{id}\": {e}")))?;
            if data.profile.account.id != id {
                return Err(PlatformError::Malformed(format!(
                    "demo account \"{id}\" is labelled \"{}\"",
                    data.profile.account.id
                )));
            }
            data.shift(rebase_offset(data.as_of, today));
            release_due(&mut data.transactions, today);
            base.push(AccountState { data, closed: None });
        }
        let mut platform = DemoPlatform {
            accounts: base.clone(),
            base,
            changes: Vec::new(),
        };
        for change in changes {
            if let Err(e) = platform.apply(change.clone()) {
                log::warn!(
                    "skipping a saved demo change to \"{}\" from {} that no longer applies: {e}",
                    change.account,
                    change.at
                );
            }
        }
        Ok(platform)
    }

    /// Forget all changes: back to the embedded data (today's rebasing kept).
    pub fn reset(&mut self) {
        self.accounts = self.base.clone();
        self.changes.clear();
    }

    /// The changes applied so far, in order: the replayed ones that still
    /// applied, then new ones. Replaying them into a fresh [`DemoPlatform::new`]
    /// with the same `today` gives the same state.
    pub fn changes(&self) -> &[AccountChange] {
        &self.changes
    }

    /// The data's "today" after rebasing: the Monday of today's week.
    pub fn as_of(&self) -> Option<DateTime<Utc>> {
        self.base.first().map(|s| s.data.as_of)
    }

    fn state(&self, account: &str) -> Result<&AccountState, PlatformError> {
        self.accounts
            .iter()
            .find(|s| s.data.profile.account.id == account)
            .ok_or_else(|| PlatformError::UnknownAccount(account.to_string()))
    }

    /// The data of an account that is still open.
    fn open(&self, account: &str) -> Result<&DemoAccount, PlatformError> {
        let state = self.state(account)?;
        if state.closed.is_some() {
            return Err(PlatformError::AccountClosed);
        }
        Ok(&state.data)
    }

    fn open_mut(&mut self, account: &str) -> Result<&mut DemoAccount, PlatformError> {
        let state = self
            .accounts
            .iter_mut()
            .find(|s| s.data.profile.account.id == account)
            .ok_or_else(|| PlatformError::UnknownAccount(account.to_string()))?;
        if state.closed.is_some() {
            return Err(PlatformError::AccountClosed);
        }
        Ok(&mut state.data)
    }

    /// Carry out one change and, if it worked, log it.
    fn apply(&mut self, change: AccountChange) -> Result<(), PlatformError> {
        match &change.change {
            ChangeKind::Resolved { resolution } => {
                let data = self.open_mut(&change.account)?;
                apply_resolution(data, resolution, change.at)?;
            }
            ChangeKind::Closed { outcome } => {
                self.check_can_close(&change.account, change.at)?;
                if let Some(state) = self
                    .accounts
                    .iter_mut()
                    .find(|s| s.data.profile.account.id == change.account)
                {
                    state.closed = Some(outcome.clone());
                }
            }
        }
        self.changes.push(change);
        Ok(())
    }

    /// Refuses, as the platform's close button does, while blockers remain.
    fn check_can_close(&self, account: &str, now: DateTime<Utc>) -> Result<(), PlatformError> {
        self.open(account)?;
        let assessment = assess(&profile::DEMO, &self.pending_work(account)?, now);
        let count = assessment.blocker_count();
        if let Some(first) = assessment.blockers().next() {
            let noun = if count == 1 { "blocker" } else { "blockers" };
            return Err(PlatformError::Refused(format!(
                "the account cannot close while {count} {noun} remain; the first is: {}",
                first.title
            )));
        }
        Ok(())
    }
}

impl Platform for DemoPlatform {
    fn id(&self) -> PlatformId {
        profile::DEMO.id.clone()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        Ok(self
            .accounts
            .iter()
            .map(|s| s.data.profile.account.clone())
            .collect())
    }

    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        let state = self.state(account)?;
        let d = &state.data;
        let open_contracts: Vec<Contract> = d
            .contracts
            .iter()
            .filter(|c| c.is_open())
            .cloned()
            .collect();
        let balances = Balances::from_transactions(&d.transactions, &open_contracts);
        Ok(PendingWork {
            account: d.profile.account.clone(),
            closed: state.closed.is_some(),
            open_proposals: d
                .proposals
                .iter()
                .filter(|p| p.status == ProposalStatus::Submitted)
                .cloned()
                .collect(),
            pending_offers: d
                .offers
                .iter()
                .filter(|o| o.status == OfferStatus::Pending)
                .cloned()
                .collect(),
            open_job_posts: d
                .job_posts
                .iter()
                .filter(|j| j.status == JobPostStatus::Open)
                .cloned()
                .collect(),
            team: d.team.clone(),
            open_disputes: d
                .disputes
                .iter()
                .filter(|x| x.status == DisputeStatus::Open)
                .cloned()
                .collect(),
            unsettled: d
                .transactions
                .iter()
                .filter(|t| t.status != PaymentStatus::Available)
                .cloned()
                .collect(),
            open_contracts,
            balances,
            answers: Default::default(),
        })
    }

    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        Ok(self.open(account)?.profile.clone())
    }

    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        let d = self.open(account)?;
        Ok(SectionCounts {
            contracts: count(d.contracts.len()),
            proposals: count(d.proposals.len()),
            offers: count(d.offers.len()),
            job_posts: count(d.job_posts.len()),
            team: count(d.team.len()),
            transactions: count(d.transactions.len()),
            feedback: count(d.feedback.len()),
            disputes: count(d.disputes.len()),
            rooms: count(d.rooms.len()),
            messages: count(d.rooms.iter().map(|r| r.messages.len()).sum()),
        })
    }

    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        Ok(stream(&self.open(account)?.contracts))
    }

    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        Ok(stream(&self.open(account)?.proposals))
    }

    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        Ok(stream(&self.open(account)?.offers))
    }

    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        Ok(stream(&self.open(account)?.job_posts))
    }

    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        Ok(stream(&self.open(account)?.team))
    }

    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        Ok(stream(&self.open(account)?.transactions))
    }

    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        Ok(stream(&self.open(account)?.feedback))
    }

    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        Ok(stream(&self.open(account)?.disputes))
    }

    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        Ok(stream(&self.open(account)?.rooms))
    }

    fn can_act(&self) -> bool {
        true
    }

    fn resolve(
        &mut self,
        account: &str,
        resolution: &Resolution,
        now: DateTime<Utc>,
    ) -> Result<(), PlatformError> {
        self.apply(AccountChange {
            account: account.to_string(),
            at: now,
            change: ChangeKind::Resolved {
                resolution: resolution.clone(),
            },
        })
    }

    fn close_account(
        &mut self,
        account: &str,
        now: DateTime<Utc>,
    ) -> Result<ClosureOutcome, PlatformError> {
        let kind = self.open(account)?.profile.account.kind;
        let outcome = ClosureOutcome {
            closed_at: now,
            reference: closure_reference(account, now),
            // Freelancers reactivate by logging in; accounts with a client
            // side (and agencies) go through support.
            reactivate_until: match kind {
                AccountKind::Freelancer => now.checked_add_months(Months::new(60)),
                AccountKind::Client | AccountKind::Agency => None,
            },
            evidence: None,
            check: Some(ClosureCheck::ClosedByPlatform),
        };
        self.apply(AccountChange {
            account: account.to_string(),
            at: now,
            change: ChangeKind::Closed {
                outcome: outcome.clone(),
            },
        })?;
        Ok(outcome)
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn stream<T: Clone + Send + Sync>(items: &[T]) -> RecordStream<'_, T> {
    Box::new(items.iter().cloned().map(Ok))
}

/// `DEMO-` and eight hex digits, the same for the same account and moment.
fn closure_reference(account: &str, now: DateTime<Utc>) -> String {
    let digest = Sha256::digest(format!("{account}|{}", now.to_rfc3339()).as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02X}")).collect();
    format!("DEMO-{hex}")
}

fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Whole weeks that move `as_of` into the week of `today`.
fn rebase_offset(as_of: DateTime<Utc>, today: DateTime<Utc>) -> Duration {
    let days = (week_start(today.date_naive()) - week_start(as_of.date_naive())).num_days();
    Duration::weeks(days.div_euclid(7))
}

/// Money in review or pending whose release date has come is available.
fn release_due(transactions: &mut [Transaction], today: DateTime<Utc>) {
    let mut released = false;
    for t in transactions.iter_mut() {
        let waiting = matches!(t.status, PaymentStatus::InReview | PaymentStatus::Pending);
        if waiting && t.available_on.is_some_and(|on| on <= today) {
            t.status = PaymentStatus::Available;
            t.available_on = None;
            released = true;
        }
    }
    if released {
        recompute_balances(transactions);
    }
}

fn refused(message: String) -> PlatformError {
    PlatformError::Refused(message)
}

/// Carry out one resolution on an open account's data.
fn apply_resolution(
    d: &mut DemoAccount,
    resolution: &Resolution,
    now: DateTime<Utc>,
) -> Result<(), PlatformError> {
    let kind = d.profile.account.kind;
    match resolution {
        Resolution::EndContract { contract_id } => {
            let c = find_contract(d, contract_id)?;
            if !c.is_open() {
                return Err(refused(format!("contract {contract_id} has already ended")));
            }
            let escrow = c.escrow();
            if escrow.is_positive() {
                return Err(refused(format!(
                    "{escrow} is still in escrow on contract {contract_id}: release or refund the \
                     escrow first"
                )));
            }
            c.status = ContractStatus::Ended;
            c.ended = Some(now);
        }
        Resolution::WithdrawProposal { proposal_id } => {
            let p = d
                .proposals
                .iter_mut()
                .find(|p| &p.id == proposal_id)
                .ok_or_else(|| refused(format!("no proposal {proposal_id} on this account")))?;
            if p.status != ProposalStatus::Submitted {
                return Err(refused(format!(
                    "proposal {proposal_id} is no longer waiting for the client"
                )));
            }
            p.status = ProposalStatus::Withdrawn;
        }
        Resolution::AnswerOffer { offer_id } => {
            let o = d
                .offers
                .iter_mut()
                .find(|o| &o.id == offer_id)
                .ok_or_else(|| refused(format!("no offer {offer_id} on this account")))?;
            if o.status != OfferStatus::Pending {
                return Err(refused(format!(
                    "offer {offer_id} has already been answered"
                )));
            }
            // A client withdraws the offer it sent; others decline what they got.
            o.status = if kind == AccountKind::Client {
                OfferStatus::Withdrawn
            } else {
                OfferStatus::Declined
            };
        }
        Resolution::CloseJobPost { job_post_id } => {
            let j = d
                .job_posts
                .iter_mut()
                .find(|j| &j.id == job_post_id)
                .ok_or_else(|| refused(format!("no job post {job_post_id} on this account")))?;
            if j.status != JobPostStatus::Open {
                return Err(refused(format!("job post {job_post_id} is already closed")));
            }
            j.status = JobPostStatus::Closed;
        }
        Resolution::RemoveTeamMember { member_id } => {
            let at = d
                .team
                .iter()
                .position(|m| &m.id == member_id)
                .ok_or_else(|| refused(format!("no team member {member_id} on this account")))?;
            d.team.remove(at);
        }
        Resolution::ReleaseEscrow { contract_id } => {
            let c = find_contract(d, contract_id)?;
            let escrow = c.escrow();
            if !escrow.is_positive() {
                return Err(refused(format!(
                    "no funded milestone is in escrow on contract {contract_id}"
                )));
            }
            let titles: Vec<String> = c
                .milestones
                .iter()
                .filter(|m| m.status == MilestoneStatus::InEscrow)
                .map(|m| m.title.clone())
                .collect();
            for m in &mut c.milestones {
                if m.status == MilestoneStatus::InEscrow {
                    m.status = MilestoneStatus::Paid;
                }
            }
            c.total_billed += escrow;
            let counterparty = c.counterparty.clone();
            // A client paid when it funded the milestone; the freelancer or
            // agency receives it now, held for the manual-payment period.
            if kind != AccountKind::Client {
                let available_on = Some(manual_payment_available_on(now));
                let fee = Money::from_cents(-(escrow.cents * SERVICE_FEE_PERCENT + 50) / 100);
                push_transaction(
                    d,
                    now,
                    TransactionKind::FixedPrice,
                    format!("Milestone released: {}", titles.join(", ")),
                    Some(counterparty.clone()),
                    Some(contract_id.clone()),
                    escrow,
                    PaymentStatus::Pending,
                    available_on,
                );
                push_transaction(
                    d,
                    now,
                    TransactionKind::ServiceFee,
                    format!("Service fee ({SERVICE_FEE_PERCENT}%) for the released milestone"),
                    Some(counterparty),
                    Some(contract_id.clone()),
                    fee,
                    PaymentStatus::Pending,
                    available_on,
                );
            }
        }
        Resolution::SettleDispute { dispute_id } => {
            let x = d
                .disputes
                .iter_mut()
                .find(|x| &x.id == dispute_id)
                .ok_or_else(|| refused(format!("no dispute {dispute_id} on this account")))?;
            if x.status != DisputeStatus::Open {
                return Err(refused(format!("dispute {dispute_id} is already settled")));
            }
            x.status = DisputeStatus::Resolved;
        }
        Resolution::WaitForRelease => {
            let mut released = false;
            for t in &mut d.transactions {
                if matches!(t.status, PaymentStatus::InReview | PaymentStatus::Pending) {
                    t.status = PaymentStatus::Available;
                    t.available_on = None;
                    released = true;
                }
            }
            if !released {
                return Err(refused("no money is waiting to be released".into()));
            }
            recompute_balances(&mut d.transactions);
        }
        Resolution::WithdrawBalance => {
            let available = balances(d).available;
            if !available.is_positive() {
                return Err(refused("there is no available balance to withdraw".into()));
            }
            push_transaction(
                d,
                now,
                TransactionKind::Withdrawal,
                "Withdrawal of the full available balance".into(),
                None,
                None,
                -available,
                PaymentStatus::Available,
                None,
            );
        }
        Resolution::PayBalance => {
            if !balances(d).owed.is_positive() {
                return Err(refused("nothing is owed on this account".into()));
            }
            for t in &mut d.transactions {
                if t.status == PaymentStatus::Unpaid {
                    t.status = PaymentStatus::Available;
                    t.available_on = None;
                }
            }
            recompute_balances(&mut d.transactions);
            let total: Money = available_total(&d.transactions);
            if total.is_negative() {
                push_transaction(
                    d,
                    now,
                    TransactionKind::Payment,
                    "Payment of the outstanding balance".into(),
                    None,
                    None,
                    -total,
                    PaymentStatus::Available,
                    None,
                );
            }
        }
    }
    Ok(())
}

fn find_contract<'a>(d: &'a mut DemoAccount, id: &str) -> Result<&'a mut Contract, PlatformError> {
    d.contracts
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| refused(format!("no contract {id} on this account")))
}

fn balances(d: &DemoAccount) -> Balances {
    let open: Vec<Contract> = d
        .contracts
        .iter()
        .filter(|c| c.is_open())
        .cloned()
        .collect();
    Balances::from_transactions(&d.transactions, &open)
}

fn available_total(transactions: &[Transaction]) -> Money {
    transactions
        .iter()
        .filter(|t| t.status == PaymentStatus::Available)
        .map(|t| t.amount)
        .sum()
}

/// `balance_after` is the running total of the available rows, in order.
fn recompute_balances(transactions: &mut [Transaction]) {
    let mut running = Money::ZERO;
    for t in transactions {
        if t.status == PaymentStatus::Available {
            running += t.amount;
        }
        t.balance_after = running;
    }
}

/// Append a row made from Offboard, with an id that replays the same.
#[allow(clippy::too_many_arguments)]
fn push_transaction(
    d: &mut DemoAccount,
    date: DateTime<Utc>,
    kind: TransactionKind,
    description: String,
    counterparty: Option<String>,
    contract_id: Option<String>,
    amount: Money,
    status: PaymentStatus,
    available_on: Option<DateTime<Utc>>,
) {
    let prefix = format!("t-{}-", d.profile.account.id);
    let n = d
        .transactions
        .iter()
        .filter(|t| t.id.starts_with(&prefix))
        .count()
        + 1;
    let balance_before = d
        .transactions
        .last()
        .map_or(Money::ZERO, |t| t.balance_after);
    let balance_after = if status == PaymentStatus::Available {
        balance_before + amount
    } else {
        balance_before
    };
    d.transactions.push(Transaction {
        id: format!("{prefix}{n:04}"),
        date,
        kind,
        description,
        counterparty,
        contract_id,
        amount,
        balance_after,
        status,
        available_on,
    });
}

/// Moves every date of a record by the same amount.
trait ShiftDates {
    fn shift(&mut self, by: Duration);
}

impl ShiftDates for DateTime<Utc> {
    fn shift(&mut self, by: Duration) {
        // Out of chrono's range only for absurd `today`s; keep the date then.
        if let Some(moved) = self.checked_add_signed(by) {
            *self = moved;
        }
    }
}

impl<T: ShiftDates> ShiftDates for Option<T> {
    fn shift(&mut self, by: Duration) {
        if let Some(inner) = self {
            inner.shift(by);
        }
    }
}

impl<T: ShiftDates> ShiftDates for Vec<T> {
    fn shift(&mut self, by: Duration) {
        for item in self {
            item.shift(by);
        }
    }
}

/// `ShiftDates` for a struct: shift the listed fields.
macro_rules! shift_fields {
    ($($ty:ty => $($field:ident),+;)+) => {
        $(
            impl ShiftDates for $ty {
                fn shift(&mut self, by: Duration) {
                    $(self.$field.shift(by);)+
                }
            }
        )+
    };
}

shift_fields! {
    DemoAccount => as_of, profile, contracts, proposals, offers, job_posts, team, transactions,
        feedback, disputes, rooms;
    Profile => account;
    AccountSummary => member_since;
    Contract => started, ended, milestones;
    Milestone => due;
    Proposal => submitted;
    Offer => sent;
    JobPost => posted;
    TeamMember => joined;
    Transaction => date, available_on;
    Feedback => received, given;
    Review => date;
    Dispute => opened;
    MessageRoom => messages;
    Message => sent;
}

/// Opens the demo (registry entry), replaying the user's changes.
pub fn open(
    _profile: &'static crate::model::profile::PlatformProfile,
    context: &super::registry::OpenContext<'_>,
) -> Result<Box<dyn Platform>, PlatformError> {
    Ok(Box::new(DemoPlatform::new(context.now, context.changes)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::ContractKind;
    use crate::model::review::Severity;
    use chrono::{TimeZone, Weekday};

    const IDS: [&str; 3] = ["freelancer", "client", "agency"];

    /// A Wednesday afternoon fifteen weeks after the data's own today.
    fn today() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 10, 15, 30, 0).unwrap()
    }

    fn platform() -> DemoPlatform {
        DemoPlatform::new(today(), &[]).unwrap()
    }

    /// The platform on the Monday of that week, when the data is as stored.
    fn on_monday() -> DemoPlatform {
        DemoPlatform::new(Utc.with_ymd_and_hms(2027, 3, 8, 8, 0, 0).unwrap(), &[]).unwrap()
    }

    fn raw(id: &str) -> DemoAccount {
        let json = SOURCES.iter().find(|(i, _)| *i == id).unwrap().1;
        serde_json::from_str(json).unwrap()
    }

    fn count_of<T>(stream: RecordStream<'_, T>) -> usize {
        stream.map(Result::unwrap).count()
    }

    #[test]
    fn lists_the_three_accounts_in_order() {
        let p = platform();
        assert_eq!(p.id(), profile::DEMO.id.clone());
        assert!(p.can_act());
        let accounts = p.accounts().unwrap();
        let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, IDS);
        let kinds: Vec<AccountKind> = accounts.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, AccountKind::ALL);
        assert_eq!(accounts[0].username, "maya_okafor");
        assert_eq!(accounts[1].username, "northwind_labs");
        assert_eq!(accounts[2].username, "brightpath_studio");
        assert!(matches!(
            p.pending_work("nobody"),
            Err(PlatformError::UnknownAccount(_))
        ));
    }

    #[test]
    fn freelancer_data_has_the_promised_shape() {
        let p = on_monday();
        let w = p.pending_work("freelancer").unwrap();
        let active_hourly = w
            .open_contracts
            .iter()
            .filter(|c| c.status == ContractStatus::Active && c.kind == ContractKind::Hourly)
            .count();
        let active_fixed: Vec<&Contract> = w
            .open_contracts
            .iter()
            .filter(|c| c.status == ContractStatus::Active && c.kind == ContractKind::FixedPrice)
            .collect();
        let paused_hourly = w
            .open_contracts
            .iter()
            .filter(|c| c.status == ContractStatus::Paused && c.kind == ContractKind::Hourly)
            .count();
        assert_eq!(active_hourly, 2);
        assert_eq!(active_fixed.len(), 1);
        assert!(active_fixed[0].escrow().is_positive());
        assert_eq!(paused_hourly, 1);
        assert_eq!(w.open_contracts.len(), 4);
        assert_eq!(w.open_proposals.len(), 3);
        assert_eq!(w.pending_offers.len(), 1);
        assert!(w.team.is_empty());
        assert!(w.open_disputes.is_empty());
        assert!(w.balances.available.is_positive());
        assert!(w.balances.in_review.is_positive());
        assert!(w.balances.pending.is_positive());
        assert!(w.balances.owed.is_zero());
        assert!(
            w.unsettled
                .iter()
                .all(|t| t.status != PaymentStatus::Unpaid)
        );

        let counts = p.counts("freelancer").unwrap();
        assert!((55..=65).contains(&counts.contracts), "{counts:?}");
        assert!((140..=160).contains(&counts.proposals), "{counts:?}");
        assert!(counts.transactions >= 1100, "{counts:?}");
        assert!((35..=45).contains(&counts.rooms), "{counts:?}");
        let total: usize = p
            .rooms("freelancer")
            .unwrap()
            .map(|r| r.unwrap().messages.len())
            .sum();
        assert_eq!(counts.messages, count(total));
        assert_eq!(
            count_of(p.transactions("freelancer").unwrap()),
            usize::try_from(counts.transactions).unwrap()
        );
        for room in p.rooms("freelancer").unwrap() {
            let room = room.unwrap();
            assert!((5..=60).contains(&room.messages.len()), "{}", room.id);
        }
    }

    #[test]
    fn money_in_review_is_released_on_the_right_wednesday() {
        let p = on_monday();
        let w = p.pending_work("freelancer").unwrap();
        let as_of = p.as_of().unwrap();
        for t in &w.unsettled {
            let on = t.available_on.unwrap();
            assert!(on > as_of, "{}", t.id);
            if t.status == PaymentStatus::InReview {
                assert_eq!(on.weekday(), Weekday::Wed, "{}", t.id);
                assert_eq!(on.time(), chrono::NaiveTime::MIN, "{}", t.id);
            } else {
                assert_eq!(t.status, PaymentStatus::Pending);
                assert_eq!(on - t.date, Duration::days(5), "{}", t.id);
                assert_eq!(
                    t.date.date_naive(),
                    as_of.date_naive() - Duration::days(2),
                    "processed two days before as_of"
                );
            }
        }
    }

    #[test]
    fn money_due_by_today_is_already_released() {
        let monday = Utc.with_ymd_and_hms(2027, 3, 8, 9, 0, 0).unwrap();
        let wednesday = Utc.with_ymd_and_hms(2027, 3, 10, 0, 0, 0).unwrap();
        let friday = Utc.with_ymd_and_hms(2027, 3, 12, 12, 0, 0).unwrap();
        let work = |today| {
            DemoPlatform::new(today, &[])
                .unwrap()
                .pending_work("freelancer")
                .unwrap()
        };
        let (mon, wed, fri) = (work(monday), work(wednesday), work(friday));
        // Monday: two weeks of hours in review and the milestone pending.
        let total =
            |w: &PendingWork| w.balances.available + w.balances.in_review + w.balances.pending;
        assert_eq!(total(&mon), total(&wed));
        assert_eq!(total(&mon), total(&fri));
        assert!(wed.balances.in_review < mon.balances.in_review);
        assert!(wed.balances.available > mon.balances.available);
        assert_eq!(wed.balances.pending, mon.balances.pending);
        assert!(fri.balances.pending.is_zero());
        assert!(fri.balances.in_review.is_positive());
        for w in [&mon, &wed, &fri] {
            assert!(w.unsettled.iter().all(|t| t.available_on.is_some()));
        }
        assert!(
            wed.unsettled
                .iter()
                .all(|t| t.available_on > Some(wednesday))
        );
        assert!(fri.unsettled.iter().all(|t| t.available_on > Some(friday)));
    }

    #[test]
    fn client_and_agency_data_have_the_promised_shape() {
        let p = on_monday();
        let c = p.pending_work("client").unwrap();
        assert_eq!(c.open_contracts.len(), 2);
        assert_eq!(
            c.open_contracts
                .iter()
                .filter(|x| x.escrow().is_positive())
                .count(),
            1
        );
        assert_eq!(c.open_job_posts.len(), 3);
        assert_eq!(c.team.len(), 2);
        assert_eq!(c.pending_offers.len(), 1);
        assert_eq!(c.open_disputes.len(), 1);
        let unpaid: Vec<&Transaction> = c
            .unsettled
            .iter()
            .filter(|t| t.status == PaymentStatus::Unpaid)
            .collect();
        assert_eq!(unpaid.len(), 2);
        assert!(
            (60_000..=68_000).contains(&c.balances.owed.cents),
            "{:?}",
            c.balances
        );
        assert!(c.balances.available.is_zero());
        let counts = p.counts("client").unwrap();
        assert!((13..=17).contains(&counts.contracts));
        assert!((10..=14).contains(&counts.rooms));

        let a = p.pending_work("agency").unwrap();
        assert_eq!(a.open_contracts.len(), 2);
        assert_eq!(a.team.len(), 4);
        assert_eq!(a.open_proposals.len(), 2);
        assert!(
            (300_000..=340_000).contains(&a.balances.available.cents),
            "{:?}",
            a.balances
        );
        assert!(a.balances.in_review.is_positive());
        for contract in p.contracts("agency").unwrap() {
            assert!(contract.unwrap().assignee.is_some());
        }
        let counts = p.counts("agency").unwrap();
        assert!((22..=28).contains(&counts.contracts));
        assert!((36..=44).contains(&counts.proposals));
        assert!((13..=17).contains(&counts.rooms));
    }

    #[test]
    fn ids_are_unique_across_the_data() {
        let mut seen = std::collections::HashSet::new();
        for id in IDS {
            let d = raw(id);
            let ids = d
                .contracts
                .iter()
                .map(|x| &x.id)
                .chain(d.proposals.iter().map(|x| &x.id))
                .chain(d.offers.iter().map(|x| &x.id))
                .chain(d.job_posts.iter().map(|x| &x.id))
                .chain(d.team.iter().map(|x| &x.id))
                .chain(d.transactions.iter().map(|x| &x.id))
                .chain(d.disputes.iter().map(|x| &x.id))
                .chain(d.rooms.iter().map(|x| &x.id))
                .chain(
                    d.rooms
                        .iter()
                        .flat_map(|r| r.messages.iter().map(|m| &m.id)),
                );
            for i in ids {
                assert!(seen.insert(i.clone()), "duplicate id {i}");
            }
        }
    }

    #[test]
    fn rebasing_moves_by_whole_weeks_into_the_current_week() {
        let p = platform();
        for id in IDS {
            let before = raw(id);
            let after = &p.state(id).unwrap().data;
            assert_eq!(
                after.as_of,
                Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap()
            );
            assert_eq!(after.as_of.weekday(), Weekday::Mon);
            let by = after.as_of - before.as_of;
            assert_eq!(by.num_days() % 7, 0);
            for (a, b) in before.transactions.iter().zip(&after.transactions) {
                assert_eq!(a.date.weekday(), b.date.weekday());
                assert_eq!(b.date - a.date, by);
                if b.status != PaymentStatus::Available {
                    assert_eq!(a.available_on.map(|t| t + by), b.available_on);
                }
            }
            for (a, b) in before.rooms.iter().zip(&after.rooms) {
                for (m, n) in a.messages.iter().zip(&b.messages) {
                    assert_eq!(n.sent - m.sent, by);
                }
            }
            assert_eq!(
                after.profile.account.member_since - before.profile.account.member_since,
                by
            );
        }
        // Any day of the data's own week leaves the dates alone.
        let same =
            DemoPlatform::new(Utc.with_ymd_and_hms(2026, 11, 29, 23, 0, 0).unwrap(), &[]).unwrap();
        assert_eq!(same.state("client").unwrap().data, raw("client"));
        // An earlier today moves the data back.
        let earlier =
            DemoPlatform::new(Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(), &[]).unwrap();
        assert_eq!(
            earlier.as_of().unwrap(),
            Utc.with_ymd_and_hms(2025, 12, 29, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn raw_running_balance_is_the_sum_of_available_rows() {
        for id in IDS {
            let d = raw(id);
            let mut running = Money::ZERO;
            let mut last = None;
            for t in &d.transactions {
                if t.status == PaymentStatus::Available {
                    running += t.amount;
                    assert!(t.available_on.is_none(), "{}", t.id);
                } else {
                    assert!(
                        t.amount.is_negative() || t.available_on.is_some(),
                        "{}",
                        t.id
                    );
                }
                assert_eq!(t.balance_after, running, "{id} {}", t.id);
                assert!(last <= Some(t.date), "{id}: {} is out of order", t.id);
                last = Some(t.date);
                assert!(t.date <= d.as_of, "{}", t.id);
            }
        }
    }

    #[test]
    fn open_work_only_has_what_can_be_open() {
        for id in IDS {
            let d = raw(id);
            for c in &d.contracts {
                if c.status == ContractStatus::Ended {
                    assert!(c.escrow().is_zero(), "{} ended with escrow", c.id);
                    assert!(c.ended.is_some(), "{}", c.id);
                } else {
                    assert!(c.ended.is_none(), "{}", c.id);
                }
                if c.kind == ContractKind::Hourly {
                    assert!(
                        c.hourly_rate.is_some() && c.hours_billed.is_some(),
                        "{}",
                        c.id
                    );
                }
            }
            assert!(
                d.rooms
                    .iter()
                    .all(|r| r.messages.iter().all(|m| m.sent <= d.as_of))
            );
        }
    }

    /// Applies every blocker's resolution until none remain.
    fn resolve_everything(p: &mut DemoPlatform, account: &str, now: DateTime<Utc>) {
        for _ in 0..50 {
            let assessment = assess(&profile::DEMO, &p.pending_work(account).unwrap(), now);
            let resolutions: Vec<Resolution> = assessment
                .blockers()
                .map(|b| {
                    b.resolution
                        .clone()
                        .expect("every demo blocker has a resolution")
                })
                .collect();
            if resolutions.is_empty() {
                return;
            }
            let mut progressed = false;
            for r in &resolutions {
                match p.resolve(account, r, now) {
                    Ok(()) => progressed = true,
                    // e.g. ending a contract before its escrow is released
                    Err(PlatformError::Refused(_)) => {}
                    Err(e) => panic!("{account}: {r:?} failed: {e}"),
                }
            }
            assert!(progressed, "{account}: stuck on {resolutions:?}");
        }
        panic!("{account}: blockers remain after 50 rounds");
    }

    #[test]
    fn every_blocker_resolves_and_the_account_closes() {
        let mut p = platform();
        let now = today();
        for id in IDS {
            let before = assess(&profile::DEMO, &p.pending_work(id).unwrap(), now);
            assert!(before.blocker_count() > 0, "{id} starts with blockers");
            resolve_everything(&mut p, id, now);
            let w = p.pending_work(id).unwrap();
            assert!(w.open_contracts.is_empty());
            assert!(w.unsettled.is_empty(), "{id}: {:?}", w.unsettled);
            assert_eq!(w.balances, Balances::default(), "{id}");
            let last = p
                .state(id)
                .unwrap()
                .data
                .transactions
                .last()
                .unwrap()
                .clone();
            assert_eq!(last.balance_after, Money::ZERO, "{id}");

            let outcome = p.close_account(id, now).unwrap();
            assert_eq!(outcome.closed_at, now);
            assert!(outcome.reference.starts_with("DEMO-"));
            assert_eq!(outcome.reference.len(), 13);
            assert!(
                outcome.reference[5..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            );
            assert_eq!(outcome.reference, closure_reference(id, now));
            assert_eq!(outcome.reactivate_until.is_some(), id == "freelancer");
            let closed = p.pending_work(id).unwrap();
            assert!(closed.closed);
            assert!(matches!(p.profile(id), Err(PlatformError::AccountClosed)));
            assert!(matches!(p.rooms(id), Err(PlatformError::AccountClosed)));
            assert!(matches!(
                p.resolve(id, &Resolution::WithdrawBalance, now),
                Err(PlatformError::AccountClosed)
            ));
            assert!(matches!(
                p.close_account(id, now),
                Err(PlatformError::AccountClosed)
            ));
        }
        assert_eq!(p.accounts().unwrap().len(), 3);
        assert_ne!(
            closure_reference("client", now),
            closure_reference("agency", now)
        );
    }

    #[test]
    fn closing_is_refused_while_blockers_remain() {
        let mut p = platform();
        let err = p.close_account("freelancer", today()).unwrap_err();
        let PlatformError::Refused(message) = err else {
            panic!("expected a refusal, got {err:?}");
        };
        let blockers = assess(
            &profile::DEMO,
            &p.pending_work("freelancer").unwrap(),
            today(),
        )
        .blocker_count();
        assert!(
            message.contains(&format!("{blockers} blockers")),
            "{message}"
        );
        assert!(message.contains("Active"), "{message}");
        assert!(p.changes().is_empty());
        assert!(!p.pending_work("freelancer").unwrap().closed);
    }

    #[test]
    fn resolutions_change_what_they_say() {
        let mut p = platform();
        let now = today();
        let refuse = |r: Result<(), PlatformError>, needle: &str| match r {
            Err(PlatformError::Refused(m)) => assert!(m.contains(needle), "{m}"),
            other => panic!("expected a refusal mentioning {needle}, got {other:?}"),
        };
        refuse(
            p.resolve(
                "freelancer",
                &Resolution::EndContract {
                    contract_id: "c-9".into(),
                },
                now,
            ),
            "no contract c-9 on this account",
        );
        let w = p.pending_work("freelancer").unwrap();
        let escrowed = w
            .open_contracts
            .iter()
            .find(|c| c.escrow().is_positive())
            .unwrap()
            .clone();
        refuse(
            p.resolve(
                "freelancer",
                &Resolution::EndContract {
                    contract_id: escrowed.id.clone(),
                },
                now,
            ),
            "release or refund the escrow first",
        );
        let pending_before = w.balances.pending;
        let release = Resolution::ReleaseEscrow {
            contract_id: escrowed.id.clone(),
        };
        p.resolve("freelancer", &release, now).unwrap();
        let w = p.pending_work("freelancer").unwrap();
        let escrow = escrowed.escrow();
        let fee = Money::from_cents(escrow.cents / 10);
        assert_eq!(w.balances.pending, pending_before + escrow - fee);
        assert!(w.balances.escrow.is_zero());
        let released = w
            .unsettled
            .iter()
            .find(|t| t.kind == TransactionKind::FixedPrice && t.date == now)
            .unwrap();
        assert_eq!(released.available_on, Some(now + Duration::days(5)));
        refuse(
            p.resolve("freelancer", &release, now),
            "no funded milestone",
        );
        p.resolve(
            "freelancer",
            &Resolution::EndContract {
                contract_id: escrowed.id.clone(),
            },
            now,
        )
        .unwrap();
        let ended = p
            .contracts("freelancer")
            .unwrap()
            .map(Result::unwrap)
            .find(|c| c.id == escrowed.id)
            .unwrap();
        assert_eq!(ended.status, ContractStatus::Ended);
        assert_eq!(ended.ended, Some(now));

        // Offers: the freelancer declines, the client withdraws.
        let offer = w.pending_offers[0].id.clone();
        p.resolve(
            "freelancer",
            &Resolution::AnswerOffer {
                offer_id: offer.clone(),
            },
            now,
        )
        .unwrap();
        let status = |p: &DemoPlatform, account: &str, id: &str| {
            p.offers(account)
                .unwrap()
                .map(Result::unwrap)
                .find(|o| o.id == id)
                .unwrap()
                .status
        };
        assert_eq!(status(&p, "freelancer", &offer), OfferStatus::Declined);
        let sent = p.pending_work("client").unwrap().pending_offers[0]
            .id
            .clone();
        p.resolve(
            "client",
            &Resolution::AnswerOffer {
                offer_id: sent.clone(),
            },
            now,
        )
        .unwrap();
        assert_eq!(status(&p, "client", &sent), OfferStatus::Withdrawn);

        // Nothing to withdraw after withdrawing; the client owes until it pays.
        refuse(
            p.resolve("client", &Resolution::WithdrawBalance, now),
            "no available balance",
        );
        p.resolve("client", &Resolution::PayBalance, now).unwrap();
        let c = p.pending_work("client").unwrap();
        assert!(c.balances.owed.is_zero());
        assert!(c.balances.available.is_zero());
        refuse(
            p.resolve("client", &Resolution::PayBalance, now),
            "nothing is owed",
        );
        let member = c.team[0].id.clone();
        p.resolve(
            "client",
            &Resolution::RemoveTeamMember {
                member_id: member.clone(),
            },
            now,
        )
        .unwrap();
        refuse(
            p.resolve(
                "client",
                &Resolution::RemoveTeamMember { member_id: member },
                now,
            ),
            "no team member",
        );
        assert_eq!(p.changes().len(), 6);
    }

    #[test]
    fn replaying_the_changes_gives_the_same_state() {
        let mut p = platform();
        let now = today();
        for id in IDS {
            resolve_everything(&mut p, id, now);
        }
        p.close_account("client", now + Duration::hours(1)).unwrap();
        let changes = p.changes().to_vec();
        assert!(changes.len() > 10);

        let replayed = DemoPlatform::new(today(), &changes).unwrap();
        assert_eq!(replayed.changes(), p.changes());
        for id in IDS {
            assert_eq!(
                replayed.pending_work(id).unwrap(),
                p.pending_work(id).unwrap(),
                "{id}"
            );
        }
        assert!(replayed.pending_work("client").unwrap().closed);
        assert_eq!(
            replayed.state("client").unwrap().closed,
            p.state("client").unwrap().closed
        );
        // A later week rebases the data but the changes still apply.
        let later = DemoPlatform::new(today() + Duration::weeks(3), &changes).unwrap();
        assert_eq!(later.changes().len(), changes.len());
    }

    #[test]
    fn changes_that_no_longer_apply_are_skipped() {
        let now = today();
        let changes = vec![
            AccountChange {
                account: "freelancer".into(),
                at: now,
                change: ChangeKind::Resolved {
                    resolution: Resolution::WithdrawProposal {
                        proposal_id: "p-0".into(),
                    },
                },
            },
            AccountChange {
                account: "ghost".into(),
                at: now,
                change: ChangeKind::Resolved {
                    resolution: Resolution::WaitForRelease,
                },
            },
            AccountChange {
                account: "agency".into(),
                at: now,
                change: ChangeKind::Closed {
                    outcome: ClosureOutcome {
                        closed_at: now,
                        reference: "DEMO-00000000".into(),
                        reactivate_until: None,
                        evidence: None,
                        check: None,
                    },
                },
            },
            AccountChange {
                account: "agency".into(),
                at: now,
                change: ChangeKind::Resolved {
                    resolution: Resolution::WaitForRelease,
                },
            },
        ];
        let p = DemoPlatform::new(now, &changes).unwrap();
        assert_eq!(p.changes(), &changes[3..]);
        assert!(!p.pending_work("agency").unwrap().closed);
        assert!(
            p.pending_work("agency")
                .unwrap()
                .balances
                .in_review
                .is_zero()
        );
    }

    #[test]
    fn reset_forgets_the_changes() {
        let mut p = platform();
        let fresh = platform();
        p.resolve("freelancer", &Resolution::WaitForRelease, today())
            .unwrap();
        p.resolve("agency", &Resolution::WithdrawBalance, today())
            .unwrap();
        assert_ne!(
            p.pending_work("freelancer").unwrap(),
            fresh.pending_work("freelancer").unwrap()
        );
        p.reset();
        assert!(p.changes().is_empty());
        for id in IDS {
            assert_eq!(p.pending_work(id).unwrap(), fresh.pending_work(id).unwrap());
        }
    }

    #[test]
    fn wait_for_release_settles_everything_and_keeps_balances_consistent() {
        let mut p = platform();
        let before = p.pending_work("freelancer").unwrap().balances;
        p.resolve("freelancer", &Resolution::WaitForRelease, today())
            .unwrap();
        let after = p.pending_work("freelancer").unwrap();
        assert_eq!(
            after.balances.available,
            before.available + before.in_review + before.pending
        );
        assert!(after.unsettled.is_empty());
        let d = &p.state("freelancer").unwrap().data;
        assert_eq!(
            d.transactions.last().unwrap().balance_after,
            after.balances.available
        );
        let blockers: Vec<Severity> = assess(&profile::DEMO, &after, today())
            .blockers()
            .map(|b| b.severity)
            .collect();
        assert!(!blockers.is_empty());
    }
}
