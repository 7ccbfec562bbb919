"""Document frequencies of content stems, for weighting rare words in comparisons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection

from factcheck.crosscheck.matching import Weight, content_stems, idf_weight
from factcheck.models import TermStat

_BATCH = 500


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
