//! What Offboard observed about an account after closing, so a receipt
//! never claims more than was seen: closed by the platform itself, seen
//! closed, seen still open, or not checked (and why).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClosureCheck {
    /// The platform closed it itself and answered with a reference.
    ClosedByPlatform,
    /// The platform was asked afterwards and reported the account closed.
    VerifiedClosed { at: DateTime<Utc>, how: String },
    /// The platform was asked afterwards and still answered for the
    /// account as open; closing can take a while to reach the API.
    StillOpen { at: DateTime<Utc> },
    /// The platform could not be asked (offline, a timeout, a refused
    /// sign-in): nothing was observed either way.
    CouldNotCheck { at: DateTime<Utc>, problem: String },
    /// The source cannot see the account's state (downloaded files).
    CannotCheck,
}

impl ClosureCheck {
    /// Whether checking again later could tell more.
    pub fn can_check_again(&self) -> bool {
        matches!(
            self,
            ClosureCheck::StillOpen { .. } | ClosureCheck::CouldNotCheck { .. }
        )
    }

    /// Whether the account was seen closed.
    pub fn is_verified(&self) -> bool {
        matches!(
            self,
            ClosureCheck::ClosedByPlatform | ClosureCheck::VerifiedClosed { .. }
        )
    }

    /// One sentence for the receipt, the done page and the receipt file.
    pub fn sentence(&self, company: &str) -> String {
        let when = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
        match self {
            ClosureCheck::ClosedByPlatform => format!("{company} closed it and confirmed it."),
            ClosureCheck::VerifiedClosed { at, how } => {
                format!(
                    "You closed it on the website; verified on {}: {how}.",
                    when(at)
                )
            }
            ClosureCheck::StillOpen { at } => format!(
                "You closed it on the website; not verified: on {} {company}'s API still \
                 answered for the account as open (closing can take a while to reach it). \
                 Check again later.",
                when(at)
            ),
            ClosureCheck::CouldNotCheck { at, problem } => format!(
                "You closed it on the website; not verified: on {} {company} could not be \
                 asked ({problem}). Check again later.",
                when(at)
            ),
            ClosureCheck::CannotCheck => {
                "You closed it on the website; downloaded files cannot show whether it is closed."
                    .to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn only_what_was_observed_is_called_verified() {
        let failed = ClosureCheck::CouldNotCheck {
            at: at(),
            problem: "the connection timed out".into(),
        };
        assert!(!failed.is_verified());
        assert!(failed.can_check_again());
        let text = failed.sentence("Upwork");
        assert!(text.contains("not verified"), "{text}");
        assert!(!text.contains("verified on"), "{text}");
        assert!(text.contains("the connection timed out"), "{text}");

        let open = ClosureCheck::StillOpen { at: at() };
        assert!(!open.is_verified());
        assert!(open.sentence("Upwork").contains("not verified"));

        let seen = ClosureCheck::VerifiedClosed {
            at: at(),
            how: "the API reports it closed".into(),
        };
        assert!(seen.is_verified());
        assert!(!seen.can_check_again());
        assert!(
            seen.sentence("Upwork")
                .contains("verified on 2026-12-01 09:30 UTC")
        );

        assert!(!ClosureCheck::CannotCheck.is_verified());
        assert!(!ClosureCheck::CannotCheck.can_check_again());
    }

    #[test]
    fn round_trips_through_json() -> Result<(), serde_json::Error> {
        for check in [
            ClosureCheck::ClosedByPlatform,
            ClosureCheck::StillOpen { at: at() },
            ClosureCheck::CouldNotCheck {
                at: at(),
                problem: "offline".into(),
            },
            ClosureCheck::CannotCheck,
        ] {
            let json = serde_json::to_string(&check)?;
            assert_eq!(serde_json::from_str::<ClosureCheck>(&json)?, check);
        }
        Ok(())
    }
}
