//! The Upwork client against a network that misbehaves: a fault-injecting
//! proxy (`support/fault_server.rs`) sits between the client and the local
//! stand-in server, and every fault must end either in a retry that
//! succeeds, with the same records as a fetch without the fault, or in a
//! clear error that names the query and says what to do. Never a panic,
//! never a hang.
//!
//! Waits are short by configuration (timeouts, backoff), never by timing
//! assertions: a slow machine makes these tests slower, not red.

#[path = "support/fault_server.rs"]
mod fault_server;
#[path = "support/quiet_export.rs"]
mod quiet_export;
#[path = "support/upwork_server.rs"]
mod upwork_server;

use fault_server::{Fault, FaultProxy, Rewrite};
use offboard::platform::upwork::api::{
    ApiConfig, ApiError, StaticToken, TokenSource, UpworkApi, UpworkPlatform,
};
use offboard::platform::{Platform, PlatformError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use upwork_server::{Fixture, Size, TOKEN, TestServer};

const FREELANCER: &str = "1181921839937785857";

/// Short waits so faults resolve fast; a normal answer still has seconds.
fn config(url: &str) -> ApiConfig {
    ApiConfig {
        base_url: url.to_string(),
        requests_per_second: 0.0,
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(10),
        max_retries: 3,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(2),
        ..ApiConfig::default()
    }
}

/// The stand-in server and the proxy in front of it.
struct Rig {
    server: TestServer,
    proxy: FaultProxy,
}

fn rig() -> Rig {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let proxy = FaultProxy::start(&server.url);
    Rig { server, proxy }
}

impl Rig {
    fn platform_with(&self, config: ApiConfig, tokens: Arc<dyn TokenSource>) -> UpworkPlatform {
        let api = UpworkApi::new(config, tokens).expect("client");
        UpworkPlatform::connect(api, self.server.fixture().today).expect("connect")
    }

    fn platform(&self) -> UpworkPlatform {
        self.platform_with(config(&self.proxy.url), Arc::new(StaticToken(TOKEN.into())))
    }
}

/// How many rooms' first pages the client reads before it pages on
/// through the first room: one aliased request's worth.
fn first_batch_of_rooms(rig: &Rig) -> usize {
    let rooms = rig
        .server
        .fixture()
        .org(FREELANCER)
        .map_or(0, |o| o.rooms.len());
    rooms.min(10)
}

/// Every record of every section, each as JSON, sorted: what an export
/// writes, in a form two fetches can be compared by.
type Records = BTreeMap<&'static str, Vec<String>>;

fn section<T: Serialize>(
    out: &mut Records,
    name: &'static str,
    stream: Result<offboard::platform::RecordStream<'_, T>, PlatformError>,
) -> Result<(), PlatformError> {
    let mut all = Vec::new();
    for record in stream? {
        all.push(serde_json::to_string(&record?).expect("a record serialises"));
    }
    all.sort();
    out.insert(name, all);
    Ok(())
}

fn fetch_all(p: &UpworkPlatform) -> Result<Records, PlatformError> {
    let mut out = Records::new();
    section(&mut out, "contracts", p.contracts(FREELANCER))?;
    section(&mut out, "proposals", p.proposals(FREELANCER))?;
    section(&mut out, "offers", p.offers(FREELANCER))?;
    section(&mut out, "transactions", p.transactions(FREELANCER))?;
    section(&mut out, "feedback", p.feedback(FREELANCER))?;
    section(&mut out, "rooms", p.rooms(FREELANCER))?;
    match p.time_report(FREELANCER)? {
        Some(stream) => section(&mut out, "time", Ok(stream))?,
        None => panic!("the stand-in server serves the time report"),
    }
    Ok(out)
}

/// The records of a fetch without faults (the fixture is seeded, so every
/// stand-in server holds the same account).
fn baseline() -> &'static Records {
    static BASELINE: OnceLock<Records> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let server = TestServer::start(Fixture::freelancer(Size::small()));
        let api = UpworkApi::new(config(&server.url), Arc::new(StaticToken(TOKEN.into())))
            .expect("client");
        let platform = UpworkPlatform::connect(api, server.fixture().today).expect("connect");
        let records = fetch_all(&platform).expect("a clean fetch");
        assert!(records.values().all(|r| !r.is_empty()), "{records:?}");
        records
    })
}

fn assert_same_as_baseline(records: &Records) {
    let base = baseline();
    for (name, expected) in base {
        let got = records.get(name).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(got.len(), expected.len(), "{name}: record count");
        assert!(got == expected.as_slice(), "{name}: records differ");
    }
}

/// The error a section ends with.
fn error_of<T>(stream: Result<offboard::platform::RecordStream<'_, T>, PlatformError>) -> String {
    match stream {
        Err(e) => e.to_string(),
        Ok(stream) => {
            for record in stream {
                if let Err(e) = record {
                    return e.to_string();
                }
            }
            panic!("the fetch succeeded; an error was expected");
        }
    }
}

fn assert_says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
}

// ------------------------------------------------------------------ hangs

#[test]
fn a_server_that_never_answers_times_out_naming_the_query() {
    let rig = rig();
    let mut c = config(&rig.proxy.url);
    c.read_timeout = Duration::from_millis(400);
    c.max_retries = 1;
    let platform = rig.platform_with(c, Arc::new(StaticToken(TOKEN.into())));
    rig.proxy.fail_times("RoomList", Fault::Hang, 2);
    let message = error_of(platform.rooms(FREELANCER));
    assert_says(&message, &["roomList", "in time", "try again"]);
    assert_eq!(rig.proxy.count("RoomList"), 2, "one try and one retry");
}

#[test]
fn a_hang_then_an_answer_loses_nothing() {
    let rig = rig();
    let mut c = config(&rig.proxy.url);
    c.read_timeout = Duration::from_millis(700);
    let platform = rig.platform_with(c, Arc::new(StaticToken(TOKEN.into())));
    rig.proxy.fail_next("VendorContracts", Fault::Hang);
    rig.proxy.fail_next("RoomStories", Fault::Hang);
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));
    assert_eq!(rig.proxy.faults_left(), 0);
}

#[test]
fn a_body_that_drips_slower_than_the_timeout_is_a_timeout() {
    let rig = rig();
    let mut c = config(&rig.proxy.url);
    c.read_timeout = Duration::from_millis(300);
    c.max_retries = 1;
    let platform = rig.platform_with(c, Arc::new(StaticToken(TOKEN.into())));
    let drip = Fault::Drip {
        every: Duration::from_millis(50),
    };
    rig.proxy.fail_times("TransactionHistory", drip, 2);
    let message = error_of(platform.transactions(FREELANCER));
    assert_says(&message, &["transactionHistory", "in time", "try again"]);
}

// ------------------------------------------------------------------ broken connections

#[test]
fn connections_cut_mid_body_or_closed_are_retried_and_lose_nothing() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("VendorContracts", Fault::CutMidBody);
    rig.proxy.fail_next("RoomList", Fault::Close);
    rig.proxy.fail_next("TransactionHistory", Fault::CutMidBody);
    rig.proxy.fail_next("RoomStories", Fault::Close);
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));
    assert_eq!(rig.proxy.faults_left(), 0);
}

#[test]
fn a_connection_that_keeps_breaking_ends_in_a_clear_error() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy
        .fail_times("VendorProposals", Fault::CutMidBody, 4);
    let message = error_of(platform.proposals(FREELANCER));
    assert_says(
        &message,
        &["vendorProposals", "check your internet connection"],
    );
    assert_eq!(rig.proxy.count("VendorProposals"), 4, "bounded retries");
}

// ------------------------------------------------------------------ 429 and Retry-After

#[test]
fn retry_after_values_no_duration_holds_end_in_a_clear_error() {
    let rig = rig();
    let platform = rig.platform();
    for (value, says) in [
        ("1e20", "practically forever"),
        ("99999999999999999999999", "practically forever"),
        ("18446744073709551615", "days"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "days"),
        ("86400", "24 hours"),
    ] {
        rig.proxy
            .fail_next("VendorContracts", Fault::retry_after(429, Some(value)));
        let message = error_of(platform.contracts(FREELANCER));
        assert_says(&message, &["vendorContracts", says, "try again after that"]);
    }
    assert_eq!(
        rig.proxy.count("VendorContracts"),
        5,
        "no retry when the wait is too long"
    );
}

#[test]
fn unusable_or_missing_retry_after_falls_back_to_backoff() {
    let rig = rig();
    let platform = rig.platform();
    // At most max_retries in a row for one request, so each is retried.
    for value in [None, Some("-5"), Some("soon")] {
        rig.proxy
            .fail_next("RoomStories", Fault::retry_after(429, value));
    }
    for value in [Some("NaN"), Some("-1e20"), Some("0.01")] {
        rig.proxy
            .fail_next("TransactionHistory", Fault::retry_after(503, value));
    }
    rig.proxy
        .fail_next("VendorContracts", Fault::retry_after(429, Some("0")));
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));
    assert_eq!(rig.proxy.faults_left(), 0);
}

// ------------------------------------------------------------------ 5xx and web pages

#[test]
fn a_5xx_storm_is_retried_a_bounded_number_of_times_then_named() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_times("*", Fault::html(503), 50);
    let message = error_of(platform.transactions(FREELANCER));
    assert_says(
        &message,
        &[
            "accountingEntity",
            "HTTP status 503",
            "try again in a few minutes",
        ],
    );
    assert_eq!(
        rig.proxy.count("AccountingEntity"),
        4,
        "one try and max_retries retries"
    );
}

#[test]
fn a_short_5xx_burst_is_ridden_out_without_losing_records() {
    let rig = rig();
    let platform = rig.platform();
    for status in [500, 502, 503] {
        rig.proxy.fail_next("VendorContracts", Fault::html(status));
    }
    rig.proxy.fail_next("WorkHistory", Fault::html(504));
    rig.proxy.fail_next("TransactionHistory", Fault::html(502));
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));
    assert_eq!(rig.proxy.faults_left(), 0);
}

#[test]
fn a_web_page_with_200_is_retried_and_then_named() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("RoomList", Fault::html(200));
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));

    rig.proxy.fail_times("VendorProposals", Fault::html(200), 4);
    let message = error_of(platform.proposals(FREELANCER));
    assert_says(
        &message,
        &["vendorProposals", "a web page came back", "try again later"],
    );
}

#[test]
fn a_403_web_page_is_the_network_not_a_missing_permission() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("TransactionHistory", Fault::html(403));
    let message = error_of(platform.transactions(FREELANCER));
    assert_says(
        &message,
        &["transactionHistory", "firewall", "not a missing permission"],
    );
    assert!(!message.contains("API center"), "{message}");
}

#[test]
fn malformed_json_is_retried_and_then_named() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("VendorContracts", Fault::broken_json());
    assert_same_as_baseline(&fetch_all(&platform).expect("retried"));

    rig.proxy
        .fail_times("VendorContracts", Fault::broken_json(), 4);
    let message = error_of(platform.contracts(FREELANCER));
    assert_says(
        &message,
        &["vendorContracts", "not JSON", "try again later"],
    );
}

#[test]
fn data_with_errors_keeps_the_data_and_warns_once_per_error() {
    let rig = rig();
    let platform = rig.platform();
    let many: Vec<serde_json::Value> = (0..5_000)
        .map(|i| serde_json::json!({ "message": format!("user {i} was deleted") }))
        .collect();
    let account =
        serde_json::json!({ "data": { "accountingEntity": { "id": "ace-x" } }, "errors": many });
    rig.proxy
        .fail_next("AccountingEntity", Fault::json(account));
    let message = error_of(platform.transactions(FREELANCER));
    // The data came back (the entity id was used), the errors became a
    // bounded list of warnings; the month query then met its own answer.
    assert!(
        !message.contains("accountingEntity"),
        "the answer with data was not an error: {message}"
    );
    let warnings = platform.warnings();
    assert!(warnings.iter().any(|w| w.contains("user 0 was deleted")));
    assert!(warnings.len() < 40, "{} warnings", warnings.len());
    assert!(warnings.iter().any(|w| w.contains("and 4980 more errors")));
}

#[test]
fn errors_on_every_page_are_kept_to_a_bounded_list_and_the_data_to_the_last_record() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy
        .rewrite("TransactionHistory", Rewrite::NewErrors { count: 30 });
    let mut records = Records::new();
    section(
        &mut records,
        "transactions",
        platform.transactions(FREELANCER),
    )
    .expect("the data");
    assert_eq!(records.get("transactions"), baseline().get("transactions"));
    let warnings = platform.warnings();
    assert_eq!(
        warnings.len(),
        201,
        "200 and a note that more were left out"
    );
    assert!(warnings.iter().any(|w| w.contains("problem 0 of answer 1")));
    assert_says(&warnings[200], &["more problems than the 200"]);
}

// ------------------------------------------------------------------ endless lists

#[test]
fn a_server_that_ignores_the_offset_stops_with_an_error() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.rewrite("VendorContracts", Rewrite::RepeatFirst);
    let message = error_of(platform.contracts(FREELANCER));
    assert_says(
        &message,
        &["vendorContracts", "repeated page 2", "try again later"],
    );
    assert_eq!(rig.proxy.count("VendorContracts"), 2);
}

#[test]
fn a_cursor_that_comes_back_stops_with_an_error() {
    let rig = rig();
    let platform = rig.platform();
    // New records on every page, but always the same cursor to go on from.
    rig.proxy.rewrite(
        "VendorProposals",
        Rewrite::StuckCursor {
            path: vec!["vendorProposals"],
        },
    );
    let message = error_of(platform.proposals(FREELANCER));
    assert_says(
        &message,
        &[
            "vendorProposals",
            "repeated page cursor \"stuck\"",
            "try again later",
        ],
    );
    assert_eq!(rig.proxy.count("VendorProposals"), 2);
}

#[test]
fn cycling_cursors_stop_with_an_error() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.rewrite(
        "RoomStories",
        Rewrite::CycleCursors {
            path: vec!["roomStories"],
        },
    );
    let message = error_of(platform.rooms(FREELANCER));
    assert_says(
        &message,
        &[
            "roomStories",
            "repeated page cursor \"A\"",
            "try again later",
        ],
    );
    // Ten rooms' first pages come first (the rewrite's cursors run on
    // across them: A, B, A…, the tenth ends on B), then the first room's
    // second page brings back A.
    assert_eq!(
        rig.proxy.count("RoomStories"),
        first_batch_of_rooms(&rig) + 1,
        "ten first pages, then A again"
    );
}

#[test]
fn a_list_without_an_end_stops_at_the_page_limit() {
    let rig = rig();
    let mut c = config(&rig.proxy.url);
    c.max_pages = 25;
    let platform = rig.platform_with(c, Arc::new(StaticToken(TOKEN.into())));
    rig.proxy.rewrite(
        "RoomStories",
        Rewrite::Endless {
            path: vec!["roomStories"],
        },
    );
    let message = error_of(platform.rooms(FREELANCER));
    assert_says(
        &message,
        &["roomStories", "past 25 pages", "try again later"],
    );
    // Ten rooms' first pages, then the first room's pages 2 to 26.
    assert_eq!(
        rig.proxy.count("RoomStories"),
        first_batch_of_rooms(&rig) + 25
    );
}

// ------------------------------------------------------------------ huge bodies

#[test]
fn a_body_declared_larger_than_the_limit_is_refused_at_once() {
    let rig = rig();
    let platform = rig.platform();
    let huge = Fault::Huge {
        len: 64 * 1024 * 1024,
        declared: true,
    };
    rig.proxy.fail_next("RoomList", huge);
    let message = error_of(platform.rooms(FREELANCER));
    assert_says(
        &message,
        &["roomList", "larger than 32 MiB", "try again later"],
    );
}

#[test]
fn a_body_that_runs_past_the_limit_without_saying_so_is_cut_off() {
    let rig = rig();
    let mut c = config(&rig.proxy.url);
    c.max_body_bytes = 1024 * 1024;
    let platform = rig.platform_with(c, Arc::new(StaticToken(TOKEN.into())));
    let huge = Fault::Huge {
        len: 8 * 1024 * 1024,
        declared: false,
    };
    rig.proxy.fail_next("TransactionHistory", huge);
    let message = error_of(platform.transactions(FREELANCER));
    assert_says(
        &message,
        &["transactionHistory", "larger than 1 MiB", "try again later"],
    );
    let requests =
        rig.proxy.count("TransactionHistory") + rig.proxy.count("TransactionHistoryBatch");
    assert_eq!(requests, 1, "not retried");
}

// ------------------------------------------------------------------ tokens

/// Hands out `first` until refreshed, then `next`.
struct Rotating {
    current: Mutex<String>,
    next: String,
    refreshes: AtomicU32,
}

impl TokenSource for Rotating {
    fn access_token(&self) -> Result<String, ApiError> {
        Ok(self.current.lock().map(|t| t.clone()).unwrap_or_default())
    }

    fn refresh(&self) -> Result<String, ApiError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut current) = self.current.lock() {
            current.clone_from(&self.next);
        }
        Ok(self.next.clone())
    }
}

#[test]
fn a_token_that_expires_mid_export_is_refreshed_and_the_export_goes_on() {
    let rig = rig();
    let tokens = Arc::new(Rotating {
        current: Mutex::new(TOKEN.into()),
        next: "token-after-refresh".into(),
        refreshes: AtomicU32::new(0),
    });
    let platform = rig.platform_with(config(&rig.proxy.url), tokens.clone());
    let mut records = Records::new();
    section(&mut records, "contracts", platform.contracts(FREELANCER)).expect("contracts");
    // Half-way through the rooms the old token stops working.
    let mut rooms = Vec::new();
    for (i, room) in platform.rooms(FREELANCER).expect("rooms").enumerate() {
        rooms.push(serde_json::to_string(&room.expect("a room")).expect("json"));
        if i == 5 {
            rig.server.accept_tokens(&["token-after-refresh"]);
        }
    }
    rooms.sort();
    records.insert("rooms", rooms);
    for name in ["proposals", "offers", "transactions", "feedback"] {
        match name {
            "proposals" => section(&mut records, name, platform.proposals(FREELANCER)),
            "offers" => section(&mut records, name, platform.offers(FREELANCER)),
            "transactions" => section(&mut records, name, platform.transactions(FREELANCER)),
            _ => section(&mut records, name, platform.feedback(FREELANCER)),
        }
        .expect("a section after the refresh");
    }
    if let Some(time) = platform.time_report(FREELANCER).expect("time report") {
        section(&mut records, "time", Ok(time)).expect("time");
    }
    assert_same_as_baseline(&records);
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
}

#[test]
fn a_401_after_refreshing_asks_to_connect_again() {
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_times("RoomList", Fault::Unauthorized, 1);
    // A fixed token cannot refresh: connect again, said plainly.
    let message = error_of(platform.rooms(FREELANCER));
    assert_says(&message, &["connect again"]);
}

// ------------------------------------------------------------------ the export

#[test]
fn an_export_through_a_bad_network_has_every_record_of_a_clean_one() {
    let clean = {
        let rig = rig();
        let folder = tempfile::tempdir().expect("a folder");
        let today = rig.server.fixture().today;
        quiet_export::export_quietly(&rig.platform(), FREELANCER, folder.path(), today)
            .expect("a clean export")
    };
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("VendorContracts", Fault::html(502));
    rig.proxy.fail_next("RoomList", Fault::CutMidBody);
    rig.proxy
        .fail_next("RoomStories", Fault::retry_after(429, Some("1e20e")));
    rig.proxy.fail_next("TransactionHistory", Fault::html(200));
    rig.proxy.fail_next("WorkHistory", Fault::Close);
    rig.proxy.fail_next("TimeReport", Fault::broken_json());
    let folder = tempfile::tempdir().expect("a folder");
    let faulty = quiet_export::export_quietly(
        &platform,
        FREELANCER,
        folder.path(),
        rig.server.fixture().today,
    )
    .expect("an export that rode out the faults");
    assert_eq!(faulty.records, clean.records);
    assert_eq!(faulty.files, clean.files);
    assert_eq!(rig.proxy.faults_left(), 0, "every fault was met");
}

#[test]
fn the_review_through_a_bad_network_is_the_review_of_a_clean_one() {
    let clean = rig()
        .platform()
        .pending_work(FREELANCER)
        .expect("a clean review");
    let rig = rig();
    let platform = rig.platform();
    rig.proxy.fail_next("VendorContracts", Fault::Close);
    rig.proxy.fail_next("VendorProposals", Fault::html(503));
    rig.proxy.fail_next("Offers", Fault::CutMidBody);
    rig.proxy
        .fail_next("AccountingEntity", Fault::retry_after(429, Some("-1")));
    rig.proxy
        .fail_next("TransactionHistory", Fault::broken_json());
    let review = platform
        .pending_work(FREELANCER)
        .expect("a review that rode out the faults");
    assert_eq!(review, clean);
    assert_eq!(rig.proxy.faults_left(), 0, "every fault was met");
}
