"""`imports="reference"`: imports resolve as in one Python environment, as
pylintseq sees them; the default treats every import as resolving."""

from __future__ import annotations

import sys

import pytest

import lintseq

MISSING = "not_installed_lintseq_pytest"
PROGRAM = f"import os\nimport {MISSING}\n\ny = os.sep\nz = {MISSING}.f(y)\nw = 1\n"


def test_lint_reports_unresolved_imports_only_in_reference_mode():
    assert lintseq.lint(PROGRAM) == []
    found = lintseq.lint(PROGRAM, imports="reference", python=sys.executable)
    assert [(d.line, d.code, d.symbol) for d in found] == [(2, "E0401", "import-error")]
    assert MISSING in found[0].message


def test_reference_mode_inserts_an_unresolved_import_with_its_uses():
    paths = lintseq.edit_paths(PROGRAM, paths=3, seed=4, imports="reference", python=sys.executable)
    for path in paths:
        # The import is an error of the original, deleted with the first
        # sampled line, so the last insertion brings it back together with
        # the line that uses it.
        (last,) = [diff for diff in path if f"+import {MISSING}" in diff]
        assert f"+z = {MISSING}.f(y)" in last, path


def test_the_default_mode_keeps_the_import_an_edit_of_its_own():
    for path in lintseq.edit_paths(PROGRAM, paths=3, seed=4):
        assert any(f"+import {MISSING}" in diff for diff in path)
    reference = lintseq.edit_paths(PROGRAM, paths=3, seed=4, imports="reference", python=sys.executable)
    default = lintseq.edit_paths(PROGRAM, paths=3, seed=4)
    assert sum(map(len, reference)) <= sum(map(len, default))


def test_import_options_are_sampler_keywords():
    assert "imports" in lintseq._lintseq.SAMPLER_KEYWORDS
    assert "python" in lintseq._lintseq.SAMPLER_KEYWORDS


@pytest.mark.parametrize(
    "options,error,message",
    [
        ({"imports": "Reference"}, ValueError, 'unknown import mode "Reference"'),
        ({"imports": 1}, TypeError, "imports must be"),
        (
            {"imports": "reference", "python": "/no/such/python-for-lintseq"},
            OSError,
            "/no/such/python-for-lintseq",
        ),
    ],
)
def test_bad_import_options_name_the_problem(options, error, message):
    with pytest.raises(error, match=message):
        lintseq.edit_paths(PROGRAM, **options)
