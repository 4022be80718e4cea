//! What a name reference refers to, and whether it is bound when read.
//!
//! Lookup follows Python's scoping. Whether the name is bound follows pylint
//! (`used-before-assignment`, `possibly-used-before-assignment`) where pylint
//! is at least as strict as Python, and Python where pylint would miss a
//! certain crash: every binding of the name in its scope that runs before
//! the read counts, except those pylint doubts — bindings under an `if`
//! whose branches do not all bind the name (or leave the block), in an
//! `except` handler, or in a `try` body read from its own handlers.

use ruff_python_stdlib::builtins::is_python_builtin;

use super::{
    ArmKind, BranchId, EventKind, How, Model, Reference, ScopeId, ScopeKind, Symbol, Value,
};

/// The outcome of looking a reference up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// Bound whenever this code runs.
    Bound,
    /// Not bound by the program: one of Python's builtins.
    Builtin,
    /// Read before any binding of its scope runs.
    BeforeAssignment,
    /// Bound only on some paths that reach the read.
    PossiblyUnbound,
    /// Deleted (`del x`, or its `except ... as x` block ended) and not bound again.
    Deleted,
    /// Not bound in any scope that can see it, and not a builtin.
    Undefined,
    /// A star import could supply it: we cannot tell.
    Unknown,
}

/// Where a name was found.
enum Found<'m> {
    /// In `scope`; `immediate` when the read runs while that scope's code
    /// runs (same scope, or a class body or comprehension inside it), so
    /// that textual order matters.
    Symbol {
        scope: ScopeId,
        symbol: &'m Symbol<'m>,
        immediate: bool,
    },
    Module,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unbound,
    Bound,
    Maybe,
    Deleted,
}

impl<'a> Model<'a> {
    /// Resolves `reference` the way Python would when its code runs.
    pub(crate) fn resolve(&self, reference: &Reference<'a>) -> Resolution {
        let name = reference.name;
        let scope = self.scope(reference.scope);
        let symbol = scope.symbols.get(name);
        let found = match symbol {
            Some(symbol) if symbol.global && self.only_bound_here_through_global(reference) => {
                Found::Symbol {
                    scope: reference.scope,
                    symbol,
                    immediate: !reference.lazy,
                }
            }
            Some(symbol) if symbol.global => Found::Module,
            Some(symbol) if symbol.nonlocal.is_some() => {
                match self.enclosing_function_symbol(reference) {
                    Some(found) => found,
                    None => return Resolution::Undefined,
                }
            }
            Some(symbol) if scope.kind.is_function_like() && symbol.is_local() => Found::Symbol {
                scope: reference.scope,
                symbol,
                immediate: !reference.lazy,
            },
            Some(symbol)
                if matches!(scope.kind, ScopeKind::Class | ScopeKind::TypeParams)
                    && !symbol.events.is_empty() =>
            {
                let own = self.judge(reference.scope, symbol, reference, !reference.lazy);
                if own == Resolution::Bound {
                    return own;
                }
                // Not bound yet in the class body: Python falls back to the
                // enclosing scopes and globals.
                let outer = self.resolve_outside(reference);
                return if matches!(outer, Resolution::Bound | Resolution::Builtin) {
                    outer
                } else {
                    own
                };
            }
            _ if matches!(scope.kind, ScopeKind::Module) => Found::Module,
            _ => return self.resolve_outside(reference),
        };
        self.conclude(found, reference)
    }

    fn conclude(&self, found: Found<'_>, reference: &Reference<'a>) -> Resolution {
        match found {
            Found::Symbol {
                scope,
                symbol,
                immediate,
            } => self.judge(scope, symbol, reference, immediate),
            Found::Module => self.resolve_module(reference),
        }
    }

    /// The values that may reach `reference`, a read of a name its own scope
    /// (a function, or the module) binds: the last binding that surely ran,
    /// and any that ran after it conditionally. `None` when unknown.
    pub(crate) fn reaching_values(&self, reference: &Reference<'a>) -> Option<Vec<Value>> {
        let scope = self.scope(reference.scope);
        let symbol = scope.symbols.get(reference.name)?;
        let own_scope = match scope.kind {
            ScopeKind::Module => true,
            kind => kind.is_function_like() && symbol.is_local(),
        };
        if !own_scope || symbol.global || symbol.nonlocal.is_some() || reference.lazy {
            return None;
        }
        let mut values = Vec::new();
        for event in &symbol.events {
            if event.order > reference.order {
                break;
            }
            match event.kind {
                EventKind::Bind if event.how == How::Augmented => {}
                EventKind::Bind => {
                    if self.certain(event.branch, reference.branch, symbol) {
                        values.clear();
                    }
                    values.push(event.value);
                }
                EventKind::Unbind => values.clear(),
                EventKind::Annotate => {}
            }
        }
        (!values.is_empty()).then_some(values)
    }

    /// The scope and symbol a reference's name belongs to, ignoring when
    /// its bindings run. `None` for builtins and undefined names.
    pub(crate) fn binding_of(&self, reference: &Reference<'a>) -> Option<(ScopeId, &Symbol<'a>)> {
        for (depth, id) in self.ancestors(reference.scope).enumerate() {
            let scope = self.scope(id);
            if depth > 0 && matches!(scope.kind, ScopeKind::Class) {
                continue;
            }
            let Some(symbol) = scope.symbols.get(reference.name) else {
                continue;
            };
            if symbol.global {
                let module = self.scope(ScopeId::MODULE).symbols.get(reference.name)?;
                return Some((ScopeId::MODULE, module));
            }
            if symbol.nonlocal.is_none() && (symbol.parameter || !symbol.events.is_empty()) {
                return Some((id, symbol));
            }
        }
        None
    }

    /// The `def` or `class` a name stands for, when that is its only binding.
    pub(crate) fn unique_definition(
        &self,
        reference: &Reference<'a>,
    ) -> Option<super::Definition<'a>> {
        let (_, symbol) = self.binding_of(reference)?;
        let mut binds = symbol.events.iter().filter(|e| e.kind == EventKind::Bind);
        let only = binds.next()?;
        if binds.next().is_some() || symbol.parameter {
            return None;
        }
        only.definition
    }

    /// Looks a name up in the scopes enclosing the reference's own.
    fn resolve_outside(&self, reference: &Reference<'a>) -> Resolution {
        let mut immediate = !reference.lazy && !self.defers(reference.scope);
        for id in self.ancestors(reference.scope).skip(1) {
            let scope = self.scope(id);
            match scope.kind {
                ScopeKind::Module => return self.resolve_module(reference),
                // Class bodies are invisible from the scopes nested in them.
                ScopeKind::Class => {}
                _ => {
                    if let Some(symbol) = scope.symbols.get(reference.name) {
                        if symbol.global {
                            return self.resolve_module(reference);
                        }
                        if symbol.nonlocal.is_some() {
                            return match self.enclosing_function_symbol_from(id, reference) {
                                Some(found) => self.conclude(found, reference),
                                None => Resolution::Undefined,
                            };
                        }
                        if symbol.is_local() {
                            return self.judge(id, symbol, reference, immediate);
                        }
                    }
                }
            }
            immediate &= !self.defers(id);
        }
        Resolution::Undefined
    }

    /// Whether code in scope `id` runs later than the code around it.
    fn defers(&self, id: ScopeId) -> bool {
        matches!(self.scope(id).kind, ScopeKind::Function | ScopeKind::Lambda)
    }

    /// The binding a `nonlocal` declaration in the reference's scope points to.
    fn enclosing_function_symbol(&self, reference: &Reference<'a>) -> Option<Found<'_>> {
        self.enclosing_function_symbol_from(reference.scope, reference)
    }

    fn enclosing_function_symbol_from(
        &self,
        from: ScopeId,
        reference: &Reference<'a>,
    ) -> Option<Found<'_>> {
        self.ancestors(from).skip(1).find_map(|id| {
            let scope = self.scope(id);
            if !scope.kind.is_function_like() {
                return None;
            }
            let symbol = scope.symbols.get(reference.name)?;
            (symbol.is_local() && !symbol.global).then_some(Found::Symbol {
                scope: id,
                symbol,
                immediate: false,
            })
        })
    }

    fn resolve_module(&self, reference: &Reference<'a>) -> Resolution {
        let name = reference.name;
        let module = self.scope(ScopeId::MODULE);
        let immediate =
            !reference.lazy && self.ancestors(reference.scope).all(|id| !self.defers(id));
        let fallback = if self.bound_through_global(name) || self.special_name(reference) {
            Some(Resolution::Bound)
        } else if is_builtin(name) {
            Some(Resolution::Builtin)
        } else {
            None
        };
        if let Some(symbol) = module.symbols.get(name).filter(|s| !s.events.is_empty()) {
            let resolution = self.judge(ScopeId::MODULE, symbol, reference, immediate);
            if let (Resolution::BeforeAssignment | Resolution::Undefined, Some(fallback)) =
                (resolution, fallback)
            {
                return fallback;
            }
            return resolution;
        }
        if let Some(fallback) = fallback {
            fallback
        } else if module.star_import {
            Resolution::Unknown
        } else {
            Resolution::Undefined
        }
    }

    /// Names Python provides in some scopes only.
    fn special_name(&self, reference: &Reference<'a>) -> bool {
        match reference.name {
            "__module__" | "__qualname__" | "__doc__" => {
                matches!(self.scope(reference.scope).kind, ScopeKind::Class)
            }
            "__class__" => {
                // Methods (and functions nested in them) have a `__class__` cell.
                let mut seen_function = false;
                for id in self.ancestors(reference.scope) {
                    match self.scope(id).kind {
                        ScopeKind::Class => return seen_function,
                        ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension => {
                            seen_function = true;
                        }
                        _ => {}
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// Whether the module binds `name` only through the `global` declaration
    /// of the reference's own scope (then that scope's order decides).
    fn only_bound_here_through_global(&self, reference: &Reference<'a>) -> bool {
        let name = reference.name;
        let module_binds = self
            .scope(ScopeId::MODULE)
            .symbols
            .get(name)
            .is_some_and(Symbol::is_bound_here);
        let own = self.scope(reference.scope).symbols.get(name);
        if module_binds || !own.is_some_and(|s| s.global && s.is_bound_here()) {
            return false;
        }
        self.scopes
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != reference.scope.0 as usize)
            .all(|(_, scope)| {
                !scope
                    .symbols
                    .get(name)
                    .is_some_and(|symbol| symbol.global && symbol.is_bound_here())
            })
    }

    /// Whether some function binds `name` at module level through `global`.
    fn bound_through_global(&self, name: &str) -> bool {
        self.scopes.iter().skip(1).any(|scope| {
            scope
                .symbols
                .get(name)
                .is_some_and(|symbol| symbol.global && symbol.is_bound_here())
        })
    }

    /// Whether `symbol`, of scope `scope`, is bound when `reference` runs.
    fn judge(
        &self,
        scope: ScopeId,
        symbol: &Symbol<'_>,
        reference: &Reference<'a>,
        immediate: bool,
    ) -> Resolution {
        let read = self.branch_in(reference, scope);
        let mut state = State::Unbound;
        for event in &symbol.events {
            if immediate && event.order > reference.order {
                break;
            }
            match event.kind {
                EventKind::Bind => {
                    if event.how == How::Definition || self.certain(event.branch, read, symbol) {
                        state = State::Bound;
                    } else if state != State::Bound {
                        state = State::Maybe;
                    }
                }
                EventKind::Unbind => {
                    if self.branch_contains(event.branch, read) {
                        state = State::Deleted;
                    } else if state == State::Bound {
                        state = State::Maybe;
                    }
                }
                EventKind::Annotate => {}
            }
        }
        if matches!(state, State::Unbound | State::Maybe)
            && immediate
            && self.scope(scope).kind.is_function_like()
            && self.bound_later_in_same_block(symbol, reference, read)
        {
            state = State::Bound;
        }
        match state {
            State::Bound => Resolution::Bound,
            State::Maybe => Resolution::PossiblyUnbound,
            State::Deleted => Resolution::Deleted,
            // Only deleted, never bound or annotated: undefined.
            State::Unbound if symbol.events.iter().all(|e| e.kind == EventKind::Unbind) => {
                Resolution::Undefined
            }
            State::Unbound => Resolution::BeforeAssignment,
        }
    }

    /// Pylint's function-level leniency: a read inside a `for` statement
    /// that binds the name anywhere, or inside an `if` body that assigns it
    /// later at its top level, is not "before assignment". Only bindings
    /// that hold at the read count, and not the read's own `x += 1`.
    fn bound_later_in_same_block(
        &self,
        symbol: &Symbol<'_>,
        reference: &Reference<'a>,
        read: BranchId,
    ) -> bool {
        let counts = |event: &super::Event| {
            event.kind == EventKind::Bind
                && event.how != How::Augmented
                && self.certain(event.branch, read, symbol)
        };
        let mut at = Some(read);
        while let Some(arm) = at {
            let branch = self.branch(arm);
            match branch.kind {
                ArmKind::ForBody => {
                    let binds = symbol
                        .events
                        .iter()
                        .any(|event| counts(event) && self.branch_contains(arm, event.branch));
                    if binds {
                        return true;
                    }
                }
                ArmKind::If(_) => {
                    let binds = symbol.events.iter().any(|event| {
                        counts(event)
                            && event.branch == arm
                            && event.statement > reference.statement
                    });
                    if binds {
                        return true;
                    }
                }
                _ => {}
            }
            at = branch.parent;
        }
        false
    }

    /// The reference's position in the branch tree of `scope` (an enclosing
    /// scope, or its own): the branch of the nested scope's definition.
    fn branch_in(&self, reference: &Reference<'a>, scope: ScopeId) -> BranchId {
        let mut at = reference.scope;
        let mut branch = reference.branch;
        while at != scope {
            let inner = self.scope(at);
            branch = inner.anchor;
            match inner.parent {
                Some(parent) => at = parent,
                None => break,
            }
        }
        branch
    }

    /// Whether a binding in `bind` holds at `read`, which runs after it.
    fn certain(&self, bind: BranchId, read: BranchId, symbol: &Symbol<'_>) -> bool {
        let mut at = bind;
        while !self.branch_contains(at, read) {
            let branch = self.branch(at);
            let holds = match branch.kind {
                ArmKind::Root | ArmKind::ForBody | ArmKind::WhileBody | ArmKind::LoopElse => true,
                ArmKind::TryElse | ArmKind::Finally => true,
                ArmKind::TryBody => !self.inside_arm_of(
                    read,
                    branch.construct,
                    &[ArmKind::Handler, ArmKind::Finally],
                ),
                ArmKind::Handler => self.constructs[branch.construct as usize].try_returns,
                ArmKind::If(arm) => {
                    self.construct_handles(branch.construct, symbol)
                        || (arm == 0 && self.under_same_test(read, branch.construct))
                }
                ArmKind::Case => self.construct_handles(branch.construct, symbol),
            };
            if !holds {
                return false;
            }
            match branch.parent {
                Some(parent) => at = parent,
                None => return true,
            }
        }
        true
    }

    /// Whether `read` sits in an arm of one of `kinds` of `construct`.
    fn inside_arm_of(&self, read: BranchId, construct: u32, kinds: &[ArmKind]) -> bool {
        let mut at = Some(read);
        while let Some(id) = at {
            let branch = self.branch(id);
            if branch.construct == construct && kinds.contains(&branch.kind) {
                return true;
            }
            at = branch.parent;
        }
        false
    }

    /// Whether `read` is in the body of an `if` with the same test text as
    /// `construct`'s (pylint trusts `if c: x = 1 ... if c: use(x)`).
    fn under_same_test(&self, read: BranchId, construct: u32) -> bool {
        let Some(test) = &self.constructs[construct as usize].test else {
            return false;
        };
        let mut at = Some(read);
        while let Some(id) = at {
            let branch = self.branch(id);
            if branch.kind == ArmKind::If(0)
                && self.constructs[branch.construct as usize].test.as_ref() == Some(test)
            {
                return true;
            }
            at = branch.parent;
        }
        false
    }

    /// Whether every way through `construct` binds the symbol or leaves.
    fn construct_handles(&self, construct: u32, symbol: &Symbol<'_>) -> bool {
        let arms: Vec<BranchId> = self.arms_of(construct).collect();
        let Some(&first) = arms.first() else {
            return false;
        };
        match self.branch(first).kind {
            ArmKind::If(_) => {
                self.constructs[construct as usize].has_else
                    && arms.iter().all(|&arm| self.arm_handles(arm, symbol))
            }
            ArmKind::Case => arms.iter().all(|&arm| self.arm_handles(arm, symbol)),
            ArmKind::ForBody | ArmKind::WhileBody => self.arm_handles(first, symbol),
            ArmKind::TryBody => {
                let kind_handles = |kind: ArmKind| {
                    arms.iter()
                        .filter(|&&arm| self.branch(arm).kind == kind)
                        .all(|&arm| self.arm_handles(arm, symbol))
                };
                let finally = arms.iter().any(|&arm| {
                    self.branch(arm).kind == ArmKind::Finally && self.arm_handles(arm, symbol)
                });
                (self.arm_handles(first, symbol) && kind_handles(ArmKind::Handler)) || finally
            }
            _ => false,
        }
    }

    /// Whether arm `arm` binds the symbol at its top level, leaves its block,
    /// or holds a statement all of whose ways do.
    fn arm_handles(&self, arm: BranchId, symbol: &Symbol<'_>) -> bool {
        let branch = self.branch(arm);
        if branch.terminates {
            return true;
        }
        if symbol
            .events
            .iter()
            .any(|event| event.kind == EventKind::Bind && event.branch == arm)
        {
            return true;
        }
        let mut nested: Vec<u32> = self
            .branches
            .iter()
            .filter(|b| b.parent == Some(arm))
            .map(|b| b.construct)
            .collect();
        nested.dedup();
        nested
            .into_iter()
            .any(|construct| self.construct_handles(construct, symbol))
    }

    fn arms_of(&self, construct: u32) -> impl Iterator<Item = BranchId> + '_ {
        self.branches
            .iter()
            .enumerate()
            .filter(move |(_, branch)| {
                branch.construct == construct && branch.kind != ArmKind::Root
            })
            .map(|(index, _)| BranchId(index as u32))
    }
}

impl Symbol<'_> {
    /// Bound in its own scope (events, not a declaration alone).
    pub(crate) fn is_bound_here(&self) -> bool {
        self.events
            .iter()
            .any(|event| event.kind == EventKind::Bind)
    }
}

/// Python 3.11's builtins (with `site`'s), and the module globals pylint
/// knows every module has.
pub(crate) fn is_builtin(name: &str) -> bool {
    is_python_builtin(name, 11, false) || matches!(name, "__builtins__" | "__file__" | "__path__")
}
