//! `await-outside-async`.
//!
//! **What it flags:** `await` (and `for await`) in a function that is not
//! `async`, and at the top level of a script (a text without `import` or
//! `export`), where top-level await is not allowed.
//!
//! **Why:** ESLint's parser and tsc (TS1308, TS1375) reject it. A partial
//! program gets one when it loses the `async` function around an `await`,
//! or when a module loses its last `import`/`export` and becomes a script
//! with a top-level `await`.
//!
//! **Example:**
//! ```js
//! function load() {
//!   return await fetch(url);
//! }
//! ```
//! is reported on line 2.

pub(crate) const CODE: &str = "await-outside-async";

pub(crate) fn claims(message: &str) -> bool {
    message.starts_with("`await` is only allowed")
        || message.starts_with("`for await` loops are only allowed")
}

use lintseq_core::Diagnostic;
use oxc_ast::ast::{
    AccessorProperty, ArrowFunctionExpression, AwaitExpression, ForOfStatement, Function, Program,
    PropertyDefinition, StaticBlock,
};
use oxc_ast_visit::{Visit, walk};
use oxc_syntax::scope::ScopeFlags;

use crate::source::LineIndex;

/// Top-level `await` in a script, which oxc's parser accepts when it cannot
/// tell the mode from `import`/`export` (it reads such an `await` as a sign
/// of a module; ESLint and tsc read the text as a script).
pub(crate) fn check(
    program: &Program<'_>,
    is_module: bool,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    if is_module {
        return;
    }
    let mut walker = Walker {
        lines,
        out,
        depth: 0,
    };
    walker.visit_program(program);
}

struct Walker<'c> {
    lines: &'c LineIndex,
    out: &'c mut Vec<Diagnostic>,
    /// Functions (and class member initializers) around the current node.
    depth: u32,
}

impl Walker<'_> {
    fn report(&mut self, offset: u32) {
        self.out.push(Diagnostic::new(
            self.lines.line(offset),
            CODE,
            "top-level 'await' in a script (the text has no import or export)",
        ));
    }

    fn nested(&mut self, visit: impl FnOnce(&mut Self)) {
        self.depth += 1;
        visit(self);
        self.depth -= 1;
    }
}

impl<'a> Visit<'a> for Walker<'_> {
    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        if self.depth == 0 {
            self.report(it.span.start);
        }
        walk::walk_await_expression(self, it);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        if it.r#await && self.depth == 0 {
            self.report(it.span.start);
        }
        walk::walk_for_of_statement(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.nested(|w| walk::walk_function(w, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.nested(|w| walk::walk_arrow_function_expression(w, it));
    }

    fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
        self.nested(|w| walk::walk_property_definition(w, it));
    }

    fn visit_accessor_property(&mut self, it: &AccessorProperty<'a>) {
        self.nested(|w| walk::walk_accessor_property(w, it));
    }

    fn visit_static_block(&mut self, it: &StaticBlock<'a>) {
        self.nested(|w| walk::walk_static_block(w, it));
    }
}
