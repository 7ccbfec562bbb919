"""Cache generations: a value in the cache that names the current state of some data, so that
everything cached under it is left behind at once when the data changes (nothing is deleted;
old entries expire). Used for readers' pages (public_cache) and verified tokens (auth)."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import transaction


class Generation:
    def __init__(self, name: str) -> None:
        self.key = f"generation:{name}"

    def current(self) -> str:
        """The current generation (set on first use)."""
        return str(cache.get_or_set(self.key, _new_generation, timeout=None))

    def changed_within(self, seconds: float) -> bool:
        """Whether the data changed (or the generation was lost and set again) in the last ``seconds``."""
        return time.time_ns() - int(self.current()) < seconds * 1e9

    def advance(self, **_signal: Any) -> None:
        """Move on now, and again when the transaction commits: whoever fills the cache between
        the two (reading the data as it was before the commit) fills it under a generation that
        the second move leaves behind. Takes a signal's arguments, to be connected directly."""
        cache.set(self.key, _new_generation(), timeout=None)
        transaction.on_commit(lambda: cache.set(self.key, _new_generation(), timeout=None))


def _new_generation() -> int:
    # A clock, not a counter: after an eviction of the key, a counter could start again at a
    # value whose entries are still stored; a new time never names old entries.
    return time.time_ns()
