"""Enqueueing Celery tasks from services.

Tasks are looked up by their stable name, so services never import ``workers``
(workers depend on services, not the reverse). They are sent only after the
transaction commits, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from celery import Celery
from django.db import InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError
from simple_history.models import HistoricalRecords

logger = logging.getLogger(__name__)

# Errors that can pass on the next try (the database briefly unreachable): tasks retry
# these, with backoff, and nothing else.
TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError)


def enqueue_on_commit(task_name: str, *args: object) -> None:
    transaction.on_commit(lambda: enqueue_now(task_name, *args))


def enqueue_now(task_name: str, *args: object) -> bool:
    """Send a task; returns False if the broker is unreachable.

    A lost message loses nothing: the row it is about stays pending in the
    database and the periodic reaper sends it again.
    """
    try:
        _celery_app().tasks[task_name].apply_async(args=args)
    except OperationalError as error:
        logger.warning("broker unreachable, %s%r left for the reaper: %s", task_name, args, error)
        return False
    return True


@cache
def _celery_app() -> Celery:
    from config.celery import app

    app.loader.import_default_modules()
    return app


@contextlib.contextmanager
def as_the_system() -> Iterator[None]:
    """Work done by a task is the system's, even when it runs in-process inside a person's
    request (the demo, tests): simple-history would otherwise record that person, read from
    the request its middleware keeps, as the author of every row the task saves."""
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if request is not None:
        del context.request
    try:
        yield
    finally:
        if request is not None:
            context.request = request


@dataclass
class Reaped:
    """What a reaper did with leased jobs (check runs, source fetches) that stalled."""

    requeued: list[int] = field(default_factory=list)  # lease expired: back in the queue
    failed: list[int] = field(default_factory=list)  # lease expired too often: given up
    resent: list[int] = field(default_factory=list)  # waited too long in the queue: sent again
