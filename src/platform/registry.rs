//! Every platform this build offers: one line each, its profile and how to
//! open it. Nothing else in Offboard matches on a platform id; adding a
//! platform is its own folder under `platform/`, a line here, and tests.

use super::upwork::api::TokenSource;
use super::{Platform, PlatformError, demo, fiverr, freelancer_com, guided, upwork};
use crate::model::account::PlatformId;
use crate::model::profile::{PlatformProfile, Profiles};
use crate::model::review::AccountChange;
use crate::model::wizard::SourceSettings;
use chrono::{DateTime, Utc};
use std::sync::{Arc, LazyLock};

/// What opening a platform may need; each platform takes what it uses.
pub struct OpenContext<'a> {
    pub now: DateTime<Utc>,
    /// Changes made to demo accounts, replayed on the fresh platform.
    pub changes: &'a [AccountChange],
    pub sources: &'a SourceSettings,
    pub credentials: &'a dyn Credentials,
}

/// The user's saved API credentials, for platforms read through an API.
pub trait Credentials {
    /// A token source for the saved key; `None` before the user connects.
    fn token_source(&self) -> Result<Option<Arc<dyn TokenSource>>, String>;
    /// Another endpoint than the platform's own (a test server, a proxy).
    fn endpoint(&self, sources: &SourceSettings) -> Option<String>;
}

/// No credentials at all (guided platforms, tests, the demo).
pub struct NoCredentials;

impl Credentials for NoCredentials {
    fn token_source(&self) -> Result<Option<Arc<dyn TokenSource>>, String> {
        Ok(None)
    }

    fn endpoint(&self, _sources: &SourceSettings) -> Option<String> {
        None
    }
}

pub type Open =
    fn(&'static PlatformProfile, &OpenContext<'_>) -> Result<Box<dyn Platform>, PlatformError>;

pub struct PlatformEntry {
    pub profile: &'static PlatformProfile,
    pub open: Open,
}

/// In the order the connect page lists them; the first is the default.
pub static PLATFORMS: &[PlatformEntry] = &[
    PlatformEntry {
        profile: &demo::profile::DEMO,
        open: demo::open,
    },
    PlatformEntry {
        profile: &upwork::profile::UPWORK_API,
        open: upwork::api::open,
    },
    PlatformEntry {
        profile: &upwork::profile::UPWORK_CSV,
        open: upwork::csv::open,
    },
    PlatformEntry {
        profile: &fiverr::FIVERR,
        open: guided::open,
    },
    PlatformEntry {
        profile: &freelancer_com::FREELANCER_COM,
        open: guided::open,
    },
];

/// Every profile, for the model and the pages.
pub fn profiles() -> Profiles {
    static LIST: LazyLock<Vec<&'static PlatformProfile>> =
        LazyLock::new(|| PLATFORMS.iter().map(|e| e.profile).collect());
    Profiles(LIST.as_slice())
}

/// Opens the platform `id` names.
pub fn open(
    id: &PlatformId,
    context: &OpenContext<'_>,
) -> Result<Box<dyn Platform>, PlatformError> {
    let entry = PLATFORMS
        .iter()
        .find(|e| e.profile.id == *id)
        .ok_or_else(|| {
            PlatformError::Refused(format!(
                "this Offboard does not know the platform \"{id}\"; choose one on the connect page"
            ))
        })?;
    (entry.open)(entry.profile, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_every_platform_has_kinds_and_a_checklist() {
        let mut slugs: Vec<&str> = PLATFORMS.iter().map(|e| e.profile.id.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), PLATFORMS.len());
        for entry in PLATFORMS {
            let p = entry.profile;
            assert!(!p.kinds.is_empty(), "{}", p.name);
            assert!(!p.checklist.is_empty(), "{}", p.name);
            assert!(!p.after_care.privacy_contact.is_empty(), "{}", p.name);
            assert!(!p.after_care.recovery.is_empty(), "{}", p.name);
            for kind in p.kinds {
                assert!(!kind.reasons.is_empty(), "{} {}", p.name, kind.label);
                assert!(!kind.closing.steps.is_empty(), "{} {}", p.name, kind.label);
            }
        }
        assert_eq!(profiles().default_profile().id.slug(), "demo");
    }

    #[test]
    fn people_who_hire_are_asked_why_they_stop_hiring() {
        use crate::model::account::AccountKind;
        use crate::model::choices::LeaveReason;
        for p in profiles().all() {
            for kind in p.kinds {
                let hires = kind.kind == AccountKind::Client;
                let finding_clients = kind.reasons.contains(&LeaveReason::HardToFindClients);
                let stops_hiring = kind.reasons.contains(&LeaveReason::NoLongerHiring);
                assert_eq!(finding_clients, !hires, "{} {}", p.name, kind.label);
                assert_eq!(stops_hiring, hires, "{} {}", p.name, kind.label);
                assert!(
                    kind.reasons.contains(&LeaveReason::Other),
                    "{} {}",
                    p.name,
                    kind.label
                );
            }
        }
    }

    #[test]
    fn every_rule_reads_a_question_of_its_own_questionnaire() {
        use crate::model::questionnaire::{Clears, Trigger};
        for p in profiles().all() {
            let Some(q) = p.questionnaire() else { continue };
            for rule in q.rules {
                let asked = match rule.trigger {
                    Trigger::Yes(id) | Trigger::Positive(id) | Trigger::Future(id) => id,
                };
                let question = q.question(asked);
                assert!(question.is_some(), "{}: {asked}", rule.id);
                if let Clears::OnAnswer { question, .. } = rule.clears {
                    assert!(q.question(question).is_some(), "{}: {question}", rule.id);
                }
                for kind in rule.kinds {
                    assert!(p.kinds.iter().any(|k| k.kind == *kind), "{}", rule.id);
                    let asked_of_kind =
                        question.is_some_and(|q| q.kinds.is_empty() || q.kinds.contains(kind));
                    assert!(
                        asked_of_kind,
                        "{}: {asked} is not asked of {kind:?}",
                        rule.id
                    );
                }
                assert!(rule.link.starts_with("https://"), "{}", rule.id);
                assert!(!rule.source.is_empty(), "{}", rule.id);
            }
        }
    }
}
