//! Programs nested as deeply as 64 KiB of source allows are checked (and
//! their block structure found) on a 2 MiB thread stack without
//! overflowing it: oxc's parser, semantic analysis and our checks recurse
//! once per level of nesting.

use lintseq_core::{Checker, Language};
use lintseq_javascript::{Dialect, JavaScriptChecker};

#[path = "support/deep_shapes.rs"]
mod deep_shapes;

const SIZE: usize = 64 << 10;

#[test]
fn deep_programs_do_not_overflow_a_2_mib_stack() {
    for dialect in [Dialect::JavaScript, Dialect::TypeScript] {
        for (name, source) in deep_shapes::shapes(SIZE) {
            let name = format!("{name} ({})", dialect.name());
            let checker = JavaScriptChecker::new(dialect);
            let worker = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    let diagnostics = checker.for_program(&source).diagnostics(&source);
                    let structure = checker.structure(&source);
                    (diagnostics.len(), structure.is_some())
                })
                .unwrap();
            let result = worker.join();
            assert!(result.is_ok(), "{name}: the checker panicked");
        }
    }
}
