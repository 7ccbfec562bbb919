"""The REST API: each role gets exactly what it may have, and no update is silently lost."""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, RatingLabel, Source, Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]


def make_user(name: str, role: str):
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def people() -> dict:
    return {
        "reader": make_user("newsroom", "reader"),
        "reviewer": make_user("rita", "reviewer"),
        "reviewer2": make_user("ravi", "reviewer"),
        "editor": make_user("edna", "editor"),
        "editor2": make_user("eli", "editor"),
    }


@pytest.fixture
def world(people) -> dict:
    """A claim with a published verdict, a claim with a draft, and a claim nobody rated."""
    outlet = Outlet.objects.create(name="Harbour Herald")
    source = Source.objects.create(
        outlet=outlet, text="Twelve died. Rain fell.", content_hash="9" * 64, url="https://harbour.example/a"
    )
    passage = Passage.objects.create(source=source, position=0, text="Twelve died.", start_offset=0, end_offset=12)
    published = Claim.objects.create(text="Twelve people died in the strike.", status="published")
    drafted = Claim.objects.create(text="The station was a military hub.", status="rated")
    open_claim = Claim.objects.create(text="Forty-one people were injured.", status="needs_review")
    run = CheckRun.objects.create(claim=open_claim, status="succeeded", assessment="single_source")
    evidence = Evidence.objects.create(run=run, passage=passage, stance="supports", reason="figure_agrees")
    rating = RatingLabel.objects.get(slug="true")
    public_verdict = Verdict.objects.create(
        claim=published,
        rating=rating,
        summary="Confirmed by two outlets.",
        status="published",
        published_at=timezone.now(),
        slug="twelve-people-died",
        author=people["reviewer"],
        approved_by=people["editor"],
    )
    draft = Verdict.objects.create(claim=drafted, rating=rating, summary="Draft.", author=people["reviewer"])
    return {
        "published": published,
        "drafted": drafted,
        "open": open_claim,
        "public_verdict": public_verdict,
        "draft": draft,
        "evidence": evidence,
    }


# --- Readers ------------------------------------------------------------------------------------


def test_readers_see_only_published_claims_and_verdicts_in_lists_and_details(people, world) -> None:
    reader = client_for(people["reader"])

    claims = reader.get("/api/v1/claims/").json()["results"]
    verdicts = reader.get("/api/v1/verdicts/").json()["results"]

    assert [c["id"] for c in claims] == [world["published"].pk]
    assert [v["id"] for v in verdicts] == [world["public_verdict"].pk]
    assert reader.get(f"/api/v1/claims/{world['drafted'].pk}/").status_code == 404
    assert reader.get(f"/api/v1/claims/{world['open'].pk}/").status_code == 404
    assert reader.get(f"/api/v1/verdicts/{world['draft'].pk}/").status_code == 404
    assert reader.get(f"/api/v1/verdicts/{world['public_verdict'].pk}/").status_code == 200


def test_a_reviewer_sees_the_whole_queue_with_drafts(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    claims = {c["id"] for c in reviewer.get("/api/v1/claims/").json()["results"]}
    verdicts = {v["id"] for v in reviewer.get("/api/v1/verdicts/").json()["results"]}
    assert {world["published"].pk, world["drafted"].pk, world["open"].pk} <= claims
    assert {world["public_verdict"].pk, world["draft"].pk} == verdicts


ROLE_MATRIX = [
    # (role, method, path, expected status); {claim}, {open}, {verdict}, {draft} are filled in.
    ("anonymous", "get", "/api/v1/claims/", 401),
    ("anonymous", "get", "/api/v1/verdicts/", 401),
    ("anonymous", "get", "/api/v1/sources/", 401),
    ("anonymous", "get", "/api/v1/verdicts/{verdict}/claimreview/", 401),
    ("reader", "get", "/api/v1/claims/", 200),
    ("reader", "get", "/api/v1/claims/{claim}/", 200),
    ("reader", "get", "/api/v1/verdicts/", 200),
    ("reader", "get", "/api/v1/verdicts/{verdict}/", 200),
    ("reader", "get", "/api/v1/verdicts/{verdict}/claimreview/", 200),
    ("reader", "get", "/api/v1/sources/", 403),
    ("reader", "post", "/api/v1/sources/", 403),
    ("reader", "post", "/api/v1/claims/", 403),
    ("reader", "patch", "/api/v1/claims/{claim}/", 403),
    ("reader", "get", "/api/v1/claims/{claim}/evidence/", 403),
    ("reader", "get", "/api/v1/claims/{claim}/checks/", 403),
    ("reader", "get", "/api/v1/claims/{claim}/history/", 403),
    ("reader", "post", "/api/v1/claims/{claim}/check/", 403),
    ("reader", "post", "/api/v1/claims/{claim}/assign/", 403),
    ("reader", "post", "/api/v1/claims/{claim}/verdicts/", 403),
    ("reader", "patch", "/api/v1/verdicts/{verdict}/", 403),
    ("reader", "post", "/api/v1/verdicts/{verdict}/publish/", 403),
    ("reader", "post", "/api/v1/verdicts/{verdict}/correct/", 403),
    ("reader", "post", "/api/v1/verdicts/{verdict}/retract/", 403),
    ("reviewer", "get", "/api/v1/sources/", 200),
    ("reviewer", "get", "/api/v1/claims/{open}/evidence/", 200),
    ("reviewer", "get", "/api/v1/claims/{open}/checks/", 200),
    ("reviewer", "get", "/api/v1/claims/{open}/history/", 200),
    ("reviewer", "get", "/api/v1/verdicts/{draft}/", 200),
    ("reviewer", "post", "/api/v1/verdicts/{draft}/publish/", 403),
    ("reviewer", "post", "/api/v1/verdicts/{verdict}/correct/", 403),
    ("reviewer", "post", "/api/v1/verdicts/{verdict}/retract/", 403),
    ("reviewer", "get", "/api/v1/verdicts/{draft}/claimreview/", 404),
    ("editor", "get", "/api/v1/sources/", 200),
    ("editor", "get", "/api/v1/claims/{open}/history/", 200),
]


@pytest.mark.parametrize(("role", "method", "path", "expected"), ROLE_MATRIX)
def test_each_role_gets_what_it_may_have(people, world, role, method, path, expected) -> None:
    client = client_for(people.get(role))
    url = path.format(
        claim=world["published"].pk, open=world["open"].pk, verdict=world["public_verdict"].pk, draft=world["draft"].pk
    )
    response = getattr(client, method)(url, {}, format="json")
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith(("application/json", "application/ld+json"))


# --- Tokens -----------------------------------------------------------------------------------


def test_create_api_client_prints_a_token_once_and_stores_only_its_hash(world) -> None:
    out = StringIO()
    call_command("create_api_client", "Platform X", "--role", "reader", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]

    stored = AuthToken.objects.get(user__username="Platform X")
    assert token not in (stored.digest, stored.token_key)
    assert len(token) >= 32
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/verdicts/").status_code == 200
    assert client.get("/api/v1/sources/").status_code == 403

    stored.delete()  # revoked in the admin
    assert client.get("/api/v1/verdicts/").status_code == 401


def test_a_wrong_or_missing_token_is_refused_in_json() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/verdicts/")
    assert response.status_code == 401
    assert response.json()["error"] in {"authentication_failed", "not_authenticated"}


# --- No silent overwrite ------------------------------------------------------------------------


def test_an_update_needs_the_current_etag(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    url = f"/api/v1/claims/{world['open'].pk}/"
    etag = reviewer.get(url)["ETag"]

    assert reviewer.patch(url, {"claimant": "Governor Sedlak"}).status_code == 428
    assert reviewer.patch(url, {"claimant": "Governor Sedlak"}, HTTP_IF_MATCH='"999"').status_code == 412
    response = reviewer.patch(url, {"claimant": "Governor Sedlak"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert reviewer.patch(url, {"claimant": "Someone else"}, HTTP_IF_MATCH=etag).status_code == 412
    assert Claim.objects.get(pk=world["open"].pk).claimant == "Governor Sedlak"


def test_fields_the_workflow_sets_are_ignored_and_the_row_is_unchanged(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    claim = world["open"]
    before = Claim.objects.filter(pk=claim.pk).values("status", "assessment", "confidence", "assignee").get()
    etag = reviewer.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    sent = {"status": "published", "assessment": "corroborated", "confidence": 1, "assignee": "rita", "reviewer": 1}

    response = reviewer.patch(f"/api/v1/claims/{claim.pk}/", sent, HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert Claim.objects.filter(pk=claim.pk).values("status", "assessment", "confidence", "assignee").get() == before

    draft = world["draft"]
    etag = reviewer.get(f"/api/v1/verdicts/{draft.pk}/")["ETag"]
    sneaky = {"status": "published", "published_at": "2025-01-01T00:00:00Z", "approved_by": "edna", "summary": "Ok."}
    assert reviewer.patch(f"/api/v1/verdicts/{draft.pk}/", sneaky, HTTP_IF_MATCH=etag).status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.published_at, draft.approved_by, draft.summary) == ("draft", None, None, "Ok.")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_updates_with_one_etag_give_one_200_and_one_412(people, world) -> None:
    claim = world["open"]
    etag = client_for(people["reviewer"]).get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def update(user, claimant: str) -> None:
        try:
            start.wait()
            response = client_for(user).patch(f"/api/v1/claims/{claim.pk}/", {"claimant": claimant}, HTTP_IF_MATCH=etag)
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=update, args=(people["reviewer"], "First")),
        threading.Thread(target=update, args=(people["reviewer2"], "Second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 412]
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1


# --- The workflow ----------------------------------------------------------------------------------


def test_an_editor_cannot_publish_their_own_draft_but_another_editor_can(people, world, settings) -> None:
    editor, other = client_for(people["editor"]), client_for(people["editor2"])
    created = editor.post(
        f"/api/v1/claims/{world['open'].pk}/verdicts/",
        {"rating": "mostly-true", "summary": "Two outlets give 41.", "cited_evidence": [world["evidence"].pk]},
    )
    assert created.status_code == 201, created.content
    verdict = created.json()
    url = f"/api/v1/verdicts/{verdict['id']}/publish/"

    refused = editor.post(url, HTTP_IF_MATCH=created["ETag"])
    assert refused.status_code == 403
    assert "four-eyes" in refused.json()["detail"]
    published = other.post(url, HTTP_IF_MATCH=created["ETag"])
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["approved_by"] == "eli"
    assert published.json()["cited_evidence"] == [world["evidence"].pk]
    assert Claim.objects.get(pk=world["open"].pk).status == "published"


def test_four_eyes_can_be_turned_off(people, world, settings) -> None:
    settings.FACTCHECK_FOUR_EYES = False
    editor = client_for(people["editor"])
    created = editor.post(f"/api/v1/claims/{world['open'].pk}/verdicts/", {"rating": "true", "summary": "Yes."})
    response = editor.post(f"/api/v1/verdicts/{created.json()['id']}/publish/", HTTP_IF_MATCH=created["ETag"])
    assert response.status_code == 200


def test_a_published_verdict_is_corrected_and_retracted_never_deleted_and_its_history_shows_each_change(
    people, world
) -> None:
    editor, second_editor = client_for(people["editor"]), client_for(people["editor2"])
    verdict = world["public_verdict"]
    etag = editor.get(f"/api/v1/verdicts/{verdict.pk}/")["ETag"]

    proposed = editor.post(
        f"/api/v1/verdicts/{verdict.pk}/correct/",
        {"correction_note": "The toll was revised to 13.", "rating": "mostly-true"},
        HTTP_IF_MATCH=etag,
    )
    # A new rating waits for a second editor (four-eyes); the public verdict is unchanged till then.
    assert proposed.status_code == 202, proposed.content
    assert (proposed.json()["status"], proposed.json()["rating"]) == ("published", "true")
    assert proposed.json()["proposed_correction"]["rating"] == "mostly-true"
    own = editor.post(f"/api/v1/verdicts/{verdict.pk}/confirm-correction/", HTTP_IF_MATCH=proposed["ETag"])
    assert own.status_code == 403
    corrected = second_editor.post(f"/api/v1/verdicts/{verdict.pk}/confirm-correction/", HTTP_IF_MATCH=proposed["ETag"])
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["status"] == "corrected"
    assert corrected.json()["rating"] == "mostly-true"
    assert (
        editor.patch(f"/api/v1/verdicts/{verdict.pk}/", {"summary": "x"}, HTTP_IF_MATCH=corrected["ETag"]).status_code
        == 409
    )

    retracted = editor.post(
        f"/api/v1/verdicts/{verdict.pk}/retract/", {"note": "Sources withdrawn."}, HTTP_IF_MATCH=corrected["ETag"]
    )
    assert retracted.status_code == 200
    assert Verdict.objects.filter(pk=verdict.pk, status="retracted").exists()
    # Readers still find it, as retracted with its note: a client that showed the rating learns it was withdrawn.
    reader = client_for(people["reader"])
    listed = [v for v in reader.get("/api/v1/verdicts/").json()["results"] if v["id"] == verdict.pk]
    assert [(v["status"], v["correction_note"]) for v in listed] == [("retracted", "Sources withdrawn.")]
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()["status"] == "retracted"
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/").status_code == 404

    history = editor.get(f"/api/v1/claims/{verdict.claim_id}/history/").json()["verdicts"][str(verdict.pk)]
    assert [entry["reason"] for entry in history[:2]] == ["retracted", "corrected"]
    rating_change = next(c for c in history[1]["changes"] if c["field"] == "rating")
    assert rating_change["new"] != rating_change["old"]
    assert history[1]["by"] == "eli"


def test_assigning_takes_the_claim_into_review_and_needs_the_etag(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    url = f"/api/v1/claims/{world['open'].pk}/"
    etag = reviewer.get(url)["ETag"]
    assert reviewer.post(url + "assign/", {"assignee": "me"}).status_code == 428
    response = reviewer.post(url + "assign/", {"assignee": "me"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert (response.json()["assignee"], response.json()["status"]) == ("rita", "in_review")
    mine = reviewer.get("/api/v1/claims/", {"assignee": "me"}).json()["results"]
    assert [c["id"] for c in mine] == [world["open"].pk]
    assert reviewer.post(url + "assign/", {"assignee": "newsroom"}, HTTP_IF_MATCH=response["ETag"]).status_code == 409


# --- Errors, lists, schema ---------------------------------------------------------------------------


def test_every_error_is_json_with_a_code(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    missing = reviewer.get("/api/v1/claims/999999/")
    invalid = reviewer.post("/api/v1/claims/", {"text": "short"})
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert invalid.status_code == 400
    assert "text" in invalid.json()["fields"]


def test_lists_are_paginated_filtered_and_ordered(people, world) -> None:
    reviewer = client_for(people["reviewer"])
    page = reviewer.get("/api/v1/claims/", {"page_size": 1, "ordering": "created_at"}).json()
    assert page["count"] >= 3
    assert len(page["results"]) == 1
    assert page["results"][0]["id"] == world["published"].pk
    rated = reviewer.get("/api/v1/claims/", {"status": "rated"}).json()["results"]
    assert [c["id"] for c in rated] == [world["drafted"].pk]


def test_throttling_is_per_role(people, world, settings) -> None:
    from django.core.cache import cache

    cache.clear()
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "reader": "2/min"}}
    reader, reviewer = client_for(people["reader"]), client_for(people["reviewer"])
    codes = [reader.get("/api/v1/verdicts/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert reviewer.get("/api/v1/verdicts/").status_code == 200
    cache.clear()


def test_the_openapi_schema_and_the_docs_are_served_without_the_internet(client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/claims/{id}/assign/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
    assert "https://" not in docs


def test_an_unknown_api_path_is_a_json_404(client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_public_page_embeds_the_same_claimreview_the_api_serves(people, world) -> None:
    import extruct

    verdict = world["public_verdict"]
    api = client_for(people["reader"]).get(f"/api/v1/verdicts/{verdict.pk}/claimreview/").json()
    page = APIClient().get(f"/fact-checks/{verdict.slug}/").content.decode()
    embedded = extruct.extract(page, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    assert embedded == [api]
    assert api["reviewRating"]["alternateName"] == "True"


def test_posting_an_article_as_text_ingests_it_once(people, world, django_capture_on_commit_callbacks) -> None:
    reviewer = client_for(people["reviewer"])
    article = {"text": "The ferry sank. Nine people were rescued from the water.", "outlet": "Coast Courier"}
    first = reviewer.post("/api/v1/sources/", article)
    again = reviewer.post("/api/v1/sources/", article)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["outlet"] == "Coast Courier"
    assert reviewer.post("/api/v1/sources/", {"outlet": "Nobody"}).status_code == 400


def test_posting_a_url_on_loopback_is_refused_without_connecting(people, world) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        response = client_for(people["reviewer"]).post("/api/v1/sources/", {"url": f"http://127.0.0.1:{port}/news"})
        assert response.status_code == 400
        assert "url" in response.json()["fields"]
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


# --- Hostile input --------------------------------------------------------------------------------


def test_a_body_over_the_limit_gets_413_in_json(people, world, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client_for(people["reviewer"]).post(
        "/api/v1/sources/", {"text": "x" * 20_000, "outlet": "Big"}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


@pytest.mark.parametrize(
    "text",
    [
        "Nul \x00 bytes are not text at all, whatever the claim says.",
        "A lone surrogate \ud800 cannot be stored as UTF-8 by anyone.",
    ],
)
def test_text_that_cannot_be_stored_is_a_clear_400(people, world, text) -> None:
    body = json.dumps({"text": text})  # ASCII-escaped, as a hostile client would send it
    response = client_for(people["reviewer"]).post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/999999999999999999999999999999/",
        "/api/v1/verdicts/1e309/",
        "/api/v1/claims/?page=1e309",
        "/api/v1/claims/?page_size=" + "9" * 400,
        "/api/v1/claims/?created_after=not-a-date",
        "/api/v1/claims/?ordering=-nonexistent",
    ],
)
def test_odd_numbers_and_parameters_never_cause_a_server_error(people, world, path) -> None:
    response = client_for(people["reviewer"]).get(path)
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # What schemathesis found (tests/api/test_fuzz.py): each was a 500, the site's HTML page
        # or a 200 that ignored what it was asked.
        ("/api/v1/claims/?created_before=0457-02-17T02:25:53-16:00", 200),  # an offset PostgreSQL refuses
        ("/api/v1/verdicts/?published_after=0001-01-01T00:00:00%2B01:00", 400),  # before year 1 in UTC
        ("/api/v1/sources/%0A/", 404),  # a newline in the path
        ("/api/v1/claims/?page_size=null", 400),
        ("/api/v1/claims/?page_size=0", 400),
        ("/api/v1/claims/?page_size=", 200),  # empty is absent
        ("/api/v1/claims/?has_new_evidence=maybe", 400),
        ("/api/v1/verdicts/?is_stale=TRUE", 200),
        ("/api/v1/verdicts/?claim=999999", 200),  # no such claim: an empty list
        ("/api/v1/verdicts/?claim=1e309", 400),
        ("/api/v1/verdicts/?claim=" + "9" * 400, 400),
    ],
)
def test_parameters_the_api_cannot_use_are_a_json_400_not_a_500_or_ignored(people, world, path, expected) -> None:
    response = client_for(people["reviewer"]).get(path)
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")


def test_the_api_reads_json_only(people, world) -> None:
    response = client_for(people["reviewer"]).post(
        "/api/v1/claims/", {"text": "Twelve people died."}, format="multipart"
    )
    assert response.status_code == 415
    assert not Claim.objects.filter(text="Twelve people died.").exists()


@pytest.mark.parametrize("value", [12345678901, 12.5, True, ["a"], {"a": 1}])
def test_text_fields_take_text_only(people, world, value) -> None:
    body = {"text": "Twelve people died in the strike.", "claimant": value}
    response = client_for(people["reviewer"]).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert "claimant" in response.json()["fields"]


def test_a_draft_sent_with_the_claims_etag_is_refused_if_the_wording_changed(people, world) -> None:
    reviewer, other = client_for(people["reviewer"]), client_for(people["reviewer2"])
    url = f"/api/v1/claims/{world['open'].pk}/"
    read = reviewer.get(url)["ETag"]
    assert other.patch(url, {"text": "Forty-two people were injured."}, HTTP_IF_MATCH=read).status_code == 200
    draft = {"rating": "true", "summary": "Confirmed."}
    assert reviewer.post(url + "verdicts/", draft, HTTP_IF_MATCH=read).status_code == 412
    assert reviewer.post(url + "verdicts/", draft, HTTP_IF_MATCH=reviewer.get(url)["ETag"]).status_code == 201


def test_a_reviewer_may_ask_for_a_check_of_the_whole_archive_and_sees_what_each_run_searched(
    people, world, sent
) -> None:
    client, claim = client_for(people["reviewer"]), world["open"]
    near = client.post(f"/api/v1/claims/{claim.pk}/check/", {}, format="json")
    assert near.status_code == 202
    assert near.json()["whole_archive"] is False
    widened = client.post(f"/api/v1/claims/{claim.pk}/check/", {"whole_archive": True}, format="json")
    assert widened.status_code == 202
    assert (widened.json()["id"], widened.json()["whole_archive"]) == (near.json()["id"], True)
    assert (
        client.post(f"/api/v1/claims/{claim.pk}/check/", {"whole_archive": "maybe"}, format="json").status_code == 400
    )
    runs = client.get(f"/api/v1/claims/{claim.pk}/checks/").json()["results"]
    assert {"whole_archive", "searched"} <= runs[0].keys()
