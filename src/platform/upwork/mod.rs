//! Upwork, for real: the GraphQL API with the user's own key.

pub mod api;
pub mod auth;
pub mod secrets;
