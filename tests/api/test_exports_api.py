"""The API's exports (GET .../export/?format=csv|json): each role gets the rows its list gives it,
with the list's filters, as a file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone

from factcheck.models import Claim, RatingLabel, StanceCorrection, Verdict
from tests.api import test_views
from tests.api.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

# The API tests' fixtures: readers', reviewers' and editors' users, a published verdict and a draft.
people, world = test_views.people, test_views.world


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.DictReader(io.StringIO(body.decode())))
    return json.loads(body)


def test_it_exports_verdicts_as_csv_by_default_and_as_json_on_request(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    as_csv = reviewer.get("/api/v1/verdicts/export/")
    as_json = reviewer.get("/api/v1/verdicts/export/", {"format": "json"})
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_json["Content-Type"] == "application/json"
    assert as_csv["Content-Disposition"].endswith('.csv"')
    assert {int(row["id"]) for row in rows(as_csv)} == {v["id"] for v in rows(as_json)}


def test_it_gives_readers_only_the_verdicts_on_record(people, world) -> None:
    retracted_claim = Claim.objects.create(text="Withdrawn claim", status="published")
    retracted = Verdict.objects.create(
        claim=retracted_claim,
        rating=RatingLabel.objects.get(slug="false"),
        summary="Withdrawn.",
        status="retracted",
        published_at=timezone.now(),
        slug="withdrawn",
        correction_note="We got it wrong.",
    )
    reader = client_for(people["reader"])
    exported = {row["id"] for row in rows(reader.get("/api/v1/verdicts/export/", {"format": "json"}))}
    assert exported == {world["public_verdict"].pk, retracted.pk}  # never the draft
    reviewer = client_for(people["reviewer"])
    everything = {row["id"] for row in rows(reviewer.get("/api/v1/verdicts/export/", {"format": "json"}))}
    assert everything == {world["public_verdict"].pk, retracted.pk, world["draft"].pk}


def test_it_honours_the_lists_filters_and_search(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    drafts = rows(reviewer.get("/api/v1/verdicts/export/", {"format": "json", "status": "draft"}))
    assert [row["id"] for row in drafts] == [world["draft"].pk]
    found = rows(reviewer.get("/api/v1/verdicts/export/", {"format": "json", "search": "two outlets"}))
    assert [row["id"] for row in found] == [world["public_verdict"].pk]
    queue = rows(reviewer.get("/api/v1/claims/export/", {"format": "json", "status": "needs_review"}))
    assert [row["id"] for row in queue] == [world["open"].pk]


def test_a_bad_filter_or_format_is_a_400_that_says_why(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    bad_format = reviewer.get("/api/v1/verdicts/export/", {"format": "xml"})
    assert bad_format.status_code == 400
    assert bad_format.json()["fields"] == {"format": "csv or json"}
    bad_filter = reviewer.get("/api/v1/claims/export/", {"created_after": "yesterday"})
    assert bad_filter.status_code == 400
    assert "created_after" in bad_filter.json()["fields"]


def test_the_claim_export_follows_the_lists_rule(people, world) -> None:
    """Readers may list the claims with a published verdict: they may export those, and no more,
    with the desk's people named as the list names them (never by login name)."""
    Claim.objects.filter(pk=world["published"].pk).update(assignee=people["reviewer"])
    reader = rows(client_for(people["reader"]).get("/api/v1/claims/export/", {"format": "json"}))
    assert [(row["id"], row["assignee"]) for row in reader] == [(world["published"].pk, None)]
    reviewer = rows(client_for(people["reviewer"]).get("/api/v1/claims/export/", {"format": "json"}))
    assert {row["id"] for row in reviewer} == {world["published"].pk, world["drafted"].pk, world["open"].pk}
    assert {row["assignee"] for row in reviewer} == {"rita", None}


def test_stance_corrections_are_for_reviewers_only(people, world) -> None:
    evidence = world["evidence"]
    StanceCorrection.objects.create(
        evidence=evidence,
        claim=world["open"],
        passage=evidence.passage,
        claim_text=world["open"].text,
        passage_text=evidence.passage.text,
        machine_stance="supports",
        human_stance="mentions",
        note="+ only a report",
        corrected_by=people["reviewer"],
    )
    assert client_for(people["reader"]).get("/api/v1/stance-corrections/export/").status_code == 403
    assert client_for(None).get("/api/v1/stance-corrections/export/").status_code == 401
    exported = rows(client_for(people["reviewer"]).get("/api/v1/stance-corrections/export/"))
    assert [(row["corrected_by"], row["note"]) for row in exported] == [("rita", "'+ only a report")]


@pytest.mark.parametrize("path", ["/api/v1/verdicts/export/", "/api/v1/claims/export/"])
def test_no_one_exports_without_signing_in(path: str) -> None:
    assert client_for(None).get(path, {"format": "csv"}).status_code == 401
