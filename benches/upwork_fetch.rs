//! Upwork fetch benchmark: a large account (five years at 1,800 transactions
//! a year, 300 contracts, 400 rooms of 50 messages) served by the local
//! stand-in server, fetched by a client limited to 10 requests a second, as
//! the wizard does it: connect, the pending-work review, then the export of
//! everything into a temporary folder.
//!
//! The server enforces Upwork's limit strictly: at most 10 requests in any
//! sliding second, a 429 beyond. The floor is what the rate limit alone
//! costs: requests ÷ 10 per second. The ratio wall ÷ floor shows what the
//! client adds on top (target ≤ 1.1), and the 429s how often it overshot
//! (target < 1% of requests).
//!
//! Run: `cargo bench --bench upwork_fetch`.

#[path = "../tests/support/upwork_server.rs"]
mod upwork_server;

use offboard::export::export_account;
use offboard::model::review::assess;
use offboard::platform::Platform;
use offboard::platform::upwork::api::{ApiConfig, StaticToken, UpworkApi, UpworkPlatform};
use offboard::platform::upwork::profile::UPWORK_API;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use upwork_server::{Fixture, Size, TOKEN, TestServer};

const RATE: f64 = 10.0;
const TARGET: f64 = 1.1;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("upwork_fetch: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let fixture = Fixture::freelancer(Size::large());
    let today = fixture.today;
    let account = fixture.orgs[0].id.clone();
    println!("account: {}", upwork_server::describe(&fixture));
    let server = TestServer::start_with(fixture, false);
    server.enforce_rate(10, Duration::from_secs(1));

    let config = ApiConfig {
        base_url: server.url.clone(),
        requests_per_second: RATE,
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(30),
        ..ApiConfig::default()
    };
    let api = UpworkApi::new(config, Arc::new(StaticToken(TOKEN.into())))?;
    let started = Instant::now();

    let platform = UpworkPlatform::connect(api, today)?;
    let connected = started.elapsed();

    let work = platform.pending_work(&account)?;
    let review = assess(&UPWORK_API, &work, today);
    let reviewed = started.elapsed();
    let review_requests = platform.requests_made();

    let folder = tempfile::tempdir()?;
    let summary = export_account(
        &platform,
        &account,
        folder.path(),
        today,
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let wall = started.elapsed();

    let requests = platform.requests_made();
    let floor = Duration::from_secs_f64(requests as f64 / RATE);
    let ratio = wall.as_secs_f64() / floor.as_secs_f64();
    println!(
        "connect: {:.2} s; review: {} blockers, {} requests by {:.2} s",
        connected.as_secs_f64(),
        review.blocker_count(),
        review_requests,
        reviewed.as_secs_f64()
    );
    println!("exported: {summary:?}");
    let warnings = platform.warnings();
    if !warnings.is_empty() {
        println!("warnings: {warnings:#?}");
    }
    let refused = server.refused_by_rate();
    let refused_share = refused as f64 / requests.max(1) as f64;
    println!("requests made: {requests}");
    println!(
        "429 answers:   {refused} ({:.2}% of requests; target < 1%)",
        refused_share * 100.0
    );
    println!("wall time:     {:.2} s", wall.as_secs_f64());
    println!(
        "floor:         {:.2} s ({requests} requests at {RATE} per second)",
        floor.as_secs_f64()
    );
    println!("wall / floor:  {ratio:.3} (target ≤ {TARGET})");
    let accounts = platform.accounts()?.len();
    drop(platform);
    drop(server);
    Ok(accounts > 0 && ratio <= TARGET && refused_share < 0.01)
}
