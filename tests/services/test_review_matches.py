"""Already fact-checked: a new claim another desk has checked is shown with that fact-check, on the
review page and in the API, and a reviewer links it or sets it aside; nothing enters our verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.documents import Document
from factcheck.models import (
    Claim,
    ClaimMatchSuggestion,
    ImportedReview,
    ImportedReviewMatch,
    RatingLabel,
    SuggestionStatus,
    Verdict,
)
from factcheck.services.checks import claim_check_now
from factcheck.services.ingest import source_ingest
from factcheck.services.review_matches import (
    ReviewMatchError,
    Statement,
    review_match_confirm,
    review_match_reject,
    review_matches_for_claims,
    reviews_match_claims,
)
from tests.workspace.people import person as signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

ARTICLE = (
    "Flooding in the Korvan city of Dravno killed 214 people on Tuesday, the Korvan health ministry said. "
    "Rescue teams from three neighbouring regions reached the city by boat. "
    "The river rose four metres above its usual level overnight, according to the national weather office."
)
THEIR_CLAIM = "The Dravno floods killed 214 people, the Korvan health ministry said on Tuesday."


def review(claim_text: str = THEIR_CLAIM, **fields: object) -> ImportedReview:
    number = ImportedReview.objects.count() + 1
    defaults: dict[str, object] = {
        "url": f"https://factdesk.example/checks/{number}",
        "publisher_name": "Northern Fact Desk",
        "publisher_site": "factdesk.example",
        "claim_text": claim_text,
        "textual_rating": "Accurate",
        "review_date": dt.datetime(2025, 4, 10, 14, 2, tzinfo=dt.UTC),
        "imported_from": "https://factdesk.example/feed.json",
    }
    return ImportedReview.objects.create(**{**defaults, **fields})


def person(name: str, role: str):
    """A desk member or a reader (their user; the API tests sign them in themselves)."""
    return signed_in(name, role)[1]


def claim_of_article(django_capture_on_commit_callbacks, fragment: str = "214") -> Claim:
    """The article ingested, split, its claims extracted and checked (tasks sent on commit, run here)."""
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(document=Document(text=ARTICLE, format="text"), outlet_name="Harbour Herald")
    return Claim.objects.get(text__contains=fragment)


@pytest.fixture
def new_claim(tasks_in_process: None, django_capture_on_commit_callbacks) -> Claim:
    """Another desk's fact-check is imported; then an article arrives, and its claims are extracted and checked."""
    review()
    return claim_of_article(django_capture_on_commit_callbacks)


def test_a_new_claim_another_desk_checked_is_shown_with_that_fact_check_in_the_api(new_claim: Claim) -> None:
    reviewer = APIClient()
    reviewer.force_authenticate(person("rita", "reviewer"))

    answer = reviewer.get(f"/api/v1/claims/{new_claim.pk}/already-checked/")

    assert answer.status_code == 200
    (item,) = answer.json()
    assert item["kind"] == "imported"
    assert item["in_words"] == "Checked by Northern Fact Desk on 2025-04-10: Accurate"
    assert item["url"] == "https://factdesk.example/checks/1"
    assert item["claim_text"] == THEIR_CLAIM
    assert item["score"] >= 0.35


def test_the_review_page_shows_it_and_confirming_there_links_it(new_claim: Claim, client) -> None:
    client.force_login(person("rita", "reviewer"))
    page = reverse("admin:factcheck_claim_review", args=[new_claim.pk])
    match = ImportedReviewMatch.objects.get(claim=new_claim)
    match.status = SuggestionStatus.PENDING  # as a match between the thresholds is
    match.save()

    html = client.get(page).content.decode()
    assert "Already fact-checked?" in html
    assert "Checked by Northern Fact Desk on 2025-04-10: Accurate" in html
    assert 'href="https://factdesk.example/checks/1"' in html

    client.post(page, {"action": "review_match_confirm", "match": match.pk})

    match.refresh_from_db()
    assert match.status == SuggestionStatus.CONFIRMED
    assert match.decided_by is not None
    assert "linked" in client.get(page).content.decode()
    assert not Verdict.objects.filter(claim=new_claim).exists()  # nothing copied into a verdict of ours


def test_confirming_and_rejecting_through_the_api_link_it_or_set_it_aside(new_claim: Claim) -> None:
    reviewer = APIClient()
    reviewer.force_authenticate(person("rita", "reviewer"))
    match = ImportedReviewMatch.objects.get(claim=new_claim)
    base = f"/api/v1/claims/{new_claim.pk}/already-checked/{match.pk}"

    rejected = reviewer.post(f"{base}/reject/")
    assert rejected.status_code == 200
    assert rejected.json() == []  # set aside: no longer shown
    assert reviewer.post(f"{base}/reject/").status_code == 409
    confirmed = reviewer.post(f"{base}/confirm/")
    assert confirmed.status_code == 200
    assert [item["status"] for item in confirmed.json()] == ["confirmed"]


def test_a_match_is_decided_only_on_its_own_claim_and_only_by_reviewers(new_claim: Claim) -> None:
    match = ImportedReviewMatch.objects.get(claim=new_claim)
    other = Claim.objects.create(text="The river rose four metres above its usual level.")
    reviewer, reader = APIClient(), APIClient()
    reviewer.force_authenticate(person("rita", "reviewer"))
    reader.force_authenticate(person("newsroom", "reader"))

    assert reviewer.post(f"/api/v1/claims/{other.pk}/already-checked/{match.pk}/reject/").status_code == 409
    assert reader.get(f"/api/v1/claims/{new_claim.pk}/already-checked/").status_code in (403, 404)
    assert reader.post(f"/api/v1/claims/{new_claim.pk}/already-checked/{match.pk}/reject/").status_code in (403, 404)
    with pytest.raises(ReviewMatchError):
        review_match_reject(match_id=match.pk, claim_id=other.pk)
    assert ImportedReviewMatch.objects.get(pk=match.pk).status != SuggestionStatus.REJECTED


# --- The matcher's rules ------------------------------------------------------------------------------


def test_above_the_automatic_threshold_it_is_linked_between_the_thresholds_it_waits(settings) -> None:
    review()
    claim = Statement(1, "The Dravno floods killed 214 people, the health ministry said.", "")
    (found,) = review_matches_for_claims([claim])
    assert found.score >= settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD

    settings.FACTCHECK_MATCH_AUTO_THRESHOLD = found.score
    assert review_matches_for_claims([claim])[0].automatic
    settings.FACTCHECK_MATCH_AUTO_THRESHOLD = min(1.0, found.score + 0.01)
    assert not review_matches_for_claims([claim])[0].automatic
    settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD = settings.FACTCHECK_MATCH_AUTO_THRESHOLD
    assert review_matches_for_claims([claim]) == []


def test_different_figures_for_the_same_thing_are_another_claim() -> None:
    review()

    found = review_matches_for_claims(
        [Statement(1, "The Dravno floods killed 96 people, the health ministry said.", "")]
    )

    assert found == []


def test_a_quotation_in_another_speakers_mouth_is_never_linked_without_a_reviewer(settings) -> None:
    settings.FACTCHECK_MATCH_AUTO_THRESHOLD = settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD
    review('"We will rebuild every bridge in Dravno," the mayor said.', claimant="Ana Vrel")

    (found,) = review_matches_for_claims(
        [Statement(1, '"We will rebuild every bridge in Dravno," the minister said.', "Ivo Petrak")]
    )
    (same_speaker,) = review_matches_for_claims(
        [Statement(2, '"We will rebuild every bridge in Dravno," the mayor said.', "Ana Vrel")]
    )

    assert not found.automatic
    assert same_speaker.automatic


def test_a_fact_check_about_other_parties_is_never_linked_without_a_reviewer(settings) -> None:
    """Alike in every other word: "the Veskan health ministry" checked another country's toll."""
    settings.FACTCHECK_MATCH_AUTO_THRESHOLD = settings.FACTCHECK_MATCH_SUGGEST_THRESHOLD
    review()

    (other,) = review_matches_for_claims(
        [Statement(1, THEIR_CLAIM.replace("Dravno", "Ostrel").replace("Korvan", "Veskan"), "")]
    )
    (same,) = review_matches_for_claims([Statement(2, THEIR_CLAIM, "")])

    assert not other.automatic
    assert same.automatic


def test_a_review_imported_after_the_claim_is_matched_to_it_and_a_decision_survives_a_recheck(
    settings, tasks_in_process: None, django_capture_on_commit_callbacks
) -> None:
    settings.FACTCHECK_MATCH_AUTO_THRESHOLD = 1.0  # every match waits for a reviewer
    claim = claim_of_article(django_capture_on_commit_callbacks)
    assert not ImportedReviewMatch.objects.exists()
    arrived = review()
    unrelated = review("Korva's parliament passed the budget on Friday.")

    assert reviews_match_claims(review_ids=[arrived.pk, unrelated.pk]) == 1
    match = ImportedReviewMatch.objects.get()
    assert (match.claim_id, match.review_id, match.status) == (claim.pk, arrived.pk, SuggestionStatus.PENDING)

    review_match_reject(match_id=match.pk, claim_id=claim.pk)
    with django_capture_on_commit_callbacks(execute=True):
        claim_check_now(claim_id=claim.pk)
    assert reviews_match_claims(review_ids=[arrived.pk]) == 0
    assert ImportedReviewMatch.objects.get().status == SuggestionStatus.REJECTED


def test_our_own_published_fact_check_of_the_same_claim_is_listed_too(settings) -> None:
    settings.FACTCHECK_ORGANIZATION_NAME = "Harbour Fact Desk"
    older = Claim.objects.create(text=THEIR_CLAIM, status="published")
    Verdict.objects.create(
        claim=older,
        rating=RatingLabel.objects.get(slug="true"),
        summary="Confirmed by the ministry's list.",
        status="published",
        published_at=timezone.now(),
        slug="dravno-214",
    )
    new = Claim.objects.create(text="Flooding in Dravno killed 214 people, the Korvan health ministry said.")
    suggestion = ClaimMatchSuggestion.objects.create(claim=new, candidate=older, score=0.5)
    reviewer = APIClient()
    reviewer.force_authenticate(person("rita", "reviewer"))

    (item,) = reviewer.get(f"/api/v1/claims/{new.pk}/already-checked/").json()

    assert item["kind"] == "ours"
    assert item["id"] == suggestion.pk
    assert item["in_words"].startswith("Checked by Harbour Fact Desk on ")
    assert item["url"].endswith("/fact-checks/dravno-214/")


def test_confirming_twice_is_refused() -> None:
    claim = Claim.objects.create(text=THEIR_CLAIM)
    match = ImportedReviewMatch.objects.create(claim=claim, review=review(), score=0.5)

    review_match_confirm(match_id=match.pk, claim_id=claim.pk)
    with pytest.raises(ReviewMatchError, match="already confirmed"):
        review_match_confirm(match_id=match.pk, claim_id=claim.pk)


def test_the_desk_finds_the_claims_another_desk_checked_on_its_home_in_its_list_and_in_the_api(
    new_claim: Claim,
) -> None:
    match = ImportedReviewMatch.objects.get(claim=new_claim)
    match.status = SuggestionStatus.PENDING
    match.save()
    other = Claim.objects.create(text="The river rose four metres above its usual level.", status="needs_review")
    client, reviewer = Client(), APIClient()
    client.force_login(person("rita", "reviewer"))
    reviewer.force_authenticate(person("ravi", "reviewer"))
    reader = APIClient()
    reader.force_authenticate(person("newsroom", "reader"))

    home = client.get(reverse("admin:index")).content.decode()
    assert "Checked by other desks? Waiting for you to say" in home
    assert reverse("admin:factcheck_claim_review", args=[new_claim.pk]) + "#already-checked" in home
    listed = client.get(reverse("admin:factcheck_claim_changelist"), {"checked_elsewhere": "pending"})
    assert list(listed.context["cl"].result_list) == [new_claim]
    ids = [row["id"] for row in reviewer.get("/api/v1/claims/", {"checked_elsewhere": "pending"}).json()["results"]]
    assert ids == [new_claim.pk]
    assert other.pk not in ids
    assert reviewer.get("/api/v1/claims/", {"checked_elsewhere": "linked"}).json()["results"] == []
    assert reader.get("/api/v1/claims/", {"checked_elsewhere": "pending"}).status_code == 403

    review_match_confirm(match_id=match.pk, claim_id=new_claim.pk)
    assert "Checked by other desks?" not in client.get(reverse("admin:index")).content.decode()
    ids = [row["id"] for row in reviewer.get("/api/v1/claims/", {"checked_elsewhere": "linked"}).json()["results"]]
    assert ids == [new_claim.pk]
