//! The checks, one per file, and the order they run in.
//!
//! oxc's parser reports parse errors and some early errors; its semantic
//! analysis (with syntax checking on) the rest of the early errors. A text
//! with parser errors gets those and nothing else; one with early errors
//! gets those and nothing else, as ESLint (whose parser raises both) and
//! tsc's syntactic pass see it. Only a text free of both is checked for
//! unresolved references. Each oxc diagnostic goes to the first check that
//! claims it; the line it blames is the line the state must lose.

mod await_outside_async;
mod early_error;
mod not_in_loop;
mod redeclaration;
mod return_outside_function;
mod syntax_error;
mod undefined_name;
mod undefined_type;

use lintseq_core::Diagnostic;
use oxc_allocator::Allocator;
use oxc_diagnostics::{OxcDiagnostic, Severity};
use oxc_parser::{ParseOptions, Parser};
use oxc_semantic::SemanticBuilder;
use oxc_span::SourceType;

use crate::globals::{Env, Globals};
use crate::source::LineIndex;

/// Every code the checker can report, with what it means.
pub const CODES: &[(&str, &str)] = &[
    (syntax_error::CODE, "the text does not parse"),
    (
        redeclaration::CODE,
        "a name declared twice where that is an early error",
    ),
    (
        return_outside_function::CODE,
        "`return` outside a function body",
    ),
    (
        not_in_loop::CODE,
        "`break`/`continue` outside a loop or switch, or to an unknown label",
    ),
    (
        await_outside_async::CODE,
        "`await` outside an async function where the mode forbids it",
    ),
    (early_error::CODE, "another early error of the language"),
    (undefined_name::CODE, "a reference to an undeclared name"),
    (
        undefined_type::CODE,
        "a TypeScript type reference to an undeclared type",
    ),
];

fn parse_options() -> ParseOptions {
    ParseOptions {
        // ESLint's parser validates regular expression literals.
        parse_regular_expression: true,
        ..ParseOptions::default()
    }
}

/// Whether `source` parses as `source_type` with no errors at all.
pub(crate) fn parses(source: &str, source_type: SourceType) -> bool {
    if crate::nesting::too_many_brackets(source).is_some() {
        return false;
    }
    crate::nesting::with_stack_for(source.len(), || {
        crate::with_allocator(|allocator| {
            let parsed = Parser::new(allocator, source, source_type)
                .with_options(parse_options())
                .parse();
            if parsed.panicked || parsed.diagnostics.has_errors() {
                return false;
            }
            let semantic = SemanticBuilder::new()
                .with_check_syntax_error(true)
                .build(&parsed.program);
            !semantic.diagnostics.has_errors()
        })
    })
}

pub(crate) fn run(
    allocator: &Allocator,
    source: &str,
    source_type: SourceType,
    env: Env,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(at) = crate::nesting::too_many_brackets(source) {
        let line = LineIndex::new(source).line(at);
        out.push(Diagnostic::new(
            line,
            syntax_error::CODE,
            format!("more than {} nested brackets", crate::nesting::MAX_BRACKETS),
        ));
        return;
    }
    let parsed = Parser::new(allocator, source, source_type)
        .with_options(parse_options())
        .parse();
    let lines = LineIndex::new(source);
    if parsed.panicked || parsed.diagnostics.has_errors() {
        report(
            parsed.diagnostics.errors(),
            Origin::Parser,
            source,
            &lines,
            out,
        );
        if out.is_empty() {
            out.push(Diagnostic::new(
                lines.line_count(),
                syntax_error::CODE,
                "the program does not parse",
            ));
        }
        return;
    }
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .build(&parsed.program);
    if semantic.diagnostics.has_errors() {
        report(
            semantic.diagnostics.errors(),
            Origin::Semantic,
            source,
            &lines,
            out,
        );
        return;
    }
    let program = &parsed.program;
    not_in_loop::check(program, &lines, out);
    let is_module = program.body.iter().any(|s| s.is_module_declaration())
        || !parsed.module_record.import_metas.is_empty();
    await_outside_async::check(program, is_module, &lines, out);
    if !out.is_empty() {
        return;
    }
    let globals = Globals::of(env);
    let scoping = semantic.semantic.scoping();
    let unresolved = undefined_name::unresolved(program, scoping, !source_type.is_typescript());
    undefined_name::check(&unresolved, globals, &lines, out);
    if source_type.is_typescript() {
        undefined_type::check(&unresolved, globals, &lines, out);
    }
}

/// Where an oxc diagnostic came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Parser,
    Semantic,
}

fn report<'d>(
    diagnostics: impl Iterator<Item = &'d OxcDiagnostic>,
    origin: Origin,
    source: &str,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    for diagnostic in diagnostics {
        if diagnostic.severity != Severity::Error {
            continue;
        }
        let message = diagnostic.message.as_ref();
        let code = if redeclaration::claims(message) {
            redeclaration::CODE
        } else if return_outside_function::claims(message) {
            return_outside_function::CODE
        } else if not_in_loop::claims(message) {
            not_in_loop::CODE
        } else if await_outside_async::claims(message) {
            await_outside_async::CODE
        } else if origin == Origin::Parser {
            syntax_error::CODE
        } else {
            early_error::CODE
        };
        let offset = match code {
            redeclaration::CODE => redeclaration::blamed_offset(diagnostic),
            not_in_loop::CODE => not_in_loop::blamed_offset(diagnostic),
            _ => syntax_error::blamed_offset(diagnostic, source),
        };
        let offset = offset.unwrap_or(source.len() as u32);
        let line = lines.line(offset.min(source.len() as u32));
        out.push(Diagnostic::new(line, code, message.to_string()));
    }
}
