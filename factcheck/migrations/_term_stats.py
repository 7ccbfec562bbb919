"""The recount of term statistics that migrations 0009, 0015 and 0020 run, each with its own frozen
copy of the engine's stemming: what a recount does has not changed, only what it counts under."""

from collections import Counter
from collections.abc import Callable

_CHUNK = 2000


def recount(apps, content_stems: Callable[[str], frozenset[str]]) -> None:
    """Count each stem once per passage (and every passage under ""), and replace the stored counts."""
    TermStat = apps.get_model("factcheck", "TermStat")
    Passage = apps.get_model("factcheck", "Passage")
    counts: Counter[str] = Counter()
    for text in Passage.objects.values_list("text", flat=True).iterator(chunk_size=_CHUNK):
        counts.update(content_stems(text))
        counts[""] += 1
    TermStat.objects.all().delete()
    TermStat.objects.bulk_create(
        [TermStat(term=term[:64], passages=n) for term, n in sorted(counts.items())],
        batch_size=_CHUNK,
        ignore_conflicts=True,
    )
