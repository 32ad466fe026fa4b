//! The rows of index.html, rendered while their section is written: the
//! pass that writes a section's JSON and CSV hands each record, once it is
//! done with it, to a renderer thread that turns it into the section's rows
//! and appends them to the page (see `html`), so rendering runs beside
//! serialising on a second core. A large section can also hand the
//! renderer a companion file (transactions.csv) to write from the same
//! records, so the two threads share the formatting evenly.
//!
//! The page passes from section to section: each renderer takes it from
//! the run and gives it back when its section ends. When the run has no
//! page (an earlier run finished it), records only feed the companion.

use super::files::AtomicFile;
use super::html::{INDEX_HTML, PageSection, Templates};
use super::{ExportError, ExportRun, io_error};
use std::io::{self, Write};
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;

/// A record that can render itself as part of index.html.
pub(crate) trait PageRow: Send + 'static {
    /// Renders the `index`-th record of its section into `out`.
    fn render(
        &self,
        templates: &Templates,
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), minijinja::Error>;
}

/// A second file the renderer thread writes from the same records.
pub(crate) trait Companion<T>: Send + 'static {
    fn write(&mut self, record: &T) -> io::Result<()>;
}

/// No companion file.
pub(crate) struct NoCompanion;

impl<T> Companion<T> for NoCompanion {
    fn write(&mut self, _record: &T) -> io::Result<()> {
        Ok(())
    }
}

/// Why a renderer thread stopped.
enum RenderFailure {
    Io(io::Error),
    Companion(io::Error),
    Template(minijinja::Error),
}

/// What a renderer thread hands back: the page, the rows, the companion.
type Rendered<C> = (Option<AtomicFile>, u64, C);

/// The exporting side of one renderer thread.
pub(crate) struct RowWriter<T: PageRow, C: Companion<T> = NoCompanion> {
    /// Where the companion writes, for error messages.
    companion_relative: String,
    batch: Vec<T>,
    batch_size: usize,
    to_renderer: Option<SyncSender<Vec<T>>>,
    renderer: Option<JoinHandle<Result<Rendered<C>, RenderFailure>>>,
}

/// Batches in flight per renderer: bounds memory.
const BATCHES_IN_FLIGHT: usize = 4;

impl<T: PageRow> RowWriter<T> {
    /// Starts the renderer for `section`; records travel in batches of
    /// `batch_size` (small for large records such as message rooms).
    pub(crate) fn start(
        run: &mut ExportRun<'_>,
        section: PageSection,
        batch_size: usize,
    ) -> Result<Self, ExportError> {
        Self::start_with(run, section, batch_size, NoCompanion, "")
    }

    /// Waits for the last rows and gives the page back to the run;
    /// returns how many rows the section has.
    pub(crate) fn finish(self, run: &mut ExportRun<'_>) -> Result<u64, ExportError> {
        self.finish_with_companion(run).map(|(rows, _)| rows)
    }
}

impl<T: PageRow, C: Companion<T>> RowWriter<T, C> {
    /// As `start`, with `companion` (writing `companion_relative`) fed
    /// every record on the renderer thread before its row is rendered.
    pub(crate) fn start_with(
        run: &mut ExportRun<'_>,
        section: PageSection,
        batch_size: usize,
        mut companion: C,
        companion_relative: &str,
    ) -> Result<Self, ExportError> {
        let mut page = run.page.take();
        let (to_renderer, batches) = mpsc::sync_channel::<Vec<T>>(BATCHES_IN_FLIGHT);
        let renderer = std::thread::Builder::new()
            .name("export-render".to_string())
            .spawn(move || {
                let templates = Templates::load().map_err(RenderFailure::Template)?;
                let mut buffer = Vec::with_capacity(16 * 1024);
                let mut rows = 0u64;
                for batch in batches {
                    for record in batch {
                        companion.write(&record).map_err(RenderFailure::Companion)?;
                        if let Some(page) = &mut page {
                            buffer.clear();
                            if rows == 0 {
                                // The section appears with its first row:
                                // some show only when the account has any.
                                section
                                    .render_start(&templates, false, &mut buffer)
                                    .map_err(RenderFailure::Template)?;
                            }
                            record
                                .render(&templates, rows, &mut buffer)
                                .map_err(RenderFailure::Template)?;
                            page.write_all(&buffer).map_err(RenderFailure::Io)?;
                        }
                        rows += 1;
                    }
                }
                if let Some(page) = &mut page {
                    let empty = rows == 0;
                    if !empty || section.always() {
                        buffer.clear();
                        if empty {
                            section
                                .render_start(&templates, true, &mut buffer)
                                .map_err(RenderFailure::Template)?;
                        }
                        section
                            .render_end(&templates, empty, &mut buffer)
                            .map_err(RenderFailure::Template)?;
                        page.write_all(&buffer).map_err(RenderFailure::Io)?;
                    }
                }
                Ok((page, rows, companion))
            })
            .map_err(io_error(
                "start rendering index.html",
                &run.path(INDEX_HTML),
            ))?;
        Ok(RowWriter {
            companion_relative: companion_relative.to_string(),
            batch: Vec::with_capacity(batch_size),
            batch_size: batch_size.max(1),
            to_renderer: Some(to_renderer),
            renderer: Some(renderer),
        })
    }

    pub(crate) fn push(&mut self, record: T, run: &ExportRun<'_>) -> Result<(), ExportError> {
        self.batch.push(record);
        if self.batch.len() >= self.batch_size {
            self.send(run)?;
        }
        Ok(())
    }

    fn send(&mut self, run: &ExportRun<'_>) -> Result<(), ExportError> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.batch_size));
        let sent = self
            .to_renderer
            .as_ref()
            .is_some_and(|to_renderer| to_renderer.send(batch).is_ok());
        if sent {
            Ok(())
        } else {
            // The renderer stopped early: its error says why.
            Err(self.join(run).err().unwrap_or_else(|| {
                io_error("write", &run.path(INDEX_HTML))(io::Error::other(
                    "the renderer stopped before the section was complete",
                ))
            }))
        }
    }

    fn join(&mut self, run: &ExportRun<'_>) -> Result<Rendered<C>, ExportError> {
        self.to_renderer = None;
        let path = run.path(INDEX_HTML);
        match self.renderer.take().map(JoinHandle::join) {
            Some(Ok(Ok(done))) => Ok(done),
            Some(Ok(Err(RenderFailure::Io(error)))) => {
                Err(io_error(format!("write {INDEX_HTML}"), &path)(error))
            }
            Some(Ok(Err(RenderFailure::Companion(error)))) => {
                let companion = &self.companion_relative;
                Err(io_error(format!("write {companion}"), &run.path(companion))(error))
            }
            Some(Ok(Err(RenderFailure::Template(error)))) => {
                Err(ExportError::Template(format!("{error:#}")))
            }
            Some(Err(_)) => Err(ExportError::Template(
                "the renderer thread panicked".to_string(),
            )),
            None => Err(io_error("write", &path)(io::Error::other(
                "the renderer already stopped",
            ))),
        }
    }

    /// Waits for the last rows and gives the page back to the run;
    /// returns how many rows the section has, and the companion.
    pub(crate) fn finish_with_companion(
        mut self,
        run: &mut ExportRun<'_>,
    ) -> Result<(u64, C), ExportError> {
        if !self.batch.is_empty() {
            self.send(run)?;
        }
        let (page, rows, companion) = self.join(run)?;
        run.page = page;
        Ok((rows, companion))
    }
}

impl<T: PageRow, C: Companion<T>> Drop for RowWriter<T, C> {
    fn drop(&mut self) {
        // Abandoned (error or cancel): let the renderer end; the page is
        // removed when the AtomicFile it returns is dropped, and built
        // again when the export is resumed.
        self.to_renderer = None;
        if let Some(renderer) = self.renderer.take() {
            let _ = renderer.join();
        }
    }
}
