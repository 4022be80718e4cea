//! `lintseq resolve`: diffs back into programs.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use lintseq_core::resolve::{Resolved, resolve, resolve_model_output};
use serde_json::Value;

use crate::cli::ResolveArgs;
use crate::rows::RowReader;

pub fn run(args: ResolveArgs) -> anyhow::Result<ExitCode> {
    let input = args.input.as_deref().filter(|p| *p != Path::new("-"));
    let jsonl = args.jsonl
        || input.is_some_and(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".jsonl") || name.ends_with(".jsonl.gz")
        });
    let mut out = crate::rows::output(args.output.as_deref(), args.force)?;
    if jsonl {
        let path = input.context("JSONL mode needs an input file")?;
        resolve_jsonl(path, args.field.as_deref(), &mut out)?;
    } else {
        let text = read_all(input)?;
        let resolved = resolve_text(&text);
        report("input", &resolved);
        out.write_all(resolved.program().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn read_all(input: Option<&Path>) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    match input {
        Some(path) => {
            bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
        }
        None => {
            io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read stdin")?;
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A JSON array of diffs, or raw model output.
fn resolve_text(text: &str) -> Resolved {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text)
        && items.iter().all(Value::is_string)
    {
        return resolve(items.iter().filter_map(Value::as_str));
    }
    resolve_model_output(text)
}

/// The fields `resolve` looks for when none is given, in order.
const FIELDS: [&str; 4] = ["edit_path", "output", "completion", "messages"];

/// The diffs a field holds: a list of diffs, model output, or a
/// conversation (TRL's `messages`, or a conversational `completion`) whose
/// last assistant message is model output.
fn resolve_value(value: &Value) -> Option<Resolved> {
    match value {
        Value::String(text) => Some(resolve_model_output(text)),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            Some(resolve(items.iter().filter_map(Value::as_str)))
        }
        Value::Array(messages) => {
            let reply = messages
                .iter()
                .rev()
                .find(|message| message.get("role").and_then(Value::as_str) == Some("assistant"))?;
            Some(resolve_model_output(reply.get("content")?.as_str()?))
        }
        _ => None,
    }
}

fn resolve_jsonl(path: &Path, field: Option<&str>, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut reader = RowReader::open(path)?;
    let mut rows = 0u64;
    let mut skipped = 0u64;
    while let Some(row) = reader
        .next_row()
        .with_context(|| format!("cannot read {}", path.display()))?
    {
        rows += 1;
        let where_ = format!("row {} (line {})", row.index, row.line);
        let value = std::str::from_utf8(&row.bytes)
            .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            .and_then(|text| {
                serde_json::from_str::<Value>(text).map_err(|e| format!("malformed JSON: {e}"))
            });
        let mut object = match value {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                eprintln!("lintseq: skipping {where_}: not a JSON object");
                skipped += 1;
                continue;
            }
            Err(problem) => {
                eprintln!("lintseq: skipping {where_}: {problem}");
                skipped += 1;
                continue;
            }
        };
        let chosen = match field {
            Some(field) => object.get(field).map(|v| (field, v)),
            None => FIELDS
                .into_iter()
                .find_map(|f| object.get(f).map(|v| (f, v))),
        };
        let resolved = match chosen {
            Some((name, value)) => match resolve_value(value) {
                Some(resolved) => resolved,
                None => {
                    eprintln!(
                        "lintseq: skipping {where_}: field `{name}` is neither diffs, model output nor a conversation with an assistant message"
                    );
                    skipped += 1;
                    continue;
                }
            },
            None => {
                match field {
                    Some(field) => eprintln!("lintseq: skipping {where_}: missing field `{field}`"),
                    None => eprintln!(
                        "lintseq: skipping {where_}: none of the fields `{}`",
                        FIELDS.join("`, `")
                    ),
                }
                skipped += 1;
                continue;
            }
        };
        report(&where_, &resolved);
        let issues: Vec<Value> = resolved
            .issues
            .iter()
            .map(|i| Value::from(i.to_string()))
            .collect();
        object.insert("program".into(), Value::from(resolved.program()));
        object.insert("resolve_issues".into(), Value::from(issues));
        writeln!(out, "{}", Value::Object(object))?;
    }
    eprintln!(
        "lintseq: resolved {} rows, skipped {skipped}",
        rows - skipped
    );
    Ok(())
}

fn report(what: &str, resolved: &Resolved) {
    for issue in &resolved.issues {
        eprintln!("lintseq: {what}: {issue}");
    }
}
