"""Already fact-checked: our claims matched against other desks' imported fact-checks.

The claim-matching machinery decides, with its thresholds: the imported review's claim is compared
with ours as a new statement is compared with a claim (``statement_similarity``, each word weighed by
its rarity; different figures for the same thing are two claims, never one). At or above
FACTCHECK_MATCH_AUTO_THRESHOLD the match is linked at once (confirmed, by nobody); between the
suggestion and automatic thresholds a reviewer confirms or rejects it; a quotation put in another
speaker's mouth is never linked without a reviewer. Both ways: a claim is matched when it is
checked (services.checks, in the check's transaction), a review when it is imported or changed.

The reviewer decides what it means: nothing of the review is ever copied into our verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from factcheck.crosscheck.claims import has_quotation, same_speaker
from factcheck.crosscheck.matching import Weight, statement_similarity
from factcheck.crosscheck.stance import names_replaced
from factcheck.models import Claim, ImportedReview, ImportedReviewMatch, SuggestionStatus
from factcheck.search import get_search_backend
from factcheck.services.terms import idf_for

# Imported reviews compared in full with each claim (and claims with each review).
REVIEW_CANDIDATES = 20


class ReviewMatchError(Exception):
    """The match cannot be decided so: not this claim's, or already decided that way."""


@dataclass(frozen=True)
class Statement:
    """A claim's or an imported review's claim: what is compared."""

    id: int
    text: str
    claimant: str


@dataclass(frozen=True)
class ReviewMatchFound:
    claim_id: int
    review_id: int
    score: float
    automatic: bool


def review_matches_for_claims(claims: Sequence[Statement]) -> list[ReviewMatchFound]:
    """The imported fact-checks each claim may be covered by (reads only: the caller stores them)."""
    if not claims or not ImportedReview.objects.exists():
        return []
    candidates = get_search_backend().similar_reviews_many([claim.text for claim in claims], limit=REVIEW_CANDIDATES)
    wanted = {review_id for each in candidates for review_id in each}
    reviews = {
        pk: Statement(pk, text, claimant)
        for pk, text, claimant in ImportedReview.objects.filter(pk__in=wanted).values_list(
            "pk", "claim_text", "claimant"
        )
    }
    weight = idf_for([claim.text for claim in claims] + [review.text for review in reviews.values()])
    found = []
    for claim, ids in zip(claims, candidates, strict=True):
        for review_id in ids:
            if review_id in reviews:
                match = _compared(claim, reviews[review_id], weight)
                if match is not None:
                    found.append(match)
    return found


def reviews_match_claims(*, review_ids: Iterable[int]) -> int:
    """Match imported (new or changed) reviews against our open claims; returns the matches stored."""
    reviews = [
        Statement(pk, text, claimant)
        for pk, text, claimant in ImportedReview.objects.filter(pk__in=list(review_ids)).values_list(
            "pk", "claim_text", "claimant"
        )
    ]
    if not reviews:
        return 0
    candidates = get_search_backend().similar_claims_many([review.text for review in reviews], limit=REVIEW_CANDIDATES)
    wanted = {claim_id for each in candidates for claim_id in each}
    claims = {
        pk: Statement(pk, text, claimant)
        for pk, text, claimant in Claim.objects.unmerged()
        .filter(pk__in=wanted)
        .exclude(status=Claim.Status.ARCHIVED)
        .values_list("pk", "text", "claimant")
    }
    weight = idf_for([review.text for review in reviews] + [claim.text for claim in claims.values()])
    found = []
    for review, ids in zip(reviews, candidates, strict=True):
        for claim_id in ids:
            if claim_id in claims:
                match = _compared(claims[claim_id], review, weight)
                if match is not None:
                    found.append(match)
    with transaction.atomic():
        return review_matches_store(found)


def _compared(claim: Statement, review: Statement, weight: Weight) -> ReviewMatchFound | None:
    similarity = statement_similarity(claim.text, review.text, weight)
    score = 0.0 if similarity.figures_conflict else similarity.score
    if score < settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD:
        return None
    other_speaker = has_quotation(claim.text) and not same_speaker(claim.claimant, review.claimant)
    # Alike in words, about other parties ("Moderna's vaccine" for "Pfizer's"): a reviewer decides.
    other_parties = names_replaced(claim.text, review.text) is not None
    automatic = score >= settings.FACTCHECK_MATCH_AUTO_THRESHOLD and not (other_speaker or other_parties)
    return ReviewMatchFound(claim.id, review.id, round(score, 4), automatic)


def review_matches_store(found: Iterable[ReviewMatchFound]) -> int:
    """Store new matches; a pair already matched keeps its row and its reviewer's decision."""
    rows = [
        ImportedReviewMatch(
            claim_id=match.claim_id,
            review_id=match.review_id,
            score=match.score,
            status=SuggestionStatus.CONFIRMED if match.automatic else SuggestionStatus.PENDING,
        )
        for match in found
    ]
    existing = set(
        ImportedReviewMatch.objects.filter(claim_id__in={row.claim_id for row in rows}).values_list(
            "claim_id", "review_id"
        )
    )
    new = [row for row in rows if (row.claim_id, row.review_id) not in existing]
    ImportedReviewMatch.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def review_match_confirm(*, match_id: int, claim_id: int, decided_by: object | None = None) -> ImportedReviewMatch:
    """A reviewer links the claim to the other desk's fact-check."""
    return _decide(match_id, claim_id, SuggestionStatus.CONFIRMED, decided_by)


def review_match_reject(*, match_id: int, claim_id: int, decided_by: object | None = None) -> ImportedReviewMatch:
    """A reviewer says the other desk checked another claim: it is no longer shown as covering this one."""
    return _decide(match_id, claim_id, SuggestionStatus.REJECTED, decided_by)


def _decide(match_id: int, claim_id: int, status: str, decided_by: object | None) -> ImportedReviewMatch:
    with transaction.atomic():
        match = ImportedReviewMatch.objects.select_for_update().filter(pk=match_id, claim_id=claim_id).first()
        if match is None:
            raise ReviewMatchError(f"claim {claim_id} has no fact-check match {match_id}")
        if match.status == status:
            raise ReviewMatchError(f"fact-check match {match_id} was already {status}")
        match.record_decision(status, decided_by)
        return match
