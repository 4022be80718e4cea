//! `lintseq javabench`: reads a project, its rows and samples, and hands
//! the plan to `lintseq_sandbox::java_project`; writes what it gives.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lintseq_eval::javabench::{
    self, Metrics, Sample, Task, TestRow, class_wise_units, metrics, read_rows, test_wise_units,
    to_python_json,
};
use lintseq_eval::plot;
use lintseq_sandbox::Isolation;
use lintseq_sandbox::java_project::{self, JavaProject, Plan};
use serde_json::json;

use crate::cli::{JavabenchArgs, JavabenchMode};
use crate::progress;

struct Paths {
    solution: PathBuf,
    skeleton: Option<PathBuf>,
    tasks: Option<PathBuf>,
    tests: Option<PathBuf>,
}

fn paths(args: &JavabenchArgs) -> anyhow::Result<Paths> {
    let under = |f: &dyn Fn(&Path, &str) -> PathBuf| {
        args.root
            .as_deref()
            .zip(args.project.as_deref())
            .map(|(root, name)| f(root, name))
    };
    let solution = args
        .solution
        .clone()
        .or_else(|| under(&|r, n| r.join("projects").join(format!("{n}-Solution"))))
        .context("give --solution DIR, or --root and --project")?;
    let skeleton = args
        .skeleton
        .clone()
        .or_else(|| under(&|r, n| r.join("projects").join(n)));
    let tasks = args.tasks.clone().or_else(|| {
        under(&|r, n| {
            r.join("datasets/selective-context")
                .join(format!("data-{n}.jsonl"))
        })
    });
    let tests = args
        .tests
        .clone()
        .or_else(|| under(&|r, n| r.join("datasets/testcase").join(format!("test-{n}.jsonl"))));
    Ok(Paths {
        solution,
        skeleton,
        tasks,
        tests,
    })
}

fn rows<T: for<'de> serde::Deserialize<'de>>(path: &Path, what: &str) -> anyhow::Result<Vec<T>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))?;
    read_rows(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub fn run(args: JavabenchArgs) -> anyhow::Result<ExitCode> {
    for (name, value) in [
        ("--test-timeout", args.test_timeout),
        ("--timeout", args.timeout),
    ] {
        if !(value.is_finite() && value > 0.0) {
            bail!("{name} must be a positive number of seconds");
        }
    }
    let paths = paths(&args)?;
    let class_wise = args.mode.class_wise();
    let test_wise = args.mode.test_wise();
    let project_wise = args.mode.project_wise();
    let outputs = [
        "single_class.json",
        "result-full.json",
        "project_wise.json",
        "summary.json",
    ];
    if !args.force {
        for name in outputs {
            let path = args.output.join(name);
            if path.exists() {
                bail!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                );
            }
        }
    }
    let samples: Vec<Sample> = rows(&args.samples, "samples")?;
    if samples.is_empty() {
        bail!("{} holds no sample", args.samples.display());
    }
    let tasks: Vec<Task> = match &paths.tasks {
        Some(path) if path.exists() || args.tasks.is_some() => rows(path, "task rows")?,
        _ => Vec::new(),
    };
    let tests: Vec<TestRow> = match &paths.tests {
        Some(path) if test_wise => rows(path, "test rows")?,
        Some(_) => Vec::new(),
        None if test_wise => {
            bail!("test-wise evaluation needs --tests FILE (or --root and --project)")
        }
        None => Vec::new(),
    };

    // Each sampled class's skeleton: the skeleton tree's file, else the
    // task row's code.
    let mut skeletons: BTreeMap<String, String> = BTreeMap::new();
    for (index, sample) in samples.iter().enumerate() {
        if skeletons.contains_key(&sample.target) {
            continue;
        }
        let from_tree = paths
            .skeleton
            .as_ref()
            .map(|dir| dir.join("src/main/java").join(&sample.target))
            .filter(|p| p.is_file());
        let text = match from_tree {
            Some(path) => std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?,
            None => tasks
                .iter()
                .find(|t| t.target == sample.target)
                .and_then(javabench::skeleton_of)
                .map(str::to_owned)
                .with_context(|| {
                    format!(
                        "{} line {}: no skeleton for target {:?} (neither the skeleton tree nor a task row's `code` has it)",
                        args.samples.display(),
                        index + 1,
                        sample.target
                    )
                })?,
        };
        skeletons.insert(sample.target.clone(), text);
    }
    let skeleton = |target: &str| skeletons.get(target).map(String::as_str);

    let files = JavaProject::read(&paths.solution)
        .with_context(|| format!("cannot read the solution tree {}", paths.solution.display()))?;
    for target in skeletons.keys() {
        if !files.contains_key(&format!("src/main/java/{target}")) {
            eprintln!(
                "lintseq: warning: {target} is not a class of the solution; its samples add a file"
            );
        }
    }
    let mut classpath = Vec::new();
    for entry in &args.classpath {
        for jar in entry.split(':').filter(|s| !s.is_empty()) {
            let jar = PathBuf::from(jar);
            if !jar.exists() {
                bail!("--classpath: {} does not exist", jar.display());
            }
            classpath.push(std::fs::canonicalize(&jar)?);
        }
    }
    if !args.junit.is_file() {
        bail!(
            "JUnit's console launcher {} is missing (Debian's junit5 package installs it; or pass --junit JAR)",
            args.junit.display()
        );
    }
    let project = JavaProject {
        files,
        junit: args.junit.clone(),
        classpath: classpath.clone(),
        test_timeout: Duration::from_secs_f64(args.test_timeout),
        timeout: Duration::from_secs_f64(args.timeout),
    };

    let mut plan = Plan::default();
    if class_wise {
        let units = class_wise_units(&samples, skeleton).map_err(anyhow::Error::msg)?;
        plan.classes = samples
            .iter()
            .map(|s| s.task_id.clone())
            .zip(units)
            .collect();
    }
    if test_wise {
        plan.tests = test_wise_units(&samples, &tests, skeleton).map_err(anyhow::Error::msg)?;
    }
    if project_wise {
        plan.project =
            javabench::project_wise_units(&samples, skeleton).map_err(anyhow::Error::msg)?;
    }
    for task in javabench::uncovered(&tasks, &samples) {
        eprintln!("lintseq: warning: no sample for task {task}; its class stays the solution's");
    }

    let isolation = if args.no_sandbox {
        eprintln!(
            "lintseq: warning: --no-sandbox: samples run without namespaces or cgroups, \
             with only resource limits and timeouts between them and this machine"
        );
        Isolation::None
    } else {
        let probe = lintseq_sandbox::probe();
        if let Err(missing) = probe.full_isolation() {
            bail!(
                "the sandbox cannot isolate samples on this machine: {missing}\n{probe}\n\
                 (pass --no-sandbox to run them without isolation, on code you trust)"
            );
        }
        Isolation::Full
    };
    let reachable: Vec<PathBuf> = classpath
        .iter()
        .filter_map(|jar| jar.parent().map(Path::to_owned))
        .collect();
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);

    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let started = Instant::now();
    let bar = progress::rows_bar(0);
    let report = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let evaluation =
        java_project::evaluate(&project, isolation, &reachable, workers, &plan, &report)
            .map_err(anyhow::Error::msg)?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();

    if class_wise {
        write(
            &args.output.join("single_class.json"),
            &to_python_json(&evaluation.classes),
        )?;
    }
    if test_wise {
        let object: serde_json::Map<String, serde_json::Value> = evaluation
            .tests
            .iter()
            .map(|(id, records)| (id.clone(), json!(records)))
            .collect();
        write(
            &args.output.join("result-full.json"),
            &to_python_json(&object),
        )?;
    }
    if project_wise {
        write(
            &args.output.join("project_wise.json"),
            &to_python_json(&evaluation.project),
        )?;
    }
    let metrics = metrics(
        &evaluation.classes,
        &evaluation.tests,
        &evaluation.project,
        args.n,
    );
    let curve =
        |values: &BTreeMap<u64, f64>| values.iter().map(|(&k, &v)| (k, v)).collect::<Vec<_>>();
    if class_wise {
        write(
            &args.output.join("pass_at_k_class.svg"),
            &plot::svg(&curve(&metrics.pass_class), "JavaBench pass@k, class-wise"),
        )?;
    }
    if test_wise {
        write(
            &args.output.join("pass_at_k_test.svg"),
            &plot::svg(&curve(&metrics.pass_test), "JavaBench pass@k, test-wise"),
        )?;
    }
    if project_wise {
        write(
            &args.output.join("pass_at_k_project.svg"),
            &plot::svg(
                &curve(&metrics.pass_project),
                "JavaBench pass@k, project-wise",
            ),
        )?;
    }
    let summary = json!({
        "samples": args.samples.display().to_string(),
        "solution": paths.solution.display().to_string(),
        "mode": match args.mode {
            JavabenchMode::ClassWise => "class-wise",
            JavabenchMode::TestWise => "test-wise",
            JavabenchMode::ProjectWise => "project-wise",
            JavabenchMode::Both => "both",
            JavabenchMode::All => "all",
        },
        "metrics": metrics,
        "sample_rows": samples.len(),
        "units": evaluation.units,
        "runs": evaluation.runs,
        "solution_tests": evaluation.solution.iter().map(|(k, (p, t))| (k.clone(), json!([p, t]))).collect::<serde_json::Map<_, _>>(),
        "incomplete_runs": evaluation.incomplete_runs,
        "run_seconds": evaluation.run_seconds,
        "compile_seconds": evaluation.compile_seconds,
        "sandbox_errors": evaluation.sandbox_errors,
        "workers": workers,
        "isolation": if args.no_sandbox { "none (--no-sandbox)" } else { "full" },
        "test_timeout_seconds": args.test_timeout,
        "timeout_seconds": args.timeout,
        "seconds": seconds,
    });
    write(
        &args.output.join("summary.json"),
        &(serde_json::to_string_pretty(&summary)? + "\n"),
    )?;
    eprint!("{}", table(&metrics, class_wise, test_wise, project_wise));
    eprintln!(
        "lintseq: {} units in {} distinct runs, {:.1} s ({} workers); results in {}",
        evaluation.units,
        evaluation.runs,
        seconds,
        workers,
        args.output.display()
    );
    if !evaluation.sandbox_errors.is_empty() {
        eprintln!(
            "lintseq: {} runs failed in the sandbox, first: {}",
            evaluation.sandbox_errors.len(),
            evaluation.sandbox_errors[0]
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn table(m: &Metrics, class_wise: bool, test_wise: bool, project_wise: bool) -> String {
    // Every k up to 5, then 10 and n.
    let mut ks: Vec<u64> = (1..=m.n.min(5)).collect();
    ks.extend([10, m.n].into_iter().filter(|&k| k > 5 && k <= m.n));
    ks.dedup();
    let mut out = format!("{:<24}", format!("n = {}", m.n));
    for k in &ks {
        let _ = write!(out, "{:>9}", format!("@{k}"));
    }
    out.push('\n');
    let mut rows: Vec<(&str, &BTreeMap<u64, f64>)> = Vec::new();
    if class_wise {
        rows.push(("completion", &m.completion));
        rows.push(("compilation (class)", &m.compilation_class));
        rows.push(("pass (class)", &m.pass_class));
    }
    if test_wise {
        rows.push(("compilation (test)", &m.compilation_test));
        rows.push(("pass (test)", &m.pass_test));
    }
    if project_wise {
        rows.push(("compilation (project)", &m.compilation_project));
        rows.push(("pass (project)", &m.pass_project));
    }
    for (name, values) in rows {
        let _ = write!(out, "{name:<24}");
        for k in &ks {
            let _ = write!(out, "{:>9.4}", values.get(k).copied().unwrap_or(0.0));
        }
        out.push('\n');
    }
    out
}
