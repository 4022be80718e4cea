"""Unit tests for packages.py's cutting of definitions (no network needed).

Run with: python3 -m unittest discover -s bench -p 'test_*.py'
"""

from __future__ import annotations

import unittest

from packages import module_snippets

MODULE = '''\
from __future__ import annotations

import typing as t
from .utils import helper, unused
from ..core import Base

if t.TYPE_CHECKING:
    from .types import Thing

try:
    import simplejson as json
except ImportError:
    import json

LIMIT = 3


def load(
    text: str,
) -> Thing:
    """Load text.

    >>> load("1")
    1
    """
    return helper(json.loads(text), LIMIT)


@t.final
class Loader(Base):
    def run(self):
        return helper(self)

    def stop(self):
        pass


if t.TYPE_CHECKING:

    def fast(x):
        return x

else:

    def fast(x):
        return helper(x)


def short():
    return 1
'''


class SnippetTests(unittest.TestCase):
    def setUp(self):
        snippets = module_snippets("pkg", "1.0", "pkg.sub.mod", MODULE)
        self.by_name = {s.name: s for s in snippets}

    def test_imports_are_kept_as_written_relative_ones_included(self):
        load = self.by_name["load"].program
        self.assertEqual(load.split("\n\n\n")[0].split("\n"), [
            "from __future__ import annotations",
            "from .utils import helper",
            "from .types import Thing",
            "import simplejson as json",
            "from pkg.sub.mod import LIMIT",
        ])

    def test_docstrings_and_decorators_stay(self):
        load = self.by_name["load"].program
        self.assertIn('    >>> load("1")\n    1\n', load)
        loader = self.by_name["Loader"]
        self.assertEqual(loader.kind, "class")
        self.assertIn("@t.final\nclass Loader(Base):", loader.program)
        self.assertIn("import typing as t", loader.program)
        self.assertIn("from ..core import Base", loader.program)
        # No annotations: no future import.
        self.assertNotIn("__future__", loader.program)

    def test_branches_that_define_functions_are_rows(self):
        fast = self.by_name["fast"]
        self.assertEqual(fast.kind, "branch")
        self.assertTrue(fast.program.split("\n\n\n", 1)[1].startswith("if t.TYPE_CHECKING:"))
        self.assertIn("else:", fast.program)

    def test_length_limits(self):
        # `short` has 2 lines, fewer than the 6 required.
        self.assertNotIn("short", self.by_name)


if __name__ == "__main__":
    unittest.main()
