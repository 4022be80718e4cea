//! Runs trivial passing samples on one worker and prints samples per second.
//!
//! `cargo run --release -p lintseq_sandbox --example throughput -- [samples] [full|none] [python]`

// An example is a program: it reports to the terminal.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;

use lintseq_sandbox::{Isolation, Limits, Status, Worker};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let samples: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(200);
    let isolation = match args.next().as_deref() {
        None | Some("full") => Isolation::Full,
        Some("none") => Isolation::None,
        Some(other) => return Err(format!("unknown isolation {other:?}").into()),
    };
    let python = PathBuf::from(args.next().unwrap_or_else(|| "python3".to_owned()));
    let started = Instant::now();
    let mut worker = Worker::start(isolation, Limits::default(), &python)?;
    println!(
        "worker started in {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    for warning in worker.warnings() {
        println!("warning: {warning}");
    }
    let program = "def add(a, b):\n    return a + b\n\ndef check(f):\n    assert f(1, 2) == 3\n\ncheck(add)\n";
    let started = Instant::now();
    for _ in 0..samples {
        let execution = worker.run(program);
        if execution.status != Status::Passed {
            return Err(format!("a sample did not pass: {execution:?}").into());
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{samples} samples in {seconds:.2} s: {:.1} samples/s on one worker ({isolation:?})",
        samples as f64 / seconds
    );
    Ok(())
}
