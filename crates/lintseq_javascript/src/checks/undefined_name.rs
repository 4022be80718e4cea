//! `no-undef`.
//!
//! **What it flags:** a reference to a name that no enclosing scope
//! declares and that is not a global of ES2024 or of the configured
//! environments (Node.js by default, browsers on request). In JavaScript
//! `typeof name` is allowed, as ESLint's `no-undef` allows it; tsc does not
//! allow it in TypeScript (TS2304), so neither do we there. `arguments`
//! inside a non-arrow function is allowed in both.
//!
//! **Why:** ESLint's `no-undef` is half of the JavaScript reference
//! configuration, and tsc's TS2304 ("Cannot find name") the TypeScript
//! one's; deleting a declaration while keeping a line that uses it is
//! the most common way a partial program goes wrong.
//!
//! **Example:**
//! ```js
//! function area(r) {
//!   return PI * r * r;
//! }
//! ```
//! is reported on line 2 (`PI` was declared on a deleted line).

use lintseq_core::Diagnostic;
use oxc_ast::ast::{Expression, Function, IdentifierReference, Program, UnaryExpression};
use oxc_ast_visit::{Visit, walk};
use oxc_semantic::Scoping;
use oxc_span::Span;
use oxc_syntax::operator::UnaryOperator;
use oxc_syntax::scope::ScopeFlags;

use crate::globals::Globals;
use crate::source::LineIndex;

pub(crate) const CODE: &str = "no-undef";

/// A reference semantic analysis did not resolve.
#[derive(Clone, Debug)]
pub(crate) struct Unresolved<'a> {
    pub(crate) name: &'a str,
    pub(crate) offset: u32,
    /// Only used as a type (TypeScript).
    pub(crate) type_only: bool,
}

/// The unresolved references of `program`, in source order, without
/// `arguments` inside functions and, when `typeof_allowed`, without
/// `typeof name`.
pub(crate) fn unresolved<'a>(
    program: &Program<'a>,
    scoping: &Scoping,
    typeof_allowed: bool,
) -> Vec<Unresolved<'a>> {
    if scoping.root_unresolved_references().is_empty() {
        return Vec::new();
    }
    let mut walker = Walker {
        scoping,
        typeof_argument: None,
        typeof_allowed,
        functions: 0,
        found: Vec::new(),
    };
    walker.visit_program(program);
    walker.found
}

pub(crate) fn check(
    unresolved: &[Unresolved<'_>],
    globals: &Globals,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    for reference in unresolved {
        if reference.type_only || globals.has_value(reference.name) {
            continue;
        }
        out.push(Diagnostic::new(
            lines.line(reference.offset),
            CODE,
            format!("'{}' is not defined", reference.name),
        ));
    }
}

struct Walker<'s, 'a> {
    scoping: &'s Scoping,
    /// The identifier right under a `typeof`.
    typeof_argument: Option<Span>,
    /// Whether `typeof name` may name an unknown name.
    typeof_allowed: bool,
    /// Non-arrow functions around the current node.
    functions: u32,
    found: Vec<Unresolved<'a>>,
}

impl<'a> Visit<'a> for Walker<'_, 'a> {
    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        let Some(id) = it.reference_id.get() else {
            return;
        };
        let reference = self.scoping.get_reference(id);
        if reference.symbol_id().is_some() {
            return;
        }
        if self.typeof_argument == Some(it.span) {
            return;
        }
        let name = it.name.as_str();
        if name == "arguments" && self.functions > 0 {
            return;
        }
        self.found.push(Unresolved {
            name,
            offset: it.span.start,
            type_only: !reference.flags().is_value() && !reference.flags().is_value_as_type(),
        });
    }

    fn visit_unary_expression(&mut self, it: &UnaryExpression<'a>) {
        if self.typeof_allowed
            && it.operator == UnaryOperator::Typeof
            && let Expression::Identifier(ident) = &it.argument
        {
            self.typeof_argument = Some(ident.span);
        }
        walk::walk_unary_expression(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.functions += 1;
        walk::walk_function(self, it, flags);
        self.functions -= 1;
    }
}
