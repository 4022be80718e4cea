"""`datasets.Dataset.map` with `lintseq.batch_edit_paths`, in one process and
in two (`num_proc=2`, which forks worker processes)."""

from __future__ import annotations

import pytest

import lintseq
from conftest import normalised, read_jsonl, run_cli

datasets = pytest.importorskip("datasets")


def well_formed(path):
    """Rows whose two fields are present (a column batch has no 'missing')
    and strings or null (a datasets column has one type)."""

    def typed(value):
        return value is None or isinstance(value, str)

    return [
        r
        for r in read_jsonl(path)
        if "response" in r and "instruction" in r and typed(r["response"]) and typed(r["instruction"])
    ]


def cli_rows(tmp_path, rows, *flags):
    from conftest import write_jsonl

    source = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "cli.jsonl"
    run_cli("generate", source, "-o", out, "--keep-skipped", *flags)
    return source, read_jsonl(out)


def cli_like(mapped):
    """Mapped rows as the command writes them: a null skip_reason for rows
    with paths (the API's is "", see batch_edit_paths)."""
    return [dict(row, skip_reason=row["skip_reason"] or None) for row in mapped.to_list()]


@pytest.mark.parametrize("num_proc", [None, 2])
def test_map_equals_the_cli(tmp_path, mixed_corpus, num_proc):
    rows = well_formed(mixed_corpus)
    source, expected = cli_rows(tmp_path, rows)
    dataset = datasets.Dataset.from_list(
        [{"instruction": r["instruction"], "response": r["response"]} for r in rows]
    )
    mapped = dataset.map(
        lintseq.batch_edit_paths,
        batched=True,
        with_indices=True,
        batch_size=50,
        num_proc=num_proc,
        fn_kwargs={"threads": 1, "source_file": str(source)},
        remove_columns=dataset.column_names,
    )
    assert len(mapped) == len(rows)
    assert normalised(cli_like(mapped)) == normalised(expected)


def test_map_keeps_the_input_columns_with_one_path(mixed_corpus):
    rows = well_formed(mixed_corpus)[:40]
    dataset = datasets.Dataset.from_list(rows)
    mapped = dataset.map(lintseq.batch_edit_paths, batched=True, with_indices=True)
    assert {"instruction", "response", "edit_path", "index", "skip_reason"} <= set(mapped.column_names)
    assert mapped["index"] == list(range(len(rows)))


def test_several_paths_need_remove_columns(tmp_path, mixed_corpus):
    rows = well_formed(mixed_corpus)[:60]
    source, expected = cli_rows(tmp_path, rows, "-s", "3", "--seed", "9")
    dataset = datasets.Dataset.from_list(
        [{"instruction": r["instruction"], "response": r["response"]} for r in rows]
    )
    kwargs = {"paths": 3, "seed": 9, "source_file": str(source), "threads": 1}
    # More output rows than input rows: without remove_columns, datasets
    # cannot line the new columns up with the old ones.
    with pytest.raises(Exception):
        dataset.map(lintseq.batch_edit_paths, batched=True, with_indices=True, fn_kwargs=kwargs)
    mapped = dataset.map(
        lintseq.batch_edit_paths,
        batched=True,
        with_indices=True,
        num_proc=2,
        batch_size=16,
        fn_kwargs=kwargs,
        remove_columns=dataset.column_names,
    )
    assert len(mapped) > len(rows)
    assert normalised(cli_like(mapped)) == normalised(expected)
