"""Readers' queries on PostgreSQL streaming replicas, when DATABASE_REPLICA_URLS names any.

What goes where (README, "Read replicas"):

- Every write goes to the primary ("default"), and so does every read inside a transaction
  (an atomic block: the services read, lock with select_for_update and write there) and every
  locking read (select_for_update is a read *for write*).
- A read goes to a replica only inside a request for one of the readers' views (the verdicts
  and claims lists and pages, the public fact-check page), after its authentication: who the
  client is, and whether their token was revoked, is always read from the primary.
- A client who wrote (any request but GET, HEAD or OPTIONS) reads from the primary for
  DATABASE_REPLICA_PIN_SECONDS afterwards, so a replica that has not yet replayed their write
  never shows them the data as it was (read-your-writes). A request that writes while reading
  from a replica reads the rest from the primary.
- Everything outside a request (Celery workers, management commands, migrations) reads the
  primary: the workers read, decide and write back, and must see the latest rows.

With no replica configured the router and the middleware are not installed and there is one
database alias, as before.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS


@dataclass
class _Routing:
    """Where this request's reads go."""

    replica: str | None = None  # the replica chosen by a readers' view, if any
    wrote: bool = False  # once the request writes, it reads the primary to the end
    primary_blocks: int = 0  # inside primary_reads()

    def reads_replica(self) -> str | None:
        return None if self.wrote or self.primary_blocks else self.replica


# Set for the length of a request by ReplicaRoutingMiddleware; None outside a request (a worker,
# a command), which therefore always reads the primary.
_routing: ContextVar[_Routing | None] = ContextVar("factcheck_replica_routing", default=None)
# Replicas take turns, one per request: a request reads from one replica only, so its reads never
# go back in time from a replica that has replayed more to one that has replayed less.
_turns: Iterator[str] | None = None


def replicas_configured() -> bool:
    return bool(settings.DATABASE_REPLICA_ALIASES)


def _next_replica() -> str:
    global _turns
    if _turns is None:
        _turns = itertools.cycle(settings.DATABASE_REPLICA_ALIASES)
    return next(_turns)


def _pin_key(user_id: Any) -> str:
    return f"replicas:primary-for-user:{user_id}"


def pin_to_primary(user: Any) -> None:
    """``user`` just wrote: their reads go to the primary for DATABASE_REPLICA_PIN_SECONDS. Kept in the
    cache, so with CACHE_URL shared every web process knows (the per-process default only that one)."""
    if replicas_configured() and user is not None and user.is_authenticated:
        cache.set(_pin_key(user.pk), True, timeout=settings.DATABASE_REPLICA_PIN_SECONDS)


def read_from_replica(user: Any) -> None:
    """Called by a readers' view once it knows who asks: the rest of the request reads a replica,
    unless this client wrote within the last DATABASE_REPLICA_PIN_SECONDS. Outside a request, or
    with no replica configured, nothing changes."""
    routing = _routing.get()
    if routing is None or not replicas_configured():
        return
    if user is not None and user.is_authenticated and cache.get(_pin_key(user.pk)):
        return
    routing.replica = _next_replica()


@contextlib.contextmanager
def request_routing() -> Iterator[None]:
    """The span of one request: it starts reading from the primary, whatever came before."""
    token = _routing.set(_Routing())
    try:
        yield
    finally:
        _routing.reset(token)


@contextlib.contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside the block go to the primary, even in a readers' view."""
    routing = _routing.get()
    if routing is None:
        yield
        return
    routing.primary_blocks += 1
    try:
        yield
    finally:
        routing.primary_blocks -= 1


@contextlib.contextmanager
def unread_writes() -> Iterator[None]:
    """Writes inside the block are bookkeeping the request never reads back (a token's last use): they
    leave the rest of a readers' request on its replica."""
    routing = _routing.get()
    wrote = routing.wrote if routing is not None else False
    try:
        yield
    finally:
        if routing is not None:
            routing.wrote = wrote


class ReplicaRouter:
    """Django's database router (DATABASE_ROUTERS, set only when replicas are configured)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        routing = _routing.get()
        replica = routing.reads_replica() if routing is not None else None
        if replica is None or connections[PRIMARY].in_atomic_block:
            # A transaction reads what it is about to change: from the primary, in the transaction.
            return PRIMARY
        return replica

    def db_for_write(self, model: Any, **hints: Any) -> str:
        routing = _routing.get()
        if routing is not None:
            # The request wrote: what it reads next must include that write.
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # A replica holds the primary's rows: an object read from one may refer to one read from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # Replicas replay the primary's schema changes; they cannot run their own.
        return db == PRIMARY
