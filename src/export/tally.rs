//! Totals gathered while transactions stream past: money per year for the
//! summary, and hours per week per hourly contract for time-reports.csv.

use super::manifest::YearTotals;
use crate::model::account::{Transaction, TransactionKind};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// A total that does not fit in an `i64` of cents: the platform's amounts
/// are wrong, and a wrapped total would be shown as if it were right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge;

/// `total += cents`, refusing to overflow.
fn add_to(total: &mut i64, cents: i64) -> Result<(), TooLarge> {
    *total = total.checked_add(cents).ok_or(TooLarge)?;
    Ok(())
}

/// `total -= cents`, refusing to overflow.
fn take_from(total: &mut i64, cents: i64) -> Result<(), TooLarge> {
    *total = total.checked_sub(cents).ok_or(TooLarge)?;
    Ok(())
}

/// Money per calendar year.
#[derive(Debug, Default)]
pub struct YearTally {
    years: BTreeMap<i32, YearTotals>,
    pub money_in_cents: i64,
    pub money_out_cents: i64,
}

impl YearTally {
    pub fn add(&mut self, transaction: &Transaction) -> Result<(), TooLarge> {
        let cents = transaction.amount.cents;
        let year = transaction.date.year();
        let totals = self.years.entry(year).or_insert_with(|| YearTotals {
            year,
            ..YearTotals::default()
        });
        totals.transactions += 1;
        add_to(&mut totals.net_cents, cents)?;
        if cents >= 0 {
            add_to(&mut self.money_in_cents, cents)?;
        } else {
            take_from(&mut self.money_out_cents, cents)?;
        }
        match transaction.kind {
            TransactionKind::Hourly | TransactionKind::FixedPrice | TransactionKind::Bonus => {
                if cents >= 0 {
                    add_to(&mut totals.earned_cents, cents)
                } else {
                    take_from(&mut totals.spent_cents, cents)
                }
            }
            TransactionKind::Payment => take_from(&mut totals.spent_cents, cents),
            TransactionKind::ServiceFee
            | TransactionKind::WithdrawalFee
            | TransactionKind::ConnectsPurchase => take_from(&mut totals.fees_cents, cents),
            TransactionKind::Withdrawal => take_from(&mut totals.withdrawn_cents, cents),
            TransactionKind::Refund => add_to(&mut totals.refunds_cents, cents),
            TransactionKind::Adjustment => Ok(()),
        }
    }

    pub fn into_years(self) -> Vec<YearTotals> {
        self.years.into_values().collect()
    }
}

/// What time-reports.csv needs to know about an hourly contract.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HourlyContract<'c> {
    pub title: &'c str,
    pub counterparty: &'c str,
    pub rate_cents: Option<i64>,
}

/// The hourly contracts that time-reports.csv labels its rows with, kept
/// compact: an account can have thousands, and the export's memory should
/// not grow with the account. Ids, titles and clients share one buffer;
/// entries are sorted by a hash of the id and found by a binary search over
/// the hashes alone, kept in a list of their own so that the search reads
/// few cache lines (a lookup per hourly payment, a million in a large
/// account).
#[derive(Debug, Default)]
pub struct HourlyContracts {
    text: String,
    entries: Vec<HourlyEntry>,
    /// The hash of `entries[i]`'s id for each `i`, sorted by `finish`.
    hashes: Vec<u64>,
}

/// Where one contract's id, title and client lie in the shared buffer.
#[derive(Debug)]
struct HourlyEntry {
    start: u32,
    id_len: u32,
    title_len: u32,
    counterparty_len: u32,
    rate_cents: Option<i64>,
}

impl HourlyContracts {
    /// Adds one contract; `finish` must follow before lookups.
    pub fn push(&mut self, id: &str, contract: HourlyContract<'_>) {
        let lengths = (
            u32::try_from(self.text.len()),
            u32::try_from(id.len()),
            u32::try_from(contract.title.len()),
            u32::try_from(contract.counterparty.len()),
        );
        // Over 4 GB of titles cannot happen; such a contract goes unlabelled.
        let (Ok(start), Ok(id_len), Ok(title_len), Ok(counterparty_len)) = lengths else {
            return;
        };
        self.text.push_str(id);
        self.text.push_str(contract.title);
        self.text.push_str(contract.counterparty);
        self.hashes.push(id_hash(id));
        self.entries.push(HourlyEntry {
            start,
            id_len,
            title_len,
            counterparty_len,
            rate_cents: contract.rate_cents,
        });
    }

    /// Sorts for lookups and gives back unused capacity.
    pub fn finish(mut self) -> Self {
        let text = &self.text;
        let mut keyed: Vec<(u64, HourlyEntry)> = std::mem::take(&mut self.hashes)
            .into_iter()
            .zip(std::mem::take(&mut self.entries))
            .collect();
        // By hash, then id: equal ids end up side by side for dedup, and
        // the first one pushed stays (the sort is stable).
        keyed.sort_by(|(a_hash, a), (b_hash, b)| {
            (a_hash, Self::id_in(text, a)).cmp(&(b_hash, Self::id_in(text, b)))
        });
        keyed.dedup_by(|(_, later), (_, first)| {
            Self::id_in(text, later) == Self::id_in(text, first)
        });
        (self.hashes, self.entries) = keyed.into_iter().unzip();
        self.text.shrink_to_fit();
        self
    }

    pub fn get(&self, id: &str) -> Option<HourlyContract<'_>> {
        let hash = id_hash(id);
        let first = self.hashes.partition_point(|h| *h < hash);
        let entry = self
            .hashes
            .get(first..)?
            .iter()
            .zip(self.entries.get(first..)?)
            .take_while(|(entry_hash, _)| **entry_hash == hash)
            .map(|(_, entry)| entry)
            .find(|entry| Self::id_in(&self.text, entry) == id)?;
        let title_start = entry.start as usize + entry.id_len as usize;
        let counterparty_start = title_start + entry.title_len as usize;
        Some(HourlyContract {
            title: self.text.get(title_start..counterparty_start)?,
            counterparty: self
                .text
                .get(counterparty_start..counterparty_start + entry.counterparty_len as usize)?,
            rate_cents: entry.rate_cents,
        })
    }

    fn id_in<'t>(text: &'t str, entry: &HourlyEntry) -> &'t str {
        let start = entry.start as usize;
        text.get(start..start + entry.id_len as usize)
            .unwrap_or_default()
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    // Fixed keys: the order only has to agree within one export.
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

/// One row of time-reports.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekRow<'c> {
    pub week_start: NaiveDate,
    pub contract_id: String,
    /// The contract as contracts.json has it, when it is known: found once
    /// per payment, not again per row.
    pub contract: Option<HourlyContract<'c>>,
    pub hours: Option<f64>,
    pub amount_cents: i64,
    pub transactions: u64,
}

#[derive(Debug, Default)]
struct WeekSum<'c> {
    contract: Option<HourlyContract<'c>>,
    hours: Option<f64>,
    amount_cents: i64,
    transactions: u64,
}

/// Weekly hours per hourly contract, derived from Hourly transactions
/// (amount ÷ the contract's rate). Transactions usually arrive in date
/// order, so finished weeks are handed out as soon as a later week starts
/// and memory stays flat; out-of-order input is still summed correctly, only
/// held until the end.
#[derive(Debug, Default)]
pub struct WeeklyHours<'c> {
    open: BTreeMap<NaiveDate, HashMap<String, WeekSum<'c>>>,
    /// Emptied maps of finished weeks, reused for the next ones: a week's
    /// map grows to hundreds of contracts, and an account has hundreds of
    /// weeks.
    spare: Vec<HashMap<String, WeekSum<'c>>>,
    last_week: Option<NaiveDate>,
    /// +1 ascending, -1 descending, 0 not known yet.
    direction: i8,
    unordered: bool,
}

/// The Monday starting the ISO week of `date` (Upwork's weeks run Monday to Sunday UTC).
pub fn week_start(date: NaiveDate) -> NaiveDate {
    // The first days chrono can hold have no Monday before them: their own week.
    date.checked_sub_signed(Duration::days(i64::from(
        date.weekday().num_days_from_monday(),
    )))
    .unwrap_or(date)
}

impl<'c> WeeklyHours<'c> {
    /// Adds an Hourly transaction; returns rows of weeks known to be finished.
    pub fn add(
        &mut self,
        transaction: &Transaction,
        contract: Option<HourlyContract<'c>>,
        finished: &mut Vec<WeekRow<'c>>,
    ) -> Result<(), TooLarge> {
        let Some(contract_id) = &transaction.contract_id else {
            return Ok(());
        };
        let week = week_start(transaction.date.date_naive());
        if let Some(last) = self.last_week
            && last != week
            && !self.unordered
        {
            let step: i8 = if week > last { 1 } else { -1 };
            if self.direction == 0 {
                self.direction = step;
            }
            if self.direction == step {
                self.flush_where(finished, |open_week| {
                    if step > 0 {
                        open_week < week
                    } else {
                        open_week > week
                    }
                });
            } else {
                self.unordered = true;
            }
        }
        self.last_week = Some(week);
        let cents = transaction.amount.cents.checked_abs().ok_or(TooLarge)?;
        let hours = contract
            .and_then(|c| c.rate_cents)
            .filter(|rate| *rate > 0)
            .map(|rate| cents as f64 / rate as f64);
        let spare = &mut self.spare;
        let contracts = self
            .open
            .entry(week)
            .or_insert_with(|| spare.pop().unwrap_or_default());
        let sum = match contracts.get_mut(contract_id.as_str()) {
            Some(sum) => sum,
            None => contracts.entry(contract_id.clone()).or_default(),
        };
        sum.contract = contract;
        add_to(&mut sum.amount_cents, cents)?;
        sum.transactions += 1;
        sum.hours = match (sum.hours, hours) {
            (Some(total), Some(more)) => Some(total + more),
            (None, Some(more)) if sum.transactions == 1 => Some(more),
            _ => None,
        };
        Ok(())
    }

    fn flush_where(&mut self, finished: &mut Vec<WeekRow<'c>>, done: impl Fn(NaiveDate) -> bool) {
        let weeks: Vec<NaiveDate> = self.open.keys().copied().filter(|w| done(*w)).collect();
        for week in weeks {
            if let Some(mut contracts) = self.open.remove(&week) {
                push_rows(week, &mut contracts, finished);
                self.spare.push(contracts);
            }
        }
    }

    /// The remaining weeks, in date order.
    pub fn finish(mut self, finished: &mut Vec<WeekRow<'c>>) {
        let open = std::mem::take(&mut self.open);
        for (week, mut contracts) in open {
            push_rows(week, &mut contracts, finished);
        }
    }
}

/// Appends a finished week's rows, by contract id, emptying `contracts`.
fn push_rows<'c>(
    week: NaiveDate,
    contracts: &mut HashMap<String, WeekSum<'c>>,
    finished: &mut Vec<WeekRow<'c>>,
) {
    let first = finished.len();
    finished.extend(contracts.drain().map(|(contract_id, sum)| WeekRow {
        week_start: week,
        contract_id,
        contract: sum.contract,
        hours: sum.hours,
        amount_cents: sum.amount_cents,
        transactions: sum.transactions,
    }));
    finished[first..].sort_unstable_by(|a, b| a.contract_id.cmp(&b.contract_id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::PaymentStatus;
    use crate::model::money::Money;
    use chrono::{TimeZone, Utc};

    fn hourly(day: u32, contract: &str, cents: i64) -> Transaction {
        Transaction {
            id: format!("t-{day}-{contract}"),
            date: Utc.with_ymd_and_hms(2025, 3, day, 12, 0, 0).unwrap(),
            kind: TransactionKind::Hourly,
            description: String::new(),
            counterparty: None,
            contract_id: Some(contract.to_string()),
            amount: Money::from_cents(cents),
            balance_after: Money::ZERO,
            status: PaymentStatus::Available,
            available_on: None,
        }
    }

    #[test]
    fn weeks_flush_in_order_and_hours_come_from_the_rate() {
        let contract = HourlyContract {
            title: "T",
            counterparty: "C",
            rate_cents: Some(5_000),
        };
        let mut weekly = WeeklyHours::default();
        let mut rows = Vec::new();
        // 2025-03-03 is a Monday.
        weekly
            .add(&hourly(3, "c-1", 10_000), Some(contract), &mut rows)
            .unwrap();
        weekly
            .add(&hourly(5, "c-1", 5_000), Some(contract), &mut rows)
            .unwrap();
        assert!(rows.is_empty());
        weekly
            .add(&hourly(10, "c-1", 2_500), Some(contract), &mut rows)
            .unwrap();
        assert_eq!(rows.len(), 1, "the first week is done once the next starts");
        assert_eq!(
            rows[0].week_start,
            NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
        );
        assert_eq!(rows[0].hours, Some(3.0));
        assert_eq!(rows[0].amount_cents, 15_000);
        weekly
            .add(&hourly(11, "c-2", 1_000), None, &mut rows)
            .unwrap();
        weekly.finish(&mut rows);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].hours, Some(0.5));
        assert_eq!(rows[2].hours, None, "no rate, no hours");
    }

    #[test]
    fn hourly_contracts_are_found_by_id() {
        let contract = |title, counterparty, rate| HourlyContract {
            title,
            counterparty,
            rate_cents: rate,
        };
        let mut hourly = HourlyContracts::default();
        for (id, c) in [
            ("c-20", contract("Twenty", "Acme", Some(5_000))),
            ("c-3", contract("Three", "Björk & Co", None)),
            ("c-100", contract("", "", Some(1))),
            ("c-3", contract("Repeated", "Later", None)),
        ] {
            hourly.push(id, c);
        }
        let hourly = hourly.finish();
        assert_eq!(
            hourly.get("c-20"),
            Some(contract("Twenty", "Acme", Some(5_000)))
        );
        assert_eq!(
            hourly.get("c-3"),
            Some(contract("Three", "Björk & Co", None))
        );
        assert_eq!(hourly.get("c-100"), Some(contract("", "", Some(1))));
        assert_eq!(hourly.get("c-2"), None);
        assert_eq!(hourly.get(""), None);
        assert_eq!(HourlyContracts::default().finish().get("c-3"), None);
    }

    #[test]
    fn thousands_of_contracts_are_each_found() {
        let mut hourly = HourlyContracts::default();
        let ids: Vec<String> = (0..5_000).map(|i| format!("c-{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            hourly.push(
                id,
                HourlyContract {
                    title: id,
                    counterparty: "Client",
                    rate_cents: Some(i as i64),
                },
            );
        }
        let hourly = hourly.finish();
        for (i, id) in ids.iter().enumerate() {
            let found = hourly.get(id).expect("pushed");
            assert_eq!(
                (found.title, found.rate_cents),
                (id.as_str(), Some(i as i64))
            );
        }
        assert_eq!(hourly.get("c-5000"), None);
    }

    #[test]
    fn out_of_order_input_still_sums() {
        let mut weekly = WeeklyHours::default();
        let mut rows = Vec::new();
        for day in [3, 10, 4, 17, 5] {
            weekly
                .add(&hourly(day, "c-1", 100), None, &mut rows)
                .unwrap();
        }
        weekly.finish(&mut rows);
        let first_week: i64 = rows
            .iter()
            .filter(|r| r.week_start.day() == 3)
            .map(|r| r.amount_cents)
            .sum();
        assert_eq!(first_week, 300);
        assert_eq!(rows.iter().map(|r| r.transactions).sum::<u64>(), 5);
    }

    #[test]
    fn years_split_earnings_fees_and_withdrawals() {
        let mut tally = YearTally::default();
        tally.add(&hourly(3, "c", 10_000)).unwrap();
        let mut fee = hourly(4, "c", -1_000);
        fee.kind = TransactionKind::ServiceFee;
        tally.add(&fee).unwrap();
        let mut out = hourly(5, "c", -9_000);
        out.kind = TransactionKind::Withdrawal;
        tally.add(&out).unwrap();
        let years = tally.into_years();
        assert_eq!(years.len(), 1);
        assert_eq!(years[0].earned_cents, 10_000);
        assert_eq!(years[0].fees_cents, 1_000);
        assert_eq!(years[0].withdrawn_cents, 9_000);
        assert_eq!(years[0].net_cents, 0);
    }

    #[test]
    fn totals_that_do_not_fit_are_refused_not_wrapped() {
        let big = 9_000_000_000_000_000_000;
        let mut tally = YearTally::default();
        tally.add(&hourly(3, "c", big)).unwrap();
        assert_eq!(tally.add(&hourly(4, "c", big)), Err(TooLarge));
        let mut tally = YearTally::default();
        tally.add(&hourly(3, "c", -big)).unwrap();
        assert_eq!(tally.add(&hourly(4, "c", -big)), Err(TooLarge));
        assert_eq!(
            YearTally::default().add(&hourly(3, "c", i64::MIN)),
            Err(TooLarge)
        );

        let mut weekly = WeeklyHours::default();
        let mut rows = Vec::new();
        weekly.add(&hourly(3, "c-1", big), None, &mut rows).unwrap();
        assert_eq!(
            weekly.add(&hourly(4, "c-1", -big), None, &mut rows),
            Err(TooLarge)
        );
        assert_eq!(
            weekly.add(&hourly(5, "c-2", i64::MIN), None, &mut rows),
            Err(TooLarge)
        );
        assert_eq!(week_start(NaiveDate::MIN), NaiveDate::MIN);
    }
}
