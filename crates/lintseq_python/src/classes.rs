//! The classes of a module, as the attribute checks need them: their bases,
//! the attributes they define (class-level names and `self.X` stores), and
//! the attributes their methods read through `self`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashSet;

use crate::semantic::{Usage, Value, comprehension, unpacks, value_of};

/// Members every instance has (`dir(object)` and friends).
pub(crate) const OBJECT_MEMBERS: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dict__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__getstate__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__module__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
    "__weakref__",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    /// `object`, or no base at all.
    Object,
    /// A class of this module, by index.
    Local(usize),
    /// Anything else: an import, an attribute, a call, an undefined name.
    Unknown,
}

/// A `self.X` read or store.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Access<'a> {
    /// The function it sits in: each method and nested function has its own.
    pub(crate) frame: u32,
    pub(crate) offset: TextSize,
    pub(crate) name: &'a str,
    /// For a store, the builtin type of the value stored.
    pub(crate) value: Value,
    /// For a read, what the expression around it does with the value.
    pub(crate) usage: Usage<'a>,
}

/// `self.method.attribute`: an attribute read from a method object.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MethodAttribute<'a> {
    pub(crate) offset: TextSize,
    pub(crate) method: &'a str,
    pub(crate) attribute: &'a str,
}

#[derive(Debug)]
pub(crate) struct ClassInfo<'a> {
    pub(crate) def: &'a ast::StmtClassDef,
    /// Dotted path of enclosing classes and functions, e.g. `f.Outer.Inner`.
    pub(crate) qualname: String,
    pub(crate) bases: Vec<Base>,
    /// Names the class itself defines: class-level bindings and `self.X` or
    /// `cls.X` stores in its methods.
    pub(crate) own: FxHashSet<&'a str>,
    /// `self.X` reads in its methods (augmented assignments and `del`
    /// included), with the frame (function) they sit in.
    pub(crate) reads: Vec<Access<'a>>,
    /// Names bound in the class body itself.
    pub(crate) class_level: FxHashSet<&'a str>,
    /// `self.method.attribute` reads.
    pub(crate) method_attributes: Vec<MethodAttribute<'a>>,
    /// `cls.X` reads and stores in its class methods.
    pub(crate) class_reads: Vec<Access<'a>>,
    pub(crate) class_stores: Vec<Access<'a>>,
    /// `self.X = ...` stores in its methods.
    pub(crate) stores: Vec<Access<'a>>,
    /// The class's own `__init__`.
    pub(crate) init: Option<&'a ast::StmtFunctionDef>,
}

impl<'a> ClassInfo<'a> {
    pub(crate) fn name(&self) -> &'a str {
        self.def.name.as_str()
    }
}

/// The classes of a module.
#[derive(Debug, Default)]
pub(crate) struct Classes<'a> {
    pub(crate) all: Vec<ClassInfo<'a>>,
}

impl<'a> Classes<'a> {
    pub(crate) fn collect(body: &'a [Stmt]) -> Self {
        let mut collector = Collector {
            classes: Vec::new(),
            path: Vec::new(),
        };
        collector.visit_body(body);
        let mut classes = Classes {
            all: collector.classes,
        };
        classes.resolve_bases();
        classes
    }

    /// Resolves base names to the nearest class of that name defined earlier.
    fn resolve_bases(&mut self) {
        let positions: Vec<(&'a str, TextSize)> = self
            .all
            .iter()
            .map(|class| (class.name(), class.def.start()))
            .collect();
        for class in &mut self.all {
            let Some(arguments) = &class.def.arguments else {
                class.bases = vec![Base::Object];
                continue;
            };
            class.bases = arguments
                .args
                .iter()
                .map(|base| match base {
                    Expr::Name(name) if name.id.as_str() == "object" => Base::Object,
                    Expr::Name(name) => positions
                        .iter()
                        .enumerate()
                        .filter(|(_, (other, at))| {
                            *other == name.id.as_str() && *at < class.def.start()
                        })
                        .map(|(index, _)| Base::Local(index))
                        .last()
                        .unwrap_or(Base::Unknown),
                    _ => Base::Unknown,
                })
                .collect();
            if class.bases.is_empty() {
                class.bases.push(Base::Object);
            }
        }
    }

    /// The class and its ancestors that this module defines, nearest first
    /// (each once).
    pub(crate) fn lineage(&self, index: usize) -> Vec<usize> {
        let mut out = vec![index];
        let mut at = 0;
        while at < out.len() {
            for base in &self.all[out[at]].bases {
                if let Base::Local(base) = base
                    && !out.contains(base)
                {
                    out.push(*base);
                }
            }
            at += 1;
        }
        out
    }

    /// The one `def` named `name` that the class (or, failing that, its
    /// nearest known ancestor) defines, if the name means nothing else there.
    pub(crate) fn only_method(&self, index: usize, name: &str) -> Option<&'a ast::StmtFunctionDef> {
        for ancestor in self.lineage(index) {
            let class = &self.all[ancestor];
            let defs: Vec<&ast::StmtFunctionDef> = class
                .def
                .body
                .iter()
                .filter_map(|stmt| match stmt {
                    Stmt::FunctionDef(def) if def.name.as_str() == name => Some(def),
                    _ => None,
                })
                .collect();
            match defs.as_slice() {
                [def] => {
                    let stored = class
                        .stores
                        .iter()
                        .chain(&class.class_stores)
                        .any(|s| s.name == name);
                    return (!stored).then_some(*def);
                }
                [] if class.own.contains(name) || class.bases.contains(&Base::Unknown) => {
                    return None;
                }
                [] => {}
                _ => return None,
            }
        }
        None
    }

    /// The index of the class `def`.
    pub(crate) fn index_of(&self, def: &ast::StmtClassDef) -> Option<usize> {
        self.all
            .iter()
            .position(|class| std::ptr::eq(class.def, def))
    }

    /// Whether every ancestor is `object` or a class of this module.
    pub(crate) fn fully_known(&self, index: usize) -> bool {
        self.lineage(index)
            .iter()
            .all(|&i| self.all[i].bases.iter().all(|b| *b != Base::Unknown))
    }

    /// Every attribute the class object (not its instances) has from the
    /// class or a known ancestor: class-level names and `cls.X` stores.
    pub(crate) fn class_attributes(&self, index: usize) -> FxHashSet<&'a str> {
        self.lineage(index)
            .iter()
            .flat_map(|&i| {
                let class = &self.all[i];
                class
                    .class_level
                    .iter()
                    .copied()
                    .chain(class.class_stores.iter().map(|s| s.name))
            })
            .collect()
    }

    /// Every attribute the class or a known ancestor defines.
    pub(crate) fn attributes(&self, index: usize) -> FxHashSet<&'a str> {
        self.lineage(index)
            .iter()
            .flat_map(|&i| self.all[i].own.iter().copied())
            .collect()
    }
}

struct Collector<'a> {
    classes: Vec<ClassInfo<'a>>,
    path: Vec<&'a str>,
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => {
                self.path.push(class.name.as_str());
                let mut info = ClassInfo {
                    def: class,
                    qualname: self.path.join("."),
                    bases: Vec::new(),
                    own: FxHashSet::default(),
                    reads: Vec::new(),
                    stores: Vec::new(),
                    class_level: FxHashSet::default(),
                    method_attributes: Vec::new(),
                    class_reads: Vec::new(),
                    class_stores: Vec::new(),
                    init: None,
                };
                collect_class_body(class, &mut info);
                self.classes.push(info);
                visitor::walk_body(self, &class.body);
                self.path.pop();
            }
            Stmt::FunctionDef(def) => {
                self.path.push(def.name.as_str());
                visitor::walk_body(self, &def.body);
                self.path.pop();
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}

/// Class-level names, and what each method stores and reads through its
/// first parameter.
fn collect_class_body<'a>(class: &'a ast::StmtClassDef, info: &mut ClassInfo<'a>) {
    let mut names = ClassNames(&mut info.class_level);
    names.visit_body(&class.body);
    info.own.extend(info.class_level.iter().copied());
    let mut frames = 0;
    for stmt in &class.body {
        let Stmt::FunctionDef(def) = stmt else {
            continue;
        };
        if def.name.as_str() == "__init__" {
            info.init = Some(def);
        }
        let Some(receiver) = receiver(def) else {
            continue;
        };
        // Through `cls`, reads and stores are of class attributes.
        let class_method = is_class_method(def);
        let (reads, stores) = if class_method {
            (&mut info.class_reads, &mut info.class_stores)
        } else {
            (&mut info.reads, &mut info.stores)
        };
        frames += 1;
        let mut walker = SelfWalker {
            receiver,
            own: &mut info.own,
            reads,
            stores,
            method_attributes: &mut info.method_attributes,
            frame: frames,
            frames: &mut frames,
            value: Value::Unknown,
            usage: Usage::Plain,
        };
        walker.visit_body(&def.body);
    }
}

/// The name an instance method's instance arrives under (`self`), or a
/// classmethod's class (`cls`, whose stores define attributes too). `None`
/// for static methods and methods without parameters.
pub(crate) fn receiver(def: &ast::StmtFunctionDef) -> Option<&str> {
    let static_method = def.decorator_list.iter().any(|decorator| {
        matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
    });
    if static_method {
        return None;
    }
    let parameters = &def.parameters;
    parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .next()
        .map(|parameter| parameter.name().as_str())
}

pub(crate) fn is_class_method(def: &ast::StmtFunctionDef) -> bool {
    def.name.as_str() == "__new__"
        || def.decorator_list.iter().any(|decorator| {
            matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "classmethod")
        })
}

/// Names bound directly in a class body.
struct ClassNames<'s, 'a>(&'s mut FxHashSet<&'a str>);

impl<'a> Visitor<'a> for ClassNames<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                self.0.insert(def.name.as_str());
            }
            Stmt::ClassDef(class) => {
                self.0.insert(class.name.as_str());
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |asname| asname.as_str(),
                    );
                    self.0.insert(bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    self.0
                        .insert(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    self.0.insert(name.id.as_str());
                }
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ExprContext::Store => {
                self.0.insert(name.id.as_str());
            }
            Expr::Lambda(_)
            | Expr::ListComp(_)
            | Expr::SetComp(_)
            | Expr::DictComp(_)
            | Expr::Generator(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Stores and reads of `receiver.X` in a method body, following closures
/// that do not rebind the receiver.
struct SelfWalker<'s, 'a> {
    receiver: &'a str,
    own: &'s mut FxHashSet<&'a str>,
    reads: &'s mut Vec<Access<'a>>,
    stores: &'s mut Vec<Access<'a>>,
    method_attributes: &'s mut Vec<MethodAttribute<'a>>,
    frame: u32,
    frames: &'s mut u32,
    /// The value of the store being visited.
    value: Value,
    /// The usage of the read being visited.
    usage: Usage<'a>,
}

impl<'a> SelfWalker<'_, 'a> {
    fn is_receiver(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if name.id.as_str() == self.receiver)
    }

    fn access(&mut self, offset: TextSize, name: &'a str) -> Access<'a> {
        Access {
            frame: self.frame,
            offset,
            name,
            value: std::mem::replace(&mut self.value, Value::Unknown),
            usage: std::mem::replace(&mut self.usage, Usage::Plain),
        }
    }

    /// Visits `expr`, telling a `self.X` read what it is used as.
    fn visit_used(&mut self, expr: &'a Expr, usage: Usage<'a>) {
        if matches!(expr, Expr::Attribute(a) if self.is_receiver(&a.value)) {
            self.usage = usage;
        }
        self.visit_expr(expr);
        self.usage = Usage::Plain;
    }

    /// Runs `f` in a new frame (a nested function or lambda).
    fn in_new_frame(&mut self, f: impl FnOnce(&mut Self)) {
        *self.frames += 1;
        let saved = std::mem::replace(&mut self.frame, *self.frames);
        f(self);
        self.frame = saved;
    }
}

impl<'a> Visitor<'a> for SelfWalker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                let rebinds = def
                    .parameters
                    .iter()
                    .any(|p| p.name().as_str() == self.receiver);
                for decorator in &def.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if !rebinds {
                    self.in_new_frame(|this| this.visit_body(&def.body));
                }
            }
            Stmt::ClassDef(_) => {}
            Stmt::Assign(assign) => {
                if unpacks(assign) {
                    self.visit_used(&assign.value, Usage::Unpacked);
                } else {
                    self.visit_expr(&assign.value);
                }
                let value = value_of(&assign.value);
                for target in &assign.targets {
                    if matches!(target, Expr::Attribute(_)) {
                        self.value = value;
                    }
                    self.visit_expr(target);
                    self.value = Value::Unknown;
                }
            }
            Stmt::For(for_stmt) => {
                self.visit_used(&for_stmt.iter, Usage::Iterated);
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Attribute(attribute) = assign.target.as_ref()
                    && self.is_receiver(&attribute.value)
                {
                    let access = self.access(attribute.value.start(), attribute.attr.as_str());
                    self.reads.push(access);
                    self.visit_expr(&assign.value);
                    return;
                }
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attribute) if self.is_receiver(&attribute.value) => {
                let name = attribute.attr.as_str();
                let access = self.access(attribute.value.start(), name);
                match attribute.ctx {
                    ExprContext::Load | ExprContext::Del => self.reads.push(access),
                    ExprContext::Store => {
                        self.own.insert(name);
                        self.stores.push(access);
                    }
                    ExprContext::Invalid => {}
                }
            }
            Expr::Attribute(outer) if outer.ctx == ExprContext::Load => {
                if let Expr::Attribute(inner) = outer.value.as_ref()
                    && self.is_receiver(&inner.value)
                {
                    self.method_attributes.push(MethodAttribute {
                        offset: inner.value.start(),
                        method: inner.attr.as_str(),
                        attribute: outer.attr.as_str(),
                    });
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Call(call) => {
                self.visit_used(&call.func, Usage::Called);
                self.visit_arguments(&call.arguments);
            }
            Expr::Subscript(subscript) => {
                let usage = match subscript.ctx {
                    ExprContext::Store => Usage::SubscriptStored,
                    ExprContext::Del => Usage::SubscriptDeleted,
                    _ => Usage::Subscripted,
                };
                self.visit_used(&subscript.value, usage);
                self.visit_expr(&subscript.slice);
            }
            Expr::Starred(starred) => self.visit_used(&starred.value, Usage::Iterated),
            Expr::YieldFrom(yield_from) => self.visit_used(&yield_from.value, Usage::Iterated),
            Expr::Lambda(lambda) => {
                let rebinds = lambda
                    .parameters
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|p| p.name().as_str() == self.receiver));
                if !rebinds {
                    self.in_new_frame(|this| this.visit_expr(&lambda.body));
                }
            }
            _ => match comprehension(expr) {
                Some((generators, elements)) => {
                    for generator in generators {
                        self.visit_used(&generator.iter, Usage::Iterated);
                        self.visit_expr(&generator.target);
                        for condition in &generator.ifs {
                            self.visit_expr(condition);
                        }
                    }
                    for element in elements {
                        self.visit_expr(element);
                    }
                }
                None => visitor::walk_expr(self, expr),
            },
        }
    }
}
