# What this interpreter can import, for lintseq's `--imports reference`.
#
# Run once per lintseq run as `python -c <this file>`. It lists, without
# importing anything, what astroid (pylint's inference library) would find
# when pylintseq lints a temporary file: the directory of that file (the
# temporary directory, which pylint puts first on sys.path), then every
# sys.path entry, walked for packages, modules and namespace directories;
# the builtin and frozen modules; setuptools editable-install mappings.
#
# Output, one record per line, fields separated by tabs (names are Python
# identifiers, so they hold no tabs; paths are only for display):
#   lintseq-module-index 1
#   python VERSION EXECUTABLE
#   suffix SUFFIX              extension-module suffix, in search order
#   builtin NAME / frozen NAME 0|1 (1: it has a source file)
#   distutils DOTTED           setuptools' distutils shim is active: astroid
#                              looks for distutils' submodules in DOTTED
#   root KIND PATH             KIND: temp, path, site (a sys.path entry that
#                              is purelib or platlib), editable NAME; then
#                              the root's entries, depth first:
#   D DEPTH NAME INIT NS       directory; INIT: py (an __init__.py or .pyi),
#                              pyc (only __init__.pyc), ext (an extension
#                              __init__), - (none: a namespace portion);
#                              NS 1: __init__.py extends its path (pkgutil,
#                              pkg_resources)
#   F DEPTH NAME KINDS         module files NAME.<ext|py|pyc|pyi>, KINDS a
#                              subset of "e", "p", "c", "i"
#   O DEPTH NAME               another entry called NAME (temporary dir only)
#   X DEPTH                    the directory above was not listed (too deep,
#                              too large, a symbolic-link loop)
#   end
import os
import sys


def main():
    import importlib.machinery

    out = []
    write = out.append
    ext_suffixes = list(importlib.machinery.EXTENSION_SUFFIXES)
    write("lintseq-module-index 1")
    write("python\t%d.%d.%d\t%s" % (sys.version_info[:3] + (clean(sys.executable),)))
    for suffix in ext_suffixes:
        write("suffix\t" + suffix)
    for name in sorted(sys.builtin_module_names):
        write("builtin\t" + name)
    frozen_names = []
    try:
        import _imp

        frozen_names = _imp._frozen_module_names()
    except (ImportError, AttributeError):
        pass
    for name in sorted(set(frozen_names)):
        if "." in name:
            continue
        try:
            spec = importlib.machinery.FrozenImporter.find_spec(name)
        except Exception:
            spec = None
        if spec is not None:
            has_file = getattr(spec.loader_state, "filename", None) is not None
            write("frozen\t%s\t%d" % (name, has_file))

    if distutils_shim():
        write("distutils\tsetuptools._distutils")
    walker = Walker(ext_suffixes, write)
    import sysconfig
    import tempfile

    site_dirs = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}

    # pylintseq lints tempfile.NamedTemporaryFile(suffix=".py"); pylint puts
    # the real path of its directory first on sys.path.
    walker.root("temp", os.path.realpath(tempfile.gettempdir()), budget=20000, others=True)
    entries = list(sys.path)
    # `python -c` put the working directory ("") first; pylintseq's sys.path
    # starts with its console script's directory instead, which holds none.
    if entries and entries[0] == "" and not getattr(sys.flags, "safe_path", False):
        entries.pop(0)
    for entry in entries:
        kind = "site" if entry in site_dirs else "path"
        walker.root(kind, os.path.abspath(entry) if entry else os.getcwd())
    for name, path in sorted(editable_mappings().items()):
        walker.root("editable\t" + name, path)
    write("end")
    data = ("\n".join(out) + "\n").encode("utf-8", "replace")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def clean(text):
    return "".join(c if c.isprintable() and c != "\t" else "?" for c in text)


def distutils_shim():
    """Whether setuptools' `_distutils_hack` serves distutils from setuptools.

    astroid asks importlib where distutils is (to look for its submodules)
    when distutils is not in site-packages; the shim answers with
    setuptools._distutils (it imports it to do so; this only looks).
    """
    if os.path.isfile("pybuilddir.txt"):
        return False
    return any(type(finder).__name__ == "DistutilsMetaFinder" for finder in sys.meta_path)


def editable_mappings():
    """Top-level names of setuptools editable installs (their finders' MAPPING)."""
    found = {}
    for finder in sys.meta_path:
        name = type(finder).__name__
        if name == "type":
            name = getattr(finder, "__name__", "")
        if name != "_EditableFinder":
            continue
        module = sys.modules.get(getattr(finder, "__module__", ""))
        mapping = getattr(module, "MAPPING", None)
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                if isinstance(key, str) and isinstance(value, str) and key.isidentifier():
                    found.setdefault(key, value)
    return found


class Walker:
    MAX_DEPTH = 24
    TOTAL_BUDGET = 2_000_000

    def __init__(self, ext_suffixes, write):
        self.ext_suffixes = ext_suffixes
        self.write = write
        self.total = 0

    def root(self, kind, path, budget=None, others=False):
        self.write("root\t%s\t%s" % (kind, clean(path)))
        if kind.startswith("editable"):
            # The mapped path is the package (or module) itself.
            if os.path.isdir(path):
                self.write("D\t0\t%s\t%s\t%d" % ((kind.split("\t")[1],) + self.init_of(path)))
                self.budget = budget
                self.walk(path, 1, [os.path.realpath(path)], False)
            elif os.path.isfile(path):
                self.write("F\t0\t%s\tp" % kind.split("\t")[1])
            return
        if not os.path.isdir(path):
            return
        self.budget = budget
        self.walk(path, 0, [os.path.realpath(path)], others)

    def init_of(self, directory):
        join = os.path.join
        isfile = os.path.isfile
        if isfile(join(directory, "__init__.py")):
            return "py", extends_path(join(directory, "__init__.py"))
        if isfile(join(directory, "__init__.pyi")):
            return "py", 0
        if isfile(join(directory, "__init__.pyc")):
            return "pyc", 0
        for suffix in self.ext_suffixes:
            if isfile(join(directory, "__init__" + suffix)):
                return "ext", 0
        return "-", 0

    def walk(self, path, depth, real_stack, others):
        try:
            with os.scandir(path) as iterator:
                entries = sorted(iterator, key=lambda entry: entry.name)
        except OSError:
            return
        self.total += len(entries)
        if self.budget is not None:
            self.budget -= len(entries)
        files = {}
        write = self.write
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if not name.isidentifier():
                    continue
                init, extends = self.init_of(entry.path)
                write("D\t%d\t%s\t%s\t%d" % (depth, name, init, extends))
                if name == "__pycache__":
                    continue  # compiled files only: nothing importable
                self.descend(entry, depth + 1, real_stack)
                continue
            kind = None
            stem = None
            for suffix in self.ext_suffixes:
                if name.endswith(suffix):
                    stem, kind = name[: -len(suffix)], "e"
                    break
            else:
                if name.endswith(".py"):
                    stem, kind = name[:-3], "p"
                elif name.endswith(".pyc"):
                    stem, kind = name[:-4], "c"
                elif name.endswith(".pyi"):
                    stem, kind = name[:-4], "i"
            if kind is not None and stem.isidentifier():
                try:
                    regular = entry.is_file()
                except OSError:
                    regular = False
                if regular:
                    files[stem] = files.get(stem, "") + kind
            elif others and name.isidentifier():
                write("O\t%d\t%s" % (depth, name))
        for stem in sorted(files):
            write("F\t%d\t%s\t%s" % (depth, stem, files[stem]))

    def descend(self, entry, depth, real_stack):
        exhausted = self.total > self.TOTAL_BUDGET or (self.budget is not None and self.budget <= 0)
        if depth > self.MAX_DEPTH or exhausted:
            self.write("X\t%d" % depth)
            return
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if any(real == seen or real.startswith(seen + os.sep) for seen in real_stack):
                self.write("X\t%d" % depth)
                return
        else:
            real = os.path.join(real_stack[-1], entry.name)
        real_stack.append(real)
        self.walk(entry.path, depth, real_stack, False)
        real_stack.pop()


def extends_path(init_file):
    """astroid's test for a pkgutil- or pkg_resources-style namespace package."""
    try:
        with open(init_file, "rb") as stream:
            data = stream.read(4096)
    except OSError:
        return 0
    extend_path = b"pkgutil" in data and b"extend_path" in data
    declare = b"pkg_resources" in data and b"declare_namespace(__name__)" in data
    return int(extend_path or declare)


main()
