//! Problems in HumanEval's format.

use serde_json::{Map, Value};

/// One problem: a prompt to complete and a test that checks the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub task_id: String,
    pub prompt: String,
    pub entry_point: String,
    pub test: String,
    /// The reference solution (a completion of the prompt), if given.
    pub canonical_solution: Option<String>,
}

impl Problem {
    /// Parses one JSONL row. The error names the missing or malformed field.
    pub fn parse(line: &str) -> Result<Problem, String> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
        let Value::Object(object) = value else {
            return Err("expected a JSON object".to_string());
        };
        let field = |name: &str| string_field(&object, name);
        Ok(Problem {
            task_id: field("task_id")?,
            prompt: field("prompt")?,
            entry_point: field("entry_point")?,
            test: field("test")?,
            canonical_solution: match object.get("canonical_solution") {
                None | Some(Value::Null) => None,
                Some(_) => Some(field("canonical_solution")?),
            },
        })
    }
}

pub(crate) fn string_field(object: &Map<String, Value>, name: &str) -> Result<String, String> {
    match object.get(name) {
        Some(Value::String(text)) => Ok(text.clone()),
        Some(other) => Err(format!("field `{name}` is not a string ({other})")
            .chars()
            .take(200)
            .collect()),
        None => Err(format!("missing field `{name}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_humaneval_rows() {
        let row = r#"{"task_id": "T/0", "prompt": "def f():\n", "entry_point": "f", "test": "def check(c): pass", "canonical_solution": "    return 1\n"}"#;
        let problem = Problem::parse(row).unwrap();
        assert_eq!(problem.entry_point, "f");
        assert_eq!(
            problem.canonical_solution.as_deref(),
            Some("    return 1\n")
        );
    }

    #[test]
    fn names_the_missing_field() {
        let row = r#"{"task_id": "T/0", "prompt": "", "entry_point": "f"}"#;
        assert_eq!(Problem::parse(row).unwrap_err(), "missing field `test`");
        assert!(
            Problem::parse("{")
                .unwrap_err()
                .starts_with("malformed JSON")
        );
        assert!(
            Problem::parse(r#"{"task_id": 3}"#)
                .unwrap_err()
                .contains("`task_id` is not a string")
        );
    }
}
