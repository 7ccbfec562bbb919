"""Outlet feeds against a loopback feed server: new entries' articles ingested once, an unchanged
feed answered 304 to a conditional request, re-ordered and re-published entries adding nothing,
and hostile feeds refused or bounded with a clear record on the feed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench.feed_farm import FeedServer, Page, feed_farm, rss, serve_articles
from factcheck import task_names
from factcheck.models import Feed, FeedEntry, Outlet, Source
from factcheck.services.feeds import FeedError, feed_add, feed_poll, feeds_poll_due

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private")]


@pytest.fixture
def farm() -> Iterator[FeedServer]:
    with feed_farm() as server:
        yield server


def conditional(farm: FeedServer, path: str) -> list[bool]:
    """For each request of ``path``: whether it was conditional."""
    return [bool(headers.get("If-None-Match")) for p, headers in farm.requests if p == path]


def test_new_entries_are_ingested_once_and_an_unchanged_feed_costs_a_304(
    farm: FeedServer, django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    farm.pages["/feed.xml"] = Page(rss(serve_articles(farm, 3)), etag='"v1"')
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        first = feed_poll(feed_id=feed.pk)
    assert (first.status, len(first.new), first.seen) == ("ok", 3, 0)
    assert sorted(Source.objects.values_list("title", flat=True)) == [
        "Flood report 0",
        "Flood report 1",
        "Flood report 2",
    ]
    assert set(Source.objects.values_list("outlet__name", flat=True)) == {"River Wire"}
    assert Source.objects.filter(published_at=dt.datetime(2025, 9, 2, 8, tzinfo=dt.UTC)).count() == 3
    feed.refresh_from_db()
    assert (feed.last_status, feed.etag, feed.title, feed.failures) == ("ok", '"v1"', "River Wire", 0)
    assert feed.next_poll_at > timezone.now() + dt.timedelta(minutes=14)

    with django_capture_on_commit_callbacks(execute=True):
        second = feed_poll(feed_id=feed.pk)
    assert (second.status, second.new) == ("not_modified", [])
    assert conditional(farm, "/feed.xml") == [False, True]
    assert Source.objects.count() == 3
    assert [p for p, _ in farm.requests].count("/news/0.html") == 1  # no article fetched twice


def test_a_reordered_or_republished_feed_adds_only_what_is_new(
    farm: FeedServer, django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    items = serve_articles(farm, 4)
    farm.pages["/feed.xml"] = Page(rss(items[:3]))
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(feed_id=feed.pk)
    # Newest first, the old ones re-ordered, one re-published under a new id with the same link.
    republished = ("urn:river:again", items[0][1], items[0][2])
    farm.pages["/feed.xml"] = Page(rss([items[3], items[2], items[0], items[1], republished]))
    with django_capture_on_commit_callbacks(execute=True):
        result = feed_poll(feed_id=feed.pk)
    assert (len(result.new), result.seen) == (2, 3)
    assert Source.objects.count() == 4
    again = FeedEntry.objects.get(key="urn:river:again")
    assert again.note == "already stored"
    assert again.source is not None


def test_titles_lose_their_markup_and_unreadable_dates_are_dropped(
    farm: FeedServer, django_capture_on_commit_callbacks: Any, sent: list[Any]
) -> None:
    items = [("urn:1", f"{farm.base}/a.html", "&lt;b&gt;Dam &amp; levee&lt;/b&gt; <i>breached</i>")]
    farm.pages["/feed.xml"] = Page(rss(items, dates=["the 31st of Smarch"]))
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml")
    feed_poll(feed_id=feed.pk)
    entry = FeedEntry.objects.get()
    assert entry.title == "Dam & levee breached"
    assert entry.published_at is None
    assert entry.fetch is not None  # its article's fetch is requested
    assert entry.fetch.title == "Dam & levee breached"


def test_dates_no_news_can_have_are_dropped(farm: FeedServer, sent: list[Any]) -> None:
    items = [(f"urn:{n}", f"{farm.base}/{n}.html", f"Story {n}") for n in range(3)]
    dates = ["Thu, 01 Jan 1970 00:00:00 GMT", "Tue, 01 Jan 2999 08:00:00 GMT", "Tue, 02 Sep 2025 08:00:00 GMT"]
    farm.pages["/feed.xml"] = Page(rss(items, dates=dates))
    feed_poll(feed_id=feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml").pk)
    published = dict(FeedEntry.objects.values_list("key", "published_at"))
    assert published == {"urn:0": None, "urn:1": None, "urn:2": dt.datetime(2025, 9, 2, 8, tzinfo=dt.UTC)}


def test_at_most_the_configured_number_of_entries_is_read(farm: FeedServer, settings: Any, sent: list[Any]) -> None:
    settings.FACTCHECK_FEED_MAX_ENTRIES = 2
    items = [(f"urn:{n}", f"{farm.base}/{n}.html", f"Story {n}") for n in range(5)]
    farm.pages["/feed.xml"] = Page(rss(items))
    result = feed_poll(feed_id=feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml").pk)
    assert result.new == ["Story 0", "Story 1"]
    assert FeedEntry.objects.count() == 2


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title><item><title>x</title><link>http://x/</link></item></channel></rss>"""


@pytest.mark.parametrize(
    ("page", "error"),
    [
        pytest.param(Page(BILLION_LAUGHS), "declares XML entities", id="billion-laughs"),
        pytest.param(Page(EXTERNAL_ENTITY), "declares XML entities", id="external-entity"),
        pytest.param(Page(b"<rss>" + b"x" * 3000 + b"</rss>"), "more than the 2048 allowed", id="oversized"),
        pytest.param(Page(b"<html><body>Not a feed</body></html>", "text/html"), "not a readable feed", id="a-page"),
        pytest.param(Page(b"", status=500), "answered 500", id="server-error"),
        pytest.param(Page(b"<rss/>", delay=3), "could not fetch", id="endless-slow"),
        pytest.param(Page(b"", status=302, location="http://169.254.169.254/latest/"), "refused", id="to-metadata"),
        pytest.param(Page(b"\x89PNG", "image/png"), "refused", id="an-image"),
    ],
)
def test_a_hostile_feed_is_refused_or_bounded_and_recorded(
    farm: FeedServer, settings: Any, sent: list[Any], page: Page, error: str
) -> None:
    settings.FACTCHECK_FEED_MAX_BYTES = 2048
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 1.0
    if "169.254" in page.location:
        settings.FACTCHECK_ALLOW_PRIVATE_URLS = False  # the redirect is checked as a public fetch would be
    farm.pages["/feed.xml"] = page
    feed = Feed.objects.create(outlet=Outlet.objects.create(name="Hostile"), url=f"{farm.base}/feed.xml")
    started = time.monotonic()
    result = feed_poll(feed_id=feed.pk)
    assert time.monotonic() - started < 5
    feed.refresh_from_db()
    assert (result.status, feed.last_status, feed.failures) == ("failed", "failed", 1)
    assert error in feed.last_error
    assert feed.polling_until is None  # never left stuck under its lease
    assert not FeedEntry.objects.exists()
    assert sent == []


def test_a_failing_feed_waits_longer_after_each_failure(farm: FeedServer, sent: list[Any]) -> None:
    farm.pages["/feed.xml"] = Page(b"", status=503)
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml", poll_minutes=10)
    waits = []
    for _ in range(3):
        before = timezone.now()
        feed_poll(feed_id=feed.pk)
        feed.refresh_from_db()
        waits.append((feed.next_poll_at - before).total_seconds() / 60)
    assert feed.failures == 3
    assert 20 <= waits[0] <= 23
    assert 40 <= waits[1] <= 45
    assert 80 <= waits[2] <= 89


def test_one_poll_at_a_time_and_the_beat_sends_only_due_feeds(farm: FeedServer, sent: list[Any]) -> None:
    due = feed_add(outlet_name="River Wire", url=f"{farm.base}/due.xml")
    later = feed_add(outlet_name="River Wire", url=f"{farm.base}/later.xml")
    paused = feed_add(outlet_name="River Wire", url=f"{farm.base}/paused.xml")
    Feed.objects.filter(pk=later.pk).update(next_poll_at=timezone.now() + dt.timedelta(minutes=5))
    Feed.objects.filter(pk=paused.pk).update(is_active=False)
    assert feeds_poll_due() == [due.pk]
    assert sent == [(task_names.POLL_FEED, (due.pk,))]
    Feed.objects.filter(pk=due.pk).update(polling_until=timezone.now() + dt.timedelta(minutes=1))
    assert feed_poll(feed_id=due.pk).status == "busy"
    assert feeds_poll_due() == []


def test_a_feed_is_added_once_for_one_outlet_and_a_bad_url_is_refused(farm: FeedServer, settings: Any) -> None:
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml")
    assert feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml").pk == feed.pk
    with pytest.raises(FeedError, match="already followed for River Wire"):
        feed_add(outlet_name="Other Outlet", url=f"{farm.base}/feed.xml")
    with pytest.raises(FeedError, match="cannot be followed"):
        feed_add(outlet_name="River Wire", url="ftp://example.org/feed.xml")
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(FeedError, match="cannot be followed"):
        feed_add(outlet_name="River Wire", url="http://127.0.0.1:9/feed.xml")


def test_the_command_adds_lists_and_polls(
    farm: FeedServer, django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    farm.pages["/feed.xml"] = Page(rss(serve_articles(farm, 2)), etag='"v1"')
    out = StringIO()
    call_command("feeds", "add", "River Wire", f"{farm.base}/feed.xml", "--every", "30", stdout=out)
    feed = Feed.objects.get()
    assert feed.poll_minutes == 30
    with django_capture_on_commit_callbacks(execute=True):
        call_command("feeds", "poll", stdout=out)
    assert f"feed {feed.pk}: Polled; 2 new entries, 0 seen before" in out.getvalue()
    assert "    new: Flood report 0" in out.getvalue()
    listing = StringIO()
    call_command("feeds", "list", stdout=listing)
    assert "River Wire" in listing.getvalue()
    assert "Polled; 2 new" in listing.getvalue()
    with pytest.raises(CommandError, match="no feed 999"):
        call_command("feeds", "poll", "999")
    with pytest.raises(CommandError, match="cannot be followed"):
        call_command("feeds", "add", "River Wire", "javascript:alert(1)")


def test_the_admin_adds_feeds_through_the_service_and_polls_pauses_and_resumes_them(
    sent: list[Any], settings: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    boss = Client()
    boss.force_login(get_user_model().objects.create_superuser("boss", password="pw-for-tests-only"))
    added = boss.post(
        "/admin/factcheck/feed/add/",
        {"outlet_name": "River Wire", "url": "http://127.0.0.1:9/feed.xml", "poll_minutes": "20"},
        follow=True,
    )
    assert added.status_code == 200
    feed = Feed.objects.get()
    assert (feed.outlet.name, feed.poll_minutes) == ("River Wire", 20)
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = False
    refused = boss.post(
        "/admin/factcheck/feed/add/", {"outlet_name": "Sneaky", "url": "http://169.254.169.254/latest/"}, follow=True
    )
    assert "cannot be followed" in refused.content.decode()
    assert Feed.objects.count() == 1
    page = boss.get(f"/admin/factcheck/feed/{feed.pk}/change/").content.decode()
    assert 'name="url"' not in page  # read-only: what a poll wrote is the poller's
    listing = "/admin/factcheck/feed/"
    boss.post(listing, {"action": "poll_now", "_selected_action": [feed.pk]})
    assert sent == [(task_names.POLL_FEED, (feed.pk,))]
    boss.post(listing, {"action": "pause", "_selected_action": [feed.pk]})
    assert not Feed.objects.get().is_active
    boss.post(listing, {"action": "resume", "_selected_action": [feed.pk]})
    assert Feed.objects.get().is_active


def rss_updated(items: list[tuple[str, str, str]], updated: str) -> bytes:
    """An Atom feed of (id, link, title) entries, each updated at ``updated``."""
    body = "".join(
        f'<entry><id>{key}</id><link href="{link}"/><title>{title}</title><updated>{updated}</updated></entry>'
        for key, link, title in items
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>River Wire</title>{body}</feed>'.encode()


def test_an_edited_entry_becomes_a_revision_of_its_source_that_reviewers_see(
    farm: FeedServer, django_capture_on_commit_callbacks: Any, tasks_in_process: None
) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from factcheck.models import Claim, SourceRevision

    items = serve_articles(farm, 1)
    farm.pages["/feed.xml"] = Page(rss_updated(items, "2025-09-02T08:00:00Z"), content_type="application/atom+xml")
    feed = feed_add(outlet_name="River Wire", url=f"{farm.base}/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(feed_id=feed.pk)
    source = Source.objects.get()
    # The outlet corrects its figure; the feed says the entry was updated.
    path = "/news/0.html"
    farm.pages[path] = Page(farm.pages[path].body.replace(b"10 people", b"14 people"), content_type="text/html")
    farm.pages["/feed.xml"] = Page(rss_updated(items, "2025-09-02T11:30:00Z"), content_type="application/atom+xml")
    with django_capture_on_commit_callbacks(execute=True):
        result = feed_poll(feed_id=feed.pk)
    assert (result.new, result.revised, result.seen) == ([], ["Flood report 0"], 1)
    assert Source.objects.count() == 1  # never a second source
    revision = SourceRevision.objects.get()
    assert revision.source == source
    assert "14 people" in revision.text
    assert "10 people" in Source.objects.get().text  # the source keeps the text its claims were read from
    # Polled again unchanged: nothing is fetched or recorded twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = feed_poll(feed_id=feed.pk)
    assert again.revised == []
    assert SourceRevision.objects.count() == 1

    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("boss", password="pw-for-tests-only"))
    page = staff.get(f"/admin/factcheck/source/{source.pk}/change/").content.decode()
    assert "<del>Officials in Karsk0 said 10 people were evacuated" in page
    assert "<ins>Officials in Karsk0 said 14 people were evacuated" in page
    claim = Claim.objects.filter(appearances__source=source).first()
    assert claim is not None
    review = staff.get(f"/admin/factcheck/claim/{claim.pk}/review/").content.decode()
    assert "River Wire edited the article on" in review
    assert "1 sentence taken out or changed" in review
