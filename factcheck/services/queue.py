"""The claim queue's stored fields: each claim's appearance count, and through it its priority.

``Claim.priority`` is a stored generated column: the database recomputes it whenever a column it
reads changes (check-worthiness, assessment, the new-evidence flag, the appearance count), so no
write path has to remember it. The appearance count depends on other rows, so whatever adds, moves
or removes appearances calls ``claims_appearance_count_refresh`` with the claims it touched, in
its own transaction. ``claims_queue_fields_recompute`` repairs every claim (the
``recompute_queue_fields`` command; bulk loads that bypass the services call it once).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Subquery

from factcheck.models import Claim
from factcheck.selectors import claims_with_stale_appearance_count, counted_appearances


def claims_appearance_count_refresh(*, claim_ids: Iterable[int]) -> int:
    """Recount the appearances of these claims (one UPDATE; their priority follows in the
    database). Counting, not adding one, so that a repeated call is harmless. Returns the
    number of claims updated."""
    ids = sorted(set(claim_ids))
    if not ids:
        return 0
    # update(), not save(): derived data, not an edit; no history row, no version bump.
    return Claim.objects.filter(pk__in=ids).update(appearance_count=counted_appearances())


def claims_queue_fields_recompute() -> int:
    """Repair every claim whose stored appearance count is wrong; returns how many were."""
    with transaction.atomic():
        stale = claims_with_stale_appearance_count()
        return Claim.objects.filter(pk__in=Subquery(stale.values("pk"))).update(appearance_count=counted_appearances())
