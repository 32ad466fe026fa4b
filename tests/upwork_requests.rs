//! What a review and a full export of a five-year account cost in requests,
//! and that the ways of spending fewer (aliases, reusing what the review
//! read) change no record of the export.

#[path = "support/upwork_server.rs"]
mod upwork_server;

use offboard::export::{Manifest, export_account};
use offboard::model::account::PaymentStatus;
use offboard::platform::Platform;
use offboard::platform::upwork::api::{ApiConfig, StaticToken, UpworkApi, UpworkPlatform};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use upwork_server::{Fixture, Size, TOKEN, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Requests a review and an export of `Size::large()` took before aliases
/// and reuse (the README's benchmark table, measured with the strict
/// window): the issue asked for at most half.
const REQUESTS_BEFORE: usize = 760;

fn connect(server: &TestServer) -> Result<UpworkPlatform, Box<dyn std::error::Error>> {
    let config = ApiConfig {
        base_url: server.url.clone(),
        // No limit: this counts requests, it does not time them.
        requests_per_second: 0.0,
        ..ApiConfig::default()
    };
    let api = UpworkApi::new(config, Arc::new(StaticToken(TOKEN.into())))?;
    Ok(UpworkPlatform::connect(api, server.fixture().today)?)
}

/// Path, records and SHA-256 of every file of an export.
type ExportedFiles = BTreeSet<(String, u64, String)>;

/// Every file of an export but the page (it names the export's moment).
fn export(
    platform: &UpworkPlatform,
    server: &TestServer,
) -> Result<ExportedFiles, Box<dyn std::error::Error>> {
    let account = server.fixture().orgs[0].id.clone();
    let folder = tempfile::tempdir()?;
    let record = export_account(
        platform,
        &account,
        folder.path(),
        server.fixture().today,
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let manifest = Manifest::read(&record.folder).map_err(|e| format!("{e:?}"))?;
    Ok(manifest
        .files
        .iter()
        .filter(|f| f.path != "index.html")
        .map(|f| (f.path.clone(), f.records, f.sha256.clone()))
        .collect())
}

/// Requests per operation from `from` on.
fn by_operation(server: &TestServer, from: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for seen in server.seen().iter().skip(from) {
        *counts.entry(seen.operation.clone()).or_default() += 1;
    }
    counts
}

#[test]
fn a_review_and_export_of_a_five_year_account_take_under_half_the_requests() -> TestResult {
    let server = TestServer::start_with(Fixture::freelancer(Size::large()), false);
    let platform = connect(&server)?;
    let account = server.fixture().orgs[0].id.clone();
    let work = platform.pending_work(&account)?;
    let reviewed = server.seen().len();
    let files = export(&platform, &server)?;
    // Every message of every room, as the server holds them.
    let messages: u64 = files
        .iter()
        .filter(|f| f.0.starts_with("messages/") && f.0.ends_with(".json"))
        .map(|f| f.1)
        .sum();
    let org = &server.fixture().orgs[0];
    let held: usize = org.rooms.iter().map(|r| r.stories.len()).sum();
    assert_eq!(messages, held as u64);
    let total = server.seen().len();
    println!("all:    {:?}", by_operation(&server, 0));
    println!("export: {:?}", by_operation(&server, reviewed));
    println!("requests: {reviewed} for the review, {total} in all (before: {REQUESTS_BEFORE})");
    assert!(
        total * 2 <= REQUESTS_BEFORE,
        "{total} requests, more than half of {REQUESTS_BEFORE}"
    );

    // The export walked no room list again, and read again only the
    // months of transactions that can still change: this one and those
    // holding money in review, pending or unpaid.
    let export = by_operation(&server, reviewed);
    assert_eq!(export.get("RoomList"), None, "{export:?}");
    let today = server.fixture().today;
    let month = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m").to_string();
    let mut changing: BTreeSet<String> = work
        .unsettled
        .iter()
        .filter(|t| t.status != PaymentStatus::Available)
        .map(|t| month(t.date))
        .collect();
    changing.insert(month(today));
    let read_again: BTreeSet<String> = server
        .reads("TransactionHistory")
        .iter()
        .skip(upwork_server::months_of_history(server.fixture(), &account) as usize)
        .filter_map(|r| {
            r["filter"]["transactionDateTime_bt"]["rangeStart"]
                .as_str()
                .map(|s| s[..7].to_string())
        })
        .collect();
    assert_eq!(read_again, changing);
    Ok(())
}

#[test]
fn aliases_and_reuse_change_no_record_of_the_export() -> TestResult {
    let mut size = Size::large();
    // Enough of everything for several aliased requests of each kind, and
    // quick to serve three times.
    size.years = 3;
    size.rooms = 60;
    size.messages_per_room = 70;
    // Aliases, and what the review read.
    let server = TestServer::start_with(Fixture::freelancer(size), false);
    let platform = connect(&server)?;
    let account = server.fixture().orgs[0].id.clone();
    platform.pending_work(&account)?;
    let reused = export(&platform, &server)?;
    let cheap = server.seen().len();

    // Aliases, nothing reused.
    let server = TestServer::start_with(Fixture::freelancer(size), false);
    let fresh = export(&connect(&server)?, &server)?;
    assert!(server.seen().iter().any(|s| s.operation.ends_with("Batch")));

    // One read a request: a server that refuses aliased documents.
    let mut fixture = Fixture::freelancer(size);
    fixture.quirks.refuse_batched_documents = true;
    let server = TestServer::start_with(fixture, false);
    let platform = connect(&server)?;
    platform.pending_work(&account)?;
    let one_by_one = export(&platform, &server)?;
    let dear = server.seen().len();

    assert!(reused.iter().any(|f| f.1 > 0));
    assert_eq!(
        reused, fresh,
        "reusing the review's reads changed the export"
    );
    assert_eq!(reused, one_by_one, "aliases changed the export");
    assert!(cheap * 2 < dear, "{cheap} requests against {dear}");
    Ok(())
}
