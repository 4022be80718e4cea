"""`lintseq.generate` with the command's semantics and formats: JSONL,
Parquet, Arrow IPC, and folders `datasets.save_to_disk` writes."""

from __future__ import annotations

import gzip
import logging
import shutil

import pytest

import lintseq
from conftest import EXAMPLES, normalised, read_jsonl, run_cli

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
datasets = pytest.importorskip("datasets")


def test_generate_writes_the_clis_bytes(tmp_path, mixed_corpus):
    cli = tmp_path / "cli.jsonl"
    api = tmp_path / "api.jsonl"
    run_cli("generate", mixed_corpus, "-o", cli, "-s", "2", "--seed", "3", "-j", "2")
    summary = lintseq.generate(mixed_corpus, api, paths=2, seed=3, threads=1)
    assert api.read_bytes() == cli.read_bytes()
    assert summary["rows_read"] == len(read_jsonl(mixed_corpus))
    assert summary["paths_written"] == len(read_jsonl(api))
    assert summary["rows_written"] + summary["rows_skipped"] == summary["rows_read"]
    assert summary["skipped"]["missing_field"] == 2
    assert summary["message"].startswith("read ")


def test_skipped_rows_are_logged(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="lintseq"):
        summary = lintseq.generate(EXAMPLES, tmp_path / "out.jsonl")
    messages = [r.getMessage() for r in caplog.records if r.name == "lintseq"]
    assert len(messages) == summary["rows_skipped"] > 0
    assert all(m.startswith("skipping row ") for m in messages)
    cli = run_cli("generate", EXAMPLES, "-o", tmp_path / "cli.jsonl")
    cli_skips = [l.removeprefix("lintseq: ") for l in cli.stderr.splitlines() if "skipping row" in l]
    assert messages == cli_skips


def test_subsample_and_gzip(tmp_path):
    gz = tmp_path / "in.jsonl.gz"
    with gzip.open(gz, "wb") as f:
        f.write(EXAMPLES.read_bytes())
    run_cli("generate", gz, "-o", tmp_path / "cli.jsonl", "-n", "10")
    summary = lintseq.generate(gz, tmp_path / "api.jsonl", subsample=10)
    assert summary["selected"] == 10
    assert (tmp_path / "api.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()


def parquet_rows(path):
    return pq.read_table(path).to_pylist()


def test_parquet_round_trip(tmp_path, mixed_corpus):
    out = tmp_path / "out.parquet"
    lintseq.generate(mixed_corpus, out, keep_skipped=True)
    table = pq.read_table(out)
    assert table.schema.field("edit_path").type == pa.list_(pa.string())
    assert table.schema.field("index").type == pa.int64()
    assert table.schema.field("source_response").type == pa.string()
    assert table.schema.field("skip_reason").type == pa.string()
    run_cli("generate", mixed_corpus, "-o", tmp_path / "cli.jsonl", "--keep-skipped")
    assert normalised(table.to_pylist()) == normalised(read_jsonl(tmp_path / "cli.jsonl"))
    # Parquet in, Parquet out: the command and the API agree.
    source = tmp_path / "again.parquet"
    pq.write_table(
        table.select(["source_instruction", "source_response"]).rename_columns(["instruction", "response"]),
        source,
    )
    lintseq.generate(source, tmp_path / "api2.parquet")
    run_cli("generate", source, "-o", tmp_path / "cli2.parquet")
    assert parquet_rows(tmp_path / "api2.parquet") == parquet_rows(tmp_path / "cli2.parquet")


def test_datasets_parquet_and_arrow(tmp_path, example_rows):
    dataset = datasets.Dataset.from_list(example_rows)
    dataset.to_parquet(str(tmp_path / "ds.parquet"))
    dataset.save_to_disk(str(tmp_path / "saved"))
    run_cli("generate", EXAMPLES, "-o", tmp_path / "cli.jsonl")
    expected = read_jsonl(tmp_path / "cli.jsonl")

    def same(rows, source):
        want = [dict(r, source_file=str(source)) for r in expected]
        assert normalised(rows) == normalised(want)

    lintseq.generate(tmp_path / "ds.parquet", tmp_path / "a.jsonl")
    same(read_jsonl(tmp_path / "a.jsonl"), tmp_path / "ds.parquet")
    # A save_to_disk folder is recognised by its state.json.
    lintseq.generate(tmp_path / "saved", tmp_path / "b.arrow")
    # An Arrow IPC stream, which datasets reads back as a dataset.
    back = datasets.Dataset.from_file(str(tmp_path / "b.arrow"))
    same(back.to_list(), tmp_path / "saved")
    with pytest.raises(ValueError, match="unknown format"):
        lintseq.generate(tmp_path / "saved", tmp_path / "c.out", output_format="xml")
    lintseq.generate(tmp_path / "saved", tmp_path / "c.out", output_format="parquet")
    same(parquet_rows(tmp_path / "c.out"), tmp_path / "saved")


def test_path_like_and_force(tmp_path):
    out = tmp_path / "sub" / "out.jsonl"
    lintseq.generate(EXAMPLES, out)
    first = out.read_bytes()
    lintseq.generate(str(EXAMPLES), str(out), force=True)
    assert out.read_bytes() == first
    shutil.rmtree(tmp_path / "sub")
