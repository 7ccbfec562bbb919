"""Readers' queries on a real PostgreSQL streaming replica (factcheck/replicas.py).

Builds a primary with ``initdb`` and a standby of it with ``pg_basebackup -R`` (standby.signal and
primary_conninfo) on free loopback ports, migrates the primary, then runs
tests/config/replica_scenario.py in a fresh interpreter configured as a deployment would be
(DATABASE_URL on the primary, DATABASE_REPLICA_URLS on the standby). The standby's replay is paused
part of the way, so its lag is certain rather than a race. Both clusters are stopped and removed
at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

PG_BIN = Path(os.environ.get("FACTCHECK_PG_BIN", "/usr/lib/postgresql/15/bin"))
pytestmark = pytest.mark.skipif(
    not all((PG_BIN / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")),
    reason=f"PostgreSQL server binaries not found in {PG_BIN} (FACTCHECK_PG_BIN names another folder)",
)
# The variables of the test run that must not reach the deployment-like interpreters: they would
# name the test database and queues, and a broker (the scenario runs its tasks in-process).
RUN_VARIABLES = ("FACTCHECK_TEST_RUN", "CELERY_BROKER_URL", "DATABASE_REPLICA_URLS", "TEST_DATABASE_NAME")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*command: str | Path | int) -> None:
    subprocess.run([*_as_server_user(), *map(str, command)], check=True, capture_output=True, timeout=120)


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/factcheck"

    def start(self) -> None:
        _run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.data.parent / f"{self.data.name}.log", "-w", "-t", "60",
             "-o", f"-p {self.port}", "start")  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                _run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="module")
def primary_and_replica() -> Iterator[tuple[Cluster, Cluster]]:
    root = Path(tempfile.mkdtemp(prefix="factcheck-replica-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary = Cluster(root / "primary", _free_port())
    replica = Cluster(root / "replica", _free_port())
    try:
        _run(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        # Loopback only, sockets in the cluster's own folder; no fsync: a throwaway cluster. initdb's
        # pg_hba.conf already trusts replication connections from 127.0.0.1.
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\nfsync = off\n")
        primary.start()
        _run(
            PG_BIN / "psql", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-qc", "CREATE DATABASE factcheck"
        )
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
        _run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
             "-D", replica.data, "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        replica.start()
        yield primary, replica
    finally:
        for cluster in (replica, primary):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def _deployment(primary: Cluster, replica: Cluster, *command: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in RUN_VARIABLES}
    environment.update(
        DATABASE_URL=primary.url,
        DATABASE_REPLICA_URLS=replica.url,
        # Longer than the scenario takes: a pin must not run out while the replay is paused.
        DATABASE_REPLICA_PIN_SECONDS="120",
        SECRET_KEY="test-only-secret-key",
        DEBUG="true",
    )
    return subprocess.run(
        [sys.executable, *command], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=240
    )


@pytest.fixture(scope="module")
def observed(primary_and_replica: tuple[Cluster, Cluster]) -> dict[str, Any]:
    primary, replica = primary_and_replica
    migrated = _deployment(primary, replica, "manage.py", "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    run = _deployment(primary, replica, "-m", "tests.config.replica_scenario")
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def test_the_replica_is_a_streaming_standby_of_the_primary(observed: dict[str, Any]) -> None:
    assert observed["in_recovery"] == {"default": False, "replica": True}


def test_a_readers_list_is_read_from_the_replica_and_who_they_are_from_the_primary(observed: dict[str, Any]) -> None:
    caught_up = observed["reader_list_caught_up"]
    assert caught_up["verdicts"] == 2
    assert caught_up["verdict_queries"] == {"default": False, "replica": True}
    # The token is checked on the primary: a revoked one is refused at once.
    assert caught_up["token_queries"] == {"default": True, "replica": False}


def test_a_write_goes_to_the_primary_and_nothing_of_it_to_the_replica(observed: dict[str, Any]) -> None:
    retract = observed["editor_retracts"]
    assert retract["status"] == 200
    assert retract["primary_has"] == "retracted"
    assert retract["queries"] == {"default": True, "replica": False}


def test_while_the_replica_lags_readers_see_it_as_it_was(observed: dict[str, Any]) -> None:
    lagging = observed["reader_while_replay_paused"]
    assert lagging["verdicts"] == 2
    assert lagging["detail_status"] == "published"
    assert lagging["public_page_says_retracted"] is False
    assert lagging["verdict_queries"] == {"default": False, "replica": True}


def test_the_editor_who_just_wrote_reads_their_write_from_the_primary(observed: dict[str, Any]) -> None:
    editor = observed["editor_after_writing"]
    assert editor["detail_status"] == "retracted"
    assert editor["public_page_says_retracted"] is True
    assert editor["queries"] == {"default": True, "replica": False}


def test_a_transaction_reads_the_primary_even_in_a_readers_view(observed: dict[str, Any]) -> None:
    assert observed["transaction"] == {"outside": "published", "inside_atomic": "retracted", "locking": "retracted"}


def test_a_cached_page_built_just_after_a_change_is_built_from_the_primary(observed: dict[str, Any]) -> None:
    cached = observed["cached_page_after_change"]
    # The retracted verdict stays on the readers' list, as retracted: one of two is published.
    assert (cached["verdicts"], cached["published"]) == (2, 1)
    assert cached["verdict_queries"] == {"default": True, "replica": False}


def test_once_replayed_readers_see_the_change_from_the_replica(observed: dict[str, Any]) -> None:
    resumed = observed["reader_after_replay"]
    assert (resumed["verdicts"], resumed["published"]) == (2, 1)
    assert resumed["verdict_queries"] == {"default": False, "replica": True}
