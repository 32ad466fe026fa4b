//! Upwork's GraphQL API with the user's own key: the HTTP client (rate
//! limit, retries, timeouts, token refresh), the query documents, and the
//! [`Platform`](crate::platform::Platform) built on them.
//!
//! - [`UpworkApi`] sends one query at a time: `POST {"query","variables"}`
//!   with `Authorization: Bearer` and, for an organisation's data,
//!   `X-Upwork-API-TenantId`. A token bucket shared by every thread keeps to
//!   [`ApiConfig::requests_per_second`]; 429 and 5xx answers are retried with
//!   exponential backoff and jitter, honouring `Retry-After` up to
//!   [`MAX_RETRY_AFTER`] (a longer wait is an error naming it); a 401
//!   refreshes the token once; a 403 or an "Authorization failed" answer
//!   names the permission to enable, as Upwork's API Center names it (a 403
//!   web page names the network instead). Every request names Offboard, its
//!   version and home page in its User-Agent ([`USER_AGENT`]). Every request has a timeout
//!   over the whole answer, bodies are read up to [`MAX_BODY_BYTES`], and a
//!   web page or a broken body is retried like a 5xx.
//! - [`UpworkPlatform`] maps the answers into the model's types and streams
//!   every collection page by page (or month by month for transactions), so
//!   an export never holds a whole account in memory. Every walk over pages
//!   is bounded: a cursor or a page that comes back, or more than
//!   [`MAX_PAGES`] pages, ends it with [`ApiError::Endless`].
//! - The query documents live in `src/platform/upwork/queries/*.graphql`
//!   and are listed in [`QUERIES`]; a test validates them against the schema.

mod client;
mod limiter;
mod mapping;
mod platform;
mod queries;
mod stream;

pub use client::{
    Answer, ApiConfig, ApiError, DEFAULT_BASE_URL, HOME_PAGE, MAX_BODY_BYTES, MAX_PAGES,
    MAX_RETRY_AFTER, StaticToken, TokenSource, USER_AGENT, UpworkApi,
};
pub use mapping::{UNKNOWN_AUTHOR, parse_date, parse_money};
pub use platform::{FetchProgress, ProgressSink, UpworkPlatform};
pub use queries::{QUERIES, Query, required_permissions};

/// Upwork's API as a platform, with the given token source and endpoint.
/// Every path to the API passes here: the token goes nowhere else than an
/// endpoint [`check_api_endpoint`](crate::platform::endpoint::check_api_endpoint) allows.
pub fn connect_platform(
    tokens: std::sync::Arc<dyn TokenSource>,
    api_base: Option<&str>,
    today: chrono::DateTime<chrono::Utc>,
) -> Result<Box<dyn crate::platform::Platform>, crate::platform::PlatformError> {
    use crate::platform::PlatformError;
    let mut config = ApiConfig::default();
    if let Some(base) = api_base {
        config.base_url = base.to_string();
    }
    crate::platform::endpoint::check_api_endpoint(&config.base_url)
        .map_err(PlatformError::Refused)?;
    let api = UpworkApi::new(config, tokens).map_err(PlatformError::from)?;
    let platform = UpworkPlatform::connect(api, today).map_err(PlatformError::from)?;
    Ok(Box::new(platform))
}

/// Opens Upwork's API with the saved key (registry entry).
pub fn open(
    _profile: &'static crate::model::profile::PlatformProfile,
    context: &crate::platform::registry::OpenContext<'_>,
) -> Result<Box<dyn crate::platform::Platform>, crate::platform::PlatformError> {
    use crate::platform::PlatformError;
    let tokens = context
        .credentials
        .token_source()
        .map_err(PlatformError::Refused)?
        .ok_or_else(|| PlatformError::Refused("connect with your API key first".into()))?;
    connect_platform(
        tokens,
        context.credentials.endpoint(context.sources).as_deref(),
        context.now,
    )
}
