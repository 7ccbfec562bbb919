"""Rows a fixture made once per session, put back in each test that asks for them.

Ingesting the sample corpus through the pipeline (split, extract, check) takes about fifteen
seconds, and some fifty tests start from it. ``snapshot_of`` runs such a build once, copies
out every table it filled (COPY, PostgreSQL's bulk format) and undoes it; ``restore`` copies the
rows back in a few tens of milliseconds, inside the test's own transaction (rolled back when the
test ends, like everything else it does) or committed for a transactional test (emptied by its
flush). The rows are the very rows the pipeline wrote; only two things are adjusted, so that a
test sees what it would have seen right after ingesting:

- times: every time the build's clock stamped (ingested, split, checked, queued, leases, history)
  is moved forward by the age of the snapshot, as if the build had just ended; a time from the
  articles themselves (published dates) is older than the build and stays as it is;
- sequences: each table's id sequence is at or past the copied ids, so rows a test adds get new ids.

A snapshot only holds tables the build filled from empty: a build that changes rows that were
there before (the migrations' rating scale, roles, ...) is refused at once, since putting back a
whole table would then duplicate or lose rows. ``restore`` returns False, and the caller builds
for real, when a table the snapshot fills already has rows (a test that made some first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import TestCase
from django.utils import timezone


class SnapshotRefused(Exception):
    """The build changed rows that were there before it: a snapshot of whole tables cannot hold that."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    columns: tuple[str, ...]  # every column but the generated ones, which PostgreSQL recomputes
    rows: bytes  # COPY ... TO STDOUT, text format
    clock_columns: tuple[str, ...]  # the timestamp columns
    id_sequences: tuple[tuple[str, str], ...]  # (column, sequence) of the serial and identity columns


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[TableCopy, ...]
    built_from: dt.datetime  # the build's clock started here: later times are the build's own
    built_until: dt.datetime  # and the build ended here: a restore moves this moment to its own now

    def __str__(self) -> str:
        return ", ".join(table.table for table in self.tables)


def snapshot_of(build: Callable[[], object], *, committed: bool) -> Snapshot:
    """Run ``build`` on the database as a test would and return the rows it wrote; undo them.

    ``committed=False``: inside a transaction, its on-commit callbacks run as
    ``django_capture_on_commit_callbacks(execute=True)`` runs them, then rolled back.
    ``committed=True``: in autocommit, as in a transactional test (each commit runs its callbacks),
    then the tables it filled are emptied again.
    """
    built_from = timezone.now()
    if committed:
        before = _fingerprints()
        try:
            build()
            copies = _copies_of(_filled_tables(before, _fingerprints()))
            return Snapshot(copies, built_from, timezone.now())
        finally:
            _empty([table for table in _changed_tables(before, _fingerprints()) if not before.get(table, (0,))[0]])
    with transaction.atomic():
        before = _fingerprints()
        with TestCase.captureOnCommitCallbacks(execute=True):
            build()
        copies = _copies_of(_filled_tables(before, _fingerprints()))
        snapshot = Snapshot(copies, built_from, timezone.now())
        transaction.set_rollback(True)
    return snapshot


def restore(snapshot: Snapshot) -> bool:
    """Copy the snapshot's rows in (in the current transaction, if any); False, and nothing done,
    when one of its tables already has rows. One transaction (a savepoint inside a test's), so the
    deferred foreign keys are checked once every table is in."""
    with transaction.atomic(), connection.cursor() as cursor:
        occupied = " UNION ALL ".join(
            f"SELECT 1 FROM (SELECT 1 FROM {_quoted(table.table)} LIMIT 1) AS t"  # noqa: S608 - names from the catalogue
            for table in snapshot.tables
        )
        cursor.execute(f"SELECT EXISTS ({occupied})")
        if cursor.fetchone()[0]:
            return False
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for table in snapshot.tables:
            columns = ", ".join(_quoted(column) for column in table.columns)
            with raw.copy(f"COPY {_quoted(table.table)} ({columns}) FROM STDIN") as copy:
                copy.write(table.rows)
        # The passages' trigger indexed those copied after their sources; the others now.
        cursor.execute("SELECT factcheck_passage_index_fill()")
        age = (timezone.now() - snapshot.built_until).total_seconds()
        for table in snapshot.tables:
            for column in map(_quoted, table.clock_columns):
                cursor.execute(
                    f"UPDATE {_quoted(table.table)} SET {column} = {column} + make_interval(secs => %s) "  # noqa: S608
                    f"WHERE {column} >= %s",
                    [age, snapshot.built_from],
                )
            for column, sequence in table.id_sequences:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(s.last_value, m.top), true) FROM {sequence} AS s, "  # noqa: S608
                    f"(SELECT coalesce(max({_quoted(column)}), 1) AS top FROM {_quoted(table.table)}) AS m",
                    [sequence],
                )
    return True


# --- What the build changed ----------------------------------------------------------------------------


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _fingerprints() -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows, from one query."""
    tables = _tables()
    query = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "  # noqa: S608
        f"FROM {_quoted(table)} AS t"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(table for table in after if before.get(table) != after[table])


def _filled_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    """The tables the build changed, each of which was empty before it."""
    changed = _changed_tables(before, after)
    held_rows_before = [table for table in changed if before.get(table, (0, ""))[0]]
    if held_rows_before:
        raise SnapshotRefused(
            f"the build changed tables that had rows before it ({', '.join(held_rows_before)}): "
            "ingest for real in each test, or snapshot only builds that fill empty tables"
        )
    return changed


def _empty(tables: list[str]) -> None:
    """Delete every row of ``tables`` in one transaction (their foreign keys are checked at its end);
    no TRUNCATE, whose CASCADE would empty the tables that refer to them too."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {_quoted(table)}")  # noqa: S608 - a table name from the catalogue


# The passages' full-text index and its monthly partitions (migration 0022), the claims' words (0023):
# derived from the passages and claims by triggers, so not copied; ``restore`` indexes the passages it
# puts back, and the claims' trigger fills in their words as they are copied.
DERIVED_TABLES = ("factcheck_passage_index", "factcheck_claim_term")


def _copies_of(tables: list[str]) -> tuple[TableCopy, ...]:
    return tuple(_copy_of(table) for table in tables if not table.startswith(DERIVED_TABLES))


def _copy_of(table: str) -> TableCopy:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_generated, is_identity, column_default "
            "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        catalogue = cursor.fetchall()
        columns = tuple(name for name, _, generated, _, _ in catalogue if generated == "NEVER")
        id_sequences = []
        for name, _, _, identity, default in catalogue:
            if identity == "YES" or (default or "").startswith("nextval("):
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_quoted(table), name])
                id_sequences.append((name, cursor.fetchone()[0]))
        rows = bytearray()
        listed = ", ".join(_quoted(column) for column in columns)
        with cursor.cursor.copy(f"COPY {_quoted(table)} ({listed}) TO STDOUT") as copy:
            for block in copy:
                rows += block
    return TableCopy(
        table=table,
        columns=columns,
        rows=bytes(rows),
        clock_columns=tuple(name for name, kind, _, _, _ in catalogue if kind == "timestamp with time zone"),
        id_sequences=tuple(id_sequences),
    )


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)
