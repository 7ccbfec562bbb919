"""The read side: queries for commands, admin pages and (later) the API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from factcheck.crosscheck.independence import independent_origins
from factcheck.fetching import host_of
from factcheck.models import (
    Assessment,
    CheckRun,
    CheckRunStatus,
    Claim,
    ClaimAppearance,
    ClaimMatchSuggestion,
    ClaimQuerySet,
    ClaimStatus,
    Evidence,
    Feed,
    FeedEntry,
    ImportedReview,
    ImportedReviewMatch,
    Outlet,
    Passage,
    RatingLabel,
    Source,
    SourceFetch,
    StanceCorrection,
    SuggestionStatus,
    Verdict,
    VerdictQuerySet,
    VerdictStatus,
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
    claims = Claim.objects.unmerged().prefetch_related(
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
    return Claim.objects.unmerged().filter(text=text.strip()).order_by("pk").first()


def latest_check(claim: Claim) -> CheckRun | None:
    """The claim's most recent finished check, if any."""
    return claim.check_runs.filter(status=CheckRun.Status.SUCCEEDED).order_by("-finished_at", "-pk").first()


def no_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.none()


# The claim list's orderings, each as the full key of its index on Claim: the id last, so that
# a page never repeats or skips a claim among equals. Ascending or descending alike: one index
# serves both directions.
QUEUE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "priority": ("priority", "created_at", "id"),
    "created_at": ("created_at", "id"),
    "check_worthiness": ("check_worthiness", "id"),
    "appearance_count": ("appearance_count", "id"),
    "confidence": ("confidence", "id"),
}


def queue_order(term: str) -> list[str]:
    """An ordering of the queue by name ("-priority") as the columns of its index, every one
    in the term's direction."""
    descending = term.startswith("-")
    return [f"-{name}" if descending else name for name in QUEUE_ORDERINGS[term.removeprefix("-")]]


def claim_queue(*, public_only: bool) -> ClaimQuerySet:
    """Open claims, most urgent first (``Claim.priority``: check-worthiness, plus conflicts
    found, new evidence against a published verdict, and reach across outlets); newer first
    among equals. Read through the priority index: a page costs the page, not the queue.
    ``public_only``: only claims whose current verdict is published (what readers see)."""
    current = Prefetch("verdicts", queryset=Verdict.objects.filter(is_current=True), to_attr="current_verdicts")
    claims = Claim.objects.unmerged().select_related("assignee").prefetch_related(current)
    claims = claims.with_public_verdict() if public_only else claims.open()
    return claims.order_by(*queue_order("-priority"))


def counted_appearances() -> Coalesce:
    """The appearances of the claim of the outer query, counted (0 when it has none): what
    ``Claim.appearance_count`` stores."""
    counted = ClaimAppearance.objects.filter(claim=OuterRef("pk")).order_by().values("claim").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def counted_outlets() -> Coalesce:
    """The outlets the claim of the outer query appeared in, counted (0 when none): a subquery,
    evaluated for the rows a page shows only."""
    counted = (
        ClaimAppearance.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("source__outlet", distinct=True))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def counted_cited_evidence() -> Coalesce:
    """The evidence the verdict of the outer query cites, counted (0 when none): a subquery, so
    that the verdict's row is never multiplied by a join."""
    cited = Verdict.cited_evidence.through._default_manager.filter(verdict=OuterRef("pk"))
    counted = cited.order_by().values("verdict").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def current_verdict_id() -> Subquery:
    """The id of the current verdict of the claim of the outer query (None when it has none)."""
    return Subquery(Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values("pk")[:1])


def claims_with_stale_appearance_count() -> QuerySet[Claim]:
    """Claims whose stored appearance count is not their number of appearances (none, while
    every path that changes appearances refreshes it). Reads every claim: for repairs and tests."""
    return Claim.objects.annotate(counted=counted_appearances()).exclude(appearance_count=F("counted"))


def verdicts_for_api(*, public_only: bool) -> VerdictQuerySet:
    """The verdicts of the API's list and detail. ``public_only`` (readers): those on record, the
    published and corrected ones and the retracted ones, which stay, as retracted, with their note
    (a client that cached a rating must learn it was withdrawn)."""
    verdicts = Verdict.objects.select_related("claim", "rating", "author", "approved_by").prefetch_related(
        "cited_evidence"
    )
    if public_only:
        verdicts = verdicts.on_record()
    return verdicts.order_by("-published_at", "-created_at", "-id")


def appearance_urls(*, claim_ids: set[int]) -> QuerySet[Any]:
    """(claim id, source URL or None) of these claims' appearances, oldest first: the addresses
    alone, never the articles' text."""
    appearances = ClaimAppearance.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "appeared_at", "id")
    return appearances.values_list("claim_id", "source__url")


def stance_corrections() -> QuerySet[StanceCorrection]:
    """The reviewers' corrections of the checker, newest first."""
    return StanceCorrection.objects.select_related("corrected_by").order_by("-corrected_at", "-id")


def sources_for_api() -> QuerySet[Source]:
    return Source.objects.select_related("outlet").annotate(passage_count=Count("passages")).order_by("-ingested_at")


def feeds_for_api() -> QuerySet[Feed]:
    return Feed.objects.select_related("outlet").order_by("outlet__name", "pk")


def source_fetches_for_api() -> QuerySet[SourceFetch]:
    return SourceFetch.objects.select_related("requested_by").order_by("-queued_at", "-id")


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


# --- Published fact-checks (the public page and schema.org ClaimReview) ---------------------


def _verdicts_with_claim_and_appearances() -> VerdictQuerySet:
    """Verdicts with what a ClaimReview reads loaded in two queries, however many appearances:
    the verdict, its claim and rating (one join), then the claim's appearances in order with
    their source and outlet (one join). ``claim.appearances.all()`` reads the prefetch."""
    appearances = ClaimAppearance.objects.select_related("source__outlet").order_by("appeared_at", "id")
    return Verdict.objects.select_related("claim", "rating").prefetch_related(
        Prefetch("claim__appearances", queryset=appearances)
    )


def verdicts_for_claimreview(*, public_only: bool) -> VerdictQuerySet:
    """The verdicts the API's ClaimReview endpoint looks a verdict up in, loaded for it: the
    lookup is the load, so a ClaimReview is three queries (with the scale's bounds)."""
    verdicts = _verdicts_with_claim_and_appearances()
    return verdicts.public() if public_only else verdicts


def verdict_with_claim_and_appearances(pk: int) -> Verdict:
    """The verdict ``pk`` (any status) loaded for a ClaimReview; raises Verdict.DoesNotExist."""
    return _verdicts_with_claim_and_appearances().get(pk=pk)


def published_verdict_for_review(slug: str) -> Verdict | None:
    """The published or corrected verdict at /fact-checks/<slug>/, loaded for a ClaimReview."""
    return _verdicts_with_claim_and_appearances().public().filter(slug=slug).first()


def public_verdict(slug: str) -> Verdict | None:
    """The verdict a reader may see at /fact-checks/<slug>/: published, corrected or retracted
    (drafts and approved verdicts are not public), loaded for a ClaimReview."""
    return _verdicts_with_claim_and_appearances().on_record().filter(slug=slug).first()


def cited_evidence(verdict: Verdict) -> QuerySet[Evidence]:
    """The evidence a verdict cites, with each passage's source and outlet, oldest source first."""
    return verdict.cited_evidence.select_related("passage__source__outlet").order_by(
        "passage__source__published_at", "pk"
    )


def verdict_corrections(verdict: Verdict) -> list[tuple[dt.datetime, str]]:
    """When the verdict was corrected and the public note of each correction, oldest first."""
    records = verdict.history.filter(history_change_reason="corrected").order_by("history_date", "history_id")
    return [(record.history_date, record.correction_note) for record in records]


def rating_scale_bounds() -> tuple[int, int] | None:
    """(worst, best) numeric values of the active rating labels, in one query; None when no
    active label carries a number."""
    bounds = RatingLabel.objects.filter(is_active=True, value__isnull=False).aggregate(
        worst=Min("value"), best=Max("value")
    )
    if bounds["worst"] is None or bounds["best"] is None:
        return None
    return int(bounds["worst"]), int(bounds["best"])


# --- The claim queue overview (admin) ---------------------------------------------------------


# Claims waiting for a person: checked, not yet rated.
WAITING_STATUSES = (ClaimStatus.NEEDS_REVIEW, ClaimStatus.IN_REVIEW)


@dataclass(frozen=True)
class QueueCounts:
    """Open (non-merged) claims counted. ``by_status`` and ``by_assessment`` hold every choice
    in choice order, zeros included; ``by_assessment[""]`` counts claims not assessed yet."""

    by_status: dict[str, int]
    by_assessment: dict[str, int]
    total: int
    waiting: int
    flagged: int


def queue_counts() -> QueueCounts:
    """The open claims counted by status, by assessment, waiting and flagged: one query, one
    row per (status, assessment, flag) met, whatever the number of claims. Still a pass over
    every open claim, but over the small covering index ``claim_counts_idx`` (an index-only
    scan), not the table: 208 -> about 50 ms at 300k claims (bench/README.md)."""
    by_status = dict.fromkeys(ClaimStatus.values, 0)
    by_assessment = dict.fromkeys(["", *Assessment.values], 0)
    waiting = flagged = 0
    groups = (
        Claim.objects.unmerged()
        .values_list("status", "assessment", "has_new_evidence")
        .annotate(n=Count("*"))
        .order_by()
    )
    for status, assessment, has_new_evidence, n in groups:
        by_status[status] = by_status.get(status, 0) + n
        by_assessment[assessment] = by_assessment.get(assessment, 0) + n
        waiting += n if status in WAITING_STATUSES else 0
        flagged += n if has_new_evidence else 0
    return QueueCounts(
        by_status=by_status,
        by_assessment=by_assessment,
        total=sum(by_status.values()),
        waiting=waiting,
        flagged=flagged,
    )


def oldest_waiting(limit: int = 10) -> list[Claim]:
    """The ``limit`` open claims waiting longest for review (needs_review or in_review),
    oldest first, with their assignee: one query."""
    return _oldest_open_claims(Q(status__in=WAITING_STATUSES), limit)


def flagged_new_evidence(limit: int = 20) -> list[Claim]:
    """Up to ``limit`` open claims flagged because a published verdict's evidence changed,
    oldest first, with their assignee: one query."""
    return _oldest_open_claims(Q(has_new_evidence=True), limit)


def _oldest_open_claims(condition: Q, limit: int) -> list[Claim]:
    claims = Claim.objects.unmerged().filter(condition).select_related("assignee")
    return list(claims.order_by("created_at", "pk")[:limit])


@dataclass(frozen=True)
class DayActivity:
    day: dt.date
    checks: int  # check runs that succeeded that day
    verdicts: int  # verdicts published that day (now published or corrected)


def daily_activity(days: int = 14, *, today: dt.date | None = None) -> list[DayActivity]:
    """Claims checked and verdicts published on each of the last ``days`` days up to ``today``
    (default: today), oldest first, every day listed. Days are calendar days in
    settings.TIME_ZONE. Two queries (one GROUP BY per kind), whatever the number of rows."""
    if days < 1:
        raise ValueError("days must be at least 1")
    zone = timezone.get_default_timezone()
    today = today or timezone.localdate(timezone=zone)
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    checks = dict(
        CheckRun.objects.filter(status=CheckRunStatus.SUCCEEDED, finished_at__gte=start, finished_at__lt=end)
        .annotate(day=TruncDate("finished_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    verdicts = dict(
        Verdict.objects.public()
        .filter(published_at__gte=start, published_at__lt=end)
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    return [
        DayActivity(day=day, checks=checks.get(day, 0), verdicts=verdicts.get(day, 0))
        for day in (first + dt.timedelta(days=offset) for offset in range(days))
    ]


def reviewers() -> QuerySet[Any]:
    """Active users who may work the claim queue (claims are assigned to them only)."""
    has_permission = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="review_claim")
        | Q(user_permissions__codename="review_claim")
    )
    return get_user_model().objects.filter(has_permission, is_active=True).distinct().order_by("username")


# --- The desk's home ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskCounts:
    """What the desk home counts for one person: each a link to the claims it counts."""

    needs_review: int  # checked, nobody has rated them yet
    unassigned: int  # of those, nobody has taken
    mine: int  # waiting, assigned to this person
    flagged: int  # new evidence against a published verdict
    drafts: int  # draft verdicts waiting for an editor


def desk_counts(user: Any) -> DeskCounts:
    """The queue's counts (queue_counts, one query), then who has the waiting claims, and the drafts."""
    counts = queue_counts()
    waiting = Claim.objects.unmerged().filter(status__in=WAITING_STATUSES)
    return DeskCounts(
        needs_review=counts.by_status[ClaimStatus.NEEDS_REVIEW],
        unassigned=waiting.filter(assignee__isnull=True).count(),
        mine=waiting.filter(assignee=user).count() if user.pk else 0,
        flagged=counts.flagged,
        drafts=Verdict.objects.filter(status=VerdictStatus.DRAFT, is_current=True).count(),
    )


def queue_by_priority(limit: int = 10) -> list[Claim]:
    """The most urgent claims waiting for a person, with their assignee: the queue's first page."""
    return list(claim_queue(public_only=False).filter(status__in=WAITING_STATUSES)[:limit])


def assigned_to(user: Any, limit: int = 10) -> list[Claim]:
    """The claims waiting on this person, most urgent first."""
    if not user.pk:
        return []
    return list(claim_queue(public_only=False).filter(status__in=WAITING_STATUSES, assignee=user)[:limit])


@dataclass(frozen=True)
class FeedRow:
    feed: Feed
    arrived: int  # entries first seen in the last day


def feeds_overview(limit: int = 12) -> tuple[list[FeedRow], int]:
    """The feeds a desk looks at first (failing ones, then the most recently polled), each with how
    many entries arrived in the last day; and how many feeds there are in all."""
    since = timezone.now() - dt.timedelta(days=1)
    arrived = (
        FeedEntry.objects.filter(feed=OuterRef("pk"), seen_at__gte=since)
        .order_by()
        .values("feed")
        .annotate(n=Count("pk"))
        .values("n")
    )
    feeds = (
        Feed.objects.select_related("outlet")
        .annotate(arrived=Coalesce(Subquery(arrived), 0))
        .order_by("-failures", F("last_polled_at").desc(nulls_last=True), "pk")
    )
    rows = [FeedRow(feed, feed.arrived) for feed in feeds[:limit]]
    return rows, Feed.objects.count()


def like_published(limit: int = 8) -> list[ClaimMatchSuggestion]:
    """Pending "possibly the same claim" suggestions whose other claim already has a public verdict:
    a new claim a desk may have fact-checked already. Newest first."""
    public = Verdict.objects.public().filter(is_current=True)
    return list(
        ClaimMatchSuggestion.objects.filter(status=SuggestionStatus.PENDING, candidate__verdicts__in=public)
        .select_related("claim", "candidate")
        .order_by("-created_at", "-pk")
        .distinct()[:limit]
    )


def checked_elsewhere(limit: int = 8) -> list[ImportedReviewMatch]:
    """Open claims another desk's fact-check may cover, waiting for a reviewer to say: newest first."""
    return list(
        ImportedReviewMatch.objects.filter(status=SuggestionStatus.PENDING, claim__merged_into__isnull=True)
        .exclude(claim__status=ClaimStatus.ARCHIVED)
        .select_related("claim", "review")
        .order_by("-created_at", "-pk")[:limit]
    )


def claims_checked_elsewhere(claims: QuerySet[Claim], decision: str) -> QuerySet[Claim]:
    """The ``claims`` with another desk's fact-check waiting for a reviewer ("pending") or linked ("linked")."""
    status = {"pending": SuggestionStatus.PENDING, "linked": SuggestionStatus.CONFIRMED}[decision]
    covered = ImportedReviewMatch.objects.filter(status=status).values("claim_id")
    return claims.filter(pk__in=covered)


# --- Fact-checks, ours and other desks' (claims:search) -------------------------------------------


class FactCheckKind:
    """Which table a found fact-check is in (the first column of ``fact_checks_found``)."""

    OURS = 0
    IMPORTED = 1


@dataclass(frozen=True)
class FactCheckQuery:
    """What claims:search asks for; an empty value asks for nothing."""

    text: str = ""
    site: str = ""  # a publisher's host: it and its subdomains
    language: str = ""  # a primary language subtag, lower case ("en")
    newer_than: dt.datetime | None = None  # the newer of the claim's and the review's date


def our_site() -> str:
    """Our host as publisher (claims:search's ``publisher.site``)."""
    return host_of(settings.FACTCHECK_ORGANIZATION_URL or settings.FACTCHECK_PUBLIC_BASE_URL)


def our_language() -> str:
    """Our fact-checks' language as BCP 47 ("en-us" -> "en-US")."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def site_matches(host: str, site: str) -> bool:
    """``site`` names ``host`` or a domain above it ("example.org" matches "www.example.org")."""
    return bool(site) and (host == site or host.endswith("." + site))


def fact_checks_found(query: FactCheckQuery, *, offset: int, limit: int) -> list[tuple[int, int]]:
    """(kind, id) of the fact-checks matching ``query``, ours (published and corrected: a retracted
    one never) and imported ones, best first: by text rank when there is text, then the newest
    review; ``limit`` of them from ``offset``. One query: the two tables' matches in one UNION."""
    ours = _ours_matching(query)
    theirs = _imported_matching(query)
    columns = ("kind", "item", "rank", "reviewed")
    # Unordered parts (SQLite refuses an ORDER BY inside a UNION's parts): the whole is ordered.
    combined = ours.order_by().values_list(*columns).union(theirs.order_by().values_list(*columns), all=True)
    ordered = combined.order_by(F("rank").desc(), F("reviewed").desc(nulls_last=True), "kind", F("item").desc())
    return [(kind, item) for kind, item, _, _ in ordered[offset : offset + limit]]


def fact_checks_by_kind(found: list[tuple[int, int]]) -> list[Verdict | ImportedReview]:
    """The fact-checks ``found`` names, in its order, loaded for claims:search (two queries)."""
    ours = {
        verdict.pk: verdict
        for verdict in Verdict.objects.select_related("claim", "rating").filter(
            pk__in=[item for kind, item in found if kind == FactCheckKind.OURS]
        )
    }
    theirs = ImportedReview.objects.in_bulk([item for kind, item in found if kind == FactCheckKind.IMPORTED])
    loaded: list[Verdict | ImportedReview] = []
    for kind, item in found:
        fact_check = ours.get(item) if kind == FactCheckKind.OURS else theirs.get(item)
        if fact_check is not None:  # gone since (retracted, deleted): left out, never an error
            loaded.append(fact_check)
    return loaded


def _ours_matching(query: FactCheckQuery) -> QuerySet[Verdict]:
    verdicts = Verdict.objects.public()
    not_ours = query.site and not site_matches(our_site(), query.site)
    if not_ours or (query.language and our_language().split("-")[0].lower() != query.language):
        verdicts = verdicts.none()  # still annotated below: the UNION needs its columns
    if query.newer_than is not None:
        verdicts = verdicts.filter(
            Q(published_at__gte=query.newer_than) | Q(claim__claim_date__gte=query.newer_than.date())
        )
    rank = _text_match(verdicts, query.text, fields=("claim__text", "summary", "rating__name"))
    return rank.annotate(kind=Value(FactCheckKind.OURS, IntegerField()), item=F("pk"), reviewed=F("published_at"))


def _imported_matching(query: FactCheckQuery) -> QuerySet[ImportedReview]:
    reviews = ImportedReview.objects.all()
    if query.site:
        reviews = reviews.filter(Q(publisher_site=query.site) | Q(publisher_site__endswith="." + query.site))
    if query.language:
        reviews = reviews.filter(
            Q(language_code__iexact=query.language) | Q(language_code__istartswith=query.language + "-")
        )
    if query.newer_than is not None:
        reviews = reviews.filter(Q(review_date__gte=query.newer_than) | Q(claim_date__gte=query.newer_than.date()))
    rank = _text_match(reviews, query.text, fields=("claim_text", "title", "textual_rating"), vector="search_vector")
    return rank.annotate(kind=Value(FactCheckKind.IMPORTED, IntegerField()), item=F("pk"), reviewed=F("review_date"))


def _text_match(rows: QuerySet[Any], text: str, *, fields: tuple[str, ...], vector: str = "") -> QuerySet[Any]:
    """``rows`` whose ``fields`` hold ``text``, annotated with its ``rank``. On PostgreSQL, full text
    (web search syntax: words, "a phrase", -excluded, or), read from the stored ``vector`` column
    when there is one (its GIN index); elsewhere every word must appear in one of the fields."""
    if not text:
        return rows.annotate(rank=Value(0.0, FloatField()))
    if connection.vendor == "postgresql":
        if vector:
            where = f"{vector} @@ websearch_to_tsquery('english'::regconfig, %s)"
            score = f"ts_rank({vector}, websearch_to_tsquery('english'::regconfig, %s))"
            # The column name is our constant; the text is a parameter.
            return rows.filter(RawSQL(where, [text], output_field=BooleanField())).annotate(  # noqa: S611
                rank=RawSQL(score, [text], output_field=FloatField())  # noqa: S611
            )
        search = SearchQuery(text, search_type="websearch", config="english")
        document = SearchVector(*fields, config="english")
        return rows.annotate(document=document).filter(document=search).annotate(rank=SearchRank(document, search))
    for word in FALLBACK_WORD.findall(text.lower())[:FALLBACK_MAX_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(any_field)
    return rows.annotate(rank=Value(0.0, FloatField()))


FALLBACK_WORD = re.compile(r"\w+")
FALLBACK_MAX_WORDS = 12


# --- Already fact-checked -------------------------------------------------------------------------


@dataclass(frozen=True)
class AlreadyChecked:
    """A fact-check that may cover a claim: another desk's (an ImportedReviewMatch, ``kind`` "imported")
    or ours, of a claim the matcher thinks states the same fact (a pending ClaimMatchSuggestion,
    ``kind`` "ours", decided as claim suggestions are: confirming merges the two claims)."""

    kind: str
    id: int  # the ImportedReviewMatch's, or the ClaimMatchSuggestion's
    publisher: str
    site: str
    url: str
    reviewed_at: dt.datetime | None
    rating: str
    claim_text: str
    score: float
    status: str

    @property
    def in_words(self) -> str:
        """ "Checked by Northern Fact Desk on 2025-04-10: False" """
        day = f" on {self.reviewed_at:%Y-%m-%d}" if self.reviewed_at else ""
        return f"Checked by {self.publisher}{day}: {self.rating or 'no rating given'}"


def already_checked(claim: Claim) -> list[AlreadyChecked]:
    """The fact-checks that may cover ``claim``, best match first (three queries); rejected ones left out."""
    from factcheck.claimreview import fact_check_url  # the builder reads selectors: imported here, when used

    imported = [
        AlreadyChecked(
            kind="imported",
            id=match.pk,
            publisher=match.review.publisher_name,
            site=match.review.publisher_site,
            url=match.review.url,
            reviewed_at=match.review.review_date,
            rating=match.review.textual_rating,
            claim_text=match.review.claim_text,
            score=match.score,
            status=match.status,
        )
        for match in claim.review_matches.exclude(status=SuggestionStatus.REJECTED).select_related("review")
    ]
    public = Verdict.objects.public().filter(is_current=True).select_related("rating")
    suggestions = (
        claim.match_suggestions.filter(status=SuggestionStatus.PENDING, candidate__verdicts__in=public)
        .select_related("candidate")
        .prefetch_related(Prefetch("candidate__verdicts", queryset=public, to_attr="public_verdicts"))
        .distinct()
    )
    ours = [
        AlreadyChecked(
            kind="ours",
            id=suggestion.pk,
            publisher=settings.FACTCHECK_ORGANIZATION_NAME,
            site=our_site(),
            url=fact_check_url(verdict),
            reviewed_at=verdict.published_at,
            rating=verdict.rating.name,
            claim_text=suggestion.candidate.text,
            score=suggestion.score,
            status=suggestion.status,
        )
        for suggestion in suggestions
        for verdict in suggestion.candidate.public_verdicts[:1]  # type: ignore[attr-defined]
    ]
    return sorted([*imported, *ours], key=lambda item: (-item.score, item.kind, item.id))
