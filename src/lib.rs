//! Offboard: a desktop exit wizard for leaving a freelance platform.

pub mod export;
pub mod model;
pub mod platform;
pub mod store;
