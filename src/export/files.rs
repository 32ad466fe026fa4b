//! Writing export files so that a kill at any moment never leaves a file
//! that looks complete and is not: every file is written as `.name.partial`,
//! hashed and counted while it is written (never re-read), and only renamed
//! to its real name once all of it is written.
//!
//! Export files reach the disk together (`make_durable`, once, before the
//! manifest says complete), not one fsync per file: on a journaled file
//! system each fsync is a journal commit, thousands per export. A power
//! cut before then costs only work: a resumed export re-hashes every
//! finished section and writes again whatever does not match its manifest
//! entry. Large files are handed to the disk in windows while they are
//! written, so that final sync finds little left to write.
//!
//! Large files are written through a pipeline: the export thread serialises
//! records into big buffers and a writer thread hashes them and writes them
//! out, so the two cores of a small machine share the work.

use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Size of the buffers handed to a writer thread.
const PIPELINE_CHUNK: usize = 128 * 1024;
/// Buffers queued per writer thread: bounds memory whatever the file size
/// (at most depth + 2 buffers per file: queued, being written, filling).
const PIPELINE_DEPTH: usize = 3;
/// Buffer of small files written directly.
const DIRECT_BUFFER: usize = 32 * 1024;
/// A large file's data is handed to the disk in windows of this size while
/// the file is still being written (see `HashingFile::start_writeback`).
const WRITEBACK_WINDOW: u64 = 8 * 1024 * 1024;

/// The size and SHA-256 of a finished file, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenFile {
    pub bytes: u64,
    pub sha256: [u8; 32],
}

/// How much may still be written; unlimited unless a test simulates a full
/// disk. Shared by every file of one export run.
#[derive(Clone, Debug, Default)]
pub struct DiskBudget {
    remaining: Option<Arc<AtomicU64>>,
}

impl DiskBudget {
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// A disk that fills up after `bytes` more bytes.
    pub fn limited(bytes: u64) -> Self {
        DiskBudget {
            remaining: Some(Arc::new(AtomicU64::new(bytes))),
        }
    }

    /// How many of `wanted` bytes fit; an error like a real full disk when
    /// none do.
    fn allow(&self, wanted: usize) -> io::Result<usize> {
        let Some(remaining) = &self.remaining else {
            return Ok(wanted);
        };
        let mut granted = 0;
        let _ = remaining.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            granted = left.min(wanted as u64);
            Some(left - granted)
        });
        if granted == 0 && wanted > 0 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        Ok(granted as usize)
    }
}

/// A file that hashes and counts every byte on its way to the disk.
struct HashingFile {
    file: File,
    hasher: Sha256,
    bytes: u64,
    /// Where the data not yet handed to the disk starts.
    writeback_from: u64,
    budget: DiskBudget,
}

impl HashingFile {
    /// Asks the kernel to start writing the last window to the disk now,
    /// without waiting for it. Left alone, the kernel keeps hundreds of MB
    /// dirty in memory and the disk idles until the sync at the end of the
    /// export has to write them all; started early, the disk writes while
    /// the export is still formatting records, and the final sync finds
    /// little left. Only a hint: failures are ignored, the final sync is
    /// what makes the data durable.
    fn start_writeback(&mut self) {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let (Ok(offset), Ok(length)) = (
                i64::try_from(self.writeback_from),
                i64::try_from(self.bytes - self.writeback_from),
            ) else {
                return;
            };
            // SAFETY: sync_file_range reads no memory of ours; the file
            // descriptor is open for as long as `self.file` lives.
            unsafe {
                libc::sync_file_range(
                    self.file.as_raw_fd(),
                    offset,
                    length,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
        }
        self.writeback_from = self.bytes;
    }

    fn finish(self) -> (File, WrittenFile) {
        let sha256 = self.hasher.finalize().into();
        (
            self.file,
            WrittenFile {
                bytes: self.bytes,
                sha256,
            },
        )
    }
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let allowed = self.budget.allow(buf.len())?;
        let written = self.file.write(&buf[..allowed])?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        if self.bytes - self.writeback_from >= WRITEBACK_WINDOW {
            self.start_writeback();
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether a file is written on the calling thread or through a writer thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Small files: a plain buffer, no thread.
    Direct,
    /// Large files: hashing and writing happen on a writer thread.
    Pipelined,
}

/// When a finished file's data is forced to the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync before the rename: files read on their own (the manifest).
    SyncNow,
    /// Left to `make_durable` at the end of the export.
    AtEnd,
}

enum Sink {
    Direct(BufWriter<HashingFile>),
    Pipelined(Pipeline),
}

/// One export file being written under its temporary name.
pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    sink: Option<Sink>,
    /// Bytes accepted so far, for progress.
    accepted: u64,
}

/// The temporary name of `final_path` while it is written.
pub fn partial_path(final_path: &Path) -> PathBuf {
    let name = final_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    final_path.with_file_name(format!(".{name}.partial"))
}

/// Whether a directory entry is one of Offboard's temporary files.
pub fn is_partial_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".partial")
}

impl AtomicFile {
    pub fn create(final_path: &Path, mode: WriteMode, budget: &DiskBudget) -> io::Result<Self> {
        let temp_path = partial_path(final_path);
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // A link where the temporary file goes would truncate its target.
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(&temp_path)?;
        let hashing = HashingFile {
            file,
            hasher: Sha256::new(),
            bytes: 0,
            writeback_from: 0,
            budget: budget.clone(),
        };
        let sink = match mode {
            WriteMode::Direct => Sink::Direct(BufWriter::with_capacity(DIRECT_BUFFER, hashing)),
            WriteMode::Pipelined => Sink::Pipelined(Pipeline::start(hashing)?),
        };
        Ok(AtomicFile {
            final_path: final_path.to_path_buf(),
            temp_path,
            sink: Some(sink),
            accepted: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.final_path
    }

    /// Bytes handed to this file so far (some may still be in flight).
    pub fn accepted_bytes(&self) -> u64 {
        self.accepted
    }

    /// Appends what `write` puts into the buffer it is given: for a
    /// pipelined file that is the chunk on its way to the writer thread, so
    /// a serialiser writes straight into it rather than into a buffer of
    /// its own that is then copied. When `write` fails, nothing it wrote is
    /// kept.
    pub fn write_with(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let added = match &mut self.sink {
            Some(Sink::Pipelined(pipeline)) => pipeline.write_with(write)?,
            Some(Sink::Direct(buffered)) => {
                let mut piece = Vec::new();
                write(&mut piece)?;
                buffered.write_all(&piece)?;
                piece.len()
            }
            None => return Err(io::Error::other("the file was already committed")),
        };
        self.accepted += added as u64;
        Ok(())
    }

    /// Stops accepting data so a writer thread can finish writing while the
    /// caller finishes other files; `commit` then waits for it.
    pub fn close_input(&mut self) -> io::Result<()> {
        if let Some(Sink::Pipelined(pipeline)) = &mut self.sink {
            pipeline.close_input()?;
        }
        Ok(())
    }

    /// Flushes, makes the data durable if `durability` says now, renames
    /// the file to its real name and returns its size and hash.
    pub fn commit(mut self, durability: Durability) -> io::Result<WrittenFile> {
        let result = self.commit_inner(durability);
        if result.is_err() {
            let _ = fs::remove_file(&self.temp_path);
        }
        result
    }

    fn commit_inner(&mut self, durability: Durability) -> io::Result<WrittenFile> {
        let (file, written) = match self.sink.take() {
            Some(Sink::Direct(buffered)) => {
                let hashing = buffered.into_inner().map_err(|e| e.into_error())?;
                hashing.finish()
            }
            Some(Sink::Pipelined(pipeline)) => pipeline.finish()?,
            None => return Err(io::Error::other("the file was already committed")),
        };
        if durability == Durability::SyncNow {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&self.temp_path, &self.final_path)?;
        Ok(written)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = match &mut self.sink {
            Some(Sink::Direct(buffered)) => buffered.write(buf)?,
            Some(Sink::Pipelined(pipeline)) => pipeline.write(buf)?,
            None => return Err(io::Error::other("the file was already committed")),
        };
        self.accepted += written as u64;
        Ok(written)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Some(Sink::Direct(buffered)) => buffered.write_all(buf)?,
            Some(Sink::Pipelined(pipeline)) => pipeline.write_all(buf)?,
            None => return Err(io::Error::other("the file was already committed")),
        }
        self.accepted += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Data reaches the disk on commit; flushing early would only cost.
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Abandoned (error or cancel): stop the writer and remove the
        // temporary file, which a resumed export would remove anyway.
        if let Some(sink) = self.sink.take() {
            if let Sink::Pipelined(pipeline) = sink {
                pipeline.abandon();
            }
            let _ = fs::remove_file(&self.temp_path);
        }
    }
}

/// The export-thread side of a writer thread.
struct Pipeline {
    pending: Vec<u8>,
    to_writer: Option<SyncSender<Vec<u8>>>,
    recycled: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<HashingFile>>>,
    abandoned: Arc<AtomicBool>,
    /// Set once the writer failed: every later write fails the same way.
    failure: Option<(io::ErrorKind, String)>,
}

impl Pipeline {
    fn start(file: HashingFile) -> io::Result<Self> {
        let (to_writer, chunks) = mpsc::sync_channel::<Vec<u8>>(PIPELINE_DEPTH);
        let (recycle, recycled) = mpsc::sync_channel::<Vec<u8>>(PIPELINE_DEPTH + 2);
        let abandoned = Arc::new(AtomicBool::new(false));
        let abandoned_in_writer = Arc::clone(&abandoned);
        let writer = std::thread::Builder::new()
            .name("export-writer".to_string())
            .spawn(move || write_chunks(file, chunks, recycle, &abandoned_in_writer))?;
        Ok(Pipeline {
            pending: Vec::with_capacity(PIPELINE_CHUNK + DIRECT_BUFFER),
            to_writer: Some(to_writer),
            recycled,
            writer: Some(writer),
            abandoned,
            failure: None,
        })
    }

    fn failed(&self) -> Option<io::Error> {
        self.failure
            .as_ref()
            .map(|(kind, message)| io::Error::new(*kind, message.clone()))
    }

    fn ship(&mut self) -> io::Result<()> {
        if let Some(error) = self.failed() {
            return Err(error);
        }
        let Some(to_writer) = &self.to_writer else {
            return Err(io::Error::other("the file was already closed"));
        };
        let fresh = self
            .recycled
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(PIPELINE_CHUNK + DIRECT_BUFFER));
        let full = std::mem::replace(&mut self.pending, fresh);
        if to_writer.send(full).is_err() {
            // The writer stopped early: it failed, and its error says why.
            let error = self.join_writer().err().unwrap_or_else(|| {
                io::Error::other("the writer thread stopped before the file was complete")
            });
            self.failure = Some((error.kind(), error.to_string()));
            return Err(error);
        }
        Ok(())
    }

    fn join_writer(&mut self) -> io::Result<HashingFile> {
        self.to_writer = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the writer thread panicked")),
            None => Err(io::Error::other("the writer thread already finished")),
        }
    }

    fn close_input(&mut self) -> io::Result<()> {
        if self.to_writer.is_some() {
            if !self.pending.is_empty() {
                self.ship()?;
            }
            // Dropping the sender tells the writer the file is complete.
            self.to_writer = None;
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<(File, WrittenFile)> {
        self.close_input()?;
        if let Some(error) = self.failed() {
            return Err(error);
        }
        Ok(self.join_writer()?.finish())
    }

    fn abandon(mut self) {
        self.abandoned.store(true, Ordering::SeqCst);
        let _ = self.join_writer();
    }
}

impl Pipeline {
    fn write_with(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<usize> {
        if let Some(error) = self.failed() {
            return Err(error);
        }
        // Below PIPELINE_CHUNK there is always DIRECT_BUFFER of room left,
        // so a record of ordinary size never makes the buffer grow.
        let before = self.pending.len();
        if let Err(error) = write(&mut self.pending) {
            self.pending.truncate(before);
            return Err(error);
        }
        let added = self.pending.len() - before;
        if self.pending.len() >= PIPELINE_CHUNK {
            self.ship()?;
        }
        Ok(added)
    }
}

impl Write for Pipeline {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Ship before the buffer would have to grow, so buffers keep their
        // size and memory stays bounded.
        if !self.pending.is_empty() && self.pending.len() + buf.len() > self.pending.capacity() {
            self.ship()?;
        }
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= PIPELINE_CHUNK {
            self.ship()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The writer thread: hash and write each chunk and hand the buffer back,
/// until the export thread closes the channel.
fn write_chunks(
    mut file: HashingFile,
    chunks: Receiver<Vec<u8>>,
    recycle: SyncSender<Vec<u8>>,
    abandoned: &AtomicBool,
) -> io::Result<HashingFile> {
    for mut chunk in chunks {
        file.write_all(&chunk)?;
        // A buffer an outsized record made grow is not kept.
        if chunk.capacity() <= PIPELINE_CHUNK + DIRECT_BUFFER {
            chunk.clear();
            let _ = recycle.try_send(chunk);
        }
    }
    if abandoned.load(Ordering::SeqCst) {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "abandoned"));
    }
    Ok(file)
}

/// Commits several export files at once, letting their writer threads
/// finish in parallel; they reach the disk with the rest of the export
/// (`make_durable`). Returns results in the same order.
pub fn commit_all(mut files: Vec<AtomicFile>) -> Vec<(PathBuf, io::Result<WrittenFile>)> {
    let closed: Vec<io::Result<()>> = files.iter_mut().map(AtomicFile::close_input).collect();
    files
        .into_iter()
        .zip(closed)
        .map(|(file, closed)| {
            let path = file.path().to_path_buf();
            let result = closed.and_then(|()| file.commit(Durability::AtEnd));
            (path, result)
        })
        .collect()
}

/// Forces every file of an export folder, and the folders' entries, to the
/// disk: `files` are paths relative to `dir`, `folders` the folders that
/// hold them. On a local Linux file system one syncfs(2) writes them all
/// (and whatever else is waiting on that file system) with one journal
/// commit; elsewhere each file is fsynced. Fails with the path that failed.
pub fn make_durable<'f>(
    dir: &Path,
    files: impl Iterator<Item = &'f str>,
    folders: &[&str],
) -> Result<(), (PathBuf, io::Error)> {
    #[cfg(target_os = "linux")]
    let synced = sync_local_file_system(dir).map_err(|error| (dir.to_path_buf(), error))?;
    #[cfg(not(target_os = "linux"))]
    let synced = false;
    if !synced {
        let paths: Vec<PathBuf> = files.map(|relative| dir.join(relative)).collect();
        sync_each(&paths)?;
    }
    for folder in folders {
        let path = dir.join(folder);
        match sync_dir(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err((path, error)),
        }
    }
    sync_dir(dir).map_err(|error| (dir.to_path_buf(), error))
}

/// syncfs(2) on the file system holding `dir`, when it is a local one whose
/// syncfs writes every file's data as fsync would; `false` elsewhere. (On
/// network and FUSE file systems syncfs may only flush the kernel's cache,
/// not ask the server or the driver to store the data.)
#[cfg(target_os = "linux")]
fn sync_local_file_system(dir: &Path) -> io::Result<bool> {
    // ext2/3/4, XFS, Btrfs, F2FS, ZFS, bcachefs, tmpfs, and overlayfs (whose
    // syncfs syncs its upper, local layer): statfs(2) f_type values.
    const LOCAL: [u32; 8] = [
        0xEF53,
        0x5846_5342,
        0x9123_683E,
        0xF2F5_2010,
        0x2FC1_2FC1,
        0xCA45_1A4E,
        0x0102_1994,
        0x794C_7630,
    ];
    let folder = File::open(dir)?;
    // Magic numbers are 32 bits; f_type is wider on 64-bit systems.
    let kind = rustix::fs::fstatfs(&folder)?.f_type as u32;
    if !LOCAL.contains(&kind) {
        return Ok(false);
    }
    rustix::fs::syncfs(&folder)?;
    Ok(true)
}

/// fsyncs each file, a few at a time: a network share answers each flush
/// with a round trip. Write access, since Windows flushes only through it.
fn sync_each(paths: &[PathBuf]) -> Result<(), (PathBuf, io::Error)> {
    const WORKERS: usize = 4;
    let per_worker = paths.len().div_ceil(WORKERS).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(per_worker)
            .map(|chunk| {
                scope.spawn(move || {
                    for path in chunk {
                        OpenOptions::new()
                            .write(true)
                            .open(path)
                            .and_then(|file| file.sync_all())
                            .map_err(|error| (path.clone(), error))?;
                    }
                    Ok(())
                })
            })
            .collect();
        let mut result = Ok(());
        for worker in workers {
            let outcome = worker.join().unwrap_or_else(|_| {
                Err((PathBuf::new(), io::Error::other("an fsync thread panicked")))
            });
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    })
}

/// Makes renames inside `dir` durable. Windows has no directory fsync; its
/// renames are journaled by NTFS.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

/// Writes a small file atomically in one go (the manifest, added files).
pub fn write_atomically(
    final_path: &Path,
    contents: &[u8],
    budget: &DiskBudget,
) -> io::Result<WrittenFile> {
    write_atomically_with(final_path, budget, |file| file.write_all(contents))
}

/// Writes a small file atomically through `write`, which streams into it.
pub fn write_atomically_with(
    final_path: &Path,
    budget: &DiskBudget,
    write: impl FnOnce(&mut AtomicFile) -> io::Result<()>,
) -> io::Result<WrittenFile> {
    let mut file = AtomicFile::create(final_path, WriteMode::Direct, budget)?;
    write(&mut file)?;
    let written = file.commit(Durability::SyncNow)?;
    if let Some(dir) = final_path.parent() {
        sync_dir(dir)?;
    }
    Ok(written)
}

/// SHA-256 and size of a file on disk, streamed in blocks.
pub fn hash_file(path: &Path) -> io::Result<WrittenFile> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let read = io::Read::read(&mut file, &mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        bytes += read as u64;
    }
    Ok(WrittenFile {
        bytes,
        sha256: hasher.finalize().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(data: &[u8]) -> [u8; 32] {
        Sha256::digest(data).into()
    }

    #[test]
    fn direct_and_pipelined_files_hash_what_they_write() {
        let dir = tempfile::tempdir().unwrap();
        // Over two write-back windows, so data handed to the disk early is
        // in the file and the hash too.
        let data: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
        for (name, mode) in [
            ("a.bin", WriteMode::Direct),
            ("b.bin", WriteMode::Pipelined),
        ] {
            let path = dir.path().join(name);
            let mut file = AtomicFile::create(&path, mode, &DiskBudget::unlimited()).unwrap();
            assert!(partial_path(&path).exists());
            for piece in data.chunks(1000) {
                file.write_all(piece).unwrap();
            }
            assert!(!path.exists(), "not renamed before commit");
            let written = file.commit(Durability::SyncNow).unwrap();
            assert_eq!(written.bytes, data.len() as u64);
            assert_eq!(written.sha256, sha(&data));
            assert_eq!(fs::read(&path).unwrap(), data);
            assert!(!partial_path(&path).exists());
            assert_eq!(hash_file(&path).unwrap(), written);
        }
    }

    #[test]
    fn written_in_place_pieces_arrive_whole_and_failed_ones_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        // Pieces of every size up to several chunks, and some that fail
        // after writing part of themselves.
        let pieces: Vec<Vec<u8>> = (0..400u32)
            .map(|i| vec![(i % 251) as u8; (i as usize * 997) % (3 * PIPELINE_CHUNK)])
            .collect();
        for (name, mode) in [
            ("a.bin", WriteMode::Direct),
            ("b.bin", WriteMode::Pipelined),
        ] {
            let path = dir.path().join(name);
            let mut file = AtomicFile::create(&path, mode, &DiskBudget::unlimited()).unwrap();
            let mut expected = Vec::new();
            for (i, piece) in pieces.iter().enumerate() {
                let fails = i % 7 == 3;
                let result = file.write_with(|out| {
                    out.extend_from_slice(piece);
                    if fails {
                        Err(io::Error::other("serialising failed"))
                    } else {
                        Ok(())
                    }
                });
                assert_eq!(result.is_err(), fails);
                if !fails {
                    expected.extend_from_slice(piece);
                }
            }
            assert_eq!(file.accepted_bytes(), expected.len() as u64);
            let written = file.commit(Durability::AtEnd).unwrap();
            assert_eq!(written.sha256, sha(&expected));
            assert_eq!(fs::read(&path).unwrap(), expected);
        }
    }

    #[test]
    fn a_full_disk_fails_and_leaves_no_final_file() {
        let dir = tempfile::tempdir().unwrap();
        for mode in [WriteMode::Direct, WriteMode::Pipelined] {
            let path = dir.path().join("full.bin");
            let budget = DiskBudget::limited(500_000);
            let mut file = AtomicFile::create(&path, mode, &budget).unwrap();
            let chunk = vec![7u8; 10_000];
            let mut result = Ok(());
            for _ in 0..100 {
                result = file.write_all(&chunk);
                if result.is_err() {
                    break;
                }
            }
            let error = match result {
                Err(error) => error,
                Ok(()) => file.commit(Durability::SyncNow).unwrap_err(),
            };
            assert_eq!(error.kind(), io::ErrorKind::StorageFull);
            assert!(!path.exists());
        }
        // Abandoned files are cleaned up.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn files_committed_for_the_end_are_made_durable_together() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("rooms")).unwrap();
        let mut names = Vec::new();
        for i in 0..10 {
            let relative = format!("rooms/room-{i}.txt");
            let mut file = AtomicFile::create(
                &dir.path().join(&relative),
                WriteMode::Direct,
                &DiskBudget::unlimited(),
            )
            .unwrap();
            file.write_all(b"hello").unwrap();
            file.commit(Durability::AtEnd).unwrap();
            names.push(relative);
        }
        make_durable(dir.path(), names.iter().map(String::as_str), &["rooms"]).unwrap();
        assert_eq!(fs::read_dir(dir.path().join("rooms")).unwrap().count(), 10);

        // The way file systems without syncfs go: file by file, naming the
        // file that failed.
        let mut paths: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        sync_each(&paths).unwrap();
        let missing = dir.path().join("rooms/missing.txt");
        paths.insert(3, missing.clone());
        assert_eq!(sync_each(&paths).unwrap_err().0, missing);
        sync_each(&[]).unwrap();

        // Windows cannot sync a folder, so a missing one goes unnoticed.
        #[cfg(unix)]
        {
            let gone = dir.path().join("gone");
            let (path, _) = make_durable(&gone, std::iter::empty(), &[]).unwrap_err();
            assert_eq!(path, gone);
        }
    }
}
