//! The HTTP side: one GraphQL query at a time, with the rate limit, retries,
//! timeouts and token refresh a real account needs.

use super::limiter::RateLimiter;
use super::queries::Query;
use rand::Rng;
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Upwork's GraphQL endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.upwork.com/graphql";

/// The header that names the organisation a query acts for.
const TENANT_HEADER: &str = "X-Upwork-API-TenantId";

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
    /// The longest single wait, for backoff and for `Retry-After`.
    pub backoff_max: Duration,
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
        }
    }
}

/// Why a query failed. Each names the query where that helps the user.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the connection to Upwork has expired or was revoked; connect again")]
    Reconnect,
    #[error(
        "the API key may not read {query}: add the \"{permission}\" permission to the key in \
         Upwork's API center, then connect again"
    )]
    Forbidden { query: String, permission: String },
    #[error("Upwork's answer to the {query} query could not be read: {detail}")]
    Malformed { query: String, detail: String },
    #[error("Upwork answered the {query} query with HTTP status {status}")]
    Http { status: u16, query: String },
    #[error("Upwork did not answer the {query} query in time")]
    Timeout { query: String },
    #[error("could not reach Upwork: {0}")]
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
    /// Try again after this long (or the backoff when `None`).
    Retry {
        after: Option<Duration>,
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
            .user_agent(concat!("offboard/", env!("CARGO_PKG_VERSION")));
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
        let end = Instant::now() + duration;
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
                Attempt::Done(result) => return result,
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
                        Some(after) => {
                            let after = after.min(self.config.backoff_max);
                            // Everyone waits, not only this thread.
                            self.limiter.hold_until(Instant::now() + after);
                            after + jitter(Duration::from_millis(50))
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
            StatusCode::FORBIDDEN => {
                return Attempt::Done(Err(ApiError::Forbidden {
                    query: name(),
                    permission: query.permission.to_string(),
                }));
            }
            StatusCode::TOO_MANY_REQUESTS => {
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
        let bytes = match read_body(response) {
            Ok(bytes) => bytes,
            Err(e) => return transport_failure(e, query),
        };
        Attempt::Done(interpret(query, status, &bytes))
    }
}

fn read_body(response: Response) -> Result<Vec<u8>, reqwest::Error> {
    response.bytes().map(|b| b.to_vec())
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

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>()
        && seconds.is_finite()
        && seconds >= 0.0
    {
        return Some(Duration::from_secs_f64(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Messages that mean the key lacks a permission rather than a bad query.
fn is_permission_message(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("no access to requested resource")
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
    match value.get("data") {
        Some(data) if data.is_object() => Ok(Answer {
            data: data.clone(),
            errors,
        }),
        _ if !errors.is_empty() => {
            if errors.iter().any(|m| is_permission_message(m)) {
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

/// `errors[].message`, with the path when there is one.
fn error_messages(value: &Value) -> Vec<String> {
    let Some(errors) = value.get("errors").and_then(Value::as_array) else {
        return Vec::new();
    };
    errors
        .iter()
        .map(|e| {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("an unnamed error")
                .to_string();
            let path: Vec<String> = e
                .get("path")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .map(|s| match s {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if path.is_empty() {
                message
            } else {
                format!("{message} (at {})", path.join("."))
            }
        })
        .collect()
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::upwork::api::queries::VENDOR_CONTRACTS;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        let soon = chrono::Utc::now() + chrono::Duration::seconds(30);
        h.insert(
            RETRY_AFTER,
            soon.format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
                .parse()
                .unwrap(),
        );
        let wait = retry_after(&h).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
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
            Err(ApiError::Forbidden { permission, .. }) if permission == "Contracts - Read-Only Access"
        ));
        assert!(matches!(
            interpret(&VENDOR_CONTRACTS, StatusCode::BAD_REQUEST, b"nope"),
            Err(ApiError::Http { status: 400, .. })
        ));
    }

    #[test]
    fn messages_name_the_query_and_permission() {
        let e = ApiError::Forbidden {
            query: "roomList".into(),
            permission: "Messages - Read-Only Access".into(),
        };
        let text = e.to_string();
        assert!(text.contains("roomList") && text.contains("\"Messages - Read-Only Access\""));
        assert_eq!(
            ApiError::Timeout {
                query: "roomList".into()
            }
            .to_string(),
            "Upwork did not answer the roomList query in time"
        );
    }

    #[test]
    fn static_token_cannot_refresh_and_hides_itself() {
        let t = StaticToken("secret".into());
        assert_eq!(t.access_token().unwrap(), "secret");
        assert!(matches!(t.refresh(), Err(ApiError::Reconnect)));
        assert!(!format!("{t:?}").contains("secret"));
    }
}
