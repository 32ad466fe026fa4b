//! Where real Upwork accounts answer differently from what the schema
//! suggests (issue 11, FACTS.md), each against the local server set up to
//! answer that way: `vendorContracts` empty or refused, aliased batches
//! refused, `Activated` proposals, stories without an author, a server that
//! reads a bare end date as midnight, permissions by their API Center
//! names, an HTML 403, the User-Agent, and a refused time report.

#[path = "support/quiet_export.rs"]
mod quiet_export;
#[path = "support/upwork_server.rs"]
mod upwork_server;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use offboard::model::account::ContractStatus;
use offboard::model::review::assess;
use offboard::platform::Platform;
use offboard::platform::upwork::api::{
    ApiConfig, ApiError, HOME_PAGE, QUERIES, StaticToken, UNKNOWN_AUTHOR, USER_AGENT, UpworkApi,
    UpworkPlatform,
};
use offboard::platform::upwork::profile::UPWORK_API;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use upwork_server::{Failure, Fixture, Size, Story, TOKEN, TestServer, Transaction};

const FREELANCER: &str = "1181921839937785857";

fn config(url: &str) -> ApiConfig {
    ApiConfig {
        base_url: url.to_string(),
        requests_per_second: 1_000.0,
        connect_timeout: std::time::Duration::from_secs(2),
        read_timeout: std::time::Duration::from_secs(5),
        max_retries: 3,
        backoff_base: std::time::Duration::from_millis(20),
        backoff_max: std::time::Duration::from_secs(2),
        ..ApiConfig::default()
    }
}

fn connect(server: &TestServer) -> UpworkPlatform {
    let api =
        UpworkApi::new(config(&server.url), Arc::new(StaticToken(TOKEN.into()))).expect("client");
    UpworkPlatform::connect(api, server.fixture().today).expect("connect")
}

/// A freelancer whose first open contract is named only by a message room
/// (the work history leaves it out), the others by the work history too.
fn fixture_with_a_contract_only_rooms_name() -> (Fixture, String) {
    let mut fixture = Fixture::freelancer(Size::small());
    let org = fixture.org_mut(FREELANCER);
    let only_in_a_room = org
        .contracts
        .iter()
        .find(|c| c.status != "CLOSED")
        .expect("an open contract")
        .id
        .clone();
    org.work_history_omits.push(only_in_a_room.clone());
    for room in &mut org.rooms {
        if room.contract_id.as_deref() == Some(only_in_a_room.as_str()) {
            room.contract_id = None;
        }
    }
    let room = org
        .rooms
        .iter_mut()
        .find(|r| r.contract_id.is_none())
        .expect("a room without a contract");
    room.contract_id = Some(only_in_a_room.clone());
    (fixture, only_in_a_room)
}

fn open_contract_ids(fixture: &Fixture) -> BTreeSet<String> {
    fixture
        .org(FREELANCER)
        .expect("org")
        .contracts
        .iter()
        .filter(|c| c.status != "CLOSED")
        .map(|c| c.id.clone())
        .collect()
}

// ------------------------------------------------------------------ contracts

#[test]
fn the_review_names_every_open_contract_when_vendor_contracts_is_empty_or_refused() {
    for refused in [false, true] {
        let (mut fixture, only_in_a_room) = fixture_with_a_contract_only_rooms_name();
        let org = fixture.org_mut(FREELANCER);
        org.vendor_contracts_empty = !refused;
        org.vendor_contracts_refused = refused;
        let server = TestServer::start(fixture);
        let platform = connect(&server);
        let want = open_contract_ids(server.fixture());
        assert!(want.len() >= 3 && want.contains(&only_in_a_room));

        let work = platform.pending_work(FREELANCER).expect("a review");
        let got: BTreeSet<String> = work.open_contracts.iter().map(|c| c.id.clone()).collect();
        assert_eq!(got, want, "refused: {refused}");
        assert_eq!(got.len(), work.open_contracts.len(), "each contract once");
        assert!(
            work.open_contracts
                .iter()
                .all(|c| matches!(c.status, ContractStatus::Active | ContractStatus::Paused))
        );
        let blockers: BTreeSet<String> = assess(&UPWORK_API, &work, server.fixture().today)
            .blockers()
            .map(|b| b.id.clone())
            .collect();
        for id in &want {
            assert!(blockers.contains(&format!("contract:{id}")), "{id}");
        }
        let warnings = platform.warnings();
        assert_eq!(
            warnings
                .iter()
                .any(|w| w.contains("contract list was refused") && w.contains("Contract - R/W")),
            refused,
            "{warnings:?}"
        );

        // The export's list: every contract, closed ones too, each once.
        let all: Vec<String> = platform
            .contracts(FREELANCER)
            .expect("contracts")
            .map(|c| c.expect("a contract").id)
            .collect();
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        assert_eq!(
            all.len(),
            server
                .fixture()
                .org(FREELANCER)
                .expect("org")
                .contracts
                .len()
        );
    }
}

#[test]
fn vendor_contracts_rows_are_merged_with_the_contracts_found_elsewhere() {
    // vendorContracts lists every row but one (nulled with an error); that
    // one is read by id, and nothing it listed is asked for again.
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    server.fail_next(
        "VendorContracts",
        Failure::DataWithErrors {
            message: "Authorization failed".into(),
            null_path: vec!["vendorContracts", "contracts"],
        },
    );
    let contracts: Vec<String> = platform
        .contracts(FREELANCER)
        .expect("contracts")
        .map(|c| c.expect("a contract").id)
        .collect();
    let org = server.fixture().org(FREELANCER).expect("org");
    assert_eq!(contracts.len(), org.contracts.len());
    assert_eq!(
        contracts.iter().collect::<BTreeSet<_>>().len(),
        org.contracts.len(),
        "each once"
    );
    assert!(server.seen_for("ContractListBatch").is_empty());
    let by_id = server.seen_for("ContractList");
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].variables["ids"], json!([org.contracts[0].id]));
    // The refused row is a missing permission, named as the API Center does.
    let warnings = platform.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("Authorization failed")
            && w.contains("enable the \"Contract - R/W\" permission")),
        "{warnings:?}"
    );
}

#[test]
fn a_key_without_messaging_still_gets_a_review_naming_its_contracts() {
    let mut fixture = Fixture::freelancer(Size::small());
    fixture.org_mut(FREELANCER).vendor_contracts_empty = true;
    let server = TestServer::start(fixture);
    let platform = connect(&server);
    let refused = json!({ "errors": [{ "message": "Authorization failed" }] }).to_string();
    server.fail_next("RoomList", Failure::Body(refused));
    let work = platform.pending_work(FREELANCER).expect("a review");
    let got: BTreeSet<String> = work.open_contracts.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        got,
        open_contract_ids(server.fixture()),
        "from the work history"
    );
    let warnings = platform.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("named only in message rooms may be missing")
                && w.contains("\"Messaging\"")),
        "{warnings:?}"
    );
}

#[test]
fn a_refused_batched_document_falls_back_to_one_contract_list_per_request() {
    let mut fixture = Fixture::freelancer(Size::small());
    fixture.org_mut(FREELANCER).vendor_contracts_empty = true;
    fixture.quirks.refuse_batched_documents = true;
    let server = TestServer::start(fixture);
    let platform = connect(&server);
    let got: BTreeSet<String> = platform
        .contracts(FREELANCER)
        .expect("contracts")
        .map(|c| c.expect("a contract").id)
        .collect();
    let org = server.fixture().org(FREELANCER).expect("org");
    let want: BTreeSet<String> = org.contracts.iter().map(|c| c.id.clone()).collect();
    assert_eq!(got, want);
    assert_eq!(server.seen_for("ContractListBatch").len(), 1, "asked once");
    let singles = server.seen_for("ContractList");
    assert_eq!(singles.len(), want.len().div_ceil(10));
    for seen in &singles {
        let ids = seen.variables["ids"].as_array().expect("ids");
        assert!(!ids.is_empty() && ids.len() <= 10, "{ids:?}");
    }
}

// ------------------------------------------------------------------ proposals

#[test]
fn activated_proposals_are_open_and_block_closing_like_submitted_ones() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    let work = platform.pending_work(FREELANCER).expect("a review");
    let org = server.fixture().org(FREELANCER).expect("org");
    let blockers: BTreeSet<String> = assess(&UPWORK_API, &work, server.fixture().today)
        .blockers()
        .map(|b| b.id.clone())
        .collect();
    for status in ["Activated", "Accepted"] {
        let of_status: Vec<&str> = org
            .proposals
            .iter()
            .filter(|p| p.status == status)
            .map(|p| p.id.as_str())
            .collect();
        assert!(!of_status.is_empty(), "{status}");
        for id in of_status {
            assert!(
                blockers.contains(&format!("proposal:{id}")),
                "{status} proposal {id} must block closing"
            );
        }
    }
    for status in ["Hired", "Declined", "Withdrawn", "Archived"] {
        for p in org.proposals.iter().filter(|p| p.status == status) {
            assert!(
                !blockers.contains(&format!("proposal:{}", p.id)),
                "{status} is closed"
            );
        }
    }
}

// ------------------------------------------------------------------ messages

#[test]
fn messages_without_an_author_are_kept_and_exported_as_unknown() {
    let mut fixture = Fixture::freelancer(Size::small());
    let org = fixture.org_mut(FREELANCER);
    // A long room (three pages of 50) with system messages on the second
    // and third pages, and a short room whose every message lost its author.
    let long = &mut org.rooms[0];
    let start = long.created;
    long.stories = (0..130)
        .map(|i| Story {
            id: format!("long-{i:03}"),
            created: start + Duration::minutes(i),
            user: (i % 60 != 55).then(|| ("u-1".to_string(), "Priya Raman".to_string())),
            message: format!("message {i}"),
            attachment: None,
        })
        .collect();
    for story in &mut org.rooms[1].stories {
        story.user = None;
    }
    let authorless: BTreeSet<String> = org
        .rooms
        .iter()
        .flat_map(|r| &r.stories)
        .filter(|s| s.user.is_none())
        .map(|s| s.id.clone())
        .collect();
    let want: usize = org.rooms.iter().map(|r| r.stories.len()).sum();
    let server = TestServer::start(fixture);
    let platform = connect(&server);

    let folder = tempfile::tempdir().expect("a folder");
    let record =
        quiet_export::export_quietly(&platform, FREELANCER, folder.path(), server.fixture().today)
            .expect("an export");
    // Every story the server has is in the export, authors or not.
    let mut authors: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(record.folder.join("messages")).expect("messages folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let room: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("room file"))
            .expect("room JSON");
        for m in room["messages"].as_array().expect("messages") {
            let id = m["id"].as_str().expect("id").to_string();
            let author = m["author"].as_str().expect("author").to_string();
            assert!(authors.insert(id, author).is_none(), "each message once");
        }
    }
    assert_eq!(authors.len(), want, "every story the server has");
    for id in &authorless {
        assert_eq!(authors.get(id).map(String::as_str), Some(UNKNOWN_AUTHOR));
    }
    assert_eq!(
        authors.values().filter(|a| *a == UNKNOWN_AUTHOR).count(),
        authorless.len()
    );
    // Only the pages with a lost story were read again.
    let again = server.seen_for("RoomStoriesWithoutAuthor");
    assert_eq!(
        again.len(),
        3,
        "two pages of the long room, one of the short"
    );
    let warnings = platform.warnings();
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("RoomStory.user") || w.contains("could not be read")),
        "{warnings:?}"
    );
}

// ------------------------------------------------------------------ money

#[test]
fn a_months_last_day_survives_a_server_that_reads_a_bare_date_as_midnight() {
    let mut fixture = Fixture::freelancer(Size::small());
    fixture.quirks.bare_date_is_midnight = true;
    let today = fixture.today;
    let org = fixture.org_mut(FREELANCER);
    let template = org.transactions[0].clone();
    // The last day of every month of the history, late in the day, and the
    // first second of the next month.
    let mut month =
        NaiveDate::from_ymd_opt(org.created.year(), org.created.month(), 1).expect("a month");
    let mut n = 0;
    let mut extra: Vec<Transaction> = Vec::new();
    while let Some(next) = month.checked_add_months(chrono::Months::new(1)) {
        let last = next.pred_opt().expect("a day");
        for (h, m, s) in [(18, 30, 0), (23, 59, 59), (24, 0, 0)] {
            let at = Utc.from_utc_datetime(&last.and_hms_opt(0, 0, 0).expect("midnight"))
                + Duration::seconds(h * 3_600 + m * 60 + s);
            if at < today {
                n += 1;
                extra.push(Transaction {
                    id: format!("boundary-{n}"),
                    date: at,
                    ..template.clone()
                });
            }
        }
        month = next;
        if month > today.date_naive() {
            break;
        }
    }
    assert!(extra.len() > 30);
    org.transactions.extend(extra);
    org.transactions.sort_by_key(|t| t.date);
    let want: BTreeSet<String> = org.transactions.iter().map(|t| t.id.clone()).collect();
    let server = TestServer::start(fixture);
    let platform = connect(&server);
    let got: Vec<String> = platform
        .transactions(FREELANCER)
        .expect("transactions")
        .map(|t| t.expect("a transaction").id)
        .collect();
    assert_eq!(got.len(), want.len(), "each once");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
}

#[test]
fn a_transaction_sent_with_two_months_is_kept_once() {
    let mut fixture = Fixture::freelancer(Size::small());
    fixture.quirks.range_end_spills_a_day = true;
    let org = fixture.org_mut(FREELANCER);
    // Rows on the first day of months, which the month before also gets.
    let firsts = org
        .transactions
        .iter()
        .filter(|t| t.date.day() == 1)
        .count();
    assert!(firsts > 0, "the fixture has rows on a month's first day");
    let want: BTreeSet<String> = org.transactions.iter().map(|t| t.id.clone()).collect();
    let server = TestServer::start(fixture);
    let platform = connect(&server);
    let got: Vec<String> = platform
        .transactions(FREELANCER)
        .expect("transactions")
        .map(|t| t.expect("a transaction").id)
        .collect();
    assert_eq!(got.len(), want.len(), "each once");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
}

// ------------------------------------------------------------------ refusals

/// Each query refused in the wording real accounts get names the
/// permission to enable as Upwork's API Center names it.
#[test]
fn authorization_failed_names_the_permission_by_its_api_center_name() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    let api = platform.api();
    let cases = [
        ("RoomList", "\"Messaging\""),
        ("RoomStories", "\"Messaging\""),
        (
            "TransactionHistory",
            "\"Payments\" with \"Read transaction data\"",
        ),
        (
            "AccountingEntity",
            "\"Payments\" with \"Read transaction data\"",
        ),
        ("VendorProposals", "\"Talent Profile\""),
        ("WorkHistory", "\"Talent Profile\""),
        ("FreelancerProfile", "\"Talent Profile\""),
        ("TimeReport", "\"TimeSheet - Read-Only\""),
        ("Offers", "\"Offer - Read-Only\""),
        ("ContractList", "\"Contract - R/W\""),
        ("VendorContracts", "\"Contract - R/W\""),
    ];
    for (i, (operation, name)) in cases.iter().enumerate() {
        let query = QUERIES
            .iter()
            .find(|q| q.operation == *operation)
            .expect("a query");
        // Both shapes: errors alone, and a null root with the error.
        let body = if i % 2 == 0 {
            json!({ "errors": [{ "message": "Authorization failed" }] })
        } else {
            json!({
                "data": { query.field: null },
                "errors": [{ "message": "Authorization failed", "path": [query.field] }],
            })
        };
        server.fail_next(operation, Failure::Body(body.to_string()));
        let error = api
            .query(query, json!({}), Some(FREELANCER))
            .expect_err("refused");
        assert!(
            matches!(error, ApiError::Forbidden { .. }),
            "{operation}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("enable the {name} permission"))
                && message.contains("API Center")
                && message.contains(query.field),
            "{operation}: {message}"
        );
        assert!(!message.contains("Read-Only Access"), "{message}");
    }
}

#[test]
fn an_html_403_is_a_blocked_network_not_a_missing_permission() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    server.fail_next("RoomList", Failure::Page(403));
    let error = match platform.rooms(FREELANCER).expect("rooms").next() {
        Some(Err(error)) => error.to_string(),
        other => panic!("expected an error, got {other:?}"),
    };
    assert!(
        error.contains("roomList")
            && error.contains("not a missing permission")
            && error.contains("another network")
            && error.contains("try again later"),
        "{error}"
    );
    assert!(!error.contains("enable the"), "{error}");
}

#[test]
fn every_request_names_offboard_its_version_and_home_page() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    platform.pending_work(FREELANCER).expect("a review");
    let seen = server.seen();
    assert!(seen.len() > 10);
    for s in &seen {
        let agent = s.user_agent.as_deref().unwrap_or_default();
        assert_eq!(agent, USER_AGENT, "{}", s.operation);
    }
    assert!(USER_AGENT.starts_with(&format!("Offboard/{}", env!("CARGO_PKG_VERSION"))));
    assert!(USER_AGENT.contains(HOME_PAGE));
}

#[test]
fn a_time_report_refused_as_authorization_failed_falls_back_to_payments() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let platform = connect(&server);
    server.fail_next(
        "TimeReport",
        Failure::Body(json!({ "errors": [{ "message": "Authorization failed" }] }).to_string()),
    );
    assert!(
        platform
            .time_report(FREELANCER)
            .expect("a fallback, not an error")
            .is_none()
    );
    let warnings = platform.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("refused the time report")
                && w.contains("\"TimeSheet - Read-Only\"")
                && w.contains("hours worked out from hourly payments")),
        "{warnings:?}"
    );
    // The organisation asked for is the freelancer's own, from
    // companySelector, in the filter and the tenant header alike; the one
    // refused request ended the report.
    let asked: Vec<_> = server
        .seen()
        .into_iter()
        .filter(|s| s.operation.starts_with("TimeReport"))
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].tenant.as_deref(), Some(FREELANCER));
    let reads = server.reads("TimeReport");
    assert!(!reads.is_empty());
    assert!(
        reads
            .iter()
            .all(|r| r["filter"]["organizationId_eq"] == json!(FREELANCER))
    );
    let listed = server.seen_for("Session");
    assert!(
        listed[0]
            .answer
            .as_ref()
            .is_some_and(|a| a["data"]["companySelector"]["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|i| i["organizationId"] == FREELANCER))),
        "the id comes from companySelector"
    );
}

/// The report is read in full before a line of it is written: a refusal
/// that comes only on a later request (after pages of it arrived) still
/// gives hours from payments for the whole file, and the export finishes.
#[test]
fn a_time_report_refused_part_way_through_falls_back_and_the_export_finishes() {
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    // How many requests the whole report takes, so a refusal can come on a
    // later one.
    let whole = connect(&server)
        .time_report(FREELANCER)
        .expect("a report")
        .expect("not refused")
        .count();
    assert!(whole > 0);
    let requests = server
        .seen()
        .iter()
        .filter(|s| s.operation.starts_with("TimeReport"))
        .count();
    assert!(requests >= 2, "the report takes {requests} request(s)");

    let platform = connect(&server);
    server.fail_next("TimeReport", Failure::Delay(std::time::Duration::ZERO));
    server.fail_next(
        "TimeReport",
        Failure::Body(json!({ "errors": [{ "message": "Authorization failed" }] }).to_string()),
    );
    let folder = tempfile::tempdir().expect("a folder");
    let record = offboard::export::export_account(
        &platform,
        FREELANCER,
        folder.path(),
        server.fixture().today,
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("the export finishes");
    let hours = std::fs::read_to_string(record.folder.join("time-reports.csv")).expect("hours");
    let header = hours
        .lines()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        header.contains("week"),
        "weekly hours from payments: {header}"
    );
    let warnings = platform.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("refused the time report") && w.contains("TimeSheet")),
        "{warnings:?}"
    );
}
