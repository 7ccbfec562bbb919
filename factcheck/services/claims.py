"""Claim extraction: scoring passages, one claim per fact, copies grouped by origin."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from factcheck.crosscheck import copies
from factcheck.crosscheck.claims import claim_date, find_claimant, has_quotation
from factcheck.crosscheck.matching import statement_similarity
from factcheck.crosscheck.worthiness import score_worthiness
from factcheck.models import (
    CheckTrigger,
    Claim,
    ClaimAppearance,
    ClaimMatchSuggestion,
    CopyBand,
    MatchKind,
    OriginCluster,
    Passage,
    Source,
    SuggestionStatus,
)
from factcheck.search import get_search_backend
from factcheck.services.checks import claims_check_request
from factcheck.services.queue import claims_appearance_count_refresh
from factcheck.services.terms import idf_for

# Candidate claims compared in full with each new passage.
MATCH_CANDIDATES = 20
# Appearances of a candidate claim compared with the new passage (its wordings so far).
APPEARANCES_COMPARED = 8
# A claim at least this similar to a new passage is re-checked: the passage may bear on it.
RECHECK_SIMILARITY = 0.3
# Any fixed number: the key of the PostgreSQL advisory lock that serialises extraction.
_EXTRACTION_LOCK_KEY = 0x46_43_45_58  # "FCEX"


@dataclass
class ExtractionResult:
    source_id: int
    scored: int = 0
    created: list[int] = field(default_factory=list)
    matched: list[int] = field(default_factory=list)
    suggested: list[int] = field(default_factory=list)
    origin_cluster_id: int | None = None
    # Existing claims the new passages may bear on (matched or similar): re-checked.
    related: list[int] = field(default_factory=list)
    already_done: bool = False
    # Check-worthy passages left out by FACTCHECK_MAX_CLAIMS_PER_SOURCE.
    capped: int = 0


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float
    # The claim puts the words in someone else's mouth: never merged automatically,
    # because who said it is part of the fact (a misattributed quotation is not the same claim).
    other_speaker: bool = False


def source_extract_claims(*, source_id: int) -> ExtractionResult:
    """Score every passage of a source, turn the check-worthy ones into claims or
    appearances of existing claims, and place the source in its origin cluster.

    Idempotent (``claims_extracted_at`` marks it done) and serialised across
    workers, so two sources that restate each other never create the same claim twice.
    """
    result = ExtractionResult(source_id=source_id)
    with transaction.atomic():
        _serialise_extraction()
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None or source.split_at is None:
            return result
        if source.claims_extracted_at is not None:
            result.already_done = True
            return result
        result.origin_cluster_id = source_assign_origin_cluster(source=source)
        passages = list(source.passages.order_by("position"))
        result.scored = len(passages)
        _extract(source, passages, result)
        source.claims_extracted_at = timezone.now()
        source.save(update_fields=["claims_extracted_at"])
        claims_check_request(claim_ids=result.created, trigger=CheckTrigger.EXTRACTION)
        claims_check_request(claim_ids=result.related, trigger=CheckTrigger.NEW_SOURCE)
    return result


def _serialise_extraction() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EXTRACTION_LOCK_KEY])


def _claim_passages(passages: list[Passage]) -> tuple[set[int], int]:
    """Ids of the passages that become claims, and how many worthy ones were left out:
    above the threshold, at most FACTCHECK_MAX_CLAIMS_PER_SOURCE of them (the most
    check-worthy), so that a huge or hostile article costs bounded matching work.
    (Passages are scored when the source is split.)"""
    threshold = settings.FACTCHECK_CLAIM_THRESHOLD
    worthy = [p for p in passages if p.check_worthiness is not None and p.check_worthiness >= threshold]
    worthy.sort(key=lambda p: (-(p.check_worthiness or 0), p.position))
    chosen = {p.pk for p in worthy[: settings.FACTCHECK_MAX_CLAIMS_PER_SOURCE]}
    return chosen, len(worthy) - len(chosen)


def _extract(source: Source, passages: list[Passage], result: ExtractionResult) -> None:
    chosen, result.capped = _claim_passages(passages)
    published = (source.published_at or source.ingested_at).date()
    related: set[int] = set()
    for passage in passages:
        if passage.pk not in chosen:
            continue
        claimant = passage.speaker
        match = best_match(passage.text, claimant=claimant, related=related)
        if match is not None and match.score >= settings.FACTCHECK_MATCH_AUTO_THRESHOLD and not match.other_speaker:
            _add_appearance(match.claim_id, passage, source, match.score, MatchKind.AUTOMATIC)
            result.matched.append(match.claim_id)
            continue
        claim = Claim.objects.create(
            text=passage.text,
            claimant=claimant[:300],
            claim_date=claim_date(passage.text, published),
            origin_source=source,
            origin_passage=passage,
            check_worthiness=passage.check_worthiness or 0.0,
            worthiness_reasons=passage.worthiness_reasons,
        )
        _add_appearance(claim.pk, passage, source, 1.0, MatchKind.ORIGIN)
        result.created.append(claim.pk)
        if match is not None and match.score >= settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD:
            ClaimMatchSuggestion.objects.create(claim=claim, candidate_id=match.claim_id, score=match.score)
            result.suggested.append(claim.pk)
    result.related = sorted(related - set(result.created))
    claims_appearance_count_refresh(claim_ids=[*result.created, *result.matched])


def best_match(text: str, *, claimant: str = "", related: set[int] | None = None) -> Match | None:
    """The open claim most likely stating the same fact as ``text``, if any shares its words.

    Claims about the same thing (similar enough, figures agreeing or not) are added to
    ``related``: the new passage is evidence for or against them, so they are re-checked.
    """
    candidate_ids = get_search_backend().similar_claims(text, limit=MATCH_CANDIDATES)
    if not candidate_ids:
        return None
    wordings = Prefetch(
        "appearances", queryset=ClaimAppearance.objects.select_related("passage").order_by("id"), to_attr="wordings"
    )
    candidates = list(Claim.objects.filter(pk__in=candidate_ids).prefetch_related(wordings))
    wordings_of = {
        claim.pk: [claim.text, *(a.passage.text for a in claim.wordings[:APPEARANCES_COMPARED])]  # type: ignore[attr-defined]
        for claim in candidates
    }
    weight = idf_for([text, *(wording for texts in wordings_of.values() for wording in texts)])
    quoted = has_quotation(text)
    best: Match | None = None
    for claim in candidates:
        similarities = [statement_similarity(text, other, weight) for other in wordings_of[claim.pk]]
        # Different figures for the same thing are two claims the cross-check weighs, never one.
        score = max(0.0 if s.figures_conflict else s.score for s in similarities)
        if related is not None and max(s.score for s in similarities) >= RECHECK_SIMILARITY:
            related.add(claim.pk)
        if best is None or score > best.score:
            best = Match(claim.pk, score, other_speaker=quoted and not same_speaker(claimant, claim.claimant))
    return best


def same_speaker(a: str, b: str) -> bool:
    """Unknown speakers are no evidence of a difference; "Malesh" is "Teodor Malesh"."""
    if not a or not b:
        return True
    # A role after the name ("Acme Shipping, operator") is not part of it.
    words_a, words_b = a.partition(", ")[0].lower().split(), b.partition(", ")[0].lower().split()
    return words_a == words_b or words_a[-1] == words_b[-1]


def _add_appearance(claim_id: int, passage: Passage, source: Source, score: float, kind: str) -> None:
    ClaimAppearance.objects.create(
        claim_id=claim_id,
        passage=passage,
        source=source,
        appeared_at=source.published_at or source.ingested_at,
        match_score=round(score, 4),
        match_kind=kind,
    )


# --- Copies -------------------------------------------------------------------------------


def source_assign_origin_cluster(*, source: Source) -> int:
    """Put the source in the origin cluster of the articles it nearly duplicates, or a new one.

    Candidates come from the indexed LSH band keys; each is confirmed by estimated
    similarity. If the source bridges several clusters they merge into the oldest.
    """
    signature = copies.signature(source.text)
    keys = copies.band_keys(signature)
    candidates = (
        Source.objects.filter(copy_bands__key__in=keys)
        .exclude(pk=source.pk)
        .distinct()
        .only("id", "minhash", "origin_cluster")
    )
    threshold = settings.FACTCHECK_COPY_THRESHOLD
    cluster_ids = sorted(
        {
            candidate.origin_cluster_id
            for candidate in candidates
            if candidate.origin_cluster_id is not None
            and copies.estimated_similarity(signature, candidate.minhash) >= threshold
        }
    )
    if cluster_ids:
        cluster_id = cluster_ids[0]
        Source.objects.filter(origin_cluster_id__in=cluster_ids[1:]).update(origin_cluster_id=cluster_id)
        OriginCluster.objects.filter(pk__in=cluster_ids[1:]).delete()
    else:
        cluster_id = OriginCluster.objects.create().pk
    source.minhash = signature
    source.origin_cluster_id = cluster_id
    source.save(update_fields=["minhash", "origin_cluster"])
    CopyBand.objects.bulk_create([CopyBand(source=source, key=key) for key in keys], ignore_conflicts=True)
    return cluster_id


# --- Reviewer decisions on suggested matches ------------------------------------------------


class SuggestionError(Exception):
    """The suggestion cannot be decided as asked; the message says why."""


def suggestion_confirm(*, suggestion_id: int, decided_by: object | None = None) -> Claim:
    """The two claims are one fact: the suggested claim's appearances move to the
    candidate, and the suggested claim is archived as merged into it."""
    with transaction.atomic():
        suggestion = _pending_suggestion(suggestion_id)
        duplicate, target = suggestion.claim, suggestion.candidate
        if duplicate.verdicts.exists():
            raise SuggestionError("the claim already has a verdict; it cannot be merged away")
        if target.merged_into_id is not None:
            raise SuggestionError("the candidate claim was itself merged into another claim")
        duplicate.appearances.update(claim=target, match_kind=MatchKind.CONFIRMED, match_score=suggestion.score)
        claims_appearance_count_refresh(claim_ids=[duplicate.pk, target.pk])
        duplicate.merged_into = target
        duplicate.status = Claim.Status.ARCHIVED
        duplicate.version += 1
        duplicate.save(update_fields=["merged_into", "status", "version", "updated_at"])
        _decide(suggestion, SuggestionStatus.CONFIRMED, decided_by)
        return target


def suggestion_reject(*, suggestion_id: int, decided_by: object | None = None) -> None:
    with transaction.atomic():
        _decide(_pending_suggestion(suggestion_id), SuggestionStatus.REJECTED, decided_by)


def _pending_suggestion(suggestion_id: int) -> ClaimMatchSuggestion:
    suggestion = (
        ClaimMatchSuggestion.objects.select_for_update()
        .select_related("claim", "candidate")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise SuggestionError(f"no suggestion {suggestion_id}")
    if suggestion.status != SuggestionStatus.PENDING:
        raise SuggestionError(f"suggestion {suggestion_id} was already {suggestion.status}")
    return suggestion


def _decide(suggestion: ClaimMatchSuggestion, status: str, decided_by: object | None) -> None:
    suggestion.status = status
    suggestion.decided_by = decided_by  # type: ignore[assignment]
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])


# --- Claims typed in by a person ----------------------------------------------------------------


def claim_submit(*, text: str, claimant: str | None = None) -> Claim:
    """A claim a person asks about, from no source: scored like a passage, its claimant
    read from the text unless given. It waits as "new" until a check is requested."""
    text = " ".join(text.split())
    worthiness = score_worthiness(text)
    return Claim.objects.create(
        text=text,
        claimant=(find_claimant(text).claimant if claimant is None else claimant)[:300],
        check_worthiness=worthiness.score,
        worthiness_reasons=list(worthiness.reasons),
    )
