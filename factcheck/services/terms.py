"""Document frequencies of content stems, for weighting rare words in comparisons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from factcheck.crosscheck.matching import Weight, idf_weight
from factcheck.crosscheck.words import content_stems
from factcheck.models import Passage, TermStat
from factcheck.search import term_frequencies

_BATCH = 500
# Passages read per round trip when every passage is recounted.
_RECOUNT_CHUNK = 2000


def term_stats_add(*, passage_texts: Iterable[str]) -> None:
    """Count each stem once per passage, and the passages themselves under TermStat.TOTAL.

    An atomic increment (INSERT ... ON CONFLICT DO UPDATE) in sorted order, so
    concurrent workers neither lose counts nor deadlock on each other's rows.
    """
    counts: Counter[str] = Counter()
    for text in passage_texts:
        counts.update(content_stems(text))
        counts[TermStat.TOTAL] += 1
    rows = sorted((term[:64], count) for term, count in counts.items())
    if not rows:
        return
    table = TermStat._meta.db_table
    add = f"ON CONFLICT (term) DO UPDATE SET passages = {table}.passages + excluded.passages"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two array parameters, not a placeholder a value: a source's ~600 stems cost psycopg
            # more to parse as query text than PostgreSQL to insert.
            terms, passages = (list(column) for column in zip(*rows, strict=True))
            cursor.execute(
                f"INSERT INTO {table} (term, passages) "  # noqa: S608 - table name is ours
                f"SELECT * FROM unnest(%s::text[], %s::int[]) AS r ORDER BY 1 {add}",
                [terms, passages],
            )
            return
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            placeholders = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (term, passages) VALUES {placeholders} {add}",  # noqa: S608 - table name is ours
                [value for row in batch for value in row],
            )


def idf_for(texts: Iterable[str]) -> Weight:
    """An IDF weight function covering every stem of ``texts``, from one query."""
    return idf_weight(*term_frequencies(set().union(*(content_stems(text) for text in texts))))


def term_stats_rebuild(*, progress: Callable[[int], None] | None = None) -> int:
    """Recount every passage's stems with today's stemming and replace the whole table with the
    counts, in one transaction; returns how many passages were counted. ``progress`` is told
    of each batch of passages counted.

    Why: counts kept under stems the engine no longer makes weigh nothing (a changed stemmer
    leaves every count stale). The table is locked against writers first, so a source split
    meanwhile either is counted here or adds its counts after the new table is in place.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TermStat._meta.db_table} IN EXCLUSIVE MODE")
        counts: Counter[str] = Counter()
        batch = 0
        for text in Passage.objects.values_list("text", flat=True).iterator(chunk_size=_RECOUNT_CHUNK):
            counts.update(content_stems(text))
            counts[TermStat.TOTAL] += 1
            batch += 1
            if progress is not None and batch == _RECOUNT_CHUNK:
                progress(batch)
                batch = 0
        if progress is not None and batch:
            progress(batch)
        TermStat.objects.all().delete()
        TermStat.objects.bulk_create(
            [TermStat(term=term[:64], passages=count) for term, count in sorted(counts.items())],
            batch_size=_BATCH,
            ignore_conflicts=True,  # stems alike in their first 64 characters: one row, as 0009 did
        )
    return counts[TermStat.TOTAL]
