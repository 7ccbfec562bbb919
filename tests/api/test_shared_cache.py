"""With CACHE_URL on Redis and several web processes: each process serves readers' pages and
remembered tokens from its own copies (the near cache), yet a change made in one process reaches
every other one once its copy of the generation is read again (FACTCHECK_CACHE_GENERATION_SECONDS),
reviewers always get fresh pages, and throttling counts one client across all processes.

Two processes are simulated in one: the same Redis (a key prefix of this test's own), and a near
cache each, switched with ``processes.switch("a")``. "Its copy of the generation has aged out" is
the copy deleted from that process's near cache, as its expiry would do."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.api.auth import ACCESS
from factcheck.api.public_cache import PUBLIC_DATA
from factcheck.api.throttles import RoleRateThrottle
from factcheck.models import Verdict
from tests.api import test_token_cache, test_views
from tests.api.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

people, world = test_views.people, test_views.world
# The middle of a minute: a test's requests all fall in one throttling period.
NOON = 60 * 29_000_000 + 30.0


class Processes:
    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.prefix = f"tests-shared-cache-{uuid.uuid4().hex}"
        self.shared = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": self.prefix,
        }

    def switch(self, name: str) -> None:
        """Run what follows in process ``name``: Redis is the same, the near cache its own."""
        self.settings.CACHES = {
            "default": self.shared,
            "near": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"{self.prefix}-{name}"},
        }

    def forget_generations(self) -> None:
        """As FACTCHECK_CACHE_GENERATION_SECONDS passing does in the current process."""
        caches["near"].delete_many([PUBLIC_DATA.key, ACCESS.key])

    def shared_keys(self) -> list[bytes]:
        return list(redis.Redis.from_url(self.settings.CELERY_BROKER_URL).scan_iter(f"{self.prefix}:*"))

    def empty_redis(self) -> None:
        keys = self.shared_keys()
        if keys:
            redis.Redis.from_url(self.settings.CELERY_BROKER_URL).delete(*keys)

    def close(self) -> None:
        for name in ("a", "b"):
            self.switch(name)
            caches["near"].clear()
        self.empty_redis()


@pytest.fixture
def processes(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Processes]:
    monkeypatch.setattr(RoleRateThrottle, "timer", staticmethod(lambda: NOON))
    two = Processes(settings)
    two.switch("a")
    yield two
    two.close()


def get_counting(client: APIClient, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries if "factcheck_verdict" in q["sql"]]


def test_a_page_built_in_one_process_is_served_by_another_from_redis(people, world, processes) -> None:
    reader = client_for(people["reader"])
    built, verdict_sql = get_counting(reader, "/api/v1/verdicts/")
    assert built.status_code == 200
    assert verdict_sql
    processes.switch("b")
    served, verdict_sql = get_counting(reader, "/api/v1/verdicts/")
    assert served.content == built.content
    assert verdict_sql == []


def test_a_process_serves_its_own_copy_without_asking_redis(people, world, processes) -> None:
    reader = client_for(people["reader"])
    built, _ = get_counting(reader, "/api/v1/verdicts/")
    processes.empty_redis()  # nothing left to read there: the page must come from this process
    served, verdict_sql = get_counting(reader, "/api/v1/verdicts/")
    assert served.content == built.content
    assert verdict_sql == []


def test_a_retraction_in_one_process_reaches_the_pages_another_process_holds(people, world, processes) -> None:
    verdict = world["public_verdict"]
    reader, editor = client_for(people["reader"]), client_for(people["editor"])
    processes.switch("b")
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json()["status"] == "published"
    assert [v["id"] for v in reader.get("/api/v1/verdicts/").json()["results"]] == [verdict.pk]

    processes.switch("a")
    etag = editor.get(f"/api/v1/verdicts/{verdict.pk}/")["ETag"]
    retracted = editor.post(f"/api/v1/verdicts/{verdict.pk}/retract/", {"note": "Withdrawn."}, HTTP_IF_MATCH=etag)
    assert retracted.status_code == 200

    processes.switch("b")
    processes.forget_generations()
    assert reader.get(f"/api/v1/verdicts/{verdict.pk}/").json().get("status") != "published"
    listed = reader.get("/api/v1/verdicts/").json()["results"]
    assert [(v["id"], v["status"]) for v in listed] in ([], [(verdict.pk, "retracted")])


def test_a_verdict_published_in_one_process_appears_in_another(people, world, processes) -> None:
    reader = client_for(people["reader"])
    processes.switch("b")
    assert [v["id"] for v in reader.get("/api/v1/verdicts/").json()["results"]] == [world["public_verdict"].pk]

    processes.switch("a")  # as the admin or a worker would: a model saved, no API request
    draft = Verdict.objects.get(pk=world["draft"].pk)
    draft.status, draft.published_at, draft.approved_by = "published", timezone.now(), people["editor"]
    draft.save()

    processes.switch("b")
    processes.forget_generations()
    assert {v["id"] for v in reader.get("/api/v1/verdicts/").json()["results"]} == {
        world["public_verdict"].pk,
        draft.pk,
    }


def test_reviewers_get_fresh_pages_even_while_readers_copies_are_current(people, world, processes) -> None:
    reviewer = client_for(people["reviewer"])
    processes.switch("b")
    before = reviewer.get(f"/api/v1/verdicts/{world['draft'].pk}/").json()
    assert before["summary"] == "Draft."

    processes.switch("a")
    Verdict.objects.filter(pk=world["draft"].pk).update(summary="Draft, revised.")  # no signal at all

    processes.switch("b")  # its copy of the generation is still current: not forgotten here
    assert reviewer.get(f"/api/v1/verdicts/{world['draft'].pk}/").json()["summary"] == "Draft, revised."


def test_a_role_taken_away_in_one_process_applies_in_another(processes) -> None:
    user = test_token_cache.person("rita", "reviewer")
    client, _ = test_token_cache.client_for(user)
    processes.switch("b")
    assert client.get(test_token_cache.PAGE).status_code == 200  # the token is remembered, in Redis and in b

    processes.switch("a")
    user.groups.set([Group.objects.get(name="reader")])

    processes.switch("b")
    processes.forget_generations()
    assert client.get(test_token_cache.PAGE).status_code == 403


def test_throttling_counts_a_client_across_processes(people, world, processes, settings) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "reader": "4/min"}}
    reader = client_for(people["reader"])
    codes = []
    for name in ("a", "b", "a", "b", "a", "b"):
        processes.switch(name)
        codes.append(reader.get("/api/v1/verdicts/").status_code)
    assert codes == [200, 200, 200, 200, 429, 429]
    processes.switch("a")
    refused = reader.get("/api/v1/verdicts/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # the next minute starts in 30 s (NOON)


def test_leases_never_admit_more_than_the_rate_across_processes(people, world, processes, settings) -> None:
    """At 200/min a process leases 2 requests at a time: together the processes admit at most 200,
    and lose at most one request per process to a lease left unused."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "reader": "200/min"}}
    request = type("Request", (), {"user": people["reader"]})()
    admitted, turns = {"a": 0, "b": 0}, ["a", "b", "b", "a", "a", "a", "b"]  # uneven, so leases are left over
    for turn in range(400):
        name = turns[turn % len(turns)]
        processes.switch(name)
        admitted[name] += RoleRateThrottle().allow_request(request, None)
    assert 198 <= admitted["a"] + admitted["b"] <= 200
    assert admitted["a"] > 50
    assert admitted["b"] > 50
    for name in ("a", "b"):
        processes.switch(name)
        assert not RoleRateThrottle().allow_request(request, None)


def test_a_process_admits_from_its_lease_without_asking_redis(people, world, processes, settings) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "reader": "200/min"}}
    request = type("Request", (), {"user": people["reader"]})()
    assert RoleRateThrottle().allow_request(request, None)  # leases 2 of the 200
    processes.empty_redis()
    assert RoleRateThrottle().allow_request(request, None)  # the second of the lease
    assert processes.shared_keys() == []
    assert RoleRateThrottle().allow_request(request, None)  # a new lease, counted in Redis again
    assert processes.shared_keys() != []
