//! The HTTP side: one GraphQL query at a time, with the rate limit, retries,
//! timeouts and token refresh a real account needs.

use super::limiter::RateLimiter;
use super::queries::Query;
use rand::Rng;
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Upwork's GraphQL endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.upwork.com/graphql";

/// Where Offboard lives, for the User-Agent. Cargo.toml names no home page
/// yet, so this is the project's planned address.
pub const HOME_PAGE: &str = "https://github.com/offboard-app/offboard";

/// Sent with every request: Upwork's CDN blocks anonymous or generic agents
/// with an HTML 403, and a named product with a home page is what API
/// operators ask for.
pub const USER_AGENT: &str = concat!(
    "Offboard/",
    env!("CARGO_PKG_VERSION"),
    " (desktop exit wizard; +https://github.com/offboard-app/offboard)"
);

/// The header that names the organisation a query acts for.
const TENANT_HEADER: &str = "X-Upwork-API-TenantId";

/// The largest answer read: far above any page Upwork sends (a page of 50
/// long messages is well under 1 MiB), low enough that a runaway body
/// cannot exhaust memory.
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// The most pages one walk over a list takes: 10,000 pages of 50 is half a
/// million records of one kind, beyond any real account. A last resort
/// behind the checks for repeated cursors and pages.
pub const MAX_PAGES: u32 = 10_000;

/// The longest `Retry-After` honoured. A server asking for longer ends the
/// query with [`ApiError::WaitTooLong`], rather than leaving a fetch that
/// seems stuck.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

/// GraphQL errors kept from one answer, and the characters kept of each:
/// a hostile answer could carry millions.
const MAX_ERRORS_PER_ANSWER: usize = 20;
const MAX_ERROR_CHARS: usize = 500;

/// How the client talks to the API. `ApiConfig::default()` suits Upwork;
/// tests point `base_url` at a local server and shorten the waits.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiConfig {
    /// The GraphQL endpoint, e.g. `https://api.upwork.com/graphql`.
    pub base_url: String,
    /// The client-side limit shared by all threads (Upwork allows 10 per IP).
    pub requests_per_second: f64,
    pub connect_timeout: Duration,
    /// The longest one request may take, answer included (reqwest's
    /// blocking client has no separate read timeout).
    pub read_timeout: Duration,
    /// Retries after a 429, a 5xx, a timeout or a dropped connection.
    pub max_retries: u32,
    /// The first backoff; it doubles with each retry (with jitter).
    pub backoff_base: Duration,
    /// The longest single backoff between retries.
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the query with
    /// [`ApiError::WaitTooLong`].
    pub max_retry_after: Duration,
    /// The largest answer body read, in bytes.
    pub max_body_bytes: u64,
    /// The most pages one walk over a list takes.
    pub max_pages: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            base_url: DEFAULT_BASE_URL.to_string(),
            requests_per_second: 10.0,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_retries: 4,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
            max_retry_after: MAX_RETRY_AFTER,
            max_body_bytes: MAX_BODY_BYTES,
            max_pages: MAX_PAGES,
        }
    }
}

/// Why a query failed. Each names the query where that helps the user, and
/// says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the connection to Upwork has expired or was revoked; connect again")]
    Reconnect,
    #[error(
        "the API key may not read {query}: enable the {permission} permission for the key in \
         Upwork's API Center, then connect again"
    )]
    Forbidden { query: String, permission: String },
    #[error("Upwork's answer to the {query} query could not be read: {detail}; try again later")]
    Malformed { query: String, detail: String },
    #[error(
        "Upwork answered the {query} query with HTTP status {status}; try again in a few \
         minutes, and check Upwork's status page if it goes on"
    )]
    Http { status: u16, query: String },
    #[error(
        "Upwork did not answer the {query} query in time; check your internet connection and \
         try again"
    )]
    Timeout { query: String },
    #[error("could not reach Upwork: {0}; check your internet connection and try again")]
    Network(String),
    #[error("cancelled")]
    Cancelled,
    #[error("Upwork refused the {query} query: {}", messages.join("; "))]
    GraphQl {
        query: String,
        messages: Vec<String>,
    },
    /// The token source failed for a reason other than a dead grant (the
    /// token endpoint unreachable, the keyring locked…).
    #[error("signing in to Upwork failed: {0}")]
    Auth(String),
    /// A 403 web page: the network, not the key.
    #[error(
        "a firewall, VPN or content network between Offboard and Upwork blocked the {query} \
         query (HTTP 403 with a web page; not a missing permission); try another network or \
         try again later"
    )]
    Blocked { query: String },
    /// `Retry-After` asked for longer than [`ApiConfig::max_retry_after`].
    #[error(
        "Upwork asked Offboard to wait {} before sending the {query} query again, longer than \
         it waits; try again after that",
        describe_wait(*.asked)
    )]
    WaitTooLong {
        query: String,
        asked: Option<Duration>,
    },
    /// The answer was larger than [`ApiConfig::max_body_bytes`].
    #[error(
        "Upwork's answer to the {query} query was larger than {} MiB, more than Offboard \
         reads; try again later",
        .limit / (1024 * 1024)
    )]
    TooLarge { query: String, limit: u64 },
    /// A paged list that does not end: a cursor or a page came back again,
    /// or the list ran past [`ApiConfig::max_pages`].
    #[error(
        "Upwork's answer to the {query} query {detail}, so the list would never end and \
         Offboard stopped reading it; try again later"
    )]
    Endless { query: String, detail: String },
}

/// A wait as people read it; `None` is a wait too long to count.
fn describe_wait(wait: Option<Duration>) -> String {
    let Some(wait) = wait else {
        return "practically forever".to_string();
    };
    let secs = wait.as_secs();
    match secs {
        0..=119 => format!("{secs} seconds"),
        120..=7_199 => format!("{} minutes", secs / 60),
        7_200..=172_799 => format!("{} hours", secs / 3_600),
        _ => format!("{} days", secs / 86_400),
    }
}

/// Where the bearer token comes from. The OAuth flow implements it (and
/// refreshes on expiry); [`StaticToken`] serves `--access-token-file`.
pub trait TokenSource: Send + Sync {
    fn access_token(&self) -> Result<String, ApiError>;
    /// Called once after a 401: refresh and return the new token, or
    /// `Err(ApiError::Reconnect)` to ask the user to connect again.
    fn refresh(&self) -> Result<String, ApiError>;
}

/// A fixed access token (from `--access-token-file`): it cannot refresh.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticToken(pub String);

impl StaticToken {
    /// Reads a token file, ignoring surrounding whitespace.
    pub fn from_file(path: &Path) -> std::io::Result<StaticToken> {
        let text = std::fs::read_to_string(path)?;
        let token = text.trim();
        if token.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the access-token file is empty: {}", path.display()),
            ));
        }
        Ok(StaticToken(token.to_string()))
    }
}

/// Never print the token itself.
impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(…)")
    }
}

impl TokenSource for StaticToken {
    fn access_token(&self) -> Result<String, ApiError> {
        Ok(self.0.clone())
    }

    fn refresh(&self) -> Result<String, ApiError> {
        Err(ApiError::Reconnect)
    }
}

/// A successful answer: the data, and the GraphQL errors that came with it
/// (null fields of deleted users and the like) to show the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub data: Value,
    pub errors: Vec<String>,
}

/// The client. Cheap to share by reference between threads: the limiter and
/// the request count are shared by all of them.
pub struct UpworkApi {
    http: Client,
    config: ApiConfig,
    tokens: Arc<dyn TokenSource>,
    limiter: RateLimiter,
    requests: AtomicU64,
    cancel: RwLock<Option<Arc<AtomicBool>>>,
}

impl std::fmt::Debug for UpworkApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpworkApi")
            .field("base_url", &self.config.base_url)
            .field("requests", &self.requests_made())
            .finish_non_exhaustive()
    }
}

/// What one HTTP attempt came to.
enum Attempt {
    Done(Result<Answer, ApiError>),
    /// Try again after the server's wait (or the backoff when `None`).
    Retry {
        after: Option<RetryAfter>,
        last: ApiError,
    },
    /// The token was refused.
    Unauthorized,
}

impl UpworkApi {
    pub fn new(config: ApiConfig, tokens: Arc<dyn TokenSource>) -> Result<UpworkApi, ApiError> {
        let url = url::Url::parse(&config.base_url).map_err(|e| {
            ApiError::Network(format!(
                "the API address is not a URL ({e}): {}",
                config.base_url
            ))
        })?;
        let mut builder = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.read_timeout)
            .user_agent(USER_AGENT);
        if is_loopback(&url) {
            // A local test server: never through a proxy.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Network(format!("could not set up HTTP: {e}")))?;
        Ok(UpworkApi {
            http,
            limiter: RateLimiter::new(config.requests_per_second),
            config,
            tokens,
            requests: AtomicU64::new(0),
            cancel: RwLock::new(None),
        })
    }

    pub fn config(&self) -> &ApiConfig {
        &self.config
    }

    /// HTTP requests sent so far, retries included.
    pub fn requests_made(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Checked before every request and during every wait.
    pub fn set_cancel(&self, flag: Arc<AtomicBool>) {
        if let Ok(mut cancel) = self.cancel.write() {
            *cancel = Some(flag);
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .read()
            .ok()
            .and_then(|c| c.as_ref().map(|f| f.load(Ordering::Relaxed)))
            .unwrap_or(false)
    }

    /// Sleeps in short steps so Cancel works during long waits.
    fn wait(&self, duration: Duration) -> Result<(), ApiError> {
        // A wait past what an Instant can hold is capped: it only has to
        // end, and Cancel still works during it.
        let start = Instant::now();
        let end = start
            .checked_add(duration)
            .or_else(|| start.checked_add(MAX_RETRY_AFTER))
            .unwrap_or(start);
        loop {
            if self.cancelled() {
                return Err(ApiError::Cancelled);
            }
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            std::thread::sleep((end - now).min(Duration::from_millis(50)));
        }
    }

    /// Runs one query for the organisation `tenant` (none for the calls that
    /// list organisations). Retries what can be retried; the answer keeps
    /// the data even when errors came with it.
    pub fn query(
        &self,
        query: &Query,
        variables: Value,
        tenant: Option<&str>,
    ) -> Result<Answer, ApiError> {
        let body = json!({ "query": query.document, "variables": variables });
        let body = serde_json::to_vec(&body).map_err(|e| ApiError::Malformed {
            query: query.field.to_string(),
            detail: format!("the request could not be written: {e}"),
        })?;
        let mut token = self.tokens.access_token()?;
        let mut refreshed = false;
        let mut retries = 0u32;
        loop {
            if self.cancelled() {
                return Err(ApiError::Cancelled);
            }
            self.wait(self.limiter.reserve())?;
            match self.attempt(query, &body, &token, tenant) {
                Attempt::Done(result) => {
                    self.limiter.answered();
                    return result;
                }
                Attempt::Unauthorized if !refreshed => {
                    refreshed = true;
                    token = self.tokens.refresh()?;
                }
                Attempt::Unauthorized => return Err(ApiError::Reconnect),
                Attempt::Retry { after, last } => {
                    if retries >= self.config.max_retries {
                        return Err(last);
                    }
                    let pause = match after {
                        Some(RetryAfter::Wait(after)) if after <= self.config.max_retry_after => {
                            // Everyone waits, not only this thread.
                            if let Some(until) = Instant::now().checked_add(after) {
                                self.limiter.hold_until(until);
                            }
                            after.saturating_add(jitter(Duration::from_millis(50)))
                        }
                        Some(RetryAfter::Wait(after)) => {
                            return Err(ApiError::WaitTooLong {
                                query: query.field.to_string(),
                                asked: Some(after),
                            });
                        }
                        Some(RetryAfter::Forever) => {
                            return Err(ApiError::WaitTooLong {
                                query: query.field.to_string(),
                                asked: None,
                            });
                        }
                        None => self.backoff(retries),
                    };
                    log::info!(
                        "retrying the {} query in {} ms: {last}",
                        query.field,
                        pause.as_millis()
                    );
                    retries += 1;
                    self.wait(pause)?;
                }
            }
        }
    }

    /// Exponential backoff with "equal jitter": half fixed, half random.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));
        let full = self
            .config
            .backoff_base
            .saturating_mul(factor)
            .min(self.config.backoff_max);
        full / 2 + jitter(full / 2)
    }

    fn attempt(&self, query: &Query, body: &[u8], token: &str, tenant: Option<&str>) -> Attempt {
        let name = || query.field.to_string();
        let mut request = self
            .http
            .post(&self.config.base_url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, "application/json")
            // On the request, not only the client: the blocking client's own
            // timeout bounds each read, so a body dripping a byte at a time
            // would never end; a request's timeout covers the whole body.
            .timeout(self.config.read_timeout)
            .body(body.to_vec());
        if let Some(tenant) = tenant {
            request = request.header(TENANT_HEADER, tenant);
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let response = match request.send() {
            Ok(response) => response,
            Err(e) => return transport_failure(e, query),
        };
        let status = response.status();
        match status {
            StatusCode::UNAUTHORIZED => return Attempt::Unauthorized,
            // A web page with a 403 comes from a firewall or CDN in front of
            // the API, not from the API refusing a permission.
            StatusCode::FORBIDDEN if is_html(response.headers()) => {
                return Attempt::Done(Err(ApiError::Blocked { query: name() }));
            }
            StatusCode::FORBIDDEN => {
                return Attempt::Done(Err(ApiError::Forbidden {
                    query: name(),
                    permission: query.permission.to_string(),
                }));
            }
            StatusCode::TOO_MANY_REQUESTS => {
                self.limiter.throttled();
                return Attempt::Retry {
                    after: retry_after(response.headers()),
                    last: ApiError::Http {
                        status: status.as_u16(),
                        query: name(),
                    },
                };
            }
            s if s.is_server_error() => {
                return Attempt::Retry {
                    after: retry_after(response.headers()),
                    last: ApiError::Http {
                        status: status.as_u16(),
                        query: name(),
                    },
                };
            }
            _ => {}
        }
        let html = is_html(response.headers());
        let bytes = match read_body(response, self.config.max_body_bytes) {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge) => {
                return Attempt::Done(Err(ApiError::TooLarge {
                    query: name(),
                    limit: self.config.max_body_bytes,
                }));
            }
            Err(BodyError::Broken {
                timed_out: true, ..
            }) => {
                return Attempt::Retry {
                    after: None,
                    last: ApiError::Timeout { query: name() },
                };
            }
            Err(BodyError::Broken { detail, .. }) => {
                return Attempt::Retry {
                    after: None,
                    last: ApiError::Network(format!(
                        "the answer to the {} query broke off ({detail})",
                        query.field
                    )),
                };
            }
        };
        match interpret(query, status, &bytes) {
            // A web page or a broken body is what proxies, captive portals
            // and half-closed connections produce: worth another try.
            Err(last @ ApiError::Malformed { .. }) if html || !looks_like_json(&bytes) => {
                let last = if html {
                    ApiError::Malformed {
                        query: name(),
                        detail: format!(
                            "a web page came back instead of an API answer (a proxy, a captive \
                             portal or an outage page?); it began {:?}",
                            preview(&bytes)
                        ),
                    }
                } else {
                    last
                };
                Attempt::Retry { after: None, last }
            }
            result => Attempt::Done(result),
        }
    }
}

/// Why a body could not be read.
enum BodyError {
    TooLarge,
    /// The connection broke or timed out part-way.
    Broken {
        detail: String,
        timed_out: bool,
    },
}

/// Reads at most `limit` bytes: the declared length is only used to fail
/// early, never trusted to bound the read.
fn read_body(response: Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let mut bytes = Vec::new();
    let mut reader = response.take(limit.saturating_add(1));
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return Err(BodyError::Broken {
            timed_out: is_timeout(&e),
            detail: causes(&e),
        });
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(bytes)
}

/// Whether an error or any of its causes is a timeout (reqwest wraps its
/// own errors in `io::Error` when a body is read).
fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout)
            || e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// An error and its causes, each once, without URLs (reqwest's own text
/// names the URL).
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        if !e.is::<reqwest::Error>() {
            let text = e.to_string();
            if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
                parts.push(text);
            }
        }
        current = e.source();
    }
    if parts.is_empty() {
        "the connection closed part-way".to_string()
    } else {
        parts.join(": ")
    }
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("html"))
}

/// Whether a body is JSON at all (as opposed to JSON of the wrong shape).
fn looks_like_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn jitter(max: Duration) -> Duration {
    if max.is_zero() {
        return Duration::ZERO;
    }
    let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rand::rng().random_range(0..=nanos))
}

/// Timeouts and dropped connections are worth another try.
fn transport_failure(e: reqwest::Error, query: &Query) -> Attempt {
    let last = if e.is_timeout() {
        ApiError::Timeout {
            query: query.field.to_string(),
        }
    } else {
        // The error's own text names the URL; keep only the cause chain.
        let mut detail = String::new();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            if !detail.is_empty() {
                detail.push_str(": ");
            }
            detail.push_str(&cause.to_string());
            source = cause.source();
        }
        if detail.is_empty() {
            detail = e.to_string();
        }
        ApiError::Network(format!("the {} query failed: {detail}", query.field))
    };
    Attempt::Retry { after: None, last }
}

/// What a `Retry-After` asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RetryAfter {
    Wait(Duration),
    /// More than a `Duration` holds (`1e20`, a date in the year 9999…).
    Forever,
}

/// `Retry-After` as seconds or as an HTTP date; `None` when it is absent,
/// negative or unreadable (then the usual backoff applies). Never panics,
/// whatever the number.
fn retry_after(headers: &HeaderMap) -> Option<RetryAfter> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(RetryAfter::Wait(Duration::from_secs(seconds)));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() || seconds < 0.0 {
            // Negative or NaN: not a wait anyone can honour.
            return None;
        }
        return Some(match Duration::try_from_secs_f64(seconds) {
            Ok(wait) => RetryAfter::Wait(wait),
            Err(_) => RetryAfter::Forever,
        });
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(if wait <= chrono::TimeDelta::zero() {
        RetryAfter::Wait(Duration::ZERO)
    } else {
        wait.to_std().map_or(RetryAfter::Forever, RetryAfter::Wait)
    })
}

/// Messages that mean the key lacks a permission rather than a bad query.
/// "Authorization failed" and "Partner API scope required" are what real
/// accounts get for a missing scope (FACTS.md); the rest are older wordings.
pub(crate) fn is_permission_message(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("authorization failed")
        || m.contains("no access to requested resource")
        || m.contains("permission")
        || m.contains("scope")
        || m.contains("forbidden")
        || m.contains("not authorized")
}

/// Reads a GraphQL answer: data (with or without errors), errors only, or
/// something that is not a GraphQL answer at all.
fn interpret(query: &Query, status: StatusCode, bytes: &[u8]) -> Result<Answer, ApiError> {
    let name = || query.field.to_string();
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => {
            if !status.is_success() {
                return Err(ApiError::Http {
                    status: status.as_u16(),
                    query: name(),
                });
            }
            return Err(ApiError::Malformed {
                query: name(),
                detail: format!("not JSON ({e}); it began {:?}", preview(bytes)),
            });
        }
    };
    let errors = error_messages(&value);
    let refused = || errors.iter().any(|m| is_permission_message(m));
    match value.get("data") {
        // `{"data": {"roomList": null}, "errors": ["Authorization failed"]}`:
        // nothing came but a refusal, which is a missing permission, not an
        // empty list.
        Some(Value::Object(fields))
            if !fields.is_empty() && fields.values().all(Value::is_null) && refused() =>
        {
            Err(ApiError::Forbidden {
                query: name(),
                permission: query.permission.to_string(),
            })
        }
        Some(data) if data.is_object() => Ok(Answer {
            data: data.clone(),
            errors,
        }),
        _ if !errors.is_empty() => {
            if refused() {
                Err(ApiError::Forbidden {
                    query: name(),
                    permission: query.permission.to_string(),
                })
            } else {
                Err(ApiError::GraphQl {
                    query: name(),
                    messages: errors,
                })
            }
        }
        _ if !status.is_success() => Err(ApiError::Http {
            status: status.as_u16(),
            query: name(),
        }),
        _ => Err(ApiError::Malformed {
            query: name(),
            detail: "the answer has no data".to_string(),
        }),
    }
}

/// `errors[].message`, with the path when there is one; at most
/// [`MAX_ERRORS_PER_ANSWER`], each shortened, and a count of the rest.
fn error_messages(value: &Value) -> Vec<String> {
    let Some(errors) = value.get("errors").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut messages: Vec<String> = errors
        .iter()
        .take(MAX_ERRORS_PER_ANSWER)
        .map(|e| {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("an unnamed error");
            let path: Vec<String> = e
                .get("path")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .take(20)
                        .map(|s| match s {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let full = if path.is_empty() {
                message.to_string()
            } else {
                format!("{message} (at {})", path.join("."))
            };
            shorten(&full, MAX_ERROR_CHARS)
        })
        .collect();
    if errors.len() > MAX_ERRORS_PER_ANSWER {
        messages.push(format!(
            "and {} more errors",
            errors.len() - MAX_ERRORS_PER_ANSWER
        ));
    }
    messages
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::upwork::api::queries::VENDOR_CONTRACTS;

    fn wait_of(value: &str) -> Option<RetryAfter> {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, value.parse().unwrap());
        retry_after(&h)
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(wait_of("3"), Some(RetryAfter::Wait(Duration::from_secs(3))));
        let soon = chrono::Utc::now() + chrono::Duration::seconds(30);
        let Some(RetryAfter::Wait(wait)) =
            wait_of(&soon.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        else {
            panic!("a date in 30 s is a wait");
        };
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(
            wait_of("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(RetryAfter::Wait(Duration::ZERO))
        );
        assert_eq!(wait_of("soon"), None);
    }

    /// Numbers no `Duration` holds must not panic: they are "too long".
    #[test]
    fn extreme_retry_after_values_never_panic() {
        for huge in ["1e20", "1e300", "99999999999999999999999999", "inf"] {
            assert_eq!(wait_of(huge), Some(RetryAfter::Forever), "{huge}");
        }
        assert_eq!(
            wait_of("18446744073709551615"),
            Some(RetryAfter::Wait(Duration::from_secs(u64::MAX)))
        );
        for unusable in ["-5", "-1e20", "NaN", "", "12 seconds", "Tue, 99 Foo"] {
            assert_eq!(wait_of(unusable), None, "{unusable}");
        }
        assert_eq!(
            wait_of("0.25"),
            Some(RetryAfter::Wait(Duration::from_millis(250)))
        );
        let Some(RetryAfter::Wait(far)) = wait_of("Fri, 31 Dec 9999 23:59:59 GMT") else {
            panic!("a date is a wait");
        };
        assert!(far > Duration::from_secs(86_400 * 365 * 7_000));
    }

    #[test]
    fn errors_of_one_answer_are_capped() {
        let many: Vec<Value> = (0..10_000)
            .map(|i| json!({ "message": format!("{i} {}", "x".repeat(2_000)) }))
            .collect();
        let messages = error_messages(&json!({ "errors": many }));
        assert_eq!(messages.len(), MAX_ERRORS_PER_ANSWER + 1);
        assert!(
            messages
                .iter()
                .all(|m| m.chars().count() <= MAX_ERROR_CHARS + 1)
        );
        assert_eq!(
            messages.last().map(String::as_str),
            Some("and 9980 more errors")
        );
    }

    #[test]
    fn waits_read_as_people_read_them() {
        assert_eq!(describe_wait(Some(Duration::from_secs(90))), "90 seconds");
        assert_eq!(describe_wait(Some(Duration::from_secs(600))), "10 minutes");
        assert_eq!(
            describe_wait(Some(Duration::from_secs(u64::MAX))),
            "213503982334601 days"
        );
        assert_eq!(describe_wait(None), "practically forever");
    }

    #[test]
    fn answers_are_interpreted() {
        let ok = StatusCode::OK;
        let a = interpret(&VENDOR_CONTRACTS, ok, br#"{"data":{"x":1}}"#).unwrap();
        assert!(a.errors.is_empty());
        let a = interpret(
            &VENDOR_CONTRACTS,
            ok,
            br#"{"data":{"x":null},"errors":[{"message":"gone","path":["x",0]}]}"#,
        )
        .unwrap();
        assert_eq!(a.errors, vec!["gone (at x.0)".to_string()]);
        assert!(matches!(
            interpret(&VENDOR_CONTRACTS, ok, b"<html>oops</html>"),
            Err(ApiError::Malformed { query, .. }) if query == "vendorContracts"
        ));
        assert!(matches!(
            interpret(&VENDOR_CONTRACTS, ok, br#"{"result":1}"#),
            Err(ApiError::Malformed { .. })
        ));
        assert!(matches!(
            interpret(&VENDOR_CONTRACTS, ok, br#"{"data":null,"errors":[{"message":"bad"}]}"#),
            Err(ApiError::GraphQl { messages, .. }) if messages == ["bad"]
        ));
        assert!(matches!(
            interpret(
                &VENDOR_CONTRACTS,
                ok,
                br#"{"errors":[{"message":"This APP has no access to requested resource"}]}"#
            ),
            Err(ApiError::Forbidden { permission, .. }) if permission == "\"Contract - R/W\""
        ));
        // The wording real accounts get for a missing scope.
        for wording in ["Authorization failed", "Partner API scope required"] {
            let body = json!({ "data": null, "errors": [{ "message": wording }] }).to_string();
            assert!(
                matches!(
                    interpret(&VENDOR_CONTRACTS, ok, body.as_bytes()),
                    Err(ApiError::Forbidden { .. })
                ),
                "{wording}"
            );
        }
        assert!(matches!(
            interpret(&VENDOR_CONTRACTS, StatusCode::BAD_REQUEST, b"nope"),
            Err(ApiError::Http { status: 400, .. })
        ));
    }

    #[test]
    fn messages_name_the_query_and_permission() {
        let e = ApiError::Forbidden {
            query: "roomList".into(),
            permission: crate::platform::upwork::api::queries::ROOM_LIST
                .permission
                .into(),
        };
        let text = e.to_string();
        assert_eq!(
            text,
            "the API key may not read roomList: enable the \"Messaging\" permission for the key \
             in Upwork's API Center, then connect again"
        );
        let timeout = ApiError::Timeout {
            query: "roomList".into(),
        }
        .to_string();
        assert!(
            timeout.starts_with("Upwork did not answer the roomList query in time")
                && timeout.contains("try again"),
            "{timeout}"
        );
    }

    /// The product, its version and its home page, as FACTS.md's CDN note
    /// asks of a client that must not be mistaken for a scraper.
    #[test]
    fn the_user_agent_names_product_version_and_home_page() {
        assert!(USER_AGENT.starts_with("Offboard/"));
        assert!(USER_AGENT.contains(env!("CARGO_PKG_VERSION")));
        assert!(USER_AGENT.contains(HOME_PAGE));
    }

    #[test]
    fn static_token_cannot_refresh_and_hides_itself() {
        let t = StaticToken("secret".into());
        assert_eq!(t.access_token().unwrap(), "secret");
        assert!(matches!(t.refresh(), Err(ApiError::Reconnect)));
        assert!(!format!("{t:?}").contains("secret"));
    }
}
