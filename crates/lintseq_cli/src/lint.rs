//! `lintseq lint`: what the checker sees, for files or for many programs at
//! once (`--jsonl`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use lintseq_core::{Checker, Diagnostic};
use lintseq_javascript::Env;
use lintseq_pipeline::lint::symbol;
use lintseq_pipeline::{LanguageChoice, LanguageId, Spelling, lint_in, settings};
use lintseq_python::{ProgramChecker, PythonChecker};
use serde::Deserialize;
use serde_json::json;

use crate::cli::LintArgs;

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let python = settings::python_checker(&args.target_version, Spelling::Flag)?
        .with_imports(args.imports.settings().mode()?);
    if args.jsonl {
        // JSONL rows have no file name to tell their language by.
        let language = match args.language {
            LanguageChoice::Fixed(language) => language,
            LanguageChoice::Auto => LanguageId::Python,
        };
        return run_jsonl(&python, language, args.script.js_env, &args.files);
    }
    let original = args.original.as_deref().map(read_source).transpose()?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut dirty = false;
    for path in &args.files {
        let source = read_source(path)?;
        let language = match args.language {
            LanguageChoice::Fixed(language) => language,
            LanguageChoice::Auto => by_extension(path),
        };
        let diagnostics = lint_in(
            language,
            &python,
            args.script.js_env,
            &source,
            original.as_deref(),
        );
        dirty |= !diagnostics.is_empty();
        for diagnostic in diagnostics {
            if args.json {
                let row = json!({
                    "file": path.display().to_string(),
                    "line": diagnostic.line,
                    "code": diagnostic.code,
                    "symbol": diagnostic.symbol,
                    "message": diagnostic.message,
                });
                writeln!(out, "{row}")?;
            } else {
                writeln!(
                    out,
                    "{}:{}: {} {}: {}",
                    path.display(),
                    diagnostic.line,
                    diagnostic.code,
                    diagnostic.symbol,
                    diagnostic.message
                )?;
            }
        }
    }
    out.flush()?;
    Ok(if dirty {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The language a file's extension names; Python for anything else.
fn by_extension(path: &Path) -> LanguageId {
    match path.extension().and_then(|e| e.to_str()) {
        Some("js" | "jsx" | "mjs" | "cjs") => LanguageId::JavaScript,
        Some("ts" | "tsx" | "mts" | "cts") => LanguageId::TypeScript,
        _ => LanguageId::Python,
    }
}

/// One row of `--jsonl` input.
#[derive(Deserialize)]
struct Row {
    program: String,
    original: Option<String>,
    id: Option<serde_json::Value>,
}

/// Checks every row of the JSONL `files`, printing one result row for each.
fn run_jsonl(
    python: &PythonChecker,
    language: LanguageId,
    env: Env,
    files: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut dirty = false;
    // Rows cut from one program usually come together: learn it once.
    let mut bound: Option<(String, ProgramChecker)> = None;
    for path in files {
        let reader: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(io::stdin().lock())
        } else {
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            Box::new(BufReader::new(file))
        };
        for (number, line) in reader.split(b'\n').enumerate() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let row: Row = match serde_json::from_slice(&line) {
                Ok(row) => row,
                Err(error) => {
                    let message = format!("{}:{}: bad row: {error}", path.display(), number + 1);
                    eprintln!("lintseq: {message}");
                    writeln!(out, "{}", json!({ "error": message }))?;
                    dirty = true;
                    continue;
                }
            };
            let diagnostics: Vec<_> = if language == LanguageId::Python {
                let original = row.original.as_deref().unwrap_or(&row.program);
                let checker = match &bound {
                    Some((text, checker)) if text == original => checker,
                    _ => {
                        let checker = python.for_program(original);
                        &bound.insert((original.to_string(), checker)).1
                    }
                };
                let diagnostics = checker.diagnostics(&row.program);
                diagnostics.iter().map(diagnostic_json).collect()
            } else {
                let found = lint_in(language, python, env, &row.program, row.original.as_deref());
                found
                    .iter()
                    .map(|d| json!({"line": d.line, "code": d.code, "symbol": d.symbol, "message": d.message}))
                    .collect()
            };
            dirty |= !diagnostics.is_empty();
            let result = match row.id {
                Some(id) => json!({ "id": id, "diagnostics": diagnostics }),
                None => json!({ "diagnostics": diagnostics }),
            };
            writeln!(out, "{result}")?;
        }
    }
    out.flush()?;
    Ok(if dirty {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn diagnostic_json(diagnostic: &Diagnostic) -> serde_json::Value {
    json!({
        "line": diagnostic.line,
        "code": diagnostic.code,
        "symbol": symbol(diagnostic.code),
        "message": diagnostic.message,
    })
}

fn read_source(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|error| {
        anyhow::anyhow!(
            "{} is not valid UTF-8 (at byte {})",
            path.display(),
            error.utf8_error().valid_up_to()
        )
    })
}
