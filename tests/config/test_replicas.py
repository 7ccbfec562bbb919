"""Read replicas (factcheck/replicas.py): how settings declare them, and what the router sends where
outside a readers' request. tests/config/test_streaming_replica.py shows it all on a real replica."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.utils import ConnectionRouter
from django.test import override_settings

from factcheck.models import Verdict
from factcheck.replicas import ReplicaRouter, read_from_replica, request_routing
from tests.config.test_settings import load_settings

SHOW_DATABASES = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'databases': {alias: [db['HOST'], db.get('TEST', {}).get('MIRROR')] "
    "for alias, db in settings.DATABASES.items()}, 'routers': settings.DATABASE_ROUTERS, "
    "'routing_middleware': 'factcheck.middleware.ReplicaRoutingMiddleware' in settings.MIDDLEWARE}))"
)
DEPLOYMENT = {"DATABASE_URL": "postgres://u@primary:5432/f", "SECRET_KEY": "s" * 50}


def test_without_replicas_there_is_one_database_and_no_router() -> None:
    result = load_settings(SHOW_DATABASES, **DEPLOYMENT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "databases": {"default": ["primary", None]},
        "routers": [],
        "routing_middleware": False,
    }


def test_each_replica_url_is_an_alias_that_tests_mirror_to_the_test_database() -> None:
    result = load_settings(
        SHOW_DATABASES, **DEPLOYMENT, DATABASE_REPLICA_URLS="postgres://u@standby1:5432/f, postgres://u@standby2/f"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "databases": {
            "default": ["primary", None],
            "replica": ["standby1", "default"],
            "replica2": ["standby2", "default"],
        },
        "routers": ["factcheck.replicas.ReplicaRouter"],
        "routing_middleware": True,
    }


def test_replicas_without_a_primary_are_refused() -> None:
    result = load_settings(SHOW_DATABASES, DATABASE_REPLICA_URLS="postgres://u@standby1/f")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs DATABASE_URL" in result.stderr


@override_settings(DATABASE_REPLICA_ALIASES=["replica"])
def test_outside_a_request_workers_and_commands_read_the_primary() -> None:
    router = ConnectionRouter([ReplicaRouter()])
    read_from_replica(AnonymousUser())  # as a view would ask; a worker is in no request
    assert router.db_for_read(Verdict) == "default"
    with request_routing():
        read_from_replica(AnonymousUser())
        assert router.db_for_read(Verdict) == "replica"  # the same call, in a readers' request
    assert router.db_for_read(Verdict) == "default"


@override_settings(DATABASE_REPLICA_ALIASES=["replica"])
def test_a_request_that_writes_reads_the_primary_from_then_on() -> None:
    router = ConnectionRouter([ReplicaRouter()])
    with request_routing():
        read_from_replica(AnonymousUser())
        assert router.db_for_read(Verdict) == "replica"
        assert router.db_for_write(Verdict) == "default"
        assert router.db_for_read(Verdict) == "default"


@pytest.mark.parametrize(("alias", "allowed"), [("default", True), ("replica", False)])
def test_migrations_run_on_the_primary_only(alias: str, allowed: bool) -> None:
    assert ConnectionRouter([ReplicaRouter()]).allow_migrate(alias, "factcheck", model_name="verdict") is allowed
