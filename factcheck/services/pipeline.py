"""The reaper: work the broker lost is found in the database and sent again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from factcheck import task_names
from factcheck.models import Source
from factcheck.services.dispatch import enqueue_now


@dataclass(frozen=True)
class Requeued:
    split: list[int]
    extract: list[int]


def stalled_sources_requeue(*, older_than: dt.timedelta) -> Requeued:
    """Send again the split or extraction task of sources still waiting after ``older_than``.

    Redis here keeps nothing on disk, so a restart loses queued messages; the
    ``split_at`` and ``claims_extracted_at`` columns say which work is still pending.
    Sending twice is harmless: both tasks are idempotent.
    """
    cutoff = timezone.now() - older_than
    waiting = Source.objects.filter(ingested_at__lt=cutoff)
    unsplit = waiting.filter(split_at__isnull=True).values_list("id", flat=True)
    unextracted = waiting.filter(split_at__lt=cutoff, claims_extracted_at__isnull=True).values_list("id", flat=True)
    return Requeued(
        split=[source_id for source_id in unsplit if enqueue_now(task_names.SPLIT_SOURCE, source_id)],
        extract=[source_id for source_id in unextracted if enqueue_now(task_names.EXTRACT_CLAIMS, source_id)],
    )
