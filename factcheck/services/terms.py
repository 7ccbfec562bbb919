"""Document frequencies of content stems, for weighting rare words in comparisons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from factcheck.crosscheck.matching import Weight, idf_weight
from factcheck.crosscheck.words import content_stems
from factcheck.models import Passage, TermStat

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
    table = TermStat._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            placeholders = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (term, passages) VALUES {placeholders} "  # noqa: S608 - table name is ours
                f"ON CONFLICT (term) DO UPDATE SET passages = {table}.passages + excluded.passages",
                [value for row in batch for value in row],
            )


def idf_for(texts: Iterable[str]) -> Weight:
    """An IDF weight function covering every stem of ``texts``, from one query."""
    stems = set().union(*(content_stems(text) for text in texts)) | {TermStat.TOTAL}
    frequency = dict(TermStat.objects.filter(term__in=stems).values_list("term", "passages"))
    return idf_weight(frequency, frequency.pop(TermStat.TOTAL, 0))


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
