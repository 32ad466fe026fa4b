//! Kill -9 at random points while the saved progress, the secrets file and
//! an export are being written; after every kill the next start must load
//! what was there or clearly report, and nothing the user had may be
//! overwritten: the state is the last one saved or the one before it, the
//! secrets file reads, and a resumed export verifies like an uninterrupted
//! one.
//!
//! The writing process is this test binary itself, started again with
//! `child_writer` selected (as in export_resume.rs); kill delays come from
//! a fixed seed so a failure can be replayed.

use offboard::model::wizard::{SCHEMA_VERSION, SavedState};
use offboard::platform::upwork::secrets::SecretStore;
use offboard::store::{Loaded, Store};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CHILD_KIND: &str = "OFFBOARD_CRASH_CHILD";
const CHILD_DIR: &str = "OFFBOARD_CRASH_DIR";
const CHILD_FROM: &str = "OFFBOARD_CRASH_FROM";
const SEED: u64 = 0x0ff_b0a2d;
const STATE_POINTS: usize = 25;
const SECRET_POINTS: usize = 20;
const EXPORT_POINTS: usize = 10;

/// The state with save number `n` in its feedback, padded so a write takes
/// a few pages and a kill can land inside one.
fn state(n: u64) -> SavedState {
    let mut state = SavedState {
        schema_version: SCHEMA_VERSION,
        ..SavedState::default()
    };
    state.progress.feedback = format!("save {n} {}", "x".repeat(1900));
    state
}

fn save_number(state: &SavedState) -> Option<u64> {
    state.progress.feedback.split(' ').nth(1)?.parse().ok()
}

/// Runs only in the child: writes saves (or secrets) numbered from
/// `CHILD_FROM` up, announcing each as done, until killed.
#[test]
fn child_writer() {
    let (Some(kind), Some(dir)) = (std::env::var_os(CHILD_KIND), std::env::var_os(CHILD_DIR))
    else {
        return; // an ordinary test run: nothing to do
    };
    let dir = PathBuf::from(dir);
    let from: u64 = std::env::var(CHILD_FROM)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    eprintln!("READY");
    for n in from.. {
        let written = match kind.to_str() {
            Some("state") => Store::new(&dir).save(&state(n)).map_err(|e| e.to_string()),
            Some("secrets") => SecretStore::file_only(dir.clone())
                .save("upwork-tokens", &format!("token {n} {}", "t".repeat(3000)))
                .map_err(|e| e.to_string()),
            _ => Err("unknown child".to_string()),
        };
        match written {
            Ok(()) => eprintln!("SAVED {n}"),
            Err(e) => {
                eprintln!("FAILED {e}");
                return;
            }
        }
    }
}

fn own_executable() -> std::io::Result<PathBuf> {
    let proc_self = Path::new("/proc/self/exe");
    if proc_self.exists() {
        Ok(proc_self.to_path_buf())
    } else {
        std::env::current_exe()
    }
}

/// Starts a writer, lets it run `delay` after it is ready, kills it with
/// SIGKILL and returns the last number it announced as saved.
fn kill_writer(kind: &str, dir: &Path, from: u64, delay: Duration) -> Result<u64, String> {
    let mut child = Command::new(own_executable().map_err(|e| e.to_string())?)
        .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_KIND, kind)
        .env(CHILD_DIR, dir)
        .env(CHILD_FROM, from.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let ready = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| "the writer never started".to_string())?;
    if ready != "READY" {
        return Err(format!("the writer said {ready}"));
    }
    std::thread::sleep(delay);
    kill(&mut child)?;
    let _ = reader.join();
    let mut last = from.saturating_sub(1);
    for line in rx.try_iter() {
        if let Some(n) = line.strip_prefix("SAVED ") {
            // The kill can cut the last announcement short: such a save is
            // simply not announced.
            if let Ok(n) = n.parse() {
                last = n;
            }
        } else if line.starts_with("FAILED") {
            return Err(line);
        }
    }
    Ok(last)
}

fn kill(child: &mut Child) -> Result<(), String> {
    child.kill().map_err(|e| e.to_string())?; // SIGKILL on Unix
    child.wait().map_err(|e| e.to_string())?;
    Ok(())
}

#[test]
fn kill_9_while_saving_progress_and_secrets_loses_nothing() -> TestResult {
    let mut rng = StdRng::seed_from_u64(SEED);
    let dir = tempfile::tempdir()?;
    let mut had = 0u64; // the save the user has on disk
    for point in 0..STATE_POINTS {
        let delay = Duration::from_micros(rng.random_range(0..40_000));
        let announced = kill_writer("state", dir.path(), had + 1, delay)?;
        // The next start: opens as the app does, with the lock and clean-up.
        let (store, loaded) = Store::open_for_app(dir.path(), chrono::Utc::now());
        let now_has = match &loaded {
            Loaded::Resumed(state) => save_number(state).ok_or("no save number")?,
            Loaded::Fresh if had == 0 => 0,
            other => panic!("kill point {point} ({delay:?}): the progress did not load: {other:?}"),
        };
        // The last announced save is there, or the one after it (written,
        // renamed, killed before it could say so); never an older one.
        assert!(
            now_has == announced || now_has == announced + 1,
            "kill point {point}: had {had}, announced {announced}, found {now_has}"
        );
        assert!(
            now_has >= had,
            "kill point {point}: an older save came back"
        );
        assert_eq!(store.read_only_reason(), None);
        let strays: Vec<_> = std::fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(strays.is_empty(), "temp files survive a start: {strays:?}");
        had = now_has;
    }
    assert!(had > 0, "no kill point let a save through");

    let secrets_dir = tempfile::tempdir()?;
    let mut had = 0u64;
    for point in 0..SECRET_POINTS {
        let delay = Duration::from_micros(rng.random_range(0..40_000));
        let announced = kill_writer("secrets", secrets_dir.path(), had + 1, delay)?;
        let store = SecretStore::file_only(secrets_dir.path().to_path_buf());
        let now_has = match store.load("upwork-tokens") {
            Ok(Some(secret)) => secret
                .expose()
                .split(' ')
                .nth(1)
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or("no token number")?,
            Ok(None) if had == 0 => 0,
            other => panic!("kill point {point}: the secrets file did not load: {other:?}"),
        };
        assert!(
            now_has == announced || now_has == announced + 1,
            "kill point {point}: had {had}, announced {announced}, found {now_has}"
        );
        had = now_has;
    }
    assert!(had > 0, "no kill point let a secret through");
    Ok(())
}

/// The files an export lists, with their record counts, in order.
fn listed(folder: &Path) -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    let manifest: offboard::export::Manifest =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json"))?)?;
    let mut files: Vec<_> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.records))
        .collect();
    files.sort();
    Ok(files)
}

/// `offboard export` of the demo freelancer into `out`, quietly.
fn export_args<'a>(out: &'a str, state_dir: &'a str) -> [&'a str; 10] {
    [
        "export",
        "--platform",
        "demo",
        "--account",
        "freelancer",
        "--out",
        out,
        "--quiet",
        "--state-dir",
        state_dir,
    ]
}

fn offboard(args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new(env!("CARGO_BIN_EXE_offboard"))
        .args(args)
        .stdin(Stdio::null())
        .output()
}

/// The export folder inside `parent` (there is one per account and start).
fn only_folder(parent: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let folders: Vec<_> = std::fs::read_dir(parent)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    match folders.as_slice() {
        [only] => Ok(only.clone()),
        other => Err(format!("expected one export folder, found {other:?}").into()),
    }
}

#[test]
fn kill_9_during_an_export_then_resume_verifies_whole() -> TestResult {
    let mut rng = StdRng::seed_from_u64(SEED ^ 0xe3);
    let state = tempfile::tempdir()?;
    let state_dir = state.path().to_string_lossy().into_owned();
    // An uninterrupted export, to compare with and to time the kills by.
    let reference = tempfile::tempdir()?;
    let started = Instant::now();
    let out = reference.path().to_string_lossy().into_owned();
    let whole = offboard(&export_args(&out, &state_dir))?;
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let took = started.elapsed();
    let expected = listed(&only_folder(reference.path())?)?;

    let mut killed = 0;
    for point in 0..EXPORT_POINTS {
        let parent = tempfile::tempdir()?;
        let out = parent.path().to_string_lossy().into_owned();
        let delay = took.mul_f64(rng.random_range(0.05..0.95));
        let mut child = Command::new(env!("CARGO_BIN_EXE_offboard"))
            .args(export_args(&out, &state_dir))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::sleep(delay);
        kill(&mut child)?;
        // Killed after the export was marked complete: nothing to resume
        // (exporting again would rightly start a second export).
        let finished = only_folder(parent.path())
            .ok()
            .and_then(|f| std::fs::read(f.join("manifest.json")).ok())
            .and_then(|m| serde_json::from_slice::<offboard::export::Manifest>(&m).ok())
            .is_some_and(|m| m.complete);
        // Resume into the same parent; it must finish and verify whole.
        let resumed = if finished {
            whole.clone()
        } else {
            killed += 1;
            offboard(&export_args(&out, &state_dir))?
        };
        assert!(
            resumed.status.success(),
            "kill point {point} ({delay:?}): {}",
            String::from_utf8_lossy(&resumed.stderr)
        );
        let folder = only_folder(parent.path())?;
        let verified = offboard(&["verify", &folder.to_string_lossy()])?;
        assert!(
            verified.status.success(),
            "kill point {point}: {}",
            String::from_utf8_lossy(&verified.stdout)
        );
        assert_eq!(listed(&folder)?, expected, "kill point {point}");
    }
    assert!(killed > 0, "every export finished before its kill point");
    Ok(())
}
