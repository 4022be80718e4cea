//! The toolchain runtimes: each language passes, fails, fails to compile
//! and times out as HumanEval-X's harness says, and compiled attacks are
//! contained. Needs g++, javac/java, node, go (with Debian's testify) and
//! iverilog, which `.ci/run` installs.

mod common;

use std::time::Duration;

use common::{Snapshot, serial};

use lintseq_sandbox::Isolation;
use lintseq_sandbox::command::{CommandLimits, Ending, File, Jail, Job};
use lintseq_sandbox::toolchain::{self, RustDeps, Toolchain, Verdict};

fn jail() -> Jail {
    Jail::new(Isolation::Full, &[]).expect("full isolation works on this machine")
}

#[track_caller]
fn expect(jail: &mut Jail, chain: &Toolchain, source: &str, verdict: Verdict) -> String {
    let done = toolchain::run(jail, chain, source, "T/0", Duration::from_secs(5));
    assert_eq!(done.verdict, verdict, "{chain:?}: {done:?}");
    done.result
}

const CPP_OK: &str = "#include <cassert>\nint main() { assert(1 + 1 == 2); }\n";
const CPP_ASSERT: &str = "#include <cassert>\nint main() { assert(1 + 1 == 3); }\n";

#[test]
fn cpp_passes_fails_and_reports_compile_errors() {
    let _serial = serial();
    let mut jail = jail();
    assert_eq!(
        expect(&mut jail, &Toolchain::Cpp, CPP_OK, Verdict::Passed),
        "passed"
    );
    let failed = expect(&mut jail, &Toolchain::Cpp, CPP_ASSERT, Verdict::Failed);
    assert!(failed.contains("Assertion"), "{failed}");
    let broken = expect(
        &mut jail,
        &Toolchain::Cpp,
        "int main() { return x; }\n",
        Verdict::CompileError,
    );
    assert!(
        broken.starts_with("failed: compilation error:") && broken.contains("not declared"),
        "{broken}"
    );
    let spin = "int main() { volatile int x = 0; for (;;) { x++; } }\n";
    assert_eq!(
        expect(&mut jail, &Toolchain::Cpp, spin, Verdict::Timeout),
        "timed out"
    );
    let exit = "int main() { return 3; }\n";
    expect(&mut jail, &Toolchain::Cpp, exit, Verdict::Failed);
}

/// HumanEval-X's C++ programs start with a block of includes, which the
/// runtime precompiles once per jail: what a program reports must be what
/// `g++ -std=c++17 test.cpp` says of it, byte for byte.
#[test]
fn cpp_precompiled_includes_change_no_message() {
    let _serial = serial();
    let mut jail = jail();
    let block = "#include<stdio.h>\n#include<vector>\nusing namespace std;\n#include<algorithm>\n#include<math.h>\n\n";
    let programs = [
        // Fine, then a failing assertion on a known line.
        format!(
            "{block}int main() {{ vector<int> v{{3, 1}}; sort(v.begin(), v.end()); return v[0] == 1 ? 0 : 1; }}\n"
        ),
        format!("{block}#include<assert.h>\nint main() {{\n    assert(max(1, 2) == 1);\n}}\n"),
        // An error in the program, and one inside a standard header (its
        // include trace), and one in a header the block does not include.
        format!("{block}int main() {{\n    return undeclared(3);\n}}\n"),
        format!(
            "{block}struct A {{ int x; }};\nint main() {{\n    vector<A> v(3);\n    sort(v.begin(), v.end());\n}}\n"
        ),
        format!(
            "{block}#include<map>\nstruct A {{ int x; }};\nint main() {{ map<A, int> m; m[A{{1}}] = 2; }}\n"
        ),
    ];
    for program in &programs {
        let ours = toolchain::run(
            &mut jail,
            &Toolchain::Cpp,
            program,
            "CPP/0",
            Duration::from_secs(5),
        );
        let work = tempfile::tempdir().unwrap();
        std::fs::write(work.path().join("test.cpp"), program).unwrap();
        let built = std::process::Command::new("g++")
            .args(["-std=c++17", "test.cpp", "-o", "a.out"])
            .current_dir(work.path())
            .output()
            .unwrap();
        if built.status.success() {
            assert_ne!(ours.verdict, Verdict::CompileError, "{program}: {ours:?}");
            let ran = std::process::Command::new("./a.out")
                .current_dir(work.path())
                .output()
                .unwrap();
            assert_eq!(
                ours.verdict == Verdict::Passed,
                ran.status.success(),
                "{program}: {ours:?}"
            );
            if !ran.status.success() {
                let message = String::from_utf8_lossy(&ran.stderr);
                let message = message.trim().replace("./a.out", "");
                assert!(
                    ours.result.contains(&message),
                    "{program}: {ours:?} against {message}"
                );
            }
        } else {
            assert_eq!(ours.verdict, Verdict::CompileError, "{program}: {ours:?}");
            let text = String::from_utf8_lossy(&built.stderr);
            let text = text.trim();
            let mut end = text.len().min(2000);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            assert_eq!(
                ours.result,
                format!("failed: compilation error: {}", &text[..end]),
                "{program}"
            );
        }
    }
}

#[test]
fn javascript_fails_on_any_output_as_the_harness_does() {
    let _serial = serial();
    let mut jail = jail();
    expect(
        &mut jail,
        &Toolchain::JavaScript,
        "console.assert(1 === 1);\n",
        Verdict::Passed,
    );
    let failed = expect(
        &mut jail,
        &Toolchain::JavaScript,
        "console.assert(1 === 2);\n",
        Verdict::Failed,
    );
    assert!(failed.contains("Assertion failed"), "{failed}");
    expect(
        &mut jail,
        &Toolchain::JavaScript,
        "console.log('hi');\n",
        Verdict::Failed,
    );
    expect(
        &mut jail,
        &Toolchain::JavaScript,
        "throw new Error('x');\n",
        Verdict::Failed,
    );
    expect(
        &mut jail,
        &Toolchain::JavaScript,
        "while (true) {}\n",
        Verdict::Timeout,
    );
}

#[test]
fn java_compiles_and_runs() {
    let _serial = serial();
    let mut jail = jail();
    let ok = "public class Main { public static void main(String[] a) { if (1 + 1 != 2) throw new AssertionError(); } }\n";
    expect(&mut jail, &Toolchain::Java, ok, Verdict::Passed);
    let bad = "public class Main { public static void main(String[] a) { throw new AssertionError(); } }\n";
    let failed = expect(&mut jail, &Toolchain::Java, bad, Verdict::Failed);
    assert!(failed.contains("AssertionError"), "{failed}");
    expect(
        &mut jail,
        &Toolchain::Java,
        "public class Main { int f( }\n",
        Verdict::CompileError,
    );
}

/// The warm compiler (javac in a long-lived JVM) gives what the `javac`
/// command gives in the program's directory: the same messages on compile
/// errors, every class file of a program with several classes, and a
/// package declaration's consequence at run time. It is replaced when it
/// dies.
#[test]
fn the_warm_java_compiler_matches_the_javac_command() {
    let _serial = serial();
    let mut jail = jail();
    let broken = [
        "public class Main { int f( }\n",
        "public class Main {\n  public static void main(String[] a) {\n    int x = \"s\";\n    undefined();\n  }\n}\n",
        "import java.util.*;\nclass Main { void f() { List<int> x; } }\n",
    ];
    let mut javac = Job::new(["javac", "Main.java"]);
    javac.limits = CommandLimits {
        wall: Duration::from_secs(60),
        cpu_seconds: 61,
        memory_bytes: 2 << 30,
        address_space: false,
        max_processes: 256,
        max_open_files: 4096,
        ..CommandLimits::default()
    };
    for source in broken {
        let command = jail.run(&javac, &[File::new("Main.java", source)]);
        assert_eq!(command.ending, Ending::Exited(1), "{command:?}");
        let expected = String::from_utf8_lossy(&command.stderr).trim().to_owned();
        let result = expect(&mut jail, &Toolchain::Java, source, Verdict::CompileError);
        assert_eq!(result, format!("failed: compilation error: {expected}"));
    }
    // Several top-level and nested classes, all needed at run time.
    let classes = "import java.util.function.*;\n\
                   class Helper { static int twice(int x) { return 2 * x; } }\n\
                   public class Main {\n  interface Op { int apply(int x); }\n\
                   static class Inner { int v = 3; }\n\
                   public static void main(String[] a) {\n\
                   Op op = new Op() { public int apply(int x) { return x + 1; } };\n\
                   Function<Integer, Integer> f = x -> Helper.twice(x);\n\
                   if (op.apply(new Inner().v) + f.apply(1) != 6) throw new AssertionError();\n  }\n}\n";
    assert_eq!(
        expect(&mut jail, &Toolchain::Java, classes, Verdict::Passed),
        "passed"
    );
    // javac writes Main.class beside the source whatever its package, and
    // `java Main` then refuses it, as it does after the command.
    let packaged = "package p;\npublic class Main { public static void main(String[] a) { } }\n";
    let failed = expect(&mut jail, &Toolchain::Java, packaged, Verdict::Failed);
    assert!(failed.contains("wrong name"), "{failed}");
    // A dead compiler is replaced.
    let server = jail
        .take_server("java-compile-server")
        .expect("a warm compiler");
    drop(server);
    let ok = "public class Main { public static void main(String[] a) { } }\n";
    assert_eq!(
        expect(&mut jail, &Toolchain::Java, ok, Verdict::Passed),
        "passed"
    );
    assert!(jail.take_server("java-compile-server").is_some());
}

#[test]
fn go_tests_run_with_testify_and_a_warm_private_cache() {
    let _serial = serial();
    let mut jail = jail();
    let test = |body: &str| {
        format!(
            "package main\n\nimport (\n    \"testing\"\n    \"github.com/stretchr/testify/assert\"\n)\n\n\
             func TestX(t *testing.T) {{\n    assert := assert.New(t)\n    {body}\n}}\n"
        )
    };
    expect(
        &mut jail,
        &Toolchain::Go,
        &test("assert.Equal(2, 1+1)"),
        Verdict::Passed,
    );
    expect(
        &mut jail,
        &Toolchain::Go,
        &test("assert.Equal(3, 1+1)"),
        Verdict::Failed,
    );
    assert_eq!(
        expect(
            &mut jail,
            &Toolchain::Go,
            &test("_ = assert\n    for {}"),
            Verdict::Timeout
        ),
        "timed out"
    );
    let broken = expect(
        &mut jail,
        &Toolchain::Go,
        &test("assert.Equal(y, 1)"),
        Verdict::CompileError,
    );
    assert!(broken.contains("undefined: y"), "{broken}");
    // A program that tries to poison the shared cache changes only its own
    // private layer: the next program still builds and passes.
    let poison = test(
        "_ = assert\n    os.RemoveAll(\"/tmp/cache\")\n    os.WriteFile(\"/tmp/cache/README\", []byte(\"x\"), 0644)",
    )
    .replace("\"testing\"", "\"os\"\n    \"testing\"");
    expect(&mut jail, &Toolchain::Go, &poison, Verdict::Passed);
    expect(
        &mut jail,
        &Toolchain::Go,
        &test("assert.True(true)"),
        Verdict::Passed,
    );
}

/// Compiled attacks: each is contained and the next program runs normally.
#[test]
fn compiled_attacks_are_contained() {
    let _serial = serial();
    let mut jail = jail();
    let before = Snapshot::take();
    let attacks = [
        // A fork bomb.
        "#include <unistd.h>\nint main() { for (;;) fork(); }\n",
        // Memory.
        "#include <cstdlib>\n#include <cstring>\nint main() { for (;;) { char* p = (char*)malloc(1 << 20); if (p) memset(p, 1, 1 << 20); } }\n",
        // Writes outside the working directory, and a daemon that would
        // write later.
        "#include <cstdio>\n#include <unistd.h>\nint main() {\n  if (fopen(\"/usr/lintseq-attack\", \"w\")) return 0;\n  if (fopen(\"/root/lintseq-attack\", \"w\")) return 0;\n  if (fork() == 0) { setsid(); sleep(30); fopen(\"/tmp/late\", \"w\"); }\n  return 1;\n}\n",
        // The network.
        "#include <arpa/inet.h>\n#include <sys/socket.h>\nint main() {\n  int s = socket(AF_INET, SOCK_STREAM, 0);\n  sockaddr_in a{}; a.sin_family = AF_INET; a.sin_port = htons(53);\n  inet_pton(AF_INET, \"8.8.8.8\", &a.sin_addr);\n  return connect(s, (sockaddr*)&a, sizeof a) == 0 ? 0 : 1;\n}\n",
    ];
    for attack in attacks {
        let done = toolchain::run(
            &mut jail,
            &Toolchain::Cpp,
            attack,
            "T/0",
            Duration::from_secs(2),
        );
        assert_ne!(done.verdict, Verdict::Passed, "{attack}: {done:?}");
        assert_ne!(done.verdict, Verdict::SandboxError, "{attack}: {done:?}");
        assert_eq!(
            toolchain::run(
                &mut jail,
                &Toolchain::Cpp,
                CPP_OK,
                "T/0",
                Duration::from_secs(5)
            )
            .verdict,
            Verdict::Passed,
            "after {attack}"
        );
    }
    before.assert_nothing_new(None);
    assert!(!std::path::Path::new("/usr/lintseq-attack").exists());
    assert!(!std::path::Path::new("/root/lintseq-attack").exists());
}

/// Hostile JVMs: each ends without passing or a sandbox error, leaves
/// nothing behind, and the next Java program runs normally. Each attack
/// exits 0 only if it got through.
#[test]
fn java_attacks_are_contained() {
    let _serial = serial();
    let before = Snapshot::take();
    let mut jail = jail();
    let main = |body: &str| {
        format!(
            "import java.io.*;\nimport java.net.*;\nimport java.nio.file.*;\nimport java.util.*;\n\
             public class Main {{\n  public static void main(String[] a) throws Exception {{\n{body}\n  }}\n}}\n"
        )
    };
    let attacks = [
        // A JVM that spins on every core, and keeps spinning.
        main(
            "    for (int i = 0; i < 8; i++) new Thread(() -> { for (;;) {} }).start();\n    for (;;) {}",
        ),
        // A JVM that forks: detached children meant to outlive it, then as
        // many processes as it can start.
        main(
            "    new ProcessBuilder(\"/bin/sh\", \"-c\", \"setsid sleep 30 &\").start();\n    \
             List<Process> ps = new ArrayList<>();\n    \
             for (int i = 0; i < 10000; i++) {\n      \
             try { ps.add(new ProcessBuilder(\"sleep\", \"30\").start()); } catch (IOException e) { break; }\n    }\n    \
             System.exit(1);",
        ),
        // Writes outside the working directory.
        main(
            "    for (String p : new String[] {\"/usr/lintseq-attack\", \"/root/lintseq-attack\", \"/etc/lintseq-attack\"}) {\n      \
             try { Files.writeString(Path.of(p), \"x\"); System.exit(0); } catch (IOException e) { }\n    }\n    \
             System.exit(1);",
        ),
        // The network.
        main(
            "    try (Socket s = new Socket()) { s.connect(new InetSocketAddress(\"8.8.8.8\", 53), 1000); System.exit(0); }\n    \
             catch (IOException e) { System.exit(1); }",
        ),
        // Memory, held.
        main(
            "    List<long[]> hold = new ArrayList<>();\n    for (;;) hold.add(new long[1 << 20]);",
        ),
        // Reading what is not the sandbox user's.
        main(
            "    try { Files.readAllBytes(Path.of(\"/etc/shadow\")); System.exit(0); } catch (IOException e) { System.exit(1); }",
        ),
    ];
    for (i, attack) in attacks.iter().enumerate() {
        let done = toolchain::run(
            &mut jail,
            &Toolchain::Java,
            attack,
            "T/0",
            Duration::from_secs(5),
        );
        assert_ne!(done.verdict, Verdict::Passed, "{attack}: {done:?}");
        assert_ne!(done.verdict, Verdict::SandboxError, "{attack}: {done:?}");
        assert_ne!(done.verdict, Verdict::CompileError, "{attack}: {done:?}");
        if i == 0 {
            assert_eq!(done.verdict, Verdict::Timeout, "the spinning JVM: {done:?}");
        }
        let ok = "public class Main { public static void main(String[] a) { } }\n";
        assert_eq!(
            toolchain::run(
                &mut jail,
                &Toolchain::Java,
                ok,
                "T/0",
                Duration::from_secs(10)
            )
            .verdict,
            Verdict::Passed,
            "after {attack}"
        );
    }
    // The jail's warm compiler is its own until the jail goes; then
    // nothing may be left.
    drop(jail);
    before.assert_nothing_new(None);
    for p in [
        "/usr/lintseq-attack",
        "/root/lintseq-attack",
        "/etc/lintseq-attack",
    ] {
        assert!(!std::path::Path::new(p).exists(), "{p}");
    }
}

#[test]
fn rust_compiles_against_the_prepared_crates() {
    let _serial = serial();
    // Not under /tmp, which each command replaces with its own (a checkout
    // there builds in $HOME instead).
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = if target.starts_with("/tmp") || target.starts_with("/dev/shm") {
        std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
            .join(".cache/lintseq-test-rust-deps")
    } else {
        target.join("rust-deps")
    };
    let deps = RustDeps::prepare(&dir).expect("cargo builds rand, regex and md5");
    // rustup's toolchains ship the standard library as a shared object too:
    // programs link it dynamically and find it inside the jail.
    assert!(deps.std_dylib_dir.is_some(), "{deps:?}");
    let mut jail = Jail::new(Isolation::Full, &deps.reachable()).expect("the jail starts");
    let chain = Toolchain::Rust(deps);
    let program = |check: &str| {
        format!(
            "use rand::Rng;\nuse regex::Regex;\nuse md5;\nfn main() {{}}\n\
             fn f() -> String {{ let _ = rand::thread_rng().gen_range(0, 3); \
             format!(\"{{:x}}\", md5::compute(\"x\")) }}\n\
             #[cfg(test)]\nmod tests {{\n    use super::*;\n    #[test]\n    fn t() {{ \
             assert!(Regex::new(\"^[0-9a-f]+$\").unwrap().is_match(&f())); {check} }}\n}}\n"
        )
    };
    expect(&mut jail, &chain, &program(""), Verdict::Passed);
    expect(
        &mut jail,
        &chain,
        &program("assert_eq!(1, 2);"),
        Verdict::Failed,
    );
    expect(
        &mut jail,
        &chain,
        &program("undefined();"),
        Verdict::CompileError,
    );
    // Attacks from Rust: a process bomb, writes outside, the network.
    let attacks = [
        "loop { let _ = std::process::Command::new(\"/proc/self/exe\").spawn(); }",
        "std::fs::write(\"/usr/lintseq-rust-attack\", b\"x\").unwrap();",
        "std::net::TcpStream::connect(\"8.8.8.8:53\").unwrap();",
    ];
    for attack in attacks {
        let done = toolchain::run(
            &mut jail,
            &chain,
            &program(attack),
            "T/0",
            Duration::from_secs(2),
        );
        assert!(
            matches!(done.verdict, Verdict::Failed | Verdict::Timeout),
            "{attack}: {done:?}"
        );
        expect(&mut jail, &chain, &program(""), Verdict::Passed);
    }
    assert!(!std::path::Path::new("/usr/lintseq-rust-attack").exists());
}

#[test]
fn toolchain_directories_under_tmp_are_refused_with_the_path() {
    let _serial = serial();
    let dir = std::env::temp_dir().join(format!("lintseq-reach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let error = Jail::new(Isolation::Full, std::slice::from_ref(&dir))
        .unwrap_err()
        .to_string();
    let _ = std::fs::remove_dir(&dir);
    assert!(
        error.contains(&dir.display().to_string()) && error.contains("private tmpfs"),
        "{error}"
    );
}

/// A testbench in VerilogEval's shape: `tb` compares `TopModule` with
/// `RefModule` and prints the mismatch line.
const VERILOG_TB: &str = r#"module tb();
  reg a = 0;
  wire y_ref, y_dut;
  integer mismatches = 0;
  RefModule good(.a(a), .y(y_ref));
  TopModule top(.a(a), .y(y_dut));
  initial begin
    #1 if (y_ref !== y_dut) mismatches = mismatches + 1;
    a = 1;
    #1 if (y_ref !== y_dut) mismatches = mismatches + 1;
    $display("Mismatches: %1d in 2 samples", mismatches);
    $finish;
  end
endmodule
"#;

const VERILOG_REF: &str = "module RefModule(input a, output y);\n  assign y = ~a;\nendmodule\n";

fn verilog_files() -> Vec<(String, String)> {
    vec![
        ("test.sv".to_owned(), VERILOG_TB.to_owned()),
        ("ref.sv".to_owned(), VERILOG_REF.to_owned()),
    ]
}

fn simulate(jail: &mut Jail, body: &str, timeout: Duration) -> toolchain::Simulation {
    let sample = format!("module TopModule(input a, output y);\n{body}\nendmodule\n");
    toolchain::simulate(
        jail,
        &sample,
        &verilog_files(),
        timeout,
        lintseq_eval::verilog::line_matters,
    )
}

#[test]
fn verilog_compiles_and_simulates_with_the_log_in_order() {
    let _serial = serial();
    let mut jail = jail();
    let good = simulate(&mut jail, "  assign y = ~a;", Duration::from_secs(5));
    assert!(good.compiled, "{good:?}");
    assert_eq!(good.ending, Ending::Exited(0));
    assert!(good.log.contains("Mismatches: 0 in 2 samples"), "{good:?}");
    let wrong = simulate(&mut jail, "  assign y = a;", Duration::from_secs(5));
    assert!(
        wrong.log.contains("Mismatches: 2 in 2 samples"),
        "{wrong:?}"
    );
    // Compiler messages come first, stderr and stdout as one stream.
    let broken = simulate(&mut jail, "  assign y = ;", Duration::from_secs(5));
    assert!(!broken.compiled);
    assert!(broken.log.contains("syntax error"), "{broken:?}");
    // A zero-delay loop: killed at the deadline, TIMEOUT appended.
    let hung = simulate(
        &mut jail,
        "  reg r = 0;\n  initial while (1) r = ~r;\n  assign y = ~a;",
        Duration::from_secs(1),
    );
    assert_eq!(hung.ending, Ending::TimedOut, "{hung:?}");
    assert!(hung.log.ends_with("TIMEOUT\n"), "{hung:?}");
}

/// The simulator runs as the reference Makefile runs it: a `$stop` waits
/// at the prompt, reads the end of stdin and goes on, so the testbench
/// still reports (`vvp -n` would end the simulation there).
#[test]
fn verilog_stop_continues_as_in_the_reference_flow() {
    let _serial = serial();
    let mut jail = jail();
    let stopped = simulate(
        &mut jail,
        "  initial #1 $stop;\n  assign y = ~a;",
        Duration::from_secs(5),
    );
    assert_eq!(stopped.ending, Ending::Exited(0), "{stopped:?}");
    assert!(stopped.log.contains("** Continue **"), "{stopped:?}");
    assert!(
        stopped.log.contains("Mismatches: 0 in 2 samples"),
        "{stopped:?}"
    );
}

/// A design that prints megabytes: the log keeps its first megabyte, then
/// only the lines VerilogEval's analysis reads, so the testbench's last
/// line still decides, as in the Makefile's uncapped log.
#[test]
fn verilog_noisy_output_keeps_the_lines_that_decide() {
    let _serial = serial();
    let mut jail = jail();
    let body = "  initial repeat (60000) $display(\"noise noise noise noise noise noise noise\");\n  assign y = ~a;";
    let noisy = simulate(&mut jail, body, Duration::from_secs(20));
    assert_eq!(noisy.ending, Ending::Exited(0), "{:?}", noisy.ending);
    assert!(noisy.log.len() < 1_100_000, "{}", noisy.log.len());
    assert!(noisy.log.contains("bytes of output left out here"));
    let last = noisy.log.lines().last().unwrap_or_default();
    assert!(last.starts_with("Mismatches: 0 in 2 samples"), "{last}");
    assert_eq!(
        lintseq_eval::verilog::classify(&noisy.log, body),
        None,
        "a pass, as the reference judges it"
    );
}

/// Verilog attacks: system tasks, file I/O outside the working directory,
/// reading what `nobody` may not, a simulation that prints forever, one
/// that asks for a huge memory. Each is contained; the next sample runs.
#[test]
fn verilog_attacks_are_contained() {
    let _serial = serial();
    let mut jail = jail();
    let before = Snapshot::take();
    let secret = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("verilog-secret");
    std::fs::write(&secret, "top secret").unwrap();
    let attacks = [
        // A shell command (Icarus has no $system; if it had, no shell could
        // write outside).
        "  initial $system(\"touch /usr/lintseq-verilog-attack\");\n  assign y = ~a;".to_owned(),
        // Writing outside the working directory.
        "  integer f;\n  initial begin\n    f = $fopen(\"/root/lintseq-verilog-attack\", \"w\");\n    $fdisplay(f, \"x\");\n    f = $fopen(\"/usr/lintseq-verilog-attack\", \"w\");\n    $fdisplay(f, \"x\");\n  end\n  assign y = f != 0 ? a : ~a;".to_owned(),
        // Reading a file only root may read, at compile and at run time.
        format!("`include \"{}\"\n  assign y = ~a;", secret.display()),
        format!(
            "  reg [7:0] m [0:15];\n  initial $readmemh(\"{}\", m);\n  assign y = ~a;",
            secret.display()
        ),
        // Printing forever.
        "  initial forever $display(\"spam spam spam spam spam spam spam spam\");\n  assign y = ~a;".to_owned(),
        // A memory the simulator cannot hold.
        "  reg [1023:0] mem [0:67108863];\n  integer i;\n  initial for (i = 0; i < 67108864; i = i + 1) mem[i] = {32{i}};\n  assign y = ~a;".to_owned(),
    ];
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    for attack in &attacks {
        let done = simulate(&mut jail, attack, Duration::from_secs(2));
        assert!(
            !matches!(done.ending, Ending::SandboxError(_)),
            "{attack}: {done:?}"
        );
        assert!(!done.log.contains("top secret"), "{attack}: {done:?}");
        assert!(
            done.log.len() <= 2 << 20,
            "{attack}: {} bytes of log",
            done.log.len()
        );
        let next = simulate(&mut jail, "  assign y = ~a;", Duration::from_secs(5));
        assert!(
            next.log.contains("Mismatches: 0 in 2 samples"),
            "after {attack}: {next:?}"
        );
    }
    before.assert_nothing_new(None);
    assert!(!std::path::Path::new("/usr/lintseq-verilog-attack").exists());
    assert!(!std::path::Path::new("/root/lintseq-verilog-attack").exists());
}
