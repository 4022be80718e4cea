//! VerilogEval v2: problems from a dataset folder, the code a model's
//! answer holds, and the failure classes of its analysis.
//!
//! A dataset folder (`dataset_spec-to-rtl`, `dataset_code-complete-iccad2023`)
//! holds, per problem `ProbNNN_name`, a specification (`_prompt.txt`), a
//! testbench (`_test.sv`, module `tb`), a reference (`_ref.sv`, module
//! `RefModule`) and, for code completion, the module interface (`_ifc.txt`).
//! The harness compiles the sample with the testbench and the reference,
//! simulates, and the sample passes on `Mismatches: 0 in N samples`; every
//! other sample falls into one of the classes below, decided from the
//! compiler's and the simulator's messages the way VerilogEval's
//! `sv-iv-analyze` decides them.

use std::fmt;
use std::path::Path;

use crate::outcome::Status;
use crate::problem::{Language, Problem};

/// Which of VerilogEval's two tasks a dataset folder poses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// A specification in prose; the model writes the whole module.
    SpecToRtl,
    /// The specification as comments above the interface; the model
    /// writes the body.
    CodeComplete,
}

impl Task {
    pub fn of(problem: &Problem) -> Task {
        if problem.declaration.is_empty() {
            Task::SpecToRtl
        } else {
            Task::CodeComplete
        }
    }

    pub fn parse(name: &str) -> Option<Task> {
        match name {
            "spec-to-rtl" => Some(Task::SpecToRtl),
            "code-complete-iccad2023" | "code-complete" => Some(Task::CodeComplete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Task::SpecToRtl => "spec-to-rtl",
            Task::CodeComplete => "code-complete-iccad2023",
        }
    }
}

/// Reads every problem of a dataset folder, in name order. Problems listed
/// by `*_prompt.txt`; one without its testbench or reference is reported
/// in `skipped` with the file it lacks, not loaded.
pub fn load_dataset(dir: &Path) -> Result<(Vec<Problem>, Vec<String>), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix("_prompt.txt").map(str::to_owned)
        })
        .collect();
    stems.sort();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for stem in stems {
        let read = |suffix: &str| {
            let path = dir.join(format!("{stem}{suffix}"));
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let loaded = (|| {
            let prompt = read("_prompt.txt")?;
            let test = read("_test.sv")?;
            let reference = read("_ref.sv")?;
            let interface = match read("_ifc.txt") {
                Ok(text) => text,
                Err(_) if !dir.join(format!("{stem}_ifc.txt")).exists() => String::new(),
                Err(error) => return Err(error),
            };
            Ok::<_, String>(Problem {
                task_id: stem.clone(),
                language: Language::Verilog,
                prompt,
                entry_point: String::new(),
                test,
                canonical_solution: Some(reference.replace("module RefModule", "module TopModule")),
                declaration: interface,
                import: String::new(),
                test_setup: String::new(),
                reference,
            })
        })();
        match loaded {
            Ok(problem) => problems.push(problem),
            Err(reason) => skipped.push(format!("{stem}: {reason}")),
        }
    }
    Ok((problems, skipped))
}

/// The Verilog a model's answer holds, as VerilogEval's `sv-generate`
/// extracts it for the problem's task:
///
/// - spec-to-rtl: the lines between `[BEGIN]` and `[DONE]`; failing that,
///   the first fenced block (```` ``` ````) if there are two fences, else
///   the text from `module TopModule` (when the answer has one) to the
///   first `endmodule`;
/// - code completion: the same fenced block or text, after the module
///   interface when the answer does not write `module TopModule` itself.
pub fn extract(answer: &str, problem: &Problem) -> String {
    let lines: Vec<&str> = answer.lines().collect();
    let mut out = String::from("\n");
    match Task::of(problem) {
        Task::SpecToRtl => {
            if let Some(code) = between_markers(&lines) {
                for line in code {
                    out.push_str(&line);
                    out.push('\n');
                }
            } else {
                fenced_or_module(&lines, &mut out);
            }
        }
        Task::CodeComplete => {
            if !defines_top_module(&lines) {
                out.push_str(&problem.declaration);
                out.push_str("\n\n");
            }
            fenced_or_module(&lines, &mut out);
        }
    }
    out
}

/// `[BEGIN]` ... `[DONE]`, each on its own line or at the start/end of one.
fn between_markers(lines: &[&str]) -> Option<Vec<String>> {
    let mut code = Vec::new();
    let mut started = false;
    for line in lines {
        if !started {
            if line.trim() == "[BEGIN]" {
                started = true;
            } else if line.trim_start().starts_with("[BEGIN]") {
                code.push(line.trim_start().replace("[BEGIN]", ""));
                started = true;
            }
        } else if line.trim() == "[DONE]" {
            return Some(code);
        } else if line.trim_end().ends_with("[DONE]") {
            code.push(line.trim_end().replace("[DONE]", ""));
            return Some(code);
        } else {
            code.push((*line).to_owned());
        }
    }
    None
}

/// Whether the answer declares the module itself (an `endmodule` before
/// any `module TopModule` says it does not: that is code of another module).
fn defines_top_module(lines: &[&str]) -> bool {
    let mut exists = false;
    let mut endmodule_first = false;
    for line in lines {
        if line.starts_with("```") {
        } else if line.starts_with("endmodule") {
            if !exists {
                endmodule_first = true;
            }
        } else if line.starts_with("module TopModule") {
            exists = true;
        }
    }
    exists && !endmodule_first
}

fn fenced_or_module(lines: &[&str], out: &mut String) {
    let fences = lines.iter().filter(|l| l.starts_with("```")).count();
    let module_exists = defines_top_module(lines);
    let (mut first_fence, mut second_fence) = (false, false);
    let (mut found_module, mut found_endmodule) = (false, false);
    for line in lines {
        let mut echo = true;
        if line.trim().starts_with("module TopModule") {
            found_module = true;
        }
        if fences >= 2 {
            if !first_fence || second_fence {
                echo = false;
            }
        } else {
            if found_endmodule {
                echo = false;
            }
            if module_exists && !found_module {
                echo = false;
            }
        }
        if line.starts_with("```") {
            if first_fence {
                second_fence = true;
            } else {
                first_fence = true;
            }
            echo = false;
        } else if line.trim().starts_with("endmodule") {
            found_endmodule = true;
        }
        if echo {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
}

/// Why a sample did not pass, in VerilogEval v2's classes (its analysis
/// script's letter in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureClass {
    /// A syntax error (`S`).
    Syntax,
    /// An assignment that needs an explicit cast (`e`).
    ExplicitCast,
    /// A sized constant of size zero (`0`).
    SizedConstant,
    /// An always block with no sensitivities, which never runs (`n`).
    MissingSensitivity,
    /// A signal declared as a wire but assigned in an always block (`w`).
    WireInAlways,
    /// An instance of an unknown module (`m`).
    UnknownModule,
    /// A wire/reg/memory that cannot be bound (`p`).
    Binding,
    /// The clock cannot be bound (`c`).
    ClockBinding,
    /// Any other compile error (`C`).
    OtherCompile,
    /// The simulation ran past its deadline (`T`).
    Timeout,
    /// A mismatch in a design with an asynchronous reset where the
    /// specification asks for a synchronous one (`r`).
    Reset,
    /// Any other mismatch with the reference (`R`).
    Runtime,
}

impl FailureClass {
    pub const ALL: [FailureClass; 12] = [
        FailureClass::Syntax,
        FailureClass::ExplicitCast,
        FailureClass::SizedConstant,
        FailureClass::MissingSensitivity,
        FailureClass::WireInAlways,
        FailureClass::UnknownModule,
        FailureClass::Binding,
        FailureClass::ClockBinding,
        FailureClass::OtherCompile,
        FailureClass::Timeout,
        FailureClass::Reset,
        FailureClass::Runtime,
    ];

    /// The name results and summaries use.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Syntax => "syntax_error",
            FailureClass::ExplicitCast => "explicit_cast",
            FailureClass::SizedConstant => "sized_constant",
            FailureClass::MissingSensitivity => "missing_sensitivity",
            FailureClass::WireInAlways => "wire_assigned_in_always",
            FailureClass::UnknownModule => "unknown_module",
            FailureClass::Binding => "bad_wire_reg_binding",
            FailureClass::ClockBinding => "clock_binding",
            FailureClass::OtherCompile => "other_compile_error",
            FailureClass::Timeout => "timeout",
            FailureClass::Reset => "reset_behaviour",
            FailureClass::Runtime => "runtime_mismatch",
        }
    }

    /// `sv-iv-analyze`'s letter for the class.
    pub fn letter(self) -> char {
        match self {
            FailureClass::Syntax => 'S',
            FailureClass::ExplicitCast => 'e',
            FailureClass::SizedConstant => '0',
            FailureClass::MissingSensitivity => 'n',
            FailureClass::WireInAlways => 'w',
            FailureClass::UnknownModule => 'm',
            FailureClass::Binding => 'p',
            FailureClass::ClockBinding => 'c',
            FailureClass::OtherCompile => 'C',
            FailureClass::Timeout => 'T',
            FailureClass::Reset => 'r',
            FailureClass::Runtime => 'R',
        }
    }

    /// Whether the class is decided at compile time.
    pub fn is_compile_time(self) -> bool {
        !matches!(
            self,
            FailureClass::Timeout | FailureClass::Reset | FailureClass::Runtime
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            FailureClass::Syntax => "syntax error",
            FailureClass::ExplicitCast => "assignment needs an explicit cast",
            FailureClass::SizedConstant => "sized constant of size zero",
            FailureClass::MissingSensitivity => "always block with no sensitivities",
            FailureClass::WireInAlways => "wire assigned in an always block",
            FailureClass::UnknownModule => "unknown module",
            FailureClass::Binding => "cannot bind a wire/reg",
            FailureClass::ClockBinding => "cannot bind the clock",
            FailureClass::OtherCompile => "compile error",
            FailureClass::Timeout => "simulation timed out",
            FailureClass::Reset => "mismatch (asynchronous reset)",
            FailureClass::Runtime => "mismatch with the reference",
        }
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the harness saw: `log` is the compiler's output, then the
/// simulator's (each with stderr merged into stdout in order), then a
/// `TIMEOUT` line if the simulation ran past its deadline, as VerilogEval's
/// Makefile writes its log; `sample` is the sample's Verilog.
///
/// `None` means the sample passed: no class matched and a line reads
/// `Mismatches: 0 in N samples`. The rules go line by line, in
/// `sv-iv-analyze`'s order: the first line that names a decisive class
/// decides; otherwise an unbindable wire/reg, then any line with `error`,
/// then a zero-mismatch line; otherwise it is a reset or other mismatch,
/// by whether the sample's sensitivity lists have `posedge reset`,
/// `negedge reset` or `posedge r)`.
pub fn classify(log: &str, sample: &str) -> Option<FailureClass> {
    let mut decided = None;
    let (mut any_error, mut binding, mut no_mismatch) = (false, false, false);
    for line in log.lines() {
        if line.contains("syntax error") {
            decided = Some(FailureClass::Syntax);
            break;
        }
        if line.contains("error") {
            any_error = true;
        }
        let decisive = [
            (
                "error: This assignment requires an explicit cast",
                FailureClass::ExplicitCast,
            ),
            (
                "error: Sized numeric constant must have a size greater than zero",
                FailureClass::SizedConstant,
            ),
            (
                "warning: always_comb process has no sensitivities",
                FailureClass::MissingSensitivity,
            ),
            (
                "found no sensitivities so it will never trigger",
                FailureClass::MissingSensitivity,
            ),
            ("is declared here as wire", FailureClass::WireInAlways),
            ("Unknown module type", FailureClass::UnknownModule),
        ];
        if let Some((_, class)) = decisive.iter().find(|(needle, _)| line.contains(needle)) {
            decided = Some(*class);
            break;
        }
        if line.contains("Unable to bind wire/reg") {
            binding = true;
        }
        if line.contains("Unable to bind wire/reg/memory `clk'") {
            decided = Some(FailureClass::ClockBinding);
            break;
        }
        if line.contains("TIMEOUT") {
            decided = Some(FailureClass::Timeout);
            break;
        }
        if mismatches(line) == Some(0) {
            no_mismatch = true;
        }
    }
    if decided.is_some() {
        return decided;
    }
    if binding {
        return Some(FailureClass::Binding);
    }
    if any_error {
        return Some(FailureClass::OtherCompile);
    }
    if no_mismatch {
        return None;
    }
    let reset = sample.lines().any(|line| {
        line.contains("posedge reset")
            || line.contains("negedge reset")
            || line.contains("posedge r)")
    });
    Some(if reset {
        FailureClass::Reset
    } else {
        FailureClass::Runtime
    })
}

/// How the simulation step ended, for [`judge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The compiler failed (or, with `timed_out`, hung).
    NotCompiled {
        timed_out: bool,
    },
    /// The simulator exited by itself (a `$finish`, or an error).
    Finished,
    /// The simulator ran past its deadline.
    TimedOut,
    OutOfMemory,
    /// A signal (a resource limit) killed the simulator.
    Killed,
}

/// The status, the result string and the failure class of a sample whose
/// harness produced `log` (see [`classify`]). The class is the analysis's,
/// whatever the status: a design that compiled with a warning that an
/// always block never runs is `missing_sensitivity` even with no
/// mismatches, and a compile that failed with only `sorry:` messages
/// (iverilog's unsupported constructs, which name no `error`) is a runtime
/// mismatch or a reset one, as VerilogEval counts them (its status stays
/// `compile_error`). A failed compile with an empty log (a compiler killed
/// at a limit) is `other_compile_error`.
pub fn judge(log: &str, sample: &str, ended: Ended) -> (Status, String, Option<FailureClass>) {
    let class = match ended {
        Ended::NotCompiled { timed_out: true } => Some(FailureClass::Timeout),
        // The analysis reads a failed compile's log like any other (a
        // compiler that only says `sorry:` is a runtime mismatch to it);
        // with nothing to read (the compiler was killed) it is a compile
        // error.
        Ended::NotCompiled { .. } if log.trim().is_empty() => Some(FailureClass::OtherCompile),
        Ended::NotCompiled { .. } => classify(log, sample).or(Some(FailureClass::OtherCompile)),
        Ended::Finished => classify(log, sample),
        // Killed, however the output ends: not a pass.
        _ => classify(log, sample).or(Some(FailureClass::Runtime)),
    };
    let status = match (ended, class) {
        (Ended::NotCompiled { timed_out: true }, _) => Status::Timeout,
        (Ended::NotCompiled { .. }, _) => Status::CompileError,
        (Ended::TimedOut, _) => Status::Timeout,
        (Ended::OutOfMemory, _) => Status::Oom,
        (Ended::Killed, _) => Status::Killed,
        (Ended::Finished, None) => Status::Passed,
        (Ended::Finished, Some(_)) => Status::Failed,
    };
    let result = match (status, class) {
        (Status::Passed, _) => "passed".to_owned(),
        (Status::Timeout, _) => "timed out".to_owned(),
        (Status::CompileError, Some(class)) if !class.is_compile_time() => {
            "failed: compile error".to_owned()
        }
        (_, Some(class)) => format!("failed: {}", class.describe()),
        (_, None) => "failed: ".to_owned(),
    };
    (status, result, class)
}

/// What a line of the log must contain for [`classify`] to read it: every
/// rule there looks for one of these (`syntax error` and the decisive
/// compile errors all contain `error`). A line with none of them changes no
/// verdict and no class, so a harness that must cut a long log may drop it.
const NEEDLES: [&str; 8] = [
    "error",
    "always_comb process has no sensitivities",
    "found no sensitivities so it will never trigger",
    "is declared here as wire",
    "Unknown module type",
    "Unable to bind wire/reg",
    "TIMEOUT",
    "Mismatches: ",
];

/// Whether [`classify`] could read `line` (one line of the log, with or
/// without its newline): a log with only the lines for which this holds
/// gets the same class as the whole log.
pub fn line_matters(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    NEEDLES.iter().any(|needle| text.contains(needle))
}

/// `N` of a line that is exactly `Mismatches: N in M samples`.
pub fn mismatches(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("Mismatches: ")?;
    let (count, rest) = rest.split_once(" in ")?;
    let total = rest.strip_suffix(" samples")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(count) && digits(total) {
        count.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(interface: &str) -> Problem {
        Problem {
            task_id: "Prob001_zero".into(),
            language: Language::Verilog,
            prompt: "spec".into(),
            entry_point: String::new(),
            test: "module tb; endmodule".into(),
            canonical_solution: None,
            declaration: interface.into(),
            import: String::new(),
            test_setup: String::new(),
            reference: "module RefModule(output zero); endmodule".into(),
        }
    }

    #[test]
    fn spec_to_rtl_takes_begin_done_then_a_fence() {
        let p = problem("");
        let answer = "Sure.\n[BEGIN]\nmodule TopModule(output zero);\n  assign zero = 0;\nendmodule\n[DONE]\nBye";
        assert_eq!(
            extract(answer, &p),
            "\nmodule TopModule(output zero);\n  assign zero = 0;\nendmodule\n"
        );
        let fenced = "Here:\n```verilog\nmodule helper; endmodule\nmodule TopModule(output zero);\nassign zero = 0;\nendmodule\n```\nDone.";
        assert_eq!(
            extract(fenced, &p),
            "\nmodule helper; endmodule\nmodule TopModule(output zero);\nassign zero = 0;\nendmodule\n\n"
        );
        // No fences: from `module TopModule` to the first `endmodule`.
        let bare =
            "text\nmodule TopModule(output zero);\nassign zero = 0;\nendmodule\ntrailing words";
        assert_eq!(
            extract(bare, &p),
            "\nmodule TopModule(output zero);\nassign zero = 0;\nendmodule\n\n"
        );
    }

    #[test]
    fn code_completion_puts_the_interface_first_unless_the_answer_has_it() {
        let p = problem("module TopModule (\n  output zero\n);\n");
        assert_eq!(
            extract("  assign zero = 0;\nendmodule", &p),
            "\nmodule TopModule (\n  output zero\n);\n\n\n  assign zero = 0;\nendmodule\n\n"
        );
        let whole = "module TopModule (output zero);\n  assign zero = 0;\nendmodule";
        assert_eq!(extract(whole, &p), format!("\n{whole}\n\n"));
    }

    #[test]
    fn classes_follow_the_analysis_order() {
        let c = |log: &str| classify(log, "always @(posedge clk)");
        assert_eq!(c("Mismatches: 0 in 20 samples"), None);
        assert_eq!(c("Mismatches: 0 in 20 samples\n"), None);
        assert_eq!(
            c("s.sv:3: syntax error\nI give up."),
            Some(FailureClass::Syntax)
        );
        assert_eq!(
            c("s.sv:3: error: Unknown module type: foo\ns.sv:4: syntax error"),
            Some(FailureClass::UnknownModule)
        );
        assert_eq!(
            c("s.sv:5: error: Unable to bind wire/reg/memory `q'\n"),
            Some(FailureClass::Binding)
        );
        assert_eq!(
            c(
                "s.sv:5: error: Unable to bind wire/reg/memory `q'\ns.sv:5: error: Unable to bind wire/reg/memory `clk'"
            ),
            Some(FailureClass::ClockBinding)
        );
        assert_eq!(
            c(
                "s.sv:9: error: out is not a valid l-value in tb.top_module1.\ns.sv:2:      : out is declared here as wire."
            ),
            Some(FailureClass::WireInAlways)
        );
        assert_eq!(c("s.sv:1: error: odd\n"), Some(FailureClass::OtherCompile));
        assert_eq!(c("VCD info\nTIMEOUT"), Some(FailureClass::Timeout));
        assert_eq!(
            c("Hint: ...\nMismatches: 3 in 20 samples"),
            Some(FailureClass::Runtime)
        );
        assert_eq!(
            classify(
                "Mismatches: 3 in 20 samples",
                "always @(posedge clk, posedge reset)"
            ),
            Some(FailureClass::Reset)
        );
        // A warning that the block never runs decides even with no mismatches.
        assert_eq!(
            c(
                "s.sv:4: warning: @* found no sensitivities so it will never trigger.\nMismatches: 0 in 9 samples"
            ),
            Some(FailureClass::MissingSensitivity)
        );
        // No summary line at all (the testbench never finished): a mismatch.
        assert_eq!(c(""), Some(FailureClass::Runtime));
    }

    #[test]
    fn judged_status_and_class() {
        let judged = |log: &str, ended| judge(log, "", ended);
        assert_eq!(
            judged("Mismatches: 0 in 5 samples", Ended::Finished),
            (Status::Passed, "passed".into(), None)
        );
        assert_eq!(
            judged("Mismatches: 2 in 5 samples", Ended::Finished),
            (
                Status::Failed,
                "failed: mismatch with the reference".into(),
                Some(FailureClass::Runtime)
            )
        );
        assert_eq!(
            judged(
                "a.sv:1: syntax error",
                Ended::NotCompiled { timed_out: false }
            )
            .0,
            Status::CompileError
        );
        // A failed compile with nothing to read is a compile error.
        assert_eq!(
            judged("", Ended::NotCompiled { timed_out: false }).2,
            Some(FailureClass::OtherCompile)
        );
        // One whose messages name no class is what the analysis makes of
        // it: `sorry:` has no `error`, so the analysis says R.
        let sorry = "sample.sv:3: sorry: \"inside\" expressions not supported yet.\n";
        assert_eq!(
            judged(sorry, Ended::NotCompiled { timed_out: false }),
            (
                Status::CompileError,
                "failed: compile error".into(),
                Some(FailureClass::Runtime)
            )
        );
        assert_eq!(
            judge(
                sorry,
                "always @(posedge reset)",
                Ended::NotCompiled { timed_out: false }
            )
            .2,
            Some(FailureClass::Reset)
        );
        assert_eq!(
            judged(
                "sample.sv:3: error: Unknown module type: foo\n",
                Ended::NotCompiled { timed_out: false }
            )
            .2,
            Some(FailureClass::UnknownModule)
        );
        assert_eq!(
            judged("TIMEOUT\n", Ended::TimedOut),
            (
                Status::Timeout,
                "timed out".into(),
                Some(FailureClass::Timeout)
            )
        );
        // Zero mismatches, but the simulator was killed: not a pass.
        assert_eq!(
            judged("Mismatches: 0 in 5 samples", Ended::Killed).0,
            Status::Killed
        );
    }

    #[test]
    fn lines_that_do_not_matter_change_no_class() {
        let decisive = [
            "a.sv:1: syntax error",
            "a.sv:2: error: This assignment requires an explicit cast",
            "a.sv:2: error: Sized numeric constant must have a size greater than zero",
            "a.sv:3: warning: always_comb process has no sensitivities",
            "a.sv:3: warning: @* found no sensitivities so it will never trigger.",
            "a.sv:4:      : q is declared here as wire.",
            "a.sv:5: error: Unknown module type: foo",
            "a.sv:6: error: Unable to bind wire/reg/memory `x' in `tb.top'",
            "a.sv:6: error: Unable to bind wire/reg/memory `clk' in `tb.top'",
            "a.sv:7: error: something else",
            "TIMEOUT",
            "Mismatches: 0 in 20 samples",
            "Mismatches: 3 in 20 samples",
        ];
        let noise = [
            "Hint: output 'q' has 3 mismatches.",
            "x=1 y=0",
            "",
            "VCD info: dumpfile wave.vcd opened for output.",
        ];
        for &line in &decisive {
            assert!(line_matters(line.as_bytes()), "{line}");
        }
        for &line in &noise {
            assert!(!line_matters(line.as_bytes()), "{line}");
        }
        // Every pair of decisive lines, in either order, among noise: the
        // log cut to the lines that matter gets the whole log's class.
        for (i, &a) in decisive.iter().enumerate() {
            for &b in &decisive[i..] {
                for (first, second) in [(a, b), (b, a)] {
                    let mut log = String::new();
                    for (k, line) in [noise[0], first, noise[1], noise[2], second, noise[3]]
                        .iter()
                        .enumerate()
                    {
                        log.push_str(line);
                        if k < 5 {
                            log.push('\n');
                        }
                    }
                    let cut: String = log
                        .lines()
                        .filter(|line| line_matters(line.as_bytes()))
                        .map(|line| format!("{line}\n"))
                        .collect();
                    for sample in ["", "always @(posedge reset)"] {
                        assert_eq!(classify(&log, sample), classify(&cut, sample), "{log}");
                    }
                }
            }
        }
    }

    #[test]
    fn mismatch_lines_are_exact() {
        assert_eq!(mismatches("Mismatches: 12 in 300 samples"), Some(12));
        assert_eq!(mismatches(" Mismatches: 0 in 3 samples"), None);
        assert_eq!(mismatches("Mismatches: 0 in 3 samples."), None);
        assert_eq!(mismatches("Mismatches: x in 3 samples"), None);
    }
}
