//! How much stack checking a deeply nested program takes: checks one shape
//! of `tests/deep.rs` on a thread with a stack of the given size (it exits
//! with a stack overflow if that is too little).
//!
//! ```text
//! cargo run -p lintseq_javascript --example stackprobe -- SHAPE STACK_KIB SOURCE_BYTES [ts]
//! ```

use lintseq_core::{Checker, Language};
use lintseq_javascript::{Dialect, JavaScriptChecker};

#[path = "../tests/support/deep_shapes.rs"]
mod deep_shapes;

#[allow(clippy::print_stdout)] // An example's output is its point.
fn main() {
    let i: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let kib: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let ts = std::env::args().nth(4).is_some();
    let size: usize = std::env::args().nth(3).unwrap().parse().unwrap();
    let (name, source) = deep_shapes::shapes(size).swap_remove(i);
    let checker = JavaScriptChecker::new(if ts {
        Dialect::TypeScript
    } else {
        Dialect::JavaScript
    });
    let t = std::thread::Builder::new()
        .stack_size(kib << 10)
        .spawn(move || {
            let d = checker.for_program(&source).diagnostics(&source);
            let s = checker.structure(&source);
            (d.len(), s.is_some())
        })
        .unwrap();
    println!("{name} {:?}", t.join().unwrap());
}
