//! Importing Upwork's transaction-history CSV files: both header
//! generations, files re-saved by a spreadsheet, overlapping downloads, the
//! money review they feed, and every kind of broken file.
//!
//! Fixtures are in `tests/fixtures/upwork-csv/`. The account in them is a
//! freelancer's (Maya Lindqvist); "today" is Monday 23 Nov 2026, 10:00 UTC.
//! Its balance runs from $250.00 before 12 Jan 2026 to $3,124.07 on
//! 21 Nov 2026, of which $432.00 (net hourly, week of 9–15 Nov) is in
//! review until Wed 25 Nov and $1,890.00 (net milestone and bonus of
//! 19–21 Nov) is pending until 24 and 26 Nov.

use chrono::{DateTime, TimeZone, Utc};
use offboard::model::account::{AccountKind, PaymentStatus, Transaction, TransactionKind};
use offboard::model::money::Money;
use offboard::model::review::{ItemKind, Severity, assess};
use offboard::platform::Platform;
use offboard::platform::upwork::csv::{ACCOUNT_ID, CsvImportError, UpworkCsvPlatform};
use std::path::PathBuf;

const OLD: &str = "statements_2026-01-01_2026-10-15.csv";
const NEW: &str = "transaction-history_2026-10-01_2026-11-23.csv";
const NOVEMBER: &str = "transaction-history_2026-11-01_2026-11-23.csv";
const RESAVED: &str = "excel-resaved-semicolons.csv";
/// An agency's file (Fjord Pixel Studio): its members' work is paid to the
/// agency, so the "Agency" column names the account holder.
const AGENCY: &str = "agency_transaction-history_2026-09-01_2026-11-23.csv";

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_else(|| panic!("bad date {y}-{m}-{d}"))
}

fn today() -> DateTime<Utc> {
    at(2026, 11, 23, 10)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upwork-csv")
        .join(name)
}

fn open_at(names: &[&str], now: DateTime<Utc>) -> UpworkCsvPlatform {
    let files: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    UpworkCsvPlatform::open(&files, now).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn open(names: &[&str]) -> UpworkCsvPlatform {
    open_at(names, today())
}

fn error(names: &[&str]) -> (CsvImportError, String) {
    let files: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    match UpworkCsvPlatform::open(&files, today()) {
        Ok(_) => panic!("{names:?} imported, but should have been refused"),
        Err(e) => {
            let message = e.to_string();
            (e, message)
        }
    }
}

fn dollars(cents: i64) -> Money {
    Money::from_cents(cents)
}

fn tx<'a>(p: &'a UpworkCsvPlatform, id: &str) -> &'a Transaction {
    p.transaction_list()
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no transaction {id}"))
}

fn ids(p: &UpworkCsvPlatform) -> Vec<&str> {
    p.transaction_list().iter().map(|t| t.id.as_str()).collect()
}

const REDOWNLOAD: &str = "download the transaction history again from Reports › Transaction \
                          History (Download CSV) and add that file";

#[test]
fn new_generation_file_with_bom_crlf_and_quoting_imports() {
    let p = open(&[NEW]);
    assert_eq!(p.account().id, ACCOUNT_ID);
    assert_eq!(p.account().kind, AccountKind::Freelancer);
    assert_eq!(p.account().display_name, "Maya Lindqvist");
    assert_eq!(p.account().username, "Maya Lindqvist");
    // Newest first in the file, oldest first here; rows of a day in order.
    assert_eq!(
        ids(&p),
        [
            "300000450",
            "300000451",
            "300000480",
            "300000481",
            "300000520",
            "300000521",
            "300000560",
            "300000561",
            "300000590",
            "300000591",
            "300000600",
            "300000610",
            "300000611"
        ]
    );
    assert!(
        p.transaction_list()
            .windows(2)
            .all(|w| w[0].date <= w[1].date),
        "sorted by date"
    );

    // A quoted field with a comma and doubled quotes; "(10.00)" and "-$12.00".
    let bonus = tx(&p, "300000610");
    assert_eq!(bonus.kind, TransactionKind::Bonus);
    assert_eq!(bonus.amount, dollars(10_000));
    assert_eq!(bonus.counterparty.as_deref(), Some("Acme Robotics"));
    assert_eq!(
        bonus.description,
        "Bonus; Thanks, \"great\" work on the robot arm demo (local currency: 79.00 GBP)"
    );
    assert_eq!(tx(&p, "300000611").amount, dollars(-1_000));
    let membership = tx(&p, "300000600");
    assert_eq!(membership.kind, TransactionKind::ConnectsPurchase);
    assert_eq!(membership.amount, dollars(-1_200));
    assert_eq!(tx(&p, "300000481").kind, TransactionKind::WithdrawalFee);

    // Thousands separators in the amount and the balance.
    let milestone = tx(&p, "300000590");
    assert_eq!(milestone.kind, TransactionKind::FixedPrice);
    assert_eq!(milestone.amount, dollars(200_000));
    assert_eq!(milestone.balance_after, dollars(324_607));
    assert_eq!(milestone.date, at(2026, 11, 19, 0));

    // The local-currency amount is kept in the description, never summed.
    let hourly = tx(&p, "300000560");
    assert_eq!(
        hourly.description,
        "Hourly earnings; 24:00 hrs @ $20.00/hr; Invoice for 11/09/2026-11/15/2026 \
         (local currency: 5,184.00 NOK)"
    );
    assert_eq!(
        hourly.counterparty.as_deref(),
        Some("Blue Fjord Studio, AS")
    );
    assert_eq!(tx(&p, "300000480").counterparty, None);

    // The file starts mid-history: the balance before it was $159.06.
    assert_eq!(p.opening_balance(), dollars(15_906));
    let b = p.balances();
    assert_eq!(b.available, dollars(80_207));
    assert_eq!(b.in_review, dollars(43_200));
    assert_eq!(b.pending, dollars(189_000));
    assert_eq!(b.owed, Money::ZERO);
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
}

#[test]
fn old_generation_file_imports() {
    let p = open(&[OLD]);
    assert_eq!(p.transaction_list().len(), 12);
    assert_eq!(p.transaction_list()[0].id, "300000101");
    assert_eq!(p.transaction_list()[0].date, at(2026, 1, 12, 0));
    assert_eq!(p.transaction_list()[1].id, "300000102");
    assert_eq!(p.account().display_name, "Maya Lindqvist");

    let hourly = tx(&p, "300000140");
    assert_eq!(hourly.kind, TransactionKind::Hourly);
    assert_eq!(hourly.amount, dollars(123_450));
    assert_eq!(hourly.balance_after, dollars(220_450));
    assert_eq!(
        hourly.counterparty.as_deref(),
        Some("Blue Fjord Studio, AS")
    );
    assert_eq!(hourly.status, PaymentStatus::Available);
    assert_eq!(
        tx(&p, "300000260").description,
        "Bonus: thanks for the quick turnaround,\nsee you next quarter"
    );
    let refund = tx(&p, "300000310");
    assert_eq!(refund.kind, TransactionKind::Refund);
    assert_eq!(refund.amount, dollars(-5_000));
    assert_eq!(tx(&p, "300000199").amount, dollars(-200_000));
    // "Miscellaneous" rows named by their description.
    assert_eq!(tx(&p, "300000200").kind, TransactionKind::WithdrawalFee);
    assert_eq!(tx(&p, "300000400").kind, TransactionKind::ConnectsPurchase);
    // A USD row adds no local-currency note.
    assert_eq!(
        tx(&p, "300000261").description,
        "Service Fee for Bonus - Ref ID 300000260"
    );

    assert_eq!(p.opening_balance(), dollars(25_000));
    let b = p.balances();
    assert_eq!(b.available, dollars(123_906));
    assert_eq!(b.in_review, Money::ZERO);
    assert_eq!(b.pending, Money::ZERO);
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
}

#[test]
fn overlapping_files_of_both_generations_count_each_row_once() {
    let p = open(&[OLD, NEW, NOVEMBER]);
    assert_eq!(p.transaction_list().len(), 23);
    // 2 October rows in both generations, 6 November rows in both new files.
    assert_eq!(p.duplicates_skipped(), 8);
    assert_eq!(
        p.warnings(),
        ["8 rows appeared in more than one file and were counted once."]
    );
    let mut unique = ids(&p);
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 23);
    assert_eq!(p.opening_balance(), dollars(25_000));

    let b = p.balances();
    assert_eq!(b.available, dollars(80_207));
    assert_eq!(b.in_review, dollars(43_200));
    assert_eq!(b.pending, dollars(189_000));
    assert_eq!(b.owed, Money::ZERO);
    let total: Money = p.transaction_list().iter().map(|t| t.amount).sum();
    assert_eq!(p.opening_balance() + total, dollars(312_407));

    // The order of the files does not matter, nor does adding one twice.
    let q = open(&[NOVEMBER, NEW, OLD, NEW]);
    assert_eq!(q.transaction_list().len(), 23);
    assert_eq!(q.balances(), b);
    let mut sorted_q = ids(&q);
    sorted_q.sort_unstable();
    assert_eq!(sorted_q, unique);

    let twice = open(&[NEW, NEW]);
    assert_eq!(twice.transaction_list().len(), 13);
    assert_eq!(twice.duplicates_skipped(), 13);
    assert_eq!(twice.balances(), open(&[NEW]).balances());
}

#[test]
fn in_review_and_pending_follow_the_payment_timing() {
    let p = open(&[OLD, NEW]);
    // Hourly for the week of 9–15 Nov, invoiced Mon 16 Nov: in review until
    // Wed 25 Nov, its fee with it.
    for id in ["300000560", "300000561"] {
        let t = tx(&p, id);
        assert_eq!(t.status, PaymentStatus::InReview, "{id}");
        assert_eq!(t.available_on, Some(at(2026, 11, 25, 0)), "{id}");
    }
    // The week of 26 Oct – 1 Nov was released on Wed 11 Nov.
    assert_eq!(tx(&p, "300000520").status, PaymentStatus::Available);
    assert_eq!(tx(&p, "300000520").available_on, None);
    // Milestone of 19 Nov: pending 5 days; bonus of 21 Nov likewise.
    for (id, day) in [
        ("300000590", 24),
        ("300000591", 24),
        ("300000610", 26),
        ("300000611", 26),
    ] {
        let t = tx(&p, id);
        assert_eq!(t.status, PaymentStatus::Pending, "{id}");
        assert_eq!(t.available_on, Some(at(2026, 11, day, 0)), "{id}");
    }
    // Money out is never waiting.
    assert_eq!(tx(&p, "300000600").status, PaymentStatus::Available);

    // Two days later the milestone is released, the hourly week too.
    let later = open_at(&[OLD, NEW], at(2026, 11, 25, 0));
    let b = later.balances();
    assert_eq!(b.in_review, Money::ZERO);
    assert_eq!(b.pending, dollars(9_000));
    assert_eq!(b.available, dollars(80_207 + 43_200 + 180_000));
    // A week later everything is available.
    let b = open_at(&[OLD, NEW], at(2026, 12, 1, 0)).balances();
    assert_eq!(b.available, dollars(312_407));
    assert_eq!((b.in_review, b.pending), (Money::ZERO, Money::ZERO));
}

#[test]
fn assess_finds_the_money_blockers_with_their_dates() {
    let p = open(&[OLD, NEW, NOVEMBER]);
    let work = p
        .pending_work(ACCOUNT_ID)
        .unwrap_or_else(|e| panic!("pending work: {e}"));
    assert_eq!(work.unsettled.len(), 6);
    assert!(work.open_contracts.is_empty() && work.open_proposals.is_empty());
    assert!(work.pending_offers.is_empty() && work.open_disputes.is_empty());
    assert!(!work.closed);

    let a = assess(
        &offboard::platform::upwork::profile::UPWORK_CSV,
        &work,
        today(),
    );
    let item = |id: &str| {
        a.items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("no item {id} in {:?}", a.items))
    };
    let available = item("money:available");
    assert_eq!(available.kind, ItemKind::AvailableBalance);
    assert_eq!(available.severity, Severity::Blocker);
    assert_eq!(available.amount, Some(dollars(80_207)));
    assert_eq!(available.title, "$802.07 available to withdraw");

    let review = item("money:in-review");
    assert_eq!(review.kind, ItemKind::EarningsInReview);
    assert_eq!(review.severity, Severity::Blocker);
    assert_eq!(review.amount, Some(dollars(43_200)));
    assert_eq!(review.clears_on, Some(at(2026, 11, 25, 0)));
    assert_eq!(
        review.how_to_resolve,
        "Wait until 25 Nov 2026, then withdraw on Reports › Overview and Settings › Get Paid."
    );

    let pending = item("money:pending");
    assert_eq!(pending.amount, Some(dollars(189_000)));
    assert_eq!(pending.clears_on, Some(at(2026, 11, 26, 0)));

    assert!(a.items.iter().all(|i| i.kind != ItemKind::NegativeBalance));
    assert_eq!(a.blocker_count(), 3);
    assert_eq!(a.earliest_close, at(2026, 11, 26, 0));
}

#[test]
fn money_per_client_is_largest_first() {
    let p = open(&[OLD, NEW, NOVEMBER]);
    assert_eq!(
        p.money_per_client(),
        vec![
            // 800 + 150 − 50 (refund) + 1,200 + 2,000
            ("Northwind Traders".to_string(), dollars(410_000)),
            // 1,234.50 + 640 + 480
            ("Blue Fjord Studio, AS".to_string(), dollars(235_450)),
            ("Acme Robotics".to_string(), dollars(10_000)),
        ]
    );
}

#[test]
fn the_platform_trait_serves_one_account_and_its_transactions() {
    let p = open(&[OLD, NEW, NOVEMBER]);
    let accounts = p.accounts().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].id, "upwork-csv");
    assert_eq!(accounts[0].member_since, at(2026, 1, 12, 0));
    assert!(!p.can_act());

    let counts = p.counts(ACCOUNT_ID).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counts.transactions, 23);
    assert_eq!(
        (
            counts.contracts,
            counts.proposals,
            counts.rooms,
            counts.messages
        ),
        (0, 0, 0, 0)
    );

    let streamed: Vec<Transaction> = p
        .transactions(ACCOUNT_ID)
        .unwrap_or_else(|e| panic!("{e}"))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(streamed.as_slice(), p.transaction_list());
    assert_eq!(p.contracts(ACCOUNT_ID).map(Iterator::count).ok(), Some(0));
    assert_eq!(p.proposals(ACCOUNT_ID).map(Iterator::count).ok(), Some(0));
    assert_eq!(p.rooms(ACCOUNT_ID).map(Iterator::count).ok(), Some(0));
    assert_eq!(p.feedback(ACCOUNT_ID).map(Iterator::count).ok(), Some(0));

    let profile = p.profile(ACCOUNT_ID).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.account.display_name, "Maya Lindqvist");
    // Gross earnings: 800 + 1,234.50 + 150 + 1,200 + 640 + 480 + 2,000 + 100.
    assert_eq!(profile.total_earnings, dollars(660_450));

    assert!(p.pending_work("freelancer").is_err());
    assert!(p.transactions("freelancer").is_err());
}

#[test]
fn manual_checks_cover_what_files_cannot_show() {
    let p = open(&[OLD, NEW]);
    let checks = p.manual_checks();
    let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "contracts",
            "escrow",
            "work-in-progress",
            "proposals",
            "offers",
            "disputes",
            "standing",
            "history-up-to-date"
        ]
    );
    assert_eq!(checks[0].label, "No active or paused contracts remain");
    assert_eq!(checks[0].where_to_check, "My Jobs › All Contracts");
    assert_eq!(checks[3].label, "No proposals are open");
    assert_eq!(checks[3].where_to_check, "Find Work › My Proposals");
    assert_eq!(
        checks[7].label,
        "The files cover everything up to today: nothing was paid, refunded or withdrawn after 21 Nov 2026"
    );
}

#[test]
fn a_file_resaved_by_a_european_spreadsheet_imports() {
    // Semicolons, decimal commas, "1.234,50", day-first dates, headers in
    // odd case and spacing ("  DATE ", "ref. id"), Windows-1252 text.
    let p = open(&[RESAVED]);
    assert_eq!(ids(&p), ["400000001", "400000002", "400000003"]);
    let logo = tx(&p, "400000001");
    assert_eq!(logo.date, at(2026, 8, 3, 0));
    assert_eq!(logo.amount, dollars(123_450));
    assert_eq!(logo.description, "Logo für Café Müller");
    assert_eq!(logo.counterparty.as_deref(), Some("Café Müller GmbH"));
    assert_eq!(tx(&p, "400000002").amount, dollars(-12_345));
    assert_eq!(tx(&p, "400000003").balance_after, dollars(11_105));
    assert_eq!(p.balances().available, dollars(11_105));
    assert_eq!(p.account().display_name, "Upwork account (from CSV)");
}

#[test]
fn a_bad_amount_names_file_line_and_column() {
    let (e, message) = error(&["broken-bad-number.csv"]);
    // Line 5: the quoted newline in the first row counts as a line.
    assert!(
        matches!(e, CsvImportError::BadValue { line: 5, .. }),
        "{e:?}"
    );
    assert_eq!(
        message,
        format!(
            "broken-bad-number.csv, line 5, column \"Amount\": \"12,3x\" is not an amount such \
             as \"1,234.50\" or \"-12.00\"; correct it in the file or {REDOWNLOAD}"
        )
    );
}

#[test]
fn a_bad_date_and_a_bad_balance_name_file_line_and_column() {
    let (_, message) = error(&["broken-bad-date.csv"]);
    assert_eq!(
        message,
        format!(
            "broken-bad-date.csv, line 3, column \"Date\": \"31/31/2026\" is not a date such as \
             \"Nov 23, 2026\" or \"2026-11-23\"; correct it in the file or {REDOWNLOAD}"
        )
    );
    let (_, message) = error(&["broken-bad-balance.csv"]);
    assert_eq!(
        message,
        format!(
            "broken-bad-balance.csv, line 2, column \"Balance\": \"ten\" is not a balance such \
             as \"1,234.50\" or \"-12.00\"; correct it in the file or {REDOWNLOAD}"
        )
    );
}

#[test]
fn wrong_columns_are_named_with_the_columns_found() {
    let (e, message) = error(&["broken-wrong-columns.csv"]);
    assert!(
        matches!(e, CsvImportError::MissingColumns { line: 1, .. }),
        "{e:?}"
    );
    assert_eq!(
        message,
        format!(
            "broken-wrong-columns.csv, line 1, column \"Amount $\" (or \"Amount\"): required \
             column is missing; the header has \"Date\", \"Time\", \"TimeZone\", \"Name\", \
             \"Type\", \"Status\", \"Currency\", \"Gross\", \"Fee\", \"Net\"; this is not an \
             Upwork transaction history, or its header was changed: {REDOWNLOAD}"
        )
    );
}

#[test]
fn binary_garbage_and_workbooks_are_not_csv() {
    let (e, message) = error(&["broken-binary.csv"]);
    assert!(
        matches!(
            e,
            CsvImportError::NotCsv {
                line: 1,
                column: 5,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        message,
        "broken-binary.csv, line 1, column 5: binary data (a byte 0x00), not a CSV file; choose \
         the CSV file you downloaded from Reports › Transaction History"
    );
    let (_, message) = error(&["broken-workbook.csv"]);
    assert_eq!(
        message,
        "broken-workbook.csv, line 1, column 1: this is a ZIP archive or an Excel workbook \
         (.xlsx), not a CSV file; open it in your spreadsheet and save it as CSV (File › Save \
         As › CSV), or use the \"Download CSV\" button on Reports › Transaction History"
    );
}

#[test]
fn rows_that_do_not_match_the_header_are_refused() {
    let (_, message) = error(&["broken-unquoted-comma.csv"]);
    assert_eq!(
        message,
        format!(
            "broken-unquoted-comma.csv, line 3, column 8 (past the last column, \"Balance\"): \
             the row has 8 fields where the header has 7 (a value holding a comma is probably \
             not in quotes); correct it in the file or {REDOWNLOAD}"
        )
    );
    let (_, message) = error(&["broken-unclosed-quote.csv"]);
    assert_eq!(
        message,
        format!(
            "broken-unclosed-quote.csv, line 3, column \"Description\": the row has 11 fields \
             where the header has 7 (a quote is probably not closed, so the following lines were \
             read into this value); correct it in the file or {REDOWNLOAD}"
        )
    );
}

#[test]
fn empty_missing_and_no_files() {
    for name in ["broken-empty.csv", "broken-bom-only.csv"] {
        let (e, message) = error(&[name]);
        assert!(matches!(e, CsvImportError::Empty { .. }), "{e:?}");
        assert_eq!(
            message,
            format!("{name}, line 1, column 1: the file is empty; {REDOWNLOAD}")
        );
    }

    let (e, message) = error(&["no-such-file.csv"]);
    assert!(matches!(e, CsvImportError::Unreadable { .. }), "{e:?}");
    assert!(
        message.starts_with("no-such-file.csv: the file cannot be read ("),
        "{message}"
    );
    assert!(
        message.ends_with(&fixture("no-such-file.csv").display().to_string()),
        "{message}"
    );

    // One broken file among good ones refuses the whole import.
    let (_, message) = error(&[NEW, "broken-bad-number.csv"]);
    assert!(
        message.starts_with("broken-bad-number.csv, line 5"),
        "{message}"
    );

    let e = UpworkCsvPlatform::open(&[], today()).map(|_| ());
    assert!(matches!(e, Err(CsvImportError::NoFiles)), "{e:?}");
}

#[test]
fn an_agency_file_is_read_as_the_agency_with_its_own_checks() {
    let p = open(&[AGENCY]);
    let accounts = p.accounts().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accounts[0].kind, AccountKind::Agency);
    assert_eq!(accounts[0].display_name, "Fjord Pixel Studio");
    // The client is the counterparty, not the member who did the work.
    assert_eq!(
        tx(&p, "400000110").counterparty.as_deref(),
        Some("Harbor Health")
    );
    // Hourly of 9–15 Nov, invoiced 16 Nov: in review until Wed 25 Nov.
    assert_eq!(tx(&p, "400000110").status, PaymentStatus::InReview);
    let b = p.balances();
    assert_eq!(b.in_review, dollars(96_000 - 9_600));
    assert_eq!(b.available, dollars(154_000 - 86_400));

    let checks = p.manual_checks();
    let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "members",
            "contracts",
            "escrow",
            "work-in-progress",
            "proposals",
            "offers",
            "disputes",
            "standing",
            "history-up-to-date"
        ]
    );
    assert_eq!(checks[0].where_to_check, "Agency Profile › Members");
}

#[test]
fn a_freelancer_paid_through_someone_elses_agency_stays_a_freelancer() {
    // The same rows, with the member as the account holder.
    let text = std::fs::read_to_string(fixture(AGENCY)).unwrap_or_else(|e| panic!("{e}"));
    let member = text.replace(
        ",Ines Sandvik,Harbor Health,Fjord Pixel Studio,",
        ",Ines Sandvik,Harbor Health,Ines Sandvik,",
    );
    let member = member.replace(
        ",Ola Berg,Northwind Traders,Fjord Pixel Studio,",
        ",Ola Berg,Northwind Traders,Ines Sandvik,",
    );
    let p = UpworkCsvPlatform::from_bytes(&[("member.csv", member.as_bytes())], today())
        .unwrap_or_else(|e| panic!("{e}"));
    let account = &p.accounts().unwrap_or_else(|e| panic!("{e}"))[0];
    assert_eq!(account.kind, AccountKind::Freelancer);
    assert_eq!(account.display_name, "Ines Sandvik");
}

#[test]
fn the_user_can_say_which_kind_of_account_the_files_are_from() {
    let files = [fixture(AGENCY)];
    let as_freelancer = UpworkCsvPlatform::open_as(&files, Some(AccountKind::Freelancer), today())
        .unwrap_or_else(|e| panic!("{e}"));
    let account = &as_freelancer.accounts().unwrap_or_else(|e| panic!("{e}"))[0];
    assert_eq!(account.kind, AccountKind::Freelancer);
    assert_eq!(as_freelancer.manual_checks()[0].id, "contracts");

    let detected =
        UpworkCsvPlatform::open_as(&files, None, today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        detected.accounts().unwrap_or_else(|e| panic!("{e}"))[0].kind,
        AccountKind::Agency
    );
}

/// A file whose amounts are each within range but whose sum is not.
fn huge_rows(amounts: &[(&str, &str)]) -> String {
    let mut csv = String::from("Date,Ref ID,Type,Description,Team,Amount,Balance\n");
    for (i, (amount, balance)) in amounts.iter().enumerate() {
        csv.push_str(&format!(
            "\"Nov {}, 2026\",{},Bonus,Thanks,Acme,\"{amount}\",\"{balance}\"\n",
            i + 2,
            i + 1
        ));
    }
    csv
}

fn import_error(files: &[(&str, &str)]) -> (CsvImportError, String) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    match UpworkCsvPlatform::from_bytes(&files, today()) {
        Ok(p) => panic!(
            "imported {} rows, should have been refused",
            p.transaction_list().len()
        ),
        Err(e) => {
            let message = e.to_string();
            (e, message)
        }
    }
}

#[test]
fn amounts_that_add_up_past_what_offboard_counts_are_refused_naming_the_row() {
    let big = "90,000,000,000,000,000.00";
    let csv = huge_rows(&[(big, ""), (big, "")]);
    let (e, message) = import_error(&[("huge.csv", &csv)]);
    assert!(
        matches!(&e, CsvImportError::TooLarge { file, line: 3 } if file == "huge.csv"),
        "{e:?}"
    );
    assert!(message.starts_with("huge.csv, line 3: "), "{message}");
    assert!(
        message.contains("more than Offboard can count"),
        "{message}"
    );

    // Money out counts as much as money in.
    let out = format!("-{big}");
    let csv = huge_rows(&[(&out, ""), (&out, "")]);
    let (_, message) = import_error(&[("out.csv", &csv)]);
    assert!(message.starts_with("out.csv, line 3: "), "{message}");

    // In and out that cancel still do not fit: money in alone would not.
    let csv = huge_rows(&[(big, ""), (&out, "")]);
    let (_, message) = import_error(&[("both.csv", &csv)]);
    assert!(message.starts_with("both.csv, line 3: "), "{message}");

    // Across files, the file and row where the total went over.
    let first = huge_rows(&[(big, "")]);
    let second = huge_rows(&[("1.00", ""), ("2.00", ""), (big, "")])
        .replace("Nov 2,", "Dec 2,")
        .replace("Nov 3,", "Dec 3,")
        .replace("Nov 4,", "Dec 4,");
    let (_, message) = import_error(&[("a.csv", &first), ("b.csv", &second)]);
    assert!(message.starts_with("b.csv, line 4: "), "{message}");
}

#[test]
fn a_balance_that_would_make_the_opening_balance_overflow_is_refused() {
    // The balance before the first row would be 90e15 - (-90e15) dollars.
    let csv = huge_rows(&[("-90,000,000,000,000,000.00", "90,000,000,000,000,000.00")]);
    let (_, message) = import_error(&[("opening.csv", &csv)]);
    assert!(message.starts_with("opening.csv, line 2: "), "{message}");
    assert!(
        message.contains("more than Offboard can count"),
        "{message}"
    );
}

#[test]
fn large_amounts_that_fit_are_summed_exactly() {
    let csv = huge_rows(&[
        ("40,000,000,000,000,000.00", "40,000,000,000,000,000.00"),
        ("40,000,000,000,000,000.01", "80,000,000,000,000,000.01"),
    ]);
    let p = UpworkCsvPlatform::from_bytes(&[("large.csv", csv.as_bytes())], at(2027, 6, 1, 0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.balances().available,
        Money::from_cents(8_000_000_000_000_000_001)
    );
    assert_eq!(
        p.money_per_client(),
        [(
            "Acme".to_string(),
            Money::from_cents(8_000_000_000_000_000_001)
        )]
    );
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
}
