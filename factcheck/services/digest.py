"""A digest of new check-worthy claims for the desk's chat tool: every FACTCHECK_DIGEST_MINUTES the
FACTCHECK_DIGEST_SIZE most urgent claims created since the last digest, sent as the webhook event
``claims.new`` to the subscribers that want it (every one whose event list is empty, too).

The beat asks every minute (``claims_digest_send``); a digest is sent only once its window has passed,
and the window starts where the last one ended (ClaimDigest), so a claim is never in two digests and a
beat that fires twice sends nothing twice. A window with no new claim sends nothing (and is recorded).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from factcheck import selectors
from factcheck.models import ClaimDigest, WebhookEvent
from factcheck.services.webhooks import webhook_event_emit


def claims_digest_send(*, now: dt.datetime | None = None) -> ClaimDigest | None:
    """Send the digest whose window has passed, if any (see the module's docstring)."""
    minutes = settings.FACTCHECK_DIGEST_MINUTES
    if minutes <= 0:
        return None
    now = now or timezone.now()
    every = dt.timedelta(minutes=minutes)
    last = ClaimDigest.objects.order_by("-until").first()
    since = last.until if last is not None else now - every
    if now - since < every:
        return None
    claims = list(
        selectors.claim_queue(public_only=False).filter(created_at__gte=since, created_at__lt=now)[
            : settings.FACTCHECK_DIGEST_SIZE
        ]
    )
    try:
        with transaction.atomic():
            digest = ClaimDigest.objects.create(since=since, until=now, claim_ids=[claim.pk for claim in claims])
            if claims:
                webhook_event_emit(event=WebhookEvent.CLAIMS_NEW, payload=digest_payload(digest, claims))
    except IntegrityError:  # another beat round recorded this window at the same moment
        return None
    return digest


def digest_payload(digest: ClaimDigest, claims: list[Any]) -> dict[str, Any]:
    base = settings.FACTCHECK_PUBLIC_BASE_URL.rstrip("/")
    return {
        "event": WebhookEvent.CLAIMS_NEW.value,
        "sent_at": timezone.now().isoformat(),
        "since": digest.since.isoformat(),
        "until": digest.until.isoformat(),
        "claims": [
            {
                "id": claim.pk,
                "text": claim.text,
                "claimant": claim.claimant,
                "priority": round(claim.priority, 3),
                "assessment": claim.assessment,
                "outlets_appeared_in": claim.appearance_count,
                "review_url": base + reverse("admin:factcheck_claim_review", args=[claim.pk]),
            }
            for claim in claims
        ],
    }
