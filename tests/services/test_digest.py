"""The digest of new claims (webhook event claims.new): the most urgent claims created since the last
digest, once its window has passed; never a claim twice, never a window twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from factcheck.models import Claim, ClaimDigest, WebhookDelivery, WebhookSubscription
from factcheck.services.digest import claims_digest_send

pytestmark = [pytest.mark.django_db]


def claim_at(text: str, worthiness: float, at: dt.datetime, **fields: Any) -> Claim:
    fields.setdefault("status", Claim.Status.NEEDS_REVIEW)
    claim = Claim.objects.create(text=text, check_worthiness=worthiness, **fields)
    Claim.objects.filter(pk=claim.pk).update(created_at=at)
    return claim


def test_the_most_urgent_new_claims_go_to_the_subscribers_that_want_them(settings: Any) -> None:
    settings.FACTCHECK_DIGEST_MINUTES, settings.FACTCHECK_DIGEST_SIZE = 60, 2
    start = timezone.now() - dt.timedelta(hours=3)
    ClaimDigest.objects.create(since=start - dt.timedelta(hours=1), until=start)
    wants = WebhookSubscription.objects.create(
        name="desk chat", url="https://chat.example/hook", secret="s", events=["claims.new"]
    )
    WebhookSubscription.objects.create(
        name="verdicts only", url="https://cms.example/hook", secret="s", events=["verdict.published"]
    )
    old = claim_at("Before the window: 5 ships sank.", 0.99, start - dt.timedelta(minutes=1))
    low = claim_at("A bridge cost 12 million.", 0.3, start + dt.timedelta(minutes=5))
    top = claim_at("Forty people drowned in Karsk.", 0.95, start + dt.timedelta(minutes=10))
    mid = claim_at("The dam holds 3 million cubic metres.", 0.6, start + dt.timedelta(minutes=20))
    claim_at("Archived: a hoax about a whale.", 0.9, start + dt.timedelta(minutes=30), status=Claim.Status.ARCHIVED)

    digest = claims_digest_send()
    assert digest is not None
    assert digest.claim_ids == [top.pk, mid.pk]
    (delivery,) = WebhookDelivery.objects.all()
    assert (delivery.subscription, delivery.event) == (wants, "claims.new")
    assert [c["text"] for c in delivery.payload["claims"]] == [top.text, mid.text]
    assert delivery.payload["claims"][0]["review_url"].endswith(f"/admin/factcheck/claim/{top.pk}/review/")
    assert delivery.payload["since"] == start.isoformat()
    assert old.pk not in digest.claim_ids
    assert low.pk not in digest.claim_ids

    # Asked again at once (a second beat): the window has not passed, nothing is sent.
    assert claims_digest_send() is None
    assert WebhookDelivery.objects.count() == 1
    # An hour on: only what was created since, in the next digest.
    later = claim_at("A new strike on Ostrel.", 0.8, timezone.now() + dt.timedelta(minutes=1))
    nxt = claims_digest_send(now=timezone.now() + dt.timedelta(minutes=61))
    assert nxt is not None
    assert nxt.claim_ids == [later.pk]
    assert nxt.since == digest.until


def test_a_quiet_window_sends_nothing_and_the_digest_can_be_off(settings: Any) -> None:
    settings.FACTCHECK_DIGEST_MINUTES = 60
    WebhookSubscription.objects.create(name="desk chat", url="https://chat.example/hook", secret="s", events=[])
    ClaimDigest.objects.create(
        since=timezone.now() - dt.timedelta(hours=3), until=timezone.now() - dt.timedelta(hours=2)
    )
    digest = claims_digest_send()
    assert digest is not None
    assert digest.claim_ids == []
    assert not WebhookDelivery.objects.exists()
    settings.FACTCHECK_DIGEST_MINUTES = 0
    assert claims_digest_send(now=timezone.now() + dt.timedelta(days=1)) is None
