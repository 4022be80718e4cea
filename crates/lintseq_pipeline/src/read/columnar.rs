//! Parquet and Arrow IPC inputs for `generate`: only the code and prompt
//! columns are read, as rows of typed cells.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;

use super::batches::{BatchReader, Column, ColumnKind};
use super::{Fields, Progress};
use crate::error::Result;
use crate::format::Format;
use crate::row::{Cell, InputRow, Location, Record, RowId};

/// Streams `generate`'s rows from one Parquet or Arrow file, or from the
/// data files of a dataset directory, one after the other.
#[derive(Debug)]
pub struct ColumnarReader {
    batches: BatchReader,
    fields: Fields,
    /// The code and prompt columns of the batch being read, and the next row.
    pending: Option<(ArrayRef, Option<ArrayRef>, Option<ArrayRef>, usize)>,
    next_index: u64,
}

impl ColumnarReader {
    pub fn open(path: &Path, format: Format, fields: &Fields) -> Result<Self> {
        Ok(Self {
            batches: BatchReader::open(path, format, columns(fields))?,
            fields: fields.clone(),
            pending: None,
            next_index: 0,
        })
    }

    /// The number of rows, from Parquet metadata or by reading the batches.
    pub fn count_rows(path: &Path, format: Format, fields: &Fields) -> Result<u64> {
        BatchReader::open(path, format, columns(fields))?.count_rows()
    }

    pub fn progress(&self) -> Progress {
        self.batches.progress(self.next_index)
    }

    pub fn next_batch(&mut self, max: usize) -> Result<Vec<InputRow>> {
        let mut rows = Vec::with_capacity(max.min(4096));
        while rows.len() < max {
            if self.pending.is_none() {
                let Some(batch) = self.batches.next_batch()? else {
                    break;
                };
                let column = |name: &str| batch.column_by_name(name).cloned();
                let code = column(&self.fields.code).unwrap_or_else(|| {
                    arrow_array::new_null_array(&DataType::Utf8, batch.num_rows())
                });
                let prompt = self.fields.prompt.as_deref().and_then(column);
                let language = self.fields.language.as_deref().and_then(column);
                self.pending = Some((code, prompt, language, 0));
            }
            let Some((code, prompt, language, offset)) = &mut self.pending else {
                break;
            };
            let end = code.len().min(*offset + (max - rows.len()));
            for row in *offset..end {
                rows.push(InputRow {
                    id: RowId {
                        index: self.next_index,
                        location: Location::Record,
                    },
                    record: match language {
                        None => Record::Cells {
                            code: text_cell(code, row),
                            prompt: prompt.as_ref().map_or(Cell::Missing, |p| text_cell(p, row)),
                        },
                        Some(language) => Record::Tagged {
                            code: text_cell(code, row),
                            prompt: prompt.as_ref().map_or(Cell::Missing, |p| text_cell(p, row)),
                            language: text_cell(language, row),
                        },
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
}

fn columns(fields: &Fields) -> Vec<Column> {
    let code = Column {
        name: fields.code.clone(),
        kind: ColumnKind::Text,
        required: true,
        hint: "--code-field",
    };
    let prompt = fields.prompt.as_ref().map(|name| Column {
        name: name.clone(),
        kind: ColumnKind::Text,
        required: true,
        hint: "--prompt-field (or None)",
    });
    let language = fields.language.as_ref().map(|name| Column {
        name: name.clone(),
        kind: ColumnKind::Text,
        required: true,
        hint: "--language-field",
    });
    std::iter::once(code)
        .chain(prompt)
        .chain(language)
        .collect()
}

/// The string at `row` of a text column (checked by the reader).
pub(crate) fn text_cell(array: &ArrayRef, row: usize) -> Cell {
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
