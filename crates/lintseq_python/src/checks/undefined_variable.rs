//! E0602 undefined-variable.
//!
//! **What it flags:** a name read (or deleted) where no scope that can see it
//! binds it, and no builtin has it; also a name read after `del` removed it
//! or after the `except ... as name` block that bound it ended.
//!
//! **Why:** this is two thirds of what pylint flags in partial programs:
//! delete `total = 0` and every later `total` is undefined.
//!
//! **Example:**
//! ```python
//! def f():
//!     return total
//! ```
//! is reported on line 2. Class bodies are invisible from their methods,
//! `global` and `nonlocal` redirect lookups, and a star import makes any
//! unknown name acceptable — except names the original program bound itself,
//! which the star import did not supply there either.
//!
//! Inside a class's own body, pylint also takes the class's name for
//! undefined when the body binds it by anything but `def` or `class`
//! (`class A:\n    A = 1\n    x = A`, a docstring's `from m import A` turned
//! into code): it looks past that binding to the class, which does not exist
//! yet. We report the same.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::{EventKind, How, Reference, Resolution, ScopeId, ScopeKind};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let resolution = context.model.resolve(reference);
        // A name the original program bound in a scope that can see this
        // read is not the builtin, nor what a star import supplies: the
        // binding was deleted.
        let lost = (matches!(resolution, Resolution::Unknown | Resolution::Builtin)
            && bound_in_original(context, reference))
            || lost_local_binding(context, reference);
        if lost
            || matches!(resolution, Resolution::Undefined | Resolution::Deleted)
            || own_name_rebound(context, reference)
        {
            out.push(context.diagnostic(
                reference.offset,
                "E0602",
                format!("Undefined variable '{}'", reference.name),
            ));
        }
    }
}

/// The original program bound the name in the function this read sits in,
/// but the partial program does not: the read now reaches an outer binding
/// the original never meant.
fn lost_local_binding(context: &Context<'_>, reference: &Reference<'_>) -> bool {
    if reference.lazy {
        return false;
    }
    let Some(paths) = context.baseline.bound_names.get(reference.name) else {
        return false;
    };
    let model = context.model;
    let Some(function) = model
        .ancestors(reference.scope)
        .find(|&id| model.scope(id).name.is_some() || id == ScopeId::MODULE)
    else {
        return false;
    };
    if !matches!(model.scope(function).kind, ScopeKind::Function) {
        return false;
    }
    let found = model.binding_of(reference).map(|(scope, _)| scope);
    let local = found.is_some_and(|scope| {
        model
            .ancestors(reference.scope)
            .take_while(|&id| id != function)
            .chain([function])
            .any(|id| id == scope)
    });
    let declared = model
        .scope(function)
        .symbols
        .get(reference.name)
        .is_some_and(|symbol| symbol.global || symbol.nonlocal.is_some());
    !local && !declared && paths.iter().any(|path| model.path_is(function, path))
}

/// A read of a class's own name in its body (or a comprehension there),
/// where the body binds that name, but not by `def` or `class`, and the
/// scope around the class binds it only by the class statement.
fn own_name_rebound(context: &Context<'_>, reference: &Reference<'_>) -> bool {
    let model = context.model;
    let Some(class) = model
        .ancestors(reference.scope)
        .find(|&id| !matches!(model.scope(id).kind, ScopeKind::Comprehension))
    else {
        return false;
    };
    let scope = model.scope(class);
    if !matches!(scope.kind, ScopeKind::Class) || scope.name != Some(reference.name) {
        return false;
    }
    // Not in the header of a `def` or `class` in the body (decorators,
    // defaults, annotations, bases), which pylint reads otherwise.
    let statement = &context.source[usize::from(reference.statement)..];
    if ["@", "def ", "def\t", "async ", "class ", "class\t"]
        .iter()
        .any(|head| statement.starts_with(head))
    {
        return false;
    }
    let Some(symbol) = scope.symbols.get(reference.name) else {
        return false;
    };
    let binds = symbol
        .events
        .iter()
        .filter(|event| event.kind == EventKind::Bind);
    let mut any = false;
    for event in binds {
        if event.how == How::Definition {
            return false;
        }
        any = true;
    }
    if !any || symbol.global || symbol.nonlocal.is_some() {
        return false;
    }
    let Some(parent) = scope.parent else {
        return false;
    };
    model
        .scope(parent)
        .symbols
        .get(reference.name)
        .is_some_and(|outer| {
            !outer.global
                && outer.nonlocal.is_none()
                && !outer.parameter
                && outer
                    .events
                    .iter()
                    .filter(|event| event.kind == EventKind::Bind)
                    .count()
                    == 1
        })
}

fn bound_in_original(context: &Context<'_>, reference: &Reference<'_>) -> bool {
    let Some(paths) = context.baseline.bound_names.get(reference.name) else {
        return false;
    };
    let model = context.model;
    model
        .ancestors(reference.scope)
        .enumerate()
        .filter(|&(depth, id)| depth == 0 || !matches!(model.scope(id).kind, ScopeKind::Class))
        .any(|(_, id)| paths.iter().any(|path| model.path_is(id, path)))
}
