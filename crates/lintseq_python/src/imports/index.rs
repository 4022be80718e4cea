//! What one Python environment can import, and astroid's rules for finding
//! a module in it.
//!
//! The index is the probe's listing (see `probe.py`) turned into a tree of
//! directories. Finding a dotted name follows astroid 3.2.4's
//! `interpreter/_import/spec.py` (`_find_spec`) and `manager.py`
//! (`ast_from_module_name`) as pylint 3.2.6 runs them on a file in the
//! temporary directory, which is where pylintseq puts every state it lints:
//!
//! * the first component is a builtin module, a frozen module, or else is
//!   looked up in each search directory in turn (the temporary directory,
//!   then `sys.path`): a package (`name/__init__.py`, `.pyi` or `.pyc`) or a
//!   module file (extension suffixes, `.py`, `.pyc`) in the first directory
//!   that has either; failing that, a package whose `__init__` is an
//!   extension module, or a namespace package made of every directory of
//!   that name; failing that, a setuptools editable install;
//! * each further component is looked up the same way in what the previous
//!   one contributes: a package's directory (every directory of that name on
//!   the path, for pkgutil- and pkg_resources-style namespace packages), a
//!   namespace package's portions, nothing for a module file — and, as
//!   astroid has it, the whole path again after a builtin module or a
//!   package whose `__init__` is an extension;
//! * the module found must then be buildable: not a compiled `.pyc` without
//!   source (nor a package with only `__init__.pyc`), not an extension
//!   package.
//!
//! astroid's special cases come on top: `__main__` and `os.path` always
//! resolve, and astroid's six brain resolves `six.moves` and the names it
//! lists under it even when six is not installed.

use std::fmt;

use rustc_hash::FxHashMap;

use super::probe::ProbeError;

/// What a Python interpreter can import, listed once by asking it.
///
/// Build it with [`ModuleIndex::probe`] (or from a saved listing with
/// [`ModuleIndex::from_listing`]), share it behind an `Arc`, and give it to
/// [`crate::PythonChecker::with_imports`].
#[derive(Clone)]
pub struct ModuleIndex {
    python_version: String,
    executable: String,
    temp_dir: String,
    builtins: FxHashMap<Box<str>, ()>,
    /// Frozen modules, and whether they have a source file.
    frozen: FxHashMap<Box<str>, bool>,
    dirs: Vec<Dir>,
    /// The search path as pylint has it while linting a temporary file: the
    /// temporary directory first, then `sys.path`.
    roots: Vec<u32>,
    /// The index in `dirs` of the temporary directory.
    temp: u32,
    /// Editable installs: virtual directories holding one entry each.
    editable: Vec<u32>,
    /// Roots that are site-packages (`purelib`, `platlib`).
    site_roots: Vec<u32>,
    /// Where setuptools' distutils shim sends distutils' submodules.
    distutils: Option<String>,
    entries: usize,
}

impl fmt::Debug for ModuleIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleIndex")
            .field("python", &self.executable)
            .field("version", &self.python_version)
            .field("temp_dir", &self.temp_dir)
            .field("roots", &self.roots.len())
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Default)]
struct Dir {
    entries: FxHashMap<Box<str>, Entry>,
    /// Not listed (too deep, too large, a link loop): anything may be in it.
    opaque: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    dir: Option<SubDir>,
    /// Which module files `name.<suffix>` exist (`FILE_*` bits).
    files: u8,
    /// Some other file of exactly this name exists.
    other: bool,
}

#[derive(Clone, Copy, Debug)]
struct SubDir {
    id: u32,
    init: Init,
    /// Its `__init__.py` extends its path (pkgutil or pkg_resources).
    extends_path: bool,
}

/// What makes a directory a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Init {
    /// `__init__.py` or `__init__.pyi`.
    Source,
    /// Only `__init__.pyc`.
    Compiled,
    /// An extension module `__init__`.
    Extension,
    /// None: a namespace portion.
    None,
}

const FILE_EXTENSION: u8 = 1;
const FILE_SOURCE: u8 = 2;
const FILE_COMPILED: u8 = 4;
const FILE_STUB: u8 = 8;

/// What finding one component of a dotted name gave.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Spec {
    Builtin,
    Frozen {
        file: bool,
    },
    Package {
        dir: u32,
        init: Init,
        extends_path: bool,
    },
    Module {
        files: u8,
    },
    /// A package whose `__init__` is an extension module (found by
    /// importlib's path finder, which astroid cannot build).
    ExtensionPackage,
    Namespace {
        portions: Vec<u32>,
    },
    /// Inside a directory the probe did not list: it may be anything.
    Unknown,
}

impl Spec {
    /// Whether astroid can build a module for it.
    fn buildable(&self) -> bool {
        match self {
            Spec::Builtin | Spec::Frozen { .. } | Spec::Namespace { .. } | Spec::Unknown => true,
            Spec::Package { init, .. } => *init == Init::Source,
            // A `.pyc` alone has no source astroid can read, unless a stub
            // sits beside it.
            Spec::Module { files } => {
                files & (FILE_EXTENSION | FILE_SOURCE) != 0
                    || files & (FILE_COMPILED | FILE_STUB) == FILE_COMPILED | FILE_STUB
            }
            Spec::ExtensionPackage => false,
        }
    }
}

/// Where the next component of a dotted name is looked for.
enum Search {
    /// The whole path, builtins and frozen modules included.
    Everywhere,
    In(Vec<u32>),
    Nowhere,
}

/// A module astroid would build for an import, as far as checks need to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// A namespace package: it has no names of its own, only submodules.
    Namespace,
    /// The module astroid keeps under the empty name (whatever it built last
    /// from a string), which a `from . import x` in a top-level module gets.
    EmptyName,
    /// Any other module: what names it has is not known here.
    Other,
}

/// What the level of a relative import leads to in a top-level module in
/// the temporary directory (astroid's `relative_to_absolute_name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Relative<'a> {
    /// Beyond the top-level package: E0402.
    TooManyLevels,
    /// Imported as this absolute name.
    Absolute(&'a str),
}

impl ModuleIndex {
    /// The interpreter's version, as `3.X.Y`.
    pub fn python_version(&self) -> &str {
        &self.python_version
    }

    /// The interpreter's `sys.executable`.
    pub fn executable(&self) -> &str {
        &self.executable
    }

    /// The temporary directory pylintseq would lint its states in.
    pub fn temp_dir(&self) -> &str {
        &self.temp_dir
    }

    /// How many files and directories the index lists.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the index lists nothing at all.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Whether pylint, linting a file in the temporary directory, can
    /// import the absolute module `name` (`os.path`, `json`, `pkg.sub`).
    pub fn resolves(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The module an absolute import of `name` gets, if it resolves.
    pub(crate) fn find(&self, name: &str) -> Option<Found> {
        if name.is_empty() {
            return Some(Found::EmptyName);
        }
        if name == "__main__" || name == "os.path" {
            return Some(Found::Other);
        }
        let parts: Vec<&str> = name.split('.').collect();
        if parts[0] == "xml" {
            // astroid tries PyXML's `_xmlplus` first.
            let plus: Vec<&str> = std::iter::once("_xmlplus")
                .chain(parts[1..].iter().copied())
                .collect();
            if let Some(spec) = self.find_spec(&plus).filter(Spec::buildable) {
                return Some(found(&spec));
            }
        }
        match self.find_spec(&parts) {
            Some(spec) if spec.buildable() => Some(found(&spec)),
            _ => self.six_moves(name),
        }
    }

    /// astroid's six brain: `six.moves` and its listed submodules resolve
    /// whatever is installed (`_six_fail_hook`).
    fn six_moves(&self, name: &str) -> Option<Found> {
        let rest = name.strip_prefix("six.moves")?;
        if rest.is_empty() {
            return Some(Found::Other);
        }
        let attribute = rest.trim_start_matches('.').replace('.', "_");
        match SIX_MOVES.iter().find(|(moved, _)| *moved == attribute)? {
            (_, None) => Some(Found::Other),
            (_, Some(module)) => self.find(module),
        }
    }

    /// astroid's `relative_to_absolute_name` for a relative import of
    /// `module` (`None` for `from . import x`) at `level` in a top-level
    /// module of the temporary directory.
    ///
    /// A top-level module has no package to be relative to, so any level is
    /// too many — except that astroid, when the temporary directory has an
    /// entry named like the first component of `module` (a directory, or a
    /// file with no suffix), drops one level: `from .pk import x` becomes
    /// `from pk import x` there, and `from . import x` becomes an import of
    /// the empty name (which astroid always has).
    pub(crate) fn relative<'a>(&self, level: u32, module: Option<&'a str>) -> Relative<'a> {
        let module = module.unwrap_or("");
        let first = module.split('.').next().unwrap_or("");
        let temp = &self.dirs[self.temp as usize];
        let package_file = temp
            .entries
            .get("__init__")
            .is_some_and(|entry| entry.files & FILE_SOURCE != 0);
        let nearby = first.is_empty()
            || temp
                .entries
                .get(first)
                .is_some_and(|entry| entry.dir.is_some() || entry.other);
        if level == 1 && !package_file && nearby {
            Relative::Absolute(module)
        } else {
            Relative::TooManyLevels
        }
    }

    /// astroid's `_find_spec`: each component in what the previous one
    /// contributes.
    fn find_spec(&self, parts: &[&str]) -> Option<Spec> {
        let mut search = Search::Everywhere;
        let mut spec = None;
        for (index, part) in parts.iter().enumerate() {
            let found = match &search {
                Search::Everywhere => self.find_top(part)?,
                Search::In(dirs) => self.find_in(part, dirs)?,
                Search::Nowhere => return None,
            };
            if found == Spec::Unknown {
                return Some(Spec::Unknown);
            }
            if index + 1 < parts.len() {
                search = self.contribution(&found, &parts[..=index]);
            }
            spec = Some(found);
        }
        spec
    }

    fn find_top(&self, name: &str) -> Option<Spec> {
        if self.builtins.contains_key(name) {
            return Some(Spec::Builtin);
        }
        if let Some(&file) = self.frozen.get(name) {
            return Some(Spec::Frozen { file });
        }
        if let Some(spec) = self.find_in(name, &self.roots) {
            return Some(spec);
        }
        self.editable.iter().find_map(|&dir| {
            let entry = self.dirs[dir as usize].entries.get(name)?;
            Some(match entry.dir {
                Some(sub) => Spec::Package {
                    dir: sub.id,
                    init: Init::Source,
                    extends_path: false,
                },
                None => Spec::Module { files: FILE_SOURCE },
            })
        })
    }

    /// astroid's `ImportlibFinder` on `dirs`, then importlib's `PathFinder`.
    fn find_in(&self, name: &str, dirs: &[u32]) -> Option<Spec> {
        for &dir in dirs {
            let dir = &self.dirs[dir as usize];
            if dir.opaque {
                return Some(Spec::Unknown);
            }
            let Some(entry) = dir.entries.get(name) else {
                continue;
            };
            if let Some(sub) = entry
                .dir
                .filter(|sub| matches!(sub.init, Init::Source | Init::Compiled))
            {
                return Some(Spec::Package {
                    dir: sub.id,
                    init: sub.init,
                    extends_path: sub.extends_path,
                });
            }
            // Extension suffixes, then `.py`, then `.pyc`; a stub alone is
            // no module.
            let files = entry.files & (FILE_EXTENSION | FILE_SOURCE | FILE_COMPILED);
            if files != 0 {
                return Some(Spec::Module { files: entry.files });
            }
        }
        let mut portions = Vec::new();
        for &dir in dirs {
            let Some(sub) = self.dirs[dir as usize]
                .entries
                .get(name)
                .and_then(|entry| entry.dir)
            else {
                continue;
            };
            match sub.init {
                Init::Extension => return Some(Spec::ExtensionPackage),
                Init::None => portions.push(sub.id),
                Init::Source | Init::Compiled => {}
            }
        }
        (!portions.is_empty()).then_some(Spec::Namespace { portions })
    }

    /// Where the component after `spec` is looked for (`contribute_to_path`).
    fn contribution(&self, spec: &Spec, processed: &[&str]) -> Search {
        match spec {
            Spec::Builtin | Spec::Frozen { file: false } | Spec::ExtensionPackage => {
                Search::Everywhere
            }
            Spec::Frozen { file: true } | Spec::Module { .. } => Search::Nowhere,
            Spec::Package {
                extends_path: true, ..
            } => Search::In(
                self.roots
                    .iter()
                    .filter_map(|&root| self.walk(root, processed))
                    .collect(),
            ),
            Spec::Package { dir, .. } if processed == ["distutils"] => {
                Search::In(vec![self.distutils_dir(*dir)])
            }
            Spec::Package { dir, .. } => Search::In(vec![*dir]),
            Spec::Namespace { portions } => Search::In(portions.clone()),
            Spec::Unknown => Search::Nowhere,
        }
    }

    /// Where astroid looks for distutils' submodules, given the distutils
    /// package it found: outside site-packages it asks importlib, which
    /// setuptools' shim answers with `setuptools._distutils`.
    fn distutils_dir(&self, found: u32) -> u32 {
        let in_site = self.site_roots.iter().any(|&root| {
            self.dirs[root as usize]
                .entries
                .get("distutils")
                .and_then(|e| e.dir)
                .is_some_and(|sub| sub.id == found)
        });
        let redirected = match &self.distutils {
            Some(dotted) if !in_site => {
                let parts: Vec<&str> = dotted.split('.').collect();
                match self.find_spec(&parts) {
                    Some(Spec::Package { dir, .. }) => Some(dir),
                    _ => None,
                }
            }
            _ => None,
        };
        redirected.unwrap_or(found)
    }

    /// The directory `root/a/b/...` for `path = [a, b, ...]`, if listed.
    fn walk(&self, root: u32, path: &[&str]) -> Option<u32> {
        path.iter().try_fold(root, |dir, name| {
            Some(self.dirs[dir as usize].entries.get(*name)?.dir?.id)
        })
    }
}

fn found(spec: &Spec) -> Found {
    match spec {
        Spec::Namespace { .. } => Found::Namespace,
        _ => Found::Other,
    }
}

/// The names astroid's six brain binds in its `six.moves` module, and for
/// those bound by `import`, the module imported (`brain_six._IMPORTS`).
const SIX_MOVES: &[(&str, Option<&str>)] = &[
    ("_io", Some("_io")),
    ("cStringIO", None),
    ("filter", None),
    ("filterfalse", None),
    ("input", None),
    ("intern", None),
    ("map", None),
    ("range", None),
    ("reload", None),
    ("reload_module", None),
    ("reduce", None),
    ("shlex_quote", None),
    ("StringIO", None),
    ("UserDict", None),
    ("UserList", None),
    ("UserString", None),
    ("xrange", None),
    ("zip", None),
    ("zip_longest", None),
    ("builtins", Some("builtins")),
    ("configparser", Some("configparser")),
    ("copyreg", Some("copyreg")),
    ("_dummy_thread", Some("_dummy_thread")),
    ("http_cookiejar", Some("http.cookiejar")),
    ("http_cookies", Some("http.cookies")),
    ("html_entities", Some("html.entities")),
    ("html_parser", Some("html.parser")),
    ("http_client", Some("http.client")),
    ("http_server", Some("http.server")),
    ("BaseHTTPServer", None),
    ("CGIHTTPServer", None),
    ("SimpleHTTPServer", None),
    ("cPickle", Some("pickle")),
    ("queue", Some("queue")),
    ("reprlib", Some("reprlib")),
    ("socketserver", Some("socketserver")),
    ("_thread", Some("_thread")),
    ("winreg", Some("winreg")),
    ("xmlrpc_server", Some("xmlrpc.server")),
    ("xmlrpc_client", Some("xmlrpc.client")),
    ("urllib_robotparser", Some("urllib.robotparser")),
    ("email_mime_multipart", Some("email.mime.multipart")),
    ("email_mime_nonmultipart", Some("email.mime.nonmultipart")),
    ("email_mime_text", Some("email.mime.text")),
    ("email_mime_base", Some("email.mime.base")),
    ("urllib_parse", Some("urllib.parse")),
    ("urllib_error", Some("urllib.error")),
    ("tkinter", Some("tkinter")),
    ("tkinter_dialog", Some("tkinter.dialog")),
    ("tkinter_filedialog", Some("tkinter.filedialog")),
    ("tkinter_scrolledtext", Some("tkinter.scrolledtext")),
    ("tkinder_simpledialog", Some("tkinter.simpledialog")),
    ("tkinter_tix", Some("tkinter.tix")),
    ("tkinter_ttk", Some("tkinter.ttk")),
    ("tkinter_constants", Some("tkinter.constants")),
    ("tkinter_dnd", Some("tkinter.dnd")),
    ("tkinter_colorchooser", Some("tkinter.colorchooser")),
    ("tkinter_commondialog", Some("tkinter.commondialog")),
    ("tkinter_tkfiledialog", Some("tkinter.filedialog")),
    ("tkinter_font", Some("tkinter.font")),
    ("tkinter_messagebox", Some("tkinter.messagebox")),
    ("urllib", Some("urllib")),
    ("urllib_request", Some("urllib.request")),
];

// ---------------------------------------------------------------- listing

impl ModuleIndex {
    /// Reads the probe's listing (what [`ModuleIndex::probe`] parses).
    pub fn from_listing(listing: &str) -> Result<Self, ProbeError> {
        Parser::default().parse(listing)
    }
}

#[derive(Default)]
struct Parser {
    index: Option<ModuleIndex>,
    /// The directories of the current root's walk, by depth.
    stack: Vec<u32>,
}

impl Parser {
    fn parse(mut self, listing: &str) -> Result<ModuleIndex, ProbeError> {
        let mut lines = listing.lines().enumerate();
        match lines.next() {
            Some((_, "lintseq-module-index 1")) => {}
            _ => return Err(malformed(1, "the listing does not start with its header")),
        }
        let mut index = ModuleIndex {
            python_version: String::new(),
            executable: String::new(),
            temp_dir: String::new(),
            builtins: FxHashMap::default(),
            frozen: FxHashMap::default(),
            dirs: Vec::new(),
            roots: Vec::new(),
            temp: 0,
            editable: Vec::new(),
            site_roots: Vec::new(),
            distutils: None,
            entries: 0,
        };
        let mut has_temp = false;
        let mut ended = false;
        self.index = None;
        for (number, line) in lines {
            let number = number + 1;
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["python", version, executable] => {
                    index.python_version = version.to_string();
                    index.executable = executable.to_string();
                }
                ["suffix", _] => {}
                ["builtin", name] => {
                    index.builtins.insert((*name).into(), ());
                }
                ["frozen", name, file] => {
                    index.frozen.insert((*name).into(), *file == "1");
                }
                ["root", "temp", path] => {
                    let id = index.new_dir();
                    index.temp = id;
                    index.temp_dir = path.to_string();
                    index.roots.insert(0, id);
                    has_temp = true;
                    self.stack = vec![id];
                }
                ["root", kind @ ("path" | "site"), _] => {
                    let id = index.new_dir();
                    index.roots.push(id);
                    if *kind == "site" {
                        index.site_roots.push(id);
                    }
                    self.stack = vec![id];
                }
                ["distutils", dotted] => index.distutils = Some(dotted.to_string()),
                ["root", "editable", _, _] => {
                    let id = index.new_dir();
                    index.editable.push(id);
                    self.stack = vec![id];
                }
                ["D", depth, name, init, extends] => {
                    let depth = self.depth(depth, number)?;
                    let init = match *init {
                        "py" => Init::Source,
                        "pyc" => Init::Compiled,
                        "ext" => Init::Extension,
                        "-" => Init::None,
                        _ => return Err(malformed(number, "unknown kind of package")),
                    };
                    let id = index.new_dir();
                    let entry = index.entry(self.stack[depth], name);
                    entry.dir = Some(SubDir {
                        id,
                        init,
                        extends_path: *extends == "1",
                    });
                    self.stack.truncate(depth + 1);
                    self.stack.push(id);
                }
                ["F", depth, name, kinds] => {
                    let depth = self.depth(depth, number)?;
                    let mut files = 0;
                    for kind in kinds.chars() {
                        files |= match kind {
                            'e' => FILE_EXTENSION,
                            'p' => FILE_SOURCE,
                            'c' => FILE_COMPILED,
                            'i' => FILE_STUB,
                            _ => return Err(malformed(number, "unknown kind of module file")),
                        };
                    }
                    index.entry(self.stack[depth], name).files |= files;
                }
                ["O", depth, name] => {
                    let depth = self.depth(depth, number)?;
                    index.entry(self.stack[depth], name).other = true;
                }
                ["X", depth] => {
                    let depth = self.depth(depth, number)?;
                    index.dirs[self.stack[depth] as usize].opaque = true;
                }
                ["end"] => {
                    ended = true;
                    break;
                }
                _ => return Err(malformed(number, "unknown record")),
            }
        }
        if !ended {
            return Err(malformed(0, "the listing is cut short (no end record)"));
        }
        if !has_temp {
            return Err(malformed(0, "the listing names no temporary directory"));
        }
        Ok(index)
    }

    /// A depth at which the walk has a directory open.
    fn depth(&self, depth: &str, number: usize) -> Result<usize, ProbeError> {
        match depth.parse::<usize>() {
            Ok(depth) if depth < self.stack.len() => Ok(depth),
            _ => Err(malformed(number, "an entry outside any listed directory")),
        }
    }
}

impl ModuleIndex {
    fn new_dir(&mut self) -> u32 {
        self.dirs.push(Dir::default());
        (self.dirs.len() - 1) as u32
    }

    fn entry(&mut self, dir: u32, name: &str) -> &mut Entry {
        self.entries += 1;
        self.dirs[dir as usize]
            .entries
            .entry(name.into())
            .or_default()
    }
}

fn malformed(line: usize, detail: &str) -> ProbeError {
    ProbeError::Malformed {
        line,
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests;
