"""The claim queue overview: an admin page for reviewers and editors.

What waits, how old it is, what new evidence flagged, and a 14-day chart of checks and
published verdicts drawn server-side as SVG (no JavaScript, nothing loaded from elsewhere),
with a table of the same numbers. The page reads through the selectors in a fixed number
of queries, whatever the number of claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.timesince import timesince
from django.utils.translation import ngettext

from factcheck import selectors
from factcheck.models import Assessment, Claim, ClaimStatus
from factcheck.roles import can_review
from factcheck.selectors import WAITING_STATUSES, DayActivity

WAITING_SHOWN = 10
FEEDS_SHOWN = 12
FLAGGED_SHOWN = 20
CHART_DAYS = 14


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class ClaimRow:
    claim: Claim
    assessment: str
    age: str
    assignee: str
    review_url: str


def queue_overview(request: HttpRequest) -> HttpResponse:
    """Staff only (the admin wraps it); also needs ``factcheck.review_claim``, else 403."""
    if not can_review(request.user):
        raise PermissionDenied
    changelist = reverse("admin:factcheck_claim_changelist")
    counts = selectors.queue_counts()
    now = timezone.now()
    activity = selectors.daily_activity(CHART_DAYS)
    context = {
        **admin.site.each_context(request),
        "title": "Claim queue",
        "opts": Claim._meta,
        "changelist_url": changelist,
        "counts": counts,
        "by_status": [
            CountRow(str(label), counts.by_status[value], filtered_claims_url(changelist, status__exact=value))
            for value, label in ClaimStatus.choices
        ],
        "by_assessment": [
            CountRow(str(label), counts.by_assessment[value], filtered_claims_url(changelist, assessment__exact=value))
            for value, label in [("", "Not assessed yet"), *Assessment.choices]
        ],
        "waiting": [claim_row(claim, now) for claim in selectors.oldest_waiting(WAITING_SHOWN)],
        "waiting_url": filtered_claims_url(changelist, status__in=",".join(WAITING_STATUSES)),
        "flagged": [claim_row(claim, now) for claim in selectors.flagged_new_evidence(FLAGGED_SHOWN)],
        "flagged_url": filtered_claims_url(changelist, has_new_evidence__exact="1"),
        "activity": activity,
        "activity_totals": (sum(d.checks for d in activity), sum(d.verdicts for d in activity)),
        "chart": bar_chart(activity),
        "time_zone": settings.TIME_ZONE,
        "feeds": feed_rows(now),
        "feeds_url": reverse("admin:factcheck_feed_changelist"),
    }
    return TemplateResponse(request, "admin/factcheck/queue_overview.html", context)


def filtered_claims_url(changelist: str, **lookups: str) -> str:
    """The claim change list filtered by ``lookups``, open (non-merged) claims only, so it
    lists exactly the claims the overview counted."""
    return f"{changelist}?{urlencode({**lookups, 'merged_into__isnull': 'True'})}"


def claim_row(claim: Claim, now: dt.datetime) -> ClaimRow:
    return ClaimRow(
        claim=claim,
        assessment=claim.get_assessment_display() if claim.assessment else "not assessed yet",
        age=age(claim.created_at, now),
        assignee=claim.assignee.get_username() if claim.assignee else "",
        review_url=reverse("admin:factcheck_claim_review", args=[claim.pk]),
    )


@dataclass(frozen=True)
class FeedLine:
    outlet: str
    polled: str  # "12 minutes ago", or "not yet"
    state: str  # what the last poll came to, in words, with its error if any
    failing: bool
    arrived: int


def feed_rows(now: Any) -> dict[str, Any]:
    """The outlets' feeds as the home shows them: failing ones first, then the most recently polled."""
    rows, total = selectors.feeds_overview(FEEDS_SHOWN)
    lines = [
        FeedLine(
            outlet=row.feed.outlet.name,
            polled=f"{age(row.feed.last_polled_at, now)} ago" if row.feed.last_polled_at else "not yet",
            state=row.feed.get_last_status_display() + (f": {row.feed.last_error}" if row.feed.last_error else ""),
            failing=row.feed.last_status == "failed",
            arrived=row.arrived,
        )
        for row in rows
    ]
    return {"lines": lines, "total": total}


def age(since: dt.datetime, now: dt.datetime) -> str:
    """How long a claim has waited, in whole days ("12 days", not "1 week"); under a day,
    in hours or minutes. A no-break space joins number and unit, as in Django's timesince."""
    days = (now - since).days
    if days >= 1:
        return ngettext("%(days)d\xa0day", "%(days)d\xa0days", days) % {"days": days}
    return timesince(since, now, depth=1)


# --- The chart: geometry computed here, drawn by the template ---------------------------------


@dataclass(frozen=True)
class Bar:
    kind: str  # "checks" or "verdicts": the CSS class
    x: float
    y: float
    width: float
    height: float
    value: int
    title: str  # the tooltip and accessible name: "3 Jun: 2 claims checked"

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        """Where the value is written: just above the bar."""
        return self.y - 3


@dataclass(frozen=True)
class DayLabel:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    plot_left: int
    plot_right: int
    plot_top: int
    scale_max: int
    bars: list[Bar]
    labels: list[DayLabel]


GROUP_WIDTH = 44
BAR_WIDTH = 16
PLOT_LEFT = 36
PLOT_TOP = 34  # room for the legend and the value labels above the highest bar
PLOT_HEIGHT = 120
BOTTOM = 26  # room for the day labels


def bar_chart(days: list[DayActivity]) -> Chart:
    """Two bars a day (checks, verdicts) scaled to the largest value (at least 1)."""
    scale_max = max([1, *(d.checks for d in days), *(d.verdicts for d in days)])
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars: list[Bar] = []
    labels: list[DayLabel] = []
    for index, day in enumerate(days):
        left = PLOT_LEFT + index * GROUP_WIDTH
        name = _short_day(day.day)
        checks = "claim checked" if day.checks == 1 else "claims checked"
        verdicts = "verdict published" if day.verdicts == 1 else "verdicts published"
        for x, kind, value, noun in (
            (left + 4, "checks", day.checks, checks),
            (left + 6 + BAR_WIDTH, "verdicts", day.verdicts, verdicts),
        ):
            height = round(PLOT_HEIGHT * value / scale_max, 1)
            title = f"{name}: {value} {noun}"
            bars.append(Bar(kind, x, baseline - height, BAR_WIDTH, height, value, title))
        labels.append(DayLabel(left + GROUP_WIDTH / 2, name))
    right = PLOT_LEFT + len(days) * GROUP_WIDTH
    return Chart(
        width=right + 8,
        height=baseline + BOTTOM,
        baseline=baseline,
        plot_left=PLOT_LEFT,
        plot_right=right,
        plot_top=PLOT_TOP,
        scale_max=scale_max,
        bars=bars,
        labels=labels,
    )


def _short_day(day: dt.date) -> str:
    return dateformat.format(day, "j M")
