"""Claim extraction: scoring passages, one claim per fact, copies grouped by origin."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factcheck.crosscheck import copies
from factcheck.crosscheck.claims import claim_date, find_claimant, has_quotation, same_speaker
from factcheck.crosscheck.matching import Similarity, Weight, statement_similarity, unweighted
from factcheck.crosscheck.stance import names_replaced
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
# Any fixed number: the key of the PostgreSQL advisory lock taken for the final step of an extraction.
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
    # Alike in words, about other parties ("Moderna's vaccine ..." for "Pfizer's vaccine ..."):
    # never merged automatically either (stance.names_replaced).
    other_parties: bool = False

    @property
    def apart(self) -> bool:
        """Whether a reviewer must decide, however alike the wordings."""
        return self.other_speaker or self.other_parties


def source_extract_claims(*, source_id: int) -> ExtractionResult:
    """Score every passage of a source, turn the check-worthy ones into claims or
    appearances of existing claims, and place the source in its origin cluster.

    Idempotent (``claims_extracted_at`` marks it done). Workers extract in parallel: the
    matching, nearly all of the work, is done first against the claims committed so far; only
    the final step (matching against the claims other workers committed meanwhile, then every
    insert) holds a lock, so two sources that restate each other never create the same claim twice.
    """
    result = ExtractionResult(source_id=source_id)
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None or source.split_at is None:
            return result
        if source.claims_extracted_at is not None:
            result.already_done = True
            return result
        passages = list(source.passages.order_by("position"))
        result.scored = len(passages)
        chosen, result.capped = _claim_passages(passages)
        statements = [passage for passage in passages if passage.pk in chosen]
        signature = copies.signature(source.text)
        seen_up_to = Claim.objects.aggregate(latest=Max("pk"))["latest"] or 0
        matcher = ClaimMatcher([passage.text for passage in statements])
        matcher.load_candidates()
        matcher.compare()
        _lock_final_step()
        # Claims are inserted only under the lock, and committed before it is released: those
        # committed since the first look are exactly those above the highest id it could see.
        matcher.load_candidates(after_id=seen_up_to)
        result.origin_cluster_id = source_assign_origin_cluster(source=source, signature=signature)
        _extract(source, statements, matcher, result)
        source.claims_extracted_at = timezone.now()
        source.save(update_fields=["claims_extracted_at"])
        claims_check_request(claim_ids=result.created, trigger=CheckTrigger.EXTRACTION)
        claims_check_request(claim_ids=result.related, trigger=CheckTrigger.NEW_SOURCE)
    return result


def _lock_final_step() -> None:
    """Held until the transaction ends: one extraction at a time matches against the latest claims
    and inserts (what it inserts is committed before the next one looks)."""
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


def _extract(source: Source, statements: list[Passage], matcher: ClaimMatcher, result: ExtractionResult) -> None:
    """Each statement, in order, becomes an appearance of the claim it restates or a new claim
    (which the statements after it are compared with); then every row is inserted in bulk."""
    # An undated source gives undated claims and appearances: the day it was ingested is not the day
    # anything was said (a reviewer sees "date unknown", never the ingest day passed off as one).
    published = source.published_at.date() if source.published_at else None
    related: set[int] = set()
    new_claims: list[Claim] = []
    appearances: list[tuple[int, Passage, float, str]] = []  # claim key (see ClaimMatcher.add_claim)
    suggestions: list[tuple[int, int, float]] = []  # new claim's key, candidate, score
    matched: list[int] = []
    for index, passage in enumerate(statements):
        claimant = passage.speaker
        match = matcher.best_match(index, claimant=claimant, related=related)
        if match is not None and match.score >= settings.FACTCHECK_MATCH_AUTO_THRESHOLD and not match.apart:
            appearances.append((match.claim_id, passage, match.score, MatchKind.AUTOMATIC))
            matcher.add_wording(match.claim_id, passage.text)
            matched.append(match.claim_id)
            continue
        key = matcher.add_claim(passage.text, claimant)
        new_claims.append(
            Claim(
                text=passage.text,
                claimant=claimant[:300],
                claim_date=claim_date(passage.text, published),
                origin_source=source,
                origin_passage=passage,
                check_worthiness=passage.check_worthiness or 0.0,
                worthiness_reasons=passage.worthiness_reasons,
                # Its check is requested below, in this transaction (claims_check_request would move it
                # from "new" to "checking": an UPDATE rewriting each new row and its index entries).
                status=Claim.Status.CHECKING,
            )
        )
        appearances.append((key, passage, 1.0, MatchKind.ORIGIN))
        if match is not None and match.score >= settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD:
            suggestions.append((key, match.claim_id, match.score))
    # Each new claim inserted with its count (its origin, and the statements after it that restate it):
    # counted afterwards, the UPDATE rewrote every new row and its index entries a second time.
    counts = Counter(key for key, *_ in appearances)
    for index, claim in enumerate(new_claims):
        claim.appearance_count = counts[ClaimMatcher.key_of_new_claim(index)]
    # One INSERT for the claims and one for their history rows (a "created" record each, as a save makes).
    created = [claim.pk for claim in bulk_create_with_history(new_claims, Claim)]

    def claim_id(key: int) -> int:
        return created[ClaimMatcher.new_claim_index(key)] if key < 0 else key

    appeared_at = source.published_at
    ClaimAppearance.objects.bulk_create(
        ClaimAppearance(
            claim_id=claim_id(key),
            passage=passage,
            source=source,
            appeared_at=appeared_at,
            match_score=round(score, 4),
            match_kind=kind,
        )
        for key, passage, score, kind in appearances
    )
    ClaimMatchSuggestion.objects.bulk_create(
        ClaimMatchSuggestion(claim_id=claim_id(key), candidate_id=claim_id(candidate), score=score)
        for key, candidate, score in suggestions
    )
    result.created = created
    result.matched = [claim_id(key) for key in matched]
    result.suggested = [claim_id(key) for key, _, _ in suggestions]
    result.related = sorted({claim_id(key) for key in related} - set(created))
    claims_appearance_count_refresh(claim_ids=[key for key in matched if key > 0])


@dataclass
class _Candidate:
    claimant: str
    wordings: list[str]  # the claim's text, then its first APPEARANCES_COMPARED appearances'


class ClaimMatcher:
    """The claims a source's statements may restate, loaded for all of them in one round of
    queries (their ids, then only the texts scored: each claim's text and claimant and its first
    APPEARANCES_COMPARED wordings), and the best match of each statement among them.

    Claims the statements themselves become are added as they are decided (``add_claim``), under
    negative keys until they are inserted, so that a later statement of the source can restate one.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.candidates_of: list[list[int]] = [[] for _ in texts]
        self.claims: dict[int, _Candidate] = {}
        self.weight: Weight = unweighted
        # One backend for both looks at the claims: it remembers the statements' query words.
        self.search = get_search_backend()
        # Statement index and claim: the similarity with each of the claim's wordings compared so far.
        self._similarities: dict[tuple[int, int], list[Similarity]] = {}

    def load_candidates(self, *, after_id: int = 0) -> None:
        """Add each statement's MATCH_CANDIDATES most similar claims (above ``after_id``)."""
        found = self.search.similar_claims_many(self.texts, limit=MATCH_CANDIDATES, after_id=after_id)
        new_ids = {claim_id for ids in found for claim_id in ids} - self.claims.keys()
        if new_ids:
            rows = Claim.objects.filter(pk__in=new_ids).values_list("pk", "text", "claimant")
            for claim_id, text, claimant in rows:
                self.claims[claim_id] = _Candidate(claimant, [text])
            for claim_id, text in _first_wordings(new_ids):
                self.claims[claim_id].wordings.append(text)
        for candidates, ids in zip(self.candidates_of, found, strict=True):
            candidates.extend(claim_id for claim_id in ids if claim_id in self.claims and claim_id not in candidates)
        if new_ids or self.weight is unweighted:
            # The same weights as one lookup per statement gave: each stem's from TermStat.
            self.weight = idf_for([*self.texts, *(text for claim in self.claims.values() for text in claim.wordings)])

    def compare(self) -> None:
        """Compare each statement with every wording of its candidates loaded so far: the costly part
        of matching, done before the lock and remembered; ``best_match`` then compares only what
        came after (claims committed meanwhile, the source's own new claims)."""
        for index, candidates in enumerate(self.candidates_of):
            for claim_id in candidates:
                self._compared(index, claim_id)

    def _compared(self, index: int, claim_id: int) -> list[Similarity]:
        done = self._similarities.setdefault((index, claim_id), [])
        wordings = self.claims[claim_id].wordings
        done.extend(statement_similarity(self.texts[index], other, self.weight) for other in wordings[len(done) :])
        return done

    def best_match(self, index: int, *, claimant: str = "", related: set[int] | None = None) -> Match | None:
        """The claim most likely stating the same fact as statement ``index``, if any shares its words.

        Claims about the same thing (similar enough, figures agreeing or not) are added to
        ``related``: the new passage is evidence for or against them, so they are re-checked.
        """
        text = self.texts[index]
        quoted = has_quotation(text)
        best: Match | None = None
        for claim_id in self.candidates_of[index]:
            claim = self.claims[claim_id]
            similarities = self._compared(index, claim_id)
            # Different figures for the same thing are two claims the cross-check weighs, never one.
            score = max(0.0 if s.figures_conflict else s.score for s in similarities)
            if related is not None and max(s.score for s in similarities) >= RECHECK_SIMILARITY:
                related.add(claim_id)
            if best is None or score > best.score:
                best = Match(claim_id, score, other_speaker=quoted and not same_speaker(claimant, claim.claimant))
        if best is None:
            return None
        return replace(best, other_parties=names_replaced(text, self.claims[best.claim_id].wordings[0]) is not None)

    def add_wording(self, claim_id: int, text: str) -> None:
        """A statement matched the claim: the statements after it are compared with it too."""
        wordings = self.claims[claim_id].wordings
        if len(wordings) <= APPEARANCES_COMPARED:
            wordings.append(text)

    def add_claim(self, text: str, claimant: str) -> int:
        """A statement became a new claim: its key until inserted; every later statement is compared with it."""
        key = self.key_of_new_claim(sum(1 for claim_id in self.claims if claim_id < 0))
        self.claims[key] = _Candidate(claimant, [text])
        for candidates in self.candidates_of:
            candidates.append(key)
        return key

    @staticmethod
    def new_claim_index(key: int) -> int:
        return -1 - key

    @staticmethod
    def key_of_new_claim(index: int) -> int:
        return -1 - index


def _first_wordings(claim_ids: set[int]) -> list[tuple[int, str]]:
    """The passage text of each claim's first APPEARANCES_COMPARED appearances (only those: a
    claim restated by hundreds of articles costs no more than one restated by eight). The
    appearances are chosen first and only their passages read."""
    first = Window(RowNumber(), partition_by=F("claim_id"), order_by=F("id").asc())
    chosen = (
        ClaimAppearance.objects.filter(claim_id__in=claim_ids)
        .annotate(rank=first)
        .filter(rank__lte=APPEARANCES_COMPARED)
        .values("id")
    )
    return list(
        ClaimAppearance.objects.filter(pk__in=chosen)
        .order_by("claim_id", "id")
        .values_list("claim_id", "passage__text")
    )


# --- Copies -------------------------------------------------------------------------------


def source_assign_origin_cluster(*, source: Source, signature: list[int] | None = None) -> int:
    """Put the source in the origin cluster of the articles it nearly duplicates, or a new one.

    Candidates come from the indexed LSH band keys; each is confirmed by estimated
    similarity. If the source bridges several clusters they merge into the oldest.
    """
    if signature is None:
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
        suggestion.record_decision(SuggestionStatus.CONFIRMED, decided_by)
        return target


def suggestion_reject(*, suggestion_id: int, decided_by: object | None = None) -> None:
    with transaction.atomic():
        _pending_suggestion(suggestion_id).record_decision(SuggestionStatus.REJECTED, decided_by)


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
