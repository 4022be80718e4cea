//! Toolchain runtimes on the general executor: compile (where the
//! language compiles) and run one program, both steps confined, each with
//! its own limits, and say how it went the way HumanEval-X's harness does.
//!
//! | language | files | compile | run | passes when |
//! |---|---|---|---|---|
//! | C++ | `test.cpp` | `g++ -std=c++17 test.cpp -o a.out` (OpenSSL for task 162; leading includes precompiled, see [`CppHeaders`]) | `./a.out` | it exits 0 |
//! | Go | `main_test.go` | (in `go test`) | `go test -timeout=Ns main_test.go`, GOPATH mode on Debian's testify | it exits 0 |
//! | Java | `Main.java` | `javac Main.java` | `java -cp . Main` | it exits 0 |
//! | JavaScript | `test.js` | none | `node test.js` | stdout and stderr are empty (a failed `console.assert` prints) |
//! | Rust | `main.rs` | `rustc --edition 2021 --test` against [`RustDeps`] | `./test` | both exit 0 |
//! | Verilog | `sample.sv` with the testbench and reference | `iverilog -Wall -Winfloop -Wno-timescale -g2012 -s tb` | `vvp sim`, stdin empty | the caller reads the log ([`simulate`]) |
//!
//! Compilers and JVMs reserve far more address space than they use, so
//! their memory is limited by the command's memory cgroup, not `RLIMIT_AS`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::command::{
    CommandLimits, CommandOutput, Ending, File, Jail, Job, LineFilter, ServerError, WorkDir,
};

/// A language the executor can compile and run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Toolchain {
    Cpp,
    Go,
    Java,
    JavaScript,
    /// With the crates HumanEval-X's Rust programs use.
    Rust(RustDeps),
}

/// The crates HumanEval-X's Rust programs `use` (its harness's versions:
/// rand 0.4, whose two-argument `gen_range` two tests call; regex 1; md5
/// 0.7), built once with cargo from crates.io (trusted, pinned code) into a
/// cache directory, and the toolchain that compiles against them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustDeps {
    /// `rustc` itself (not rustup's proxy, which needs its environment).
    pub rustc: PathBuf,
    /// Its sysroot, which the sandbox user must be able to reach.
    pub sysroot: PathBuf,
    /// `target/debug/deps` of the built dependency set.
    pub deps: PathBuf,
    /// `(crate name, rlib)` for `--extern`.
    pub externs: Vec<(String, PathBuf)>,
    /// The directory of the toolchain's `libstd-*.so` (`rustc --print
    /// target-libdir`), if it ships one: programs then link the standard
    /// library dynamically and find it there (`-C prefer-dynamic` and an
    /// rpath), which takes about a sixth off a compile and changes nothing
    /// a test can see. `None` links it statically, as `rustc` does by
    /// default.
    pub std_dylib_dir: Option<PathBuf>,
}

const RUST_MANIFEST: &str = r#"[package]
name = "lintseq-humaneval-x-deps"
version = "0.1.0"
edition = "2021"

[dependencies]
rand = "=0.4.6"
regex = "=1.7.1"
md5 = "=0.7.0"

[lib]
path = "lib.rs"

# A project of its own wherever it is built.
[workspace]
"#;

impl RustDeps {
    /// Builds (or finds, when built before) the dependency set in `dir`.
    pub fn prepare(dir: &Path) -> Result<RustDeps, String> {
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
        std::fs::create_dir_all(dir)
            .map_err(|e| fail(&format!("cannot create {}", dir.display()), &e))?;
        std::fs::write(dir.join("Cargo.toml"), RUST_MANIFEST)
            .and_then(|()| std::fs::write(dir.join("lib.rs"), "pub use {md5, rand, regex};\n"))
            .map_err(|e| fail("cannot write the dependency project", &e))?;
        let sysroot = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| fail("cannot run rustc", &e))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
        let built = Command::new("cargo")
            .args(["build", "--quiet", "--message-format=json"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .map_err(|e| fail("cannot run cargo", &e))?;
        if !built.status.success() {
            return Err(format!(
                "building rand 0.4.6, regex 1.7.1 and md5 0.7.0 in {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&built.stderr).trim()
            ));
        }
        let mut externs = Vec::new();
        for line in String::from_utf8_lossy(&built.stdout).lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let name = message["target"]["name"].as_str().unwrap_or_default();
            if !["rand", "regex", "md5"].contains(&name) {
                continue;
            }
            let rlib = message["filenames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .find(|f| f.ends_with(".rlib"));
            if let Some(rlib) = rlib {
                externs.push((name.to_owned(), PathBuf::from(rlib)));
            }
        }
        externs.sort();
        externs.dedup();
        if externs.len() != 3 {
            return Err(format!("cargo built {externs:?}, not rand, regex and md5"));
        }
        let std_dylib_dir = Command::new("rustc")
            .args(["--print", "target-libdir"])
            .output()
            .ok()
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
            .filter(|dir| dir.starts_with(&sysroot) && has_std_dylib(dir));
        Ok(RustDeps {
            std_dylib_dir,
            rustc: sysroot.join("bin/rustc"),
            deps: dir.join("target/debug/deps"),
            sysroot,
            externs,
        })
    }

    /// What the sandbox user must reach: the toolchain (the dynamic
    /// standard library included) and the crates.
    pub fn reachable(&self) -> Vec<PathBuf> {
        vec![self.sysroot.clone(), self.deps.clone()]
    }
}

/// Whether `dir` holds a `libstd-*.so`.
fn has_std_dylib(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| name.starts_with("libstd-") && name.ends_with(".so"))
        })
    })
}

/// How a program fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// It compiled and ran, and a test failed (non-zero exit, a signal, or
    /// output where JavaScript's harness wants none).
    Failed,
    CompileError,
    Timeout,
    Oom,
    SandboxError,
}

/// The outcome of compiling and running one program.
#[derive(Clone, Debug)]
pub struct ToolchainOutcome {
    pub verdict: Verdict,
    /// HumanEval-X's result string: `passed`, `timed out`,
    /// `failed: compilation error: ...` or `failed: <output>`.
    pub result: String,
    pub duration: Duration,
    pub peak_memory_bytes: Option<u64>,
    pub detail: Option<String>,
}

/// Time a compile step may take.
pub const COMPILE_SECONDS: u64 = 60;

/// How much of a failing program's output the result string keeps.
const RESULT_BYTES: usize = 2000;

impl Toolchain {
    fn file(&self) -> &'static str {
        match self {
            Toolchain::Rust(_) => "main.rs",
            Toolchain::Cpp => "test.cpp",
            Toolchain::Go => "main_test.go",
            Toolchain::Java => "Main.java",
            Toolchain::JavaScript => "test.js",
        }
    }

    fn compile(&self, task_id: &str) -> Option<Job> {
        let mut job = match self {
            Toolchain::Rust(deps) => {
                let mut argv = vec![
                    deps.rustc.display().to_string(),
                    "--edition".to_owned(),
                    "2021".to_owned(),
                    "--test".to_owned(),
                    "-o".to_owned(),
                    "test".to_owned(),
                    "main.rs".to_owned(),
                    "-L".to_owned(),
                    format!("dependency={}", deps.deps.display()),
                ];
                for (name, rlib) in &deps.externs {
                    argv.push("--extern".to_owned());
                    argv.push(format!("{name}={}", rlib.display()));
                }
                if let Some(dir) = &deps.std_dylib_dir {
                    argv.extend([
                        "-C".to_owned(),
                        "prefer-dynamic".to_owned(),
                        "-C".to_owned(),
                        format!("link-arg=-Wl,-rpath,{}", dir.display()),
                    ]);
                }
                Job::new(argv)
            }
            Toolchain::Cpp => {
                let mut argv = vec!["g++", "-std=c++17", "test.cpp", "-o", "a.out"];
                if task_id.ends_with("/162") {
                    argv.extend(["-lcrypto", "-lssl"]);
                }
                Job::new(argv)
            }
            Toolchain::Java => Job::new(["javac", "Main.java"]),
            Toolchain::Go | Toolchain::JavaScript => return None,
        };
        job.limits = heavy_limits(Duration::from_secs(COMPILE_SECONDS));
        Some(job)
    }

    fn run(&self, timeout: Duration) -> Job {
        let mut job = match self {
            Toolchain::Rust(_) => Job::new(["./test"]),
            Toolchain::Cpp => Job::new(["./a.out"]),
            Toolchain::Java => Job::new(["java", "-cp", ".", "Main"]),
            Toolchain::JavaScript => Job::new(["node", "test.js"]),
            Toolchain::Go => {
                let seconds = timeout.as_secs().max(1);
                let mut job = Job::new(vec![
                    "go".to_owned(),
                    "test".to_owned(),
                    format!("-timeout={seconds}s"),
                    "main_test.go".to_owned(),
                ]);
                for (key, value) in [
                    ("GO111MODULE", "off"),
                    ("GOPATH", "/usr/share/gocode"),
                    ("GOCACHE", "/tmp/go-cache"),
                    ("CGO_ENABLED", "0"),
                ] {
                    job.env.insert(key.to_owned(), value.to_owned());
                }
                job
            }
        };
        job.limits = match self {
            Toolchain::Cpp | Toolchain::Rust(_) => CommandLimits {
                wall: timeout,
                cpu_seconds: timeout.as_secs() + 1,
                ..CommandLimits::default()
            },
            // go test compiles first: the build gets its minute on top.
            Toolchain::Go => heavy_limits(timeout + Duration::from_secs(COMPILE_SECONDS)),
            Toolchain::Java | Toolchain::JavaScript => heavy_limits(timeout),
        };
        job
    }
}

/// The program that warms Go's build cache: testify's assert and the
/// packages HumanEval-X's harness may import.
const GO_SEED: &str = r#"package main

import (
    "bytes"
    "crypto/md5"
    "fmt"
    "math"
    "math/rand"
    "regexp"
    "sort"
    "strconv"
    "strings"
    "testing"
    "time"

    "github.com/stretchr/testify/assert"
)

func TestSeed(t *testing.T) {
    assert := assert.New(t)
    _ = bytes.NewBuffer(nil)
    _ = md5.Sum(nil)
    _ = fmt.Sprint(math.Pi, rand.Int(), regexp.QuoteMeta("x"), strconv.Itoa(1), strings.ToUpper("x"), time.Now())
    sort.Ints([]int{2, 1})
    assert.Equal(1, 1)
}
"#;

/// Go's build cache, warmed once per jail by a trusted program (testify and
/// the standard packages compiled), then lent to every Go program as the
/// read-only layer of a private overlay: warm, and no program can change
/// what the next one builds with. `None` without isolation (each program
/// then builds in its own cold cache).
fn go_cache(jail: &mut Jail) -> Result<Option<PathBuf>, String> {
    if jail.isolation() == crate::Isolation::None {
        return Ok(None);
    }
    if let Some(dir) = jail.kept("go-cache") {
        return Ok(Some(dir.host_path().join("cache")));
    }
    // A warm-up that failed is not retried for every Go program.
    if jail.kept("go-cache-failed").is_some() {
        return Err(
            "warming Go's build cache failed earlier in this worker (the first Go program's detail says why)"
                .to_owned(),
        );
    }
    let dir = jail
        .work_dir()
        .map_err(|e| format!("cannot prepare Go's build cache: {e}"))?;
    dir.write(&[File::new("seed/main_test.go", GO_SEED)])
        .map_err(|e| format!("cannot prepare Go's build cache: {e}"))?;
    let mut seed = Toolchain::Go.run(Duration::from_secs(60));
    seed.argv = [
        "/bin/sh",
        "-c",
        "mkdir cache && cd seed && go test main_test.go",
    ]
    .map(str::to_owned)
    .to_vec();
    seed.env
        .insert("GOCACHE".to_owned(), format!("{WORK}/cache"));
    let warmed = jail.run_in(&dir, &seed);
    if !warmed.success() {
        jail.keep("go-cache-failed", dir);
        return Err(format!(
            "warming Go's build cache failed ({:?}): {}",
            warmed.ending,
            tail(&warmed.stderr, &warmed.stdout)
        ));
    }
    let lower = dir.host_path().join("cache");
    jail.keep("go-cache", dir);
    Ok(Some(lower))
}

const WORK: &str = crate::command::WORK_DIR;

/// The warm Java compiler (see the file).
const JAVA_SERVER: &str = include_str!("java/CompileServer.java");
const JAVA_SERVER_KEY: &str = "java-compile-server";
/// Programs one warm compiler compiles before it is replaced, so that
/// whatever javac keeps between runs cannot grow without bound.
const JAVA_SERVER_COMPILES: u64 = 2000;

/// What the warm Java compiler made of a program.
pub(crate) enum WarmCompile {
    /// javac ran: its exit code and output. On 0, the class files are in
    /// the program's working directory.
    Done {
        code: i32,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
        duration: Duration,
    },
    /// It ran past the compile deadline and was killed.
    TimedOut(Duration),
    /// There is none (without isolation, or it would not start, or it
    /// failed): compile with the `javac` command.
    Unavailable,
}

/// Compiles `Main.java` with the jail's warm compiler, a JVM that runs
/// javac in process (`java/CompileServer.java`), started on first use and
/// kept in the jail; it compiles in its own working directory, as `javac
/// Main.java` would there, and the class files are copied to `dir`.
pub(crate) fn java_compile(jail: &mut Jail, source: &str, dir: &WorkDir) -> WarmCompile {
    warm_javac(jail, &[File::new("Main.java", source)], "compile", |home| {
        copy_class_files(home, dir)
    })
}

/// Runs one request of the jail's warm compiler (`compile`, or `argfile`
/// for `javac @javac.args`) on `files`, written into its emptied working
/// directory; on success `collect` takes what javac wrote from there (the
/// directory on the host).
pub(crate) fn warm_javac(
    jail: &mut Jail,
    files: &[File],
    request: &str,
    collect: impl FnOnce(&Path) -> std::io::Result<()>,
) -> WarmCompile {
    if jail.isolation() == crate::Isolation::None {
        return WarmCompile::Unavailable;
    }
    let kept = jail
        .take_server(JAVA_SERVER_KEY)
        .filter(|server| server.requests() < JAVA_SERVER_COMPILES)
        .and_then(|mut server| server.is_alive().then_some(server));
    let Some(mut server) = kept.or_else(|| start_java_server(jail)) else {
        return WarmCompile::Unavailable;
    };
    let started = Instant::now();
    let home = server.dir().host_path().to_owned();
    if clear_dir(&home).is_err() || server.dir().write(files).is_err() {
        return WarmCompile::Unavailable;
    }
    let deadline = started + Duration::from_secs(COMPILE_SECONDS);
    let answer = server.request(request, deadline).and_then(|line| {
        let mut fields = line.split(' ');
        let (Some("done"), Some(code), Some(out), Some(err), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(ServerError::Io(format!("an unexpected answer {line:?}")));
        };
        let parse = |n: &str| {
            n.parse::<usize>()
                .map_err(|e| ServerError::Io(e.to_string()))
        };
        let code: i32 = code
            .parse()
            .map_err(|e: std::num::ParseIntError| ServerError::Io(e.to_string()))?;
        let stdout = server.read_bytes(parse(out)?, deadline)?;
        let stderr = server.read_bytes(parse(err)?, deadline)?;
        Ok((code, stdout, stderr))
    });
    let duration = started.elapsed();
    match answer {
        Ok((code, stdout, stderr)) => {
            if code == 0 && collect(&home).is_err() {
                return WarmCompile::Unavailable;
            }
            if code < 3 {
                jail.put_server(JAVA_SERVER_KEY, server);
            }
            WarmCompile::Done {
                code,
                stdout,
                stderr,
                duration,
            }
        }
        Err(ServerError::TimedOut) => WarmCompile::TimedOut(duration),
        Err(_) => WarmCompile::Unavailable,
    }
}

/// Builds the warm compiler's classes once per jail (kept, as trusted
/// code's output, and lent to the server read-only at /tmp/cache) and
/// starts it. `None` if either fails: compiles fall back to the command.
fn start_java_server(jail: &mut Jail) -> Option<crate::command::Server> {
    if jail.kept("java-server-failed").is_some() {
        return None;
    }
    if jail.kept("java-server").is_none() {
        let dir = jail.work_dir().ok()?;
        dir.write(&[File::new("CompileServer.java", JAVA_SERVER)])
            .ok()?;
        let mut build = Job::new(["javac", "CompileServer.java"]);
        build.limits = heavy_limits(Duration::from_secs(COMPILE_SECONDS));
        let built = jail.run_in(&dir, &build);
        if !built.success() {
            jail.keep("java-server-failed", dir);
            return None;
        }
        jail.keep("java-server", dir);
    }
    let classes = jail.kept("java-server")?.host_path().to_owned();
    let mut job = Job::new(["java", "-cp", "/tmp/cache", "CompileServer"]);
    job.cache = Some(classes);
    job.limits = CommandLimits {
        // The server lives for many programs: each request has its own
        // deadline instead.
        cpu_seconds: u64::from(u32::MAX),
        ..heavy_limits(Duration::from_secs(COMPILE_SECONDS))
    };
    jail.spawn_server(&job, &[]).ok()
}

/// Empties a directory the sandbox user filled (the warm compiler's).
fn clear_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Copies the class files javac left in `from` (beside the source, as it
/// writes them without `-d`) into `to`.
fn copy_class_files(from: &Path, to: &WorkDir) -> std::io::Result<()> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_file() && name.to_str().is_some_and(|n| n.ends_with(".class")) {
            files.push(File::new(
                PathBuf::from(&name),
                std::fs::read(entry.path())?,
            ));
        }
    }
    to.write(&files)
}

/// The file a C++ program compiles from when its leading includes are
/// precompiled: an include of the header, a `#line` back into `test.cpp`,
/// and the rest of `test.cpp`, which stays beside it.
const CPP_PCH_MAIN: &str = ".lintseq-pch.cpp";
/// Precompiled headers a store keeps ready at once (each about 30 MB, in
/// shared memory); beyond that the least recently used one no compile is
/// reading goes.
const CPP_PCH_READY: usize = 8;

/// Precompiled C++ headers, by the header's text: built by the first
/// jail that needs one, then lent to every jail sharing the store (those of
/// one `lintseq eval` run, see [`Jail::share_cpp_headers`]). A jail that
/// finds a header being built compiles without it rather than wait.
#[derive(Debug, Default)]
pub struct CppHeaders {
    state: std::sync::Mutex<HeaderState>,
}

#[derive(Debug, Default)]
struct HeaderState {
    /// Where ready headers live: `/dev/shm/lintseq-pch-<pid>-<n>`, made
    /// on first use (in shared memory, as a command's cache must be).
    root: Option<PathBuf>,
    next: u64,
    clock: u64,
    slots: std::collections::HashMap<String, Slot>,
    /// Set when a compile with a header failed in the sandbox.
    disabled: bool,
}

#[derive(Debug)]
enum Slot {
    Building,
    /// It did not build (a header missing on this machine, say): programs
    /// with this block compile as they are.
    Failed,
    Ready {
        dir: PathBuf,
        /// Compiles reading it now.
        readers: usize,
        last_used: u64,
    },
}

/// What a store says of a header.
enum Lookup {
    Ready(HeaderLease),
    Build,
    Skip,
}

/// A ready header, kept from eviction while its compile runs.
struct HeaderLease {
    store: std::sync::Arc<CppHeaders>,
    header: String,
    dir: PathBuf,
}

impl Drop for HeaderLease {
    fn drop(&mut self) {
        let mut state = self.store.lock();
        if let Some(Slot::Ready { readers, .. }) = state.slots.get_mut(&self.header) {
            *readers -= 1;
        }
    }
}

static STORES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl CppHeaders {
    fn lock(&self) -> std::sync::MutexGuard<'_, HeaderState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// No more headers: a compile with one failed in the sandbox.
    fn disable(&self) {
        self.lock().disabled = true;
    }

    fn lookup(self: &std::sync::Arc<Self>, header: &str) -> Lookup {
        let mut state = self.lock();
        if state.disabled {
            return Lookup::Skip;
        }
        state.clock += 1;
        let now = state.clock;
        match state.slots.get_mut(header) {
            Some(Slot::Ready {
                dir,
                readers,
                last_used,
            }) => {
                *readers += 1;
                *last_used = now;
                Lookup::Ready(HeaderLease {
                    store: self.clone(),
                    header: header.to_owned(),
                    dir: dir.clone(),
                })
            }
            Some(Slot::Building | Slot::Failed) => Lookup::Skip,
            None => {
                state.slots.insert(header.to_owned(), Slot::Building);
                Lookup::Build
            }
        }
    }

    /// Takes the directory a jail built `header` in (holding `pch.h` and
    /// `pch.h.gch`), or notes that it did not build.
    fn finish(self: &std::sync::Arc<Self>, header: &str, built: Option<&Path>) -> Lookup {
        let mut state = self.lock();
        let moved = built.and_then(|from| {
            let root = match &state.root {
                Some(root) => root.clone(),
                None => {
                    let root = PathBuf::from(format!(
                        "/dev/shm/lintseq-pch-{}-{}",
                        std::process::id(),
                        STORES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    ));
                    let _ = std::fs::remove_dir_all(&root);
                    std::fs::create_dir(&root).ok()?;
                    state.root = Some(root.clone());
                    root
                }
            };
            state.next += 1;
            let dir = root.join(state.next.to_string());
            std::fs::rename(from, &dir).ok()?;
            Some(dir)
        });
        let Some(dir) = moved else {
            state.slots.insert(header.to_owned(), Slot::Failed);
            return Lookup::Skip;
        };
        // Room for it: the least recently used headers no compile reads.
        loop {
            let ready = state
                .slots
                .values()
                .filter(|slot| matches!(slot, Slot::Ready { .. }))
                .count();
            if ready < CPP_PCH_READY {
                break;
            }
            let oldest = state
                .slots
                .iter()
                .filter_map(|(text, slot)| match slot {
                    Slot::Ready {
                        readers: 0,
                        last_used,
                        dir,
                    } => Some((*last_used, text.clone(), dir.clone())),
                    _ => None,
                })
                .min();
            let Some((_, text, old)) = oldest else { break };
            let _ = std::fs::remove_dir_all(old);
            state.slots.remove(&text);
        }
        state.clock += 1;
        let now = state.clock;
        state.slots.insert(
            header.to_owned(),
            Slot::Ready {
                dir: dir.clone(),
                readers: 1,
                last_used: now,
            },
        );
        Lookup::Ready(HeaderLease {
            store: self.clone(),
            header: header.to_owned(),
            dir,
        })
    }
}

impl Drop for CppHeaders {
    fn drop(&mut self) {
        if let Some(root) = &self.lock().root {
            let _ = std::fs::remove_dir_all(root);
        }
    }
}

/// Compiles a C++ program against a precompiled header of its leading
/// includes (the problem's declaration: `#include<...>` lines and `using
/// namespace std;`), built once for each distinct block by the jails that
/// share a [`CppHeaders`] store and lent to the compiler read-only at
/// `/tmp/cache`. Parsing those standard headers is about two thirds of a
/// HumanEval-X compile.
///
/// The header holds the block's lines verbatim after `#line 1 "test.cpp"`,
/// and the program compiles from [`CPP_PCH_MAIN`]: the header's include,
/// `#line` at the first line after the block, then the rest of `test.cpp`.
/// The compiler therefore sees the same tokens, on the same lines of the
/// same file name, as it would in `test.cpp` (assertion messages, `__LINE__`
/// and diagnostics agree, and a diagnostic's quoted source line is read
/// from `test.cpp` itself). Where GCC finds the precompiled header unusable
/// it reads the header's text instead, with the same meaning; its include
/// traces then name [`CPP_PCH_MAIN`] once more, which
/// [`cpp_unmention_main`] removes. Leaves `job` as it is (and returns
/// `None`) when the program has no such block, without full isolation (no
/// `/tmp/cache`), while another jail builds the header, or when it does not
/// build. The returned lease must outlive the compile.
fn cpp_precompiled(
    jail: &mut Jail,
    source: &str,
    dir: &WorkDir,
    job: &mut Job,
) -> Option<HeaderLease> {
    if jail.isolation() != crate::Isolation::Full {
        return None;
    }
    let (block, lines) = cpp_header_block(source)?;
    let header = format!("#line 1 \"test.cpp\"\n{block}");
    let store = jail.cpp_headers();
    let lease = match store.lookup(&header) {
        Lookup::Ready(lease) => lease,
        Lookup::Skip => return None,
        Lookup::Build => {
            let built = jail.work_dir().ok().filter(|pch| {
                if pch.write(&[File::new("pch.h", header.as_str())]).is_err() {
                    return false;
                }
                let mut build = Job::new([
                    "g++",
                    "-std=c++17",
                    "-x",
                    "c++-header",
                    "pch.h",
                    "-o",
                    "pch.h.gch",
                ]);
                build.limits = heavy_limits(Duration::from_secs(COMPILE_SECONDS));
                jail.run_in(pch, &build).success()
            });
            match store.finish(&header, built.as_ref().map(WorkDir::host_path)) {
                Lookup::Ready(lease) => lease,
                _ => return None,
            }
        }
    };
    let rest = &source[block.len()..];
    let main = format!(
        "#include \"/tmp/cache/pch.h\"\n#line {} \"test.cpp\"\n{rest}",
        lines + 1
    );
    dir.write(&[File::new(CPP_PCH_MAIN, main)]).ok()?;
    for arg in &mut job.argv {
        if arg == "test.cpp" {
            CPP_PCH_MAIN.clone_into(arg);
        }
    }
    job.cache = Some(lease.dir.clone());
    Some(lease)
}

/// The leading lines of a C++ program that only include headers by
/// `#include <...>` (a relative path of plain characters) or say `using
/// namespace std;`, blank lines among them, with at least one include: the
/// block (up to the end of its last such line's `\n`) and its number of
/// lines.
fn cpp_header_block(source: &str) -> Option<(&str, usize)> {
    let mut end = 0;
    let mut lines = 0;
    let mut includes = false;
    for line in source.split_inclusive('\n') {
        if !line.ends_with('\n') {
            break;
        }
        let text = line.trim_ascii();
        if let Some(rest) = text.strip_prefix('#') {
            let Some(name) = rest
                .trim_start_matches([' ', '\t'])
                .strip_prefix("include")
                .map(|r| r.trim_start_matches([' ', '\t']))
                .and_then(|r| r.strip_prefix('<'))
                .and_then(|r| r.strip_suffix('>'))
            else {
                break;
            };
            let plain = !name.is_empty()
                && !name.starts_with('/')
                && !name.contains("..")
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_./+-".contains(&b));
            if !plain {
                break;
            }
            includes = true;
        } else if !text.is_empty() && text != "using namespace std;" {
            break;
        }
        end += line.len();
        lines += 1;
    }
    includes.then(|| (&source[..end], lines))
}

/// A compiler's diagnostics as they would read for `test.cpp` compiled
/// alone: an include trace ending in [`CPP_PCH_MAIN`] (GCC read the
/// precompiled header's text) loses that last step.
fn cpp_unmention_main(stderr: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let step = format!(",\n                 from {CPP_PCH_MAIN}:1:");
    let step = step.as_bytes();
    if !stderr.windows(step.len()).any(|window| window == step) {
        return std::borrow::Cow::Borrowed(stderr);
    }
    let mut out = Vec::with_capacity(stderr.len());
    let mut at = 0;
    while at < stderr.len() {
        if stderr[at..].starts_with(step) {
            out.push(b':');
            at += step.len();
        } else {
            out.push(stderr[at]);
            at += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Limits for compilers, JVMs, node and go: memory by cgroup only, room
/// for their threads.
pub(crate) fn heavy_limits(wall: Duration) -> CommandLimits {
    CommandLimits {
        wall,
        cpu_seconds: wall.as_secs() + 1,
        memory_bytes: 2 << 30,
        address_space: false,
        max_processes: 256,
        max_open_files: 4096,
        tmp_bytes: 512 << 20,
        ..CommandLimits::default()
    }
}

/// Compiles and runs `source` in `jail`.
pub fn run(
    jail: &mut Jail,
    toolchain: &Toolchain,
    source: &str,
    task_id: &str,
    timeout: Duration,
) -> ToolchainOutcome {
    let dir = match jail.work_dir().and_then(|dir| {
        dir.write(&[File::new(toolchain.file(), source)])
            .map(|()| dir)
    }) {
        Ok(dir) => dir,
        Err(error) => {
            return outcome(
                Verdict::SandboxError,
                "failed: sandbox error".to_owned(),
                Duration::ZERO,
                None,
                Some(format!("cannot prepare the working directory: {error}")),
            );
        }
    };
    let mut spent = Duration::ZERO;
    let mut run_job = toolchain.run(timeout);
    if *toolchain == Toolchain::Go {
        match go_cache(jail) {
            Ok(Some(lower)) => {
                run_job.cache = Some(lower);
                run_job
                    .env
                    .insert("GOCACHE".to_owned(), "/tmp/cache".to_owned());
            }
            Ok(None) => {}
            Err(message) => {
                return outcome(
                    Verdict::SandboxError,
                    "failed: sandbox error".to_owned(),
                    Duration::ZERO,
                    None,
                    Some(message),
                );
            }
        }
    }
    let mut compile = toolchain.compile(task_id);
    // Kept until the compile is done.
    // The compile as it would be without a precompiled header, and the
    // header's lease, kept until the compile is done.
    let plain = compile.clone();
    let header = match compile.as_mut() {
        Some(job) if *toolchain == Toolchain::Cpp => cpp_precompiled(jail, source, &dir, job),
        _ => None,
    };
    if *toolchain == Toolchain::Java {
        match java_compile(jail, source, &dir) {
            WarmCompile::Done {
                code,
                stdout,
                stderr,
                duration,
            } => {
                spent += duration;
                if code != 0 {
                    return outcome(
                        Verdict::CompileError,
                        format!("failed: compilation error: {}", tail(&stderr, &stdout)),
                        spent,
                        None,
                        None,
                    );
                }
                compile = None;
            }
            WarmCompile::TimedOut(duration) => {
                spent += duration;
                return outcome(
                    Verdict::Timeout,
                    "timed out".to_owned(),
                    spent,
                    None,
                    Some("the compiler ran past its deadline".to_owned()),
                );
            }
            // `javac` as a command, as without a warm compiler.
            WarmCompile::Unavailable => {}
        }
    }
    if let Some(compile) = compile {
        let mut built = jail.run_in(&dir, &compile);
        spent += built.duration;
        if let (Some(lease), Some(plain), Ending::SandboxError(_)) =
            (&header, &plain, &built.ending)
        {
            // The header's overlay would not mount (a kernel without
            // overlayfs, say): compile as the program is, and from now on
            // without precompiled headers.
            lease.store.disable();
            built = jail.run_in(&dir, plain);
            spent += built.duration;
        }
        match &built.ending {
            Ending::Exited(0) => {}
            Ending::Exited(_) | Ending::Signaled(_) => {
                let text = tail(&cpp_unmention_main(&built.stderr), &built.stdout);
                return outcome(
                    Verdict::CompileError,
                    format!("failed: compilation error: {text}"),
                    spent,
                    built.peak_memory_bytes,
                    None,
                );
            }
            _ => return ended(&built, spent, "the compiler"),
        }
    }
    let ran = jail.run_in(&dir, &run_job);
    spent += ran.duration;
    match &ran.ending {
        Ending::Exited(code) => {
            let quiet = ran.stdout_total == 0 && ran.stderr_total == 0;
            let passed = match toolchain {
                Toolchain::JavaScript => quiet,
                _ => *code == 0,
            };
            if passed {
                return outcome(
                    Verdict::Passed,
                    "passed".to_owned(),
                    spent,
                    ran.peak_memory_bytes,
                    None,
                );
            }
            if *toolchain == Toolchain::Go && go_timed_out(&ran) {
                return outcome(
                    Verdict::Timeout,
                    "timed out".to_owned(),
                    spent,
                    ran.peak_memory_bytes,
                    Some("go test's -timeout ended the test".to_owned()),
                );
            }
            let verdict = if *toolchain == Toolchain::Go && go_build_failed(&ran) {
                Verdict::CompileError
            } else {
                Verdict::Failed
            };
            let text = tail(&ran.stderr, &ran.stdout);
            let result = if verdict == Verdict::CompileError {
                format!("failed: compilation error: {text}")
            } else {
                format!("failed: {text}")
            };
            outcome(
                verdict,
                result,
                spent,
                ran.peak_memory_bytes,
                Some(format!("exit code {code}")),
            )
        }
        Ending::Signaled(signal) => outcome(
            Verdict::Failed,
            format!("failed: {}", tail(&ran.stderr, &ran.stdout)),
            spent,
            ran.peak_memory_bytes,
            Some(format!("killed by signal {signal}")),
        ),
        _ => ended(&ran, spent, "the program"),
    }
}

/// Timeouts, memory and sandbox failures, for either step.
fn ended(output: &CommandOutput, spent: Duration, what: &str) -> ToolchainOutcome {
    let (verdict, result, detail) = match &output.ending {
        Ending::TimedOut => (
            Verdict::Timeout,
            "timed out".to_owned(),
            format!("{what} ran past its deadline"),
        ),
        Ending::CpuLimit => (
            Verdict::Timeout,
            "timed out".to_owned(),
            format!("{what} used up its CPU time"),
        ),
        Ending::OutOfMemory => (
            Verdict::Oom,
            "failed: out of memory".to_owned(),
            format!("{what} ran out of memory"),
        ),
        Ending::SandboxError(message) => (
            Verdict::SandboxError,
            "failed: sandbox error".to_owned(),
            message.clone(),
        ),
        Ending::Exited(_) | Ending::Signaled(_) => {
            (Verdict::Failed, "failed: ".to_owned(), String::new())
        }
    };
    outcome(
        verdict,
        result,
        spent,
        output.peak_memory_bytes,
        Some(detail),
    )
}

fn outcome(
    verdict: Verdict,
    result: String,
    duration: Duration,
    peak_memory_bytes: Option<u64>,
    detail: Option<String>,
) -> ToolchainOutcome {
    ToolchainOutcome {
        verdict,
        result,
        duration,
        peak_memory_bytes,
        detail,
    }
}

/// `go test` prints `[build failed]` or `[setup failed]` when the package
/// did not compile.
fn go_build_failed(output: &CommandOutput) -> bool {
    let text = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    text.contains("[build failed]")
        || text.contains("[setup failed]")
        || errors.contains("[build failed]")
        || errors.contains("[setup failed]")
}

/// `go test -timeout` panics with this when a test runs too long.
fn go_timed_out(output: &CommandOutput) -> bool {
    let needle = "panic: test timed out after";
    String::from_utf8_lossy(&output.stdout).contains(needle)
        || String::from_utf8_lossy(&output.stderr).contains(needle)
}

/// The start of stderr, or of stdout when stderr is empty.
fn tail(stderr: &[u8], stdout: &[u8]) -> String {
    let chosen = if stderr.is_empty() { stdout } else { stderr };
    let text = String::from_utf8_lossy(chosen);
    let trimmed = text.trim();
    let mut end = trimmed.len().min(RESULT_BYTES);
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    trimmed[..end].to_owned()
}

/// What compiling and simulating one VerilogEval sample gave.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// `iverilog` exited 0 (warnings allowed).
    pub compiled: bool,
    /// How the step that ended the run ended: the compiler's when it
    /// failed, else the simulator's.
    pub ending: Ending,
    /// The compiler's output, then the simulator's, each with stderr merged
    /// into stdout in order, then `TIMEOUT` if the simulation ran past its
    /// deadline: what VerilogEval's Makefile writes to a sample's log.
    pub log: String,
    pub duration: Duration,
    pub peak_memory_bytes: Option<u64>,
}

/// Bytes of each step's output the log keeps whole; past them, only the
/// lines the caller reads (see [`simulate`]), up to as many bytes again.
const LOG_BYTES: usize = 1 << 20;

/// VerilogEval's flow in `jail`: `iverilog -Wall -Winfloop -Wno-timescale
/// -g2012 -s tb -o sim sample.sv test.sv ref.sv` (one minute, its own
/// limits), then `vvp sim` under `timeout`. `files` are the testbench and
/// the reference, by name.
///
/// The simulator runs as the reference Makefile runs it (`./sim`, whose
/// first line calls `vvp`), not with `-n`: a `$stop` then prints `**
/// Continue **` at its prompt, stdin being empty, and the simulation goes
/// on, where `vvp -n` would end it as a `$finish`.
///
/// Each step keeps its first megabyte of output, then only the lines for
/// which `keep_line` holds (with a line saying how much was left out
/// between them): a design that prints megabytes before the testbench's
/// last `Mismatches:` line is judged on that line, as the Makefile's
/// uncapped log judges it.
pub fn simulate(
    jail: &mut Jail,
    sample: &str,
    files: &[(String, String)],
    timeout: Duration,
    keep_line: LineFilter,
) -> Simulation {
    let failed = |message: String| Simulation {
        compiled: false,
        ending: Ending::SandboxError(message),
        log: String::new(),
        duration: Duration::ZERO,
        peak_memory_bytes: None,
    };
    let mut written = vec![File::new("sample.sv", sample)];
    let mut sources = vec!["sample.sv".to_owned()];
    for (name, contents) in files {
        written.push(File::new(name.as_str(), contents.as_str()));
        sources.push(name.clone());
    }
    let dir = match jail
        .work_dir()
        .and_then(|dir| dir.write(&written).map(|()| dir))
    {
        Ok(dir) => dir,
        Err(error) => return failed(format!("cannot prepare the working directory: {error}")),
    };
    // One stream, in order, as the Makefile's `&>` gives: the analysis
    // takes the first decisive line.
    let merged = |command: String| {
        vec![
            "/bin/sh".to_owned(),
            "-c".to_owned(),
            format!("exec {command} 2>&1"),
        ]
    };
    let mut compile = Job::new(merged(format!(
        "iverilog -Wall -Winfloop -Wno-timescale -g2012 -s tb -o sim {}",
        sources.join(" ")
    )));
    compile.limits = CommandLimits {
        max_output_bytes: LOG_BYTES,
        ..heavy_limits(Duration::from_secs(COMPILE_SECONDS))
    };
    compile.keep_lines = Some(keep_line);
    let built = jail.run_in(&dir, &compile);
    let mut log = String::from_utf8_lossy(&built.stdout).into_owned();
    if !matches!(built.ending, Ending::Exited(0)) {
        return Simulation {
            compiled: false,
            ending: built.ending,
            log,
            duration: built.duration,
            peak_memory_bytes: built.peak_memory_bytes,
        };
    }
    let mut run = Job::new(merged("vvp sim".to_owned()));
    run.limits = CommandLimits {
        max_output_bytes: LOG_BYTES,
        ..heavy_limits(timeout)
    };
    run.keep_lines = Some(keep_line);
    let ran = jail.run_in(&dir, &run);
    log.push_str(&String::from_utf8_lossy(&ran.stdout));
    if matches!(ran.ending, Ending::TimedOut | Ending::CpuLimit) {
        if !log.is_empty() && !log.ends_with('\n') {
            log.push('\n');
        }
        log.push_str("TIMEOUT\n");
    }
    Simulation {
        compiled: true,
        ending: ran.ending,
        log,
        duration: built.duration + ran.duration,
        peak_memory_bytes: match (built.peak_memory_bytes, ran.peak_memory_bytes) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_block_is_the_leading_system_includes() {
        let program = "#include<stdio.h>\n#include <vector>\nusing namespace std;\n\n#  include\t<boost/any.hpp>\nint f();\n#include<map>\n";
        assert_eq!(
            cpp_header_block(program),
            Some((
                "#include<stdio.h>\n#include <vector>\nusing namespace std;\n\n#  include\t<boost/any.hpp>\n",
                5
            ))
        );
        for none in [
            "int main() {}\n",
            "using namespace std;\nint x;\n",
            "#include \"local.h\"\n",
            "#include </etc/passwd>\n",
            "#include <../secret>\n",
            "#define X\n#include <vector>\n",
            "#include <vector> // note\n",
            "#include <vector>",
        ] {
            assert_eq!(cpp_header_block(none), None, "{none:?}");
        }
        assert_eq!(
            cpp_header_block("#include <vector>\n#include <map>"),
            Some(("#include <vector>\n", 1))
        );
    }

    #[test]
    fn fallback_include_traces_lose_the_extra_step() {
        let trace = format!(
            "In file included from /usr/include/c++/12/vector:60,\n                 from test.cpp:2,\n                 from {CPP_PCH_MAIN}:1:\nerror\n"
        );
        assert_eq!(
            cpp_unmention_main(trace.as_bytes()).as_ref(),
            b"In file included from /usr/include/c++/12/vector:60,\n                 from test.cpp:2:\nerror\n"
        );
        assert!(matches!(
            cpp_unmention_main(b"test.cpp:2:1: error"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// GCC reads the precompiled header rather than its text (`-H` marks a
    /// usable one with `!`), and a jail builds it once.
    #[test]
    fn cpp_compiles_against_the_precompiled_header() {
        let mut jail = Jail::new(crate::Isolation::Full, &[]).expect("full isolation works here");
        let source = "#include<vector>\nusing namespace std;\nint main() { vector<int> v; return v.size(); }\n";
        for _ in 0..2 {
            let dir = jail.work_dir().unwrap();
            dir.write(&[File::new("test.cpp", source)]).unwrap();
            let mut job = Toolchain::Cpp.compile("CPP/0").unwrap();
            let _lease = cpp_precompiled(&mut jail, source, &dir, &mut job).unwrap();
            assert!(
                job.argv.iter().any(|arg| arg == CPP_PCH_MAIN),
                "{:?}",
                job.argv
            );
            assert!(job.cache.is_some());
            job.argv.push("-H".to_owned());
            let built = jail.run_in(&dir, &job);
            let stderr = String::from_utf8_lossy(&built.stderr);
            assert!(built.success(), "{stderr}");
            assert!(stderr.contains("! /tmp/cache/pch.h.gch"), "{stderr}");
        }
        let headers = jail.cpp_headers();
        let state = headers.lock();
        assert_eq!(state.slots.len(), 1);
        assert!(matches!(
            state.slots.values().next(),
            Some(Slot::Ready { readers: 0, .. })
        ));
    }

    /// A store keeps at most [`CPP_PCH_READY`] headers, dropping the least
    /// recently used that no compile reads, and removes them all when
    /// dropped.
    #[test]
    fn the_store_evicts_and_cleans_up() {
        let store = std::sync::Arc::new(CppHeaders::default());
        let scratch = tempfile::tempdir_in("/dev/shm").unwrap();
        let mut held = Vec::new();
        for n in 0..CPP_PCH_READY + 3 {
            let header = format!("h{n}");
            assert!(matches!(store.lookup(&header), Lookup::Build));
            assert!(matches!(store.lookup(&header), Lookup::Skip), "being built");
            let built = scratch.path().join(n.to_string());
            std::fs::create_dir(&built).unwrap();
            let Lookup::Ready(lease) = store.finish(&header, Some(&built)) else {
                panic!("not ready");
            };
            assert!(lease.dir.is_dir());
            // The first header stays in use throughout.
            if n == 0 {
                held.push(lease);
            }
        }
        let state = store.lock();
        let ready: Vec<&String> = state
            .slots
            .iter()
            .filter(|(_, slot)| matches!(slot, Slot::Ready { .. }))
            .map(|(text, _)| text)
            .collect();
        assert_eq!(ready.len(), CPP_PCH_READY);
        assert!(state.slots.contains_key("h0"), "in use, so kept");
        assert!(!state.slots.contains_key("h1"), "the oldest unused went");
        let root = state.root.clone().unwrap();
        drop(state);
        assert!(matches!(store.finish("failed", None), Lookup::Skip));
        assert!(matches!(store.lookup("failed"), Lookup::Skip));
        // Once a compile with a header failed in the sandbox, none is lent.
        assert!(matches!(store.lookup("h10"), Lookup::Ready(_)));
        store.disable();
        assert!(matches!(store.lookup("h10"), Lookup::Skip));
        assert!(matches!(store.lookup("new"), Lookup::Skip));
        drop(held);
        drop(store);
        assert!(!root.exists());
    }
}
