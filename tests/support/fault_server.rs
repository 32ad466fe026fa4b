//! A fault-injecting proxy on 127.0.0.1 in front of the stand-in GraphQL
//! server (`upwork_server.rs`): it forwards each request and relays the
//! answer, unless a fault is scripted for that operation. It speaks raw
//! HTTP/1.1 on its own sockets, so it can do what a well-behaved server
//! library will not: never answer, cut a body short, send a body larger
//! than it says, drip bytes, or rewrite pages so they never end.
//!
//! One-shot faults (`fail_next`) are taken in order by the next request for
//! their operation ("*" for any); rewrites (`rewrite`) apply to every
//! answer for their operation until the proxy is dropped.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What one request gets instead of the relayed answer.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Read the request and never answer (until the proxy is dropped).
    Hang,
    /// Close the connection without a byte of answer.
    Close,
    /// The real answer's headers and part of its body, then a closed
    /// connection: the body is shorter than its Content-Length.
    CutMidBody,
    /// This status, content type, extra headers and body.
    Answer {
        status: u16,
        content_type: &'static str,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// `len` bytes of JSON-looking filler with status 200; with
    /// `declared` a Content-Length says so, without it the body simply
    /// runs until the connection closes.
    Huge { len: u64, declared: bool },
    /// The real answer, one byte every `every`.
    Drip { every: Duration },
    /// A 401, as for an expired token.
    Unauthorized,
}

impl Fault {
    /// A status with an HTML page, as proxies and CDNs send.
    pub fn html(status: u16) -> Fault {
        Fault::Answer {
            status,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: format!(
                "<!DOCTYPE html><html><head><title>{status}</title></head><body><h1>Error \
                 {status}</h1><p>The server is temporarily unable to service your request.</p>\
                 </body></html>"
            ),
        }
    }

    /// A status with a `Retry-After` value (exactly as given).
    pub fn retry_after(status: u16, value: Option<&str>) -> Fault {
        Fault::Answer {
            status,
            content_type: "application/json",
            headers: value
                .map(|v| vec![("Retry-After", v.to_string())])
                .unwrap_or_default(),
            body: r#"{"message":"Too many requests"}"#.to_string(),
        }
    }

    /// A 200 with this JSON body.
    pub fn json(body: Value) -> Fault {
        Fault::Answer {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    /// A 200 whose body is not JSON though it says it is.
    pub fn broken_json() -> Fault {
        Fault::Answer {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: r#"{"data":{"vendorContracts":{"contracts":[{"id":"1","#.to_string(),
        }
    }
}

/// A rewrite of every answer for one operation.
#[derive(Clone, Debug)]
pub enum Rewrite {
    /// Every answer is the first one: a server that ignores the offset or
    /// cursor and sends page one forever.
    RepeatFirst,
    /// The connection at `path` says another page follows, with cursors
    /// "A", "B", "A", "B"… and fresh record ids on every page.
    CycleCursors { path: Vec<&'static str> },
    /// The connection at `path` always says another page follows, with a
    /// new cursor and new ids every time: a list without an end.
    Endless { path: Vec<&'static str> },
    /// Like `Endless`, but the cursor is always "stuck".
    StuckCursor { path: Vec<&'static str> },
    /// The answer keeps its data and gains `count` errors never seen before.
    NewErrors { count: usize },
}

/// One request as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub operation: String,
    /// The fault it got, if any.
    pub fault: Option<String>,
}

#[derive(Default)]
struct Script {
    faults: VecDeque<(String, Fault)>,
    rewrites: HashMap<String, Rewrite>,
    /// The first answer per operation, for `RepeatFirst`.
    first: HashMap<String, String>,
    /// Pages rewritten so far per operation.
    rewritten: HashMap<String, u64>,
    seen: Vec<Seen>,
}

pub struct FaultProxy {
    /// The GraphQL URL to give the client.
    pub url: String,
    addr: std::net::SocketAddr,
    upstream: String,
    script: Arc<Mutex<Script>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    connections: Arc<AtomicU64>,
}

impl FaultProxy {
    /// Listens on a free port of 127.0.0.1 and relays to `upstream` (the
    /// stand-in server's GraphQL URL).
    pub fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("an address");
        let script = Arc::new(Mutex::new(Script::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicU64::new(0));
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("an HTTP client");
        let shared = Arc::new(Shared {
            upstream: upstream.to_string(),
            client,
            script: script.clone(),
            stop: stop.clone(),
        });
        let thread = {
            let stop = stop.clone();
            let connections = connections.clone();
            std::thread::Builder::new()
                .name("fault-proxy".into())
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        connections.fetch_add(1, Ordering::SeqCst);
                        let shared = shared.clone();
                        let _ = std::thread::Builder::new()
                            .name("fault-proxy-conn".into())
                            .spawn(move || serve(&shared, stream));
                    }
                })
                .expect("spawn the proxy thread")
        };
        FaultProxy {
            url: format!("http://{addr}/graphql"),
            addr,
            upstream: upstream.to_string(),
            script,
            stop,
            thread: Some(thread),
            connections,
        }
    }

    /// The next request for `operation` ("*" for any) gets `fault`.
    pub fn fail_next(&self, operation: &str, fault: Fault) {
        self.fail_times(operation, fault, 1);
    }

    /// The next `times` requests for `operation` get `fault`.
    pub fn fail_times(&self, operation: &str, fault: Fault, times: usize) {
        let mut script = self.script.lock().expect("script");
        for _ in 0..times {
            script
                .faults
                .push_back((operation.to_string(), fault.clone()));
        }
    }

    /// Every answer for `operation` is rewritten from now on.
    pub fn rewrite(&self, operation: &str, rewrite: Rewrite) {
        self.script
            .lock()
            .expect("script")
            .rewrites
            .insert(operation.to_string(), rewrite);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.script.lock().expect("script").seen.clone()
    }

    /// Requests for `operation` that reached the proxy.
    pub fn count(&self, operation: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.operation == operation)
            .count()
    }

    /// Scripted faults not yet used.
    pub fn faults_left(&self) -> usize {
        self.script.lock().expect("script").faults.len()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Shared {
    upstream: String,
    client: reqwest::blocking::Client,
    script: Arc<Mutex<Script>>,
    stop: Arc<AtomicBool>,
}

/// A request read off the socket.
struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if line.trim().is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { headers, body })
}

/// `query Name(` or `query Name {` → `Name`.
fn operation_name(body: &[u8]) -> String {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let document = parsed.get("query").and_then(Value::as_str).unwrap_or("");
    document
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("query "))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .unwrap_or_default()
}

/// The relayed answer: status, content type, Retry-After, body.
struct Upstream {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    body: String,
}

fn forward(shared: &Shared, request: &Request) -> Upstream {
    let mut call = shared
        .client
        .post(&shared.upstream)
        .body(request.body.clone());
    for (name, value) in &request.headers {
        let relayed = ["authorization", "content-type", "x-upwork-api-tenantid"];
        if relayed.contains(&name.to_ascii_lowercase().as_str()) {
            call = call.header(name.as_str(), value.as_str());
        }
    }
    match call.send() {
        Ok(response) => {
            let status = response.status().as_u16();
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let content_type =
                header(reqwest::header::CONTENT_TYPE).unwrap_or_else(|| "application/json".into());
            let retry_after = header(reqwest::header::RETRY_AFTER);
            Upstream {
                status,
                content_type,
                retry_after,
                body: response.text().unwrap_or_default(),
            }
        }
        Err(e) => Upstream {
            status: 502,
            content_type: "text/plain".into(),
            retry_after: None,
            body: format!("the proxy could not reach the test server: {e}"),
        },
    }
}

fn head(status: u16, content_type: &str, length: Option<u64>, extra: &[(&str, String)]) -> String {
    let mut head = format!("HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\n");
    if let Some(length) = length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    head
}

fn respond(stream: &mut TcpStream, answer: &Upstream) {
    let extra: Vec<(&str, String)> = answer
        .retry_after
        .iter()
        .map(|v| ("Retry-After", v.clone()))
        .collect();
    let head = head(
        answer.status,
        &answer.content_type,
        Some(answer.body.len() as u64),
        &extra,
    );
    let mut all = head.into_bytes();
    all.extend_from_slice(answer.body.as_bytes());
    let _ = stream.write_all(&all);
    let _ = stream.flush();
}

fn serve(shared: &Shared, mut stream: TcpStream) {
    // Without this, Nagle's algorithm and the client's delayed ACK cost
    // 40 ms an answer.
    let _ = stream.set_nodelay(true);
    let Some(request) = read_request(&stream) else {
        return;
    };
    let operation = operation_name(&request.body);
    // `RoomStoriesBatch` asks `RoomStories` several times through aliases:
    // a fault scripted for the single read meets the batch too.
    let single = operation.strip_suffix("Batch");
    let (fault, rewrite, refuse_batch) = {
        let mut script = shared.script.lock().expect("script");
        let index = script
            .faults
            .iter()
            .position(|(op, _)| op == "*" || *op == operation || Some(op.as_str()) == single);
        let fault = index.and_then(|i| script.faults.remove(i)).map(|(_, f)| f);
        let rewrite = script.rewrites.get(&operation).cloned();
        // Rewrites reshape single answers: a batch of a rewritten read is
        // refused, as a server refusing aliases would, so the client falls
        // back to the single reads the rewrite applies to.
        let refuse_batch = single.is_some_and(|s| script.rewrites.contains_key(s));
        script.seen.push(Seen {
            operation: operation.clone(),
            fault: fault.as_ref().map(|f| format!("{f:?}")),
        });
        (fault, rewrite, refuse_batch)
    };
    if refuse_batch && fault.is_none() {
        let body = r#"{"errors":[{"message":"Query complexity exceeds the maximum allowed"}]}"#;
        let head = head(200, "application/json", Some(body.len() as u64), &[]);
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
        return;
    }
    match fault {
        Some(Fault::Hang) => {
            while !shared.stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Some(Fault::Close) => {
            let _ = stream.shutdown(Shutdown::Both);
        }
        Some(Fault::CutMidBody) => {
            let answer = forward(shared, &request);
            let head = head(
                answer.status,
                &answer.content_type,
                Some(answer.body.len() as u64),
                &[],
            );
            let half = &answer.body.as_bytes()[..answer.body.len() / 2];
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(half);
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Both);
        }
        Some(Fault::Answer {
            status,
            content_type,
            headers,
            body,
        }) => {
            let head = head(status, content_type, Some(body.len() as u64), &headers);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Some(Fault::Huge { len, declared }) => {
            let head = head(200, "application/json", declared.then_some(len), &[]);
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = [b' '; 64 * 1024];
            let mut sent = 0u64;
            while sent < len && !shared.stop.load(Ordering::SeqCst) {
                let n = (len - sent).min(chunk.len() as u64) as usize;
                // The client stops reading at its limit and closes.
                if stream.write_all(&chunk[..n]).is_err() {
                    return;
                }
                sent += n as u64;
            }
        }
        Some(Fault::Drip { every }) => {
            let answer = forward(shared, &request);
            let head = head(
                answer.status,
                &answer.content_type,
                Some(answer.body.len() as u64),
                &[],
            );
            let _ = stream.write_all(head.as_bytes());
            for byte in answer.body.as_bytes() {
                if shared.stop.load(Ordering::SeqCst)
                    || stream.write_all(std::slice::from_ref(byte)).is_err()
                {
                    return;
                }
                let _ = stream.flush();
                std::thread::sleep(every);
            }
        }
        Some(Fault::Unauthorized) => {
            let head = head(401, "application/json", Some(26), &[]);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(br#"{"message":"Unauthorized"}"#);
        }
        None => {
            let mut answer = forward(shared, &request);
            if let Some(rewrite) = rewrite {
                answer.body = rewritten(shared, &operation, &rewrite, answer.body);
            }
            respond(&mut stream, &answer);
        }
    }
}

fn rewritten(shared: &Shared, operation: &str, rewrite: &Rewrite, body: String) -> String {
    let mut script = shared.script.lock().expect("script");
    let n = {
        let n = script.rewritten.entry(operation.to_string()).or_insert(0);
        *n += 1;
        *n
    };
    match rewrite {
        Rewrite::RepeatFirst => script
            .first
            .entry(operation.to_string())
            .or_insert(body)
            .clone(),
        Rewrite::CycleCursors { path } => {
            let cursor = if n % 2 == 1 { "A" } else { "B" };
            endless_page(&body, path, cursor, n)
        }
        Rewrite::Endless { path } => endless_page(&body, path, &format!("page-{n}"), n),
        Rewrite::StuckCursor { path } => endless_page(&body, path, "stuck", n),
        Rewrite::NewErrors { count } => {
            let Ok(mut answer) = serde_json::from_str::<Value>(&body) else {
                return body;
            };
            let errors: Vec<Value> = (0..*count)
                .map(|i| json!({ "message": format!("problem {i} of answer {n}") }))
                .collect();
            answer["errors"] = json!(errors);
            answer.to_string()
        }
    }
}

/// The page with `hasNextPage: true`, this cursor, and every record's id
/// made new (suffixed with the page number).
fn endless_page(body: &str, path: &[&'static str], cursor: &str, n: u64) -> String {
    let Ok(mut answer) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let mut connection = &mut answer["data"];
    for key in path {
        connection = &mut connection[*key];
    }
    if let Some(edges) = connection.get_mut("edges").and_then(Value::as_array_mut) {
        for edge in edges {
            if let Some(id) = edge["node"]["id"].as_str().map(str::to_string) {
                edge["node"]["id"] = json!(format!("{id}-p{n}"));
            }
        }
    }
    connection["pageInfo"] = json!({ "hasNextPage": true, "endCursor": cursor });
    answer.to_string()
}
