"""The review workflow: reviewers work the claim queue and draft verdicts, editors publish.

Every change goes through here, in a transaction, on a row locked for the change, and is
guarded by the row's ``version`` (the ETag clients send back in If-Match): a change made
from a stale copy is refused, never silently applied over someone else's. simple-history
keeps every saved state with who saved it, so nothing a reviewer did is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from factcheck.models import Claim, ClaimStatus, Evidence, RatingLabel, Verdict, VerdictStatus, WebhookEvent
from factcheck.roles import can_publish, can_review
from factcheck.services.webhooks import webhook_event_emit

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", Claim, Verdict)

PUBLIC_STATUSES = (VerdictStatus.PUBLISHED, VerdictStatus.CORRECTED)
EDITABLE_STATUSES = (VerdictStatus.DRAFT, VerdictStatus.APPROVED)
# Claims a reviewer may edit the wording of: once a verdict is public the claim is what it rated.
CLAIM_EDITABLE_FIELDS = ("text", "claimant", "claim_date")


class WorkflowError(Exception):
    """The change is not allowed in the current state; ``status`` is the HTTP status that says so."""

    status = 409
    code = "conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleVersion(WorkflowError):
    status, code = 412, "precondition_failed"


class NotAllowed(WorkflowError):
    status, code = 403, "permission_denied"


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


# --- Versioned updates ------------------------------------------------------------------------


def _locked(model: type[M], pk: int, expected_version: int | None) -> M:
    """The row, locked until the transaction ends; refused when the caller's copy is stale.
    Concurrent updates with one ETag queue on the lock, and all but the first find the version moved."""
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion(
            f"{model._meta.verbose_name} {pk} changed since you read it (version {obj.version}, you sent "
            f"{expected_version}); read it again and reapply your change"
        )
    return obj


def _save(obj: models.Model, by: User | None, reason: str) -> None:
    obj.version += 1  # type: ignore[attr-defined]
    obj._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()


# --- Claims -------------------------------------------------------------------------------------


def claim_update(*, claim_id: int, expected_version: int, by: User, changes: dict[str, Any]) -> Claim:
    """Edit what a reviewer may edit of a claim (its wording, claimant, date); other fields are ignored."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may edit claims")
    allowed = {field: value for field, value in changes.items() if field in CLAIM_EDITABLE_FIELDS}
    with transaction.atomic():
        claim = _locked(Claim, claim_id, expected_version)
        if "text" in allowed and claim.status in (ClaimStatus.RATED, ClaimStatus.PUBLISHED):
            raise WorkflowError("the claim has a verdict; its wording is what was rated and cannot change")
        for field, value in allowed.items():
            setattr(claim, field, value)
        _save(claim, by, "edited")
    return claim


def claim_assign(*, claim_id: int, expected_version: int, by: User, assignee: Any | None) -> Claim:
    """Give the claim to a reviewer (or to nobody); it enters review when someone has it."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may assign claims")
    if assignee is not None and not can_review(assignee):
        raise WorkflowError(f"{assignee} is not a reviewer or editor")
    with transaction.atomic():
        claim = _locked(Claim, claim_id, expected_version)
        if claim.status == ClaimStatus.ARCHIVED:
            raise WorkflowError("the claim is archived")
        claim.assignee = assignee
        if assignee is not None and claim.status in (ClaimStatus.NEW, ClaimStatus.CHECKING, ClaimStatus.NEEDS_REVIEW):
            claim.status = ClaimStatus.IN_REVIEW
        if assignee is None and claim.status == ClaimStatus.IN_REVIEW and not claim.verdicts.filter(is_current=True):
            claim.status = ClaimStatus.NEEDS_REVIEW
        _save(claim, by, f"assigned to {assignee}" if assignee else "unassigned")
    return claim


def claims_archive(*, claim_ids: Iterable[int], by: User) -> int:
    """Archive claims that are not public; returns how many were archived."""
    archived = 0
    for claim_id in claim_ids:
        with transaction.atomic():
            claim = _locked(Claim, claim_id, None)
            if claim.status in (ClaimStatus.PUBLISHED, ClaimStatus.ARCHIVED):
                continue
            claim.status = ClaimStatus.ARCHIVED
            _save(claim, by, "archived")
            archived += 1
    return archived


def history_changes(history: Iterable[Any]) -> list[dict[str, Any]]:
    """simple-history records, newest first, each with the fields it changed (old → new)."""
    records = list(history)
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            changes = [Change(c.field, c.old, c.new) for c in delta.changes]
        entries.append(
            {
                "at": record.history_date,
                "by": record.history_user.get_username() if record.history_user else None,
                "kind": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "version": getattr(record, "version", None),
                "changes": [{"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in changes],
            }
        )
    return entries


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):  # many-to-many: a list of through rows
        return sorted(str(item) for item in value)
    return value


# --- Verdicts -------------------------------------------------------------------------------------


def verdict_draft(
    *, claim_id: int, by: User, rating_id: int, summary: str, cited_evidence_ids: Iterable[int] = ()
) -> Verdict:
    """A reviewer's draft rating of a claim. One current verdict per claim: a claim whose
    verdict is being worked on or is public gets edits or corrections, not a second draft."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may draft verdicts")
    rating = _active_rating(rating_id)
    with transaction.atomic():
        claim = _locked(Claim, claim_id, None)
        if claim.status == ClaimStatus.ARCHIVED:
            raise WorkflowError("the claim is archived")
        current = claim.verdicts.select_for_update().filter(is_current=True).first()
        if current is not None and current.status != VerdictStatus.RETRACTED:
            raise WorkflowError(f"the claim already has a current verdict ({current.pk}, {current.status})")
        if current is not None:
            current.is_current = False
            _save(current, by, "replaced by a new draft")
        verdict = Verdict(
            claim=claim, rating=rating, summary=summary.strip(), author=_person(by), status=VerdictStatus.DRAFT
        )
        verdict.version = 0
        _save(verdict, by, "drafted")
        verdict.cited_evidence.set(_evidence_of(claim, cited_evidence_ids))
        claim.status = ClaimStatus.RATED
        _save(claim, by, f"verdict {verdict.pk} drafted")
    return verdict


def verdict_update(
    *,
    verdict_id: int,
    expected_version: int,
    by: User,
    rating_id: int | None = None,
    summary: str | None = None,
    cited_evidence_ids: Iterable[int] | None = None,
) -> Verdict:
    """Edit a draft (an approved draft goes back to draft: what was approved changed)."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may edit verdicts")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in EDITABLE_STATUSES:
            raise WorkflowError(f"a {verdict.status} verdict is changed by a correction, not an edit")
        if rating_id is not None:
            verdict.rating = _active_rating(rating_id)
        if summary is not None:
            verdict.summary = summary.strip()
        verdict.status, verdict.approved_by = VerdictStatus.DRAFT, None
        _save(verdict, by, "edited")
        if cited_evidence_ids is not None:
            verdict.cited_evidence.set(_evidence_of(verdict.claim, cited_evidence_ids))
    return verdict


def verdict_publish(*, verdict_id: int, expected_version: int | None, by: User) -> Verdict:
    """An editor approves and publishes a draft; under four-eyes never their own."""
    if not can_publish(by):
        raise NotAllowed("only editors may publish verdicts")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in EDITABLE_STATUSES:
            raise WorkflowError(f"the verdict is {verdict.status}; only drafts are published")
        if settings.FACTCHECK_FOUR_EYES and verdict.author_id == by.pk:
            raise NotAllowed("four-eyes: another editor must publish a verdict you drafted")
        verdict.status, verdict.approved_by = VerdictStatus.PUBLISHED, _person(by)
        verdict.published_at = timezone.now()
        verdict.slug = verdict.slug or _slug_for(verdict)
        verdict.is_stale = False
        _save(verdict, by, "published")
        _claim_public(verdict.claim, by, f"verdict {verdict.pk} published")
        _emit(WebhookEvent.PUBLISHED, verdict)
    return verdict


def verdict_correct(
    *,
    verdict_id: int,
    expected_version: int | None,
    by: User,
    correction_note: str,
    rating_id: int | None = None,
    summary: str | None = None,
) -> Verdict:
    """Correct a public verdict: a new revision with a public note saying what changed."""
    if not can_publish(by):
        raise NotAllowed("only editors may correct verdicts")
    if not correction_note.strip():
        raise WorkflowError("a correction needs a public note saying what changed")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in PUBLIC_STATUSES:
            raise WorkflowError(f"only published verdicts are corrected; this one is {verdict.status}")
        if rating_id is not None:
            verdict.rating = _active_rating(rating_id)
        if summary is not None:
            verdict.summary = summary.strip()
        verdict.status, verdict.correction_note, verdict.is_stale = VerdictStatus.CORRECTED, correction_note, False
        _save(verdict, by, "corrected")
        _claim_public(verdict.claim, by, f"verdict {verdict.pk} corrected")
        _emit(WebhookEvent.CORRECTED, verdict)
    return verdict


def verdict_retract(*, verdict_id: int, expected_version: int | None, by: User, note: str) -> Verdict:
    """Withdraw a public verdict, with a public note why; it stays on record, and the claim
    goes back to the queue."""
    if not can_publish(by):
        raise NotAllowed("only editors may retract verdicts")
    if not note.strip():
        raise WorkflowError("a retraction needs a public note saying why")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in PUBLIC_STATUSES:
            raise WorkflowError(f"only published verdicts are retracted; this one is {verdict.status}")
        verdict.status, verdict.correction_note = VerdictStatus.RETRACTED, note
        _save(verdict, by, "retracted")
        claim = _locked(Claim, verdict.claim_id, None)
        claim.status = ClaimStatus.NEEDS_REVIEW
        _save(claim, by, f"verdict {verdict.pk} retracted")
        _emit(WebhookEvent.RETRACTED, verdict)
    return verdict


def verdict_mark_stale(*, verdict_id: int, reason: str) -> bool:
    """New evidence conflicts with a public verdict: flag it and send its claim back to the
    queue (a living verdict). Returns False if it was not public or already flagged."""
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, None)
        if verdict.status not in PUBLIC_STATUSES or verdict.is_stale:
            return False
        verdict.is_stale = True
        _save(verdict, None, f"stale: {reason}"[:100])
        claim = _locked(Claim, verdict.claim_id, None)
        claim.status, claim.has_new_evidence = ClaimStatus.NEEDS_REVIEW, True
        _save(claim, None, f"new evidence: {reason}"[:100])
        _emit(WebhookEvent.STALE, verdict, reason=reason)
    return True


def _person(user: User) -> AuthUser:
    """The signed-in user a verdict records (the services are only reached by signed-in people)."""
    assert isinstance(user, AuthUser), "verdicts are written by signed-in users"
    return user


def _claim_public(claim: Claim, by: User, reason: str) -> None:
    claim = _locked(Claim, claim.pk, None)
    claim.status, claim.has_new_evidence = ClaimStatus.PUBLISHED, False
    _save(claim, by, reason)


def _active_rating(rating_id: int) -> RatingLabel:
    rating = RatingLabel.objects.filter(pk=rating_id, is_active=True).first()
    if rating is None:
        raise WorkflowError(f"no active rating {rating_id}")
    return rating


def _evidence_of(claim: Claim, evidence_ids: Iterable[int]) -> list[Evidence]:
    wanted = set(evidence_ids)
    found = list(Evidence.objects.filter(pk__in=wanted, run__claim=claim))
    if len(found) != len(wanted):
        missing = sorted(wanted - {e.pk for e in found})
        raise WorkflowError(f"evidence {missing} is not evidence of claim {claim.pk}")
    return found


def _slug_for(verdict: Verdict) -> str:
    return f"{slugify(verdict.claim.text)[:80].strip('-') or 'claim'}-{verdict.pk}"


def _emit(event: str, verdict: Verdict, **extra: Any) -> None:
    webhook_event_emit(event=event, payload=verdict_event_payload(event, verdict, **extra))


def verdict_event_payload(event: str, verdict: Verdict, **extra: Any) -> dict[str, Any]:
    claim = verdict.claim
    return {
        "event": event,
        "sent_at": timezone.now().isoformat(),
        "verdict": {
            "id": verdict.pk,
            "status": verdict.status,
            "rating": verdict.rating.name,
            "rating_value": verdict.rating.value,
            "summary": verdict.summary,
            "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
            "correction_note": verdict.correction_note,
            "url": f"{settings.FACTCHECK_PUBLIC_BASE_URL}/fact-checks/{verdict.slug}/" if verdict.slug else None,
            "version": verdict.version,
        },
        "claim": {"id": claim.pk, "text": claim.text, "claimant": claim.claimant},
        **extra,
    }
