"""A loopback feed farm for the tests and bench/feeds.py: feeds and article pages served on 127.0.0.1, with ETags,
redirects, errors and slow answers as each page says, and a record of every request."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    body: bytes
    content_type: str = "application/rss+xml"
    etag: str = ""
    status: int = 200
    delay: float = 0.0
    location: str = ""


@dataclass
class FeedServer:
    """What the loopback server serves, by path, and every request it was sent (path, headers)."""

    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""


@contextlib.contextmanager
def feed_farm() -> Iterator[FeedServer]:
    """A loopback HTTP server serving ``pages`` (feeds and articles), answering 304 to a request
    that sends back a page's ETag, and recording every request."""
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            page = state.pages.get(self.path)
            if page is None:
                self.send_error(404)
                return
            if page.delay:
                time.sleep(page.delay)
            if page.etag and self.headers.get("If-None-Match") == page.etag:
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self.send_response(page.status)
            if page.location:
                self.send_header("Location", page.location)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            if page.etag:
                self.send_header("ETag", page.etag)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>Officials in {town} said {n} people were evacuated on Tuesday after the river rose by two metres "
    "overnight and flooded the lower streets of the town.</p>"
    "<p>The regional governor said emergency crews had reached every district by the evening.</p>"
    "</article></body></html>"
)


def rss(items: list[tuple[str, str, str]], *, dates: list[str] | None = None) -> bytes:
    """An RSS 2.0 feed of (guid, link, title) items."""
    dates = dates or ["Tue, 02 Sep 2025 08:00:00 GMT"] * len(items)
    body = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{title}</title><pubDate>{date}</pubDate></item>"
        for (guid, link, title), date in zip(items, dates, strict=True)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>River Wire</title>{body}</channel></rss>'.encode()


def serve_articles(farm: FeedServer, count: int) -> list[tuple[str, str, str]]:
    items = []
    for n in range(count):
        path = f"/news/{n}.html"
        title = f"Flood report {n}"
        farm.pages[path] = Page(
            ARTICLE.format(title=title, town=f"Karsk{n}", n=10 + n).encode(), content_type="text/html"
        )
        items.append((f"urn:river:{n}", f"{farm.base}{path}", title))
    return items
