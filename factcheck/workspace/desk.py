"""The desk's home: the admin index a reviewer or editor lands on.

What waits by priority, what waits on me, what new evidence flagged, what has waited longest, and
counts that each open the claims they count; then the stock list of everything else. Staff without
the review permission get the stock index. The page reads in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from factcheck import selectors
from factcheck.roles import can_review
from factcheck.selectors import WAITING_STATUSES
from factcheck.services.corrections import corrections_since
from factcheck.workspace.overview import CountRow, claim_row, feed_rows, filtered_claims_url

SHOWN = 8


@dataclass(frozen=True)
class DeskList:
    """One list on the home: its heading, its claims, the link to all of them, and what it says when empty."""

    key: str
    heading: str
    rows: list[Any]
    url: str
    empty: str


def desk_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    changelist = reverse("admin:factcheck_claim_changelist")
    waiting = ",".join(WAITING_STATUSES)
    counts = selectors.desk_counts(user)
    now = timezone.now()
    mine_url = filtered_claims_url(changelist, assignee=str(user.pk), status__in=waiting)
    flagged_url = filtered_claims_url(changelist, has_new_evidence__exact="1")
    queue_url = filtered_claims_url(changelist, status__in=waiting)
    drafts_url = reverse("admin:factcheck_verdict_changelist") + "?status__exact=draft&is_current__exact=1"
    return {
        "desk_counts": [
            CountRow("Waiting on me", counts.mine, mine_url),
            CountRow("Need review", counts.needs_review, filtered_claims_url(changelist, status__exact="needs_review")),
            CountRow(
                "Nobody has taken",
                counts.unassigned,
                filtered_claims_url(changelist, assignee="none", status__in=waiting),
            ),
            CountRow("New evidence", counts.flagged, flagged_url),
            CountRow("Drafts to publish", counts.drafts, drafts_url),
        ],
        "desk_lists": [
            DeskList(
                "mine",
                "My claims",
                [claim_row(claim, now) for claim in selectors.assigned_to(user, SHOWN)],
                mine_url,
                "Nothing is assigned to you. Take a claim from the queue.",
            ),
            DeskList(
                "queue",
                "Today's queue, most urgent first",
                [claim_row(claim, now) for claim in selectors.queue_by_priority(SHOWN)],
                queue_url,
                "No claim waits for review.",
            ),
            DeskList(
                "flagged",
                "New evidence against a published verdict",
                [claim_row(claim, now) for claim in selectors.flagged_new_evidence(SHOWN)],
                flagged_url,
                "No published verdict has new evidence against it.",
            ),
            DeskList(
                "oldest",
                "Waiting longest",
                [claim_row(claim, now) for claim in selectors.oldest_waiting(SHOWN)],
                queue_url,
                "No claim waits for review.",
            ),
        ],
        "queue_overview_url": reverse("admin:factcheck_claim_queue"),
        "corrections_this_week": corrections_since(7),
        "like_published": [
            (s.claim, s.candidate, reverse("admin:factcheck_claim_review", args=[s.claim_id]))
            for s in selectors.like_published(SHOWN)
        ],
        "checked_elsewhere": [
            (match, reverse("admin:factcheck_claim_review", args=[match.claim_id]) + "#already-checked")
            for match in selectors.checked_elsewhere(SHOWN)
        ],
        "feeds": feed_rows(now),
        "feeds_url": reverse("admin:factcheck_feed_changelist"),
        "corrections_url": reverse("admin:factcheck_stancecorrection_changelist"),
    }


class DeskAdminSite(admin.AdminSite):
    """The admin, with the desk's home as its index (apps.DeskAdminConfig makes it the default site)."""

    site_header = site_title = "Fact-check desk"
    index_title = "The desk"
    # The home lists every admin page; the sidebar repeating it took a quarter of a 1280 px screen
    # from the claim list, whose assessment and assignee it pushed out of view.
    enable_nav_sidebar = False
    # One template for everyone (the site is shared by every request: never set per request); it
    # shows the desk only when the context has it.
    index_template = "admin/factcheck/desk_home.html"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        if can_review(request.user):
            extra_context = {**desk_context(request), **(extra_context or {})}
        return super().index(request, extra_context)
