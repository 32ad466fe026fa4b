//! A seeded synthetic account of any size, for export tests and the
//! benchmark. Every record is computed from the seed and its index when the
//! stream reaches it, so a million transactions never sit in memory.
//! Optionally its text is hostile: formula cells, markup, path traversal,
//! control characters and reserved names, as a malicious counterparty
//! could type them.

use super::{Platform, PlatformError, RecordStream};
use crate::model::account::{
    AccountKind, AccountSummary, Contract, ContractKind, ContractStatus, Dispute, DisputeStatus,
    Feedback, JobPost, JobPostStatus, Message, MessageRoom, Milestone, MilestoneStatus, Offer,
    OfferStatus, PaymentStatus, PlatformId, Profile, Proposal, ProposalStatus, Review,
    SectionCounts, TeamMember, Transaction, TransactionKind,
};
use crate::model::money::Money;
use crate::model::review::PendingWork;
use chrono::{DateTime, Duration, Utc};

/// How many records of each kind the synthetic account holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntheticSize {
    pub contracts: u64,
    pub proposals: u64,
    pub offers: u64,
    pub job_posts: u64,
    pub team: u64,
    pub feedback: u64,
    pub transactions: u64,
    pub disputes: u64,
    pub rooms: u64,
    /// Spread evenly over the rooms.
    pub messages: u64,
}

impl SyntheticSize {
    /// A few of everything: quick tests.
    pub fn small() -> Self {
        SyntheticSize {
            contracts: 12,
            proposals: 8,
            offers: 4,
            job_posts: 3,
            team: 2,
            feedback: 6,
            transactions: 400,
            disputes: 1,
            rooms: 24,
            messages: 160,
        }
    }

    /// Large enough that each section takes a moment: kill-and-resume tests.
    pub fn large() -> Self {
        SyntheticSize {
            contracts: 2_000,
            proposals: 1_000,
            offers: 200,
            job_posts: 40,
            team: 10,
            feedback: 1_000,
            transactions: 200_000,
            disputes: 5,
            rooms: 400,
            messages: 20_000,
        }
    }

    /// The benchmark's account: 1M transactions, 100k messages in 2k rooms,
    /// 10k contracts.
    pub fn benchmark() -> Self {
        SyntheticSize {
            contracts: 10_000,
            proposals: 5_000,
            offers: 1_000,
            job_posts: 200,
            team: 20,
            feedback: 5_000,
            transactions: 1_000_000,
            disputes: 20,
            rooms: 2_000,
            messages: 100_000,
        }
    }

    /// `small`, `large` or `benchmark`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "small" => Some(Self::small()),
            "large" => Some(Self::large()),
            "benchmark" => Some(Self::benchmark()),
            _ => None,
        }
    }

    /// Every count divided by `divisor` (a count that was not zero stays at
    /// least one).
    pub fn divided_by(self, divisor: u64) -> Self {
        let divide = |n: u64| {
            if n == 0 {
                0
            } else {
                (n / divisor.max(1)).max(1)
            }
        };
        SyntheticSize {
            contracts: divide(self.contracts),
            proposals: divide(self.proposals),
            offers: divide(self.offers),
            job_posts: divide(self.job_posts),
            team: divide(self.team),
            feedback: divide(self.feedback),
            transactions: divide(self.transactions),
            disputes: divide(self.disputes),
            rooms: divide(self.rooms),
            messages: divide(self.messages),
        }
    }
}

/// Text a hostile counterparty could type, in every field that takes text.
const HOSTILE: [&str; 22] = [
    "=HYPERLINK(\"http://example.invalid/x\",\"Click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rCarriage",
    "<script>alert('x')</script>",
    "</td></tr></table><img src=x onerror=alert(1)>",
    "\"quoted\", with comma",
    "line one\nline two",
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "CON",
    "nul.txt",
    "a/b\\c:d*e?f\"g<h>i|j",
    "invoice\u{202E}fdp.exe",
    "\u{1b}[31mred\u{1b}[0m \u{7}",
    "   ",
    "",
    "Project",
    "project",
    "Ünïcødé 🎉 ok",
];

const CLIENTS: [&str; 8] = [
    "Acme Analytics",
    "Borealis Labs",
    "Cobalt Studio",
    "Dunmore Legal",
    "Evergreen Foods",
    "Fjord Robotics",
    "Granite Health",
    "Harbor & Finch",
];
const WORK: [&str; 8] = [
    "Website redesign",
    "Data pipeline",
    "Mobile app",
    "Brand identity",
    "API integration",
    "Market research",
    "Copywriting",
    "Dashboard build",
];
const WORDS: [&str; 16] = [
    "thanks",
    "the",
    "draft",
    "is",
    "ready",
    "for",
    "review",
    "please",
    "check",
    "invoice",
    "milestone",
    "tomorrow",
    "meeting",
    "updated",
    "files",
    "attached",
];

/// A deterministic account generated on the fly.
#[derive(Clone, Debug)]
pub struct SyntheticPlatform {
    seed: u64,
    size: SyntheticSize,
    today: DateTime<Utc>,
    hostile: bool,
}

/// SplitMix64: a good, tiny, seedable mixer; each record is `mix(seed, kind, index)`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A small random source for one record.
struct Dice(u64);

impl Dice {
    fn new(seed: u64, kind: u64, index: u64) -> Self {
        Dice(mix(
            seed ^ mix(kind.wrapping_mul(0x1000_0000_01B3) ^ mix(index))
        ))
    }

    fn next(&mut self) -> u64 {
        self.0 = mix(self.0);
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const KIND_CONTRACT: u64 = 1;
const KIND_TRANSACTION: u64 = 2;
const KIND_ROOM: u64 = 3;
const KIND_PROPOSAL: u64 = 4;
const KIND_OFFER: u64 = 5;
const KIND_FEEDBACK: u64 = 6;
const KIND_MESSAGE: u64 = 7;
const KIND_OTHER: u64 = 8;

impl SyntheticPlatform {
    /// The one account: a freelancer.
    pub const ACCOUNT: &'static str = "synthetic";

    pub fn new(seed: u64, size: SyntheticSize, today: DateTime<Utc>) -> Self {
        SyntheticPlatform {
            seed,
            size,
            today,
            hostile: false,
        }
    }

    /// Fills text fields with hostile strings now and then (every room topic
    /// cycles through them).
    pub fn with_hostile_text(mut self) -> Self {
        self.hostile = true;
        self
    }

    pub fn size(&self) -> SyntheticSize {
        self.size
    }

    fn check(&self, account: &str) -> Result<(), PlatformError> {
        if account == Self::ACCOUNT {
            Ok(())
        } else {
            Err(PlatformError::UnknownAccount(account.to_string()))
        }
    }

    /// The account's history spans eight years before `today`.
    fn history_start(&self) -> DateTime<Utc> {
        self.today - Duration::days(8 * 365)
    }

    /// The moment of the `index`-th of `count` evenly spread events.
    fn spread(&self, index: u64, count: u64) -> DateTime<Utc> {
        let span = (self.today - self.history_start()).num_seconds().max(1) as u64;
        let offset = if count == 0 {
            0
        } else {
            (index as u128 * span as u128 / count as u128) as u64
        };
        self.history_start() + Duration::seconds(offset as i64)
    }

    /// Ordinary text, or now and then (in hostile mode) a hostile string.
    fn text(&self, dice: &mut Dice, ordinary: String) -> String {
        if self.hostile && dice.below(3) == 0 {
            dice.pick(&HOSTILE).to_string()
        } else {
            ordinary
        }
    }

    fn summary(&self) -> AccountSummary {
        AccountSummary {
            id: Self::ACCOUNT.to_string(),
            kind: AccountKind::Freelancer,
            username: "synthetic.freelancer".to_string(),
            display_name: if self.hostile {
                "<b>Synthetic</b> =Freelancer".to_string()
            } else {
                "Synthetic Freelancer".to_string()
            },
            email: "synthetic@example.invalid".to_string(),
            member_since: self.history_start(),
        }
    }

    fn contract_is_hourly(&self, index: u64) -> bool {
        !Dice::new(self.seed, KIND_CONTRACT, index)
            .next()
            .is_multiple_of(3)
    }

    fn contract_rate_cents(&self, index: u64) -> i64 {
        let mut dice = Dice::new(self.seed, KIND_CONTRACT, index);
        dice.next();
        2_500 + dice.below(26) as i64 * 500
    }

    fn contract(&self, index: u64) -> Contract {
        let hourly = self.contract_is_hourly(index);
        let rate = self.contract_rate_cents(index);
        let mut dice = Dice::new(self.seed, KIND_CONTRACT, index);
        dice.next();
        dice.next();
        let started = self.spread(index, self.size.contracts);
        let open = index + 3 >= self.size.contracts;
        let hours = if hourly {
            Some(dice.below(400) as f64 + 0.25 * dice.below(4) as f64)
        } else {
            None
        };
        let total = match hours {
            Some(h) => Money::from_cents((h * rate as f64) as i64),
            None => Money::from_dollars(200 + dice.below(5_000) as i64),
        };
        let client = dice.pick(&CLIENTS);
        let title = format!("{} #{index}", dice.pick(&WORK));
        let milestones = if hourly {
            Vec::new()
        } else {
            vec![Milestone {
                title: self.text(&mut dice, "Delivery".to_string()),
                amount: total,
                status: if open {
                    MilestoneStatus::InEscrow
                } else {
                    MilestoneStatus::Paid
                },
                due: Some(started + Duration::days(30)),
            }]
        };
        Contract {
            id: format!("c-{index}"),
            title: self.text(&mut dice, title),
            counterparty: self.text(&mut dice, format!("{client} buyer")),
            counterparty_company: Some(client.to_string()),
            kind: if hourly {
                ContractKind::Hourly
            } else {
                ContractKind::FixedPrice
            },
            status: if open {
                ContractStatus::Active
            } else {
                ContractStatus::Ended
            },
            started,
            ended: if open {
                None
            } else {
                Some(started + Duration::days(20 + dice.below(200) as i64))
            },
            hourly_rate: hourly.then_some(Money::from_cents(rate)),
            weekly_limit_hours: hourly.then_some(40),
            total_billed: total,
            hours_billed: hours,
            milestones,
            assignee: None,
        }
    }

    /// An hourly contract near `index` (most contracts are hourly).
    fn hourly_contract_near(&self, index: u64) -> Option<u64> {
        let count = self.size.contracts;
        (0..8)
            .map(|step| (index + step) % count.max(1))
            .find(|&candidate| count > 0 && self.contract_is_hourly(candidate))
    }

    fn message_count(&self, room: u64) -> u64 {
        let rooms = self.size.rooms.max(1);
        self.size.messages / rooms + u64::from(room < self.size.messages % rooms)
    }

    fn room(&self, index: u64) -> MessageRoom {
        let mut dice = Dice::new(self.seed, KIND_ROOM, index);
        let client = dice.pick(&CLIENTS);
        let topic = if self.hostile {
            // Every hostile name, and each one more than once: uniqueness.
            HOSTILE[(index as usize) % HOSTILE.len()].to_string()
        } else {
            format!("{} with {client} #{index}", dice.pick(&WORK))
        };
        let participants = vec![
            "Synthetic Freelancer".to_string(),
            format!("{client} buyer"),
        ];
        let count = self.message_count(index);
        let first = self.spread(index, self.size.rooms.max(1));
        let messages = (0..count)
            .map(|m| {
                let mut dice =
                    Dice::new(self.seed, KIND_MESSAGE, index.wrapping_mul(1_000_003) + m);
                let words = 6 + dice.below(30);
                let mut text = String::with_capacity(words as usize * 8);
                for w in 0..words {
                    if w > 0 {
                        text.push(' ');
                    }
                    text.push_str(dice.pick(&WORDS));
                }
                Message {
                    id: format!("m-{index}-{m}"),
                    sent: first + Duration::minutes(m as i64 * 37),
                    author: participants[(m % 2) as usize].clone(),
                    text: self.text(&mut dice, text),
                    attachments: if dice.below(10) == 0 {
                        vec![format!("file-{m}.pdf")]
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        MessageRoom {
            id: format!("room-{index}"),
            topic,
            contract_id: (self.size.contracts > 0)
                .then(|| format!("c-{}", index % self.size.contracts)),
            participants,
            messages,
        }
    }

    fn stream<T: 'static>(
        &self,
        account: &str,
        count: u64,
        make: impl Fn(&Self, u64) -> T + 'static,
    ) -> Result<RecordStream<'_, T>, PlatformError> {
        self.check(account)?;
        let platform = self.clone();
        Ok(Box::new((0..count).map(move |i| Ok(make(&platform, i)))))
    }
}

/// Transactions in date order with a running balance: the balance is the
/// only state, so the stream stays small.
struct TransactionStream {
    platform: SyntheticPlatform,
    next: u64,
    balance_cents: i64,
}

impl Iterator for TransactionStream {
    type Item = Result<Transaction, PlatformError>;

    fn next(&mut self) -> Option<Self::Item> {
        let count = self.platform.size.transactions;
        if self.next >= count {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let platform = &self.platform;
        let mut dice = Dice::new(platform.seed, KIND_TRANSACTION, index);
        let date = platform.spread(index, count);
        let roll = dice.below(100);
        let (kind, contract) = match roll {
            0..=49 => (
                TransactionKind::Hourly,
                platform.hourly_contract_near(dice.below(platform.size.contracts.max(1))),
            ),
            50..=64 => (
                TransactionKind::FixedPrice,
                Some(dice.below(platform.size.contracts.max(1))),
            ),
            65..=84 => (TransactionKind::ServiceFee, None),
            85..=92 => (TransactionKind::Withdrawal, None),
            93..=94 => (
                TransactionKind::Bonus,
                Some(dice.below(platform.size.contracts.max(1))),
            ),
            95..=97 => (TransactionKind::WithdrawalFee, None),
            98 => (TransactionKind::Refund, None),
            _ => (TransactionKind::ConnectsPurchase, None),
        };
        let contract = contract.filter(|_| platform.size.contracts > 0);
        let cents = match kind {
            TransactionKind::Hourly => {
                let quarter_hours = 1 + dice.below(160) as i64;
                let rate = contract.map_or(5_000, |c| platform.contract_rate_cents(c));
                quarter_hours * rate / 4
            }
            TransactionKind::FixedPrice => 10_000 + dice.below(200_000) as i64,
            TransactionKind::Bonus => 1_000 + dice.below(20_000) as i64,
            TransactionKind::ServiceFee => -(100 + dice.below(5_000) as i64),
            TransactionKind::Withdrawal => -(self.balance_cents.max(0) / 2),
            TransactionKind::WithdrawalFee => -200,
            TransactionKind::Refund => -(500 + dice.below(5_000) as i64),
            _ => -(dice.below(8) as i64 * 15 * 100),
        };
        self.balance_cents += cents;
        let recent = platform.today - date < Duration::days(14);
        let status = match (kind, recent) {
            (TransactionKind::Hourly, true) => PaymentStatus::InReview,
            (TransactionKind::FixedPrice | TransactionKind::Bonus, true) => PaymentStatus::Pending,
            _ => PaymentStatus::Available,
        };
        let client = dice.pick(&CLIENTS);
        // Built piece by piece rather than with format!: a million of them
        // are made per benchmark run, and the export is what is measured.
        let description = match kind {
            TransactionKind::Hourly => numbered("Invoice for ", (cents / 100) as u64, 0) + " hours",
            TransactionKind::Withdrawal => "Withdrawal to bank account ****1234".to_string(),
            TransactionKind::ServiceFee => "Service fee".to_string(),
            _ => kind.label().to_string() + " payment",
        };
        Some(Ok(Transaction {
            id: numbered("T", index, 9),
            date,
            kind,
            description: platform.text(&mut dice, description),
            counterparty: contract.map(|_| client.to_string()),
            contract_id: contract.map(|c| numbered("c-", c, 0)),
            amount: Money::from_cents(cents),
            balance_after: Money::from_cents(self.balance_cents),
            status,
            available_on: (status != PaymentStatus::Available).then(|| date + Duration::days(10)),
        }))
    }
}

impl Platform for SyntheticPlatform {
    fn id(&self) -> PlatformId {
        // The model has no id of its own for synthetic accounts yet.
        super::demo::profile::DEMO.id.clone()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        Ok(vec![self.summary()])
    }

    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        self.check(account)?;
        Ok(PendingWork::nothing_open(self.summary()))
    }

    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        self.check(account)?;
        let mut dice = Dice::new(self.seed, KIND_OTHER, 0);
        Ok(Profile {
            account: self.summary(),
            title: self.text(&mut dice, "Full-stack developer".to_string()),
            overview: self.text(
                &mut dice,
                "I build web things.\nTen years of it.".to_string(),
            ),
            location: "Lisbon, Portugal".to_string(),
            hourly_rate: Some(Money::from_dollars(85)),
            skills: vec![
                "Rust".to_string(),
                "SQL".to_string(),
                self.text(&mut dice, "Design".to_string()),
            ],
            profile_url: "https://example.invalid/freelancers/synthetic".to_string(),
            total_earnings: Money::from_dollars(123_456),
            job_success_score: Some(97),
        })
    }

    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        self.check(account)?;
        let size = self.size;
        Ok(SectionCounts {
            contracts: size.contracts,
            proposals: size.proposals,
            offers: size.offers,
            job_posts: size.job_posts,
            team: size.team,
            transactions: size.transactions,
            feedback: size.feedback,
            disputes: size.disputes,
            rooms: size.rooms,
            messages: if size.rooms == 0 { 0 } else { size.messages },
        })
    }

    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        self.stream(account, self.size.contracts, Self::contract)
    }

    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.stream(account, self.size.proposals, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_PROPOSAL, i);
            let work = dice.pick(&WORK);
            Proposal {
                id: format!("p-{i}"),
                job_title: p.text(&mut dice, format!("{work} needed")),
                client: dice.pick(&CLIENTS).to_string(),
                submitted: p.spread(i, p.size.proposals),
                status: match dice.below(5) {
                    0 => ProposalStatus::Submitted,
                    1 => ProposalStatus::Declined,
                    2 => ProposalStatus::Withdrawn,
                    3 => ProposalStatus::Hired,
                    _ => ProposalStatus::Archived,
                },
                bid: Money::from_dollars(20 + dice.below(3_000) as i64),
                bid_kind: if dice.below(2) == 0 {
                    ContractKind::Hourly
                } else {
                    ContractKind::FixedPrice
                },
                connects_spent: 2 + dice.below(16) as u32,
                cover_letter: p.text(&mut dice, format!("Hello! I have done {work} many times.")),
            }
        })
    }

    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.stream(account, self.size.offers, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_OFFER, i);
            Offer {
                id: format!("o-{i}"),
                title: p.text(
                    &mut dice,
                    dice_work(&mut Dice::new(p.seed, KIND_OFFER, i + 1)),
                ),
                counterparty: dice.pick(&CLIENTS).to_string(),
                sent: p.spread(i, p.size.offers),
                status: if dice.below(2) == 0 {
                    OfferStatus::Accepted
                } else {
                    OfferStatus::Expired
                },
                kind: ContractKind::FixedPrice,
                amount: Money::from_dollars(100 + dice.below(5_000) as i64),
            }
        })
    }

    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.stream(account, self.size.job_posts, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_OTHER, 1_000 + i);
            JobPost {
                id: format!("j-{i}"),
                title: p.text(
                    &mut dice,
                    format!(
                        "Looking for help: {}",
                        dice_work(&mut Dice::new(p.seed, KIND_OTHER, i))
                    ),
                ),
                posted: p.spread(i, p.size.job_posts),
                status: JobPostStatus::Closed,
                kind: ContractKind::Hourly,
                budget: Money::from_dollars(500),
                proposals_received: dice.below(50) as u32,
            }
        })
    }

    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.stream(account, self.size.team, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_OTHER, 2_000_000 + i);
            TeamMember {
                id: format!("u-{i}"),
                name: p.text(&mut dice, format!("Member {i}")),
                email: format!("member{i}@example.invalid"),
                role: "Member".to_string(),
                joined: p.spread(i, p.size.team),
            }
        })
    }

    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        self.check(account)?;
        Ok(Box::new(TransactionStream {
            platform: self.clone(),
            next: 0,
            balance_cents: 0,
        }))
    }

    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.stream(account, self.size.feedback, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_FEEDBACK, i);
            let date = p.spread(i, p.size.feedback);
            let contract = i % p.size.contracts.max(1);
            Feedback {
                contract_id: format!("c-{contract}"),
                contract_title: format!("{} #{contract}", dice.pick(&WORK)),
                counterparty: dice.pick(&CLIENTS).to_string(),
                received: Some(Review {
                    score: 3.0 + dice.below(5) as f32 * 0.5,
                    comment: p.text(&mut dice, "Great work, on time.".to_string()),
                    date,
                }),
                given: (dice.below(4) != 0).then(|| Review {
                    score: 5.0,
                    comment: "Clear brief, quick payment.".to_string(),
                    date,
                }),
            }
        })
    }

    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.stream(account, self.size.disputes, |p, i| {
            let mut dice = Dice::new(p.seed, KIND_OTHER, 3_000_000 + i);
            Dispute {
                id: format!("d-{i}"),
                contract_id: format!("c-{}", i % p.size.contracts.max(1)),
                title: p.text(&mut dice, "Hours disputed".to_string()),
                opened: p.spread(i, p.size.disputes),
                amount: Money::from_dollars(50 + dice.below(500) as i64),
                status: DisputeStatus::Resolved,
            }
        })
    }

    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.stream(account, self.size.rooms, Self::room)
    }
}

/// `prefix` then `number` with leading zeros to `width` digits.
fn numbered(prefix: &str, number: u64, width: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(number);
    let zeros = width.saturating_sub(digits.len());
    let mut text = String::with_capacity(prefix.len() + zeros + digits.len() + 8);
    text.push_str(prefix);
    text.extend(std::iter::repeat_n('0', zeros));
    text.push_str(digits);
    text
}

fn dice_work(dice: &mut Dice) -> String {
    dice.pick(&WORK).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn today() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn numbers_are_padded_like_format() {
        assert_eq!(numbered("T", 42, 9), format!("T{:09}", 42));
        assert_eq!(numbered("c-", 1234, 0), "c-1234");
        assert_eq!(numbered("T", 1_234_567_890, 9), "T1234567890");
    }

    #[test]
    fn streams_hold_the_counted_records() {
        let platform = SyntheticPlatform::new(7, SyntheticSize::small(), today());
        let account = SyntheticPlatform::ACCOUNT;
        let counts = platform.counts(account).unwrap();
        assert_eq!(
            platform.contracts(account).unwrap().count() as u64,
            counts.contracts
        );
        assert_eq!(
            platform.transactions(account).unwrap().count() as u64,
            counts.transactions
        );
        let rooms: Vec<MessageRoom> = platform
            .rooms(account)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rooms.len() as u64, counts.rooms);
        assert_eq!(
            rooms.iter().map(|r| r.messages.len() as u64).sum::<u64>(),
            counts.messages
        );
        assert!(platform.profile("someone-else").is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_account() {
        let a = SyntheticPlatform::new(42, SyntheticSize::small(), today());
        let b = SyntheticPlatform::new(42, SyntheticSize::small(), today());
        let c = SyntheticPlatform::new(43, SyntheticSize::small(), today());
        let first = |p: &SyntheticPlatform| -> Vec<Transaction> {
            p.transactions(SyntheticPlatform::ACCOUNT)
                .unwrap()
                .take(50)
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(first(&a), first(&b));
        assert_ne!(first(&a), first(&c));
    }

    #[test]
    fn transactions_come_in_date_order_with_a_running_balance() {
        let platform = SyntheticPlatform::new(1, SyntheticSize::small(), today());
        let transactions: Vec<Transaction> = platform
            .transactions(SyntheticPlatform::ACCOUNT)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut balance = 0;
        for pair in transactions.windows(2) {
            assert!(pair[0].date <= pair[1].date);
        }
        for t in &transactions {
            balance += t.amount.cents;
            assert_eq!(t.balance_after.cents, balance);
        }
    }
}
