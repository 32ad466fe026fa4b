//! Step 3: why the user is leaving (required).

use crate::model::wizard::{Action, LeaveReason, OTHER_REASON_LIMIT, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Why are you leaving?",
        "Required. Your answer goes on your closing receipt; platforms ask the same when you \
         close.",
    );
    widgets::card(ui, |ui| {
        let selected = wizard.progress.reason;
        egui::ComboBox::from_label("Reason for leaving")
            .width(360.0)
            .selected_text(
                selected
                    .map(LeaveReason::label)
                    .unwrap_or("Choose a reason…"),
            )
            .show_ui(ui, |ui| {
                for &reason in wizard.reasons() {
                    if ui
                        .selectable_label(selected == Some(reason), reason.label())
                        .clicked()
                        && selected != Some(reason)
                    {
                        cx.act(Action::ChooseReason(reason));
                    }
                }
            });
        if selected == Some(LeaveReason::Other) {
            ui.add_space(6.0);
            let label = ui.label("Your reason");
            let mut text = wizard.progress.other_reason.clone();
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        .hint_text("In a few words")
                        .char_limit(OTHER_REASON_LIMIT)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if response.changed() {
                cx.act(Action::SetOtherReason(text));
            }
            // The page's last field: Enter goes on (the wizard checks it may).
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                cx.act(Action::Next);
            }
            ui.label(
                RichText::new(format!(
                    "{} / {OTHER_REASON_LIMIT} characters",
                    wizard.progress.other_reason.chars().count()
                ))
                .small()
                .color(widgets::muted(ui)),
            );
        }
    });
}
