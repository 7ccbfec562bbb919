"""History that tells the truth: the system's changes are the system's, a person's are that
person's, and values read as words (labels, names, evidence), not ids."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history.models import HistoricalRecords

from factcheck.history import history_changes
from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, RatingLabel, Source
from factcheck.services import reviews
from factcheck.services.claims import source_extract_claims
from factcheck.services.passages import source_split

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

ARTICLE = (
    "The port authority said on Tuesday that 41 people were taken to hospital after the fire. "
    "Officials confirmed that 12 ships were damaged in the harbour of Velmar."
)


def person(name: str, role: str):
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def split_source() -> Source:
    outlet = Outlet.objects.create(name="Velmar Gazette")
    source = Source.objects.create(outlet=outlet, text=ARTICLE, content_hash="a" * 64)
    source_split(source_id=source.pk)
    return source


@pytest.fixture
def inside_a_request():
    """What simple-history's middleware leaves while a person's request runs: that person."""
    user = person("rita", "reviewer")
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    yield user
    del HistoricalRecords.context.request


def test_a_task_run_inside_a_persons_request_is_recorded_as_the_systems(split_source, inside_a_request) -> None:
    from workers.tasks import extract_claims

    extract_claims.apply(args=[split_source.pk])

    created = Claim.history.filter(history_type="+")
    assert created.exists()
    assert set(created.values_list("history_user", flat=True)) == {None}


def test_without_the_task_wrapper_the_person_would_be_blamed(split_source, inside_a_request) -> None:
    """The control for the test above: the same service called directly, in the request, names
    the person, so the task wrapper is what makes the system the author."""
    source_extract_claims(source_id=split_source.pk)

    assert set(Claim.history.filter(history_type="+").values_list("history_user", flat=True)) == {inside_a_request.pk}


def test_a_stale_flag_is_the_systems_and_values_read_as_words() -> None:
    reviewer, editor = person("rita", "reviewer"), person("eli", "editor")
    outlet = Outlet.objects.create(name="Coast Courier")
    source = Source.objects.create(outlet=outlet, text="Thirty died.", content_hash="b" * 64)
    passage = Passage.objects.create(source=source, position=0, text="Thirty died.", start_offset=0, end_offset=12)
    claim = Claim.objects.create(text="Twelve people died in the strike.", status="needs_review")
    run = CheckRun.objects.create(claim=claim, status="succeeded")
    evidence = Evidence.objects.create(run=run, passage=passage, stance="conflicts", reason="figure_conflict")
    true = RatingLabel.objects.get(slug="true")
    verdict = reviews.verdict_draft(
        claim_id=claim.pk, by=reviewer, rating_id=true.pk, summary="Yes.", cited_evidence_ids=[evidence.pk]
    )
    reviews.verdict_publish(verdict_id=verdict.pk, expected_version=None, by=editor)
    reviews.verdict_mark_stale(verdict_id=verdict.pk, reason="a new source conflicts")

    verdict_history = history_changes(verdict.history.all())
    stale, published, drafted = verdict_history[0], verdict_history[1], verdict_history[-1]
    assert (stale["by"], stale["reason"]) == (None, "stale: a new source conflicts")
    assert {"field": "is_stale", "label": "is stale", "old": "no", "new": "yes"} in stale["changes"]
    assert published["by"] == "eli"
    changes = {c["field"]: (c["old"], c["new"]) for c in published["changes"]}
    assert changes["status"] == ("Draft", "Published")
    assert changes["approved_by"] == (None, "eli")
    assert drafted["kind"] == "created"

    claim_history = history_changes(claim.history.all())
    assert claim_history[0]["by"] is None  # the stale flag sent it back to the queue
    assert ("Published", "Needs review") in [(c["old"], c["new"]) for c in claim_history[0]["changes"]]

    cited = next(
        change
        for entry in verdict_history
        for change in entry["changes"]
        if change["field"] == "cited_evidence" and change["new"]
    )
    assert cited["new"] == ["Coast Courier: contradicts, gives a different figure"]
