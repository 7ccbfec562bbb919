"""Database constraints: the invariants hold even when code above them errs."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, RatingLabel, Source, Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale")]


@pytest.fixture
def source() -> Source:
    outlet = Outlet.objects.create(name="Dune Dispatch")
    return Source.objects.create(outlet=outlet, text="Sand moved. Roads closed.", content_hash="a" * 64)


def violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_the_same_content_hash_is_stored_once(source: Source) -> None:
    assert violates(lambda: Source.objects.create(outlet=source.outlet, text="other", content_hash="a" * 64))


def test_a_url_is_unique_when_given_and_many_sources_may_have_none(source: Source) -> None:
    Source.objects.create(outlet=source.outlet, text="b", content_hash="b" * 64, url=None)
    Source.objects.create(outlet=source.outlet, text="c", content_hash="c" * 64, url="https://d.example/1")
    assert violates(
        lambda: Source.objects.create(outlet=source.outlet, text="d", content_hash="d" * 64, url="https://d.example/1")
    )


def test_passage_positions_are_unique_and_offsets_ordered(source: Source) -> None:
    Passage.objects.create(source=source, position=0, text="Sand moved.", start_offset=0, end_offset=11)
    assert violates(lambda: Passage.objects.create(source=source, position=0, text="x", start_offset=12, end_offset=13))
    assert violates(lambda: Passage.objects.create(source=source, position=1, text="x", start_offset=5, end_offset=5))


def test_outlet_weight_stays_between_0_and_1() -> None:
    assert violates(lambda: Outlet.objects.create(name="Heavy", reliability_weight=1.5))


def test_claim_status_and_scores_must_be_valid() -> None:
    assert violates(lambda: Claim.objects.create(text="x", status="maybe"))
    assert violates(lambda: Claim.objects.create(text="x", check_worthiness=2))
    assert violates(lambda: Claim.objects.create(text="x", assessment="probably"))


def test_evidence_is_stored_once_per_run_and_passage(source: Source) -> None:
    passage = Passage.objects.create(source=source, position=0, text="Sand moved.", start_offset=0, end_offset=11)
    run = CheckRun.objects.create(claim=Claim.objects.create(text="Sand moved"))
    Evidence.objects.create(run=run, passage=passage, stance="supports", reason="wording_overlap")
    assert violates(lambda: Evidence.objects.create(run=run, passage=passage, stance="mentions", reason="x"))


def test_a_claim_has_at_most_one_current_verdict() -> None:
    claim = Claim.objects.create(text="Roads closed")
    rating = RatingLabel.objects.get(slug="true")
    Verdict.objects.create(claim=claim, rating=rating, summary="Confirmed by two outlets.")
    assert violates(lambda: Verdict.objects.create(claim=claim, rating=rating, summary="Again"))
    Verdict.objects.create(claim=claim, rating=rating, summary="Superseded", is_current=False)


def test_a_published_verdict_has_a_publication_date() -> None:
    claim = Claim.objects.create(text="Roads closed")
    rating = RatingLabel.objects.get(slug="false")
    assert violates(lambda: Verdict.objects.create(claim=claim, rating=rating, summary="s", status="published"))
    Verdict.objects.create(claim=claim, rating=rating, summary="s", status="published", published_at=timezone.now())


def test_the_default_rating_scale_is_seeded_with_claimreview_values() -> None:
    scale = list(RatingLabel.objects.values_list("slug", "value"))
    assert scale == [
        ("false", 1),
        ("mostly-false", 2),
        ("mixed", 3),
        ("mostly-true", 4),
        ("true", 5),
        ("unproven", None),
    ]
