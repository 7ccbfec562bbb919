"""Faults injected for real (run alone with `make test-faults`): processes are killed with
SIGKILL, and what they left behind is found in the database and finished exactly once."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
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

from factcheck import task_names
from factcheck.documents import Document
from factcheck.models import CheckRun, Claim, Evidence, Source
from factcheck.services.checks import claim_check_request, stalled_check_runs_requeue
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import source_ingest
from tests.conftest import REPO_ROOT, WorkerProcess, _connection_url, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The run's own queue for the workers these tests start (the shared Redis serves other runs too:
# a fixed name would let one run's worker take, or its flush delete, another run's messages).
FAULT_QUEUE = f"factcheck-faults-run{os.getpid()}"
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
        app.send_task(task_names.CHECK_CLAIM, args=[run_id], queue=FAULT_QUEUE)
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
        app.send_task(task_names.CHECK_CLAIM, args=[run_id], queue=FAULT_QUEUE)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen(FAULT_QUEUE) == 100
    broker.delete(FAULT_QUEUE)  # Redis restarted empty: every message is gone

    worker = WorkerProcess(tmp_path / "after-flush.log", name="after-flush-worker")
    worker.start()
    try:
        reaped = stalled_check_runs_requeue(queued_longer_than=dt.timedelta(0))
        # Every lost run is sent again (the ingested source's own claim, when a session worker
        # extracted it meanwhile, may be waiting too: it is not one of the lost messages).
        assert set(runs) <= set(reaped.resent)
        assert wait_for(lambda: CheckRun.objects.filter(pk__in=runs, status="succeeded").count() == 100, timeout=180)
    finally:
        worker.stop()

    assert set(CheckRun.objects.filter(pk__in=runs).values_list("attempts", flat=True)) == {1}
    per_run = Evidence.objects.filter(run_id__in=runs).values_list("run_id", "passage_id")
    assert len(per_run) == len(set(per_run)) == 100
    # The lost runs' claims are all checked (the ingested source's own claim, checked by the
    # session's worker if one extracted it, is not one of them and may still be under way).
    assert not Claim.objects.filter(check_runs__pk__in=runs, status="checking").exists()


def use_broker(app: object, url: str) -> None:
    """Point this process's Celery producer at another broker (connections are pooled)."""
    import kombu.pools

    # Producers connect with broker_write_url, which Celery copied from broker_url at start-up.
    app.conf.broker_url = app.conf.broker_write_url = url  # type: ignore[attr-defined]
    kombu.pools.reset()
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, in the foreground as a child process, so
    the test can stop it and start it again on the same port. Never the shared one on 6379."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert wait_for(self.answers, timeout=10), f"redis-server did not start; see {self.log_path}"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    from config.celery import app

    server = ThrowawayRedis(tmp_path / "redis.log")
    server.start()
    shared_broker = app.conf.broker_url
    use_broker(app, server.url)  # this process sends (and pings the worker) through it too
    yield server
    use_broker(app, shared_broker)
    server.stop()


def test_a_check_committed_while_redis_is_down_happens_once_redis_is_back(
    own_redis: ThrowawayRedis, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from config.celery import app

    worker = WorkerProcess(
        tmp_path / "redis-down.log", environment={"CELERY_BROKER_URL": own_redis.url}, name="redis-down-worker"
    )
    worker.start()
    try:
        # Before the outage the worker does the work this Redis carries: split, extract, check.
        source_ingest(
            document=Document(text="Oskaria has deployed approximately 15,000 soldiers to Korva.", format="txt"),
            outlet_name="Atlas Wire",
        )
        assert wait_for(lambda: not Source.objects.filter(claims_extracted_at__isnull=True).exists(), timeout=60)
        assert wait_for(lambda: not CheckRun.objects.exclude(status="succeeded").exists(), timeout=60)
        claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")

        own_redis.stop()
        assert not own_redis.answers()
        # caplog's handler on the root logger did not receive this record here (it reached
        # stderr all the same): listen on the logger itself.
        dispatch_log = logging.getLogger("factcheck.services.dispatch")
        dispatch_log.addHandler(caplog.handler)
        try:
            run_id = claim_check_request(claim_id=claim.pk)  # committed at once; its send on commit fails
        finally:
            dispatch_log.removeHandler(caplog.handler)
        assert run_id is not None
        assert any("broker unreachable" in record.getMessage() for record in caplog.records), caplog.text
        assert CheckRun.objects.get(pk=run_id).status == "queued", "the run waits in PostgreSQL"
        # The reaper cannot send it either while Redis is down, and loses nothing by trying.
        assert stalled_check_runs_requeue(queued_longer_than=dt.timedelta(0)).resent == []
        assert CheckRun.objects.get(pk=run_id).status == "queued"

        own_redis.start()  # empty, on the same port: whatever it held is gone
        # The same worker process reconnects by itself: it answers a ping through the new Redis.
        assert wait_for(lambda: bool(app.control.ping(destination=[worker.hostname], timeout=0.5)), timeout=60), (
            f"the worker did not reconnect; see {worker.log_path}"
        )
        assert worker.process is not None
        assert worker.process.poll() is None, "the worker was not restarted"

        assert stalled_check_runs_requeue(queued_longer_than=dt.timedelta(0)).resent == [run_id]
        assert wait_for(lambda: CheckRun.objects.filter(pk=run_id, status="succeeded").exists(), timeout=60)
        assert worker.wait_until_idle()
    finally:
        worker.stop()

    log = worker.log_path.read_text()
    assert "Connection to broker lost" in log, "the worker saw the outage"
    assert log.count("Connected to redis") == 2, "connected once, then reconnected once, in one process"
    run = CheckRun.objects.get(pk=run_id)
    assert run.attempts == 1
    evidence = list(Evidence.objects.filter(run_id=run_id).values_list("passage_id", "stance", "reason"))
    assert len(evidence) == len(set(evidence)) == 1, "one set of evidence, written once"
    assert evidence[0][1:] == ("conflicts", "figure_conflict")
    assert Claim.objects.get(pk=claim.pk).status == "needs_review"


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


@pytest.mark.usefixtures("allow_private")
def test_a_worker_killed_mid_poll_leaves_a_feed_polled_once_after_its_lease(tmp_path) -> None:
    from bench.feed_farm import Page, feed_farm, rss, serve_articles
    from config.celery import app
    from factcheck.models import Feed, FeedEntry, SourceFetch
    from factcheck.services.feeds import feed_add, feeds_poll_due

    with feed_farm() as farm:
        items = serve_articles(farm, 3)
        farm.pages["/feed.xml"] = Page(rss(items), etag='"v1"')
        feed = feed_add(outlet_name="Dam Watch", url=f"{farm.base}/feed.xml")
        doomed = WorkerProcess(
            tmp_path / "doomed.log",
            environment={**SHORT_LIMITS, "FACTCHECK_FEED_POLL_LEASE_SECONDS": "6"},
            name="doomed-worker",
        )
        doomed.start()
        database = settings.DATABASES["default"]
        url = _connection_url(settings.DATABASE_URL, database["NAME"])
        # Entries are recorded in one transaction: held at its first insert, the worker is killed mid-poll.
        with psycopg.connect(url) as blocker:
            blocker.execute("LOCK TABLE factcheck_feedentry IN EXCLUSIVE MODE")
            app.send_task(task_names.POLL_FEED, args=[feed.pk], queue=FAULT_QUEUE)
            assert wait_for(lambda: [p for p, _ in farm.requests] == ["/feed.xml"], timeout=30)
            time.sleep(1.5)  # fetched and parsed; now waiting on the lock, inside its transaction
            doomed.kill()
            blocker.rollback()
        assert not FeedEntry.objects.exists(), "the dead worker's transaction was rolled back"
        assert not SourceFetch.objects.exists()
        held = Feed.objects.get(pk=feed.pk)
        assert held.polling_until is not None
        assert held.last_polled_at is None

        rescuer = WorkerProcess(
            tmp_path / "rescuer.log", environment={"CELERY_TASK_DEFAULT_QUEUE": FAULT_QUEUE}, name="rescuer-worker"
        )
        rescuer.start()
        try:
            time.sleep(max(0.0, (held.polling_until - timezone.now()).total_seconds()) + 0.5)
            with pytest.MonkeyPatch.context() as patch:
                # This beat round sends to the faults' queue, which the rescuer consumes.
                patch.setattr(
                    "factcheck.services.feeds.enqueue_now",
                    lambda name, *args: bool(app.send_task(name, args=args, queue=FAULT_QUEUE)),
                )
                sent_to = feeds_poll_due()
            assert sent_to == [feed.pk]
            assert wait_for(lambda: Source.objects.count() == 3, timeout=60)
            assert wait_for(lambda: Feed.objects.get(pk=feed.pk).last_status == "ok", timeout=30)
        finally:
            rescuer.stop()
    assert FeedEntry.objects.count() == 3
    assert sorted(SourceFetch.objects.values_list("status", flat=True)) == ["succeeded"] * 3
    assert Feed.objects.get(pk=feed.pk).polling_until is None


@pytest.mark.usefixtures("allow_private")
def test_a_poll_committed_while_redis_is_down_has_every_article_ingested_once_redis_is_back(
    own_redis: ThrowawayRedis, tmp_path: Path
) -> None:
    from bench.feed_farm import Page, feed_farm, rss, serve_articles
    from config.celery import app
    from factcheck.models import FeedEntry, SourceFetch
    from factcheck.services.feeds import feed_add, feed_poll
    from factcheck.services.source_fetches import stalled_source_fetches_requeue

    worker = WorkerProcess(
        tmp_path / "redis-down.log", environment={"CELERY_BROKER_URL": own_redis.url}, name="feeds-redis-down-worker"
    )
    worker.start()
    try:
        with feed_farm() as farm:
            items = serve_articles(farm, 3)
            farm.pages["/feed.xml"] = Page(rss(items))
            feed = feed_add(outlet_name="Coast Wire", url=f"{farm.base}/feed.xml")

            own_redis.stop()
            result = feed_poll(feed_id=feed.pk)  # committed at once; sending its article fetches fails
            assert (result.status, len(result.new)) == ("ok", 3)
            assert FeedEntry.objects.count() == 3
            assert sorted(SourceFetch.objects.values_list("status", flat=True)) == ["queued"] * 3, (
                "they wait in PostgreSQL"
            )
            assert stalled_source_fetches_requeue(queued_longer_than=dt.timedelta(0)).resent == []

            own_redis.start()  # empty: whatever it held is gone
            assert wait_for(lambda: bool(app.control.ping(destination=[worker.hostname], timeout=0.5)), timeout=60)
            assert len(stalled_source_fetches_requeue(queued_longer_than=dt.timedelta(0)).resent) == 3
            assert wait_for(lambda: Source.objects.filter(claims_extracted_at__isnull=False).count() == 3, timeout=60)
            assert worker.wait_until_idle()
            article_requests = [path for path, _ in farm.requests if path.endswith(".html")]
    finally:
        worker.stop()
    assert sorted(article_requests) == ["/news/0.html", "/news/1.html", "/news/2.html"], "each article fetched once"
    assert sorted(SourceFetch.objects.values_list("status", "attempts")) == [("succeeded", 1)] * 3


def test_a_poll_cut_by_a_database_restart_is_done_again_and_ingests_each_article_once(
    cluster: ThrowawayCluster, tmp_path: Path
) -> None:
    from bench.feed_farm import Page, feed_farm, rss, serve_articles

    environment = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "fault-test-secret-key-that-is-long-enough-for-checks",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": f"factcheck-feed-db-restart-{os.getpid()}",
        "FACTCHECK_ALLOW_PRIVATE_URLS": "true",  # the loopback farm, for this test's processes only
        "FACTCHECK_FEED_POLL_LEASE_SECONDS": "4",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, "manage.py"]

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*manage, *args], cwd=REPO_ROOT, env=environment, check=check, capture_output=True, text=True, timeout=120
        )

    def count(table: str) -> int:
        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]  # noqa: S608 - the test's own table names

    run("migrate", "-v0")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--without-gossip",
         "--without-mingle", f"--hostname=feed-db-restart-{os.getpid()}@%h"],
        cwd=REPO_ROOT, env=environment, stdout=(tmp_path / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with feed_farm() as farm:
            items = serve_articles(farm, 3)
            farm.pages["/feed.xml"] = Page(rss(items), delay=3.0)  # slow: the database goes away meanwhile
            run("feeds", "add", "Mountain Wire", f"{farm.base}/feed.xml")

            poll = subprocess.Popen(
                [*manage, "feeds", "poll"], cwd=REPO_ROOT, env=environment,
                stdout=(tmp_path / "poll.log").open("wb"), stderr=subprocess.STDOUT,
            )  # fmt: skip
            assert wait_for(lambda: bool(farm.requests), timeout=30)
            cluster.stop()
            assert poll.wait(timeout=60) != 0, "the poll could not record anything with the database away"
            assert "OperationalError" in (tmp_path / "poll.log").read_text()
            cluster.start()
            assert count("factcheck_feedentry") == 0
            assert count("factcheck_sourcefetch") == 0

            time.sleep(4.5)  # the cut poll's lease on the feed expires
            again = run("feeds", "poll")
            assert "3 new entries" in again.stdout, again.stdout + again.stderr
            assert wait_for(lambda: count("factcheck_source WHERE claims_extracted_at IS NOT NULL") == 3, timeout=90)
            articles = sorted(path for path, _ in farm.requests if path.endswith(".html"))
    finally:
        worker.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=20)
        if worker.poll() is None:
            worker.kill()
    assert articles == ["/news/0.html", "/news/1.html", "/news/2.html"], "each article fetched once"
    assert count("factcheck_feedentry") == 3
