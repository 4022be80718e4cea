"""The ``lintseq`` command: ``python -m lintseq`` and the ``lintseq`` script.

Both run the command-line interface compiled into the extension, so they
are the same ``lintseq`` as the one ``cargo install`` builds.
"""

from __future__ import annotations

import signal
import sys
from typing import List, Optional

from . import _lintseq


def main(argv: Optional[List[str]] = None) -> int:
    """Runs ``lintseq`` with ``argv`` (default: ``sys.argv``) and returns its
    exit status. Ctrl-C ends the command at once, as it does the binary's."""
    args = list(sys.argv if argv is None else argv)
    args[0:1] = ["lintseq"]
    # Python's own SIGINT handler would only set a flag that Rust never
    # looks at; the default disposition stops the process, as for the binary.
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        return _lintseq.main(args)
    finally:
        signal.signal(signal.SIGINT, previous)


def _script() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _script()
