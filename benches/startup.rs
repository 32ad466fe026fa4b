//! Start-up benchmark: how long Offboard takes to put its first frame on
//! screen, and how much memory it holds then, next to an empty eframe
//! window built the same way (this benchmark binary opens it itself, with
//! `--empty-window`) measured in the same run, alternating.
//!
//! Both windows are started fresh, under the display in `$DISPLAY` or, where
//! there is none, an Xvfb server this benchmark starts; each prints a line
//! once its first frame is painted (`ui::startup_probe`), when the time and
//! the peak resident memory (`VmHWM`) are read, and then closes.
//!
//! Targets (issue 13): first frame at most 1.2 times the empty window's,
//! memory at most 1.3 times. Run: `cargo bench --bench startup`.

use offboard::ui::startup_probe::{ENV, FIRST_FRAME, StartupProbe};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 9;
const TIME_TARGET: f64 = 1.2;
const MEMORY_TARGET: f64 = 1.3;
/// Longer than any start-up: a window that never paints is a failure.
const PATIENCE: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--empty-window") {
        return empty_window();
    }
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("startup: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The baseline: an eframe window of the same size with nothing in it.
fn empty_window() -> ExitCode {
    struct Empty(StartupProbe);
    impl eframe::App for Empty {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            self.0.frame(ui.ctx());
            egui::CentralPanel::default().show(ui, |_| {});
        }
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Empty")
            .with_inner_size([1120.0, 780.0]),
        ..Default::default()
    };
    match eframe::run_native(
        "Empty",
        options,
        Box::new(|_cc| Ok(Box::new(Empty(StartupProbe::from_env())))),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("the empty window did not open: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One start: time to the first painted frame, and peak memory then (kB).
fn measure(mut command: Command) -> Result<(Duration, u64), String> {
    command
        .env(ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let result = wait_for_first_frame(&mut child, started);
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn wait_for_first_frame(child: &mut Child, started: Instant) -> Result<(Duration, u64), String> {
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.trim() == FIRST_FRAME {
                let _ = tx.send(Instant::now());
                return;
            }
        }
    });
    let painted = rx
        .recv_timeout(PATIENCE)
        .map_err(|_| "no frame was painted within a minute".to_string())?;
    let peak = peak_memory_kb(child.id()).unwrap_or(0);
    Ok((painted - started, peak))
}

/// `VmHWM` of a process, in kB (Linux).
fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// A display to open windows on: `$DISPLAY`, or an Xvfb started here.
fn display() -> Result<(String, Option<Child>), String> {
    if let Ok(display) = std::env::var("DISPLAY")
        && !display.is_empty()
    {
        return Ok((display, None));
    }
    let display = ":77".to_string();
    let xvfb = Command::new("Xvfb")
        .args([
            display.as_str(),
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("no $DISPLAY, and Xvfb could not start ({e}): install xvfb"))?;
    // Xvfb needs a moment before it takes connections.
    std::thread::sleep(Duration::from_millis(700));
    Ok((display, Some(xvfb)))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn run() -> Result<bool, String> {
    let (display, xvfb) = display()?;
    let this = std::env::current_exe().map_err(|e| e.to_string())?;
    let state = tempfile::tempdir().map_err(|e| e.to_string())?;
    let offboard = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_offboard"));
        c.arg("--state-dir")
            .arg(state.path())
            .env("DISPLAY", &display);
        c
    };
    let empty = || {
        let mut c = Command::new(&this);
        c.arg("--empty-window").env("DISPLAY", &display);
        c
    };
    // One of each first, not counted: the disk cache, the shader cache.
    measure(offboard())?;
    measure(empty())?;
    let (mut app_s, mut app_kb, mut empty_s, mut empty_kb) = (vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let (t, kb) = measure(offboard())?;
        app_s.push(t.as_secs_f64());
        app_kb.push(kb as f64);
        let (t, kb) = measure(empty())?;
        empty_s.push(t.as_secs_f64());
        empty_kb.push(kb as f64);
    }
    if let Some(mut xvfb) = xvfb {
        let _ = xvfb.kill();
        let _ = xvfb.wait();
    }
    let (app_t, empty_t) = (median(&mut app_s), median(&mut empty_s));
    let (app_m, empty_m) = (median(&mut app_kb), median(&mut empty_kb));
    let time_ratio = app_t / empty_t;
    let memory_ratio = app_m / empty_m;
    println!("medians of {RUNS} alternating starts on {display}:");
    println!(
        "first frame: Offboard {:.3} s, empty eframe window {:.3} s: {time_ratio:.2} (target ≤ {TIME_TARGET})",
        app_t, empty_t
    );
    println!(
        "peak memory: Offboard {:.1} MB, empty eframe window {:.1} MB: {memory_ratio:.2} (target ≤ {MEMORY_TARGET})",
        app_m / 1024.0,
        empty_m / 1024.0
    );
    Ok(time_ratio <= TIME_TARGET && memory_ratio <= MEMORY_TARGET)
}
