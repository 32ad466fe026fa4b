//! The time report (`contractTimeReport`): hours and charges per contract
//! and day.
//!
//! The organisation id is the account's id, which is the `organizationId`
//! of a `companySelector` item (see [`UpworkPlatform::connect`]): for a
//! freelancer, the freelancer's own (sole-proprietor) organisation, the one
//! Upwork bills their hours to. The same id goes in the tenant header.
//!
//! The whole history is read quarter by quarter, up to eight quarters a
//! request through aliases, each quarter with its own cursor. It is read in
//! full before the export writes a line of it: a refusal of any quarter
//! (a key without "TimeSheet - Read-Only", a range Upwork will not run)
//! then gives hours worked out from payments for the whole file instead of
//! an export that fails halfway through. A five-year account's report is a
//! few thousand small entries.

use super::{PAGE, UpworkPlatform, data_warning, soft};
use crate::model::account::{AccountSummary, TimeEntry};
use crate::platform::upwork::api::client::{Answer, ApiError};
use crate::platform::upwork::api::mapping::{self, at, list, text};
use crate::platform::upwork::api::queries::{self, TIME_REPORT_BATCH};
use crate::platform::upwork::api::stream::{Cursor, Page};
use crate::platform::{PlatformError, RecordStream};
use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Value, json};

/// One range of the report being read.
struct Quarter {
    from: NaiveDate,
    to: NaiveDate,
    cursor: Cursor,
    entries: Vec<TimeEntry>,
}

impl UpworkPlatform {
    /// The whole report from the day the organisation was created, or
    /// `None` (with a notice naming the permission) when Upwork refuses it.
    pub(super) fn whole_time_report(
        &self,
        account: &AccountSummary,
    ) -> Result<Option<RecordStream<'_, TimeEntry>>, PlatformError> {
        let first = account.member_since.date_naive();
        let last = self.today.date_naive().max(first);
        match self.read_quarters(account, quarters(first, last)) {
            Ok(entries) => {
                let mut entries = Some(entries);
                Ok(Some(self.stream(move || {
                    Ok(Page::Last(entries.take().unwrap_or_default()))
                })))
            }
            Err(error) if soft(&error) => {
                self.warn(format!(
                    "Upwork refused the time report ({error}); time-reports.csv holds weekly \
                     hours worked out from hourly payments instead"
                ));
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Every entry of `ranges`, in their order: up to eight ranges a
    /// request, each range's pages until its cursor ends.
    fn read_quarters(
        &self,
        account: &AccountSummary,
        ranges: Vec<(NaiveDate, NaiveDate)>,
    ) -> Result<Vec<TimeEntry>, ApiError> {
        let mut all = Vec::new();
        for wave in ranges.chunks(TIME_REPORT_BATCH.parts) {
            let mut quarters: Vec<Quarter> = wave
                .iter()
                .map(|&(from, to)| Quarter {
                    from,
                    to,
                    cursor: self.cursor(&queries::TIME_REPORT),
                    entries: Vec::new(),
                })
                .collect();
            loop {
                let mut open: Vec<&mut Quarter> =
                    quarters.iter_mut().filter(|q| !q.cursor.finished).collect();
                if open.is_empty() {
                    break;
                }
                let calls: Vec<Value> = open
                    .iter()
                    .map(|q| range_vars(&account.id, q.from, q.to, &q.cursor))
                    .collect();
                let what = match (open.first(), open.last()) {
                    (Some(a), Some(b)) => format!("Time report, {} to {}", a.from, b.to),
                    _ => "Time report".to_string(),
                };
                let answers =
                    self.read_aliased(&TIME_REPORT_BATCH, &calls, Some(&account.id), &what)?;
                for (quarter, answer) in open.iter_mut().zip(answers) {
                    self.keep_page(quarter, answer)?;
                }
            }
            for quarter in quarters {
                all.extend(quarter.entries);
            }
        }
        Ok(all)
    }

    fn keep_page(&self, quarter: &mut Quarter, answer: Answer) -> Result<(), ApiError> {
        let what = format!("Time report, {} to {}", quarter.from, quarter.to);
        for error in &answer.errors {
            self.warn(data_warning(&what, &queries::TIME_REPORT, error));
        }
        let connection = at(&answer.data, &["contractTimeReport"]);
        let edges = list(connection, &["edges"]);
        quarter.entries.extend(time_entries(edges));
        quarter.cursor.advance(connection, edges)?;
        Ok(())
    }

    /// Hours and charges per contract and day between `from` and `to`, page
    /// by page, one request a page.
    pub fn time_report_between(
        &self,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<RecordStream<'_, TimeEntry>, PlatformError> {
        let account = self.account(account)?.clone();
        let mut cursor = self.cursor(&queries::TIME_REPORT);
        Ok(self.stream(move || {
            let vars = range_vars(&account.id, from, to, &cursor);
            let data = self.call(
                &queries::TIME_REPORT,
                vars,
                Some(&account.id),
                "Time report",
            )?;
            let connection = at(&data, &["contractTimeReport"]);
            let edges = list(connection, &["edges"]);
            let entries = time_entries(edges);
            Ok(if cursor.advance(connection, edges)? {
                Page::More(entries)
            } else {
                Page::Last(entries)
            })
        }))
    }
}

/// The next page of `from`–`to` for the organisation `organization`.
fn range_vars(organization: &str, from: NaiveDate, to: NaiveDate, cursor: &Cursor) -> Value {
    json!({
        "filter": {
            "organizationId_eq": organization,
            "timeReportDate_bt": {
                "rangeStart": from.format("%Y-%m-%d").to_string(),
                "rangeEnd": to.format("%Y-%m-%d").to_string(),
            },
        },
        "pagination": cursor.pagination(PAGE),
    })
}

fn time_entries(edges: &[Value]) -> Vec<TimeEntry> {
    edges
        .iter()
        .map(|e| at(e, &["node"]))
        .filter_map(|n| {
            Some(TimeEntry {
                date: mapping::date(n, &["dateWorkedOn"])?,
                contract_id: text(n, &["contract", "id"]),
                hours: at(n, &["totalHoursWorked"]).as_f64().unwrap_or(0.0),
                charges: mapping::money(n, &["totalCharges"]).unwrap_or_default(),
                memo: text(n, &["memo"]).filter(|memo| !memo.trim().is_empty()),
            })
        })
        .collect()
}

/// `first` to `last` in calendar quarters, the first and last cut to the
/// range: neither gaps nor overlaps.
fn quarters(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = first;
    while start <= last {
        let quarter_month = (start.month0() / 3) * 3 + 1;
        let end = NaiveDate::from_ymd_opt(start.year(), quarter_month, 1)
            .and_then(|q| q.checked_add_months(Months::new(3)))
            .and_then(|next| next.pred_opt())
            .unwrap_or(last)
            .min(last);
        out.push((start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quarters;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn quarters_cover_the_range_without_gaps_or_overlaps() {
        assert_eq!(
            quarters(day(2024, 2, 29), day(2024, 11, 3)),
            vec![
                (day(2024, 2, 29), day(2024, 3, 31)),
                (day(2024, 4, 1), day(2024, 6, 30)),
                (day(2024, 7, 1), day(2024, 9, 30)),
                (day(2024, 10, 1), day(2024, 11, 3)),
            ]
        );
        assert_eq!(
            quarters(day(2025, 12, 31), day(2026, 1, 1)),
            vec![
                (day(2025, 12, 31), day(2025, 12, 31)),
                (day(2026, 1, 1), day(2026, 1, 1)),
            ]
        );
        assert_eq!(
            quarters(day(2026, 5, 5), day(2026, 5, 5)),
            vec![(day(2026, 5, 5), day(2026, 5, 5))]
        );
        let last_day = NaiveDate::MAX;
        let near_end = quarters(day(262_142, 12, 1), last_day);
        assert_eq!(near_end.last().map(|q| q.1), Some(last_day));
    }
}
