#!/usr/bin/env python
"""Feed intake, end to end: a loopback farm of outlets' feeds polled through real workers.

    .venv/bin/python bench/feeds.py [--outlets 20] [--entries 10] [--workers 1]

N outlets x M entries are served on 127.0.0.1 (each feed with an ETag; some feeds reached through a
redirect, one answering 500, one slow), added through the feeds service to a fresh bench database
(``factcheck_bench_feeds``, from a migrated template), and polled by the beat's task through
``--workers`` real ``celery -A config worker`` processes on the bench's own queues. Reported:

- round 1: new entries ingested end to end per second (from the poll request to the last article's
  claims extracted: fetched, stored, split, extracted; the workers consume every queue, so the checks
  the new claims request run in between, and those still queued are purged after), and polls per second;
- round 2 (the farm unchanged): polls per second, the requests the farm received (every one must be a
  conditional request for a feed; no article fetched again), and entries ingested (must be 0).

The farm is one loopback host, so the politeness interval per host (FACTCHECK_FETCH_HOST_INTERVAL_SECONDS)
is off here: it would measure the interval. Loopback addresses are allowed for this process and its
workers only (FACTCHECK_ALLOW_PRIVATE_URLS), as in the tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.feed_farm import FeedServer, Page, feed_farm, rss  # noqa: E402
from bench.pipeline import (  # noqa: E402
    VAR,
    Worker,
    bench_environment,
    create_database,
    drop_database,
    machine_note,
    markdown_table,
    prepare_template,
    purge_queues,
    stop_all,
    template_of,
    use_environment,
    wait_until_ready,
)

ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The {outlet} reported that the council of {town} approved {n} million for the harbour on Monday, "
    "after a vote of seven to four.</p><p>Work on the new quay is to start in the spring, officials said.</p>"
    "</article></body></html>"
)


def build_farm(farm: FeedServer, outlets: int, entries: int) -> tuple[list[tuple[str, str]], int]:
    """The farm's pages; returns (outlet, feed URL) for each feed and how many articles can be ingested."""
    feeds: list[tuple[str, str]] = []
    articles = 0
    for o in range(outlets):
        outlet = f"Bench Outlet {o}"
        items = []
        for e in range(entries):
            path = f"/o{o}/{e}.html"
            title = f"Harbour vote {o}-{e}"
            body = ARTICLE.format(title=title, outlet=outlet, town=f"Town{o}x{e}", n=o * 100 + e)
            farm.pages[path] = Page(body.encode(), content_type="text/html")
            items.append((f"urn:bench:{o}:{e}", f"{farm.base}{path}", title))
        feed_path = f"/o{o}/feed.xml"
        if o == 1 and outlets > 2:  # a server error: polled, failed, recorded
            farm.pages[feed_path] = Page(b"", status=500)
        elif o == 2 and outlets > 2:  # slow, within the time budget
            farm.pages[feed_path] = Page(rss(items), etag=f'"o{o}"', delay=1.0)
            articles += entries
        else:
            farm.pages[feed_path] = Page(rss(items), etag=f'"o{o}"')
            articles += entries
        url = f"{farm.base}{feed_path}"
        if o % 5 == 3:  # reached through a redirect
            farm.pages[f"/moved/o{o}"] = Page(b"", status=301, location=url)
            url = f"{farm.base}/moved/o{o}"
        feeds.append((outlet, url))
    return feeds, articles


def wait(condition: Callable[[], bool], timeout: float, workers: list[Worker]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if not all(worker.alive() for worker in workers):
            raise SystemExit(f"a worker died; see {VAR}")
        time.sleep(0.2)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1] if __doc__ else None)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", default="factcheck_bench_feeds")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    if not args.database.startswith("factcheck_bench"):
        parser.error("the database name must start with factcheck_bench")
    env = bench_environment(
        database=args.database, FACTCHECK_ALLOW_PRIVATE_URLS="true", FACTCHECK_FETCH_HOST_INTERVAL_SECONDS="0"
    )
    use_environment(env)
    os.environ["FACTCHECK_ALLOW_PRIVATE_URLS"] = "true"
    os.environ["FACTCHECK_FETCH_HOST_INTERVAL_SECONDS"] = "0"
    import django

    django.setup()
    from django.db import connections
    from django.db.models import Max, Min
    from django.utils import timezone

    from factcheck.models import Feed, Source, SourceFetch
    from factcheck.services.feeds import feed_add, feeds_poll_due

    print(f"machine: {machine_note()}", flush=True)
    prepare_template(env, args.database)
    connections.close_all()
    drop_database(args.database)
    create_database(args.database, template=template_of(args.database))
    purge_queues()
    workers = [Worker(env, f"feeds{n}", VAR / f"feeds-worker{n}.log") for n in range(args.workers)]
    rows = []
    try:
        with feed_farm() as farm:
            feeds, articles = build_farm(farm, args.outlets, args.entries)
            for outlet, url in feeds:
                feed_add(outlet_name=outlet, url=url)
            for worker in workers:
                worker.start()
            wait_until_ready(workers)

            started = timezone.now()
            polled = feeds_poll_due()
            done = wait(
                lambda: (
                    Source.objects.filter(claims_extracted_at__isnull=False).count() >= articles
                    and not Feed.objects.filter(last_polled_at__isnull=True).exists()
                ),
                args.timeout,
                workers,
            )
            if not done:
                raise SystemExit(f"round 1 did not finish in {args.timeout:.0f}s; see {VAR}")
            last = Source.objects.aggregate(last=Max("claims_extracted_at"))["last"]
            polls = Feed.objects.aggregate(first=Min("last_polled_at"), last=Max("last_polled_at"))
            seconds = (last - started).total_seconds()
            poll_seconds = max((polls["last"] - started).total_seconds(), 1e-6)
            first_requests = len(farm.requests)
            failed_fetches = SourceFetch.objects.exclude(status="succeeded").count()
            rows.append(
                [
                    "1: new",
                    len(polled),
                    Source.objects.count(),
                    f"{Source.objects.count() / seconds:.2f}",
                    f"{len(polled) / poll_seconds:.2f}",
                    first_requests,
                    Feed.objects.filter(last_status="failed").count(),
                    failed_fetches,
                ]
            )
            purge_queues()  # the checks the new claims asked for: not this benchmark's

            before = Source.objects.count()
            Feed.objects.update(next_poll_at=timezone.now())
            started = timezone.now()
            clock = time.monotonic()
            polled = feeds_poll_due()
            if not wait(lambda: Feed.objects.filter(last_polled_at__gte=started).count() == len(polled), 300, workers):
                raise SystemExit(f"round 2 did not finish; see {VAR}")
            round_two = farm.requests[first_requests:]
            conditional = sum(1 for _, headers in round_two if headers.get("If-None-Match"))
            articles_fetched = sum(1 for path, _ in round_two if path.endswith(".html"))
            elapsed = time.monotonic() - clock
            rows.append(
                [
                    "2: unchanged",
                    len(polled),
                    Source.objects.count() - before,
                    "-",
                    f"{len(polled) / elapsed:.2f}",
                    f"{len(round_two)} ({conditional} conditional, {articles_fetched} articles)",
                    Feed.objects.filter(last_status="failed").count(),
                    "-",
                ]
            )
            unchanged = Feed.objects.filter(last_status="not_modified").count()
            print(f"round 2: {unchanged} of {len(polled)} feeds answered 304 (a failing one fails again)")
    finally:
        stop_all(workers)
        purge_queues()
        connections.close_all()
    print(
        f"\n{args.outlets} outlets x {args.entries} entries, {args.workers} worker(s):\n\n"
        + markdown_table(
            [
                "round",
                "feeds polled",
                "sources ingested",
                "entries/s",
                "polls/s",
                "farm requests",
                "failed feeds",
                "failed fetches",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
