//! JSONL rows for the commands that read them one by one (`eval`,
//! `resolve`), on the pipeline's reader.

use std::path::Path;

use lintseq_pipeline::read::{Counting, JsonlReader, file_size};
use lintseq_pipeline::{Location, RowId};

/// One non-blank input line.
#[derive(Debug)]
pub struct RawRow {
    /// 0-based index among the non-blank lines: the row's `index`.
    pub index: u64,
    /// 1-based line number in the (decompressed) file.
    pub line: u64,
    pub bytes: Vec<u8>,
}

/// Streams the rows of a JSONL file, plain or gzipped.
pub struct RowReader {
    reader: JsonlReader,
    /// Size of the file on disk.
    pub total_bytes: u64,
}

impl RowReader {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        Ok(Self {
            reader: JsonlReader::open(path)?,
            total_bytes: file_size(path),
        })
    }

    /// A handle on the count of bytes read, for progress from another place.
    pub fn consumed_counter(&self) -> Counting {
        self.reader.byte_count()
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_row(&mut self) -> std::io::Result<Option<RawRow>> {
        Ok(self.reader.next_line()?.map(|(id, bytes)| raw(id, bytes)))
    }
}

fn raw(id: RowId, bytes: Vec<u8>) -> RawRow {
    let line = match id.location {
        Location::Line(line) => line,
        Location::Record => 0,
    };
    RawRow {
        index: id.index,
        line,
        bytes,
    }
}

/// A buffered writer to `path` (refusing to overwrite it without `force`),
/// or to stdout when there is no path.
pub fn output(path: Option<&Path>, force: bool) -> anyhow::Result<Box<dyn std::io::Write>> {
    use anyhow::Context as _;
    let Some(path) = path else {
        return Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock())));
    };
    if path.exists() && !force {
        anyhow::bail!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        );
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(Box::new(std::io::BufWriter::new(file)))
}
