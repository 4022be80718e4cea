"""Bad input raises Python exceptions that name the row, field or option;
bad rows are data, skipped with their reason, as the command skips them."""

from __future__ import annotations

import pytest

import lintseq
from conftest import EXAMPLES


@pytest.mark.parametrize(
    "program,reason",
    [
        ("", "empty_program: field `program`: the program is empty"),
        ("   \n\t\n", "empty_program"),
        ("# only a comment\n\n# and another", "comments_only"),
        ("Some prose.\n\n```bash\nls\n```", "no_code_block"),
    ],
)
def test_programs_without_code_raise_value_error(program, reason):
    with pytest.raises(ValueError, match=reason):
        lintseq.edit_paths(program)


def test_too_long_programs_name_the_limit():
    with pytest.raises(ValueError, match="too_long: .*3 lines, more than the limit of 2"):
        lintseq.edit_paths("a = 1\nb = 2\nc = 3", max_lines=2)


def test_broken_code_is_data():
    # A syntax error is not an exception: the row still gets a path that
    # deletes the broken line first.
    (path,) = lintseq.edit_paths("def f(:\n    return 1\nx = 2")
    assert path
    assert lintseq.lint("def f(:\n")[0].code == "E0001"


@pytest.mark.parametrize(
    "options,error,message",
    [
        ({"top_k": 0}, ValueError, "top_k must be at least 1"),
        ({"max_depth": 0}, ValueError, "max_depth must be at least 1"),
        ({"indent_bias": -1.0}, ValueError, "indent_bias must be a non-negative number"),
        ({"indent_bias": float("nan")}, ValueError, "indent_bias must be a non-negative number"),
        ({"target_version": "2.7"}, ValueError, 'unknown target_version "2.7"'),
        ({"top_k": "2"}, TypeError, "top_k must be a non-negative integer, not str"),
        ({"top_k": -1}, ValueError, "top_k must be a non-negative integer, not -1"),
        ({"top_k": 2.0}, TypeError, "top_k must be a non-negative integer, not float"),
        ({"top_k": True}, TypeError, "top_k must be a non-negative integer, not bool"),
        ({"ignore_imports": 1}, TypeError, "ignore_imports must be True or False, not int"),
        ({"indent_bias": "x"}, TypeError, "indent_bias must be a number, not str"),
        ({"temperature": 1.0}, TypeError, "unexpected keyword argument 'temperature'"),
        ({"paths": 0}, ValueError, "paths must be at least 1"),
    ],
)
def test_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        lintseq.edit_paths("x = 1", **options)
    with pytest.raises(error, match=message):
        lintseq.batch_edit_paths({"response": ["x = 1"], "instruction": ["i"]}, [0], **options)


def test_negative_seed_and_row_are_rejected():
    with pytest.raises(OverflowError):
        lintseq.edit_paths("x = 1", seed=-1)
    with pytest.raises(OverflowError):
        lintseq.edit_paths("x = 1", row=-1)


def test_missing_columns_raise_key_error_naming_the_field():
    with pytest.raises(KeyError, match=r"no column 'response' \(code_field\).*'code'"):
        lintseq.batch_edit_paths({"code": ["x = 1"], "instruction": ["i"]}, [0])
    with pytest.raises(KeyError, match=r"no column 'prompt' \(prompt_field\)"):
        lintseq.batch_edit_paths({"response": ["x = 1"]}, [0], prompt_field="prompt")


def test_lengths_must_match():
    with pytest.raises(ValueError, match="column 'response' has 2 values but indices has 1"):
        lintseq.batch_edit_paths({"response": ["x = 1", "y = 2"], "instruction": ["a", "b"]}, [0])
    with pytest.raises(ValueError, match="column 'instruction' has 1 values but indices has 2"):
        lintseq.batch_edit_paths({"response": ["x = 1", "y = 2"], "instruction": ["a"]}, [0, 1])


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_indices_must_be_non_negative_integers(bad):
    with pytest.raises(ValueError, match=r"indices\[1\] must be a non-negative integer"):
        lintseq.batch_edit_paths({"response": ["x = 1", "y = 2"], "instruction": ["a", "b"]}, [0, bad])


def test_values_that_are_not_strings_are_skipped_rows():
    batch = {
        "response": ["x = 1", 42, None, ["x"], {"a": 1}, True, "", "x = 1"],
        "instruction": ["a", "b", "c", "d", "e", "f", "g", 3.5],
    }
    out = lintseq.batch_edit_paths(batch, list(range(8)))
    assert out["index"] == list(range(8))
    assert out["edit_path"][0] is not None
    assert out["skip_reason"] == [
        "",
        "not_a_string: field `response` is a number, not a string",
        "not_a_string: field `response` is null, not a string",
        "not_a_string: field `response` is an array, not a string",
        "not_a_string: field `response` is an object, not a string",
        "not_a_string: field `response` is a boolean, not a string",
        "empty_program: field `response`: the program is empty",
        "not_a_string: field `instruction` is a number, not a string",
    ]
    assert all(path is None for path in out["edit_path"][1:])
    # The values that could be read are copied; the others are null.
    assert out["source_response"][:3] == ["x = 1", None, None]
    assert out["source_instruction"][7] is None


def test_generate_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such.jsonl"):
        lintseq.generate(tmp_path / "no-such.jsonl", tmp_path / "out.jsonl")
    out = tmp_path / "out.jsonl"
    out.write_text("")
    with pytest.raises(FileExistsError, match="pass --force to overwrite it"):
        lintseq.generate(EXAMPLES, out)
    with pytest.raises(ValueError, match="unknown format \"csv\""):
        lintseq.generate(EXAMPLES, out, force=True, output_format="csv")
    with pytest.raises(ValueError, match="population must be at least 1"):
        lintseq.generate(EXAMPLES, out, force=True, population=0)
    with pytest.raises(ValueError, match="is the input file"):
        lintseq.generate(EXAMPLES, EXAMPLES, force=True)


def test_generate_on_a_parquet_file_without_the_field(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"code": ["x = 1"]}), path)
    with pytest.raises(ValueError, match="response"):
        lintseq.generate(path, tmp_path / "out.jsonl")


def test_resolve_type_errors():
    with pytest.raises(TypeError, match=r"model_output\[1\] must be a string"):
        lintseq.resolve(["@@ -0,0 +1 @@\n+x = 1", 3])
    with pytest.raises(TypeError, match="must be a string"):
        lintseq.resolve(3)
    assert lintseq.resolve("no diff at all").program == ""
    assert lintseq.resolve([]).program == ""
