//! Python keywords to the pipeline's settings, and the pipeline's errors to
//! Python exceptions.

use std::io;

use lintseq_pipeline::{Error, JobSettings, LanguageOptions, SamplerSettings};
use lintseq_python::ProbeError;
use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyKeyboardInterrupt, PyOSError, PyRuntimeError,
    PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};

/// The sampler keywords every API function accepts, in the order the stub
/// lists them.
pub const SAMPLER_KEYWORDS: &[&str] = &[
    "children_per_round",
    "top_k",
    "population",
    "max_depth",
    "indent_bias",
    "ignore_imports",
    "sample_comments",
    "sample_global_defs",
    "ignore_init_errors",
    "target_version",
    "imports",
    "python",
];

/// The language keywords every API function accepts, after the sampler's:
/// `language` (`"auto"`, `"python"`, `"javascript"`, `"typescript"`),
/// `language_field` (a column naming each row's language) and `js_env`
/// (`"node"`, `"browser"`, `"node,browser"`, `"es2024"`), as the command's
/// `--language`, `--language-field` and `--js-env`.
pub const LANGUAGE_KEYWORDS: &[&str] = &["language", "language_field", "js_env"];

/// The sampler settings that `options` (the `**options` of an API call)
/// give; the rest keep their defaults. An unknown keyword is a `TypeError`,
/// as it is for a Python function; a value of the wrong type names its
/// keyword.
pub fn sampler_settings(
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(SamplerSettings, LanguageOptions)> {
    let mut settings = SamplerSettings::default();
    let mut languages = LanguageOptions::default();
    let Some(options) = options else {
        return Ok((settings, languages));
    };
    for (key, value) in options.iter() {
        let key: String = key.extract()?;
        let value = &value;
        match key.as_str() {
            "children_per_round" => settings.children_per_round = count(&key, value)?,
            "top_k" => settings.top_k = count(&key, value)?,
            "population" => settings.population = count(&key, value)?,
            "max_depth" => settings.max_depth = count(&key, value)?,
            "indent_bias" => {
                settings.indent_bias = typed(&key, value, "a number")?;
            }
            "ignore_imports" => settings.ignore_imports = flag(&key, value)?,
            "sample_comments" => settings.sample_comments = flag(&key, value)?,
            "sample_global_defs" => settings.sample_global_defs = flag(&key, value)?,
            "ignore_init_errors" => settings.ignore_init_errors = flag(&key, value)?,
            "target_version" => settings.target_version = typed(&key, value, "a string \"3.X\"")?,
            "imports" => {
                let mode: String = typed(&key, value, "\"resolve\" or \"reference\"")?;
                settings.imports.mode = mode.parse().map_err(py_error)?;
            }
            "python" => {
                settings.imports.python = typed(&key, value, "a path to a Python interpreter")?;
            }
            "language" => {
                let text: String = typed(&key, value, "a string")?;
                languages.choice = text.parse().map_err(PyValueError::new_err)?;
            }
            "language_field" => languages.field = typed(&key, value, "a string or None")?,
            "js_env" => {
                let text: String = typed(&key, value, "a string")?;
                languages.env =
                    text.parse()
                        .map_err(|e: lintseq_pipeline::language::UnknownEnv| {
                            PyValueError::new_err(e.to_string())
                        })?;
            }
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "unexpected keyword argument '{key}'; the options are {}",
                    [SAMPLER_KEYWORDS, LANGUAGE_KEYWORDS].concat().join(", ")
                )));
            }
        }
    }
    Ok((settings, languages))
}

/// A non-negative integer keyword.
fn count(key: &str, value: &Bound<'_, PyAny>) -> PyResult<usize> {
    const EXPECTED: &str = "a non-negative integer";
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(type_error(key, value, EXPECTED));
    }
    value
        .extract()
        .map_err(|_| PyValueError::new_err(format!("{key} must be {EXPECTED}, not {value}")))
}

/// A boolean keyword (`True`/`False` only, not any truthy value).
fn flag(key: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    if !value.is_instance_of::<PyBool>() {
        return Err(type_error(key, value, "True or False"));
    }
    value.extract()
}

fn typed<'py, T>(key: &str, value: &Bound<'py, PyAny>, expected: &str) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py>,
{
    value
        .extract::<T>()
        .map_err(|_| type_error(key, value, expected))
}

/// A `TypeError` naming `key` and the type it got.
pub fn type_error(key: &str, value: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |name| name.to_string());
    PyTypeError::new_err(format!("{key} must be {expected}, not {type_name}"))
}

/// The job settings of one API call.
pub fn job_settings(
    paths: u32,
    seed: u64,
    code_field: &str,
    prompt_field: Option<&str>,
    max_lines: usize,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<JobSettings> {
    let (sampler, languages) = sampler_settings(options)?;
    Ok(JobSettings {
        paths,
        seed,
        code_field: code_field.to_string(),
        prompt_field: prompt_field.map(str::to_string),
        max_lines,
        sampler,
        languages,
    })
}

/// The Python exception for an error of the pipeline.
pub fn py_error(error: Error) -> PyErr {
    let message = error.to_string();
    match &error {
        Error::Open { source, .. } | Error::Read { source, .. }
            if source.kind() == io::ErrorKind::NotFound =>
        {
            PyFileNotFoundError::new_err(message)
        }
        Error::Open { .. } | Error::Read { .. } | Error::Create { .. } | Error::Write { .. } => {
            PyOSError::new_err(message)
        }
        Error::OutputExists { .. } => PyFileExistsError::new_err(message),
        Error::Decode { .. }
        | Error::OutputIsInput { .. }
        | Error::Schema { .. }
        | Error::Format(_)
        | Error::Option(_) => PyValueError::new_err(message),
        Error::Threads(_) => PyRuntimeError::new_err(message),
        Error::Probe(ProbeError::Spawn { .. }) => PyOSError::new_err(message),
        Error::Probe(_) => PyRuntimeError::new_err(message),
        Error::Interrupted => PyKeyboardInterrupt::new_err(message),
    }
}
