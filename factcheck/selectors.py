"""The read side: queries for commands, admin pages and (later) the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from factcheck.models import Claim, Outlet, Passage, Source


@dataclass(frozen=True)
class CorpusCounts:
    outlets: int
    sources: int
    passages: int
    claims: int
    unsplit_sources: int


def corpus_counts() -> CorpusCounts:
    return CorpusCounts(
        outlets=Outlet.objects.count(),
        sources=Source.objects.count(),
        passages=Passage.objects.count(),
        claims=Claim.objects.count(),
        unsplit_sources=Source.objects.filter(split_at__isnull=True).count(),
    )


def outlets_with_counts() -> QuerySet[Outlet]:
    """Outlets by name, each annotated with ``source_count`` and ``passage_count``."""
    return Outlet.objects.annotate(
        source_count=Count("sources", distinct=True), passage_count=Count("sources__passages")
    ).order_by("name")
