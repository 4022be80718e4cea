//! Problems in HumanEval's format, and HumanEval-X's for C++, Go, Java,
//! JavaScript and Rust (VerilogEval's come from [`crate::verilog`]).

use serde_json::{Map, Value};

/// The language a problem's programs are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    Cpp,
    Go,
    Java,
    JavaScript,
    Rust,
    /// VerilogEval's (System)Verilog, from a dataset folder.
    Verilog,
}

impl Language {
    /// From HumanEval-X's task id prefix (`CPP/0`, `Go/0`, `Java/0`,
    /// `JavaScript/0`, `Rust/0`, `Python/0`); anything else is Python, as
    /// HumanEval's `HumanEval/0` is.
    pub fn of_task(task_id: &str) -> Language {
        match task_id.split('/').next().unwrap_or_default() {
            "CPP" => Language::Cpp,
            "Go" => Language::Go,
            "Java" => Language::Java,
            "JavaScript" => Language::JavaScript,
            "Rust" => Language::Rust,
            _ => Language::Python,
        }
    }

    /// The name `--language` takes.
    pub fn parse(name: &str) -> Option<Language> {
        Some(match name.to_ascii_lowercase().as_str() {
            "python" | "py" => Language::Python,
            "cpp" | "c++" => Language::Cpp,
            "go" => Language::Go,
            "java" => Language::Java,
            "javascript" | "js" => Language::JavaScript,
            "rust" | "rs" => Language::Rust,
            "verilog" | "systemverilog" | "sv" => Language::Verilog,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Cpp => "cpp",
            Language::Go => "go",
            Language::Java => "java",
            Language::JavaScript => "javascript",
            Language::Rust => "rust",
            Language::Verilog => "verilog",
        }
    }
}

/// One problem: a prompt to complete and a test that checks the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub task_id: String,
    pub language: Language,
    pub prompt: String,
    /// Python only (`check(entry_point)`); empty for HumanEval-X's others.
    pub entry_point: String,
    pub test: String,
    /// The reference solution (a completion of the prompt), if given.
    pub canonical_solution: Option<String>,
    /// HumanEval-X: the signature (Rust's programs start with it), Go's
    /// import block (taken out of the prompt) and test header.
    pub declaration: String,
    pub import: String,
    pub test_setup: String,
    /// VerilogEval: the reference design (module `RefModule`) that the
    /// testbench compares the sample with.
    pub reference: String,
}

impl Problem {
    /// Parses one JSONL row. The error names the missing or malformed field.
    pub fn parse(line: &str) -> Result<Problem, String> {
        Problem::parse_as(line, None)
    }

    /// Parses one row, in `language` if given, else the task id's.
    pub fn parse_as(line: &str, language: Option<Language>) -> Result<Problem, String> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
        let Value::Object(object) = value else {
            return Err("expected a JSON object".to_string());
        };
        let field = |name: &str| string_field(&object, name);
        let optional = |name: &str| match object.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(_) => field(name),
        };
        let task_id = field("task_id")?;
        let language = language.unwrap_or_else(|| Language::of_task(&task_id));
        Ok(Problem {
            language,
            entry_point: if language == Language::Python {
                field("entry_point")?
            } else {
                optional("entry_point")?
            },
            declaration: optional("declaration")?,
            import: optional("import")?,
            test_setup: optional("test_setup")?,
            reference: String::new(),
            task_id,
            prompt: field("prompt")?,
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
        assert_eq!(problem.language, Language::Python);
        assert_eq!(
            problem.canonical_solution.as_deref(),
            Some("    return 1\n")
        );
        let row = r#"{"task_id": "CPP/0", "prompt": "int f(){", "test": "int main(){}", "declaration": "int f(){"}"#;
        let problem = Problem::parse(row).unwrap();
        assert_eq!(
            (problem.language, problem.entry_point.as_str()),
            (Language::Cpp, "")
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
