//! Running a fuzz input on a thread with a worker's stack.

/// The stack of a rayon worker thread (Rust's default for spawned threads),
/// on which the pipeline checks programs. libFuzzer's main thread has the
/// process's stack, usually 8 MiB, which would hide a recursion too deep for
/// a worker.
const WORKER_STACK: usize = 2 << 20;

/// Runs `work` on a fresh thread with [`WORKER_STACK`], passing its panic on.
pub fn on_worker_stack(work: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, work)
            .expect("a thread for the input");
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    });
}
