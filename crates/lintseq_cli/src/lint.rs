//! `lintseq lint`: what the checker sees.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use lintseq_pipeline::Spelling;
use lintseq_pipeline::settings;
use serde_json::json;

use crate::cli::LintArgs;

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let python = settings::python_checker(&args.target_version, Spelling::Flag)?;
    let original = args.original.as_deref().map(read_source).transpose()?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut dirty = false;
    for path in &args.files {
        let source = read_source(path)?;
        let diagnostics = lintseq_pipeline::lint(&python, &source, original.as_deref());
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
