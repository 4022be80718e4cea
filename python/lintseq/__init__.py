"""LintSeq edit sequences, from Python.

lintseq turns ``instruction + program`` rows into ``instruction + edit path``
rows: sequences of insertion-only diffs in which every intermediate program
is free of linter errors (LintSeq, ICLR 2025). This package is the Rust
engine of the ``lintseq`` command; its functions give the same bytes as the
command for the same rows, seed and options.

>>> import lintseq
>>> lintseq.edit_paths("def mean(xs):\\n    total = 0\\n    for x in xs:\\n        total += x\\n    return total / len(xs)")[0]
['@@ -0,0 +1,3 @@\\n+def mean(xs):\\n+    total = 0\\n+    return total / len(xs)', '@@ -2,0 +3,2 @@\\n+    for x in xs:\\n+        total += x']

Functions:

- :func:`edit_paths`: the edit paths of one program;
- :func:`batch_edit_paths`: a batch of rows, for ``datasets.Dataset.map``;
- :func:`generate`: a whole file (JSONL, Parquet, Arrow), as ``lintseq generate``;
- :func:`lint`: what the checker sees in a program;
- :func:`resolve`: model output (or a list of diffs) back into a program.

``lintseq.ray`` runs :func:`batch_edit_paths` on Ray Data.

Sampler options (keywords of :func:`edit_paths`, :func:`batch_edit_paths`
and :func:`generate`; the defaults are pylintseq's, as for the command's
flags of the same names): ``children_per_round=1``, ``top_k=1``,
``population=1``, ``max_depth=512``, ``indent_bias=1.0`` (0 samples
uniformly), ``ignore_imports=False``, ``sample_comments=False``,
``sample_global_defs=False``, ``ignore_init_errors=False``,
``target_version="3.11"``.

Skipped rows of :func:`generate` are logged as warnings on the ``lintseq``
logger (``logging.getLogger("lintseq")``), with the same text the command
prints.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _lintseq
from ._lintseq import Diagnostic, Resolved

__all__ = [
    "Diagnostic",
    "Resolved",
    "batch_edit_paths",
    "edit_paths",
    "generate",
    "lint",
    "resolve",
    "DEFAULT_SEED",
]

__version__: str = _lintseq.__version__

#: The seed used when none is given; the same as ``lintseq generate``'s
#: ``--seed`` default.
DEFAULT_SEED: int = _lintseq.DEFAULT_SEED

_MAX_LINES: int = _lintseq.DEFAULT_MAX_LINES


def edit_paths(
    program: str,
    *,
    paths: int = 1,
    seed: int = DEFAULT_SEED,
    row: int = 0,
    max_lines: int = _MAX_LINES,
    **options: Any,
) -> List[List[str]]:
    """The edit paths of one program, as ``lintseq generate`` writes them.

    Returns exactly the ``edit_path`` lists that ``lintseq generate --seed
    SEED -s PATHS`` writes for a row whose code field is ``program`` at row
    index ``row`` (0-based), paths in order. Each path is a list of
    insertion-only unified diffs; replaying them from the empty program gives
    back the program (Markdown extracted as ``generate`` does, line endings
    normalised, surrounding whitespace stripped).

    ``seed`` defaults to 1, the command's default. The output depends only on
    ``program``, ``row``, ``seed``, ``paths`` and the options.

    ``options`` are the sampler's options (see the module's documentation),
    validated as the command validates its flags.

    Raises ``ValueError`` for a program with no code (empty, only comments,
    Markdown without a Python block, too many lines), naming why, and for an
    option out of range; ``TypeError`` for an unknown option.
    """
    return _lintseq.edit_paths(program, paths, seed, row, max_lines, options)


def batch_edit_paths(
    batch: Mapping[str, Sequence[Any]],
    indices: Sequence[int],
    *,
    code_field: str = "response",
    prompt_field: Optional[str] = "instruction",
    paths: int = 1,
    seed: int = DEFAULT_SEED,
    source_file: Optional[str] = None,
    max_lines: int = _MAX_LINES,
    threads: int = 0,
    **options: Any,
) -> Dict[str, List[Any]]:
    """Edit paths for a batch of rows, in the shape ``datasets.Dataset.map`` wants.

    Use it as ``dataset.map(lintseq.batch_edit_paths, batched=True,
    with_indices=True)``, passing options with ``fn_kwargs=`` or
    ``functools.partial``. ``batch`` maps column names to lists of values;
    ``indices`` holds the rows' indices in the dataset, which (with ``seed``)
    decide their paths, so the result never depends on the batch size or the
    number of processes.

    Returns pylintseq's columns, one output row per edit path, in order:
    ``edit_path`` (a list of diffs), ``index``, ``source_file`` (the
    ``source_file`` argument), ``source_<code_field>``,
    ``source_<prompt_field>`` (when there is a prompt field; ``None`` or
    ``"None"`` for none), and ``skip_reason``. No row is lost: a row that is
    skipped (no code, a value that is not a string, ...) gets one output row
    with a null ``edit_path`` and its ``skip_reason``, as ``lintseq generate
    --keep-skipped`` writes it. Rows with paths have an empty
    ``skip_reason`` (``""``; the command writes null): ``datasets`` fixes a
    column's type from the first batch it writes, and a column that starts
    all null can hold nothing else. For the same reason, if the first batch
    can have only skipped rows (so ``edit_path`` is all null), pass
    ``features=`` to ``datasets.map``.

    With ``paths > 1`` a row has one output row per path, so the result has
    more rows than the batch, and ``datasets.map`` needs
    ``remove_columns=dataset.column_names``.

    The batch is processed in parallel on ``threads`` threads (0: all cores)
    with the GIL released. Under ``datasets.map(num_proc=N)`` or Ray, where
    processes already run side by side, pass ``threads=1``.

    Raises ``KeyError`` when the batch has no ``code_field`` (or
    ``prompt_field``) column, naming it, and ``ValueError`` when a column's
    length differs from ``len(indices)`` or an index is not a non-negative
    integer.
    """
    return _lintseq.batch_edit_paths(
        batch,
        indices,
        code_field,
        prompt_field,
        paths,
        seed,
        source_file,
        max_lines,
        threads,
        options,
    )


def generate(
    input: Union[str, "os.PathLike[str]"],
    output: Union[str, "os.PathLike[str]"],
    *,
    paths: int = 1,
    seed: int = DEFAULT_SEED,
    threads: int = 0,
    subsample: Optional[int] = None,
    code_field: str = "response",
    prompt_field: Optional[str] = "instruction",
    keep_skipped: bool = False,
    force: bool = False,
    input_format: Optional[str] = None,
    output_format: Optional[str] = None,
    max_lines: int = _MAX_LINES,
    **options: Any,
) -> Dict[str, Any]:
    """Turns a file of rows into a file of edit paths: ``lintseq generate``.

    The same job, with the same semantics and output bytes, as ``lintseq
    generate INPUT -o OUTPUT``: ``input`` is JSONL (plain or gzipped), Parquet
    or Arrow IPC (a file, or a ``datasets.save_to_disk`` folder); ``output``
    is written as JSONL, Parquet or Arrow IPC. Formats come from the names
    or from ``input_format``/``output_format`` (``"jsonl"``, ``"parquet"``,
    ``"arrow"``). Keywords map to the command's flags: ``paths`` (``-s``),
    ``seed``, ``threads`` (``-j``; 0 for all cores), ``subsample`` (``-n``),
    ``code_field``, ``prompt_field`` (``None`` for none), ``keep_skipped``,
    ``force``, ``max_lines``, and the sampler's options.

    Skipped rows are logged as warnings on the ``lintseq`` logger. The GIL is
    released while the job runs; Ctrl-C stops it with ``KeyboardInterrupt``
    (the output is then incomplete).

    Returns a summary: ``rows_read``, ``selected`` (rows chosen by
    ``subsample``, or ``None``), ``rows_written``, ``paths_written``,
    ``rows_skipped``, ``skipped`` (counts by reason), ``elapsed_seconds`` and
    ``message`` (the summary the command prints).

    Raises ``FileNotFoundError`` for a missing input, ``FileExistsError``
    for an existing output without ``force``, ``ValueError`` for a bad
    option or a columnar input without the fields, ``OSError`` otherwise.
    """
    return _lintseq.generate(
        os.fspath(input),
        os.fspath(output),
        input_format,
        output_format,
        force,
        threads,
        subsample,
        keep_skipped,
        code_field,
        prompt_field,
        paths,
        seed,
        max_lines,
        options,
    )


def lint(
    source: str,
    *,
    original: Optional[str] = None,
    target_version: str = _lintseq.DEFAULT_TARGET_VERSION,
) -> List[Diagnostic]:
    """The checker's diagnostics for ``source``, as ``lintseq lint`` prints them.

    With ``original``, ``source`` is checked as a partial program of it (as
    ``generate`` checks every state it keeps): the checker learns from the
    original what a partial program can no longer show. Each
    :class:`Diagnostic` has ``line`` (1-based), ``code`` (pylint's message
    id), ``symbol`` (pylint's name) and ``message``. Broken code is data: a
    program that does not parse gives diagnostics, not an exception.
    """
    return _lintseq.lint(source, original, target_version)


def resolve(model_output: Union[str, Sequence[str]]) -> Resolved:
    """Replays diffs into a program, as ``lintseq resolve`` does.

    ``model_output`` is either a model's raw output (diffs separated by
    ``<|diff|>``, tolerant of end tokens and missing separators, as ``lintseq
    resolve`` reads it) or a list of diffs (an ``edit_path``). Resolution never
    fails: malformed diffs are applied as far as they can be. The result has
    ``program`` and ``issues``, what was skipped or adjusted, as the command
    reports it.
    """
    return _lintseq.resolve(model_output)
