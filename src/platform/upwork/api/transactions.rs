//! Transactions, month by month from the month the organisation was created.
//!
//! `transactionHistory` is not paginated, so each month is one read; up to
//! six months go in one request through aliases. A month that has ended
//! and holds only settled rows cannot change any more: it is kept after
//! the review reads it, so the export reads again only the current month
//! and months with money still in review, pending or unpaid.

use super::{UpworkPlatform, lock};
use crate::model::account::{AccountSummary, PaymentStatus, Transaction};
use crate::platform::RecordStream;
use crate::platform::upwork::api::client::ApiError;
use crate::platform::upwork::api::mapping::{self, list, text};
use crate::platform::upwork::api::queries::{self, TRANSACTION_HISTORY_BATCH};
use crate::platform::upwork::api::stream::Page;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// Per account, the months that can no longer change, as read (record ids
/// not yet deduplicated against the month before).
pub(super) type SettledMonths = HashMap<String, HashMap<NaiveDate, Arc<Vec<Transaction>>>>;

pub(super) fn month_start(d: DateTime<Utc>) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or_default()
}

fn month_end(month: NaiveDate) -> NaiveDate {
    month
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month)
}

impl UpworkPlatform {
    pub(super) fn accounting_entity(&self, account: &AccountSummary) -> Result<String, ApiError> {
        if let Some(id) = lock(&self.entities).get(&account.id) {
            return Ok(id.clone());
        }
        let data = self.call(
            &queries::ACCOUNTING_ENTITY,
            json!({}),
            Some(&account.id),
            "Accounting entity",
        )?;
        let id = text(&data, &["accountingEntity", "id"]).ok_or_else(|| ApiError::Malformed {
            query: queries::ACCOUNTING_ENTITY.field.into(),
            detail: "the answer has no accounting entity id".into(),
        })?;
        lock(&self.entities).insert(account.id.clone(), id.clone());
        Ok(id)
    }

    /// Every transaction, month by month, each month in date order.
    pub(super) fn transaction_stream(
        &self,
        account: &AccountSummary,
    ) -> RecordStream<'_, Transaction> {
        let account = account.clone();
        let last = month_start(self.today);
        let mut months: VecDeque<NaiveDate> =
            std::iter::successors(Some(month_start(account.member_since)), |m| {
                m.checked_add_months(Months::new(1))
            })
            .take_while(|m| *m <= last)
            .collect();
        let mut ready: VecDeque<Arc<Vec<Transaction>>> = VecDeque::new();
        let mut seen = 0u64;
        // Record ids of the month before: a server that reads the bounds
        // inclusively on both sides sends a boundary row twice. Only
        // neighbouring months can overlap, so memory stays one month's ids.
        let mut previous_ids: HashSet<String> = HashSet::new();
        self.stream(move || {
            loop {
                if let Some(rows) = ready.pop_front() {
                    let mut ids: HashSet<String> = HashSet::with_capacity(rows.len());
                    let mut transactions: Vec<Transaction> = rows
                        .iter()
                        .filter(|t| !previous_ids.contains(&t.id) && ids.insert(t.id.clone()))
                        .cloned()
                        .collect();
                    previous_ids = ids;
                    transactions.sort_by_key(|t| t.date);
                    seen += transactions.len() as u64;
                    if months.is_empty() && ready.is_empty() {
                        lock(&self.transaction_counts).insert(account.id.clone(), seen);
                        return Ok(Page::Last(transactions));
                    }
                    return Ok(Page::More(transactions));
                }
                if months.is_empty() {
                    lock(&self.transaction_counts).insert(account.id.clone(), seen);
                    return Ok(Page::Last(Vec::new()));
                }
                ready.extend(self.next_months(&account, &mut months)?);
            }
        })
    }

    /// The next months in order: settled ones from memory, up to one
    /// aliased request's worth of the others from Upwork.
    fn next_months(
        &self,
        account: &AccountSummary,
        months: &mut VecDeque<NaiveDate>,
    ) -> Result<Vec<Arc<Vec<Transaction>>>, ApiError> {
        let mut window: Vec<(NaiveDate, Option<Arc<Vec<Transaction>>>)> = Vec::new();
        {
            let settled = lock(&self.settled_months);
            let known = settled.get(&account.id);
            let mut to_read = 0;
            while let Some(&month) = months.front() {
                let kept = known.and_then(|k| k.get(&month)).cloned();
                if kept.is_none() {
                    if to_read == TRANSACTION_HISTORY_BATCH.parts {
                        break;
                    }
                    to_read += 1;
                }
                months.pop_front();
                window.push((month, kept));
            }
        }
        let unread: Vec<NaiveDate> = window
            .iter()
            .filter(|(_, kept)| kept.is_none())
            .map(|(m, _)| *m)
            .collect();
        let mut read: HashMap<NaiveDate, Arc<Vec<Transaction>>> = HashMap::new();
        if !unread.is_empty() {
            let ace = self.accounting_entity(account)?;
            let calls: Vec<Value> = unread.iter().map(|m| month_vars(&ace, *m)).collect();
            let what = match (unread.first(), unread.last()) {
                (Some(first), Some(last)) if first != last => format!(
                    "Transactions, {} to {}",
                    first.format("%B %Y"),
                    last.format("%B %Y")
                ),
                (Some(only), _) => format!("Transactions, {}", only.format("%B %Y")),
                _ => "Transactions".to_string(),
            };
            let answers =
                self.read_aliased(&TRANSACTION_HISTORY_BATCH, &calls, Some(&account.id), &what)?;
            for (month, answer) in unread.iter().zip(answers) {
                for error in &answer.errors {
                    self.warn(super::data_warning(
                        &format!("Transactions, {}", month.format("%B %Y")),
                        &queries::TRANSACTION_HISTORY,
                        error,
                    ));
                }
                let rows = list(
                    &answer.data,
                    &[
                        "transactionHistory",
                        "transactionDetail",
                        "transactionHistoryRow",
                    ],
                );
                let transactions: Vec<Transaction> = rows
                    .iter()
                    .filter_map(|r| mapping::transaction(r, self.today))
                    .collect();
                if transactions.len() < rows.len() {
                    self.warn("a transaction without a record id was left out".into());
                }
                let transactions = Arc::new(transactions);
                let ended = month_end(*month) < self.today.date_naive();
                let settled = transactions
                    .iter()
                    .all(|t| t.status == PaymentStatus::Available);
                // A month with errors may be missing rows: never kept.
                if ended && settled && answer.errors.is_empty() {
                    lock(&self.settled_months)
                        .entry(account.id.clone())
                        .or_default()
                        .insert(*month, transactions.clone());
                }
                read.insert(*month, transactions);
            }
        }
        Ok(window
            .into_iter()
            .map(|(month, kept)| kept.or_else(|| read.remove(&month)).unwrap_or_default())
            .collect())
    }
}

/// One month's read, with explicit times as other clients send them
/// (FACTS.md): a bare end date read as midnight would drop the month's
/// last day.
fn month_vars(ace: &str, month: NaiveDate) -> Value {
    json!({ "filter": {
        "aceIds_any": [ace],
        "transactionDateTime_bt": {
            "rangeStart": format!("{}T00:00:00", month.format("%Y-%m-%d")),
            "rangeEnd": format!("{}T23:59:59", month_end(month).format("%Y-%m-%d")),
        },
    }})
}
