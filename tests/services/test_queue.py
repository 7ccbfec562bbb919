"""The claim queue's stored fields stay current on every path that changes what they are made of.

``Claim.appearance_count`` is refreshed by the services that add or move appearances;
``Claim.priority`` is computed by the database from the claim's own columns. Each test walks a
real service path and compares the stored values with the priority recomputed here, from the
rule as the README states it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from factcheck.models import Claim, ClaimMatchSuggestion, RatingLabel
from factcheck.selectors import claims_with_stale_appearance_count
from factcheck.services import reviews
from factcheck.services.claims import suggestion_confirm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_corpus", "default_rating_scale", "roles")]


def expected_priority(claim: Claim) -> float:
    """The queue's rule: check-worthiness, +0.5 for conflicts found, +0.25 for a claim reported and
    confirmed by none, +0.5 for new evidence against a published verdict, +0.05 per appearance up to five."""
    found = {"conflicting": 0.5, "contradicted": 0.5, "reported": 0.25}.get(claim.assessment, 0.0)
    flagged = 0.5 if claim.has_new_evidence else 0.0
    return claim.check_worthiness + found + flagged + min(claim.appearances.count(), 5) * 0.05


def assert_stored_fields_current() -> None:
    assert not claims_with_stale_appearance_count().exists()
    for claim in Claim.objects.all():
        assert claim.appearance_count == claim.appearances.count(), claim.pk
        assert claim.priority == pytest.approx(expected_priority(claim)), claim.pk


def test_extraction_and_checks_leave_every_claim_with_its_count_and_priority() -> None:
    # The sample corpus went through extraction (new claims and matched appearances) and a
    # check of every claim (assessments, some conflicting).
    assert Claim.objects.filter(appearance_count__gte=4).exists()
    assert Claim.objects.filter(assessment__in=["conflicting", "contradicted"]).exists()
    assert_stored_fields_current()


def test_a_confirmed_merge_moves_the_count_to_the_claim_that_keeps_the_appearances() -> None:
    suggestion = ClaimMatchSuggestion.objects.order_by("id").first()
    assert suggestion is not None
    before = suggestion.claim.appearances.count() + suggestion.candidate.appearances.count()

    target = suggestion_confirm(suggestion_id=suggestion.pk)

    target.refresh_from_db()
    assert target.appearance_count == before
    assert Claim.objects.get(pk=suggestion.claim_id).appearance_count == 0
    assert_stored_fields_current()


def test_a_check_that_finds_conflicts_raises_the_priority_at_once() -> None:
    # What checks._record does with a check's result: a queryset update, no save().
    claim = Claim.objects.filter(assessment="corroborated").first()
    assert claim is not None
    before = claim.priority

    Claim.objects.filter(pk=claim.pk).update(assessment="conflicting")

    claim.refresh_from_db()
    assert claim.priority == pytest.approx(before + 0.5)


def test_a_claim_reported_and_confirmed_by_none_rises_but_below_a_conflict() -> None:
    claim = Claim.objects.filter(assessment="corroborated").first()
    assert claim is not None
    before = claim.priority

    Claim.objects.filter(pk=claim.pk).update(assessment="reported")
    claim.refresh_from_db()
    reported = claim.priority
    Claim.objects.filter(pk=claim.pk).update(assessment="conflicting")
    claim.refresh_from_db()

    assert reported == pytest.approx(before + 0.25)
    assert before < reported < claim.priority


def person(name: str, role: str):
    user = get_user_model().objects.create_user(name)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_new_evidence_against_a_published_verdict_raises_the_priority_and_republishing_lowers_it() -> None:
    reviewer, editor = person("queue-rita", "reviewer"), person("queue-edna", "editor")
    claim = Claim.objects.filter(assessment="corroborated").order_by("pk").first()
    assert claim is not None
    verdict = reviews.verdict_draft(
        claim_id=claim.pk, by=reviewer, rating_id=RatingLabel.objects.get(slug="true").pk, summary="Confirmed."
    )
    reviews.verdict_publish(verdict_id=verdict.pk, expected_version=None, by=editor)
    claim.refresh_from_db()
    published = claim.priority

    assert reviews.verdict_mark_stale(verdict_id=verdict.pk, reason="a new source conflicts")
    claim.refresh_from_db()
    assert (claim.has_new_evidence, claim.priority) == (True, pytest.approx(published + 0.5))

    reviews.verdict_correct(
        verdict_id=verdict.pk, expected_version=None, by=editor, correction_note="Re-checked.", summary="Still true."
    )
    claim.refresh_from_db()
    assert (claim.has_new_evidence, claim.priority) == (False, pytest.approx(published))
    assert_stored_fields_current()


def test_the_repair_command_recounts_claims_whose_count_went_wrong() -> None:
    # A path that bypassed the services (a bulk load, a raw UPDATE) left wrong counts.
    wrong = list(Claim.objects.order_by("pk").values_list("pk", flat=True)[:3])
    Claim.objects.filter(pk__in=wrong).update(appearance_count=99)
    assert set(claims_with_stale_appearance_count().values_list("pk", flat=True)) == set(wrong)

    out = StringIO()
    call_command("recompute_queue_fields", stdout=out)

    assert "3 claim(s) repaired" in out.getvalue()
    assert_stored_fields_current()


def test_saving_a_claim_loaded_before_an_appearance_arrived_keeps_the_new_count() -> None:
    claim = Claim.objects.filter(appearance_count__gte=2).order_by("pk").first()
    assert claim is not None
    stale = Claim.objects.get(pk=claim.pk)
    stale.appearance_count = 0  # what an instance loaded before a recount would hold

    stale.claimant = "Someone else"
    stale.save()

    claim.refresh_from_db()
    assert (claim.claimant, claim.appearance_count) == ("Someone else", claim.appearances.count())
