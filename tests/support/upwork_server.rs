//! A stand-in for Upwork's GraphQL endpoint on 127.0.0.1, for tests and the
//! benchmark: realistic data shaped as the schema says (only the fields the
//! query documents select), the paging rules Upwork enforces, bearer tokens
//! it accepts or refuses, and scripted failures (429, 5xx, 403, delays,
//! malformed bodies, data with errors).
//!
//! The data is generated from a seed and a size, so a five-year account
//! costs nothing to describe. The server answers each request on its own
//! thread, so a delayed answer never holds up the others.

#![allow(dead_code)]

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

// ====================================================================== data

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub nid: String,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    Freelancer,
    Client,
    Agency,
}

#[derive(Clone, Debug)]
pub struct Milestone {
    pub id: String,
    pub description: String,
    /// `OfferMilestoneState`: NotFunded, Active, Submitted, Paid…
    pub state: &'static str,
    pub amount_cents: i64,
    pub due: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct Contract {
    pub id: String,
    pub title: String,
    /// ACTIVE, PAUSED or CLOSED.
    pub status: &'static str,
    pub hourly: bool,
    pub rate_cents: i64,
    pub weekly_limit: Option<u32>,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub client_org: (String, String),
    pub manager: String,
    pub freelancer: (String, String),
    pub milestones: Vec<Milestone>,
    pub charged_cents: i64,
    pub hours: f64,
    /// Feedback to the freelancer and to the client: (score, comment).
    pub feedback_received: Option<(f64, String)>,
    pub feedback_given: Option<(f64, String)>,
}

#[derive(Clone, Debug)]
pub struct Proposal {
    pub id: String,
    /// `VendorProposalStatusName`.
    pub status: &'static str,
    pub job_id: String,
    pub job_title: String,
    pub hourly: bool,
    pub rate_cents: i64,
    pub created: DateTime<Utc>,
    pub cover_letter: String,
}

#[derive(Clone, Debug)]
pub struct Offer {
    pub id: String,
    pub title: String,
    /// `OfferState` for received offers, `ContractOfferState` for sent ones.
    pub state: &'static str,
    pub hourly: bool,
    pub amount_cents: i64,
    pub counterparty: (String, String),
    pub created: DateTime<Utc>,
    pub contract_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct JobPost {
    pub id: String,
    pub title: String,
    /// `JobPostingStatus`.
    pub status: &'static str,
    pub hourly: bool,
    pub budget_cents: i64,
    pub created: DateTime<Utc>,
    pub proposals: u32,
}

#[derive(Clone, Debug)]
pub struct Staff {
    pub id: String,
    pub user: (String, String),
    /// 2 = invitation, 3 = owner, else a member.
    pub staff_type: i64,
    pub created: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct Transaction {
    pub id: String,
    pub date: DateTime<Utc>,
    pub kind: &'static str,
    pub subtype: &'static str,
    pub description: String,
    pub amount_cents: i64,
    pub balance_cents: i64,
    /// "Paid", "In Review", "Pending"…
    pub payment_status: &'static str,
    pub company: Option<String>,
    pub assignment: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Story {
    pub id: String,
    pub created: DateTime<Utc>,
    /// `None` for a system message or a deleted user: as on real accounts,
    /// the non-null `RoomStory.user` then nulls the whole story, with an
    /// error, unless the query leaves the author out.
    pub user: Option<(String, String)>,
    pub message: String,
    pub attachment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub topic: Option<String>,
    /// ONE_ON_ONE, GROUP or INTERVIEW.
    pub kind: &'static str,
    pub hidden: bool,
    pub subscribed: bool,
    pub contract_id: Option<String>,
    pub created: DateTime<Utc>,
    pub users: Vec<(String, String)>,
    pub stories: Vec<Story>,
}

#[derive(Clone, Debug)]
pub struct Org {
    pub id: String,
    pub title: String,
    pub kind: OrgKind,
    pub created: DateTime<Utc>,
    pub accounting_entity: String,
    pub contracts: Vec<Contract>,
    /// `vendorContracts` answers with no rows (seen on real accounts):
    /// the client must fall back to `contractList`.
    pub vendor_contracts_empty: bool,
    /// `vendorContracts` answers "Authorization failed" (seen on real
    /// accounts with contracts).
    pub vendor_contracts_refused: bool,
    /// Contract ids `talentWorkHistory` leaves out.
    pub work_history_omits: Vec<String>,
    pub proposals: Vec<Proposal>,
    pub offers: Vec<Offer>,
    pub job_posts: Vec<JobPost>,
    pub staff: Vec<Staff>,
    pub transactions: Vec<Transaction>,
    pub rooms: Vec<Room>,
}

#[derive(Clone, Debug)]
pub struct Fixture {
    pub today: DateTime<Utc>,
    pub user: User,
    pub orgs: Vec<Org>,
    pub quirks: Quirks,
}

/// Ways a server may read requests that the schema leaves open.
#[derive(Clone, Debug, Default)]
pub struct Quirks {
    /// Refuse documents with more than one root field (aliased batches).
    pub refuse_batched_documents: bool,
    /// Read a bare date in a transaction range as that day's midnight, so
    /// a bare `rangeEnd` leaves out its own day.
    pub bare_date_is_midnight: bool,
    /// Answer a transaction range with the day after it too, so rows on a
    /// month's first day come with the month before as well.
    pub range_end_spills_a_day: bool,
}

/// How much a generated freelancer account holds.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub years: u32,
    pub transactions_per_year: u32,
    pub contracts: u32,
    pub rooms: u32,
    pub messages_per_room: u32,
    pub proposals_per_status: u32,
    pub offers: u32,
}

impl Size {
    pub fn small() -> Size {
        Size {
            years: 1,
            transactions_per_year: 120,
            contracts: 57,
            rooms: 23,
            messages_per_room: 7,
            proposals_per_status: 3,
            offers: 4,
        }
    }

    /// Five years: 1,800 transactions a year, 300 contracts, 400 rooms of 50
    /// messages.
    pub fn large() -> Size {
        Size {
            years: 5,
            transactions_per_year: 1_800,
            contracts: 300,
            rooms: 400,
            messages_per_room: 50,
            proposals_per_status: 12,
            offers: 30,
        }
    }
}

/// A small deterministic generator: the same seed, the same account.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CLIENTS: [(&str, &str); 8] = [
    ("Northwind Labs", "Priya Raman"),
    ("Harbor & Finch", "Tomás Ibarra"),
    ("Quietwave Audio", "Lena Vogt"),
    ("Copperleaf Health", "Sam Okoro"),
    ("Atlas Freight Co.", "Mei Tanaka"),
    ("Bluebird Learning", "Ahmed Haddad"),
    ("Tern Analytics", "Chloé Martin"),
    ("Pinecone Retail", "Jonas Berg"),
];

const WORK: [&str; 10] = [
    "Next.js storefront rebuild",
    "Django API performance audit",
    "React dashboard for fleet tracking",
    "PostgreSQL migration and tuning",
    "Stripe billing integration",
    "Accessibility fixes for the patient portal",
    "Landing page A/B test setup",
    "GraphQL gateway for mobile apps",
    "Data import pipeline from CSV exports",
    "Design system in Storybook",
];

const LINES: [&str; 8] = [
    "Thanks for the update, that looks great.",
    "Could you push the fix to staging before Friday?",
    "I've attached the latest designs — see the second page.",
    "Invoice approved. Let's plan next week's tasks.",
    "The build failed on CI; I think it's the lockfile.",
    "Can we hop on a quick call tomorrow at 10?",
    "Milestone 2 is submitted for review.",
    "Great work this week 🎉 — the client loved the demo.",
];

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .expect("valid date")
}

impl Fixture {
    /// A freelancer (`org-fl`, with `size` data) who also owns a small client
    /// company (`org-cl`). Today is Wednesday 18 March 2026.
    pub fn freelancer(size: Size) -> Fixture {
        let today = Utc
            .with_ymd_and_hms(2026, 3, 18, 12, 0, 0)
            .single()
            .expect("valid date");
        let user = User {
            id: "1181921839933591552".into(),
            nid: "maya_okafor".into(),
            name: "Maya Okafor".into(),
            email: "maya.okafor@example.com".into(),
        };
        let created = if size.years <= 1 {
            at(2024, 11, 5)
        } else {
            at(2026 - size.years as i32, 3, 9)
        };
        let freelancer = freelancer_org(&user, size, created, today);
        let client = client_org(&user, today);
        Fixture {
            today,
            user,
            orgs: vec![freelancer, client],
            quirks: Quirks::default(),
        }
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }

    pub fn org_mut(&mut self, id: &str) -> &mut Org {
        self.orgs
            .iter_mut()
            .find(|o| o.id == id)
            .expect("the fixture has this organisation")
    }
}

fn freelancer_org(user: &User, size: Size, created: DateTime<Utc>, today: DateTime<Utc>) -> Org {
    let mut rng = Lcg(0x5eed_0ffb_0a2d);
    let me = (user.id.clone(), user.name.clone());
    let span_days = (today - created).num_days().max(30);
    let midnight = at(today.year(), today.month(), today.day());
    // Contracts: the last few open, the rest closed, spread over the years.
    let mut contracts = Vec::new();
    for i in 0..size.contracts {
        let client = rng.below(CLIENTS.len() as u64) as usize;
        let (company, manager) = CLIENTS[client];
        let hourly = i % 3 != 1;
        let start =
            created + Duration::days((span_days * i64::from(i)) / i64::from(size.contracts.max(1)));
        let status = match size.contracts - i {
            1 => "ACTIVE",
            2 => "ACTIVE",
            3 => "PAUSED",
            _ => "CLOSED",
        };
        let end = (status == "CLOSED")
            .then(|| (start + Duration::days(20 + rng.below(60) as i64)).min(midnight));
        let rate_cents = 4_500 + 500 * rng.below(8) as i64;
        let hours = if hourly {
            (10 + rng.below(300)) as f64 + 0.25
        } else {
            0.0
        };
        let mut milestones = Vec::new();
        if !hourly {
            let n = 1 + rng.below(3);
            for m in 0..n {
                let state = match (status, m) {
                    ("CLOSED", _) | (_, 0) => "Paid",
                    (_, 1) => "Active",
                    _ => "NotFunded",
                };
                milestones.push(Milestone {
                    id: format!("ms-{i}-{m}"),
                    description: format!(
                        "Milestone {}: {}",
                        m + 1,
                        ["Discovery", "Build", "Launch"][m as usize % 3]
                    ),
                    state,
                    amount_cents: 25_000 * (1 + rng.below(8) as i64),
                    due: start + Duration::days(14 * (m as i64 + 1)),
                });
            }
        }
        let charged_cents = if hourly {
            (hours * rate_cents as f64).round() as i64
        } else {
            milestones
                .iter()
                .filter(|m| m.state == "Paid")
                .map(|m| m.amount_cents)
                .sum()
        };
        let closed = status == "CLOSED";
        contracts.push(Contract {
            id: format!("{}", 30_000_000 + i),
            title: format!("{} #{}", rng.pick(&WORK), i + 1),
            status,
            hourly,
            rate_cents,
            weekly_limit: hourly.then_some(20 + 5 * (i % 4)),
            start,
            end,
            client_org: (format!("{}", 1_300_000_000 + client), company.to_string()),
            manager: manager.to_string(),
            freelancer: me.clone(),
            milestones,
            charged_cents,
            hours,
            feedback_received: (closed && i % 4 != 3).then(|| {
                (
                    5.0 - (i % 3) as f64 * 0.25,
                    "Excellent communication and solid work.".to_string(),
                )
            }),
            feedback_given: (closed && i % 5 != 4)
                .then(|| (5.0, "Clear requirements, prompt payments.".to_string())),
        });
    }
    // Proposals: some of every status.
    let statuses = [
        "Accepted",
        "Pending",
        "Offered",
        "Activated",
        "Hired",
        "Declined",
        "Withdrawn",
        "Archived",
    ];
    let mut proposals = Vec::new();
    for (s, status) in statuses.iter().enumerate() {
        for k in 0..size.proposals_per_status {
            let n = s as u32 * 1000 + k;
            proposals.push(Proposal {
                id: format!("{}", 1_500_000_000 + n),
                status,
                job_id: format!("~01{:016x}", n),
                job_title: rng.pick(&WORK).to_string(),
                hourly: k % 2 == 0,
                rate_cents: 6_000 + 500 * (k as i64 % 5),
                created: today - Duration::days(2 + i64::from(n % 200)),
                cover_letter: "Hi! I've shipped several similar projects; happy to share examples."
                    .into(),
            });
        }
    }
    let offer_states = [
        "PENDING_VENDOR_ACCEPTANCE",
        "ACCEPTED",
        "REJECTED",
        "WITHDRAWN",
        "EXPIRED",
    ];
    let offers = (0..size.offers)
        .map(|i| {
            let (company, manager) = *rng.pick(&CLIENTS);
            Offer {
                id: format!("{}", 40_000_000 + i),
                title: format!("Offer: {}", rng.pick(&WORK)),
                state: offer_states[i as usize % offer_states.len()],
                hourly: i % 2 == 0,
                amount_cents: 7_000 + 1_000 * (i as i64 % 4),
                counterparty: (manager.to_string(), company.to_string()),
                created: today - Duration::days(1 + i64::from(i) * 9),
                contract_id: None,
            }
        })
        .collect();
    // Transactions: earnings, fees and withdrawals, month by month.
    let transactions = transactions(
        &mut rng,
        created,
        today,
        size.transactions_per_year,
        &contracts,
    );
    // Rooms: most one-on-one, some group, some interviews; some hidden or left.
    let kinds = ["ONE_ON_ONE", "ONE_ON_ONE", "GROUP", "INTERVIEW"];
    let mut rooms = Vec::new();
    for r in 0..size.rooms {
        let (company, manager) = *rng.pick(&CLIENTS);
        let other = (format!("user-{}", 700 + r % 40), manager.to_string());
        let room_created =
            created + Duration::days((span_days * i64::from(r)) / i64::from(size.rooms.max(1)));
        let contract_id = (r % 2 == 0 && !contracts.is_empty())
            .then(|| contracts[(r as usize / 2) % contracts.len()].id.clone());
        let mut stories = Vec::new();
        for m in 0..size.messages_per_room {
            let from_me = m % 2 == 1;
            stories.push(Story {
                id: format!("story-{r}-{m}"),
                created: room_created + Duration::minutes(37 * i64::from(m) + 5),
                user: Some(if from_me { me.clone() } else { other.clone() }),
                message: rng.pick(&LINES).to_string(),
                attachment: (m % 9 == 4).then(|| format!("spec-v{m}.pdf")),
            });
        }
        rooms.push(Room {
            id: format!("room_{r:05}"),
            name: format!("{company} — {manager}"),
            topic: (r % 3 != 0).then(|| format!("{} ({company})", rng.pick(&WORK))),
            kind: kinds[r as usize % kinds.len()],
            hidden: r % 7 == 5,
            subscribed: r % 11 != 10,
            contract_id,
            created: room_created,
            users: vec![me.clone(), other],
            stories,
        });
    }
    Org {
        id: "1181921839937785857".into(),
        title: user.name.clone(),
        kind: OrgKind::Freelancer,
        created,
        accounting_entity: "ace-1181921839937785857".into(),
        contracts,
        vendor_contracts_empty: false,
        vendor_contracts_refused: false,
        work_history_omits: Vec::new(),
        proposals,
        offers,
        job_posts: Vec::new(),
        staff: vec![Staff {
            id: "staff-owner".into(),
            user: (user.id.clone(), user.name.clone()),
            staff_type: 3,
            created,
        }],
        transactions,
        rooms,
    }
}

fn transactions(
    rng: &mut Lcg,
    created: DateTime<Utc>,
    today: DateTime<Utc>,
    per_year: u32,
    contracts: &[Contract],
) -> Vec<Transaction> {
    let days = (today - created).num_days().max(1);
    let total = (i64::from(per_year) * days / 365).max(1);
    let mut out: Vec<Transaction> = Vec::with_capacity(total as usize);
    let mut balance = 0i64;
    for n in 0..total {
        let date = created + Duration::seconds(n * days * 86_400 / total + 3_600);
        let date = date.min(today - Duration::hours(1));
        let age = (today - date).num_days();
        let contract = &contracts[(n as usize * 7) % contracts.len().max(1)];
        let (kind, subtype, description, amount, status): (&str, &str, String, i64, &str) =
            match n % 6 {
                0..=2 => {
                    let amount = 20_000 + rng.below(80_000) as i64;
                    let status = if age <= 9 { "In Review" } else { "Paid" };
                    (
                        "Hourly",
                        "APHourly",
                        format!("Invoice for {} hrs - {}", amount / 6_000, contract.title),
                        amount,
                        status,
                    )
                }
                3 => {
                    let amount = 50_000 + rng.below(150_000) as i64;
                    let status = if age <= 4 { "Pending" } else { "Paid" };
                    (
                        "Fixed Price",
                        "APFixed",
                        format!("Milestone payment - {}", contract.title),
                        amount,
                        status,
                    )
                }
                4 => {
                    let amount = -(2_000 + rng.below(20_000) as i64);
                    (
                        "Service Fee",
                        "APServiceFee",
                        format!("Service Fee - {}", contract.title),
                        amount,
                        "Paid",
                    )
                }
                _ => {
                    // Withdraw most of what is available.
                    let available: i64 = out
                        .iter()
                        .filter(|t| t.payment_status == "Paid")
                        .map(|t| t.amount_cents)
                        .sum();
                    let amount = -(available * 8 / 10).max(0);
                    (
                        "Withdrawal",
                        "APWithdrawal",
                        "Withdrawal to Bank Account ****4821".to_string(),
                        amount,
                        "Paid",
                    )
                }
            };
        if status == "Paid" {
            balance += amount;
        }
        out.push(Transaction {
            id: format!("{}", 600_000_000 + n),
            date,
            kind,
            subtype,
            description,
            amount_cents: amount,
            balance_cents: balance,
            payment_status: status,
            company: (kind != "Withdrawal").then(|| contract.client_org.1.clone()),
            assignment: (kind != "Withdrawal").then(|| 9_000_000 + n % 50),
        });
    }
    out
}

fn client_org(user: &User, today: DateTime<Utc>) -> Org {
    let id = "1181921839941980160".to_string();
    let created = at(2025, 6, 2);
    let me = (user.id.clone(), user.name.clone());
    let contractor = ("user-900".to_string(), "Dana Kim".to_string());
    let contracts = vec![
        Contract {
            id: "51000001".into(),
            title: "Bookkeeping for Okafor Digital".into(),
            status: "ACTIVE",
            hourly: true,
            rate_cents: 3_500,
            weekly_limit: Some(10),
            start: at(2025, 9, 1),
            end: None,
            client_org: (id.clone(), "Okafor Digital".into()),
            manager: user.name.clone(),
            freelancer: contractor.clone(),
            milestones: Vec::new(),
            charged_cents: 420_000,
            hours: 120.0,
            feedback_received: None,
            feedback_given: None,
        },
        Contract {
            id: "51000002".into(),
            title: "Logo refresh".into(),
            status: "CLOSED",
            hourly: false,
            rate_cents: 0,
            weekly_limit: None,
            start: at(2025, 7, 1),
            end: Some(at(2025, 7, 30)),
            client_org: (id.clone(), "Okafor Digital".into()),
            manager: user.name.clone(),
            freelancer: ("user-901".into(), "Ruth Alvarez".into()),
            milestones: vec![Milestone {
                id: "ms-logo".into(),
                description: "Final logo files".into(),
                state: "Paid",
                amount_cents: 60_000,
                due: at(2025, 7, 25),
            }],
            charged_cents: 60_000,
            hours: 0.0,
            feedback_received: None,
            feedback_given: None,
        },
    ];
    let offers = vec![
        Offer {
            id: "52000001".into(),
            title: "Quarterly tax filing".into(),
            state: "Pending",
            hourly: false,
            amount_cents: 45_000,
            counterparty: contractor.clone(),
            created: today - Duration::days(3),
            contract_id: None,
        },
        Offer {
            id: "52000002".into(),
            title: "Bookkeeping for Okafor Digital".into(),
            state: "Active",
            hourly: true,
            amount_cents: 3_500,
            counterparty: contractor.clone(),
            created: at(2025, 8, 28),
            contract_id: Some("51000001".into()),
        },
    ];
    let job_posts = vec![
        JobPost {
            id: "~022031".into(),
            title: "Part-time bookkeeper (Xero)".into(),
            status: "REQUESTED",
            hourly: true,
            budget_cents: 4_000,
            created: today - Duration::days(6),
            proposals: 14,
        },
        JobPost {
            id: "~022017".into(),
            title: "Logo refresh".into(),
            status: "FILLED",
            hourly: false,
            budget_cents: 60_000,
            created: at(2025, 6, 20),
            proposals: 37,
        },
    ];
    let staff = vec![
        Staff {
            id: "staff-1".into(),
            user: me.clone(),
            staff_type: 3,
            created,
        },
        Staff {
            id: "staff-2".into(),
            user: ("user-950".into(), "Chen Wu".into()),
            staff_type: 1,
            created: at(2025, 8, 1),
        },
    ];
    let mut balance = 0;
    let mut transactions = Vec::new();
    for (n, (date, kind, amount, status)) in [
        (at(2025, 7, 2), "Payment", -60_000, "Paid"),
        (at(2025, 9, 8), "Hourly", -14_000, "Paid"),
        (today - Duration::days(2), "Hourly", -17_500, "Due"),
    ]
    .into_iter()
    .enumerate()
    {
        if status == "Paid" {
            balance += amount;
        }
        transactions.push(Transaction {
            id: format!("{}", 700_000_000 + n),
            date,
            kind,
            subtype: "ARInvoice",
            description: format!("Invoice - {kind}"),
            amount_cents: amount,
            balance_cents: balance,
            payment_status: status,
            company: Some("Okafor Digital".into()),
            assignment: None,
        });
    }
    let rooms = vec![Room {
        id: "room_client_1".into(),
        name: "Dana Kim".into(),
        topic: Some("Bookkeeping for Okafor Digital".into()),
        kind: "ONE_ON_ONE",
        hidden: false,
        subscribed: true,
        contract_id: Some("51000001".into()),
        created: at(2025, 8, 28),
        users: vec![me.clone(), contractor.clone()],
        stories: vec![Story {
            id: "story-c-1".into(),
            created: at(2025, 8, 28) + Duration::hours(3),
            user: Some(contractor),
            message: "Happy to start on Monday.".into(),
            attachment: None,
        }],
    }];
    Org {
        id: id.clone(),
        title: "Okafor Digital".into(),
        kind: OrgKind::Client,
        created,
        accounting_entity: format!("ace-{id}"),
        contracts,
        vendor_contracts_empty: true,
        vendor_contracts_refused: false,
        work_history_omits: Vec::new(),
        proposals: Vec::new(),
        offers,
        job_posts,
        staff,
        transactions,
        rooms,
    }
}

// ====================================================================== shapes

fn money(cents: i64) -> Value {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let raw = format!("{sign}{}.{:02}", abs / 100, abs % 100);
    json!({ "rawValue": raw, "currency": "USD" })
}

/// Upwork's transaction dates: an offset without a colon.
fn upwork_date(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

fn iso(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn day(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn contract_node(c: &Contract, vendor_org: &Org) -> Value {
    let fixed: Vec<Value> = if c.hourly {
        Vec::new()
    } else {
        vec![json!({
            "fixedAmount": money(c.milestones.iter().map(|m| m.amount_cents).sum()),
            "startDate": day(c.start),
            "endDate": c.end.map(day),
            "milestones": c.milestones.iter().map(|m| {
                let escrow = if matches!(m.state, "Active" | "Submitted") { m.amount_cents } else { 0 };
                let paid = if m.state == "Paid" { m.amount_cents } else { 0 };
                json!({
                    "id": m.id,
                    "description": m.description,
                    "state": m.state,
                    "dueDateTime": iso(m.due),
                    "depositAmount": money(m.amount_cents),
                    "currentEscrowAmount": money(escrow),
                    "paid": money(paid),
                })
            }).collect::<Vec<_>>(),
        })]
    };
    let hourly: Vec<Value> = if c.hourly {
        vec![json!({
            "hourlyRate": money(c.rate_cents),
            "startDate": day(c.start),
            "endDate": c.end.map(day),
        })]
    } else {
        Vec::new()
    };
    json!({
        "id": c.id,
        "title": c.title,
        "status": c.status,
        "createDate": upwork_date(c.start - Duration::days(1)),
        "startDate": day(c.start),
        "endDate": c.end.map(day),
        "closingReason": if c.status == "CLOSED" { json!({ "reason": "Job was completed successfully" }) } else { Value::Null },
        "freelancer": { "id": c.freelancer.0, "name": c.freelancer.1 },
        "clientOrganization": { "id": c.client_org.0, "name": c.client_org.1 },
        "vendorOrganization": { "id": vendor_org.id, "name": vendor_org.title },
        "hiringManager": { "name": c.manager },
        "metadata": { "agencyContract": false },
        "hourlyLimits": c.weekly_limit.map(|l| vec![json!({
            "weeklyLimit": l.to_string(),
            "startDate": day(c.start),
            "endDate": Value::Null,
        })]).unwrap_or_default(),
        "terms": { "fixedPriceTerms": fixed, "hourlyTerms": hourly },
    })
}

fn skill_edges() -> Vec<Value> {
    ["React", "Next.js", "Django", "PostgreSQL"]
        .iter()
        .map(|s| json!({ "node": { "preferredLabel": s } }))
        .collect()
}

fn page_info(end: usize, more: bool) -> Value {
    json!({ "endCursor": if end > 0 { json!(end.to_string()) } else { Value::Null }, "hasNextPage": more })
}

/// Cursor paging: the cursor is the index after the last record sent.
fn cursor_page<T>(items: &[T], pagination: &Value) -> (std::ops::Range<usize>, Value) {
    let first = pagination
        .get("first")
        .and_then(Value::as_u64)
        .unwrap_or(10) as usize;
    let start = pagination
        .get("after")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0)
        .min(items.len());
    let end = (start + first).min(items.len());
    (start..end, page_info(end, end < items.len()))
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// `2025-12-31` (midnight) or `2025-12-31T23:59:59` (UTC).
fn parse_moment(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc());
    }
    Some(parse_day(s)?.and_hms_opt(0, 0, 0)?.and_utc())
}

fn gql_error(message: &str) -> Value {
    json!({ "data": Value::Null, "errors": [{ "message": message }] })
}

// ====================================================================== server

/// A failure the next matching request gets.
#[derive(Clone, Debug)]
pub enum Failure {
    /// An HTTP status with an optional `Retry-After` value and a body.
    Status {
        code: u16,
        retry_after: Option<String>,
    },
    /// A web page with this status, as a CDN or firewall answers (a 403
    /// for a blocked network or User-Agent).
    Page(u16),
    /// Answer normally, but only after this long.
    Delay(std::time::Duration),
    /// This exact body with status 200.
    Body(String),
    /// The normal answer with a GraphQL error beside it; the first record of
    /// the list at `null_path` is nulled, as null bubbling does.
    DataWithErrors {
        message: String,
        null_path: Vec<&'static str>,
    },
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub operation: String,
    pub variables: Value,
    pub tenant: Option<String>,
    pub token: Option<String>,
    pub user_agent: Option<String>,
    pub status: u16,
    /// The JSON answer sent, when it was JSON.
    pub answer: Option<Value>,
    pub at: std::time::Instant,
}

struct State {
    fixture: Fixture,
    tokens: Mutex<HashSet<String>>,
    script: Mutex<VecDeque<(String, Failure)>>,
    seen: Mutex<Vec<Seen>>,
    /// Record the JSON answers (tests check their shape; the bench skips it).
    keep_answers: bool,
    /// A strict rate limit, as Upwork's gateway enforces one.
    window: Mutex<Option<SlidingWindow>>,
}

/// At most `limit` requests in any `span`: a request arriving when `limit`
/// were accepted within the last `span` gets a 429 (and does not count).
struct SlidingWindow {
    limit: usize,
    span: std::time::Duration,
    accepted: VecDeque<std::time::Instant>,
    refused: u64,
}

impl SlidingWindow {
    fn admit(&mut self, at: std::time::Instant) -> bool {
        while self
            .accepted
            .front()
            .is_some_and(|first| at.duration_since(*first) >= self.span)
        {
            self.accepted.pop_front();
        }
        if self.accepted.len() >= self.limit {
            self.refused += 1;
            return false;
        }
        self.accepted.push_back(at);
        true
    }
}

pub struct TestServer {
    pub url: String,
    state: Arc<State>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

pub const TOKEN: &str = "test-access-token";

impl TestServer {
    /// Starts on 127.0.0.1 with a free port, accepting [`TOKEN`].
    pub fn start(fixture: Fixture) -> TestServer {
        Self::start_with(fixture, true)
    }

    pub fn start_with(fixture: Fixture, keep_answers: bool) -> TestServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        no_delay(&listener);
        let server = Arc::new(
            tiny_http::Server::from_listener(listener, None).expect("serve on the listener"),
        );
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(State {
            fixture,
            tokens: Mutex::new([TOKEN.to_string()].into_iter().collect()),
            script: Mutex::new(VecDeque::new()),
            seen: Mutex::new(Vec::new()),
            keep_answers,
            window: Mutex::new(None),
        });
        let thread = {
            let server = server.clone();
            let state = state.clone();
            std::thread::Builder::new()
                .name("upwork-test-server".into())
                .spawn(move || {
                    for request in server.incoming_requests() {
                        let state = state.clone();
                        let _ = std::thread::Builder::new()
                            .name("upwork-test-request".into())
                            .spawn(move || handle(&state, request));
                    }
                })
                .expect("spawn the server thread")
        };
        TestServer {
            url: format!("http://127.0.0.1:{port}/graphql"),
            state,
            server,
            thread: Some(thread),
        }
    }

    pub fn fixture(&self) -> &Fixture {
        &self.state.fixture
    }

    /// The next request for `operation` ("*" for any) fails this way.
    pub fn fail_next(&self, operation: &str, failure: Failure) {
        self.state
            .script
            .lock()
            .expect("script")
            .push_back((operation.to_string(), failure));
    }

    /// From now on, at most `limit` requests in any sliding `span`; more get
    /// a 429 without Retry-After.
    pub fn enforce_rate(&self, limit: usize, span: std::time::Duration) {
        *self.state.window.lock().expect("window") = Some(SlidingWindow {
            limit,
            span,
            accepted: VecDeque::new(),
            refused: 0,
        });
    }

    /// How many requests the rate limit refused.
    pub fn refused_by_rate(&self) -> u64 {
        self.state
            .window
            .lock()
            .expect("window")
            .as_ref()
            .map_or(0, |w| w.refused)
    }

    /// Only these bearer tokens are accepted from now on.
    pub fn accept_tokens(&self, tokens: &[&str]) {
        *self.state.tokens.lock().expect("tokens") = tokens.iter().map(|t| t.to_string()).collect();
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().expect("seen").clone()
    }

    /// Every read of the single query `operation`, whether it came alone
    /// or as a part of an aliased batch (each part's variables under their
    /// own names; the repeats that fill unused aliases left out).
    pub fn reads(&self, operation: &str) -> Vec<Value> {
        let mut reads = Vec::new();
        for seen in self.seen() {
            if seen.operation == operation {
                reads.push(seen.variables.clone());
                continue;
            }
            if single_of_batch(&seen.operation) != Some(operation) {
                continue;
            }
            let mut previous: Option<Value> = None;
            for k in 0.. {
                let mut part = serde_json::Map::new();
                for name in ["filter", "pagination"] {
                    if let Some(v) = seen.variables.get(format!("{name}{k}")) {
                        part.insert(name.to_string(), v.clone());
                    }
                }
                if part.is_empty() {
                    break;
                }
                let part = Value::Object(part);
                if previous.as_ref() != Some(&part) {
                    reads.push(part.clone());
                }
                previous = Some(part);
            }
        }
        reads
    }

    pub fn seen_for(&self, operation: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.operation == operation)
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers leave at once: without TCP_NODELAY (which Linux passes from the
/// listener to each accepted socket) the tail of every answer waits for the
/// client's delayed ACK, 40 ms a request.
#[cfg(target_os = "linux")]
fn no_delay(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: a valid socket, an int option of the right size.
    let _ = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            std::ptr::from_ref(&on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn no_delay(_: &std::net::TcpListener) {}

fn header(request: &tiny_http::Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

/// `query Name(` or `query Name {` → `Name`.
fn operation_name(document: &str) -> String {
    document
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("query "))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .unwrap_or_default()
}

fn handle(state: &State, mut request: tiny_http::Request) {
    let arrived = std::time::Instant::now();
    let admitted = match state.window.lock().expect("window").as_mut() {
        Some(window) => window.admit(arrived),
        None => true,
    };
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    if !admitted {
        let response = tiny_http::Response::from_string(r#"{"message":"Too Many Requests"}"#)
            .with_status_code(429);
        let _ = request.respond(response);
        return;
    }
    let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let document = parsed.get("query").and_then(Value::as_str).unwrap_or("");
    let operation = operation_name(document);
    let variables = parsed.get("variables").cloned().unwrap_or(Value::Null);
    let tenant = header(&request, "X-Upwork-API-TenantId");
    let token = header(&request, "Authorization")
        .and_then(|a| a.strip_prefix("Bearer ").map(str::to_string));
    let user_agent = header(&request, "User-Agent");

    // A failure scripted for a single read also meets that read when it
    // comes as a part of an aliased batch.
    let single = single_of_batch(&operation);
    let failure = {
        let mut script = state.script.lock().expect("script");
        let index = script
            .iter()
            .position(|(op, _)| op == "*" || *op == operation || Some(op.as_str()) == single);
        index.and_then(|i| script.remove(i)).map(|(_, f)| f)
    };

    let authorised = token
        .as_ref()
        .is_some_and(|t| state.tokens.lock().expect("tokens").contains(t));
    let (status, text, retry_after) = if request.method() != &tiny_http::Method::Post {
        (405, "only POST".to_string(), None)
    } else if !authorised {
        (401, r#"{"message":"Unauthorized"}"#.to_string(), None)
    } else {
        match failure {
            Some(Failure::Status { code, retry_after }) => {
                let body = if code == 403 {
                    r#"{"message":"This APP has no access to requested resource"}"#
                } else {
                    "<html><body>Service unavailable</body></html>"
                };
                (code, body.to_string(), retry_after)
            }
            Some(Failure::Body(body)) => (200, body, None),
            Some(Failure::Page(code)) => (
                code,
                "<html><body><h1>Access denied</h1>Error 1020</body></html>".to_string(),
                None,
            ),
            Some(Failure::Delay(d)) => {
                std::thread::sleep(d);
                (
                    200,
                    answer(state, &operation, &variables, tenant.as_deref()).to_string(),
                    None,
                )
            }
            Some(Failure::DataWithErrors { message, null_path }) => {
                let mut a = answer(state, &operation, &variables, tenant.as_deref());
                // In a batch, the first part stands in for the single read.
                let mut null_path = null_path.clone();
                if single.is_some() && !null_path.is_empty() {
                    null_path[0] = "part0";
                }
                let mut target = &mut a["data"];
                for key in &null_path {
                    target = &mut target[*key];
                }
                if let Some(first) = target.as_array_mut().and_then(|l| l.first_mut()) {
                    *first = Value::Null;
                }
                let mut path: Vec<Value> = null_path.iter().map(|k| json!(k)).collect();
                path.push(json!(0));
                a["errors"] = json!([{ "message": message, "path": path }]);
                (200, a.to_string(), None)
            }
            None => (
                200,
                answer(state, &operation, &variables, tenant.as_deref()).to_string(),
                None,
            ),
        }
    };
    let answer_json = if state.keep_answers {
        serde_json::from_str::<Value>(&text).ok()
    } else {
        None
    };
    state.seen.lock().expect("seen").push(Seen {
        operation,
        variables,
        tenant,
        token,
        user_agent,
        status,
        answer: answer_json,
        at: std::time::Instant::now(),
    });
    let content_type = if text.starts_with('<') {
        "text/html"
    } else {
        "application/json"
    };
    let mut response = tiny_http::Response::from_string(text)
        .with_status_code(status)
        .with_header(tiny_http::Header::from_bytes("Content-Type", content_type).expect("header"));
    if let Some(after) = retry_after {
        response.add_header(tiny_http::Header::from_bytes("Retry-After", after).expect("header"));
    }
    let _ = request.respond(response);
}

/// The single read an aliased batch document repeats (`part0`, `part1`…,
/// each with the single read's variables suffixed by its index).
fn single_of_batch(operation: &str) -> Option<&'static str> {
    match operation {
        "RoomStoriesBatch" => Some("RoomStories"),
        "TransactionHistoryBatch" => Some("TransactionHistory"),
        "TimeReportBatch" => Some("TimeReport"),
        _ => None,
    }
}

/// An aliased batch answered part by part, as a GraphQL server does: each
/// part's data under its alias, each part's errors with the alias as the
/// first element of their path.
fn batch_answer(state: &State, single: &str, vars: &Value, tenant: Option<&str>) -> Value {
    if state.fixture.quirks.refuse_batched_documents {
        return gql_error("Query complexity exceeds the maximum allowed: use one root field");
    }
    let mut data = serde_json::Map::new();
    let mut errors: Vec<Value> = Vec::new();
    for k in 0.. {
        let mut part_vars = serde_json::Map::new();
        for name in ["filter", "pagination"] {
            if let Some(v) = vars.get(format!("{name}{k}")) {
                part_vars.insert(name.to_string(), v.clone());
            }
        }
        if part_vars.is_empty() {
            break;
        }
        let alias = format!("part{k}");
        let part = answer(state, single, &Value::Object(part_vars), tenant);
        let value = part["data"]
            .as_object()
            .and_then(|fields| fields.values().next().cloned())
            .unwrap_or(Value::Null);
        data.insert(alias.clone(), value);
        for mut error in part["errors"].as_array().cloned().unwrap_or_default() {
            match error["path"].as_array_mut() {
                Some(path) if !path.is_empty() => path[0] = json!(alias),
                _ => error["path"] = json!([alias]),
            }
            errors.push(error);
        }
    }
    if errors.is_empty() {
        json!({ "data": data })
    } else {
        json!({ "data": data, "errors": errors })
    }
}

/// The GraphQL answer for one operation.
fn answer(state: &State, operation: &str, vars: &Value, tenant: Option<&str>) -> Value {
    if let Some(single) = single_of_batch(operation) {
        return batch_answer(state, single, vars, tenant);
    }
    let fx = &state.fixture;
    if operation == "Session" {
        let items: Vec<Value> = fx
            .orgs
            .iter()
            .map(|o| {
                let (legacy, ty, title) = match o.kind {
                    OrgKind::Freelancer => ("Vendor", "SoleProprietor", "Freelancer"),
                    OrgKind::Agency => ("Vendor", "Business", "Agency"),
                    OrgKind::Client => ("Client", "Business", "Client"),
                };
                json!({
                    "organizationId": o.id,
                    "title": o.title,
                    "typeTitle": title,
                    "organizationType": ty,
                    "organizationLegacyType": legacy,
                })
            })
            .collect();
        return json!({ "data": {
            "companySelector": { "items": items },
            "user": { "id": fx.user.id, "nid": fx.user.nid, "name": fx.user.name, "email": fx.user.email },
        }});
    }
    let Some(org) = tenant.and_then(|t| fx.org(t)) else {
        return gql_error("X-Upwork-API-TenantId is missing or names no organization of this user");
    };
    let data = match operation {
        "Organization" => json!({ "organization": {
            "id": org.id,
            "name": org.title,
            "creationDate": upwork_date(org.created),
            "type": if org.kind == OrgKind::Freelancer { "SOLE_PROPRIETOR" } else { "BUSINESS" },
            "legacyType": if org.kind == OrgKind::Client { "CLIENT" } else { "VENDOR" },
            "flag": {
                "client": org.kind == OrgKind::Client,
                "vendor": org.kind != OrgKind::Client,
                "agency": org.kind == OrgKind::Agency,
                "individual": org.kind == OrgKind::Freelancer,
            },
        }}),
        "FreelancerProfile" => json!({ "user": {
            "id": fx.user.id,
            "nid": fx.user.nid,
            "name": fx.user.name,
            "email": fx.user.email,
            "ciphertext": "~01a7c3e59f2b84d6c1",
            "freelancerProfile": {
                "fullName": fx.user.name,
                "personalData": {
                    "title": "Full-Stack Web Developer | React, Next.js, Django",
                    "description": "I build fast, accessible web apps.\nTen years of shipping.",
                    "profileUrl": "https://www.upwork.com/freelancers/~01a7c3e59f2b84d6c1",
                    "chargeRate": money(7_500),
                },
                "countryDetails": { "name": "Nigeria" },
                "skills": { "edges": skill_edges() },
                "aggregates": {
                    "totalEarnings": money(org.contracts.iter().map(|c| c.charged_cents).sum()),
                    "jobSuccessScore": 96.4,
                    "currentContracts": org.contracts.iter().filter(|c| c.status != "CLOSED").count(),
                    "activeInterviews": 2,
                    "billedContracts": org.contracts.len(),
                    "totalHours": org.contracts.iter().map(|c| c.hours).sum::<f64>(),
                },
            },
        }}),
        "OrganizationProfile" => json!({ "organization": {
            "id": org.id,
            "name": org.title,
            "creationDate": upwork_date(org.created),
            "company": {
                "name": org.title,
                "description": "A small digital studio.",
                "summary": Value::Null,
                "city": "Lagos",
                "country": { "name": "Nigeria" },
            },
        }}),
        "VendorContracts" if org.vendor_contracts_refused => {
            return json!({
                "data": { "vendorContracts": Value::Null },
                "errors": [{ "message": "Authorization failed", "path": ["vendorContracts"] }],
            });
        }
        "VendorContracts" => {
            let statuses: Vec<&str> = vars["filter"]["contractStatuses"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let matching: Vec<&Contract> = if org.vendor_contracts_empty {
                Vec::new()
            } else {
                org.contracts
                    .iter()
                    .filter(|c| statuses.is_empty() || statuses.contains(&c.status))
                    .collect()
            };
            let offset = vars["paging"]["offset"].as_u64().unwrap_or(0) as usize;
            let limit = vars["paging"]["limit"].as_u64().unwrap_or(10) as usize;
            let page: Vec<Value> = matching
                .iter()
                .skip(offset)
                .take(limit)
                .map(|c| contract_node(c, org))
                .collect();
            json!({ "vendorContracts": {
                "paging": { "offset": offset, "limit": limit },
                "contracts": page,
            }})
        }
        "ContractList" => {
            let ids: Vec<&str> = vars["ids"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if ids.len() > 10 {
                return gql_error("ids: max size is 10");
            }
            let contracts: Vec<Value> = ids
                .iter()
                .filter_map(|id| org.contracts.iter().find(|c| c.id == *id))
                .map(|c| contract_node(c, org))
                .collect();
            json!({ "contractList": { "contracts": contracts } })
        }
        "ContractListBatch" if fx.quirks.refuse_batched_documents => {
            return gql_error("Query complexity exceeds the maximum allowed: use one root field");
        }
        "ContractListBatch" => {
            let mut data = serde_json::Map::new();
            for k in 0.. {
                let Some(ids) = vars.get(format!("ids{k}")).and_then(Value::as_array) else {
                    break;
                };
                if ids.len() > 10 {
                    return gql_error(&format!("ids{k}: max size is 10"));
                }
                let contracts: Vec<Value> = ids
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|id| org.contracts.iter().find(|c| c.id == id))
                    .map(|c| contract_node(c, org))
                    .collect();
                data.insert(format!("batch{k}"), json!({ "contracts": contracts }));
            }
            Value::Object(data)
        }
        "Offers" => {
            let limit = vars["filter"]["limit"].as_u64().unwrap_or(10) as usize;
            let page = vars["filter"]["page"].as_u64().unwrap_or(1).max(1) as usize;
            let offers: Vec<Value> = org
                .offers
                .iter()
                .skip((page - 1) * limit)
                .take(limit)
                .map(|o| {
                    json!({
                        "id": o.id,
                        "title": o.title,
                        "type": if o.hourly { "MARKET_PLACE_HOURLY" } else { "MARKET_PLACE_FIXED_PRICE" },
                        "state": o.state,
                        "client": { "id": format!("org-{}", o.counterparty.1.len()), "name": o.counterparty.1 },
                        "clientCompany": { "name": o.counterparty.1 },
                        "offerTerms": {
                            "expectedStartDate": day(o.created + Duration::days(7)),
                            "fixedPriceTerm": if o.hourly { Value::Null } else { json!({ "budget": money(o.amount_cents) }) },
                            "hourlyTerms": if o.hourly { json!({ "rate": money(o.amount_cents), "weeklyHoursLimit": 30 }) } else { Value::Null },
                        },
                        "milestones": if o.hourly { json!([]) } else { json!([{
                            "createdDateTime": iso(o.created),
                            "depositAmount": money(o.amount_cents),
                        }]) },
                    })
                })
                .collect();
            json!({ "offersByAttribute": { "offers": offers } })
        }
        "ClientOffers" => {
            let (range, info) = cursor_page(&org.offers, &vars["pagination"]);
            let edges: Vec<Value> = org.offers[range]
                .iter()
                .map(|o| json!({
                    "node": {
                        "id": o.id,
                        "title": o.title,
                        "type": if o.hourly { "Hourly" } else { "FixedPrice" },
                        "state": o.state,
                        "offerCreatedDateTime": iso(o.created),
                        "startDateTime": iso(o.created + Duration::days(4)),
                        "freelancer": { "id": o.counterparty.0.clone(), "name": o.counterparty.1 },
                        "contract": o.contract_id.as_ref().map(|id| json!({ "id": id })),
                        "offer": { "offerTerms": {
                            "fixedPriceTerm": if o.hourly { Value::Null } else { json!({ "budget": money(o.amount_cents) }) },
                            "hourlyTerms": if o.hourly { json!({ "rate": money(o.amount_cents) }) } else { Value::Null },
                        }},
                    },
                }))
                .collect();
            json!({ "organization": { "clientOffers": {
                "totalCount": org.offers.len(),
                "pageInfo": info,
                "edges": edges,
            }}})
        }
        "VendorProposals" => {
            let first = vars["pagination"]["first"].as_u64().unwrap_or(0);
            if first > 40 {
                return gql_error("VJCA-6: pagination.first must not exceed 40");
            }
            let Some(status) = vars["filter"]["status_eq"].as_str() else {
                return gql_error("filter.status_eq is required");
            };
            let matching: Vec<&Proposal> = org
                .proposals
                .iter()
                .filter(|p| p.status == status)
                .collect();
            let (range, info) = cursor_page(&matching, &vars["pagination"]);
            let edges: Vec<Value> = matching[range]
                .iter()
                .map(|p| json!({
                    "node": {
                        "id": p.id,
                        "status": { "status": p.status },
                        "proposalCoverLetter": p.cover_letter,
                        "terms": { "chargeRate": money(p.rate_cents) },
                        "auditDetails": { "createdDateTime": {
                            "rawValue": p.created.timestamp_millis().to_string(),
                            "displayValue": p.created.format("%b %-d, %Y").to_string(),
                        }},
                        "marketplaceJobPosting": {
                            "id": p.job_id,
                            "content": { "title": p.job_title },
                            "contractTerms": { "contractType": if p.hourly { "HOURLY" } else { "FIXED" } },
                        },
                    },
                }))
                .collect();
            json!({ "vendorProposals": {
                "totalCount": matching.len(),
                "pageInfo": info,
                "edges": edges,
            }})
        }
        "JobPostings" => {
            let filter = &vars["filter"];
            let statuses: Vec<&str> = filter["statusAndAccess_any"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|s| {
                            s["statuses_any"]
                                .as_array()
                                .map(Vec::as_slice)
                                .unwrap_or_default()
                        })
                        .filter_map(Value::as_str)
                        .collect()
                })
                .unwrap_or_default();
            let matching: Vec<&JobPost> = org
                .job_posts
                .iter()
                .filter(|j| statuses.is_empty() || statuses.contains(&j.status))
                .collect();
            let (range, info) = cursor_page(&matching, &filter["pagination_eq"]);
            let edges: Vec<Value> = matching[range]
                .iter()
                .map(|j| json!({
                    "node": {
                        "id": j.id,
                        "info": {
                            "status": j.status,
                            "publishDateTime": iso(j.created),
                            "auditTime": { "createdDateTime": iso(j.created - Duration::hours(2)) },
                            "hourlyBudgetMax": if j.hourly { money(j.budget_cents) } else { Value::Null },
                        },
                        "content": { "title": j.title },
                        "contractTerms": {
                            "contractType": if j.hourly { "HOURLY" } else { "FIXED" },
                            "fixedPriceContractTerms": if j.hourly { Value::Null } else { json!({ "amount": money(j.budget_cents) }) },
                        },
                        "proposalsStatistics": { "totalProposals": j.proposals },
                    },
                }))
                .collect();
            json!({ "organization": { "jobPosting": {
                "totalCount": matching.len(),
                "pageInfo": info,
                "edges": edges,
            }}})
        }
        "Staff" => {
            let (range, info) = cursor_page(&org.staff, &vars["pagination"]);
            let edges: Vec<Value> = org.staff[range]
                .iter()
                .map(|s| {
                    json!({ "node": {
                        "id": s.id,
                        "staffType": s.staff_type,
                        "activationStatus": 1,
                        "creationDate": upwork_date(s.created),
                        "user": { "id": s.user.0, "name": s.user.1 },
                    }})
                })
                .collect();
            json!({ "organization": { "staffs": {
                "totalCount": org.staff.len(),
                "pageInfo": info,
                "edges": edges,
            }}})
        }
        "AccountingEntity" => json!({ "accountingEntity": { "id": org.accounting_entity } }),
        "TransactionHistory" => {
            let filter = &vars["filter"];
            let ace_ok = filter["aceIds_any"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|v| v.as_str() == Some(org.accounting_entity.as_str()))
            });
            if !ace_ok {
                return gql_error("aceIds_any names no accounting entity of this organization");
            }
            let range = &filter["transactionDateTime_bt"];
            let (Some(start), Some(end)) = (
                range["rangeStart"].as_str().and_then(parse_day),
                range["rangeEnd"].as_str().and_then(parse_day),
            ) else {
                return gql_error("transactionDateTime_bt needs rangeStart and rangeEnd");
            };
            let moments = (
                range["rangeStart"].as_str().and_then(parse_moment),
                range["rangeEnd"].as_str().and_then(parse_moment),
            );
            let rows: Vec<Value> = org
                .transactions
                .iter()
                .filter(|t| match moments {
                    // Bare dates are midnight, times are read as sent.
                    (Some(from), Some(to)) if fx.quirks.bare_date_is_midnight => {
                        t.date >= from && t.date <= to
                    }
                    _ if fx.quirks.range_end_spills_a_day => {
                        let d = t.date.date_naive();
                        d >= start && d <= end + Duration::days(1)
                    }
                    _ => {
                        let d = t.date.date_naive();
                        d >= start && d <= end
                    }
                })
                .map(|t| {
                    json!({
                        "recordId": t.id,
                        "transactionCreationDate": upwork_date(t.date),
                        "transactionReviewDueDate": Value::Null,
                        "type": t.kind,
                        "accountingSubtype": t.subtype,
                        "descriptionUI": t.description,
                        "description": t.description,
                        "paymentStatus": t.payment_status,
                        "relatedAssignment": t.assignment,
                        "assignmentCompanyName": t.company,
                        "assignmentDeveloperName": fx.user.name,
                        "transactionAmount": money(t.amount_cents),
                        "amountCreditedToUser": money(t.amount_cents),
                        "runningChargeableBalance": money(t.balance_cents),
                    })
                })
                .collect();
            json!({ "transactionHistory": { "transactionDetail": { "transactionHistoryRow": rows } } })
        }
        "TimeReport" => {
            let filter = &vars["filter"];
            let range = &filter["timeReportDate_bt"];
            let start = range["rangeStart"].as_str().and_then(parse_day);
            let end = range["rangeEnd"].as_str().and_then(parse_day);
            let entries: Vec<(NaiveDate, &Contract)> = org
                .contracts
                .iter()
                .filter(|c| c.hourly)
                .flat_map(|c| {
                    let first = c.start.date_naive();
                    let last = c.end.unwrap_or(fx.today).date_naive();
                    first
                        .iter_days()
                        .take_while(move |d| *d <= last)
                        .filter(|d| d.weekday().number_from_monday() <= 5)
                        .map(move |d| (d, c))
                })
                .filter(|(d, _)| start.is_none_or(|s| *d >= s) && end.is_none_or(|e| *d <= e))
                .collect();
            let (range, info) = cursor_page(&entries, &vars["pagination"]);
            let edges: Vec<Value> = entries[range]
                .iter()
                .map(|(d, c)| {
                    json!({
                        "node": {
                            "dateWorkedOn": d.format("%Y-%m-%d").to_string(),
                            "totalHoursWorked": 2.5,
                            "totalCharges": 2.5 * c.rate_cents as f64 / 100.0,
                            // Fridays have no memo, as days often do not.
                            "memo": if d.weekday().number_from_monday() == 5 {
                                Value::Null
                            } else {
                                json!(format!("{}: {}", d.format("%a"), c.title))
                            },
                            "contract": { "id": c.id },
                        },
                    })
                })
                .collect();
            json!({ "contractTimeReport": {
                "totalCount": entries.len(),
                "pageInfo": info,
                "edges": edges,
            }})
        }
        "RoomList" => {
            let filter = &vars["filter"];
            let hidden_ok = filter["includeHidden_eq"].as_bool() == Some(true);
            let kind = filter["roomType_eq"].as_str();
            let subscribed = filter["subscribed_eq"].as_bool();
            // As seen on real accounts: without a room type, interviews are
            // left out; hidden rooms need includeHidden; rooms the user left
            // need subscribed_eq: false.
            let matching: Vec<&Room> = org
                .rooms
                .iter()
                .filter(|r| hidden_ok || !r.hidden)
                .filter(|r| match subscribed {
                    Some(s) => r.subscribed == s,
                    None => r.subscribed,
                })
                .filter(|r| match kind {
                    Some("ALL") => true,
                    Some(k) => r.kind == k,
                    None => subscribed.is_some() || r.kind != "INTERVIEW",
                })
                .collect();
            let (range, info) = cursor_page(&matching, &vars["pagination"]);
            let edges: Vec<Value> = matching[range]
                .iter()
                .map(|r| {
                    json!({ "node": {
                        "id": r.id,
                        "roomName": r.name,
                        "topic": r.topic,
                        "roomType": r.kind,
                        "hidden": r.hidden,
                        "contractId": r.contract_id,
                        "createdAtDateTime": r.created.timestamp_millis().to_string(),
                        "stories": { "totalCount": r.stories.len() },
                        "roomUsers": r.users.iter().map(|(id, name)| json!({
                            "user": { "id": id, "name": name },
                            "organization": { "name": Value::Null },
                        })).collect::<Vec<_>>(),
                    }})
                })
                .collect();
            json!({ "roomList": {
                "totalCount": matching.len(),
                "pageInfo": info,
                "edges": edges,
            }})
        }
        "RoomStories" | "RoomStoriesWithoutAuthor" => {
            let with_author = operation == "RoomStories";
            let filter = &vars["filter"];
            let Some(room) = filter["roomId_eq"]
                .as_str()
                .and_then(|id| org.rooms.iter().find(|r| r.id == id))
            else {
                return gql_error("roomId_eq names no room");
            };
            let (range, info) = cursor_page(&room.stories, &filter["storyFilter"]["pagination"]);
            let first = range.start;
            let mut errors = Vec::new();
            let edges: Vec<Value> = room.stories[range]
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let user = match &s.user {
                        Some((id, name)) => json!({ "id": id, "name": name }),
                        None if with_author => {
                            // Null bubbling: the non-null user nulls the story.
                            errors.push(json!({
                                "message": "Cannot return null for non-nullable field RoomStory.user",
                                "path": ["roomStories", "edges", i, "node", "user"],
                            }));
                            return json!({ "cursor": (first + i).to_string(), "node": Value::Null });
                        }
                        None => Value::Null,
                    };
                    let mut edge = json!({
                        "node": {
                            "id": s.id,
                            "createdDateTime": iso(s.created),
                            "message": s.message,
                            "user": user,
                            "attachments": s.attachment.as_ref().map(|name| vec![json!({
                                "objectReferenceId": format!("att-{}", s.id),
                                "objectType": "file",
                                "metadata": [{ "key": "fileName", "value": name }],
                            })]).unwrap_or_default(),
                        },
                    });
                    if !with_author && let Some(node) = edge["node"].as_object_mut() {
                        node.remove("user");
                    }
                    edge
                })
                .collect();
            let data = json!({ "roomStories": {
                "totalCount": room.stories.len(),
                "pageInfo": info,
                "edges": edges,
            }});
            if errors.is_empty() {
                data
            } else {
                return json!({ "data": data, "errors": errors });
            }
        }
        "WorkHistory" => {
            let filter = &vars["filter"];
            if filter["personId"].as_str() != Some(fx.user.id.as_str()) {
                return gql_error("personId names no talent");
            }
            let offset = filter["pagination"]["offset"].as_u64().unwrap_or(0) as usize;
            let limit = filter["pagination"]["limit"].as_u64().unwrap_or(10) as usize;
            let listed: Vec<&Contract> = org
                .contracts
                .iter()
                .filter(|c| !org.work_history_omits.contains(&c.id))
                .collect();
            let list: Vec<Value> = listed
                .iter()
                .skip(offset)
                .take(limit)
                .map(|c| {
                    let fb = |f: &Option<(f64, String)>| match f {
                        Some((score, comment)) => json!({ "score": score, "comment": comment }),
                        None => Value::Null,
                    };
                    json!({
                        "contract": {
                            "id": c.id,
                            "title": c.title,
                            "startDate": day(c.start),
                            "endDate": c.end.map(day),
                            "status": c.status,
                            "clientOrgId": c.client_org.0,
                            "terms": {
                                "jobType": if c.hourly { "HOURLY" } else { "FIXED" },
                                "hourlyRate": c.hourly.then(|| format!("{:.2}", c.rate_cents as f64 / 100.0)),
                                "fixedAmount": (!c.hourly).then(|| format!("{:.2}", c.charged_cents as f64 / 100.0)),
                            },
                        },
                        "contractAggregate": {
                            "totalCharge": format!("{:.2}", c.charged_cents as f64 / 100.0),
                            "hours": format!("{:.2}", c.hours),
                        },
                        "feedback": {
                            "feedbackToFreelancer": fb(&c.feedback_received),
                            "feedbackToClient": fb(&c.feedback_given),
                        },
                        "opening": { "title": c.title },
                    })
                })
                .collect();
            json!({ "talentWorkHistory": {
                "totalCount": listed.len(),
                "workHistoryList": list,
            }})
        }
        other => return gql_error(&format!("Cannot query unknown operation {other}")),
    };
    json!({ "data": data })
}

/// Used by the benchmark to print something readable.
pub fn describe(fixture: &Fixture) -> String {
    let org = &fixture.orgs[0];
    let messages: usize = org.rooms.iter().map(|r| r.stories.len()).sum();
    format!(
        "{} transactions since {}, {} contracts, {} proposals, {} rooms with {} messages",
        org.transactions.len(),
        org.created.format("%b %Y"),
        org.contracts.len(),
        org.proposals.len(),
        org.rooms.len(),
        messages,
    )
}

/// How many calendar months from the organisation's creation to today.
pub fn months_of_history(fixture: &Fixture, org: &str) -> u32 {
    let org = fixture.org(org).expect("organisation");
    let (a, b) = (org.created, fixture.today);
    ((b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 + 1) as u32
}

pub fn all_room_ids(org: &Org) -> HashMap<String, usize> {
    org.rooms
        .iter()
        .map(|r| (r.id.clone(), r.stories.len()))
        .collect()
}
