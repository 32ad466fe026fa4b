//! A guided platform (one whose profile connects by questionnaire) as a
//! [`Platform`]: one account per kind the platform has, named as the user
//! gives it, whose pending work is the answers. The profile's rules read
//! them in the review; there are no records to stream.

use super::{Platform, PlatformError, RecordStream};
use crate::model::account::{
    AccountSummary, Contract, Dispute, Feedback, JobPost, MessageRoom, Offer, PlatformId, Profile,
    Proposal, SectionCounts, TeamMember, Transaction,
};
use crate::model::money::Money;
use crate::model::profile::PlatformProfile;
use crate::model::questionnaire::Answers;
use crate::model::review::PendingWork;
use chrono::{DateTime, Utc};

pub struct GuidedPlatform {
    profile: &'static PlatformProfile,
    accounts: Vec<AccountSummary>,
    answers: Answers,
}

impl GuidedPlatform {
    /// Fails when the profile has no questionnaire, or an answer does not
    /// fit its question (the error names the question).
    pub fn new(
        profile: &'static PlatformProfile,
        username: &str,
        answers: &Answers,
        now: DateTime<Utc>,
    ) -> Result<GuidedPlatform, PlatformError> {
        let questionnaire = profile.questionnaire().ok_or_else(|| {
            PlatformError::Refused(format!("{} has no questionnaire", profile.name))
        })?;
        questionnaire
            .check(answers)
            .map_err(|e| PlatformError::Malformed(e.to_string()))?;
        let username = match username.trim() {
            "" => "you".to_string(),
            name => name.to_string(),
        };
        let accounts = profile
            .kinds
            .iter()
            .map(|k| AccountSummary {
                id: format!("{}-{}", profile.id.slug(), k.label.to_ascii_lowercase()),
                kind: k.kind,
                username: username.clone(),
                display_name: format!("{} on {}", k.label, profile.company),
                email: String::new(),
                member_since: now,
            })
            .collect();
        Ok(GuidedPlatform {
            profile,
            accounts,
            answers: answers.clone(),
        })
    }

    fn account(&self, id: &str) -> Result<&AccountSummary, PlatformError> {
        self.accounts
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| PlatformError::UnknownAccount(id.to_string()))
    }

    fn nothing<'a, T: 'a>(&self, account: &str) -> Result<RecordStream<'a, T>, PlatformError> {
        self.account(account)?;
        Ok(Box::new(std::iter::empty()))
    }
}

impl Platform for GuidedPlatform {
    fn id(&self) -> PlatformId {
        self.profile.id.clone()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        Ok(self.accounts.clone())
    }

    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        let mut work = PendingWork::nothing_open(self.account(account)?.clone());
        work.answers = self.answers.clone();
        Ok(work)
    }

    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        Ok(Profile {
            account: self.account(account)?.clone(),
            title: String::new(),
            overview: String::new(),
            location: String::new(),
            hourly_rate: None,
            skills: Vec::new(),
            profile_url: String::new(),
            total_earnings: Money::ZERO,
            job_success_score: None,
        })
    }

    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        self.account(account)?;
        Ok(SectionCounts::default())
    }

    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        self.nothing(account)
    }

    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.nothing(account)
    }

    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.nothing(account)
    }

    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.nothing(account)
    }

    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.nothing(account)
    }

    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        self.nothing(account)
    }

    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.nothing(account)
    }

    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.nothing(account)
    }

    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.nothing(account)
    }
}

/// Opens a guided platform from the saved answers (registry entry).
pub fn open(
    profile: &'static PlatformProfile,
    context: &super::registry::OpenContext<'_>,
) -> Result<Box<dyn Platform>, PlatformError> {
    Ok(Box::new(GuidedPlatform::new(
        profile,
        &context.sources.username,
        &context.sources.answers,
        context.now,
    )?))
}

/// Checks one rule of a guided platform both ways: `answers` make it an
/// item of the review of `kind` (with its severity, and the note where it
/// is unconfirmed), and the same questions answered "none" do not.
#[cfg(test)]
pub(crate) fn assert_rule_both_ways(
    profile: &'static PlatformProfile,
    rule: &str,
    kind: crate::model::account::AccountKind,
    answers: &[(&str, crate::model::questionnaire::Answer)],
) {
    use crate::model::questionnaire::Answer;
    use crate::model::review::assess;
    use chrono::TimeZone;
    let now = Utc
        .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
        .single()
        .expect("a valid time");
    let questionnaire = profile.questionnaire().expect("a guided platform");
    let spec = questionnaire
        .rules
        .iter()
        .find(|r| r.id == rule)
        .expect("the rule exists");
    let review = |given: Answers| {
        questionnaire
            .check(&given)
            .expect("the answers fit their questions");
        let platform = GuidedPlatform::new(profile, "maya", &given, now).expect("opens");
        let account = platform
            .accounts
            .iter()
            .find(|a| a.kind == kind)
            .expect("the platform has this kind")
            .id
            .clone();
        let work = platform.pending_work(&account).expect("pending work");
        assess(profile, &work, now)
    };
    let id = format!("rule:{rule}");
    let given: Answers = answers
        .iter()
        .map(|(q, a)| (q.to_string(), a.clone()))
        .collect();
    let with = review(given.clone());
    let item = with.items.iter().find(|i| i.id == id);
    let item = item.unwrap_or_else(|| panic!("{rule} is missing for {answers:?}: {with:#?}"));
    assert_eq!(item.severity, spec.severity, "{rule}");
    assert_eq!(item.kind, spec.item, "{rule}");
    assert_eq!(item.why.contains("Unconfirmed"), !spec.confirmed, "{rule}");
    assert!(
        item.how_to_resolve.contains(spec.link),
        "{rule}: {}",
        item.how_to_resolve
    );
    assert!(!item.title.contains('{'), "{rule}: {}", item.title);
    assert!(!item.how_to_resolve.contains("{date}"), "{rule}");
    let none: Answers = given
        .into_iter()
        .filter_map(|(q, a)| match a {
            Answer::YesNo(_) => Some((q, Answer::YesNo(false))),
            Answer::Count(_) => Some((q, Answer::Count(0))),
            Answer::Text(t) if crate::model::questionnaire::parse_amount(&t).is_some() => {
                Some((q, Answer::Text("0".into())))
            }
            Answer::Text(_) => None,
        })
        .collect();
    let without = review(none.clone());
    assert!(
        without.items.iter().all(|i| i.id != id),
        "{rule} applies to {none:?}"
    );
}
