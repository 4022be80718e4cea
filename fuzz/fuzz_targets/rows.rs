//! The JSONL row reader and row parsing: bytes, rows, fields, skip reasons.
//!
//! Input: the first byte chooses how the rest is read (bit 0: as a gzip
//! stream, as it comes; bit 1: gzipped here first, so the decompressed rows
//! must be the plain ones); the rest is the file. Every row it yields goes
//! through `Job::process` as a JSON line, and its code field's text (lossily
//! decoded) also as a typed cell.
//!
//! What must hold: no panic, no hang; the reader yields exactly the
//! non-blank lines of the file after one byte order mark, with indices 0, 1,
//! 2, … and their 1-based line numbers; gzipping changes nothing; an
//! outcome keeps its row's id; a row is skipped for invalid UTF-8 exactly
//! when it is not UTF-8, for malformed JSON exactly when it is UTF-8 but not
//! JSON; a skip message is not empty and the `skip_reason` starts with the
//! reason's code; edit paths replay to the prepared program.

#![no_main]

#[path = "worker.rs"]
mod worker;

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use lintseq_core::pipeline::{self, Generation};
use lintseq_core::resolve::resolve;
use lintseq_pipeline::read::JsonlReader;
use lintseq_pipeline::{
    Cell, InputRow, Job, LanguageChoice, LanguageId, LanguageOptions, Location, Reason, Record,
    RowId,
};
use lintseq_python::PythonChecker;

/// Rows processed per input (reading goes on to the end).
const PROCESSED: usize = 4;

fuzz_target!(|data: &[u8]| worker::on_worker_stack(|| run(data)));

fn run(data: &[u8]) {
    let Some((&mode, file)) = data.split_first() else {
        return;
    };
    let raw_gzip = mode & 1 != 0;
    let our_gzip = mode & 2 != 0;

    let lines = match read_all(file.to_vec(), raw_gzip) {
        Ok(lines) => lines,
        // A broken gzip stream is an I/O error, reported, not a panic.
        Err(_) => {
            assert!(raw_gzip, "plain bytes always read");
            return;
        }
    };
    if !raw_gzip {
        check_lines(file, &lines);
    }
    if our_gzip && !raw_gzip {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(file).unwrap();
        let gzipped = encoder.finish().unwrap();
        let unpacked = read_all(gzipped, true).expect("our gzip stream reads");
        assert_eq!(unpacked, lines, "gzip changed the rows");
    }

    let job = Job {
        python: PythonChecker::default(),
        generation: Generation {
            paths: 1,
            seed: u64::from(mode),
            ..Generation::default()
        },
        code_field: "response".to_string(),
        prompt_field: Some("instruction".to_string()),
        max_lines: 48,
        // Python throughout, which check_paths prepares rows as.
        languages: LanguageOptions {
            choice: LanguageChoice::Fixed(LanguageId::Python),
            ..LanguageOptions::default()
        },
    };
    for (id, bytes) in lines.into_iter().take(PROCESSED) {
        check_json_row(&job, id, bytes.clone());
        let code = Cell::Text(String::from_utf8_lossy(&bytes).into_owned());
        let outcome = job.process(InputRow {
            id,
            record: Record::Cells {
                code,
                prompt: Cell::Null,
            },
        });
        assert_eq!(outcome.id, id);
        if let Ok(paths) = &outcome.paths {
            check_paths(outcome.code.as_deref().unwrap(), paths);
        }
    }
}

fn read_all(bytes: Vec<u8>, gzipped: bool) -> std::io::Result<Vec<(RowId, Vec<u8>)>> {
    let mut reader = JsonlReader::from_reader(Cursor::new(bytes), gzipped);
    let mut lines = Vec::new();
    while let Some(line) = reader.next_line()? {
        lines.push(line);
    }
    Ok(lines)
}

/// The rows as the reader documents them: the lines of the file after one
/// byte order mark, blank ones left out, numbered from 1 and indexed from 0.
fn check_lines(file: &[u8], lines: &[(RowId, Vec<u8>)]) {
    let body = file.strip_prefix(b"\xef\xbb\xbf").unwrap_or(file);
    let expected: Vec<(RowId, Vec<u8>)> = body
        .split_inclusive(|&b| b == b'\n')
        .zip(1..)
        .filter(|(line, _)| !line.iter().all(u8::is_ascii_whitespace))
        .zip(0..)
        .map(|((line, number), index)| {
            let id = RowId {
                index,
                location: Location::Line(number),
            };
            (id, line.to_vec())
        })
        .collect();
    assert!(lines == expected, "rows differ from the file's lines");
}

fn check_json_row(job: &Job, id: RowId, bytes: Vec<u8>) {
    let text = std::str::from_utf8(&bytes).ok();
    let (utf8, json) = (text.is_some(), text.is_some_and(serde_json_parses));
    let outcome = job.process(InputRow {
        id,
        record: Record::Json(bytes),
    });
    assert_eq!(outcome.id, id);
    match &outcome.paths {
        Ok(paths) => {
            assert!(json);
            check_paths(outcome.code.as_deref().expect("a code field"), paths);
        }
        Err(problem) => {
            assert_eq!(problem.reason == Reason::InvalidUtf8, !utf8);
            assert_eq!(
                problem.reason == Reason::MalformedJson,
                utf8 && !json,
                "{problem}"
            );
            assert!(!problem.detail.is_empty());
            assert!(problem.skip_reason().starts_with(problem.reason.code()));
            assert!(!problem.reason.label().is_empty());
        }
    }
}

fn serde_json_parses(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

fn check_paths(code: &str, paths: &[Vec<String>]) {
    let program = pipeline::prepare(code).expect("a row with paths has a program");
    for diffs in paths {
        let resolved = resolve(diffs.iter().map(String::as_str));
        assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
        assert_eq!(resolved.program(), program, "round trip");
    }
}
