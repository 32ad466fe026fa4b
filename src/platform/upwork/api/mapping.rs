//! Upwork's answers into Offboard's model. Every reader is lenient: a field
//! the API leaves out or shapes differently becomes a default, not a failure,
//! because a leaving user needs the rest of their data either way.

use crate::model::account::{
    AccountKind, Contract, ContractKind, ContractStatus, Feedback, JobPost, JobPostStatus, Message,
    MessageRoom, Milestone, MilestoneStatus, Offer, OfferStatus, PaymentStatus, Proposal,
    ProposalStatus, Review, TeamMember, Transaction, TransactionKind,
};
use crate::model::money::Money;
use crate::model::review::{hourly_available_on, manual_payment_available_on};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

// ---------------------------------------------------------------- readers

/// The value at `path`, or `Null`.
pub(crate) fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    let mut v = value;
    for key in path {
        match v.get(key) {
            Some(next) => v = next,
            None => return &Value::Null,
        }
    }
    v
}

/// A non-empty string at `path` (numbers are read as their text).
pub(crate) fn text(value: &Value, path: &[&str]) -> Option<String> {
    match at(value, path) {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn list<'a>(value: &'a Value, path: &[&str]) -> &'a [Value] {
    at(value, path).as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn number(value: &Value, path: &[&str]) -> Option<f64> {
    let number = match at(value, path) {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse().ok(),
        _ => None,
    };
    // "NaN" and "inf" parse, but JSON cannot hold them: an export would
    // write null and could not read its own file back on resume.
    number.filter(|n| n.is_finite())
}

/// A date at `path`: a string, or a `DateTime` object (`rawValue`).
pub(crate) fn date(value: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    let v = at(value, path);
    match v {
        Value::String(s) => parse_date(s),
        Value::Number(n) => n.as_i64().and_then(epoch),
        Value::Object(_) => text(v, &["rawValue"])
            .and_then(|s| parse_date(&s))
            .or_else(|| text(v, &["displayValue"]).and_then(|s| parse_date(&s))),
        _ => None,
    }
}

/// A money object at `path` (`rawValue` as a string), or a bare amount.
pub(crate) fn money(value: &Value, path: &[&str]) -> Option<Money> {
    let v = at(value, path);
    match v {
        Value::Object(_) => text(v, &["rawValue"])
            .and_then(|s| parse_money(&s))
            .or_else(|| text(v, &["displayValue"]).and_then(|s| parse_money(&s))),
        Value::String(s) => parse_money(s),
        // `1e30` would read as its digits, 130.
        Value::Number(n) => Some(n.to_string())
            .filter(|s| !s.contains(['e', 'E']))
            .and_then(|s| parse_money(&s)),
        _ => None,
    }
}

fn epoch(n: i64) -> Option<DateTime<Utc>> {
    // Milliseconds since 1970 from about 1973 on; seconds otherwise.
    // (`unsigned_abs`: `abs` of i64::MIN overflows.)
    let d = if n.unsigned_abs() >= 100_000_000_000 {
        Utc.timestamp_millis_opt(n).single()
    } else {
        Utc.timestamp_opt(n, 0).single()
    };
    d.filter(plausible)
}

/// Dates outside years 1900 to 9999 are unreadable, not dates: the model
/// adds days and weeks to them (money in review, billing weeks), which
/// near chrono's limits would overflow.
fn plausible(d: &DateTime<Utc>) -> bool {
    (1900..=9999).contains(&chrono::Datelike::year(d))
}

/// The largest amount read, in cents ($10 billion): far beyond any Upwork
/// payment, and small enough that adding up a lifetime of them cannot
/// overflow.
const MAX_CENTS: i64 = 1_000_000_000_000;

/// Reads the date shapes Upwork uses: RFC 3339, an offset without a colon
/// (`2025-12-31T00:00:00+0000`), fractions, no zone (UTC), a space for the
/// `T`, a bare date, `yyyymmdd`, and epoch seconds or milliseconds.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    parse_any_date(raw).filter(plausible)
}

fn parse_any_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) || (s.starts_with('-') && s.len() > 1) {
        if s.len() == 8 && (s.starts_with("19") || s.starts_with("20")) {
            return NaiveDate::parse_from_str(s, "%Y%m%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| Utc.from_utc_datetime(&d));
        }
        return s.parse::<i64>().ok().and_then(epoch);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let spaced = s.replacen(' ', "T", 1);
    let s = spaced.as_str();
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, format) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let naive = s.trim_end_matches('Z');
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, format) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

/// Reads a decimal amount into cents without floats: `1234.5`, `-1,234.50`,
/// `$12`, `(12.00)` for a negative, `USD 3.10`. Rounds half away from zero
/// past the cents. Amounts beyond $10 billion are unreadable.
pub fn parse_money(raw: &str) -> Option<Money> {
    let s = raw.trim();
    let negative =
        s.starts_with('-') || s.contains("-$") || (s.starts_with('(') && s.ends_with(')'));
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() || !digits.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits.as_str(), ""),
    };
    if fraction.contains('.') {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut frac = fraction.bytes().map(|b| i64::from(b - b'0'));
    let tenths = frac.next().unwrap_or(0);
    let hundredths = frac.next().unwrap_or(0);
    let round = i64::from(frac.next().unwrap_or(0) >= 5);
    let cents = whole
        .checked_mul(100)?
        .checked_add(tenths * 10 + hundredths + round)?;
    if cents > MAX_CENTS {
        return None;
    }
    Some(Money::from_cents(if negative { -cents } else { cents }))
}

// ---------------------------------------------------------------- records

/// Names and amounts found elsewhere that a record refers to.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct ContractTotals {
    pub charged: Money,
    pub hours: Option<f64>,
}

pub(crate) fn contract(
    node: &Value,
    kind: AccountKind,
    totals: Option<ContractTotals>,
    today: DateTime<Utc>,
) -> Option<Contract> {
    let id = text(node, &["id"])?;
    let hourly_terms = list(node, &["terms", "hourlyTerms"]);
    let fixed_terms = list(node, &["terms", "fixedPriceTerms"]);
    let contract_kind = if hourly_terms.is_empty() && !fixed_terms.is_empty() {
        ContractKind::FixedPrice
    } else if !hourly_terms.is_empty() {
        ContractKind::Hourly
    } else {
        ContractKind::FixedPrice
    };
    let status = match text(node, &["status"]).as_deref() {
        Some("CLOSED") => ContractStatus::Ended,
        Some("PAUSED") => ContractStatus::Paused,
        // Anything unknown counts as open: better a blocker too many.
        _ => ContractStatus::Active,
    };
    let started = date(node, &["startDate"])
        .or_else(|| date(node, &["createDate"]))
        .unwrap_or(today);
    let ended = match status {
        ContractStatus::Ended => Some(date(node, &["endDate"]).unwrap_or(started)),
        _ => None,
    };
    let (counterparty, company) = match kind {
        AccountKind::Client => {
            let agency = at(node, &["metadata", "agencyContract"]).as_bool() == Some(true);
            (
                text(node, &["freelancer", "name"]).unwrap_or_else(|| "the freelancer".into()),
                if agency {
                    text(node, &["vendorOrganization", "name"])
                } else {
                    None
                },
            )
        }
        _ => {
            let company = text(node, &["clientOrganization", "name"]);
            (
                text(node, &["hiringManager", "name"])
                    .or_else(|| company.clone())
                    .unwrap_or_else(|| "the client".into()),
                company,
            )
        }
    };
    let current_hourly = latest(hourly_terms);
    let hourly_rate = current_hourly.and_then(|t| money(t, &["hourlyRate"]));
    let weekly_limit_hours = latest(list(node, &["hourlyLimits"]))
        .and_then(|l| number(l, &["weeklyLimit"]))
        .filter(|h| *h > 0.0 && *h < 1000.0)
        .map(|h| h.round() as u32);
    let milestones: Vec<Milestone> = fixed_terms
        .iter()
        .flat_map(|t| list(t, &["milestones"]))
        .map(milestone)
        .collect();
    let paid: Money = milestones
        .iter()
        .filter(|m| m.status == MilestoneStatus::Paid)
        .map(|m| m.amount)
        .sum();
    let (total_billed, hours_billed) = match totals {
        Some(t) => (
            t.charged,
            t.hours.or(match contract_kind {
                ContractKind::Hourly => Some(0.0),
                ContractKind::FixedPrice => None,
            }),
        ),
        None => (
            paid,
            match contract_kind {
                ContractKind::Hourly => Some(0.0),
                ContractKind::FixedPrice => None,
            },
        ),
    };
    let assignee = match kind {
        AccountKind::Agency => text(node, &["freelancer", "name"]),
        _ => None,
    };
    Some(Contract {
        title: text(node, &["title"]).unwrap_or_else(|| format!("Contract {id}")),
        id,
        counterparty,
        counterparty_company: company,
        kind: contract_kind,
        status,
        started,
        ended,
        hourly_rate,
        weekly_limit_hours,
        total_billed,
        hours_billed: hours_billed.filter(|_| contract_kind == ContractKind::Hourly),
        milestones,
        assignee,
    })
}

/// The term or limit in force: the one without an end date, else the last.
fn latest(items: &[Value]) -> Option<&Value> {
    items
        .iter()
        .find(|t| date(t, &["endDate"]).is_none())
        .or_else(|| items.last())
}

fn milestone(node: &Value) -> Milestone {
    let status = match text(node, &["state"]).as_deref() {
        Some("Paid" | "PaidByUpwork" | "PaidBySystem") => MilestoneStatus::Paid,
        Some("Active" | "Submitted" | "Rejected" | "RejectedByUpwork" | "RejectedBySystem") => {
            MilestoneStatus::InEscrow
        }
        Some(
            "CancelledByClient"
            | "CancelledByFreelancer"
            | "CancelledByUpwork"
            | "CancelledBySystem"
            | "NotFundedClosed"
            | "OfferCancelled",
        ) => MilestoneStatus::Refunded,
        _ => MilestoneStatus::Pending,
    };
    let amount = match status {
        MilestoneStatus::Paid => money(node, &["paid"]).filter(|m| !m.is_zero()),
        MilestoneStatus::InEscrow => money(node, &["currentEscrowAmount"]).filter(|m| !m.is_zero()),
        _ => None,
    }
    .or_else(|| money(node, &["depositAmount"]))
    .unwrap_or_default();
    Milestone {
        title: text(node, &["description"]).unwrap_or_else(|| "Milestone".into()),
        amount,
        status,
        due: date(node, &["dueDateTime"]),
    }
}

/// An offer a freelancer or agency received (`offersByAttribute`).
pub(crate) fn vendor_offer(node: &Value, today: DateTime<Utc>) -> Option<Offer> {
    let id = text(node, &["id"])?;
    let kind = if text(node, &["type"]).is_some_and(|t| t.contains("HOURLY")) {
        ContractKind::Hourly
    } else {
        ContractKind::FixedPrice
    };
    let status = match text(node, &["state"]).as_deref() {
        Some("ACCEPTED") => OfferStatus::Accepted,
        Some("REJECTED" | "DENIED") => OfferStatus::Declined,
        Some("EXPIRED" | "FAILED") => OfferStatus::Expired,
        Some(
            "WITHDRAWN" | "CANCELED" | "DISCARDED" | "DELETED" | "REPLACED" | "DRAFT"
            | "DRAFT_CHANGED",
        ) => OfferStatus::Withdrawn,
        // Submitted, awaiting approval, funded…: waiting for an answer.
        _ => OfferStatus::Pending,
    };
    let amount = match kind {
        ContractKind::Hourly => money(node, &["offerTerms", "hourlyTerms", "rate"]),
        ContractKind::FixedPrice => money(node, &["offerTerms", "fixedPriceTerm", "budget"]),
    }
    .or_else(|| {
        let deposits: Money = list(node, &["milestones"])
            .iter()
            .filter_map(|m| money(m, &["depositAmount"]))
            .sum();
        (!deposits.is_zero()).then_some(deposits)
    })
    .unwrap_or_default();
    let sent = list(node, &["milestones"])
        .iter()
        .filter_map(|m| date(m, &["createdDateTime"]))
        .min()
        .or_else(|| date(node, &["offerTerms", "expectedStartDate"]))
        .unwrap_or(today);
    Some(Offer {
        title: text(node, &["title"]).unwrap_or_else(|| format!("Offer {id}")),
        id,
        counterparty: text(node, &["clientCompany", "name"])
            .or_else(|| text(node, &["client", "name"]))
            .unwrap_or_else(|| "the client".into()),
        sent,
        status,
        kind,
        amount,
    })
}

/// An offer a client sent (`organization.clientOffers`).
pub(crate) fn client_offer(node: &Value, today: DateTime<Utc>) -> Option<Offer> {
    let id = text(node, &["id"])?;
    let kind = if text(node, &["type"]).as_deref() == Some("Hourly") {
        ContractKind::Hourly
    } else {
        ContractKind::FixedPrice
    };
    let status = match text(node, &["state"]).as_deref() {
        Some("Pending") | None => OfferStatus::Pending,
        _ => OfferStatus::Accepted,
    };
    let terms = &["offer", "offerTerms"];
    let amount = match kind {
        ContractKind::Hourly => money(at(node, terms), &["hourlyTerms", "rate"]),
        ContractKind::FixedPrice => money(at(node, terms), &["fixedPriceTerm", "budget"]),
    }
    .unwrap_or_default();
    Some(Offer {
        title: text(node, &["title"]).unwrap_or_else(|| format!("Offer {id}")),
        id,
        counterparty: text(node, &["freelancer", "name"])
            .unwrap_or_else(|| "the freelancer".into()),
        sent: date(node, &["offerCreatedDateTime"])
            .or_else(|| date(node, &["startDateTime"]))
            .unwrap_or(today),
        status,
        kind,
        amount,
    })
}

/// The status names `vendorProposals` filters by, one per query
/// (`VendorProposalStatusName` in the schema).
pub(crate) static PROPOSAL_STATUSES: [&str; 8] = [
    "Accepted",
    "Pending",
    "Offered",
    "Activated",
    "Hired",
    "Declined",
    "Withdrawn",
    "Archived",
];

/// The statuses still open on Upwork: each blocks closing until withdrawn
/// (see [`proposal_status`] for where each reading comes from).
pub(crate) static OPEN_PROPOSAL_STATUSES: [&str; 4] =
    ["Accepted", "Activated", "Pending", "Offered"];

/// What each `VendorProposalStatusName` means to someone leaving.
fn proposal_status(name: &str) -> ProposalStatus {
    match name {
        // Confirmed by real clients (FACTS.md, "Proposals"): Accepted is a
        // submitted proposal (accepted for the client's review), Activated
        // is one the client opened an interview on. Both are still open.
        "Accepted" | "Activated" => ProposalStatus::Submitted,
        // The schema's descriptions (VendorProposalStatusName), not yet seen
        // on a real account, so read as open to never miss a blocker:
        // Offered = "the freelancer has been sent an Offer" (the offer is
        // still unanswered); Pending = created, validation to be repeated.
        // Created is deprecated: a proposal not yet submitted.
        "Pending" | "Offered" | "Created" => ProposalStatus::Submitted,
        // Confirmed (FACTS.md): Hired ended in a contract.
        "Hired" => ProposalStatus::Hired,
        // Confirmed closed (FACTS.md): Declined, Withdrawn, Archived. From
        // the schema: Invalid failed validation; Rejected and Replaced are
        // deprecated closed names.
        "Declined" | "Rejected" | "Invalid" => ProposalStatus::Declined,
        "Withdrawn" | "Replaced" => ProposalStatus::Withdrawn,
        _ => ProposalStatus::Archived,
    }
}

pub(crate) fn proposal(
    node: &Value,
    queried_status: &str,
    today: DateTime<Utc>,
) -> Option<Proposal> {
    let id = text(node, &["id"])?;
    let status_name = text(node, &["status", "status"]).unwrap_or_else(|| queried_status.into());
    let bid_kind = match text(
        node,
        &["marketplaceJobPosting", "contractTerms", "contractType"],
    )
    .as_deref()
    {
        Some("HOURLY") => ContractKind::Hourly,
        _ => ContractKind::FixedPrice,
    };
    Some(Proposal {
        job_title: text(node, &["marketplaceJobPosting", "content", "title"])
            .unwrap_or_else(|| format!("Proposal {id}")),
        id,
        client: "the client".into(),
        submitted: date(node, &["auditDetails", "createdDateTime"]).unwrap_or(today),
        status: proposal_status(&status_name),
        bid: money(node, &["terms", "chargeRate"]).unwrap_or_default(),
        bid_kind,
        connects_spent: 0,
        cover_letter: text(node, &["proposalCoverLetter"]).unwrap_or_default(),
    })
}

/// Job-post statuses that still take proposals.
pub(crate) const OPEN_JOB_STATUSES: [&str; 3] = [
    "REQUESTED",
    "VERIFICATION_PENDING",
    "PENDING_PAYMENT_METHOD",
];

pub(crate) fn job_post(node: &Value, today: DateTime<Utc>) -> Option<JobPost> {
    let id = text(node, &["id"])?;
    let status = match text(node, &["info", "status"]).as_deref() {
        Some(s) if OPEN_JOB_STATUSES.contains(&s) => JobPostStatus::Open,
        Some("FILLED") => JobPostStatus::Filled,
        _ => JobPostStatus::Closed,
    };
    let hourly = text(node, &["contractTerms", "contractType"]).as_deref() == Some("HOURLY");
    let budget = if hourly {
        money(node, &["info", "hourlyBudgetMax"])
    } else {
        money(
            node,
            &["contractTerms", "fixedPriceContractTerms", "amount"],
        )
    }
    .unwrap_or_default();
    Some(JobPost {
        title: text(node, &["content", "title"]).unwrap_or_else(|| format!("Job post {id}")),
        id,
        posted: date(node, &["info", "publishDateTime"])
            .or_else(|| date(node, &["info", "auditTime", "createdDateTime"]))
            .unwrap_or(today),
        status,
        kind: if hourly {
            ContractKind::Hourly
        } else {
            ContractKind::FixedPrice
        },
        budget,
        proposals_received: number(node, &["proposalsStatistics", "totalProposals"])
            .map(|n| n.max(0.0) as u32)
            .unwrap_or(0),
    })
}

/// A member other than the owner and the user themself, or `None`.
pub(crate) fn team_member(node: &Value, user_id: &str, today: DateTime<Utc>) -> Option<TeamMember> {
    let staff_type = number(node, &["staffType"]).map(|n| n as i64);
    let member_id = text(node, &["user", "id"]);
    if staff_type == Some(3) || member_id.as_deref() == Some(user_id) {
        return None;
    }
    let id = text(node, &["id"]).or_else(|| member_id.clone())?;
    Some(TeamMember {
        name: text(node, &["user", "name"]).unwrap_or_else(|| format!("Member {id}")),
        id,
        email: String::new(),
        role: if staff_type == Some(2) {
            "Invited".into()
        } else {
            "Member".into()
        },
        joined: date(node, &["creationDate"]).unwrap_or(today),
    })
}

/// The kind of a transaction row, read as the CSV files' are; an invoice
/// paid out of the account that Upwork types vaguely is a payment.
fn transaction_kind(
    kind: &str,
    subtype: &str,
    description: &str,
    amount: Money,
) -> TransactionKind {
    let words = format!("{kind} {subtype}");
    match crate::platform::upwork::vocabulary::transaction_kind(&words, description) {
        Some(TransactionKind::Adjustment) | None
            if description.to_ascii_lowercase().contains("invoice") && amount.is_negative() =>
        {
            TransactionKind::Payment
        }
        Some(kind) => kind,
        None => TransactionKind::Adjustment,
    }
}

pub(crate) fn transaction(row: &Value, today: DateTime<Utc>) -> Option<Transaction> {
    let id = text(row, &["recordId"])?;
    let date = date(row, &["transactionCreationDate"]).unwrap_or(today);
    let amount = money(row, &["amountCreditedToUser"])
        .or_else(|| money(row, &["transactionAmount"]))
        .unwrap_or_default();
    let description = text(row, &["descriptionUI"])
        .or_else(|| text(row, &["description"]))
        .unwrap_or_default();
    let kind = transaction_kind(
        &text(row, &["type"]).unwrap_or_default(),
        &text(row, &["accountingSubtype"]).unwrap_or_default(),
        &description,
        amount,
    );
    let payment = text(row, &["paymentStatus"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    let due = date_of(row, "transactionReviewDueDate");
    let (status, available_on) = if payment.contains("review") {
        (
            PaymentStatus::InReview,
            Some(due.unwrap_or_else(|| hourly_available_on(date))),
        )
    } else if payment.contains("unpaid")
        || payment.contains("overdue")
        || payment.contains("outstanding")
        || payment == "due"
    {
        (PaymentStatus::Unpaid, None)
    } else if payment.contains("pending")
        || payment.contains("processing")
        || payment.contains("hold")
    {
        let on = due.unwrap_or_else(|| match kind {
            TransactionKind::Hourly => hourly_available_on(date),
            _ => manual_payment_available_on(date),
        });
        (PaymentStatus::Pending, Some(on))
    } else {
        (PaymentStatus::Available, None)
    };
    Some(Transaction {
        id,
        date,
        kind,
        description,
        counterparty: text(row, &["assignmentCompanyName"]),
        contract_id: text(row, &["relatedAssignment"]).filter(|a| a != "0"),
        amount,
        balance_after: money(row, &["runningChargeableBalance"]).unwrap_or_default(),
        status,
        available_on,
    })
}

fn date_of(row: &Value, field: &str) -> Option<DateTime<Utc>> {
    date(row, &[field])
}

/// The totals per contract a work-history entry carries.
pub(crate) fn work_totals(entry: &Value) -> Option<(String, ContractTotals)> {
    let id = text(entry, &["contract", "id"])?;
    let charged = money(entry, &["contractAggregate", "totalCharge"]).unwrap_or_default();
    let hours = number(entry, &["contractAggregate", "hours"]);
    Some((id, ContractTotals { charged, hours }))
}

fn review(node: &Value, on: DateTime<Utc>) -> Option<Review> {
    let score = number(node, &["score"])?;
    Some(Review {
        score: score.clamp(0.0, 5.0) as f32,
        comment: text(node, &["comment"]).unwrap_or_default(),
        date: on,
    })
}

/// Feedback on one contract, either way, if any was left.
pub(crate) fn feedback(
    entry: &Value,
    counterparty: impl FnOnce(&str) -> Option<String>,
    today: DateTime<Utc>,
) -> Option<Feedback> {
    let id = text(entry, &["contract", "id"])?;
    let on = date(entry, &["contract", "endDate"]).unwrap_or(today);
    let received = review(at(entry, &["feedback", "feedbackToFreelancer"]), on);
    let given = review(at(entry, &["feedback", "feedbackToClient"]), on);
    if received.is_none() && given.is_none() {
        return None;
    }
    let client = text(entry, &["contract", "clientOrgId"])
        .and_then(|org| counterparty(&org))
        .unwrap_or_else(|| "the client".into());
    Some(Feedback {
        contract_title: text(entry, &["contract", "title"])
            .or_else(|| text(entry, &["opening", "title"]))
            .unwrap_or_else(|| format!("Contract {id}")),
        contract_id: id,
        counterparty: client,
        received,
        given,
    })
}

/// A room without its messages yet.
pub(crate) fn room(node: &Value) -> Option<MessageRoom> {
    let id = text(node, &["id"])?;
    let mut participants: Vec<String> = Vec::new();
    for u in list(node, &["roomUsers"]) {
        if let Some(name) =
            text(u, &["user", "name"]).or_else(|| text(u, &["organization", "name"]))
            && !participants.contains(&name)
        {
            participants.push(name);
        }
    }
    Some(MessageRoom {
        topic: text(node, &["topic"])
            .or_else(|| text(node, &["roomName"]))
            .unwrap_or_else(|| "Conversation".into()),
        id,
        contract_id: text(node, &["contractId"]),
        participants,
        messages: Vec::new(),
    })
}

/// The author of a message Upwork names no author for: a system message
/// (contract started, milestone paid…) or one from a deleted user.
pub const UNKNOWN_AUTHOR: &str = "Unknown or system";

pub(crate) fn message(node: &Value, today: DateTime<Utc>) -> Option<Message> {
    let id = text(node, &["id"])?;
    let attachments = list(node, &["attachments"])
        .iter()
        .filter_map(|a| {
            let named = list(a, &["metadata"]).iter().find_map(|m| {
                let key = text(m, &["key"])?.to_ascii_lowercase();
                (key.contains("name"))
                    .then(|| text(m, &["value"]))
                    .flatten()
            });
            named
                .or_else(|| text(a, &["objectReferenceId"]))
                .or_else(|| text(a, &["objectType"]))
        })
        .collect();
    Some(Message {
        id,
        sent: date(node, &["createdDateTime"]).unwrap_or(today),
        author: text(node, &["user", "name"]).unwrap_or_else(|| UNKNOWN_AUTHOR.into()),
        text: match at(node, &["message"]) {
            Value::String(s) => s.clone(),
            _ => String::new(),
        },
        attachments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    #[test]
    fn numbers_json_cannot_hold_are_no_numbers() {
        let value = json!({ "a": "NaN", "b": "inf", "c": "1,234.5", "d": 4 });
        assert_eq!(number(&value, &["a"]), None);
        assert_eq!(number(&value, &["b"]), None);
        assert_eq!(number(&value, &["c"]), Some(1234.5));
        assert_eq!(number(&value, &["d"]), Some(4.0));
    }

    #[test]
    fn dates_parse_leniently() {
        let midnight = utc(2025, 12, 31, 0, 0, 0);
        for s in [
            "2025-12-31T00:00:00+0000",
            "2025-12-31T00:00:00+00:00",
            "2025-12-31T00:00:00Z",
            "2025-12-31T00:00:00.000Z",
            "2025-12-31T00:00:00.000+0000",
            "2025-12-31T00:00:00",
            "2025-12-31 00:00:00",
            "2025-12-31",
            "20251231",
            " 2025-12-31T01:00:00+0100 ",
            "1767139200000",
            "1767139200",
        ] {
            assert_eq!(parse_date(s), Some(midnight), "{s}");
        }
        assert_eq!(
            parse_date("2025-12-31T10:30+0200"),
            Some(utc(2025, 12, 31, 8, 30, 0))
        );
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(
            date(
                &json!({"d": {"rawValue": "2024-02-29T12:00:00Z", "displayValue": "Feb 29"}}),
                &["d"]
            ),
            Some(utc(2024, 2, 29, 12, 0, 0))
        );
    }

    /// Values from a hostile or broken server: unreadable, never a panic
    /// (here or later, where the model adds days to dates and sums money).
    #[test]
    fn extreme_dates_and_amounts_are_unreadable_not_panics() {
        for s in [
            "-9223372036854775808",
            "9223372036854775807",
            "8200000000000000000",
            "-8200000000000000000",
            "+262142-12-31T23:59:59Z",
            "0001-01-01",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(date(&json!({ "d": i64::MIN }), &["d"]), None);
        assert_eq!(
            date(&json!({ "d": 8_200_000_000_000_000_000i64 }), &["d"]),
            None
        );
        let row = json!({ "recordId": "r", "transactionCreationDate": 8_200_000_000_000_000_000i64,
            "type": "Hourly", "paymentStatus": "In Review",
            "amountCreditedToUser": { "rawValue": "92233720368547758.07" } });
        let t = transaction(&row, utc(2026, 3, 1, 0, 0, 0)).unwrap();
        assert_eq!(t.amount, Money::ZERO);
        for s in [
            "92233720368547758.99",
            "92233720368547758",
            "10000000000.01",
        ] {
            assert_eq!(parse_money(s), None, "{s}");
        }
        // A JSON number in exponent form is not read as its digits ($130).
        assert_eq!(money(&json!({ "m": 1e30 }), &["m"]), None);
        assert_eq!(
            money(&json!({ "m": 12.5 }), &["m"]),
            Some(Money::from_cents(1_250))
        );
        assert_eq!(
            parse_money("-10000000000.00").map(|m| m.cents),
            Some(-MAX_CENTS)
        );
    }

    #[test]
    fn money_parses_without_floats() {
        let c = |s: &str| parse_money(s).map(|m| m.cents);
        assert_eq!(c("1234.5"), Some(123_450));
        assert_eq!(c("-1,234.50"), Some(-123_450));
        assert_eq!(c("$12"), Some(1_200));
        assert_eq!(c("-$0.07"), Some(-7));
        assert_eq!(c("(12.00)"), Some(-1_200));
        assert_eq!(c("0.005"), Some(1));
        assert_eq!(c("USD 3.10"), Some(310));
        assert_eq!(c("abc"), None);
        assert_eq!(c("1.2.3"), None);
        assert_eq!(
            money(
                &json!({"m": {"rawValue": "99.99", "currency": "USD"}}),
                &["m"]
            ),
            Some(Money::from_cents(9_999))
        );
    }

    #[test]
    fn transactions_map_status_and_kind() {
        let today = utc(2026, 3, 1, 0, 0, 0);
        let row = json!({
            "recordId": "r1", "transactionCreationDate": "2026-02-25T00:00:00+0000",
            "type": "Hourly", "paymentStatus": "In Review",
            "amountCreditedToUser": {"rawValue": "120.00", "currency": "USD"},
            "runningChargeableBalance": {"rawValue": "500.00", "currency": "USD"},
            "relatedAssignment": 0
        });
        let t = transaction(&row, today).unwrap();
        assert_eq!(t.kind, TransactionKind::Hourly);
        assert_eq!(t.status, PaymentStatus::InReview);
        assert_eq!(t.available_on, Some(hourly_available_on(t.date)));
        assert_eq!(t.amount, Money::from_dollars(120));
        assert_eq!(t.contract_id, None);
        let fee = json!({"recordId": "r2", "type": "Withdrawal Fee", "paymentStatus": "Paid",
            "transactionAmount": {"rawValue": "-2.00"}});
        let t = transaction(&fee, today).unwrap();
        assert_eq!(t.kind, TransactionKind::WithdrawalFee);
        assert_eq!(t.status, PaymentStatus::Available);
        assert_eq!(t.date, today);
    }
}
