//! E0102 function-redefined.
//!
//! **What it flags:** a `def` or `class` whose name the same scope (module,
//! class body or function) already bound, by another definition, an
//! assignment, an import or a parameter, unless the two cannot both run, as
//! pylint 3.2.6 judges it: the first binding and the redefinition sit in
//! different arms of one `if`/`elif`/`else`, or one in a `try` body (or its
//! `else`) and the other in a handler, or in two handlers. As in pylint, a
//! definition is compared with the first binding of its name only, and these
//! are exempt: `typing.overload` stubs (which are never the first binding
//! either), definitions decorated with an attribute of their own name
//! (`@x.setter`, `@x.deleter`, `@f.register`), `singledispatch`
//! registrations, definitions directly under `if not f:` or `if f is None:`,
//! `__module__` in a class, dummy names (`_`, `_helper`, `dummy...`,
//! `ignored_...`, `unused_...`), and names first bound by a plain
//! annotated assignment (`x: int = 0`).
//!
//! **Why:** code that defines a function twice on purpose keeps the
//! definitions in exclusive branches (`if sys.version_info >= ...:` /
//! `else:`, `try: from x import f` / `except ImportError: def f`). Delete
//! the lines that held them apart and both land in one block.
//!
//! **Example:**
//! ```python
//! import json
//! def loads(text):
//!     return json.loads(text)
//! def loads(text):
//!     return text
//! ```
//! is reported on line 4 ("function already defined line 2").

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::context::Context;
use crate::semantic::{EventKind, Model};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !may_redefine(context.model) {
        return;
    }
    let mut collector = Collector::default();
    collector.frames.push(Frame::new(FrameKind::Module));
    collector.visit_block(&context.module.body, None);
    while let Some((index, def)) = collector.pending.pop() {
        collector.visit_function_body(index, def);
    }
    let singledispatch = collector.singledispatch;
    for frame in &mut collector.frames {
        for (name, bindings) in &mut frame.bindings {
            // Bindings of a function's `global` names arrive out of order.
            bindings.sort_by_key(|binding| binding.offset);
            check_name(context, frame.kind, name, bindings, &singledispatch, out);
        }
    }
}

/// Whether some scope binds a `def` or `class` name more than once (a cheap
/// test on the symbol table, which is a superset of pylint's rule).
fn may_redefine(model: &Model<'_>) -> bool {
    let through_global = || {
        model.scopes.iter().skip(1).any(|scope| {
            scope
                .symbols
                .values()
                .any(|symbol| symbol.global && symbol.is_bound_here())
        })
    };
    model.scopes.iter().any(|scope| {
        scope.symbols.values().any(|symbol| {
            symbol.events.iter().any(|event| event.definition.is_some())
                && (symbol.parameter
                    || symbol
                        .events
                        .iter()
                        .filter(|event| event.kind == EventKind::Bind)
                        .nth(1)
                        .is_some())
        })
    }) || through_global()
}

fn check_name(
    context: &Context<'_>,
    frame: FrameKind,
    name: &str,
    bindings: &[Binding<'_>],
    singledispatch: &FxHashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(first) = bindings.iter().position(|b| !b.overload_stub) else {
        return;
    };
    for (index, binding) in bindings.iter().enumerate() {
        let Some(definition) = binding.definition else {
            continue;
        };
        if index == first
            || exclusive(&binding.path, &bindings[first].path)
            || binding.overload_stub
            || (frame == FrameKind::Class && name == "__module__")
            || binding
                .parent_if_test
                .is_some_and(|test| tests_absence(test, name))
            || is_dummy(name)
        {
            continue;
        }
        let what = match definition {
            Definition::Function(def) => {
                if redefined_by_decorator(def) || registered(def, singledispatch) {
                    continue;
                }
                if frame == FrameKind::Class {
                    "method"
                } else {
                    "function"
                }
            }
            Definition::Class(_) => "class",
        };
        let line = context.lines.line(bindings[first].line);
        out.push(context.diagnostic(
            binding.line,
            "E0102",
            format!("{what} already defined line {line}"),
        ));
    }
}

/// Whether two bindings sit in branches that never both run (astroid's
/// `are_exclusive`: the innermost `if` or `try` holding both decides).
fn exclusive(a: &[Arm], b: &[Arm]) -> bool {
    let Some((x, y)) = a.iter().zip(b).find(|(x, y)| x != y) else {
        return false;
    };
    if x.construct != y.construct {
        return false;
    }
    match (x.kind, y.kind) {
        (ArmKind::If(i), ArmKind::If(j)) => i != j,
        // A test is evaluated with the arms before it already passed over.
        (ArmKind::IfTest(t), ArmKind::If(i)) | (ArmKind::If(i), ArmKind::IfTest(t)) => i < t,
        (ArmKind::TryBody | ArmKind::TryElse, ArmKind::Handler(_))
        | (ArmKind::Handler(_), ArmKind::TryBody | ArmKind::TryElse) => true,
        (ArmKind::Handler(i), ArmKind::Handler(j)) => i != j,
        _ => false,
    }
}

/// `if not name:` or `if name is None:`.
fn tests_absence(test: &Expr, name: &str) -> bool {
    let is_name = |expr: &Expr| matches!(expr, Expr::Name(n) if n.id.as_str() == name);
    match test {
        Expr::UnaryOp(unary) => unary.op == UnaryOp::Not && is_name(&unary.operand),
        Expr::Compare(compare) => {
            is_name(&compare.left)
                && compare.ops.first() == Some(&CmpOp::Is)
                && matches!(compare.comparators.first(), Some(Expr::NoneLiteral(_)))
        }
        _ => false,
    }
}

/// pylint's default `dummy-variables-rgx`:
/// `_+$|(_[a-zA-Z0-9_]*[a-zA-Z0-9]+?$)|dummy|^ignored_|^unused_`, matched at
/// the start of the name.
fn is_dummy(name: &str) -> bool {
    let underscores = !name.is_empty() && name.bytes().all(|b| b == b'_');
    let private = name.len() >= 2
        && name.starts_with('_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    underscores
        || private
        || name.starts_with("dummy")
        || name.starts_with("ignored_")
        || name.starts_with("unused_")
}

/// `@name.setter`, `@name.deleter`, `@name.register`...: a decorator that is
/// an attribute of the function's own name.
fn redefined_by_decorator(def: &ast::StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|decorator| {
        matches!(&decorator.expression, Expr::Attribute(attribute)
            if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == def.name.as_str()))
    })
}

/// `@f.register` or `@f.register(T)` where `f` is a `singledispatch` function.
fn registered(def: &ast::StmtFunctionDef, singledispatch: &FxHashSet<&str>) -> bool {
    def.decorator_list.iter().any(|decorator| {
        let expression = match &decorator.expression {
            Expr::Call(call) => call.func.as_ref(),
            other => other,
        };
        matches!(expression, Expr::Attribute(attribute)
            if attribute.attr.as_str() == "register"
                && matches!(attribute.value.as_ref(), Expr::Name(n) if singledispatch.contains(n.id.as_str())))
    })
}

/// The name a decorator stands for, calls stripped: `overload` for
/// `@overload`, `@typing.overload` and `@t.overload(...)`.
fn decorator_name(decorator: &ast::Decorator) -> Option<&str> {
    let expression = match &decorator.expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    match expression {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

fn is_overload_stub(decorators: &[ast::Decorator]) -> bool {
    decorators
        .iter()
        .any(|d| decorator_name(d) == Some("overload"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FrameKind {
    Module,
    Class,
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArmKind {
    IfTest(u32),
    If(u32),
    TryBody,
    Handler(u32),
    TryElse,
    /// `finally`, and every arm of `try`/`except*` (never exclusive).
    Other,
}

/// One arm of an `if` or `try`, on the way from a frame's body to a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Arm {
    construct: u32,
    kind: ArmKind,
}

#[derive(Clone, Copy, Debug)]
enum Definition<'a> {
    Function(&'a ast::StmtFunctionDef),
    Class(&'a ast::StmtClassDef),
}

#[derive(Debug)]
struct Binding<'a> {
    /// Where the binding happens, for ordering.
    offset: TextSize,
    /// Where pylint places it (the `def` line, not its decorators').
    line: TextSize,
    path: Vec<Arm>,
    definition: Option<Definition<'a>>,
    overload_stub: bool,
    /// The test of the `if` whose arm holds the binding directly.
    parent_if_test: Option<&'a Expr>,
}

#[derive(Debug)]
struct Frame<'a> {
    kind: FrameKind,
    bindings: FxHashMap<&'a str, Vec<Binding<'a>>>,
    /// Names the frame (a function) declares `global`.
    globals: FxHashSet<&'a str>,
}

impl Frame<'_> {
    fn new(kind: FrameKind) -> Self {
        Self {
            kind,
            bindings: FxHashMap::default(),
            globals: FxHashSet::default(),
        }
    }
}

/// Gathers every frame's bindings (astroid's `locals`) in source order.
#[derive(Default)]
struct Collector<'a> {
    frames: Vec<Frame<'a>>,
    frame: usize,
    path: Vec<Arm>,
    constructs: u32,
    /// Function bodies still to visit, with the frame they open.
    pending: Vec<(usize, &'a ast::StmtFunctionDef)>,
    /// Functions decorated with `singledispatch`.
    singledispatch: FxHashSet<&'a str>,
}

impl<'a> Collector<'a> {
    fn bind(
        &mut self,
        name: &'a str,
        offset: TextSize,
        definition: Option<Definition<'a>>,
        parent_if_test: Option<&'a Expr>,
    ) {
        let line = match definition {
            Some(Definition::Function(def)) => def.name.start(),
            Some(Definition::Class(class)) => class.name.start(),
            None => offset,
        };
        let overload_stub = match definition {
            Some(Definition::Function(def)) => is_overload_stub(&def.decorator_list),
            Some(Definition::Class(class)) => is_overload_stub(&class.decorator_list),
            None => false,
        };
        let frame = if self.frames[self.frame].globals.contains(name) {
            0
        } else {
            self.frame
        };
        self.frames[frame]
            .bindings
            .entry(name)
            .or_default()
            .push(Binding {
                offset,
                line,
                path: self.path.clone(),
                definition,
                overload_stub,
                parent_if_test,
            });
    }

    fn open_frame(&mut self, kind: FrameKind) -> usize {
        self.frames.push(Frame::new(kind));
        self.frames.len() - 1
    }

    fn new_construct(&mut self) -> u32 {
        self.constructs += 1;
        self.constructs
    }

    fn in_arm(&mut self, construct: u32, kind: ArmKind, f: impl FnOnce(&mut Self)) {
        self.path.push(Arm { construct, kind });
        f(self);
        self.path.pop();
    }

    fn visit_function_body(&mut self, frame: usize, def: &'a ast::StmtFunctionDef) {
        let (saved_frame, saved_path) = (self.frame, std::mem::take(&mut self.path));
        self.frame = frame;
        // `global` applies to the whole body, whatever its position.
        let mut globals = Globals::default();
        globals.visit_body(&def.body);
        self.frames[frame].globals = globals.0;
        for parameter in def.parameters.iter() {
            let name = parameter.name();
            self.bind(name.as_str(), name.start(), None, None);
        }
        self.visit_block(&def.body, None);
        self.frame = saved_frame;
        self.path = saved_path;
    }

    fn visit_block(&mut self, body: &'a [Stmt], parent_if_test: Option<&'a Expr>) {
        for stmt in body {
            self.visit_statement(stmt, parent_if_test);
        }
    }

    fn visit_statement(&mut self, stmt: &'a Stmt, parent_if_test: Option<&'a Expr>) {
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if def
                    .decorator_list
                    .iter()
                    .any(|d| decorator_name(d) == Some("singledispatch"))
                {
                    self.singledispatch.insert(def.name.as_str());
                }
                let definition = Some(Definition::Function(def));
                self.bind(def.name.as_str(), stmt.start(), definition, parent_if_test);
                let frame = self.open_frame(FrameKind::Function);
                self.pending.push((frame, def));
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let frame = self.open_frame(FrameKind::Class);
                let (saved_frame, saved_path) = (self.frame, std::mem::take(&mut self.path));
                self.frame = frame;
                self.visit_block(&class.body, None);
                self.frame = saved_frame;
                self.path = saved_path;
                let definition = Some(Definition::Class(class));
                self.bind(
                    class.name.as_str(),
                    stmt.start(),
                    definition,
                    parent_if_test,
                );
            }
            Stmt::AnnAssign(assign) => {
                self.visit_expr(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                // pylint disregards plain annotated names (`x: int = 0`).
                if !(assign.simple && matches!(assign.target.as_ref(), Expr::Name(_))) {
                    self.visit_expr(&assign.target);
                }
            }
            Stmt::If(if_stmt) => {
                let construct = self.new_construct();
                self.in_arm(construct, ArmKind::IfTest(0), |this| {
                    this.visit_expr(&if_stmt.test);
                });
                self.in_arm(construct, ArmKind::If(0), |this| {
                    this.visit_block(&if_stmt.body, Some(&if_stmt.test));
                });
                let mut test = &*if_stmt.test;
                for (index, clause) in if_stmt.elif_else_clauses.iter().enumerate() {
                    let arm = index as u32 + 1;
                    if let Some(clause_test) = &clause.test {
                        test = clause_test;
                        self.in_arm(construct, ArmKind::IfTest(arm), |this| {
                            this.visit_expr(clause_test);
                        });
                    }
                    self.in_arm(construct, ArmKind::If(arm), |this| {
                        this.visit_block(&clause.body, Some(test));
                    });
                }
            }
            Stmt::Try(try_stmt) => {
                let construct = self.new_construct();
                let arm = |kind| {
                    if try_stmt.is_star {
                        ArmKind::Other
                    } else {
                        kind
                    }
                };
                self.in_arm(construct, arm(ArmKind::TryBody), |this| {
                    this.visit_block(&try_stmt.body, None);
                });
                for (index, handler) in try_stmt.handlers.iter().enumerate() {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.in_arm(construct, arm(ArmKind::Handler(index as u32)), |this| {
                        if let Some(type_) = &handler.type_ {
                            this.visit_expr(type_);
                        }
                        if let Some(name) = &handler.name {
                            this.bind(name.as_str(), name.start(), None, None);
                        }
                        this.visit_block(&handler.body, None);
                    });
                }
                self.in_arm(construct, arm(ArmKind::TryElse), |this| {
                    this.visit_block(&try_stmt.orelse, None);
                });
                self.in_arm(construct, ArmKind::Other, |this| {
                    this.visit_block(&try_stmt.finalbody, None);
                });
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |asname| asname.as_str(),
                    );
                    self.bind(bound, stmt.start(), None, None);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if alias.name.as_str() != "*" {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.bind(bound.as_str(), stmt.start(), None, None);
                    }
                }
            }
            Stmt::Match(match_stmt) => {
                self.visit_expr(&match_stmt.subject);
                for case in &match_stmt.cases {
                    self.visit_pattern(&case.pattern);
                    if let Some(guard) = &case.guard {
                        self.visit_expr(guard);
                    }
                    self.visit_block(&case.body, None);
                }
            }
            // Every other statement: its expressions, then its blocks.
            _ => self.visit_stmt(stmt),
        }
    }
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::AnnAssign(_)
            | Stmt::If(_)
            | Stmt::Try(_)
            | Stmt::Import(_)
            | Stmt::ImportFrom(_)
            | Stmt::Match(_) => self.visit_statement(stmt, None),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ast::ExprContext::Store => {
                self.bind(name.id.as_str(), name.start(), None, None);
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.visit_expr(&named.target);
            }
            // Their own frames, with nothing a `def` could redefine.
            Expr::Lambda(_) => {}
            // Comprehension variables are the comprehension's own; only
            // walruses inside bind in the frame.
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let mut walruses = Walruses(Vec::new());
                walruses.visit_expr(expr);
                for name in walruses.0 {
                    self.bind(name.id.as_str(), name.start(), None, None);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> Collector<'a> {
    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        let mut captures = Captures(Vec::new());
        captures.visit_pattern(pattern);
        for name in captures.0 {
            self.bind(name.as_str(), name.start(), None, None);
        }
    }
}

/// The targets of walruses in an expression (lambdas aside).
struct Walruses<'a>(Vec<&'a ast::ExprName>);

impl<'a> Visitor<'a> for Walruses<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Named(named) => {
                if let Expr::Name(name) = named.target.as_ref() {
                    self.0.push(name);
                }
                self.visit_expr(&named.value);
            }
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The names a `match` pattern captures.
struct Captures<'a>(Vec<&'a ast::Identifier>);

impl<'a> Visitor<'a> for Captures<'a> {
    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        match pattern {
            ast::Pattern::MatchAs(ast::PatternMatchAs {
                name: Some(name), ..
            })
            | ast::Pattern::MatchStar(ast::PatternMatchStar {
                name: Some(name), ..
            }) => {
                self.0.push(name);
            }
            ast::Pattern::MatchMapping(ast::PatternMatchMapping {
                rest: Some(rest), ..
            }) => {
                self.0.push(rest);
            }
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}

/// The names a function body declares `global` (nested scopes aside).
#[derive(Default)]
struct Globals<'a>(FxHashSet<&'a str>);

impl<'a> Visitor<'a> for Globals<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Global(global) => self.0.extend(global.names.iter().map(|n| n.as_str())),
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}
