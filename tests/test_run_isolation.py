"""Two test runs on one machine never share a test database or a Celery queue: each names them
after its own process (config/settings.py, FACTCHECK_TEST_RUN), and a run drops at start only the
databases of runs whose process is gone (tests/conftest.py, _drop_databases_of_dead_runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

from tests.conftest import REPO_ROOT, _connection_url, _drop_databases_of_dead_runs

SHOW = (
    "import json, os; from django.conf import settings; "
    "print(json.dumps({'pid': os.getpid(), 'database': settings.DATABASES['default']['TEST']['NAME'], "
    "'queues': [queue.name for queue in settings.CELERY_TASK_QUEUES]}))"
)


def run_queues(pid: int) -> list[str]:
    """A run's default queue, then those of each kind of work (config/settings.py), named after it."""
    default = f"factcheck-tests-run{pid}"
    return [default, f"{default}-ingest", f"{default}-checks", f"{default}-webhooks"]


def given_database() -> str:
    return urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")


def test_another_run_on_this_machine_gets_a_database_and_queues_of_its_own() -> None:
    # The other run is as pytest starts one: same DATABASE_URL, FACTCHECK_TEST_RUN set, no names by hand.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE") and not key.endswith("_QUEUE")
    }
    environment |= {"FACTCHECK_TEST_RUN": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    other = json.loads(result.stdout)

    ours = {
        "database": settings.DATABASES["default"]["TEST"]["NAME"],
        "queues": [queue.name for queue in settings.CELERY_TASK_QUEUES],
    }
    assert other["pid"] != os.getpid()
    assert other["database"] == f"test_{given_database()}_run{other['pid']}"
    assert other["queues"] == run_queues(other["pid"])
    assert ours == {"database": f"test_{given_database()}_run{os.getpid()}", "queues": run_queues(os.getpid())}
    assert other["database"] != ours["database"]
    assert not set(other["queues"]) & set(ours["queues"])


@pytest.fixture
def server() -> Iterator[psycopg.Connection]:
    with psycopg.connect(_connection_url(os.environ["DATABASE_URL"], "postgres"), autocommit=True) as connection:
        yield connection


def databases(server: psycopg.Connection) -> set[str]:
    return {name for (name,) in server.execute("SELECT datname FROM pg_database").fetchall()}


@pytest.mark.django_db  # this run's own database exists, and must survive too
def test_the_cleanup_drops_a_dead_runs_database_and_never_a_live_ones(server: psycopg.Connection) -> None:
    # A dead run: a process that has exited (and been reaped). A live run: one still sleeping.
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    dead_name = f"test_{given_database()}_run{finished.pid}"
    live_name = f"test_{given_database()}_run{alive.pid}"
    try:
        for name in (dead_name, live_name):
            # template0: template1 may be in use by another run creating its database right now.
            server.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        assert {dead_name, live_name} <= databases(server)

        _drop_databases_of_dead_runs()

        remaining = databases(server)
        assert dead_name not in remaining
        assert live_name in remaining
        assert settings.DATABASES["default"]["TEST"]["NAME"] in remaining, "this run's own database was dropped"
    finally:
        alive.kill()
        alive.wait()
        for name in (dead_name, live_name):
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
