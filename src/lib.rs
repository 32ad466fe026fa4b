//! Offboard: a desktop exit wizard for leaving a freelance platform.
//!
//! `model` holds every rule and is pure; `platform`, `export`, `store` and
//! `jobs` do the IO; `ui` is egui only; `cli` runs the same engine headless.

pub mod cli;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod jobs;
pub mod model;
pub mod platform;
pub mod store;
pub mod ui;
