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

from factcheck.claimreview import fact_check_url
from factcheck.models import (
    PUBLIC_VERDICT_STATUSES,
    Claim,
    ClaimStatus,
    Evidence,
    RatingLabel,
    Verdict,
    VerdictStatus,
    WebhookEvent,
)
from factcheck.roles import can_publish, can_review
from factcheck.services.webhooks import webhook_event_emit

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", Claim, Verdict)

# What a reviewer may edit of a claim, while nothing froze it (see frozen_claim_fields).
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
    # Set even when None: simple-history would otherwise name the signed-in user of the
    # request that happened to run this (a check run in-process), blaming a person.
    obj._history_user = _actor(by)  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()


# --- Claims -------------------------------------------------------------------------------------


def frozen_claim_fields(claim: Claim) -> dict[str, str]:
    """The claim's editable fields that may not change now, each with the reason.

    Published means frozen: once any verdict of the claim has been public, its wording,
    claimant and date are what was rated in public (stale, corrected or retracted since, or
    not), and change only through a correction. While a verdict is being drafted, the
    wording is what the draft rates."""
    verdicts = list(claim.verdicts.all())
    published = next((v for v in verdicts if v.published_at is not None), None)
    if published is not None:
        why = f"verdict {published.pk} published it; it changes only through a correction"
        return dict.fromkeys(CLAIM_EDITABLE_FIELDS, why)
    drafted = next((v for v in verdicts if v.is_current and v.status == VerdictStatus.DRAFT), None)
    if drafted is not None:
        return {"text": f"draft verdict {drafted.pk} rates this wording"}
    return {}


def claim_update(*, claim_id: int, expected_version: int, by: User, changes: dict[str, Any]) -> Claim:
    """Edit what a reviewer may edit of a claim (its wording, claimant, date); other fields
    are refused. A field frozen by a verdict may be sent unchanged, never changed."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may edit claims")
    unknown = sorted(set(changes) - set(CLAIM_EDITABLE_FIELDS))
    if unknown:
        raise WorkflowError(f"{', '.join(unknown)} cannot be edited: the workflow sets them")
    with transaction.atomic():
        claim = _locked(Claim, claim_id, expected_version)
        changed = {field: value for field, value in changes.items() if getattr(claim, field) != value}
        frozen = frozen_claim_fields(claim)
        for field in changed:
            if field in frozen:
                raise WorkflowError(f"the claim's {_label(Claim, field)} cannot change: {frozen[field]}")
        if not changed:
            return claim
        for field, value in changed.items():
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
    """Archive claims no current verdict stands on (a public verdict, stale or not, is
    retracted first; a draft is published or discarded); returns how many were archived."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may archive claims")
    archived = 0
    for claim_id in claim_ids:
        with transaction.atomic():
            claim = _locked(Claim, claim_id, None)
            if claim.status == ClaimStatus.ARCHIVED or _current_verdict(claim) is not None:
                continue
            claim.status = ClaimStatus.ARCHIVED
            _save(claim, by, "archived")
            archived += 1
    return archived


def _current_verdict(claim: Claim) -> Verdict | None:
    """The verdict the claim stands on: a draft or a public one (a retracted one stands for nothing)."""
    return claim.verdicts.filter(is_current=True).exclude(status=VerdictStatus.RETRACTED).first()


# --- Verdicts -------------------------------------------------------------------------------------


def verdict_draft(
    *,
    claim_id: int,
    by: User,
    rating_id: int,
    summary: str,
    cited_evidence_ids: Iterable[int] = (),
    expected_claim_version: int | None = None,
) -> Verdict:
    """A reviewer's draft rating of a claim. One current verdict per claim: a claim whose
    verdict is being worked on or is public gets edits or corrections, not a second draft.
    ``expected_claim_version``: the claim as the reviewer read it (refused if it changed)."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may draft verdicts")
    rating = _active_rating(rating_id)
    summary = _required_summary(summary)
    with transaction.atomic():
        claim = _locked(Claim, claim_id, expected_claim_version)
        if claim.status == ClaimStatus.ARCHIVED:
            raise WorkflowError("the claim is archived")
        current = claim.verdicts.select_for_update().filter(is_current=True).first()
        if current is not None and current.status != VerdictStatus.RETRACTED:
            raise WorkflowError(f"the claim already has a current verdict ({current.pk}, {current.status})")
        if current is not None:
            current.is_current = False
            _save(current, by, "replaced by a new draft")
        verdict = Verdict(claim=claim, rating=rating, summary=summary, author=_person(by), status=VerdictStatus.DRAFT)
        verdict.version = 0
        _save(verdict, by, "drafted")
        verdict.cited_evidence.set(_evidence_of(claim, cited_evidence_ids))
        verdict.contributors.add(_person(by))
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
    """Edit a draft. Whoever changes its rating, summary or citations becomes one of its
    contributors, who may not publish it under four-eyes."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may edit verdicts")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status != VerdictStatus.DRAFT:
            raise WorkflowError(f"a {verdict.status} verdict is changed by a correction, not an edit")
        changed = False
        if rating_id is not None and rating_id != verdict.rating_id:
            verdict.rating, changed = _active_rating(rating_id), True
        new_summary = _required_summary(summary) if summary is not None else verdict.summary
        if new_summary != verdict.summary:
            verdict.summary, changed = new_summary, True
        cited: list[Evidence] | None = None
        if cited_evidence_ids is not None:
            cited = _evidence_of(verdict.claim, cited_evidence_ids)
            changed = changed or {e.pk for e in cited} != set(verdict.cited_evidence.values_list("pk", flat=True))
        if not changed:
            return verdict
        _save(verdict, by, "edited")
        if cited is not None:
            verdict.cited_evidence.set(cited)
        verdict.contributors.add(_person(by))
    return verdict


def verdict_discard(*, verdict_id: int, expected_version: int | None, by: User) -> None:
    """Delete a draft (with the permission to delete verdicts); its claim goes back to the
    queue as if it had never been rated. Public verdicts are never deleted: they are
    corrected or retracted, and stay on record."""
    if not (isinstance(by, AuthUser) and by.has_perm("factcheck.delete_verdict")):
        raise NotAllowed("deleting a draft verdict needs the permission to delete verdicts")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status != VerdictStatus.DRAFT:
            raise WorkflowError(f"a {verdict.status} verdict stays on record; it is corrected or retracted")
        claim = _locked(Claim, verdict.claim_id, None)
        verdict._history_user = _actor(by)  # type: ignore[attr-defined]
        verdict._change_reason = "draft discarded"  # type: ignore[attr-defined]
        verdict.delete()
        if claim.status == ClaimStatus.RATED:
            claim.status = ClaimStatus.IN_REVIEW if claim.assignee_id else ClaimStatus.NEEDS_REVIEW
        _save(claim, by, f"draft verdict {verdict_id} discarded")


def verdict_publish(*, verdict_id: int, expected_version: int | None, by: User) -> Verdict:
    """An editor approves and publishes a draft; under four-eyes never one they wrote or
    changed (its author and everyone who set its rating, summary or citations)."""
    if not can_publish(by):
        raise NotAllowed("only editors may publish verdicts")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status != VerdictStatus.DRAFT:
            raise WorkflowError(f"the verdict is {verdict.status}; only drafts are published")
        if settings.FACTCHECK_FOUR_EYES and _contributed(verdict, by):
            raise NotAllowed("four-eyes: another editor must publish a verdict you drafted or changed")
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
    claim_changes: dict[str, Any] | None = None,
) -> Verdict:
    """Correct a public verdict (stale or not): a new revision with a public note saying what
    changed, and a webhook. It may also correct the claim's wording, claimant or date (a
    published claim changes no other way).

    A correction that changes the rating needs two editors under four-eyes: it is kept
    as a proposal (``proposed_correction``) until another editor confirms it
    (verdict_correction_confirm); the public verdict is unchanged until then."""
    if not can_publish(by):
        raise NotAllowed("only editors may correct verdicts")
    note = correction_note.strip()
    if not note:
        raise WorkflowError("a correction needs a public note saying what changed")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in PUBLIC_VERDICT_STATUSES:
            raise WorkflowError(f"only published verdicts are corrected; this one is {verdict.status}")
        if verdict.proposed_correction:
            raise WorkflowError("a rating correction awaits a second editor: confirm or withdraw it first")
        rating = _active_rating(rating_id) if rating_id is not None else verdict.rating
        correction = _Correction(
            rating=rating,
            summary=_required_summary(summary) if summary is not None else verdict.summary,
            note=note,
            claim_changes=_claim_corrections(verdict.claim, claim_changes or {}),
        )
        if settings.FACTCHECK_FOUR_EYES and rating.pk != verdict.rating_id:
            verdict.proposed_correction = correction.as_proposal(by)
            _save(verdict, by, "rating correction proposed")
            return verdict
        _apply_correction(verdict, correction, by)
    return verdict


def verdict_correction_confirm(*, verdict_id: int, expected_version: int | None, by: User) -> Verdict:
    """A second editor confirms a proposed rating correction, which is then published."""
    if not can_publish(by):
        raise NotAllowed("only editors may confirm corrections")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        proposal = verdict.proposed_correction
        if not proposal or verdict.status not in PUBLIC_VERDICT_STATUSES:
            raise WorkflowError("no correction awaits confirmation on this verdict")
        if proposal["by"] == by.pk:
            raise NotAllowed("four-eyes: another editor must confirm a correction you proposed")
        correction = _Correction(
            rating=_active_rating(proposal["rating"]),
            summary=proposal["summary"],
            note=proposal["correction_note"],
            claim_changes=_claim_corrections(verdict.claim, _claim_values(proposal.get("claim", {}))),
        )
        verdict.proposed_correction = None
        _apply_correction(verdict, correction, by)
    return verdict


def verdict_correction_withdraw(*, verdict_id: int, expected_version: int | None, by: User) -> Verdict:
    """Drop a proposed rating correction (any editor): the public verdict stays as it is."""
    if not can_publish(by):
        raise NotAllowed("only editors may withdraw corrections")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if not verdict.proposed_correction:
            raise WorkflowError("no correction awaits confirmation on this verdict")
        verdict.proposed_correction = None
        _save(verdict, by, "rating correction withdrawn")
    return verdict


@dataclass(frozen=True)
class _Correction:
    rating: RatingLabel
    summary: str
    note: str
    claim_changes: dict[str, Any]

    def as_proposal(self, by: User) -> dict[str, Any]:
        claim = {field: _json_value(value) for field, value in self.claim_changes.items()}
        return {
            "rating": self.rating.pk,
            "summary": self.summary,
            "correction_note": self.note,
            "claim": claim,
            "by": by.pk,
            "at": timezone.now().isoformat(),
        }


def _claim_corrections(claim: Claim, changes: dict[str, Any]) -> dict[str, Any]:
    """The claim fields a correction changes (unchanged values dropped)."""
    unknown = sorted(set(changes) - set(CLAIM_EDITABLE_FIELDS))
    if unknown:
        raise WorkflowError(f"a correction may change the claim's {', '.join(CLAIM_EDITABLE_FIELDS)}, not {unknown}")
    changed = {field: value for field, value in changes.items() if getattr(claim, field) != value}
    if "text" in changed and not str(changed["text"]).strip():
        raise WorkflowError("the claim's wording cannot be empty")
    return changed


def _claim_values(stored: dict[str, Any]) -> dict[str, Any]:
    """A proposal's claim fields back from JSON (the date was stored as ISO text)."""
    values = dict(stored)
    if values.get("claim_date"):
        values["claim_date"] = dt.date.fromisoformat(values["claim_date"])
    return values


def _apply_correction(verdict: Verdict, correction: _Correction, by: User) -> None:
    verdict.rating, verdict.summary = correction.rating, correction.summary
    verdict.status, verdict.correction_note, verdict.is_stale = VerdictStatus.CORRECTED, correction.note, False
    _save(verdict, by, "corrected")
    verdict.claim = _claim_public(verdict.claim, by, f"verdict {verdict.pk} corrected", correction.claim_changes)
    _emit(WebhookEvent.CORRECTED, verdict)


def verdict_retract(*, verdict_id: int, expected_version: int | None, by: User, note: str) -> Verdict:
    """Withdraw a public verdict, with a public note why; it stays on record, and the claim
    goes back to the queue."""
    if not can_publish(by):
        raise NotAllowed("only editors may retract verdicts")
    if not note.strip():
        raise WorkflowError("a retraction needs a public note saying why")
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, expected_version)
        if verdict.status not in PUBLIC_VERDICT_STATUSES:
            raise WorkflowError(f"only published verdicts are retracted; this one is {verdict.status}")
        verdict.status, verdict.correction_note, verdict.proposed_correction = VerdictStatus.RETRACTED, note, None
        _save(verdict, by, "retracted")
        claim = _locked(Claim, verdict.claim_id, None)
        claim.status = ClaimStatus.NEEDS_REVIEW
        _save(claim, by, f"verdict {verdict.pk} retracted")
        _emit(WebhookEvent.RETRACTED, verdict)
    return verdict


def verdict_mark_stale(*, verdict_id: int, reason: str) -> bool:
    """New evidence conflicts with a public verdict: flag it and send its claim back to the
    queue (a living verdict). Returns False if it was not public or already flagged.
    Recorded as the system's change, not any person's."""
    with transaction.atomic():
        verdict = _locked(Verdict, verdict_id, None)
        if verdict.status not in PUBLIC_VERDICT_STATUSES or verdict.is_stale:
            return False
        verdict.is_stale = True
        _save(verdict, None, f"stale: {reason}"[:100])
        claim = _locked(Claim, verdict.claim_id, None)
        claim.status, claim.has_new_evidence = ClaimStatus.NEEDS_REVIEW, True
        _save(claim, None, f"new evidence: {reason}"[:100])
        _emit(WebhookEvent.STALE, verdict, reason=reason)
    return True


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _contributed(verdict: Verdict, user: User) -> bool:
    return verdict.author_id == user.pk or verdict.contributors.filter(pk=user.pk).exists()


def _required_summary(summary: str) -> str:
    summary = summary.strip()
    if not summary:
        raise WorkflowError("a verdict needs a summary")
    return summary


def _label(model: type[models.Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def _actor(by: User | None) -> AuthUser | None:
    """The person a history row names; None records the change as the system's."""
    return by if isinstance(by, AuthUser) and by.is_authenticated else None


def _person(user: User) -> AuthUser:
    """The signed-in user a verdict records (the services are only reached by signed-in people)."""
    assert isinstance(user, AuthUser), "verdicts are written by signed-in users"
    return user


def _claim_public(claim: Claim, by: User, reason: str, changes: dict[str, Any] | None = None) -> Claim:
    """The claim of a verdict that stands in public (published or corrected), with the
    corrections of its own fields, if any; returns it as saved."""
    claim = _locked(Claim, claim.pk, None)
    for field, value in (changes or {}).items():
        setattr(claim, field, value)
    claim.status, claim.has_new_evidence = ClaimStatus.PUBLISHED, False
    _save(claim, by, reason)
    return claim


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
            "url": fact_check_url(verdict) if verdict.slug else None,
            "version": verdict.version,
        },
        "claim": {"id": claim.pk, "text": claim.text, "claimant": claim.claimant},
        **extra,
    }
