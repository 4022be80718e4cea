//! `not-in-loop`.
//!
//! **What it flags:** `break` outside a loop or `switch`, `continue`
//! outside a loop, and either of them naming a label that does not enclose
//! them (or, for `continue`, one that does not label a loop), or jumping out
//! of a function.
//!
//! **Why:** these are early errors: ESLint's parser and tsc (TS1104,
//! TS1105, TS1107, TS1116) reject them. A partial program gets one when a
//! loop's header goes and its body stays.
//!
//! **Example:**
//! ```js
//! function f(xs) {
//!   break;
//! }
//! ```
//! is reported on line 2.

pub(crate) const CODE: &str = "not-in-loop";

pub(crate) fn claims(message: &str) -> bool {
    message.starts_with("Illegal break statement")
        || message.starts_with("Illegal continue statement")
        || message == "Use of undefined label"
        || message.starts_with("Jump target cannot cross function boundary")
        || (message.starts_with("A `") && message.contains("statement can only jump to a label"))
}

use lintseq_core::Diagnostic;
use oxc_ast::ast::{
    AccessorProperty, ArrowFunctionExpression, BreakStatement, ContinueStatement, DoWhileStatement,
    ForInStatement, ForOfStatement, ForStatement, Function, LabeledStatement, Program,
    PropertyDefinition, Statement, StaticBlock, SwitchStatement, WhileStatement,
};
use oxc_ast_visit::{Visit, walk};
use oxc_syntax::scope::ScopeFlags;

use crate::source::LineIndex;

/// The jump that oxc labels last: the statement comes after its label.
pub(crate) fn blamed_offset(diagnostic: &oxc_diagnostics::OxcDiagnostic) -> Option<u32> {
    diagnostic.labels.iter().map(|label| label.offset()).max()
}

/// Jumps that leave their function, which oxc's own analysis lets through
/// (`break` in an arrow function inside a loop).
pub(crate) fn check(program: &Program<'_>, lines: &LineIndex, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker {
        lines,
        out,
        frame: Frame::default(),
    };
    walker.visit_program(program);
}

/// What a jump can reach inside the current function.
#[derive(Default)]
struct Frame<'a> {
    loops: u32,
    switches: u32,
    /// Enclosing labels, and whether each labels a loop.
    labels: Vec<(&'a str, bool)>,
}

struct Walker<'c, 'a> {
    lines: &'c LineIndex,
    out: &'c mut Vec<Diagnostic>,
    frame: Frame<'a>,
}

impl<'a> Walker<'_, 'a> {
    fn report(&mut self, offset: u32, message: String) {
        self.out
            .push(Diagnostic::new(self.lines.line(offset), CODE, message));
    }

    fn in_new_frame(&mut self, visit: impl FnOnce(&mut Self)) {
        let saved = std::mem::take(&mut self.frame);
        visit(self);
        self.frame = saved;
    }

    fn in_loop(&mut self, visit: impl FnOnce(&mut Self)) {
        self.frame.loops += 1;
        visit(self);
        self.frame.loops -= 1;
    }
}

fn is_loop(statement: &Statement<'_>) -> bool {
    match statement {
        Statement::LabeledStatement(labeled) => is_loop(&labeled.body),
        Statement::DoWhileStatement(_)
        | Statement::WhileStatement(_)
        | Statement::ForStatement(_)
        | Statement::ForInStatement(_)
        | Statement::ForOfStatement(_) => true,
        _ => false,
    }
}

impl<'a> Visit<'a> for Walker<'_, 'a> {
    fn visit_break_statement(&mut self, it: &BreakStatement<'a>) {
        match &it.label {
            Some(label) => {
                let name = label.name.as_str();
                if !self.frame.labels.iter().any(|(l, _)| *l == name) {
                    self.report(it.span.start, format!("undefined label '{name}'"));
                }
            }
            None if self.frame.loops + self.frame.switches == 0 => {
                self.report(it.span.start, "'break' outside a loop or switch".into());
            }
            None => {}
        }
    }

    fn visit_continue_statement(&mut self, it: &ContinueStatement<'a>) {
        match &it.label {
            Some(label) => {
                let name = label.name.as_str();
                if !self
                    .frame
                    .labels
                    .iter()
                    .any(|(l, looping)| *l == name && *looping)
                {
                    self.report(it.span.start, format!("no loop labelled '{name}'"));
                }
            }
            None if self.frame.loops == 0 => {
                self.report(it.span.start, "'continue' outside a loop".into());
            }
            None => {}
        }
    }

    fn visit_labeled_statement(&mut self, it: &LabeledStatement<'a>) {
        self.frame
            .labels
            .push((it.label.name.as_str(), is_loop(&it.body)));
        walk::walk_labeled_statement(self, it);
        self.frame.labels.pop();
    }

    fn visit_switch_statement(&mut self, it: &SwitchStatement<'a>) {
        self.frame.switches += 1;
        walk::walk_switch_statement(self, it);
        self.frame.switches -= 1;
    }

    fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
        self.in_loop(|w| walk::walk_do_while_statement(w, it));
    }

    fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
        self.in_loop(|w| walk::walk_while_statement(w, it));
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        self.in_loop(|w| walk::walk_for_statement(w, it));
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        self.in_loop(|w| walk::walk_for_in_statement(w, it));
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.in_loop(|w| walk::walk_for_of_statement(w, it));
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.in_new_frame(|w| walk::walk_function(w, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.in_new_frame(|w| walk::walk_arrow_function_expression(w, it));
    }

    fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
        self.in_new_frame(|w| walk::walk_property_definition(w, it));
    }

    fn visit_accessor_property(&mut self, it: &AccessorProperty<'a>) {
        self.in_new_frame(|w| walk::walk_accessor_property(w, it));
    }

    fn visit_static_block(&mut self, it: &StaticBlock<'a>) {
        self.in_new_frame(|w| walk::walk_static_block(w, it));
    }
}
