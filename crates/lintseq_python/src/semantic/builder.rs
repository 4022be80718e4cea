//! Filling the [`Model`] from the AST, in execution order.

use std::collections::VecDeque;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::facts::{comprehension, contains_return, terminates, unpacks, value_of};
use super::{
    ArmKind, Branch, BranchId, Construct, Definition, Event, EventKind, How, Model, Reference,
    Scope, ScopeId, ScopeKind, Usage, Value,
};

/// Builds the symbol table of `module` (whose text is `source`).
pub(crate) fn build<'a>(module: &'a ast::ModModule, source: &'a str) -> Model<'a> {
    let mut builder = Builder {
        source,
        value: Value::Unknown,
        usage: Usage::Plain,
        definition: None,
        statement: TextSize::default(),
        model: Model {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                symbols: Default::default(),
                star_import: false,
                anchor: BranchId::ROOT,
                name: None,
            }],
            references: Vec::new(),
            branches: vec![Branch {
                parent: None,
                construct: 0,
                kind: ArmKind::Root,
                terminates: false,
            }],
            constructs: vec![Construct::default()],
            future_annotations: has_future_annotations(&module.body),
        },
        scope: ScopeId::MODULE,
        branch: BranchId::ROOT,
        order: 0,
        lazy: false,
        deferred: VecDeque::new(),
    };
    builder.visit_body(&module.body);
    while let Some(work) = builder.deferred.pop_front() {
        builder.run_deferred(work);
    }
    builder.model
}

fn has_future_annotations(body: &[Stmt]) -> bool {
    body.iter()
        .take_while(|stmt| matches!(stmt, Stmt::ImportFrom(_) | Stmt::Expr(_)))
        .any(|stmt| match stmt {
            Stmt::ImportFrom(import) => {
                import
                    .module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__")
                    && import
                        .names
                        .iter()
                        .any(|alias| alias.name.as_str() == "annotations")
            }
            _ => false,
        })
}

/// Code that runs later than where it is written.
enum Deferred<'a> {
    Function(ScopeId, &'a ast::StmtFunctionDef),
    Lambda(ScopeId, &'a ast::ExprLambda),
    /// A lazily evaluated expression (annotations under the future import,
    /// type alias values), read in the given scope.
    Lazy(ScopeId, &'a Expr),
}

struct Builder<'a> {
    source: &'a str,
    /// The value of the next binding (set for `name = <literal>`).
    value: Value,
    /// What the expression around the next name reference does with it.
    usage: Usage<'a>,
    /// What the next binding defines (for `def` and `class`).
    definition: Option<Definition<'a>>,
    /// Start of the statement being visited.
    statement: TextSize,
    model: Model<'a>,
    scope: ScopeId,
    branch: BranchId,
    order: u32,
    lazy: bool,
    deferred: VecDeque<Deferred<'a>>,
}

impl<'a> Builder<'a> {
    fn next_order(&mut self) -> u32 {
        self.order += 1;
        self.order
    }

    fn push_scope(&mut self, kind: ScopeKind, parent: ScopeId) -> ScopeId {
        self.push_named_scope(kind, parent, None)
    }

    fn push_named_scope(
        &mut self,
        kind: ScopeKind,
        parent: ScopeId,
        name: Option<&'a str>,
    ) -> ScopeId {
        let id = ScopeId(self.model.scopes.len() as u32);
        self.model.scopes.push(Scope {
            kind,
            parent: Some(parent),
            symbols: Default::default(),
            star_import: false,
            anchor: self.branch,
            name,
        });
        id
    }

    fn event(&mut self, scope: ScopeId, name: &'a str, kind: EventKind, how: How) {
        let value = std::mem::replace(&mut self.value, Value::Unknown);
        let definition = self.definition.take();
        let statement = self.statement;
        let order = self.next_order();
        let branch = self.branch;
        self.model.scopes[scope.0 as usize]
            .symbols
            .entry(name)
            .or_default()
            .events
            .push(Event {
                order,
                kind,
                branch,
                how,
                value,
                definition,
                statement,
            });
    }

    fn bind(&mut self, name: &'a str) {
        self.event(self.scope, name, EventKind::Bind, How::Plain);
    }

    fn reference(&mut self, name: &'a str, offset: TextSize) {
        let order = self.next_order();
        self.model.references.push(Reference {
            name,
            scope: self.scope,
            offset,
            order,
            branch: self.branch,
            lazy: self.lazy,
            usage: std::mem::replace(&mut self.usage, Usage::Plain),
            statement: self.statement,
        });
    }

    /// Runs `f` inside arm `kind` of `construct`, whose statements are `body`.
    fn in_arm(&mut self, construct: u32, kind: ArmKind, body: &[Stmt], f: impl FnOnce(&mut Self)) {
        let id = BranchId(self.model.branches.len() as u32);
        self.model.branches.push(Branch {
            parent: Some(self.branch),
            construct,
            kind,
            terminates: body.iter().any(terminates),
        });
        let saved = std::mem::replace(&mut self.branch, id);
        f(self);
        self.branch = saved;
    }

    fn new_construct(&mut self, construct: Construct) -> u32 {
        self.model.constructs.push(construct);
        self.model.constructs.len() as u32 - 1
    }

    fn run_deferred(&mut self, work: Deferred<'a>) {
        self.branch = BranchId::ROOT;
        match work {
            Deferred::Function(scope, def) => {
                self.scope = scope;
                self.bind_parameters(&def.parameters);
                self.visit_body(&def.body);
            }
            Deferred::Lambda(scope, lambda) => {
                self.scope = scope;
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters);
                }
                self.visit_expr(&lambda.body);
            }
            Deferred::Lazy(scope, expr) => {
                self.scope = scope;
                self.lazy = true;
                self.visit_expr(expr);
                self.lazy = false;
            }
        }
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            let name = parameter.name();
            let symbol = self.model.scopes[self.scope.0 as usize]
                .symbols
                .entry(name.as_str())
                .or_default();
            symbol.parameter = true;
            self.bind(name.as_str());
        }
    }

    /// Visits what a `def` evaluates where it stands (decorators, defaults,
    /// annotations) and schedules its body.
    fn visit_function_def(&mut self, def: &'a ast::StmtFunctionDef) {
        for decorator in &def.decorator_list {
            self.visit_expr(&decorator.expression);
        }
        for parameter in def.parameters.iter_non_variadic_params() {
            if let Some(default) = &parameter.default {
                self.visit_expr(default);
            }
        }
        let outer = self.scope;
        let header = match &def.type_params {
            Some(type_params) => {
                let scope = self.push_scope(ScopeKind::TypeParams, outer);
                self.scope = scope;
                self.bind_type_params(type_params);
                scope
            }
            None => outer,
        };
        let annotations = def
            .parameters
            .iter()
            .filter_map(|p| p.annotation())
            .chain(def.returns.as_deref());
        for annotation in annotations {
            self.visit_annotation_expr(annotation);
        }
        let scope = self.push_named_scope(ScopeKind::Function, header, Some(def.name.as_str()));
        self.scope = outer;
        self.definition = Some(Definition::Function(def));
        self.event(outer, def.name.as_str(), EventKind::Bind, How::Definition);
        self.deferred.push_back(Deferred::Function(scope, def));
    }

    fn visit_class_def(&mut self, class: &'a ast::StmtClassDef) {
        for decorator in &class.decorator_list {
            self.visit_expr(&decorator.expression);
        }
        let outer = self.scope;
        if let Some(type_params) = &class.type_params {
            let scope = self.push_scope(ScopeKind::TypeParams, outer);
            self.scope = scope;
            self.bind_type_params(type_params);
        }
        if let Some(arguments) = &class.arguments {
            self.visit_arguments(arguments);
        }
        let scope = self.push_named_scope(ScopeKind::Class, self.scope, Some(class.name.as_str()));
        self.scope = scope;
        self.visit_body(&class.body);
        self.scope = outer;
        self.definition = Some(Definition::Class(class));
        self.event(outer, class.name.as_str(), EventKind::Bind, How::Definition);
    }

    fn bind_type_params(&mut self, type_params: &'a ast::TypeParams) {
        for param in &type_params.type_params {
            self.bind(param.name().as_str());
        }
        for param in &type_params.type_params {
            if let ast::TypeParam::TypeVar(var) = param
                && let Some(bound) = &var.bound
            {
                self.deferred.push_back(Deferred::Lazy(self.scope, bound));
            }
        }
    }

    /// Annotations run where they stand, unless the future import makes them
    /// lazy strings.
    fn visit_annotation_expr(&mut self, expr: &'a Expr) {
        if self.model.future_annotations {
            self.deferred.push_back(Deferred::Lazy(self.scope, expr));
        } else {
            self.visit_expr(expr);
        }
    }

    fn visit_comprehension_scope(
        &mut self,
        generators: &'a [ast::Comprehension],
        elements: &[&'a Expr],
    ) {
        let Some((first, _)) = generators.split_first() else {
            return;
        };
        self.visit_used(&first.iter, Usage::Iterated);
        let outer = self.scope;
        self.scope = self.push_scope(ScopeKind::Comprehension, outer);
        for (index, generator) in generators.iter().enumerate() {
            if index > 0 {
                self.visit_used(&generator.iter, Usage::Iterated);
            }
            self.visit_expr(&generator.target);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.scope = outer;
    }

    /// Visits `expr` telling the name reference it may be what it is used as.
    fn visit_used(&mut self, expr: &'a Expr, usage: Usage<'a>) {
        if matches!(expr, Expr::Name(name) if name.ctx == ExprContext::Load) {
            self.usage = usage;
        }
        self.visit_expr(expr);
        self.usage = Usage::Plain;
    }

    /// Where a walrus binds: the nearest scope that is not a comprehension.
    fn walrus_scope(&self) -> ScopeId {
        self.model
            .ancestors(self.scope)
            .find(|&id| !matches!(self.model.scope(id).kind, ScopeKind::Comprehension))
            .unwrap_or(ScopeId::MODULE)
    }

    fn visit_delete_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => {
                self.reference(name.id.as_str(), name.range.start());
                self.event(self.scope, name.id.as_str(), EventKind::Unbind, How::Plain);
            }
            Expr::Tuple(tuple) => tuple.iter().for_each(|e| self.visit_delete_target(e)),
            Expr::List(list) => list.iter().for_each(|e| self.visit_delete_target(e)),
            other => self.visit_expr(other),
        }
    }

    fn visit_pattern_bindings(&mut self, pattern: &'a ast::Pattern) {
        match pattern {
            ast::Pattern::MatchAs(ast::PatternMatchAs { pattern, name, .. }) => {
                if let Some(pattern) = pattern {
                    self.visit_pattern_bindings(pattern);
                }
                if let Some(name) = name {
                    self.bind(name.as_str());
                }
            }
            ast::Pattern::MatchStar(ast::PatternMatchStar {
                name: Some(name), ..
            }) => {
                self.bind(name.as_str());
            }
            ast::Pattern::MatchMapping(mapping) => {
                for key in &mapping.keys {
                    self.visit_expr(key);
                }
                for pattern in &mapping.patterns {
                    self.visit_pattern_bindings(pattern);
                }
                if let Some(rest) = &mapping.rest {
                    self.bind(rest.as_str());
                }
            }
            ast::Pattern::MatchValue(value) => self.visit_expr(&value.value),
            ast::Pattern::MatchClass(class) => {
                self.visit_expr(&class.cls);
                for pattern in &class.arguments.patterns {
                    self.visit_pattern_bindings(pattern);
                }
                for keyword in &class.arguments.keywords {
                    self.visit_pattern_bindings(&keyword.pattern);
                }
            }
            ast::Pattern::MatchSequence(sequence) => {
                for pattern in &sequence.patterns {
                    self.visit_pattern_bindings(pattern);
                }
            }
            ast::Pattern::MatchOr(or) => {
                for pattern in &or.patterns {
                    self.visit_pattern_bindings(pattern);
                }
            }
            ast::Pattern::MatchStar(_) | ast::Pattern::MatchSingleton(_) => {}
        }
    }

    fn declare(&mut self, names: &'a [ast::Identifier], global: bool) {
        for name in names {
            let symbol = self.model.scopes[self.scope.0 as usize]
                .symbols
                .entry(name.as_str())
                .or_default();
            if global {
                symbol.global = true;
            } else {
                symbol.nonlocal = Some(name.range.start());
            }
        }
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let outer_statement = std::mem::replace(&mut self.statement, stmt.start());
        self.visit_statement(stmt);
        self.statement = outer_statement;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.visit_expression(expr);
    }
}

impl<'a> Builder<'a> {
    fn visit_statement(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => self.visit_function_def(def),
            Stmt::ClassDef(class) => self.visit_class_def(class),
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.visit_delete_target(target);
                }
            }
            Stmt::Assign(assign) => {
                if unpacks(assign) {
                    self.visit_used(&assign.value, Usage::Unpacked);
                } else {
                    self.visit_expr(&assign.value);
                }
                let value = value_of(&assign.value);
                for target in &assign.targets {
                    if matches!(target, Expr::Name(_)) {
                        self.value = value;
                    }
                    self.visit_expr(target);
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    self.reference(name.id.as_str(), name.range.start());
                    self.visit_expr(&assign.value);
                    self.event(
                        self.scope,
                        name.id.as_str(),
                        EventKind::Bind,
                        How::Augmented,
                    );
                } else {
                    self.visit_expr(&assign.target);
                    self.visit_expr(&assign.value);
                }
            }
            Stmt::AnnAssign(assign) => {
                // Annotations of locals are never evaluated, but pylint
                // still wants their names to exist.
                if self.model.scope(self.scope).kind.is_function_like() {
                    self.deferred
                        .push_back(Deferred::Lazy(self.scope, &assign.annotation));
                } else {
                    self.visit_annotation_expr(&assign.annotation);
                }
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    self.visit_expr(&assign.target);
                } else if let Expr::Name(name) = assign.target.as_ref() {
                    self.event(
                        self.scope,
                        name.id.as_str(),
                        EventKind::Annotate,
                        How::Plain,
                    );
                } else {
                    self.visit_expr(&assign.target);
                }
            }
            Stmt::TypeAlias(alias) => {
                self.visit_expr(&alias.name);
                self.deferred
                    .push_back(Deferred::Lazy(self.scope, &alias.value));
            }
            Stmt::For(for_stmt) => {
                self.visit_used(&for_stmt.iter, Usage::Iterated);
                let construct = self.new_construct(Construct::default());
                self.in_arm(construct, ArmKind::ForBody, &for_stmt.body, |this| {
                    this.visit_expr(&for_stmt.target);
                    this.visit_body(&for_stmt.body);
                });
                self.in_arm(construct, ArmKind::LoopElse, &for_stmt.orelse, |this| {
                    this.visit_body(&for_stmt.orelse);
                });
            }
            Stmt::While(while_stmt) => {
                self.visit_expr(&while_stmt.test);
                let construct = self.new_construct(Construct::default());
                self.in_arm(construct, ArmKind::WhileBody, &while_stmt.body, |this| {
                    this.visit_body(&while_stmt.body);
                });
                self.in_arm(construct, ArmKind::LoopElse, &while_stmt.orelse, |this| {
                    this.visit_body(&while_stmt.orelse);
                });
            }
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                let construct = self.new_construct(Construct {
                    test: Some(self.source[if_stmt.test.range()].to_string()),
                    has_else: if_stmt
                        .elif_else_clauses
                        .last()
                        .is_some_and(|clause| clause.test.is_none()),
                    try_returns: false,
                });
                self.in_arm(construct, ArmKind::If(0), &if_stmt.body, |this| {
                    this.visit_body(&if_stmt.body);
                });
                for (index, clause) in if_stmt.elif_else_clauses.iter().enumerate() {
                    let arm = ArmKind::If(index as u32 + 1);
                    self.in_arm(construct, arm, &clause.body, |this| {
                        if let Some(test) = &clause.test {
                            this.visit_expr(test);
                        }
                        this.visit_body(&clause.body);
                    });
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_used(&item.context_expr, Usage::Entered);
                    if let Some(vars) = &item.optional_vars {
                        self.visit_expr(vars);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Match(match_stmt) => {
                self.visit_expr(&match_stmt.subject);
                let construct = self.new_construct(Construct::default());
                for case in &match_stmt.cases {
                    self.in_arm(construct, ArmKind::Case, &case.body, |this| {
                        this.visit_pattern_bindings(&case.pattern);
                        if let Some(guard) = &case.guard {
                            this.visit_expr(guard);
                        }
                        this.visit_body(&case.body);
                    });
                }
            }
            Stmt::Try(try_stmt) => {
                let construct = self.new_construct(Construct {
                    try_returns: contains_return(&try_stmt.body)
                        || contains_return(&try_stmt.orelse),
                    ..Construct::default()
                });
                self.in_arm(construct, ArmKind::TryBody, &try_stmt.body, |this| {
                    this.visit_body(&try_stmt.body);
                });
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.in_arm(construct, ArmKind::Handler, &handler.body, |this| {
                        if let Some(type_) = &handler.type_ {
                            this.visit_expr(type_);
                        }
                        if let Some(name) = &handler.name {
                            this.bind(name.as_str());
                        }
                        this.visit_body(&handler.body);
                        if let Some(name) = &handler.name {
                            this.event(this.scope, name.as_str(), EventKind::Unbind, How::Plain);
                        }
                    });
                }
                self.in_arm(construct, ArmKind::TryElse, &try_stmt.orelse, |this| {
                    this.visit_body(&try_stmt.orelse);
                });
                self.in_arm(construct, ArmKind::Finally, &try_stmt.finalbody, |this| {
                    this.visit_body(&try_stmt.finalbody);
                });
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |asname| asname.as_str(),
                    );
                    self.bind(bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.model.scopes[self.scope.0 as usize].star_import = true;
                    } else {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.bind(bound.as_str());
                    }
                }
            }
            Stmt::Raise(raise) => {
                if let Some(exc) = &raise.exc {
                    self.visit_used(exc, Usage::Raised);
                }
                if let Some(cause) = &raise.cause {
                    self.visit_expr(cause);
                }
            }
            Stmt::Global(global) => self.declare(&global.names, true),
            Stmt::Nonlocal(nonlocal) => self.declare(&nonlocal.names, false),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expression(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => match name.ctx {
                ExprContext::Load => self.reference(name.id.as_str(), name.range.start()),
                ExprContext::Store => self.bind(name.id.as_str()),
                ExprContext::Del => self.visit_delete_target(expr),
                ExprContext::Invalid => {}
            },
            Expr::Attribute(attribute)
                if attribute.ctx == ExprContext::Load
                    && matches!(attribute.value.as_ref(), Expr::Name(_)) =>
            {
                self.visit_used(&attribute.value, Usage::Attribute(attribute.attr.as_str()));
            }
            Expr::Starred(starred) if starred.ctx == ExprContext::Load => {
                self.visit_used(&starred.value, Usage::Iterated);
            }
            Expr::YieldFrom(yield_from) => self.visit_used(&yield_from.value, Usage::Iterated),
            Expr::Subscript(subscript) if matches!(subscript.value.as_ref(), Expr::Name(_)) => {
                let usage = match subscript.ctx {
                    ExprContext::Store => Usage::SubscriptStored,
                    ExprContext::Del => Usage::SubscriptDeleted,
                    _ => Usage::Subscripted,
                };
                self.visit_used(&subscript.value, usage);
                self.visit_expr(&subscript.slice);
            }
            Expr::Call(call) if matches!(call.func.as_ref(), Expr::Name(_)) => {
                self.visit_used(&call.func, Usage::Called);
                self.visit_arguments(&call.arguments);
            }
            Expr::Compare(compare) => {
                self.visit_expr(&compare.left);
                for (op, comparator) in compare.ops.iter().zip(compare.comparators.iter()) {
                    if matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn) {
                        self.visit_used(comparator, Usage::Contained);
                    } else {
                        self.visit_expr(comparator);
                    }
                }
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                if let Expr::Name(name) = named.target.as_ref() {
                    let scope = self.walrus_scope();
                    self.event(scope, name.id.as_str(), EventKind::Bind, How::Plain);
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter_non_variadic_params() {
                        if let Some(default) = &parameter.default {
                            self.visit_expr(default);
                        }
                    }
                }
                let scope = self.push_scope(ScopeKind::Lambda, self.scope);
                self.deferred.push_back(Deferred::Lambda(scope, lambda));
            }
            _ => match comprehension(expr) {
                Some((generators, elements)) => {
                    self.visit_comprehension_scope(generators, &elements)
                }
                None => visitor::walk_expr(self, expr),
            },
        }
    }
}
