"""Unit tests for the pure parts of the benchmark tooling (no pylint needed).

Run with: python3 -m unittest discover -s bench -p 'test_*.py'
"""

from __future__ import annotations

import ast
import difflib
import random
import unittest

from benchlib import extract_code
from corpus import header_for
from fidelity import DiffError, apply_hunks, lintseq_errors, lintseq_line, parse_diff, replay
from pylintrun import mutates_imports


def zero_context_diff(old: list[str], new: list[str]) -> str:
    """A diff in the format the edit paths use: difflib, n=0, file headers dropped."""
    lines = list(difflib.unified_diff(old, new, n=0, lineterm=""))
    return "\n".join(lines[2:])


class DiffTests(unittest.TestCase):
    def test_insertion_headers(self):
        hunks = parse_diff("@@ -0,0 +1,2 @@\n+a\n+b")
        self.assertEqual(apply_hunks([], hunks), ["a", "b"])
        hunks = parse_diff("@@ -1,0 +2 @@\n+x\n@@ -2,0 +4 @@\n+y")
        self.assertEqual(apply_hunks(["a", "b"], hunks), ["a", "x", "b", "y"])

    def test_matches_difflib_on_random_insertions(self):
        rng = random.Random(0)
        for _ in range(300):
            program = [f"line {i}" for i in range(rng.randrange(1, 30))]
            kept: list[int] = []
            state: list[str] = []
            while len(kept) < len(program):
                remaining = [i for i in range(len(program)) if i not in kept]
                kept = sorted(kept + rng.sample(remaining, rng.randrange(1, len(remaining) + 1)))
                new_state = [program[i] for i in kept]
                state = apply_hunks(state, parse_diff(zero_context_diff(state, new_state)))
                self.assertEqual(state, new_state)

    def test_replacement_hunks_apply(self):
        old, new = ["a", "b", "c"], ["a", "B", "c", "d"]
        self.assertEqual(apply_hunks(old, parse_diff(zero_context_diff(old, new))), new)

    def test_rejects_bad_diffs(self):
        for diff, state in [
            ("", []),
            ("+a", []),
            ("@@ -0,0 +1,2 @@\n+a", []),          # cut short
            ("@@ -5,0 +6 @@\n+a", ["x"]),         # past the end
            ("@@ -1 +1 @@\n-y\n+a", ["x"]),       # removed line does not match
            ("@@ -0,0 +2 @@\n+a", ["x"]),         # new position inconsistent
            ("@@ -1,0 +2 @@\n+a\n@@ -0,0 +1 @@\n+b", ["x"]),  # out of order
        ]:
            with self.assertRaises(DiffError, msg=diff):
                apply_hunks(state, parse_diff(diff))

    def test_replay(self):
        ok = replay(["@@ -0,0 +1 @@\n+def f():", "@@ -1,0 +2 @@\n+    pass"], "def f():\n    pass")
        self.assertIsNone(ok.failure)
        self.assertEqual(ok.states, ["def f():", "def f():\n    pass"])
        wrong = replay(["@@ -0,0 +1 @@\n+def f():"], "def f():\n    pass")
        self.assertEqual(wrong.failure, "final state differs from the source program")
        removal = replay(["@@ -0,0 +1 @@\n+a", "@@ -1 +1 @@\n-a\n+b"], "b")
        self.assertIsNone(removal.failure)
        self.assertEqual(removal.non_insertion_diffs, 1)


class LintSeqErrorTests(unittest.TestCase):
    def test_syntax_error_line_from_message(self):
        message = ("E", "E0001", 4, 0,
                   "Parsing failed: 'expected an indented block after function definition on line 3 (s_x, line 4)'")
        self.assertEqual(lintseq_line(message), 3)
        self.assertEqual(lintseq_line(("E", "E0001", 2, 0, "Parsing failed: 'invalid syntax (s_x, line 2)'")), 2)

    def test_warnings_filtered_and_keyed_by_line_text(self):
        text = "import os\ndef f():\n   return y"
        messages = [
            ("W", "W0611", 1, 0, "Unused import os"),
            ("W", "W0311", 3, 0, "Bad indentation."),
            ("E", "E0602", 3, 10, "Undefined variable 'y'"),
        ]
        self.assertEqual(set(lintseq_errors(text, messages)), {("W0311", "return y"), ("E0602", "return y")})


class ExtractionTests(unittest.TestCase):
    def test_plain_response_unchanged(self):
        self.assertEqual(extract_code("\ndef f():\n    pass\n"), "\ndef f():\n    pass\n")

    def test_fenced_blocks_joined_and_stripped(self):
        response = "Text\n```python\nx = 1\n```\nmore\n```python\ny = 2\n```\n"
        self.assertEqual(extract_code(response), "x = 1\n\n\ny = 2")


class CorpusTests(unittest.TestCase):
    def test_header_imports_only_used_names(self):
        module = ast.parse(
            "from __future__ import annotations\nimport os, sys\nfrom . import sibling\n"
            "from .util import helper as h\nLIMIT = 3\n"
            "def f(x: int) -> int:\n    return os.sep + h(LIMIT) + sibling\n"
        )
        definition = module.body[-1]
        self.assertEqual(
            header_for(definition, module, "pkg.mod", is_package=False),
            ["from __future__ import annotations", "import os", "from pkg import sibling",
             "from pkg.util import helper as h", "from pkg.mod import LIMIT"],
        )



class IsolationTests(unittest.TestCase):
    def test_programs_that_mutate_imported_modules_are_found(self):
        for text in [
            "import sys\nsys.stdout = None",
            "import sys as s\ndef f():\n    s.stdout.encoding = 'x'",
            "from a import b\nb.c[0] = 1",
            "import os\ndel os.environ['X']",
            "import os\nsetattr(os, 'sep', '/')",
            "import m\nm.total += 1",
        ]:
            self.assertTrue(mutates_imports(text), text)

    def test_other_programs_are_batched(self):
        for text in [
            "import sys\nout = sys.stdout",
            "self.x = 1",
            "import sys\nsys.stdout.write('x')",
            "def f(:",
        ]:
            self.assertFalse(mutates_imports(text), text)


if __name__ == "__main__":
    unittest.main()
