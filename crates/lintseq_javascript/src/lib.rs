//! LintSeq's JavaScript and TypeScript checker.
//!
//! It reports what the reference configurations report on partial programs
//! — ESLint's parser errors and `no-undef` for JavaScript, `tsc`'s syntactic,
//! cannot-find-name and redeclaration errors for TypeScript — in process, on
//! oxc's parser and semantic analysis, in microseconds: every parse error,
//! the early errors (redeclared `let`/`const`/`class`, `return` outside a
//! function, `break`/`continue` outside a loop or to an unknown label,
//! `await` outside an async function where the mode forbids it), unresolved
//! references and, for TypeScript, unresolved type references.
//!
//! Module or script mode comes from each checked text (`import`/`export`
//! present: a module), as ESLint's and tsc's configurations decide it. A
//! [`JavaScriptChecker`] is configured once (dialect, environment globals);
//! [`JavaScriptChecker::for_program`] binds it to one original program, from
//! which it learns what a partial program cannot show (whether TypeScript
//! code is TSX). [`structure`] gives the sampler the program's block
//! structure: deleting a line that opens a block deletes the block.

mod checks;
mod globals;
mod nesting;
mod source;
pub mod structure;

use std::cell::RefCell;

use lintseq_core::{Checker, Diagnostic, Language, Structure};
use oxc_allocator::Allocator;
use oxc_span::SourceType;

pub use checks::CODES;
pub use globals::{Env, UnknownEnv, value_globals};

/// JavaScript, or TypeScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// ECMAScript 2024 with JSX.
    JavaScript,
    /// TypeScript; TSX when the original program needs it.
    TypeScript,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::JavaScript => "javascript",
            Dialect::TypeScript => "typescript",
        }
    }
}

/// The JavaScript/TypeScript checker's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JavaScriptChecker {
    pub dialect: Dialect,
    /// Which environments' globals are defined besides ES2024's.
    pub env: Env,
}

impl JavaScriptChecker {
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            env: Env::default(),
        }
    }

    pub fn with_env(self, env: Env) -> Self {
        Self { env, ..self }
    }

    /// A checker for the partial programs cut from `program`.
    pub fn for_program(&self, program: &str) -> ProgramChecker {
        ProgramChecker {
            source_type: self.source_type_for(program),
            env: self.env,
        }
    }

    /// The source type for the states of `program`: module or script is
    /// left to each state (unambiguous). TypeScript that parses only as TSX
    /// is TSX.
    fn source_type_for(&self, program: &str) -> SourceType {
        match self.dialect {
            Dialect::JavaScript => SourceType::unambiguous().with_jsx(true),
            Dialect::TypeScript => {
                let ts = SourceType::ts();
                let tsx = SourceType::tsx();
                if checks::parses(program, ts) || !checks::parses(program, tsx) {
                    ts
                } else {
                    tsx
                }
            }
        }
    }
}

impl Language for JavaScriptChecker {
    fn checker(&self, program: &str) -> Box<dyn Checker + '_> {
        Box::new(self.for_program(program))
    }

    fn structure(&self, program: &str) -> Option<Structure> {
        structure::of(program, self.source_type_for(program))
    }
}

/// The checker bound to one original program.
#[derive(Clone, Copy, Debug)]
pub struct ProgramChecker {
    source_type: SourceType,
    env: Env,
}

impl ProgramChecker {
    /// Whether states are parsed as TSX (TypeScript with JSX).
    pub fn is_tsx(&self) -> bool {
        self.source_type.is_typescript() && self.source_type.is_jsx()
    }
}

impl Checker for ProgramChecker {
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>) {
        nesting::with_stack_for(source.len(), || {
            with_allocator(|allocator| {
                checks::run(allocator, source, self.source_type, self.env, out);
            });
        });
    }
}

thread_local! {
    /// One arena per thread, reset between checks: no allocation per check
    /// once it has grown to the largest program's size.
    static ALLOCATOR: RefCell<Allocator> = RefCell::new(Allocator::default());
}

/// Runs `f` with this thread's arena, reset, or a fresh one if the arena
/// is in use (a checker called from inside a check).
pub(crate) fn with_allocator<R>(f: impl FnOnce(&Allocator) -> R) -> R {
    ALLOCATOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut allocator) => {
            allocator.reset();
            f(&allocator)
        }
        Err(_) => f(&Allocator::default()),
    })
}

/// Checks `source` as `dialect` on its own (it is its own original), with
/// the default environment.
pub fn check(dialect: Dialect, source: &str) -> Vec<Diagnostic> {
    JavaScriptChecker::new(dialect)
        .for_program(source)
        .diagnostics(source)
}
