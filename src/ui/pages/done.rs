//! Step 9: the receipt, what the platform keeps, reactivation and the
//! erasure-request letter.

use crate::model::closing::{erasure_letter, reactivation_text, receipt_text};
use crate::model::wizard::{Action, Wizard};
use crate::ui::app::PageContext;
use crate::ui::file_choice::{Purpose, Slot};
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let Some(receipt) = &wizard.progress.receipt else {
        widgets::page_header(ui, "Done", "The account is not closed yet.");
        return;
    };
    // The receipt's own platform: a receipt outlives a change of platform.
    let profile = wizard.profiles().get(&receipt.platform);
    widgets::page_header(
        ui,
        "Your account is closed",
        "Keep the receipt. Here is what happens next.",
    );
    widgets::callout(ui, widgets::success(ui), |ui| {
        ui.label(
            RichText::new("Receipt")
                .strong()
                .color(widgets::success(ui)),
        );
        widgets::fact_row(
            ui,
            "Closed",
            format!("{} UTC", receipt.closed_at.format("%Y-%m-%d %H:%M")),
        );
        widgets::fact_row(ui, "Platform", profile.name);
        widgets::fact_row(
            ui,
            "Account",
            format!(
                "{} ({})",
                receipt.account.display_name, receipt.account.username
            ),
        );
        widgets::fact_row(
            ui,
            "Reference",
            RichText::new(&receipt.reference).monospace(),
        );
        if let Some(evidence) = &receipt.evidence {
            widgets::fact_row(ui, "Closed how", evidence);
        }
        if receipt.check.as_ref().is_some_and(|c| c.can_check_again()) {
            // The answer changes the receipt's "Closed how": announced.
            widgets::live(ui, false, |ui| {
                ui.horizontal(|ui| {
                    let checking = wizard.checking_closure;
                    let button = ui.add_enabled(!checking, egui::Button::new("Check again"));
                    if button.clicked() {
                        cx.act(Action::CheckClosureAgain);
                    }
                    if checking {
                        ui.add(egui::Spinner::new());
                        ui.label(RichText::new("Asking the platform…").color(widgets::muted(ui)));
                    } else {
                        ui.label(
                            RichText::new("Asks the platform whether the account is gone now.")
                                .color(widgets::muted(ui)),
                        );
                    }
                })
            });
        }
        widgets::fact_row(ui, "Reason", &receipt.reason);
        if !receipt.feedback.trim().is_empty() {
            widgets::fact_row(ui, "Feedback", &receipt.feedback);
        }
        widgets::fact_row(
            ui,
            "Export manifest",
            match &receipt.export_manifest_sha256 {
                Some(hash) => RichText::new(format!("SHA-256 {hash}")).monospace().small(),
                None => RichText::new("not exported with Offboard"),
            },
        );
        match &receipt.receipt_path {
            Some(path) => widgets::fact_row(
                ui,
                "Saved as",
                RichText::new(path.display().to_string()).monospace(),
            ),
            None => widgets::fact_row(
                ui,
                "Saved as",
                "not saved to a file (no export folder); copy it below",
            ),
        }
        if ui.button("Copy receipt").clicked() {
            ui.ctx().copy_text(receipt_text(profile, receipt));
        }
    });
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, &format!("What {} keeps", profile.company));
        for line in profile.after_care.retention {
            ui.label(format!("•  {line}"));
        }
    });
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Changed your mind?");
        ui.label(format!(
            "To reactivate: {}",
            reactivation_text(profile, receipt)
        ));
        ui.label(format!(
            "Closed by mistake: {}",
            profile.after_care.recovery
        ));
    });
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Ask for your data to be erased");
        ui.label(
            RichText::new(
                "Send this letter to the platform's privacy team. It asks them to erase what \
                 the law does not oblige them to keep, and to say what they keep and why.",
            )
            .color(widgets::muted(ui)),
        );
        let mut letter = erasure_letter(profile, receipt);
        let label = ui.label("Erasure request letter");
        ui.add(
            egui::TextEdit::multiline(&mut letter)
                .interactive(true)
                .desired_rows(12)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            if ui.button("Copy letter").clicked() {
                ui.ctx().copy_text(erasure_letter(profile, receipt));
            }
            let purpose = || Purpose::SaveText {
                suggested_name: "erasure-request.txt".into(),
                contents: erasure_letter(profile, receipt),
            };
            let start_in = receipt
                .receipt_path
                .as_ref()
                .and_then(|p| p.parent())
                .map(std::path::Path::to_path_buf)
                .or_else(|| cx.files.folders.documents.clone());
            let waiting = cx.files.waiting();
            if ui
                .add_enabled(!waiting, egui::Button::new("Save letter…"))
                .on_hover_text("Opens your system's save dialog")
                .clicked()
            {
                cx.files.choose(purpose(), start_in.clone());
            }
            if ui
                .button("Save with Offboard's browser…")
                .on_hover_text("Offboard's own folder browser, for when the system's does not open")
                .clicked()
            {
                cx.files.browse(purpose(), start_in);
            }
            if waiting {
                ui.label(
                    RichText::new("Waiting for the save dialog to close.")
                        .color(widgets::muted(ui)),
                );
            }
        });
        // The answer is due a month after the letter is sent (GDPR Article
        // 12(3)): a calendar reminder for that day, counted from today.
        let sent = wizard.now();
        let due = crate::model::closing::erasure_answer_due(sent);
        ui.horizontal(|ui| {
            let ics = crate::model::timeline::reminder_ics(
                &format!("erasure-{}-{}@offboard", profile.id, receipt.reference),
                due.date_naive(),
                &format!(
                    "{}'s answer to your erasure request is due",
                    profile.company
                ),
                &format!(
                    "You sent the GDPR Article 17 request to {} on {}. Without an answer by \
                     today, write again, or complain to your data protection authority.",
                    profile.after_care.privacy_contact,
                    sent.format("%-d %B %Y")
                ),
                sent,
            );
            let waiting = cx.files.waiting();
            if ui
                .add_enabled(!waiting, egui::Button::new("I sent it today: remind me…"))
                .on_hover_text(format!(
                    "Saves a calendar file for {}, when the answer is due",
                    due.format("%-d %B %Y")
                ))
                .clicked()
            {
                cx.files.choose(
                    Purpose::SaveText {
                        suggested_name: "erasure-answer-due.ics".into(),
                        contents: ics,
                    },
                    cx.files.folders.documents.clone(),
                );
            }
            ui.label(
                RichText::new(format!("The answer is due by {}.", due.format("%-d %B %Y")))
                    .color(widgets::muted(ui)),
            );
        });
        let actions = &mut cx.actions;
        cx.files.ui(ui, Slot::SaveText, actions);
    });
}
