"""Ray Data: a local 2-CPU runtime over 10,000+ rows gives the command's
output, row for row, whatever the blocks and workers."""

from __future__ import annotations

import pytest

import lintseq
from conftest import normalised, read_jsonl, run_cli, write_jsonl

ray = pytest.importorskip("ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
import lintseq.ray as lray  # noqa: E402

ROWS = 10_240


@pytest.fixture(scope="module")
def runtime():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory, mixed_corpus):
    """10,240 rows: the mixed corpus (stdlib definitions, the examples with
    their bad rows) repeated, minus rows Ray's JSON reader cannot type."""
    rows = [r for r in read_jsonl(mixed_corpus) if isinstance(r.get("response"), str) and isinstance(r.get("instruction"), str)]
    many = [dict(rows[i % len(rows)], instruction=f"{rows[i % len(rows)]['instruction']} ({i})") for i in range(ROWS)]
    return write_jsonl(tmp_path_factory.mktemp("big") / "big.jsonl", many)


def read_output(directory):
    """The Parquet files Ray wrote, rows in index order (paths of one row
    stay in path order: a stable sort)."""
    rows = pq.ParquetDataset(str(directory)).read().to_pylist()
    return sorted(rows, key=lambda row: row["index"])


def test_generate_on_ray_equals_the_cli(runtime, tmp_path, big_corpus):
    cli = tmp_path / "cli.parquet"
    run_cli("generate", big_corpus, "-o", cli, "-s", "2", "--seed", "4", "-j", "2")
    expected = pq.read_table(cli).to_pylist()
    assert len(expected) > ROWS

    out = tmp_path / "ray-out"
    # Small chunks: many units, each starting at a known index.
    units = lray.generate(str(big_corpus), str(out), paths=2, seed=4, batch_size=500, chunk_bytes=1 << 20)
    assert units > 2
    got = read_output(out)
    assert normalised(got) == normalised(expected)
    schema = pq.ParquetDataset(str(out)).schema
    assert schema.field("edit_path").type == pa.list_(pa.string())
    assert schema.field("index").type == pa.int64()

    # Parquet in, another batch size and worker count: the same rows.
    source = tmp_path / "big.parquet"
    pq.write_table(pa.Table.from_pylist(read_jsonl(big_corpus)), source, row_group_size=777)
    out2 = tmp_path / "ray-out-2"
    units = lray.generate(str(source), str(out2), paths=2, seed=4, batch_size=97, unit_rows=3000, concurrency=1, source_file=str(big_corpus))
    assert units == -(-ROWS // 777)  # row groups of 777 rows, each one unit
    assert normalised(read_output(out2)) == normalised(expected)
    # A directory of Parquet files is read in path order, as the command reads it.
    shards = tmp_path / "shards"
    shards.mkdir()
    table = pq.read_table(source)
    pq.write_table(table.slice(0, 4000), shards / "part-0.parquet")
    pq.write_table(table.slice(4000), shards / "part-1.parquet")
    out3 = tmp_path / "ray-out-3"
    lray.generate(str(shards), str(out3), paths=2, seed=4, source_file=str(big_corpus))
    assert normalised(read_output(out3)) == normalised(expected)


def test_jsonl_chunks_count_rows_as_the_cli(runtime, tmp_path):
    lines = ['\ufeff{"response": "x = 1", "instruction": "a"}', "", "  \r", '{"response": "y = 2", "instruction": "b"}', "not json", '{"instruction": "c"}'] * 40
    source = tmp_path / "messy.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = tmp_path / "cli.parquet"
    run_cli("generate", source, "-o", cli)
    out = tmp_path / "out"
    units = lray.generate(str(source), str(out), chunk_bytes=97)
    assert units > 10
    assert normalised(read_output(out)) == normalised(pq.read_table(cli).to_pylist())


def test_map_batches_formats_and_skipped_rows(runtime, example_rows):
    rows = [dict(r, row_index=i) for i, r in enumerate(example_rows)]
    expected = lintseq.batch_edit_paths(
        {"instruction": [r["instruction"] for r in rows], "response": [r["response"] for r in rows]},
        list(range(len(rows))),
    )
    expected = [dict(zip(expected, values)) for values in zip(*expected.values())]
    expected = [dict(r, skip_reason=r["skip_reason"] or None) for r in expected]
    for batch_format in ("numpy", "pyarrow", "pandas"):
        ds = ray.data.from_items(rows)
        out = ds.map_batches(
            lray.EditPaths(keep_skipped=True), batch_format=batch_format, batch_size=5
        ).take_all()
        got = sorted(out, key=lambda r: r["index"])
        got = [dict(r, edit_path=None if r["edit_path"] is None else list(r["edit_path"])) for r in got]
        assert normalised(got) == normalised(expected), batch_format


def test_errors_name_the_missing_column(runtime, example_rows):
    ds = ray.data.from_items(example_rows)
    with pytest.raises(Exception, match="row_index"):
        ds.map_batches(lray.EditPaths()).take_all()
    with pytest.raises(TypeError, match="unexpected keyword"):
        lray.EditPaths(temperature=2)
