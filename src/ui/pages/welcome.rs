//! Step 1: what the wizard does and what the user needs.

use crate::model::wizard::{Step, Wizard};
use crate::ui::app::PageContext;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, _wizard: &Wizard, _cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Leave your freelance platform safely",
        "Closing an account is final. Offboard walks you through it so no money, data or \
         client is left behind.",
    );
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "What we will do together");
        let steps = [
            (
                Step::Connect,
                "pick the platform and the account you are leaving",
            ),
            (
                Step::Reason,
                "tell us why you are leaving; it goes on your receipt",
            ),
            (Step::Feedback, "add feedback for the platform, if you like"),
            (
                Step::Review,
                "find everything that blocks closing (contracts, proposals, money) and how to \
                 resolve it, with the earliest date you can close",
            ),
            (
                Step::Export,
                "save your contracts, transactions, reviews and messages to a folder",
            ),
            (
                Step::Checklist,
                "tick off the last chores and write farewell notes to your clients",
            ),
            (
                Step::Confirm,
                "check the summary and confirm with your username",
            ),
            (
                Step::Done,
                "get a receipt and a data-erasure request letter",
            ),
        ];
        for (step, what) in steps {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}.", step.index() + 1)).color(widgets::muted(ui)));
                ui.label(RichText::new(step.title()).strong());
                ui.label(what);
            });
        }
    });
    ui.add_space(6.0);
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "What you will need");
        for need in [
            "About 20 minutes now; you can quit at any time and pick up where you left off.",
            "A folder with some free space for your export (a few megabytes for most accounts).",
            "Access to the platform's website, to end contracts and withdraw money.",
            "Patience if money is still in review: it can take up to 10 days to be released.",
        ] {
            ui.label(format!("•  {need}"));
        }
    });
    ui.add_space(6.0);
    ui.label(
        RichText::new(
            "Nothing is closed until the last step, and only after you type your username.",
        )
        .color(widgets::muted(ui)),
    );
}
