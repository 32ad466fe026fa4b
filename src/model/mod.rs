//! Pure logic: account data, the wizard's steps and rules, the closing
//! rules. No egui, no IO, no clock: time is passed in.

pub mod account;
pub mod choices;
pub mod closing;
pub mod closure_check;
pub mod handoff;
pub mod money;
pub mod profile;
pub mod questionnaire;
pub mod review;
pub mod timeline;
pub mod timestamp;
pub mod wizard;
