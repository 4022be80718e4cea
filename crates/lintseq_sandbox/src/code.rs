//! Programs as a code-execution service runs them: source code in a
//! language, compiled if the language compiles, then run on the standard
//! input given, with files placed beside it and files fetched after it
//! (SandboxFusion's `/run_code`, which `lintseq serve` answers). Each step
//! runs through the jail like any command.
//!
//! The commands are SandboxFusion's, so that programs compile and run the
//! same: `g++ -std=c++17 … -lcrypto -lssl -lpthread` without optimisation,
//! `rustc` at its default edition, `go build` in a module of its own,
//! `javac` then `java -ea Main` (the program's class must be `Main`),
//! `node`, `python3` and `bash`. Where they differ on purpose: a memory
//! limit is one on resident memory (SandboxFusion's address-space limit
//! stops every threaded runtime from starting), output is cut at a cap
//! instead of hanging the program, and files stay inside the working
//! directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::command::{CommandLimits, CommandOutput, Ending, File, Jail, Job};
use crate::toolchain::{WarmCompile, java_compile};

/// The languages [`run_code`] runs, by SandboxFusion's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeLanguage {
    Python,
    Cpp,
    Go,
    Java,
    NodeJs,
    Rust,
    Bash,
}

impl CodeLanguage {
    /// SandboxFusion's name for it.
    pub fn name(self) -> &'static str {
        match self {
            CodeLanguage::Python => "python",
            CodeLanguage::Cpp => "cpp",
            CodeLanguage::Go => "go",
            CodeLanguage::Java => "java",
            CodeLanguage::NodeJs => "nodejs",
            CodeLanguage::Rust => "rust",
            CodeLanguage::Bash => "bash",
        }
    }

    /// By SandboxFusion's name (and `javascript`, `js` and `c++` too).
    pub fn from_name(name: &str) -> Option<CodeLanguage> {
        Some(match name {
            "python" | "python3" => CodeLanguage::Python,
            "cpp" | "c++" => CodeLanguage::Cpp,
            "go" => CodeLanguage::Go,
            "java" => CodeLanguage::Java,
            "nodejs" | "javascript" | "js" => CodeLanguage::NodeJs,
            "rust" => CodeLanguage::Rust,
            "bash" => CodeLanguage::Bash,
            _ => return None,
        })
    }

    /// Every language, for listing.
    pub const ALL: [CodeLanguage; 7] = [
        CodeLanguage::Python,
        CodeLanguage::Cpp,
        CodeLanguage::Go,
        CodeLanguage::Java,
        CodeLanguage::NodeJs,
        CodeLanguage::Rust,
        CodeLanguage::Bash,
    ];

    fn source(self) -> &'static str {
        match self {
            CodeLanguage::Python => "main.py",
            CodeLanguage::Cpp => "main.cpp",
            CodeLanguage::Go => "main.go",
            CodeLanguage::Java => "Main.java",
            CodeLanguage::NodeJs => "main.js",
            CodeLanguage::Rust => "main.rs",
            CodeLanguage::Bash => "main.sh",
        }
    }
}

/// Where the tools [`run_code`] needs live, found once by the caller.
#[derive(Clone, Debug)]
pub struct CodeTools {
    /// The Python interpreter programs run with.
    pub python: PathBuf,
    /// `rustc` itself (not a rustup proxy, which needs its home).
    pub rustc: Option<PathBuf>,
}

impl CodeTools {
    /// `python3` and `rustc` as found on this process's `PATH`.
    pub fn discover() -> CodeTools {
        let rustc = std::process::Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("bin/rustc"))
            .filter(|path| path.exists());
        CodeTools {
            python: PathBuf::from("/usr/bin/python3"),
            rustc,
        }
    }

    /// The directories the sandbox user must reach (give them to
    /// [`Jail::new`]): the toolchains' own, which may sit in a closed home.
    pub fn reachable(&self) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        if let Some(sysroot) = self.rustc.as_ref().and_then(|r| r.parent()?.parent()) {
            dirs.push(sysroot.to_owned());
        }
        if let Some(prefix) = self.python.parent().and_then(Path::parent)
            && prefix != Path::new("/usr")
            && prefix != Path::new("/")
        {
            dirs.push(prefix.to_owned());
        }
        dirs
    }
}

/// One program to run.
#[derive(Clone, Debug)]
pub struct CodeRequest {
    pub language: CodeLanguage,
    pub code: String,
    pub stdin: Vec<u8>,
    /// Placed in the working directory first (relative paths only).
    pub files: Vec<File>,
    /// Read back afterwards, by the relative paths given.
    pub fetch: Vec<String>,
    pub compile_timeout: Duration,
    pub run_timeout: Duration,
    /// Resident memory of the run (and of the compile step, if more is
    /// not needed there); `None` for the default.
    pub memory_bytes: Option<u64>,
    /// Bytes of stdout and of stderr kept, each.
    pub max_output_bytes: usize,
}

/// One step of a program, compile or run.
#[derive(Clone, Debug)]
pub struct Step {
    pub ending: Ending,
    pub duration: Duration,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Step {
    fn from_output(output: CommandOutput) -> Step {
        Step {
            ending: output.ending,
            duration: output.duration,
            stdout: output.stdout,
            stderr: output.stderr,
        }
    }

    /// Whether it ran to the end and exited 0.
    pub fn succeeded(&self) -> bool {
        self.ending == Ending::Exited(0)
    }
}

/// What became of a program.
#[derive(Clone, Debug, Default)]
pub struct CodeRun {
    /// For compiled languages.
    pub compile: Option<Step>,
    /// Absent when compiling failed.
    pub run: Option<Step>,
    /// The requested files that existed afterwards, by the path asked for.
    pub fetched: Vec<(String, Vec<u8>)>,
}

/// Largest file [`run_code`] reads back.
const FETCH_BYTES: u64 = 16 << 20;
/// Memory of a step when the request names none, and of compile steps.
const DEFAULT_MEMORY: u64 = 2 << 30;

const GO_MOD: &str = "module sandbox\n\ngo 1.19\n";

/// Compiles (if the language compiles) and runs `request` in a fresh
/// working directory of `jail`. Our machinery's failures come back as a
/// step that ended in [`Ending::SandboxError`].
pub fn run_code(jail: &mut Jail, tools: &CodeTools, request: &CodeRequest) -> CodeRun {
    let mut run = CodeRun::default();
    let language = request.language;
    let dir = match jail.work_dir() {
        Ok(dir) => dir,
        Err(e) => {
            run.run = Some(failed_step(format!(
                "cannot prepare the working directory: {e}"
            )));
            return run;
        }
    };
    let mut files = request.files.clone();
    files.push(File::new(language.source(), request.code.as_bytes()));
    if language == CodeLanguage::Go {
        files.push(File::new("go.mod", GO_MOD));
    }
    if let Err(e) = dir.write(&files) {
        run.run = Some(failed_step(format!("cannot place the files: {e}")));
        return run;
    }
    let memory = request.memory_bytes.unwrap_or(DEFAULT_MEMORY);
    let compile_limits = limits(request.compile_timeout, memory.max(DEFAULT_MEMORY), 1 << 20);
    // The run's memory limit is its whole footprint, files in /tmp
    // included, as the client asked.
    let run_limits = CommandLimits {
        tmp_in_memory: true,
        ..limits(request.run_timeout, memory, request.max_output_bytes)
    };
    let compile = match language {
        CodeLanguage::Cpp => Some(Job::new([
            "g++",
            "-std=c++17",
            "main.cpp",
            "-o",
            "test",
            "-lcrypto",
            "-lssl",
            "-lpthread",
        ])),
        CodeLanguage::Rust => match &tools.rustc {
            Some(rustc) => Some(Job::new([
                rustc.display().to_string().as_str(),
                "main.rs",
                "-o",
                "test",
            ])),
            None => {
                run.compile = Some(failed_step("no rustc was found on this machine".to_owned()));
                return run;
            }
        },
        CodeLanguage::Go => {
            let mut job = Job::new(["go", "build", "-o", "out", "main.go"]);
            for (key, value) in [
                ("GOPATH", "/tmp/gopath"),
                ("GOCACHE", "/tmp/go-cache"),
                ("GOFLAGS", "-mod=mod"),
                ("GOPROXY", "off"),
                ("GOTOOLCHAIN", "local"),
                ("CGO_ENABLED", "0"),
            ] {
                job.env.insert(key.to_owned(), value.to_owned());
            }
            Some(job)
        }
        CodeLanguage::Java => {
            let started = Instant::now();
            match java_compile(jail, &request.code, &dir) {
                WarmCompile::Done {
                    code,
                    stdout,
                    stderr,
                    duration,
                } => {
                    run.compile = Some(Step {
                        ending: Ending::Exited(code),
                        duration,
                        stdout,
                        stderr,
                    });
                }
                WarmCompile::TimedOut(duration) => {
                    run.compile = Some(Step {
                        ending: Ending::TimedOut,
                        duration,
                        stdout: Vec::new(),
                        stderr: Vec::new(),
                    });
                }
                WarmCompile::Unavailable => {
                    let mut job = Job::new(["javac", "-cp", ".", "Main.java"]);
                    job.limits = compile_limits.clone();
                    let output = jail.run_in(&dir, &job);
                    let mut step = Step::from_output(output);
                    step.duration = started.elapsed();
                    run.compile = Some(step);
                }
            }
            None
        }
        CodeLanguage::Python | CodeLanguage::NodeJs | CodeLanguage::Bash => None,
    };
    if let Some(mut job) = compile {
        job.limits = CommandLimits {
            wall: request.compile_timeout,
            ..compile_limits
        };
        run.compile = Some(Step::from_output(jail.run_in(&dir, &job)));
    }
    if run.compile.as_ref().is_none_or(Step::succeeded) {
        let mut job = match language {
            CodeLanguage::Python => {
                Job::new([tools.python.display().to_string().as_str(), "main.py"])
            }
            CodeLanguage::Cpp | CodeLanguage::Rust => Job::new(["./test"]),
            CodeLanguage::Go => Job::new(["./out"]),
            CodeLanguage::Java => Job::new(["java", "-cp", ".", "-ea", "Main"]),
            CodeLanguage::NodeJs => Job::new(["node", "main.js"]),
            CodeLanguage::Bash => Job::new(["/bin/bash", "main.sh"]),
        };
        job.stdin = request.stdin.clone();
        job.limits = run_limits;
        run.run = Some(Step::from_output(jail.run_in(&dir, &job)));
    }
    run.fetched = request
        .fetch
        .iter()
        .filter_map(|path| {
            let inside = Path::new(path);
            if inside.is_absolute()
                || inside.components().any(|c| {
                    !matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                })
            {
                return None;
            }
            let host = dir.host_path().join(inside);
            let meta = std::fs::symlink_metadata(&host).ok()?;
            if !meta.is_file() || meta.len() > FETCH_BYTES {
                return None;
            }
            Some((path.clone(), std::fs::read(&host).ok()?))
        })
        .collect();
    run
}

/// Limits of a step: resident memory by the memory cgroup alone (runtimes
/// that reserve address space, JVMs and Go, need that), CPU seconds for
/// the wall time plus one (many threads may use them up sooner: that is a
/// timeout too), room for a compiler's threads.
fn limits(wall: Duration, memory: u64, output: usize) -> CommandLimits {
    CommandLimits {
        wall,
        cpu_seconds: wall.as_secs() + 1,
        memory_bytes: memory,
        address_space: false,
        max_processes: 256,
        max_output_bytes: output,
        max_open_files: 4096,
        tmp_bytes: 512 << 20,
        ..CommandLimits::default()
    }
}

fn failed_step(message: String) -> Step {
    Step {
        ending: Ending::SandboxError(message),
        duration: Duration::ZERO,
        stdout: Vec::new(),
        stderr: Vec::new(),
    }
}
