//! Step 7: the pre-close checklist and the client hand-off.

use crate::model::handoff::farewell_draft;
use crate::model::wizard::{Action, Loadable, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Checklist and clients",
        "What no platform check catches, and a note for everyone who should hear from you.",
    );
    widgets::card(ui, |ui| {
        let entries = wizard.profile().checklist;
        let done = entries
            .iter()
            .filter(|e| wizard.progress.checklist.contains(&e.item))
            .count();
        ui.label(
            RichText::new(format!("Before closing ({done} of {} done)", entries.len())).strong(),
        );
        for entry in entries {
            let item = entry.item;
            let mut ticked = wizard.progress.checklist.contains(&item);
            if ui.checkbox(&mut ticked, item.label()).changed() {
                cx.act(Action::ToggleChecklist(item));
            }
            ui.indent(item.label(), |ui| {
                ui.label(RichText::new(entry.detail).color(widgets::muted(ui)));
            });
        }
    });
    ui.add_space(6.0);
    agency_plan(ui, wizard, cx);
    manual_checks(ui, wizard, cx);
    clients(ui, wizard, cx);
}

/// An agency's close form asks why, how pending work will be completed,
/// and whether a payout agreement with a client exists (its text pasted
/// in): prepared here, copied into the form when closing.
fn agency_plan(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let Some(account) = wizard.account() else {
        return;
    };
    if !wizard
        .profile()
        .kind(account.kind)
        .is_some_and(|k| k.asks_agency_plan)
    {
        return;
    }
    let mut plan = wizard.progress.agency_plan.clone();
    let mut changed = false;
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "The agency close form");
        ui.label(
            RichText::new(format!(
                "{}'s form for closing an agency asks these; prepare them now and copy them in \
                 when you close.",
                wizard.profile().company
            ))
            .color(widgets::muted(ui)),
        );
        let label = ui.label("How will pending work be completed?");
        changed |= ui
            .add(
                egui::TextEdit::multiline(&mut plan.pending_work)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed();
        changed |= ui
            .checkbox(
                &mut plan.payout_agreement,
                "There is a payout agreement with a client",
            )
            .changed();
        if plan.payout_agreement {
            let label = ui.label("The agreement's text (the form wants it pasted in)");
            changed |= ui
                .add(
                    egui::TextEdit::multiline(&mut plan.agreement_text)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed();
        }
        ui.horizontal(|ui| {
            let missing = plan.missing();
            if ui
                .add_enabled(
                    missing.is_none(),
                    egui::Button::new("Copy the form's answers"),
                )
                .clicked()
            {
                ui.ctx().copy_text(plan.answers(&wizard.reason_text()));
            }
            if let Some(missing) = missing {
                ui.label(
                    RichText::new(format!("To copy the answers, {missing}."))
                        .color(widgets::muted(ui)),
                );
            }
        });
    });
    ui.add_space(6.0);
    if changed {
        cx.act(Action::EditAgencyPlan(plan));
    }
}

/// What the platform source cannot see (e.g. contracts, from CSV files):
/// the user checks it on the website and ticks it here.
fn manual_checks(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let checks = wizard.manual_checks.as_deref().unwrap_or_default();
    if checks.is_empty() {
        return;
    }
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Check on the website");
        ui.label(
            RichText::new(format!(
                "{} cannot show these; look them up on the website and tick each one that is true.",
                wizard.profile().name
            ))
            .color(widgets::muted(ui)),
        );
        for check in checks {
            let mut ticked = wizard.progress.manual_ticks.contains(&check.id);
            if ui.checkbox(&mut ticked, check.label.as_str()).changed() {
                cx.act(Action::ToggleManualCheck(check.id.clone()));
            }
            ui.indent(&check.id, |ui| {
                ui.label(RichText::new(&check.where_to_check).color(widgets::muted(ui)));
            });
        }
    });
    ui.add_space(6.0);
}

fn clients(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let Some(account) = wizard.account() else {
        return;
    };
    let who = match account.kind {
        crate::model::account::AccountKind::Client => "Freelancers you hired",
        _ => "Your clients",
    };
    ui.label(RichText::new(who).strong().size(16.0));
    ui.label(
        RichText::new(
            "Messages on the platform stop working once you close. Edit a note and copy it into \
             a message to each of them before you go.",
        )
        .color(widgets::muted(ui)),
    );
    let contacts = match &wizard.clients {
        Loadable::Failed {
            message,
            previous: None,
        } => {
            ui.label(
                RichText::new(format!("Could not list them: {message}")).color(widgets::danger(ui)),
            );
            return;
        }
        other => match other.value() {
            Some(contacts) => contacts,
            None => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Finding everyone you worked with…");
                });
                return;
            }
        },
    };
    if contacts.is_empty() {
        ui.label("No one to hand off: the account has no contracts.");
        return;
    }
    widgets::long_list(ui, "clients", contacts.len(), 30.0, |ui, index| {
        let contact = &contacts[index];
        let heading = format!(
            "{}{} · {} contract{} · last {}",
            contact.name,
            contact
                .company
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            contact.contracts,
            if contact.contracts == 1 { "" } else { "s" },
            contact.last_worked.format("%b %Y")
        );
        egui::CollapsingHeader::new(heading)
            .id_salt(("farewell", &contact.name))
            .default_open(index < 3)
            .show(ui, |ui| {
                let draft = farewell_draft(contact, account);
                let edited = wizard.progress.farewells.get(&contact.name);
                let mut text = edited.cloned().unwrap_or_else(|| draft.clone());
                let label = ui.label(format!("Farewell to {}", contact.name));
                let response = ui
                    .add(
                        egui::TextEdit::multiline(&mut text)
                            .desired_rows(6)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    cx.act(Action::EditFarewell {
                        client: contact.name.clone(),
                        text: text.clone(),
                    });
                }
                ui.horizontal(|ui| {
                    if ui
                        .button("Copy")
                        .on_hover_text("Copy the note to the clipboard")
                        .accessible_name(format!("Copy the farewell to {}", contact.name))
                        .clicked()
                    {
                        ui.ctx().copy_text(text.clone());
                    }
                    if edited.is_some()
                        && ui
                            .button("Restore draft")
                            .accessible_name(format!(
                                "Restore the draft farewell to {}",
                                contact.name
                            ))
                            .clicked()
                    {
                        cx.act(Action::ResetFarewell(contact.name.clone()));
                    }
                });
            });
    });
}
