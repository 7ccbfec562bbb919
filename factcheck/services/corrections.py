"""Reviewers teach the checker: a passage's stance marked wrong, with the right one, kept as a label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from factcheck.crosscheck.desk_labels import DeskLabel
from factcheck.models import Evidence, Stance, StanceCorrection
from factcheck.roles import can_review
from factcheck.services.reviews import NotAllowed, WorkflowError


def evidence_stance_correct(*, evidence_id: int, by: Any, stance: str, note: str = "") -> StanceCorrection:
    """Record that the checker's stance on this evidence is wrong and which is right. The evidence
    row is left as the checker wrote it; the correction is stored beside it, with the texts read."""
    if not can_review(by):
        raise NotAllowed("only reviewers and editors may correct the checker")
    if stance not in Stance.values:
        raise WorkflowError(f"choose a stance: {', '.join(Stance.values)}")
    with transaction.atomic():
        evidence = Evidence.objects.select_related("run__claim", "passage").filter(pk=evidence_id).first()
        if evidence is None:
            raise WorkflowError("no such evidence")
        if evidence.stance == stance:
            raise WorkflowError("that is the stance the checker gave: choose the one it should have given")
        return StanceCorrection.objects.create(
            evidence=evidence,
            claim=evidence.run.claim,
            passage=evidence.passage,
            claim_text=evidence.run.claim.text,
            passage_text=evidence.passage.text,
            machine_stance=evidence.stance,
            machine_reason=evidence.reason,
            human_stance=stance,
            note=note.strip()[:2000],
            corrected_by=by,
        )


def corrections_since(days: int) -> int:
    """How many times the checker was corrected in the last ``days`` days."""
    return StanceCorrection.objects.filter(corrected_at__gte=timezone.now() - dt.timedelta(days=days)).count()


def desk_labels(*, since: dt.datetime | None = None) -> Iterator[DeskLabel]:
    """Every correction as a training label, oldest first; the latest word on a passage for a claim
    wins (a reviewer who corrected a correction meant the second)."""
    corrections = StanceCorrection.objects.select_related("corrected_by").order_by("corrected_at", "id")
    if since is not None:
        corrections = corrections.filter(corrected_at__gte=since)
    latest: dict[tuple[int, int], StanceCorrection] = {}
    for correction in corrections.iterator():
        latest.pop((correction.claim_id, correction.passage_id), None)
        latest[(correction.claim_id, correction.passage_id)] = correction
    for c in latest.values():
        yield DeskLabel(
            claim_id=str(c.claim_id),
            claim=c.claim_text,
            passage_id=str(c.passage_id),
            passage=c.passage_text,
            stance=c.human_stance,
            machine_stance=c.machine_stance,
            corrected_by=c.corrected_by.get_username() if c.corrected_by else "",
            corrected_at=c.corrected_at.isoformat(),
        )
