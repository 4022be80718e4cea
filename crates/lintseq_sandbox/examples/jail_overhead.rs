//! Wall time per confined command: `/bin/true` run N times (default 200)
//! through a `Jail`, fully isolated and without isolation, and spawned
//! directly for comparison. `cargo run --release -p lintseq_sandbox
//! --example jail_overhead [N]`.

#![allow(clippy::print_stdout)]

use std::process::Command;
use std::time::Instant;

use lintseq_sandbox::Isolation;
use lintseq_sandbox::command::{Jail, Job};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let start = Instant::now();
    for _ in 0..n {
        Command::new("/bin/true").status().expect("/bin/true runs");
    }
    let direct = start.elapsed() / n;
    println!("direct spawn:   {direct:?} per command");
    for isolation in [Isolation::None, Isolation::Full] {
        let mut jail = Jail::new(isolation, &[]).expect("the jail starts");
        let job = Job::new(["/bin/true"]);
        let start = Instant::now();
        for _ in 0..n {
            assert!(jail.run(&job, &[]).success());
        }
        let each = start.elapsed() / n;
        println!("jail {isolation:?}: {each:?} per command");
    }
}
