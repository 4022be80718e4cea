//! Rendering an edit path as insertion diffs.
//!
//! The sampler deletes; training data inserts. Reading the deletions backwards
//! gives program states from the empty program up to the whole one, and each
//! step is rendered as a unified diff with no context lines, in the format of
//! Python's `difflib.unified_diff(..., n=0)` with the two file-header lines
//! dropped: `@@ -9,0 +10 @@` then `+line` for each inserted line.
//!
//! Unlike a textual differ, we know exactly which lines each step inserts, so
//! every diff is insertion-only and replaying them gives the program back.
//! Whitespace-only lines at either end of a state are left out of it (the
//! reference strips states before diffing); they arrive with the first line
//! that follows or precedes them.

use std::fmt::Write;

use crate::program::Program;
use crate::sampler::EditSequence;

/// Renders the insertion diffs that build `program` from nothing, given the
/// deletions the sampler chose. Steps that insert nothing visible are dropped.
pub fn insertion_diffs(program: &Program<'_>, edits: &EditSequence) -> Vec<String> {
    let steps = insertion_steps(program.len(), edits);
    let last_step = edits.len();
    let blank: Vec<bool> = (0..program.len())
        .map(|line| program.is_blank(line))
        .collect();

    let mut diffs = Vec::with_capacity(last_step + 1);
    let mut old_bounds: Option<(usize, usize)> = None;
    for step in 0..=last_step {
        let new_bounds = visible_bounds(&steps, &blank, step);
        let Some((lo, hi)) = new_bounds else {
            continue;
        };
        let in_old = |line: usize| {
            steps[line] < step && old_bounds.is_some_and(|(olo, ohi)| (olo..=ohi).contains(&line))
        };
        let diff = render_step(program, &steps, step, (lo, hi), in_old);
        if !diff.is_empty() {
            diffs.push(diff);
        }
        old_bounds = new_bounds;
    }
    diffs
}

/// The step at which each line is inserted: 0 for lines never deleted, and
/// `m - k + 1` for lines removed by the `k`-th of `m` deletions (1-based).
fn insertion_steps(len: usize, edits: &EditSequence) -> Vec<usize> {
    let mut steps = vec![0; len];
    let total = edits.len();
    for (k, edit) in edits.iter().enumerate() {
        for &line in edit {
            steps[line] = total - k;
        }
    }
    steps
}

/// First and last non-blank line present after `step`.
fn visible_bounds(steps: &[usize], blank: &[bool], step: usize) -> Option<(usize, usize)> {
    let visible = |&line: &usize| steps[line] <= step && !blank[line];
    let lo = (0..steps.len()).find(visible)?;
    let hi = (0..steps.len()).rev().find(visible)?;
    Some((lo, hi))
}

fn render_step(
    program: &Program<'_>,
    steps: &[usize],
    step: usize,
    (lo, hi): (usize, usize),
    in_old: impl Fn(usize) -> bool,
) -> String {
    let mut out = String::new();
    let mut old_pos = 0usize;
    let mut run: Vec<usize> = Vec::new();
    let mut run_old = 0usize;
    let mut run_new = 0usize;
    let present = (lo..=hi).filter(|&line| steps[line] <= step);
    for (new_pos, line) in present.enumerate() {
        if in_old(line) {
            flush_hunk(&mut out, program, &mut run, run_old, run_new);
            old_pos += 1;
        } else {
            if run.is_empty() {
                run_old = old_pos;
                run_new = new_pos;
            }
            run.push(line);
        }
    }
    flush_hunk(&mut out, program, &mut run, run_old, run_new);
    out
}

/// Writes one insertion hunk (`@@ -old,0 +new[,len] @@` and its lines).
fn flush_hunk(
    out: &mut String,
    program: &Program<'_>,
    run: &mut Vec<usize>,
    old_pos: usize,
    new_pos: usize,
) {
    if run.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    // The new range as difflib's `_format_range_unified` writes a non-empty
    // one: `start` alone for one line, else `start,length`.
    let _ = if run.len() == 1 {
        write!(out, "@@ -{old_pos},0 +{} @@", new_pos + 1)
    } else {
        write!(out, "@@ -{old_pos},0 +{},{} @@", new_pos + 1, run.len())
    };
    let length: usize = run.iter().map(|&line| program.line(line).len() + 2).sum();
    out.reserve(length);
    for &line in run.iter() {
        out.push_str("\n+");
        out.push_str(program.line(line));
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diffs(text: &str, edits: &[&[usize]]) -> Vec<String> {
        let program = Program::new(text);
        let edits: EditSequence = edits.iter().map(|edit| edit.to_vec()).collect();
        insertion_diffs(&program, &edits)
    }

    #[test]
    fn single_deletion_gives_two_insertions() {
        // Deleting line 1 first leaves "a\nc"; the path inserts that, then "b".
        let out = diffs("a\nb\nc", &[&[1], &[0, 2]]);
        assert_eq!(out, vec!["@@ -0,0 +1,2 @@\n+a\n+c", "@@ -1,0 +2 @@\n+b"]);
    }

    #[test]
    fn separate_runs_become_separate_hunks() {
        let out = diffs("a\nb\nc\nd\ne", &[&[0, 2, 4], &[1, 3]]);
        assert_eq!(
            out,
            vec![
                "@@ -0,0 +1,2 @@\n+b\n+d",
                "@@ -0,0 +1 @@\n+a\n@@ -1,0 +3 @@\n+c\n@@ -2,0 +5 @@\n+e",
            ]
        );
    }

    #[test]
    fn lines_never_deleted_come_first() {
        let out = diffs("# header\nx = 1", &[&[1]]);
        assert_eq!(
            out,
            vec!["@@ -0,0 +1 @@\n+# header", "@@ -1,0 +2 @@\n+x = 1"]
        );
    }

    #[test]
    fn blank_edges_wait_for_their_neighbours() {
        // Deleting "b" leaves "a\n" whose trailing blank line is not shown;
        // it arrives together with "b".
        let out = diffs("a\n\nb", &[&[2], &[0, 1]]);
        assert_eq!(out, vec!["@@ -0,0 +1 @@\n+a", "@@ -1,0 +2,2 @@\n+\n+b"]);
    }

    #[test]
    fn invisible_steps_are_dropped() {
        let out = diffs("a\n\n", &[&[1, 2], &[0]]);
        assert_eq!(out, vec!["@@ -0,0 +1 @@\n+a"]);
    }
}
