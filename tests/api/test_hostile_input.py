"""Hostile input through the API, end to end.

An article over the size limit is refused with a JSON error and leaves nothing behind. An
article or claim within it that carries bidirectional overrides, zero-width characters, HTML
with scripts and absurd numbers is stored without the invisible controls, goes through the
whole pipeline (split, extraction, check, publication) and is shown inert on the public page
and in the admin. Numbers no column can hold are a 400 wherever a client sends them.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from factcheck.crosscheck.figures import extract_figures
from factcheck.models import CheckRun, Claim, Outlet, Passage, Source, Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

# What a hostile article carries: a right-to-left override (U+202E), zero-width spaces and
# no-break spaces inside words (U+200B, U+FEFF), markup with a script, and numbers no float or
# column holds (1e309 overflows a double; the 400-digit one any integer type).
RLO, ZWSP, BOM = "\u202e", "\u200b", "\ufeff"
INVISIBLE = (RLO, ZWSP, BOM, "\u2066", "\u2069")
HUGE = "9" * 400
HOSTILE_ARTICLE = (
    f"Rescuers said 41 people were pulled from the river on Tuesday.{RLO} The ministry denied it.\n\n"
    f"The mayor said twelve peo{ZWSP}ple died in the flood{BOM}, and 300 homes were damaged.\n\n"
    "<script>alert('article')</script> The council said <b>80</b> families were evacuated.\n\n"
    f"Officials said 1e309 soldiers were deployed, or {HUGE} of them, according to the statement.\n"
)
HOSTILE_PAGE = (
    "<html><head><title>Flood</title><script>alert('head')</script></head><body><article>"
    + "".join(f"<p>{paragraph}</p>" for paragraph in HOSTILE_ARTICLE.split("\n\n"))
    + "<script>alert('body')</script></article></body></html>"
)


def person(name: str, role: str) -> Any:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def reviewer() -> APIClient:
    return api_as(person("rita", "reviewer"))


def stored_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Outlet, Source, Passage, Claim, CheckRun, Verdict)}


# --- Size ---------------------------------------------------------------------------------------------

MAX_BYTES = settings.FACTCHECK_MAX_SOURCE_BYTES  # 5 MiB unless the environment says otherwise


@pytest.mark.parametrize(
    ("text", "status", "error"),
    [
        # 5 MiB and one byte of text: the body fits in memory, the article does not fit the limit.
        pytest.param("a" * (MAX_BYTES + 1), 400, "invalid", id="a-5-MB-article-one-byte-over-the-limit"),
        # 5 MB of "é", sent ASCII-escaped as a JSON library does (6 bytes a letter): the body is
        # over DATA_UPLOAD_MAX_MEMORY_SIZE and is refused before it is parsed.
        pytest.param("é" * (MAX_BYTES // 2 + 1), 413, "too_large", id="a-5-MB-article-whose-body-is-over-the-limit"),
    ],
)
def test_an_article_over_the_size_limit_is_a_json_error_and_nothing_is_stored(
    reviewer: APIClient, django_capture_on_commit_callbacks: Any, text: str, status: int, error: str
) -> None:
    before = stored_rows()
    body = json.dumps({"text": text, "outlet": "Big Press"})

    with django_capture_on_commit_callbacks() as queued:
        response = reviewer.post("/api/v1/sources/", body, content_type="application/json")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == error
    assert str(MAX_BYTES if status == 400 else settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in json.dumps(response.json())
    assert stored_rows() == before
    assert queued == []  # no task was queued either


def test_an_article_sent_as_a_form_upload_is_refused_unread(reviewer: APIClient) -> None:
    before = stored_rows()
    upload = {"text": "a" * MAX_BYTES, "outlet": "Big Press"}

    response = reviewer.post("/api/v1/sources/", upload, format="multipart")

    assert response.status_code == 415  # the API reads JSON only
    assert response.json()["error"] == "unsupported_media_type"
    assert stored_rows() == before


def test_an_article_of_exactly_the_limit_is_stored(reviewer: APIClient) -> None:
    sentence = "The ferry sank near the harbour and nine people were rescued. "
    text = (sentence * (MAX_BYTES // len(sentence) + 1))[:MAX_BYTES]

    response = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Big Press"})

    assert response.status_code == 201, response.content
    assert Source.objects.get(pk=response.json()["id"]).text == text.strip()


# --- Content ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("document", "file_format"), [(HOSTILE_ARTICLE, "txt"), (HOSTILE_PAGE, "html")])
@pytest.mark.usefixtures("tasks_in_process")
def test_a_hostile_article_is_stored_without_invisible_controls_and_goes_through_the_pipeline(
    reviewer: APIClient, django_capture_on_commit_callbacks: Any, document: str, file_format: str
) -> None:
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):  # split, extract and check, in process
        response = reviewer.post(
            "/api/v1/sources/", {"text": document, "outlet": "Hostile Herald", "format": file_format}
        )
    elapsed = time.monotonic() - started

    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert not any(control in source.text for control in INVISIBLE)
    assert "twelve people died in the flood, and 300 homes" in source.text  # words whole again
    assert "The ministry denied it." in source.text
    if file_format == "html":  # the page's scripts are not its article
        assert "alert" not in source.text
    else:  # a plain text article that mentions markup keeps it, as text
        assert "<script>alert('article')</script>" in source.text
    assert source.split_at is not None
    assert source.claims_extracted_at is not None
    assert source.passages.count() >= 4
    assert elapsed < 30

    # The figures parser gives up on numbers no float holds, without raising or hanging.
    started = time.monotonic()
    figures = [figure for passage in source.passages.all() for figure in extract_figures(passage.text)]
    assert time.monotonic() - started < 1
    assert {(figure.low, figure.high) for figure in figures if figure.counted == "people"} >= {(41, 41)}
    assert not any(HUGE in figure.text or "1e309" in figure.text for figure in figures)


def test_a_claim_with_markup_and_invisible_controls_is_stored_clean_and_published_inert(
    reviewer: APIClient, client: Client, admin_client: Client
) -> None:
    text = f"The mayor said{RLO} <script>alert('claim')</script> twelve{ZWSP} people died in the flood.{BOM}"
    created = reviewer.post("/api/v1/claims/", {"text": text, "claimant": "<img src=x onerror=alert(1)>"})
    assert created.status_code == 201, created.content
    claim = Claim.objects.get(pk=created.json()["id"])
    assert claim.text == "The mayor said <script>alert('claim')</script> twelve people died in the flood."

    summary = f"<script>alert('summary')</script> Nobody died.{RLO} The toll was {HUGE}."
    drafted = reviewer.post(f"/api/v1/claims/{claim.pk}/verdicts/", {"rating": "false", "summary": summary})
    assert drafted.status_code == 201, drafted.content
    published = api_as(person("edna", "editor")).post(
        f"/api/v1/verdicts/{drafted.json()['id']}/publish/", HTTP_IF_MATCH=drafted["ETag"]
    )
    assert published.status_code == 200, published.content

    page = client.get(f"/fact-checks/{published.json()['slug']}/").content.decode()
    admin_page = admin_client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()

    for html in (page, admin_page):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert RLO not in html
    assert "&lt;script&gt;alert(&#x27;claim&#x27;)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the ClaimReview JSON-LD, whose "<" are escaped
    assert "&lt;script&gt;alert(&#x27;summary&#x27;)" in page


@pytest.mark.parametrize("text", [ZWSP * 20, f"{RLO}{BOM}{ZWSP} {RLO}{BOM}{ZWSP} {RLO}{BOM}{ZWSP} {RLO}"])
def test_a_claim_of_nothing_but_invisible_characters_is_a_clear_400(reviewer: APIClient, text: str) -> None:
    response = reviewer.post("/api/v1/claims/", {"text": text})

    assert response.status_code == 400
    assert "text" in response.json()["fields"]
    assert not Claim.objects.exists()


# --- Numbers ------------------------------------------------------------------------------------------

TEXT = '"text": "Twelve people died in the flood on Tuesday."'


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        # 1e309 parses to infinity in Python's json; text fields take text only.
        ("/api/v1/claims/", f'{{{TEXT}, "claimant": 1e309}}', "claimant"),
        ("/api/v1/claims/", f'{{{TEXT}, "claimant": {HUGE}}}', "claimant"),
        (
            "/api/v1/claims/{claim}/verdicts/",
            '{"rating": "false", "summary": "No.", "cited_evidence": [1e309]}',
            "cited_evidence",
        ),
        # An id no bigint column holds is refused before any query.
        (
            "/api/v1/claims/{claim}/verdicts/",
            f'{{"rating": "false", "summary": "No.", "cited_evidence": [{HUGE}]}}',
            "cited_evidence",
        ),
        # Not JSON at all: Python refuses integers over 4,300 digits, JSON has no NaN or Infinity.
        ("/api/v1/claims/", f'{{{TEXT}, "claimant": {"9" * 5000}}}', None),
        ("/api/v1/claims/", f'{{{TEXT}, "claimant": NaN}}', None),
        ("/api/v1/claims/", f'{{{TEXT}, "claimant": -Infinity}}', None),
    ],
)
def test_numbers_nothing_can_hold_are_a_clear_400_and_nothing_is_stored(
    reviewer: APIClient, path: str, body: str, field: str | None
) -> None:
    claim = Claim.objects.create(text="The bridge collapsed on Monday morning.", status="needs_review")
    before = stored_rows()

    response = reviewer.post(path.format(claim=claim.pk), body, content_type="application/json")

    assert response.status_code == 400, response.content
    error = response.json()
    assert error["error"] == ("invalid" if field else "parse_error")
    if field:
        assert field in error["fields"]
    assert stored_rows() == before
