//! The resolver on arbitrary model output.
//!
//! Input: bytes, decoded lossily as UTF-8 (model output reaches the resolver
//! as a JSON string or a text file read as UTF-8), stripped of end tokens and
//! split on `<|diff|>` as `lintseq resolve` and `lintseq eval` split it, then
//! replayed.
//!
//! What `resolve.rs` promises, asserted here: resolution never fails or
//! panics; stripping end tokens leaves a prefix and is idempotent;
//! `resolve_model_output` is splitting then resolving; every non-blank piece
//! either counts as applied or gets one `NoHunk` issue (blank ones are the
//! empty closing edits);
//! every issue names a piece and a line within it (0 only for `NoHunk`);
//! `Clamped` is reported only for a start past the end; the program is its
//! lines joined by `\n` and every line came from a `+` line of the input.
//! Then the resolved program, rendered as one insertion diff, resolves back to
//! itself with no issues, and each issue renders as a message.

#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use lintseq_core::resolve::{
    IssueKind, resolve, resolve_model_output, split_model_output, strip_end_tokens,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let stripped = strip_end_tokens(&text);
    assert!(text.starts_with(stripped));
    assert_eq!(strip_end_tokens(stripped), stripped);
    let pieces = split_model_output(&text);
    let resolved = resolve(pieces.iter().copied());
    assert_eq!(resolve_model_output(&text), resolved);

    let no_hunk = resolved
        .issues
        .iter()
        .filter(|issue| issue.kind == IssueKind::NoHunk)
        .count();
    let edits = pieces.iter().filter(|piece| !piece.trim().is_empty());
    assert_eq!(resolved.applied + no_hunk, edits.count());
    let line_counts: Vec<usize> = pieces.iter().map(|p| p.split('\n').count()).collect();
    for issue in &resolved.issues {
        let lines = *line_counts.get(issue.diff).expect("issue names a piece");
        if issue.kind == IssueKind::NoHunk {
            assert_eq!(issue.line, 0);
        } else {
            assert!((1..=lines).contains(&issue.line), "{issue:?}");
        }
        if let IssueKind::Clamped { wanted, len } = issue.kind {
            assert!(wanted > len, "{issue:?}");
        }
        assert!(!issue.to_string().is_empty());
    }

    let added: Vec<&str> = pieces
        .iter()
        .flat_map(|piece| piece.split('\n'))
        .filter_map(|line| line.strip_suffix('\r').unwrap_or(line).strip_prefix('+'))
        .collect();
    assert!(resolved.lines.len() <= added.len());
    let added: HashSet<&str> = added.into_iter().collect();
    for line in &resolved.lines {
        assert!(added.contains(line.as_str()), "{line:?} is no added line");
    }
    assert_eq!(resolved.program(), resolved.lines.join("\n"));

    // A line ending in `\r` cannot be written in a diff the resolver reads
    // (it takes `\r\n` for a line end); our own diffs never hold one, as
    // programs are normalised to `\n` first.
    let representable = resolved.lines.iter().all(|line| !line.ends_with('\r'));
    if representable && !resolved.lines.is_empty() {
        let mut diff = format!("@@ -0,0 +1,{} @@", resolved.lines.len());
        for line in &resolved.lines {
            diff.push_str("\n+");
            diff.push_str(line);
        }
        let again = resolve([diff.as_str()]);
        assert!(again.issues.is_empty(), "{:?}", again.issues);
        assert_eq!(again.lines, resolved.lines);
    }
});
