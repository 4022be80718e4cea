//! Backward sampling: the search for a sequence of error-free deletions.
//!
//! Starting from the whole program, repeatedly pick a remaining candidate line
//! (weighted towards deeper indentation), delete it together with its
//! children, and ask the checker about what is left. While the checker reports
//! errors, delete the lines it blames (and their children) too. Each round's
//! deletions form one edit; read backwards, the edits are insertions that grow
//! the empty program into the original with no error-carrying state between.
//!
//! With the default options (one child per round, top-k 1, population 1) this
//! is the algorithm used for all of the LintSeq paper's data. Wider settings
//! turn it into the reference's small evolutionary tree search.

use std::collections::HashSet;

use crate::checker::{Checker, Diagnostic};
use crate::program::{CandidateRules, Program};
use crate::rng::PathRng;

/// The deletions of one edit path, in the order they were sampled. Each edit
/// lists the original line indices it removed, sorted.
pub type EditSequence = Vec<Vec<usize>>;

/// The sampler's knobs; [`Default`] gives pylintseq's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct SamplerOptions {
    /// Candidate lines sampled from each branch per round.
    pub children_per_round: usize,
    /// Children kept per branch, preferring those whose deletion the checker
    /// objected to most.
    pub top_k: usize,
    /// Number of finished edit paths to collect; the best one is returned.
    pub population: usize,
    /// Maximum number of rounds. Lines still present after the last round are
    /// inserted by the first edit.
    pub max_depth: usize,
    /// Depth bias of the sampling weights; `None` samples uniformly.
    pub indent_bias: Option<f64>,
    /// Which lines may be sampled.
    pub rules: CandidateRules,
    /// Keep errors the original program already has instead of deleting the
    /// lines they point at in the first round.
    pub ignore_init_errors: bool,
}

impl Default for SamplerOptions {
    fn default() -> Self {
        Self {
            children_per_round: 1,
            top_k: 1,
            population: 1,
            max_depth: 512,
            indent_bias: Some(1.0),
            rules: CandidateRules::default(),
            ignore_init_errors: false,
        }
    }
}

/// Why no edit path could be sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error("the program has no lines that can be sampled (empty, or only comments)")]
    NoCandidates,
}

/// A partial edit path in the search.
#[derive(Clone, Debug)]
struct Branch {
    edits: EditSequence,
    /// Candidate lines not deleted yet.
    remaining: Vec<usize>,
    /// Every line deleted so far.
    deleted: Vec<bool>,
}

impl Branch {
    /// The branch with one more edit, which deletes `edit`'s lines.
    fn extended(mut self, edit: Vec<usize>) -> Self {
        for &line in &edit {
            self.deleted[line] = true;
        }
        let deleted = &self.deleted;
        self.remaining.retain(|&line| !deleted[line]);
        self.edits.push(edit);
        self
    }
}

/// Samples one edit path for `program` (the best of the population).
pub fn sample(
    program: &Program<'_>,
    checker: &dyn Checker,
    options: &SamplerOptions,
    rng: &mut PathRng,
) -> Result<EditSequence, SampleError> {
    let candidates = program.candidates(options.rules);
    let weights: Vec<f64> = (0..program.len())
        .map(|i| program.weight(i, options.indent_bias))
        .collect();
    if !candidates.iter().any(|&i| weights[i] > 0.0) {
        return Err(SampleError::NoCandidates);
    }
    let mut pruner = Pruner::new(program, checker);
    if options.ignore_init_errors {
        pruner.learn_init_errors();
    }

    let children_per_round = options.children_per_round.max(1);
    let top_k = options.top_k.max(1);
    let population_size = options.population.max(1);
    let mut population: Vec<Branch> = Vec::new();
    let mut branches: Vec<Branch> = Vec::new();
    let mut depth = 0;
    while population.len() < population_size && depth < options.max_depth {
        let parents = if branches.is_empty() {
            vec![Branch {
                edits: Vec::new(),
                remaining: candidates.clone(),
                deleted: vec![false; program.len()],
            }]
        } else {
            std::mem::take(&mut branches)
        };

        let mut next = Vec::new();
        for parent in parents {
            let picks =
                sample_without_replacement(&parent.remaining, &weights, children_per_round, rng);
            let mut children: Vec<(Vec<usize>, usize)> = picks
                .into_iter()
                .map(|line| pruner.induced_deletion(line, &parent.deleted))
                .collect();
            // The reference sorts by objection count ascending (stably) and
            // reverses, so ties keep reverse sampling order.
            children.sort_by_key(|(_, objections)| *objections);
            children.reverse();
            children.truncate(top_k);
            // Each child but the last grows from a copy of the parent; the
            // last takes the parent itself.
            let Some((last, _)) = children.pop() else {
                continue;
            };
            for (edit, _) in children {
                next.push(parent.clone().extended(edit));
            }
            next.push(parent.extended(last));
        }

        for branch in next {
            if branch.remaining.is_empty() {
                population.push(branch);
            } else {
                branches.push(branch);
            }
        }
        if branches.len() >= population_size {
            rng.shuffle(&mut branches);
            branches.truncate((population_size / top_k).max(1));
        }
        depth += 1;
    }

    if population.len() < population_size {
        branches.sort_by_key(|branch| branch.remaining.len());
        let room = population_size - population.len() + 1;
        population.extend(branches.into_iter().take(room));
    }
    population.sort_by_key(|branch| branch.remaining.len());
    Ok(population
        .into_iter()
        .next()
        .map(|branch| branch.edits)
        .unwrap_or_default())
}

/// Draws up to `count` distinct lines from `pool`, each draw in proportion to
/// the remaining lines' weights.
fn sample_without_replacement(
    pool: &[usize],
    weights: &[f64],
    count: usize,
    rng: &mut PathRng,
) -> Vec<usize> {
    let mut pool = pool.to_vec();
    let mut picks = Vec::with_capacity(count.min(pool.len()));
    while picks.len() < count {
        let Some(at) = rng.weighted(pool.iter().map(|&line| weights[line])) else {
            break;
        };
        picks.push(pool.swap_remove(at));
    }
    picks
}

/// Runs the deletion-and-relint loop for one sampled line.
struct Pruner<'p, 'a> {
    program: &'p Program<'a>,
    checker: &'p dyn Checker,
    /// Errors of the original program to disregard, by code and line text.
    init_errors: HashSet<(&'static str, &'a str)>,
    text: String,
    line_map: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl<'p, 'a> Pruner<'p, 'a> {
    fn new(program: &'p Program<'a>, checker: &'p dyn Checker) -> Self {
        Self {
            program,
            checker,
            init_errors: HashSet::new(),
            text: String::new(),
            line_map: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn learn_init_errors(&mut self) {
        let none = vec![false; self.program.len()];
        self.lint(&none);
        self.init_errors = self
            .blamed_lines()
            .map(|(code, line)| (code, self.program.line(line)))
            .collect();
    }

    /// Deletes `line` and its children from the program minus `base`, then
    /// keeps deleting whatever the checker blames until it is satisfied.
    ///
    /// Returns the deleted lines (sorted) and how many objections the checker
    /// raised along the way.
    fn induced_deletion(&mut self, line: usize, base: &[bool]) -> (Vec<usize>, usize) {
        let mut deleted = base.to_vec();
        let mut edit = Vec::new();
        let mut objections = 0;
        self.delete_with_children(line, &mut deleted, &mut edit);
        loop {
            self.lint(&deleted);
            let blamed: Vec<usize> = self.blamed_lines().map(|(_, line)| line).collect();
            if blamed.is_empty() {
                break;
            }
            objections += blamed.len();
            for line in blamed {
                self.delete_with_children(line, &mut deleted, &mut edit);
            }
        }
        edit.sort_unstable();
        (edit, objections)
    }

    fn delete_with_children(&self, line: usize, deleted: &mut [bool], edit: &mut Vec<usize>) {
        if deleted[line] {
            return;
        }
        deleted[line] = true;
        edit.push(line);
        for child in self.program.children(line) {
            if !deleted[child] {
                deleted[child] = true;
                edit.push(child);
            }
        }
    }

    /// Checks the program without the `deleted` lines, as the diffs show it:
    /// whitespace-only lines at either end are left out.
    fn lint(&mut self, deleted: &[bool]) {
        self.text.clear();
        self.line_map.clear();
        let visible = |&index: &usize| !deleted[index] && !self.program.is_blank(index);
        let first = (0..self.program.len()).find(visible);
        let last = (0..self.program.len()).rfind(visible);
        let shown = match (first, last) {
            (Some(first), Some(last)) => first..last + 1,
            _ => 0..0,
        };
        for index in shown {
            if deleted[index] {
                continue;
            }
            let line = self.program.line(index);
            if !self.line_map.is_empty() {
                self.text.push('\n');
            }
            self.text.push_str(line);
            self.line_map.push(index);
        }
        self.diagnostics.clear();
        if !self.line_map.is_empty() {
            self.checker.check(&self.text, &mut self.diagnostics);
        }
    }

    /// The original line each new diagnostic of the last lint points at.
    /// Line numbers outside the text are clamped to its first or last line.
    fn blamed_lines(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        let last = self.line_map.len().saturating_sub(1);
        self.diagnostics.iter().filter_map(move |diagnostic| {
            let at = (diagnostic.line as usize).saturating_sub(1).min(last);
            let line = *self.line_map.get(at)?;
            let known = self
                .init_errors
                .contains(&(diagnostic.code, self.program.line(line)));
            (!known).then_some((diagnostic.code, line))
        })
    }
}

#[cfg(test)]
mod tests;
