//! Project-level Java (JavaBench's flow without Gradle): a project's main
//! and test sources compiled together with `javac` (the jail's warm
//! compiler when there is one), then its JUnit 5 tests run with the
//! platform's console launcher, both confined, each with its own limits.
//!
//! | step | command | limits |
//! |---|---|---|
//! | compile | `javac -d classes -cp <junit, extra jars> -encoding UTF-8 -proc:none <every .java under src/>` | 60 s, 2 GiB |
//! | test | `java -jar junit-platform-console-standalone.jar -cp classes:src/main/resources:src/test/resources:<extra> (--scan-classpath classes --include-classname '.*' \| --select-class C)`, a per-test timeout on a separate thread | the run's deadline, 2 GiB, 256 threads |
//!
//! Tests run in the project's root (a test may read
//! `src/test/resources/...` by path, as under Gradle). Counts come from the
//! launcher's summary and are Gradle's: tests = started + skipped (aborted
//! count as skipped) + one per failed container (Gradle reports a class
//! whose `@BeforeAll` fails as one failed test), successes = successful.
//! A run killed at its deadline, or a JVM that exits mid-run, reports no
//! counts.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lintseq_eval::javabench::{
    ClassRecord, ProjectRecord, RunResult, Selection, TestRecord, Unit, class_record,
    project_record, test_record,
};

use crate::Isolation;

use crate::command::{CommandLimits, Ending, File, Jail, Job, WorkDir};
use crate::toolchain::{COMPILE_SECONDS, WarmCompile, heavy_limits, warm_javac};

/// Debian's JUnit 5 console launcher (package `junit5`), which carries the
/// Jupiter API and engine: the compile and run classpath of the tests.
pub const JUNIT_STANDALONE: &str = "/usr/share/java/junit-platform-console-standalone.jar";

/// Bytes of the test run's output kept (its end: the summary is last).
const TEST_OUTPUT_BYTES: usize = 1 << 20;

/// A Java project: its files and how to build and test it.
#[derive(Clone, Debug)]
pub struct JavaProject {
    /// Every file under the project's `src/` (`src/main/java/...`,
    /// `src/test/java/...`, resources), by path relative to the project.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The JUnit console launcher (standalone jar).
    pub junit: PathBuf,
    /// More jars for compiling and running (annotations, mocking).
    pub classpath: Vec<PathBuf>,
    /// Each test method's limit (JUnit's default timeout).
    pub test_timeout: Duration,
    /// The whole test run's deadline.
    pub timeout: Duration,
}

/// How one compile-and-test run went.
#[derive(Clone, Debug)]
pub struct ProjectRun {
    /// javac's error count (0: it compiled; 1 when it failed without one).
    pub compile_errors: u64,
    /// The end of javac's messages, when it failed.
    pub compile_output: String,
    /// Tests passed and run, from the launcher's summary; `None` when it
    /// did not compile or the run gave no summary.
    pub counts: Option<(u64, u64)>,
    /// How the test run ended (`None` when it did not run).
    pub ending: Option<Ending>,
    /// The whole run, and its compile step.
    pub duration: Duration,
    pub compile_duration: Duration,
}

impl ProjectRun {
    /// The run as JavaBench records it; a run that gave no counts passed
    /// nothing of `expected_total` tests.
    pub fn result(&self, expected_total: u64) -> RunResult {
        let (passed, total) = self.counts.unwrap_or((0, expected_total));
        RunResult {
            compile_errors: self.compile_errors,
            passed,
            total,
        }
    }
}

impl JavaProject {
    /// The project's source tree read from `root/src`.
    pub fn read(root: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let path = entry.path();
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    let relative = path
                        .strip_prefix(root)
                        .map_err(std::io::Error::other)?
                        .to_string_lossy()
                        .into_owned();
                    files.insert(relative, std::fs::read(&path)?);
                }
            }
        }
        Ok(files)
    }

    fn compile_classpath(&self) -> String {
        std::iter::once(&self.junit)
            .chain(&self.classpath)
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Compiles the project with `replaced` (targets relative to
    /// `src/main/java/`) in place of the solution's classes, and runs the
    /// selected tests.
    pub fn run(
        &self,
        jail: &mut Jail,
        replaced: &BTreeMap<String, String>,
        selection: &Selection,
    ) -> ProjectRun {
        let started = Instant::now();
        let failed = |message: String| ProjectRun {
            compile_errors: 0,
            compile_output: String::new(),
            counts: None,
            ending: Some(Ending::SandboxError(message)),
            duration: started.elapsed(),
            compile_duration: Duration::ZERO,
        };
        let mut files: BTreeMap<String, &[u8]> = self
            .files
            .iter()
            .map(|(path, contents)| (path.clone(), contents.as_slice()))
            .collect();
        for (target, contents) in replaced {
            files.insert(format!("src/main/java/{target}"), contents.as_bytes());
        }
        let sources: Vec<&String> = files
            .keys()
            .filter(|p| {
                p.ends_with(".java")
                    && (p.starts_with("src/main/java/") || p.starts_with("src/test/java/"))
            })
            .collect();
        let mut args = format!(
            "-d classes\n-cp {}\n-encoding UTF-8\n-proc:none\n",
            quote(&self.compile_classpath())
        );
        for source in &sources {
            args.push_str(&quote(source));
            args.push('\n');
        }
        let written: Vec<File> = files
            .iter()
            .map(|(path, contents)| File::new(path.as_str(), *contents))
            .collect();
        let dir = match jail
            .work_dir()
            .and_then(|dir| dir.write(&written).map(|()| dir))
        {
            Ok(dir) => dir,
            Err(error) => return failed(format!("cannot prepare the working directory: {error}")),
        };
        let compiling = Instant::now();
        let (code, messages) = match self.compile(jail, &dir, &written, &args) {
            Ok(done) => done,
            Err(message) => return failed(message),
        };
        let compile_duration = compiling.elapsed();
        if code != 0 {
            return ProjectRun {
                compile_errors: error_count(&messages).unwrap_or(1).max(1),
                compile_output: tail_text(&messages, 4000),
                counts: None,
                ending: None,
                duration: started.elapsed(),
                compile_duration,
            };
        }
        let ran = jail.run_in(&dir, &self.test_job(selection));
        let text = String::from_utf8_lossy(&ran.stdout);
        ProjectRun {
            compile_errors: 0,
            compile_output: String::new(),
            counts: summary_counts(&text),
            ending: Some(ran.ending),
            duration: started.elapsed(),
            compile_duration,
        }
    }

    /// javac's exit code and messages; the class files end up in
    /// `dir/classes`.
    fn compile(
        &self,
        jail: &mut Jail,
        dir: &WorkDir,
        written: &[File],
        args: &str,
    ) -> Result<(i32, String), String> {
        let mut request: Vec<File> = written
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "java"))
            .cloned()
            .collect();
        request.push(File::new("javac.args", args));
        let target = dir.host_path().to_owned();
        let warm = warm_javac(jail, &request, "argfile", |home| {
            copy_tree(&home.join("classes"), &target.join("classes"))
        });
        match warm {
            WarmCompile::Done {
                code,
                stdout,
                stderr,
                ..
            } => {
                let mut messages = String::from_utf8_lossy(&stdout).into_owned();
                messages.push_str(&String::from_utf8_lossy(&stderr));
                Ok((code, messages))
            }
            WarmCompile::TimedOut(_) => Ok((1, "javac ran past its deadline\n".to_owned())),
            WarmCompile::Unavailable => {
                dir.write(&[File::new("javac.args", args)])
                    .map_err(|e| format!("cannot write javac's arguments: {e}"))?;
                let mut job = Job::new(["javac", "@javac.args"]);
                job.limits = heavy_limits(Duration::from_secs(COMPILE_SECONDS));
                let out = jail.run_in(dir, &job);
                if let Ending::SandboxError(message) = out.ending {
                    return Err(message);
                }
                let mut messages = String::from_utf8_lossy(&out.stdout).into_owned();
                messages.push_str(&String::from_utf8_lossy(&out.stderr));
                let code = match out.ending {
                    Ending::Exited(code) => code,
                    _ => 1,
                };
                Ok((code, messages))
            }
        }
    }

    fn test_job(&self, selection: &Selection) -> Job {
        let mut classpath = vec![
            "classes".to_owned(),
            "src/main/resources".to_owned(),
            "src/test/resources".to_owned(),
        ];
        classpath.extend(self.classpath.iter().map(|p| p.display().to_string()));
        let mut launcher = vec![
            "java".to_owned(),
            "-XX:+UseSerialGC".to_owned(),
            "-XX:TieredStopAtLevel=1".to_owned(),
            "-jar".to_owned(),
            self.junit.display().to_string(),
            "--disable-banner".to_owned(),
            "--disable-ansi-colors".to_owned(),
            "--details=summary".to_owned(),
            format!("--class-path={}", classpath.join(":")),
            format!(
                "--config=junit.jupiter.execution.timeout.default={} ms",
                self.test_timeout.as_millis().max(1)
            ),
            "--config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD"
                .to_owned(),
        ];
        match selection {
            Selection::All => {
                launcher.push("--scan-classpath=classes".to_owned());
                launcher.push("--include-classname=.*".to_owned());
            }
            Selection::Class(name) => launcher.push(format!("--select-class={name}")),
        }
        // The summary comes last: keep the end of the output, however much
        // the tests print.
        let script = format!(
            "exec 2>&1; {} | tail -c {TEST_OUTPUT_BYTES}",
            launcher
                .iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut job = Job::new(["/bin/sh".to_owned(), "-c".to_owned(), script]);
        job.limits = CommandLimits {
            max_output_bytes: TEST_OUTPUT_BYTES + 4096,
            ..heavy_limits(self.timeout)
        };
        job
    }
}

/// Units of a JavaBench evaluation, in the order their records are kept.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Class-wise: one unit per sample, with its task id.
    pub classes: Vec<(String, Unit)>,
    /// Test-wise: per test row, its test id, class and one unit per k.
    pub tests: Vec<(String, Vec<Unit>)>,
    /// Project-wise: one unit per k.
    pub project: Vec<Unit>,
}

/// What a JavaBench evaluation gave.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub classes: Vec<ClassRecord>,
    pub tests: Vec<(String, Vec<TestRecord>)>,
    pub project: Vec<ProjectRecord>,
    /// (passed, run) of the unchanged solution: its whole suite under
    /// `"*"`, then each test class of the plan.
    pub solution: BTreeMap<String, (u64, u64)>,
    /// Distinct compile-and-test runs made (identical units run once).
    pub runs: usize,
    /// Units in the plan.
    pub units: usize,
    /// Runs the sandbox could not make, with what it said.
    pub sandbox_errors: Vec<String>,
    /// Runs killed at the deadline or that ended without a summary.
    pub incomplete_runs: usize,
    /// Seconds spent over all runs, and compiling in them.
    pub run_seconds: f64,
    pub compile_seconds: f64,
}

/// Runs a plan on `workers` jails. The unchanged solution runs first (its
/// suite and each planned test class): it must compile, and its test
/// counts stand in for runs that give none. Identical units (the same
/// files and tests) run once. `progress` gets (done, total) runs.
pub fn evaluate(
    project: &JavaProject,
    isolation: Isolation,
    reachable: &[PathBuf],
    workers: usize,
    plan: &Plan,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Evaluation, String> {
    type Key = (BTreeMap<String, String>, Selection);
    let mut keys: Vec<Key> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut add = |files: &BTreeMap<String, String>, selection: &Selection| -> usize {
        let key = (files.clone(), selection.clone());
        if let Some(&i) = index.get(&key) {
            return i;
        }
        keys.push(key.clone());
        index.insert(key, keys.len() - 1);
        keys.len() - 1
    };
    let empty = BTreeMap::new();
    let mut baselines: Vec<(String, usize)> = vec![("*".to_owned(), add(&empty, &Selection::All))];
    for (_, units) in &plan.tests {
        if let Some(unit) = units.first()
            && let Selection::Class(name) = &unit.selection
        {
            baselines.push((name.clone(), add(&empty, &unit.selection)));
        }
    }
    let class_jobs: Vec<usize> = plan
        .classes
        .iter()
        .map(|(_, unit)| add(&unit.files, &unit.selection))
        .collect();
    let project_jobs: Vec<usize> = plan
        .project
        .iter()
        .map(|unit| add(&unit.files, &unit.selection))
        .collect();
    let test_jobs: Vec<Vec<usize>> = plan
        .tests
        .iter()
        .map(|(_, units)| units.iter().map(|u| add(&u.files, &u.selection)).collect())
        .collect();
    let total = keys.len();
    let results: Vec<Mutex<Option<ProjectRun>>> = (0..total).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let workers = workers.clamp(1, total.max(1));
    let started: Result<(), String> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for _ in 0..workers {
            handles.push(scope.spawn(|| -> Result<(), String> {
                let mut jail = Jail::new(isolation, reachable)
                    .map_err(|e| format!("cannot prepare the sandbox: {e}"))?;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return Ok(());
                    }
                    let (files, selection) = &keys[i];
                    let run = project.run(&mut jail, files, selection);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(run);
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
            }));
        }
        for handle in handles {
            handle
                .join()
                .map_err(|_| "a worker thread panicked".to_owned())??;
        }
        Ok(())
    });
    started?;
    let runs: Vec<ProjectRun> = results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .ok_or_else(|| "a run was lost".to_owned())
        })
        .collect::<Result<_, _>>()?;
    let mut solution = BTreeMap::new();
    for (name, job) in &baselines {
        let run = &runs[*job];
        if let Some(Ending::SandboxError(message)) = &run.ending {
            return Err(format!(
                "the sandbox could not run the solution's tests: {message}"
            ));
        }
        if run.compile_errors > 0 {
            return Err(format!(
                "the solution does not compile ({} errors):\n{}",
                run.compile_errors, run.compile_output
            ));
        }
        let counts = run.counts.ok_or_else(|| {
            format!(
                "the solution's tests ({name}) gave no summary (ended {:?})",
                run.ending
            )
        })?;
        solution.insert(name.clone(), counts);
    }
    let expected = |selection: &Selection| match selection {
        Selection::All => solution.get("*").map_or(0, |c| c.1),
        Selection::Class(name) => solution.get(name).map_or(0, |c| c.1),
    };
    let mut sandbox_errors = Vec::new();
    let mut incomplete_runs = 0;
    let run_seconds = runs.iter().map(|r| r.duration.as_secs_f64()).sum();
    let compile_seconds = runs.iter().map(|r| r.compile_duration.as_secs_f64()).sum();
    for run in &runs {
        match &run.ending {
            Some(Ending::SandboxError(message)) => sandbox_errors.push(message.clone()),
            Some(_) if run.counts.is_none() => incomplete_runs += 1,
            _ => {}
        }
    }
    let classes = plan
        .classes
        .iter()
        .zip(&class_jobs)
        .map(|((task_id, unit), &job)| {
            class_record(task_id, unit, &runs[job].result(expected(&unit.selection)))
        })
        .collect();
    let tests = plan
        .tests
        .iter()
        .zip(&test_jobs)
        .map(|((test_id, units), jobs)| {
            let records = units
                .iter()
                .zip(jobs)
                .map(|(unit, &job)| {
                    test_record(test_id, unit, &runs[job].result(expected(&unit.selection)))
                })
                .collect();
            (test_id.clone(), records)
        })
        .collect();
    let project = plan
        .project
        .iter()
        .zip(&project_jobs)
        .map(|(unit, &job)| project_record(unit, &runs[job].result(expected(&unit.selection))))
        .collect();
    Ok(Evaluation {
        classes,
        tests,
        project,
        solution,
        runs: total,
        units: plan.classes.len()
            + plan.project.len()
            + plan.tests.iter().map(|(_, u)| u.len()).sum::<usize>(),
        sandbox_errors,
        incomplete_runs,
        run_seconds,
        compile_seconds,
    })
}

/// Quotes an argument for a javac argument file.
fn quote(arg: &str) -> String {
    format!("\"{}\"", arg.replace('\\', "\\\\").replace('"', "\\\""))
}

fn shell_quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', "'\\''"))
}

/// javac's closing count (`3 errors`).
fn error_count(messages: &str) -> Option<u64> {
    messages.lines().rev().find_map(|line| {
        let line = line.trim();
        let number = line
            .strip_suffix(" errors")
            .or_else(|| line.strip_suffix(" error"))?;
        number.parse().ok()
    })
}

fn tail_text(text: &str, bytes: usize) -> String {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text[start..].to_owned()
}

/// Gradle's (successes, tests) from the launcher's summary box.
pub fn summary_counts(output: &str) -> Option<(u64, u64)> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for line in output.lines() {
        let Some(inner) = line
            .trim()
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
        else {
            continue;
        };
        let mut words = inner.split_whitespace();
        let (Some(number), Some(kind), Some(state), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            continue;
        };
        if let Ok(number) = number.parse::<u64>() {
            counts.insert(format!("{kind} {state}"), number);
        }
    }
    let get = |key: &str| counts.get(key).copied();
    let started = get("tests started")?;
    let successful = get("tests successful")?;
    let skipped = get("tests skipped").unwrap_or(0);
    let containers_failed = get("containers failed").unwrap_or(0);
    Some((successful, started + skipped + containers_failed))
}

/// Copies the tree javac wrote into the working directory, as the sandbox
/// user's files.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut stack = vec![from.to_owned()];
    while let Some(dir) = stack.pop() {
        let relative = dir.strip_prefix(from).map_err(std::io::Error::other)?;
        let target = to.join(relative);
        std::fs::create_dir_all(&target)?;
        std::os::unix::fs::chown(
            &target,
            Some(crate::zygote::SANDBOX_ID),
            Some(crate::zygote::SANDBOX_ID),
        )?;
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let dest = target.join(entry.file_name());
                std::fs::copy(entry.path(), &dest)?;
                std::os::unix::fs::chown(
                    &dest,
                    Some(crate::zygote::SANDBOX_ID),
                    Some(crate::zygote::SANDBOX_ID),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_gradles() {
        let out = "Failures (4):\n  x\n\nTest run finished after 2513 ms\n[         5 containers found      ]\n[         0 containers skipped    ]\n[         5 containers started    ]\n[         0 containers aborted    ]\n[         4 containers successful ]\n[         1 containers failed     ]\n[         8 tests found           ]\n[         1 tests skipped         ]\n[         5 tests started         ]\n[         1 tests aborted         ]\n[         1 tests successful      ]\n[         3 tests failed          ]\n";
        assert_eq!(summary_counts(out), Some((1, 7)));
        assert_eq!(summary_counts("killed"), None);
    }

    #[test]
    fn javac_error_counts_are_read() {
        assert_eq!(error_count("A.java:1: error: x\n1 error\n"), Some(1));
        assert_eq!(error_count("...\n12 errors\n"), Some(12));
        assert_eq!(error_count("warning only\n"), None);
    }
}
