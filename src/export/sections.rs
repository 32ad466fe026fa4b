//! Each pass of the export: records stream from the platform into JSON
//! arrays (one record per line), CSV files and message transcripts.

use super::csv_cells::{optional_text_cell, text_cell};
use super::files::{AtomicFile, Durability, WriteMode};
use super::html::PageSection;
use super::html::RoomRow;
use super::manifest::FileEntry;
use super::names::UniqueStems;
use super::page_rows::{Companion, PageRow, RowWriter};
use super::short_text::ShortText;
use super::tally::{HourlyContract, HourlyContracts, TooLarge, WeekRow, WeeklyHours, YearTally};
use super::{ExportError, ExportRun, Pass, html, io_error, transcript};
use crate::model::account::{
    AccountKind, Contract, ContractKind, ContractStatus, Dispute, DisputeStatus, Feedback, JobPost,
    JobPostStatus, MessageRoom, MilestoneStatus, Offer, OfferStatus, PaymentStatus, Proposal,
    ProposalStatus, Review, TeamMember, TimeEntry, Transaction, TransactionKind,
};
use crate::model::money::Money;
use crate::platform::{PlatformError, RecordStream};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) const MESSAGES_DIR: &str = "messages";

/// Records handed to the renderer at a time: enough to make the hand-over
/// cheap, few enough that the records in flight weigh little.
const ROWS_PER_BATCH: usize = 64;

pub(crate) fn run_pass(run: &mut ExportRun<'_>, pass: Pass) -> Result<(), ExportError> {
    let platform = run.platform;
    let account = run.account;
    match pass {
        Pass::Profile => profile(run)?,
        Pass::Contracts => contracts(run)?,
        Pass::Proposals => {
            let stream = open(pass, platform.proposals(account))?;
            let csv: CsvSpec<Proposal> = ("proposals.csv", PROPOSAL_COLUMNS, proposal_row);
            collection(run, pass, stream, "proposals.json", Some(csv), false)?;
        }
        Pass::Offers => {
            let stream = open(pass, platform.offers(account))?;
            collection(run, pass, stream, "offers.json", None, false)?;
        }
        Pass::JobPosts => {
            let stream = open(pass, platform.job_posts(account))?;
            collection(run, pass, stream, "job-posts.json", None, true)?;
        }
        Pass::Team => {
            let stream = open(pass, platform.team(account))?;
            collection(run, pass, stream, "team.json", None, true)?;
        }
        Pass::Feedback => {
            let stream = open(pass, platform.feedback(account))?;
            let csv: CsvSpec<Feedback> = ("feedback.csv", FEEDBACK_COLUMNS, feedback_row);
            collection(run, pass, stream, "feedback.json", Some(csv), false)?;
        }
        Pass::Transactions => transactions(run)?,
        Pass::Disputes => {
            let stream = open(pass, platform.disputes(account))?;
            collection(run, pass, stream, "disputes.json", None, true)?;
        }
        Pass::Messages => messages(run)?,
        Pass::Index => html::finish_page(run)?,
    }
    run.pass_closed();
    Ok(())
}

/// Where `pass` shows its rows in index.html.
fn page_section(pass: Pass) -> Result<PageSection, ExportError> {
    PageSection::of(pass.section()).ok_or_else(|| {
        ExportError::Template(format!("index.html has no section for {}", pass.section()))
    })
}

/// Rebuilds the rows of a section an earlier run finished, reading its
/// records back from the JSON it wrote: a resumed export writes index.html
/// again, and a finished section is not fetched again.
pub(crate) fn replay_rows(run: &mut ExportRun<'_>, pass: Pass) -> Result<(), ExportError> {
    match pass {
        Pass::Profile | Pass::Index => Ok(()),
        Pass::Contracts => replay::<Contract>(run, pass, "contracts.json"),
        Pass::Proposals => replay::<Proposal>(run, pass, "proposals.json"),
        Pass::Offers => replay::<Offer>(run, pass, "offers.json"),
        Pass::JobPosts => replay::<JobPost>(run, pass, "job-posts.json"),
        Pass::Team => replay::<TeamMember>(run, pass, "team.json"),
        Pass::Feedback => replay::<Feedback>(run, pass, "feedback.json"),
        Pass::Transactions => replay::<Transaction>(run, pass, "transactions.json"),
        Pass::Disputes => replay::<Dispute>(run, pass, "disputes.json"),
        Pass::Messages => replay_rooms(run),
    }
}

fn replay<T: DeserializeOwned + PageRow>(
    run: &mut ExportRun<'_>,
    pass: Pass,
    json_name: &str,
) -> Result<(), ExportError> {
    let mut rows = RowWriter::start(run, page_section(pass)?, ROWS_PER_BATCH)?;
    let path = run.path(json_name);
    // A section with nothing to list may have written no file.
    if run.manifest.files.iter().any(|f| f.path == json_name) {
        for_each_json_record(&path, |record: T| {
            rows.push(record, run)?;
            run.work_done(1, 0)
        })?;
    }
    rows.finish(run)?;
    Ok(())
}

fn replay_rooms(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let room_files: Vec<String> = run
        .manifest
        .files
        .iter()
        .filter(|f| f.section == Pass::Messages.section() && f.path.ends_with(".json"))
        .map(|f| f.path.clone())
        .collect();
    let mut rows = RowWriter::start(run, PageSection::Rooms, 4)?;
    for json_file in room_files {
        let path = run.path(&json_file);
        let bytes = std::fs::read(&path).map_err(io_error("read back", &path))?;
        let room: MessageRoom =
            serde_json::from_slice(&bytes).map_err(|e| ExportError::Unreadable {
                reason: e.to_string(),
                path: path.clone(),
            })?;
        let stem = json_file.strip_suffix(".json").unwrap_or(&json_file);
        let txt_file = format!("{stem}.txt");
        run.work_done(room.messages.len() as u64, 0)?;
        rows.push(
            RoomRow {
                room,
                json_file,
                txt_file,
            },
            run,
        )?;
    }
    rows.finish(run)?;
    Ok(())
}

fn open<T>(
    pass: Pass,
    stream: Result<RecordStream<'_, T>, PlatformError>,
) -> Result<RecordStream<'_, T>, ExportError> {
    stream.map_err(|source| platform_error(pass, source))
}

fn platform_error(pass: Pass, source: PlatformError) -> ExportError {
    ExportError::Platform {
        section: pass.section().to_string(),
        source,
    }
}

/// Maps a write failure to an error naming the file.
fn write_error<'r, 'a>(
    run: &'r ExportRun<'a>,
    relative: &'r str,
) -> impl FnOnce(io::Error) -> ExportError + use<'r, 'a> {
    move |error| io_error(format!("write {relative}"), &run.path(relative))(error)
}

/// A JSON array written one record per line: `[`, records separated by
/// `,\n`, `]`. One record per line keeps the file greppable, lets verify
/// count records without parsing them, and lets index.html read them back
/// one at a time.
pub(crate) struct JsonArray {
    file: AtomicFile,
    relative: String,
    records: u64,
}

impl JsonArray {
    pub(crate) fn create(run: &ExportRun<'_>, relative: &str) -> Result<Self, ExportError> {
        let mut file = run.create(relative, WriteMode::Pipelined)?;
        file.write_all(b"[\n").map_err(write_error(run, relative))?;
        Ok(JsonArray {
            file,
            relative: relative.to_string(),
            records: 0,
        })
    }

    fn push<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        let first = self.records == 0;
        // Serialised straight into the buffer on its way to the disk, in
        // one piece (serde_json writes token by token).
        self.file.write_with(|out| {
            if !first {
                out.extend_from_slice(b",\n");
            }
            serde_json::to_writer(out, record).map_err(io::Error::from)
        })?;
        self.records += 1;
        Ok(())
    }

    fn accepted_bytes(&self) -> u64 {
        self.file.accepted_bytes()
    }

    fn finish(mut self) -> io::Result<(AtomicFile, String, u64)> {
        let end: &[u8] = if self.records > 0 { b"\n]\n" } else { b"]\n" };
        self.file.write_all(end)?;
        Ok((self.file, self.relative, self.records))
    }
}

/// A CSV file with a header row, through the `csv` crate (quoting).
struct CsvFile {
    writer: csv::Writer<AtomicFile>,
    relative: String,
    records: u64,
}

/// A text cell as the bytes the `csv` crate wants.
struct Cell<C>(C);

impl<C: AsRef<str>> AsRef<[u8]> for Cell<C> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_ref().as_bytes()
    }
}

fn csv_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl CsvFile {
    fn create(run: &ExportRun<'_>, relative: &str, header: &[&str]) -> Result<Self, ExportError> {
        let file = run.create(relative, WriteMode::Pipelined)?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(64 * 1024)
            .from_writer(file);
        writer
            .write_record(header)
            .map_err(|e| write_error(run, relative)(csv_io(e)))?;
        Ok(CsvFile {
            writer,
            relative: relative.to_string(),
            records: 0,
        })
    }

    fn row<I, C>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = C>,
        C: AsRef<str>,
    {
        self.writer
            .write_record(cells.into_iter().map(Cell))
            .map_err(csv_io)?;
        self.records += 1;
        Ok(())
    }

    fn accepted_bytes(&self) -> u64 {
        self.writer.get_ref().accepted_bytes()
    }

    fn finish(self) -> io::Result<(AtomicFile, String, u64)> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))?;
        Ok((file, self.relative, self.records))
    }
}

/// Commits finished files of `section` and lists them.
fn commit(
    run: &mut ExportRun<'_>,
    section: &str,
    finished: Vec<(AtomicFile, String, u64)>,
) -> Result<(), ExportError> {
    let files = finished
        .iter()
        .map(|(_, relative, records)| (relative.clone(), *records))
        .collect::<Vec<_>>();
    let mut to_commit = Vec::with_capacity(finished.len());
    for ((file, _, _), (relative, records)) in finished.into_iter().zip(files.iter()) {
        to_commit.push((file, relative.as_str(), section, *records));
    }
    run.commit(to_commit)
}

fn profile(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let relative = "profile.json";
    let mut file = run.create(relative, WriteMode::Direct)?;
    serde_json::to_writer_pretty(&mut file, &run.profile)
        .map_err(io::Error::from)
        .and_then(|()| file.write_all(b"\n"))
        .map_err(write_error(run, relative))?;
    run.record_done(file.accepted_bytes())?;
    // The erasure request, addressed to the platform's privacy contact, so
    // the export holds it whatever happens to the account.
    let letter_path = ERASURE_REQUEST;
    let platform = crate::platform::registry::profiles().get(&run.platform.id());
    let letter = crate::model::closing::erasure_request(platform, &run.profile.account, None);
    let mut letter_file = run.create(letter_path, WriteMode::Direct)?;
    letter_file
        .write_all(letter.as_bytes())
        .map_err(write_error(run, letter_path))?;
    commit(
        run,
        "profile",
        vec![
            (file, relative.to_string(), 1),
            (letter_file, letter_path.to_string(), 1),
        ],
    )?;
    run.finish_section("profile", 1);
    Ok(())
}

/// The GDPR Article 17 request in every export.
pub(crate) const ERASURE_REQUEST: &str = "erasure-request.txt";

/// `(file name, header, row)` of a section's CSV.
type CsvSpec<T> = (
    &'static str,
    &'static [&'static str],
    fn(&T) -> Vec<Cow<'_, str>>,
);

/// A section that is a plain list: JSON, and CSV when `csv` is given.
/// With `only_if_any`, no file is written when the list is empty.
fn collection<T: Serialize + PageRow>(
    run: &mut ExportRun<'_>,
    pass: Pass,
    stream: RecordStream<'_, T>,
    json_name: &str,
    csv: Option<CsvSpec<T>>,
    only_if_any: bool,
) -> Result<u64, ExportError> {
    let section = pass.section();
    let mut stream = stream.peekable();
    if only_if_any && stream.peek().is_none() {
        // A file left by an earlier run that found some must not linger.
        remove_if_present(&run.path(json_name))?;
        run.finish_section(section, 0);
        return Ok(0);
    }
    let mut json = JsonArray::create(run, json_name)?;
    let mut rows = RowWriter::start(run, page_section(pass)?, ROWS_PER_BATCH)?;
    let mut table = match &csv {
        Some((name, header, _)) => Some(CsvFile::create(run, name, header)?),
        None => None,
    };
    for item in stream {
        let record = item.map_err(|e| platform_error(pass, e))?;
        json.push(&record).map_err(write_error(run, json_name))?;
        let mut open_bytes = json.accepted_bytes();
        if let (Some(table), Some((name, _, row))) = (&mut table, &csv) {
            table.row(row(&record)).map_err(write_error(run, name))?;
            open_bytes += table.accepted_bytes();
        }
        run.record_done(open_bytes)?;
        rows.push(record, run)?;
    }
    let mut finished = vec![json.finish().map_err(write_error(run, json_name))?];
    if let Some(table) = table {
        let name = table.relative.clone();
        finished.push(table.finish().map_err(write_error(run, &name))?);
    }
    rows.finish(run)?;
    let records = finished[0].2;
    commit(run, section, finished)?;
    run.finish_section(section, records);
    Ok(records)
}

/// The platform's amounts add up past what a total can hold.
fn too_large(pass: Pass, record: &str) -> ExportError {
    ExportError::TooLarge {
        section: pass.section().to_string(),
        record: record.to_string(),
    }
}

fn remove_if_present(path: &Path) -> Result<(), ExportError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error("remove an outdated file", path)(error)),
    }
}

fn contracts(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let pass = Pass::Contracts;
    let stream = open(pass, run.platform.contracts(run.account))?;
    let mut json = JsonArray::create(run, "contracts.json")?;
    let mut table = CsvFile::create(run, "contracts.csv", CONTRACT_COLUMNS)?;
    let mut rows = RowWriter::start(run, page_section(pass)?, ROWS_PER_BATCH)?;
    let (mut open_contracts, mut billed, mut hours) = (0u64, Money::ZERO, 0.0f64);
    for item in stream {
        let contract = item.map_err(|e| platform_error(pass, e))?;
        json.push(&contract)
            .map_err(write_error(run, "contracts.json"))?;
        table
            .row(contract_row(&contract))
            .map_err(write_error(run, "contracts.csv"))?;
        if contract.is_open() {
            open_contracts += 1;
        }
        billed = billed
            .checked_add(contract.total_billed)
            .ok_or_else(|| too_large(pass, &contract.id))?;
        hours += contract.hours_billed.unwrap_or(0.0);
        if !hours.is_finite() {
            // JSON cannot hold infinity: the manifest could not be read back.
            return Err(too_large(pass, &contract.id));
        }
        run.record_done(json.accepted_bytes() + table.accepted_bytes())?;
        rows.push(contract, run)?;
    }
    let finished = vec![
        json.finish().map_err(write_error(run, "contracts.json"))?,
        table.finish().map_err(write_error(run, "contracts.csv"))?,
    ];
    rows.finish(run)?;
    let records = finished[0].2;
    commit(run, pass.section(), finished)?;
    run.manifest.totals.contracts_open = open_contracts;
    run.manifest.totals.contracts_billed_cents = billed.cents;
    run.manifest.totals.contracts_hours = hours;
    run.finish_section(pass.section(), records);
    Ok(())
}

/// Reads a JSON array this export wrote (one record per line) back one
/// record at a time; returns how many records it held.
pub(crate) fn for_each_json_record<T: DeserializeOwned>(
    path: &Path,
    mut visit: impl FnMut(T) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let file = File::open(path).map_err(io_error("read back", path))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut line = Vec::with_capacity(4096);
    let mut records = 0;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(io_error("read back", path))?;
        if read == 0 {
            return Ok(records);
        }
        let mut record = line.as_slice();
        while let Some((b'\n' | b'\r' | b',', rest)) = record.split_last() {
            record = rest;
        }
        if record.is_empty() || record == b"[" || record == b"]" {
            continue;
        }
        let value = serde_json::from_slice(record).map_err(|e| ExportError::Unreadable {
            reason: e.to_string(),
            path: path.to_path_buf(),
        })?;
        visit(value)?;
        records += 1;
    }
}

/// What time-reports.csv needs from the contracts already exported.
fn hourly_contracts(run: &ExportRun<'_>) -> Result<HourlyContracts, ExportError> {
    let mut hourly = HourlyContracts::default();
    let path = run.path("contracts.json");
    if !path.exists() {
        return Ok(hourly);
    }
    for_each_json_record(&path, |contract: Contract| {
        if contract.kind == ContractKind::Hourly {
            hourly.push(
                &contract.id,
                HourlyContract {
                    title: &contract.title,
                    counterparty: &contract.counterparty,
                    rate_cents: contract.hourly_rate.map(|m| m.cents),
                },
            );
        }
        Ok(())
    })?;
    Ok(hourly.finish())
}

/// transactions.csv, written on the renderer thread from the records the
/// export thread is done with (see `page_rows`).
struct TransactionTable {
    table: CsvFile,
    account: AccountColumns,
    /// Bytes accepted so far, for the export thread's progress.
    accepted: Arc<AtomicU64>,
}

impl Companion<Transaction> for TransactionTable {
    fn write(&mut self, transaction: &Transaction) -> io::Result<()> {
        self.table
            .row(transaction_row(transaction, &self.account))?;
        self.accepted
            .store(self.table.accepted_bytes(), Ordering::Relaxed);
        Ok(())
    }
}

fn transactions(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let pass = Pass::Transactions;
    let hourly = hourly_contracts(run)?;
    let stream = open(pass, run.platform.transactions(run.account))?;
    let mut json = JsonArray::create(run, "transactions.json")?;
    // The platform's own time report where it keeps one; else weekly hours
    // derived from the hourly payments below.
    let own_report = run
        .platform
        .time_report(run.account)
        .map_err(|e| platform_error(pass, e))?;
    let columns = match own_report {
        Some(_) => TIME_ENTRY_COLUMNS,
        None => TIME_REPORT_COLUMNS,
    };
    let mut hours = CsvFile::create(run, "time-reports.csv", columns)?;
    let table_bytes = Arc::new(AtomicU64::new(0));
    let table = TransactionTable {
        table: CsvFile::create(run, "transactions.csv", TRANSACTION_COLUMNS)?,
        account: AccountColumns::of(run),
        accepted: Arc::clone(&table_bytes),
    };
    let mut rows = RowWriter::start_with(
        run,
        page_section(pass)?,
        ROWS_PER_BATCH,
        table,
        "transactions.csv",
    )?;
    let mut years = YearTally::default();
    let mut weekly = WeeklyHours::default();
    let mut finished_weeks = Vec::new();
    for item in stream {
        let transaction = item.map_err(|e| platform_error(pass, e))?;
        json.push(&transaction)
            .map_err(write_error(run, "transactions.json"))?;
        years
            .add(&transaction)
            .map_err(|TooLarge| too_large(pass, &transaction.id))?;
        if own_report.is_none() && transaction.kind == TransactionKind::Hourly {
            let contract = transaction
                .contract_id
                .as_ref()
                .and_then(|id| hourly.get(id));
            weekly
                .add(&transaction, contract, &mut finished_weeks)
                .map_err(|TooLarge| too_large(pass, &transaction.id))?;
            for week in finished_weeks.drain(..) {
                hours
                    .row(time_report_row(&week))
                    .map_err(write_error(run, "time-reports.csv"))?;
            }
        }
        run.record_done(
            json.accepted_bytes() + table_bytes.load(Ordering::Relaxed) + hours.accepted_bytes(),
        )?;
        rows.push(transaction, run)?;
    }
    weekly.finish(&mut finished_weeks);
    for week in finished_weeks.drain(..) {
        hours
            .row(time_report_row(&week))
            .map_err(write_error(run, "time-reports.csv"))?;
    }
    for item in own_report.into_iter().flatten() {
        let entry = item.map_err(|e| platform_error(pass, e))?;
        hours
            .row(time_entry_row(&entry, &hourly))
            .map_err(write_error(run, "time-reports.csv"))?;
        // Work, not records: the record total counts the passes' own
        // sections, and time-reports is not one of them.
        run.work_done(
            1,
            json.accepted_bytes() + table_bytes.load(Ordering::Relaxed) + hours.accepted_bytes(),
        )?;
    }
    let transactions_json = json
        .finish()
        .map_err(write_error(run, "transactions.json"))?;
    let (_, table) = rows.finish_with_companion(run)?;
    let transactions_csv = table
        .table
        .finish()
        .map_err(write_error(run, "transactions.csv"))?;
    let time_reports = hours
        .finish()
        .map_err(write_error(run, "time-reports.csv"))?;
    let (records, weeks) = (transactions_json.2, time_reports.2);
    let time_report_file = vec![time_reports];
    commit(
        run,
        "transactions",
        vec![transactions_json, transactions_csv],
    )?;
    commit(run, "time-reports", time_report_file)?;
    let totals = &mut run.manifest.totals;
    totals.money_in_cents = years.money_in_cents;
    totals.money_out_cents = years.money_out_cents;
    totals.years = years.into_years();
    run.finish_section("transactions", records);
    run.finish_section("time-reports", weeks);
    Ok(())
}

/// A room as JSON: the room's fields, then its messages one per line.
fn write_room_json(out: &mut impl Write, room: &MessageRoom) -> io::Result<()> {
    #[derive(Serialize)]
    struct RoomHead<'r> {
        id: &'r str,
        topic: &'r str,
        contract_id: Option<&'r str>,
        participants: &'r [String],
    }
    let head = RoomHead {
        id: &room.id,
        topic: &room.topic,
        contract_id: room.contract_id.as_deref(),
        participants: &room.participants,
    };
    let mut head_json = serde_json::to_vec(&head)?;
    // Reopen the object to append the messages array.
    head_json.pop();
    out.write_all(&head_json)?;
    out.write_all(b",\"messages\":[")?;
    for (i, message) in room.messages.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, message)?;
    }
    out.write_all(if room.messages.is_empty() {
        b"]}\n"
    } else {
        b"\n]}\n"
    })
}

fn messages(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let pass = Pass::Messages;
    let folder = run.path(MESSAGES_DIR);
    clear_messages_folder(&folder)?;
    let stream = open(pass, run.platform.rooms(run.account))?;
    let mut rows = RowWriter::start(run, page_section(pass)?, 4)?;
    let mut stems = UniqueStems::new();
    let (mut rooms, mut messages) = (0u64, 0u64);
    for item in stream {
        let room = item.map_err(|e| platform_error(pass, e))?;
        let stem = stems.claim(&room.topic, &room.id);
        let count = room.messages.len() as u64;
        let json_file = format!("{MESSAGES_DIR}/{stem}.json");
        let txt_file = format!("{MESSAGES_DIR}/{stem}.txt");
        for (relative, write) in [
            (
                &json_file,
                write_room_json as fn(&mut AtomicFile, &MessageRoom) -> io::Result<()>,
            ),
            (&txt_file, transcript::write_transcript),
        ] {
            let relative = relative.clone();
            let mut file = run.create(&relative, WriteMode::Direct)?;
            write(&mut file, &room).map_err(write_error(run, &relative))?;
            let path: PathBuf = run.path(&relative);
            let written = file
                .commit(Durability::AtEnd)
                .map_err(io_error(format!("finish {relative}"), &path))?;
            // The section was forgotten before it started: no duplicates.
            run.manifest
                .files
                .push(FileEntry::new(relative, written, pass.section(), count));
        }
        rooms += 1;
        messages += count;
        run.records_done(count, 0)?;
        rows.push(
            RoomRow {
                room,
                json_file,
                txt_file,
            },
            run,
        )?;
    }
    rows.finish(run)?;
    run.manifest.totals.rooms = rooms;
    run.finish_section(pass.section(), messages);
    Ok(())
}

/// Starts the messages folder afresh: files of an interrupted run are
/// written again (the folder is inside the export folder Offboard created).
fn clear_messages_folder(folder: &Path) -> Result<(), ExportError> {
    // Never clear a folder a link leads to: it is not the export's.
    super::refuse_link(folder)?;
    match std::fs::read_dir(folder) {
        Ok(entries) => {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_file()) {
                    let path = entry.path();
                    std::fs::remove_file(&path)
                        .map_err(io_error("remove an outdated file", &path))?;
                }
            }
            Ok(())
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir(folder).map_err(io_error("create the messages folder", folder))
        }
        Err(error) => Err(io_error("read the messages folder", folder)(error)),
    }
}

// ---- Columns and rows ----

/// A CSV cell: text (borrowed, or neutralised and owned) or a short number.
pub(crate) enum CellText<'t> {
    Text(Cow<'t, str>),
    Short(ShortText),
}

impl AsRef<str> for CellText<'_> {
    fn as_ref(&self) -> &str {
        match self {
            CellText::Text(text) => text,
            CellText::Short(short) => short.as_ref(),
        }
    }
}

impl<'t> From<Cow<'t, str>> for CellText<'t> {
    fn from(text: Cow<'t, str>) -> Self {
        CellText::Text(text)
    }
}

impl From<ShortText> for CellText<'_> {
    fn from(short: ShortText) -> Self {
        CellText::Short(short)
    }
}

pub(crate) fn day(date: &DateTime<Utc>) -> String {
    ShortText::day(date).as_ref().to_string()
}

fn optional_day(date: Option<&DateTime<Utc>>) -> Cow<'static, str> {
    date.map_or(Cow::Borrowed(""), |d| Cow::Owned(day(d)))
}

fn optional_money(money: Option<Money>) -> Cow<'static, str> {
    money.map_or(Cow::Borrowed(""), |m| Cow::Owned(m.plain()))
}

pub(crate) fn contract_kind_label(kind: ContractKind) -> &'static str {
    match kind {
        ContractKind::Hourly => "Hourly",
        ContractKind::FixedPrice => "Fixed price",
    }
}

pub(crate) fn contract_status_label(status: ContractStatus) -> &'static str {
    match status {
        ContractStatus::Active => "Active",
        ContractStatus::Paused => "Paused",
        ContractStatus::Ended => "Ended",
    }
}

fn milestone_status_label(status: MilestoneStatus) -> &'static str {
    match status {
        MilestoneStatus::Pending => "not funded",
        MilestoneStatus::InEscrow => "in escrow",
        MilestoneStatus::Paid => "paid",
        MilestoneStatus::Refunded => "refunded",
    }
}

pub(crate) fn proposal_status_label(status: ProposalStatus) -> &'static str {
    match status {
        ProposalStatus::Submitted => "Submitted",
        ProposalStatus::Declined => "Declined",
        ProposalStatus::Withdrawn => "Withdrawn",
        ProposalStatus::Hired => "Hired",
        ProposalStatus::Archived => "Archived",
    }
}

pub(crate) fn offer_status_label(status: OfferStatus) -> &'static str {
    match status {
        OfferStatus::Pending => "Pending",
        OfferStatus::Accepted => "Accepted",
        OfferStatus::Declined => "Declined",
        OfferStatus::Withdrawn => "Withdrawn",
        OfferStatus::Expired => "Expired",
    }
}

pub(crate) fn job_post_status_label(status: JobPostStatus) -> &'static str {
    match status {
        JobPostStatus::Open => "Open",
        JobPostStatus::Closed => "Closed",
        JobPostStatus::Filled => "Filled",
    }
}

pub(crate) fn dispute_status_label(status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => "Open",
        DisputeStatus::Resolved => "Resolved",
    }
}

pub(crate) fn payment_status_label(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Available => "Available",
        PaymentStatus::InReview => "In review",
        PaymentStatus::Pending => "Pending",
        PaymentStatus::Unpaid => "Unpaid",
    }
}

const CONTRACT_COLUMNS: &[&str] = &[
    "Contract ID",
    "Title",
    "Counterparty",
    "Counterparty Company",
    "Kind",
    "Status",
    "Started",
    "Ended",
    "Hourly Rate $",
    "Weekly Limit Hours",
    "Total Billed $",
    "Hours Billed",
    "Escrow $",
    "Milestones",
    "Assignee",
];

fn contract_row(contract: &Contract) -> Vec<Cow<'_, str>> {
    let milestones = contract
        .milestones
        .iter()
        .map(|m| {
            format!(
                "{}: {} ({})",
                m.title,
                m.amount.plain(),
                milestone_status_label(m.status)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        text_cell(&contract.id),
        text_cell(&contract.title),
        text_cell(&contract.counterparty),
        optional_text_cell(contract.counterparty_company.as_deref()),
        Cow::Borrowed(contract_kind_label(contract.kind)),
        Cow::Borrowed(contract_status_label(contract.status)),
        Cow::Owned(day(&contract.started)),
        optional_day(contract.ended.as_ref()),
        optional_money(contract.hourly_rate),
        contract
            .weekly_limit_hours
            .map_or(Cow::Borrowed(""), |h| Cow::Owned(h.to_string())),
        Cow::Owned(contract.total_billed.plain()),
        contract
            .hours_billed
            .map_or(Cow::Borrowed(""), |h| Cow::Owned(format!("{h:.2}"))),
        Cow::Owned(contract.escrow().plain()),
        Cow::Owned(text_cell(&milestones).into_owned()),
        optional_text_cell(contract.assignee.as_deref()),
    ]
}

const PROPOSAL_COLUMNS: &[&str] = &[
    "Proposal ID",
    "Job Title",
    "Client",
    "Submitted",
    "Status",
    "Bid $",
    "Bid Kind",
    "Connects Spent",
    "Cover Letter",
];

fn proposal_row(proposal: &Proposal) -> Vec<Cow<'_, str>> {
    vec![
        text_cell(&proposal.id),
        text_cell(&proposal.job_title),
        text_cell(&proposal.client),
        Cow::Owned(day(&proposal.submitted)),
        Cow::Borrowed(proposal_status_label(proposal.status)),
        Cow::Owned(proposal.bid.plain()),
        Cow::Borrowed(contract_kind_label(proposal.bid_kind)),
        Cow::Owned(proposal.connects_spent.to_string()),
        text_cell(&proposal.cover_letter),
    ]
}

const FEEDBACK_COLUMNS: &[&str] = &[
    "Contract ID",
    "Contract Title",
    "Counterparty",
    "Score Received",
    "Comment Received",
    "Received On",
    "Score Given",
    "Comment Given",
    "Given On",
];

fn feedback_row(feedback: &Feedback) -> Vec<Cow<'_, str>> {
    let [received_score, received_comment, received_on] = review_cells(feedback.received.as_ref());
    let [given_score, given_comment, given_on] = review_cells(feedback.given.as_ref());
    vec![
        text_cell(&feedback.contract_id),
        text_cell(&feedback.contract_title),
        text_cell(&feedback.counterparty),
        received_score,
        received_comment,
        received_on,
        given_score,
        given_comment,
        given_on,
    ]
}

/// Score, comment and date of one review; empty when there is none.
fn review_cells(review: Option<&Review>) -> [Cow<'_, str>; 3] {
    match review {
        Some(review) => [
            Cow::Owned(format!("{:.2}", review.score)),
            text_cell(&review.comment),
            Cow::Owned(day(&review.date)),
        ],
        None => [Cow::Borrowed(""), Cow::Borrowed(""), Cow::Borrowed("")],
    }
}

/// The columns of Upwork's transaction-history download (2025), so tools
/// that import Upwork's CSV accept this one.
pub(crate) const TRANSACTION_COLUMNS: &[&str] = &[
    "Date",
    "Transaction ID",
    "Transaction Type",
    "Transaction Summary",
    "Transaction Summary Details",
    "Description 1",
    "Description 2",
    "Description 3",
    "Entered Description",
    "Agency",
    "Freelancer",
    "Team",
    "Account Name",
    "PO",
    "Ref ID",
    "Amount $",
    "Amount in local currency",
    "Currency",
    "Current Balance $",
    "Payment Method",
];

/// Who the account is, for the columns Upwork fills from it.
struct AccountColumns {
    kind: AccountKind,
    name: String,
}

impl AccountColumns {
    fn of(run: &ExportRun<'_>) -> Self {
        AccountColumns {
            kind: run.profile.account.kind,
            name: text_cell(&run.profile.account.display_name).into_owned(),
        }
    }
}

fn transaction_row<'t>(
    transaction: &'t Transaction,
    account: &'t AccountColumns,
) -> [CellText<'t>; 20] {
    let empty = || CellText::Text(Cow::Borrowed(""));
    let counterparty = || optional_text_cell(transaction.counterparty.as_deref()).into();
    let (agency, freelancer, team) = match account.kind {
        // Upwork names the other side by its role.
        AccountKind::Client => (empty(), counterparty(), empty()),
        AccountKind::Agency => (
            Cow::Borrowed(account.name.as_str()).into(),
            empty(),
            counterparty(),
        ),
        AccountKind::Freelancer => (empty(), empty(), counterparty()),
    };
    let details = match (transaction.status, transaction.available_on) {
        (PaymentStatus::Available, _) => Cow::Borrowed(""),
        (status, Some(on)) => Cow::Owned(format!(
            "{}, available {}",
            payment_status_label(status),
            day(&on)
        )),
        (status, None) => Cow::Borrowed(payment_status_label(status)),
    };
    let amount = ShortText::money(transaction.amount);
    [
        ShortText::day(&transaction.date).into(),
        text_cell(&transaction.id).into(),
        Cow::Borrowed(transaction.kind.label()).into(),
        text_cell(&transaction.description).into(),
        details.into(),
        optional_text_cell(transaction.contract_id.as_deref()).into(),
        empty(),
        empty(),
        empty(),
        agency,
        freelancer,
        team,
        Cow::Borrowed(account.name.as_str()).into(),
        empty(),
        text_cell(&transaction.id).into(),
        amount.into(),
        amount.into(),
        Cow::Borrowed("USD").into(),
        ShortText::money(transaction.balance_after).into(),
        empty(),
    ]
}

const TIME_REPORT_COLUMNS: &[&str] = &[
    "Week Starting",
    "Week Ending",
    "Contract ID",
    "Contract Title",
    "Counterparty",
    "Hours",
    "Hourly Rate $",
    "Amount $",
    "Transactions",
];

/// time-reports.csv from the platform's own time report: a line per
/// contract and day.
const TIME_ENTRY_COLUMNS: &[&str] = &[
    "Date",
    "Contract ID",
    "Contract Title",
    "Counterparty",
    "Hours",
    "Amount $",
    "Memo",
];

fn time_entry_row<'e>(entry: &'e TimeEntry, hourly: &'e HourlyContracts) -> [CellText<'e>; 7] {
    let contract = entry.contract_id.as_deref().and_then(|id| hourly.get(id));
    [
        ShortText::day(&entry.date).into(),
        optional_text_cell(entry.contract_id.as_deref()).into(),
        optional_text_cell(contract.map(|c| c.title)).into(),
        optional_text_cell(contract.map(|c| c.counterparty)).into(),
        ShortText::two_decimals(entry.hours).into(),
        ShortText::money(entry.charges).into(),
        optional_text_cell(entry.memo.as_deref()).into(),
    ]
}

fn time_report_row<'w>(week: &'w WeekRow<'w>) -> [CellText<'w>; 9] {
    let contract = week.contract;
    [
        ShortText::date(week.week_start).into(),
        ShortText::date(week.week_start + Duration::days(6)).into(),
        text_cell(&week.contract_id).into(),
        optional_text_cell(contract.map(|c| c.title)).into(),
        optional_text_cell(contract.map(|c| c.counterparty)).into(),
        week.hours.map_or(CellText::Text(Cow::Borrowed("")), |h| {
            ShortText::two_decimals(h).into()
        }),
        contract
            .and_then(|c| c.rate_cents)
            .map_or(CellText::Text(Cow::Borrowed("")), |rate| {
                ShortText::money(Money::from_cents(rate)).into()
            }),
        ShortText::money(Money::from_cents(week.amount_cents)).into(),
        ShortText::count(week.transactions).into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_json_is_an_object_with_one_message_per_line() {
        let room = MessageRoom {
            id: "r\"1".into(),
            topic: "Topic".into(),
            contract_id: None,
            participants: vec!["A".into()],
            messages: vec![
                crate::model::account::Message {
                    id: "m1".into(),
                    sent: DateTime::<Utc>::MIN_UTC,
                    author: "A".into(),
                    text: "line\nbreak".into(),
                    attachments: vec![],
                };
                2
            ],
        };
        let mut out = Vec::new();
        write_room_json(&mut out, &room).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["messages"].as_array().unwrap().len(), 2);
        assert_eq!(value["id"], "r\"1");
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 4);
        let mut empty = Vec::new();
        let no_messages = MessageRoom {
            messages: vec![],
            ..room
        };
        write_room_json(&mut empty, &no_messages).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&empty).unwrap();
        assert_eq!(value["messages"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn amounts_stay_numbers_while_text_is_neutralised() {
        let transaction = Transaction {
            id: "=1+1".into(),
            date: chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 3, 7, 23, 59, 0).unwrap(),
            kind: TransactionKind::Withdrawal,
            description: "-withdrawal to @bank".into(),
            counterparty: Some("+Acme".into()),
            contract_id: None,
            amount: Money::from_cents(-12_345),
            balance_after: Money::from_cents(-5),
            status: PaymentStatus::Available,
            available_on: None,
        };
        let account = AccountColumns {
            kind: AccountKind::Freelancer,
            name: "Ana".into(),
        };
        let row = transaction_row(&transaction, &account);
        let cell = |i: usize| row[i].as_ref().to_string();
        assert_eq!(cell(0), "2025-03-07");
        assert_eq!(cell(1), "'=1+1");
        assert_eq!(cell(3), "'-withdrawal to @bank");
        assert_eq!(cell(11), "'+Acme");
        assert_eq!(cell(15), "-123.45");
        assert_eq!(cell(18), "-0.05");
        assert_eq!(row.len(), TRANSACTION_COLUMNS.len());
    }
}
