"""The gunicorn worker class named in config/gunicorn.conf.py: uvicorn's, as this app needs it."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

# A client has this long, from connecting or from the first byte of a request, to finish sending
# the request's headers. uvicorn itself never gives up on them, so without it a slowloris
# connection, though it holds no request slot, would hold a file descriptor for ever.
HEADER_TIMEOUT_SECONDS = float(os.environ.get("WEB_HEADER_TIMEOUT", "20"))


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools), closing connections whose headers come too slowly."""

    header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        if self.header_deadline is None:
            self.header_deadline = self.loop.call_later(HEADER_TIMEOUT_SECONDS, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


class Worker(UvicornWorker):
    """uvicorn's asyncio worker, with a deadline for request headers, leaving X-Forwarded-* to Django.

    uvicorn would otherwise take the client's address and scheme from X-Forwarded-For and
    X-Forwarded-Proto of any loopback peer, so a local client could claim HTTPS or another
    address (and dodge the login lockout). Django already decides whom to trust from the
    settings (BEHIND_TLS_PROXY: SECURE_PROXY_SSL_HEADER, AXES_IPWARE_PROXY_COUNT).
    """

    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "http": HeaderDeadlineProtocol,
        "proxy_headers": False,
    }
