"""Helpers for migrations that only apply to one database vendor.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from collections.abc import Callable, Sequence
from typing import Any


def run_on_postgresql(statements: Sequence[str]) -> Callable[[Any, Any], None]:
    """A RunPython function that executes ``statements`` on PostgreSQL and does nothing elsewhere,
    as written: without parameters, so a ``%`` (``format('%I', ...)`` in a function) is passed as it is."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run
