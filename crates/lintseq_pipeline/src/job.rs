//! Turning one row into edit paths, or into the reason it has none.

use std::fmt;

use lintseq_core::pipeline::{self, Generation, Skip};
use lintseq_python::PythonChecker;
use serde_json::{Map, Value};

use crate::row::{Cell, InputRow, Record, RowId};

/// Everything a worker needs to turn one row into output. Shared by all
/// threads; processing a row depends only on the row and the job.
#[derive(Clone, Debug)]
pub struct Job {
    pub python: PythonChecker,
    pub generation: Generation,
    /// The field holding the program (plain, or Markdown).
    pub code_field: String,
    /// The field holding the prompt, copied to the output; `None` for none.
    pub prompt_field: Option<String>,
    /// Programs longer than this many lines are skipped.
    pub max_lines: usize,
}

/// What became of one row: its edit paths or why it has none, with the
/// fields the output copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub id: RowId,
    /// The code field as it was in the input (before Markdown extraction),
    /// if it could be read.
    pub code: Option<String>,
    /// The prompt field, when the job has one and it could be read.
    pub prompt: Option<String>,
    /// One list of insertion diffs per path, in path order; or the problem.
    pub paths: Result<Vec<Vec<String>>, Problem>,
}

/// Why a row was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    InvalidUtf8,
    MalformedJson,
    NotAnObject,
    MissingField,
    NotAString,
    NoPythonBlock,
    EmptyProgram,
    CommentsOnly,
    TooLong,
}

impl Reason {
    /// A short label, for summaries.
    pub fn label(self) -> &'static str {
        match self {
            Reason::InvalidUtf8 => "invalid UTF-8",
            Reason::MalformedJson => "malformed JSON",
            Reason::NotAnObject => "not a JSON object",
            Reason::MissingField => "missing field",
            Reason::NotAString => "field not a string",
            Reason::NoPythonBlock => "no Python code block",
            Reason::EmptyProgram => "empty program",
            Reason::CommentsOnly => "comments only",
            Reason::TooLong => "too many lines",
        }
    }

    /// A stable identifier, for the `skip_reason` column.
    pub fn code(self) -> &'static str {
        match self {
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::MalformedJson => "malformed_json",
            Reason::NotAnObject => "not_an_object",
            Reason::MissingField => "missing_field",
            Reason::NotAString => "not_a_string",
            Reason::NoPythonBlock => "no_code_block",
            Reason::EmptyProgram => "empty_program",
            Reason::CommentsOnly => "comments_only",
            Reason::TooLong => "too_long",
        }
    }
}

/// A skipped row: why, and a message naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub reason: Reason,
    pub detail: String,
}

impl Problem {
    fn new(reason: Reason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }

    fn skip(skip: Skip, field: &str) -> Self {
        let reason = match skip {
            Skip::NoPythonBlock => Reason::NoPythonBlock,
            Skip::Empty => Reason::EmptyProgram,
            Skip::NothingToSample => Reason::CommentsOnly,
        };
        Problem::new(reason, format!("field `{field}`: {skip}"))
    }

    /// The `skip_reason` value of a kept skipped row: the code, then the
    /// message (`"missing_field: missing field `response`"`).
    pub fn skip_reason(&self) -> String {
        format!("{}: {}", self.reason.code(), self.detail)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl Job {
    pub fn process(&self, row: InputRow) -> Outcome {
        let (code, prompt) = match row.record {
            Record::Json(bytes) => self.json_fields(&bytes),
            Record::Cells { code, prompt } => (
                text_cell(code, &self.code_field),
                self.prompt_field.as_ref().map(|f| text_cell(prompt, f)),
            ),
        };
        let prompt = prompt.transpose();
        let paths = match (&code, &prompt) {
            (Err(problem), _) | (Ok(_), Err(problem)) => Err(problem.clone()),
            (Ok(code), Ok(_)) => self.paths(code, row.id.index),
        };
        Outcome {
            id: row.id,
            code: code.ok(),
            prompt: prompt.ok().flatten(),
            paths,
        }
    }

    /// The edit paths of one code field's value at row index `index`.
    pub fn paths(&self, code: &str, index: u64) -> Result<Vec<Vec<String>>, Problem> {
        let program = pipeline::prepare(code).map_err(|s| Problem::skip(s, &self.code_field))?;
        let lines = program.split('\n').count();
        if lines > self.max_lines {
            return Err(Problem::new(
                Reason::TooLong,
                format!(
                    "field `{}`: the program has {lines} lines, more than the limit of {}",
                    self.code_field, self.max_lines
                ),
            ));
        }
        pipeline::edit_paths(&program, &self.python, &self.generation, index)
            .map_err(|s| Problem::skip(s, &self.code_field))
    }

    fn json_fields(&self, bytes: &[u8]) -> Fields {
        let mut object = match json_object(bytes) {
            Ok(object) => object,
            Err(problem) => return (Err(problem), None),
        };
        let code = take_string(&mut object, &self.code_field);
        let prompt = self
            .prompt_field
            .as_ref()
            .map(|field| take_string(&mut object, field));
        (code, prompt)
    }
}

/// A row's code field, and its prompt field when the job has one.
type Fields = (Result<String, Problem>, Option<Result<String, Problem>>);

fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        Problem::new(
            Reason::InvalidUtf8,
            format!("invalid UTF-8 at byte {} of the line", error.valid_up_to()),
        )
    })?;
    let value: Value = serde_json::from_str(text)
        .map_err(|error| Problem::new(Reason::MalformedJson, format!("malformed JSON: {error}")))?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(Problem::new(
            Reason::NotAnObject,
            format!("expected a JSON object, found {}", json_kind(&other)),
        )),
    }
}

fn take_string(object: &mut Map<String, Value>, field: &str) -> Result<String, Problem> {
    match object.get_mut(field) {
        None => Err(missing(field)),
        Some(Value::String(text)) => Ok(std::mem::take(text)),
        Some(other) => Err(not_a_string(field, json_kind(other))),
    }
}

fn text_cell(cell: Cell, field: &str) -> Result<String, Problem> {
    match cell {
        Cell::Text(text) => Ok(text),
        Cell::Missing => Err(missing(field)),
        Cell::Null => Err(not_a_string(field, "null")),
        Cell::Other(kind) => Err(not_a_string(field, kind)),
    }
}

fn missing(field: &str) -> Problem {
    Problem::new(Reason::MissingField, format!("missing field `{field}`"))
}

fn not_a_string(field: &str, kind: &str) -> Problem {
    Problem::new(
        Reason::NotAString,
        format!("field `{field}` is {kind}, not a string"),
    )
}

/// How a JSON value is described in messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
