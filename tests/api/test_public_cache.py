"""Readers' verdict pages come from the cache, and a change to what they show empties it at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Claim, Verdict
from tests.api import test_views
from tests.api.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

# The API tests' fixtures: three readers' and reviewers' users, a published verdict and a draft.
people, world = test_views.people, test_views.world

PAGES = ["/api/v1/verdicts/", "/api/v1/verdicts/{id}/", "/api/v1/verdicts/{id}/claimreview/"]


def get_counting(client, url: str, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, [q["sql"] for q in queries.captured_queries]


def verdict_queries(sql: list[str]) -> list[str]:
    return [q for q in sql if "factcheck_verdict" in q]


@pytest.mark.parametrize("page", PAGES)
def test_a_readers_second_request_is_the_same_page_without_reading_the_verdicts_again(people, world, page) -> None:
    reader = client_for(people["reader"])
    url = page.format(id=world["public_verdict"].pk)
    first, first_sql = get_counting(reader, url)
    second, second_sql = get_counting(reader, url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("ETag") == first.get("ETag")
    assert verdict_queries(first_sql)
    assert verdict_queries(second_sql) == []
    assert len(second_sql) < len(first_sql)


def test_the_order_of_query_parameters_does_not_make_another_page(people, world) -> None:
    reader = client_for(people["reader"])
    get_counting(reader, "/api/v1/verdicts/?status=published&ordering=-published_at")
    _, sql = get_counting(reader, "/api/v1/verdicts/?ordering=-published_at&status=published")
    assert verdict_queries(sql) == []
    other, sql = get_counting(reader, "/api/v1/verdicts/?status=retracted")
    assert verdict_queries(sql)
    assert other.json()["results"] == []


def test_a_retraction_reaches_readers_at_once(people, world) -> None:
    reader, editor = client_for(people["reader"]), client_for(people["editor"])
    verdict = world["public_verdict"]
    for page in PAGES:
        assert reader.get(page.format(id=verdict.pk)).status_code == 200
    etag = editor.get(f"/api/v1/verdicts/{verdict.pk}/")["ETag"]
    response = editor.post(
        f"/api/v1/verdicts/{verdict.pk}/retract/", {"note": "Sources withdrawn."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    listed = reader.get("/api/v1/verdicts/").json()["results"]
    assert [(v["id"], v["status"]) for v in listed if v["id"] == verdict.pk] in ([], [(verdict.pk, "retracted")])
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json().get("status") != "published"


def test_a_correction_reaches_readers_at_once(people, world) -> None:
    reader, editor = client_for(people["reader"]), client_for(people["editor"])
    verdict = world["public_verdict"]
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()["rating"] == "true"
    etag = editor.get(f"/api/v1/verdicts/{verdict.pk}/")["ETag"]
    editor.post(
        f"/api/v1/verdicts/{verdict.pk}/correct/",
        {"correction_note": "The toll was revised to 13.", "summary": "Thirteen died."},
        HTTP_IF_MATCH=etag,
    )
    page = reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()
    assert (page["status"], page["summary"]) == ("corrected", "Thirteen died.")


def test_a_published_claims_new_wording_reaches_readers_at_once(people, world) -> None:
    reader = client_for(people["reader"])
    assert reader.get("/api/v1/verdicts/").json()["results"][0]["claim_text"].startswith("Twelve")
    claim = Claim.objects.get(pk=world["published"].pk)
    claim.text = "Thirteen people died in the strike."
    claim.save()
    assert reader.get("/api/v1/verdicts/").json()["results"][0]["claim_text"].startswith("Thirteen")


def test_reviewers_always_get_fresh_pages(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    _, first_sql = get_counting(reviewer, "/api/v1/verdicts/")
    _, second_sql = get_counting(reviewer, "/api/v1/verdicts/")
    assert len(verdict_queries(second_sql)) == len(verdict_queries(first_sql)) > 0


def test_a_draft_never_reaches_a_readers_cached_page(people, world) -> None:
    reader, reviewer = client_for(people["reader"]), client_for(people["reviewer"])
    assert {v["id"] for v in reviewer.get("/api/v1/verdicts/").json()["results"]} == {
        world["public_verdict"].pk,
        world["draft"].pk,
    }
    assert [v["id"] for v in reader.get("/api/v1/verdicts/").json()["results"]] == [world["public_verdict"].pk]
    assert reader.get(f"/api/v1/verdicts/{world['draft'].pk}/").status_code == 404


def test_no_cache_when_it_is_switched_off(people, world, settings) -> None:
    settings.FACTCHECK_PUBLIC_API_CACHE_SECONDS = 0
    reader = client_for(people["reader"])
    get_counting(reader, "/api/v1/verdicts/")
    _, sql = get_counting(reader, "/api/v1/verdicts/")
    assert verdict_queries(sql)


def test_a_verdict_changed_outside_the_api_empties_the_cache(people, world) -> None:
    """As the admin or a shell does: a model instance saved, no service called."""
    reader = client_for(people["reader"])
    verdict = world["public_verdict"]
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()["summary"] == "Confirmed by two outlets."
    changed = Verdict.objects.get(pk=verdict.pk)
    changed.summary = "Confirmed by three outlets."
    changed.save()
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()["summary"] == "Confirmed by three outlets."
