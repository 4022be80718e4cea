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

    /// The format of an input: as [`choose`](Self::choose), except that a
    /// directory whose name says nothing is read as Arrow when it has the
    /// `state.json` of a `datasets.save_to_disk` folder, and as Parquet when
    /// it holds `.parquet` files.
    pub fn choose_input(explicit: Option<Format>, path: &Path) -> Format {
        if explicit.is_none() && Format::from_path(path).is_none() && path.is_dir() {
            if path.join("state.json").is_file() {
                return Format::Arrow;
            }
            let parquet = std::fs::read_dir(path).is_ok_and(|entries| {
                entries
                    .flatten()
                    .any(|entry| Format::from_path(&entry.path()) == Some(Format::Parquet))
            });
            if parquet {
                return Format::Parquet;
            }
        }
        Format::choose(explicit, path)
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

    #[test]
    fn input_folders_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("saved");
        std::fs::create_dir(&saved).unwrap();
        assert_eq!(Format::choose_input(None, &saved), Format::Jsonl);
        std::fs::write(saved.join("state.json"), "{}").unwrap();
        assert_eq!(Format::choose_input(None, &saved), Format::Arrow);
        let parquet = dir.path().join("shards");
        std::fs::create_dir(&parquet).unwrap();
        std::fs::write(parquet.join("part-0.parquet"), "").unwrap();
        assert_eq!(Format::choose_input(None, &parquet), Format::Parquet);
        assert_eq!(
            Format::choose_input(Some(Format::Jsonl), &parquet),
            Format::Jsonl
        );
    }
}
