//! Parquet and Arrow IPC output, in record batches of bounded size.

use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;

use super::encoder::{BatchEncoder, encode_error};
use super::{OutputSchema, Sink, output_rows};
use crate::error::Result;
use crate::format::Format;
use crate::job::Outcome;
use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Output rows buffered before they become a record batch.
const BATCH_ROWS: usize = 4096;
/// Bytes of text buffered before they become a record batch.
const BATCH_BYTES: usize = 16 << 20;

/// The Arrow schema of the output: `edit_path: list<string>`, `index:
/// int64`, then strings.
pub fn output_schema(schema: &OutputSchema) -> SchemaRef {
    let item = Arc::new(Field::new("item", DataType::Utf8, true));
    let mut fields = vec![
        Field::new("edit_path", DataType::List(item), schema.keep_skipped),
        Field::new("index", DataType::Int64, false),
        Field::new("source_file", DataType::Utf8, false),
        Field::new(schema.code_column(), DataType::Utf8, true),
    ];
    if let Some(prompt) = schema.prompt_column() {
        fields.push(Field::new(prompt, DataType::Utf8, true));
    }
    if schema.language_column {
        fields.push(Field::new("language", DataType::Utf8, true));
    }
    if schema.keep_skipped {
        fields.push(Field::new("skip_reason", DataType::Utf8, true));
    }
    Arc::new(Schema::new(fields))
}

/// Writes outcomes as Parquet or as an Arrow IPC stream, in record batches
/// of bounded size.
pub struct ColumnarWriter {
    encoder: BatchEncoder,
    schema: OutputSchema,
    arrow_schema: SchemaRef,
    rows: Columns,
}

impl std::fmt::Debug for ColumnarWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnarWriter")
            .field("encoder", &self.encoder)
            .finish_non_exhaustive()
    }
}

impl ColumnarWriter {
    pub fn new(file: File, path: PathBuf, format: Format, schema: OutputSchema) -> Result<Self> {
        let arrow_schema = output_schema(&schema);
        Ok(Self {
            encoder: BatchEncoder::new(file, path, format, &arrow_schema)?,
            rows: Columns::new(&schema),
            schema,
            arrow_schema,
        })
    }

    fn flush_batch(&mut self) -> Result<()> {
        if self.rows.len == 0 {
            return Ok(());
        }
        let columns = std::mem::replace(&mut self.rows, Columns::new(&self.schema));
        let batch = columns
            .finish(Arc::clone(&self.arrow_schema))
            .map_err(|e| encode_error(self.encoder.path(), &e))?;
        self.encoder.write(&batch)
    }
}

impl Sink for ColumnarWriter {
    fn write(&mut self, outcome: &Outcome) -> Result<()> {
        self.rows.push(outcome, &self.schema);
        if self.rows.len >= BATCH_ROWS || self.rows.bytes >= BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush_batch()?;
        self.encoder.finish()
    }
}

/// The output columns being built.
struct Columns {
    edit_path: ListBuilder<StringBuilder>,
    index: Int64Builder,
    source_file: StringBuilder,
    code: StringBuilder,
    prompt: Option<StringBuilder>,
    language: Option<StringBuilder>,
    skip_reason: Option<StringBuilder>,
    len: usize,
    bytes: usize,
}

impl Columns {
    fn new(schema: &OutputSchema) -> Self {
        Self {
            edit_path: ListBuilder::new(StringBuilder::new()),
            index: Int64Builder::new(),
            source_file: StringBuilder::new(),
            code: StringBuilder::new(),
            prompt: schema.prompt_field.as_ref().map(|_| StringBuilder::new()),
            language: schema.language_column.then(StringBuilder::new),
            skip_reason: schema.keep_skipped.then(StringBuilder::new),
            len: 0,
            bytes: 0,
        }
    }

    fn push(&mut self, outcome: &Outcome, schema: &OutputSchema) {
        for row in output_rows(outcome, schema.keep_skipped) {
            match row.edit_path {
                Some(diffs) => {
                    for diff in diffs {
                        self.edit_path.values().append_value(diff);
                        self.bytes += diff.len();
                    }
                    self.edit_path.append(true);
                }
                None => self.edit_path.append_null(),
            }
            self.index.append_value(row.index as i64);
            self.source_file.append_value(&schema.source_file);
            self.code.append_option(row.code);
            if let Some(prompt) = &mut self.prompt {
                prompt.append_option(row.prompt);
            }
            if let Some(language) = &mut self.language {
                language.append_option(row.language.map(|l| l.name()));
            }
            if let Some(reason) = &mut self.skip_reason {
                reason.append_option(row.skip_reason.as_deref());
            }
            self.bytes += row.code.map_or(0, str::len) + row.prompt.map_or(0, str::len);
            self.len += 1;
        }
    }

    fn finish(mut self, schema: SchemaRef) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.edit_path.finish()),
            Arc::new(self.index.finish()),
            Arc::new(self.source_file.finish()),
            Arc::new(self.code.finish()),
        ];
        if let Some(mut prompt) = self.prompt {
            columns.push(Arc::new(prompt.finish()));
        }
        if let Some(mut language) = self.language {
            columns.push(Arc::new(language.finish()));
        }
        if let Some(mut reason) = self.skip_reason {
            columns.push(Arc::new(reason.finish()));
        }
        RecordBatch::try_new(schema, columns)
    }
}
