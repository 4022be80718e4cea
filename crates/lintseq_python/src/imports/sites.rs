//! Every import statement of a module, with what pylint lets excuse its
//! failure.
//!
//! pylint 3.2.6 does not report an import it cannot resolve when the import
//! is guarded (`pylint/checkers/imports.py`, `_ignore_import_failure`, and
//! `utils.is_from_fallback_block`). The guards are structural, so they are
//! read off the statements around each import, as pylint reads them off
//! astroid's parents (where `elif` is an `if` nested in `else`):
//!
//! * **type checking** — an enclosing `if TYPE_CHECKING:` (or
//!   `if typing.TYPE_CHECKING:`), where `TYPE_CHECKING` comes from `typing`
//!   or is `False`; an unbound `TYPE_CHECKING` ends the search;
//! * **version guard** — the import sits directly in a branch of an `if`
//!   comparing `sys.version_info` (or `sys.version_info[...]`), or testing
//!   `six.PY2` / `six.PY3`;
//! * **import error handled** — the nearest enclosing `try` (body, `else` or
//!   `finally`; not a handler) has a handler naming `ImportError`, or an
//!   enclosing `with contextlib.suppress(ImportError)`;
//! * **fallback** (import errors only) — in the nearest `try` or handler, a
//!   handler names `ImportError` or `ModuleNotFoundError`, or the other side
//!   (the handlers' bodies for the `try` body, the `try` body for a handler)
//!   holds an import statement of its own.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, ExceptHandler, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::context::Context;
use crate::semantic::{EventKind, Reference};

/// An import statement.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Import<'a> {
    Plain(&'a ast::StmtImport),
    From(&'a ast::StmtImportFrom),
}

impl Import<'_> {
    pub(crate) fn start(&self) -> TextSize {
        match self {
            Import::Plain(import) => import.start(),
            Import::From(import) => import.start(),
        }
    }
}

/// An import and its guards.
#[derive(Debug)]
pub(crate) struct Site<'a> {
    pub(crate) import: Import<'a>,
    /// Under an `if TYPE_CHECKING:` that counts.
    pub(crate) type_checking: bool,
    /// Directly under an `if sys.version_info ...:`.
    pub(crate) version_guard: bool,
    /// In a `try` that catches `ImportError`, or under
    /// `contextlib.suppress(ImportError)`.
    pub(crate) import_error_handled: bool,
    /// In pylint's "fallback import block".
    pub(crate) fallback: bool,
}

impl Site<'_> {
    /// pylint's `_ignore_import_failure`: no E0401 or E0402.
    pub(crate) fn failure_ignored(&self) -> bool {
        self.type_checking || self.version_guard || self.import_error_handled
    }

    /// Whether the variables checker skips the import (no E0611).
    pub(crate) fn names_unchecked(&self) -> bool {
        self.fallback || self.type_checking || self.version_guard
    }
}

/// The import statements of `context`'s module, in source order.
///
/// `resolves` answers whether a module resolves (guards on
/// `typing_extensions.TYPE_CHECKING` depend on it).
pub(crate) fn collect<'a>(context: &Context<'a>, resolves: &dyn Fn(&str) -> bool) -> Vec<Site<'a>> {
    if !context.source.contains("import") {
        return Vec::new();
    }
    let mut walker = Walker {
        ancestors: Vec::new(),
        pending: Vec::new(),
        facts: FxHashMap::default(),
    };
    walker.body(&context.module.body);
    let lookup = Lookup {
        context,
        facts: &walker.facts,
        resolves,
    };
    walker
        .pending
        .into_iter()
        .map(|pending| Site {
            import: pending.import,
            type_checking: lookup.type_checking(&pending.checking_tests),
            version_guard: pending.version_guard,
            import_error_handled: pending.handled
                || pending
                    .suppressors
                    .iter()
                    .any(|call| lookup.is_contextlib_suppress(call)),
            fallback: pending.fallback,
        })
        .collect()
}

/// An import whose guards still need name lookups.
struct Pending<'a> {
    import: Import<'a>,
    /// Tests of enclosing `if`s that name `TYPE_CHECKING`, innermost first.
    checking_tests: Vec<&'a Expr>,
    version_guard: bool,
    handled: bool,
    /// `with` items around it calling something with `ImportError`.
    suppressors: Vec<&'a ast::ExprCall>,
    fallback: bool,
}

/// What a binding statement binds, for the names guards look up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fact {
    /// `from typing import ...` (any names, as pylint checks only the module).
    FromTyping,
    /// `from typing_extensions import TYPE_CHECKING`.
    FromTypingExtensions,
    /// `NAME = False`.
    AssignsFalse,
    /// `import typing` (as some name).
    ImportsTyping,
    /// `from contextlib import suppress` (as some name).
    FromContextlibSuppress,
    /// `import contextlib` (as some name).
    ImportsContextlib,
}

#[derive(Clone, Copy)]
enum Ancestor<'a> {
    /// One `if` of astroid's tree (an `elif` is an `if` in the `else`).
    If(&'a Expr),
    /// A non-star `try`: in its body, `else` or `finally` (`None`), or in
    /// handler `n`.
    Try(&'a ast::StmtTry, Option<usize>),
    /// A handler of a `try*`.
    StarHandler(&'a ast::StmtTry),
    With(&'a ast::StmtWith),
    Other,
}

struct Walker<'a> {
    ancestors: Vec<Ancestor<'a>>,
    pending: Vec<Pending<'a>>,
    /// What a statement (by its start) binds a name (by itself) to.
    facts: FxHashMap<(TextSize, &'a str), Fact>,
}

impl<'a> Walker<'a> {
    fn body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn within(&mut self, ancestors: &[Ancestor<'a>], body: &'a [Stmt]) {
        let depth = self.ancestors.len();
        self.ancestors.extend_from_slice(ancestors);
        self.body(body);
        self.ancestors.truncate(depth);
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str().split('.').next().unwrap_or("");
                    let fact = match module {
                        "typing" => Fact::ImportsTyping,
                        "contextlib" => Fact::ImportsContextlib,
                        _ => continue,
                    };
                    // `import a.b` binds `a`; `import a.b as c` binds `c`.
                    let bound = alias.asname.as_ref().map_or(module, |name| name.as_str());
                    self.facts.insert((import.start(), bound), fact);
                }
                self.found(Import::Plain(import));
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map(|m| m.as_str());
                for alias in &import.names {
                    let name = alias.name.as_str();
                    let fact = match module {
                        Some("typing") => Fact::FromTyping,
                        Some("typing_extensions") if import.level == 0 => {
                            Fact::FromTypingExtensions
                        }
                        Some("contextlib") if import.level == 0 && name == "suppress" => {
                            Fact::FromContextlibSuppress
                        }
                        _ => continue,
                    };
                    let bound = alias.asname.as_ref().map_or(name, |name| name.as_str());
                    self.facts.insert((import.start(), bound), fact);
                }
                self.found(Import::From(import));
            }
            Stmt::Assign(assign) if is_false(&assign.value) => {
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        self.facts
                            .insert((assign.start(), name.id.as_str()), Fact::AssignsFalse);
                    }
                }
            }
            Stmt::AnnAssign(assign) if assign.value.as_deref().is_some_and(is_false) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    self.facts
                        .insert((assign.start(), name.id.as_str()), Fact::AssignsFalse);
                }
            }
            Stmt::FunctionDef(def) => self.within(&[Ancestor::Other], &def.body),
            Stmt::ClassDef(class) => self.within(&[Ancestor::Other], &class.body),
            Stmt::For(node) => {
                self.within(&[Ancestor::Other], &node.body);
                self.within(&[Ancestor::Other], &node.orelse);
            }
            Stmt::While(node) => {
                self.within(&[Ancestor::Other], &node.body);
                self.within(&[Ancestor::Other], &node.orelse);
            }
            Stmt::If(node) => {
                // astroid nests each `elif` in the `else` of the `if` before.
                let depth = self.ancestors.len();
                self.ancestors.push(Ancestor::If(&node.test));
                self.body(&node.body);
                for clause in &node.elif_else_clauses {
                    // `else` belongs to the last `if` of the chain.
                    if let Some(test) = &clause.test {
                        self.ancestors.push(Ancestor::If(test));
                    }
                    self.body(&clause.body);
                }
                self.ancestors.truncate(depth);
            }
            Stmt::With(node) => {
                let ancestor = if node.is_async {
                    Ancestor::Other
                } else {
                    Ancestor::With(node)
                };
                self.within(&[ancestor], &node.body);
            }
            Stmt::Match(node) => {
                for case in &node.cases {
                    self.within(&[Ancestor::Other], &case.body);
                }
            }
            Stmt::Try(node) => {
                let ancestor = if node.is_star {
                    Ancestor::Other
                } else {
                    Ancestor::Try(node, None)
                };
                self.within(&[ancestor], &node.body);
                for (index, handler) in node.handlers.iter().enumerate() {
                    let ExceptHandler::ExceptHandler(handler) = handler;
                    let ancestor = if node.is_star {
                        Ancestor::StarHandler(node)
                    } else {
                        Ancestor::Try(node, Some(index))
                    };
                    self.within(&[ancestor], &handler.body);
                }
                self.within(&[ancestor], &node.orelse);
                self.within(&[ancestor], &node.finalbody);
            }
            _ => {}
        }
    }

    fn found(&mut self, import: Import<'a>) {
        let version_guard = matches!(
            self.ancestors.last(),
            Some(Ancestor::If(test)) if is_version_guard(test)
        );
        let checking_tests = self
            .ancestors
            .iter()
            .rev()
            .filter_map(|ancestor| match ancestor {
                Ancestor::If(test) if names_type_checking(test) => Some(*test),
                _ => None,
            })
            .collect();
        let suppressors = self
            .ancestors
            .iter()
            .filter_map(|ancestor| match ancestor {
                Ancestor::With(with) => Some(with),
                _ => None,
            })
            .flat_map(|with| &with.items)
            .filter_map(|item| match &item.context_expr {
                Expr::Call(call) if call.arguments.args.iter().any(names_import_error) => {
                    Some(call)
                }
                _ => None,
            })
            .collect();
        // The nearest `try` or handler (a `try*` body does not count).
        let wrapper = self
            .ancestors
            .iter()
            .rev()
            .find_map(|ancestor| match ancestor {
                Ancestor::Try(node, handler) => Some((*node, handler.is_some())),
                Ancestor::StarHandler(node) => Some((*node, true)),
                _ => None,
            });
        let (handled, fallback) = match wrapper {
            None => (false, false),
            Some((node, in_handler)) => {
                let handlers: Vec<&ast::ExceptHandlerExceptHandler> = node
                    .handlers
                    .iter()
                    .map(|handler| {
                        let ExceptHandler::ExceptHandler(handler) = handler;
                        handler
                    })
                    .collect();
                let catches = |names: &[&str]| {
                    handlers.iter().any(|handler| {
                        handler
                            .type_
                            .as_deref()
                            .is_some_and(|type_| mentions_any(type_, names))
                    })
                };
                let handled = !in_handler && catches(&["ImportError"]);
                let other_side: Vec<&Stmt> = if in_handler {
                    node.body.iter().collect()
                } else {
                    handlers.iter().flat_map(|handler| &handler.body).collect()
                };
                let imports_there = other_side
                    .iter()
                    .any(|stmt| matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)));
                (
                    handled,
                    imports_there || catches(&["ImportError", "ModuleNotFoundError"]),
                )
            }
        };
        self.pending.push(Pending {
            import,
            checking_tests,
            version_guard,
            handled,
            suppressors,
            fallback,
        });
    }
}

fn is_false(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(literal) if !literal.value)
}

/// pylint's `is_sys_guard`.
fn is_version_guard(test: &Expr) -> bool {
    match test {
        Expr::Compare(compare) => {
            let left = match compare.left.as_ref() {
                Expr::Subscript(subscript) => subscript.value.as_ref(),
                left => left,
            };
            is_attribute(left, "sys", &["version_info"])
        }
        test => is_attribute(test, "six", &["PY2", "PY3"]),
    }
}

/// `module.attr` for one of `attrs`, written with a plain name.
fn is_attribute(expr: &Expr, module: &str, attrs: &[&str]) -> bool {
    matches!(
        expr,
        Expr::Attribute(attribute)
            if attrs.contains(&attribute.attr.as_str())
                && matches!(attribute.value.as_ref(), Expr::Name(name) if name.id.as_str() == module)
    )
}

fn names_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attribute) => attribute.attr.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// An argument that infers to the class `ImportError`.
fn names_import_error(arg: &Expr) -> bool {
    match arg {
        Expr::Name(name) => name.id.as_str() == "ImportError",
        Expr::Attribute(_) => is_attribute(arg, "builtins", &["ImportError"]),
        Expr::Tuple(tuple) => tuple.elts.iter().any(names_import_error),
        _ => false,
    }
}

/// Whether any name in `expr` (astroid's `_get_name_nodes`) is one of `names`.
fn mentions_any(expr: &Expr, names: &[&str]) -> bool {
    struct Finder<'n> {
        names: &'n [&'n str],
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(name) = expr {
                self.found |= self.names.contains(&name.id.as_str());
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        names,
        found: false,
    };
    finder.visit_expr(expr);
    finder.found
}

/// Looks guard names up in the module's symbol table.
struct Lookup<'c, 'a> {
    context: &'c Context<'a>,
    facts: &'c FxHashMap<(TextSize, &'a str), Fact>,
    resolves: &'c dyn Fn(&str) -> bool,
}

impl Lookup<'_, '_> {
    /// pylint's `in_type_checking_block`, over the tests that name
    /// `TYPE_CHECKING`, innermost first.
    fn type_checking(&self, tests: &[&Expr]) -> bool {
        for test in tests {
            match test {
                Expr::Name(name) => {
                    let Some(first) = self.first_binding(name.start()) else {
                        // pylint gives up at an unbound `TYPE_CHECKING`.
                        return false;
                    };
                    let guards = match first {
                        Some(Fact::FromTyping | Fact::AssignsFalse) => true,
                        Some(Fact::FromTypingExtensions) => (self.resolves)("typing_extensions"),
                        _ => false,
                    };
                    if guards {
                        return true;
                    }
                }
                Expr::Attribute(attribute) => {
                    if let Expr::Name(module) = attribute.value.as_ref()
                        && self.first_binding(module.start()) == Some(Some(Fact::ImportsTyping))
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Whether a `with` item's call is `contextlib.suppress(...)`.
    fn is_contextlib_suppress(&self, call: &ast::ExprCall) -> bool {
        match call.func.as_ref() {
            Expr::Name(name) => {
                self.first_binding(name.start()) == Some(Some(Fact::FromContextlibSuppress))
            }
            Expr::Attribute(attribute) if attribute.attr.as_str() == "suppress" => {
                matches!(attribute.value.as_ref(), Expr::Name(module)
                    if self.first_binding(module.start()) == Some(Some(Fact::ImportsContextlib)))
            }
            _ => false,
        }
    }

    /// The first binding (in source order) of the name read at `offset`:
    /// `None` when the name is unbound, `Some(None)` when its binding is of
    /// no interest here.
    fn first_binding(&self, offset: TextSize) -> Option<Option<Fact>> {
        let model = self.context.model;
        let reference: &Reference<'_> = model.references.iter().find(|r| r.offset == offset)?;
        let (scope, symbol) = model.binding_of(reference)?;
        let first = symbol
            .events
            .iter()
            .filter(|event| event.kind == EventKind::Bind)
            // astroid's lookup sees the bindings before the read in its own
            // scope, and all of them from an inner scope.
            .filter(|event| scope != reference.scope || event.statement < reference.statement)
            .min_by_key(|event| event.statement)?;
        Some(self.facts.get(&(first.statement, reference.name)).copied())
    }
}

/// The absolute modules a module's import statements name, at any depth:
/// `import a.b` names `a.b`; `from a.b import c` names `a.b` and `a.b.c`
/// (which may be a submodule). Relative imports are left out.
pub(crate) fn modules_named(body: &[Stmt]) -> FxHashSet<String> {
    struct Collector {
        modules: FxHashSet<String>,
    }
    impl<'a> Visitor<'a> for Collector {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        self.modules.insert(alias.name.to_string());
                    }
                }
                Stmt::ImportFrom(import) if import.level == 0 => {
                    if let Some(module) = &import.module {
                        for alias in &import.names {
                            self.modules.insert(format!("{module}.{}", alias.name));
                        }
                        self.modules.insert(module.to_string());
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        // Expressions hold no statements but lambdas' bodies, which are
        // expressions too.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut collector = Collector {
        modules: FxHashSet::default(),
    };
    collector.visit_body(body);
    collector.modules
}
