"""The scenario of tests/config/test_streaming_replica.py, run as ``python -m tests.config.replica_scenario``
in an interpreter configured as a deployment (DATABASE_URL on a primary, DATABASE_REPLICA_URLS on its
streaming standby). It makes requests as a reader and an editor and prints, as one JSON line, what
each saw and which database served it; the test decides what is right."""

from __future__ import annotations

import json
import time
from typing import Any

import django


def main() -> None:
    django.setup()
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # the test client's host name is allowed
    # Readers' pages straight from the database, except where the scenario asks for the cache.
    with override_settings(FACTCHECK_PUBLIC_API_CACHE_SECONDS=0):
        print(json.dumps(scenario()))


def scenario() -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings
    from rest_framework.test import APIClient

    from factcheck.models import Verdict
    from factcheck.replicas import read_from_replica, request_routing
    from factcheck.roles import EDITOR, READER

    observed: dict[str, Any] = {"in_recovery": {alias: one(alias, "SELECT pg_is_in_recovery()") for alias in ALIASES}}
    _, reader_token = person("newsroom", READER)
    editor_user, editor_token = person("eli", EDITOR)
    first, second = published("one"), published("two")
    wait_until_replayed()
    api_reader = token_client(APIClient(), reader_token)
    api_editor = token_client(APIClient(), editor_token)

    response, queries = served(lambda: api_reader.get("/api/v1/verdicts/"))
    observed["reader_list_caught_up"] = {
        "verdicts": response.json()["count"],
        "published": sum(v["status"] == "published" for v in response.json()["results"]),
        "verdict_queries": touched(queries, "factcheck_verdict"),
        "token_queries": touched(queries, "knox_authtoken"),
    }

    # From here the standby replays nothing: whatever is written next, it lags behind by that.
    one("replica", "SELECT pg_wal_replay_pause()")
    response, queries = served(
        lambda: api_editor.post(
            f"/api/v1/verdicts/{first.pk}/retract/",
            {"note": "The figure was wrong."},
            format="json",
            HTTP_IF_MATCH=f'"{first.version}"',
        )
    )
    observed["editor_retracts"] = {
        "status": response.status_code,
        "primary_has": Verdict.objects.using("default").get(pk=first.pk).status,
        "queries": touched(queries),
    }

    listed, list_queries = served(lambda: api_reader.get("/api/v1/verdicts/"))
    detail = api_reader.get(f"/api/v1/verdicts/{first.pk}/")
    page = Client().get(f"/fact-checks/{first.slug}/")
    observed["reader_while_replay_paused"] = {
        "verdicts": listed.json()["count"],
        "detail_status": status_of(detail),
        "public_page_says_retracted": says_retracted(page),
        "verdict_queries": touched(list_queries, "factcheck_verdict"),
    }

    browser = Client()
    browser.force_login(editor_user)
    detail, detail_queries = served(lambda: api_editor.get(f"/api/v1/verdicts/{first.pk}/"))
    page, page_queries = served(lambda: browser.get(f"/fact-checks/{first.slug}/"))
    observed["editor_after_writing"] = {
        "detail_status": status_of(detail),
        "public_page_says_retracted": says_retracted(page),
        "queries": touched({alias: detail_queries[alias] + page_queries[alias] for alias in ALIASES}),
    }

    with request_routing():  # as in a readers' view, for an anonymous reader
        read_from_replica(AnonymousUser())
        outside = Verdict.objects.get(pk=first.pk).status
        with transaction.atomic():
            inside = Verdict.objects.get(pk=first.pk).status
            locking = Verdict.objects.select_for_update().get(pk=first.pk).status
    observed["transaction"] = {"outside": outside, "inside_atomic": inside, "locking": locking}

    with override_settings(FACTCHECK_PUBLIC_API_CACHE_SECONDS=60):
        response, queries = served(lambda: api_reader.get("/api/v1/verdicts/?ordering=created_at"))
    observed["cached_page_after_change"] = {
        "verdicts": response.json()["count"],
        "published": sum(v["status"] == "published" for v in response.json()["results"]),
        "verdict_queries": touched(queries, "factcheck_verdict"),
    }

    one("replica", "SELECT pg_wal_replay_resume()")
    wait_until_replayed()
    response, queries = served(lambda: api_reader.get("/api/v1/verdicts/"))
    observed["reader_after_replay"] = {
        "verdicts": response.json()["count"],
        "published": sum(v["status"] == "published" for v in response.json()["results"]),
        "verdict_queries": touched(queries, "factcheck_verdict"),
    }
    assert second.pk  # the verdict that stays published throughout
    return observed


ALIASES = ("default", "replica")


def one(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    """One value from the database ``alias`` names, whatever the router would choose."""
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_until_replayed(timeout: float = 30.0) -> None:
    position = one("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not one("replica", "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [position]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the standby did not replay up to {position} in {timeout}s")
        time.sleep(0.05)


def person(username: str, role: str) -> tuple[Any, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from knox.models import AuthToken

    user = get_user_model().objects.create_user(username, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user, AuthToken.objects.create(user=user)[1]


def published(name: str) -> Any:
    from django.utils import timezone

    from factcheck.models import Claim, RatingLabel, Verdict

    claim = Claim.objects.create(text=f"Claim {name}: twelve people died.", status="published")
    return Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug="true"),
        summary="Confirmed by two outlets.",
        status="published",
        published_at=timezone.now(),
        slug=f"claim-{name}",
    )


def token_client(client: Any, token: str) -> Any:
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def served(request: Any) -> tuple[Any, dict[str, list[str]]]:
    """The response of ``request()`` and the SQL each database ran for it."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = request()
    assert response.status_code < 400, (response.status_code, response.content[:500])
    return response, {"default": [q["sql"] for q in primary], "replica": [q["sql"] for q in rep]}


def touched(queries: dict[str, list[str]], table: str = "") -> dict[str, bool]:
    """Whether each database ran any query (naming ``table``, if given)."""
    return {alias: any(table in sql for sql in queries[alias]) for alias in ALIASES}


def status_of(response: Any) -> str:
    """A verdict's status, or the HTTP status when the client may not see it (a reader, a retracted verdict)."""
    return str(response.json()["status"]) if response.status_code == 200 else f"HTTP {response.status_code}"


def says_retracted(page: Any) -> bool:
    assert page.status_code == 200, page.status_code
    return "This fact-check was retracted" in page.content.decode()


if __name__ == "__main__":
    main()
