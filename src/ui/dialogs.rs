//! The system's file dialogs, behind a trait so tests inject answers. A
//! dialog runs on a worker thread and answers through a callback: the
//! window keeps painting (and answering the desktop's pings) while it is
//! open, and a dialog that cannot open says why instead of doing nothing.

use std::path::PathBuf;
use std::sync::Mutex;

/// What a dialog asks the user to choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogKind {
    Folder,
    CsvFiles,
    SaveAs { suggested_name: String },
}

/// How a dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    Chosen(Vec<PathBuf>),
    Cancelled,
    /// The dialog could not open; the text says what went wrong.
    Failed(String),
}

/// Called once with the outcome, from any thread.
pub type DialogDone = Box<dyn FnOnce(DialogOutcome) + Send>;

pub trait Dialogs {
    /// Shows a dialog for `kind`, opening in `start_in` where the system
    /// allows, and calls `done` when it closes.
    fn open(&mut self, kind: DialogKind, start_in: Option<PathBuf>, done: DialogDone);
}

/// The system's dialogs (the desktop portal or zenity on Linux).
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn open(&mut self, kind: DialogKind, start_in: Option<PathBuf>, done: DialogDone) {
        let spawned = std::thread::Builder::new()
            .name("offboard-file-dialog".into())
            .spawn(move || done(run_native(kind, start_in)));
        if let Err(e) = spawned {
            log::error!("could not start the file dialog thread: {e}");
        }
    }
}

/// Errors rfd logged while the current dialog was open. One dialog runs at a
/// time (the page waits for it), so one list is enough.
static DIALOG_ERRORS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn run_native(kind: DialogKind, start_in: Option<PathBuf>) -> DialogOutcome {
    if let Ok(mut errors) = DIALOG_ERRORS.lock() {
        errors.clear();
    }
    let mut dialog = rfd::AsyncFileDialog::new();
    if let Some(dir) = start_in {
        dialog = dialog.set_directory(dir);
    }
    let chosen: Option<Vec<PathBuf>> = match kind {
        DialogKind::Folder => pollster::block_on(
            dialog
                .set_title("Choose where to save your export")
                .pick_folder(),
        )
        .map(|handle| vec![handle.path().to_path_buf()]),
        DialogKind::CsvFiles => pollster::block_on(
            dialog
                .set_title("Add transaction-history CSV files")
                .add_filter("CSV files", &["csv", "CSV"])
                .pick_files(),
        )
        .map(|handles| handles.iter().map(|h| h.path().to_path_buf()).collect()),
        DialogKind::SaveAs { suggested_name } => pollster::block_on(
            dialog
                .set_title("Save as")
                .set_file_name(suggested_name)
                .save_file(),
        )
        .map(|handle| vec![handle.path().to_path_buf()]),
    };
    let errors = DIALOG_ERRORS
        .lock()
        .map(|mut errors| std::mem::take(&mut *errors))
        .unwrap_or_default();
    classify(chosen, &errors)
}

/// rfd answers "nothing chosen" both when the user cancels and when no
/// dialog could open; only its log tells them apart. On Linux the last
/// resort is zenity, so a logged zenity failure means nothing opened.
pub fn classify(chosen: Option<Vec<PathBuf>>, logged_errors: &[String]) -> DialogOutcome {
    match chosen {
        Some(paths) if !paths.is_empty() => DialogOutcome::Chosen(paths),
        _ => match logged_errors.iter().find(|e| e.contains("zenity")) {
            Some(final_error) => {
                let mut why = logged_errors
                    .iter()
                    .filter(|e| *e != final_error)
                    .cloned()
                    .collect::<Vec<_>>();
                why.push(final_error.clone());
                DialogOutcome::Failed(why.join("; "))
            }
            None => DialogOutcome::Cancelled,
        },
    }
}

/// A logger that passes everything on to `inner` and also keeps the errors
/// rfd logs, so a dialog that could not open is reported on the page.
pub struct DialogErrorLog<L> {
    inner: L,
}

impl<L: log::Log> DialogErrorLog<L> {
    pub fn new(inner: L) -> Self {
        DialogErrorLog { inner }
    }
}

fn is_dialog_error(metadata: &log::Metadata<'_>) -> bool {
    metadata.level() == log::Level::Error && metadata.target().starts_with("rfd")
}

impl<L: log::Log> log::Log for DialogErrorLog<L> {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        is_dialog_error(metadata) || self.inner.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if is_dialog_error(record.metadata())
            && let Ok(mut errors) = DIALOG_ERRORS.lock()
        {
            errors.push(record.args().to_string());
        }
        if self.inner.enabled(record.metadata()) {
            self.inner.log(record);
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

/// Installs env_logger (filtered by RUST_LOG, warnings by default) wrapped
/// so that dialog errors are kept even when the filter hides them.
pub fn install_logger() {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).build();
    let level = logger.filter().max(log::LevelFilter::Error);
    if log::set_boxed_logger(Box::new(DialogErrorLog::new(logger))).is_ok() {
        log::set_max_level(level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two tests that use the one error list take turns.
    static ERROR_LIST_USERS: Mutex<()> = Mutex::new(());

    #[test]
    fn a_choice_is_a_choice_whatever_was_logged() {
        let chosen = vec![PathBuf::from("/home/me/exports")];
        assert_eq!(
            classify(Some(chosen.clone()), &["OpenFile failed: no portal".into()]),
            DialogOutcome::Chosen(chosen)
        );
    }

    #[test]
    fn nothing_chosen_and_nothing_logged_is_a_cancel() {
        assert_eq!(classify(None, &[]), DialogOutcome::Cancelled);
        assert_eq!(classify(Some(Vec::new()), &[]), DialogOutcome::Cancelled);
    }

    #[test]
    fn a_portal_failure_that_zenity_covered_is_a_cancel() {
        // The portal failed, zenity opened, and the user cancelled it.
        assert_eq!(
            classify(None, &["Failed to connect to session bus: nope".into()]),
            DialogOutcome::Cancelled
        );
    }

    #[test]
    fn portal_and_zenity_both_failing_is_a_failure_with_both_reasons() {
        // rfd 0.17's messages, as logged by its xdg-portal backend.
        let logged = [
            "Failed to connect to session bus: no DBUS_SESSION_BUS_ADDRESS".to_string(),
            "Failed to pick folder with zenity: No such file or directory (os error 2)".to_string(),
        ];
        let DialogOutcome::Failed(why) = classify(None, &logged) else {
            panic!("not reported as a failure");
        };
        assert!(
            why.contains("session bus") && why.contains("zenity"),
            "{why}"
        );
    }

    /// The real dialog on a machine like the one in the issue: no session
    /// bus (so no portal) and no zenity. Skipped where either exists, since
    /// there a dialog would open and wait for a person.
    #[test]
    fn without_portal_or_zenity_the_real_dialog_reports_a_failure() {
        let zenity_installed = std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| dir.join("zenity").exists())
        });
        if zenity_installed || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
            return;
        }
        let _turn = ERROR_LIST_USERS.lock();
        install_logger();
        let outcome = run_native(DialogKind::Folder, None);
        let DialogOutcome::Failed(why) = outcome else {
            panic!("reported as {outcome:?}");
        };
        assert!(why.contains("zenity"), "{why}");
    }

    #[test]
    fn the_logger_keeps_rfd_errors_only() {
        struct Nothing;
        impl log::Log for Nothing {
            fn enabled(&self, _: &log::Metadata<'_>) -> bool {
                false
            }
            fn log(&self, _: &log::Record<'_>) {}
            fn flush(&self) {}
        }
        let _turn = ERROR_LIST_USERS.lock();
        let logger = DialogErrorLog::new(Nothing);
        let record = |target: &'static str, level| {
            log::Log::log(
                &logger,
                &log::Record::builder()
                    .target(target)
                    .level(level)
                    .args(format_args!("kept?"))
                    .build(),
            );
        };
        if let Ok(mut errors) = DIALOG_ERRORS.lock() {
            errors.clear();
        }
        record("rfd::backend::xdg_desktop_portal", log::Level::Error);
        record("rfd::backend::xdg_desktop_portal", log::Level::Warn);
        record("offboard::jobs", log::Level::Error);
        let kept = DIALOG_ERRORS.lock().map(|e| e.clone()).unwrap_or_default();
        assert_eq!(kept, ["kept?"]);
        assert!(log::Log::enabled(
            &logger,
            &log::Metadata::builder()
                .target("rfd::x")
                .level(log::Level::Error)
                .build()
        ));
    }
}
