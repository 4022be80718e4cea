//! E3701 invalid-field-call.
//!
//! **What it flags:** a call of `dataclasses.field()` (imported as `from
//! dataclasses import field`, or through `import dataclasses`) outside the
//! body of a dataclass and outside `make_dataclass(...)`, or inside a
//! dataclass but not as the value of an annotated assignment. A class is a
//! dataclass when one of its decorators is named `dataclass`
//! (`@dataclass`, `@dataclasses.dataclass(frozen=True)`), as astroid judges
//! it.
//!
//! **Why:** deleting the `@dataclass` line of a class leaves its `field()`
//! calls in a plain class body.
//!
//! **Example:**
//! ```python
//! from dataclasses import field
//! class State:
//!     rules: list = field(default_factory=list)
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Cheap test first: almost no program mentions the module.
    if !context.source.contains("dataclasses") {
        return;
    }
    let mut imports = Imports::default();
    imports.visit_body(&context.module.body);
    if !imports.field && imports.modules.is_empty() {
        return;
    }
    let mut walker = Walker {
        context,
        imports: &imports,
        enclosing: Enclosing::Nothing,
        annotated_value: None,
        out,
    };
    walker.visit_body(&context.module.body);
}

/// What `from dataclasses import field` and `import dataclasses` bind.
#[derive(Default)]
struct Imports<'a> {
    /// `field` names `dataclasses.field`.
    field: bool,
    /// Names bound to the `dataclasses` module.
    modules: Vec<&'a str>,
}

impl<'a> Visitor<'a> for Imports<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ImportFrom(import)
                if import.level == 0
                    && import
                        .module
                        .as_ref()
                        .is_some_and(|m| m.as_str() == "dataclasses") =>
            {
                self.field |= import.names.iter().any(|alias| {
                    alias.name.as_str() == "field"
                        && alias.asname.as_ref().is_none_or(|a| a.as_str() == "field")
                });
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    if alias.name.as_str() == "dataclasses" {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.modules.push(bound.as_str());
                    }
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}

/// The nearest class body or call around an expression (astroid's walk up
/// the parents stops at either).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Enclosing {
    Nothing,
    Class { dataclass: bool },
    Call { make_dataclass: bool },
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    imports: &'c Imports<'a>,
    enclosing: Enclosing,
    /// The value of the annotated assignment being visited.
    annotated_value: Option<&'a Expr>,
    out: &'c mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    fn is_field(&self, func: &Expr) -> bool {
        match func {
            Expr::Name(name) => self.imports.field && name.id.as_str() == "field",
            Expr::Attribute(attribute) => {
                attribute.attr.as_str() == "field"
                    && matches!(attribute.value.as_ref(), Expr::Name(module)
                        if self.imports.modules.contains(&module.id.as_str()))
            }
            _ => false,
        }
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let dataclass = class.decorator_list.iter().any(|decorator| {
                    let expression = match &decorator.expression {
                        Expr::Call(call) => call.func.as_ref(),
                        other => other,
                    };
                    match expression {
                        Expr::Name(name) => name.id.as_str() == "dataclass",
                        Expr::Attribute(attribute) => attribute.attr.as_str() == "dataclass",
                        _ => false,
                    }
                });
                let saved = std::mem::replace(&mut self.enclosing, Enclosing::Class { dataclass });
                self.visit_body(&class.body);
                self.enclosing = saved;
            }
            Stmt::AnnAssign(assign) => {
                self.visit_expr(&assign.target);
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.annotated_value = Some(value);
                    self.visit_expr(value);
                    self.annotated_value = None;
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let annotated_value = self.annotated_value.take();
        let Expr::Call(call) = expr else {
            visitor::walk_expr(self, expr);
            return;
        };
        if self.is_field(&call.func) {
            let message = match self.enclosing {
                Enclosing::Call {
                    make_dataclass: true,
                } => None,
                Enclosing::Class { dataclass: true } => {
                    let value = annotated_value.is_some_and(|value| std::ptr::eq(value, expr));
                    (!value)
                        .then_some("it should be the value of an assignment within a dataclass.")
                }
                _ => Some("it should be used within a dataclass or the make_dataclass() function."),
            };
            if let Some(message) = message {
                self.out.push(self.context.diagnostic(
                    call.start(),
                    "E3701",
                    format!("Invalid usage of field(), {message}"),
                ));
            }
        }
        let make_dataclass =
            matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "make_dataclass");
        let saved = std::mem::replace(&mut self.enclosing, Enclosing::Call { make_dataclass });
        self.visit_expr(&call.func);
        self.visit_arguments(&call.arguments);
        self.enclosing = saved;
    }
}
