//! Replaying insertion diffs (ours, or a model's imitation of them) into a
//! program.
//!
//! Model output is untrusted text: hunks may be mis-numbered, lines may lack
//! their `+`, stray prose may sit between diffs. Resolution never fails; it
//! applies what it can, clamps what is out of range, and records everything it
//! skipped or adjusted so a caller can report it.

use std::fmt;

/// The token that separates diffs in a LintSeq model's output.
pub const DIFF_SEPARATOR: &str = "<|diff|>";

/// Something resolution skipped or adjusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// 0-based index of the diff in the path.
    pub diff: usize,
    /// 1-based line within that diff (0 for the diff as a whole).
    pub line: usize,
    pub kind: IssueKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A line that is not part of any hunk (prose, a fence, a stray token).
    NotInHunk(String),
    /// A `@@` line that could not be read; its hunk was skipped.
    BadHeader(String),
    /// A hunk started past the end of the program; it was applied at the end.
    Clamped { wanted: usize, len: usize },
    /// A `-` or context line did not match the program; it was ignored.
    Mismatch {
        expected: String,
        found: Option<String>,
    },
    /// A piece of model output between separators had no hunk at all.
    NoHunk,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "diff {}", self.diff + 1)?;
        if self.line > 0 {
            write!(f, ", line {}", self.line)?;
        }
        match &self.kind {
            IssueKind::NotInHunk(text) => {
                write!(f, ": skipped text outside a hunk: {}", shorten(text))
            }
            IssueKind::BadHeader(text) => write!(
                f,
                ": skipped hunk with unreadable header: {}",
                shorten(text)
            ),
            IssueKind::Clamped { wanted, len } => write!(
                f,
                ": hunk starts after line {wanted} but the program has {len} lines; applied at the end"
            ),
            IssueKind::Mismatch { expected, found } => write!(
                f,
                ": line {} does not match the program ({}); ignored",
                shorten(expected),
                found.as_deref().map_or_else(
                    || "past the end".to_string(),
                    |found| format!("found {}", shorten(found))
                )
            ),
            IssueKind::NoHunk => write!(f, ": no hunk found; skipped"),
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// A program rebuilt from diffs, with what had to be skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    pub lines: Vec<String>,
    pub issues: Vec<Issue>,
    /// Number of diffs that were applied (had at least one hunk).
    pub applied: usize,
}

impl Resolved {
    pub fn program(&self) -> String {
        self.lines.join("\n")
    }
}

/// Replays `diffs` in order, starting from the empty program. Blank diffs
/// (the empty edits that close a LintSeq completion) are no edit at all.
pub fn resolve<'d>(diffs: impl IntoIterator<Item = &'d str>) -> Resolved {
    let mut resolved = Resolved::default();
    for (index, diff) in diffs.into_iter().enumerate() {
        if diff.trim().is_empty() {
            continue;
        }
        if apply_diff(&mut resolved.lines, diff, index, &mut resolved.issues) {
            resolved.applied += 1;
        } else {
            resolved.issues.push(Issue {
                diff: index,
                line: 0,
                kind: IssueKind::NoHunk,
            });
        }
    }
    resolved
}

/// Splits a model's raw output on [`DIFF_SEPARATOR`], after dropping the
/// end-of-text tokens it may end with (see [`strip_end_tokens`]). Text before
/// the first separator is kept as a piece only if it is not blank.
pub fn split_model_output(text: &str) -> Vec<&str> {
    let mut pieces = strip_end_tokens(text).split(DIFF_SEPARATOR);
    let head = pieces.next().filter(|piece| !piece.trim().is_empty());
    head.into_iter().chain(pieces).collect()
}

/// Replays a model's raw output: diffs separated by [`DIFF_SEPARATOR`], as
/// a LintSeq model writes them (or as `lintseq format` writes completions).
pub fn resolve_model_output(text: &str) -> Resolved {
    resolve(split_model_output(text))
}

/// `text` without the end-of-sequence and end-of-turn tokens that model
/// output and chat transcripts end with: `<|endoftext|>`, `<|im_end|>`,
/// `<|eot_id|>`, `</s>`, `<eos>`, `<end_of_turn>`, `<｜end▁of▁sentence｜>` and
/// any other `<|name|>` or `<｜name｜>` token, with whitespace around them.
/// The diff separator itself is kept.
pub fn strip_end_tokens(text: &str) -> &str {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_end();
        let token = ["</s>", "<eos>", "<end_of_turn>"]
            .into_iter()
            .find(|token| trimmed.ends_with(token))
            .map(str::len)
            .or_else(|| special_token_at_end(trimmed));
        match token {
            Some(len) => rest = &trimmed[..trimmed.len() - len],
            None => {
                return if rest.len() == text.len() {
                    text
                } else {
                    trimmed
                };
            }
        }
    }
}

/// The length of a `<|name|>` (or full-width `<｜name｜>`) token ending
/// `text`, unless it is the diff separator.
fn special_token_at_end(text: &str) -> Option<usize> {
    for (open, close) in [("<|", "|>"), ("<｜", "｜>")] {
        let Some(body) = text.strip_suffix(close) else {
            continue;
        };
        let start = body.rfind(open)?;
        let name = &body[start + open.len()..];
        let plausible = !name.is_empty()
            && name.chars().count() <= 40
            && !name.contains(char::is_whitespace)
            && !name.contains(['<', '>']);
        if plausible && &text[start..] != DIFF_SEPARATOR {
            return Some(text.len() - start);
        }
    }
    None
}

/// Applies one unified diff to `lines`. Returns whether any hunk was found.
pub fn apply_diff(
    lines: &mut Vec<String>,
    diff: &str,
    index: usize,
    issues: &mut Vec<Issue>,
) -> bool {
    let mut in_hunk = false;
    let mut skipping = false;
    let mut found_hunk = false;
    let mut cursor = 0usize;
    let mut delta: isize = 0;
    for (number, raw) in diff.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let issue = |kind| Issue {
            diff: index,
            line: number + 1,
            kind,
        };
        if line.starts_with("@@") {
            found_hunk = true;
            match parse_header(line) {
                Some(Header { old, new }) => {
                    // Where the hunk starts in the text as patched so far:
                    // the new-file position, which stays right when a model
                    // runs several diffs together without separators.
                    let wanted = new.unwrap_or_else(|| old.saturating_add_signed(delta));
                    if wanted > lines.len() {
                        issues.push(issue(IssueKind::Clamped {
                            wanted,
                            len: lines.len(),
                        }));
                    }
                    cursor = wanted.min(lines.len());
                    in_hunk = true;
                    skipping = false;
                }
                None => {
                    issues.push(issue(IssueKind::BadHeader(line.to_string())));
                    in_hunk = false;
                    skipping = true;
                }
            }
            continue;
        }
        if line.is_empty() || line.starts_with('\\') {
            continue;
        }
        if skipping {
            continue;
        }
        if !in_hunk {
            if !(line.starts_with("--- ") || line.starts_with("+++ ")) {
                issues.push(issue(IssueKind::NotInHunk(line.to_string())));
            }
            continue;
        }
        // `line` is not empty here; its first character may be multi-byte.
        let mut chars = line.chars();
        let mark = chars.next();
        let text = chars.as_str();
        match mark {
            Some('+') => {
                lines.insert(cursor, text.to_string());
                cursor += 1;
                delta += 1;
            }
            Some('-') => {
                if lines.get(cursor).map(String::as_str) == Some(text) {
                    lines.remove(cursor);
                    delta -= 1;
                } else {
                    issues.push(issue(IssueKind::Mismatch {
                        expected: text.to_string(),
                        found: lines.get(cursor).cloned(),
                    }));
                }
            }
            Some(' ') => {
                if lines.get(cursor).map(String::as_str) == Some(text) {
                    cursor += 1;
                } else {
                    issues.push(issue(IssueKind::Mismatch {
                        expected: text.to_string(),
                        found: lines.get(cursor).cloned(),
                    }));
                }
            }
            _ => issues.push(issue(IssueKind::NotInHunk(line.to_string()))),
        }
    }
    found_hunk
}

/// Where a hunk starts, as 0-based line indices.
struct Header {
    /// In the text before the diff.
    old: usize,
    /// In the text with the diff's earlier hunks applied, if readable.
    new: Option<usize>,
}

/// Reads `@@ -a[,b] +c[,d] @@`.
fn parse_header(line: &str) -> Option<Header> {
    let rest = line.strip_prefix("@@")?.trim_start();
    let mut parts = rest.split_whitespace();
    let old = range_start(parts.next()?.strip_prefix('-')?)?;
    let new = parts.next()?.strip_prefix('+')?;
    Some(Header {
        old,
        new: range_start(new),
    })
}

/// The 0-based index where a `start[,len]` range begins (a range of length
/// 0 names the line before it).
fn range_start(range: &str) -> Option<usize> {
    let (start, len) = match range.split_once(',') {
        Some((start, len)) => (start.parse::<usize>().ok()?, len.parse::<usize>().ok()?),
        None => (range.parse::<usize>().ok()?, 1),
    };
    Some(if len == 0 {
        start
    } else {
        start.saturating_sub(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_insertions() {
        let diffs = ["@@ -0,0 +1,2 @@\n+a\n+c", "@@ -1,0 +2 @@\n+b"];
        let resolved = resolve(diffs);
        assert_eq!(resolved.program(), "a\nb\nc");
        assert!(resolved.issues.is_empty());
        assert_eq!(resolved.applied, 2);
    }

    #[test]
    fn applies_several_hunks_of_one_diff() {
        let diffs = [
            "@@ -0,0 +1,2 @@\n+b\n+d",
            "@@ -0,0 +1 @@\n+a\n@@ -1,0 +3 @@\n+c\n@@ -2,0 +5 @@\n+e",
        ];
        assert_eq!(resolve(diffs).program(), "a\nb\nc\nd\ne");
    }

    #[test]
    fn applies_deletions_and_context() {
        let diffs = [
            "@@ -0,0 +1,3 @@\n+a\n+b\n+c",
            "@@ -1,2 +1,2 @@\n a\n-b\n+B\n c",
        ];
        let resolved = resolve(diffs);
        assert_eq!(resolved.program(), "a\nB\nc");
        assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
    }

    #[test]
    fn tolerates_headers_prose_and_bad_numbers() {
        let diffs = [
            "--- a\n+++ b\n@@ -0,0 +1 @@\n+x",
            "Sure! Here is the next step.\n@@ -7,0 +8 @@\n+y",
            "@@ nonsense @@\n+z",
            "no diff at all",
        ];
        let resolved = resolve(diffs);
        assert_eq!(resolved.program(), "x\ny");
        let kinds: Vec<_> = resolved
            .issues
            .iter()
            .map(|issue| (&issue.kind, issue.diff))
            .collect();
        assert!(matches!(kinds[0], (IssueKind::NotInHunk(_), 1)));
        assert!(matches!(
            kinds[1],
            (IssueKind::Clamped { wanted: 7, len: 1 }, 1)
        ));
        assert!(matches!(kinds[2], (IssueKind::BadHeader(_), 2)));
        assert!(matches!(kinds[3], (IssueKind::NotInHunk(_), 3)));
        assert!(matches!(kinds[4], (IssueKind::NoHunk, 3)));
        assert_eq!(resolved.applied, 3);
    }

    #[test]
    fn model_output_splits_on_the_separator() {
        let text = "<|diff|>@@ -0,0 +1 @@\n+a\n<|diff|>@@ -1,0 +2 @@\n+b\n";
        let pieces = split_model_output(text);
        assert_eq!(pieces.len(), 2);
        assert_eq!(resolve(pieces).program(), "a\nb");
        assert_eq!(split_model_output("intro<|diff|>x").len(), 2);
    }

    #[test]
    fn diffs_run_together_without_separators_still_apply() {
        // Three separate insertion diffs, the separators lost.
        let text = "@@ -0,0 +1,2 @@\n+a\n+c\n@@ -1,0 +2 @@\n+b\n@@ -3,0 +4 @@\n+d";
        let resolved = resolve_model_output(text);
        assert_eq!(resolved.program(), "a\nb\nc\nd");
        assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
    }

    #[test]
    fn end_tokens_and_closing_empty_diffs_are_not_edits() {
        let completion = "@@ -0,0 +1 @@\n+a\n<|diff|>@@ -1,0 +2 @@\n+b\n<|diff|>\n<|diff|>";
        for ending in [
            "",
            "<|endoftext|>",
            "</s>",
            " <|im_end|>\n",
            "<｜end▁of▁sentence｜>",
        ] {
            let resolved = resolve_model_output(&format!("{completion}{ending}"));
            assert_eq!(resolved.program(), "a\nb", "{ending:?}");
            assert!(
                resolved.issues.is_empty(),
                "{ending:?}: {:?}",
                resolved.issues
            );
        }
        // An end token glued to the last line is not part of the program.
        let glued = resolve_model_output("@@ -0,0 +1 @@\n+return x<|eot_id|>");
        assert_eq!(glued.program(), "return x");
        assert_eq!(strip_end_tokens("a<|diff|>"), "a<|diff|>");
        assert_eq!(strip_end_tokens("x < y |> z"), "x < y |> z");
    }

    #[test]
    fn a_hunk_line_may_start_with_any_character() {
        // Found by fuzzing: a hunk line starting with a multi-byte character
        // was split at byte 1, inside the character, and panicked.
        let resolved = resolve(["@@ -0,0 +1 @@\néx\n€\n+ok\n+é"]);
        assert_eq!(resolved.program(), "ok\né");
        let skipped: Vec<_> = resolved.issues.iter().map(|issue| &issue.kind).collect();
        assert_eq!(
            skipped,
            [
                &IssueKind::NotInHunk("éx".to_string()),
                &IssueKind::NotInHunk("€".to_string())
            ]
        );
    }

    #[test]
    fn huge_hunk_starts_are_clamped_not_wrapped() {
        // Found by fuzzing: an old-file start near `isize::MAX` (used when
        // the new-file start is unreadable) overflowed when the lines
        // inserted before it were added, and one past it wrapped to a
        // negative start. Both are past the end of the program.
        let resolved = resolve([
            "@@ -0,0 +1 @@\n+a\n@@ -9223372036854775807,0 +? @@\n+b",
            "@@ -18446744073709551615,0 +? @@\n+c",
        ]);
        assert_eq!(resolved.program(), "a\nb\nc");
        let clamped: Vec<_> = resolved.issues.iter().map(|issue| &issue.kind).collect();
        assert_eq!(
            clamped,
            [
                &IssueKind::Clamped {
                    wanted: 9223372036854775808,
                    len: 1
                },
                &IssueKind::Clamped {
                    wanted: usize::MAX,
                    len: 2
                }
            ]
        );
    }

    #[test]
    fn mismatched_deletions_are_reported_not_applied() {
        let resolved = resolve(["@@ -0,0 +1 @@\n+a", "@@ -1 +0,0 @@\n-zzz"]);
        assert_eq!(resolved.program(), "a");
        assert!(matches!(
            resolved.issues[0].kind,
            IssueKind::Mismatch { .. }
        ));
    }
}
