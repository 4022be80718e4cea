//! JSON Lines output: one compact JSON object per edit path.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::{OutputRow, OutputSchema, Sink, output_rows};
use crate::error::{Error, Result};
use crate::job::Outcome;
use crate::language::LanguageId;

/// Writes outcomes as JSONL rows.
#[derive(Debug)]
pub struct JsonlWriter {
    out: BufWriter<File>,
    path: PathBuf,
    schema: OutputSchema,
    text: String,
}

impl JsonlWriter {
    pub fn new(file: File, path: PathBuf, schema: OutputSchema) -> Self {
        Self {
            out: BufWriter::with_capacity(1 << 20, file),
            path,
            schema,
            text: String::new(),
        }
    }

    fn error(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }
}

impl Sink for JsonlWriter {
    fn write(&mut self, outcome: &Outcome) -> Result<()> {
        self.text.clear();
        json_rows(outcome, &self.schema, &mut self.text);
        let result = self.out.write_all(self.text.as_bytes());
        result.map_err(|e| self.error(e))
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let result = self.out.flush();
        result.map_err(|e| self.error(e))
    }
}

/// Appends the JSONL lines of one outcome to `out`: one per path, or one
/// for a skipped row when the schema keeps them.
pub fn json_rows(outcome: &Outcome, schema: &OutputSchema, out: &mut String) {
    for row in output_rows(outcome, schema.keep_skipped) {
        json_row(&row, schema, out);
    }
}

fn json_row(row: &OutputRow<'_>, schema: &OutputSchema, out: &mut String) {
    out.push_str("{\"edit_path\":");
    match row.edit_path {
        Some(diffs) => {
            out.push('[');
            for (i, diff) in diffs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(out, diff);
            }
            out.push(']');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"index\":");
    let _ = write!(out, "{}", row.index);
    out.push_str(",\"source_file\":");
    push_json_string(out, &schema.source_file);
    out.push(',');
    push_json_string(out, &schema.code_column());
    out.push(':');
    push_optional(out, row.code);
    if let Some(column) = schema.prompt_column() {
        out.push(',');
        push_json_string(out, &column);
        out.push(':');
        push_optional(out, row.prompt);
    }
    if let Some(language) = row.language.filter(|&l| l != LanguageId::Python) {
        out.push_str(",\"language\":");
        push_json_string(out, language.name());
    }
    if schema.keep_skipped {
        out.push_str(",\"skip_reason\":");
        push_optional(out, row.skip_reason.as_deref());
    }
    out.push_str("}\n");
}

fn push_optional(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => push_json_string(out, text),
        None => out.push_str("null"),
    }
}

/// Appends `text` as a JSON string, escaped exactly as serde_json escapes
/// it: `"`, `\\` and the control characters below U+0020 (`\n`, `\t`,
/// `\r`, `\b`, `\f` by name, the rest as `\u00xx`), everything else as is.
fn push_json_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Skip eight bytes at a time while none of them needs escaping.
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !needs_escape(word) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => {
                at += 1;
                continue;
            }
        };
        // `at` is an ASCII byte, so a character boundary.
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        at += 1;
        start = at;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Whether any of the eight bytes of `word` is below 0x20, `"` or `\\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The word tests of "Bit Twiddling Hacks": nonzero exactly when some
    // byte is zero (`zero`), or below 0x20 (`below_space`, exact for any
    // bound up to 0x80).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (below_space | zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\'))))
        != 0
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::job::{Problem, Reason};
    use crate::row::{Location, RowId};

    fn schema(keep_skipped: bool) -> OutputSchema {
        OutputSchema {
            source_file: "in/put.jsonl".into(),
            code_field: "response".into(),
            prompt_field: Some("instruction".into()),
            keep_skipped,
            language_column: false,
        }
    }

    fn outcome(paths: Result<Vec<Vec<String>>, Problem>) -> Outcome {
        Outcome {
            id: RowId {
                index: 7,
                location: Location::Line(8),
            },
            code: Some("x = \"é\"\n\u{1}".into()),
            prompt: Some("Write\tit.".into()),
            paths,
            language: Some(LanguageId::Python),
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u32..0x900)
            .filter_map(char::from_u32)
            .map(|c| c.to_string())
            .collect();
        // Every escape at every position of a chunk and across chunks.
        let specials = [
            '"', '\\', '\n', '\t', '\r', '\u{8}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', 'é',
            '\u{2028}',
        ];
        for &special in &specials {
            for before in 0..18 {
                for after in [0, 1, 7, 8, 9, 17] {
                    texts.push(format!(
                        "{}{special}{}",
                        "a".repeat(before),
                        "b".repeat(after)
                    ));
                }
            }
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(match seed % 4 {
                    0 => specials[(seed >> 8) as usize % specials.len()],
                    _ => char::from(b' ' + (seed >> 16) as u8 % 95),
                });
            }
            texts.push(text);
        }
        for text in texts {
            let mut ours = String::from("x");
            push_json_string(&mut ours, &text);
            assert_eq!(ours[1..], serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn rows_match_serde_json_objects_byte_for_byte() {
        let diffs = vec!["@@ -0,0 +1 @@\n+x = \"é\"".to_string(), "d2".to_string()];
        let mut text = String::new();
        json_rows(
            &outcome(Ok(vec![diffs.clone(), diffs.clone()])),
            &schema(false),
            &mut text,
        );
        let mut expected = Map::new();
        expected.insert("edit_path".into(), json!(diffs));
        expected.insert("index".into(), json!(7));
        expected.insert("source_file".into(), json!("in/put.jsonl"));
        expected.insert("source_response".into(), json!("x = \"é\"\n\u{1}"));
        expected.insert("source_instruction".into(), json!("Write\tit."));
        let line = format!("{}\n", Value::Object(expected));
        assert_eq!(text, line.repeat(2));
    }

    #[test]
    fn rows_in_other_languages_record_it() {
        let mut row = outcome(Ok(vec![vec!["d".to_string()]]));
        row.language = Some(LanguageId::TypeScript);
        let mut text = String::new();
        json_rows(&row, &schema(false), &mut text);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["language"], "typescript");
        assert_eq!(
            value
                .as_object()
                .unwrap()
                .keys()
                .next_back()
                .map(String::as_str),
            Some("language")
        );
    }

    #[test]
    fn skipped_rows_are_kept_only_when_asked() {
        let problem = Problem {
            reason: Reason::EmptyProgram,
            detail: "field `response`: the program is empty".into(),
        };
        let mut text = String::new();
        json_rows(&outcome(Err(problem.clone())), &schema(false), &mut text);
        assert_eq!(text, "");
        json_rows(&outcome(Err(problem)), &schema(true), &mut text);
        let row: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(row["edit_path"], Value::Null);
        assert_eq!(
            row["skip_reason"],
            "empty_program: field `response`: the program is empty"
        );
        assert_eq!(row["source_response"], "x = \"é\"\n\u{1}");
    }
}
