//! The workers: one thread each, with a jail for `/run_code` programs and,
//! from the first evaluation task, an evaluation executor (a warm Python
//! worker and a jail for the toolchains), fed from a bounded queue.
//!
//! A request that finds the queue full is refused at once (the HTTP side
//! answers 429) rather than left to time out; a batch is queued whole or
//! not at all. A worker checks a task's
//! deadline before it starts it. A panic while running one is caught: the
//! task is answered as a sandbox error and the worker starts over with a
//! fresh jail, so no task is lost and no worker is.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lintseq_eval::program::Program;
use lintseq_sandbox::Isolation;
use lintseq_sandbox::code::{CodeRequest, CodeRun, CodeTools, run_code};
use lintseq_sandbox::command::Jail;
use lintseq_sandbox::eval::{Sandbox, SandboxExecutor};
use tokio::sync::oneshot;

/// What a worker is asked to do.
#[derive(Debug)]
pub enum Job {
    /// A `/run_code` program.
    Code(CodeRequest),
    /// An evaluation program (HumanEval and friends), as `lintseq eval`
    /// runs it.
    Eval(Program),
}

impl Job {
    /// The language, as `/metrics` labels it.
    pub fn language(&self) -> &'static str {
        match self {
            Job::Code(request) => request.language.name(),
            Job::Eval(program) => program.language.as_str(),
        }
    }
}

/// What a worker made of a task.
#[derive(Debug)]
pub enum Outcome {
    Ran(CodeRun),
    Evaluated(lintseq_eval::Outcome),
    /// Its deadline passed while it waited in the queue.
    Expired,
    /// Our machinery failed (no jail, a panic).
    Failed(String),
}

#[derive(Debug)]
struct Task {
    job: Job,
    deadline: Instant,
    reply: oneshot::Sender<Outcome>,
}

/// Upper bounds, in seconds, of the run-time histogram's buckets.
pub const BUCKETS: [f64; 11] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// What the workers are doing, for `/metrics` and `/healthz`.
#[derive(Debug, Default)]
pub struct Stats {
    pub queued: AtomicI64,
    pub in_flight: AtomicI64,
    pub workers: usize,
    pub capacity: usize,
    /// `(language, status)` to count.
    pub results: Mutex<std::collections::BTreeMap<(String, String), u64>>,
    /// Runs per bucket of [`BUCKETS`] (the last counts what exceeds them all).
    pub run_seconds: [AtomicU64; BUCKETS.len() + 1],
    /// Microseconds, summed.
    pub run_micros: AtomicU64,
    pub worker_failures: AtomicU64,
}

impl Stats {
    pub fn record(&self, language: &str, status: &str, took: Duration) {
        *self
            .results
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((language.to_owned(), status.to_owned()))
            .or_insert(0) += 1;
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(BUCKETS.len());
        self.run_seconds[bucket].fetch_add(1, Ordering::Relaxed);
        self.run_micros.fetch_add(
            u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }
}

/// Why a task was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The queue is full: try again later.
    Full,
    /// The pool is shutting down.
    Closed,
}

/// The workers and their queue.
#[derive(Debug)]
pub struct Pool {
    sender: Option<SyncSender<Task>>,
    threads: Vec<JoinHandle<()>>,
    pub stats: Arc<Stats>,
}

impl Pool {
    /// Starts `workers` threads behind a queue of `capacity` tasks. With
    /// [`Isolation::Full`], checks first that a jail can be made here.
    pub fn start(
        workers: usize,
        capacity: usize,
        isolation: Isolation,
        tools: CodeTools,
        evaluation: Option<Arc<Sandbox>>,
    ) -> Result<Pool, String> {
        let reachable = tools.reachable();
        // Fails with a message naming what the machine lacks.
        Jail::new(isolation, &reachable).map_err(|e| e.to_string())?;
        let (sender, receiver) = sync_channel::<Task>(capacity);
        let receiver = Arc::new(Mutex::new(receiver));
        let stats = Arc::new(Stats {
            workers,
            capacity,
            ..Stats::default()
        });
        let tools = Arc::new(tools);
        let threads = (0..workers.max(1))
            .map(|number| {
                let receiver = Arc::clone(&receiver);
                let stats = Arc::clone(&stats);
                let tools = Arc::clone(&tools);
                let reachable = reachable.clone();
                let evaluation = evaluation.clone();
                std::thread::Builder::new()
                    .name(format!("lintseq-serve-{number}"))
                    .spawn(move || {
                        work(
                            &receiver,
                            &stats,
                            &tools,
                            isolation,
                            &reachable,
                            evaluation.as_deref(),
                        );
                    })
                    .map_err(|e| format!("cannot start a worker thread: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Pool {
            sender: Some(sender),
            threads,
            stats,
        })
    }

    /// Queues `job`; the receiver gets its outcome.
    pub fn submit(
        &self,
        job: Job,
        deadline: Instant,
    ) -> Result<oneshot::Receiver<Outcome>, Refused> {
        let mut receivers = self.submit_all(vec![job], deadline)?;
        Ok(receivers.remove(0))
    }

    /// Queues every job, or none when the queue has no room for all of
    /// them; the receivers get their outcomes, in the jobs' order.
    pub fn submit_all(
        &self,
        jobs: Vec<Job>,
        deadline: Instant,
    ) -> Result<Vec<oneshot::Receiver<Outcome>>, Refused> {
        let Some(sender) = &self.sender else {
            return Err(Refused::Closed);
        };
        let count = i64::try_from(jobs.len()).unwrap_or(i64::MAX);
        let capacity = i64::try_from(self.stats.capacity).unwrap_or(i64::MAX);
        // Reserve room for the whole batch first: the channel then holds
        // at most `queued` tasks, so every send below finds space.
        self.stats
            .queued
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |queued| {
                (queued + count <= capacity).then_some(queued + count)
            })
            .map_err(|_| Refused::Full)?;
        let mut receivers = Vec::with_capacity(jobs.len());
        for job in jobs {
            let (reply, receiver) = oneshot::channel();
            let task = Task {
                job,
                deadline,
                reply,
            };
            if let Err(error) = sender.try_send(task) {
                // Not expected after the reservation; answer the task so
                // that nothing waits for it.
                self.stats.queued.fetch_sub(1, Ordering::SeqCst);
                let (TrySendError::Full(task) | TrySendError::Disconnected(task)) = error;
                let _ = task
                    .reply
                    .send(Outcome::Failed("the queue refused the task".to_owned()));
            }
            receivers.push(receiver);
        }
        Ok(receivers)
    }
}

impl Drop for Pool {
    /// Lets the workers finish what is queued and in flight, then joins
    /// them.
    fn drop(&mut self) {
        self.sender = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn work(
    receiver: &Mutex<Receiver<Task>>,
    stats: &Stats,
    tools: &CodeTools,
    isolation: Isolation,
    reachable: &[std::path::PathBuf],
    evaluation: Option<&Sandbox>,
) {
    let mut jail: Option<Jail> = None;
    let mut executor: Option<SandboxExecutor> = None;
    loop {
        let task = {
            let Ok(receiver) = receiver.lock() else {
                return;
            };
            match receiver.recv() {
                Ok(task) => task,
                Err(_) => return,
            }
        };
        stats.queued.fetch_sub(1, Ordering::SeqCst);
        if Instant::now() >= task.deadline || task.reply.is_closed() {
            let _ = task.reply.send(Outcome::Expired);
            continue;
        }
        stats.in_flight.fetch_add(1, Ordering::SeqCst);
        let outcome = match &task.job {
            Job::Code(request) => {
                let outcome = match jail.as_mut() {
                    Some(jail) => run(jail, tools, request, stats),
                    None => match Jail::new(isolation, reachable) {
                        Ok(fresh) => run(jail.insert(fresh), tools, request, stats),
                        Err(e) => Outcome::Failed(format!("cannot prepare a jail: {e}")),
                    },
                };
                if matches!(outcome, Outcome::Failed(_)) {
                    // Start over with a fresh jail, whatever state this one
                    // is in.
                    jail = None;
                }
                outcome
            }
            Job::Eval(program) => {
                let outcome = match (executor.as_mut(), evaluation) {
                    (_, None) => Outcome::Failed("this server does not evaluate".to_owned()),
                    (Some(executor), _) => evaluate(executor, program, stats),
                    (None, Some(sandbox)) => match sandbox.executor(false) {
                        Ok(fresh) => evaluate(executor.insert(fresh), program, stats),
                        Err(e) => Outcome::Failed(e),
                    },
                };
                if matches!(outcome, Outcome::Failed(_)) {
                    executor = None;
                }
                outcome
            }
        };
        stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        let _ = task.reply.send(outcome);
    }
}

fn run(jail: &mut Jail, tools: &CodeTools, request: &CodeRequest, stats: &Stats) -> Outcome {
    guarded(stats, || Outcome::Ran(run_code(jail, tools, request)))
}

fn evaluate(executor: &mut SandboxExecutor, program: &Program, stats: &Stats) -> Outcome {
    use lintseq_eval::Executor as _;
    guarded(stats, || Outcome::Evaluated(executor.run(program)))
}

/// Runs `task`, turning a panic into [`Outcome::Failed`].
fn guarded(stats: &Stats, task: impl FnOnce() -> Outcome) -> Outcome {
    match catch_unwind(AssertUnwindSafe(task)) {
        Ok(outcome) => outcome,
        Err(panic) => {
            stats.worker_failures.fetch_add(1, Ordering::Relaxed);
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Outcome::Failed(format!("the worker failed ({what}); it was replaced"))
        }
    }
}
