//! Offboard's own folder browser, for desktops where the system's file
//! dialog cannot open (no desktop portal, no zenity). Folders are listed on
//! a worker thread; the page only ever draws the last listing.

use super::file_choice::{DefaultFolders, Purpose, parse_typed_path};
use super::widgets;
use crate::jobs::Waker;
use crate::jobs::listing::{FolderListing, ListingReply, list_in_background};
use egui::{RichText, Ui};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// How a frame of the browser ended.
pub enum Outcome {
    Open,
    Cancelled,
    Chosen(Vec<PathBuf>),
}

/// The extensions of the files a purpose lists (folders are always listed).
fn extensions(purpose: &Purpose) -> &'static [&'static str] {
    match purpose {
        Purpose::CsvFiles => &["csv"],
        Purpose::ExportFolder | Purpose::SaveText { .. } => &[],
    }
}

pub struct FolderBrowser {
    purpose: Purpose,
    /// The jump buttons: home, documents, downloads.
    places: Vec<(&'static str, PathBuf)>,
    shown: Option<FolderListing>,
    error: Option<String>,
    /// The listing asked for last; older answers are dropped.
    ticket: u64,
    loading: bool,
    /// The "Look in" field.
    path_text: String,
    /// Ticked files (CSV), by name in the shown folder.
    ticked: BTreeSet<OsString>,
    /// The file name to save as.
    file_name: String,
    replies_tx: Sender<ListingReply>,
    replies: Receiver<ListingReply>,
    waker: Waker,
}

impl FolderBrowser {
    pub fn new(purpose: Purpose, start: PathBuf, folders: &DefaultFolders, waker: Waker) -> Self {
        let (replies_tx, replies) = channel();
        let file_name = match &purpose {
            Purpose::SaveText { suggested_name, .. } => suggested_name.clone(),
            _ => String::new(),
        };
        let places = [
            ("Home", &folders.home),
            ("Documents", &folders.documents),
            ("Downloads", &folders.downloads),
        ]
        .into_iter()
        .filter_map(|(name, path)| path.clone().map(|p| (name, p)))
        .collect();
        let mut browser = FolderBrowser {
            purpose,
            places,
            shown: None,
            error: None,
            ticket: 0,
            loading: false,
            path_text: start.display().to_string(),
            ticked: BTreeSet::new(),
            file_name,
            replies_tx,
            replies,
            waker,
        };
        browser.go(start);
        browser
    }

    pub fn purpose(&self) -> &Purpose {
        &self.purpose
    }

    pub fn into_purpose(self) -> Purpose {
        self.purpose
    }

    pub fn loading(&self) -> bool {
        self.loading
    }

    /// Lists `dir` in the background.
    fn go(&mut self, dir: PathBuf) {
        self.ticket += 1;
        self.loading = true;
        self.error = None;
        list_in_background(
            self.ticket,
            dir,
            extensions(&self.purpose),
            self.replies_tx.clone(),
            self.waker.clone(),
        );
    }

    /// Takes in the listing, if it came.
    pub fn poll(&mut self) {
        while let Ok((ticket, result)) = self.replies.try_recv() {
            if ticket != self.ticket {
                continue;
            }
            self.loading = false;
            match result {
                Ok(listing) => {
                    self.path_text = listing.dir.display().to_string();
                    self.ticked.clear();
                    self.shown = Some(listing);
                }
                Err(message) => self.error = Some(message),
            }
        }
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Outcome {
        let mut outcome = Outcome::Open;
        widgets::card(ui, |ui| {
            let title = match self.purpose {
                Purpose::ExportFolder => "Choose the export folder",
                Purpose::CsvFiles => "Choose CSV files",
                Purpose::SaveText { .. } => "Choose where to save",
            };
            widgets::card_title(ui, title);
            self.places_row(ui);
            self.look_in_row(ui);
            if let Some(note) = self.shown.as_ref().and_then(|l| l.note.as_ref()) {
                ui.label(RichText::new(note).color(widgets::muted(ui)));
            }
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(widgets::danger(ui)));
            }
            if self.loading {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("Reading the folder…");
                });
            }
            self.entries(ui);
            outcome = self.finish_row(ui);
        });
        outcome
    }

    fn places_row(&mut self, ui: &mut Ui) {
        let mut go_to = None;
        ui.horizontal_wrapped(|ui| {
            let parent = self
                .shown
                .as_ref()
                .and_then(|l| l.dir.parent())
                .map(PathBuf::from);
            let up = ui
                .add_enabled(parent.is_some(), egui::Button::new("Up one folder"))
                .on_disabled_hover_text("This is the top folder");
            if up.clicked() {
                go_to = parent;
            }
            for (name, path) in &self.places {
                if ui.button(*name).clicked() {
                    go_to = Some(path.clone());
                }
            }
        });
        if let Some(dir) = go_to {
            self.go(dir);
        }
    }

    fn look_in_row(&mut self, ui: &mut Ui) {
        let home = self.places.first().map(|(_, p)| p.clone());
        ui.horizontal(|ui| {
            let label = ui.label("Look in");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.path_text).desired_width(360.0))
                .labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let typed = parse_typed_path(&self.path_text, home.as_deref());
            let go = ui.add_enabled(typed.is_ok(), egui::Button::new("Go"));
            if let Err(why) = &typed {
                ui.label(RichText::new(*why).color(widgets::muted(ui)));
            }
            if let Ok(dir) = typed
                && (go.clicked() || entered)
            {
                self.go(dir);
            }
        });
    }

    /// The folders (to open) and, for CSV, the files (to tick) in the shown
    /// folder; only the rows in view are laid out.
    fn entries(&mut self, ui: &mut Ui) {
        let Some(listing) = &self.shown else {
            return;
        };
        let folders = listing.folders.len();
        let rows = folders + listing.files.len();
        if rows == 0 {
            ui.label(RichText::new("No folders here.").color(widgets::muted(ui)));
        }
        let mut open = None;
        let row_height = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .max_height(240.0)
            .auto_shrink([false, true])
            .id_salt("folder-browser-entries")
            .show_rows(ui, row_height, rows, |ui, range| {
                for row in range {
                    if let Some(folder) = listing.folders.get(row) {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new("🗀").color(widgets::muted(ui)));
                            if ui
                                .add(egui::Button::new(&folder.label).frame(false))
                                .on_hover_text("Open this folder")
                                .clicked()
                            {
                                open = Some(listing.dir.join(&folder.name));
                            }
                        });
                    } else if let Some(file) = listing.files.get(row - folders) {
                        let mut ticked = self.ticked.contains(&file.name);
                        if ui.checkbox(&mut ticked, &file.label).changed() {
                            if ticked {
                                self.ticked.insert(file.name.clone());
                            } else {
                                self.ticked.remove(&file.name);
                            }
                        }
                    }
                }
            });
        if listing.truncated {
            ui.label(
                RichText::new("Only the first 5,000 entries are shown; type a path to go further.")
                    .color(widgets::muted(ui)),
            );
        }
        if let Some(dir) = open {
            self.go(dir);
        }
    }

    fn finish_row(&mut self, ui: &mut Ui) -> Outcome {
        let mut outcome = Outcome::Open;
        let dir = self.shown.as_ref().map(|l| l.dir.clone());
        if let Purpose::SaveText { .. } = self.purpose {
            ui.horizontal(|ui| {
                let label = ui.label("File name");
                ui.add(egui::TextEdit::singleline(&mut self.file_name).desired_width(280.0))
                    .labelled_by(label.id);
            });
        }
        ui.horizontal_wrapped(|ui| {
            let (label, chosen, why_not) = match (&self.purpose, &dir) {
                (_, None) => (
                    "Use this folder",
                    Vec::new(),
                    "Wait for the folder to be read.",
                ),
                (_, Some(_)) if self.loading => (
                    "Use this folder",
                    Vec::new(),
                    "Wait for the folder to be read.",
                ),
                (Purpose::ExportFolder, Some(dir)) => ("Use this folder", vec![dir.clone()], ""),
                (Purpose::CsvFiles, Some(dir)) => (
                    "Add the ticked files",
                    self.ticked.iter().map(|name| dir.join(name)).collect(),
                    "Tick at least one file.",
                ),
                (Purpose::SaveText { .. }, Some(dir)) => {
                    let name = self.file_name.trim();
                    let valid = !name.is_empty() && !name.contains(['/', '\\']);
                    (
                        "Save here",
                        if valid {
                            vec![dir.join(name)]
                        } else {
                            Vec::new()
                        },
                        "Type a file name (without a folder).",
                    )
                }
            };
            let ready = !chosen.is_empty();
            if ui.add_enabled(ready, egui::Button::new(label)).clicked() {
                outcome = Outcome::Chosen(chosen);
            }
            if ui.button("Cancel").clicked() {
                outcome = Outcome::Cancelled;
            }
            if !ready {
                ui.label(RichText::new(why_not).color(widgets::muted(ui)));
            }
        });
        if let (Some(dir), Purpose::ExportFolder) = (&dir, &self.purpose) {
            ui.label(
                RichText::new(format!("Selected: {}", dir.display())).color(widgets::muted(ui)),
            );
        }
        outcome
    }
}
