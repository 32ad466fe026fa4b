//! The command line: the GUI by default, and the same engine headless
//! (`review`, `export`, `verify`) for scripts and people who prefer a shell.

mod progress;

use crate::export;
use crate::jobs::{self, Clock};
use crate::model::account::{AccountKind, PlatformId};
use crate::model::profile::{ConnectForm, PlatformProfile};
use crate::model::questionnaire::Answers;
use crate::model::review::{Assessment, assess};
use crate::model::wizard::{SavedState, SourceSettings};
use crate::platform::Platform;
use crate::platform::registry;
use crate::platform::upwork::api::StaticToken;
use crate::store::{Loaded, Store};
use clap::{Parser, Subcommand};
use progress::Progress;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Parser)]
#[command(
    name = "offboard",
    version,
    about = "Leave a freelance platform without losing money, data or clients.",
    long_about = "Offboard walks you through closing a freelance platform account: what blocks \
                  closing, exporting your data, handing off clients, and a receipt.\n\n\
                  Without a command it opens the wizard window. The commands run the same \
                  engine headless."
)]
pub struct Cli {
    /// Where progress is saved (default: your data folder, e.g. ~/.local/share/offboard).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the pending-work review: blockers, advisories, balances and the earliest closing date.
    Review {
        #[command(flatten)]
        source: Source,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Show no progress while fetching, only the review and errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Export an account's data into a new folder inside DIR (resumes an interrupted export there).
    Export {
        #[command(flatten)]
        source: Source,
        /// The folder to create the export in.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
    },
    /// List a guided platform's questions (id, text, kind of answer), for an answers file.
    Questions {
        /// The platform: fiverr or freelancer-com.
        #[arg(long, value_parser = parse_platform)]
        platform: PlatformId,
        /// Print one JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Re-hash every file of an export and check its manifest; exits non-zero on any problem.
    Verify {
        /// The export folder (the one holding manifest.json).
        dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct Source {
    /// The platform source: demo (built in, offline), upwork (the API with your
    /// own key), upwork-csv (transaction-history files you downloaded), or a
    /// guided platform answered with --answers (fiverr, freelancer-com).
    #[arg(long, default_value = "demo", value_parser = parse_platform)]
    pub platform: PlatformId,
    /// The account id: freelancer, client or agency on the demo platform; the
    /// organisation id on upwork (omit it to list them); upwork-csv on upwork-csv.
    #[arg(long)]
    pub account: Option<String>,
    /// A transaction-history CSV file downloaded from Upwork (repeat for several).
    #[arg(long = "csv", value_name = "FILE")]
    pub csv_files: Vec<PathBuf>,
    /// Which kind of account the CSV files are from: freelancer, client or
    /// agency (by default, read from the files).
    #[arg(long = "csv-kind", value_name = "KIND", value_parser = parse_kind)]
    pub csv_kind: Option<AccountKind>,
    /// Another GraphQL endpoint for upwork, such as a local test server.
    #[arg(long, value_name = "URL", env = "OFFBOARD_UPWORK_API_BASE")]
    pub api_base: Option<String>,
    /// A file holding an access token, to run without the browser sign-in.
    #[arg(long, value_name = "FILE")]
    pub access_token_file: Option<PathBuf>,
    /// A guided platform's answers: a JSON object of question id to answer
    /// (`offboard questions --platform P` lists them).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Your username on a guided platform, for the review and receipt.
    #[arg(long, value_name = "NAME", default_value = "")]
    pub username: String,
}

fn parse_kind(word: &str) -> Result<AccountKind, String> {
    match word.to_ascii_lowercase().as_str() {
        "freelancer" => Ok(AccountKind::Freelancer),
        "client" => Ok(AccountKind::Client),
        "agency" => Ok(AccountKind::Agency),
        _ => Err(format!(
            "unknown account kind \"{word}\"; use freelancer, client or agency"
        )),
    }
}

fn parse_platform(slug: &str) -> Result<PlatformId, String> {
    let profiles = registry::profiles();
    profiles
        .find_slug(slug)
        .map(|p| p.id.clone())
        .ok_or_else(|| {
            let known: Vec<_> = profiles.all().iter().map(|p| p.id.slug()).collect();
            format!(
                "unknown platform \"{slug}\"; use one of: {}",
                known.join(", ")
            )
        })
}

/// The store `--state-dir` or the user's data folder names.
pub fn store_for(state_dir: Option<PathBuf>) -> Result<Store, String> {
    match state_dir {
        Some(dir) => Ok(Store::new(dir)),
        None => Store::default_dir()
            .map(Store::new)
            .map_err(|e| e.to_string()),
    }
}

/// Run a headless command; prints its own errors.
pub fn run(command: Command, store: Option<Store>, clock: Clock) -> ExitCode {
    let result = match command {
        Command::Review {
            source,
            json,
            quiet,
        } => review(&source, json, quiet, store.as_ref(), &clock),
        Command::Export { source, out, quiet } => {
            export(&source, out, quiet, store.as_ref(), &clock)
        }
        Command::Questions { platform, json } => questions(&platform, json),
        Command::Verify { dir } => verify(dir),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("offboard: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The platform as the GUI left it: demo accounts keep the changes made in
/// the wizard (resolved items, a closed account).
fn connect(
    source: &Source,
    store: Option<&Store>,
    clock: &Clock,
) -> Result<Box<dyn Platform>, String> {
    let profile = registry::profiles().get(&source.platform);
    if matches!(profile.connect, ConnectForm::ApiKey)
        && let Some(file) = &source.access_token_file
    {
        let token = StaticToken::from_file(file)
            .map_err(|e| format!("could not read the access token ({e}): {}", file.display()))?;
        return jobs::upwork_platform(Arc::new(token), source.api_base.as_deref(), clock())
            .map_err(|e| e.to_string());
    }
    if matches!(profile.connect, ConnectForm::Files) && source.csv_files.is_empty() {
        return Err(format!(
            "--platform {} needs at least one --csv FILE",
            source.platform
        ));
    }
    let answers = match (&profile.connect, &source.answers) {
        (ConnectForm::Questionnaire(_), None) => {
            return Err(format!(
                "--platform {0} needs --answers FILE; `offboard questions --platform {0}` lists \
                 the questions",
                source.platform
            ));
        }
        (_, Some(file)) => read_answers(file)?,
        (_, None) => Answers::default(),
    };
    let saved = match store.map(|s| s.load_readonly()) {
        Some(Loaded::Resumed(saved)) => *saved,
        Some(Loaded::Damaged {
            problem, salvaged, ..
        }) => {
            let path = store.map(|s| s.path()).unwrap_or_default();
            eprintln!(
                "offboard: warning: saved progress not read whole ({problem}); the file is left \
                 as it is: {}",
                path.display()
            );
            salvaged.map(|s| *s).unwrap_or_default()
        }
        _ => SavedState::default(),
    };
    let data_dir = store
        .map(|s| s.dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    let make = jobs::default_platforms(clock.clone(), jobs::ApiAccess::system(data_dir));
    let sources = SourceSettings {
        csv_files: source.csv_files.clone(),
        csv_kind: source.csv_kind,
        api_base: source.api_base.clone(),
        answers,
        username: source.username.clone(),
    };
    make(&jobs::Connection {
        platform: source.platform.clone(),
        changes: &saved.account_changes,
        sources: &sources,
    })
    .map_err(|e| e.to_string())
}

/// The account named with --account, or the only one there is.
fn account_of(source: &Source, platform: &dyn Platform) -> Result<String, String> {
    if let Some(account) = &source.account {
        return Ok(account.clone());
    }
    let accounts = platform.accounts().map_err(|e| e.to_string())?;
    match accounts.as_slice() {
        [only] => Ok(only.id.clone()),
        _ => Err(format!(
            "choose an account with --account: {}",
            accounts
                .iter()
                .map(|a| format!("{} ({})", a.id, a.display_name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn review(
    source: &Source,
    json: bool,
    quiet: bool,
    store: Option<&Store>,
    clock: &Clock,
) -> Result<ExitCode, String> {
    let platform = connect(source, store, clock)?;
    let account = account_of(source, platform.as_ref())?;
    let progress = watch(platform.as_ref(), quiet);
    let work = platform.pending_work(&account);
    progress.finish();
    let work = work.map_err(|e| e.to_string())?;
    let profile = registry::profiles().get(&source.platform);
    let assessment = assess(profile, &work, clock());
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &review_json(profile, &assessment))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        out.write_all(review_text(profile, &assessment).as_bytes())
    };
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(format!("could not print the review: {e}")),
    }
}

/// The review as a stable JSON object for scripts.
pub fn review_json(profile: &PlatformProfile, a: &Assessment) -> serde_json::Value {
    let money = |m: crate::model::money::Money| serde_json::Value::String(m.plain());
    serde_json::json!({
        "platform": profile.id.slug(),
        "account": {
            "id": a.account.id,
            "username": a.account.username,
            "name": a.account.display_name,
            "kind": a.account.kind,
        },
        "checked_at": a.checked_at,
        "closed": a.already_closed,
        "earliest_close": a.earliest_close,
        "blockers": a.blocker_count(),
        "balances": {
            "currency": "USD",
            "available": money(a.balances.available),
            "in_review": money(a.balances.in_review),
            "pending": money(a.balances.pending),
            "escrow": money(a.balances.escrow),
            "owed": money(a.balances.owed),
        },
        "items": a.items.iter().map(|item| serde_json::json!({
            "id": item.id,
            "kind": item.kind,
            "severity": item.severity,
            "title": item.title,
            "why": item.why,
            "how_to_resolve": item.how_to_resolve,
            "amount": item.amount.map(money),
            "clears_on": item.clears_on,
        })).collect::<Vec<_>>(),
    })
}

/// The review as a person reads it in a terminal.
pub fn review_text(profile: &PlatformProfile, a: &Assessment) -> String {
    let mut s = format!(
        "{} · {} ({}, {})\n",
        profile.name,
        a.account.display_name,
        a.account.username,
        profile.kind_label(a.account.kind)
    );
    if a.already_closed {
        s.push_str("This account is closed.\n");
        return s;
    }
    let b = a.balances;
    s.push_str(&format!(
        "\nMoney: {} available, {} in review, {} pending, {} in escrow, {} owed\n",
        b.available, b.in_review, b.pending, b.escrow, b.owed
    ));
    s.push_str(&format!(
        "Earliest closing date: {}\n",
        a.earliest_close.format("%A %-d %B %Y")
    ));
    let blockers: Vec<_> = a.blockers().collect();
    s.push_str(&format!("\nBlockers ({}):\n", blockers.len()));
    if blockers.is_empty() {
        s.push_str("  none: the account can close.\n");
    }
    for item in blockers {
        s.push_str(&format!(
            "  ✗ {}\n      {}\n      → {}\n",
            item.title, item.why, item.how_to_resolve
        ));
    }
    let advisories: Vec<_> = a.advisories().collect();
    s.push_str(&format!("\nAdvisories ({}):\n", advisories.len()));
    for item in advisories {
        s.push_str(&format!(
            "  ! {}\n      → {}\n",
            item.title, item.how_to_resolve
        ));
    }
    s
}

fn export(
    source: &Source,
    out: PathBuf,
    quiet: bool,
    store: Option<&Store>,
    clock: &Clock,
) -> Result<ExitCode, String> {
    let platform = connect(source, store, clock)?;
    let cancel = AtomicBool::new(false);
    let shown = watch(platform.as_ref(), quiet);
    let mut progress = |p: &export::ExportProgress| shown.exporting(p);
    let account = account_of(source, platform.as_ref())?;
    let summary = export::export_account(
        platform.as_ref(),
        &account,
        &out,
        clock(),
        &mut progress,
        &cancel,
    )
    .map_err(|e| e.to_string());
    shown.finish();
    let summary = summary?;
    shown.say(&format!(
        "Exported {} records in {} files ({} bytes) to {}",
        summary.records,
        summary.files,
        summary.bytes,
        summary.folder.display()
    ));
    shown.say(&format!(
        "manifest.json SHA-256 {}",
        summary.manifest_sha256
    ));
    println!("{}", summary.folder.display());
    Ok(ExitCode::SUCCESS)
}

/// Progress on stderr for this run, fed by the platform's fetch reports.
fn watch(platform: &dyn Platform, quiet: bool) -> Arc<Progress> {
    let progress = Arc::new(Progress::for_stderr(quiet));
    let sink = Arc::clone(&progress);
    platform.watch_fetch(
        Arc::new(move |what: &str, queries, records| sink.fetching(what, queries, records)),
        Arc::new(AtomicBool::new(false)),
    );
    progress
}

/// An answers file: a JSON object of question id to answer. Whether each
/// answer fits its question is checked when the platform opens, with an
/// error naming the question.
fn read_answers(file: &std::path::Path) -> Result<Answers, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("could not read the answers ({e}): {}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "the answers are not a JSON object of question id to answer (true/false, a count, \
             \"120.50\" or \"2026-12-14\"): {e}: {}",
            file.display()
        )
    })
}

fn questions(platform: &PlatformId, json: bool) -> Result<ExitCode, String> {
    let profile = registry::profiles().get(platform);
    let Some(questionnaire) = profile.questionnaire() else {
        return Err(format!(
            "{} is read from its own data, not a questionnaire; guided platforms: {}",
            profile.name,
            registry::profiles()
                .all()
                .iter()
                .filter(|p| p.questionnaire().is_some())
                .map(|p| p.id.slug())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let asked_of = |q: &crate::model::questionnaire::Question| -> Vec<&str> {
        profile
            .kinds
            .iter()
            .filter(|k| q.kinds.is_empty() || q.kinds.contains(&k.kind))
            .map(|k| k.label)
            .collect()
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        let list: Vec<serde_json::Value> = questionnaire
            .questions
            .iter()
            .map(|q| {
                serde_json::json!({
                    "id": q.id,
                    "text": q.text,
                    "kind": q.kind,
                    "asked_of": asked_of(q),
                    "hint": q.hint,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        let mut text = format!("{}: answer in a JSON file, by id\n\n", profile.name);
        for q in questionnaire.questions {
            text.push_str(&format!(
                "{} ({}; {})\n  {}\n  {}\n",
                q.id,
                q.kind.label(),
                asked_of(q).join(", "),
                q.text,
                q.hint
            ));
        }
        out.write_all(text.as_bytes())
    };
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(format!("could not print the questions: {e}")),
    }
}

fn verify(dir: PathBuf) -> Result<ExitCode, String> {
    let report = export::verify(&dir);
    if report.is_ok() {
        println!(
            "OK: {} files and {} records match the manifest in {}",
            report.files_checked,
            report.records,
            dir.display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &report.problems {
            println!("{}: {}", problem.file, problem.problem);
        }
        eprintln!(
            "offboard: {} problem{} found in {}",
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" },
            dir.display()
        );
        Ok(ExitCode::FAILURE)
    }
}
