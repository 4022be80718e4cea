//! Project-level Java in JavaBench's style: its data (task rows, test rows,
//! samples), how a sample becomes a class file, the "completion" check, the
//! evaluation units of its class-wise and test-wise modes, its result
//! records and its metrics. No I/O and no execution: the sandbox crate
//! runs the units (`lintseq_sandbox::java_project`).
//!
//! Everything here follows JavaBench's evaluation as `docs/javabench.md`
//! describes it, quirks included where they change a verdict:
//!
//! - the code of a sample is the first ```` ```java ```` block, or nothing;
//! - a class file is the skeleton's text up to its first `public` followed
//!   by the code from its first `public` (the sample's package and imports
//!   are dropped); without a `public` on either side nothing is written;
//! - test-wise evaluation reuses one project per test across sample
//!   indices, so a sample that cannot replace its class leaves the file the
//!   previous index wrote (or the solution's);
//! - "has TODO" compares method bodies with character counts after slicing
//!   the text at tree-sitter's byte offsets, as the reference does with
//!   Python strings (the same as bytes for ASCII text);
//! - pass metrics give partial credit (passed tests over tests) and feed the
//!   fractional count to the unbiased estimator as numpy does.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A task row (`datasets/<context>/data-PAxx.jsonl`).
#[derive(Clone, Debug, Deserialize)]
pub struct Task {
    pub task_id: String,
    /// The class file, relative to `src/main/java/`.
    pub target: String,
    /// The skeleton in a Markdown fence.
    #[serde(default)]
    pub code: String,
}

/// A test row (`datasets/testcase/test-PAxx.jsonl`).
#[derive(Clone, Debug, Deserialize)]
pub struct TestRow {
    pub test_id: String,
    /// The test class's fully qualified name.
    pub target: String,
    #[serde(default)]
    pub parents: Vec<String>,
    /// Fully qualified names of the task classes the test depends on.
    pub full_deps: Vec<String>,
    #[serde(default)]
    pub incremental_deps: Vec<String>,
}

/// A sample row (`output/.../samples.jsonl`).
#[derive(Clone, Debug, Deserialize)]
pub struct Sample {
    pub task_id: String,
    pub target: String,
    /// The model's answer, Markdown and all.
    pub completion: String,
}

/// A row that could not be read, named by file line and field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads JSONL rows of `T`, skipping blank lines as JavaBench's reader
/// does. Each error names the line and, where serde says so, the field.
pub fn read_rows<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>, RowError> {
    let mut rows = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(line) {
            Ok(row) => rows.push(row),
            Err(error) => {
                return Err(RowError {
                    line: index + 1,
                    message: error.to_string(),
                });
            }
        }
    }
    Ok(rows)
}

/// The code of a model's answer: the text of its first ```` ```java ````
/// block (after the fence's newline, up to the next ```` ``` ````), or
/// `None` when there is no such block.
pub fn extract_code(completion: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(found) = completion[from..].find("```java") {
        let start = from + found + "```java".len();
        let rest = &completion[start..];
        let body = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .map(|body| (start + rest.len() - body.len(), body));
        if let Some((offset, body)) = body {
            return body
                .find("```")
                .map(|end| &completion[offset..offset + end]);
        }
        from = start;
    }
    None
}

/// The dotted class name of a target (`game/map/Map.java` → `game.map.Map`):
/// the text before its first `.`, with `/` as `.`.
pub fn class_name(target: &str) -> String {
    target.split('.').next().unwrap_or("").replace('/', ".")
}

/// What putting one sample in place of its class gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    /// The new class file; `None` when the sample cannot replace the class
    /// (no `public` in the skeleton or in the sample's code).
    pub file: Option<String>,
    /// A method the skeleton leaves to do still has its `TODO` and has
    /// barely grown (false when the file cannot be replaced).
    pub has_todo: bool,
}

impl Replacement {
    pub fn can_replace(&self) -> bool {
        self.file.is_some()
    }
}

/// Splices a sample's answer into the skeleton of its class.
pub fn replace(skeleton: &str, completion: &str) -> Replacement {
    let code = extract_code(completion).unwrap_or("");
    match (skeleton.find("public"), code.find("public")) {
        (Some(i), Some(j)) => Replacement {
            file: Some(format!("{}{}", &skeleton[..i], &code[j..])),
            has_todo: has_todo(skeleton, code),
        },
        _ => Replacement {
            file: None,
            has_todo: false,
        },
    }
}

/// A method or constructor with a body that holds a `//` comment
/// mentioning `TODO`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TodoMethod {
    name: String,
    /// Its index among the declarations of that name, in source order
    /// (those without a body count too).
    seq: usize,
    /// Byte offsets of its body, braces included.
    body: (usize, usize),
}

fn todo_methods(source: &str) -> Vec<TodoMethod> {
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_java::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let Some(tree) = parser.parse(source, None) else {
        return Vec::new();
    };
    let mut seqs: BTreeMap<String, usize> = BTreeMap::new();
    let mut found = Vec::new();
    // Pre-order, as a query's captures come.
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if matches!(
            node.kind(),
            "method_declaration" | "constructor_declaration"
        ) {
            let name = node
                .child_by_field_name("name")
                .and_then(|n| n.utf8_text(source.as_bytes()).ok())
                .unwrap_or("")
                .to_owned();
            let seq = seqs.entry(name.clone()).or_insert(0);
            let this = *seq;
            *seq += 1;
            if let Some(body) = node.child_by_field_name("body")
                && mentions_todo(node, source)
            {
                found.push(TodoMethod {
                    name,
                    seq: this,
                    body: (body.start_byte(), body.end_byte()),
                });
            }
        }
        let children: Vec<_> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    found
}

fn mentions_todo(node: tree_sitter::Node<'_>, source: &str) -> bool {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if node.kind() == "line_comment"
            && node
                .utf8_text(source.as_bytes())
                .is_ok_and(|t| t.contains("TODO"))
        {
            return true;
        }
        stack.extend(node.children(&mut cursor));
    }
    false
}

/// The characters of `text` from index `start` to `end`: the reference
/// slices a Python string with tree-sitter's byte offsets.
fn char_slice(text: &str, (start, end): (usize, usize)) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

fn without_comment_lines(body: &str) -> usize {
    body.split('\n')
        .filter(|line| !line.trim().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
        .chars()
        .count()
}

/// JavaBench's laziness check: some method of the skeleton with a `TODO`
/// still has one in the code (same name, same index among its namesakes)
/// and its body, without `//` comment lines, grew by fewer than 10
/// characters.
pub fn has_todo(skeleton: &str, code: &str) -> bool {
    let wanted = todo_methods(skeleton);
    if wanted.is_empty() {
        return false;
    }
    let left = todo_methods(code);
    wanted.iter().any(|tm| {
        left.iter()
            .rfind(|cm| cm.name == tm.name && cm.seq == tm.seq)
            .is_some_and(|cm| {
                let before = without_comment_lines(&char_slice(skeleton, tm.body));
                let after = without_comment_lines(&char_slice(code, cm.body));
                (after as i64) - (before as i64) < 10
            })
    })
}

/// Which tests a unit runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selection {
    /// Every test class of the solution (class-wise).
    All,
    /// One test class, by its fully qualified name (test-wise).
    Class(String),
}

/// One compile-and-test run: the solution with some class files replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Target (relative to `src/main/java/`) → new contents.
    pub files: BTreeMap<String, String>,
    pub selection: Selection,
    pub has_todo: bool,
    pub can_replace: bool,
}

/// What running a unit gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunResult {
    /// javac's error count over main and test sources (0: it compiled).
    pub compile_errors: u64,
    /// Tests passed and tests run, when it compiled.
    pub passed: u64,
    pub total: u64,
}

/// Class-wise: one unit per sample, in sample order; only its class is
/// replaced and the whole suite runs. `skeleton` gives a target's skeleton
/// file.
pub fn class_wise_units<'a>(
    samples: &[Sample],
    skeleton: impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<Unit>, String> {
    samples
        .iter()
        .enumerate()
        .map(|(index, sample)| {
            let base = skeleton(&sample.target).ok_or_else(|| {
                format!(
                    "sample {} ({}): target {:?} is not a class of the skeleton",
                    index + 1,
                    sample.task_id,
                    sample.target
                )
            })?;
            let replacement = replace(base, &sample.completion);
            let mut files = BTreeMap::new();
            if let Some(file) = &replacement.file {
                files.insert(sample.target.clone(), file.clone());
            }
            Ok(Unit {
                files,
                selection: Selection::All,
                has_todo: replacement.has_todo,
                can_replace: replacement.can_replace(),
            })
        })
        .collect()
}

/// Test-wise: for each test row and each sample index k below the smallest
/// number of samples any class has, every class the test depends on is
/// replaced by its k-th sample (in file order) and that test class runs.
/// Returns the units by test, in test-row order.
pub fn test_wise_units<'a>(
    samples: &[Sample],
    tests: &[TestRow],
    skeleton: impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<(String, Vec<Unit>)>, String> {
    let groups = group_by_class(samples);
    let max_k = groups.values().map(Vec::len).min().unwrap_or(0);
    let mut out = Vec::with_capacity(tests.len());
    for (row, test) in tests.iter().enumerate() {
        let mut current: BTreeMap<String, String> = BTreeMap::new();
        let mut units = Vec::with_capacity(max_k);
        let deps: Vec<&Vec<&Sample>> = test
            .full_deps
            .iter()
            .map(|dep| {
                groups.get(dep).ok_or_else(|| {
                    format!(
                        "test row {} ({}): full_deps names {dep}, which has no samples",
                        row + 1,
                        test.test_id
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        for k in 0..max_k {
            let (has_todo, can_replace) =
                replace_kth(deps.iter().map(|group| group[k]), &skeleton, &mut current)?;
            units.push(Unit {
                files: current.clone(),
                selection: Selection::Class(test.target.clone()),
                has_todo,
                can_replace,
            });
        }
        out.push((test.test_id.clone(), units));
    }
    Ok(out)
}

/// Samples grouped by the class they target.
fn group_by_class(samples: &[Sample]) -> BTreeMap<String, Vec<&Sample>> {
    let mut groups: BTreeMap<String, Vec<&Sample>> = BTreeMap::new();
    for sample in samples {
        groups
            .entry(class_name(&sample.target))
            .or_default()
            .push(sample);
    }
    groups
}

/// Splices each sample into its skeleton class and records the result in
/// `current` (a sample that cannot be spliced leaves the previous file).
/// Returns whether any TODO is left and whether every sample was spliced.
fn replace_kth<'a, 's>(
    samples: impl Iterator<Item = &'s Sample>,
    skeleton: &impl Fn(&str) -> Option<&'a str>,
    current: &mut BTreeMap<String, String>,
) -> Result<(bool, bool), String> {
    let mut has_todo = false;
    let mut can_replace = true;
    for sample in samples {
        let base = skeleton(&sample.target).ok_or_else(|| {
            format!(
                "sample of {}: target {:?} is not a class of the skeleton",
                sample.task_id, sample.target
            )
        })?;
        let replacement = replace(base, &sample.completion);
        has_todo |= replacement.has_todo;
        can_replace &= replacement.can_replace();
        if let Some(file) = replacement.file {
            current.insert(sample.target.clone(), file);
        }
    }
    Ok((has_todo, can_replace))
}

/// Project-wise: for each sample index k, every class is replaced by its
/// k-th sample (one project reused across k, as JavaBench's is) and the
/// whole suite runs.
pub fn project_wise_units<'a>(
    samples: &[Sample],
    skeleton: impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<Unit>, String> {
    let groups = group_by_class(samples);
    let max_k = groups.values().map(Vec::len).min().unwrap_or(0);
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    let mut units = Vec::with_capacity(max_k);
    for k in 0..max_k {
        let (has_todo, can_replace) = replace_kth(
            groups.values().map(|group| group[k]),
            &skeleton,
            &mut current,
        )?;
        units.push(Unit {
            files: current.clone(),
            selection: Selection::All,
            has_todo,
            can_replace,
        });
    }
    Ok(units)
}

/// A project-wise record, as `project_wise.json` has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectRecord {
    pub compile_error: u64,
    pub n_pass: [u64; 2],
    pub has_todo: bool,
    pub can_replace: bool,
}

/// `[passed, total]`, or `[0, 0]` when the unit did not compile.
fn pass_counts(run: &RunResult) -> [u64; 2] {
    if run.compile_errors == 0 {
        [run.passed, run.total]
    } else {
        [0, 0]
    }
}

pub fn project_record(unit: &Unit, run: &RunResult) -> ProjectRecord {
    ProjectRecord {
        compile_error: run.compile_errors,
        n_pass: pass_counts(run),
        has_todo: unit.has_todo,
        can_replace: unit.can_replace,
    }
}

/// A class-wise record, as `single_class.json` has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassRecord {
    pub task_id: String,
    pub compile_errors: u64,
    pub test_result: [u64; 2],
    pub has_todo: bool,
    pub can_replace: bool,
}

/// A test-wise record, as `result-full.json` has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestRecord {
    pub test_id: String,
    pub compilable: bool,
    pub n_pass: [u64; 2],
    pub has_todo: bool,
    pub can_replace: bool,
}

pub fn class_record(task_id: &str, unit: &Unit, run: &RunResult) -> ClassRecord {
    ClassRecord {
        task_id: task_id.to_owned(),
        compile_errors: run.compile_errors,
        test_result: pass_counts(run),
        has_todo: unit.has_todo,
        can_replace: unit.can_replace,
    }
}

pub fn test_record(test_id: &str, unit: &Unit, run: &RunResult) -> TestRecord {
    TestRecord {
        test_id: test_id.to_owned(),
        compilable: run.compile_errors == 0,
        n_pass: pass_counts(run),
        has_todo: unit.has_todo,
        can_replace: unit.can_replace,
    }
}

/// The unbiased pass@k estimator for a real-valued count `c`, computed as
/// numpy computes `1 - prod(1 - k / arange(n - c + 1, n + 1))`.
pub fn estimate(n: u64, c: f64, k: u64) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    if nf - c < kf {
        return 1.0;
    }
    let start = nf - c + 1.0;
    let len = ((nf + 1.0) - start).ceil().max(0.0) as u64;
    let mut product = 1.0;
    for i in 0..len {
        product *= 1.0 - kf / (start + i as f64);
    }
    1.0 - product
}

/// JavaBench's metrics at each k from 1 to n: the mean over classes
/// (completion, class-wise) or tests (test-wise) of the estimate, where a
/// record counts only when its sample could replace its class and left no
/// TODO.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Records used per class or test (the first `n` of each).
    pub n: u64,
    pub completion: BTreeMap<u64, f64>,
    pub compilation_class: BTreeMap<u64, f64>,
    pub pass_class: BTreeMap<u64, f64>,
    pub compilation_test: BTreeMap<u64, f64>,
    pub pass_test: BTreeMap<u64, f64>,
    /// Project-wise (one key, the project), when it ran.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub compilation_project: BTreeMap<u64, f64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_project: BTreeMap<u64, f64>,
    pub classes: usize,
    pub tests: usize,
}

fn ratio(passed: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        passed as f64 / total as f64
    }
}

fn mean_estimates(counts: &[f64], n: u64) -> BTreeMap<u64, f64> {
    (1..=n)
        .map(|k| {
            let mean = if counts.is_empty() {
                0.0
            } else {
                counts.iter().map(|&c| estimate(n, c, k)).sum::<f64>() / counts.len() as f64
            };
            (k, mean)
        })
        .collect()
}

/// The metrics of a run. `n` defaults to the fewest records any key has.
pub fn metrics(
    classes: &[ClassRecord],
    tests: &[(String, Vec<TestRecord>)],
    project: &[ProjectRecord],
    n: Option<u64>,
) -> Metrics {
    let mut by_class: BTreeMap<&str, Vec<&ClassRecord>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for record in classes {
        let entry = by_class.entry(&record.task_id).or_default();
        if entry.is_empty() {
            order.push(&record.task_id);
        }
        entry.push(record);
    }
    let fewest = by_class
        .values()
        .map(Vec::len)
        .chain(tests.iter().map(|(_, r)| r.len()))
        .chain((!project.is_empty()).then_some(project.len()))
        .min()
        .unwrap_or(0) as u64;
    let n = n.unwrap_or(fewest).max(1);
    let take = usize::try_from(n).unwrap_or(usize::MAX);
    let ok = |can_replace: bool, has_todo: bool| can_replace && !has_todo;
    let (mut completion, mut compilation, mut pass) = (Vec::new(), Vec::new(), Vec::new());
    for key in &order {
        let records = &by_class[key];
        let records = &records[..records.len().min(take)];
        completion.push(
            records
                .iter()
                .filter(|r| ok(r.can_replace, r.has_todo))
                .count() as f64,
        );
        let compiled: Vec<_> = records
            .iter()
            .filter(|r| ok(r.can_replace, r.has_todo) && r.compile_errors == 0)
            .collect();
        compilation.push(compiled.len() as f64);
        pass.push(
            compiled
                .iter()
                .map(|r| ratio(r.test_result[0], r.test_result[1]))
                .sum(),
        );
    }
    let (mut compilation_test, mut pass_test) = (Vec::new(), Vec::new());
    for (_, records) in tests {
        let records = &records[..records.len().min(take)];
        let compiled: Vec<_> = records
            .iter()
            .filter(|r| ok(r.can_replace, r.has_todo) && r.compilable)
            .collect();
        compilation_test.push(compiled.len() as f64);
        pass_test.push(
            compiled
                .iter()
                .map(|r| ratio(r.n_pass[0], r.n_pass[1]))
                .sum(),
        );
    }
    let (mut compilation_project, mut pass_project) = (BTreeMap::new(), BTreeMap::new());
    if !project.is_empty() {
        let records = &project[..project.len().min(take)];
        let compiled: Vec<_> = records
            .iter()
            .filter(|r| ok(r.can_replace, r.has_todo) && r.compile_error == 0)
            .collect();
        compilation_project = mean_estimates(&[compiled.len() as f64], n);
        pass_project = mean_estimates(
            &[compiled
                .iter()
                .map(|r| ratio(r.n_pass[0], r.n_pass[1]))
                .sum()],
            n,
        );
    }
    Metrics {
        n,
        compilation_project,
        pass_project,
        completion: mean_estimates(&completion, n),
        compilation_class: mean_estimates(&compilation, n),
        pass_class: mean_estimates(&pass, n),
        compilation_test: mean_estimates(&compilation_test, n),
        pass_test: mean_estimates(&pass_test, n),
        classes: order.len(),
        tests: tests.len(),
    }
}

/// The task classes in `tasks` that no sample covers (reported, not fatal:
/// they keep the solution's file).
pub fn uncovered(tasks: &[Task], samples: &[Sample]) -> Vec<String> {
    let covered: BTreeSet<&str> = samples.iter().map(|s| s.target.as_str()).collect();
    tasks
        .iter()
        .filter(|t| !covered.contains(t.target.as_str()))
        .map(|t| t.task_id.clone())
        .collect()
}

/// The skeleton text of a task row's `code` (its fence removed).
pub fn skeleton_of(task: &Task) -> Option<&str> {
    task.code
        .strip_prefix("```java\n")
        .and_then(|rest| rest.strip_suffix("\n```\n"))
}

/// Writes a value as Python's `json.dumps(value, indent=4)` does, with a
/// final newline: the layout of JavaBench's result files.
pub fn to_python_json<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKELETON: &str = "package a;\n\nimport java.util.List;\n\n/** A thing. */\npublic class Thing {\n    private int x;\n\n    public Thing(int x) {\n        // TODO\n    }\n\n    public int twice() {\n        // TODO: double it\n        return 0;\n    }\n\n    public int twice(int y) {\n        return 2 * y;\n    }\n}\n";

    #[test]
    fn code_is_the_first_java_block() {
        assert_eq!(
            extract_code("Here:\n```java\nclass A {}\n```\nand ```java\nB\n```"),
            Some("class A {}\n")
        );
        assert_eq!(extract_code("```java\r\nX\n```"), Some("X\n"));
        assert_eq!(extract_code("```Java\nX\n```"), None);
        assert_eq!(extract_code("```\nX\n```"), None);
        assert_eq!(
            extract_code("```javascript\nX\n```\n```java\nY```"),
            Some("Y")
        );
        assert_eq!(extract_code("```java\nno end"), None);
        assert_eq!(extract_code("```java X\n```"), None);
    }

    #[test]
    fn the_skeleton_header_is_kept_and_the_sample_header_dropped() {
        let sample = "```java\npackage b;\nimport x.Y;\npublic class Thing { public Thing(int x) { this.x = x; } }\n```";
        let r = replace(SKELETON, sample);
        let file = r.file.expect("replaceable");
        assert!(file.starts_with("package a;\n\nimport java.util.List;\n\n/** A thing. */\npublic class Thing { public Thing"));
        assert!(!file.contains("import x.Y"));
        assert!(!replace(SKELETON, "no fence").can_replace());
        assert!(!replace(SKELETON, "```java\nclass Thing {}\n```").can_replace());
    }

    #[test]
    fn a_todo_left_in_a_barely_grown_body_is_lazy() {
        let done = SKELETON
            .replace("        // TODO\n", "        this.x = x;\n")
            .replace(
                "        // TODO: double it\n        return 0;",
                "        return 2 * x;",
            );
        assert!(!has_todo(SKELETON, &done));
        // The constructor's TODO is left and the body did not grow.
        let lazy = SKELETON.replace(
            "        // TODO: double it\n        return 0;",
            "        return 2 * x;",
        );
        assert!(has_todo(SKELETON, &lazy));
        // A TODO left in a body that grew by 10 characters or more counts as done.
        let grown = SKELETON.replace(
            "        // TODO\n",
            "        // TODO\n        this.x = x + 0 + 0;\n",
        );
        let grown = grown.replace(
            "        // TODO: double it\n        return 0;",
            "        return 2 * x;",
        );
        assert!(!has_todo(SKELETON, &grown));
        // The TODO comment removed, body empty: done.
        let empty = SKELETON
            .replace("        // TODO\n", "")
            .replace("// TODO: double it", "");
        assert!(!has_todo(SKELETON, &empty));
    }

    #[test]
    fn methods_are_matched_by_name_and_index_among_namesakes() {
        // The second `twice` keeps a TODO; the skeleton's TODO is in the first.
        let code = "public class Thing {\n  public Thing(int x) { this.x = x; this.y = 1; }\n  public int twice() { return 2 * x + 0 + 0; }\n  public int twice(int y) {\n    // TODO\n    return 0;\n  }\n}\n";
        assert!(!has_todo(SKELETON, code));
    }

    #[test]
    fn class_names_drop_the_extension() {
        assert_eq!(class_name("game/map/Map.java"), "game.map.Map");
    }

    #[test]
    fn the_estimator_takes_fractional_counts_as_numpy_does() {
        assert!((estimate(5, 2.5, 1) - 3.0 / 5.5).abs() < 1e-12);
        assert_eq!(estimate(5, 4.2, 1), 1.0);
        assert!((estimate(5, 2.0, 1) - 0.4).abs() < 1e-12);
        assert!((estimate(5, 2.0, 2) - 0.7).abs() < 1e-12);
        assert_eq!(estimate(5, 0.0, 3), 0.0);
    }

    fn sample(target: &str, completion: &str) -> Sample {
        Sample {
            task_id: format!("P/{target}"),
            target: target.to_owned(),
            completion: completion.to_owned(),
        }
    }

    #[test]
    fn test_wise_keeps_the_previous_file_when_a_sample_cannot_replace() {
        let skeleton = |_: &str| Some("public class A {}\n");
        let samples = vec![
            sample("a/A.java", "```java\npublic class A { int v = 1; }\n```"),
            sample("a/A.java", "nothing"),
            sample("a/B.java", "```java\npublic class B {}\n```"),
            sample("a/B.java", "```java\npublic class B {}\n```"),
        ];
        let tests = vec![TestRow {
            test_id: "P/ATest".into(),
            target: "a.ATest".into(),
            parents: vec![],
            full_deps: vec!["a.A".into()],
            incremental_deps: vec![],
        }];
        let units = test_wise_units(&samples, &tests, skeleton).unwrap();
        let units = &units[0].1;
        assert_eq!(units.len(), 2);
        assert!(units[0].can_replace && !units[1].can_replace);
        assert_eq!(units[0].files, units[1].files);
        let missing = TestRow {
            full_deps: vec!["a.C".into()],
            ..tests[0].clone()
        };
        let error = test_wise_units(&samples, &[missing], skeleton).unwrap_err();
        assert!(
            error.contains("test row 1 (P/ATest)") && error.contains("a.C"),
            "{error}"
        );
    }

    #[test]
    fn metrics_give_partial_credit_and_need_a_clean_replacement() {
        let rec = |id: &str, errors, passed, total, todo, replace| ClassRecord {
            task_id: id.to_owned(),
            compile_errors: errors,
            test_result: [passed, total],
            has_todo: todo,
            can_replace: replace,
        };
        let classes = vec![
            rec("A", 0, 5, 10, false, true),
            rec("A", 0, 10, 10, false, true),
            rec("B", 2, 0, 0, false, true),
            rec("B", 0, 10, 10, true, true),
        ];
        let m = metrics(&classes, &[], &[], None);
        assert_eq!(m.n, 2);
        // A: 2 of 2; B: 1 of 2 (the compile error still completed the class).
        assert!((m.completion[&1] - (1.0 + 0.5) / 2.0).abs() < 1e-12);
        assert!((m.compilation_class[&1] - (1.0 + 0.0) / 2.0).abs() < 1e-12);
        // A: c = 1.5 and n - c < k, so 1.0 (numpy's shortcut on the real count).
        assert!((m.pass_class[&1] - 1.0 / 2.0).abs() < 1e-12);
        let m = metrics(&classes, &[], &[], Some(3));
        // n = 3, A: c = 1.5: 1 - (1 - 1/2.5)(1 - 1/3.5) = 4/7.
        assert!((m.pass_class[&1] - (1.0 - 0.6 * (2.5 / 3.5)) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn results_are_written_as_python_writes_them() {
        let record = TestRecord {
            test_id: "P/T".into(),
            compilable: true,
            n_pass: [1, 2],
            has_todo: false,
            can_replace: true,
        };
        assert_eq!(
            to_python_json(&vec![record]),
            "[\n    {\n        \"test_id\": \"P/T\",\n        \"compilable\": true,\n        \"n_pass\": [\n            1,\n            2\n        ],\n        \"has_todo\": false,\n        \"can_replace\": true\n    }\n]\n"
        );
    }
}
