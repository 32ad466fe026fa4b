//! The `offboard` binary driven as a user would from a shell.

#[path = "support/upwork_server.rs"]
mod upwork_server;

use std::path::Path;
use std::process::{Command, Output};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn offboard(state_dir: &Path, args: &[&str]) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_offboard"))
        .arg("--state-dir")
        .arg(state_dir)
        .args(args)
        .output()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_describes_every_command() -> TestResult {
    let state = tempfile::tempdir()?;
    let out = offboard(state.path(), &["--help"])?;
    assert!(out.status.success());
    let text = stdout(&out);
    for command in ["review", "export", "verify", "--state-dir"] {
        assert!(
            text.contains(command),
            "--help does not mention {command}:\n{text}"
        );
    }
    let out = offboard(state.path(), &["review", "--help"])?;
    let text = stdout(&out);
    assert!(
        text.contains("--platform") && text.contains("--account") && text.contains("--json"),
        "{text}"
    );
    Ok(())
}

#[test]
fn review_json_lists_items_and_balances() -> TestResult {
    let state = tempfile::tempdir()?;
    let out = offboard(
        state.path(),
        &[
            "review",
            "--platform",
            "demo",
            "--account",
            "freelancer",
            "--json",
        ],
    )?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(review["platform"], "demo");
    assert_eq!(review["account"]["username"], "maya_okafor");
    let items = review["items"].as_array().ok_or("items is not an array")?;
    for item in items {
        for field in ["id", "kind", "severity", "title", "how_to_resolve"] {
            assert!(item[field].is_string(), "item without {field}: {item}");
        }
        let severity = item["severity"].as_str().unwrap_or_default();
        assert!(
            severity == "blocker" || severity == "advisory",
            "{severity}"
        );
    }
    let kinds: Vec<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "active-contract").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "paused-contract").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "open-proposal").count(), 3);
    assert!(kinds.contains(&"earnings-in-review"));
    assert!(kinds.contains(&"available-balance"));
    assert!(kinds.contains(&"escrow-milestone"));
    let available: f64 = review["balances"]["available"]
        .as_str()
        .ok_or("available is not a string")?
        .parse()?;
    assert!(available > 0.0);
    assert_eq!(review["balances"]["currency"], "USD");
    Ok(())
}

#[test]
fn review_text_names_blockers_and_how_to_resolve() -> TestResult {
    let state = tempfile::tempdir()?;
    for (account, expected) in [
        ("freelancer", "Open proposal"),
        ("client", "Open job post"),
        ("agency", "Team member"),
    ] {
        let out = offboard(state.path(), &["review", "--account", account])?;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Blockers ("), "{text}");
        assert!(text.contains(expected), "{account}: {text}");
        assert!(text.contains("Earliest closing date"), "{text}");
    }
    Ok(())
}

#[test]
fn unknown_account_or_platform_says_what_to_do() -> TestResult {
    let state = tempfile::tempdir()?;
    let out = offboard(state.path(), &["review", "--account", "nobody"])?;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no account \"nobody\""),
        "{}",
        stderr(&out)
    );
    let out = offboard(
        state.path(),
        &["review", "--platform", "myspace", "--account", "x"],
    )?;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown platform"),
        "{}",
        stderr(&out)
    );
    Ok(())
}

#[test]
fn export_then_verify_round_trip() -> TestResult {
    let state = tempfile::tempdir()?;
    let out_dir = tempfile::tempdir()?;
    let out = offboard(
        state.path(),
        &[
            "export",
            "--account",
            "client",
            "--out",
            &out_dir.path().display().to_string(),
            "--quiet",
        ],
    )?;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "--quiet printed: {}", stderr(&out));
    let folder = stdout(&out).trim().to_string();
    assert!(Path::new(&folder).join("manifest.json").is_file());
    let out = offboard(state.path(), &["verify", &folder])?;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("OK"), "{}", stdout(&out));

    // A changed byte is named by file, with a non-zero exit.
    let contracts = Path::new(&folder).join("contracts.json");
    let mut bytes = std::fs::read(&contracts)?;
    if let Some(b) = bytes.iter_mut().find(|b| b.is_ascii_alphabetic()) {
        *b ^= 0x20;
    }
    std::fs::write(&contracts, bytes)?;
    let out = offboard(state.path(), &["verify", &folder])?;
    assert!(!out.status.success());
    assert!(stdout(&out).contains("contracts.json"), "{}", stdout(&out));
    Ok(())
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upwork-csv")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn upwork_csv_review_reads_downloaded_files() -> TestResult {
    let state = tempfile::tempdir()?;
    let out = offboard(
        state.path(),
        &[
            "review",
            "--platform",
            "upwork-csv",
            "--csv",
            &fixture("statements_2026-01-01_2026-10-15.csv"),
            "--csv",
            &fixture("transaction-history_2026-10-01_2026-11-23.csv"),
            "--json",
        ],
    )?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(review["platform"], "upwork-csv");
    let kinds: Vec<&str> = review["items"]
        .as_array()
        .ok_or("items is not an array")?
        .iter()
        .filter_map(|i| i["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"available-balance"), "{kinds:?}");
    Ok(())
}

#[test]
fn upwork_csv_reads_an_agency_file_and_takes_the_kind_the_user_gives() -> TestResult {
    let state = tempfile::tempdir()?;
    let agency = fixture("agency_transaction-history_2026-09-01_2026-11-23.csv");
    let kind_of = |extra: &[&str]| -> Result<String, Box<dyn std::error::Error>> {
        let mut args = vec![
            "review",
            "--platform",
            "upwork-csv",
            "--csv",
            &agency,
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = offboard(state.path(), &args)?;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let review: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        Ok(review["account"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    };
    assert_eq!(kind_of(&[])?, "agency");
    assert_eq!(kind_of(&["--csv-kind", "freelancer"])?, "freelancer");
    let out = offboard(
        state.path(),
        &[
            "review",
            "--platform",
            "upwork-csv",
            "--csv",
            &agency,
            "--csv-kind",
            "boss",
        ],
    )?;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("use freelancer, client or agency"),
        "{}",
        stderr(&out)
    );
    Ok(())
}

#[test]
fn upwork_csv_broken_file_names_file_line_and_column() -> TestResult {
    let state = tempfile::tempdir()?;
    let out = offboard(
        state.path(),
        &[
            "review",
            "--platform",
            "upwork-csv",
            "--csv",
            &fixture("broken-bad-number.csv"),
        ],
    )?;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("broken-bad-number.csv, line"), "{err}");
    assert!(err.contains("column"), "{err}");
    let out = offboard(state.path(), &["review", "--platform", "upwork-csv"])?;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--csv FILE"), "{}", stderr(&out));
    Ok(())
}

#[test]
fn upwork_without_a_key_says_how_to_connect() -> TestResult {
    let state = tempfile::tempdir()?;
    let missing = state.path().join("no-such-token");
    let out = offboard(
        state.path(),
        &[
            "review",
            "--platform",
            "upwork",
            "--api-base",
            "http://127.0.0.1:9/graphql",
            "--access-token-file",
            &missing.display().to_string(),
        ],
    )?;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("could not read the access token"),
        "{}",
        stderr(&out)
    );
    Ok(())
}

/// The whole headless path against a local GraphQL server: review and
/// export with --api-base and --access-token-file, then verify.
#[test]
fn upwork_review_and_export_against_a_local_server() -> TestResult {
    use upwork_server::{Fixture, Size, TOKEN, TestServer};
    let server = TestServer::start(Fixture::freelancer(Size::small()));
    let state = tempfile::tempdir()?;
    let token = state.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n"))?;
    let token = token.display().to_string();
    let base = [
        "--platform",
        "upwork",
        "--api-base",
        server.url.as_str(),
        "--access-token-file",
        token.as_str(),
    ];

    let mut args = vec!["review"];
    args.extend(base);
    args.push("--json");
    let out = offboard(state.path(), &args)?;
    // Several organisations: the command says which to choose.
    let account = if out.status.success() {
        let review: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(review["platform"], "upwork");
        review["account"]["id"]
            .as_str()
            .ok_or("no account id")?
            .to_string()
    } else {
        let err = stderr(&out);
        assert!(err.contains("choose an account with --account"), "{err}");
        let first = err
            .split("--account: ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .ok_or("no account listed")?;
        first.to_string()
    };

    let out_dir = tempfile::tempdir()?;
    let out_path = out_dir.path().display().to_string();
    let mut args = vec!["export"];
    args.extend(base);
    args.extend([
        "--account",
        account.as_str(),
        "--out",
        out_path.as_str(),
        "--quiet",
    ]);
    let out = offboard(state.path(), &args)?;
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = stdout(&out).trim().to_string();
    let out = offboard(state.path(), &["verify", &folder])?;
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(Path::new(&folder).join("transactions.csv").is_file());
    // Hours come from Upwork's own time report, a line per contract and day.
    let hours = std::fs::read_to_string(Path::new(&folder).join("time-reports.csv"))?;
    let mut lines = hours.lines();
    assert_eq!(
        lines.next(),
        Some("Date,Contract ID,Contract Title,Counterparty,Hours,Amount $,Memo")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row.contains(",2.50,")), "{hours}");
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        Path::new(&folder).join("manifest.json"),
    )?)?;
    let listed = manifest["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == "time-reports.csv"))
        .ok_or("time-reports.csv is not in the manifest")?;
    assert_eq!(listed["records"], rows.len());
    Ok(())
}
