//! Guided platforms: no API and no files, so the user answers a short
//! questionnaire, and the platform's rules turn the answers into the same
//! review items (blockers and advisories, money and when it clears) as any
//! other source gives.

use super::account::AccountKind;
use super::money::Money;
use super::review::{ItemKind, ReviewItem, Severity};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A platform's questions and the rules that read the answers.
#[derive(Debug)]
pub struct Questionnaire {
    pub questions: &'static [Question],
    pub rules: &'static [Rule],
}

/// One question.
#[derive(Debug)]
pub struct Question {
    /// Stable, e.g. `available-balance`: the key in an answers file.
    pub id: &'static str,
    pub text: &'static str,
    pub kind: AnswerKind,
    /// Asked only of these account kinds; of all when empty.
    pub kinds: &'static [AccountKind],
    /// What to look at to answer it, on the platform.
    pub hint: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerKind {
    YesNo,
    /// Money, in the account's currency.
    Amount,
    Date,
    Count,
}

impl AnswerKind {
    /// What an answer of this kind looks like, as typed into the form.
    pub fn expected(self) -> &'static str {
        match self {
            AnswerKind::YesNo => "true or false",
            AnswerKind::Amount => "an amount such as 120.50",
            AnswerKind::Date => "a date such as 2026-12-14",
            AnswerKind::Count => "a whole number such as 2",
        }
    }

    /// The answer typed text gives: `Some(None)` for an empty field (the
    /// answer is cleared), `None` for text that does not read as this kind.
    pub fn read_draft(self, draft: &str) -> Option<Option<Answer>> {
        let text = draft.trim();
        if text.is_empty() {
            return Some(None);
        }
        match self {
            AnswerKind::Amount => parse_amount(text).map(|_| Some(Answer::Text(text.to_string()))),
            AnswerKind::Date => parse_date(text).map(|_| Some(Answer::Text(text.to_string()))),
            AnswerKind::Count => text.parse::<u64>().ok().map(|n| Some(Answer::Count(n))),
            AnswerKind::YesNo => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnswerKind::YesNo => "yes/no",
            AnswerKind::Amount => "amount",
            AnswerKind::Date => "date",
            AnswerKind::Count => "count",
        }
    }
}

/// One answer, as saved and as an answers file holds it (`true`, `"12.50"`,
/// `"2026-12-14"`, `3`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    YesNo(bool),
    Count(u64),
    /// An amount (`"12.50"`) or a date (`"2026-12-14"`), read by the
    /// question's kind.
    Text(String),
}

/// Answers by question id.
pub type Answers = BTreeMap<String, Answer>;

/// Why an answer cannot be used, naming the question.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("\"{id}\" is not a question here; the questions are: {known}")]
    Unknown { id: String, known: String },
    #[error("\"{id}\" ({text}) needs {expected}, not {got}")]
    Wrong {
        id: String,
        text: String,
        expected: &'static str,
        got: String,
    },
}

/// What decides that a rule applies.
#[derive(Clone, Copy, Debug)]
pub enum Trigger {
    /// A yes/no question answered yes.
    Yes(&'static str),
    /// An amount above zero, or a count above zero.
    Positive(&'static str),
    /// A date still to come.
    Future(&'static str),
}

/// When an item clears by itself (money that becomes withdrawable).
#[derive(Clone, Copy, Debug)]
pub enum Clears {
    Never,
    /// On the date answered to this question, plus `days`; without an
    /// answer, `unanswered` days from today (the platform's longest wait,
    /// said to be an estimate), or never.
    OnAnswer {
        question: &'static str,
        days: i64,
        unanswered: Option<i64>,
    },
}

/// Where an amount counts in the balances the review shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyRole {
    Available,
    Pending,
    Owed,
}

/// One closing rule of a guided platform.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub kinds: &'static [AccountKind],
    pub trigger: Trigger,
    pub severity: Severity,
    pub item: ItemKind,
    pub title: &'static str,
    pub why: &'static str,
    pub how: &'static str,
    /// The exact page to resolve it on.
    pub link: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
    /// False where the platform's own pages do not say it plainly: the
    /// review says so next to the item.
    pub confirmed: bool,
    pub clears: Clears,
    pub money: Option<MoneyRole>,
}

impl Questionnaire {
    /// The questions asked of `kind`.
    pub fn questions_for(&self, kind: AccountKind) -> impl Iterator<Item = &'static Question> {
        self.questions
            .iter()
            .filter(move |q| q.kinds.is_empty() || q.kinds.contains(&kind))
    }

    pub fn question(&self, id: &str) -> Option<&'static Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Checks every answer against its question: an unknown id or a wrong
    /// kind of answer is an error naming the question.
    pub fn check(&self, answers: &Answers) -> Result<(), AnswerError> {
        for (id, answer) in answers {
            let Some(question) = self.question(id) else {
                return Err(AnswerError::Unknown {
                    id: id.clone(),
                    known: self
                        .questions
                        .iter()
                        .map(|q| q.id)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            let fits = match (question.kind, answer) {
                (AnswerKind::YesNo, Answer::YesNo(_)) | (AnswerKind::Count, Answer::Count(_)) => {
                    true
                }
                (AnswerKind::Amount, Answer::Text(t)) => parse_amount(t).is_some(),
                (AnswerKind::Amount, Answer::Count(_)) => true,
                (AnswerKind::Date, Answer::Text(t)) => parse_date(t).is_some(),
                _ => false,
            };
            if !fits {
                return Err(AnswerError::Wrong {
                    id: id.clone(),
                    text: question.text.to_string(),
                    // As an answers file writes them: amounts and dates are
                    // JSON strings.
                    expected: match question.kind {
                        AnswerKind::YesNo => "true or false",
                        AnswerKind::Amount => "an amount such as \"120.50\"",
                        AnswerKind::Date => "a date such as \"2026-12-14\"",
                        AnswerKind::Count => "a whole number such as 2",
                    },
                    got: match answer {
                        Answer::YesNo(b) => b.to_string(),
                        Answer::Count(n) => n.to_string(),
                        Answer::Text(t) => format!("\"{t}\""),
                    },
                });
            }
        }
        Ok(())
    }

    /// The items the rules find in `answers` for `kind`, and the money they
    /// name by role. An unanswered question counts as "no" / zero.
    pub fn items(
        &self,
        kind: AccountKind,
        answers: &Answers,
        now: DateTime<Utc>,
    ) -> (Vec<ReviewItem>, Vec<(MoneyRole, Money)>) {
        let mut items = Vec::new();
        let mut money = Vec::new();
        for rule in self.rules.iter().filter(|r| r.kinds.contains(&kind)) {
            // What the answer names: an amount, or a count of things.
            let (amount, count) = match rule.trigger {
                Trigger::Yes(q) => {
                    if !matches!(answers.get(q), Some(Answer::YesNo(true))) {
                        continue;
                    }
                    (None, None)
                }
                Trigger::Future(q) => match date_of(answers.get(q)) {
                    Some(day) if day > now => (None, None),
                    _ => continue,
                },
                Trigger::Positive(q) => match self.question(q).map(|q| q.kind) {
                    Some(AnswerKind::Amount) => match amount_of(answers.get(q)) {
                        Some(a) if a.is_positive() => (Some(a), None),
                        _ => continue,
                    },
                    _ => match answers.get(q) {
                        Some(Answer::Count(n)) if *n > 0 => (None, Some(*n)),
                        _ => continue,
                    },
                },
            };
            let mut estimated = false;
            let clears_on = match rule.clears {
                Clears::Never => None,
                Clears::OnAnswer {
                    question,
                    days,
                    unanswered,
                } => match date_of(answers.get(question)) {
                    Some(day) => day
                        .checked_add_signed(chrono::Duration::days(days))
                        // Already past: it has cleared, or the date is a guess.
                        .map(|d| d.max(now)),
                    None => unanswered.and_then(|wait| {
                        estimated = true;
                        now.checked_add_signed(chrono::Duration::days(wait))
                    }),
                },
            };
            if let (Some(role), Some(a)) = (rule.money, amount) {
                money.push((role, a));
            }
            let mut why = rule.why.to_string();
            if !rule.confirmed {
                why.push_str(" (Unconfirmed: the platform's own pages do not say this plainly.)");
            }
            let mut how = rule.how.replace(
                "{date}",
                &clears_on.map_or("the day it clears".into(), |d| {
                    let day = d.format("%-d %b %Y").to_string();
                    if estimated {
                        format!("{day} (an estimate: no date was given, so the longest wait)")
                    } else {
                        day
                    }
                }),
            );
            how.push_str(&format!(" {}", rule.link));
            let title = rule
                .title
                .replace(
                    "{amount}",
                    &amount.map(|a| a.to_string()).unwrap_or_default(),
                )
                .replace("{count}", &count.map(|n| n.to_string()).unwrap_or_default());
            items.push(ReviewItem {
                id: format!("rule:{}", rule.id),
                kind: rule.item,
                severity: rule.severity,
                title,
                why,
                how_to_resolve: how,
                amount,
                clears_on,
                resolution: None,
            });
        }
        (items, money)
    }
}

/// `"1,234.5"`, `"$80"`, `"0.99"`: a non-negative amount with at most two
/// decimals; anything else (or one too large) is `None`.
pub fn parse_amount(text: &str) -> Option<Money> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['$', '€', '£'])
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let cents_part: i64 = format!("{fraction:0<2}").parse().ok()?;
    let cents = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents_part)?;
    Some(Money::from_cents(cents))
}

pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Utc.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single()
}

fn amount_of(answer: Option<&Answer>) -> Option<Money> {
    match answer? {
        Answer::Text(t) => parse_amount(t),
        Answer::Count(n) => i64::try_from(*n)
            .ok()
            .and_then(|n| n.checked_mul(100))
            .map(Money::from_cents),
        Answer::YesNo(_) => None,
    }
}

fn date_of(answer: Option<&Answer>) -> Option<DateTime<Utc>> {
    match answer? {
        Answer::Text(t) => parse_date(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(parse_amount("120.5"), Some(Money::from_cents(12_050)));
        assert_eq!(parse_amount("$1,234.56"), Some(Money::from_cents(123_456)));
        assert_eq!(parse_amount(" 80 "), Some(Money::from_cents(8_000)));
        for bad in [
            "",
            "-5",
            "1.234",
            "ten",
            "1e3",
            ".5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_guided_review_counts_the_answered_money_and_waits_for_dates() {
        use crate::model::account::AccountSummary;
        use crate::model::profile::testing::GUIDED;
        use crate::model::review::{PendingWork, assess};
        let now = parse_date("2026-12-01").unwrap_or_default();
        let account = |kind| AccountSummary {
            id: "seller".into(),
            kind,
            username: "maya".into(),
            display_name: "Maya".into(),
            email: String::new(),
            member_since: now,
        };
        let answers: Answers = [
            ("balance", Answer::Text("80".into())),
            ("restricted", Answer::YesNo(true)),
            ("clearing", Answer::Text("2026-12-10".into())),
        ]
        .into_iter()
        .map(|(q, a)| (q.to_string(), a))
        .collect();
        let mut work = PendingWork::nothing_open(account(AccountKind::Freelancer));
        work.answers = answers.clone();
        let a = assess(&GUIDED, &work, now);
        assert_eq!(a.balances.available, Money::from_cents(8_000));
        assert_eq!(a.blocker_count(), 2);
        let restricted = a.items.iter().find(|i| i.id == "rule:restricted");
        let eleventh = parse_date("2026-12-11");
        assert_eq!(restricted.and_then(|i| i.clears_on), eleventh);
        assert_eq!(Some(a.earliest_close), eleventh);
        assert!(
            restricted.is_some_and(|i| i.how_to_resolve.contains("by 11 Dec 2026")),
            "{restricted:?}"
        );
        // The money is shown once, as the rule's item, not again as a
        // generic balance item.
        assert!(a.items.iter().all(|i| i.id != "money:available"));

        // A buyer is not asked about restrictions here: the rule is not theirs.
        let mut work = PendingWork::nothing_open(account(AccountKind::Client));
        work.answers = answers;
        let a = assess(&GUIDED, &work, now);
        assert_eq!(a.blocker_count(), 1);
        assert_eq!(a.earliest_close, now);
    }

    #[test]
    fn wrong_answers_name_their_question() {
        use crate::model::profile::testing::GUIDED;
        let Some(q) = GUIDED.questionnaire() else {
            panic!("the test profile is guided");
        };
        let one = |id: &str, a: Answer| -> Answers { [(id.to_string(), a)].into_iter().collect() };
        let error = q.check(&one("balance", Answer::Text("ten".into())));
        assert!(
            matches!(&error, Err(AnswerError::Wrong { id, .. }) if id == "balance"),
            "{error:?}"
        );
        let error = q
            .check(&one("restricted", Answer::Count(2)))
            .map_err(|e| e.to_string());
        assert!(error.is_err_and(|e| e.contains("\"restricted\"") && e.contains("true or false")));
        let error = q
            .check(&one("balanse", Answer::YesNo(true)))
            .map_err(|e| e.to_string());
        assert!(error.is_err_and(|e| e.contains("balanse") && e.contains("balance, clearing")));
        assert!(
            q.check(&one("clearing", Answer::Text("2026-12-10".into())))
                .is_ok()
        );
    }

    #[test]
    fn dates_are_iso_days() {
        assert!(parse_date("2026-12-14").is_some());
        assert!(parse_date("14/12/2026").is_none());
        assert!(parse_date("2026-02-30").is_none());
    }
}
