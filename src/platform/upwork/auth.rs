//! Connecting to Upwork with the user's own API key: the OAuth2
//! authorization-code flow over a one-shot loopback listener, token refresh,
//! and the [`TokenSource`] the GraphQL client asks for tokens.
//!
//! The flow: check the key and its redirect URI (`http://127.0.0.1:PORT/…`,
//! as registered with the key), bind the listener on that port, open the
//! system browser at the authorize URL (with a random `state`), take exactly
//! one answer on the redirect path, check `state` before anything else, then
//! exchange the code at the token endpoint. Client id and secret go both as
//! HTTP Basic auth and in the form body, as Upwork asks.
//!
//! Tokens and the API key live in the [`SecretStore`] (keyring, or a 0600
//! file), never in the state file; [`disconnect`] forgets them.

use super::api::{ApiError, TokenSource};
use super::secrets::{Secret, SecretError, SecretStore};
use chrono::{DateTime, Utc};
use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthUrl, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, RedirectUrl,
    TokenResponse, TokenUrl,
};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use url::Url;

/// Upwork's authorize page (FACTS.md).
pub const UPWORK_AUTHORIZE_URL: &str =
    "https://www.upwork.com/ab/account-security/oauth2/authorize";
/// Upwork's token endpoint (FACTS.md).
pub const UPWORK_TOKEN_URL: &str = "https://www.upwork.com/api/v3/oauth2/token";

/// How long [`authorize`] waits for the browser by default.
pub const DEFAULT_AUTHORIZE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A token this close to its expiry is refreshed before use.
const EXPIRY_MARGIN: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// A second `refresh()` this soon after a successful one (another thread's
/// 401 on the old token) returns the fresh token instead of refreshing again.
const REFRESH_COALESCE: Duration = Duration::from_secs(10);
/// The lock (beside the secrets file) every Offboard takes to refresh.
const REFRESH_LOCK: &str = "upwork-refresh";

/// The longest lifetime believed of an access token (Upwork's last a day):
/// a larger `expires_in` is taken as this, so no date arithmetic overflows,
/// and a token that dies sooner is refreshed after its first 401.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// The largest token-endpoint answer read: a token answer is a few hundred
/// bytes.
const MAX_TOKEN_BODY: u64 = 1024 * 1024;

const KEY_API_KEY: &str = "upwork/api-key";
const KEY_TOKENS_PREFIX: &str = "upwork/tokens/";

/// The user's own API key, registered on Upwork with a loopback redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub client_id: String,
    pub client_secret: Secret,
    /// `http://127.0.0.1:PORT/callback`, exactly as registered with the key.
    pub redirect_uri: String,
}

impl ApiKey {
    /// Check the key as the user typed it; returns the loopback port.
    pub fn validate(&self) -> Result<u16, AuthError> {
        if self.client_id.trim().is_empty() {
            return Err(AuthError::MissingClientId);
        }
        if self.client_secret.expose().trim().is_empty() {
            return Err(AuthError::MissingClientSecret);
        }
        Ok(Loopback::parse(&self.redirect_uri)?.port)
    }
}

/// An access token, its refresh token and when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub access: Secret,
    pub refresh: Option<Secret>,
    /// `None` when the token endpoint did not say (then it is refreshed only
    /// after a 401).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Tokens {
    /// Whether the access token is expired, or will be within a minute.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        // Checked: the date comes from a file a user can edit, and one near
        // chrono's first date would overflow.
        self.expires_at.is_some_and(|at| {
            at.checked_sub_signed(EXPIRY_MARGIN)
                .is_none_or(|soon| soon <= now)
        })
    }

    fn from_response(response: &BasicTokenResponse, now: DateTime<Utc>) -> Tokens {
        Tokens {
            access: Secret::new(response.access_token().secret().clone()),
            refresh: response
                .refresh_token()
                .map(|r| Secret::new(r.secret().clone())),
            // Clamped: `now + 1e13 s` is past chrono's last date and would
            // panic. Zero says nothing useful: refreshed after a 401 instead.
            expires_at: response
                .expires_in()
                .filter(|d| !d.is_zero())
                .map(|d| d.min(MAX_TOKEN_LIFETIME))
                .and_then(|d| chrono::TimeDelta::from_std(d).ok())
                .and_then(|d| now.checked_add_signed(d)),
        }
    }
}

/// The two OAuth endpoints; Upwork's by default, a local server in tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthEndpoints {
    pub authorize_url: String,
    pub token_url: String,
}

impl Default for OAuthEndpoints {
    fn default() -> OAuthEndpoints {
        OAuthEndpoints::upwork()
    }
}

impl OAuthEndpoints {
    pub fn upwork() -> OAuthEndpoints {
        OAuthEndpoints {
            authorize_url: UPWORK_AUTHORIZE_URL.to_owned(),
            token_url: UPWORK_TOKEN_URL.to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("enter the client id of your Upwork API key")]
    MissingClientId,
    #[error("enter the client secret of your Upwork API key")]
    MissingClientSecret,
    #[error(
        "the redirect URI must be http://127.0.0.1:PORT/PATH, exactly as registered with your API key ({problem}): {uri}"
    )]
    BadRedirectUri { problem: &'static str, uri: String },
    #[error("the {which} URL is not valid ({problem}): {url}")]
    BadEndpoint {
        which: &'static str,
        problem: String,
        url: String,
    },
    #[error(
        "port {port} on 127.0.0.1 is in use by another program, so Offboard cannot take the browser's answer; close that program and press Connect again, or register a redirect URI with another port for your API key"
    )]
    PortInUse { port: u16 },
    #[error("could not listen for the browser's answer on 127.0.0.1:{port}: {source}")]
    Listen {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "could not open the web browser ({problem}); set a default browser and press Connect again"
    )]
    BrowserFailed { problem: String },
    #[error(
        "you declined access on Upwork's page; press Connect again and allow access so Offboard can read your account"
    )]
    AccessDenied,
    #[error(
        "Upwork's sign-in page answered with an error ({}); check your API key's redirect URI and permissions, then press Connect again",
        describe(.error, .description)
    )]
    AuthorizationFailed {
        error: String,
        description: Option<String>,
    },
    #[error(
        "the answer that reached Offboard did not carry the state it had sent (an old browser tab, or a forged request), so it was ignored and no token was requested; press Connect again"
    )]
    StateMismatch,
    #[error("the answer that reached Offboard carried no authorization code; press Connect again")]
    MissingCode,
    #[error(
        "no answer came from the browser within {}; press Connect again and finish signing in on Upwork's page",
        human_duration(*.waited)
    )]
    TimedOut { waited: Duration },
    #[error("connecting was cancelled")]
    Cancelled,
    /// The OAuth `invalid_grant` answer: the refresh token (or code) is
    /// dead. The only answer after which stored tokens are forgotten.
    #[error(
        "Upwork no longer accepts this sign-in ({}): it has expired or was revoked; press Connect to sign in again",
        describe("invalid_grant", .description)
    )]
    GrantRevoked { description: Option<String> },
    #[error(
        "the token endpoint refused ({}); check the client id, the client secret and the redirect URI of your API key, then press Connect again",
        describe(.error, .description)
    )]
    TokenRefused {
        error: String,
        description: Option<String>,
    },
    #[error(
        "could not reach the token endpoint ({problem}); check your internet connection and try again: {url}"
    )]
    TokenUnreachable { problem: String, url: String },
    #[error("the token endpoint's answer could not be read ({problem}): {url}")]
    TokenMalformed { problem: String, url: String },
    #[error("Offboard is not connected to Upwork; press Connect")]
    NotConnected,
    #[error(transparent)]
    Secrets(#[from] SecretError),
}

impl AuthError {
    /// Whether the user must connect again (the grant is gone or the key is
    /// wrong), as opposed to a passing failure worth retrying.
    pub fn needs_reconnect(&self) -> bool {
        matches!(
            self,
            AuthError::GrantRevoked { .. }
                | AuthError::TokenRefused { .. }
                | AuthError::NotConnected
        )
    }

    /// Whether the stored grant is dead for certain, so keeping its tokens
    /// can only fail again: only an RFC 6749 `invalid_grant` answer says
    /// so. A web page from a proxy, a 5xx or a dropped connection say
    /// nothing about the grant.
    pub fn grant_is_dead(&self) -> bool {
        matches!(self, AuthError::GrantRevoked { .. })
    }
}

fn describe(error: &str, description: &Option<String>) -> String {
    match description {
        Some(d) if !d.trim().is_empty() => format!("{error}: {}", d.trim()),
        _ => error.to_owned(),
    }
}

fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 120 {
        format!("{} minutes", secs / 60)
    } else if secs == 1 {
        "1 second".to_owned()
    } else if secs == 0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{secs} seconds")
    }
}

// ---------------------------------------------------------------------------
// Storage

/// The store key of the tokens for one client id.
pub fn tokens_key(client_id: &str) -> String {
    format!("{KEY_TOKENS_PREFIX}{}", client_id.trim())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredTokens {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<DateTime<Utc>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredApiKey {
    client_id: String,
    client_secret: String,
    redirect_uri: String,
}

fn damaged(key: &str) -> SecretError {
    SecretError::Format {
        key: key.to_owned(),
    }
}

pub fn save_tokens(
    store: &SecretStore,
    client_id: &str,
    tokens: &Tokens,
) -> Result<(), SecretError> {
    let stored = StoredTokens {
        access_token: tokens.access.expose().to_owned(),
        refresh_token: tokens.refresh.as_ref().map(|r| r.expose().to_owned()),
        expires_at: tokens.expires_at,
    };
    let key = tokens_key(client_id);
    let json = serde_json::to_string(&stored).map_err(|_| damaged(&key))?;
    store.save(&key, &json)
}

pub fn load_tokens(store: &SecretStore, client_id: &str) -> Result<Option<Tokens>, SecretError> {
    let key = tokens_key(client_id);
    let Some(json) = store.load(&key)? else {
        return Ok(None);
    };
    let stored: StoredTokens = serde_json::from_str(json.expose()).map_err(|_| damaged(&key))?;
    Ok(Some(Tokens {
        access: Secret::new(stored.access_token),
        refresh: stored.refresh_token.map(Secret::new),
        expires_at: stored.expires_at,
    }))
}

/// Keep the API key (client id, secret, redirect URI) for the next start.
/// One key per installation: a new one replaces the old.
pub fn save_api_key(store: &SecretStore, key: &ApiKey) -> Result<(), SecretError> {
    let stored = StoredApiKey {
        client_id: key.client_id.trim().to_owned(),
        client_secret: key.client_secret.expose().to_owned(),
        redirect_uri: key.redirect_uri.trim().to_owned(),
    };
    let json = serde_json::to_string(&stored).map_err(|_| damaged(KEY_API_KEY))?;
    store.save(KEY_API_KEY, &json)
}

/// The API key saved by [`save_api_key`] (or [`connect`]), if any.
pub fn load_api_key(store: &SecretStore) -> Result<Option<ApiKey>, SecretError> {
    let Some(json) = store.load(KEY_API_KEY)? else {
        return Ok(None);
    };
    let stored: StoredApiKey =
        serde_json::from_str(json.expose()).map_err(|_| damaged(KEY_API_KEY))?;
    Ok(Some(ApiKey {
        client_id: stored.client_id,
        client_secret: Secret::new(stored.client_secret),
        redirect_uri: stored.redirect_uri,
    }))
}

/// "Disconnect": forget the tokens of `client_id` and the saved API key
/// (its secret included). Nothing is left to refresh with afterwards.
pub fn disconnect(store: &SecretStore, client_id: &str) -> Result<(), SecretError> {
    store.delete(&tokens_key(client_id))?;
    let saved = load_api_key(store).unwrap_or(None);
    let same_key = saved.is_none_or(|k| k.client_id.trim() == client_id.trim());
    if same_key {
        store.delete(KEY_API_KEY)?;
    }
    log::info!("disconnected from Upwork; tokens and API key forgotten");
    Ok(())
}

// ---------------------------------------------------------------------------
// The flow

/// The redirect URI, checked: loopback, explicit port.
struct Loopback {
    url: Url,
    port: u16,
}

impl Loopback {
    fn parse(uri: &str) -> Result<Loopback, AuthError> {
        let bad = |problem| AuthError::BadRedirectUri {
            problem,
            uri: uri.to_owned(),
        };
        let url = Url::parse(uri.trim()).map_err(|_| bad("it is not a web address"))?;
        if url.scheme() != "http" {
            return Err(bad(
                "it must start with http://, as the answer comes to Offboard on this computer",
            ));
        }
        match url.host() {
            Some(url::Host::Ipv4(ip)) if ip == Ipv4Addr::LOCALHOST => {}
            _ => return Err(bad("its host must be 127.0.0.1")),
        }
        let port = match url.port_or_known_default() {
            Some(0) | None => return Err(bad("it must name a port, such as :8765")),
            Some(port) => port,
        };
        if url.fragment().is_some() {
            return Err(bad("it must not contain #"));
        }
        Ok(Loopback { url, port })
    }

    /// Bind the one-shot listener. Called before the browser opens, so the
    /// answer cannot arrive before anyone listens.
    fn listen(&self) -> Result<OneShot, AuthError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let listener = TcpListener::bind(addr).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                AuthError::PortInUse { port: self.port }
            } else {
                AuthError::Listen {
                    port: self.port,
                    source,
                }
            }
        })?;
        let server =
            tiny_http::Server::from_listener(listener, None).map_err(|e| AuthError::Listen {
                port: self.port,
                source: std::io::Error::other(e.to_string()),
            })?;
        Ok(OneShot {
            server: Some(server),
            port: self.port,
        })
    }
}

/// The listener, closed on drop on every path out of the flow. tiny_http
/// lets go of the socket on its own thread; the drop waits (briefly) until
/// the port is free, so "Connect" pressed again right away finds it free.
struct OneShot {
    server: Option<tiny_http::Server>,
    port: u16,
}

impl OneShot {
    fn server(&self) -> Option<&tiny_http::Server> {
        self.server.as_ref()
    }
}

impl Drop for OneShot {
    fn drop(&mut self) {
        if self.server.take().is_none() {
            return;
        }
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        for _ in 0..100 {
            if TcpListener::bind(addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

type UpworkClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

fn oauth_client(key: &ApiKey, endpoints: &OAuthEndpoints) -> Result<UpworkClient, AuthError> {
    let auth_url = AuthUrl::new(endpoints.authorize_url.trim().to_owned()).map_err(|e| {
        AuthError::BadEndpoint {
            which: "authorize",
            problem: e.to_string(),
            url: endpoints.authorize_url.clone(),
        }
    })?;
    let token_url = TokenUrl::new(endpoints.token_url.trim().to_owned()).map_err(|e| {
        AuthError::BadEndpoint {
            which: "token",
            problem: e.to_string(),
            url: endpoints.token_url.clone(),
        }
    })?;
    let redirect = RedirectUrl::new(key.redirect_uri.trim().to_owned()).map_err(|_| {
        AuthError::BadRedirectUri {
            problem: "it is not a web address",
            uri: key.redirect_uri.clone(),
        }
    })?;
    Ok(
        BasicClient::new(ClientId::new(key.client_id.trim().to_owned()))
            .set_client_secret(ClientSecret::new(key.client_secret.expose().to_owned()))
            .set_auth_uri(auth_url)
            .set_token_uri(token_url)
            .set_redirect_uri(redirect),
    )
}

/// Run the authorization-code flow and return fresh tokens (not saved: see
/// [`connect`]). Blocks until the browser answers, `cancel` is set, or
/// `timeout` passes; run it on a worker thread.
pub fn authorize(
    key: &ApiKey,
    endpoints: &OAuthEndpoints,
    open_browser: &dyn Fn(&str) -> Result<(), String>,
    cancel: &AtomicBool,
    timeout: Duration,
) -> Result<Tokens, AuthError> {
    key.validate()?;
    let loopback = Loopback::parse(&key.redirect_uri)?;
    let client = oauth_client(key, endpoints)?;
    let (authorize_url, state) = client.authorize_url(CsrfToken::new_random).url();

    let listener = loopback.listen()?;
    log::info!(
        "waiting for the browser's answer on 127.0.0.1:{}{}",
        loopback.port,
        loopback.url.path()
    );
    open_browser(authorize_url.as_str()).map_err(|problem| AuthError::BrowserFailed { problem })?;

    let (request, answer) = wait_for_callback(&listener, &loopback, cancel, timeout)?;
    // One answer only: nothing else is accepted once it has arrived.
    drop(listener);

    let params: std::collections::HashMap<String, String> =
        answer.query_pairs().into_owned().collect();
    let state_ok = params
        .get("state")
        .is_some_and(|s| same_secret(s.as_bytes(), state.secret().as_bytes()));
    // An error answer without any state is taken at its word: a forged one
    // could only end this attempt, which a forged state can do as well.
    let bare_error = !params.contains_key("state") && params.contains_key("error");
    if !state_ok && !bare_error {
        log::warn!("the browser's answer carried the wrong state; ignored");
        reply(request, Page::Ignored);
        return Err(AuthError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        let description = params
            .get("error_description")
            .map(|d| d.chars().take(300).collect::<String>());
        reply(request, Page::NotConnected);
        return Err(if error == "access_denied" {
            AuthError::AccessDenied
        } else {
            AuthError::AuthorizationFailed {
                error: error.chars().take(100).collect(),
                description,
            }
        });
    }
    let Some(code) = params.get("code").filter(|c| !c.is_empty()) else {
        reply(request, Page::NotConnected);
        return Err(AuthError::MissingCode);
    };

    let result = exchange_code(&client, key, &endpoints.token_url, code);
    reply(
        request,
        if result.is_ok() {
            Page::Connected
        } else {
            Page::NotConnected
        },
    );
    if result.is_ok() {
        log::info!("connected to Upwork");
    }
    result
}

/// [`authorize`], then keep the API key and the tokens in `store`.
pub fn connect(
    store: &SecretStore,
    key: &ApiKey,
    endpoints: &OAuthEndpoints,
    open_browser: &dyn Fn(&str) -> Result<(), String>,
    cancel: &AtomicBool,
    timeout: Duration,
) -> Result<Tokens, AuthError> {
    let tokens = authorize(key, endpoints, open_browser, cancel, timeout)?;
    save_api_key(store, key)?;
    save_tokens(store, &key.client_id, &tokens)?;
    Ok(tokens)
}

fn wait_for_callback(
    listener: &OneShot,
    loopback: &Loopback,
    cancel: &AtomicBool,
    timeout: Duration,
) -> Result<(tiny_http::Request, Url), AuthError> {
    // A timeout past what an Instant holds waits a day instead of panicking.
    let start = Instant::now();
    let deadline = start
        .checked_add(timeout)
        .or_else(|| start.checked_add(Duration::from_secs(86_400)))
        .unwrap_or(start);
    let base = Url::parse("http://127.0.0.1/").map_err(|e| AuthError::Listen {
        port: loopback.port,
        source: std::io::Error::other(e),
    })?;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(AuthError::Cancelled);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(AuthError::TimedOut { waited: timeout });
        }
        let step = (deadline - now).min(Duration::from_millis(100));
        let Some(server) = listener.server() else {
            return Err(AuthError::Cancelled);
        };
        let request = match server.recv_timeout(step) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            Err(source) => {
                return Err(AuthError::Listen {
                    port: loopback.port,
                    source,
                });
            }
        };
        let url = base.join(request.url()).ok();
        match url {
            Some(url)
                if *request.method() == tiny_http::Method::Get
                    && url.path() == loopback.url.path() =>
            {
                return Ok((request, url));
            }
            _ => {
                // A favicon, a stray probe: not the answer; keep waiting.
                log::debug!("ignored a request on the loopback listener");
                let _ = request
                    .respond(tiny_http::Response::from_string("Not found").with_status_code(404));
            }
        }
    }
}

/// Compare without stopping at the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Clone, Copy)]
enum Page {
    Connected,
    NotConnected,
    Ignored,
}

/// Answer the browser with a small page. Fixed text only: nothing from the
/// request is echoed.
fn reply(request: tiny_http::Request, page: Page) {
    let (title, text) = match page {
        Page::Connected => (
            "Connected",
            "Offboard is connected. You can close this tab and return to Offboard.",
        ),
        Page::NotConnected => (
            "Not connected",
            "Offboard could not connect; it says why. You can close this tab and return to Offboard.",
        ),
        Page::Ignored => (
            "Ignored",
            "Offboard did not expect this answer and ignored it. You can close this tab and return to Offboard to connect again.",
        ),
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Offboard: {title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;line-height:1.5}}</style>\
         </head><body><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let mut response = tiny_http::Response::from_string(html);
    for (name, value) in [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
    ] {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    if let Err(e) = request.respond(response) {
        log::debug!("could not answer the browser: {e}");
    }
}

mod token_endpoint;
use token_endpoint::exchange_code;
pub use token_endpoint::refresh_tokens;

// ---------------------------------------------------------------------------
// The token source

/// Tokens for the GraphQL client: the stored access token, refreshed before
/// it expires and once after a 401; a refused refresh asks the user to
/// connect again (and forgets the dead tokens).
pub struct UpworkTokenSource {
    key: ApiKey,
    endpoints: OAuthEndpoints,
    store: SecretStore,
    state: Mutex<SourceState>,
}

#[derive(Default)]
struct SourceState {
    tokens: Option<Tokens>,
    last_refresh: Option<Instant>,
}

impl std::fmt::Debug for UpworkTokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpworkTokenSource")
            .field("client_id", &self.key.client_id)
            .field("token_url", &self.endpoints.token_url)
            .finish_non_exhaustive()
    }
}

impl UpworkTokenSource {
    /// Tokens are read from `store` on first use.
    pub fn new(key: ApiKey, endpoints: OAuthEndpoints, store: SecretStore) -> UpworkTokenSource {
        UpworkTokenSource {
            key,
            endpoints,
            store,
            state: Mutex::new(SourceState::default()),
        }
    }

    /// With the API key saved in `store`; `None` when there is none.
    pub fn from_store(
        store: SecretStore,
        endpoints: OAuthEndpoints,
    ) -> Result<Option<UpworkTokenSource>, SecretError> {
        Ok(load_api_key(&store)?.map(|key| UpworkTokenSource::new(key, endpoints, store)))
    }

    pub fn client_id(&self) -> &str {
        &self.key.client_id
    }

    /// Whether tokens are stored for this key.
    pub fn is_connected(&self) -> Result<bool, SecretError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(self.current(&mut state)?.is_some())
    }

    /// The access token, refreshed first when it has expired.
    pub fn access_token_checked(&self) -> Result<Secret, AuthError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let tokens = self.current(&mut state)?.ok_or(AuthError::NotConnected)?;
        if !tokens.is_expired(Utc::now()) {
            return Ok(tokens.access);
        }
        log::info!("the Upwork access token has expired; refreshing it");
        Ok(self.refresh_locked(&mut state, tokens)?.access)
    }

    /// Refresh now (after a 401). A second call within a few seconds of a
    /// successful refresh returns that refresh's token: two requests failing
    /// on the same old token refresh once.
    pub fn refresh_checked(&self) -> Result<Secret, AuthError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let tokens = self.current(&mut state)?.ok_or(AuthError::NotConnected)?;
        if state
            .last_refresh
            .is_some_and(|at| at.elapsed() < REFRESH_COALESCE)
        {
            return Ok(tokens.access);
        }
        Ok(self.refresh_locked(&mut state, tokens)?.access)
    }

    fn current(&self, state: &mut SourceState) -> Result<Option<Tokens>, SecretError> {
        if state.tokens.is_none() {
            state.tokens = load_tokens(&self.store, &self.key.client_id)?;
        }
        Ok(state.tokens.clone())
    }

    /// Refreshes `held` (the tokens this source last used). Another Offboard
    /// (a second window, a headless export) shares the store and may have
    /// refreshed first, which can also retire the refresh token held here:
    /// so the store is read again first, a newer token there is used as it
    /// is, and only tokens refreshed here are written back.
    fn refresh_locked(&self, state: &mut SourceState, held: Tokens) -> Result<Tokens, AuthError> {
        // One refresh at a time on the machine: a second Offboard waits, then
        // finds the first one's tokens stored and uses them.
        let _refreshing = self.store.hold(REFRESH_LOCK);
        let Some(stored) = load_tokens(&self.store, &self.key.client_id)? else {
            // Disconnected elsewhere: nothing to refresh with.
            state.tokens = None;
            return Err(AuthError::NotConnected);
        };
        if stored.access != held.access && !stored.is_expired(Utc::now()) {
            log::info!("another Offboard refreshed the Upwork token; using that one");
            state.tokens = Some(stored.clone());
            state.last_refresh = Some(Instant::now());
            return Ok(stored);
        }
        match refresh_tokens(&self.key, &self.endpoints, &stored) {
            Ok(fresh) => {
                save_tokens(&self.store, &self.key.client_id, &fresh)?;
                state.tokens = Some(fresh.clone());
                state.last_refresh = Some(Instant::now());
                log::info!("refreshed the Upwork access token");
                Ok(fresh)
            }
            Err(e) if e.grant_is_dead() => {
                log::warn!("the Upwork token could not be refreshed: {e}");
                state.tokens = None;
                // Saved by another Offboard while this refresh failed: keep
                // those, they may be good.
                let now_stored = load_tokens(&self.store, &self.key.client_id)?;
                if let Some(newer) = now_stored.filter(|t| t.refresh != stored.refresh) {
                    if !newer.is_expired(Utc::now()) {
                        state.tokens = Some(newer.clone());
                        return Ok(newer);
                    }
                    return Err(e);
                }
                // The grant is dead: keep no token that only fails.
                if let Err(forget) = self.store.delete(&tokens_key(&self.key.client_id)) {
                    log::warn!("could not forget the refused tokens: {forget}");
                }
                Err(e)
            }
            Err(e) => {
                log::warn!("the Upwork token could not be refreshed (tokens kept): {e}");
                Err(e)
            }
        }
    }
}

fn api_error(error: AuthError) -> ApiError {
    if error.needs_reconnect() {
        ApiError::Reconnect
    } else {
        ApiError::Auth(error.to_string())
    }
}

impl TokenSource for UpworkTokenSource {
    fn access_token(&self) -> Result<String, ApiError> {
        self.access_token_checked()
            .map(|s| s.expose().to_owned())
            .map_err(api_error)
    }

    fn refresh(&self) -> Result<String, ApiError> {
        self.refresh_checked()
            .map(|s| s.expose().to_owned())
            .map_err(api_error)
    }
}

/// Open `url` in the system browser (xdg-open, open, or the Windows URL
/// handler). Returns once the opener has started; an opener that fails
/// straight away is an error.
pub fn system_browser(url: &str) -> Result<(), String> {
    use std::process::{Command, Stdio};
    #[cfg(target_os = "macos")]
    let mut command = {
        let mut c = Command::new("open");
        c.arg(url);
        c
    };
    #[cfg(target_os = "windows")]
    let mut command = {
        // Not `cmd /C start`: cmd would split the URL at every `&`.
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler").arg(url);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut command = {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    let program = format!("{:?}", command.get_program());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program} could not be started: {e}"))?;
    // Openers usually hand over and exit at once; some run the browser in
    // the foreground. Wait briefly for a failure, then let it be.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{program} failed ({status})")),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = std::thread::Builder::new()
                    .name("browser-opener".into())
                    .spawn(move || {
                        let _ = child.wait();
                    });
                return Ok(());
            }
            Err(e) => return Err(format!("{program}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(redirect: &str) -> ApiKey {
        ApiKey {
            client_id: "id".into(),
            client_secret: Secret::new("s3cret"),
            redirect_uri: redirect.into(),
        }
    }

    #[test]
    fn redirect_uri_must_be_loopback_with_a_port() {
        assert!(matches!(
            key("http://127.0.0.1:8765/callback").validate(),
            Ok(8765)
        ));
        for bad in [
            "https://127.0.0.1:8765/callback",
            "http://localhost:8765/callback",
            "http://example.com:8765/callback",
            "http://127.0.0.1:0/callback",
            "http://127.0.0.1:8765/callback#x",
            "127.0.0.1:8765",
            "",
        ] {
            let err = key(bad).validate();
            assert!(
                matches!(err, Err(AuthError::BadRedirectUri { .. })),
                "{bad}: {err:?}"
            );
            let text = err.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(text.contains("http://127.0.0.1:PORT/"), "{text}");
        }
        let mut k = key("http://127.0.0.1:8765/cb");
        k.client_secret = Secret::new(" ");
        assert!(matches!(k.validate(), Err(AuthError::MissingClientSecret)));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let k = key("http://127.0.0.1:8765/cb");
        let tokens = Tokens {
            access: Secret::new("acc-123"),
            refresh: Some(Secret::new("ref-456")),
            expires_at: None,
        };
        let text = format!("{k:?} {tokens:?}");
        for secret in ["s3cret", "acc-123", "ref-456"] {
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn expiry_has_a_margin() {
        let now = Utc::now();
        let mut t = Tokens {
            access: Secret::new("a"),
            refresh: None,
            expires_at: Some(now + chrono::TimeDelta::seconds(30)),
        };
        assert!(t.is_expired(now));
        t.expires_at = Some(now + chrono::TimeDelta::hours(1));
        assert!(!t.is_expired(now));
        t.expires_at = None;
        assert!(!t.is_expired(now));
        // Dates at chrono's ends, as a damaged file could hold.
        t.expires_at = Some(DateTime::<Utc>::MIN_UTC);
        assert!(t.is_expired(now));
        t.expires_at = Some(DateTime::<Utc>::MAX_UTC);
        assert!(!t.is_expired(now));
    }

    #[test]
    fn state_comparison() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }

    #[test]
    fn tokens_and_key_round_trip_through_the_store() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = SecretStore::file_only(dir.path().to_path_buf());
        let tokens = Tokens {
            access: Secret::new("a"),
            refresh: Some(Secret::new("r")),
            expires_at: Some(Utc::now()),
        };
        save_tokens(&store, "id", &tokens)?;
        assert_eq!(load_tokens(&store, "id")?, Some(tokens));
        let k = key("http://127.0.0.1:8765/cb");
        save_api_key(&store, &k)?;
        assert_eq!(load_api_key(&store)?, Some(k));
        disconnect(&store, "id")?;
        assert_eq!(load_tokens(&store, "id")?, None);
        assert_eq!(load_api_key(&store)?, None);
        Ok(())
    }
}
