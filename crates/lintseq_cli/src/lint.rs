//! `lintseq lint`: what the checker sees.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use lintseq_core::{Checker, Diagnostic};
use lintseq_javascript::{Dialect, JavaScriptChecker};
use lintseq_pipeline::{LanguageChoice, LanguageId};
use lintseq_python::PythonChecker;
use serde_json::json;

use crate::cli::LintArgs;

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let python = PythonChecker::with_target_version(&args.target_version)
        .with_context(|| format!("unknown --target-version {}", args.target_version))?;
    let original = args.original.as_deref().map(read_source).transpose()?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut dirty = false;
    for path in &args.files {
        let source = read_source(path)?;
        let original = original.as_deref().unwrap_or(&source);
        let language = match args.language {
            LanguageChoice::Fixed(language) => language,
            LanguageChoice::Auto => by_extension(path),
        };
        let (diagnostics, codes) = match language {
            LanguageId::Python => (
                python.for_program(original).diagnostics(&source),
                lintseq_python::CODES,
            ),
            LanguageId::JavaScript | LanguageId::TypeScript => {
                let dialect = if language == LanguageId::JavaScript {
                    Dialect::JavaScript
                } else {
                    Dialect::TypeScript
                };
                let checker = JavaScriptChecker::new(dialect).with_env(args.script.js_env);
                (
                    checker.for_program(original).diagnostics(&source),
                    lintseq_javascript::CODES,
                )
            }
        };
        dirty |= !diagnostics.is_empty();
        for diagnostic in diagnostics {
            write_diagnostic(&mut out, path, &diagnostic, codes, args.json)?;
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

fn write_diagnostic(
    out: &mut impl Write,
    path: &Path,
    diagnostic: &Diagnostic,
    codes: &[(&str, &str)],
    json: bool,
) -> anyhow::Result<()> {
    // Python's codes are pylint's ids with a symbol; the JavaScript
    // checker's codes are symbols themselves.
    let symbol = codes
        .iter()
        .find(|(code, _)| *code == diagnostic.code)
        .map_or(
            "",
            |(code, symbol)| if symbol.contains(' ') { code } else { symbol },
        );
    if json {
        let row = json!({
            "file": path.display().to_string(),
            "line": diagnostic.line,
            "code": diagnostic.code,
            "symbol": symbol,
            "message": diagnostic.message,
        });
        writeln!(out, "{row}")?;
    } else {
        writeln!(
            out,
            "{}:{}: {} {symbol}: {}",
            path.display(),
            diagnostic.line,
            diagnostic.code,
            diagnostic.message
        )?;
    }
    Ok(())
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
