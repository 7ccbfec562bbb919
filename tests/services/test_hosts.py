"""Politeness toward sites: one request to a host per interval, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from factcheck.services.hosts import wait_for_host_slot


@pytest.fixture(autouse=True)
def _fresh_slots() -> None:
    cache.clear()


def test_a_second_request_to_a_host_waits_for_the_interval_and_another_host_does_not(settings: Any) -> None:
    settings.FACTCHECK_FETCH_HOST_INTERVAL_SECONDS = 1.0
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if sum(slept) >= 1.0:
            cache.delete("fetch-host-slot:river.example")  # the interval has passed

    assert wait_for_host_slot("https://river.example/feed.xml", sleep=sleep) == 0.0
    assert wait_for_host_slot("https://hill.example/feed.xml", sleep=sleep) == 0.0
    assert slept == []
    assert wait_for_host_slot("https://RIVER.example/news/1.html", sleep=sleep) == 1.0
    assert slept == [0.25] * 4


def test_a_host_never_holds_a_request_past_a_minute(settings: Any) -> None:
    settings.FACTCHECK_FETCH_HOST_INTERVAL_SECONDS = 600.0
    wait_for_host_slot("https://busy.example/")
    slept: list[float] = []
    assert wait_for_host_slot("https://busy.example/a", sleep=slept.append) == 60.0
    assert sum(slept) == 60.0


def test_the_interval_at_zero_is_off(settings: Any) -> None:
    settings.FACTCHECK_FETCH_HOST_INTERVAL_SECONDS = 0
    assert wait_for_host_slot("https://river.example/") == 0.0
    assert wait_for_host_slot("https://river.example/") == 0.0
