"""The read side: queries for commands, admin pages and (later) the API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Prefetch, QuerySet

from factcheck.crosscheck.independence import independent_origins
from factcheck.models import (
    CheckRun,
    Claim,
    ClaimAppearance,
    ClaimMatchSuggestion,
    Evidence,
    Outlet,
    Passage,
    Source,
    SuggestionStatus,
)


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


def claims_with_appearances(*, source_id: int | None = None, min_score: float | None = None) -> QuerySet[Claim]:
    """Open claims, most check-worthy first, each with its appearances (outlet and cluster
    loaded) and pending match suggestions prefetched."""
    appearances = ClaimAppearance.objects.select_related("source__outlet", "passage").order_by("appeared_at", "id")
    suggestions = ClaimMatchSuggestion.objects.filter(status=SuggestionStatus.PENDING).order_by("-score")
    claims = Claim.objects.filter(merged_into__isnull=True).prefetch_related(
        Prefetch("appearances", queryset=appearances), Prefetch("match_suggestions", queryset=suggestions)
    )
    if source_id is not None:
        claims = claims.filter(appearances__source_id=source_id).distinct()
    if min_score is not None:
        claims = claims.filter(check_worthiness__gte=min_score)
    return claims.order_by("-check_worthiness", "id")


def first_appearance(claim: Claim) -> ClaimAppearance | None:
    """The earliest appearance (ClaimReview's firstAppearance), from prefetched appearances."""
    dated = [a for a in claim.appearances.all() if a.appeared_at is not None]
    return min(dated, key=lambda a: (a.appeared_at, a.pk)) if dated else None


def claim_independent_origins(claim: Claim) -> int:
    """How many independent origins the claim appeared in: copies of one story, and
    one outlet's several reports, count once (from prefetched appearances)."""
    return independent_origins((a.source.outlet_id, a.source.origin_cluster_id) for a in claim.appearances.all())


def claim_for_text(text: str) -> Claim | None:
    """The open claim stated in exactly these words, if there is one (the oldest)."""
    return Claim.objects.filter(text=text.strip(), merged_into__isnull=True).order_by("pk").first()


def check_run_evidence(run: CheckRun) -> QuerySet[Evidence]:
    """The evidence a run recorded, strongest first, with passage, source and outlet loaded."""
    return Evidence.objects.filter(run=run).select_related("passage__source__outlet").order_by("-score", "passage_id")


@dataclass(frozen=True)
class LabelledCorpus:
    """The ingested state of labelled files, keyed as the evaluation expects: by file name."""

    passages: dict[str, list[str]]
    passage_text: dict[tuple[str, int], str]
    claim_of: dict[tuple[str, int], int]
    cluster_of: dict[str, int]


def labelled_corpus(*, file_names: set[str]) -> LabelledCorpus:
    sources = {
        Path(source.file_name).name: source
        for source in Source.objects.exclude(file_name="")
        .filter(split_at__isnull=False)
        .prefetch_related(
            Prefetch("passages", queryset=Passage.objects.order_by("position").prefetch_related("appearances"))
        )
        if Path(source.file_name).name in file_names
    }
    corpus = LabelledCorpus(passages={}, passage_text={}, claim_of={}, cluster_of={})
    for name, source in sources.items():
        corpus.passages[name] = [passage.text for passage in source.passages.all()]
        if source.origin_cluster_id is not None:
            corpus.cluster_of[name] = source.origin_cluster_id
        for passage in source.passages.all():
            corpus.passage_text[(name, passage.position)] = passage.text
            for appearance in passage.appearances.all():
                corpus.claim_of[(name, passage.position)] = appearance.claim_id
    return corpus
