//! Every file choice the pages offer (the export folder, CSV files, where to
//! save a letter): the system's dialog when it works, Offboard's own folder
//! browser when it does not, and the failure shown where the user is.

use super::dialogs::{DialogKind, DialogOutcome, Dialogs};
use super::folder_browser::FolderBrowser;
use super::widgets;
use crate::jobs::Waker;
use crate::model::wizard::Action;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// The user's folders, looked up once at start-up (finding Documents reads
/// a file on Linux, so not on a frame).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefaultFolders {
    pub home: Option<PathBuf>,
    pub documents: Option<PathBuf>,
    pub downloads: Option<PathBuf>,
}

impl DefaultFolders {
    pub fn from_system() -> DefaultFolders {
        match directories::UserDirs::new() {
            Some(dirs) => DefaultFolders {
                home: Some(dirs.home_dir().to_path_buf()),
                documents: dirs.document_dir().map(Path::to_path_buf),
                downloads: dirs.download_dir().map(Path::to_path_buf),
            },
            None => DefaultFolders::default(),
        }
    }

    /// Where exports go unless the user says otherwise.
    pub fn export(&self) -> Option<PathBuf> {
        self.documents
            .as_ref()
            .or(self.home.as_ref())
            .map(|dir| dir.join("Offboard export"))
    }
}

/// What a choice is for, which decides what its answer does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    ExportFolder,
    CsvFiles,
    SaveText {
        suggested_name: String,
        contents: String,
    },
}

/// Where on the pages a choice's status and browser appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    ExportFolder,
    CsvFiles,
    SaveText,
}

impl Purpose {
    pub fn slot(&self) -> Slot {
        match self {
            Purpose::ExportFolder => Slot::ExportFolder,
            Purpose::CsvFiles => Slot::CsvFiles,
            Purpose::SaveText { .. } => Slot::SaveText,
        }
    }

    fn dialog_kind(&self) -> DialogKind {
        match self {
            Purpose::ExportFolder => DialogKind::Folder,
            Purpose::CsvFiles => DialogKind::CsvFiles,
            Purpose::SaveText { suggested_name, .. } => DialogKind::SaveAs {
                suggested_name: suggested_name.clone(),
            },
        }
    }

    /// The wizard action for the chosen paths.
    pub fn action(self, mut paths: Vec<PathBuf>) -> Option<Action> {
        match self {
            Purpose::ExportFolder => paths.pop().map(Action::ChooseExportFolder),
            Purpose::CsvFiles => (!paths.is_empty()).then_some(Action::AddCsvFiles(paths)),
            Purpose::SaveText { contents, .. } => {
                paths.pop().map(|path| Action::SaveText { path, contents })
            }
        }
    }
}

/// A path the user typed, made absolute: `~` is the home folder; anything
/// else must be a full path, since a relative one would land wherever
/// Offboard happened to start.
pub fn parse_typed_path(text: &str, home: Option<&Path>) -> Result<PathBuf, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type a folder path or choose a folder.");
    }
    let path = match (text.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with(['/', '\\']) => {
            home.join(rest.trim_start_matches(['/', '\\']))
        }
        _ => PathBuf::from(text),
    };
    if path.is_absolute() {
        Ok(path)
    } else {
        Err("Type a full path, starting with / or ~ (or a drive letter on Windows).")
    }
}

/// The file choices in progress, and what the export page's field holds.
pub struct FileChoices {
    pub folders: DefaultFolders,
    dialogs: Box<dyn Dialogs>,
    answers_tx: Sender<DialogOutcome>,
    answers: Receiver<DialogOutcome>,
    /// A system dialog is open for this.
    waiting: Option<Purpose>,
    /// Why the system dialog failed, shown where it was asked for.
    failure: Option<(Slot, String)>,
    /// After a failure, choices go straight to Offboard's own browser.
    native_broken: bool,
    browser: Option<FolderBrowser>,
    /// What the user typed into the export folder field, while it differs
    /// from the chosen folder.
    pub export_draft: Option<String>,
    waker: Waker,
}

impl FileChoices {
    pub fn new(dialogs: Box<dyn Dialogs>, folders: DefaultFolders) -> FileChoices {
        let (answers_tx, answers) = channel();
        FileChoices {
            folders,
            dialogs,
            answers_tx,
            answers,
            waiting: None,
            failure: None,
            native_broken: false,
            browser: None,
            export_draft: None,
            waker: std::sync::Arc::new(|| {}),
        }
    }

    /// Wakes the window when a dialog or a listing answers.
    pub fn set_waker(&mut self, waker: Waker) {
        self.waker = waker;
    }

    /// Whether a folder is being listed (tests wait on it).
    pub fn busy(&self) -> bool {
        self.browser.as_ref().is_some_and(FolderBrowser::loading)
    }

    /// Whether a system dialog is open.
    pub fn waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// Asks with the system's dialog, or with Offboard's browser once the
    /// system's has failed.
    pub fn choose(&mut self, purpose: Purpose, start_in: Option<PathBuf>) {
        if self.native_broken {
            self.browse(purpose, start_in);
            return;
        }
        self.failure = None;
        self.browser = None;
        let tx = self.answers_tx.clone();
        let waker = self.waker.clone();
        let kind = purpose.dialog_kind();
        self.waiting = Some(purpose);
        self.dialogs.open(
            kind,
            start_in,
            Box::new(move |outcome| {
                let _ = tx.send(outcome);
                waker();
            }),
        );
    }

    /// Opens Offboard's own browser for `purpose` in `start_in`.
    pub fn browse(&mut self, purpose: Purpose, start_in: Option<PathBuf>) {
        let start = start_in
            .or_else(|| self.folders.home.clone())
            .unwrap_or_else(|| PathBuf::from("/"));
        self.browser = Some(FolderBrowser::new(
            purpose,
            start,
            &self.folders,
            self.waker.clone(),
        ));
    }

    /// Takes in what dialogs answered since the last frame.
    pub fn poll(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        while let Ok(outcome) = self.answers.try_recv() {
            let Some(purpose) = self.waiting.take() else {
                continue;
            };
            match outcome {
                DialogOutcome::Chosen(paths) => actions.extend(self.chosen(purpose, paths)),
                DialogOutcome::Cancelled => {}
                DialogOutcome::Failed(why) => {
                    self.failure = Some((purpose.slot(), why));
                    self.native_broken = true;
                    let start = self.start_for(&purpose);
                    self.browse(purpose, start);
                }
            }
        }
        if let Some(browser) = &mut self.browser {
            browser.poll();
        }
        actions
    }

    fn chosen(&mut self, purpose: Purpose, paths: Vec<PathBuf>) -> Option<Action> {
        if purpose == Purpose::ExportFolder {
            self.export_draft = None;
        }
        self.failure = None;
        purpose.action(paths)
    }

    /// Where a browser for `purpose` opens when nothing better is known.
    fn start_for(&self, purpose: &Purpose) -> Option<PathBuf> {
        match purpose {
            Purpose::ExportFolder => self.folders.export(),
            Purpose::CsvFiles => self.folders.downloads.clone(),
            Purpose::SaveText { .. } => self.folders.documents.clone(),
        }
        .or_else(|| self.folders.home.clone())
    }

    /// The status of choices made at `slot` (dialog open, dialog failed)
    /// and the browser, when it is open there.
    pub fn ui(&mut self, ui: &mut Ui, slot: Slot, actions: &mut Vec<Action>) {
        if self.waiting.as_ref().is_some_and(|p| p.slot() == slot) {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(
                        "The system's file dialog is open; it may be behind this window.",
                    )
                    .color(widgets::muted(ui)),
                );
                if ui.button("Browse in Offboard instead").clicked()
                    && let Some(purpose) = self.waiting.take()
                {
                    let start = self.start_for(&purpose);
                    self.browse(purpose, start);
                }
            });
        }
        if let Some((failed_at, why)) = &self.failure
            && *failed_at == slot
        {
            widgets::callout(ui, widgets::danger(ui), |ui| {
                ui.label(
                    RichText::new("The system's file dialog did not open")
                        .strong()
                        .color(widgets::danger(ui)),
                );
                ui.label(RichText::new(why).monospace());
                ui.label(
                    "Choose in Offboard's own browser below, or type the path. For the \
                     system's dialog next time, install a desktop portal \
                     (xdg-desktop-portal with its GTK or KDE backend) or zenity.",
                );
            });
        }
        let Some(browser) = &mut self.browser else {
            return;
        };
        if browser.purpose().slot() != slot {
            return;
        }
        match browser.ui(ui) {
            super::folder_browser::Outcome::Open => {}
            super::folder_browser::Outcome::Cancelled => self.browser = None,
            super::folder_browser::Outcome::Chosen(paths) => {
                if let Some(browser) = self.browser.take() {
                    actions.extend(self.chosen(browser.into_purpose(), paths));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_must_be_full_paths() {
        let home = Path::new("/home/maya");
        assert_eq!(
            parse_typed_path("  /srv/exports ", Some(home)),
            Ok(PathBuf::from("/srv/exports"))
        );
        assert_eq!(
            parse_typed_path("~/Documents/Offboard", Some(home)),
            Ok(PathBuf::from("/home/maya/Documents/Offboard"))
        );
        assert_eq!(parse_typed_path("~", Some(home)), Ok(home.to_path_buf()));
        assert!(parse_typed_path("exports", Some(home)).is_err());
        assert!(parse_typed_path("~/x", None).is_err());
        assert!(parse_typed_path("~other/x", Some(home)).is_err());
        assert!(parse_typed_path("   ", Some(home)).is_err());
    }

    #[test]
    fn the_default_export_folder_is_under_documents_or_home() {
        let mut folders = DefaultFolders {
            home: Some(PathBuf::from("/home/maya")),
            documents: Some(PathBuf::from("/home/maya/Documents")),
            downloads: None,
        };
        assert_eq!(
            folders.export(),
            Some(PathBuf::from("/home/maya/Documents/Offboard export"))
        );
        folders.documents = None;
        assert_eq!(
            folders.export(),
            Some(PathBuf::from("/home/maya/Offboard export"))
        );
        assert_eq!(DefaultFolders::default().export(), None);
    }

    #[test]
    fn answers_become_the_actions_of_their_purpose() {
        let path = PathBuf::from("/tmp/x");
        assert_eq!(
            Purpose::ExportFolder.action(vec![path.clone()]),
            Some(Action::ChooseExportFolder(path.clone()))
        );
        assert_eq!(Purpose::CsvFiles.action(Vec::new()), None);
        assert_eq!(
            Purpose::SaveText {
                suggested_name: "a.txt".into(),
                contents: "hi".into()
            }
            .action(vec![path.clone()]),
            Some(Action::SaveText {
                path,
                contents: "hi".into()
            })
        );
    }
}
