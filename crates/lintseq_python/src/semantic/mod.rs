//! A symbol table for one module, in the spirit of CPython's `symtable` and
//! astroid's scope locals: which names each scope binds, reads and deletes,
//! and in what order they happen when the code runs.
//!
//! Function and lambda bodies are visited after the code that defines them
//! has finished (they run later); class bodies and comprehensions are visited
//! where they stand (they run at once). Every binding and reference gets a
//! sequence number in that order, so "bound before read" is a comparison.

mod builder;
mod facts;
mod resolve;

use ruff_text_size::TextSize;
use rustc_hash::FxHashMap;

pub(crate) use builder::build;
pub(crate) use facts::{comprehension, unpacks, value_of};
pub(crate) use resolve::{Resolution, is_builtin};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ScopeId(pub(crate) u32);

impl ScopeId {
    pub(crate) const MODULE: ScopeId = ScopeId(0);
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
    /// The implicit scope of PEP 695 type parameters.
    TypeParams,
}

impl ScopeKind {
    /// Function-like scopes: their names are local and resolved statically.
    pub(crate) fn is_function_like(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

#[derive(Debug)]
pub(crate) struct Scope<'a> {
    pub(crate) kind: ScopeKind,
    pub(crate) parent: Option<ScopeId>,
    pub(crate) symbols: FxHashMap<&'a str, Symbol<'a>>,
    /// `from m import *` happened here: any name might be bound.
    pub(crate) star_import: bool,
    /// Where, in the parent scope's branch tree, this scope's code sits.
    pub(crate) anchor: BranchId,
    /// The function's or class's name; `None` for other scopes.
    pub(crate) name: Option<&'a str>,
}

/// Everything a scope does with one name.
#[derive(Debug, Default)]
pub(crate) struct Symbol<'a> {
    pub(crate) events: Vec<Event<'a>>,
    pub(crate) global: bool,
    pub(crate) nonlocal: Option<TextSize>,
    pub(crate) parameter: bool,
}

impl Symbol<'_> {
    /// Whether the name is local to its scope (bound or annotated there, and
    /// not declared global or nonlocal).
    pub(crate) fn is_local(&self) -> bool {
        !self.global && self.nonlocal.is_none() && (self.parameter || !self.events.is_empty())
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Event<'a> {
    pub(crate) order: u32,
    pub(crate) kind: EventKind,
    pub(crate) branch: BranchId,
    pub(crate) how: How,
    /// The builtin type of the value bound, when it is evident.
    pub(crate) value: Value,
    /// What a `def` or `class` binding defines.
    pub(crate) definition: Option<Definition<'a>>,
    /// Start of the statement that binds.
    pub(crate) statement: TextSize,
}

/// The node a definition binding stands for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Definition<'a> {
    Function(&'a ruff_python_ast::StmtFunctionDef),
    Class(&'a ruff_python_ast::StmtClassDef),
}

impl Value {
    /// Python's name for the type.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::List => "list",
            Value::Dict => "dict",
            Value::Set => "set",
            Value::Tuple => "tuple",
            Value::Str => "str",
            Value::Bytes => "bytes",
            Value::Int => "int",
            Value::Float => "float",
            Value::Unknown => "?",
        }
    }
}

/// What kind of value a binding holds, as far as a literal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Unknown,
    None,
    List,
    Dict,
    Set,
    Tuple,
    Str,
    Bytes,
    Int,
    Float,
}

/// How a binding came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How {
    Plain,
    /// By `def` or `class`: pylint never doubts these.
    Definition,
    /// The store half of `x += 1`, which needs `x` bound already.
    Augmented,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// The name gets a value.
    Bind,
    /// A bare annotation (`x: int`): makes the name local without a value.
    Annotate,
    /// `del x`, or the end of an `except ... as x` block.
    Unbind,
}

/// A place where a name's value is needed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reference<'a> {
    pub(crate) name: &'a str,
    pub(crate) scope: ScopeId,
    pub(crate) offset: TextSize,
    pub(crate) order: u32,
    pub(crate) branch: BranchId,
    /// Read from a `from __future__ import annotations` annotation or a type
    /// alias: evaluated lazily, if ever.
    pub(crate) lazy: bool,
    /// What the surrounding expression does with the value.
    pub(crate) usage: Usage<'a>,
    /// Start of the statement that reads.
    pub(crate) statement: TextSize,
}

/// What an expression does with a name's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage<'a> {
    Plain,
    /// `name.attribute` (read).
    Attribute(&'a str),
    /// `name[...]` read.
    Subscripted,
    /// `name[...] = value`.
    SubscriptStored,
    /// `del name[...]`.
    SubscriptDeleted,
    /// `name(...)`.
    Called,
    /// `for x in name`, or a comprehension over it.
    Iterated,
    /// `x in name`.
    Contained,
    /// `a, b = name`.
    Unpacked,
    /// `raise name`.
    Raised,
    /// `with name:`.
    Entered,
}

/// A node of the tree of conditional arms (`if` branches, loop bodies, `try`
/// bodies and handlers, `match` cases) that code sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BranchId(pub(crate) u32);

impl BranchId {
    pub(crate) const ROOT: BranchId = BranchId(0);
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Branch {
    pub(crate) parent: Option<BranchId>,
    /// Index into [`Model::constructs`].
    pub(crate) construct: u32,
    pub(crate) kind: ArmKind,
    /// A top-level statement of the arm leaves it (`return`, `raise`,
    /// `continue`, `break`, `assert`, `sys.exit()`...).
    pub(crate) terminates: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArmKind {
    Root,
    /// Arm `n` of an `if`/`elif`/`else` chain.
    If(u32),
    ForBody,
    WhileBody,
    LoopElse,
    TryBody,
    Handler,
    TryElse,
    Finally,
    Case,
}

/// A branching statement.
#[derive(Clone, Debug, Default)]
pub(crate) struct Construct {
    /// For an `if`: the source text of its test.
    pub(crate) test: Option<String>,
    /// For an `if`: whether the chain ends in `else`.
    pub(crate) has_else: bool,
    /// For a `try`: its body or `else` returns, so a handler's bindings hold
    /// after it.
    pub(crate) try_returns: bool,
}

#[derive(Debug)]
pub(crate) struct Model<'a> {
    pub(crate) scopes: Vec<Scope<'a>>,
    pub(crate) references: Vec<Reference<'a>>,
    pub(crate) branches: Vec<Branch>,
    pub(crate) constructs: Vec<Construct>,
    pub(crate) future_annotations: bool,
}

impl<'a> Model<'a> {
    pub(crate) fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.0 as usize]
    }

    pub(crate) fn branch(&self, id: BranchId) -> &Branch {
        &self.branches[id.0 as usize]
    }

    /// Whether code in `inner` only runs when code in `outer` does (outer is
    /// an ancestor of, or the same as, inner).
    pub(crate) fn branch_contains(&self, outer: BranchId, inner: BranchId) -> bool {
        let mut at = Some(inner);
        while let Some(id) = at {
            if id == outer {
                return true;
            }
            at = self.branch(id).parent;
        }
        false
    }

    /// A dotted path naming scope `id` (`Outer.method`, `f.<anonymous>`),
    /// the same in a program and in its partial versions.
    pub(crate) fn path(&self, id: ScopeId) -> String {
        let mut parts: Vec<&str> = self
            .ancestors(id)
            .filter(|&id| id != ScopeId::MODULE)
            .map(|id| self.scope(id).name.unwrap_or("<anonymous>"))
            .collect();
        parts.reverse();
        parts.join(".")
    }

    /// Whether `path` (as [`Model::path`] writes it) names scope `id`,
    /// without building the path.
    pub(crate) fn path_is(&self, id: ScopeId, path: &str) -> bool {
        let mut segments = path.rsplit('.').filter(|segment| !segment.is_empty());
        for id in self.ancestors(id).filter(|&id| id != ScopeId::MODULE) {
            let name = self.scope(id).name.unwrap_or("<anonymous>");
            if segments.next() != Some(name) {
                return false;
            }
        }
        segments.next().is_none()
    }

    /// The enclosing scopes of `id`, innermost first, starting with `id`.
    pub(crate) fn ancestors(&self, id: ScopeId) -> impl Iterator<Item = ScopeId> + '_ {
        std::iter::successors(Some(id), move |&id| self.scope(id).parent)
    }
}
