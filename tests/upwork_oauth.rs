//! The OAuth2 loopback flow end to end, against a fake Upwork on 127.0.0.1:
//! a stand-in browser follows the authorize page's redirect to Offboard's
//! one-shot listener; the fake token endpoint checks every credential.
//! Nothing here contacts a public address.

#[path = "support/oauth_server.rs"]
mod oauth_server;

use oauth_server::{Authorize, CLIENT_ID, CODE, FakeUpwork, RefreshAnswer, base64};
use offboard::platform::upwork::api::{ApiError, TokenSource};
use offboard::platform::upwork::auth::{
    self, ApiKey, AuthError, OAuthEndpoints, Tokens, UpworkTokenSource,
};
use offboard::platform::upwork::secrets::{SECRETS_FILE, Secret, SecretBackend, SecretStore};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// A logger that keeps every record, so tests can show no secret was logged.

struct Captured(Mutex<Vec<String>>);

impl log::Log for Captured {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        if let Ok(mut lines) = self.0.lock() {
            lines.push(line);
        }
    }
    fn flush(&self) {}
}

fn logs() -> &'static Captured {
    static LOGGER: OnceLock<&'static Captured> = OnceLock::new();
    LOGGER.get_or_init(|| {
        let logger: &'static Captured = Box::leak(Box::new(Captured(Mutex::new(Vec::new()))));
        let _ = log::set_logger(logger);
        log::set_max_level(log::LevelFilter::Trace);
        logger
    })
}

fn assert_not_logged(secrets: &[&str]) {
    let lines = logs().0.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(
        !lines.is_empty(),
        "the logger saw nothing; is it installed?"
    );
    for line in &lines {
        for secret in secrets {
            assert!(!line.contains(secret), "a secret reached the log: {line}");
        }
    }
}

// ---------------------------------------------------------------------------
// The stand-in browser.

struct BrowserVisit {
    final_url: String,
    status: u16,
    body: String,
}

/// What the stand-in browser saw, one visit per `open_browser` call.
type Visits = mpsc::Receiver<Result<BrowserVisit, String>>;
/// Every URL `open_browser` was asked to open.
type Opened = Arc<Mutex<Vec<String>>>;

/// An `open_browser` that plays the browser on a named thread: GET the
/// authorize page, follow its redirect to Offboard's listener, report what
/// the last page said. `before` is fetched first (a favicon, say).
fn stand_in_browser(
    before: Option<String>,
) -> (impl Fn(&str) -> Result<(), String>, Visits, Opened) {
    let (tx, rx) = mpsc::channel();
    let opened = Arc::new(Mutex::new(Vec::new()));
    let seen = opened.clone();
    let open = move |url: &str| -> Result<(), String> {
        if let Ok(mut all) = seen.lock() {
            all.push(url.to_owned());
        }
        let url = url.to_owned();
        let before = before.clone();
        let tx = tx.clone();
        std::thread::Builder::new()
            .name("stand-in-browser".into())
            .spawn(move || {
                let visit = || -> Result<BrowserVisit, String> {
                    let client = reqwest::blocking::Client::builder()
                        .no_proxy()
                        .timeout(WAIT)
                        .build()
                        .map_err(|e| e.to_string())?;
                    if let Some(before) = before {
                        let stray = client.get(before).send().map_err(|e| e.to_string())?;
                        if stray.status().as_u16() != 404 {
                            return Err(format!("stray request got {}", stray.status()));
                        }
                    }
                    let response = client.get(url).send().map_err(|e| e.to_string())?;
                    Ok(BrowserVisit {
                        final_url: response.url().to_string(),
                        status: response.status().as_u16(),
                        body: response.text().map_err(|e| e.to_string())?,
                    })
                };
                let _ = tx.send(visit());
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    (open, rx, opened)
}

fn free_port() -> Result<u16, std::io::Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn api_key(secret: &str) -> Result<ApiKey, std::io::Error> {
    Ok(ApiKey {
        client_id: CLIENT_ID.into(),
        client_secret: Secret::new(secret),
        redirect_uri: format!("http://127.0.0.1:{}/callback", free_port()?),
    })
}

fn never_cancel() -> AtomicBool {
    AtomicBool::new(false)
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The flow

#[test]
fn loopback_flow_end_to_end_stores_tokens_only_in_the_private_file() -> TestResult {
    logs();
    let secret = "client-secret-e2e-77";
    let fake = FakeUpwork::start(Authorize::Approve, secret)?;
    let data = tempfile::tempdir()?;
    let store = SecretStore::file_only(data.path().to_path_buf());
    let key = api_key(secret)?;
    let (browser, visits, opened) = stand_in_browser(None);

    let tokens = auth::connect(
        &store,
        &key,
        &fake.endpoints(),
        &browser,
        &never_cancel(),
        WAIT,
    )?;

    // The tokens the fake endpoint issued.
    assert_eq!(tokens.access.expose(), "access-1-9f8e7d");
    assert_eq!(
        tokens.refresh.as_ref().map(Secret::expose),
        Some("refresh-1-1a2b3c")
    );
    let left = tokens
        .expires_at
        .map(|at| at - chrono::Utc::now())
        .unwrap_or_default();
    assert!(left > chrono::TimeDelta::hours(23) && left <= chrono::TimeDelta::seconds(86399));

    // The authorize URL: the fake's, with exactly the expected parameters.
    let opened = opened.lock().map(|o| o.clone()).unwrap_or_default();
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].starts_with(&fake.endpoints().authorize_url),
        "{}",
        opened[0]
    );
    let queries = fake.authorize_queries();
    assert_eq!(queries.len(), 1);
    let q = &queries[0];
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert_eq!(q.get("redirect_uri"), Some(&key.redirect_uri));
    assert!(q.get("state").is_some_and(|s| s.len() >= 16), "{q:?}");
    assert!(!q.contains_key("client_secret"));

    // The browser was answered with the closing page.
    let visit = visits.recv_timeout(WAIT)??;
    assert!(
        visit.final_url.starts_with(&key.redirect_uri),
        "{}",
        visit.final_url
    );
    assert_eq!(visit.status, 200);
    assert!(
        visit
            .body
            .contains("You can close this tab and return to Offboard"),
        "{}",
        visit.body
    );

    // One exchange: the code, Basic auth and body credentials.
    let calls = fake.token_calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        call.form.get("grant_type").map(String::as_str),
        Some("authorization_code")
    );
    assert_eq!(call.form.get("code").map(String::as_str), Some(CODE));
    assert_eq!(call.form.get("redirect_uri"), Some(&key.redirect_uri));
    assert_eq!(
        call.form.get("client_id").map(String::as_str),
        Some(CLIENT_ID)
    );
    assert_eq!(
        call.form.get("client_secret").map(String::as_str),
        Some(secret)
    );
    assert_eq!(
        call.authorization.as_deref(),
        Some(format!("Basic {}", base64(&format!("{CLIENT_ID}:{secret}"))).as_str())
    );

    // Stored: in the secrets file, mode 0600, and read back.
    let path = data.path().join(SECRETS_FILE);
    assert_eq!(store.backend(), SecretBackend::File { path: path.clone() });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(auth::load_tokens(&store, CLIENT_ID)?, Some(tokens.clone()));
    assert_eq!(auth::load_api_key(&store)?, Some(key.clone()));
    let file = std::fs::read_to_string(&path)?;
    assert!(file.contains("access-1-9f8e7d") && file.contains(secret));

    // Never in the state file, logs or Debug output.
    let state = offboard::store::Store::new(data.path());
    state.save(&offboard::model::wizard::SavedState::default())?;
    let secrets = ["access-1-9f8e7d", "refresh-1-1a2b3c", secret, CODE];
    for other in files_under(data.path()).iter().filter(|p| **p != path) {
        let text = std::fs::read_to_string(other).unwrap_or_default();
        for s in secrets {
            assert!(!text.contains(s), "{s} found in {}", other.display());
        }
    }
    let debug = format!("{tokens:?} {key:?} {store:?}");
    for s in secrets {
        assert!(!debug.contains(s), "{debug}");
    }
    assert_not_logged(&secrets);
    Ok(())
}

#[test]
fn stray_requests_on_the_listener_do_not_end_the_wait() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-stray")?;
    let key = api_key("s-stray")?;
    let favicon = key.redirect_uri.replace("/callback", "/favicon.ico");
    let (browser, visits, _) = stand_in_browser(Some(favicon));
    let tokens = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT)?;
    assert_eq!(tokens.access.expose(), "access-1-9f8e7d");
    assert_eq!(visits.recv_timeout(WAIT)??.status, 200);
    Ok(())
}

#[test]
fn a_wrong_state_is_rejected_and_no_code_is_exchanged() -> TestResult {
    let fake = FakeUpwork::start(Authorize::WrongState, "s-state")?;
    let key = api_key("s-state")?;
    let (browser, visits, _) = stand_in_browser(None);
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    assert!(
        matches!(result, Err(AuthError::StateMismatch)),
        "{result:?}"
    );
    assert!(
        fake.token_calls().is_empty(),
        "the token endpoint was called"
    );
    let visit = visits.recv_timeout(WAIT)??;
    assert!(visit.body.contains("ignored"), "{}", visit.body);
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("press Connect again"), "{message}");
    Ok(())
}

#[test]
fn denied_access_says_so() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Deny, "s-deny")?;
    let key = api_key("s-deny")?;
    let (browser, visits, _) = stand_in_browser(None);
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    assert!(matches!(result, Err(AuthError::AccessDenied)), "{result:?}");
    assert!(fake.token_calls().is_empty());
    let visit = visits.recv_timeout(WAIT)??;
    assert!(visit.body.contains("return to Offboard"), "{}", visit.body);
    Ok(())
}

#[test]
fn denied_access_without_state_still_says_so() -> TestResult {
    let fake = FakeUpwork::start(Authorize::DenyWithoutState, "s-deny2")?;
    let key = api_key("s-deny2")?;
    let (browser, _visits, _) = stand_in_browser(None);
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    assert!(matches!(result, Err(AuthError::AccessDenied)), "{result:?}");
    assert!(fake.token_calls().is_empty());
    Ok(())
}

#[test]
fn waiting_for_the_browser_times_out_and_frees_the_port() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-timeout")?;
    let key = api_key("s-timeout")?;
    let port = key.validate()?;
    let idle_browser = |_: &str| -> Result<(), String> { Ok(()) };
    let started = std::time::Instant::now();
    let result = auth::authorize(
        &key,
        &fake.endpoints(),
        &idle_browser,
        &never_cancel(),
        Duration::from_millis(300),
    );
    assert!(
        matches!(result, Err(AuthError::TimedOut { .. })),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(fake.token_calls().is_empty());
    // The listener is gone with the flow.
    TcpListener::bind(("127.0.0.1", port))?;
    Ok(())
}

#[test]
fn cancel_stops_the_wait() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-cancel")?;
    let key = api_key("s-cancel")?;
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let idle_browser = move |_: &str| -> Result<(), String> {
        let flag = flag.clone();
        std::thread::Builder::new()
            .name("canceller".into())
            .spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                flag.store(true, Ordering::SeqCst);
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let result = auth::authorize(&key, &fake.endpoints(), &idle_browser, &cancel, WAIT);
    assert!(matches!(result, Err(AuthError::Cancelled)), "{result:?}");
    Ok(())
}

#[test]
fn a_port_in_use_is_named_before_the_browser_opens() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-port")?;
    let taken = TcpListener::bind("127.0.0.1:0")?;
    let port = taken.local_addr()?.port();
    let key = ApiKey {
        redirect_uri: format!("http://127.0.0.1:{port}/callback"),
        ..api_key("s-port")?
    };
    let opened = AtomicBool::new(false);
    let browser = |_: &str| -> Result<(), String> {
        opened.store(true, Ordering::SeqCst);
        Ok(())
    };
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    match result {
        Err(AuthError::PortInUse { port: p }) => assert_eq!(p, port),
        other => panic!("expected PortInUse, got {other:?}"),
    }
    assert!(
        !opened.load(Ordering::SeqCst),
        "the browser opened with nobody listening"
    );
    Ok(())
}

#[test]
fn a_redirect_uri_that_is_not_loopback_is_refused_up_front() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-uri")?;
    let key = ApiKey {
        redirect_uri: "https://example.com/callback".into(),
        ..api_key("s-uri")?
    };
    let browser = |_: &str| -> Result<(), String> { Err("must not open".into()) };
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("http://127.0.0.1:PORT/"), "{message}");
    Ok(())
}

#[test]
fn a_refused_exchange_shows_the_error_description() -> TestResult {
    // The fake expects another secret: it answers invalid_client.
    let fake = FakeUpwork::start(Authorize::Approve, "the-right-secret")?;
    let key = api_key("a-wrong-secret")?;
    let (browser, visits, _) = stand_in_browser(None);
    let result = auth::authorize(&key, &fake.endpoints(), &browser, &never_cancel(), WAIT);
    let message = match result {
        Err(e @ AuthError::TokenRefused { .. }) => e.to_string(),
        other => panic!("expected TokenRefused, got {other:?}"),
    };
    assert!(
        message.contains("Client authentication failed"),
        "{message}"
    );
    assert!(message.contains("client secret"), "{message}");
    assert!(!message.contains("a-wrong-secret"), "{message}");
    assert!(
        visits
            .recv_timeout(WAIT)??
            .body
            .contains("could not connect")
    );
    Ok(())
}

#[test]
fn a_token_endpoint_that_is_down_is_named() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-down")?;
    let key = api_key("s-down")?;
    let dead = format!("http://127.0.0.1:{}/token", free_port()?);
    let endpoints = OAuthEndpoints {
        token_url: dead.clone(),
        ..fake.endpoints()
    };
    let (browser, _visits, _) = stand_in_browser(None);
    let result = auth::authorize(&key, &endpoints, &browser, &never_cancel(), WAIT);
    let message = match result {
        Err(e @ AuthError::TokenUnreachable { .. }) => e.to_string(),
        other => panic!("expected TokenUnreachable, got {other:?}"),
    };
    assert!(message.ends_with(&dead), "{message}");
    Ok(())
}

// ---------------------------------------------------------------------------
// Refresh and disconnect

fn connected_store(
    dir: &Path,
    key: &ApiKey,
    expires_in: chrono::TimeDelta,
) -> Result<SecretStore, Box<dyn std::error::Error>> {
    let store = SecretStore::file_only(dir.to_path_buf());
    auth::save_api_key(&store, key)?;
    auth::save_tokens(
        &store,
        &key.client_id,
        &Tokens {
            access: Secret::new("access-0-old"),
            refresh: Some(Secret::new("refresh-0-old")),
            expires_at: Some(chrono::Utc::now() + expires_in),
        },
    )?;
    Ok(store)
}

#[test]
fn an_expired_token_is_refreshed_with_basic_and_body_credentials() -> TestResult {
    logs();
    let secret = "s-refresh-88";
    let fake = FakeUpwork::start(Authorize::Approve, secret)?;
    let data = tempfile::tempdir()?;
    let key = api_key(secret)?;
    let store = connected_store(data.path(), &key, -chrono::TimeDelta::minutes(5))?;
    let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());

    assert_eq!(source.access_token()?, "access-1-9f8e7d");
    let calls = fake.token_calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        call.form.get("grant_type").map(String::as_str),
        Some("refresh_token")
    );
    assert_eq!(
        call.form.get("refresh_token").map(String::as_str),
        Some("refresh-0-old")
    );
    assert_eq!(
        call.form.get("client_id").map(String::as_str),
        Some(CLIENT_ID)
    );
    assert_eq!(
        call.form.get("client_secret").map(String::as_str),
        Some(secret)
    );
    assert_eq!(
        call.authorization.as_deref(),
        Some(format!("Basic {}", base64(&format!("{CLIENT_ID}:{secret}"))).as_str())
    );

    // Saved, and used without another refresh.
    let saved = auth::load_tokens(&store, CLIENT_ID)?.ok_or("no tokens saved")?;
    assert_eq!(saved.access.expose(), "access-1-9f8e7d");
    assert_eq!(
        saved.refresh.as_ref().map(Secret::expose),
        Some("refresh-1-1a2b3c")
    );
    assert!(!saved.is_expired(chrono::Utc::now()));
    assert_eq!(source.access_token()?, "access-1-9f8e7d");
    assert_eq!(fake.token_calls().len(), 1);
    assert_not_logged(&[
        "access-1-9f8e7d",
        "refresh-1-1a2b3c",
        "refresh-0-old",
        secret,
    ]);
    Ok(())
}

#[test]
fn a_401_refreshes_once_for_requests_that_failed_together() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-401")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-401")?;
    let store = connected_store(data.path(), &key, chrono::TimeDelta::hours(3))?;
    let source = UpworkTokenSource::new(key, fake.endpoints(), store);
    assert_eq!(source.access_token()?, "access-0-old");
    assert!(fake.token_calls().is_empty(), "a valid token was refreshed");
    assert_eq!(source.refresh()?, "access-1-9f8e7d");
    assert_eq!(source.refresh()?, "access-1-9f8e7d");
    assert_eq!(fake.token_calls().len(), 1);
    Ok(())
}

#[test]
fn a_refused_refresh_asks_to_reconnect_and_forgets_the_dead_tokens() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-refused")?;
    fake.refuse_refresh.store(true, Ordering::SeqCst);
    let data = tempfile::tempdir()?;
    let key = api_key("s-refused")?;
    let store = connected_store(data.path(), &key, -chrono::TimeDelta::minutes(1))?;
    let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
    let result = source.access_token();
    assert!(matches!(result, Err(ApiError::Reconnect)), "{result:?}");
    assert_eq!(fake.token_calls().len(), 1);
    assert_eq!(auth::load_tokens(&store, CLIENT_ID)?, None);
    // The key stays, so connecting again is one press.
    assert_eq!(auth::load_api_key(&store)?, Some(key));
    assert!(matches!(source.refresh(), Err(ApiError::Reconnect)));
    assert_eq!(fake.token_calls().len(), 1, "nothing left to refresh with");
    Ok(())
}

#[test]
fn disconnect_forgets_tokens_and_secret() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-disconnect-55")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-disconnect-55")?;
    let store = connected_store(data.path(), &key, chrono::TimeDelta::hours(3))?;
    let source = UpworkTokenSource::from_store(store.clone(), fake.endpoints())?
        .ok_or("the saved key was not found")?;
    assert!(source.is_connected()?);

    auth::disconnect(&store, CLIENT_ID)?;
    assert_eq!(auth::load_tokens(&store, CLIENT_ID)?, None);
    assert_eq!(auth::load_api_key(&store)?, None);
    let file = std::fs::read_to_string(data.path().join(SECRETS_FILE))?;
    for s in ["s-disconnect-55", "access-0-old", "refresh-0-old"] {
        assert!(!file.contains(s), "{s} is still in the file");
    }
    let fresh = UpworkTokenSource::new(key, fake.endpoints(), store.clone());
    assert!(matches!(fresh.access_token(), Err(ApiError::Reconnect)));
    assert!(UpworkTokenSource::from_store(store, fake.endpoints())?.is_none());
    assert!(fake.token_calls().is_empty());
    Ok(())
}

// ---------------------------------------------------------------------------
// Refresh answers that must not cost the user their grant

#[test]
fn a_web_page_or_outage_on_refresh_keeps_the_stored_grant() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-page")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-page")?;
    let store = connected_store(data.path(), &key, -chrono::TimeDelta::minutes(1))?;
    let stored = auth::load_tokens(&store, CLIENT_ID)?;
    for answer in [
        RefreshAnswer::WebPage(502),
        RefreshAnswer::WebPage(503),
        RefreshAnswer::WebPage(403),
        RefreshAnswer::WebPage(401),
        RefreshAnswer::WebPage(400),
        RefreshAnswer::OAuthError("server_error", 500),
        RefreshAnswer::OAuthError("temporarily_unavailable", 503),
        RefreshAnswer::OAuthError("invalid_client", 401),
    ] {
        fake.answer_refresh(answer.clone());
        let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
        let result = source.access_token();
        assert!(result.is_err(), "{answer:?}: {result:?}");
        assert_eq!(
            auth::load_tokens(&store, CLIENT_ID)?,
            stored,
            "{answer:?} cost the stored grant"
        );
        // The fake takes each refresh token once; forget that it was tried.
        fake.spent.lock().map_err(|e| e.to_string())?.clear();
    }
    // A proxy's 403 page says nothing about the key.
    fake.answer_refresh(RefreshAnswer::WebPage(403));
    let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
    let message = match source.access_token_checked() {
        Err(e @ AuthError::TokenUnreachable { .. }) => e.to_string(),
        other => panic!("expected TokenUnreachable, got {other:?}"),
    };
    assert!(message.contains("firewall"), "{message}");
    fake.spent.lock().map_err(|e| e.to_string())?.clear();

    // The token endpoint unreachable: also kept.
    let down = OAuthEndpoints {
        token_url: format!("http://127.0.0.1:{}/token", free_port()?),
        ..fake.endpoints()
    };
    let source = UpworkTokenSource::new(key.clone(), down, store.clone());
    assert!(matches!(source.access_token(), Err(ApiError::Auth(_))));
    assert_eq!(auth::load_tokens(&store, CLIENT_ID)?, stored);

    // Once the endpoint is back, the same grant refreshes.
    fake.answer_refresh(RefreshAnswer::Tokens);
    let source = UpworkTokenSource::new(key, fake.endpoints(), store.clone());
    assert!(source.access_token()?.starts_with("access-"));
    Ok(())
}

#[test]
fn only_invalid_grant_forgets_the_stored_tokens() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-grant")?;
    fake.answer_refresh(RefreshAnswer::OAuthError("invalid_grant", 400));
    let data = tempfile::tempdir()?;
    let key = api_key("s-grant")?;
    let store = connected_store(data.path(), &key, -chrono::TimeDelta::minutes(1))?;
    let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
    let message = match source.access_token_checked() {
        Err(e @ AuthError::GrantRevoked { .. }) => e.to_string(),
        other => panic!("expected GrantRevoked, got {other:?}"),
    };
    assert!(message.contains("press Connect"), "{message}");
    assert_eq!(auth::load_tokens(&store, CLIENT_ID)?, None);
    assert_eq!(auth::load_api_key(&store)?, Some(key));
    Ok(())
}

#[test]
fn a_second_offboard_that_refreshed_first_is_not_overwritten() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-two")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-two")?;
    connected_store(data.path(), &key, chrono::TimeDelta::hours(3))?;
    // Two processes: each its own store over the same file.
    let first = UpworkTokenSource::new(
        key.clone(),
        fake.endpoints(),
        SecretStore::file_only(data.path().to_path_buf()),
    );
    let second = UpworkTokenSource::new(
        key.clone(),
        fake.endpoints(),
        SecretStore::file_only(data.path().to_path_buf()),
    );
    assert_eq!(first.access_token()?, "access-0-old");
    assert_eq!(second.access_token()?, "access-0-old");

    // The second refreshes (its 401); the endpoint retires refresh-0-old.
    assert_eq!(second.refresh()?, "access-1-9f8e7d");
    // The first meets a 401 on its old copy: it takes the second's token
    // instead of refreshing with a spent refresh token.
    assert_eq!(first.refresh()?, "access-1-9f8e7d");
    assert_eq!(fake.token_calls().len(), 1);
    let store = SecretStore::file_only(data.path().to_path_buf());
    let saved = auth::load_tokens(&store, CLIENT_ID)?.ok_or("the tokens are gone")?;
    assert_eq!(saved.access.expose(), "access-1-9f8e7d");
    assert_eq!(
        saved.refresh.as_ref().map(Secret::expose),
        Some("refresh-1-1a2b3c")
    );
    Ok(())
}

/// A window and a headless export, both holding an expired token, refresh
/// in the same instant. The endpoint retires a refresh token once traded,
/// so a second trade would fail with `invalid_grant` and could leave one
/// of them disconnected: one refreshes, the other waits and takes its
/// tokens.
#[test]
fn two_offboards_refreshing_at_once_trade_the_refresh_token_once() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-race")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-race")?;
    connected_store(data.path(), &key, -chrono::TimeDelta::minutes(1))?;
    fake.answer_refresh(RefreshAnswer::Slow(Duration::from_millis(400)));
    let start = Arc::new(std::sync::Barrier::new(2));
    let both: Vec<_> = (0..2)
        .map(|_| {
            let source = UpworkTokenSource::new(
                key.clone(),
                fake.endpoints(),
                SecretStore::file_only(data.path().to_path_buf()),
            );
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                source.access_token().map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for handle in both {
        tokens.push(
            handle
                .join()
                .map_err(|_| "a refreshing thread panicked")??,
        );
    }
    assert_eq!(tokens, ["access-1-9f8e7d", "access-1-9f8e7d"]);
    assert_eq!(
        fake.token_calls().len(),
        1,
        "one trade of the refresh token"
    );
    let store = SecretStore::file_only(data.path().to_path_buf());
    let saved = auth::load_tokens(&store, CLIENT_ID)?.ok_or("the tokens are gone")?;
    assert_eq!(saved.access.expose(), "access-1-9f8e7d");
    Ok(())
}

#[test]
fn a_stale_copy_refreshes_with_the_newest_refresh_token() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-stale")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-stale")?;
    let store = connected_store(data.path(), &key, chrono::TimeDelta::hours(3))?;
    let first = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
    assert_eq!(first.access_token()?, "access-0-old");
    // Another Offboard saved newer tokens, which have since expired too.
    auth::save_tokens(
        &store,
        CLIENT_ID,
        &Tokens {
            access: Secret::new("access-7-other"),
            refresh: Some(Secret::new("refresh-7-other")),
            expires_at: Some(chrono::Utc::now() - chrono::TimeDelta::minutes(5)),
        },
    )?;
    assert_eq!(first.refresh()?, "access-1-9f8e7d");
    let calls = fake.token_calls();
    assert_eq!(
        calls[0].form.get("refresh_token").map(String::as_str),
        Some("refresh-7-other")
    );
    Ok(())
}

#[test]
fn any_expires_in_gives_tokens_and_never_panics() -> TestResult {
    let fake = FakeUpwork::start(Authorize::Approve, "s-expiry")?;
    let data = tempfile::tempdir()?;
    let key = api_key("s-expiry")?;
    let month = chrono::TimeDelta::days(30) + chrono::TimeDelta::minutes(1);
    for (value, expires) in [
        (serde_json::json!(10_000_000_000_000u64), true),
        (serde_json::json!(u64::MAX), true),
        (serde_json::json!(1e13), true),
        (serde_json::json!(1e300), true),
        (serde_json::json!(86399.5), true),
        (serde_json::json!("86399"), true),
        (serde_json::json!(-5), false),
        (serde_json::json!(0), false),
        (serde_json::json!("NaN"), false),
        (serde_json::json!("soon"), false),
        (serde_json::json!(null), false),
        (serde_json::json!({"seconds": 5}), false),
    ] {
        let store = connected_store(data.path(), &key, -chrono::TimeDelta::minutes(1))?;
        fake.spent.lock().map_err(|e| e.to_string())?.clear();
        fake.answer_refresh(RefreshAnswer::ExpiresIn(value.clone()));
        let source = UpworkTokenSource::new(key.clone(), fake.endpoints(), store.clone());
        let token = source.access_token();
        assert!(token.is_ok(), "{value}: {token:?}");
        let saved = auth::load_tokens(&store, CLIENT_ID)?.ok_or("no tokens saved")?;
        let now = chrono::Utc::now();
        match saved.expires_at {
            Some(at) => {
                assert!(expires, "{value}: expires {at}");
                assert!(at > now && at - now <= month, "{value}: expires {at}");
            }
            None => assert!(!expires, "{value}: no expiry"),
        }
    }
    Ok(())
}
