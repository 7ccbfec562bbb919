"""Automatic cross-source checks: a CheckRun goes queued → running → succeeded | failed.

The database is the truth and the broker only delivers run ids, so:
- a run is claimed by a conditional UPDATE (only one worker wins it), under a lease;
- results are written only while the run is still running under the claimer's own
  attempt, in one transaction, so a task delivered twice, or re-taken after its
  worker died, writes its evidence once;
- the reaper puts runs whose lease expired back in the queue and re-sends runs the
  broker may have lost.

The engine (factcheck.crosscheck.stance / assess) is pure; this module is the
adapter that feeds it ORM rows and stores what it says.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck import task_names
from factcheck.crosscheck.assess import AssessmentResult, ClaimOrigin, assess
from factcheck.crosscheck.claims import find_claimant
from factcheck.crosscheck.figures import spellings
from factcheck.crosscheck.learned import decide
from factcheck.crosscheck.stance import (
    CONFLICTS,
    UNRELATED,
    CandidatePassage,
    ClaimAnalysis,
    ClaimText,
    Judgement,
    analyse_claim,
    article_context,
    article_names,
)
from factcheck.models import CheckRun, CheckTrigger, Claim, Evidence, Passage, Source, Verdict
from factcheck.search import PUBLISHED_AT_MOST_AFTER_INGESTION, DateWindow, PassageQuery, get_search_backend
from factcheck.services.dispatch import TRANSIENT_ERRORS, Reaped, enqueue_now, enqueue_on_commit
from factcheck.services.review_matches import (
    ReviewMatchFound,
    Statement,
    review_matches_for_claims,
    review_matches_store,
)
from factcheck.services.reviews import verdict_mark_stale
from factcheck.services.terms import idf_for

logger = logging.getLogger(__name__)


# --- The check itself ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckScope:
    """What a claim is checked against: everything but its own story, published within one of
    ``published`` (none: the whole archive)."""

    claim: ClaimText
    origin: ClaimOrigin | None = None
    exclude_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    exclude_source_ids: frozenset[int] = field(default_factory=frozenset)
    published: tuple[DateWindow, ...] = ()


@dataclass(frozen=True)
class CheckOutcome:
    result: AssessmentResult
    judgements: tuple[Judgement, ...]  # every passage that is not unrelated, strongest first
    examined: int
    searched: tuple[DateWindow, ...] = ()  # the publication dates searched (none: the whole archive)


def claim_scope(claim: Claim, *, whole_archive: bool = False) -> CheckScope:
    """What a stored claim is checked against: the passages published near its date (check_windows),
    or with ``whole_archive`` all of them, outside its own story."""
    published = () if whole_archive else check_windows(claim_day(claim), today=timezone.now().date())
    source = claim.origin_source
    if source is None:
        return CheckScope(ClaimText(claim.text, claim.claimant), published=published)
    clusters = frozenset({source.origin_cluster_id} if source.origin_cluster_id else set())
    return CheckScope(
        ClaimText(claim.text, claim.claimant),
        origin=ClaimOrigin(source.outlet_id, source.outlet.name, source.origin_cluster_id),
        exclude_cluster_ids=clusters,
        exclude_source_ids=frozenset({source.pk}),
        published=published,
    )


def text_scope(text: str, *, claimant: str | None = None, claim_date: dt.date | None = None) -> CheckScope:
    """A statement typed in by a person: it has no source, so every outlet counts; with ``claim_date``,
    the passages published near it (check_windows), else the whole archive (an undated statement
    has no date to look around)."""
    published = check_windows(claim_date, today=timezone.now().date())
    return CheckScope(
        ClaimText(text, find_claimant(text).claimant if claimant is None else claimant), published=published
    )


def claim_day(claim: Claim) -> dt.date | None:
    """The day a claim is about: its own date, else the day its source was published (never after the
    day after it was ingested, as the passages' index files it); None for an undated claim of an undated
    source, which is checked against the whole archive (its ingest day says nothing of when it was said)."""
    if claim.claim_date is not None:
        return claim.claim_date
    source = claim.origin_source
    if source is None or source.published_at is None:
        return None
    latest = source.ingested_at + PUBLISHED_AT_MOST_AFTER_INGESTION
    return min(source.published_at, latest).astimezone(dt.UTC).date()


def check_windows(day: dt.date | None, *, today: dt.date) -> tuple[DateWindow, ...]:
    """The publication dates a check of a claim about ``day`` looks at: FACTCHECK_CHECK_WINDOW_DAYS on
    either side of it, and as many on either side of today, merged where they meet; none (the whole
    archive) without a day, or with the setting at 0.

    Why around today too: a claim is re-checked when a new source may bear on it (living verdicts),
    and what arrives now must be seen however old the claim is. Why a window at all: restatements and
    rebuttals of a claim are published within days of it, and each month of archive searched costs
    as much as the last (the passages' index is partitioned by month, migration 0022), so a check's
    cost grows with its window, not with the archive. A reviewer asks for the whole archive when
    a claim resurfaces from long ago."""
    days = settings.FACTCHECK_CHECK_WINDOW_DAYS
    if day is None or days <= 0:
        return ()
    around = dt.timedelta(days=days)
    windows: list[DateWindow] = []
    for middle in sorted({day, today}):
        first, last = middle - around, middle + around
        if windows and first <= windows[-1].last + dt.timedelta(days=1):
            windows[-1] = DateWindow(windows[-1].first, max(windows[-1].last, last))
        else:
            windows.append(DateWindow(first, last))
    return tuple(windows)


def crosscheck(scope: CheckScope) -> CheckOutcome:
    """Retrieve candidate passages from the index, judge each, assess. Reads only."""
    analysis = analyse_claim(scope.claim)
    candidates = candidate_passages(get_search_backend().candidate_passages(passage_query(scope, analysis)))
    weight = idf_for([scope.claim.text, *(c.text for c in candidates)])
    judgements = [decide(analysis, candidate, weight) for candidate in candidates]
    result = assess(judgements, origin=scope.origin)
    related = sorted((j for j in judgements if j.stance != UNRELATED), key=lambda j: (-j.score, j.passage.passage_id))
    return CheckOutcome(result, tuple(related), examined=len(candidates), searched=scope.published)


def passage_query(scope: CheckScope, analysis: ClaimAnalysis) -> PassageQuery:
    """What a check of the claim asks the search backend for (its words, quotations and figures)."""
    return PassageQuery(
        text=scope.claim.text,
        quotations=tuple(q.text for q in analysis.quotations),
        figures=tuple(spellings(analysis.figures)),
        exclude_cluster_ids=scope.exclude_cluster_ids,
        exclude_source_ids=scope.exclude_source_ids,
        limit=settings.FACTCHECK_CHECK_CANDIDATES,
        published=scope.published,
    )


def candidate_passages(passage_ids: list[int]) -> list[CandidatePassage]:
    """The engine's view of these passages, in the order given."""
    rows = Passage.objects.filter(pk__in=passage_ids).select_related("source__outlet")
    by_id = {passage.pk: passage for passage in rows}
    around = _neighbours(by_id.values())
    sources = {passage.source_id: passage.source for passage in by_id.values()}
    names = {pk: article_names(source.title, source.text) for pk, source in sources.items()}
    return [
        CandidatePassage(
            passage_id=passage.pk,
            source_id=passage.source_id,
            outlet_id=passage.source.outlet_id,
            outlet=passage.source.outlet.name,
            origin_cluster_id=passage.source.origin_cluster_id,
            text=passage.text,
            speaker=passage.speaker,
            published=published_date(passage.source),
            context=article_context(passage.source.title, around.get((passage.source_id, passage.position - 1), "")),
            following=around.get((passage.source_id, passage.position + 1), ""),
            article_names=names[passage.source_id],
        )
        for passage in (by_id[pk] for pk in passage_ids if pk in by_id)
    ]


def _neighbours(passages: Iterable[Passage]) -> dict[tuple[int, int], str]:
    """The text of the passages just before and just after each of these in its source, by
    (source, position): one query."""
    wanted = [(p.source_id, p.position + step) for p in passages for step in (-1, 1) if p.position + step >= 0]
    if not wanted:
        return {}
    match = reduce(operator.or_, (Q(source_id=source, position=position) for source, position in wanted))
    rows = Passage.objects.filter(match).values_list("source_id", "position", "text")
    return {(source, position): text for source, position, text in rows}


def published_date(source: Source) -> dt.date | None:
    """The day the source was published, if it says (its ingestion is no such day)."""
    return source.published_at.date() if source.published_at else None


# --- Requesting checks -------------------------------------------------------------------------


def claim_check_request(
    *, claim_id: int, trigger: str = CheckTrigger.MANUAL, send: bool = True, whole_archive: bool = False
) -> int | None:
    """Queue a check of the claim and send it to a worker once the transaction commits.

    One run waits per claim at most: asking again while one waits returns that run
    (it has not started, so it will see everything committed by then; asked with
    ``whole_archive``, it will search the whole archive). Returns the run id, or None for
    a claim that is archived or gone. ``send=False`` leaves the run for the caller to
    execute itself. ``whole_archive``: compare with every passage, not only those
    published near the claim's date (check_windows).
    """
    runs = claims_check_request(claim_ids=[claim_id], trigger=trigger, send=send, whole_archive=whole_archive)
    return runs[0] if runs else None


def claims_check_request(
    *, claim_ids: Iterable[int], trigger: str, send: bool = True, whole_archive: bool = False
) -> list[int]:
    """Queue a check of each claim (see claim_check_request) in four queries whatever their
    number: an extraction asks for ~15 at a time, and one by one that was 60 queries, a third
    of the extraction's time. Returns the run ids, one per open claim, in claim order."""
    wanted = sorted(set(claim_ids))
    with transaction.atomic():
        open_ids = set(Claim.objects.open().filter(pk__in=wanted).values_list("pk", flat=True))
        waiting = _waiting_runs(open_ids)
        new = [claim_id for claim_id in wanted if claim_id in open_ids and claim_id not in waiting]
        # A run another request queued at the same moment is kept (the constraint allows one),
        # ours is skipped; both are found again below, and sending one twice runs it once.
        CheckRun.objects.bulk_create(
            [CheckRun(claim_id=claim_id, trigger=trigger, whole_archive=whole_archive) for claim_id in new],
            ignore_conflicts=True,
        )
        created = _waiting_runs(new)
        if whole_archive:  # a waiting run not yet started searches more: nothing it would have found is lost
            CheckRun.objects.filter(pk__in=waiting.values(), status=CheckRun.Status.QUEUED).update(whole_archive=True)
        Claim.objects.filter(pk__in=new, status=Claim.Status.NEW).update(status=Claim.Status.CHECKING)
        for run_id in created.values() if send else ():
            enqueue_on_commit(task_names.CHECK_CLAIM, run_id)
    runs = waiting | created
    return [runs[claim_id] for claim_id in wanted if claim_id in runs]


def _waiting_runs(claim_ids: Iterable[int]) -> dict[int, int]:
    """The queued run of each of these claims that has one: claim id -> run id."""
    queued = CheckRun.objects.filter(claim_id__in=list(claim_ids), status=CheckRun.Status.QUEUED)
    return dict(queued.values_list("claim_id", "pk"))


# --- Executing a run ---------------------------------------------------------------------------


class Execution(StrEnum):
    SUCCEEDED = "succeeded"
    NOT_QUEUED = "not_queued"  # someone else claimed it, or it is finished: nothing to do
    LEASE_LOST = "lease_lost"  # it ran too long, and was re-taken: our results are discarded


def check_run_execute(*, run_id: int) -> Execution:
    """Claim the run, check the claim, record the evidence and the assessment.

    Idempotent: a second delivery finds the run no longer queued and does nothing.
    A transient error (the database away) puts the run back in the queue and is raised
    for the task to retry; any other error fails the run and is raised to be logged.
    """
    attempt = _claim_run(run_id)
    if attempt is None:
        return Execution.NOT_QUEUED
    run = CheckRun.objects.select_related("claim__origin_source__outlet").get(pk=run_id)
    try:
        outcome = crosscheck(claim_scope(run.claim, whole_archive=run.whole_archive))
        claim = run.claim
        covered_by = review_matches_for_claims([Statement(claim.pk, claim.text, claim.claimant)])
        return _record(run_id, attempt, outcome, covered_by)
    except Exception as error:
        _release(run_id, attempt, error)
        raise


def _claim_run(run_id: int) -> int | None:
    """The conditional UPDATE that lets one worker win the run; returns its attempt number."""
    now = timezone.now()
    claimed = CheckRun.objects.filter(pk=run_id, status=CheckRun.Status.QUEUED).update(
        status=CheckRun.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + dt.timedelta(seconds=settings.FACTCHECK_CHECK_LEASE_SECONDS),
        error="",
    )
    if claimed != 1:
        return None
    return CheckRun.objects.values_list("attempts", flat=True).get(pk=run_id)


def _record(run_id: int, attempt: int, outcome: CheckOutcome, covered_by: list[ReviewMatchFound]) -> Execution:
    with transaction.atomic():
        run = CheckRun.objects.select_for_update().get(pk=run_id)
        if run.status != CheckRun.Status.RUNNING or run.attempts != attempt:
            logger.warning("check run %s was re-taken after its lease expired; attempt %s discarded", run_id, attempt)
            return Execution.LEASE_LOST
        Evidence.objects.bulk_create(
            [evidence_row(run, judgement) for judgement in outcome.judgements], ignore_conflicts=True
        )
        result = outcome.result
        run.status = CheckRun.Status.SUCCEEDED
        run.assessment, run.confidence, run.explanation = result.assessment, result.confidence, result.explanation
        run.candidates_examined = outcome.examined
        run.searched = [[window.first.isoformat(), window.last.isoformat()] for window in outcome.searched]
        run.finished_at = timezone.now()
        run.lease_expires_at = None
        run.save()
        newer = CheckRun.objects.filter(claim_id=run.claim_id, status=CheckRun.Status.SUCCEEDED, pk__gt=run.pk)
        if not newer.exists():  # an older run finishing late must not overwrite a newer assessment
            Claim.objects.filter(pk=run.claim_id).update(assessment=result.assessment, confidence=result.confidence)
        _claim_checked(run.claim_id)
        _flag_public_verdict_on_new_conflicts(run.claim_id, outcome)
        review_matches_store(covered_by)  # "already fact-checked" by another desk
    return Execution.SUCCEEDED


def _flag_public_verdict_on_new_conflicts(claim_id: int, outcome: CheckOutcome) -> None:
    """A living verdict: evidence that arrived after publication and conflicts with the claim
    sends it back to the queue, flagged, and tells the subscribers (verdict.stale)."""
    verdict = Verdict.objects.public().filter(claim_id=claim_id, is_current=True).first()
    if verdict is None or verdict.published_at is None or verdict.is_stale:
        return
    conflicts = [j for j in outcome.judgements if j.stance == CONFLICTS]
    newer = set(
        Source.objects.filter(
            pk__in={j.passage.source_id for j in conflicts}, ingested_at__gt=verdict.published_at
        ).values_list("pk", flat=True)
    )
    fresh = [j for j in conflicts if j.passage.source_id in newer]
    if fresh:
        reason = "; ".join(f"{j.passage.outlet}: {j.reason}" for j in fresh[:3])
        verdict_mark_stale(verdict_id=verdict.pk, reason=reason)


def evidence_row(run: CheckRun, judgement: Judgement) -> Evidence:
    return Evidence(
        run=run,
        passage_id=judgement.passage.passage_id,
        stance=judgement.stance,
        reason=judgement.reason,
        score=judgement.score,
        spans=[{"start": s.start, "end": s.end, "label": s.label} for s in judgement.spans],
        details={
            **judgement.details,
            "claim_value": judgement.claim_value,
            "evidence_value": judgement.evidence_value,
            **({"attributed_to": judgement.attributed_to} if judgement.attributed_to else {}),
        },
    )


def _release(run_id: int, attempt: int, error: Exception) -> None:
    """After an error: transient ones put the run back in the queue (the task retries it),
    others fail it. Best effort: with the database away this fails too, and the reaper
    finds the run when its lease expires."""
    retry = isinstance(error, TRANSIENT_ERRORS)
    try:
        with transaction.atomic():
            still_ours = CheckRun.objects.filter(pk=run_id, status=CheckRun.Status.RUNNING, attempts=attempt)
            if retry:
                still_ours.update(status=CheckRun.Status.QUEUED, lease_expires_at=None, error=str(error)[:2000])
            elif still_ours.update(
                status=CheckRun.Status.FAILED,
                finished_at=timezone.now(),
                lease_expires_at=None,
                error=f"{type(error).__name__}: {error}"[:2000],
            ):
                _claim_checked(CheckRun.objects.values_list("claim_id", flat=True).get(pk=run_id))
    except Exception:
        logger.exception("could not release check run %s after %s", run_id, type(error).__name__)


def _claim_checked(claim_id: int) -> None:
    """A claim waiting for its first check goes to the review queue once a check ends, even
    a failed one: no claim may stay in "checking" (a reviewer can re-check it)."""
    if not CheckRun.objects.filter(claim_id=claim_id, status=CheckRun.Status.QUEUED).exists():
        Claim.objects.filter(pk=claim_id, status=Claim.Status.CHECKING).update(status=Claim.Status.NEEDS_REVIEW)


def claim_check_now(*, claim_id: int) -> CheckRun:
    """Check a claim in this process, through the same service a worker calls (for the
    command line): queue a run without sending it, then execute it here."""
    run_id = claim_check_request(claim_id=claim_id, trigger=CheckTrigger.MANUAL, send=False)
    if run_id is None:
        raise ValueError(f"claim {claim_id} is archived, merged or gone")
    check_run_execute(run_id=run_id)
    return CheckRun.objects.get(pk=run_id)


# --- The reaper ----------------------------------------------------------------------------------


def stalled_check_runs_requeue(*, queued_longer_than: dt.timedelta) -> Reaped:
    """Put runs whose worker died (lease expired) back in the queue, give up on runs that
    did so FACTCHECK_CHECK_MAX_ATTEMPTS times, and send again every run that has waited
    longer than ``queued_longer_than`` (Redis here keeps nothing on disk: a restart loses
    its queue). Sending twice is harmless: a run is claimed by one worker only."""
    now = timezone.now()
    reaped = Reaped()
    expired = CheckRun.objects.filter(status=CheckRun.Status.RUNNING, lease_expires_at__lt=now)
    for run_id, claim_id, attempts in expired.values_list("pk", "claim_id", "attempts"):
        if _requeue_expired(run_id, claim_id, attempts, reaped):
            reaped.requeued.append(run_id)
    cutoff = now - queued_longer_than
    stale = CheckRun.objects.filter(status=CheckRun.Status.QUEUED, queued_at__lt=cutoff).values_list("pk", flat=True)
    for run_id in [*reaped.requeued, *stale]:
        if run_id not in reaped.resent and enqueue_now(task_names.CHECK_CLAIM, run_id):
            reaped.resent.append(run_id)
    # Sent again now: wait a full period before the next resend, so a long queue is not flooded.
    CheckRun.objects.filter(pk__in=reaped.resent, status=CheckRun.Status.QUEUED).update(queued_at=now)
    return reaped


def _requeue_expired(run_id: int, claim_id: int, attempts: int, reaped: Reaped) -> bool:
    still_expired = CheckRun.objects.filter(pk=run_id, status=CheckRun.Status.RUNNING, attempts=attempts)
    if attempts >= settings.FACTCHECK_CHECK_MAX_ATTEMPTS:
        message = f"gave up after {attempts} attempts whose worker stopped before finishing"
        if still_expired.update(status=CheckRun.Status.FAILED, finished_at=timezone.now(), error=message):
            reaped.failed.append(run_id)
            _claim_checked(claim_id)
        return False
    try:
        with transaction.atomic():
            return bool(still_expired.update(status=CheckRun.Status.QUEUED, lease_expires_at=None))
    except IntegrityError:
        # A newer run already waits for this claim and will see everything this one would have.
        still_expired.update(status=CheckRun.Status.FAILED, finished_at=timezone.now(), error="superseded")
        return False
