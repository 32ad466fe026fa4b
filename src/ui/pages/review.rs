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
    let blockers: Vec<_> = assessment.blockers().collect();
    if !blockers.is_empty() {
        ui.label(
            RichText::new(format!("Blockers ({})", blockers.len()))
                .strong()
                .size(16.0),
        );
        for item in blockers {
            let resolving = item
                .resolution
                .as_ref()
                .is_some_and(|r| wizard.resolving.contains(r));
            if widgets::review_item(ui, item, cx.can_act, resolving)
                && let Some(resolution) = item.resolution.clone()
            {
                cx.act(Action::Resolve(resolution));
            }
        }
        ui.add_space(6.0);
    }
    let advisories: Vec<_> = assessment.advisories().collect();
    ui.label(
        RichText::new(format!("Advisories ({})", advisories.len()))
            .strong()
            .size(16.0),
    );
    for item in advisories {
        widgets::review_item(ui, item, false, false);
    }
}

fn recheck_bar(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    ui.horizontal(|ui| {
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
