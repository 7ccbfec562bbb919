"""Following outlets by their feeds: a feed is polled on its own schedule, and each entry it lists
for the first time has its article fetched and ingested like any source.

- ``feed_add`` records an outlet's feed (its URL checked as any fetched URL is).
- ``feed_poll`` takes the feed under a lease (a poll started by the schedule and one asked for by
  hand never run at once), fetches it conditionally through the one outbound client (an unchanged
  feed answers 304 and costs no body), reads it with feedparser, and, in one transaction, records
  every entry it had not seen (by the entry's id, else its link) and requests a fetch of its
  article (services.source_fetches: a worker fetches and ingests it, under its own lease and
  reaper). A poll that dies before that transaction commits recorded nothing and is simply done
  again; one that dies after it lost nothing (the fetches are queued, their reaper re-sends them).
- What came of each poll is kept on the feed (last status, last error, when it polls next); a
  failing feed waits twice as long after each failure, up to a day.
- ``feeds_poll_due`` (the beat, every minute) sends each feed that is due to a worker.

Hostile feeds are bounded by the client (size cap, one time budget, no private addresses, checked
redirects) and here: at most FACTCHECK_FEED_MAX_ENTRIES entries are read, titles lose their markup,
unreadable dates are dropped (the article's own date is used), and an XML document that declares
entities is refused before it is parsed (billion laughs, external entities).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import random
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from lxml import html as lxml_html

from factcheck import task_names
from factcheck.fetching import NOT_MODIFIED, FetchFailed, FetchRefused, check_url, fetch_feed
from factcheck.models import Feed, FeedEntry, FeedStatus, Outlet, Source
from factcheck.services.dispatch import enqueue_now
from factcheck.services.hosts import wait_for_host_slot
from factcheck.services.source_fetches import UrlAlreadyStored, source_fetch_request

logger = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(days=1)
ERROR_MAX_CHARS = 2000
# An XML document type declaring entities: what every entity-expansion attack needs (and no feed does).
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedError(ValueError):
    """A feed that cannot be added as asked; the message says why."""


@dataclass
class PollResult:
    feed_id: int
    status: str  # a FeedStatus value, or "busy" when another poll holds the feed
    new: list[str] = field(default_factory=list)  # the new entries' titles (or links)
    seen: int = 0  # entries listed that were already known
    revised: list[str] = field(default_factory=list)  # known entries the feed says were edited: fetched again
    error: str = ""


def feed_add(*, outlet_name: str, url: str, poll_minutes: int | None = None) -> Feed:
    """Follow an outlet's feed (the outlet is created if new); adding a known URL again changes nothing."""
    url, outlet_name = url.strip(), " ".join(outlet_name.split())
    if not outlet_name:
        raise FeedError("name the outlet the feed belongs to")
    if poll_minutes is not None and not 1 <= poll_minutes <= 7 * 24 * 60:
        raise FeedError("poll every 1 minute to 7 days")
    try:
        check_url(url, allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS)
    except FetchRefused as error:
        raise FeedError(f"this feed cannot be followed: {error}") from None
    with transaction.atomic():
        outlet, _ = Outlet.objects.get_or_create(name=outlet_name[:200])
        feed, created = Feed.objects.get_or_create(url=url, defaults={"outlet": outlet, "poll_minutes": poll_minutes})
        if not created and feed.outlet_id != outlet.pk:
            raise FeedError(f"this feed is already followed for {feed.outlet.name}")
    return feed


def feeds_poll_due(*, now: dt.datetime | None = None) -> list[int]:
    """Send every active feed whose time has come, and is not being polled, to a worker."""
    now = now or timezone.now()
    due = Feed.objects.filter(is_active=True, next_poll_at__lte=now).filter(
        Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    )
    ids = list(due.order_by("next_poll_at").values_list("pk", flat=True)[: settings.FACTCHECK_FEED_POLLS_PER_ROUND])
    for feed_id in ids:
        enqueue_now(task_names.POLL_FEED, feed_id)
    return ids


def feed_poll(*, feed_id: int) -> PollResult:
    """Poll the feed now (see the module's docstring)."""
    feed = _claim(feed_id)
    if feed is None:
        return PollResult(feed_id, "busy")
    try:
        result = _poll(feed)
    except Exception as error:
        # Anything unforeseen is a failed poll on record, never a feed stuck under its lease.
        logger.exception("polling feed %s failed", feed_id)
        result = PollResult(feed_id, FeedStatus.FAILED, error=f"unexpected error: {type(error).__name__}")
    _record(feed, result)
    return result


def _claim(feed_id: int) -> Feed | None:
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.FACTCHECK_FEED_POLL_LEASE_SECONDS)
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    if not Feed.objects.filter(free, pk=feed_id).update(polling_until=lease):
        return None
    return Feed.objects.select_related("outlet").get(pk=feed_id)


def _poll(feed: Feed) -> PollResult:
    wait_for_host_slot(feed.url)
    try:
        fetched = fetch_feed(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            max_bytes=settings.FACTCHECK_FEED_MAX_BYTES,
            timeout=settings.FACTCHECK_FETCH_TIMEOUT_SECONDS,
            max_redirects=settings.FACTCHECK_FETCH_MAX_REDIRECTS,
            allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS,
        )
    except FetchRefused as error:
        return PollResult(feed.pk, FeedStatus.FAILED, error=f"refused: {error}")
    except FetchFailed as error:
        return PollResult(feed.pk, FeedStatus.FAILED, error=f"could not fetch: {error}")
    if fetched.status == NOT_MODIFIED:
        return PollResult(feed.pk, FeedStatus.NOT_MODIFIED)
    if _ENTITY_DECLARATION.search(fetched.body[:65536]):
        return PollResult(
            feed.pk, FeedStatus.FAILED, error="refused: the feed declares XML entities, which no feed needs"
        )
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.final_url})
    entries = list(parsed.entries)[: settings.FACTCHECK_FEED_MAX_ENTRIES]
    if not entries and (parsed.bozo or not parsed.get("version")):
        reason = str(parsed.get("bozo_exception", "")) or "no entries"
        return PollResult(feed.pk, FeedStatus.FAILED, error=f"not a readable feed: {reason}"[:ERROR_MAX_CHARS])
    result = PollResult(feed.pk, FeedStatus.OK)
    feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    feed.title = _plain(str(parsed.feed.get("title", "")))[:300] or feed.title
    _record_entries(feed, [_entry(raw, fetched.final_url) for raw in entries], result)
    return result


@dataclass(frozen=True)
class _Entry:
    key: str
    url: str
    title: str
    published_at: dt.datetime | None
    updated_at: dt.datetime | None  # when the feed says the entry was last edited, if it says


def _entry(raw: Any, base_url: str) -> _Entry:
    link = str(raw.get("link", "") or "").strip()
    url = urljoin(base_url, link) if link else ""
    key = str(raw.get("id", "") or "").strip() or url
    return _Entry(
        key=key[:2000],
        url=url[:2000],
        title=_plain(str(raw.get("title", "")))[:500],
        published_at=_date(raw),
        updated_at=_date(raw, ("updated_parsed",)),
    )


def _record_entries(feed: Feed, entries: list[_Entry], result: PollResult) -> None:
    """The entries not seen before, recorded with a fetch of each one's article, in one transaction."""
    keyed = {hashlib.sha256(e.key.encode()).hexdigest(): e for e in entries if e.key}
    with transaction.atomic():
        known = {
            row.key_hash: row for row in FeedEntry.objects.filter(feed=feed, key_hash__in=keyed).select_related("fetch")
        }
        result.seen = len(known)
        for key_hash, entry in keyed.items():
            if key_hash in known:
                _revisit(feed, known[key_hash], entry, result)
                continue
            row = FeedEntry(
                feed=feed,
                key_hash=key_hash,
                key=entry.key,
                url=entry.url,
                title=entry.title,
                published_at=entry.published_at,
                updated_at=entry.updated_at,
            )
            _request_article(feed, row)
            row.save()
            result.new.append(entry.title or entry.url)


def _revisit(feed: Feed, row: FeedEntry, entry: _Entry, result: PollResult) -> None:
    """A known entry the feed says was edited (a later update time, or another title): its article is
    fetched again, and a new text is recorded as a revision of its source (never a second source)."""
    later = entry.updated_at is not None and (row.updated_at is None or entry.updated_at > row.updated_at)
    retitled = bool(entry.title) and entry.title != row.title
    source_id = row.source_id or (row.fetch.source_id if row.fetch else None)
    if not (later or retitled) or source_id is None or not row.url:
        return
    row.updated_at, row.title = entry.updated_at or row.updated_at, entry.title or row.title
    row.save(update_fields=["updated_at", "title"])
    try:
        source_fetch_request(
            url=row.url, outlet_name=feed.outlet.name, title=row.title, revise=Source.objects.get(pk=source_id)
        )
    except FetchRefused as error:
        logger.warning("feed %s: the edited entry %s cannot be fetched again: %s", feed.pk, row.pk, error)
        return
    result.revised.append(row.title or row.url)


def _request_article(feed: Feed, row: FeedEntry) -> None:
    """Ask a worker to fetch and ingest the entry's article (as POST /sources/ with a URL does)."""
    if not row.url:
        row.note = "the entry links to no article"
        return
    try:
        row.fetch = source_fetch_request(
            url=row.url, outlet_name=feed.outlet.name, title=row.title, published_at=row.published_at
        )
    except UrlAlreadyStored as stored:
        row.source, row.note = stored.source, "already stored"
    except FetchRefused as error:
        row.note = f"refused: {error}"[:500]


def _record(feed: Feed, result: PollResult) -> None:
    now = timezone.now()
    interval = dt.timedelta(minutes=feed.poll_minutes or settings.FACTCHECK_FEED_POLL_MINUTES)
    failed = result.status == FeedStatus.FAILED
    failures = feed.failures + 1 if failed else 0
    wait = min(interval * 2**failures, MAX_BACKOFF) if failed else interval
    # Up to a tenth more, at random: feeds added together do not stay polled together.
    wait += dt.timedelta(seconds=random.uniform(0, wait.total_seconds() / 10))  # noqa: S311 - spreading load, not secrets
    changes: dict[str, Any] = {
        "polling_until": None,
        "last_polled_at": now,
        "last_status": result.status,
        "last_error": result.error[:ERROR_MAX_CHARS],
        "failures": failures,
        "next_poll_at": now + wait,
        "last_new_entries": len(result.new),
    }
    if result.status == FeedStatus.OK:
        changes.update(etag=feed.etag, last_modified=feed.last_modified, title=feed.title)
    Feed.objects.filter(pk=feed.pk).update(**changes)


def _plain(text: str) -> str:
    """A title as text: markup removed, entities read, whitespace collapsed (feeds put HTML in titles)."""
    if "<" in text or "&" in text:
        try:
            text = lxml_html.fromstring(f"<div>{text}</div>").text_content()
        except (ValueError, lxml_html.etree.ParserError):
            text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(text.split())


def _date(raw: Any, names: tuple[str, ...] = ("published_parsed", "updated_parsed")) -> dt.datetime | None:
    """The entry's publication (else update) time, or None when the feed gives none it can read."""
    present = set(raw.keys())  # asked for by name, a missing date is mapped to the other, with a warning
    for name in names:
        parsed = raw[name] if name in present else None
        if parsed:
            try:
                moment = dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
            except (OverflowError, ValueError, TypeError):
                continue
            if dt.datetime(1990, 1, 1, tzinfo=dt.UTC) <= moment <= timezone.now() + dt.timedelta(days=2):
                return moment
    return None


def feeds_poll_now(*, feed_ids: list[int]) -> int:
    """Send these feeds to a worker to be polled now (the admin's "Poll now"); returns how many."""
    ids = list(Feed.objects.filter(pk__in=feed_ids).values_list("pk", flat=True))
    for feed_id in ids:
        enqueue_now(task_names.POLL_FEED, feed_id)
    return len(ids)


def feeds_set_active(*, feed_ids: list[int], active: bool) -> int:
    """Pause or resume polling; a resumed feed is polled at the next beat."""
    changes: dict[str, Any] = {"is_active": active}
    if active:
        changes["next_poll_at"] = timezone.now()
    return Feed.objects.filter(pk__in=feed_ids).update(**changes)
