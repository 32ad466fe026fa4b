//! egui only: the app frame, the design system and one file a page. Pages
//! read the wizard and send actions; they never do IO.

pub mod app;
pub mod dialogs;
pub mod file_choice;
pub mod folder_browser;
pub mod pages;
pub mod widgets;

pub use app::OffboardApp;
pub use dialogs::{DialogDone, DialogKind, DialogOutcome, Dialogs, NativeDialogs};
pub use file_choice::DefaultFolders;
