//! Reading JSONL input, plain or gzipped, one raw line at a time.
//!
//! Lines are read as bytes, so invalid UTF-8 and lines of any length become
//! per-row problems rather than a failed run.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use flate2::read::MultiGzDecoder;

/// One non-blank input line.
#[derive(Debug)]
pub struct RawRow {
    /// 0-based index among the non-blank lines: the row's `index`.
    pub index: u64,
    /// 1-based line number in the (decompressed) file.
    pub line: u64,
    pub bytes: Vec<u8>,
}

/// Streams the rows of a JSONL file.
pub struct RowReader {
    reader: Box<dyn BufRead + Send>,
    line: u64,
    index: u64,
    /// Compressed bytes consumed so far, for progress.
    consumed: Arc<AtomicU64>,
    /// Size of the file on disk.
    pub total_bytes: u64,
}

impl RowReader {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let mut file =
            File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut magic = [0u8; 2];
        let gzipped = file.read(&mut magic).ok() == Some(2) && magic == [0x1f, 0x8b];
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let consumed = Arc::new(AtomicU64::new(0));
        let counting = Counting {
            inner: file,
            consumed: Arc::clone(&consumed),
        };
        let reader: Box<dyn BufRead + Send> = if gzipped {
            Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(BufReader::new(counting)),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, counting))
        };
        Ok(Self {
            reader,
            line: 0,
            index: 0,
            consumed,
            total_bytes,
        })
    }

    pub fn consumed(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }

    /// A handle on the count of bytes read, for progress from another place.
    pub fn consumed_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.consumed)
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        loop {
            let mut bytes = Vec::new();
            let read = self.reader.read_until(b'\n', &mut bytes)?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.line == 1 && bytes.starts_with(b"\xef\xbb\xbf") {
                // A UTF-8 byte order mark is not part of the first row.
                bytes.drain(..3);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let row = RawRow {
                index: self.index,
                line: self.line,
                bytes,
            };
            self.index += 1;
            return Ok(Some(row));
        }
    }

    /// Reads up to `max` rows.
    pub fn next_batch(&mut self, max: usize) -> io::Result<Vec<RawRow>> {
        let mut batch = Vec::with_capacity(max.min(4096));
        while batch.len() < max {
            match self.next_row()? {
                Some(row) => batch.push(row),
                None => break,
            }
        }
        Ok(batch)
    }
}

struct Counting<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Counts the rows of a file (for subsampling).
pub fn count_rows(path: &Path) -> anyhow::Result<u64> {
    let mut reader = RowReader::open(path)?;
    let mut count = 0;
    while reader
        .next_row()
        .with_context(|| format!("cannot read {}", path.display()))?
        .is_some()
    {
        count += 1;
    }
    Ok(count)
}
