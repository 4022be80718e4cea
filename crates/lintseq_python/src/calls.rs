//! Calls, and the functions they call when the program itself defines them.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap;

use crate::classes::{Base, Classes};
use crate::semantic::{Definition, Model, Reference, Usage, comprehension, is_builtin, unpacks};

/// One call expression and where it stands.
#[derive(Debug)]
pub(crate) struct CallSite<'a> {
    pub(crate) call: &'a ast::ExprCall,
    /// The statement is `target = <this call>`.
    pub(crate) assigned_from: Option<&'a ast::StmtAssign>,
    /// The class whose method the call sits in, and that method's receiver
    /// name (`self`).
    pub(crate) class: Option<usize>,
    pub(crate) receiver: Option<&'a str>,
    /// The receiver is a class method's `cls`, not an instance.
    pub(crate) receiver_is_class: bool,
    /// What the expression around the call does with its result.
    pub(crate) usage: Usage<'a>,
}

/// What a call calls.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Callee<'a> {
    /// A function of this program; `bound` when the first parameter is
    /// filled implicitly (methods through `self`, constructors).
    Function {
        def: &'a ast::StmtFunctionDef,
        bound: bool,
        kind: &'static str,
    },
    /// A builtin: never checked.
    Builtin,
    /// Something this program does not define (an import, an attribute of
    /// an unknown object), or one we do not model (decorated functions).
    Unknown,
}

/// Every call in the module.
pub(crate) fn call_sites<'a>(body: &'a [Stmt], classes: &Classes<'a>) -> Vec<CallSite<'a>> {
    let mut collector = Collector {
        classes,
        sites: Vec::new(),
        class: None,
        receiver: None,
        receiver_is_class: false,
        assigned_from: None,
        usage: Usage::Plain,
        in_class_body: false,
    };
    collector.visit_body(body);
    collector.sites
}

struct Collector<'c, 'a> {
    classes: &'c Classes<'a>,
    sites: Vec<CallSite<'a>>,
    class: Option<usize>,
    receiver: Option<&'a str>,
    receiver_is_class: bool,
    assigned_from: Option<&'a ast::StmtAssign>,
    usage: Usage<'a>,
    in_class_body: bool,
}

impl<'a> Collector<'_, 'a> {
    fn visit_used(&mut self, expr: &'a Expr, usage: Usage<'a>) {
        self.usage = usage;
        self.visit_expr(expr);
    }
}

impl<'a> Visitor<'a> for Collector<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let saved = (self.class, self.receiver, self.in_class_body);
                self.class = self.classes.index_of(class);
                self.receiver = None;
                self.in_class_body = true;
                self.visit_body(&class.body);
                (self.class, self.receiver, self.in_class_body) = saved;
            }
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                self.visit_parameters(&def.parameters);
                if let Some(returns) = &def.returns {
                    self.visit_expr(returns);
                }
                let saved = (self.receiver, self.receiver_is_class, self.in_class_body);
                if self.in_class_body {
                    self.receiver = crate::classes::receiver(def);
                    self.receiver_is_class = crate::classes::is_class_method(def);
                }
                self.in_class_body = false;
                self.visit_body(&def.body);
                (self.receiver, self.receiver_is_class, self.in_class_body) = saved;
            }
            Stmt::Assign(assign) if matches!(assign.value.as_ref(), Expr::Call(_)) => {
                for target in &assign.targets {
                    self.visit_expr(target);
                }
                self.assigned_from = Some(assign);
                if unpacks(assign) {
                    self.usage = Usage::Unpacked;
                }
                self.visit_expr(&assign.value);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.target);
                self.visit_used(&for_stmt.iter, Usage::Iterated);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let assigned_from = self.assigned_from.take();
        let usage = std::mem::replace(&mut self.usage, Usage::Plain);
        match expr {
            Expr::Call(call) => {
                self.sites.push(CallSite {
                    call,
                    assigned_from,
                    class: self.class,
                    receiver: self.receiver,
                    receiver_is_class: self.receiver_is_class,
                    usage,
                });
            }
            Expr::Subscript(subscript) => {
                self.visit_used(&subscript.value, Usage::Subscripted);
                self.visit_expr(&subscript.slice);
                return;
            }
            Expr::Starred(starred) => {
                self.visit_used(&starred.value, Usage::Iterated);
                return;
            }
            Expr::YieldFrom(yield_from) => {
                self.visit_used(&yield_from.value, Usage::Iterated);
                return;
            }
            _ => {
                if let Some((generators, elements)) = comprehension(expr) {
                    // Each part once: walking the whole comprehension after
                    // its iterables visited every iterable twice, and nested
                    // comprehensions 2^depth times (a fuzzer's input of a
                    // few dozen levels took seconds).
                    for generator in generators {
                        self.visit_used(&generator.iter, Usage::Iterated);
                    }
                    for element in elements {
                        self.visit_expr(element);
                    }
                    for generator in generators {
                        self.visit_expr(&generator.target);
                        for condition in &generator.ifs {
                            self.visit_expr(condition);
                        }
                    }
                    return;
                }
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// Resolves call sites to the functions they call.
pub(crate) struct Resolver<'m, 'a> {
    model: &'m Model<'a>,
    classes: &'m Classes<'a>,
    references: FxHashMap<TextSize, usize>,
}

impl<'m, 'a> Resolver<'m, 'a> {
    pub(crate) fn new(model: &'m Model<'a>, classes: &'m Classes<'a>) -> Self {
        let references = model
            .references
            .iter()
            .enumerate()
            .map(|(index, reference)| (reference.offset, index))
            .collect();
        Self {
            model,
            classes,
            references,
        }
    }

    /// The reference a name expression at `offset` made, if it read a name.
    pub(crate) fn reference_at(&self, offset: TextSize) -> Option<&'m Reference<'a>> {
        let &index = self.references.get(&offset)?;
        Some(&self.model.references[index])
    }

    pub(crate) fn callee(&self, site: &CallSite<'a>) -> Callee<'a> {
        match site.call.func.as_ref() {
            Expr::Name(name) => {
                let Some(&index) = self.references.get(&name.range.start()) else {
                    return Callee::Unknown;
                };
                let reference = &self.model.references[index];
                if self.model.binding_of(reference).is_none() {
                    return if is_builtin(reference.name) {
                        Callee::Builtin
                    } else {
                        Callee::Unknown
                    };
                }
                match self.model.unique_definition(reference) {
                    Some(Definition::Function(def)) if def.decorator_list.is_empty() => {
                        Callee::Function {
                            def,
                            bound: false,
                            kind: "function",
                        }
                    }
                    Some(Definition::Class(class)) => self.constructor(class),
                    _ => Callee::Unknown,
                }
            }
            Expr::Attribute(attribute) => {
                let (Some(class), Some(receiver)) = (site.class, site.receiver) else {
                    return Callee::Unknown;
                };
                if !matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == receiver) {
                    return Callee::Unknown;
                }
                self.method(class, attribute.attr.as_str(), site.receiver_is_class)
            }
            _ => Callee::Unknown,
        }
    }

    /// `C(...)`: the `__init__` of `C` or of its nearest ancestor defining one.
    fn constructor(&self, class: &'a ast::StmtClassDef) -> Callee<'a> {
        let Some(index) = self.classes.index_of(class) else {
            return Callee::Unknown;
        };
        let info = &self.classes.all[index];
        if !info.def.decorator_list.is_empty()
            || info
                .def
                .arguments
                .as_ref()
                .is_some_and(|a| !a.keywords.is_empty())
        {
            return Callee::Unknown;
        }
        for ancestor in self.classes.lineage(index) {
            let ancestor = &self.classes.all[ancestor];
            if ancestor.own.contains("__new__") {
                return Callee::Unknown;
            }
            match methods_named(ancestor.def, "__init__").as_slice() {
                [def] if def.decorator_list.is_empty() => {
                    return Callee::Function {
                        def,
                        bound: true,
                        kind: "constructor",
                    };
                }
                [] => {}
                _ => return Callee::Unknown,
            }
            if ancestor.bases.contains(&Base::Unknown) {
                return Callee::Unknown;
            }
        }
        Callee::Unknown
    }

    /// `self.m(...)`: a method of the class or a known ancestor.
    fn method(&self, class: usize, name: &str, through_class: bool) -> Callee<'a> {
        for ancestor in self.classes.lineage(class) {
            let info = &self.classes.all[ancestor];
            match methods_named(info.def, name).as_slice() {
                [def] => {
                    let decorators: Vec<&str> = def
                        .decorator_list
                        .iter()
                        .map(|d| match &d.expression {
                            Expr::Name(n) => n.id.as_str(),
                            _ => "?",
                        })
                        .collect();
                    // Stacked decorators (left behind when a decorated
                    // neighbour is deleted) act as the outermost one does.
                    let wrappers = decorators
                        .iter()
                        .all(|d| matches!(*d, "staticmethod" | "classmethod"));
                    return match decorators.first() {
                        None => Callee::Function {
                            def,
                            bound: !through_class,
                            kind: if through_class {
                                "unbound method"
                            } else {
                                "method"
                            },
                        },
                        Some(&"staticmethod") if wrappers => Callee::Function {
                            def,
                            bound: false,
                            kind: "staticmethod",
                        },
                        Some(&"classmethod") if wrappers => Callee::Function {
                            def,
                            bound: true,
                            kind: "classmethod",
                        },
                        _ => Callee::Unknown,
                    };
                }
                [] => {}
                _ => return Callee::Unknown,
            }
            if info.own.contains(name) || info.bases.contains(&Base::Unknown) {
                return Callee::Unknown;
            }
        }
        Callee::Unknown
    }
}

/// The `def`s named `name` directly in a class body.
fn methods_named<'a>(class: &'a ast::StmtClassDef, name: &str) -> Vec<&'a ast::StmtFunctionDef> {
    class
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(def) if def.name.as_str() == name => Some(def),
            _ => None,
        })
        .collect()
}

/// The arguments a call passes, as far as their count and names go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallShape {
    pub(crate) positional: usize,
    pub(crate) keywords: Vec<String>,
    pub(crate) star: bool,
    pub(crate) double_star: bool,
}

impl CallShape {
    pub(crate) fn of(call: &ast::ExprCall) -> Self {
        let arguments = &call.arguments;
        let mut shape = CallShape::default();
        for argument in &arguments.args {
            if matches!(argument, Expr::Starred(_)) {
                shape.star = true;
            } else {
                shape.positional += 1;
            }
        }
        for keyword in &arguments.keywords {
            match &keyword.arg {
                Some(name) => shape.keywords.push(name.as_str().to_string()),
                None => shape.double_star = true,
            }
        }
        shape
    }

    /// Whether `self` passes at least everything `other` passes.
    pub(crate) fn covers(&self, other: &CallShape) -> bool {
        self.positional >= other.positional
            && (self.star || !other.star)
            && (self.double_star || !other.double_star)
            && other.keywords.iter().all(|k| self.keywords.contains(k))
    }
}

/// The source text of a call's callee.
pub(crate) fn callee_text<'s>(source: &'s str, call: &ast::ExprCall) -> &'s str {
    source[call.func.range()].trim()
}

/// Callees longer than this (in bytes of source) are not matched against the
/// original program's calls. Every call of a chain (`f()()…`, `a.b().c()…`)
/// has the whole chain before it as its callee, so keys of any length would
/// make learning and checking quadratic in the program's length.
pub(crate) const MAX_CALLEE_KEY: usize = 200;

/// The callee text of `call` as a key shared between the original program
/// and its partial versions, unless it is too long to be one.
pub(crate) fn callee_key<'s>(source: &'s str, call: &ast::ExprCall) -> Option<&'s str> {
    if call.func.range().len().to_usize() > MAX_CALLEE_KEY {
        return None;
    }
    Some(callee_text(source, call))
}

#[cfg(test)]
mod tests {
    use ruff_python_parser::parse_module;

    use super::*;

    #[test]
    fn nested_comprehensions_are_walked_once() {
        // Found by fuzzing: every level's iterable was walked twice, so 40
        // levels took 2^40 steps.
        let depth = 40;
        let program = format!(
            "x = {}f(){}\n",
            "[a for a in ".repeat(depth),
            "]".repeat(depth)
        );
        let parsed = parse_module(&program).unwrap();
        let body = &parsed.syntax().body;
        let classes = Classes::collect(body);
        let sites = call_sites(body, &classes);
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].usage, Usage::Iterated);
        let program = "y = {k(): v() for k in g() if h()}\n";
        let parsed = parse_module(program).unwrap();
        let body = &parsed.syntax().body;
        let classes = Classes::collect(body);
        assert_eq!(call_sites(body, &classes).len(), 4);
    }
}
