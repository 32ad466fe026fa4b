//! Step 8: the summary, the irreversible warning and the typed username.

use crate::model::wizard::{Action, Loadable, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let Some(account) = wizard.account() else {
        widgets::page_header(ui, "Confirm", "Choose an account first.");
        return;
    };
    widgets::page_header(
        ui,
        "Confirm closing",
        "Read this once more. This is the last step before the account is gone.",
    );
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "What will happen");
        widgets::fact_row(ui, "Platform", wizard.profile().name);
        widgets::fact_row(
            ui,
            "Account",
            format!(
                "{} ({}, {})",
                account.display_name,
                account.username,
                account.kind.label()
            ),
        );
        widgets::fact_row(ui, "Reason", wizard.reason_text());
        widgets::fact_row(
            ui,
            "Export",
            match &wizard.progress.export {
                Some(e) => format!("{} files in {}", e.files, e.folder.display()),
                None => "not exported with Offboard".to_string(),
            },
        );
        widgets::fact_row(
            ui,
            "Checklist",
            format!("{} items ticked", wizard.progress.checklist.len()),
        );
        match &wizard.assessment {
            Loadable::Loaded(a) => {
                let n = a.blocker_count();
                let (text, colour) = if n == 0 {
                    ("no blockers".to_string(), widgets::success(ui))
                } else {
                    (
                        format!("{n} blocker{} still open", if n == 1 { "" } else { "s" }),
                        widgets::danger(ui),
                    )
                };
                widgets::fact_row(
                    ui,
                    "Pending work",
                    RichText::new(text).color(colour).strong(),
                );
            }
            _ => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Re-checking pending work…");
                });
            }
        }
    });
    if let Loadable::Loaded(a) = &wizard.assessment {
        let blockers: Vec<_> = a.blockers().collect();
        if !blockers.is_empty() {
            widgets::callout(ui, widgets::danger(ui), |ui| {
                ui.label(
                    RichText::new("Still blocking:")
                        .strong()
                        .color(widgets::danger(ui)),
                );
                for item in blockers.iter().take(STILL_BLOCKING_SHOWN) {
                    ui.label(format!("•  {}", item.title));
                }
                // The review lists them all; here a reminder is enough.
                if let Some(more) = blockers.len().checked_sub(STILL_BLOCKING_SHOWN)
                    && more > 0
                {
                    ui.label(format!("…and {more} more on the pending work page."));
                }
                if ui.button("Back to pending work").clicked() {
                    cx.act(Action::GoTo(crate::model::wizard::Step::Review));
                }
            });
        }
    }
    ui.add_space(6.0);
    widgets::callout(ui, widgets::danger(ui), |ui| {
        ui.label(
            RichText::new("Closing cannot be undone from Offboard")
                .strong()
                .color(widgets::danger(ui)),
        );
        ui.label(
            "Your profile disappears, you can no longer sign in, withdraw money, download \
             invoices or read messages, and clients can no longer reach you on the platform.",
        );
        if let Some(kind) = wizard.profile().kind(account.kind) {
            ui.label(RichText::new(kind.reactivation).color(widgets::muted(ui)));
        }
    });
    if !wizard.profile().acts_itself {
        ui.add_space(6.0);
        close_on_website(ui, wizard, account.kind, cx);
    }
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        let label = ui.label(format!(
            "Type the username \"{}\" to confirm",
            account.username
        ));
        let mut typed = wizard.progress.typed_name.clone();
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut typed)
                    .hint_text(&account.username)
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
        if response.changed() {
            cx.act(Action::TypeName(typed));
        }
        if wizard.closing {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label("Closing the account…");
            });
        }
        if let Some(error) = &wizard.close_error {
            widgets::live(ui, true, |ui| {
                ui.label(
                    RichText::new(format!("The platform refused to close: {error}"))
                        .color(widgets::danger(ui)),
                )
            });
        }
    });
}

/// No API closes an account: the user does it on the website, guided step
/// by step, and confirms here.
fn close_on_website(
    ui: &mut Ui,
    wizard: &Wizard,
    kind: crate::model::account::AccountKind,
    cx: &mut PageContext<'_>,
) {
    let profile = wizard.profile();
    let company = profile.company;
    let Some(guide) = profile.kind(kind).map(|k| &k.closing) else {
        return;
    };
    widgets::card(ui, |ui| {
        widgets::card_title(ui, &format!("Close it on {company}'s website"));
        ui.label(
            RichText::new(format!(
                "{company} offers no way to close an account from another app. Do it there now:"
            ))
            .color(widgets::muted(ui)),
        );
        for (i, step) in guide.steps.iter().enumerate() {
            ui.label(format!("{}.  {step}", i + 1));
        }
        if ui
            .button("Open the settings page")
            .on_hover_text(guide.url)
            .clicked()
        {
            ui.ctx().open_url(egui::OpenUrl::new_tab(guide.url));
        }
        let mut done = wizard.progress.closed_on_website;
        if ui
            .checkbox(
                &mut done,
                format!("I have closed the account on {company}'s website"),
            )
            .changed()
        {
            cx.act(Action::SetClosedOnWebsite(done));
        }
    });
}

/// How many of the remaining blockers the close page names.
const STILL_BLOCKING_SHOWN: usize = 10;
