//! The token endpoint: trading a code or a refresh token for tokens over
//! oauth2's HTTP interface, with our own reqwest client (no redirects, short
//! timeouts, a bounded answer), and its errors told apart: only an OAuth
//! `invalid_grant` says the grant is dead.

use super::{
    ApiKey, AuthError, MAX_TOKEN_BODY, MAX_TOKEN_LIFETIME, OAuthEndpoints, Tokens, UpworkClient,
    describe, oauth_client,
};
use chrono::Utc;
use oauth2::basic::{BasicErrorResponse, BasicErrorResponseType};
use oauth2::{
    AuthorizationCode, HttpRequest, HttpResponse, RefreshToken, RequestTokenError, SyncHttpClient,
};
use std::time::Duration;
use url::Url;

/// The longest a token request may take, answer included.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) fn exchange_code(
    client: &UpworkClient,
    key: &ApiKey,
    token_url: &str,
    code: &str,
) -> Result<Tokens, AuthError> {
    let http = TokenHttp::new(token_url)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .add_extra_param("client_id", key.client_id.trim())
        .add_extra_param("client_secret", key.client_secret.expose())
        .request(&http)
        .map_err(|e| token_error(e, token_url))?;
    Ok(Tokens::from_response(&response, Utc::now()))
}

/// Trade the refresh token for new tokens. An answer without a refresh
/// token keeps the old one.
pub fn refresh_tokens(
    key: &ApiKey,
    endpoints: &OAuthEndpoints,
    tokens: &Tokens,
) -> Result<Tokens, AuthError> {
    let Some(refresh) = &tokens.refresh else {
        return Err(AuthError::NotConnected);
    };
    let client = oauth_client(key, endpoints)?;
    let http = TokenHttp::new(&endpoints.token_url)?;
    let refresh_token = RefreshToken::new(refresh.expose().to_owned());
    let response = client
        .exchange_refresh_token(&refresh_token)
        .add_extra_param("client_id", key.client_id.trim())
        .add_extra_param("client_secret", key.client_secret.expose())
        .request(&http)
        .map_err(|e| token_error(e, &endpoints.token_url))?;
    let mut fresh = Tokens::from_response(&response, Utc::now());
    if fresh.refresh.is_none() {
        fresh.refresh = tokens.refresh.clone();
    }
    Ok(fresh)
}

fn token_error(error: RequestTokenError<HttpError, BasicErrorResponse>, url: &str) -> AuthError {
    let url = url.to_owned();
    match error {
        RequestTokenError::ServerResponse(response) => {
            let description = response
                .error_description()
                .map(|d| d.chars().take(300).collect());
            match response.error() {
                BasicErrorResponseType::InvalidGrant => AuthError::GrantRevoked { description },
                BasicErrorResponseType::Extension(code)
                    if code == "server_error" || code == "temporarily_unavailable" =>
                {
                    AuthError::TokenUnreachable {
                        problem: describe(code, &description),
                        url,
                    }
                }
                other => AuthError::TokenRefused {
                    error: other.to_string(),
                    description,
                },
            }
        }
        // A 403 page is a firewall or CDN (FACTS.md), not the endpoint
        // refusing the key.
        RequestTokenError::Request(HttpError::Status(403)) => AuthError::TokenUnreachable {
            problem: "it answered HTTP 403 with a web page, not an OAuth answer: a firewall, VPN \
                      or proxy in between may block it"
                .to_owned(),
            url,
        },
        RequestTokenError::Request(HttpError::Status(status)) if refusal_status(status) => {
            AuthError::TokenRefused {
                error: format!("HTTP {status}"),
                description: None,
            }
        }
        RequestTokenError::Request(e) => AuthError::TokenUnreachable {
            problem: e.to_string(),
            url,
        },
        RequestTokenError::Parse(e, _body) => AuthError::TokenMalformed {
            // The body may hold tokens; the message only its shape.
            problem: format!("{} at {}", redact_quoted(&e.inner().to_string()), e.path()),
            url,
        },
        RequestTokenError::Other(problem) => AuthError::TokenMalformed { problem, url },
    }
}

fn refusal_status(status: u16) -> bool {
    matches!(status, 400 | 401)
}

/// serde's messages quote the offending value; drop what is quoted.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
enum HttpError {
    #[error("{0}")]
    Transport(String),
    /// A non-200 answer whose body is not JSON (an HTML error page…).
    #[error("it answered HTTP {0}")]
    Status(u16),
}

/// oauth2's HTTP client, over our reqwest blocking client: no redirects
/// (a token request is never sent elsewhere), short timeouts.
struct TokenHttp {
    client: reqwest::blocking::Client,
}

impl TokenHttp {
    fn new(token_url: &str) -> Result<TokenHttp, AuthError> {
        let mut builder = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(TOKEN_TIMEOUT)
            .user_agent(concat!("Offboard/", env!("CARGO_PKG_VERSION")));
        let loopback = Url::parse(token_url)
            .ok()
            .and_then(|u| u.host().map(|h| h.to_owned()))
            .is_some_and(|h| match h {
                url::Host::Ipv4(ip) => ip.is_loopback(),
                url::Host::Ipv6(ip) => ip.is_loopback(),
                url::Host::Domain(d) => d == "localhost",
            });
        if loopback {
            // A proxy from the environment must not carry a local request away.
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| AuthError::TokenUnreachable {
            problem: error_chain(&e),
            url: token_url.to_owned(),
        })?;
        Ok(TokenHttp { client })
    }
}

impl SyncHttpClient for TokenHttp {
    type Error = HttpError;

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            // Per request as well: the client's own timeout bounds each
            // read, not a body that drips in.
            .timeout(TOKEN_TIMEOUT)
            .body(body)
            .send()
            .map_err(|e| HttpError::Transport(error_chain(&e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let is_json = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
        if status != reqwest::StatusCode::OK && !is_json {
            return Err(HttpError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_TOKEN_BODY)
        {
            return Err(HttpError::Transport(format!(
                "its answer is larger than {} kB",
                MAX_TOKEN_BODY / 1024
            )));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(response, MAX_TOKEN_BODY + 1),
            &mut bytes,
        )
        .map_err(|e| HttpError::Transport(format!("its answer broke off: {e}")))?;
        if bytes.len() as u64 > MAX_TOKEN_BODY {
            return Err(HttpError::Transport(format!(
                "its answer is larger than {} kB",
                MAX_TOKEN_BODY / 1024
            )));
        }
        let mut out = oauth2::http::Response::builder()
            .status(status)
            .body(lenient_expiry(bytes))
            .map_err(|e| HttpError::Transport(e.to_string()))?;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// oauth2 reads `expires_in` as a whole number of seconds and fails the
/// whole answer on anything else. Servers have sent floats, strings and
/// negative numbers: a positive number of any shape is rounded and clamped
/// to [`MAX_TOKEN_LIFETIME`], anything else dropped (then the token is
/// refreshed after its first 401). Other fields are left as they came.
fn lenient_expiry(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return body;
    };
    let Some(object) = value.as_object_mut() else {
        return body;
    };
    let Some(raw) = object.get("expires_in") else {
        return body;
    };
    if raw.as_u64().is_some() {
        return body;
    }
    let seconds = match raw {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let max = MAX_TOKEN_LIFETIME.as_secs();
    match seconds.filter(|s| s.is_finite() && *s >= 1.0) {
        // Clamped before the cast, so the cast is exact.
        Some(s) => object.insert(
            "expires_in".into(),
            (s.min(max as f64).round() as u64).into(),
        ),
        None => object.remove("expires_in"),
    };
    serde_json::to_vec(&value).unwrap_or(body)
}

/// The error and its causes, without the URL (it goes last in our messages).
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "it did not answer in time".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_dropped_from_parse_messages() {
        assert_eq!(
            redact_quoted("invalid type: string \"tok\", expected u64"),
            "invalid type: string \"…\", expected u64"
        );
    }

    #[test]
    fn any_expires_in_becomes_a_whole_number_or_nothing() {
        let expiry = |v: serde_json::Value| -> Option<serde_json::Value> {
            let body = serde_json::json!({ "access_token": "a", "expires_in": v });
            let out = lenient_expiry(body.to_string().into_bytes());
            let out: serde_json::Value = serde_json::from_slice(&out).ok()?;
            out.get("expires_in").cloned()
        };
        let max = MAX_TOKEN_LIFETIME.as_secs();
        assert_eq!(expiry(serde_json::json!(86399)), Some(86399.into()));
        assert_eq!(expiry(serde_json::json!(1e13)), Some(max.into()));
        assert_eq!(expiry(serde_json::json!(1e300)), Some(max.into()));
        assert_eq!(expiry(serde_json::json!("3600")), Some(3600.into()));
        assert_eq!(expiry(serde_json::json!(59.6)), Some(60.into()));
        for gone in [
            serde_json::json!(-1),
            serde_json::json!(0.5),
            serde_json::json!("NaN"),
            serde_json::json!("-inf"),
            serde_json::json!([1]),
        ] {
            assert_eq!(expiry(gone.clone()), None, "{gone}");
        }
        // Not JSON, or no expiry: left as it came.
        assert_eq!(lenient_expiry(b"<html>".to_vec()), b"<html>".to_vec());
    }
}
