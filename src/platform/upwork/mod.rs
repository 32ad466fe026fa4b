//! Upwork: the GraphQL API with the user's own key, and the CSV files a
//! user downloads from it, sharing one profile of its rules and pages.

pub mod api;
pub mod auth;
pub mod csv;
pub mod profile;
pub mod secrets;
pub mod vocabulary;
