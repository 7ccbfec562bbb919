"""Politeness toward the sites the service fetches from: at most one request to a host every
FACTCHECK_FETCH_HOST_INTERVAL_SECONDS, whatever asks (a feed's poll, its articles' fetches, a URL
given to POST /sources/). A feed's poll queues all its new articles at once; without this, the
workers would fetch them from the outlet's site back to back.

The slots are kept in the cache: with CACHE_URL on Redis, every worker on every machine shares them;
with the per-process default, each process keeps its own pace.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from factcheck.fetching import host_of


def wait_for_host_slot(url: str, *, sleep: Callable[[float], None] = time.sleep) -> float:
    """Wait until this process may send a request to ``url``'s host (its turn taken at once when
    free); returns the seconds waited. Waits at most a minute: a host that many requests queue for
    is then served anyway, rather than holding a worker without end."""
    interval = settings.FACTCHECK_FETCH_HOST_INTERVAL_SECONDS
    host = host_of(url)
    if interval <= 0 or not host:
        return 0.0
    key = f"fetch-host-slot:{host}"
    waited = 0.0
    while not cache.add(key, True, timeout=interval) and waited < 60:
        step = min(interval, 0.25)
        sleep(step)
        waited += step
    return waited
