//! The checks, one per file, and the order they run in.
//!
//! A program with a syntax error gets that one error and nothing else, as
//! with pylint (which cannot analyse what it cannot parse). Otherwise every
//! check runs and reports everything it finds.

mod bad_indentation;
mod duplicate_argument_name;
mod no_member;
mod nonlocal_without_binding;
mod not_in_loop;
mod return_outside_function;
pub(crate) mod super_init_not_called;
mod syntax_error;
mod undefined_variable;
mod used_before_assignment;
mod yield_outside_function;

use lintseq_core::Diagnostic;
use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseOptions, parse_unchecked};

use crate::baseline::Baseline;
use crate::classes::Classes;
use crate::context::Context;
use crate::semantic;
use crate::source::LineIndex;

/// Every code the checker can report, with pylint's symbolic name.
pub const CODES: &[(&str, &str)] = &[
    ("E0001", "syntax-error"),
    ("E0103", "not-in-loop"),
    ("E0104", "return-outside-function"),
    ("E0105", "yield-outside-function"),
    ("E0108", "duplicate-argument-name"),
    ("E0117", "nonlocal-without-binding"),
    ("E0601", "used-before-assignment"),
    ("E0602", "undefined-variable"),
    ("E0606", "possibly-used-before-assignment"),
    ("E1101", "no-member"),
    ("E1142", "await-outside-async"),
    ("W0231", "super-init-not-called"),
    ("W0311", "bad-indentation"),
];

pub(crate) fn run(
    source: &str,
    version: PythonVersion,
    baseline: &Baseline,
    out: &mut Vec<Diagnostic>,
) {
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let Some(parsed) = parse_unchecked(source, options).try_into_module() else {
        return;
    };
    let lines = LineIndex::new(source);
    if let Some(error) = syntax_error::check(source, &parsed, &lines) {
        out.push(error);
        return;
    }
    let module = parsed.syntax();
    let model = semantic::build(module, source);
    let context = Context {
        source,
        lines: &lines,
        module,
        tokens: parsed.tokens(),
        model: &model,
        baseline,
    };
    bad_indentation::check(&context, out);
    undefined_variable::check(&context, out);
    used_before_assignment::check(&context, out);
    nonlocal_without_binding::check(&context, out);
    return_outside_function::check(&context, out);
    yield_outside_function::check(&context, out);
    not_in_loop::check(&context, out);
    duplicate_argument_name::check(&context, out);
    let classes = Classes::collect(&module.body);
    no_member::check(&context, &classes, out);
    super_init_not_called::check(&context, &classes, out);
}
