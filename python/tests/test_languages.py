"""JavaScript and TypeScript through the API: the same options as the
command's --language, --language-field and --js-env, the same bytes out."""

from __future__ import annotations

import pytest

import lintseq
from conftest import read_jsonl, run_cli, write_jsonl

ROWS = [
    {"instruction": "add", "response": "```js\nfunction add(a, b) {\n  return a + b;\n}\nconsole.log(add(1, 2));\n```"},
    {"instruction": "area", "response": "interface P { x: number }\nconst area = (p: P): number => p.x * p.x;\n", "lang": "ts"},
    {"instruction": "py", "response": "x = 1\nprint(x)\n", "lang": "python"},
    {"instruction": "rs", "response": "fn main() {}\n", "lang": "rust"},
]


def test_language_options_equal_the_cli(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", ROWS)
    out = tmp_path / "out.jsonl"
    run_cli("generate", source, "-o", out, "--keep-skipped", "--language-field", "lang", "--js-env", "browser")
    expected = read_jsonl(out)
    assert {row.get("language") for row in expected} == {"javascript", "typescript", None}
    columns = lintseq.batch_edit_paths(
        {name: [row.get(name) for row in ROWS] for name in ("instruction", "response", "lang")},
        list(range(len(ROWS))),
        source_file=str(source),
        language_field="lang",
        js_env="browser",
    )
    got = [dict(zip(columns, values)) for values in zip(*columns.values())]
    assert [row["edit_path"] for row in got] == [row["edit_path"] for row in expected]
    assert got[3]["skip_reason"].startswith("unsupported_language")
    for index in (0, 2):
        assert lintseq.edit_paths(ROWS[index]["response"], row=index) == [expected[index]["edit_path"]]
    assert lintseq.edit_paths(ROWS[1]["response"], row=1, language="typescript") == [expected[1]["edit_path"]]


@pytest.mark.parametrize(
    "options,message",
    [({"language": "cobol"}, "unknown language"), ({"js_env": "deno"}, "deno")],
)
def test_bad_language_options(options, message):
    with pytest.raises(ValueError, match=message):
        lintseq.edit_paths("x = 1", **options)
