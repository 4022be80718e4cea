//! Record batches from Parquet and Arrow IPC files, projected to the columns
//! a job reads and checked to hold what it expects, one batch at a time, so
//! memory stays bounded by the batch size.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, DataType, Schema};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Counting, Progress, Unit};
use crate::error::{Error, Result};
use crate::format::Format;

/// Rows decoded per record batch.
const BATCH_ROWS: usize = 1024;

/// What a column must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Strings (`utf8`, `large_utf8`, `utf8_view`).
    Text,
    /// Lists of strings (`edit_path`).
    TextList,
    /// Integers of any width.
    Integer,
}

impl ColumnKind {
    fn accepts(self, data_type: &DataType) -> bool {
        let text = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
            )
        };
        match self {
            ColumnKind::Text => text(data_type),
            ColumnKind::TextList => match data_type {
                DataType::List(item) | DataType::LargeList(item) => text(item.data_type()),
                DataType::Null => true,
                _ => false,
            },
            ColumnKind::Integer => data_type.is_integer(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ColumnKind::Text => "strings",
            ColumnKind::TextList => "lists of strings",
            ColumnKind::Integer => "integers",
        }
    }
}

/// A column a job reads.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    /// A missing required column fails the run; a missing optional one is
    /// absent from the batches.
    pub required: bool,
    /// The flag that chooses another column, for the error message.
    pub hint: &'static str,
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

/// Streams record batches from one Parquet or Arrow file, or from the data
/// files of a dataset directory, one after the other.
pub struct BatchReader {
    format: Format,
    columns: Vec<Column>,
    files: VecDeque<PathBuf>,
    path: PathBuf,
    batches: Option<Batches>,
    counting: Counting,
    total: u64,
    unit: Unit,
    rows_read: u64,
}

impl std::fmt::Debug for BatchReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchReader")
            .field("format", &self.format)
            .field("path", &self.path)
            .field("rows_read", &self.rows_read)
            .finish_non_exhaustive()
    }
}

impl BatchReader {
    /// Opens `path` (a file, or a dataset folder) and checks the first
    /// file's schema, so that problems surface before any work.
    pub fn open(path: &Path, format: Format, columns: Vec<Column>) -> Result<Self> {
        let files = data_files(path, format)?;
        let (total, unit) = match format {
            Format::Parquet => {
                let mut rows = 0;
                for file in &files {
                    rows += parquet_builder(file)?.metadata().file_metadata().num_rows() as u64;
                }
                (rows, Unit::Rows)
            }
            _ => (files.iter().map(|f| super::file_size(f)).sum(), Unit::Bytes),
        };
        let mut reader = Self {
            format,
            columns,
            files: files.into(),
            path: path.to_path_buf(),
            batches: None,
            counting: Counting::default(),
            total,
            unit,
            rows_read: 0,
        };
        reader.open_next()?;
        Ok(reader)
    }

    /// The number of rows: from Parquet metadata, or by reading through.
    pub fn count_rows(mut self) -> Result<u64> {
        if self.format == Format::Parquet {
            return Ok(self.total);
        }
        let mut rows = 0;
        while let Some(batch) = self.next_batch()? {
            rows += batch.num_rows() as u64;
        }
        Ok(rows)
    }

    /// The next non-empty record batch, with the wanted columns only.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        loop {
            let Some(batches) = &mut self.batches else {
                return Ok(None);
            };
            match batches.next() {
                Some(Ok(batch)) if batch.num_rows() == 0 => continue,
                Some(Ok(batch)) => {
                    self.rows_read += batch.num_rows() as u64;
                    return Ok(Some(batch));
                }
                Some(Err(error)) => {
                    return Err(Error::Decode {
                        path: self.path.clone(),
                        message: error.to_string(),
                    });
                }
                None => self.open_next()?,
            }
        }
    }

    /// The file being read (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows (Parquet) or bytes (Arrow) read so far, of the total.
    pub fn progress(&self, rows_handed_out: u64) -> Progress {
        let done = match self.unit {
            Unit::Rows => rows_handed_out,
            Unit::Bytes => self.counting.get(),
        };
        Progress {
            done,
            total: self.total,
            unit: self.unit,
        }
    }

    /// Moves on to the next data file (or to the end).
    fn open_next(&mut self) -> Result<()> {
        self.batches = None;
        let Some(path) = self.files.pop_front() else {
            return Ok(());
        };
        let decode = |error: &dyn std::fmt::Display| Error::Decode {
            path: path.clone(),
            message: error.to_string(),
        };
        let batches: Batches = match self.format {
            Format::Parquet => {
                let builder = parquet_builder(&path)?;
                let wanted = wanted_columns(builder.schema(), &self.columns, &path)?;
                let mask = ProjectionMask::roots(builder.parquet_schema(), wanted);
                let reader = builder
                    .with_batch_size(BATCH_ROWS)
                    .with_projection(mask)
                    .build()
                    .map_err(|e| decode(&e))?;
                Box::new(reader)
            }
            _ => {
                let mut file = open(&path)?;
                let mut magic = [0u8; 6];
                let is_file_format = file.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
                // A first look, for the schema: the columns to decode.
                let schema = if is_file_format {
                    arrow_ipc::reader::FileReader::try_new_buffered(open(&path)?, None)
                        .map_err(|e| decode(&e))?
                        .schema()
                } else {
                    arrow_ipc::reader::StreamReader::try_new_buffered(open(&path)?, None)
                        .map_err(|e| decode(&e))?
                        .schema()
                };
                let wanted = Some(wanted_columns(&schema, &self.columns, &path)?);
                let file = BufReader::with_capacity(1 << 16, self.counting.wrap(open(&path)?));
                if is_file_format {
                    Box::new(
                        arrow_ipc::reader::FileReader::try_new(file, wanted)
                            .map_err(|e| decode(&e))?,
                    )
                } else {
                    Box::new(
                        arrow_ipc::reader::StreamReader::try_new(file, wanted)
                            .map_err(|e| decode(&e))?,
                    )
                }
            }
        };
        self.path = path;
        self.batches = Some(batches);
        Ok(())
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })
}

fn parquet_builder(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    ParquetRecordBatchReaderBuilder::try_new(open(path)?).map_err(|error| Error::Decode {
        path: path.to_path_buf(),
        message: error.to_string(),
    })
}

/// The positions of the wanted columns that exist, checked for their kind.
fn wanted_columns(schema: &Schema, columns: &[Column], path: &Path) -> Result<Vec<usize>> {
    let names = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut wanted = Vec::new();
    for column in columns {
        let Ok(index) = schema.index_of(&column.name) else {
            if !column.required {
                continue;
            }
            return Err(Error::Schema {
                path: path.to_path_buf(),
                message: format!(
                    "no column `{}` (the columns are: {}); choose one with {}",
                    column.name,
                    names(),
                    column.hint
                ),
            });
        };
        let data_type = schema.field(index).data_type();
        if !column.kind.accepts(data_type) {
            return Err(Error::Schema {
                path: path.to_path_buf(),
                message: format!(
                    "column `{}` holds {data_type}, not {}",
                    column.name,
                    column.kind.describe()
                ),
            });
        }
        wanted.push(index);
    }
    wanted.sort_unstable();
    Ok(wanted)
}

/// The data files of `path`: the file itself, or those of a directory.
fn data_files(path: &Path, format: Format) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let state = path.join("state.json");
    if let Ok(text) = std::fs::read_to_string(&state) {
        let listed = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| {
                value
                    .get("_data_files")?
                    .as_array()?
                    .iter()
                    .map(|file| file.get("filename")?.as_str().map(|name| path.join(name)))
                    .collect::<Option<Vec<_>>>()
            });
        return listed.filter(|files| !files.is_empty()).ok_or_else(|| {
            Error::Format(format!(
                "{} does not list the dataset's `_data_files`",
                state.display()
            ))
        });
    }
    let entries = std::fs::read_dir(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|file| file.is_file() && Format::from_path(file) == Some(format))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Format(format!(
            "the directory {} has no {format} files",
            path.display()
        )));
    }
    Ok(files)
}
