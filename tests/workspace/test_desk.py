"""The desk's home (the admin index for reviewers and editors): counts that open the claims they
count, my claims, the queue by priority, the flagged and the oldest; the stock index for other staff."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factcheck.models import Claim
from tests.workspace.people import person, waiting_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

HOME = "/admin/"


def home(client: Client) -> lxml.html.HtmlElement:
    response = client.get(HOME)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def counts(doc: lxml.html.HtmlElement) -> dict[str, tuple[int, str]]:
    return {
        link.xpath("string(span[@class='desk-count-label'])"): (
            int(link.xpath("string(span[@class='desk-count-number'])")),
            link.get("href"),
        )
        for link in doc.xpath("//nav[@class='desk-counts']/a[span[@class='desk-count-number']]")
    }


def listed(doc: lxml.html.HtmlElement, key: str) -> list[str]:
    return [a.get("title") for a in doc.xpath(f"//section[@id='desk-{key}']//td[@class='desk-claim']/a")]


def claims_behind(client: Client, url: str) -> set[int]:
    """The claim ids the change list shows at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml.html.fromstring(response.content.decode())
    return {int(box.get("value")) for box in doc.xpath("//input[@name='_selected_action']")}


def test_a_reviewer_lands_on_the_desk_with_counts_that_open_what_they_count() -> None:
    client, rita = person("rita", "reviewer")
    _, eli = person("eli", "editor")
    mine = waiting_claim("Mine: the dam holds 3 million cubic metres.", 0.5, assignee=rita)
    urgent = waiting_claim("Urgent: 40 people drowned in Karsk.", 0.95)
    theirs = waiting_claim("Theirs: the bridge cost 12 million.", 0.7, assignee=eli, status=Claim.Status.IN_REVIEW)
    flagged = waiting_claim(
        "Flagged: 11,000 soldiers were sent.", 0.6, status=Claim.Status.PUBLISHED, has_new_evidence=True
    )
    waiting_claim("Still being checked: 5 ships sank.", 0.99, status=Claim.Status.CHECKING)
    doc = home(client)
    shown = counts(doc)
    assert {label: n for label, (n, _) in shown.items()} == {
        "Waiting on me": 1,
        "Need review": 2,
        "Nobody has taken": 1,
        "New evidence": 1,
        "Drafts to publish": 0,
    }
    assert claims_behind(client, shown["Waiting on me"][1]) == {mine.pk}
    assert claims_behind(client, shown["Need review"][1]) == {mine.pk, urgent.pk}
    assert claims_behind(client, shown["Nobody has taken"][1]) == {urgent.pk}
    assert claims_behind(client, shown["New evidence"][1]) == {flagged.pk}
    assert parse_qs(urlsplit(shown["Drafts to publish"][1]).query) == {
        "status__exact": ["draft"],
        "is_current__exact": ["1"],
    }

    assert listed(doc, "mine") == [mine.text]
    # The queue by priority: the most check-worthy first, whoever has it; nothing still being checked.
    assert listed(doc, "queue") == [urgent.text, theirs.text, mine.text]
    assert listed(doc, "flagged") == [flagged.text]
    assert doc.xpath("string(//section[@id='desk-queue']//tbody/tr[1]/td[4])") == "nobody"
    assert doc.xpath("string(//section[@id='desk-queue']//tbody/tr[2]/td[4])") == "eli"
    # The stock list of everything else is still there.
    assert doc.xpath("//div[@id='content-main']//a[contains(@href, '/admin/factcheck/source/')]")


def test_claim_text_is_escaped_and_empty_lists_say_so() -> None:
    client, _ = person("rita", "reviewer")
    doc = home(client)
    assert "Nothing is assigned to you" in doc.xpath("string(//section[@id='desk-mine'])")
    waiting_claim('<script>alert("x")</script> 12 dead', 0.9)
    page = client.get(HOME).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_home_costs_the_same_few_queries_for_3_or_30_claims() -> None:
    client, rita = person("rita", "reviewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    for n in range(3):
        waiting_claim(f"Claim {n}: {n} boats sank.", 0.5, assignee=rita)
    few = queries()
    for n in range(3, 30):
        waiting_claim(f"Claim {n}: {n} boats sank.", 0.5, assignee=rita)
    assert queries() == few


def test_staff_without_the_review_role_get_the_stock_index() -> None:
    client, _ = person("visitor", None)
    page = client.get(HOME).content.decode()
    assert 'id="desk-home"' not in page
    assert "Fact-check desk" in page


def test_the_home_shows_each_outlets_feed_what_arrived_today_and_failing_ones_first() -> None:
    import datetime as dt

    from django.utils import timezone

    from factcheck.models import Feed, FeedEntry, Outlet

    client, _ = person("rita", "reviewer")
    assert "No outlet is followed by its feed yet" in client.get(HOME).content.decode()
    now = timezone.now()
    calm = Feed.objects.create(
        outlet=Outlet.objects.create(name="River Wire"),
        url="https://river.example/feed",
        last_status="ok",
        last_polled_at=now - dt.timedelta(minutes=12),
    )
    Feed.objects.create(
        outlet=Outlet.objects.create(name="Hill Post"),
        url="https://hill.example/feed",
        last_status="failed",
        last_error="could not fetch: the site answered 503",
        failures=2,
        last_polled_at=now - dt.timedelta(hours=3),
    )
    for n in range(3):
        FeedEntry.objects.create(feed=calm, key_hash=f"{n:064x}", key=f"k{n}", seen_at=now - dt.timedelta(hours=n))
    FeedEntry.objects.create(feed=calm, key_hash="f" * 64, key="old", seen_at=now - dt.timedelta(days=3))
    doc = home(client)
    rows = [
        [cell.text_content().strip() for cell in row.xpath("td")]
        for row in doc.xpath("//section[@id='desk-feeds']//tbody/tr")
    ]
    assert rows[0][:3] == ["Hill Post", "0", "Failed: could not fetch: the site answered 503"]
    assert rows[1][:3] == ["River Wire", "3", "Polled"]
    assert rows[1][3].replace("\xa0", " ") == "12 minutes ago"


def test_a_new_claim_like_one_already_published_is_flagged_on_the_home() -> None:
    from django.utils import timezone

    from factcheck.models import ClaimMatchSuggestion, RatingLabel, Verdict

    client, _ = person("rita", "reviewer")
    published = waiting_claim("Oskaria sent 11,000 soldiers to Korva.", 0.8, status=Claim.Status.PUBLISHED)
    Verdict.objects.create(
        claim=published,
        rating=RatingLabel.objects.get(slug="false"),
        summary="No.",
        status="published",
        published_at=timezone.now(),
        slug="oskaria-11000",
    )
    draft_only = waiting_claim("The bridge cost 12 million.", 0.5)
    new = waiting_claim("Oskaria has sent about 11,000 troops to Korva.", 0.7)
    other = waiting_claim("The bridge cost 12 million euros.", 0.6)
    ClaimMatchSuggestion.objects.create(claim=new, candidate=published, score=0.5)
    ClaimMatchSuggestion.objects.create(claim=other, candidate=draft_only, score=0.5)
    doc = home(client)
    rows = [
        [cell.text_content().strip() for cell in row.xpath("td")]
        for row in doc.xpath("//section[@id='desk-like-published']//tbody/tr")
    ]
    assert rows == [[new.text, published.text]]
