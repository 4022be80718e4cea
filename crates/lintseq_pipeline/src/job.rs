//! Turning one row into edit paths, or into the reason it has none.

use std::fmt;

use lintseq_core::pipeline::{self, Generation, Skip};

use lintseq_python::PythonChecker;
use serde_json::{Map, Value};

use crate::language::{self, Detected, LanguageId, LanguageOptions};
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
    /// Which language each row is in (by default: from its fences, else
    /// Python) and the JavaScript environment.
    pub languages: LanguageOptions,
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
    /// The row's language, once known (`None` if the row was skipped
    /// before it could be told, or its language is unsupported).
    pub language: Option<LanguageId>,
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
    /// Fences of the row's (non-Python) language are missing.
    NoCodeBlock,
    UnsupportedLanguage,
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
            Reason::NoCodeBlock => "no code block in the row's language",
            Reason::UnsupportedLanguage => "unsupported language",
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
            Reason::NoCodeBlock => "no_code_block",
            Reason::UnsupportedLanguage => "unsupported_language",
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
            Skip::NoCodeBlock { .. } => Reason::NoCodeBlock,
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
        let (code, prompt, language_cell) = match row.record {
            Record::Json(bytes) => self.json_fields(&bytes),
            Record::Cells { code, prompt } => (
                text_cell(code, &self.code_field),
                self.prompt_field.as_ref().map(|f| text_cell(prompt, f)),
                None,
            ),
            Record::Tagged {
                code,
                prompt,
                language,
            } => (
                text_cell(code, &self.code_field),
                self.prompt_field.as_ref().map(|f| text_cell(prompt, f)),
                self.languages
                    .field
                    .as_ref()
                    .map(|field| text_cell(language, field)),
            ),
        };
        let prompt = prompt.transpose();
        let (paths, language) = match (&code, &prompt) {
            (Err(problem), _) | (Ok(_), Err(problem)) => (Err(problem.clone()), None),
            (Ok(code), Ok(_)) => match self.language_of(code, language_cell) {
                Ok(language) => (self.paths_in(code, language, row.id.index), Some(language)),
                Err(problem) => (Err(problem), None),
            },
        };
        Outcome {
            id: row.id,
            code: code.ok(),
            prompt: prompt.ok().flatten(),
            paths,
            language,
        }
    }

    /// The language of a row whose code field is `code`; `field` is its
    /// language field as read, when the job has one.
    fn language_of(
        &self,
        code: &str,
        field: Option<Result<String, Problem>>,
    ) -> Result<LanguageId, Problem> {
        let mut field_problem = None;
        let detected = self.languages.detect(code, || match field {
            Some(Ok(value)) => Some(value),
            Some(Err(problem)) => {
                field_problem = Some(problem);
                None
            }
            None => None,
        });
        match detected {
            Some(Detected::Known(language)) => Ok(language),
            Some(Detected::Unsupported(name)) => {
                let source = match &self.languages.field {
                    Some(field) if !code.contains("```") => format!("field `{field}`"),
                    _ => format!("field `{}`", self.code_field),
                };
                Err(Problem::new(
                    Reason::UnsupportedLanguage,
                    format!("{source}: the code is in {name:?}, which lintseq does not support"),
                ))
            }
            None => Err(field_problem
                .unwrap_or_else(|| missing(self.languages.field.as_deref().unwrap_or("language")))),
        }
    }

    /// The edit paths of one code field's value at row index `index`, in
    /// the language the job's settings give it (a row's language field is
    /// not consulted).
    pub fn paths(&self, code: &str, index: u64) -> Result<Vec<Vec<String>>, Problem> {
        let language = self.language_of(code, None)?;
        self.paths_in(code, language, index)
    }

    /// The edit paths of `code`, in `language`, at row index `index`.
    pub fn paths_in(
        &self,
        code: &str,
        language: LanguageId,
        index: u64,
    ) -> Result<Vec<Vec<String>>, Problem> {
        let program =
            language::prepare(code, language).map_err(|s| Problem::skip(s, &self.code_field))?;
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
        let checker = language::checker_for(language, &self.python, self.languages.env);
        pipeline::edit_paths(&program, checker.as_language(), &self.generation, index)
            .map_err(|s| Problem::skip(s, &self.code_field))
    }

    fn json_fields(&self, bytes: &[u8]) -> Fields {
        let mut object = match json_object(bytes) {
            Ok(object) => object,
            Err(problem) => return (Err(problem), None, None),
        };
        let code = take_string(&mut object, &self.code_field);
        let prompt = self
            .prompt_field
            .as_ref()
            .map(|field| take_string(&mut object, field));
        let language = self
            .languages
            .field
            .as_ref()
            .map(|field| take_string(&mut object, field));
        (code, prompt, language)
    }
}

/// A row's code field, its prompt field when the job has one, and its
/// language field when the job has one.
type Fields = (
    Result<String, Problem>,
    Option<Result<String, Problem>>,
    Option<Result<String, Problem>>,
);

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
