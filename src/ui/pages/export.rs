//! Step 6: export the account's data to a folder the user picks.

use crate::model::wizard::{Action, ExportJob, Loadable, Wizard};
use crate::ui::app::PageContext;
use crate::ui::file_choice::{Purpose, Slot, parse_typed_path};
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::page_header(
        ui,
        "Export your data",
        "Once the account is closed, what is not saved is gone for good. Offboard writes \
         JSON and CSV files and a manifest with a SHA-256 checksum of every file.",
    );
    preview(ui, wizard);
    ui.add_space(6.0);
    destination(ui, wizard, cx);
    ui.add_space(6.0);
    job(ui, wizard, cx);
    if let Some(record) = &wizard.progress.export {
        widgets::live(ui, false, |ui| {
            widgets::callout(ui, widgets::success(ui), |ui| {
                ui.label(
                    RichText::new("Export complete")
                        .strong()
                        .color(widgets::success(ui)),
                );
                widgets::fact_row(
                    ui,
                    "Folder",
                    RichText::new(record.folder.display().to_string()).monospace(),
                );
                widgets::fact_row(
                    ui,
                    "Contents",
                    format!(
                        "{} files, {} records, {}",
                        record.files,
                        record.records,
                        human_bytes(record.bytes)
                    ),
                );
                widgets::fact_row(
                    ui,
                    "Manifest SHA-256",
                    RichText::new(&record.manifest_sha256).monospace().small(),
                );
                widgets::fact_row(
                    ui,
                    "Finished",
                    format!("{} UTC", record.finished_at.format("%Y-%m-%d %H:%M")),
                );
                verification(ui, wizard, cx);
            })
        });
    }
    if wizard.progress.export.is_none() {
        ui.add_space(6.0);
        let mut skipped = wizard.progress.export_skipped;
        if ui
            .checkbox(
                &mut skipped,
                "I already have a copy of my data; continue without exporting",
            )
            .changed()
        {
            cx.act(Action::SkipExport(skipped));
        }
    }
}

fn preview(ui: &mut Ui, wizard: &Wizard) {
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "What will be exported");
        match &wizard.export_preview {
            Loadable::Loaded(c)
            | Loadable::Failed {
                previous: Some(c), ..
            }
            | Loadable::Loading { previous: Some(c) } => {
                let rows = [
                    ("Profile", 1),
                    ("Contracts", c.contracts),
                    ("Proposals", c.proposals),
                    ("Offers", c.offers),
                    ("Job posts", c.job_posts),
                    ("Team members", c.team),
                    ("Transactions", c.transactions),
                    ("Reviews (feedback)", c.feedback),
                    ("Disputes", c.disputes),
                    ("Message rooms", c.rooms),
                    ("Messages", c.messages),
                ];
                egui::Grid::new("export-preview")
                    .num_columns(2)
                    .spacing([24.0, 4.0])
                    .show(ui, |ui| {
                        for (what, count) in rows.into_iter().filter(|(_, n)| *n > 0) {
                            ui.label(what);
                            ui.label(RichText::new(count.to_string()).strong());
                            ui.end_row();
                        }
                    });
            }
            Loadable::Failed { message, .. } => {
                ui.label(
                    RichText::new(format!("Could not count the records: {message}"))
                        .color(widgets::danger(ui)),
                );
            }
            _ => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Counting records…");
                });
            }
        }
    });
}

fn job(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    match &wizard.export_job {
        ExportJob::Idle => {}
        ExportJob::Running {
            section,
            sections_done,
            sections_total,
            records,
            bytes,
            cancelling,
        } => {
            widgets::card(ui, |ui| {
                ui.label(RichText::new(format!("Exporting: {section}")).strong());
                let fraction = if *sections_total == 0 {
                    0.0
                } else {
                    *sections_done as f32 / *sections_total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!(
                            "{sections_done} of {sections_total} sections · {records} records · {}",
                            human_bytes(*bytes)
                        ))
                        .desired_width(f32::INFINITY),
                );
                if *cancelling {
                    ui.label(RichText::new("Cancelling…").color(widgets::muted(ui)));
                } else if ui.button("Cancel").clicked() {
                    cx.act(Action::CancelExport);
                }
            });
        }
        ExportJob::Cancelled => {
            widgets::live(ui, false, |ui| {
                widgets::callout(ui, widgets::warning(ui), |ui| {
                    ui.label("Export cancelled. What was written is kept; Resume export carries on from there.");
                })
            });
        }
        ExportJob::Failed(message) => {
            widgets::live(ui, true, |ui| {
                widgets::callout(ui, widgets::danger(ui), |ui| {
                    ui.label(
                        RichText::new("The export did not finish")
                            .strong()
                            .color(widgets::danger(ui)),
                    );
                    ui.label(message);
                    ui.label("Choose another folder or free some space, then Resume export.");
                })
            });
        }
    }
}

fn human_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.2} GB", b / (KB * KB * KB))
    }
}

/// Re-hash the export against its manifest, and show what was found.
fn verification(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    widgets::live(ui, false, |ui| verification_row(ui, wizard, cx));
    verification_problems(ui, wizard);
}

fn verification_row(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    ui.horizontal(|ui| {
        let checking = wizard.verification.is_loading();
        if ui
            .add_enabled(
                !checking && !wizard.export_job.is_running(),
                egui::Button::new("Verify"),
            )
            .on_hover_text("Re-hash every file and compare it with the manifest")
            .clicked()
        {
            cx.act(Action::VerifyExport);
        }
        match &wizard.verification {
            Loadable::Loading { .. } => {
                ui.add(egui::Spinner::new());
                ui.label("Re-hashing every file…");
            }
            Loadable::Loaded(outcome) if outcome.problems.is_empty() => {
                ui.label(
                    RichText::new(format!(
                        "Verified: {} files and {} records match the manifest",
                        outcome.files_checked, outcome.records
                    ))
                    .color(widgets::success(ui)),
                );
            }
            Loadable::Loaded(outcome) => {
                ui.label(
                    RichText::new(format!("{} problems found", outcome.problems.len()))
                        .color(widgets::danger(ui))
                        .strong(),
                );
            }
            Loadable::Failed { message, .. } => {
                ui.label(RichText::new(message).color(widgets::danger(ui)));
            }
            Loadable::NotLoaded => {}
        }
    });
}

fn verification_problems(ui: &mut Ui, wizard: &Wizard) {
    if let Loadable::Loaded(outcome) = &wizard.verification {
        for (file, problem) in outcome.problems.iter().take(20) {
            ui.label(RichText::new(format!("{file}: {problem}")).color(widgets::danger(ui)));
        }
        if outcome.problems.len() > 20 {
            ui.label(format!(
                "…and {} more; run offboard verify for the full list.",
                outcome.problems.len() - 20
            ));
        }
        if !outcome.problems.is_empty() {
            ui.label("Export again to write a fresh, complete copy.");
        }
    }
}

/// Where the export goes: a path field (the default under Documents until
/// the user picks another), the system's dialog, Offboard's own browser,
/// and Export.
fn destination(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let running = wizard.export_job.is_running();
    let chosen = wizard
        .progress
        .export_parent
        .clone()
        .or_else(|| cx.files.folders.export());
    widgets::card(ui, |ui| {
        widgets::card_title(ui, "Destination");
        let mut text = match &cx.files.export_draft {
            Some(draft) => draft.clone(),
            None => chosen
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        };
        let home = cx.files.folders.home.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Export folder");
            let field = ui
                .add_enabled(
                    !running,
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(f32::INFINITY)
                        .font(egui::TextStyle::Monospace),
                )
                .labelled_by(label.id);
            if field.changed() {
                if let Ok(path) = parse_typed_path(&text, home.as_deref())
                    && wizard.progress.export_parent.as_ref() != Some(&path)
                {
                    cx.act(Action::ChooseExportFolder(path));
                }
                cx.files.export_draft = Some(text.clone());
            }
        });
        let typed = parse_typed_path(&text, home.as_deref());
        ui.horizontal_wrapped(|ui| {
            let waiting = cx.files.waiting();
            let start_in = typed.as_ref().ok().cloned();
            if ui
                .add_enabled(!running && !waiting, egui::Button::new("Choose folder…"))
                .on_hover_text("Opens your system's folder picker")
                .clicked()
            {
                cx.files.choose(Purpose::ExportFolder, start_in.clone());
            }
            if ui
                .add_enabled(!running, egui::Button::new("Browse in Offboard…"))
                .on_hover_text("Offboard's own folder browser, for when the system's does not open")
                .clicked()
            {
                cx.files.browse(Purpose::ExportFolder, start_in);
            }
            let label = if matches!(
                wizard.export_job,
                ExportJob::Cancelled | ExportJob::Failed(_)
            ) {
                "Resume export"
            } else if wizard.progress.export.is_some() {
                "Export again"
            } else {
                "Export"
            };
            let ready = typed.is_ok() && !running;
            if ui.add_enabled(ready, egui::Button::new(label)).clicked()
                && let Ok(path) = &typed
            {
                if wizard.progress.export_parent.as_ref() != Some(path) {
                    cx.act(Action::ChooseExportFolder(path.clone()));
                }
                cx.act(Action::StartExport);
            }
            let why_not = match &typed {
                _ if running => Some("The folder stays as it is while the export runs."),
                Err(why) => Some(*why),
                Ok(_) => None,
            };
            if let Some(why) = why_not {
                ui.label(RichText::new(why).color(widgets::muted(ui)));
            }
        });
        ui.label(
            RichText::new(
                "A new folder named after the platform, account and time is created inside it \
                 (and the folder itself, if it does not exist yet).",
            )
            .small()
            .color(widgets::muted(ui)),
        );
        let actions = &mut cx.actions;
        cx.files.ui(ui, Slot::ExportFolder, actions);
    });
}
