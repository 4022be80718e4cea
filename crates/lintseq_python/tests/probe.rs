//! The probe on real directories, run with `python3`.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use lintseq_python::{ModuleIndex, ProbeError};

fn probe(root: &Path) -> Result<ModuleIndex, ProbeError> {
    let mut python = Command::new("python3");
    python
        .env("PYTHONPATH", root.join("site"))
        .env("TMPDIR", root.join("tmp"));
    ModuleIndex::probe_with(python)
}

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, "").unwrap();
}

#[test]
fn the_probe_walks_the_path_and_the_temporary_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    touch(&root.join("site/pkg/__init__.py"));
    touch(&root.join("site/pkg/deep/deeper/leaf.py"));
    touch(&root.join("site/not-an-identifier/mod.py"));
    touch(&root.join("site/linked_target/inner.py"));
    symlink(root.join("site/linked_target"), root.join("site/linked")).unwrap();
    // A loop: `pkg.again` is `pkg`.
    symlink(root.join("site/pkg"), root.join("site/pkg/again")).unwrap();
    touch(&root.join("tmp/nearby.py"));
    fs::create_dir_all(root.join("tmp/dirhere")).unwrap();
    let index = probe(root).unwrap();
    assert!(index.resolves("pkg"));
    assert!(index.resolves("pkg.deep.deeper.leaf"));
    assert!(index.resolves("linked.inner"));
    assert!(index.resolves("nearby"));
    assert!(index.resolves("dirhere"));
    assert!(!index.resolves("mod"));
    assert!(!index.resolves("pkg.nope"));
    // The loop is not followed: what is behind it is unknown, so it resolves.
    assert!(index.resolves("pkg.again.anything"));
    // The standard library and builtins are there too.
    assert!(index.resolves("json.decoder"));
    assert!(index.resolves("sys"));
    assert!(index.executable().contains("python"));
    assert!(index.python_version().starts_with('3'));
    assert!(index.temp_dir().ends_with("tmp"));
}

#[test]
fn a_failing_interpreter_is_an_error_naming_it() {
    let error = ModuleIndex::probe(Path::new("false")).unwrap_err();
    assert!(matches!(error, ProbeError::Failed { .. }), "{error}");
    assert!(error.to_string().contains("`false`"), "{error}");
    let error = ModuleIndex::probe(Path::new("/no/such/python")).unwrap_err();
    assert!(matches!(error, ProbeError::Spawn { .. }), "{error}");
    // Something that runs but prints no listing.
    let mut command = Command::new("sh");
    command.args(["-c", "echo hello; exit 0", "sh"]);
    let error = ModuleIndex::probe_with(command).unwrap_err();
    assert!(matches!(error, ProbeError::Output { .. }), "{error}");
}
