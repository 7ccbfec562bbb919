"""Splitting sources into passages."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from factcheck.crosscheck.text import split_passages
from factcheck.models import Passage, Source
from factcheck.services.dispatch import enqueue_now

SPLIT_SOURCE_TASK = "factcheck.split_source"


def source_split(*, source_id: int) -> int:
    """Create the passages of a source; returns how many it has.

    Idempotent: the source row is locked and ``split_at`` marks the work done, so a
    task delivered twice (or run by two workers) creates each passage once.
    """
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return 0
        if source.split_at is not None:
            return source.passages.count()
        spans = split_passages(source.text)
        Passage.objects.bulk_create(
            Passage(source=source, position=position, text=span.text, start_offset=span.start, end_offset=span.end)
            for position, span in enumerate(spans)
        )
        source.split_at = timezone.now()
        source.save(update_fields=["split_at"])
    return len(spans)


def unsplit_sources_requeue(*, older_than: dt.timedelta) -> list[int]:
    """Send the split task again for sources still unsplit after ``older_than``.

    The broker may lose messages (Redis here keeps nothing on disk); the database
    says which work is still pending.
    """
    cutoff = timezone.now() - older_than
    source_ids = list(Source.objects.filter(split_at__isnull=True, ingested_at__lt=cutoff).values_list("id", flat=True))
    return [source_id for source_id in source_ids if enqueue_now(SPLIT_SOURCE_TASK, source_id)]
