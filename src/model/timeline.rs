//! The earliest closing date as a timeline: for each sum still on its way,
//! the day it becomes withdrawable; what can be done today; and the day
//! every blocker can be cleared if the user acts today, each with its
//! reason. Days are the user's own (their UTC offset is passed in): money
//! released on Wednesday 00:00 UTC is still Tuesday in California.
//!
//! Also the calendar files the wizard saves: a reminder for the earliest
//! closing day, and one for the day a GDPR answer is due.

use super::review::{Assessment, Severity};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike};

/// One day of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineDay {
    /// The user's own day.
    pub day: NaiveDate,
    pub what: String,
    /// Why on that day.
    pub why: String,
}

/// The timeline of `assessment`, in the user's days (`offset` from UTC),
/// in date order. `withdrawal_days` is how many business days the
/// platform's withdrawals take to arrive.
pub fn timeline(a: &Assessment, offset: FixedOffset, withdrawal_days: i64) -> Vec<TimelineDay> {
    let local = |t: DateTime<Utc>| t.with_timezone(&offset).date_naive();
    let today = local(a.checked_at);
    let mut days = Vec::new();
    let now_items: Vec<&str> = a
        .blockers()
        .filter(|i| i.clears_on.is_none())
        .map(|i| i.title.as_str())
        .collect();
    if !now_items.is_empty() {
        // A few by name: the list itself is right below.
        const NAMED: usize = 3;
        let mut why = now_items
            .iter()
            .take(NAMED)
            .copied()
            .collect::<Vec<_>>()
            .join("; ");
        if now_items.len() > NAMED {
            why.push_str(&format!("; and {} more below", now_items.len() - NAMED));
        }
        days.push(TimelineDay {
            day: today,
            what: format!(
                "Resolve {} blocker{} you can act on today",
                now_items.len(),
                if now_items.len() == 1 { "" } else { "s" }
            ),
            why,
        });
    }
    let mut dated: Vec<_> = a
        .items
        .iter()
        .filter_map(|i| i.clears_on.map(|on| (on, i)))
        .collect();
    dated.sort_by_key(|(on, _)| *on);
    for (on, item) in dated {
        let what = match item.amount {
            // Titles of money items name the amount already.
            Some(amount) if amount.is_positive() && item.title.contains(&amount.to_string()) => {
                format!("{}: withdrawable from this day", item.title)
            }
            Some(amount) if amount.is_positive() => {
                format!("{}: {amount} withdrawable from this day", item.title)
            }
            _ => format!("{} clears", item.title),
        };
        days.push(TimelineDay {
            day: local(on),
            what,
            why: match item.severity {
                Severity::Blocker => format!("{} It blocks closing until then.", item.why),
                Severity::Advisory => item.why.clone(),
            },
        });
    }
    let earliest = local(a.earliest_close.max(a.checked_at));
    let last_release = a
        .items
        .iter()
        .filter(|i| i.severity == Severity::Blocker)
        .filter_map(|i| i.clears_on)
        .max();
    days.push(TimelineDay {
        day: earliest,
        what: "Earliest day the account can close".into(),
        why: match last_release {
            // Later than any release above: what is ended today is still
            // billed or held after it ends.
            last if earliest > today && last.is_none_or(|l| local(l) < earliest) => format!(
                "Work you end today is still paid after it ends: hours of this week on an hourly \
                 contract are billed, reviewed and released, and escrow you release is held by \
                 the platform, until this day. Withdraw then (it can take up to \
                 {withdrawal_days} business days to arrive, so keep the payout method until it \
                 does), and close once nothing is left."
            ),
            Some(_) if earliest > today => format!(
                "The last money on its way is released that day; withdraw it then (it can take \
                 up to {withdrawal_days} business days to arrive, so keep the payout method \
                 until it does), and close once nothing is left."
            ),
            _ if a.blocker_count() > 0 => {
                "Nothing waits for a date: once the blockers above are resolved, the account \
                 can close the same day."
                    .into()
            }
            _ => "Nothing blocks closing.".into(),
        },
    });
    days.sort_by_key(|d| d.day);
    days
}

/// A calendar file (RFC 5545) with one all-day event on `day`. `stamp` is
/// when it was made, passed in as the model reads no clock.
pub fn reminder_ics(
    uid: &str,
    day: NaiveDate,
    summary: &str,
    description: &str,
    stamp: DateTime<Utc>,
) -> String {
    let event = icalendar::Event::new()
        .uid(uid)
        .timestamp(stamp)
        .summary(summary)
        .description(description)
        .all_day(day)
        .done();
    Calendar::new()
        .name("Offboard")
        .push(event)
        .done()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::{AccountKind, AccountSummary};
    use crate::model::money::Money;
    use crate::model::review::{ItemKind, ReviewItem};
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn day(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap_or_default()
    }

    fn item(id: &str, severity: Severity, clears_on: Option<DateTime<Utc>>) -> ReviewItem {
        ReviewItem {
            id: id.into(),
            kind: ItemKind::EarningsInReview,
            severity,
            title: id.into(),
            why: "Because.".into(),
            how_to_resolve: String::new(),
            amount: clears_on.map(|_| Money::from_cents(12_000)),
            clears_on,
            resolution: None,
        }
    }

    fn assessment(now: DateTime<Utc>, items: Vec<ReviewItem>) -> Assessment {
        let earliest = items
            .iter()
            .filter(|i| i.severity == Severity::Blocker)
            .filter_map(|i| i.clears_on)
            .max()
            .unwrap_or(now)
            .max(now);
        Assessment {
            account: AccountSummary {
                id: "a".into(),
                kind: AccountKind::Freelancer,
                username: "maya".into(),
                display_name: "Maya".into(),
                email: String::new(),
                member_since: now,
            },
            checked_at: now,
            items,
            balances: Default::default(),
            earliest_close: earliest,
            already_closed: false,
        }
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn today_then_each_release_then_the_earliest_day() {
        // Monday 23 November 2026; hourly money released Wednesday 2 Dec.
        let now = at(2026, 11, 23, 10);
        let a = assessment(
            now,
            vec![
                item("End the contract", Severity::Blocker, None),
                item(
                    "Hours in review",
                    Severity::Blocker,
                    Some(at(2026, 12, 2, 0)),
                ),
            ],
        );
        let t = timeline(&a, utc(), 8);
        let days: Vec<NaiveDate> = t.iter().map(|d| d.day).collect();
        assert_eq!(
            days,
            [day(2026, 11, 23), day(2026, 12, 2), day(2026, 12, 2)]
        );
        assert!(t[0].what.contains("1 blocker you can act on today"));
        assert_eq!(
            t[1].what,
            "Hours in review: $120.00 withdrawable from this day"
        );
        assert!(t[2].what.contains("Earliest day"));
        assert!(t[2].why.contains("8 business days"));
    }

    #[test]
    fn a_user_far_from_utc_sees_their_own_days() {
        // Released Wednesday 00:00 UTC: Tuesday in Honolulu (UTC−10),
        // Wednesday in Auckland (UTC+13).
        let now = at(2026, 11, 23, 10);
        let a = assessment(
            now,
            vec![item("Hours", Severity::Blocker, Some(at(2026, 12, 2, 0)))],
        );
        let honolulu = FixedOffset::west_opt(10 * 3600).unwrap_or_else(|| unreachable!());
        let auckland = FixedOffset::east_opt(13 * 3600).unwrap_or_else(|| unreachable!());
        assert_eq!(timeline(&a, honolulu, 8)[0].day, day(2026, 12, 1));
        assert_eq!(timeline(&a, auckland, 8)[0].day, day(2026, 12, 2));
    }

    #[test]
    fn month_and_year_ends_keep_their_days() {
        let now = at(2026, 12, 30, 22);
        let a = assessment(
            now,
            vec![
                item("Milestone", Severity::Blocker, Some(at(2026, 12, 31, 23))),
                item("Bonus", Severity::Blocker, Some(at(2027, 1, 1, 1))),
            ],
        );
        let t = timeline(&a, utc(), 5);
        assert_eq!(t[0].day, day(2026, 12, 31));
        assert_eq!(t[1].day, day(2027, 1, 1));
        assert_eq!(t.last().map(|d| d.day), Some(day(2027, 1, 1)));
        // Two hours east, the milestone already falls on New Year's Day.
        let east = FixedOffset::east_opt(2 * 3600).unwrap_or_else(|| unreachable!());
        assert_eq!(timeline(&a, east, 5)[0].day, day(2027, 1, 1));
    }

    /// An hourly contract ended today is paid after its week: the earliest
    /// day is later than any release listed, and the timeline says why.
    #[test]
    fn a_contract_ended_mid_week_is_paid_after_its_week() {
        // Thursday; the hourly week ends Sunday and is released ten days on.
        let now = at(2026, 11, 26, 15);
        let mut a = assessment(
            now,
            vec![item("End the hourly contract", Severity::Blocker, None)],
        );
        a.earliest_close = crate::model::review::hourly_available_on(now);
        let t = timeline(&a, utc(), 8);
        let last = t.last().cloned().unwrap_or_else(|| unreachable!());
        assert_eq!(last.day, day(2026, 12, 9));
        assert!(last.why.contains("hours of this week"), "{}", last.why);
        assert_eq!(t[0].day, day(2026, 11, 26));
    }

    #[test]
    fn nothing_pending_is_one_day() {
        let now = at(2026, 2, 28, 12);
        let t = timeline(&assessment(now, Vec::new()), utc(), 8);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].day, day(2026, 2, 28));
        assert_eq!(t[0].why, "Nothing blocks closing.");
    }

    #[test]
    fn the_reminder_is_an_all_day_event_with_crlf_lines() {
        let ics = reminder_ics(
            "close@offboard",
            day(2026, 12, 2),
            "Close your Upwork account",
            "Open Offboard: it checks again, then guides the closing; commas, and; semicolons",
            at(2026, 11, 23, 10),
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261202\r\n"), "{ics}");
        assert!(ics.contains("DTSTAMP:20261123T100000Z\r\n"), "{ics}");
        assert!(
            ics.contains("SUMMARY:Close your Upwork account\r\n"),
            "{ics}"
        );
        // Long lines are folded (CRLF and a space): unfold to read them.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("commas\\, and\\; semicolons"), "{ics}");
        assert!(ics.trim_end().ends_with("END:VCALENDAR"), "{ics}");
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
    }
}
