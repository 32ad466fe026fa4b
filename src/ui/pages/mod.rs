//! One file a wizard page, each `fn ui(ui, wizard, cx)`.

pub mod checklist;
pub mod confirm;
pub mod connect;
pub mod done;
pub mod export;
pub mod feedback;
pub mod questionnaire;
pub mod reason;
pub mod review;
pub mod welcome;
