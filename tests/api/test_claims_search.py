"""claims:search: a client written for Google's Fact Check Tools API runs unchanged against us."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck.models import Claim, ImportedReview, RatingLabel, Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

GOOGLE_SHAPED = Path(__file__).parents[1] / "fixtures" / "claims_search" / "google_response.json"
SEARCH = "/api/v1/claims:search"


def google_client(base_url: str, api_key: str, **params: Any) -> list[dict]:
    """What a client written from Google's documentation does: GET claims:search with its key and
    parameters, then follow nextPageToken until it is empty, keeping every claim."""
    claims: list[dict] = []
    params = {"key": api_key, **params}
    while True:
        answer = requests.get(f"{base_url}/api/v1/claims:search", params=params, timeout=10)
        answer.raise_for_status()
        body = answer.json()
        claims.extend(body.get("claims", []))
        token = body.get("nextPageToken")
        if not token:
            return claims
        params = {**params, "pageToken": token}


def ours(text: str, *, status: str = "published", days_ago: int = 1, claim_date: dt.date | None = None) -> Verdict:
    claim = Claim.objects.create(text=text, claimant="Teodor Malesh", claim_date=claim_date)
    published = timezone.now() - dt.timedelta(days=days_ago)
    return Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug="mostly-false"),
        summary="Other outlets give about 15,000.",
        status=status,
        published_at=published if status != "draft" else None,
        slug=f"check-{Claim.objects.count()}-{status}",
    )


def theirs(text: str, *, site: str = "factdesk.example", language: str = "en", days_ago: int = 1, **fields: Any):
    number = ImportedReview.objects.count() + 1
    return ImportedReview.objects.create(
        url=f"https://{site}/checks/{number}",
        publisher_name="Northern Fact Desk",
        publisher_site=site,
        title=f"Checked: {text[:40]}",
        claim_text=text,
        textual_rating="False",
        review_date=timezone.now() - dt.timedelta(days=days_ago),
        language_code=language,
        imported_from=f"https://{site}/feed.json",
        **fields,
    )


def reader_token() -> str:
    reader = get_user_model().objects.create_user(f"newsroom{get_user_model().objects.count()}")
    reader.groups.add(Group.objects.get(name="reader"))
    return AuthToken.objects.create(reader)[1]


def search(**params: Any) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {reader_token()}")
    return client.get(SEARCH, params)


def texts(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [claim["text"] for claim in answer.json()["claims"]]


# --- What it serves -----------------------------------------------------------------------------


def test_it_serves_our_published_and_corrected_fact_checks_and_imported_ones_but_never_a_retracted_or_draft() -> None:
    ours("Oskaria sent 11,000 soldiers to Korva.")
    ours("Oskaria sent 12,000 soldiers by sea.", status="corrected")
    ours("Oskaria sent 13,000 soldiers by air.", status="retracted")
    ours("Oskaria sent 14,000 soldiers by rail.", status="draft")
    theirs("Oskaria sent 15,000 soldiers overland.")

    found = texts(search(query="Oskaria soldiers"))

    assert sorted(found) == [
        "Oskaria sent 11,000 soldiers to Korva.",
        "Oskaria sent 12,000 soldiers by sea.",
        "Oskaria sent 15,000 soldiers overland.",
    ]


def test_our_fact_check_names_us_as_publisher_with_its_page_rating_and_dates(settings) -> None:
    settings.FACTCHECK_ORGANIZATION_NAME = "Harbour Fact Desk"
    settings.FACTCHECK_ORGANIZATION_URL = "https://facts.harbour.example/"
    settings.FACTCHECK_PUBLIC_BASE_URL = "https://facts.harbour.example"
    verdict = ours("Oskaria sent 11,000 soldiers to Korva.", claim_date=dt.date(2025, 4, 8))

    (claim,) = search(query="Oskaria").json()["claims"]

    assert claim["claimant"] == "Teodor Malesh"
    assert claim["claimDate"] == "2025-04-08T00:00:00Z"
    (review,) = claim["claimReview"]
    assert review["publisher"] == {"name": "Harbour Fact Desk", "site": "facts.harbour.example"}
    assert review["url"] == f"https://facts.harbour.example/fact-checks/{verdict.slug}/"
    assert review["textualRating"] == "Mostly false"
    assert review["languageCode"] == "en-US"
    assert review["title"].startswith("Fact-check: Mostly false — Oskaria sent")
    assert verdict.published_at is not None
    assert review["reviewDate"] == verdict.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_every_field_it_sends_is_where_google_sends_it_with_the_same_type() -> None:
    ours("Oskaria sent 11,000 soldiers to Korva.", claim_date=dt.date(2025, 4, 8))
    theirs("Oskaria sent 15,000 soldiers overland.", claimant="Ivo Petrak", claim_date=dt.date(2025, 4, 9))
    google = json.loads(GOOGLE_SHAPED.read_text())

    answer = search(query="Oskaria", pageSize=1).json()
    second = search(query="Oskaria", pageSize=1, pageToken=answer["nextPageToken"]).json()

    for page in (answer, second):
        assert set(page) <= set(google)
        for claim in page["claims"]:
            assert set(claim) <= set(google["claims"][0])
            for review in claim["claimReview"]:
                assert set(review) <= set(google["claims"][0]["claimReview"][0])
                assert set(review["publisher"]) <= {"name", "site"}
            assert_same_types(claim, google["claims"][0])
    assert {"text", "claimant", "claimDate", "claimReview"} <= set(second["claims"][0]) | set(answer["claims"][0])


def assert_same_types(ours_: Any, google: Any) -> None:
    assert type(ours_) is type(google)
    if isinstance(ours_, dict):
        for name, value in ours_.items():
            assert_same_types(value, google[name])
    elif isinstance(ours_, list):
        for item in ours_:
            assert_same_types(item, google[0])
    elif isinstance(ours_, str) and google.endswith("Z") and google[:4].isdigit():
        assert dt.datetime.strptime(ours_, "%Y-%m-%dT%H:%M:%SZ")


# --- Parameters ---------------------------------------------------------------------------------


def test_the_query_reads_the_claim_and_its_review() -> None:
    ours("Oskaria sent 11,000 soldiers to Korva.")
    theirs("Korva closed its border crossings.")
    theirs("The harbour bridge collapsed in March.")

    assert texts(search(query="border")) == ["Korva closed its border crossings."]
    assert texts(search(query="Mostly false")) == ["Oskaria sent 11,000 soldiers to Korva."]  # our rating's name
    assert texts(search(query="checked bridge")) == ["The harbour bridge collapsed in March."]  # their title


def test_the_site_filter_takes_a_publisher_and_its_subdomains_only() -> None:
    theirs("Korva closed its border crossings.", site="www.factdesk.example")
    theirs("Korva closed its airports.", site="factdesk.example")
    theirs("Korva closed its ports.", site="notfactdesk.example")
    ours("Korva closed its schools.")

    assert sorted(texts(search(reviewPublisherSiteFilter="factdesk.example"))) == [
        "Korva closed its airports.",
        "Korva closed its border crossings.",
    ]


def test_our_own_site_filter_finds_ours(settings) -> None:
    settings.FACTCHECK_ORGANIZATION_URL = "https://facts.harbour.example/"
    ours("Korva closed its schools.")
    theirs("Korva closed its ports.")

    assert texts(search(reviewPublisherSiteFilter="harbour.example")) == ["Korva closed its schools."]


def test_the_language_code_compares_the_language_not_the_region() -> None:
    theirs("Korva closed its border crossings.", language="en")
    theirs("Korva cerró sus fronteras.", language="es-419")
    theirs("Korva closed its airports.", language="en-GB")

    assert sorted(texts(search(query="Korva", languageCode="en-US"))) == [
        "Korva closed its airports.",
        "Korva closed its border crossings.",
    ]
    assert texts(search(query="Korva", languageCode="es")) == ["Korva cerró sus fronteras."]


def test_max_age_counts_the_newer_of_the_claim_and_review_dates() -> None:
    theirs("Korva closed its border crossings.", days_ago=40)
    theirs("Korva closed its airports.", days_ago=40, claim_date=timezone.now().date() - dt.timedelta(days=3))
    theirs("Korva closed its ports.", days_ago=2)
    ours("Korva closed its schools.", days_ago=60)

    assert sorted(texts(search(query="Korva", maxAgeDays=7))) == [
        "Korva closed its airports.",
        "Korva closed its ports.",
    ]
    assert len(texts(search(query="Korva", maxAgeDays=90))) == 4


def test_it_pages_with_page_size_and_offset_newest_first() -> None:
    for day in range(1, 8):
        theirs(f"Korva closed crossing number {day}.", days_ago=day)

    first = search(reviewPublisherSiteFilter="factdesk.example", pageSize=3).json()
    from_offset = search(reviewPublisherSiteFilter="factdesk.example", pageSize=3, offset=3).json()

    assert [claim["text"] for claim in first["claims"]] == [f"Korva closed crossing number {day}." for day in (1, 2, 3)]
    assert [claim["text"] for claim in from_offset["claims"]] == [
        f"Korva closed crossing number {day}." for day in (4, 5, 6)
    ]
    assert first["nextPageToken"]
    assert from_offset["nextPageToken"]
    last = search(reviewPublisherSiteFilter="factdesk.example", pageSize=3, offset=6).json()
    assert len(last["claims"]) == 1
    assert last["nextPageToken"] == ""


def test_the_page_size_defaults_to_ten_and_is_capped() -> None:
    for number in range(105):
        theirs(f"Korva closed crossing number {number}.")

    assert len(texts(search(query="Korva"))) == 10
    assert len(texts(search(query="Korva", pageSize=1000))) == 100


def test_a_page_costs_the_same_queries_however_large() -> None:
    for number in range(30):
        theirs(f"Korva closed crossing number {number}.")
        ours(f"Korva closed school number {number}.")

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(texts(search(query="Korva", pageSize=size))) == size
        return len(captured)

    assert queries(31) == queries(60)  # both kinds on each page


# --- Errors, as Google gives them -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Either query or reviewPublisherSiteFilter must be set."),
        ({"query": "  "}, "Either query or reviewPublisherSiteFilter must be set."),
        ({"query": "Korva", "pageSize": "-1"}, "pageSize must be a whole number"),
        ({"query": "Korva", "pageSize": "ten"}, "pageSize must be a whole number"),
        ({"query": "Korva", "maxAgeDays": "1.5"}, "maxAgeDays must be a whole number"),
        ({"query": "Korva", "offset": "99999999"}, "offset may be at most"),
        ({"query": "Korva", "languageCode": "e n"}, "languageCode is not a BCP 47 language tag"),
        ({"query": "Korva\x00"}, "query holds a character it may not"),
        ({"query": "x" * 501}, "query is longer than 500 characters."),
        ({"reviewPublisherSiteFilter": "evil.example/<script>"}, "reviewPublisherSiteFilter is not a site name"),
        ({"query": "Korva", "pageToken": "not-a-token"}, "Invalid pageToken."),
        ({"query": "Korva", "sort": "date"}, "Unknown parameter 'sort'."),
    ],
)
def test_a_bad_parameter_is_a_400_in_googles_shape(params: dict, message: str) -> None:
    answer = search(**params)

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith(message)


def test_a_page_token_works_only_with_the_parameters_that_made_it() -> None:
    for day in range(1, 5):
        theirs(f"Korva closed crossing number {day}.", days_ago=day)
    token = search(query="Korva", pageSize=2).json()["nextPageToken"]

    assert texts(search(query="Korva", pageSize=2, pageToken=token)) == [
        "Korva closed crossing number 3.",
        "Korva closed crossing number 4.",
    ]
    for other in ({"query": "Korva crossing"}, {"query": "Korva", "pageSize": 3}, {"query": "Korva", "maxAgeDays": 9}):
        answer = search(**{"pageSize": 2, **other, "pageToken": token})
        assert answer.status_code == 400
        assert "pageToken does not belong to these parameters" in answer.json()["error"]["message"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert search(query="Korva", pageSize=2, pageToken=forged).status_code == 400


def test_the_token_comes_in_the_header_or_as_googles_key_and_nothing_is_served_without_one() -> None:
    theirs("Korva closed its border crossings.")
    anonymous = APIClient()

    assert texts(search(query="Korva")) == ["Korva closed its border crossings."]
    assert texts(anonymous.get(SEARCH, {"query": "Korva", "key": reader_token()})) == [
        "Korva closed its border crossings."
    ]
    assert anonymous.get(SEARCH, {"query": "Korva"}).status_code == 401
    assert anonymous.get(SEARCH, {"query": "Korva", "key": "0" * 64}).status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert wrong.get(SEARCH, {"query": "Korva"}).status_code == 401


# --- The client, unchanged -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_client_written_for_google_pages_through_everything_with_next_page_token(live_server) -> None:
    for number in range(1, 8):
        ours(f"Oskaria sent {number},000 soldiers to Korva.", days_ago=number)
        theirs(f"Oskaria sent {number},500 soldiers overland.", days_ago=number)
    ours("Oskaria sent 9,000 soldiers by air.", status="retracted")

    claims = google_client(live_server.url, reader_token(), query="Oskaria soldiers", languageCode="en-US", pageSize=4)

    found = [claim["text"] for claim in claims]
    assert len(found) == 14
    assert len(set(found)) == 14
    assert "Oskaria sent 9,000 soldiers by air." not in found
    assert all(claim["claimReview"][0]["url"].startswith(("http://", "https://")) for claim in claims)
