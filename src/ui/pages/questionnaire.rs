//! The connect page of a guided platform: the user's username and the
//! platform's questions for the chosen kind of account. Answers reach the
//! model only when they read as what the question asks; a draft that does
//! not says so next to the field.

use crate::model::questionnaire::{Answer, AnswerKind, Question, Questionnaire};
use crate::model::wizard::{Action, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn username(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let company = wizard.profile().company;
    widgets::card(ui, |ui| {
        widgets::card_title(ui, &format!("You on {company}"));
        ui.label(
            RichText::new(format!(
                "{company} has no API Offboard can use: you answer a few questions below, from \
                 what {company}'s own pages show today. Your username goes on the receipt and \
                 the letters."
            ))
            .color(widgets::muted(ui)),
        );
        let mut name = wizard.progress.sources.username.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Username");
            let edit = ui.add(egui::TextEdit::singleline(&mut name).desired_width(240.0));
            let edit = edit.labelled_by(label.id);
            if edit.changed() {
                cx.act(Action::SetUsername(name.clone()));
            }
        });
    });
    ui.add_space(6.0);
}

pub fn ui(ui: &mut Ui, wizard: &Wizard, questions: &Questionnaire, cx: &mut PageContext<'_>) {
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Your answers");
        let Some(account) = wizard.account() else {
            ui.label(
                RichText::new("Choose the kind of account above, then answer its questions.")
                    .color(widgets::muted(ui)),
            );
            return;
        };
        ui.label(
            RichText::new(
                "Leave a question empty for \"none\". Amounts like 120.50, dates like \
                 2026-12-14.",
            )
            .color(widgets::muted(ui)),
        );
        for question in questions.questions_for(account.kind) {
            ui.add_space(4.0);
            answer_row(ui, wizard, question, cx);
        }
    });
}

fn answer_row(ui: &mut Ui, wizard: &Wizard, question: &Question, cx: &mut PageContext<'_>) {
    let saved = wizard.progress.sources.answers.get(question.id);
    if question.kind == AnswerKind::YesNo {
        let mut yes = matches!(saved, Some(Answer::YesNo(true)));
        if ui.checkbox(&mut yes, question.text).changed() {
            cx.act(Action::Answer {
                question: question.id.to_string(),
                answer: Some(Answer::YesNo(yes)),
            });
        }
        ui.indent(question.id, |ui| {
            ui.label(
                RichText::new(question.hint)
                    .color(widgets::muted(ui))
                    .small(),
            );
        });
        return;
    }
    let id = ui.make_persistent_id(("answer", question.id));
    let shown = match saved {
        Some(Answer::Text(text)) => text.clone(),
        Some(Answer::Count(n)) => n.to_string(),
        _ => String::new(),
    };
    let mut draft = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or(shown);
    let label = ui.label(question.text);
    ui.horizontal(|ui| {
        let hint = match question.kind {
            AnswerKind::Amount => "0.00",
            AnswerKind::Date => "YYYY-MM-DD",
            _ => "0",
        };
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut draft)
                    .hint_text(hint)
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
        if edit.changed() {
            ui.data_mut(|d| d.insert_temp(id, draft.clone()));
            if let Some(answer) = question.kind.read_draft(&draft) {
                cx.act(Action::Answer {
                    question: question.id.to_string(),
                    answer,
                });
            }
        }
        ui.label(
            RichText::new(question.hint)
                .color(widgets::muted(ui))
                .small(),
        );
    });
    if question.kind.read_draft(&draft).is_none() {
        ui.label(
            RichText::new(format!(
                "Write {}; this answer is not used yet.",
                question.kind.expected()
            ))
            .color(widgets::danger(ui)),
        );
    }
}
