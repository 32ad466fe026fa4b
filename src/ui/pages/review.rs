//! Step 5: every blocker and advisory, how to resolve each, re-checked live,
//! and the earliest date the account can close.

use crate::model::review::Assessment;
use crate::model::wizard::{Action, AuthState, Loadable, Step, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Pending work",
        "Everything that stops the account from closing, and what you would lose. Blockers \
         must be resolved; advisories are worth doing first.",
    );
    recheck_bar(ui, wizard, cx);
    // A failed re-check is shown above the last good review, never hidden.
    if let Some(message) = wizard.assessment.error() {
        widgets::live(ui, true, |ui| {
            widgets::callout(ui, widgets::danger(ui), |ui| {
                ui.label(format!("The review could not be loaded: {message}"));
                if wizard.assessment.value().is_some() {
                    ui.label("What follows is the last review that worked.");
                }
                if wizard.api_auth == AuthState::NotConnected
                    && ui.button("Connect again").clicked()
                {
                    cx.act(Action::GoTo(Step::Connect));
                }
            })
        });
        ui.add_space(6.0);
    }
    let Some(assessment) = wizard.assessment.value() else {
        return;
    };
    if assessment.already_closed {
        widgets::callout(ui, widgets::muted(ui), |ui| {
            ui.label("This account is already closed. Choose another account, or reset the demo.");
        });
        return;
    }
    summary(ui, assessment);
    ui.add_space(6.0);
    both_sides(ui, wizard, assessment);
    timeline(ui, wizard, assessment, cx);
    ui.add_space(6.0);
    let blockers: Vec<_> = assessment.blockers().collect();
    if !blockers.is_empty() {
        ui.label(
            RichText::new(format!("Blockers ({})", blockers.len()))
                .strong()
                .size(16.0),
        );
        widgets::long_list(
            ui,
            "blockers",
            blockers.len(),
            REVIEW_ITEM_HEIGHT,
            |ui, index| {
                let item = blockers[index];
                let resolving = item
                    .resolution
                    .as_ref()
                    .is_some_and(|r| wizard.resolving.contains(r));
                if widgets::review_item(ui, item, cx.can_act, resolving)
                    && let Some(resolution) = item.resolution.clone()
                {
                    cx.act(Action::Resolve(resolution));
                }
            },
        );
        ui.add_space(6.0);
    }
    let advisories: Vec<_> = assessment.advisories().collect();
    ui.label(
        RichText::new(format!("Advisories ({})", advisories.len()))
            .strong()
            .size(16.0),
    );
    widgets::long_list(
        ui,
        "advisories",
        advisories.len(),
        REVIEW_ITEM_HEIGHT,
        |ui, index| {
            widgets::review_item(ui, advisories[index], false, false);
        },
    );
}

/// A review card's usual height (title, a line of why, a line of how, a
/// button): where a long list has not measured its rows yet.
const REVIEW_ITEM_HEIGHT: f32 = 130.0;

fn recheck_bar(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    ui.horizontal_wrapped(|ui| {
        let loading = wizard.assessment.is_loading();
        if ui
            .add_enabled(!loading, egui::Button::new("Re-check"))
            .clicked()
        {
            cx.act(Action::Recheck);
        }
        if loading {
            ui.add(egui::Spinner::new());
            match &wizard.fetch_status {
                Some(status) => {
                    ui.label(
                        RichText::new(format!(
                            "Fetching {}: {} queries, {} records so far",
                            status.current, status.queries, status.records
                        ))
                        .color(widgets::muted(ui)),
                    );
                    if ui.button("Cancel").clicked() {
                        cx.act(Action::CancelFetch);
                    }
                }
                None => {
                    ui.label(
                        RichText::new("Checking with the platform…").color(widgets::muted(ui)),
                    );
                }
            }
        } else if let Loadable::Loaded(a)
        | Loadable::Failed {
            previous: Some(a), ..
        } = &wizard.assessment
        {
            ui.label(
                RichText::new(format!(
                    "Checked {} UTC · re-checked every minute while you are here",
                    a.checked_at.format("%H:%M:%S")
                ))
                .color(widgets::muted(ui)),
            );
        }
    });
}

/// One login, several sides: closing closes them all, so their blockers
/// count too.
fn both_sides(ui: &mut Ui, wizard: &Wizard, a: &Assessment) {
    let Some(note) = wizard.profile().kind(a.account.kind).and_then(|k| k.note) else {
        return;
    };
    widgets::callout(ui, widgets::warning(ui), |ui| {
        ui.label(note);
        let others = wizard.other_sides();
        if !others.is_empty() {
            let names: Vec<String> = others
                .iter()
                .map(|o| {
                    format!(
                        "{} ({})",
                        o.display_name,
                        wizard.profile().kind_label(o.kind)
                    )
                })
                .collect();
            ui.label(
                RichText::new(format!(
                    "This login also has: {}. Choose each on the connect page to review its \
                     rules too before closing.",
                    names.join(", ")
                ))
                .strong(),
            );
        }
    });
    ui.add_space(6.0);
}

/// The earliest closing date as days: what can be done today, when each
/// sum becomes withdrawable, and the day closing works, with the reasons;
/// and a calendar reminder for that day.
fn timeline(ui: &mut Ui, wizard: &Wizard, a: &Assessment, cx: &mut PageContext<'_>) {
    let profile = wizard.profile();
    let days = crate::model::timeline::timeline(a, cx.utc_offset, profile.payment.withdrawal_days);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Timeline if you act today");
        for day in &days {
            ui.horizontal_top(|ui| {
                ui.add_sized(
                    egui::vec2(120.0, 18.0),
                    egui::Label::new(
                        RichText::new(day.day.format("%a %-d %b %Y").to_string()).strong(),
                    ),
                );
                ui.vertical(|ui| {
                    ui.label(&day.what);
                    ui.label(RichText::new(&day.why).color(widgets::muted(ui)));
                });
            });
        }
        let Some(last) = days.last().filter(|d| d.day > a.checked_at.date_naive()) else {
            return;
        };
        let account = &a.account;
        let ics = crate::model::timeline::reminder_ics(
            &format!("close-{}-{}@offboard", profile.id, account.id),
            last.day,
            &format!("Close your {} account", profile.company),
            &format!(
                "The money on its way from {} should have arrived by now. Open Offboard: it \
                 checks the account again and guides the closing.",
                profile.company
            ),
            a.checked_at,
        );
        ui.horizontal(|ui| {
            let purpose = crate::ui::file_choice::Purpose::SaveText {
                suggested_name: "offboard-close-reminder.ics".into(),
                contents: ics,
            };
            let waiting = cx.files.waiting();
            if ui
                .add_enabled(!waiting, egui::Button::new("Remind me…"))
                .on_hover_text("Saves a calendar file for that day; Offboard checks again when you open it then")
                .clicked()
            {
                cx.act(Action::SetReminder(Some(last.day)));
                cx.files.choose(purpose, cx.files.folders.documents.clone());
            }
            if let Some(day) = wizard.progress.reminder {
                ui.label(
                    RichText::new(format!(
                        "Reminder set for {}: Offboard checks again when you open it that day.",
                        day.format("%-d %B %Y")
                    ))
                    .color(widgets::muted(ui)),
                );
            }
        });
        let actions = &mut cx.actions;
        cx.files
            .ui(ui, crate::ui::file_choice::Slot::SaveText, actions);
    });
}

fn summary(ui: &mut Ui, a: &Assessment) {
    let blockers = a.blocker_count();
    let colour = if blockers == 0 {
        widgets::success(ui)
    } else {
        widgets::warning(ui)
    };
    widgets::callout(ui, colour, |ui| {
        if blockers == 0 {
            ui.label(
                RichText::new("Nothing blocks closing this account.")
                    .strong()
                    .color(widgets::success(ui)),
            );
        } else {
            ui.label(
                RichText::new(format!(
                    "{blockers} blocker{} to resolve before the account can close.",
                    if blockers == 1 { "" } else { "s" }
                ))
                .strong()
                .color(colour),
            );
        }
        let earliest = a.earliest_close;
        let when = if earliest <= a.checked_at {
            "today, once the blockers are resolved".to_string()
        } else {
            format!(
                "{} ({} days from now), when the last money is released",
                earliest.format("%A %-d %B %Y"),
                (earliest - a.checked_at).num_days().max(1)
            )
        };
        widgets::fact_row(ui, "Earliest closing date", RichText::new(when).strong());
    });
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Money on the account");
        let b = a.balances;
        widgets::fact_row(ui, "Available to withdraw", b.available.to_string());
        widgets::fact_row(ui, "In review", b.in_review.to_string());
        widgets::fact_row(ui, "Pending (security hold)", b.pending.to_string());
        widgets::fact_row(ui, "In escrow", b.escrow.to_string());
        widgets::fact_row(ui, "Owed to the platform", b.owed.to_string());
    });
}
