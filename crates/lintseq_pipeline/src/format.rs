//! Record formats, chosen by file name or by name.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::Error;

/// A file format rows can be read from and written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON Lines, one object per line; read plain or gzipped.
    Jsonl,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC: the streaming format (what `datasets.save_to_disk` writes)
    /// or the file format (Feather v2), told apart by their magic bytes.
    Arrow,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["jsonl", "parquet", "arrow"];

    /// The format a file name implies, if any: `.jsonl`, `.jsonl.gz`,
    /// `.ndjson`, `.json`, `.parquet`, `.pq`, `.arrow`, `.ipc`, `.feather`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let extension = name.rsplit_once('.')?.1;
        match extension {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "parquet" | "pq" => Some(Format::Parquet),
            "arrow" | "ipc" | "feather" | "arrows" => Some(Format::Arrow),
            _ => None,
        }
    }

    /// The format given explicitly, else the one the path implies, else JSONL
    /// (the historical default, so `data.txt` still reads as JSON Lines).
    pub fn choose(explicit: Option<Format>, path: &Path) -> Format {
        explicit
            .or_else(|| Format::from_path(path))
            .unwrap_or(Format::Jsonl)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" => Ok(Format::Jsonl),
            "parquet" | "pq" => Ok(Format::Parquet),
            "arrow" | "ipc" | "feather" => Ok(Format::Arrow),
            _ => Err(Error::Format(format!(
                "unknown format {text:?}; expected one of {}",
                Format::NAMES.join(", ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_extensions() {
        for (name, format) in [
            ("a.jsonl", Some(Format::Jsonl)),
            ("a.jsonl.gz", Some(Format::Jsonl)),
            ("dir/A.JSONL", Some(Format::Jsonl)),
            ("a.parquet", Some(Format::Parquet)),
            ("data-00000-of-00001.arrow", Some(Format::Arrow)),
            ("a.feather", Some(Format::Arrow)),
            ("a.txt", None),
            ("jsonl", None),
        ] {
            assert_eq!(Format::from_path(Path::new(name)), format, "{name}");
        }
        assert_eq!(Format::choose(None, Path::new("x.txt")), Format::Jsonl);
        assert_eq!(
            Format::choose(Some(Format::Parquet), Path::new("x.jsonl")),
            Format::Parquet
        );
        assert_eq!("Parquet".parse::<Format>().unwrap(), Format::Parquet);
        assert!("csv".parse::<Format>().is_err());
    }
}
