//! Upwork's downloaded transaction history (Reports › Transaction History,
//! CSV) as a platform source, for users without an API key.
//!
//! One account is built from one or more files. Columns are found by name,
//! so both header generations Upwork has used read the same way (see
//! `../shared/upwork/FACTS.md`), as do files re-saved by a spreadsheet
//! (byte-order mark, semicolons or tabs, decimal commas, UTF-16 or
//! Windows-1252 text). Rows seen in several overlapping files count once.
//!
//! What a file cannot say (whether money is still in review, for instance)
//! comes from the payment timing rules and the `today` passed in; what it
//! cannot show at all (contracts, proposals, offers, disputes) becomes
//! [`ManualCheck`]s the user confirms by hand.
//!
//! Amounts are the USD column ("Amount $" / "Amount"). "Amount in local
//! currency" and "Currency" are kept in the description when the currency
//! is not USD, never summed.

use crate::model::account::{
    AccountKind, AccountSummary, Contract, Dispute, Feedback, JobPost, ManualCheck, MessageRoom,
    Offer, PaymentStatus, PlatformId, Profile, Proposal, SectionCounts, TeamMember, Transaction,
    TransactionKind,
};
use crate::model::money::Money;
use crate::model::review::{
    Balances, PendingWork, hourly_available_on, manual_payment_available_on,
};
use crate::platform::{Platform, PlatformError, RecordStream};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The one account's id.
pub const ACCOUNT_ID: &str = "upwork-csv";

/// The account's name when no column names the user.
pub const DEFAULT_NAME: &str = "Upwork account (from CSV)";

/// The platform slug this source is known by on the command line.
pub const SLUG: &str = "upwork-csv";

const REDOWNLOAD: &str = "download the transaction history again from Reports › Transaction History \
                          (Download CSV) and add that file";

/// Why a file could not be imported. Every message names the file, and the
/// line and column where it applies, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CsvImportError {
    #[error("no transaction-history file was given; {REDOWNLOAD}")]
    NoFiles,

    #[error(
        "{file}: the file cannot be read ({source}); check that it exists and that you may open it, then add it again: {}",
        path.display()
    )]
    Unreadable {
        file: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{file}, line 1, column 1: the file is empty; {REDOWNLOAD}")]
    Empty { file: String },

    #[error("{file}, line {line}, column {column}: {found}, not a CSV file; {advice}")]
    NotCsv {
        file: String,
        line: u64,
        column: u64,
        /// What the bytes look like, e.g. "an Excel workbook (.xlsx)".
        found: String,
        advice: String,
    },

    #[error(
        "{file}, line {line}, {}: required {} missing; the header has {}; this is not an Upwork transaction history, or its header was changed: {REDOWNLOAD}",
        missing_list(missing),
        if missing.len() == 1 { "column is" } else { "columns are" },
        found_list(found)
    )]
    MissingColumns {
        file: String,
        /// The line read as the header.
        line: u64,
        /// Each missing column with its other accepted name, e.g. `"Amount $" (or "Amount")`.
        missing: Vec<String>,
        /// The columns the file has.
        found: Vec<String>,
    },

    #[error(
        "{file}, line {line}, column \"{column}\": \"{}\" is not {expected}; correct it in the file or {REDOWNLOAD}",
        shorten(value)
    )]
    BadValue {
        file: String,
        line: u64,
        /// The column's name as the file's header writes it.
        column: String,
        value: String,
        /// What was expected, e.g. "an amount such as \"1,234.50\" or \"-12.00\"".
        expected: &'static str,
    },

    #[error(
        "{file}, line {line}, column {column}: the row has {found} fields where the header has {expected}{}; correct it in the file or {REDOWNLOAD}",
        if *open_quote {
            " (a quote is probably not closed, so the following lines were read into this value)"
        } else if *found > *expected {
            " (a value holding a comma is probably not in quotes)"
        } else {
            ""
        }
    )]
    FieldCount {
        file: String,
        line: u64,
        /// Where the row departs from the header: a column name, or a number past the last.
        column: String,
        expected: usize,
        found: usize,
        open_quote: bool,
    },

    #[error(
        "{file}, line {line}, column {column}: the CSV cannot be parsed ({message}); {REDOWNLOAD}"
    )]
    Csv {
        file: String,
        line: u64,
        column: u64,
        message: String,
    },

    #[error(
        "{file}, line {line}: the amounts up to this row add up to more than Offboard can count; check the amounts in the file, or {REDOWNLOAD}"
    )]
    TooLarge { file: String, line: u64 },
}

/// `column "A"` or `columns "A", "B" and "C"`; the items carry their quotes.
fn missing_list(missing: &[String]) -> String {
    match missing {
        [one] => format!("column {one}"),
        [init @ .., last] => format!("columns {} and {last}", init.join(", ")),
        [] => "columns".to_string(),
    }
}

/// `"A", "B"`, or `no columns`.
fn found_list(found: &[String]) -> String {
    if found.is_empty() {
        return "no columns".to_string();
    }
    found
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most 60 characters of a value, control characters escaped.
fn shorten(value: &str) -> String {
    let clean: String = value
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if clean.chars().count() > 60 {
        let head: String = clean.chars().take(57).collect();
        format!("{head}...")
    } else {
        clean
    }
}

/// One account's transaction history read from Upwork's CSV files.
#[derive(Clone, Debug)]
pub struct UpworkCsvPlatform {
    account: AccountSummary,
    /// Sorted by date; within a day in the order Upwork recorded them.
    transactions: Vec<Transaction>,
    /// The available balance before the first imported row, from its balance column.
    opening_balance: Money,
    /// The date of the newest row, for the checklist.
    latest: Option<DateTime<Utc>>,
    warnings: Vec<String>,
    duplicates_skipped: usize,
}

impl UpworkCsvPlatform {
    /// Read every file; columns are found by name (either generation,
    /// case/whitespace-insensitive, BOM stripped). `today` decides which
    /// hourly earnings are still in review and which manual payments are
    /// still pending (FACTS.md timing) for rows whose status the file does
    /// not say.
    pub fn open(
        files: &[PathBuf],
        today: DateTime<Utc>,
    ) -> Result<UpworkCsvPlatform, CsvImportError> {
        Self::open_as(files, None, today)
    }

    /// Like [`UpworkCsvPlatform::open`], for an account of `kind` when the
    /// user says so; `None` reads the kind from the files.
    pub fn open_as(
        files: &[PathBuf],
        kind: Option<AccountKind>,
        today: DateTime<Utc>,
    ) -> Result<UpworkCsvPlatform, CsvImportError> {
        if files.is_empty() {
            return Err(CsvImportError::NoFiles);
        }
        let mut parsed = Vec::with_capacity(files.len());
        for path in files {
            let bytes = std::fs::read(path).map_err(|source| CsvImportError::Unreadable {
                file: file_label(path),
                path: path.clone(),
                source,
            })?;
            parsed.push(parse_file(&file_label(path), &bytes)?);
        }
        Self::from_parsed(parsed, kind, today)
    }

    /// Like [`UpworkCsvPlatform::open`], from files already in memory:
    /// `(file name for messages, contents)`.
    pub fn from_bytes(
        files: &[(&str, &[u8])],
        today: DateTime<Utc>,
    ) -> Result<UpworkCsvPlatform, CsvImportError> {
        if files.is_empty() {
            return Err(CsvImportError::NoFiles);
        }
        let mut parsed = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            parsed.push(parse_file(name, bytes)?);
        }
        Self::from_parsed(parsed, None, today)
    }

    fn from_parsed(
        files: Vec<ParsedFile>,
        kind: Option<AccountKind>,
        today: DateTime<Utc>,
    ) -> Result<UpworkCsvPlatform, CsvImportError> {
        let mut warnings = Vec::new();
        for f in files.iter().filter(|f| !f.skipped_lines.is_empty()) {
            let lines: Vec<String> = f.skipped_lines.iter().map(u64::to_string).collect();
            warnings.push(format!(
                "{}, {} {}: no date and no type, so not a transaction; left out.",
                f.name,
                if lines.len() == 1 { "line" } else { "lines" },
                lines.join(", ")
            ));
        }
        let (rows, duplicates_skipped) = dedupe(files);
        let kind = kind.unwrap_or_else(|| detect_kind(&rows));
        let name = detect_name(&rows, kind);

        let mut built: Vec<Built> = rows
            .into_iter()
            .map(|row| build_row(row, kind, name.as_deref(), today))
            .collect();
        // Stable: rows of a day keep their recorded order.
        built.sort_by_key(|b| b.tx.date);
        unique_ids(&mut built);
        link_fees(&mut built);

        let opening_balance = fill_balances(&mut built, &mut warnings)?;
        if duplicates_skipped > 0 {
            warnings.push(format!(
                "{duplicates_skipped} {} appeared in more than one file and {} counted once.",
                if duplicates_skipped == 1 {
                    "row"
                } else {
                    "rows"
                },
                if duplicates_skipped == 1 {
                    "was"
                } else {
                    "were"
                },
            ));
        }
        let mut unknown_types: Vec<String> = built
            .iter()
            .filter(|b| b.unknown_type)
            .map(|b| b.type_text.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        unknown_types.sort();
        if !unknown_types.is_empty() {
            warnings.push(format!(
                "Transaction types not known to Offboard were read as Miscellaneous: {}.",
                unknown_types
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }

        let transactions: Vec<Transaction> = built.into_iter().map(|b| b.tx).collect();
        let latest = transactions.last().map(|t| t.date);
        let member_since = transactions.first().map_or(today, |t| t.date);
        let display = name.unwrap_or_else(|| DEFAULT_NAME.to_string());
        Ok(UpworkCsvPlatform {
            account: AccountSummary {
                id: ACCOUNT_ID.to_string(),
                kind,
                username: display.clone(),
                display_name: display,
                email: String::new(),
                member_since,
            },
            transactions,
            opening_balance,
            latest,
            warnings,
            duplicates_skipped,
        })
    }

    /// The one account.
    pub fn account(&self) -> &AccountSummary {
        &self.account
    }

    /// Every imported transaction, sorted by date.
    pub fn transaction_list(&self) -> &[Transaction] {
        &self.transactions
    }

    /// The available balance before the first imported row (from that row's
    /// balance column), so a history that starts mid-way still adds up.
    pub fn opening_balance(&self) -> Money {
        self.opening_balance
    }

    /// Rows skipped because an earlier file already had them.
    pub fn duplicates_skipped(&self) -> usize {
        self.duplicates_skipped
    }

    /// Things worth telling the user that do not stop the import: rows
    /// counted once, unknown types, balances that do not add up.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Money by where it stands, the opening balance included.
    pub fn balances(&self) -> Balances {
        let opening = (!self.opening_balance.is_zero()).then(|| Transaction {
            id: "opening-balance".into(),
            date: self.account.member_since,
            kind: TransactionKind::Adjustment,
            description: "Balance before the first imported row".into(),
            counterparty: None,
            contract_id: None,
            amount: self.opening_balance,
            balance_after: self.opening_balance,
            status: PaymentStatus::Available,
            available_on: None,
        });
        Balances::from_transactions(self.transactions.iter().chain(opening.as_ref()), &[])
    }

    /// What the files cannot show, for the checklist: items the user must
    /// confirm by hand on Upwork.
    pub fn manual_checks(&self) -> Vec<ManualCheck> {
        let check = |id: &str, label: &str, place: &str| ManualCheck {
            id: id.to_string(),
            label: label.to_string(),
            where_to_check: place.to_string(),
        };
        let mut checks = match self.account.kind {
            AccountKind::Client => vec![
                check(
                    "contracts",
                    "No active or paused contracts remain",
                    "Hires › Contracts",
                ),
                check(
                    "escrow",
                    "No funded milestone is still in escrow",
                    "Hires › Contracts, on each fixed-price contract",
                ),
                check("job-posts", "No job post is still open", "Jobs › My Jobs"),
                check(
                    "offers",
                    "No offer you sent is still waiting for an answer",
                    "Hires › Offers",
                ),
                check(
                    "team",
                    "No team member other than you remains",
                    "Settings › Members & Permissions",
                ),
                check(
                    "billing",
                    "No invoice is unpaid and the balance is not negative",
                    "Settings › Billing & Payments",
                ),
                check(
                    "disputes",
                    "No dispute is open",
                    "each contract's page › Dispute",
                ),
            ],
            // The owner's own freelancer account stays open; these are the
            // agency's.
            AccountKind::Agency => vec![
                check(
                    "members",
                    "No member other than you remains in the agency",
                    "Agency Profile › Members",
                ),
                check(
                    "contracts",
                    "No agency contract is active or paused",
                    "My Jobs › All Contracts, with the agency chosen at the top",
                ),
                check(
                    "escrow",
                    "No funded milestone of an agency contract is still in escrow",
                    "My Jobs › All Contracts, on each fixed-price contract",
                ),
                check(
                    "work-in-progress",
                    "No hours members logged this week are still to be billed",
                    "Reports › Overview › Work in progress",
                ),
                check(
                    "proposals",
                    "No agency proposal is open",
                    "Find Work › My Proposals, with the agency chosen at the top",
                ),
                check(
                    "offers",
                    "No open offers to the agency",
                    "Find Work › My Proposals › Offers",
                ),
                check(
                    "disputes",
                    "No open disputes",
                    "each contract's page › Dispute",
                ),
            ],
            AccountKind::Freelancer => vec![
                check(
                    "contracts",
                    "No active or paused contracts remain",
                    "My Jobs › All Contracts",
                ),
                check(
                    "escrow",
                    "No funded milestone is still in escrow",
                    "My Jobs › All Contracts, on each fixed-price contract",
                ),
                check(
                    "work-in-progress",
                    "No hours logged this week are still to be billed",
                    "Reports › Overview › Work in progress",
                ),
                check(
                    "proposals",
                    "No proposals are open",
                    "Find Work › My Proposals",
                ),
                check(
                    "offers",
                    "No open offers",
                    "Find Work › My Proposals › Offers",
                ),
                check(
                    "disputes",
                    "No open disputes",
                    "each contract's page › Dispute",
                ),
            ],
        };
        checks.push(check(
            "standing",
            "The account is not suspended and has no identity check pending",
            "the notice at the top of any Upwork page after logging in",
        ));
        let covered = match self.latest {
            Some(d) => format!(
                "The files cover everything up to today: nothing was paid, refunded or withdrawn after {}",
                d.format("%-d %b %Y")
            ),
            None => {
                "The files cover everything up to today: the account has no transactions".into()
            }
        };
        checks.push(ManualCheck {
            id: "history-up-to-date".into(),
            label: covered,
            where_to_check: "Reports › Transaction History (download a file ending today if not)"
                .into(),
        });
        checks
    }

    /// Earnings grouped by client, largest first (for a client account,
    /// spending grouped by freelancer). Gross of fees, refunds deducted,
    /// money in review or pending included; rows that name no client are
    /// left out, as are clients whose total is not positive.
    pub fn money_per_client(&self) -> Vec<(String, Money)> {
        let client = self.account.kind == AccountKind::Client;
        let mut totals: HashMap<&str, Money> = HashMap::new();
        for t in &self.transactions {
            let billed = matches!(
                t.kind,
                TransactionKind::Hourly
                    | TransactionKind::FixedPrice
                    | TransactionKind::Bonus
                    | TransactionKind::Payment
                    | TransactionKind::Refund
            );
            if let (true, Some(who)) = (billed, t.counterparty.as_deref()) {
                // Exact: the import checked that every amount together fits.
                *totals.entry(who).or_default() += if client { -t.amount } else { t.amount };
            }
        }
        let mut out: Vec<(String, Money)> = totals
            .into_iter()
            .filter(|(_, m)| m.is_positive())
            .map(|(k, m)| (k.to_string(), m))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    fn check(&self, account: &str) -> Result<(), PlatformError> {
        if account == self.account.id {
            Ok(())
        } else {
            Err(PlatformError::UnknownAccount(account.to_string()))
        }
    }
}

fn empty<'a, T: 'a>() -> RecordStream<'a, T> {
    Box::new(std::iter::empty())
}

impl Platform for UpworkCsvPlatform {
    fn manual_checks(&self, account: &str) -> Vec<ManualCheck> {
        if account != ACCOUNT_ID {
            return Vec::new();
        }
        UpworkCsvPlatform::manual_checks(self)
    }

    fn id(&self) -> PlatformId {
        super::profile::UPWORK_CSV.id.clone()
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        Ok(vec![self.account.clone()])
    }

    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        self.check(account)?;
        // Files show money only: contracts, proposals and the rest become
        // manual checks.
        Ok(PendingWork {
            unsettled: self
                .transactions
                .iter()
                .filter(|t| t.status != PaymentStatus::Available)
                .cloned()
                .collect(),
            balances: self.balances(),
            ..PendingWork::nothing_open(self.account.clone())
        })
    }

    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        self.check(account)?;
        let earned: Money = self
            .transactions
            .iter()
            .filter(|t| {
                matches!(
                    t.kind,
                    TransactionKind::Hourly
                        | TransactionKind::FixedPrice
                        | TransactionKind::Bonus
                        | TransactionKind::Payment
                ) && t.amount.is_positive()
            })
            .map(|t| t.amount)
            // Exact: the import checked that every amount together fits.
            .sum();
        Ok(Profile {
            account: self.account.clone(),
            title: String::new(),
            overview: String::new(),
            location: String::new(),
            hourly_rate: None,
            skills: Vec::new(),
            profile_url: String::new(),
            total_earnings: earned,
            job_success_score: None,
        })
    }

    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        self.check(account)?;
        Ok(SectionCounts {
            transactions: u64::try_from(self.transactions.len()).unwrap_or(u64::MAX),
            ..SectionCounts::default()
        })
    }

    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        self.check(account)?;
        Ok(Box::new(self.transactions.iter().cloned().map(Ok)))
    }

    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }

    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        self.check(account)?;
        Ok(empty())
    }
}

// ---------------------------------------------------------------------------
// Reading one file

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One row as the file states it.
#[derive(Clone, Debug)]
struct Row {
    file: String,
    line: u64,
    date: DateTime<Utc>,
    type_text: String,
    kind: TransactionKind,
    unknown_type: bool,
    /// "Transaction ID", else "Ref ID".
    id: Option<String>,
    /// "Ref ID" (in the newer generation it can point at a related row).
    ref_id: Option<String>,
    amount: Money,
    balance: Option<Money>,
    file_status: Option<PaymentStatus>,
    description: String,
    freelancer: Option<String>,
    account_name: Option<String>,
    team: Option<String>,
    agency: Option<String>,
    /// The last day of the work period a row bills, from "Invoice for A-B".
    period_end: Option<DateTime<Utc>>,
}

#[derive(Debug)]
struct ParsedFile {
    name: String,
    rows: Vec<Row>,
    /// Lines with neither a date nor a type (totals, notes), left out.
    skipped_lines: Vec<u64>,
}

/// The columns found in a header, by index.
#[derive(Debug, Default)]
struct Columns {
    names: Vec<String>,
    date: usize,
    kind: usize,
    amount: usize,
    transaction_id: Option<usize>,
    ref_id: Option<usize>,
    balance: Option<usize>,
    local_amount: Option<usize>,
    currency: Option<usize>,
    status: Option<usize>,
    freelancer: Option<usize>,
    account_name: Option<usize>,
    team: Option<usize>,
    agency: Option<usize>,
    descriptions: Vec<usize>,
}

/// Accepted header names, normalised (see [`normalise_header`]); the first
/// is the one messages name.
const DATE: &[&str] = &["date", "transaction date", "date utc"];
const KIND: &[&str] = &["transaction type", "type"];
const AMOUNT: &[&str] = &[
    "amount $",
    "amount",
    "amount usd",
    "amount in usd",
    "usd amount",
];
const TRANSACTION_ID: &[&str] = &["transaction id", "transaction #", "transaction no"];
const REF_ID: &[&str] = &["ref id", "reference id", "reference", "ref"];
const BALANCE: &[&str] = &[
    "current balance $",
    "balance",
    "current balance",
    "balance $",
    "running balance",
    "current balance usd",
    "balance usd",
];
const LOCAL_AMOUNT: &[&str] = &["amount in local currency", "local amount"];
const CURRENCY: &[&str] = &["currency", "local currency"];
const STATUS: &[&str] = &["status", "payment status", "transaction status"];
const FREELANCER: &[&str] = &["freelancer"];
const ACCOUNT_NAME: &[&str] = &["account name"];
const TEAM: &[&str] = &["team", "client", "client name"];
const AGENCY: &[&str] = &["agency"];
/// Joined in this order into the description.
const DESCRIPTIONS: &[&str] = &[
    "description",
    "transaction summary",
    "transaction summary details",
    "description 1",
    "description 2",
    "description 3",
    "entered description",
    "memo",
];

/// Lower case, every run of punctuation or space one space, `$` its own word:
/// `" Amount($) "` → `amount $`, `"Ref. ID"` → `ref id`.
fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut space = false;
    for c in h.trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() || c == '$' || c == '#' {
            if (space || c == '$' || c == '#') && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            space = c == '$' || c == '#';
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

impl Columns {
    /// `Err` lists the missing required columns, for the message.
    fn find(header: &[String]) -> Result<Columns, Vec<String>> {
        let normal: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
        let find = |names: &[&str]| -> Option<usize> {
            names
                .iter()
                .find_map(|n| normal.iter().position(|h| h == n))
        };
        let date = find(DATE);
        let kind = find(KIND);
        let amount = find(AMOUNT);
        let (Some(date), Some(kind), Some(amount)) = (date, kind, amount) else {
            let mut missing = Vec::new();
            if date.is_none() {
                missing.push("\"Date\"".to_string());
            }
            if kind.is_none() {
                missing.push("\"Transaction Type\" (or \"Type\")".to_string());
            }
            if amount.is_none() {
                missing.push("\"Amount $\" (or \"Amount\")".to_string());
            }
            return Err(missing);
        };
        Ok(Columns {
            names: header.iter().map(|h| h.trim().to_string()).collect(),
            date,
            kind,
            amount,
            transaction_id: find(TRANSACTION_ID),
            ref_id: find(REF_ID),
            balance: find(BALANCE),
            local_amount: find(LOCAL_AMOUNT),
            currency: find(CURRENCY),
            status: find(STATUS),
            freelancer: find(FREELANCER),
            account_name: find(ACCOUNT_NAME),
            team: find(TEAM),
            agency: find(AGENCY),
            descriptions: DESCRIPTIONS
                .iter()
                .filter_map(|n| normal.iter().position(|h| h == n))
                .collect(),
        })
    }

    fn name(&self, index: usize) -> String {
        self.names
            .get(index)
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("{}", index + 1))
    }
}

/// Bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM or the telltale
/// zero bytes, else Windows-1252. Binary files are refused with where the
/// first byte that cannot be text is.
fn decode(file: &str, bytes: &[u8]) -> Result<String, CsvImportError> {
    let not_csv = |line: u64, column: u64, found: String, advice: &str| CsvImportError::NotCsv {
        file: file.to_string(),
        line,
        column,
        found,
        advice: advice.to_string(),
    };
    if let Some(kind) = sniff_binary_format(bytes) {
        return Err(not_csv(1, 1, format!("this is {kind}"), kind_advice(kind)));
    }
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        text_from_8bit(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else if looks_utf16le(bytes) {
        utf16(bytes, u16::from_le_bytes)
    } else {
        text_from_8bit(bytes)
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map_or(text.clone(), str::to_string);
    // Any NUL, or other control characters in more than 1 of 100 characters,
    // is binary data.
    let sample: Vec<char> = text.chars().take(65_536).collect();
    let is_odd = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
    let odd = sample.iter().filter(|c| is_odd(**c)).count();
    let has_nul = sample.contains(&'\0');
    if has_nul || odd * 100 > sample.len() {
        let (mut line, mut column) = (1u64, 1u64);
        for c in &sample {
            if is_odd(*c) {
                return Err(not_csv(
                    line,
                    column,
                    format!("binary data (a byte 0x{:02X})", u32::from(*c)),
                    "choose the CSV file you downloaded from Reports › Transaction History",
                ));
            }
            if *c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
    }
    if text.trim().is_empty() {
        return Err(CsvImportError::Empty {
            file: file.to_string(),
        });
    }
    let head = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<?xml")
    {
        let (line, column) = position_of_first_non_space(&text);
        return Err(not_csv(
            line,
            column,
            "this is a web page (HTML or XML)".into(),
            "use the \"Download CSV\" button on Reports › Transaction History rather than saving the page",
        ));
    }
    Ok(text)
}

fn position_of_first_non_space(text: &str) -> (u64, u64) {
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        if !c.is_whitespace() {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn sniff_binary_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)"),
        (b"\xD0\xCF\x11\xE0", "an old Excel workbook (.xls)"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"GIF8", "a GIF image"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

fn kind_advice(kind: &str) -> &'static str {
    if kind.contains("Excel") {
        "open it in your spreadsheet and save it as CSV (File › Save As › CSV), or use the \"Download CSV\" button on Reports › Transaction History"
    } else if kind.contains("PDF") {
        "a statement or invoice PDF cannot be imported; use the \"Download CSV\" button on Reports › Transaction History"
    } else {
        "choose the CSV file you downloaded from Reports › Transaction History"
    }
}

/// UTF-16 without a BOM: ASCII text has a zero in every odd byte.
fn looks_utf16le(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    sample.len() >= 8 && sample.chunks_exact(2).all(|p| p[1] == 0 && p[0] != 0)
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|p| read([p[0], p[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// UTF-8 when it is, else Windows-1252 (what a spreadsheet on Windows saves).
fn text_from_8bit(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The delimiter of the header line: `,` unless `;` or a tab is more common.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text
        .lines()
        .take(20)
        .find(|l| l.to_ascii_lowercase().contains("date"))
        .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("");
    let count = |d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && c == d
            })
            .count()
    };
    let (commas, semis, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

fn parse_file(file: &str, bytes: &[u8]) -> Result<ParsedFile, CsvImportError> {
    if bytes.is_empty() {
        return Err(CsvImportError::Empty {
            file: file.to_string(),
        });
    }
    let text = decode(file, bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, csv::Position::line);
        CsvImportError::Csv {
            file: file.to_string(),
            line,
            column: 1,
            message: e.to_string(),
        }
    };

    // The header is the first record naming the required columns; a short
    // preamble before it (a title, a period) is skipped.
    let mut records = reader.records();
    let mut first_header: Option<(u64, Vec<String>, Vec<String>)> = None;
    let mut columns = None;
    for _ in 0..20 {
        let Some(record) = records.next() else { break };
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(1, csv::Position::line);
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match Columns::find(&fields) {
            Ok(c) => {
                columns = Some((line, c));
                break;
            }
            Err(missing) => {
                if first_header.is_none() {
                    first_header = Some((line, fields, missing));
                }
            }
        }
    }
    let Some((_, columns)) = columns else {
        let Some((line, found, missing)) = first_header else {
            return Err(CsvImportError::Empty {
                file: file.to_string(),
            });
        };
        return Err(CsvImportError::MissingColumns {
            file: file.to_string(),
            line,
            missing,
            found: found
                .iter()
                .map(|f| shorten(f.trim()))
                .filter(|f| !f.is_empty())
                .collect(),
        });
    };

    let width = columns.names.len();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(1, csv::Position::line);
        let mut fields: Vec<&str> = record.iter().map(clean_field).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        // A totals or notes line: neither a date nor a type.
        let blank = |i: usize| fields.get(i).is_none_or(|f| f.is_empty());
        if blank(columns.date) && blank(columns.kind) {
            skipped.push(line);
            continue;
        }
        // Trailing empty fields beyond the header are harmless.
        while fields.len() > width && fields.last().is_some_and(|f| f.is_empty()) {
            fields.pop();
        }
        let required = columns.date.max(columns.kind).max(columns.amount);
        if fields.len() > width || fields.len() <= required {
            // A value running over lines in a row that does not fit is where
            // a quote was opened and not closed where it should have been.
            let multiline = fields.iter().position(|f| f.contains('\n'));
            let column = if let Some(i) = multiline.filter(|&i| i < width) {
                format!("\"{}\"", columns.name(i))
            } else if fields.len() > width {
                format!(
                    "{} (past the last column, \"{}\")",
                    width + 1,
                    columns.name(width - 1)
                )
            } else {
                format!("\"{}\"", columns.name(fields.len()))
            };
            return Err(CsvImportError::FieldCount {
                file: file.to_string(),
                line,
                column,
                expected: width,
                found: fields.len(),
                open_quote: multiline.is_some(),
            });
        }
        rows.push(parse_row(file, line, &columns, &fields)?);
    }
    // Upwork lists the newest first; keep each file oldest first so rows of
    // one day stay in the order they happened.
    if let (Some(first), Some(last)) = (rows.first(), rows.last())
        && first.date > last.date
    {
        rows.reverse();
    }
    Ok(ParsedFile {
        name: file.to_string(),
        rows,
        skipped_lines: skipped,
    })
}

/// Trimmed, and Excel's text-forcing `="00123"` unwrapped.
fn clean_field(field: &str) -> &str {
    let f = field.trim();
    f.strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(f)
        .trim()
}

fn parse_row(
    file: &str,
    line: u64,
    columns: &Columns,
    fields: &[&str],
) -> Result<Row, CsvImportError> {
    let get = |index: Option<usize>| -> Option<String> {
        index
            .and_then(|i| fields.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let bad = |index: usize, expected: &'static str| CsvImportError::BadValue {
        file: file.to_string(),
        line,
        column: columns.name(index),
        value: fields.get(index).copied().unwrap_or("").to_string(),
        expected,
    };

    let date_text = fields.get(columns.date).copied().unwrap_or("");
    let date = parse_date(date_text).ok_or_else(|| {
        bad(
            columns.date,
            "a date such as \"Nov 23, 2026\" or \"2026-11-23\"",
        )
    })?;
    let amount_text = fields.get(columns.amount).copied().unwrap_or("");
    let amount = parse_amount(amount_text).ok_or_else(|| {
        bad(
            columns.amount,
            "an amount such as \"1,234.50\" or \"-12.00\"",
        )
    })?;

    let mut file_status = get(columns.status).and_then(|s| status_word(&s));
    let balance = match get(columns.balance) {
        None => None,
        Some(text) => match parse_amount(&text) {
            Some(m) => Some(m),
            // Upwork's own screen writes "Pending" where the balance is not final.
            None => match status_word(&text) {
                Some(s) => {
                    file_status = file_status.or(Some(s));
                    None
                }
                None => {
                    return Err(bad(
                        columns.balance.unwrap_or(0),
                        "a balance such as \"1,234.50\" or \"-12.00\"",
                    ));
                }
            },
        },
    };

    let type_text = get(Some(columns.kind)).unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    for &i in &columns.descriptions {
        if let Some(p) = get(Some(i))
            && !parts.contains(&p)
        {
            parts.push(p);
        }
    }
    let mut description = parts.join("; ");
    let (kind, unknown_type) = kind_from(&type_text, &description);
    if unknown_type && !type_text.is_empty() {
        description = if description.is_empty() {
            type_text.clone()
        } else {
            format!("{type_text}: {description}")
        };
    }
    if let (Some(local), Some(currency)) = (get(columns.local_amount), get(columns.currency))
        && !currency.eq_ignore_ascii_case("USD")
    {
        let note = format!("(local currency: {local} {currency})");
        description = if description.is_empty() {
            note
        } else {
            format!("{description} {note}")
        };
    }

    let transaction_id = get(columns.transaction_id);
    let ref_id = get(columns.ref_id);
    Ok(Row {
        file: file.to_string(),
        line,
        date,
        period_end: period_end(&description),
        type_text,
        kind,
        unknown_type,
        id: transaction_id.or_else(|| ref_id.clone()),
        ref_id,
        amount,
        balance,
        file_status,
        description,
        freelancer: get(columns.freelancer),
        account_name: get(columns.account_name),
        team: get(columns.team),
        agency: get(columns.agency),
    })
}

// ---------------------------------------------------------------------------
// Values

/// Upwork's type words (either generation) to the model's kinds, read as
/// the API's are; the bool says the word was not recognised.
fn kind_from(type_text: &str, description: &str) -> (TransactionKind, bool) {
    match super::vocabulary::transaction_kind(&normalise_header(type_text), description) {
        Some(kind) => (kind, false),
        None => (TransactionKind::Adjustment, true),
    }
}

/// A status word in a status or balance column.
fn status_word(text: &str) -> Option<PaymentStatus> {
    let t = text.trim().to_lowercase();
    if t.contains("review") {
        Some(PaymentStatus::InReview)
    } else if t.contains("pending") || t.contains("processing") || t.contains("hold") {
        Some(PaymentStatus::Pending)
    } else if t.contains("unpaid") || t.contains("overdue") || t == "due" {
        Some(PaymentStatus::Unpaid)
    } else if [
        "available",
        "completed",
        "complete",
        "cleared",
        "paid",
        "settled",
        "success",
    ]
    .contains(&t.as_str())
    {
        Some(PaymentStatus::Available)
    } else {
        None
    }
}

/// A dollar amount as Upwork or a spreadsheet writes it: `1,234.50`,
/// `$1,234.50`, `-$12.00`, `$-12.00`, `(12.00)`, `12`, `-1.234,50` (decimal
/// comma), `1 234,50`. Rounded to cents. `None` when it is not a number.
pub fn parse_amount(text: &str) -> Option<Money> {
    let mut s = text.trim().replace(['\u{a0}', '\u{202f}'], " ");
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
        negative = true;
        s = s[1..s.len() - 1].trim().to_string();
    }
    // Signs and the currency, in either order: -$12, $-12, USD 12, 12 USD.
    loop {
        let before = s.len();
        for prefix in ["US$", "USD", "$"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim_start().to_string();
            }
        }
        if let Some(rest) = s.strip_suffix("USD") {
            s = rest.trim_end().to_string();
        }
        for minus in ['-', '−', '–'] {
            if let Some(rest) = s.strip_prefix(minus) {
                negative = !negative;
                s = rest.trim_start().to_string();
            }
        }
        if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim_start().to_string();
        }
        if s.len() == before {
            break;
        }
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\''))
    {
        return None;
    }
    if !s.starts_with(|c: char| c.is_ascii_digit()) && !s.starts_with('.') {
        return None;
    }
    // Which mark is the decimal point: the last of '.' and ',' when both
    // appear; a lone ',' followed by one or two digits; a lone '.'.
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let decimal = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(d), None) => (s.matches('.').count() == 1).then_some(d),
        (None, Some(c)) => {
            let after = s.len() - c - 1;
            (s.matches(',').count() == 1 && (1..=2).contains(&after)).then_some(c)
        }
        (None, None) => None,
    };
    let (int_part, frac_part) = match decimal {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s.as_str(), ""),
    };
    if !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Grouping: every group after the first has exactly three digits.
    let groups: Vec<&str> = int_part.split(['.', ',', ' ', '\'']).collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() && frac_part.is_empty() {
        return None;
    }
    let whole: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut frac = frac_part.chars().map(|c| i64::from(c as u8 - b'0'));
    let tenths = frac.next().unwrap_or(0);
    let hundredths = frac.next().unwrap_or(0);
    let round_up = frac.next().is_some_and(|d| d >= 5);
    let cents = whole
        .checked_mul(100)?
        .checked_add(tenths * 10 + hundredths + i64::from(round_up))?;
    Some(Money::from_cents(if negative { -cents } else { cents }))
}

/// A date as Upwork or a spreadsheet writes it: `Nov 23, 2026`,
/// `November 23, 2026`, `2026-11-23`, `11/23/2026` (US order; day first
/// when the first number cannot be a month), `23.11.2026`, `23-Nov-2026`,
/// ISO date-times with `Z`, `+00:00` or `+0000`. Without a time, midnight UTC.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim().trim_matches('"').trim();
    if s.is_empty() {
        return None;
    }
    // Chrono knows "Sep", not "Sept"; a dot after an abbreviation is noise.
    let s = s
        .replace("Sept ", "Sep ")
        .replace("Sept.", "Sep")
        .replace(". ", " ");
    let s = s.as_str();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    const WITH_OFFSET: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M%z",
    ];
    for f in WITH_OFFSET {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let s = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s);
    const NAIVE: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%b %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M",
    ];
    for f in NAIVE {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    const DAYS: &[&str] = &[
        "%Y-%m-%d",
        "%b %d, %Y",
        "%B %d, %Y",
        "%b %d %Y",
        "%B %d %Y",
        "%m/%d/%Y",
        "%m/%d/%y",
        "%d/%m/%Y",
        "%d %b %Y",
        "%d %B %Y",
        "%d-%b-%Y",
        "%d-%b-%y",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%m-%d-%Y",
    ];
    for f in DAYS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f)
            && (1990..=2200).contains(&chrono::Datelike::year(&d))
        {
            return d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
        }
    }
    None
}

/// The last day of a period named in a description, e.g. "Invoice for
/// 11/09/2026-11/15/2026" or "2026-11-09 - 2026-11-15".
fn period_end(description: &str) -> Option<DateTime<Utc>> {
    let tokens: Vec<&str> = description
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | ','))
        .filter(|t| !t.is_empty())
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        let dates: Vec<DateTime<Utc>> = if token.matches('/').count() == 4 {
            // 11/09/2026-11/15/2026
            let Some((a, b)) = token.split_once('-') else {
                continue;
            };
            [a, b].iter().filter_map(|d| parse_date(d)).collect()
        } else if *token == "-" || *token == "to" || *token == "–" {
            let (Some(a), Some(b)) = (
                i.checked_sub(1).and_then(|j| tokens.get(j)),
                tokens.get(i + 1),
            ) else {
                continue;
            };
            [a, b].iter().filter_map(|d| parse_date(d)).collect()
        } else {
            continue;
        };
        if let [start, end] = dates[..]
            && start <= end
            && (end - start).num_days() <= 31
        {
            return Some(end);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Across files

/// Drops rows an earlier file already had: same id (or, without one, same
/// row), same day and amount. Repeats inside one file are kept (two fees
/// can share a reference), and counted so the same repeat in another file
/// is still recognised.
fn dedupe(files: Vec<ParsedFile>) -> (Vec<Row>, usize) {
    type Key = (String, NaiveDate, i64);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut skipped = 0;
    for file in files {
        let mut here: HashMap<Key, usize> = HashMap::new();
        for row in file.rows {
            let identity = row.id.clone().unwrap_or_else(|| {
                format!(
                    "{}|{}|{}|{}",
                    normalise_header(&row.type_text),
                    row.description,
                    row.balance.map_or(String::new(), Money::plain),
                    row.team.as_deref().unwrap_or("")
                )
            });
            let key = (identity, row.date.date_naive(), row.amount.cents);
            let n = here.entry(key.clone()).or_default();
            *n += 1;
            if *n <= seen.get(&key).copied().unwrap_or(0) {
                skipped += 1;
            } else {
                out.push(row);
            }
        }
        for (key, n) in here {
            let entry = seen.entry(key).or_default();
            *entry = (*entry).max(n);
        }
    }
    (out, skipped)
}

fn is_earning(kind: TransactionKind) -> bool {
    matches!(
        kind,
        TransactionKind::Hourly
            | TransactionKind::FixedPrice
            | TransactionKind::Bonus
            | TransactionKind::Payment
    )
}

/// A client's file pays for work: most hourly, fixed-price and bonus rows
/// are money out. (Payments are left out: a client's card payments are
/// money in.) An agency's file is paid for work under the agency's own
/// name: its "Agency" column names the account holder ("Account Name"),
/// while a freelancer paid through someone else's agency is named apart.
fn detect_kind(rows: &[Row]) -> AccountKind {
    let (mut paid_in, mut paid_out) = (0usize, 0usize);
    let work = |k| {
        matches!(
            k,
            TransactionKind::Hourly | TransactionKind::FixedPrice | TransactionKind::Bonus
        )
    };
    for r in rows.iter().filter(|r| work(r.kind)) {
        if r.amount.is_negative() {
            paid_out += 1;
        } else if r.amount.is_positive() {
            paid_in += 1;
        }
    }
    if paid_out > paid_in {
        return AccountKind::Client;
    }
    let paid_to_own_agency = rows
        .iter()
        .filter(|r| work(r.kind) && r.amount.is_positive())
        .filter(|r| {
            matches!((&r.agency, &r.account_name), (Some(agency), Some(account))
                if agency.trim().eq_ignore_ascii_case(account.trim()))
        })
        .count();
    if paid_in > 0 && paid_to_own_agency * 2 > paid_in {
        AccountKind::Agency
    } else {
        AccountKind::Freelancer
    }
}

fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, v) in values.enumerate() {
        let e = counts.entry(v).or_insert((0, i));
        e.0 += 1;
    }
    counts
        .into_iter()
        // Most often, then first seen.
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(v, _)| v.to_string())
}

fn detect_name(rows: &[Row], kind: AccountKind) -> Option<String> {
    let freelancer = || most_common(rows.iter().filter_map(|r| r.freelancer.as_deref()));
    let account = || most_common(rows.iter().filter_map(|r| r.account_name.as_deref()));
    match kind {
        AccountKind::Client => account(),
        AccountKind::Agency => {
            most_common(rows.iter().filter_map(|r| r.agency.as_deref())).or_else(account)
        }
        AccountKind::Freelancer => freelancer().or_else(account),
    }
}

/// A row turned into a transaction, with what later steps need.
struct Built {
    tx: Transaction,
    ref_id: Option<String>,
    file_balance: Option<Money>,
    file: String,
    line: u64,
    type_text: String,
    unknown_type: bool,
}

fn build_row(row: Row, kind: AccountKind, user: Option<&str>, today: DateTime<Utc>) -> Built {
    let not_user = |v: &Option<String>| v.clone().filter(|v| Some(v.as_str()) != user);
    let counterparty = match kind {
        AccountKind::Client => not_user(&row.freelancer).or_else(|| not_user(&row.agency)),
        AccountKind::Freelancer | AccountKind::Agency => not_user(&row.team),
    };

    // Money in waits by the payment timing rules unless the file says otherwise.
    let waits = row.amount.is_positive() && is_earning(row.kind);
    let release = match row.kind {
        TransactionKind::Hourly => hourly_available_on(row.period_end.unwrap_or(row.date)),
        _ => manual_payment_available_on(row.date),
    };
    let (status, available_on) = match row.file_status {
        Some(PaymentStatus::Unpaid) => (PaymentStatus::Unpaid, None),
        // Money out has left the balance whatever the file says of it.
        _ if !row.amount.is_positive() => (PaymentStatus::Available, None),
        // Released since the file was downloaded.
        Some(PaymentStatus::InReview | PaymentStatus::Pending) if release <= today => {
            (PaymentStatus::Available, None)
        }
        Some(s @ (PaymentStatus::InReview | PaymentStatus::Pending)) => (s, Some(release)),
        Some(PaymentStatus::Available) => (PaymentStatus::Available, None),
        None if waits && release > today => {
            let s = if row.kind == TransactionKind::Hourly {
                PaymentStatus::InReview
            } else {
                PaymentStatus::Pending
            };
            (s, Some(release))
        }
        None => (PaymentStatus::Available, None),
    };

    let id = row
        .id
        .clone()
        .unwrap_or_else(|| format!("{}:{}", row.file, row.line));
    Built {
        tx: Transaction {
            id,
            date: row.date,
            kind: row.kind,
            description: row.description,
            counterparty,
            contract_id: None,
            amount: row.amount,
            balance_after: row.balance.unwrap_or_default(),
            status,
            available_on,
        },
        ref_id: row.ref_id,
        file_balance: row.balance,
        file: row.file,
        line: row.line,
        type_text: row.type_text,
        unknown_type: row.unknown_type,
    }
}

/// Service fees are taken from the earning they belong to and wait with it:
/// a fee on money in review is itself in review, or the available balance
/// would dip below zero and read as money owed.
fn link_fees(built: &mut [Built]) {
    // Only earnings that still wait can hold a fee back; usually a handful.
    let waiting: Vec<usize> = (0..built.len())
        .filter(|&j| is_earning(built[j].tx.kind) && built[j].tx.status != PaymentStatus::Available)
        .collect();
    if waiting.is_empty() {
        return;
    }
    // Every earning by its id and its "Ref ID".
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (j, e) in built
        .iter()
        .enumerate()
        .filter(|(_, e)| is_earning(e.tx.kind))
    {
        by_id.entry(e.tx.id.as_str()).or_insert(j);
        if let Some(r) = e.ref_id.as_deref() {
            by_id.entry(r).or_insert(j);
        }
    }
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (i, fee) in built.iter().enumerate() {
        if fee.tx.kind != TransactionKind::ServiceFee || fee.tx.status != PaymentStatus::Available {
            continue;
        }
        // References: the row's "Ref ID" and any "Ref ID 123" in the description.
        let mut refs: Vec<&str> = fee.ref_id.iter().map(String::as_str).collect();
        let words: Vec<&str> = fee.tx.description.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0].eq_ignore_ascii_case("ref") && w[1].to_ascii_lowercase().starts_with("id") {
                refs.push(w[2].trim_matches(|c: char| !c.is_alphanumeric()));
            }
        }
        let by_ref = refs.iter().find_map(|r| by_id.get(r).copied());
        let earning = by_ref.or_else(|| {
            // Same day and client: the nearest earning that still waits.
            let day = fee.tx.date.date_naive();
            waiting
                .iter()
                .copied()
                .filter(|&j| {
                    let e = &built[j];
                    e.tx.date.date_naive() == day && e.tx.counterparty == fee.tx.counterparty
                })
                .min_by_key(|&j| j.abs_diff(i))
        });
        if let Some(j) = earning
            && built[j].tx.status != PaymentStatus::Available
        {
            links.push((i, j));
        }
    }
    for (i, j) in links {
        let (status, on) = (built[j].tx.status, built[j].tx.available_on);
        built[i].tx.status = status;
        built[i].tx.available_on = on;
    }
}

/// Makes every id unique: a later row reusing an id gets `-2`, `-3`…
fn unique_ids(built: &mut [Built]) {
    let mut seen: HashSet<String> = built.iter().map(|b| b.tx.id.clone()).collect();
    if seen.len() == built.len() {
        return;
    }
    seen.clear();
    for b in built.iter_mut() {
        if !seen.insert(b.tx.id.clone()) {
            let base = b.tx.id.clone();
            let mut n = 2;
            while seen.contains(&format!("{base}-{n}")) {
                n += 1;
            }
            b.tx.id = format!("{base}-{n}");
            seen.insert(b.tx.id.clone());
        }
    }
}

/// Works out the balance before the first row, from the first settled row
/// that shows one, and fills `balance_after` where the file has none (the
/// running total of settled rows). Warns when the files' balances do not
/// add up, which means a period is missing between them.
///
/// Refuses files whose amounts, taken together with the opening balance,
/// do not fit in Offboard's money: the sum of their absolute values must
/// fit, so that every later sum over any of the rows (balances, totals per
/// client or year) is exact.
fn fill_balances(built: &mut [Built], warnings: &mut Vec<String>) -> Result<Money, CsvImportError> {
    let too_large = |b: &Built| CsvImportError::TooLarge {
        file: b.file.clone(),
        line: b.line,
    };
    let mut bound = Money::ZERO;
    for b in built.iter() {
        bound =
            b.tx.amount
                .checked_abs()
                .and_then(|size| bound.checked_add(size))
                .ok_or_else(|| too_large(b))?;
    }
    let mut running = Money::ZERO;
    let mut opening = Money::ZERO;
    for b in built.iter() {
        if b.tx.status == PaymentStatus::Available {
            running = running
                .checked_add(b.tx.amount)
                .ok_or_else(|| too_large(b))?;
            if let Some(balance) = b.file_balance {
                opening = balance
                    .checked_sub(running)
                    .filter(|o| o.checked_abs().and_then(|o| o.checked_add(bound)).is_some())
                    .ok_or_else(|| too_large(b))?;
                break;
            }
        }
    }

    let mut running = opening;
    let mut settled_so_far = true;
    let mut mismatch: Option<(String, u64, Money, Money)> = None;
    for b in built.iter_mut() {
        if b.tx.status == PaymentStatus::Available {
            running = running
                .checked_add(b.tx.amount)
                .ok_or_else(|| too_large(b))?;
        } else {
            settled_so_far = false;
        }
        match b.file_balance {
            Some(balance) => {
                if settled_so_far && b.tx.status == PaymentStatus::Available {
                    mismatch =
                        (balance != running).then(|| (b.file.clone(), b.line, balance, running));
                }
            }
            None => b.tx.balance_after = running,
        }
    }
    if let Some((file, line, shown, summed)) = mismatch {
        warnings.push(format!(
            "{file}, line {line}: the file shows a balance of {shown}, but the rows before it add up \
             to {summed}; a period is probably missing between the files. Add the missing \
             file, or download the whole history as one file."
        ));
    }
    Ok(opening)
}

/// Opens the CSV files the user added (registry entry).
pub fn open(
    _profile: &'static crate::model::profile::PlatformProfile,
    context: &crate::platform::registry::OpenContext<'_>,
) -> Result<Box<dyn Platform>, PlatformError> {
    let sources = context.sources;
    if sources.csv_files.is_empty() {
        return Err(PlatformError::Refused(
            "add the transaction-history CSV files you downloaded from Upwork".into(),
        ));
    }
    let platform = UpworkCsvPlatform::open_as(&sources.csv_files, sources.csv_kind, context.now)
        .map_err(|e| PlatformError::Malformed(e.to_string()))?;
    Ok(Box::new(platform))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::review::{ItemKind, assess};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn cents(c: i64) -> Option<Money> {
        Some(Money::from_cents(c))
    }

    #[test]
    fn amounts_in_every_shape() {
        assert_eq!(parse_amount("1,234.50"), cents(123_450));
        assert_eq!(parse_amount("$1,234.50"), cents(123_450));
        assert_eq!(parse_amount("-$12.00"), cents(-1_200));
        assert_eq!(parse_amount("$-12.00"), cents(-1_200));
        assert_eq!(parse_amount("(12.00)"), cents(-1_200));
        assert_eq!(parse_amount("($1,000)"), cents(-100_000));
        assert_eq!(parse_amount(" 12 "), cents(1_200));
        assert_eq!(parse_amount("12.5"), cents(1_250));
        assert_eq!(parse_amount(".5"), cents(50));
        assert_eq!(parse_amount("0.005"), cents(1));
        assert_eq!(parse_amount("0.004"), cents(0));
        assert_eq!(parse_amount("1,234,567.89"), cents(123_456_789));
        assert_eq!(parse_amount("-1.234,50"), cents(-123_450));
        assert_eq!(parse_amount("12,5"), cents(1_250));
        assert_eq!(parse_amount("1 234,50"), cents(123_450));
        assert_eq!(parse_amount("1,234"), cents(123_400));
        assert_eq!(parse_amount("USD 40.00"), cents(4_000));
        assert_eq!(parse_amount("40.00 USD"), cents(4_000));
        assert_eq!(parse_amount("−7.25"), cents(-725));
        assert_eq!(parse_amount("+3"), cents(300));
    }

    #[test]
    fn not_amounts() {
        for bad in [
            "",
            "12,3x",
            "abc",
            "1,23,4.00",
            "12.34.56.7x",
            "$",
            "-",
            "()",
            "1.2.3,4,5",
            "12345,678.00",
            "Pending",
            "1e5",
            "--",
            "12-",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_in_every_shape() {
        let day = Some(at(2026, 11, 23, 0));
        assert_eq!(parse_date("Nov 23, 2026"), day);
        assert_eq!(parse_date("November 23, 2026"), day);
        assert_eq!(parse_date("2026-11-23"), day);
        assert_eq!(parse_date("11/23/2026"), day);
        assert_eq!(parse_date("23/11/2026"), day);
        assert_eq!(parse_date("23.11.2026"), day);
        assert_eq!(parse_date("23-Nov-2026"), day);
        assert_eq!(parse_date("2026-11-23T00:00:00+0000"), day);
        assert_eq!(parse_date("2026-11-23T00:00:00+00:00"), day);
        assert_eq!(parse_date("2026-11-23T00:00:00Z"), day);
        assert_eq!(parse_date("2026-11-23T00:00:00.000+0000"), day);
        assert_eq!(parse_date("2026-11-23T02:00:00+0200"), day);
        assert_eq!(
            parse_date("2026-11-23 10:00:00"),
            Some(at(2026, 11, 23, 10))
        );
        assert_eq!(parse_date("Sept 3, 2026"), Some(at(2026, 9, 3, 0)));
        assert_eq!(parse_date("1/5/2026"), Some(at(2026, 1, 5, 0)));
        assert_eq!(parse_date("31/31/2026"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn headers_normalise() {
        assert_eq!(normalise_header("\u{feff}Date"), "date");
        assert_eq!(normalise_header("  Amount $ "), "amount $");
        assert_eq!(normalise_header("Amount($)"), "amount $");
        assert_eq!(normalise_header("AMOUNT$"), "amount $");
        assert_eq!(normalise_header("Ref. ID"), "ref id");
        assert_eq!(normalise_header("Transaction_Type"), "transaction type");
        assert_eq!(normalise_header("Current  Balance $"), "current balance $");
        assert_eq!(
            normalise_header("Amount in local currency"),
            "amount in local currency"
        );
    }

    #[test]
    fn kinds_from_upwork_words() {
        let k = |t: &str| kind_from(t, "").0;
        assert_eq!(k("Hourly"), TransactionKind::Hourly);
        assert_eq!(k("Fixed Price"), TransactionKind::FixedPrice);
        assert_eq!(k("Fixed-price"), TransactionKind::FixedPrice);
        assert_eq!(k("Bonus"), TransactionKind::Bonus);
        assert_eq!(k("Withdrawal"), TransactionKind::Withdrawal);
        assert_eq!(k("Withdrawal Fee"), TransactionKind::WithdrawalFee);
        assert_eq!(k("Refund"), TransactionKind::Refund);
        assert_eq!(k("Service Fee"), TransactionKind::ServiceFee);
        assert_eq!(k("Membership Fee"), TransactionKind::ConnectsPurchase);
        assert_eq!(k("Connects"), TransactionKind::ConnectsPurchase);
        assert_eq!(k("Miscellaneous"), TransactionKind::Adjustment);
        assert_eq!(k("Payment"), TransactionKind::Payment);
        assert_eq!(
            kind_from("Miscellaneous", "Withdrawal Fee").0,
            TransactionKind::WithdrawalFee
        );
        assert_eq!(
            kind_from("Gift card", ""),
            (TransactionKind::Adjustment, true)
        );
    }

    #[test]
    fn periods_in_descriptions() {
        assert_eq!(
            period_end("Invoice for 11/09/2026-11/15/2026"),
            Some(at(2026, 11, 15, 0))
        );
        assert_eq!(
            period_end("Hourly; Invoice for 2026-11-09 - 2026-11-15 (Blue Fjord)"),
            Some(at(2026, 11, 15, 0))
        );
        assert_eq!(period_end("Milestone 3: Payment integration"), None);
    }

    #[test]
    fn delimiters_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("Date,Type,Amount\n"), b',');
        assert_eq!(sniff_delimiter("Date;Type;Amount\n1;\"a,b\";1,5\n"), b';');
        assert_eq!(sniff_delimiter("Date\tType\tAmount\n"), b'\t');
        assert_eq!(sniff_delimiter("Report\n\"Date, UTC\";Type;Amount\n"), b';');
    }

    #[test]
    fn text_encodings() {
        let latin = b"Date,Type,Amount\nNov 2, 2026,Bonus,\"1,00\"\nCaf\xE9\n";
        let text = decode("x.csv", latin).map_err(|e| e.to_string());
        assert!(
            text.as_deref().is_ok_and(|t| t.contains("Café")),
            "{text:?}"
        );

        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Date\tType\tAmount\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(
            decode("x.csv", &utf16).map_err(|e| e.to_string()),
            Ok("Date\tType\tAmount\n".to_string())
        );
        let bare: Vec<u8> = "Date,Type,Amount\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode("x.csv", &bare).map_err(|e| e.to_string()),
            Ok("Date,Type,Amount\n".to_string())
        );
    }

    #[test]
    fn binary_is_refused_with_its_position() {
        let e = decode("junk.csv", b"Date,Type\nab\x00cd")
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err("junk.csv, line 2, column 3: binary data (a byte 0x00), not a CSV file; choose the CSV file you downloaded from Reports › Transaction History".to_string())
        );
        let e = decode("book.csv", b"PK\x03\x04rest")
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            e.as_ref().is_err_and(|m| m.starts_with(
                "book.csv, line 1, column 1: this is a ZIP archive or an Excel workbook (.xlsx), not a CSV file; open it in your spreadsheet"
            )),
            "{e:?}"
        );
        let e = decode("page.csv", b"\n  <!DOCTYPE html><html>")
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            e.as_ref()
                .is_err_and(|m| m.starts_with("page.csv, line 2, column 3: this is a web page")),
            "{e:?}"
        );
    }

    const HEADER: &str = "Date,Ref ID,Type,Description,Team,Amount,Balance\n";

    fn import(csv: &str, today: DateTime<Utc>) -> UpworkCsvPlatform {
        match UpworkCsvPlatform::from_bytes(&[("t.csv", csv.as_bytes())], today) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn hourly_in_review_until_the_wednesday_ten_days_after_its_week() {
        // Invoiced Monday 16 Nov for the week 9–15 Nov: released Wed 25 Nov.
        let csv = format!(
            "{HEADER}Nov 16 2026,1,Hourly,Invoice for 11/09/2026-11/15/2026,Acme,100.00,100.00\n\
             Nov 16 2026,2,Service Fee,Service Fee for Hourly - Ref ID 1,Acme,-10.00,90.00\n"
        );
        let p = import(&csv, at(2026, 11, 23, 10));
        let t = p.transaction_list();
        assert_eq!(t[0].status, PaymentStatus::InReview);
        assert_eq!(t[0].available_on, Some(at(2026, 11, 25, 0)));
        assert_eq!(
            t[1].status,
            PaymentStatus::InReview,
            "the fee waits with its earning"
        );
        assert_eq!(t[1].available_on, Some(at(2026, 11, 25, 0)));
        let b = p.balances();
        assert_eq!(b.in_review, Money::from_cents(9_000));
        assert_eq!(b.available, Money::ZERO);
        assert_eq!(b.owed, Money::ZERO);

        // On the Wednesday it is available.
        let p = import(&csv, at(2026, 11, 25, 0));
        assert_eq!(p.balances().available, Money::from_cents(9_000));
        assert_eq!(p.balances().in_review, Money::ZERO);
    }

    #[test]
    fn hourly_without_a_period_uses_the_row_date() {
        let csv = format!("{HEADER}Nov 18 2026,1,Hourly,Weekly hours,Acme,50.00,50.00\n");
        let p = import(&csv, at(2026, 11, 23, 10));
        // Week of 16–22 Nov: released Wed 2 Dec.
        assert_eq!(
            p.transaction_list()[0].available_on,
            Some(at(2026, 12, 2, 0))
        );
    }

    #[test]
    fn manual_payments_pending_for_five_days() {
        let csv = format!(
            "{HEADER}Nov 18 2026,1,Fixed Price,Milestone 1,Acme,200.00,200.00\n\
             Nov 19 2026,2,Bonus,Thanks,Acme,20.00,220.00\n"
        );
        let p = import(&csv, at(2026, 11, 23, 10));
        let t = p.transaction_list();
        assert_eq!(
            t[0].status,
            PaymentStatus::Available,
            "18 Nov + 5 days has passed"
        );
        assert_eq!(t[0].available_on, None);
        assert_eq!(t[1].status, PaymentStatus::Pending);
        assert_eq!(t[1].available_on, Some(at(2026, 11, 24, 0)));
        assert_eq!(p.balances().pending, Money::from_cents(2_000));
        assert_eq!(p.balances().available, Money::from_cents(20_000));
    }

    #[test]
    fn a_status_column_is_honoured_until_the_money_is_released() {
        let csv = "Date,Type,Amount,Status\n\
                   2026-11-02,Fixed Price,100,Pending\n\
                   2026-11-21,Fixed Price,50,Pending\n\
                   2026-11-21,Fixed Price,25,Completed\n\
                   2026-11-21,Hourly,10,In review\n";
        let p = import(csv, at(2026, 11, 23, 10));
        let s: Vec<PaymentStatus> = p.transaction_list().iter().map(|t| t.status).collect();
        assert_eq!(
            s,
            vec![
                PaymentStatus::Available,
                PaymentStatus::Pending,
                PaymentStatus::Available,
                PaymentStatus::InReview
            ]
        );
    }

    #[test]
    fn balance_column_saying_pending_is_a_status() {
        let csv = format!("{HEADER}Nov 21 2026,1,Fixed Price,M1,Acme,80.00,Pending\n");
        let p = import(&csv, at(2026, 11, 23, 10));
        assert_eq!(p.transaction_list()[0].status, PaymentStatus::Pending);
    }

    #[test]
    fn opening_balance_from_the_first_settled_row() {
        let csv = format!(
            "{HEADER}Mar 3 2026,1,Withdrawal,To bank,,-100.00,400.00\n\
             Mar 4 2026,2,Bonus,Thanks,Acme,10.00,410.00\n"
        );
        let p = import(&csv, at(2026, 11, 23, 10));
        assert_eq!(p.opening_balance(), Money::from_cents(50_000));
        assert_eq!(p.balances().available, Money::from_cents(41_000));
        assert!(p.warnings().is_empty(), "{:?}", p.warnings());
    }

    #[test]
    fn negative_final_balance_is_owed() {
        let csv = format!(
            "{HEADER}Mar 3 2026,1,Fixed Price,M1,Acme,100.00,100.00\n\
             Apr 3 2026,2,Refund,Refund M1,Acme,-100.00,0.00\n\
             Apr 3 2026,3,Service Fee,Fee,Acme,-10.00,-10.00\n"
        );
        let p = import(&csv, at(2026, 11, 23, 10));
        let b = p.balances();
        assert_eq!(b.owed, Money::from_cents(1_000));
        assert_eq!(b.available, Money::ZERO);
        let a = assess(
            &crate::platform::upwork::profile::UPWORK_CSV,
            &p.pending_work(ACCOUNT_ID).unwrap_or_else(|e| panic!("{e}")),
            at(2026, 11, 23, 10),
        );
        assert!(a.items.iter().any(|i| i.kind == ItemKind::NegativeBalance));
    }

    #[test]
    fn gaps_between_files_are_warned_about() {
        let a = format!("{HEADER}Jan 5 2026,1,Bonus,B,Acme,10.00,10.00\n");
        let b = format!("{HEADER}Jun 5 2026,2,Bonus,B,Acme,10.00,50.00\n");
        let p = UpworkCsvPlatform::from_bytes(
            &[("jan.csv", a.as_bytes()), ("jun.csv", b.as_bytes())],
            at(2026, 11, 23, 10),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.warnings(),
            [
                "jun.csv, line 2: the file shows a balance of $50.00, but the rows before it add up \
              to $20.00; a period is probably missing between the files. Add the missing file, \
              or download the whole history as one file."
            ]
        );
    }

    #[test]
    fn rows_without_ids_dedupe_by_content_and_keep_repeats() {
        let csv = "Date,Type,Description,Amount\n\
                   2026-03-01,Service Fee,Fee,-1.00\n\
                   2026-03-01,Service Fee,Fee,-1.00\n";
        let p = UpworkCsvPlatform::from_bytes(
            &[("a.csv", csv.as_bytes()), ("b.csv", csv.as_bytes())],
            at(2026, 11, 23, 10),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.transaction_list().len(), 2);
        assert_eq!(p.duplicates_skipped(), 2);
        let ids: Vec<&str> = p.transaction_list().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a.csv:2", "a.csv:3"]);
    }

    #[test]
    fn client_files_are_recognised_and_group_by_freelancer() {
        let csv = "Date,Ref ID,Type,Description,Freelancer,Team,Account Name,Amount,Balance\n\
                   2026-03-02,1,Hourly,Invoice,Ana Ruiz,Acme,Acme Corp,-300.00,-300.00\n\
                   2026-03-02,2,Payment,Card,,Acme,Acme Corp,300.00,0.00\n\
                   2026-03-09,3,Fixed Price,M1,Bo Chen,Acme,Acme Corp,-500.00,-500.00\n\
                   2026-03-09,4,Payment,Card,,Acme,Acme Corp,500.00,0.00\n\
                   2026-03-16,5,Hourly,Invoice,Ana Ruiz,Acme,Acme Corp,-350.00,-350.00\n";
        let p = import(csv, at(2026, 11, 23, 10));
        assert_eq!(p.account().kind, AccountKind::Client);
        assert_eq!(p.account().display_name, "Acme Corp");
        assert_eq!(
            p.money_per_client(),
            vec![
                ("Ana Ruiz".to_string(), Money::from_cents(65_000)),
                ("Bo Chen".to_string(), Money::from_cents(50_000)),
            ]
        );
        // The last invoice is not paid yet: money owed, nothing pending.
        let b = p.balances();
        assert_eq!(b.owed, Money::from_cents(35_000));
        assert_eq!(b.pending, Money::ZERO);
        assert!(p.manual_checks().iter().any(|c| c.id == "job-posts"));
    }

    #[test]
    fn unknown_accounts_are_refused() {
        let p = import(HEADER, at(2026, 11, 23, 10));
        assert!(matches!(
            p.pending_work("other"),
            Err(PlatformError::UnknownAccount(_))
        ));
        assert!(p.transactions("nobody").is_err());
        assert_eq!(p.account().display_name, DEFAULT_NAME);
        assert_eq!(p.transaction_list().len(), 0);
    }

    #[test]
    fn totals_rows_are_left_out_and_excel_text_cells_unwrapped() {
        let csv = "Date,Ref ID,Type,Description,Amount\n\
                   2026-03-01,=\"00123\",Bonus,B,10.00\n\
                   ,,,Total,10.00\n";
        let p = import(csv, at(2026, 11, 23, 10));
        assert_eq!(p.transaction_list().len(), 1);
        assert_eq!(p.transaction_list()[0].id, "00123");
        assert_eq!(
            p.warnings(),
            ["t.csv, line 3: no date and no type, so not a transaction; left out."]
        );
    }

    #[test]
    fn reused_ids_are_made_unique() {
        let csv = "Date,Ref ID,Type,Description,Amount\n\
                   2026-03-01,77,Fixed Price,M1,100.00\n\
                   2026-03-01,77,Service Fee,Fee,-10.00\n";
        let p = import(csv, at(2026, 11, 23, 10));
        let ids: Vec<&str> = p.transaction_list().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["77", "77-2"]);
    }

    #[test]
    fn a_quote_open_to_the_end_of_the_file_is_named() {
        let csv = "Date,Ref ID,Type,Description,Team,Amount,Balance\n\
                   2026-11-02,1,Bonus,\"Thanks,Acme,5.00,15.00\n\
                   2026-11-04,3,Bonus,Thanks,Acme,5.00,20.00\n";
        let e = UpworkCsvPlatform::from_bytes(&[("q.csv", csv.as_bytes())], at(2026, 11, 23, 10))
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "q.csv, line 2, column \"Description\": the row has 4 fields where the header \
                 has 7 (a quote is probably not closed, so the following lines were read into \
                 this value); correct it in the file or {REDOWNLOAD}"
            ))
        );
    }

    #[test]
    fn a_large_history_imports_quickly() {
        // Five years of 1,800 rows, half of them fees, as one file.
        let mut csv = String::from("Date,Ref ID,Type,Description,Team,Amount,Balance\n");
        let start = at(2021, 1, 4, 0);
        let mut balance = 0i64;
        for i in 0..9_000i64 {
            let day = (start + chrono::Duration::hours(i * 4)).format("%Y-%m-%d");
            let (kind, cents) = if i % 2 == 0 {
                ("Hourly", 10_000)
            } else {
                ("Service Fee", -1_000)
            };
            balance += cents;
            let amount = Money::from_cents(cents).plain();
            let bal = Money::from_cents(balance).plain();
            csv.push_str(&format!(
                "{day},{i},{kind},Invoice - Ref ID {},Client {},{amount},{bal}\n",
                i - 1,
                i % 7
            ));
        }
        let started = std::time::Instant::now();
        let p = import(&csv, at(2026, 11, 23, 10));
        assert_eq!(p.transaction_list().len(), 9_000);
        assert_eq!(p.balances().available, Money::from_cents(balance));
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn missing_columns_message_names_them_and_what_was_found() {
        let e = UpworkCsvPlatform::from_bytes(
            &[(
                "paypal.csv",
                b"Date,Time,Name,Gross\n1/1/2026,10:00,A,1.00\n",
            )],
            at(2026, 11, 23, 10),
        )
        .map(|_| ())
        .map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err("paypal.csv, line 1, columns \"Transaction Type\" (or \"Type\") and \"Amount $\" (or \"Amount\"): required columns are missing; the header has \"Date\", \"Time\", \"Name\", \"Gross\"; this is not an Upwork transaction history, or its header was changed: download the transaction history again from Reports › Transaction History (Download CSV) and add that file".to_string())
        );
    }
}
