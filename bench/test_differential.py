"""Unit tests for differential.py's pure parts: cutting, comparing, shrinking.

Run with: python3 -m unittest discover -s bench -p 'test_*.py'
"""

from __future__ import annotations

import random
import unittest

from differential import Comparison, Ours, Program, compare, cut, extra_deleted_lines, partial_text, shrink

PROGRAM = "\n".join([
    "import os",                 # 0
    "",                          # 1
    "LIMITS = (",                # 2
    "    1,",                    # 3
    ")",                         # 4
    "def f(x):",                 # 5
    "    # a comment",           # 6
    "    if x:",                 # 7
    "        return os.sep",     # 8
    "    return (",              # 9
    "        x + 1",             # 10
    "    )",                     # 11
])


class ProgramTests(unittest.TestCase):
    def test_indents_follow_the_sampler(self):
        program = Program(PROGRAM)
        # ")" has one character, so it keeps the previous line's indent; so do blank lines.
        self.assertEqual(program.indents, [0, 0, 0, 4, 4, 0, 4, 4, 8, 4, 8, 8])
        self.assertEqual(program.tab_width, 4)

    def test_children_are_the_deeper_run(self):
        program = Program(PROGRAM)
        self.assertEqual(list(program.children(5)), list(range(6, 12)))
        self.assertEqual(list(program.children(7)), [8])
        self.assertEqual(list(program.children(9)), [10, 11])
        self.assertEqual(list(program.children(8)), [])

    def test_candidates_skip_comments_blanks_and_constant_continuations(self):
        program = Program(PROGRAM)
        self.assertEqual(program.candidates(), [0, 2, 5, 7, 8, 9, 10, 11])

    def test_the_core_crates_cases(self):
        # The cases of crates/lintseq_core/src/program.rs's tests, which this mirrors.
        self.assertEqual(Program("def f():\n    x = (\n        1,\n    )\n\n    return x").indents, [0, 4, 8, 8, 8, 4])
        program = Program("if a:\n    bb\n    if c:\n        dd\nee\n    ff")
        self.assertEqual([list(program.children(i)) for i in range(6)], [[1, 2, 3], [], [3], [], [5], []])
        self.assertEqual(Program("# c\nx = 1\n\n    # d\ny = 2").candidates(), [1, 4])
        program = Program("NAMES = [\n    'a',\n    'b',\n]\nlower = [\n    1,\n]\nX = 1")
        self.assertEqual(program.candidates(), [0, 4, 5, 6, 7])
        self.assertEqual(Program("def f():\n  if x:\n    yy").weight(2), 2.0)

    def test_weights_grow_with_depth(self):
        program = Program(PROGRAM)
        self.assertEqual([program.weight(i) for i in (0, 7, 8)], [1.0, 1.0, 2.0])


class CutTests(unittest.TestCase):
    def test_cuts_are_closed_under_children_and_leave_code(self):
        program = Program(PROGRAM)
        rng = random.Random(0)
        seen = set()
        for _ in range(200):
            deleted = cut(program, rng)
            if deleted is None:
                continue
            for line in deleted:
                for child in program.children(line):
                    self.assertIn(child, deleted)
            text = partial_text(program, deleted)
            self.assertTrue(text.strip())
            self.assertNotEqual(text, PROGRAM)
            seen.add(text)
        self.assertGreater(len(seen), 10)

    def test_cuts_are_deterministic(self):
        program = Program(PROGRAM)
        first = [cut(program, random.Random(7)) for _ in range(3)]
        second = [cut(program, random.Random(7)) for _ in range(3)]
        self.assertEqual(first, second)


def message(msg_id: str, line: int, category: str = "E") -> tuple:
    return (category, msg_id, line, 0, "text")


class CompareTests(unittest.TestCase):
    ORIGINAL_ERRORS = {("E0401", "import nowhere"): (1, "x"), ("E0602", "return y"): (3, "x")}

    def test_init_errors_are_not_false_negatives(self):
        text = "import nowhere\ndef f():\n    return y"
        comparison = compare(text, [message("E0401", 1), message("E0602", 3)], self.ORIGINAL_ERRORS, Ours([]))
        self.assertFalse(comparison.false_negative)
        self.assertEqual(comparison.new, {})
        # pylint still objects (to init errors), so our silence is no false positive either.
        self.assertFalse(comparison.false_positive)

    def test_a_new_error_we_miss_is_a_false_negative(self):
        text = "def f():\n    return z"
        comparison = compare(text, [message("E0602", 2)], self.ORIGINAL_ERRORS, Ours([]))
        self.assertTrue(comparison.false_negative)
        comparison = compare(text, [message("E0602", 2)], self.ORIGINAL_ERRORS, Ours([(2, "E0602", "m")]))
        self.assertFalse(comparison.false_negative)
        self.assertEqual(comparison.blame(), "same")

    def test_new_import_errors_are_kept_apart(self):
        text = "from . import x"
        comparison = compare(text, [message("E0402", 1)], {}, Ours([]))
        self.assertFalse(comparison.false_negative)
        self.assertEqual(list(comparison.new_imports), [("E0402", "from . import x")])

    def test_ignored_warnings_do_not_count(self):
        text = "x = 1"
        comparison = compare(text, [message("W0612", 1, "W")], {}, Ours([(1, "E0602", "m")]))
        self.assertFalse(comparison.false_negative)
        self.assertTrue(comparison.false_positive)
        comparison = compare(text, [message("W0311", 1, "W")], {}, Ours([]))
        self.assertTrue(comparison.false_negative)

    def test_syntax_errors_use_the_line_they_name(self):
        text = "a\nb\nc"
        messages = [("E", "E0001", 3, 0, "Parsing failed: 'unexpected EOF (s, line 3)' on line 2 (s, line 3)")]
        comparison = compare(text, messages, {}, Ours([(2, "E0001", "m")]))
        self.assertEqual(comparison.blame(), "same")
        comparison = compare(text, messages, {}, Ours([(1, "E0001", "m"), (2, "E0602", "m")]))
        self.assertEqual(comparison.blame(), "ours superset")

    def test_blame_categories(self):
        def blame(ours: list[int], theirs: list[int]) -> str | None:
            comparison = Comparison({}, {}, {}, set(theirs), Ours([(line, "E", "m") for line in ours]), 10)
            return comparison.blame()
        self.assertEqual(blame([1], [2]), "disjoint")
        self.assertEqual(blame([1], [1, 2]), "ours subset")
        self.assertEqual(blame([1, 3], [1, 2]), "overlapping")
        self.assertIsNone(blame([], [1]))
        # Lines past the end are clamped to the last line, as the sampler does.
        self.assertEqual(blame([99], [10]), "same")

    def test_extra_deleted_lines_count_children(self):
        text = "def f():\n    a = 1\n    return a\nb = 2"
        self.assertEqual(extra_deleted_lines(text, Ours([(1, "E", "m")])), 3)
        self.assertEqual(extra_deleted_lines(text, Ours([(4, "E", "m"), (4, "F", "m")])), 1)


class ShrinkTests(unittest.TestCase):
    def test_shrinks_to_the_lines_the_property_needs(self):
        lines = [f"line {i}" for i in range(40)]
        calls = []

        def holds(candidates):
            calls.append(len(candidates))
            return ["line 7" in c and "line 31" in c for c in candidates]

        self.assertEqual(shrink(lines, holds), ["line 7", "line 31"])
        self.assertLess(sum(calls), 200)

    def test_keeps_the_program_when_nothing_can_go(self):
        lines = ["a", "b"]
        self.assertEqual(shrink(lines, lambda candidates: [False] * len(candidates)), lines)

    def test_never_offers_an_empty_program(self):
        def holds(candidates):
            for candidate in candidates:
                self.assertTrue(any(line.strip() for line in candidate))
            return [True] * len(candidates)

        self.assertEqual(len(shrink(["x", "", "y"], holds)), 1)


if __name__ == "__main__":
    unittest.main()
