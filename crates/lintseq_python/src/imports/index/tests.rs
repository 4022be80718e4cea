//! Resolution rules on hand-written listings.

use super::*;

/// A listing with a temporary directory, one `sys.path` directory and
/// whatever `body` adds after them (in the listing's own syntax, with `|`
/// for tabs).
fn listing(temp: &str, path: &str) -> ModuleIndex {
    let listing = format!(
        "lintseq-module-index 1\npython|3.11.7|/usr/bin/python3\nbuiltin|sys\nbuiltin|itertools\n\
         frozen|os|1\nfrozen|_frozen_importlib|1\nfrozen|__hello_only__|0\n\
         root|temp|/tmp\n{temp}root|path|/lib\n{path}end\n"
    )
    .replace('|', "\t");
    ModuleIndex::from_listing(&listing).unwrap()
}

fn stdlib() -> ModuleIndex {
    listing(
        "",
        "D|0|json|py|0\nF|1|__init__|p\nF|1|decoder|p\nF|0|os|p\nF|0|abc|p\n\
         D|0|ns|-|0\nF|1|inner|p\nD|1|deeper|-|0\nF|2|leaf|p\n\
         D|0|pkg|py|0\nF|1|__init__|p\nD|1|sub|py|0\nF|2|__init__|p\nF|2|mod|p\nD|1|data|-|0\n\
         F|0|compiled|c\nF|0|stubbed|ci\nF|0|fast|ep\nF|0|onlystub|i\n\
         D|0|cpkg|pyc|0\nF|1|__init__|c\nF|1|real|p\n\
         D|0|extpkg|ext|0\nF|1|child|p\n\
         D|0|deep|py|0\nX|1\n",
    )
}

#[test]
fn modules_packages_and_submodules() {
    let index = stdlib();
    for name in [
        "json",
        "json.decoder",
        "pkg",
        "pkg.sub",
        "pkg.sub.mod",
        "abc",
        "fast",
    ] {
        assert!(index.resolves(name), "{name}");
    }
    for name in [
        "nope",
        "json.nope",
        "pkg.sub.nope",
        "abc.nope",
        "pkg.mod",
        "Json",
    ] {
        assert!(!index.resolves(name), "{name}");
    }
}

#[test]
fn namespace_packages_and_their_nested_directories() {
    let index = stdlib();
    assert_eq!(index.find("ns"), Some(Found::Namespace));
    assert!(index.resolves("ns.inner"));
    assert_eq!(index.find("ns.deeper"), Some(Found::Namespace));
    assert!(index.resolves("ns.deeper.leaf"));
    // A directory without `__init__` inside a package is a namespace too.
    assert_eq!(index.find("pkg.data"), Some(Found::Namespace));
    assert_eq!(index.find("pkg"), Some(Found::Other));
}

#[test]
fn builtins_frozen_modules_and_astroid_special_cases() {
    let index = stdlib();
    for name in [
        "sys",
        "itertools",
        "os",
        "os.path",
        "_frozen_importlib",
        "__main__",
        "__hello_only__",
    ] {
        assert!(index.resolves(name), "{name}");
    }
    // A frozen module with a file contributes that file: no submodules.
    assert!(!index.resolves("os.nope"));
    assert!(!index.resolves("sys.nope"));
    // After a builtin module (or a frozen one without a file) astroid looks
    // for the next component on the whole path again.
    assert!(index.resolves("sys.json"));
    assert!(index.resolves("__hello_only__.json"));
}

#[test]
fn files_astroid_cannot_build() {
    let index = stdlib();
    // A `.pyc` alone, unless a stub sits beside it; a stub alone is no module.
    assert!(!index.resolves("compiled"));
    assert!(index.resolves("stubbed"));
    assert!(!index.resolves("onlystub"));
    // A package with only `__init__.pyc` cannot be built, its modules can.
    assert!(!index.resolves("cpkg"));
    assert!(index.resolves("cpkg.real"));
    // An extension `__init__`: not buildable, and the next component is
    // looked for on the whole path.
    assert!(!index.resolves("extpkg"));
    assert!(index.resolves("extpkg.json"));
    assert!(!index.resolves("extpkg.child"));
}

#[test]
fn unlisted_directories_resolve_anything() {
    let index = stdlib();
    assert!(index.resolves("deep.anything.at.all"));
}

#[test]
fn six_moves_resolve_without_six() {
    let index = stdlib();
    assert!(index.resolves("six.moves"));
    assert!(index.resolves("six.moves.filter"));
    assert!(!index.resolves("six"));
    // `six.moves.urllib_parse` names `urllib.parse`, which this index lacks.
    assert!(!index.resolves("six.moves.urllib.parse"));
    assert!(!index.resolves("six.moves.nope"));
    assert!(index.resolves("six.moves.builtins") == index.resolves("builtins"));
}

#[test]
fn the_first_directory_with_a_module_or_package_wins() {
    // `/tmp/json.py` shadows the package: `json.decoder` is then missing.
    let index = listing("F|0|json|p\n", "D|0|json|py|0\nF|1|decoder|p\n");
    assert!(index.resolves("json"));
    assert!(!index.resolves("json.decoder"));
    // A namespace directory earlier on the path loses to a package later.
    let index = listing("D|0|json|-|0\n", "D|0|json|py|0\nF|1|decoder|p\n");
    assert!(index.resolves("json.decoder"));
}

#[test]
fn namespace_portions_merge_across_the_path() {
    let index = listing("D|0|ns|-|0\nF|1|a|p\n", "D|0|ns|-|0\nF|1|b|p\n");
    assert!(index.resolves("ns.a"));
    assert!(index.resolves("ns.b"));
}

#[test]
fn pkgutil_namespace_packages_search_every_directory_of_their_name() {
    let index = listing(
        "D|0|ns|py|1\nF|1|__init__|p\nF|1|a|p\n",
        "D|0|ns|py|0\nF|1|__init__|p\nF|1|b|p\n",
    );
    assert!(index.resolves("ns.a"));
    assert!(index.resolves("ns.b"));
    let plain = listing(
        "D|0|ns|py|0\nF|1|__init__|p\nF|1|a|p\n",
        "D|0|ns|py|0\nF|1|__init__|p\nF|1|b|p\n",
    );
    assert!(!plain.resolves("ns.b"));
}

#[test]
fn relative_imports_in_the_temporary_directory() {
    let index = listing("D|0|pk|-|0\nO|0|plainfile\nF|0|nearby|p\n", "");
    assert_eq!(index.relative(1, Some("mod")), Relative::TooManyLevels);
    assert_eq!(
        index.relative(1, Some("pk.sub")),
        Relative::Absolute("pk.sub")
    );
    assert_eq!(
        index.relative(1, Some("plainfile")),
        Relative::Absolute("plainfile")
    );
    // `nearby.py` is not an entry named `nearby`.
    assert_eq!(index.relative(1, Some("nearby")), Relative::TooManyLevels);
    assert_eq!(index.relative(1, None), Relative::Absolute(""));
    assert_eq!(index.relative(2, None), Relative::TooManyLevels);
    assert_eq!(index.relative(2, Some("pk")), Relative::TooManyLevels);
    assert_eq!(index.find(""), Some(Found::EmptyName));
}

#[test]
fn editable_installs_come_last() {
    let listing = "lintseq-module-index 1\nroot|temp|/tmp\nroot|path|/lib\n\
                   root|editable|mine|/src/mine\nD|0|mine|py|0\nF|1|core|p\nend\n"
        .replace('|', "\t");
    let index = ModuleIndex::from_listing(&listing).unwrap();
    assert!(index.resolves("mine"));
    assert!(index.resolves("mine.core"));
    assert!(!index.resolves("mine.nope"));
}

#[test]
fn malformed_listings_are_errors() {
    for listing in [
        "",
        "something else\nend\n",
        "lintseq-module-index 1\nroot\ttemp\t/tmp\n",
        "lintseq-module-index 1\nroot\ttemp\t/tmp\nD\t3\tx\tpy\t0\nend\n",
        "lintseq-module-index 1\nroot\ttemp\t/tmp\nQ\nend\n",
        "lintseq-module-index 1\nend\n",
    ] {
        assert!(
            matches!(
                ModuleIndex::from_listing(listing),
                Err(ProbeError::Malformed { .. })
            ),
            "{listing:?}"
        );
    }
}

#[test]
fn setuptools_distutils_shim_serves_submodules() {
    let text = "lintseq-module-index 1\ndistutils|setuptools._distutils\nroot|temp|/tmp\n\
                root|path|/lib\nD|0|distutils|py|0\nF|1|__init__|p\nF|1|core|p\nD|1|tests|py|0\n\
                root|site|/site\nD|0|setuptools|py|0\nF|1|__init__|p\nD|1|_distutils|py|0\n\
                F|2|__init__|p\nF|2|core|p\nF|2|version|p\nend\n"
        .replace('|', "\t");
    let index = ModuleIndex::from_listing(&text).unwrap();
    assert!(index.resolves("distutils"));
    assert!(index.resolves("distutils.version"));
    assert!(index.resolves("distutils.core"));
    assert!(!index.resolves("distutils.tests"));
    let without = text.replace("distutils\tsetuptools._distutils\n", "");
    let index = ModuleIndex::from_listing(&without).unwrap();
    assert!(index.resolves("distutils.tests"));
    assert!(!index.resolves("distutils.version"));
}
