//! What a headless command shows while it fetches and exports: a progress
//! bar with what is being fetched, counts so far and time left on a
//! terminal; a plain line now and then when stderr is a file or a pipe;
//! nothing with `--quiet`.

use crate::export::ExportProgress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a plain line repeats the fetch counts when nothing else changes.
const LINE_EVERY: Duration = Duration::from_secs(5);

pub enum Progress {
    Quiet,
    Bar(ProgressBar),
    Lines(Mutex<LineState>),
}

#[derive(Default)]
pub struct LineState {
    section: String,
    last_line: Option<Instant>,
    fetch: Option<(String, u64, u64)>,
}

impl Progress {
    /// The right kind for this run: quiet, a bar on a terminal, else lines.
    pub fn for_stderr(quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(spinner_style());
            bar.enable_steady_tick(Duration::from_millis(120));
            Progress::Bar(bar)
        } else {
            Progress::Lines(Mutex::new(LineState::default()))
        }
    }

    /// A networked source reports what it fetches.
    pub fn fetching(&self, what: &str, queries: u64, records: u64) {
        match self {
            Progress::Quiet => {}
            Progress::Bar(bar) => {
                bar.set_message(fetch_text(what, queries, records));
            }
            Progress::Lines(state) => {
                let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
                state.fetch = Some((what.to_string(), queries, records));
                let due = state.last_line.is_none_or(|at| at.elapsed() >= LINE_EVERY);
                if due {
                    eprintln!("{}", fetch_text(what, queries, records));
                    state.last_line = Some(Instant::now());
                }
            }
        }
    }

    /// The export reports each section.
    pub fn exporting(&self, p: &ExportProgress) {
        let total = p.sections_total.max(p.sections_done + 1);
        match self {
            Progress::Quiet => {}
            Progress::Bar(bar) => {
                if bar.length() != Some(total as u64) {
                    bar.set_style(bar_style());
                    bar.set_length(total as u64);
                }
                bar.set_position(p.sections_done as u64);
                bar.set_message(format!(
                    "{}: {} records, {}",
                    p.section,
                    p.records,
                    megabytes(p.bytes)
                ));
            }
            Progress::Lines(state) => {
                let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
                if state.section != p.section {
                    eprintln!(
                        "[{}/{}] {} ({} records, {} so far)",
                        p.sections_done + 1,
                        total,
                        p.section,
                        p.records,
                        megabytes(p.bytes)
                    );
                    state.section.clone_from(&p.section);
                    state.last_line = Some(Instant::now());
                }
            }
        }
    }

    /// A line of its own above the bar (or plain, without one).
    pub fn say(&self, text: &str) {
        match self {
            Progress::Quiet => {}
            Progress::Bar(bar) => bar.println(text),
            Progress::Lines(_) => eprintln!("{text}"),
        }
    }

    /// Clears the bar; the command prints its result after.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn fetch_text(what: &str, queries: u64, records: u64) -> String {
    format!("fetching {what}: {queries} requests, {records} records so far")
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {elapsed} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{bar:24} {pos}/{len} sections, {elapsed} so far, about {eta} left  {wide_msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_says_nothing_and_lines_track_sections() {
        let quiet = Progress::for_stderr(true);
        assert!(matches!(quiet, Progress::Quiet));
        quiet.fetching("rooms", 3, 10);

        let lines = Progress::Lines(Mutex::new(LineState::default()));
        let p = ExportProgress {
            section: "contracts".into(),
            sections_done: 1,
            sections_total: 9,
            records: 120,
            bytes: 2_500_000,
        };
        lines.exporting(&p);
        lines.fetching("rooms", 3, 10);
        if let Progress::Lines(state) = &lines {
            let state = state.lock().unwrap_or_else(|p| p.into_inner());
            assert_eq!(state.section, "contracts");
            assert_eq!(state.fetch, Some(("rooms".into(), 3, 10)));
        }
        assert_eq!(megabytes(2_500_000), "2.5 MB");
        assert_eq!(
            fetch_text("rooms", 3, 10),
            "fetching rooms: 3 requests, 10 records so far"
        );
    }
}
