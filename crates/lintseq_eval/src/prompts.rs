//! Prompts for VerilogEval v2, laid out as its `sv-generate` lays them out:
//! a system message, then a user message of in-context examples (0 to 4
//! shots, from the benchmark's example prefixes) followed by the problem.
//!
//! - spec-to-rtl: `"\nQuestion:\n"`, the specification (stripped), the
//!   optional rules, the instruction to answer between `[BEGIN]` and
//!   `[DONE]` (unless explanations are allowed), then `"\nAnswer:\n"`;
//! - code completion: a one-line instruction comment, then the problem with
//!   every line before `module TopModule` commented out (`// `) and an
//!   empty line before the interface.

use std::path::{Path, PathBuf};

use crate::problem::Problem;
use crate::verilog::Task;

const CODE_COMPLETE_SYSTEM: &str = "\nYou only complete chats with syntax correct Verilog code. End the Verilog module code completion with 'endmodule'. Do not include module, input and output definitions.\n";

const CODE_COMPLETE_PREFIX: &str = "\n// Implement the Verilog module based on the following description. Assume that signals are positive clock/clk triggered unless otherwise stated.\n";

const SPEC_TO_RTL_SYSTEM: &str =
    "\nYou are a Verilog RTL designer that only writes code using correct Verilog syntax.\n";

const RULES: &str = "
Here are some additional rules and coding conventions.

 - Declare all ports and signals as logic; do not to use wire or reg.

 - For combinational logic with an always block do not explicitly specify
   the sensitivity list; instead use always @(*).

 - All sized numeric constants must have a size greater than zero
   (e.g, 0'b0 is not a valid expression).

 - An always block must read at least one signal otherwise it will never
   be executed; use an assign statement instead of an always block in
   situations where there is no need to read any signals.

 - if the module uses a synchronous reset signal, this means the reset
   signal is sampled with respect to the clock. When implementing a
   synchronous reset signal, do not include posedge reset in the
   sensitivity list of any sequential always block.
";

const NO_EXPLANATION: &str = "
Enclose your code with [BEGIN] and [DONE]. Only output the code snippet
and do NOT output anything else.
";

/// The most in-context examples the benchmark ships.
pub const MAX_SHOTS: u32 = 4;

/// How to build a prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptOptions {
    pub task: Task,
    /// In-context examples, 0 to [`MAX_SHOTS`].
    pub shots: u32,
    /// spec-to-rtl: add the coding rules.
    pub rules: bool,
    /// spec-to-rtl: let the model explain (no `[BEGIN]`/`[DONE]` instruction).
    pub explain: bool,
}

/// A system message and a user message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

/// The example prefix file for `shots` examples of `task`, in `dir` (the
/// benchmark's `scripts/`, or the shared datasets' `prompt-examples/`).
pub fn examples_file(dir: &Path, task: Task, shots: u32) -> PathBuf {
    dir.join(format!(
        "verilog-example-prefix_{}_{shots}-shot.txt",
        task.as_str()
    ))
}

/// Where a dataset folder's example prefixes are: `prompt-examples/` beside
/// it, or `scripts/` beside it (a VerilogEval checkout).
pub fn examples_dir_beside(dataset: &Path) -> Option<PathBuf> {
    let parent = dataset.parent()?;
    ["prompt-examples", "scripts"]
        .iter()
        .map(|name| parent.join(name))
        .find(|dir| dir.is_dir())
}

/// The prompt for `problem`; `examples` is the example prefix's text (empty
/// for 0 shots).
pub fn prompt(problem: &Problem, options: &PromptOptions, examples: &str) -> Prompt {
    let mut user = String::from(examples);
    let system = match options.task {
        Task::CodeComplete => {
            user.push_str(CODE_COMPLETE_PREFIX);
            let mut lines = Vec::new();
            let mut commented = true;
            for line in problem.prompt.lines() {
                if line.contains("module TopModule") {
                    lines.push(String::new());
                    commented = false;
                }
                lines.push(if commented {
                    format!("// {line}")
                } else {
                    line.to_owned()
                });
            }
            user.push_str(&lines.join("\n"));
            CODE_COMPLETE_SYSTEM
        }
        Task::SpecToRtl => {
            user.push_str("\nQuestion:\n");
            user.push_str(problem.prompt.trim());
            user.push('\n');
            if options.rules {
                user.push_str(RULES);
            }
            if !options.explain {
                user.truncate(user.trim_end().len());
                user.push('\n');
                user.push_str(NO_EXPLANATION);
            }
            user.push_str("\nAnswer:\n");
            SPEC_TO_RTL_SYSTEM
        }
    };
    Prompt {
        system: system.to_owned(),
        user,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Language;

    fn problem(prompt: &str) -> Problem {
        Problem {
            task_id: "Prob001_zero".into(),
            language: Language::Verilog,
            prompt: prompt.into(),
            entry_point: String::new(),
            test: String::new(),
            canonical_solution: None,
            declaration: String::new(),
            import: String::new(),
            test_setup: String::new(),
            reference: String::new(),
        }
    }

    #[test]
    fn spec_to_rtl_is_question_then_answer() {
        let options = PromptOptions {
            task: Task::SpecToRtl,
            shots: 0,
            rules: false,
            explain: false,
        };
        let p = prompt(&problem("\nBuild a zero.\n\n"), &options, "");
        assert_eq!(p.system, SPEC_TO_RTL_SYSTEM);
        assert_eq!(
            p.user,
            "\nQuestion:\nBuild a zero.\n\nEnclose your code with [BEGIN] and [DONE]. Only output the code snippet\nand do NOT output anything else.\n\nAnswer:\n"
        );
        let explained = prompt(
            &problem("Build a zero."),
            &PromptOptions {
                explain: true,
                rules: true,
                ..options
            },
            "EXAMPLES",
        );
        assert!(
            explained
                .user
                .starts_with("EXAMPLES\nQuestion:\nBuild a zero.\n\nHere are some")
        );
        assert!(
            explained
                .user
                .ends_with("sequential always block.\n\nAnswer:\n")
        );
    }

    #[test]
    fn code_completion_comments_out_the_description() {
        let options = PromptOptions {
            task: Task::CodeComplete,
            shots: 0,
            rules: false,
            explain: false,
        };
        let p = prompt(
            &problem("\nBuild a zero.\n\nmodule TopModule (\n  output zero\n);\n"),
            &options,
            "",
        );
        assert_eq!(p.system, CODE_COMPLETE_SYSTEM);
        assert_eq!(
            p.user,
            format!(
                "{CODE_COMPLETE_PREFIX}// \n// Build a zero.\n// \n\nmodule TopModule (\n  output zero\n);"
            )
        );
    }
}
