//! egui only: the app frame, the design system and one file a page. Pages
//! read the wizard and send actions; they never do IO.

pub mod app;
pub mod dialogs;
pub mod file_choice;
pub mod folder_browser;
pub mod keyboard;
pub mod pages;
pub mod startup_probe;
pub mod widgets;

pub use app::OffboardApp;
pub use dialogs::{DialogDone, DialogKind, DialogOutcome, Dialogs, NativeDialogs};
pub use file_choice::DefaultFolders;

/// The window's id on the desktop: the .desktop file, the AppStream
/// metainfo and the icon under assets/ are named after it.
pub const APP_ID: &str = "io.github.offboard.Offboard";

const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/io.github.offboard.Offboard.png");

/// The window and taskbar icon; `None` (and a log line) if it does not
/// decode, since a missing icon is no reason not to start.
pub fn app_icon() -> Option<egui::IconData> {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => Some(icon),
        Err(e) => {
            log::warn!("the window icon did not decode: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_app_icon_decodes_square() {
        let icon = super::app_icon();
        assert!(
            icon.as_ref().is_some_and(|i| i.width == 256
                && i.height == 256
                && i.rgba.len() == 256 * 256 * 4),
            "{:?}",
            icon.map(|i| (i.width, i.height))
        );
    }
}
