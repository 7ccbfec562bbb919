"""A farm of 20 loopback feeds polled twice through the beat's task and a real worker: every article
is ingested once; the second round sends only conditional requests and ingests nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bench.feed_farm import Page, feed_farm, rss
from factcheck.models import Feed, FeedEntry, Source, SourceFetch
from factcheck.services.feeds import feed_add, feeds_poll_due
from tests.conftest import WorkerProcess, wait_for

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

        assert len(feeds_poll_due()) == FEEDS
        articles = FEEDS * ENTRIES
        assert wait_for(lambda: Source.objects.count() == articles, timeout=120), Source.objects.count()
        assert wait_for(lambda: not Feed.objects.exclude(last_status="ok").exists(), timeout=30)
        assert celery_worker.wait_until_idle()
        assert FeedEntry.objects.count() == articles
        assert set(SourceFetch.objects.values_list("status", flat=True)) == {"succeeded"}
        first_round = len(farm.requests)
        assert first_round == FEEDS + articles

        Feed.objects.update(next_poll_at=timezone.now())
        assert len(feeds_poll_due()) == FEEDS
        assert wait_for(lambda: Feed.objects.filter(last_status="not_modified").count() == FEEDS, timeout=60)
        second_round = farm.requests[first_round:]
        assert len(second_round) == FEEDS  # the feeds only: no article fetched again
        assert all(headers.get("If-None-Match") for _, headers in second_round)
        assert Source.objects.count() == articles
