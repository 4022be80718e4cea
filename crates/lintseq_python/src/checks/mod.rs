//! The checks, one per file, and the order they run in.
//!
//! A program with a syntax error gets that one error and nothing else, as
//! with pylint (which cannot analyse what it cannot parse). Otherwise every
//! check runs and reports everything it finds.

mod access_member_before_definition;
mod assignment_from_no_return;
mod bad_indentation;
mod call_arguments;
mod duplicate_argument_name;
mod format_arguments;
mod function_redefined;
mod import_error;
mod invalid_field_call;
mod invalid_unary_operand;
mod method_first_argument;
mod no_member_builtin;
mod no_member_class;
mod no_member_instance;
mod no_member_method;
mod no_member_self;
mod no_name_in_module;
mod nonlocal_without_binding;
mod not_callable;
mod not_in_loop;
mod relative_beyond_top_level;
mod return_outside_function;
mod special_method_return;
mod special_method_signature;
pub(crate) mod super_init_not_called;
mod syntax_error;
mod undefined_variable;
mod used_before_assignment;
mod value_misuse;
mod yield_outside_function;

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, PythonVersion, Stmt};
use ruff_python_parser::{Mode, ParseOptions, Parsed, parse_unchecked};

use crate::baseline::Baseline;
use crate::calls::{Resolver, call_sites};
use crate::classes::Classes;
use crate::context::Context;
use crate::imports::{self, ModuleIndex};
use crate::nesting;
use crate::semantic;
use crate::source::LineIndex;

pub(crate) use syntax_error::from_prefix as syntax_error_from_prefix;

/// Every code the checker can report, with pylint's symbolic name.
pub const CODES: &[(&str, &str)] = &[
    ("E0001", "syntax-error"),
    ("E0102", "function-redefined"),
    ("E0103", "not-in-loop"),
    ("E0104", "return-outside-function"),
    ("E0105", "yield-outside-function"),
    ("E0108", "duplicate-argument-name"),
    ("E0117", "nonlocal-without-binding"),
    ("E0203", "access-member-before-definition"),
    ("E0211", "no-method-argument"),
    ("E0213", "no-self-argument"),
    ("E0301", "non-iterator-returned"),
    ("E0302", "unexpected-special-method-signature"),
    ("E0303", "invalid-length-returned"),
    ("E0304", "invalid-bool-returned"),
    ("E0305", "invalid-index-returned"),
    ("E0306", "invalid-repr-returned"),
    ("E0307", "invalid-str-returned"),
    ("E0308", "invalid-bytes-returned"),
    ("E0309", "invalid-hash-returned"),
    ("E0310", "invalid-length-hint-returned"),
    ("E0311", "invalid-format-returned"),
    ("E0312", "invalid-getnewargs-returned"),
    ("E0313", "invalid-getnewargs-ex-returned"),
    ("E0401", "import-error"),
    ("E0402", "relative-beyond-top-level"),
    ("E0601", "used-before-assignment"),
    ("E0602", "undefined-variable"),
    ("E0606", "possibly-used-before-assignment"),
    ("E0611", "no-name-in-module"),
    ("E1101", "no-member"),
    ("E0633", "unpacking-non-sequence"),
    ("E0702", "raising-bad-type"),
    ("E1102", "not-callable"),
    ("E1111", "assignment-from-no-return"),
    ("E1305", "too-many-format-args"),
    ("E1306", "too-few-format-args"),
    ("E1120", "no-value-for-parameter"),
    ("E1121", "too-many-function-args"),
    ("E1123", "unexpected-keyword-arg"),
    ("E1124", "redundant-keyword-arg"),
    ("E1125", "missing-kwoa"),
    ("E1128", "assignment-from-none"),
    ("E1130", "invalid-unary-operand-type"),
    ("E1129", "not-context-manager"),
    ("E1133", "not-an-iterable"),
    ("E1135", "unsupported-membership-test"),
    ("E1136", "unsubscriptable-object"),
    ("E1137", "unsupported-assignment-operation"),
    ("E1138", "unsupported-delete-operation"),
    ("E1142", "await-outside-async"),
    ("E3701", "invalid-field-call"),
    ("W0231", "super-init-not-called"),
    ("W0311", "bad-indentation"),
];

/// Checks `source`. With `try_prefix` (the caller's guess that it does not
/// parse), its syntax error is first looked for in a prefix of it
/// (`syntax_error::from_prefix`), which gives the same answer sooner or
/// none; the guess changes how fast, never what is reported. Returns
/// whether the prefix answered.
pub(crate) fn run(
    source: &str,
    version: PythonVersion,
    baseline: &Baseline,
    imports: Option<&ModuleIndex>,
    try_prefix: bool,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(offset) = nesting::too_many_brackets(source) {
        out.push(Diagnostic::new(
            LineIndex::new(source).line(offset),
            "E0001",
            "too many nested parentheses".to_string(),
        ));
        return false;
    }
    nesting::with_stack_for(source.len(), || {
        if try_prefix && let Some(error) = syntax_error::from_prefix(source, version) {
            out.push(error);
            return true;
        }
        let options = ParseOptions::from(Mode::Module).with_target_version(version);
        if let Some(parsed) = parse_unchecked(source, options).try_into_module() {
            analyse(source, &parsed, version, baseline, imports, out);
        }
        false
    })
}

/// Runs the checks on a parsed program: its syntax error if it has one,
/// else whether it nests too deeply to analyse, else everything.
fn analyse(
    source: &str,
    parsed: &Parsed<ModModule>,
    version: PythonVersion,
    baseline: &Baseline,
    imports: Option<&ModuleIndex>,
    out: &mut Vec<Diagnostic>,
) {
    let lines = LineIndex::new(source);
    if let Some(error) = syntax_error::check(source, parsed, &lines) {
        out.push(error);
        return;
    }
    let module = parsed.syntax();
    if let Some(offset) = nesting::too_deep(module) {
        out.push(Diagnostic::new(
            lines.line(offset),
            "E0001",
            format!(
                "too many nested expressions (more than {} levels)",
                nesting::MAX_DEPTH
            ),
        ));
        return;
    }
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
    format_arguments::check(&context, out);
    function_redefined::check(&context, out);
    invalid_field_call::check(&context, out);
    let classes = Classes::collect(&module.body);
    no_member_self::check(&context, &classes, out);
    no_member_self::check_method_attributes(&context, &classes, out);
    no_member_builtin::check(&context, out);
    no_member_class::check(&context, &classes, out);
    no_member_method::check(&context, out);
    value_misuse::check(&context, out);
    value_misuse::check_attributes(&context, &classes, out);
    access_member_before_definition::check(&context, &classes, out);
    special_method_return::check(&context, &classes, out);
    special_method_signature::check(&context, &classes, out);
    method_first_argument::check(&context, &classes, out);
    let sites = call_sites(&module.body, &classes);
    let resolver = Resolver::new(&model, &classes);
    call_arguments::check(&context, &sites, &resolver, out);
    assignment_from_no_return::check(&context, &sites, &resolver, out);
    value_misuse::check_calls(&context, &sites, &resolver, out);
    not_callable::check(&context, &sites, out);
    value_misuse::check_receiver_calls(&context, &classes, &sites, out);
    ExpressionChecks {
        context: &context,
        classes: &classes,
        resolver: &resolver,
        class: None,
        out,
    }
    .visit_body(&module.body);
    super_init_not_called::check(&context, &classes, out);
    if let Some(index) = imports {
        let sites = imports::sites::collect(&context, &|name| index.resolves(name));
        import_error::check(&context, index, &sites, out);
        relative_beyond_top_level::check(&context, index, &sites, out);
        no_name_in_module::check(&context, index, &sites, out);
    } else if context.source.contains("import") {
        let known = |name: &str| import_error::known_to_resolve(baseline, version.minor, name);
        let sites = imports::sites::collect(&context, &known);
        import_error::check_unknown(&context, &known, &sites, out);
    }
}

/// The checks that look at one expression at a time, in one walk.
struct ExpressionChecks<'c, 'a> {
    context: &'c Context<'a>,
    classes: &'c Classes<'a>,
    resolver: &'c Resolver<'c, 'a>,
    /// The class whose body or methods are being walked.
    class: Option<usize>,
    out: &'c mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for ExpressionChecks<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt {
            let saved = std::mem::replace(&mut self.class, self.classes.index_of(class));
            visitor::walk_stmt(self, stmt);
            self.class = saved;
        } else {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        invalid_unary_operand::check_expr(
            self.context,
            self.resolver,
            self.classes,
            self.class,
            expr,
            self.out,
        );
        no_member_instance::check_expr(self.context, self.classes, self.resolver, expr, self.out);
        visitor::walk_expr(self, expr);
    }
}
