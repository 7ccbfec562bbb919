"""The whole path as people use it, through the API, Redis and a real Celery worker process:
ingest (split and extract by the worker) → the worker checks a submitted claim → a reviewer
assigns it and drafts a verdict (ETags) → another person, an editor, publishes → a reader token
fetches the verdict and its ClaimReview → a loopback subscriber receives the signed events of the
publication, of new contradicting evidence (the verdict goes stale), of a correction and of a
retraction, each delivered by the worker.

Nothing runs in-process here: every task goes through the run's own queue on Redis
(tests/conftest.py), so this is the path production takes, on commit and across processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.test import APIClient

from factcheck.management.commands.demo import SAMPLE_ARTICLES
from factcheck.models import CheckRun, Claim, Source, Verdict, WebhookDelivery, WebhookSubscription
from factcheck.services.webhooks import verify_signature
from tests.conftest import WorkerProcess, wait_for
from tests.services.test_webhooks import Receiver

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker", "default_rating_scale", "roles"),
]

SECRET = "e2e-shared-secret"
CLAIM = "Oskaria has sent 11,000 soldiers to fight for Korva."


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


def signed_in(name: str, role: str) -> APIClient:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    client = APIClient()
    client.force_login(user)  # people use their browser session
    return client


def reader_with_token() -> APIClient:
    out = StringIO()
    call_command("create_api_client", "Morning Wire", "--role", "reader", stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().split()[-1]}")
    return client


def nothing_pending() -> bool:
    return not (
        Source.objects.filter(split_at__isnull=True).exists()
        or Source.objects.filter(claims_extracted_at__isnull=True).exists()
        or CheckRun.objects.filter(status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).exists()
    )


def events(receiver: Receiver) -> list[str]:
    return [request.headers["X-Factcheck-Event"] for request in receiver.requests]


def received(receiver: Receiver, *expected: str) -> bool:
    return events(receiver) == list(expected)


def last_event(receiver: Receiver) -> dict[str, Any]:
    request = receiver.requests[-1]
    # Every event is signed with the subscriber's secret over the exact bytes sent.
    assert verify_signature(SECRET, request.body, request.headers["X-Factcheck-Signature"])
    body: dict[str, Any] = json.loads(request.body)
    return body


def test_a_claim_goes_from_ingest_through_the_worker_to_a_published_corrected_and_retracted_verdict(
    receiver: Receiver, celery_worker: WorkerProcess
) -> None:
    WebhookSubscription.objects.create(name="Platform", url=receiver.url, secret=SECRET)
    reviewer, editor = signed_in("rita", "reviewer"), signed_in("eli", "editor")

    # Ingest as a desk does; each source is split, then its claims extracted and checked, by the worker.
    out = StringIO()
    call_command("ingest", str(SAMPLE_ARTICLES), stdout=out)
    sources = Source.objects.count()
    assert sources >= 10, out.getvalue()
    assert wait_for(nothing_pending, timeout=240), "the worker did not split, extract and check the corpus in time"
    assert Source.objects.filter(passages__isnull=False).distinct().count() == sources
    assert CheckRun.objects.filter(status=CheckRun.Status.SUCCEEDED).exists()

    # A reviewer submits a claim; the worker checks it against the other outlets.
    submitted = reviewer.post("/api/v1/claims/", {"text": CLAIM})
    assert submitted.status_code == 201, submitted.content
    claim_id = submitted.json()["id"]
    assert wait_for(lambda: reviewer.get(f"/api/v1/claims/{claim_id}/").json()["status"] == "needs_review", timeout=60)
    [run] = reviewer.get(f"/api/v1/claims/{claim_id}/checks/").json()["results"]
    assert (run["status"], run["attempts"], run["assessment"]) == ("succeeded", 1, "conflicting")
    evidence = reviewer.get(f"/api/v1/claims/{claim_id}/evidence/").json()["results"]
    conflict = next(e for e in evidence if e["stance"] == "conflicts")
    assert conflict["outlet"] == "Atlas Defense Review"

    # Assign with the claim's ETag; the ETag it replaced no longer works (no silent overwrite).
    stale_etag = reviewer.get(f"/api/v1/claims/{claim_id}/")["ETag"]
    taken = reviewer.post(f"/api/v1/claims/{claim_id}/assign/", {"assignee": "me"}, HTTP_IF_MATCH=stale_etag)
    assert taken.status_code == 200, taken.content
    assert taken.json()["assignee"] == "rita"
    again = reviewer.post(f"/api/v1/claims/{claim_id}/assign/", {"assignee": None}, HTTP_IF_MATCH=stale_etag)
    assert again.status_code == 412

    draft = reviewer.post(
        f"/api/v1/claims/{claim_id}/verdicts/",
        {
            "rating": "mixed",
            "summary": "One outlet gives 11,000, another about 15,000.",
            "cited_evidence": [conflict["id"]],
        },
    )
    assert draft.status_code == 201, draft.content
    verdict_id = draft.json()["id"]
    edited = reviewer.patch(
        f"/api/v1/verdicts/{verdict_id}/",
        {"summary": "Westvale gives 11,000 soldiers; Atlas Defense Review about 15,000."},
        HTTP_IF_MATCH=draft["ETag"],
    )
    assert edited.status_code == 200, edited.content

    # The reviewer may not publish; an editor who did not draft it does.
    assert reviewer.post(f"/api/v1/verdicts/{verdict_id}/publish/", HTTP_IF_MATCH=edited["ETag"]).status_code == 403
    assert editor.post(f"/api/v1/verdicts/{verdict_id}/publish/").status_code == 428
    published = editor.post(f"/api/v1/verdicts/{verdict_id}/publish/", HTTP_IF_MATCH=edited["ETag"])
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"

    reader = reader_with_token()
    assert [v["id"] for v in reader.get("/api/v1/verdicts/").json()["results"]] == [verdict_id]
    review = reader.get(f"/api/v1/verdicts/{verdict_id}/claimreview/").json()
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Mixed"
    assert review["claimReviewed"] == CLAIM

    assert wait_for(lambda: received(receiver, "verdict.published")), f"got {events(receiver)}"
    event = last_event(receiver)
    assert event["verdict"]["id"] == verdict_id
    assert event["verdict"]["summary"] == edited.json()["summary"]

    # New contradicting evidence: the worker re-checks the claim, flags the verdict, tells subscribers.
    text = "Oskaria has sent 4,000 soldiers to fight for Korva, its defence ministry said on Monday."
    created = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Harbour Herald"})
    assert created.status_code == 201, created.content
    assert wait_for(lambda: received(receiver, "verdict.published", "verdict.stale"), timeout=120), (
        f"got {events(receiver)}"
    )
    assert last_event(receiver)["verdict"]["id"] == verdict_id
    assert Verdict.objects.get(pk=verdict_id).is_stale
    assert Claim.objects.filter(pk=claim_id, status="needs_review", has_new_evidence=True).exists()

    # A correction, then a retraction, each with the ETag of the verdict as it stands. A new
    # rating is proposed by one editor and published once a second editor confirms it.
    current = editor.get(f"/api/v1/verdicts/{verdict_id}/")
    proposed = editor.post(
        f"/api/v1/verdicts/{verdict_id}/correct/",
        {"correction_note": "A third outlet reports 4,000 soldiers.", "rating": "false"},
        HTTP_IF_MATCH=current["ETag"],
    )
    assert proposed.status_code == 202, proposed.content
    assert events(receiver).count("verdict.corrected") == 0  # nothing public changed yet
    second_editor = signed_in("edna", "editor")
    corrected = second_editor.post(f"/api/v1/verdicts/{verdict_id}/confirm-correction/", HTTP_IF_MATCH=proposed["ETag"])
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["rating"] == "false"
    assert wait_for(lambda: received(receiver, "verdict.published", "verdict.stale", "verdict.corrected"))
    assert last_event(receiver)["verdict"]["correction_note"] == "A third outlet reports 4,000 soldiers."
    assert reader.get(f"/api/v1/verdicts/{verdict_id}/").json()["correction_note"] == (
        "A third outlet reports 4,000 soldiers."
    )

    retracted = editor.post(
        f"/api/v1/verdicts/{verdict_id}/retract/",
        {"note": "The figures were about different contingents."},
        HTTP_IF_MATCH=corrected["ETag"],
    )
    assert retracted.status_code == 200, retracted.content
    assert wait_for(
        lambda: received(receiver, "verdict.published", "verdict.stale", "verdict.corrected", "verdict.retracted")
    )
    assert last_event(receiver)["verdict"]["status"] == "retracted"
    # Readers still find it, as retracted, with the note saying why.
    assert [
        (v["id"], v["status"], v["correction_note"]) for v in reader.get("/api/v1/verdicts/").json()["results"]
    ] == [(verdict_id, "retracted", "The figures were about different contingents.")]
    assert Claim.objects.get(pk=claim_id).status == "needs_review"

    # Each event went out once, through the worker, and was acknowledged by the subscriber.
    assert celery_worker.wait_until_idle()
    assert len(receiver.requests) == 4
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {WebhookDelivery.Status.DELIVERED}
