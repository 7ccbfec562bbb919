"""`st run` (the schemathesis command line) with ``ast.parse`` taken one thread at a time.

CPython 3.11 keeps the AST constructor's recursion depth in state all threads share (see
python/cpython gh-106905), so when two schemathesis workers let Hypothesis parse source at the
same moment (it does to describe its lambdas) one of them fails with "SystemError: AST
constructor recursion depth mismatch", a failure of the tool and not of the API under test.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

from schemathesis.cli import schemathesis

_parse = ast.parse
_parsing = threading.Lock()


def _parse_one_at_a_time(*args: Any, **kwargs: Any) -> Any:
    with _parsing:
        return _parse(*args, **kwargs)


if __name__ == "__main__":
    ast.parse = _parse_one_at_a_time
    sys.exit(schemathesis())
