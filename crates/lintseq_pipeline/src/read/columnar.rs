//! Parquet and Arrow IPC inputs: only the code and prompt columns are read,
//! a record batch at a time, so memory stays bounded by the batch size.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Schema};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Counting, Fields, Progress, Unit};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::row::{Cell, InputRow, Location, Record, RowId};

/// Rows decoded per record batch.
const BATCH_ROWS: usize = 1024;

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

/// Streams rows from one Parquet or Arrow file, or from the data files of a
/// dataset directory, one after the other.
pub struct ColumnarReader {
    format: Format,
    fields: Fields,
    files: VecDeque<PathBuf>,
    path: PathBuf,
    batches: Option<Batches>,
    /// The code and prompt columns of the batch being read, and the next row.
    pending: Option<(ArrayRef, Option<ArrayRef>, usize)>,
    next_index: u64,
    counting: Counting,
    total: u64,
    unit: Unit,
}

impl std::fmt::Debug for ColumnarReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnarReader")
            .field("format", &self.format)
            .field("path", &self.path)
            .field("next_index", &self.next_index)
            .finish_non_exhaustive()
    }
}

impl ColumnarReader {
    pub fn open(path: &Path, format: Format, fields: &Fields) -> Result<Self> {
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
            fields: fields.clone(),
            files: files.into(),
            path: path.to_path_buf(),
            batches: None,
            pending: None,
            next_index: 0,
            counting: Counting::default(),
            total,
            unit,
        };
        // Open the first file now, so schema problems surface before any work.
        reader.open_next()?;
        Ok(reader)
    }

    /// The number of rows, from Parquet metadata or by reading the batches.
    pub fn count_rows(path: &Path, format: Format, fields: &Fields) -> Result<u64> {
        let mut reader = Self::open(path, format, fields)?;
        if format == Format::Parquet {
            return Ok(reader.total);
        }
        let mut rows = 0;
        while reader.pending.is_some() || reader.batches.is_some() {
            match reader.next_record_batch()? {
                Some((code, _)) => rows += code.len() as u64,
                None => break,
            }
        }
        Ok(rows)
    }

    pub fn progress(&self) -> Progress {
        let done = match self.unit {
            Unit::Rows => self.next_index,
            Unit::Bytes => self.counting.get(),
        };
        Progress {
            done,
            total: self.total,
            unit: self.unit,
        }
    }

    pub fn next_batch(&mut self, max: usize) -> Result<Vec<InputRow>> {
        let mut rows = Vec::with_capacity(max.min(BATCH_ROWS * 4));
        while rows.len() < max {
            if self.pending.is_none() {
                match self.next_record_batch()? {
                    Some((code, prompt)) => self.pending = Some((code, prompt, 0)),
                    None => break,
                }
            }
            let Some((code, prompt, offset)) = &mut self.pending else {
                break;
            };
            let end = code.len().min(*offset + (max - rows.len()));
            for row in *offset..end {
                rows.push(InputRow {
                    id: RowId {
                        index: self.next_index,
                        location: Location::Record,
                    },
                    record: Record::Cells {
                        code: cell(code, row),
                        prompt: prompt.as_ref().map_or(Cell::Missing, |p| cell(p, row)),
                    },
                });
                self.next_index += 1;
            }
            *offset = end;
            if end == code.len() {
                self.pending = None;
            }
        }
        Ok(rows)
    }

    /// The code and prompt columns of the next non-empty record batch.
    fn next_record_batch(&mut self) -> Result<Option<(ArrayRef, Option<ArrayRef>)>> {
        loop {
            let Some(batches) = &mut self.batches else {
                return Ok(None);
            };
            match batches.next() {
                Some(Ok(batch)) if batch.num_rows() == 0 => continue,
                Some(Ok(batch)) => {
                    let column = |name: &str| batch.column_by_name(name).cloned();
                    let code = column(&self.fields.code).ok_or_else(|| {
                        self.decode_error(format!(
                            "a record batch has no column `{}`",
                            self.fields.code
                        ))
                    })?;
                    let prompt = self.fields.prompt.as_deref().and_then(column);
                    return Ok(Some((code, prompt)));
                }
                Some(Err(error)) => return Err(self.decode_error(error.to_string())),
                None => self.open_next()?,
            }
        }
    }

    fn decode_error(&self, message: String) -> Error {
        Error::Decode {
            path: self.path.clone(),
            message,
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
                let wanted = wanted_columns(builder.schema(), &self.fields, &path)?;
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
                let wanted = Some(wanted_columns(&schema, &self.fields, &path)?);
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

/// The positions of the code and prompt columns, checked to hold strings.
fn wanted_columns(schema: &Schema, fields: &Fields, path: &Path) -> Result<Vec<usize>> {
    let names = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut wanted = Vec::new();
    let prompt = fields.prompt.as_deref().map(|p| (p, "--prompt-field None"));
    for (name, hint) in std::iter::once((fields.code.as_str(), "--code-field")).chain(prompt) {
        let Ok(index) = schema.index_of(name) else {
            return Err(Error::Schema {
                path: path.to_path_buf(),
                message: format!(
                    "no column `{name}` (the columns are: {}); choose one with {hint}",
                    names()
                ),
            });
        };
        let data_type = schema.field(index).data_type();
        if !is_text(data_type) {
            return Err(Error::Schema {
                path: path.to_path_buf(),
                message: format!("column `{name}` holds {data_type}, not strings"),
            });
        }
        wanted.push(index);
    }
    Ok(wanted)
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

fn cell(array: &ArrayRef, row: usize) -> Cell {
    if array.is_null(row) {
        return Cell::Null;
    }
    let text = match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row),
        DataType::Utf8View => array.as_string_view().value(row),
        _ => return Cell::Other("not a string"),
    };
    Cell::Text(text.to_string())
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
