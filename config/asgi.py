"""The ASGI application that `gunicorn -c config/gunicorn.conf.py` serves (uvicorn workers)."""

from __future__ import annotations

import asyncio
import os

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Under ASGI, Django runs each request's synchronous code in a new thread of that request's own,
# and database connections belong to a thread: a connection kept open "for reuse" would never be
# reused, only dropped when its thread is collected. So each request closes its connection when it
# ends (a reader's cached page opens none). Set before the settings are read.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
# Requests running Django's code at once in one web process (each in its thread, with at most one
# database connection); more wait in the event loop, holding nothing.
WEB_THREADS = int(os.environ.get("WEB_THREADS", "8"))


class BoundedASGIHandler(ASGIHandler):
    """Django's ASGI handler, with at most WEB_THREADS requests inside the views at once.

    Without a bound every request in flight is a thread and a database connection: a burst of
    slow requests would open more connections than PostgreSQL allows, for the workers too.
    The request's body is already read when it queues (Django reads it first), so a client
    sending its body slowly waits outside; and the database connection is closed before the
    response goes out, so a client reading its response slowly holds no connection either.
    """

    slots: asyncio.Semaphore | None = None

    async def run_get_response(self, request: HttpRequest) -> HttpResponseBase:
        if self.slots is None:  # made here: it belongs to the worker's event loop
            self.slots = asyncio.Semaphore(WEB_THREADS)
        async with self.slots:
            response = await super().run_get_response(request)
            # In the request's own thread (thread-sensitive), where its connection lives.
            await sync_to_async(close_old_connections)()
        return response


def _application() -> BoundedASGIHandler:
    """What django.core.asgi.get_asgi_application does, with the bounded handler."""
    import django

    django.setup(set_prefix=False)
    return BoundedASGIHandler()


application = _application()
