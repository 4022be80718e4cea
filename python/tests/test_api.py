"""The API's contract: the same output as the `lintseq` command, row for row."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import lintseq
from conftest import EXAMPLES, normalised, read_jsonl, run_cli


@pytest.mark.parametrize("paths,seed,options", [(1, None, {}), (3, 7, {}), (2, 0, {"indent_bias": 0.0, "children_per_round": 2, "top_k": 2, "population": 2})])
@pytest.mark.parametrize("corpus", ["examples", "mixed"])
def test_edit_paths_equal_the_cli(tmp_path, mixed_corpus, corpus, paths, seed, options):
    source = EXAMPLES if corpus == "examples" else mixed_corpus
    out = tmp_path / "out.jsonl"
    flags = ["-s", paths] + (["--seed", seed] if seed is not None else [])
    for name, value in options.items():
        flags += [f"--{name.replace('_', '-')}", value]
    run_cli("generate", source, "-o", out, "--keep-skipped", *flags)
    rows = read_jsonl(out)
    assert rows, "the command wrote nothing"
    kwargs = dict(paths=paths, **options)
    if seed is not None:
        kwargs["seed"] = seed
    by_index: dict = {}
    for row in rows:
        by_index.setdefault(row["index"], []).append(row)
    checked = 0
    for index, group in by_index.items():
        program = group[0]["source_response"]
        if group[0]["edit_path"] is None:
            if isinstance(program, str) and group[0]["skip_reason"].split(":")[0] in ("empty_program", "comments_only", "no_code_block"):
                with pytest.raises(ValueError, match=group[0]["skip_reason"].split(":")[0]):
                    lintseq.edit_paths(program, row=index, **kwargs)
            continue
        got = lintseq.edit_paths(program, row=index, **kwargs)
        assert got == [r["edit_path"] for r in group], f"row {index}"
        checked += 1
    assert checked >= (20 if corpus == "examples" else 250)


def test_default_seed_is_the_clis(tmp_path):
    out = tmp_path / "out.jsonl"
    run_cli("generate", EXAMPLES, "-o", out)
    rows = read_jsonl(out)
    assert lintseq.DEFAULT_SEED == 1
    for row in rows:
        assert lintseq.edit_paths(row["source_response"], row=row["index"]) == [row["edit_path"]]
    other_seed = [lintseq.edit_paths(r["source_response"], row=r["index"], seed=2) for r in rows]
    assert other_seed != [[r["edit_path"]] for r in rows]


def batches(rows, size):
    """Column batches of `size` rows, as `datasets.map(batched=True)` hands them over."""
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        batch = {
            "instruction": [row.get("instruction") for row in chunk],
            "response": [row.get("response") for row in chunk],
        }
        yield batch, list(range(start, start + len(chunk)))


@pytest.mark.parametrize("size,threads", [(1, 1), (7, 2), (1000, 0)])
@pytest.mark.parametrize("paths", [1, 3])
def test_batches_equal_the_cli_keeping_skipped_rows(tmp_path, mixed_corpus, size, threads, paths):
    out = tmp_path / "out.jsonl"
    run_cli("generate", mixed_corpus, "-o", out, "--keep-skipped", "-s", paths)
    expected = read_jsonl(out)
    rows = read_jsonl(mixed_corpus)
    got = []
    for batch, indices in batches(rows, size):
        columns = lintseq.batch_edit_paths(
            batch, indices, paths=paths, threads=threads, source_file=str(mixed_corpus)
        )
        names = list(columns)
        assert names == ["edit_path", "index", "source_file", "source_response", "source_instruction", "skip_reason"]
        got += [dict(zip(names, values)) for values in zip(*columns.values())]
    # Rows with paths have an empty skip_reason where the command writes null.
    assert all((row["skip_reason"] == "") == (row["edit_path"] is not None) for row in got)
    got = [dict(row, skip_reason=row["skip_reason"] or None) for row in got]
    # A field missing from a JSON row is a null in a column batch.
    missing = {i for i, row in enumerate(rows) if "response" not in row or "instruction" not in row}
    assert missing
    expected = [row for row in expected if row["index"] not in missing]
    got = [row for row in got if row["index"] not in missing]
    assert normalised(got) == normalised(expected)
    # No row is lost: every input row has at least one output row.
    assert {row["index"] for row in got} == set(range(len(rows))) - missing


def test_no_prompt_field(tmp_path):
    out = tmp_path / "out.jsonl"
    run_cli("generate", EXAMPLES, "-o", out, "--prompt-field", "None")
    expected = read_jsonl(out)
    rows = read_jsonl(EXAMPLES)
    for prompt_field in (None, "None"):
        columns = lintseq.batch_edit_paths(
            {"response": [r["response"] for r in rows]},
            list(range(len(rows))),
            prompt_field=prompt_field,
            source_file=str(EXAMPLES),
        )
        assert "source_instruction" not in columns
        got = [dict(zip(columns, values)) for values in zip(*columns.values())]
        got = [{k: v for k, v in row.items() if k != "skip_reason"} for row in got if row["edit_path"] is not None]
        assert normalised(got) == normalised(expected)


def test_options_through_partial_and_fn_kwargs():
    rows = read_jsonl(EXAMPLES)[:5]
    batch = {"instruction": [r["instruction"] for r in rows], "response": [r["response"] for r in rows]}
    partial = functools.partial(lintseq.batch_edit_paths, seed=5, indent_bias=0.0)
    direct = lintseq.batch_edit_paths(batch, list(range(5)), seed=5, indent_bias=0.0)
    assert partial(batch, list(range(5))) == direct
    assert direct != lintseq.batch_edit_paths(batch, list(range(5)))


def test_round_trip_through_resolve(example_rows):
    for index, row in enumerate(example_rows):
        try:
            (path,) = lintseq.edit_paths(row["response"], row=index)
        except ValueError:
            continue
        resolved = lintseq.resolve(path)
        assert resolved.issues == []
        assert resolved.program == lintseq.resolve("<|diff|>".join(path)).program
        if "```" not in row["response"]:
            assert resolved.program == row["response"].replace("\r\n", "\n").strip()


def test_resolve_reports_issues_as_the_cli(tmp_path):
    output = "<|diff|>@@ -0,0 +1 @@\n+x = 1\n<|diff|>prose\n@@ -5,0 +6 @@\n+print(x)"
    resolved = lintseq.resolve(output)
    path = tmp_path / "output.txt"
    path.write_text(output)
    done = run_cli("resolve", path)
    assert done.stdout == resolved.program + "\n"
    cli_issues = [line.removeprefix("lintseq: input: ") for line in done.stderr.splitlines()]
    assert resolved.issues == cli_issues
    assert resolved.issues, "the malformed output should have issues"
    assert resolved.program == "x = 1\nprint(x)"
    assert "Resolved(program=" in repr(resolved)


def test_lint_matches_the_cli(tmp_path):
    source = "def f(a):\n    return a + b\n\nprint(y)\nreturn 3\n"
    path = tmp_path / "s.py"
    path.write_text(source)
    done = run_cli("lint", "--json", path, check=False)
    assert done.returncode == 1
    expected = [json.loads(line) for line in done.stdout.splitlines()]
    got = lintseq.lint(source)
    assert [(d.line, d.code, d.symbol, d.message) for d in got] == [
        (e["line"], e["code"], e["symbol"], e["message"]) for e in expected
    ]
    assert got[0].code == "E0602" and got[0].symbol == "undefined-variable"
    assert got[0] == lintseq.lint(source)[0]
    assert got[0] != got[1]
    y = next(d for d in got if d.line == 4)
    assert repr(y) == "Diagnostic(line=4, code='E0602', symbol='undefined-variable', message=\"Undefined variable 'y'\")"
    with pytest.raises(AttributeError):
        got[0].line = 5  # frozen
    assert lintseq.lint("x = 1\n") == []
    # Checked as a partial program of an original.
    assert lintseq.lint("print(x)\n", original="x = 1\nprint(x)\n") != []


def test_markdown_is_extracted_as_generate_does():
    markdown = "Here:\n\n```python\ndef f():\n    return 1\n```\n"
    assert lintseq.edit_paths(markdown) == lintseq.edit_paths("def f():\n    return 1")


def test_version_is_cargos(repo: Path):
    text = (repo / "Cargo.toml").read_text()
    version = text.split("[workspace.package]")[1].split('version = "')[1].split('"')[0]
    assert lintseq.__version__ == version


def test_docstring_examples_run():
    import doctest

    import lintseq.ray

    for module in (lintseq, lintseq.ray):
        assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
    assert lintseq.edit_paths.__doc__ and lintseq.batch_edit_paths.__doc__ and lintseq.generate.__doc__
