"""Faults injected for real (run alone with `make test-faults`): processes are killed with
SIGKILL, and what they left behind is found in the database and finished exactly once."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.utils import timezone

from factcheck.documents import Document
from factcheck.models import CheckRun, Claim, Evidence
from factcheck.services.checks import CHECK_CLAIM_TASK, claim_check_request, stalled_check_runs_requeue
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import source_ingest
from tests.conftest import REPO_ROOT, WorkerProcess, _connection_url, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAULT_QUEUE = "factcheck-faults"
# Short limits for the worker that will be killed, so its lease runs out within the test.
SHORT_LIMITS = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "CELERY_TASK_TIME_LIMIT": "9",
    "FACTCHECK_CHECK_LEASE_SECONDS": "10",
    "CELERY_TASK_DEFAULT_QUEUE": FAULT_QUEUE,
}


def test_a_worker_killed_mid_check_leaves_work_that_is_finished_once(tmp_path) -> None:
    from config.celery import app

    source_ingest(
        document=Document(text="Oskaria has deployed approximately 15,000 soldiers to Korva.", format="txt"),
        outlet_name="Atlas Wire",
    )
    claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")
    run_id = claim_check_request(claim_id=claim.pk, send=False)
    assert run_id is not None
    doomed = WorkerProcess(tmp_path / "doomed.log", environment=SHORT_LIMITS, name="doomed-worker")
    doomed.start()

    # Hold the claim's row: the worker computes the check, writes its evidence in its
    # transaction, then waits on this lock to record the assessment - mid-check.
    database = settings.DATABASES["default"]
    url = _connection_url(settings.DATABASE_URL, database["NAME"])
    with psycopg.connect(url) as blocker:
        blocker.execute("SELECT id FROM factcheck_claim WHERE id = %s FOR UPDATE", [claim.pk])
        app.send_task(CHECK_CLAIM_TASK, args=[run_id], queue=FAULT_QUEUE)
        assert wait_for(lambda: CheckRun.objects.filter(pk=run_id, status="running").exists(), timeout=30)
        time.sleep(1.0)  # it is now blocked inside its transaction
        doomed.kill()
        blocker.rollback()

    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts) == ("running", 1)
    assert not Evidence.objects.filter(run_id=run_id).exists(), "the dead worker's transaction was rolled back"
    assert Claim.objects.get(pk=claim.pk).status == "checking"

    rescuer = WorkerProcess(tmp_path / "rescuer.log", name="rescuer-worker")
    rescuer.start()
    try:
        assert run.lease_expires_at is not None
        lease_left = (run.lease_expires_at - timezone.now()).total_seconds()
        time.sleep(max(0.0, lease_left) + 0.5)
        assert stalled_check_runs_requeue(queued_longer_than=dt.timedelta(minutes=5)).requeued == [run_id]
        assert wait_for(lambda: CheckRun.objects.filter(pk=run_id, status="succeeded").exists(), timeout=60)
    finally:
        rescuer.stop()

    run = CheckRun.objects.get(pk=run_id)
    assert run.attempts == 2
    evidence = list(Evidence.objects.filter(run_id=run_id).values_list("passage_id", "stance", "reason"))
    assert len(evidence) == len(set(evidence)) == 1, "one set of evidence, written once"
    assert evidence[0][1:] == ("conflicts", "figure_conflict")
    assert Claim.objects.get(pk=claim.pk).status == "needs_review"
    assert not Claim.objects.filter(status="checking").exists()


def test_a_hundred_checks_whose_messages_redis_lost_are_all_done_once_after_the_reaper(tmp_path) -> None:
    import redis

    from config.celery import app

    source_ingest(
        document=Document(text="Oskaria has deployed approximately 15,000 soldiers to Korva.", format="txt"),
        outlet_name="Atlas Wire",
    )
    runs = []
    for number in range(100):
        claim = claim_submit(text=f"Oskaria sent {11_000 + number} soldiers to Korva, report {number} says.")
        run_id = claim_check_request(claim_id=claim.pk, send=False)
        assert run_id is not None
        runs.append(run_id)
        app.send_task(CHECK_CLAIM_TASK, args=[run_id], queue=FAULT_QUEUE)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen(FAULT_QUEUE) == 100
    broker.delete(FAULT_QUEUE)  # Redis restarted empty: every message is gone

    worker = WorkerProcess(tmp_path / "after-flush.log", name="after-flush-worker")
    worker.start()
    try:
        reaped = stalled_check_runs_requeue(queued_longer_than=dt.timedelta(0))
        assert sorted(reaped.resent) == sorted(runs)
        assert wait_for(lambda: CheckRun.objects.filter(pk__in=runs, status="succeeded").count() == 100, timeout=180)
    finally:
        worker.stop()

    assert set(CheckRun.objects.filter(pk__in=runs).values_list("attempts", flat=True)) == {1}
    per_run = Evidence.objects.filter(run_id__in=runs).values_list("run_id", "passage_id")
    assert len(per_run) == len(set(per_run)) == 100
    assert not Claim.objects.filter(status="checking").exists()


def use_broker(app: object, url: str) -> None:
    """Point this process's Celery producer at another broker (connections are pooled)."""
    import kombu.pools

    # Producers connect with broker_write_url, which Celery copied from broker_url at start-up.
    app.conf.broker_url = app.conf.broker_write_url = url  # type: ignore[attr-defined]
    kombu.pools.reset()
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


def test_a_check_committed_while_redis_is_down_happens_once_redis_is_back(tmp_path) -> None:
    from config.celery import app

    source_ingest(
        document=Document(text="Oskaria has deployed approximately 15,000 soldiers to Korva.", format="txt"),
        outlet_name="Atlas Wire",
    )
    claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")
    working_broker = app.conf.broker_url
    # Nothing listens on port 1: the broker is down when the run is committed and sent.
    use_broker(app, "redis://127.0.0.1:1/15")
    try:
        run_id = claim_check_request(claim_id=claim.pk)  # the on-commit send fails and is logged
    finally:
        use_broker(app, working_broker)
    assert run_id is not None
    assert CheckRun.objects.get(pk=run_id).status == "queued"

    worker = WorkerProcess(tmp_path / "redis-back.log", name="redis-back-worker")
    worker.start()
    try:
        assert stalled_check_runs_requeue(queued_longer_than=dt.timedelta(0)).resent == [run_id]
        assert wait_for(lambda: CheckRun.objects.filter(pk=run_id, status="succeeded").exists(), timeout=60)
    finally:
        worker.stop()
    assert CheckRun.objects.get(pk=run_id).attempts == 1


# --- Database restart: a throwaway PostgreSQL cluster of the test's own ---------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayCluster:
    """A PostgreSQL cluster made with initdb in a temporary folder, on a port of its own,
    run as the postgres user (PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        self.port = free_port()
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))[-1]).parent

    def as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # No pipes: the server started by pg_ctl would hold them open, and run() would wait for ever.
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
        )

    def init(self) -> None:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            os.chmod(self.data.parent, 0o700)  # the postgres user owns it; nobody else needs it
        self.as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()
        self.as_postgres(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fc")

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1"
        log = str(self.data.parent / "server.log")
        self.as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/fc"


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayCluster]:
    if shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("runuser is needed to run a throwaway PostgreSQL as root")
    folder = Path(tempfile.mkdtemp(prefix="fc-cluster-", dir="/tmp"))
    made = ThrowawayCluster(folder)
    made.init()
    yield made
    with contextlib.suppress(subprocess.CalledProcessError):
        made.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_a_database_restart_gives_503_then_recovers_without_a_restart(cluster: ThrowawayCluster, tmp_path) -> None:
    import requests

    environment = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "fault-test-secret-key-that-is-long-enough-for-checks",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": f"factcheck-db-restart-{os.getpid()}",
        "STATICFILES_MANIFEST": "false",
        "API_THROTTLE_REVIEWER": "100000/min",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=REPO_ROOT, env=environment, check=True, timeout=300)
    token = subprocess.run(
        [*manage, "create_api_client", "Desk", "--role", "reviewer"],
        cwd=REPO_ROOT, env=environment, check=True, capture_output=True, text=True, timeout=120,
    ).stdout.split()[-1]  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=REPO_ROOT, env=environment, stdout=(tmp_path / "gunicorn.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--without-gossip",
         "--without-mingle", f"--hostname=db-restart-{os.getpid()}@%h"],
        cwd=REPO_ROOT, env=environment, stdout=(tmp_path / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Token {token}"}

    def get(path: str) -> requests.Response:
        return requests.get(f"{api}{path}", headers=headers, timeout=10)

    try:
        assert wait_for(lambda: _answers(get), timeout=30), "gunicorn did not start"
        assert get("/claims/").status_code == 200

        cluster.stop()
        during = [get("/claims/") for _ in range(3)]
        assert {r.status_code for r in during} == {503}
        assert during[0].json()["error"] == "service_unavailable"
        assert "Traceback" not in during[0].text

        cluster.start()
        assert wait_for(lambda: get("/claims/").status_code == 200, timeout=30)
        created = requests.post(
            f"{api}/claims/", json={"text": "Oskaria sent 11,000 soldiers to Korva."}, headers=headers, timeout=10
        )
        assert created.status_code == 201, created.text
        checked = lambda: get(f"/claims/{created.json()['id']}/checks/").json()["results"][0]["status"]  # noqa: E731
        assert wait_for(lambda: checked() == "succeeded", timeout=60), "the worker did not recover"
    finally:
        for process in (server, worker):
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()


def _answers(get: Callable[[str], object]) -> bool:
    try:
        get("/claims/")
    except OSError:
        return False
    return True
