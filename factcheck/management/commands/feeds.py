"""python manage.py feeds add OUTLET URL [--every MINUTES] | feeds list | feeds poll [FEED_ID ...]

Follow outlets by their RSS or Atom feeds. ``add`` records a feed (polled every 15 minutes unless
``--every`` says otherwise); ``list`` shows each feed with what its last poll found and when it
polls next; ``poll`` polls the feeds given (all active ones by default) now, in this process, and
says what each found. The new entries' articles are fetched and ingested by the workers (in this
process when no broker is configured), like any URL given to POST /sources/.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from factcheck.models import Feed
from factcheck.services.feeds import FeedError, feed_add, feed_poll


class Command(BaseCommand):
    help = "Follow outlets' feeds: add one, list them, or poll them now."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Follow an outlet's feed.")
        add.add_argument("outlet", help="The outlet's name (created if new).")
        add.add_argument("url", help="The feed's URL (RSS or Atom).")
        add.add_argument("--every", type=int, metavar="MINUTES", help="Minutes between polls (default 15).")
        actions.add_parser("list", help="Every feed, its last poll and its next.")
        poll = actions.add_parser("poll", help="Poll feeds now and say what each found.")
        poll.add_argument(
            "feeds", nargs="*", type=int, metavar="FEED_ID", help="Feed ids (default: every active feed)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_add(self, options: dict[str, Any]) -> None:
        try:
            feed = feed_add(outlet_name=options["outlet"], url=options["url"], poll_minutes=options["every"])
        except FeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Feed {feed.pk}: {feed.outlet.name}, {feed.url}; first poll {_when(feed.next_poll_at)}.")

    def handle_list(self, options: dict[str, Any]) -> None:
        feeds = Feed.objects.select_related("outlet").order_by("outlet__name", "url")
        if not feeds:
            self.stdout.write("No feeds yet: add one with `manage.py feeds add OUTLET URL`.")
        for feed in feeds:
            state = feed.get_last_status_display() + (f" ({feed.last_error})" if feed.last_error else "")
            polled = _when(feed.last_polled_at) if feed.last_polled_at else "never"
            active = "" if feed.is_active else " [paused]"
            self.stdout.write(
                f"{feed.pk}: {feed.outlet.name}, {feed.url}{active}\n"
                f"    last polled {polled}: {state}; {feed.last_new_entries} new; next poll {_when(feed.next_poll_at)}"
            )

    def handle_poll(self, options: dict[str, Any]) -> None:
        wanted = options["feeds"]
        feeds = Feed.objects.filter(pk__in=wanted) if wanted else Feed.objects.filter(is_active=True)
        ids = list(feeds.order_by("pk").values_list("pk", flat=True))
        missing = sorted(set(wanted) - set(ids))
        if missing:
            raise CommandError(f"no feed {', '.join(map(str, missing))}: see `manage.py feeds list`")
        failed = 0
        for feed_id in ids:
            result = feed_poll(feed_id=feed_id)
            failed += result.status == Feed.Status.FAILED
            status = Feed.Status(result.status).label if result.status != "busy" else "being polled elsewhere"
            line = f"feed {feed_id}: {status}"
            if result.status == Feed.Status.OK:
                line += (
                    f"; {len(result.new)} new entr{'y' if len(result.new) == 1 else 'ies'}, {result.seen} seen before"
                )
            if result.error:
                line += f"; {result.error}"
            self.stdout.write(line)
            for title in result.new[:20]:
                self.stdout.write(f"    new: {title}")
        if failed:
            raise CommandError(f"{failed} feed(s) failed; see above")


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
