//! `lintseq._lintseq`: the Python package's extension module.
//!
//! It converts Python values to the pipeline's types and back and releases
//! the GIL while Rust works; every decision is made in `lintseq_pipeline`,
//! `lintseq_core` or `lintseq_cli`, so the package and the CLI give the same
//! bytes. The Python wrappers in `python/lintseq/__init__.py` hold the
//! signatures and docstrings users see.
//!
//! No thread pool outlives a call (the pipeline builds one per call), so a
//! process may fork between calls, as `datasets.map(num_proc=N)` and Ray do.

mod options;

use lintseq_core::resolve::{resolve as replay, resolve_model_output};
use lintseq_pipeline::row::Location;
use lintseq_pipeline::settings::{self, DEFAULT_MAX_LINES, DEFAULT_SEED, DEFAULT_TARGET_VERSION};
use lintseq_pipeline::{
    Cell, GenerateConfig, ImportSettings, InputRow, Observer, Problem, Record, RowId, Spelling,
    Summary, output_rows, process_rows, thread_pool,
};
use pyo3::exceptions::{PyKeyError, PyKeyboardInterrupt, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::options::{SAMPLER_KEYWORDS, job_settings, py_error};

/// The allocator of the extension's Rust code, as in the `lintseq` binary
/// (see its `main.rs`). Python objects are not affected; no Rust thread runs
/// between calls, so a fork finds it idle.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One diagnostic of the checker: its line, pylint's message id and
/// symbolic name, and the message.
#[pyclass(frozen, eq, get_all, module = "lintseq")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    line: u32,
    code: String,
    symbol: String,
    message: String,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Diagnostic(line={}, code={}, symbol={}, message={})",
            self.line,
            repr(py, &self.code),
            repr(py, &self.symbol),
            repr(py, &self.message)
        )
    }
}

/// A program rebuilt from diffs, and what resolution skipped or adjusted
/// (as `lintseq resolve` reports it).
#[pyclass(frozen, eq, get_all, module = "lintseq")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    program: String,
    issues: Vec<String>,
}

#[pymethods]
impl Resolved {
    fn __repr__(&self, py: Python<'_>) -> String {
        let issues: Vec<String> = self.issues.iter().map(|i| repr(py, i)).collect();
        format!(
            "Resolved(program={}, issues=[{}])",
            repr(py, &self.program),
            issues.join(", ")
        )
    }
}

/// `text` as Python writes a string literal (`'x'`), for messages.
fn repr(py: Python<'_>, text: &str) -> String {
    PyString::new(py, text)
        .repr()
        .map_or_else(|_| format!("{text:?}"), |r| r.to_string())
}

/// The edit paths of one program at row index `row`.
#[pyfunction]
#[pyo3(signature = (program, paths, seed, row, max_lines, options))]
fn edit_paths(
    py: Python<'_>,
    program: &str,
    paths: u32,
    seed: u64,
    row: u64,
    max_lines: usize,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<Vec<String>>> {
    let job = job_settings(paths, seed, "program", None, max_lines, options)?
        .job(Spelling::Keyword)
        .map_err(py_error)?;
    py.detach(|| job.paths(program, row))
        .map_err(|problem| PyValueError::new_err(problem.skip_reason()))
}

/// The output columns of a batch of rows (see `lintseq.batch_edit_paths`).
#[pyfunction]
#[pyo3(signature = (batch, indices, code_field, prompt_field, paths, seed, source_file, max_lines, threads, options))]
#[allow(clippy::too_many_arguments)]
fn batch_edit_paths<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    indices: &Bound<'py, PyAny>,
    code_field: &str,
    prompt_field: Option<&str>,
    paths: u32,
    seed: u64,
    source_file: Option<&str>,
    max_lines: usize,
    threads: usize,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let job = job_settings(paths, seed, code_field, prompt_field, max_lines, options)?
        .job(Spelling::Keyword)
        .map_err(py_error)?;
    let indices = row_indices(indices)?;
    let codes = column(batch, code_field, "code_field", indices.len())?;
    let prompts = match &job.prompt_field {
        Some(field) => Some(column(batch, field, "prompt_field", indices.len())?),
        None => None,
    };
    let languages = match &job.languages.field {
        Some(field) => Some(column(batch, field, "language_field", indices.len())?),
        None => None,
    };
    let mut rows = Vec::with_capacity(indices.len());
    for (position, (&index, code)) in indices.iter().zip(codes).enumerate() {
        let prompt = match &prompts {
            Some(prompts) => cell(&prompts[position]),
            None => Cell::Missing,
        };
        let record = match &languages {
            Some(languages) => Record::Tagged {
                code: cell(&code),
                prompt,
                language: cell(&languages[position]),
            },
            None => Record::Cells {
                code: cell(&code),
                prompt,
            },
        };
        rows.push(InputRow {
            id: RowId {
                index,
                location: Location::Record,
            },
            record,
        });
    }
    let outcomes = py.detach(|| {
        let pool = thread_pool(threads)?;
        Ok(process_rows(&job, rows, &pool))
    });
    let outcomes = outcomes.map_err(py_error)?;

    let edit_path = PyList::empty(py);
    let index = PyList::empty(py);
    let source = PyList::empty(py);
    let code = PyList::empty(py);
    let prompt = PyList::empty(py);
    let skip_reason = PyList::empty(py);
    for outcome in &outcomes {
        for row in output_rows(outcome, true) {
            edit_path.append(row.edit_path)?;
            index.append(row.index)?;
            source.append(source_file)?;
            code.append(row.code)?;
            prompt.append(row.prompt)?;
            // "" rather than None for rows with paths: `datasets` fixes a
            // column's type from the first batch it writes, and a column of
            // nulls can then hold nothing else.
            skip_reason.append(row.skip_reason.unwrap_or_default())?;
        }
    }
    let columns = PyDict::new(py);
    columns.set_item("edit_path", edit_path)?;
    columns.set_item("index", index)?;
    columns.set_item("source_file", source)?;
    columns.set_item(format!("source_{code_field}"), code)?;
    if let Some(field) = &job.prompt_field {
        columns.set_item(format!("source_{field}"), prompt)?;
    }
    columns.set_item("skip_reason", skip_reason)?;
    Ok(columns)
}

/// `indices` as row indices: a sequence of non-negative integers.
fn row_indices(indices: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    let mut out = Vec::new();
    for (position, item) in indices.try_iter()?.enumerate() {
        let item = item?;
        let index = (!item.is_instance_of::<PyBool>())
            .then(|| item.extract::<u64>().ok())
            .flatten()
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "indices[{position}] must be a non-negative integer, not {}",
                    item.repr().map_or_else(|_| "?".into(), |r| r.to_string())
                ))
            })?;
        out.push(index);
    }
    Ok(out)
}

/// The values of `batch[field]`, which must have one per index.
fn column<'py>(
    batch: &Bound<'py, PyAny>,
    field: &str,
    keyword: &str,
    rows: usize,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = batch.py();
    let values = batch.get_item(field).map_err(|error| {
        if !error.is_instance_of::<PyKeyError>(py) {
            return error;
        }
        let columns = batch
            .call_method0("keys")
            .and_then(|keys| py.get_type::<PyList>().call1((keys,)))
            .and_then(|keys| keys.repr())
            .map_or_else(|_| "unknown".to_string(), |keys| keys.to_string());
        PyKeyError::new_err(format!(
            "the batch has no column {} ({keyword}); its columns are {columns}",
            repr(py, field)
        ))
    })?;
    let values: Vec<Bound<'py, PyAny>> = values.try_iter()?.collect::<PyResult<_>>()?;
    if values.len() != rows {
        return Err(PyValueError::new_err(format!(
            "column {} has {} values but indices has {rows}",
            repr(py, field),
            values.len()
        )));
    }
    Ok(values)
}

/// A Python value as a cell; values that are not strings are described as
/// the CLI describes JSON values, so the skip reasons read the same.
fn cell(value: &Bound<'_, PyAny>) -> Cell {
    if let Ok(text) = value.cast::<PyString>() {
        return match text.to_cow() {
            Ok(text) => Cell::Text(text.into_owned()),
            Err(_) => Cell::Other("a string that is not valid UTF-8"),
        };
    }
    if value.is_none() {
        Cell::Null
    } else if value.is_instance_of::<PyBool>() {
        Cell::Other("a boolean")
    } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        Cell::Other("a number")
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        Cell::Other("an array")
    } else {
        Cell::Other("an object")
    }
}

/// Skipped rows and notes go to the `lintseq` logger; Ctrl-C stops the run.
struct Logging {
    logger: Py<PyAny>,
    interrupt: Option<PyErr>,
}

impl Logging {
    fn log(&mut self, level: &str, message: String) {
        Python::attach(|py| {
            // A failing log handler does not stop the run, but Ctrl-C
            // pressed while Python code runs in one does.
            if let Err(error) = self.logger.call_method1(py, level, (message,))
                && error.is_instance_of::<PyKeyboardInterrupt>(py)
            {
                self.interrupt = Some(error);
            }
        });
    }
}

impl Observer for Logging {
    fn skipped(&mut self, id: RowId, problem: &Problem) {
        self.log("warning", format!("skipping {id}: {problem}"));
    }

    fn note(&mut self, message: &str) {
        self.log("info", message.to_string());
    }

    fn interrupted(&mut self) -> bool {
        if self.interrupt.is_some() {
            return true;
        }
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(error) => {
                self.interrupt = Some(error);
                true
            }
        })
    }
}

/// The file-level job (see `lintseq.generate`).
#[pyfunction]
#[pyo3(signature = (input, output, input_format, output_format, force, threads, subsample, keep_skipped, code_field, prompt_field, paths, seed, max_lines, options))]
#[allow(clippy::too_many_arguments)]
fn generate<'py>(
    py: Python<'py>,
    input: std::path::PathBuf,
    output: std::path::PathBuf,
    input_format: Option<&str>,
    output_format: Option<&str>,
    force: bool,
    threads: usize,
    subsample: Option<u64>,
    keep_skipped: bool,
    code_field: &str,
    prompt_field: Option<&str>,
    paths: u32,
    seed: u64,
    max_lines: usize,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let format = |name: Option<&str>| name.map(str::parse).transpose().map_err(py_error);
    let config = GenerateConfig {
        input,
        input_format: format(input_format)?,
        output,
        output_format: format(output_format)?,
        force,
        threads,
        subsample,
        keep_skipped,
        job: job_settings(paths, seed, code_field, prompt_field, max_lines, options)?
            .job(Spelling::Keyword)
            .map_err(py_error)?,
    };
    let logger = py
        .import("logging")?
        .call_method1("getLogger", ("lintseq",))?;
    let mut observer = Logging {
        logger: logger.unbind(),
        interrupt: None,
    };
    let summary = py.detach(|| lintseq_pipeline::generate(&config, &mut observer));
    let summary = match (summary, observer.interrupt.take()) {
        (Err(_), Some(interrupt)) => return Err(interrupt),
        (summary, _) => summary.map_err(py_error)?,
    };
    summary_dict(py, &summary)
}

fn summary_dict<'py>(py: Python<'py>, summary: &Summary) -> PyResult<Bound<'py, PyDict>> {
    let skipped = PyDict::new(py);
    for (reason, count) in &summary.skipped {
        skipped.set_item(reason.code(), count)?;
    }
    let out = PyDict::new(py);
    out.set_item("rows_read", summary.rows_read)?;
    out.set_item("selected", summary.selected)?;
    out.set_item("rows_written", summary.rows_written)?;
    out.set_item("paths_written", summary.paths_written)?;
    out.set_item("rows_skipped", summary.rows_skipped())?;
    out.set_item("skipped", skipped)?;
    out.set_item("elapsed_seconds", summary.elapsed_seconds)?;
    out.set_item("message", summary.to_string())?;
    Ok(out)
}

/// The checker's diagnostics for `source`.
#[pyfunction]
#[pyo3(signature = (source, original, target_version, imports, python))]
fn lint(
    py: Python<'_>,
    source: &str,
    original: Option<&str>,
    target_version: &str,
    imports: &str,
    python: std::path::PathBuf,
) -> PyResult<Vec<Diagnostic>> {
    let imports = ImportSettings {
        mode: imports.parse().map_err(py_error)?,
        python,
    };
    let python = settings::python_checker(target_version, Spelling::Keyword)
        .and_then(|checker| Ok(checker.with_imports(imports.mode()?)))
        .map_err(py_error)?;
    let found = py.detach(|| lintseq_pipeline::lint(&python, source, original));
    Ok(found
        .into_iter()
        .map(|d| Diagnostic {
            line: d.line,
            code: d.code.to_string(),
            symbol: d.symbol.to_string(),
            message: d.message,
        })
        .collect())
}

/// Replays model output (a string with `<|diff|>` separators) or a list of
/// diffs into a program.
#[pyfunction]
fn resolve(model_output: &Bound<'_, PyAny>) -> PyResult<Resolved> {
    let resolved = if let Ok(text) = model_output.cast::<PyString>() {
        resolve_model_output(&text.to_cow()?)
    } else if model_output.is_instance_of::<PyList>() || model_output.is_instance_of::<PyTuple>() {
        let mut diffs = Vec::new();
        for (position, item) in model_output.try_iter()?.enumerate() {
            let item = item?;
            let text = item.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "model_output[{position}] must be a string (a diff), not {}",
                    item.get_type()
                        .name()
                        .map_or_else(|_| "?".into(), |n| n.to_string())
                ))
            })?;
            diffs.push(text.to_cow()?.into_owned());
        }
        replay(diffs.iter().map(String::as_str))
    } else {
        return Err(PyTypeError::new_err(
            "model_output must be a string (model output) or a list of diffs",
        ));
    };
    Ok(Resolved {
        program: resolved.program(),
        issues: resolved.issues.iter().map(ToString::to_string).collect(),
    })
}

/// Runs the `lintseq` command with `argv` (the program name first) and
/// returns its exit status.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<std::ffi::OsString>) -> u8 {
    py.detach(|| lintseq_cli::main_with_args(argv))
}

#[pymodule]
fn _lintseq(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(edit_paths, m)?)?;
    m.add_function(wrap_pyfunction!(batch_edit_paths, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(lint, m)?)?;
    m.add_function(wrap_pyfunction!(resolve, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_class::<Diagnostic>()?;
    m.add_class::<Resolved>()?;
    m.add("DEFAULT_SEED", DEFAULT_SEED)?;
    m.add("DEFAULT_MAX_LINES", DEFAULT_MAX_LINES)?;
    m.add("DEFAULT_TARGET_VERSION", DEFAULT_TARGET_VERSION)?;
    m.add("SAMPLER_KEYWORDS", SAMPLER_KEYWORDS.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
