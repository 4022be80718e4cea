//! `format`: `generate` output in, training rows out (the paper's text
//! format, TRL's prompt-completion or conversational rows), streaming and in
//! order, in any of the record formats.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder, StructBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields as ArrowFields, Schema, SchemaRef};
use lintseq_core::format::{Style, TrainingRow, training_row};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::format::Format;
use crate::job::json_kind;
use crate::read::{BatchReader, Column, ColumnKind, JsonlReader, Progress, Unit};
use crate::row::{Location, RowId};
use crate::write::BatchEncoder;
use crate::write::create_output;
use crate::write::encoder::encode_error;

/// One `format` run.
#[derive(Clone, Debug)]
pub struct FormatConfig {
    pub input: PathBuf,
    pub input_format: Option<Format>,
    pub output: PathBuf,
    pub output_format: Option<Format>,
    pub force: bool,
    pub style: Style,
    /// The field with the instruction (`source_instruction` in `generate`'s
    /// output); `None` for an empty instruction.
    pub prompt_field: Option<String>,
    /// A system message for the `messages` style.
    pub system: Option<String>,
}

/// What a `format` run reports as it goes.
pub trait FormatObserver {
    fn skipped(&mut self, _id: RowId, _problem: &str) {}
    fn progress(&mut self, _progress: Progress) {}
}

/// What a `format` run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatSummary {
    pub rows_read: u64,
    pub rows_written: u64,
    pub rows_skipped: u64,
}

/// One input row, as far as `format` needs it.
struct Edits {
    id: RowId,
    /// The `index` field, else the row's position.
    index: i64,
    row: std::result::Result<(Vec<String>, String), String>,
}

/// Runs `config` to the end.
pub fn format_file(
    config: &FormatConfig,
    observer: &mut dyn FormatObserver,
) -> Result<FormatSummary> {
    let input_format = Format::choose(config.input_format, &config.input);
    let output_format = Format::choose(config.output_format, &config.output);
    if let (Ok(a), Ok(b)) = (config.input.canonicalize(), config.output.canonicalize())
        && a == b
    {
        return Err(Error::OutputIsInput {
            path: config.output.clone(),
        });
    }
    let mut source = Source::open(config, input_format)?;
    let file = create_output(&config.output, config.force)?;
    let mut sink = TrainingSink::new(file, config, output_format)?;
    let mut summary = FormatSummary::default();
    while let Some(batch) = source.next_batch()? {
        for edits in batch {
            summary.rows_read += 1;
            match edits.row {
                Ok((diffs, instruction)) => {
                    let row =
                        training_row(config.style, &instruction, &diffs, config.system.as_deref());
                    sink.write(&row, edits.index)?;
                    summary.rows_written += 1;
                }
                Err(problem) => {
                    observer.skipped(edits.id, &problem);
                    summary.rows_skipped += 1;
                }
            }
        }
        observer.progress(source.progress());
    }
    sink.finish()?;
    Ok(summary)
}

/// Rows to format, from JSONL or from record batches.
enum Source {
    Jsonl {
        reader: Box<JsonlReader>,
        path: PathBuf,
        total: u64,
        prompt: Option<String>,
    },
    Columnar {
        reader: BatchReader,
        prompt: Option<String>,
        next_index: u64,
    },
}

const EDIT_PATH: &str = "edit_path";

impl Source {
    fn open(config: &FormatConfig, format: Format) -> Result<Self> {
        let prompt = config.prompt_field.clone();
        Ok(match format {
            Format::Jsonl => Source::Jsonl {
                reader: Box::new(JsonlReader::open(&config.input)?),
                path: config.input.clone(),
                total: crate::read::file_size(&config.input),
                prompt,
            },
            Format::Parquet | Format::Arrow => {
                let mut columns = vec![
                    Column {
                        name: EDIT_PATH.into(),
                        kind: ColumnKind::TextList,
                        required: true,
                        hint: "`lintseq generate` (its output has one)",
                    },
                    Column {
                        name: "index".into(),
                        kind: ColumnKind::Integer,
                        required: false,
                        hint: "",
                    },
                ];
                if let Some(name) = &prompt {
                    columns.push(Column {
                        name: name.clone(),
                        kind: ColumnKind::Text,
                        required: true,
                        hint: "--prompt-field (or None)",
                    });
                }
                Source::Columnar {
                    reader: BatchReader::open(&config.input, format, columns)?,
                    prompt,
                    next_index: 0,
                }
            }
        })
    }

    fn progress(&self) -> Progress {
        match self {
            Source::Jsonl { reader, total, .. } => Progress {
                done: reader.consumed(),
                total: *total,
                unit: Unit::Bytes,
            },
            Source::Columnar {
                reader, next_index, ..
            } => reader.progress(*next_index),
        }
    }

    fn next_batch(&mut self) -> Result<Option<Vec<Edits>>> {
        match self {
            Source::Jsonl {
                reader,
                path,
                prompt,
                ..
            } => {
                let mut batch = Vec::new();
                while batch.len() < 1024 {
                    let line = reader.next_line().map_err(|source| Error::Read {
                        path: path.clone(),
                        source,
                    })?;
                    let Some((id, bytes)) = line else { break };
                    batch.push(json_edits(id, &bytes, prompt.as_deref()));
                }
                Ok((!batch.is_empty()).then_some(batch))
            }
            Source::Columnar {
                reader,
                prompt,
                next_index,
            } => {
                let Some(batch) = reader.next_batch()? else {
                    return Ok(None);
                };
                let mut rows = Vec::with_capacity(batch.num_rows());
                let edit_paths = batch.column_by_name(EDIT_PATH);
                let indices = batch.column_by_name("index");
                let prompts = prompt.as_deref().and_then(|p| batch.column_by_name(p));
                for row in 0..batch.num_rows() {
                    let id = RowId {
                        index: *next_index,
                        location: Location::Record,
                    };
                    *next_index += 1;
                    let index = indices
                        .and_then(|column| integer_at(column, row))
                        .unwrap_or(id.index as i64);
                    let diffs = edit_paths
                        .map(|column| text_list_at(column, row))
                        .unwrap_or(Err(format!("missing field `{EDIT_PATH}`")));
                    let instruction = match (prompt.as_deref(), prompts) {
                        (None, _) => Ok(String::new()),
                        (Some(name), Some(column)) => text_at(column, row)
                            .ok_or_else(|| format!("field `{name}` is null, not a string")),
                        (Some(name), None) => Err(format!("missing field `{name}`")),
                    };
                    rows.push(Edits {
                        id,
                        index,
                        row: diffs.and_then(|d| instruction.map(|i| (d, i))),
                    });
                }
                Ok(Some(rows))
            }
        }
    }
}

fn json_edits(id: RowId, bytes: &[u8], prompt: Option<&str>) -> Edits {
    let mut index = id.index as i64;
    let row = (|| {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()))?;
        let value: Value =
            serde_json::from_str(text).map_err(|error| format!("malformed JSON: {error}"))?;
        let Value::Object(object) = value else {
            return Err(format!(
                "expected a JSON object, found {}",
                json_kind(&value)
            ));
        };
        if let Some(i) = object.get("index").and_then(Value::as_i64) {
            index = i;
        }
        let diffs = match object.get(EDIT_PATH) {
            None => return Err(format!("missing field `{EDIT_PATH}`")),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("field `{EDIT_PATH}` is not a list of strings"))?,
            Some(other) => {
                return Err(format!(
                    "field `{EDIT_PATH}` is {}, not a list of diffs",
                    json_kind(other)
                ));
            }
        };
        let instruction = match prompt {
            None => String::new(),
            Some(name) => match object.get(name) {
                None => return Err(format!("missing field `{name}`")),
                Some(Value::String(text)) => text.clone(),
                Some(other) => {
                    return Err(format!(
                        "field `{name}` is {}, not a string",
                        json_kind(other)
                    ));
                }
            },
        };
        Ok((diffs, instruction))
    })();
    Edits { id, index, row }
}

fn text_at(array: &ArrayRef, row: usize) -> Option<String> {
    if array.is_null(row) {
        return None;
    }
    Some(
        match array.data_type() {
            DataType::Utf8 => array.as_string::<i32>().value(row),
            DataType::LargeUtf8 => array.as_string::<i64>().value(row),
            DataType::Utf8View => array.as_string_view().value(row),
            _ => return None,
        }
        .to_string(),
    )
}

fn text_list_at(array: &ArrayRef, row: usize) -> std::result::Result<Vec<String>, String> {
    if array.is_null(row) {
        return Err(format!(
            "field `{EDIT_PATH}` is null (a row `generate --keep-skipped` kept)"
        ));
    }
    let items = match array.data_type() {
        DataType::List(_) => array.as_list::<i32>().value(row),
        DataType::LargeList(_) => array.as_list::<i64>().value(row),
        _ => return Err(format!("field `{EDIT_PATH}` is not a list of strings")),
    };
    (0..items.len())
        .map(|i| text_at(&items, i))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("field `{EDIT_PATH}` has a null diff"))
}

fn integer_at(array: &ArrayRef, row: usize) -> Option<i64> {
    use arrow_array::types::{
        Int8Type, Int16Type, Int32Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
    };
    if array.is_null(row) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).into(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).into(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).into(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).into(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(row).into(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(row).into(),
        DataType::UInt64 => i64::try_from(array.as_primitive::<UInt64Type>().value(row)).ok()?,
        _ => return None,
    })
}

/// The columns of a training row in `style`.
fn training_schema(style: Style) -> SchemaRef {
    let mut fields = match style {
        Style::Lintseq | Style::PromptCompletion => vec![
            Field::new("prompt", DataType::Utf8, false),
            Field::new("completion", DataType::Utf8, false),
        ],
        Style::Messages => vec![Field::new(
            "messages",
            DataType::List(Arc::new(Field::new(
                "item",
                DataType::Struct(message_fields()),
                true,
            ))),
            false,
        )],
    };
    fields.push(Field::new("index", DataType::Int64, false));
    Arc::new(Schema::new(fields))
}

fn message_fields() -> ArrowFields {
    ArrowFields::from(vec![
        Field::new("role", DataType::Utf8, false),
        Field::new("content", DataType::Utf8, false),
    ])
}

/// Where training rows go.
enum TrainingSink {
    Jsonl {
        out: BufWriter<File>,
        path: PathBuf,
    },
    Columnar {
        encoder: Box<BatchEncoder>,
        schema: SchemaRef,
        columns: Box<TrainingColumns>,
    },
}

struct TrainingColumns {
    prompt: StringBuilder,
    completion: StringBuilder,
    messages: ListBuilder<StructBuilder>,
    index: Int64Builder,
    style: Style,
    len: usize,
}

impl TrainingColumns {
    fn new(style: Style) -> Self {
        let message = StructBuilder::from_fields(message_fields(), 0);
        Self {
            prompt: StringBuilder::new(),
            completion: StringBuilder::new(),
            messages: ListBuilder::new(message),
            index: Int64Builder::new(),
            style,
            len: 0,
        }
    }

    fn push(&mut self, row: &TrainingRow, index: i64) {
        match row {
            TrainingRow::PromptCompletion { prompt, completion } => {
                self.prompt.append_value(prompt);
                self.completion.append_value(completion);
            }
            TrainingRow::Messages(messages) => {
                let values = self.messages.values();
                for message in messages {
                    field_builder(values, 0).append_value(message.role);
                    field_builder(values, 1).append_value(&message.content);
                    values.append(true);
                }
                self.messages.append(true);
            }
        }
        self.index.append_value(index);
        self.len += 1;
    }

    fn finish(&mut self, schema: &SchemaRef) -> std::result::Result<RecordBatch, String> {
        let mut columns: Vec<ArrayRef> = match self.style {
            Style::Lintseq | Style::PromptCompletion => vec![
                Arc::new(self.prompt.finish()),
                Arc::new(self.completion.finish()),
            ],
            Style::Messages => {
                let list = self.messages.finish();
                // The builder's item field is nullable; match the schema's.
                let item = match schema.field(0).data_type() {
                    DataType::List(item) => Arc::clone(item),
                    _ => unreachable!("messages is a list column"),
                };
                let (_, offsets, values, nulls) = list.into_parts();
                vec![Arc::new(arrow_array::ListArray::new(
                    item, offsets, values, nulls,
                ))]
            }
        };
        columns.push(Arc::new(self.index.finish()));
        self.len = 0;
        RecordBatch::try_new(Arc::clone(schema), columns).map_err(|e| e.to_string())
    }
}

fn field_builder(values: &mut StructBuilder, index: usize) -> &mut StringBuilder {
    values
        .field_builder::<StringBuilder>(index)
        .expect("message fields are strings")
}

impl TrainingSink {
    fn new(file: File, config: &FormatConfig, format: Format) -> Result<Self> {
        let path = config.output.clone();
        if format == Format::Jsonl {
            let out = BufWriter::with_capacity(1 << 20, file);
            return Ok(TrainingSink::Jsonl { out, path });
        }
        let schema = training_schema(config.style);
        Ok(TrainingSink::Columnar {
            encoder: Box::new(BatchEncoder::new(file, path, format, &schema)?),
            schema,
            columns: Box::new(TrainingColumns::new(config.style)),
        })
    }

    fn write(&mut self, row: &TrainingRow, index: i64) -> Result<()> {
        match self {
            TrainingSink::Jsonl { out, path } => {
                let mut line = json_row(row, index).to_string();
                line.push('\n');
                out.write_all(line.as_bytes())
                    .map_err(|source| Error::Write {
                        path: path.clone(),
                        source,
                    })
            }
            TrainingSink::Columnar { columns, .. } => {
                columns.push(row, index);
                if columns.len >= 4096 {
                    self.flush()?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> Result<()> {
        if let TrainingSink::Columnar {
            encoder,
            schema,
            columns,
        } = self
            && columns.len > 0
        {
            let batch = columns
                .finish(schema)
                .map_err(|e| encode_error(encoder.path(), &e))?;
            encoder.write(&batch)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        match self {
            TrainingSink::Jsonl { mut out, path } => out.flush().map_err(|source| Error::Write {
                path: path.clone(),
                source,
            }),
            TrainingSink::Columnar { encoder, .. } => encoder.finish(),
        }
    }
}

/// A training row as a JSON object.
pub fn json_row(row: &TrainingRow, index: i64) -> Value {
    let mut object = Map::new();
    match row {
        TrainingRow::PromptCompletion { prompt, completion } => {
            object.insert("prompt".into(), json!(prompt));
            object.insert("completion".into(), json!(completion));
        }
        TrainingRow::Messages(messages) => {
            let messages: Vec<Value> = messages
                .iter()
                .map(|m| json!({"role": m.role, "content": m.content}))
                .collect();
            object.insert("messages".into(), Value::from(messages));
        }
    }
    object.insert("index".into(), json!(index));
    Value::Object(object)
}
