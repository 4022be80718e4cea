//! Running samples in parallel, delivering results in sample order.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::outcome::Outcome;
use crate::program::Program;

/// Something that runs programs: the sandbox, or a fake in tests.
pub trait Executor: Send {
    /// Runs one program to completion. Never panics: failures of the
    /// machinery are outcomes too.
    fn run(&mut self, program: &Program) -> Outcome;
}

/// One unit of work, in input order.
#[derive(Debug)]
pub enum Task {
    /// Run this program.
    Run(Program),
    /// Already decided (the sample could not be run); passed through in order.
    Done(Outcome),
}

/// Runs `tasks` on `executors` (one thread each) and calls `on_result` for
/// every task, in task order, as soon as all earlier ones are done.
pub fn run_ordered<E, I, F>(executors: Vec<E>, tasks: I, mut on_result: F)
where
    E: Executor,
    I: Iterator<Item = Task> + Send,
    F: FnMut(usize, Outcome),
{
    assert!(!executors.is_empty(), "at least one executor is needed");
    let (job_tx, job_rx) = sync_channel::<(usize, Program)>(executors.len() * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (result_tx, result_rx) = channel::<(usize, Outcome)>();
    thread::scope(|scope| {
        let feeder_results = result_tx.clone();
        scope.spawn(move || {
            for (index, task) in tasks.enumerate() {
                let sent = match task {
                    Task::Run(program) => job_tx.send((index, program)).is_ok(),
                    Task::Done(outcome) => feeder_results.send((index, outcome)).is_ok(),
                };
                if !sent {
                    break;
                }
            }
        });
        for mut executor in executors {
            let jobs = Arc::clone(&job_rx);
            let results = result_tx.clone();
            scope.spawn(move || {
                loop {
                    let job = jobs.lock().map(|rx| rx.recv());
                    let Ok(Ok((index, program))) = job else {
                        break;
                    };
                    let outcome = executor.run(&program);
                    if results.send((index, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (index, outcome) in result_rx {
            pending.insert(index, outcome);
            while let Some(outcome) = pending.remove(&next) {
                on_result(next, outcome);
                next += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::outcome::Status;

    /// Runs "programs" that are a number of milliseconds to sleep.
    struct Sleeper;

    impl Executor for Sleeper {
        fn run(&mut self, program: &Program) -> Outcome {
            let millis: u64 = program.source.parse().unwrap();
            thread::sleep(Duration::from_millis(millis));
            Outcome {
                status: Status::Passed,
                result: format!("passed {millis}"),
                duration: Duration::from_millis(millis),
                peak_memory_bytes: None,
                detail: None,
                failure_class: None,
            }
        }
    }

    #[test]
    fn results_arrive_in_task_order() {
        let tasks = [30, 1, 1, 20, 0, 5, 1, 1]
            .into_iter()
            .enumerate()
            .map(|(i, ms)| {
                if i == 4 {
                    Task::Done(Outcome::not_run("bad row"))
                } else {
                    Task::Run(Program::python(ms.to_string()))
                }
            })
            .collect::<Vec<_>>();
        let mut seen = Vec::new();
        run_ordered(
            vec![Sleeper, Sleeper, Sleeper],
            tasks.into_iter(),
            |index, outcome| {
                seen.push((index, outcome.result));
            },
        );
        let indices: Vec<usize> = seen.iter().map(|(i, _)| *i).collect();
        assert_eq!(indices, (0..8).collect::<Vec<_>>());
        assert_eq!(seen[0].1, "passed 30");
        assert_eq!(seen[4].1, "failed: bad row");
    }
}
