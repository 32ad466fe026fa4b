//! egui only: the app frame, the design system and one file a page. Pages
//! read the wizard and send actions; they never do IO.

pub mod app;
pub mod pages;
pub mod widgets;

pub use app::{Dialogs, NativeDialogs, OffboardApp};
