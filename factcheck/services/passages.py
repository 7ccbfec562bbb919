"""Splitting sources into passages."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from factcheck import task_names
from factcheck.crosscheck.claims import resolve_speakers
from factcheck.crosscheck.text import PassageSpan, split_passages
from factcheck.crosscheck.worthiness import score_worthiness
from factcheck.models import Passage, Source
from factcheck.services.dispatch import enqueue_on_commit
from factcheck.services.terms import term_stats_add


def passage_months_prepare(*, today: dt.date) -> list[str]:
    """Make the passages' index partitions of this month and the next (PostgreSQL; migration 0022), so that
    splitting rarely makes one itself: a partition is made under a lock on the whole index, which holds
    back the checks reading it until the splitting commits. Returns the partitions that exist now.
    (A passage of another month, an archive's, still makes its own when it first comes.)"""
    if connection.vendor != "postgresql":
        return []
    months = [today.replace(day=1), (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)]
    with connection.cursor() as cursor:
        for month in months:
            cursor.execute("SELECT factcheck_passage_index_month(%s)", [month])
        names = [f"factcheck_passage_index_{month:%Y_%m}" for month in months]
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) ORDER BY relname", [names])
        return [row[0] for row in cursor.fetchall()]


def source_split(*, source_id: int) -> int:
    """Create the passages of a source, then queue claim extraction; returns how many passages it has.

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
        speakers = resolve_speakers(span.text for span in spans)
        Passage.objects.bulk_create(
            (
                _scored_passage(source, position, span, speaker)
                for position, (span, speaker) in enumerate(zip(spans, speakers, strict=True))
            ),
            batch_size=1000,
        )
        term_stats_add(passage_texts=(span.text for span in spans))
        source.split_at = timezone.now()
        source.save(update_fields=["split_at"])
        enqueue_on_commit(task_names.EXTRACT_CLAIMS, source.pk)
    return len(spans)


def _scored_passage(source: Source, position: int, span: PassageSpan, speaker: str) -> Passage:
    # Scored as it is created: updating thousands of rows later would rewrite
    # each row and its search indexes a second time.
    worthiness = score_worthiness(span.text)
    return Passage(
        source=source,
        position=position,
        text=span.text,
        start_offset=span.start,
        end_offset=span.end,
        check_worthiness=worthiness.score,
        worthiness_reasons=list(worthiness.reasons),
        speaker=speaker[:300],
    )
