"""LintSeq on Ray Data: the same rows, seed and options give the same bytes
as ``lintseq generate``, on one machine or a cluster.

A row's edit paths depend on its *index*, its position in the input, so
:class:`EditPaths` reads the index from a column of the dataset, never from
the block a row happens to be in. :func:`generate` does the whole job: it
plans units of the input whose first index it knows, maps them in Ray tasks
and writes Parquet.

>>> import ray, lintseq.ray
>>> lintseq.ray.generate("instruct.parquet", "edits/", seed=1)  # doctest: +SKIP

The same call runs on a cluster when the driver is connected to it
(``ray.init(address="auto")``, or ``RAY_ADDRESS``); see the README.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional

import pyarrow as pa

from . import DEFAULT_SEED, batch_edit_paths

__all__ = ["EditPaths", "INDEX_COLUMN", "generate", "output_schema"]

#: The column :class:`EditPaths` reads row indices from.
INDEX_COLUMN = "row_index"


def output_schema(
    code_field: str = "response",
    prompt_field: Optional[str] = "instruction",
    keep_skipped: bool = False,
) -> pa.Schema:
    """The Arrow schema of the output: the one ``lintseq generate`` writes
    to Parquet (``edit_path: list<string>``, ``index: int64``, strings)."""
    fields = [
        pa.field("edit_path", pa.list_(pa.string()), nullable=keep_skipped),
        pa.field("index", pa.int64(), nullable=False),
        pa.field("source_file", pa.string()),
        pa.field(f"source_{code_field}", pa.string()),
    ]
    if prompt_field is not None and prompt_field != "None":
        fields.append(pa.field(f"source_{prompt_field}", pa.string()))
    if keep_skipped:
        fields.append(pa.field("skip_reason", pa.string()))
    return pa.schema(fields)


def _column(batch: Any, name: str) -> List[Any]:
    """One column of a Ray batch (a dict of numpy arrays or lists, a pyarrow
    table, or a pandas data frame) as a list of Python values."""
    if isinstance(batch, pa.Table):
        if name not in batch.column_names:
            raise KeyError(name)
        return batch.column(name).to_pylist()
    values = batch[name]
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values)


def _columns(batch: Any) -> List[str]:
    if isinstance(batch, pa.Table):
        return list(batch.column_names)
    return list(batch.keys())


class EditPaths:
    """A callable class for ``ray.data.Dataset.map_batches``.

    ``ds.map_batches(EditPaths(...))`` (tasks) or ``ds.map_batches(EditPaths,
    fn_constructor_kwargs={...}, concurrency=N)`` (an actor pool; leave CPUs
    for the stages before it) turns each batch into
    lintseq's output rows: the columns of ``lintseq generate``
    (``edit_path``, ``index``, ``source_file``, ``source_<code_field>``,
    ``source_<prompt_field>``), one row per edit path, as a pyarrow table
    with :func:`output_schema`. Batches may come as dicts of numpy arrays
    (Ray's default), pyarrow tables or pandas data frames.

    Each row's index comes from ``index_column`` (number the rows when you
    write the data, or let :func:`generate` do it), so the output never depends on how Ray splits the data into blocks, on
    the batch size, or on the number of workers and nodes.

    Skipped rows are dropped, as ``lintseq generate`` drops them; with
    ``keep_skipped=True`` they are kept with a null ``edit_path`` and a
    ``skip_reason`` column is added. ``threads`` is per worker: Ray already
    runs one worker per CPU, so the default is 1. Other keywords are
    :func:`lintseq.batch_edit_paths`'s (``paths``, ``seed``, sampler
    options).
    """

    def __init__(
        self,
        *,
        code_field: str = "response",
        prompt_field: Optional[str] = "instruction",
        index_column: str = INDEX_COLUMN,
        source_file: Optional[str] = None,
        keep_skipped: bool = False,
        paths: int = 1,
        seed: int = DEFAULT_SEED,
        threads: int = 1,
        **options: Any,
    ) -> None:
        if prompt_field == "None":
            prompt_field = None
        self.code_field = code_field
        self.prompt_field = prompt_field
        self.index_column = index_column
        self.source_file = source_file
        self.keep_skipped = keep_skipped
        self.schema = output_schema(code_field, prompt_field, keep_skipped)
        self.kwargs: Dict[str, Any] = dict(
            code_field=code_field,
            prompt_field=prompt_field,
            paths=paths,
            seed=seed,
            source_file=source_file,
            threads=threads,
            **options,
        )
        # Fail on a bad option now, on the driver, not in every worker.
        batch_edit_paths({code_field: [], **({prompt_field: []} if prompt_field else {})}, [], **self.kwargs)

    def __call__(self, batch: Any) -> pa.Table:
        try:
            indices = _column(batch, self.index_column)
        except KeyError:
            raise KeyError(
                f"the batch has no column {self.index_column!r} (index_column) to take "
                f"row indices from; its columns are {_columns(batch)}. Add a column of "
                "row positions, or use lintseq.ray.generate, which numbers the rows."
            ) from None
        wanted = [self.code_field] + ([self.prompt_field] if self.prompt_field else [])
        columns = {}
        for name in wanted:
            try:
                columns[name] = _column(batch, name)
            except KeyError:
                raise KeyError(
                    f"the batch has no column {name!r}; its columns are {_columns(batch)}"
                ) from None
        out = batch_edit_paths(columns, indices, **self.kwargs)
        if self.keep_skipped:
            # Typed columns can be null: write it as the command does.
            out["skip_reason"] = [reason or None for reason in out["skip_reason"]]
        else:
            keep = [not reason for reason in out["skip_reason"]]
            out = {
                name: [value for value, kept in zip(values, keep) if kept]
                for name, values in out.items()
                if name != "skip_reason"
            }
        return pa.Table.from_pydict(
            {field.name: out[field.name] for field in self.schema}, schema=self.schema
        )


#: The most input bytes in one JSONL work unit (gzipped files are one unit each).
CHUNK_BYTES = 32 << 20
#: Rows per Parquet work unit (a row group is sliced into units this big).
UNIT_ROWS = 5_000
_JSONL = (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".json.gz")
_PARQUET = (".parquet", ".pq")
# The bytes lintseq's JSONL reader counts as blank (Rust's ASCII whitespace).
_BLANK = b" \t\n\r\x0c"


def _input_format(uri: str, explicit: Optional[str]) -> str:
    if explicit:
        fmt = explicit.lower()
        if fmt not in ("jsonl", "parquet"):
            raise ValueError(f"input_format must be 'parquet' or 'jsonl', not {explicit!r}")
        return fmt
    name = uri.rstrip("/").lower()
    if name.endswith(_JSONL):
        return "jsonl"
    if name.endswith(_PARQUET):
        return "parquet"
    return "directory"


def _files(uri: str, fmt: str):
    """The input's file system and its files, in the order lintseq reads
    them: a file, or a directory's data files sorted by path."""
    from pyarrow import fs as pafs

    filesystem, path = pafs.FileSystem.from_uri(uri) if "://" in uri else (pafs.LocalFileSystem(), os.path.abspath(uri))
    info = filesystem.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        raise FileNotFoundError(f"cannot open {uri}: no such file or directory")
    if info.type != pafs.FileType.Directory:
        return filesystem, [path], fmt if fmt != "directory" else "parquet"
    found = filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
    names = sorted(f.path for f in found if f.type == pafs.FileType.File)
    if fmt in ("parquet", "directory") and any(n.lower().endswith(_PARQUET) for n in names):
        return filesystem, [n for n in names if n.lower().endswith(_PARQUET)], "parquet"
    if fmt in ("jsonl", "directory") and any(n.lower().endswith(_JSONL) for n in names):
        return filesystem, [n for n in names if n.lower().endswith(_JSONL)], "jsonl"
    raise ValueError(f"{uri} holds no {'Parquet or JSONL' if fmt == 'directory' else fmt} files")


def _jsonl_chunks(filesystem, files: List[str], chunk_bytes: int) -> List[Dict[str, Any]]:
    chunks = []
    for path in files:
        size = filesystem.get_file_info(path).size
        if path.lower().endswith(".gz"):
            chunks.append({"path": path, "start": 0, "end": -1})
            continue
        for start in range(0, max(size, 1), chunk_bytes):
            chunks.append({"path": path, "start": start, "end": min(start + chunk_bytes, size)})
    return chunks


def _jsonl_lines(filesystem, unit: Dict[str, Any]) -> List[bytes]:
    """The lines of one chunk: those that start inside [start, end)."""
    path, start, end = unit["path"], unit["start"], unit["end"]
    if end < 0:
        # pyarrow's input streams decompress .gz files themselves.
        with filesystem.open_input_stream(path) as f:
            data = f.read()
    else:
        with filesystem.open_input_file(path) as f:
            f.seek(max(start - 1, 0))
            data = f.read(end - max(start - 1, 0))
            # The last line starting before `end` may run past it: read on
            # to its newline, and no further.
            while data and not data.endswith(b"\n"):
                more = f.read(1 << 16)
                if not more:
                    break
                newline = more.find(b"\n")
                data += more if newline < 0 else more[: newline + 1]
        if start > 0:
            # The line that starts exactly at `start` follows a newline at
            # start - 1; any other partial line belongs to the chunk before.
            cut = data.find(b"\n")
            data = data[cut + 1 :] if cut >= 0 else b""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if start == 0 and lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return [line for line in lines if line.strip(_BLANK)]


def _count_chunk(batch: Dict[str, Any], filesystem) -> Dict[str, Any]:
    rows = []
    for path, start, end in zip(batch["path"], batch["start"], batch["end"]):
        rows.append(len(_jsonl_lines(filesystem, {"path": path, "start": int(start), "end": int(end)})))
    return dict(batch, rows=rows)


def _plan(uri: str, fmt: str, unit_rows: int, chunk_bytes: int):
    """Work units, each with the index of its first row: Parquet row-group
    slices (counts from the files' metadata) or JSONL chunks (rows counted by
    a first pass of Ray tasks)."""
    import ray
    import pyarrow.parquet as pq

    filesystem, files, fmt = _files(uri, fmt)
    units: List[Dict[str, Any]] = []
    if fmt == "parquet":
        for path in files:
            with filesystem.open_input_file(path) as f:
                metadata = pq.ParquetFile(f).metadata
            for group in range(metadata.num_row_groups):
                rows = metadata.row_group(group).num_rows
                for first in range(0, rows, unit_rows):
                    units.append({"path": path, "group": group, "start": first, "rows": min(unit_rows, rows - first)})
    else:
        if chunk_bytes <= 0:
            # About four units per CPU, so that every CPU has work, and at
            # most CHUNK_BYTES a unit.
            total = sum(filesystem.get_file_info(path).size for path in files)
            cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
            chunk_bytes = min(CHUNK_BYTES, max(1 << 16, total // (4 * cpus) + 1))
        chunks = _jsonl_chunks(filesystem, files, chunk_bytes)
        counted = (
            ray.data.from_items(chunks, override_num_blocks=max(1, len(chunks)))
            .map_batches(_count_chunk, fn_kwargs={"filesystem": filesystem}, batch_size=1)
            .take_all()
        )
        order = {(c["path"], c["start"]): i for i, c in enumerate(chunks)}
        counted.sort(key=lambda c: order[(c["path"], int(c["start"]))])
        units = [dict(c, rows=int(c["rows"]), start=int(c["start"]), end=int(c["end"])) for c in counted]
    offset = 0
    for unit in units:
        unit["offset"] = offset
        offset += unit["rows"]
    return filesystem, fmt, units


def _run_units(batch: Dict[str, Any], filesystem, fmt: str, mapper: "EditPaths", batch_size: int) -> pa.Table:
    import pyarrow.parquet as pq

    tables = []
    for i in range(len(batch["path"])):
        unit = {name: batch[name][i] for name in batch}
        if fmt == "parquet":
            with filesystem.open_input_file(unit["path"]) as f:
                columns = [mapper.code_field] + ([mapper.prompt_field] if mapper.prompt_field else [])
                group = pq.ParquetFile(f).read_row_group(int(unit["group"]), columns=columns)
            table = group.slice(int(unit["start"]), int(unit["rows"]))
            rows = {name: table.column(name).to_pylist() for name in columns}
        else:
            rows = {mapper.code_field: [], **({mapper.prompt_field: []} if mapper.prompt_field else {})}
            for line in _jsonl_lines(filesystem, {"path": unit["path"], "start": int(unit["start"]), "end": int(unit["end"])}):
                try:
                    # Strict UTF-8 and no byte order mark, as the command reads lines.
                    row = json.loads(line.decode("utf-8"))
                except ValueError:
                    row = None
                row = row if isinstance(row, dict) else {}
                for name in rows:
                    rows[name].append(row.get(name))
        offset = int(unit["offset"])
        count = len(rows[mapper.code_field])
        for first in range(0, count, batch_size):
            piece = {name: values[first : first + batch_size] for name, values in rows.items()}
            piece[mapper.index_column] = list(range(offset + first, offset + min(first + batch_size, count)))
            tables.append(mapper(piece))
    return pa.concat_tables(tables) if tables else mapper.schema.empty_table()


def generate(
    input_uri: str,
    output_uri: str,
    *,
    code_field: str = "response",
    prompt_field: Optional[str] = "instruction",
    paths: int = 1,
    seed: int = DEFAULT_SEED,
    keep_skipped: bool = False,
    input_format: Optional[str] = None,
    concurrency: Optional[int] = None,
    batch_size: int = 256,
    unit_rows: int = UNIT_ROWS,
    chunk_bytes: int = 0,
    source_file: Optional[str] = None,
    **options: Any,
) -> int:
    """``lintseq generate`` on Ray Data: plan, map, write Parquet.

    ``input_uri`` is a Parquet or JSONL file, or a directory of them (read
    in path order), on any file system pyarrow opens (local, ``s3://``,
    ``gs://``, ...). The driver plans work units, each knowing the index of
    its first row: Parquet row-group slices of ``unit_rows`` rows (counted
    from the files' metadata) or JSONL chunks of ``chunk_bytes`` bytes
    (default: about four per CPU of the cluster, at most 32 MiB; a first
    pass of Ray tasks counts their rows; a gzipped file is one chunk).
    Ray tasks then read their unit, run :class:`EditPaths` on batches of
    ``batch_size`` rows, and Ray Data writes Parquet files into the directory
    ``output_uri`` (at most ``concurrency`` tasks at once; default: one per
    CPU). Nothing is materialized; a task holds one unit.

    Every row's index is its position in the input, as ``lintseq generate``
    counts it (blank JSONL lines are not rows), so the rows, read back in
    index order, equal those ``lintseq generate INPUT -o OUT.parquet``
    writes, with ``source_file`` set to ``input_uri`` (or ``source_file``),
    for any number of nodes, workers, units or batches. Returns the number
    of units.

    Ray must already be initialised, or it is started locally
    (``ray.init()``). With ``keep_skipped``, a JSONL row whose field is
    missing or whose line is not JSON is reported as null, not as missing or
    malformed.
    """
    import ray

    if not ray.is_initialized():
        ray.init()
    fmt = _input_format(input_uri, input_format)
    mapper = EditPaths(
        code_field=code_field,
        prompt_field=prompt_field,
        source_file=input_uri if source_file is None else source_file,
        keep_skipped=keep_skipped,
        paths=paths,
        seed=seed,
        **options,
    )
    filesystem, fmt, units = _plan(input_uri, fmt, unit_rows, chunk_bytes)
    if not units:
        raise ValueError(f"{input_uri} has no rows")
    out = ray.data.from_items(units, override_num_blocks=len(units)).map_batches(
        _run_units,
        fn_kwargs={"filesystem": filesystem, "fmt": fmt, "mapper": mapper, "batch_size": batch_size},
        batch_size=1,
        batch_format="numpy",
        concurrency=concurrency,
    )
    out.write_parquet(output_uri)
    return len(units)
