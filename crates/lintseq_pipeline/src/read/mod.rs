//! Reading rows from JSONL, Parquet and Arrow IPC inputs, in bounded batches.

mod batches;
mod columnar;
mod jsonl;

use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use batches::{BatchReader, Column, ColumnKind};
pub use columnar::ColumnarReader;
pub use jsonl::JsonlReader;

use crate::error::{Error, Result};
use crate::format::Format;
use crate::row::{InputRow, Record};

/// Which fields of the input the job reads.
#[derive(Clone, Debug)]
pub struct Fields {
    pub code: String,
    pub prompt: Option<String>,
    /// A column naming each row's language, if the job reads one.
    pub language: Option<String>,
}

/// How far a reader has got, in the unit it can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Rows,
}

/// Rows from an input file of any supported format.
#[derive(Debug)]
pub enum RowReader {
    Jsonl {
        reader: JsonlReader,
        path: PathBuf,
        total_bytes: u64,
    },
    Columnar(ColumnarReader),
}

impl RowReader {
    /// Opens `path` in `format`. A directory is read as a columnar dataset:
    /// the data files a `datasets.save_to_disk` folder lists in its
    /// `state.json`, else its files with the format's extension, by name.
    pub fn open(path: &Path, format: Format, fields: &Fields) -> Result<Self> {
        match format {
            Format::Jsonl => {
                if path.is_dir() {
                    return Err(Error::Format(format!(
                        "{} is a directory; JSONL input must be a file",
                        path.display()
                    )));
                }
                Ok(RowReader::Jsonl {
                    reader: JsonlReader::open(path)?,
                    path: path.to_path_buf(),
                    total_bytes: file_size(path),
                })
            }
            Format::Parquet | Format::Arrow => Ok(RowReader::Columnar(ColumnarReader::open(
                path, format, fields,
            )?)),
        }
    }

    /// Reads up to `max` rows; an empty batch means the end.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<InputRow>> {
        match self {
            RowReader::Jsonl { reader, path, .. } => {
                let mut batch = Vec::with_capacity(max.min(4096));
                while batch.len() < max {
                    let next = reader.next_line().map_err(|source| Error::Read {
                        path: path.clone(),
                        source,
                    })?;
                    match next {
                        Some((id, bytes)) => batch.push(InputRow {
                            id,
                            record: Record::Json(bytes),
                        }),
                        None => break,
                    }
                }
                Ok(batch)
            }
            RowReader::Columnar(reader) => reader.next_batch(max),
        }
    }

    pub fn progress(&self) -> Progress {
        match self {
            RowReader::Jsonl {
                reader,
                total_bytes,
                ..
            } => Progress {
                done: reader.consumed(),
                total: *total_bytes,
                unit: Unit::Bytes,
            },
            RowReader::Columnar(reader) => reader.progress(),
        }
    }
}

/// Counts the rows of an input (for subsampling). Parquet row counts come
/// from the files' metadata; the other formats are read through.
pub fn count_rows(path: &Path, format: Format, fields: &Fields) -> Result<u64> {
    match format {
        Format::Jsonl => {
            let mut reader = JsonlReader::open(path)?;
            let mut count = 0;
            while reader
                .next_line()
                .map_err(|source| Error::Read {
                    path: path.to_path_buf(),
                    source,
                })?
                .is_some()
            {
                count += 1;
            }
            Ok(count)
        }
        Format::Parquet | Format::Arrow => ColumnarReader::count_rows(path, format, fields),
    }
}

/// The size of a file, 0 if it cannot be read.
pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A shared count of bytes read through the readers it wraps; clones share
/// the count.
#[derive(Clone, Debug, Default)]
pub struct Counting(Arc<AtomicU64>);

impl Counting {
    pub(crate) fn wrap<R>(&self, inner: R) -> Counted<R> {
        Counted {
            inner,
            count: Arc::clone(&self.0),
        }
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A reader that adds what it reads to a [`Counting`].
#[derive(Debug)]
pub(crate) struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}
