//! A fake Upwork for the OAuth tests, on 127.0.0.1: the authorize page
//! (which redirects back as a browser would be sent) and the token endpoint,
//! which checks every credential, takes each refresh token once (as an
//! endpoint that rotates them), and answers refreshes as the test scripts:
//! tokens, odd `expires_in` values, proxy web pages, OAuth errors.

#![allow(dead_code)]

use offboard::platform::upwork::auth::OAuthEndpoints;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "offboard-test-client";
pub const CODE: &str = "the-one-code";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Authorize {
    /// Redirect back with the code and the state it was given.
    Approve,
    /// Redirect back with a state Offboard never sent.
    WrongState,
    /// The user pressed "Deny".
    Deny,
    /// "Deny", from a server that leaves the state out of error answers.
    DenyWithoutState,
}

/// How the fake token endpoint answers a refresh.
#[derive(Clone, Debug, PartialEq)]
pub enum RefreshAnswer {
    /// New tokens.
    Tokens,
    /// New tokens with this `expires_in`.
    ExpiresIn(serde_json::Value),
    /// A web page with this status, as a proxy or CDN sends.
    WebPage(u16),
    /// An RFC 6749 error answer with this code and status.
    OAuthError(&'static str, u16),
    /// New tokens, after this long: a slow endpoint, so that two clients
    /// refreshing at once overlap.
    Slow(std::time::Duration),
}

#[derive(Debug, Clone)]
pub struct TokenCall {
    pub form: HashMap<String, String>,
    pub authorization: Option<String>,
}

pub struct FakeUpwork {
    pub base: String,
    pub server: Arc<tiny_http::Server>,
    pub thread: Option<std::thread::JoinHandle<()>>,
    pub authorize_queries: Arc<Mutex<Vec<HashMap<String, String>>>>,
    pub token_calls: Arc<Mutex<Vec<TokenCall>>>,
    pub refuse_refresh: Arc<AtomicBool>,
    pub issued: Arc<AtomicUsize>,
    pub refresh_answer: Arc<Mutex<RefreshAnswer>>,
    /// Refresh tokens already traded: each works once, as when the
    /// endpoint rotates them.
    pub spent: Arc<Mutex<Vec<String>>>,
}

pub struct Config {
    pub authorize: Authorize,
    pub client_secret: String,
}

impl FakeUpwork {
    pub fn start(
        authorize: Authorize,
        client_secret: &str,
    ) -> Result<FakeUpwork, Box<dyn std::error::Error>> {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?);
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or("the fake server has no port")?;
        let mut fake = FakeUpwork {
            base: format!("http://127.0.0.1:{port}"),
            server: server.clone(),
            thread: None,
            authorize_queries: Arc::default(),
            token_calls: Arc::default(),
            refuse_refresh: Arc::default(),
            issued: Arc::default(),
            refresh_answer: Arc::new(Mutex::new(RefreshAnswer::Tokens)),
            spent: Arc::default(),
        };
        let config = Config {
            authorize,
            client_secret: client_secret.to_owned(),
        };
        let shared = Shared {
            queries: fake.authorize_queries.clone(),
            calls: fake.token_calls.clone(),
            refuse_refresh: fake.refuse_refresh.clone(),
            issued: fake.issued.clone(),
            refresh_answer: fake.refresh_answer.clone(),
            spent: fake.spent.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("fake-upwork".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    serve(request, &config, &shared);
                }
            })?;
        fake.thread = Some(thread);
        Ok(fake)
    }

    pub fn endpoints(&self) -> OAuthEndpoints {
        OAuthEndpoints {
            authorize_url: format!("{}/ab/account-security/oauth2/authorize", self.base),
            token_url: format!("{}/api/v3/oauth2/token", self.base),
        }
    }

    pub fn answer_refresh(&self, answer: RefreshAnswer) {
        if let Ok(mut a) = self.refresh_answer.lock() {
            *a = answer;
        }
    }

    pub fn token_calls(&self) -> Vec<TokenCall> {
        self.token_calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    pub fn authorize_queries(&self) -> Vec<HashMap<String, String>> {
        self.authorize_queries
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }
}

impl Drop for FakeUpwork {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub fn query_map(url: &url::Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

pub fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| panic!("bad header {name}"))
}

pub fn json(status: u16, body: serde_json::Value) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(body.to_string())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}

/// What the fake's thread shares with the test.
struct Shared {
    queries: Arc<Mutex<Vec<HashMap<String, String>>>>,
    calls: Arc<Mutex<Vec<TokenCall>>>,
    refuse_refresh: Arc<AtomicBool>,
    issued: Arc<AtomicUsize>,
    refresh_answer: Arc<Mutex<RefreshAnswer>>,
    spent: Arc<Mutex<Vec<String>>>,
}

fn serve(mut request: tiny_http::Request, config: &Config, shared: &Shared) {
    let Shared {
        queries,
        calls,
        refuse_refresh,
        issued,
        refresh_answer,
        spent,
    } = shared;
    let Ok(url) = url::Url::parse(&format!("http://fake{}", request.url())) else {
        let _ = request.respond(tiny_http::Response::empty(400));
        return;
    };
    match (request.method().clone(), url.path()) {
        (tiny_http::Method::Get, "/ab/account-security/oauth2/authorize") => {
            let q = query_map(&url);
            if let Ok(mut all) = queries.lock() {
                all.push(q.clone());
            }
            let (Some(redirect), Some(state)) = (q.get("redirect_uri"), q.get("state")) else {
                let _ = request
                    .respond(tiny_http::Response::from_string("bad request").with_status_code(400));
                return;
            };
            let Ok(mut back) = url::Url::parse(redirect) else {
                let _ = request.respond(tiny_http::Response::empty(400));
                return;
            };
            match config.authorize {
                Authorize::Approve => {
                    back.query_pairs_mut()
                        .append_pair("code", CODE)
                        .append_pair("state", state);
                }
                Authorize::WrongState => {
                    back.query_pairs_mut()
                        .append_pair("code", CODE)
                        .append_pair("state", "forged-state");
                }
                Authorize::Deny => {
                    back.query_pairs_mut()
                        .append_pair("error", "access_denied")
                        .append_pair("error_description", "The user denied access")
                        .append_pair("state", state);
                }
                Authorize::DenyWithoutState => {
                    back.query_pairs_mut().append_pair("error", "access_denied");
                }
            }
            let _ = request.respond(
                tiny_http::Response::empty(302).with_header(header("Location", back.as_str())),
            );
        }
        (tiny_http::Method::Post, "/api/v3/oauth2/token") => {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let authorization = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.as_str().to_owned());
            if let Ok(mut all) = calls.lock() {
                all.push(TokenCall {
                    form: form.clone(),
                    authorization: authorization.clone(),
                });
            }
            let basic = format!(
                "Basic {}",
                base64(&format!("{CLIENT_ID}:{}", config.client_secret))
            );
            let credentials_ok = authorization.as_deref() == Some(basic.as_str())
                && form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                && form.get("client_secret") == Some(&config.client_secret);
            if !credentials_ok {
                let _ = request.respond(json(
                    401,
                    serde_json::json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
                ));
                return;
            }
            let grant_ok = match form.get("grant_type").map(String::as_str) {
                Some("authorization_code") => form.get("code").map(String::as_str) == Some(CODE),
                Some("refresh_token") => {
                    let token = form.get("refresh_token").cloned().unwrap_or_default();
                    let fresh = spent.lock().is_ok_and(|mut s| {
                        let fresh = !s.contains(&token);
                        s.push(token.clone());
                        fresh
                    });
                    !refuse_refresh.load(Ordering::SeqCst) && fresh && token.starts_with("refresh-")
                }
                _ => false,
            };
            if !grant_ok {
                let _ = request.respond(json(
                    400,
                    serde_json::json!({"error": "invalid_grant", "error_description": "The refresh token is invalid or expired"}),
                ));
                return;
            }
            let is_refresh = form.get("grant_type").map(String::as_str) == Some("refresh_token");
            let answer = refresh_answer
                .lock()
                .map(|a| a.clone())
                .unwrap_or(RefreshAnswer::Tokens);
            let mut expires_in = serde_json::json!(86399);
            match answer {
                RefreshAnswer::WebPage(status) if is_refresh => {
                    let page = tiny_http::Response::from_string(format!(
                        "<html><body><h1>{status} Bad Gateway</h1>nginx</body></html>"
                    ))
                    .with_status_code(status)
                    .with_header(header("Content-Type", "text/html"));
                    let _ = request.respond(page);
                    return;
                }
                RefreshAnswer::OAuthError(code, status) if is_refresh => {
                    let _ = request.respond(json(
                        status,
                        serde_json::json!({"error": code, "error_description": "said the fake"}),
                    ));
                    return;
                }
                RefreshAnswer::ExpiresIn(value) if is_refresh => expires_in = value,
                RefreshAnswer::Slow(wait) if is_refresh => std::thread::sleep(wait),
                _ => {}
            }
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let _ = request.respond(json(
                200,
                serde_json::json!({
                    "access_token": format!("access-{n}-9f8e7d"),
                    "refresh_token": format!("refresh-{n}-1a2b3c"),
                    "token_type": "bearer",
                    "expires_in": expires_in
                }),
            ));
        }
        _ => {
            let _ = request.respond(tiny_http::Response::empty(404));
        }
    }
}

pub fn base64(input: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = input.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
