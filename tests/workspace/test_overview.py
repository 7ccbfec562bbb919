"""The claim queue overview (admin): counts that open the change list filtered, the claims
waiting longest, the flagged ones, and a 14-day chart with a table of the same numbers."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factcheck.models import CheckRun, Claim, RatingLabel, Verdict
from factcheck.selectors import daily_activity, queue_counts
from factcheck.workspace.overview import age

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale")]

URL = "/admin/factcheck/claim/queue/"


def make_claim(text: str = "Oskaria sent 11,000 soldiers.", *, days_old: float = 0, **fields: object) -> Claim:
    fields.setdefault("status", Claim.Status.NEEDS_REVIEW)
    claim = Claim.objects.create(text=text, **fields)
    if days_old:
        # created_at is auto_now_add: move it back afterwards.
        Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - dt.timedelta(days=days_old))
        claim.refresh_from_db()
    return claim


def page(client: Client) -> lxml.html.HtmlElement:
    response = client.get(URL)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def count_table(doc: lxml.html.HtmlElement, table_id: str) -> dict[str, tuple[int, str]]:
    """{label: (count, link)} of one of the two count tables."""
    rows = doc.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    return {
        row.xpath("string(th)").strip(): (int(row.xpath("string(td/a)")), row.xpath("td/a/@href")[0]) for row in rows
    }


def claim_table(doc: lxml.html.HtmlElement, table_id: str) -> list[dict[str, str]]:
    return [
        {
            "text": row.xpath("string(td[1]/a)").strip(),
            "href": row.xpath("td[1]/a/@href")[0],
            "assessment": row.xpath("string(td[2])").strip(),
            "age": row.xpath("string(td[3])").strip().replace("\xa0", " "),
            "assignee": row.xpath("string(td[4])").strip(),
        }
        for row in doc.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    ]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def local_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_default_timezone())


# --- Counts -------------------------------------------------------------------------------------


def test_it_counts_open_claims_by_status_and_assessment(admin_client: Client) -> None:
    make_claim("a", assessment="conflicting")
    make_claim("b", assessment="corroborated")
    make_claim("c", status=Claim.Status.IN_REVIEW, assessment="conflicting")
    target = make_claim("d", status=Claim.Status.NEW)
    make_claim("merged away", assessment="conflicting", merged_into=target)

    doc = page(admin_client)
    by_status = count_table(doc, "counts-by-status")
    by_assessment = count_table(doc, "counts-by-assessment")

    assert {label: count for label, (count, _) in by_status.items()} == {
        "New": 1,
        "Checking": 0,
        "Needs review": 2,
        "In review": 1,
        "Rated": 0,
        "Published": 0,
        "Archived": 0,
    }
    assert {label: count for label, (count, _) in by_assessment.items()} == {
        "Not assessed yet": 1,
        "Corroborated": 1,
        "Conflicting": 2,
        "Contradicted": 0,
        "Single source": 0,
        "Reported, not confirmed": 0,
        "Unverified": 0,
    }
    assert "Open claims: 4" in doc.text_content()


def test_each_count_links_to_the_change_list_filtered_to_the_claims_it_counts(admin_client: Client) -> None:
    make_claim("a", assessment="conflicting")
    make_claim("b", status=Claim.Status.IN_REVIEW, assessment="conflicting")
    target = make_claim("c", status=Claim.Status.NEW)
    make_claim("merged away", assessment="conflicting", merged_into=target)
    changelist = reverse("admin:factcheck_claim_changelist")

    doc = page(admin_client)
    _, status_link = count_table(doc, "counts-by-status")["Needs review"]
    _, assessment_link = count_table(doc, "counts-by-assessment")["Conflicting"]
    _, unassessed_link = count_table(doc, "counts-by-assessment")["Not assessed yet"]

    assert status_link.startswith(changelist + "?")
    assert query_of(status_link) == {"status__exact": ["needs_review"], "merged_into__isnull": ["True"]}
    assert query_of(assessment_link) == {"assessment__exact": ["conflicting"], "merged_into__isnull": ["True"]}
    # The change list accepts the filters and lists exactly what was counted.
    for link, expected in ((status_link, 1), (assessment_link, 2), (unassessed_link, 1)):
        response = admin_client.get(link)
        assert response.status_code == 200, link
        assert response.context["cl"].result_count == expected, link


def test_the_counts_take_one_query() -> None:
    make_claim(has_new_evidence=True)
    make_claim(status=Claim.Status.PUBLISHED)
    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts()
    assert len(queries) == 1
    assert (counts.total, counts.waiting, counts.flagged) == (2, 1, 1)


# --- The claims waiting longest and the flagged ones ---------------------------------------------


def test_it_lists_the_ten_oldest_waiting_claims_oldest_first_linking_to_their_review(admin_client: Client) -> None:
    reviewer = get_user_model().objects.create_user("rhea", is_staff=True)
    claims = {
        days: make_claim(
            f"Waiting {days} days",
            days_old=days + 0.5,
            status=Claim.Status.IN_REVIEW if days % 2 else Claim.Status.NEEDS_REVIEW,
            assessment="conflicting" if days == 12 else "",
            assignee=reviewer if days == 11 else None,
        )
        for days in range(1, 13)
    }
    make_claim("Not checked yet", days_old=30, status=Claim.Status.CHECKING)
    make_claim("Already published", days_old=40, status=Claim.Status.PUBLISHED)

    rows = claim_table(page(admin_client), "waiting-claims")

    assert [row["text"] for row in rows] == [f"Waiting {days} days" for days in range(12, 2, -1)]
    assert [row["href"] for row in rows] == [
        reverse("admin:factcheck_claim_review", args=[claims[days].pk]) for days in range(12, 2, -1)
    ]
    assert rows[0]["age"] == "12 days"
    assert rows[0]["assessment"] == "Conflicting"
    assert rows[1]["assignee"] == "rhea"
    assert rows[2]["assignee"] == "unassigned"


def test_a_long_claim_is_truncated(admin_client: Client) -> None:
    make_claim("word " * 100)
    (row,) = claim_table(page(admin_client), "waiting-claims")
    assert len(row["text"]) <= 120
    assert row["text"].endswith("…")


def test_it_lists_the_claims_flagged_with_new_evidence_escaped(admin_client: Client) -> None:
    flagged = make_claim("<script>alert(1)</script> was said", has_new_evidence=True, days_old=3)
    make_claim("Not flagged")

    response = admin_client.get(URL)
    html = response.content.decode()
    rows = claim_table(lxml.html.fromstring(response.content.decode()), "flagged-claims")

    assert [row["text"] for row in rows] == ["<script>alert(1)</script> was said"]
    assert rows[0]["href"] == reverse("admin:factcheck_claim_review", args=[flagged.pk])
    assert rows[0]["age"] == "3 days"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_empty_queues_say_so(admin_client: Client) -> None:
    text = page(admin_client).text_content()
    assert "No claims are waiting for review." in text
    assert "No claims are flagged with new evidence." in text


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (dt.timedelta(minutes=5), "5 minutes"),
        (dt.timedelta(hours=3, minutes=20), "3 hours"),
        (dt.timedelta(days=1, hours=2), "1 day"),
        (dt.timedelta(days=12), "12 days"),
        (dt.timedelta(days=400), "400 days"),
    ],
)
def test_age_is_in_whole_days_once_a_day_has_passed(delta: dt.timedelta, expected: str) -> None:
    now = timezone.now()
    assert age(now - delta, now) == expected.replace(" ", "\xa0")


# --- The chart ----------------------------------------------------------------------------------


def test_the_chart_table_has_fourteen_days_with_the_checks_and_verdicts_of_each(admin_client: Client) -> None:
    today = timezone.localdate()
    claim = make_claim()
    CheckRun.objects.create(claim=claim, status="succeeded", finished_at=timezone.now())
    for _ in range(2):
        CheckRun.objects.create(claim=claim, status="succeeded", finished_at=local_noon(today - dt.timedelta(days=2)))
    CheckRun.objects.create(claim=claim, status="failed", finished_at=timezone.now())  # not a check done
    CheckRun.objects.create(claim=claim, status="running")
    CheckRun.objects.create(claim=claim, status="succeeded", finished_at=local_noon(today - dt.timedelta(days=20)))
    rating = RatingLabel.objects.get(slug="true")
    yesterday = local_noon(today - dt.timedelta(days=1))
    Verdict.objects.create(claim=claim, rating=rating, summary="s", status="published", published_at=yesterday)
    other = make_claim("Other")
    Verdict.objects.create(claim=other, rating=rating, summary="s", status="retracted", published_at=yesterday)
    Verdict.objects.create(claim=make_claim("Third"), rating=rating, summary="s", status="draft")

    response = admin_client.get(URL)
    doc = lxml.html.fromstring(response.content.decode())
    rows = doc.xpath('//table[@class="chart-data"]/tbody/tr')
    table = {
        dt.date.fromisoformat(row.xpath("th/time/@datetime")[0]): (
            int(row.xpath("string(td[1])")),
            int(row.xpath("string(td[2])")),
        )
        for row in rows
    }

    assert len(rows) == 14
    assert sorted(table) == [today - dt.timedelta(days=offset) for offset in range(13, -1, -1)]
    assert table[today] == (1, 0)
    assert table[today - dt.timedelta(days=1)] == (0, 1)
    assert table[today - dt.timedelta(days=2)] == (2, 0)
    assert sum(checks for checks, _ in table.values()) == 3
    assert sum(verdicts for _, verdicts in table.values()) == 1
    html = response.content.decode()
    assert '<svg class="qo-chart"' in html
    assert '<title id="qo-chart-title">Claims checked and verdicts published per day, last 14 days</title>' in html
    assert "2 claims checked</title>" in html
    assert "1 verdict published</title>" in html
    # Everything is on the page: no chart script, nothing loaded from another site.
    assert '<script src="http' not in html
    assert "cdn" not in html.lower()


def test_days_are_calendar_days_in_the_configured_time_zone(settings) -> None:
    settings.TIME_ZONE = "America/New_York"
    zone = timezone.get_default_timezone()
    today = timezone.localdate(timezone=zone)
    # 23:30 in New York the day before is already today in UTC.
    late_yesterday = dt.datetime.combine(today, dt.time.min, tzinfo=zone) - dt.timedelta(minutes=30)
    assert late_yesterday.astimezone(dt.UTC).date() == today
    CheckRun.objects.create(claim=make_claim(), status="succeeded", finished_at=late_yesterday)

    days = {day.day: day.checks for day in daily_activity(14)}

    assert days[today - dt.timedelta(days=1)] == 1
    assert days[today] == 0


# --- Who may see it -----------------------------------------------------------------------------


def test_a_staff_member_without_the_review_permission_is_refused(client: Client) -> None:
    client.force_login(get_user_model().objects.create_user("clerk", is_staff=True))
    assert client.get(URL).status_code == 403


def test_a_reviewer_sees_it(client: Client, django_assert_max_num_queries) -> None:
    reviewer = get_user_model().objects.create_user("rhea", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_claim"))
    client.force_login(reviewer)
    with django_assert_max_num_queries(MAX_QUERIES + 2):  # + their permissions and their groups' permissions
        assert client.get(URL).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_page_links_back_to_the_claim_list(admin_client: Client) -> None:
    doc = page(admin_client)
    assert reverse("admin:factcheck_claim_changelist") in doc.xpath('//div[@class="breadcrumbs"]/a/@href')
    assert doc.xpath('string(//ul[@class="object-tools"]//a[@href="/admin/factcheck/claim/"])') == "All claims"


def test_the_url_is_named() -> None:
    assert reverse("admin:factcheck_claim_queue") == URL


# --- Queries ------------------------------------------------------------------------------------

# Session and user, then the counts, the oldest waiting, the flagged, checks a day and verdicts a day,
# and the feeds (the first of them with what arrived, and how many in all).
MAX_QUERIES = 9


def fill(n: int, *, start: int = 0) -> None:
    """n more claims of every kind the page shows, with assignees, checks and published verdicts."""
    rating = RatingLabel.objects.get(slug="true")
    reviewers = [get_user_model().objects.create_user(f"reviewer-{start}-{index}", is_staff=True) for index in range(3)]
    now = timezone.now()
    for index in range(start, start + n):
        claim = make_claim(
            f"Claim {index}",
            days_old=index % 13,
            status=[Claim.Status.NEEDS_REVIEW, Claim.Status.IN_REVIEW, Claim.Status.PUBLISHED][index % 3],
            assessment=["conflicting", "corroborated", ""][index % 3],
            has_new_evidence=index % 2 == 0,
            assignee=reviewers[index % 3],
        )
        CheckRun.objects.create(claim=claim, status="succeeded", finished_at=now - dt.timedelta(days=index % 14))
        if index % 3 == 2:
            Verdict.objects.create(
                claim=claim,
                rating=rating,
                summary="s",
                status="published",
                published_at=now - dt.timedelta(days=index % 14),
            )


def test_the_page_makes_the_same_few_queries_for_3_or_30_claims(
    admin_client: Client, django_assert_max_num_queries
) -> None:
    fill(3)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert admin_client.get(URL).status_code == 200
    fill(27, start=3)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = admin_client.get(URL)
    assert response.status_code == 200
    assert len(claim_table(lxml.html.fromstring(response.content.decode()), "waiting-claims")) == 10
    assert len(many) == len(few)


def test_the_overview_shows_each_outlets_feed_and_what_arrived() -> None:
    from factcheck.models import Feed, FeedEntry, Outlet
    from tests.workspace.people import person

    client, _ = person("rita", "reviewer")
    feed = Feed.objects.create(
        outlet=Outlet.objects.create(name="River Wire"),
        url="https://river.example/feed",
        last_status="ok",
        last_polled_at=timezone.now() - dt.timedelta(minutes=5),
    )
    FeedEntry.objects.create(feed=feed, key_hash="a" * 64, key="a")
    doc = page(client)
    rows = [
        [cell.text_content().strip() for cell in row.xpath("th|td")]
        for row in doc.xpath("//table[@id='feeds-table']/tbody/tr")
    ]
    assert [row[:3] for row in rows] == [["River Wire", "1", "Polled"]]
