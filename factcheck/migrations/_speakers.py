"""What the speaker migrations (0018, 0019, 0021) do, each with its own frozen resolution.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from collections.abc import Callable, Iterable
from typing import Any


def refill_speakers(apps: Any, resolve_speakers: Callable[[Iterable[str]], list[str]]) -> None:
    """Resolve every split source's passages' speakers again; write only those found different."""
    Passage = apps.get_model("factcheck", "Passage")
    Source = apps.get_model("factcheck", "Source")
    for source_id in Source.objects.filter(split_at__isnull=False).values_list("id", flat=True).iterator():
        passages = list(Passage.objects.filter(source_id=source_id).order_by("position"))
        changed = []
        for passage, speaker in zip(passages, resolve_speakers(p.text for p in passages), strict=True):
            if passage.speaker != speaker[:300]:
                passage.speaker = speaker[:300]
                changed.append(passage)
        Passage.objects.bulk_update(changed, ["speaker"], batch_size=500)
