"""Cache generations: a value in the cache that names the current state of some data, so that
everything cached under it is left behind at once when the data changes (nothing is deleted;
old entries expire). Used for readers' pages (public_cache) and verified tokens (auth).

Two layers. The shared cache (``default``: Redis when ``CACHE_URL`` is set) holds the
generations and what is stored under them, for every process. Each process keeps copies in its
own memory (the ``near`` cache, LocMemCache): a copy of a generation for
``FACTCHECK_CACHE_GENERATION_SECONDS``, a copy of a stored value for as long as the shared one
lives. With Redis, a cached reader's request used to make six round trips (two generations, the
token, the page, the throttle's two; bench/README.md), which cost more than the rest of the
request; with the copies, and the throttle's leases (throttles.py), it usually makes none. (With
the default per-process cache the copies are a second one in the same memory: harmless.)

What that costs: a change made in another process (a publication, a revoked token, a role taken
away) reaches this process within ``FACTCHECK_CACHE_GENERATION_SECONDS`` of its commit, when the
copy of the generation is read again; in the process that made it, at once (``advance`` sets
the copy too). Values stored under a generation never change, so their copies need no check.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

NEAR = "near"  # the alias of each process's own layer in settings.CACHES


class Generation:
    def __init__(self, name: str) -> None:
        self.name = name
        self.key = f"generation:{name}"

    def current(self) -> str:
        """The current generation: this process's copy while it is fresh, else the shared
        cache's (set there on first use)."""
        seconds = settings.FACTCHECK_CACHE_GENERATION_SECONDS
        near = caches[NEAR]
        value = near.get(self.key) if seconds > 0 else None
        if value is None:
            value = str(cache.get_or_set(self.key, _new_generation, timeout=None))
            if seconds > 0:
                near.set(self.key, value, timeout=seconds)
        return value

    def changed_within(self, seconds: float) -> bool:
        """Whether the data changed (or the generation was lost and set again) in the last ``seconds``."""
        return time.time_ns() - int(self.current()) < seconds * 1e9

    def advance(self, **_signal: Any) -> None:
        """Move on now, and again when the transaction commits: whoever fills the cache between
        the two (reading the data as it was before the commit) fills it under a generation that
        the second move leaves behind. Takes a signal's arguments, to be connected directly."""
        self._move()
        transaction.on_commit(self._move)

    def stored_key(self, name: str) -> str:
        """The key of ``name`` in the current generation. Read it once, before reading the data
        the value is made of: a change committed in between then leaves the value behind."""
        return f"{self.name}:{self.current()}:{name}"

    def _move(self) -> None:
        value = _new_generation()
        cache.set(self.key, value, timeout=None)
        seconds = settings.FACTCHECK_CACHE_GENERATION_SECONDS
        if seconds > 0:
            caches[NEAR].set(self.key, str(value), timeout=seconds)


def _new_generation() -> int:
    # A clock, not a counter: after an eviction of the key, a counter could start again at a
    # value whose entries are still stored; a new time never names old entries.
    return time.time_ns()


def recall(key: str) -> Any | None:
    """What ``remember`` stored under ``key``, or None: this process's copy, else the shared
    cache's (then copied here for the rest of its life)."""
    near = caches[NEAR]
    stored = near.get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is None:
            return None
        remaining = stored[0] - time.time()
        if remaining <= 0:
            return None
        near.set(key, stored, timeout=remaining)
    return stored[1]


def remember(key: str, value: Any, seconds: float) -> None:
    """Store ``value`` under ``key`` (a ``stored_key``) for ``seconds``, in both layers. The shared
    copy carries its deadline, so that a process copying it later keeps it no longer."""
    stored = (time.time() + seconds, value)
    cache.set(key, stored, timeout=seconds)
    caches[NEAR].set(key, stored, timeout=seconds)
