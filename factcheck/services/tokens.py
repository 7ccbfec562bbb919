"""API tokens as the desk sees them: issued with a label, their last use recorded."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from knox.models import AuthToken

from factcheck.models import ApiTokenRecord

# A token's last use is written at most this often per token and process: readers' requests are
# served from the cache, and a write on each would cost more than the request.
LAST_USE_RESOLUTION_SECONDS = 300.0
_last_written: dict[str, float] = {}


def token_issue(*, user: Any, label: str) -> tuple[AuthToken, str]:
    """A new token for an API client, with its label; the token itself is returned once (knox
    keeps only its hash)."""
    label = " ".join(label.split())[:100] or f"issued {timezone.localdate():%Y-%m-%d}"
    with transaction.atomic():
        token, secret = AuthToken.objects.create(user=user, expiry=None)
        ApiTokenRecord.objects.create(token=token, label=label)
    return token, secret


def token_used(token: AuthToken, *, now: dt.datetime | None = None) -> bool:
    """Record that the token was just used (at most once per LAST_USE_RESOLUTION_SECONDS in this
    process); True when written. A token issued before records existed gets one, labelled so."""
    clock = time.monotonic()
    last = _last_written.get(token.digest)
    if last is not None and clock - last < LAST_USE_RESOLUTION_SECONDS:
        return False
    _last_written[token.digest] = clock
    when = now or timezone.now()
    updated = ApiTokenRecord.objects.filter(token_id=token.digest).update(last_used_at=when)
    if not updated:
        try:
            with transaction.atomic():
                ApiTokenRecord.objects.get_or_create(
                    token_id=token.digest, defaults={"label": "issued before labels", "last_used_at": when}
                )
        except IntegrityError:  # revoked meanwhile: nothing to record
            return False
    return True
