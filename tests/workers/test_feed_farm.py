"""A farm of 20 loopback feeds (and two hostile ones) polled through the beat's task and a real worker:
every article is ingested once and the hostile feeds are refused and recorded; the second round sends
only conditional requests and ingests nothing; an edited entry then becomes a revision of its source."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bench.feed_farm import Page, feed_farm, rss
from factcheck.models import Feed, FeedEntry, Source, SourceFetch, SourceRevision
from factcheck.services.feeds import feed_add, feeds_poll_due
from tests.conftest import WorkerProcess, wait_for
from tests.services.test_feeds import BILLION_LAUGHS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("allow_private")]

FEEDS, ENTRIES = 20, 2
SHORT_ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The {outlet} council in {town} approved a budget of {n} million for the harbour on Monday.</p>"
    "</article></body></html>"
)


def test_a_farm_of_feeds_is_ingested_once_and_an_unchanged_farm_costs_only_conditional_requests(
    celery_worker: WorkerProcess,
) -> None:
    with feed_farm() as farm:
        for f in range(FEEDS):
            items = []
            for e in range(ENTRIES):
                path = f"/outlet{f}/story{e}.html"
                title = f"Harbour budget {f}-{e}"
                farm.pages[path] = Page(
                    SHORT_ARTICLE.format(title=title, outlet=f"Outlet {f}", town=f"Town{f}x{e}", n=f * 10 + e).encode(),
                    content_type="text/html",
                )
                items.append((f"urn:outlet{f}:{e}", f"{farm.base}{path}", title))
            farm.pages[f"/outlet{f}/feed.xml"] = Page(rss(items), etag=f'"outlet{f}-v1"')
            feed_add(outlet_name=f"Outlet {f}", url=f"{farm.base}/outlet{f}/feed.xml")
        # Two hostile feeds besides: refused and recorded by the worker, never a stuck poll.
        farm.pages["/bomb.xml"] = Page(BILLION_LAUGHS)
        farm.pages["/down.xml"] = Page(b"", status=500)
        bomb = feed_add(outlet_name="Bomb Wire", url=f"{farm.base}/bomb.xml")
        down = feed_add(outlet_name="Down Wire", url=f"{farm.base}/down.xml")

        assert len(feeds_poll_due()) == FEEDS + 2
        articles = FEEDS * ENTRIES
        assert wait_for(lambda: Source.objects.count() == articles, timeout=120), Source.objects.count()
        assert wait_for(lambda: Feed.objects.filter(last_status="ok").count() == FEEDS, timeout=30)
        assert wait_for(lambda: Feed.objects.filter(last_status="failed").count() == 2, timeout=30)
        assert celery_worker.wait_until_idle()
        assert "declares XML entities" in Feed.objects.get(pk=bomb.pk).last_error
        assert "answered 500" in Feed.objects.get(pk=down.pk).last_error
        assert not Feed.objects.filter(polling_until__isnull=False).exists()
        assert FeedEntry.objects.count() == articles
        assert set(SourceFetch.objects.values_list("status", flat=True)) == {"succeeded"}
        first_round = len(farm.requests)
        assert first_round == FEEDS + 2 + articles

        Feed.objects.filter(last_status="ok").update(next_poll_at=timezone.now())
        assert len(feeds_poll_due()) == FEEDS
        assert wait_for(lambda: Feed.objects.filter(last_status="not_modified").count() == FEEDS, timeout=60)
        second_round = farm.requests[first_round:]
        assert len(second_round) == FEEDS  # the feeds only: no article fetched again
        assert all(headers.get("If-None-Match") for _, headers in second_round)
        assert Source.objects.count() == articles

        # Outlet 0 edits its first story (a corrected figure, a new title): a revision, not a second source.
        story = "/outlet0/story0.html"
        farm.pages[story] = Page(
            farm.pages[story].body.replace(b"budget of 0 million", b"budget of 2 million"), content_type="text/html"
        )
        edited = [
            ("urn:outlet0:0", f"{farm.base}{story}", "Harbour budget 0-0, corrected"),
            ("urn:outlet0:1", f"{farm.base}/outlet0/story1.html", "Harbour budget 0-1"),
        ]
        farm.pages["/outlet0/feed.xml"] = Page(rss(edited), etag='"outlet0-v2"')
        Feed.objects.filter(url=f"{farm.base}/outlet0/feed.xml").update(next_poll_at=timezone.now())
        assert feeds_poll_due()
        assert wait_for(lambda: SourceRevision.objects.exists(), timeout=60)
        revision = SourceRevision.objects.get()
        assert "budget of 2 million" in revision.text
        assert revision.source.url == f"{farm.base}{story}"
        assert Source.objects.count() == articles
