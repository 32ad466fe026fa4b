//! Against a server that enforces Upwork's limit strictly (at most 10
//! requests in any sliding second, a 429 beyond), the client keeps under it
//! with a margin and loses nothing when it is refused.

#[path = "support/upwork_server.rs"]
mod upwork_server;

use offboard::export::export_account;
use offboard::platform::Platform;
use offboard::platform::upwork::api::{ApiConfig, StaticToken, UpworkApi, UpworkPlatform};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use upwork_server::{Fixture, Size, TOKEN, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn platform(server: &TestServer, rate: f64) -> Result<UpworkPlatform, Box<dyn std::error::Error>> {
    let config = ApiConfig {
        base_url: server.url.clone(),
        requests_per_second: rate,
        backoff_base: Duration::from_millis(50),
        ..ApiConfig::default()
    };
    let api = UpworkApi::new(config, Arc::new(StaticToken(TOKEN.into())))?;
    Ok(UpworkPlatform::connect(api, server.fixture().today)?)
}

/// The manifest's file table (path, records) of an export of `platform`.
fn exported(
    platform: &UpworkPlatform,
    account: &str,
) -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    let folder = tempfile::tempdir()?;
    let record = export_account(
        platform,
        account,
        folder.path(),
        platform_today(platform),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let manifest =
        offboard::export::Manifest::read(&record.folder).map_err(|e| format!("{e:?}"))?;
    let mut files: Vec<_> = manifest
        .files
        .iter()
        .filter(|f| f.path != "index.html")
        .map(|f| (f.path.clone(), f.records))
        .collect();
    files.sort();
    Ok(files)
}

fn platform_today(_: &UpworkPlatform) -> chrono::DateTime<chrono::Utc> {
    Fixture::freelancer(Size::small()).today
}

#[test]
fn a_strict_limit_is_kept_with_a_margin() -> TestResult {
    let server = TestServer::start_with(Fixture::freelancer(Size::small()), false);
    server.enforce_rate(10, Duration::from_secs(1));
    let platform = platform(&server, 10.0)?;
    let account = server.fixture().orgs[0].id.clone();
    platform.pending_work(&account)?;
    let files = exported(&platform, &account)?;
    assert!(!files.is_empty());
    let requests = platform.requests_made();
    let refused = server.refused_by_rate();
    // Slots 4% wider than 100 ms stay under the window even with the
    // jitter of a busy machine; a refusal now and then is retried.
    assert!(
        refused * 20 <= requests,
        "{refused} of {requests} requests were refused"
    );
    Ok(())
}

#[test]
fn a_client_that_overshoots_backs_off_and_loses_nothing() -> TestResult {
    // Without a limit: the records to expect.
    let free = TestServer::start_with(Fixture::freelancer(Size::small()), false);
    let account = free.fixture().orgs[0].id.clone();
    let expected = exported(&platform(&free, 0.0)?, &account)?;

    // A client set to twice what the server allows is refused, widens its
    // slots after each 429 and still brings every record.
    let strict = TestServer::start_with(Fixture::freelancer(Size::small()), false);
    strict.enforce_rate(10, Duration::from_secs(1));
    let platform = platform(&strict, 20.0)?;
    assert_eq!(exported(&platform, &account)?, expected);
    let refused = strict.refused_by_rate();
    let requests = platform.requests_made();
    assert!(
        refused > 0,
        "the server never refused: the test tests nothing"
    );
    // Widening after each refusal keeps them a small share.
    assert!(
        refused * 4 < requests,
        "{refused} of {requests} requests were refused"
    );
    Ok(())
}
