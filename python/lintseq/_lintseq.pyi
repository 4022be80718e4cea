"""Types of the compiled extension. Call it through the ``lintseq`` package,
whose functions hold the defaults and docstrings."""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union, final

__version__: str
DEFAULT_SEED: int
DEFAULT_MAX_LINES: int
DEFAULT_TARGET_VERSION: str
SAMPLER_KEYWORDS: List[str]

@final
class Diagnostic:
    """One diagnostic of the checker."""

    @property
    def line(self) -> int:
        """1-based line of the checked source."""
    @property
    def code(self) -> str:
        """pylint's message id, e.g. ``"E0602"``."""
    @property
    def symbol(self) -> str:
        """pylint's symbolic name, e.g. ``"undefined-variable"``."""
    @property
    def message(self) -> str:
        """What is wrong."""
    def __eq__(self, other: object) -> bool: ...

@final
class Resolved:
    """A program rebuilt from diffs, and what was skipped or adjusted."""

    @property
    def program(self) -> str:
        """The rebuilt program, its lines joined with ``"\\n"``."""
    @property
    def issues(self) -> List[str]:
        """What resolution skipped or adjusted, as ``lintseq resolve`` reports it."""
    def __eq__(self, other: object) -> bool: ...

def edit_paths(
    program: str,
    paths: int,
    seed: int,
    row: int,
    max_lines: int,
    options: Optional[Dict[str, Any]],
) -> List[List[str]]: ...
def batch_edit_paths(
    batch: Mapping[str, Sequence[Any]],
    indices: Sequence[int],
    code_field: str,
    prompt_field: Optional[str],
    paths: int,
    seed: int,
    source_file: Optional[str],
    max_lines: int,
    threads: int,
    options: Optional[Dict[str, Any]],
) -> Dict[str, List[Any]]: ...
def generate(
    input: str,
    output: str,
    input_format: Optional[str],
    output_format: Optional[str],
    force: bool,
    threads: int,
    subsample: Optional[int],
    keep_skipped: bool,
    code_field: str,
    prompt_field: Optional[str],
    paths: int,
    seed: int,
    max_lines: int,
    options: Optional[Dict[str, Any]],
) -> Dict[str, Any]: ...
def lint(source: str, original: Optional[str], target_version: str) -> List[Diagnostic]: ...
def resolve(model_output: Union[str, Sequence[str]]) -> Resolved: ...
def main(argv: List[str]) -> int: ...
