//! JSON Lines, plain or gzipped, read one raw line at a time.
//!
//! Lines are read as bytes, so invalid UTF-8 and lines of any length become
//! per-row problems rather than a failed run.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::Counting;
use crate::error::{Error, Result};
use crate::row::{Location, RowId};

/// Streams the non-blank lines of a JSONL file (or any reader).
pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    line: u64,
    index: u64,
    consumed: Counting,
}

impl std::fmt::Debug for JsonlReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlReader")
            .field("line", &self.line)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl JsonlReader {
    /// Opens a file, decompressing it if it starts with gzip's magic bytes.
    pub fn open(path: &Path) -> Result<Self> {
        let open = || {
            File::open(path).map_err(|source| Error::Open {
                path: path.to_path_buf(),
                source,
            })
        };
        let mut magic = [0u8; 2];
        let gzipped = open()?.read(&mut magic).ok() == Some(2) && magic == [0x1f, 0x8b];
        Ok(Self::from_reader(open()?, gzipped))
    }

    /// Reads from any byte stream (`gzipped`: decompress it first).
    pub fn from_reader(reader: impl Read + Send + 'static, gzipped: bool) -> Self {
        let consumed = Counting::default();
        let counted = consumed.wrap(reader);
        let reader: Box<dyn BufRead + Send> = if gzipped {
            Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(BufReader::new(counted)),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, counted))
        };
        Self {
            reader,
            line: 0,
            index: 0,
            consumed,
        }
    }

    /// Bytes of the underlying (compressed) stream read so far.
    pub fn consumed(&self) -> u64 {
        self.consumed.get()
    }

    /// A handle on that count, for progress from elsewhere.
    pub fn byte_count(&self) -> Counting {
        self.consumed.clone()
    }

    /// The next non-blank line with its row id, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(RowId, Vec<u8>)>> {
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
            let id = RowId {
                index: self.index,
                location: Location::Line(self.line),
            };
            self.index += 1;
            return Ok(Some((id, bytes)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &'static [u8]) -> Vec<(RowId, Vec<u8>)> {
        let mut reader = JsonlReader::from_reader(bytes, false);
        std::iter::from_fn(|| reader.next_line().unwrap()).collect()
    }

    #[test]
    fn blank_lines_are_not_rows_but_count_as_lines() {
        let rows = lines(b"\xef\xbb\xbf{\"a\": 1}\n\n  \r\n{\"b\": 2}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, b"{\"a\": 1}\n");
        assert_eq!(
            rows[1].0,
            RowId {
                index: 1,
                location: Location::Line(4)
            }
        );
        assert_eq!(rows[1].1, b"{\"b\": 2}");
    }
}
