//! Step 4: optional feedback, with a visible count and limit.

use crate::model::wizard::{Action, FEEDBACK_LIMIT, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Anything to tell the platform?",
        "Optional. Offboard keeps it on your receipt so you can paste it into the platform's \
         closing form or a message to support.",
    );
    widgets::card(ui, |ui| {
        let label = widgets::card_title(ui, "Feedback");
        let mut text = wizard.progress.feedback.clone();
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut text)
                    .hint_text("What worked, what did not, what would have kept you…")
                    .char_limit(FEEDBACK_LIMIT)
                    .desired_rows(10)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.changed() {
            cx.act(Action::SetFeedback(text));
        }
        let used = wizard.progress.feedback.chars().count();
        let colour = if used + 100 >= FEEDBACK_LIMIT {
            widgets::warning(ui)
        } else {
            widgets::muted(ui)
        };
        ui.label(
            RichText::new(format!("{used} / {FEEDBACK_LIMIT} characters"))
                .small()
                .color(colour),
        );
    });
}
