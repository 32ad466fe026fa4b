//! What a resumed state is checked for before the wizard carries on: a
//! platform this build does not offer, and a reminder whose day has come.

use super::{Notice, NoticeKind, Progress, Step, Wizard};
use chrono::{DateTime, Utc};

impl Wizard {
    /// A platform this build does not offer (a file from a newer Offboard):
    /// start over on the default one rather than guess, but never drop a
    /// receipt, and say so.
    pub(super) fn forget_unknown_platform(&mut self) {
        if self.profiles.find(&self.progress.platform).is_none() {
            let unknown = self.progress.platform.clone();
            let kept_receipt = self.progress.receipt.is_some();
            if !kept_receipt {
                self.progress = Progress {
                    platform: self.profiles.default_profile().id.clone(),
                    ..Progress::default()
                };
            }
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: if kept_receipt {
                    format!(
                        "The saved progress is from a platform this version of Offboard does \
                         not know (\"{unknown}\"); its receipt is kept as it is. A newer \
                         Offboard shows the rest."
                    )
                } else {
                    format!(
                        "The saved progress is for a platform this version of Offboard does not \
                         know (\"{unknown}\"), so it starts over; a newer Offboard can carry \
                         on from the saved file."
                    )
                },
            });
        }
    }

    /// The reminder's day has come: the money should have arrived, so the
    /// review is checked again before anything else.
    pub(super) fn remind_if_due(&mut self, now: DateTime<Utc>) {
        if let Some(day) = self.progress.reminder
            && now.date_naive() >= day
            && self.progress.receipt.is_none()
        {
            self.progress.reminder = None;
            if self.progress.step > Step::Review {
                self.progress.step = Step::Review;
            }
            self.notice = Some(Notice {
                kind: NoticeKind::Info,
                text: format!(
                    "It is {}, the day you asked to be reminded of: the pending work is checked \
                     again now.",
                    day.format("%-d %B %Y")
                ),
            });
        }
    }
}
