//! Export an account, verify it, and check that every record arrived.

#[path = "support/quiet_export.rs"]
mod quiet_export;
use quiet_export::export_quietly;

use chrono::{DateTime, TimeZone, Utc};
use offboard::export::{
    self, ExportError, ExportProgress, Manifest, RECEIPT_JSON, RECEIPT_TEXT, VerifyReport,
    export_account, latest_unfinished, verify, write_closing_file,
};
use offboard::platform::Platform;
use offboard::platform::demo::DemoPlatform;
use offboard::platform::synthetic::{SyntheticPlatform, SyntheticSize};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 5).unwrap()
}

fn read_manifest(dir: &Path) -> Result<Manifest, Box<dyn std::error::Error>> {
    Ok(serde_json::from_slice(&std::fs::read(
        dir.join("manifest.json"),
    )?)?)
}

fn assert_ok(report: &VerifyReport) {
    assert!(
        report.is_ok(),
        "verify found problems: {:#?}",
        report.problems
    );
}

/// The manifest's record count per section equals what the platform counts.
fn assert_counts_match(platform: &dyn Platform, account: &str, manifest: &Manifest) -> TestResult {
    let counts = platform.counts(account)?;
    let section = |name: &str| manifest.section_records(name);
    assert_eq!(section("contracts"), counts.contracts, "contracts");
    assert_eq!(section("proposals"), counts.proposals, "proposals");
    assert_eq!(section("offers"), counts.offers, "offers");
    assert_eq!(section("job-posts"), counts.job_posts, "job posts");
    assert_eq!(section("team"), counts.team, "team");
    assert_eq!(section("feedback"), counts.feedback, "feedback");
    assert_eq!(section("transactions"), counts.transactions, "transactions");
    assert_eq!(section("disputes"), counts.disputes, "disputes");
    assert_eq!(section("messages"), counts.messages, "messages");
    let room_files = manifest
        .files
        .iter()
        .filter(|f| f.section == "messages" && f.path.ends_with(".json"))
        .count() as u64;
    assert_eq!(room_files, counts.rooms, "rooms");
    assert_eq!(manifest.totals.rooms, counts.rooms, "rooms in totals");
    Ok(())
}

#[test]
fn every_demo_account_round_trips() -> TestResult {
    let demo = DemoPlatform::new(now(), &[])?;
    for account in ["freelancer", "client", "agency"] {
        let parent = tempfile::tempdir()?;
        let summary = export_quietly(&demo, account, parent.path(), now())?;
        assert_eq!(
            summary.folder,
            parent
                .path()
                .join(format!("offboard-demo-{account}-20260414-093005"))
        );
        let report = verify(&summary.folder);
        assert_ok(&report);
        assert_eq!(report.files_checked, summary.files);
        assert_eq!(report.records, summary.records);
        let manifest = read_manifest(&summary.folder)?;
        assert!(manifest.complete);
        assert_eq!(manifest.account.id, account);
        assert_eq!(manifest.platform, "demo");
        assert_eq!(manifest.offboard_version, env!("CARGO_PKG_VERSION"));
        assert_eq!(manifest.started, now());
        assert!(manifest.finished.is_some_and(|f| f >= now()));
        assert_counts_match(&demo, account, &manifest)?;
        // The manifest hash in the summary is the file's.
        let manifest_bytes = std::fs::read(summary.folder.join("manifest.json"))?;
        assert_eq!(summary.manifest_sha256, sha256_hex(&manifest_bytes));
        let paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
        for required in [
            "profile.json",
            "contracts.json",
            "contracts.csv",
            "proposals.json",
            "proposals.csv",
            "offers.json",
            "feedback.json",
            "feedback.csv",
            "time-reports.csv",
            "transactions.json",
            "transactions.csv",
            "index.html",
        ] {
            assert!(
                paths.contains(&required),
                "{account}: {required} missing from {paths:?}"
            );
        }
        let counts = demo.counts(account)?;
        assert_eq!(
            paths.contains(&"job-posts.json"),
            counts.job_posts > 0,
            "{account}: job posts"
        );
        assert_eq!(
            paths.contains(&"team.json"),
            counts.team > 0,
            "{account}: team"
        );
        assert_eq!(
            paths.contains(&"disputes.json"),
            counts.disputes > 0,
            "{account}: disputes"
        );
    }
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn transactions_csv_has_upworks_columns() -> TestResult {
    let demo = DemoPlatform::new(now(), &[])?;
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(&demo, "freelancer", parent.path(), now())?;
    let mut reader = csv::Reader::from_path(summary.folder.join("transactions.csv"))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    assert_eq!(
        header.join(","),
        "Date,Transaction ID,Transaction Type,Transaction Summary,Transaction Summary Details,\
         Description 1,Description 2,Description 3,Entered Description,Agency,Freelancer,Team,\
         Account Name,PO,Ref ID,Amount $,Amount in local currency,Currency,Current Balance $,Payment Method"
    );
    let amount = header
        .iter()
        .position(|h| h == "Amount $")
        .ok_or("no Amount $")?;
    let mut rows = 0;
    for row in reader.records() {
        let row = row?;
        row[amount].parse::<f64>()?;
        rows += 1;
    }
    assert_eq!(rows, demo.counts("freelancer")?.transactions);
    Ok(())
}

#[test]
fn a_synthetic_account_round_trips_and_reports_progress() -> TestResult {
    let platform = SyntheticPlatform::new(11, SyntheticSize::small(), now());
    let parent = tempfile::tempdir()?;
    let mut reports: Vec<ExportProgress> = Vec::new();
    let summary = export_account(
        &platform,
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
        &mut |p| reports.push(p.clone()),
        &AtomicBool::new(false),
    )?;
    assert_ok(&verify(&summary.folder));
    let manifest = read_manifest(&summary.folder)?;
    assert_counts_match(&platform, SyntheticPlatform::ACCOUNT, &manifest)?;
    let last = reports.last().ok_or("no progress")?;
    assert_eq!(last.sections_done, last.sections_total);
    assert_eq!(last.records, summary.records);
    assert!(
        reports
            .windows(2)
            .all(|w| w[0].bytes <= w[1].bytes && w[0].sections_done <= w[1].sections_done)
    );
    for section in ["profile", "contracts", "transactions", "messages", "index"] {
        assert!(
            reports.iter().any(|p| p.section == section),
            "no progress for {section}"
        );
    }
    Ok(())
}

#[test]
fn a_cancelled_export_resumes_where_it_stopped() -> TestResult {
    let platform = SyntheticPlatform::new(5, SyntheticSize::small(), now());
    let account = SyntheticPlatform::ACCOUNT;
    let parent = tempfile::tempdir()?;
    let cancel = AtomicBool::new(false);
    let result = export_account(
        &platform,
        account,
        parent.path(),
        now(),
        &mut |p| {
            if p.section == "transactions" {
                cancel.store(true, Ordering::SeqCst);
            }
        },
        &cancel,
    );
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    let unfinished = latest_unfinished(
        parent.path(),
        &offboard::model::account::DEFAULT_PLATFORM,
        account,
    )
    .ok_or("not resumable")?;
    let report = verify(&unfinished);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.file == "manifest.json" && p.problem.contains("not complete"))
    );
    let before = read_manifest(&unfinished)?;
    assert!(before.is_section_finished("feedback") && !before.is_section_finished("transactions"));
    let contracts_before = std::fs::metadata(unfinished.join("contracts.json"))?.modified()?;

    // Exporting again into the same parent picks the unfinished export up.
    let mut first_report = None;
    let later = now() + chrono::Duration::hours(1);
    let summary = export_account(
        &platform,
        account,
        parent.path(),
        later,
        &mut |p| {
            first_report.get_or_insert_with(|| p.clone());
        },
        &AtomicBool::new(false),
    )?;
    assert_eq!(summary.folder, unfinished);
    assert!(
        first_report.ok_or("no progress")?.sections_done >= 7,
        "finished sections are skipped"
    );
    assert_eq!(
        std::fs::metadata(unfinished.join("contracts.json"))?.modified()?,
        contracts_before
    );
    assert_ok(&verify(&summary.folder));
    let manifest = read_manifest(&summary.folder)?;
    assert_eq!(manifest.started, now(), "started is the first run's");
    assert_counts_match(&platform, account, &manifest)?;
    assert_eq!(
        latest_unfinished(
            parent.path(),
            &offboard::model::account::DEFAULT_PLATFORM,
            account
        ),
        None
    );
    Ok(())
}

#[test]
fn the_unfinished_folder_itself_can_be_passed_to_resume() -> TestResult {
    let platform = SyntheticPlatform::new(5, SyntheticSize::small(), now());
    let account = SyntheticPlatform::ACCOUNT;
    let parent = tempfile::tempdir()?;
    let cancel = AtomicBool::new(false);
    let stop_at_messages = |p: &ExportProgress| {
        if p.section == "messages" {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let mut stop = stop_at_messages;
    let result = export_account(&platform, account, parent.path(), now(), &mut stop, &cancel);
    assert!(matches!(result, Err(ExportError::Cancelled)));
    let folder = latest_unfinished(
        parent.path(),
        &offboard::model::account::DEFAULT_PLATFORM,
        account,
    )
    .ok_or("not resumable")?;
    let summary = export_quietly(&platform, account, &folder, now())?;
    assert_eq!(summary.folder, folder);
    assert_ok(&verify(&folder));

    // A complete export is never written into again…
    let again = export_quietly(&platform, account, &folder, now());
    assert!(
        matches!(again, Err(ExportError::AlreadyComplete(ref p)) if p == &folder),
        "{again:?}"
    );
    // …and exporting into its parent again makes a new folder beside it.
    let second = export_quietly(&platform, account, parent.path(), now())?;
    assert_ne!(second.folder, folder);
    assert!(second.folder.to_string_lossy().ends_with("-2"));
    assert_ok(&verify(&second.folder));
    Ok(())
}

#[test]
fn the_receipt_lies_beside_a_manifest_that_never_changes() -> TestResult {
    let demo = DemoPlatform::new(now(), &[])?;
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(&demo, "client", parent.path(), now())?;
    let manifest_before = std::fs::read(summary.folder.join("manifest.json"))?;
    let receipt = format!(
        "{{\"export_manifest_sha256\": \"{}\"}}",
        summary.manifest_sha256
    );
    write_closing_file(&summary.folder, RECEIPT_JSON, receipt.as_bytes())?;
    let text = format!(
        "Export:        manifest.json SHA-256 {}\n",
        summary.manifest_sha256
    );
    write_closing_file(&summary.folder, RECEIPT_TEXT, text.as_bytes())?;
    // The hash on the receipt is still the manifest's: closing changed nothing.
    assert_eq!(
        std::fs::read(summary.folder.join("manifest.json"))?,
        manifest_before
    );
    let report = verify(&summary.folder);
    assert_ok(&report);
    assert_eq!(report.files_checked, summary.files);

    // A manifest changed after closing no longer matches its receipts.
    let mut manifest = read_manifest(&summary.folder)?;
    manifest.files.retain(|f| f.path != "index.html");
    std::fs::write(
        summary.folder.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    let report = verify(&summary.folder);
    for name in [RECEIPT_JSON, RECEIPT_TEXT] {
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.file == name && p.problem.contains("changed after closing")),
            "{name}: {:?}",
            report.problems
        );
    }

    // Only the receipt files, and only into a finished export.
    for bad in ["../escape.txt", "manifest.json", "index.html", "notes.txt"] {
        assert!(
            matches!(
                write_closing_file(&summary.folder, bad, b"x"),
                Err(ExportError::InvalidName(_))
            ),
            "{bad}"
        );
    }
    let foreign = tempfile::tempdir()?;
    std::fs::write(foreign.path().join("notes.txt"), "mine")?;
    assert!(matches!(
        write_closing_file(foreign.path(), RECEIPT_JSON, b"{}"),
        Err(ExportError::NotOurs(_))
    ));
    assert!(!foreign.path().join(RECEIPT_JSON).exists());
    Ok(())
}

#[test]
fn index_html_is_self_contained_and_lists_everything() -> TestResult {
    let demo = DemoPlatform::new(now(), &[])?;
    let parent = tempfile::tempdir()?;
    let summary = export_quietly(&demo, "freelancer", parent.path(), now())?;
    let html = std::fs::read_to_string(summary.folder.join("index.html"))?;
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("id=\"search\""));
    assert!(html.contains("Money per year"));
    assert!(html.contains("default-src 'none'"), "no network access");
    for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(
            !html.contains(external),
            "refers to something outside: {external}"
        );
    }
    let profile = demo.profile("freelancer")?;
    assert!(html.contains(&profile.account.display_name));
    let rooms: Vec<_> = demo.rooms("freelancer")?.collect::<Result<_, _>>()?;
    assert_eq!(html.matches("<details class=\"room\"").count(), rooms.len());
    let transactions = demo.counts("freelancer")?.transactions as usize;
    let transactions_table = html
        .split("<section id=\"transactions\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .ok_or("no transactions table")?;
    assert_eq!(
        transactions_table.matches("<tr>").count(),
        transactions + 1,
        "header + one row each"
    );
    // Written in one pass: the summary, whose totals come last, is last
    // in the file (the page's style shows it first).
    let summary_at = html.find("<section id=\"summary\"").ok_or("no summary")?;
    let messages_at = html.find("<section id=\"messages\"").ok_or("no messages")?;
    assert!(summary_at > messages_at, "the summary is written last");
    assert!(html.contains(&format!("data-count-of=\"transactions\">{transactions}<")));
    // A freelancer has no team: no section, and its link is hidden.
    assert_eq!(demo.counts("freelancer")?.team, 0);
    assert!(!html.contains("<section id=\"team\""));
    assert!(html.contains("nav.toc a[data-section=\"team\"]{display:none}"));
    Ok(())
}

#[test]
fn an_export_begun_by_an_earlier_version_drops_its_index_parts() -> TestResult {
    // Earlier versions kept each section's rows of index.html in
    // index-parts/, listed in the manifest under the section.
    let platform = SyntheticPlatform::new(5, SyntheticSize::small(), now());
    let account = SyntheticPlatform::ACCOUNT;
    let parent = tempfile::tempdir()?;
    let cancel = AtomicBool::new(false);
    let mut stop = |p: &ExportProgress| {
        if p.section == "messages" {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let result = export_account(&platform, account, parent.path(), now(), &mut stop, &cancel);
    assert!(matches!(result, Err(ExportError::Cancelled)));
    let folder = latest_unfinished(
        parent.path(),
        &offboard::model::account::DEFAULT_PLATFORM,
        account,
    )
    .ok_or("not resumable")?;
    let part = b"<tr><td>old row</td></tr>\n";
    std::fs::create_dir(folder.join("index-parts"))?;
    std::fs::write(folder.join("index-parts/contracts.html"), part)?;
    let mut manifest = read_manifest(&folder)?;
    let mut entry = manifest
        .files
        .iter()
        .find(|f| f.section == "contracts")
        .ok_or("no contracts file")?
        .clone();
    entry.path = "index-parts/contracts.html".to_string();
    entry.bytes = part.len() as u64;
    entry.sha256 = sha256_hex(part);
    manifest.files.push(entry);
    std::fs::write(
        folder.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;

    let summary = export_quietly(&platform, account, parent.path(), now())?;
    assert_eq!(summary.folder, folder);
    assert_ok(&verify(&folder));
    assert!(!folder.join("index-parts").exists());
    let manifest = read_manifest(&folder)?;
    assert!(
        manifest
            .files
            .iter()
            .all(|f| !f.path.starts_with("index-parts/"))
    );
    let html = std::fs::read_to_string(folder.join("index.html"))?;
    assert!(!html.contains("old row"));
    assert_counts_match(&platform, account, &manifest)?;
    Ok(())
}

#[test]
fn an_export_of_another_account_is_left_alone() -> TestResult {
    let platform = SyntheticPlatform::new(5, SyntheticSize::small(), now());
    let demo = DemoPlatform::new(now(), &[])?;
    let parent = tempfile::tempdir()?;
    let cancel = AtomicBool::new(true);
    // Cancelled before anything: no folder at all.
    let result = export_account(
        &platform,
        SyntheticPlatform::ACCOUNT,
        parent.path(),
        now(),
        &mut |_| {},
        &cancel,
    );
    assert!(matches!(result, Err(ExportError::Cancelled)));
    assert_eq!(std::fs::read_dir(parent.path())?.count(), 0);

    let cancel = AtomicBool::new(false);
    let stop = |p: &ExportProgress| {
        if p.section == "contracts" {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let mut stop = stop;
    let _ = export_account(&demo, "agency", parent.path(), now(), &mut stop, &cancel);
    let agency = latest_unfinished(
        parent.path(),
        &offboard::model::account::DEFAULT_PLATFORM,
        "agency",
    )
    .ok_or("no unfinished export")?;
    let result = export_quietly(&demo, "client", &agency, now());
    assert!(
        matches!(result, Err(ExportError::OtherAccount { .. })),
        "{result:?}"
    );
    // The client's export goes into a folder of its own.
    let client = export_quietly(&demo, "client", parent.path(), now())?;
    assert_ne!(client.folder, agency);
    assert!(
        latest_unfinished(
            parent.path(),
            &offboard::model::account::DEFAULT_PLATFORM,
            "agency"
        )
        .is_some()
    );
    let _ = export::MANIFEST_NAME;
    Ok(())
}
