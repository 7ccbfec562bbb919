"""Throttling per role: each role has its own rate (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

Requests are counted per client in fixed periods of the rate (a minute for "600/min", aligned on
the clock) in the shared cache, so that the count is one across web processes. DRF's own throttle
keeps every request's time in one value, read and written back on each request: two of a cached
reader request's round trips to Redis (bench/README.md), and of two processes writing at once one
request is lost. Here the count is a number added to atomically, and each process takes a *lease*
of a hundredth of the rate at a time (at least one request: ``lease_size``), adds it to the shared
count at once, and admits that many requests from its own memory (the ``near`` cache) before it
asks again.

The bound: across all processes a client is never admitted more than the rate in one period
(what is leased is counted, used or not), and at most twice the rate over a span of one period
that straddles two; a lease a process has not used by the end of the period is lost, so a client
may be refused up to ``lease_size - 1`` requests early per process and period (1% of the rate
per web process). Once the shared count is full, the process refuses the client for the rest of
the period without asking again, and Retry-After says when the next period starts.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from factcheck.api.generations import NEAR
from factcheck.roles import role_of

# A lease is this fraction of the rate.
LEASE_SHARE = 100


def lease_size(num_requests: int) -> int:
    return max(1, num_requests // LEASE_SHARE)


def _take(near: Any, key: str, delta: int) -> int:
    """Add ``delta`` to a count in this process's memory (atomic there). A count the near cache
    dropped to make room is a lease forgotten: the client is refused early, never admitted more."""
    try:
        return int(near.incr(key, delta))
    except ValueError:
        return -1


class RoleRateThrottle(SimpleRateThrottle):
    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = request.user
        if user and user.is_authenticated:
            self.scope = role_of(user) or "reader"
            ident = f"user-{user.pk}"
        else:
            self.scope = "anon"
            ident = self.get_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Any, view: Any) -> bool:
        # The rate depends on who asks, so it is read per request rather than once per class.
        key = self.get_cache_key(request, view)
        if key is None or self.num_requests is None:
            return True
        self.now = self.timer()
        period = int(self.now // self.duration)
        self.period_ends = (period + 1) * self.duration
        self.key = f"{key}:{period}"
        near, seconds_left = caches[NEAR], self.period_ends - self.now + 1
        left = f"{self.key}:left"  # what this process may still admit from its leases
        near.add(left, 0, timeout=seconds_left)
        if _take(near, left, -1) >= 0:
            return True
        full = f"{self.key}:full"
        if near.get(full):
            return self.throttle_failure()
        granted = self.lease(lease_size(self.num_requests))
        if granted == 0:
            near.set(full, True, timeout=seconds_left)
            return self.throttle_failure()
        # This request is one of the lease: it makes up for the decrement above.
        _take(near, left, granted)
        return True

    def lease(self, size: int) -> int:
        """Add up to ``size`` requests to the client's shared count of this period; how many fit."""
        try:
            total = self.cache.incr(self.key, size)
        except ValueError:  # the period's first lease: its count lives until the period is over
            self.cache.add(self.key, 0, timeout=math.ceil(self.period_ends - self.now) + 1)
            total = self.cache.incr(self.key, size)
        granted = max(0, min(size, self.num_requests - (total - size)))
        if granted < size:
            # Give back what does not fit, so that it does not count against the client.
            self.cache.decr(self.key, size - granted)
        return granted

    def wait(self) -> float:
        """Retry-After: the count starts again with the next period."""
        return max(0.0, self.period_ends - self.now)

    def get_rate(self) -> str | None:
        # Read at request time, so a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def __init__(self) -> None:
        # The scope and rate are chosen per request in get_cache_key.
        self.scope = "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
