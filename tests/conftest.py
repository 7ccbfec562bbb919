"""Test fixtures: the real services (PostgreSQL, Redis) and a real Celery worker process.

pyproject.toml points DATABASE_URL and CELERY_BROKER_URL at the local defaults
unless the environment sets them. A missing service stops the run at once with
one line saying which one and how to start it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings

from tests.snapshots import Snapshot, restore, snapshot_of

REPO_ROOT = Path(__file__).resolve().parent.parent
WORKER_START_TIMEOUT = 60.0


def pytest_configure(config: pytest.Config) -> None:
    _live_server_sends_at_once()


def _live_server_sends_at_once() -> None:
    """The live server (pytest-django's, Django's LiveServerThread) writes a response's headers and
    its body separately; on a keep-alive connection (schemathesis, Chromium) Nagle's algorithm then
    holds the body until the client's delayed ACK, some 40 ms a request on loopback. The standard
    library's switch sets TCP_NODELAY on each connection the live server accepts."""
    from django.test.testcases import QuietWSGIRequestHandler

    QuietWSGIRequestHandler.disable_nagle_algorithm = True


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = _unreachable_service()
    if problem:
        pytest.exit(problem, returncode=3)
    _drop_databases_of_dead_runs()


def _drop_databases_of_dead_runs() -> None:
    """Each run has a database of its own (config/settings.py); a run that was killed leaves
    its database behind: drop those whose process is gone, never a live run's."""
    test_database = settings.DATABASES["default"]["TEST"]["NAME"]
    prefix, _, suffix = test_database.rpartition(f"_{settings.TEST_RUN_SUFFIX}")
    if suffix or not prefix:
        return  # a name set by hand (TEST_DATABASE_NAME): not ours to clean
    with psycopg.connect(_connection_url(os.environ["DATABASE_URL"], "postgres"), autocommit=True) as connection:
        names = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{prefix}\\_run%"]
        ).fetchall()
        for (name,) in names:
            pid = name.rpartition("_run")[2]
            if pid.isdigit() and not _process_alive(int(pid)):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unreachable_service() -> str | None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return f"the tests need PostgreSQL: DATABASE_URL={database_url!r} is not a postgres:// URL"
    try:
        psycopg.connect(_connection_url(database_url, "postgres"), connect_timeout=3).close()
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            f"PostgreSQL is unreachable at {_host_port(database_url)} ({first_line}); "
            "start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    broker_url = settings.CELERY_BROKER_URL
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError) as error:
        return (
            f"Redis is unreachable at {_host_port(broker_url)} ({error}); "
            'start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )
    return None


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or ''}"


def _connection_url(database_url: str, database_name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{database_name}"))


def worker_environment() -> dict[str, str]:
    """The environment of a worker process that uses the test database and the test queue."""
    test_database = settings.DATABASES["default"]["TEST"]["NAME"]
    return {
        **os.environ,
        "DATABASE_URL": _connection_url(os.environ["DATABASE_URL"], test_database),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "PYTHONUNBUFFERED": "1",
        "FACTCHECK_ALLOW_PRIVATE_URLS": "true",
    }


class WorkerProcess:
    """A `celery -A config worker` subprocess, as production starts it."""

    def __init__(
        self,
        log_path: Path,
        *,
        environment: dict[str, str] | None = None,
        name: str = "test-worker",
        queues: tuple[str, ...] = (),
    ) -> None:
        self.log_path = log_path
        self.environment = environment or {}
        self.name = name
        # Only these queues (-Q), or by default every queue its settings name.
        self.queues = queues
        self.consumed: list[str] = []  # the queues it reported consuming once ready
        self.process: subprocess.Popen[bytes] | None = None
        self.hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                f"--hostname={self.hostname}",
                *([f"--queues={','.join(self.queues)}"] if self.queues else []),
            ],
            cwd=REPO_ROOT,
            env={**worker_environment(), **self.environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so a test can kill the worker and its pool children at once.
            start_new_session=True,
        )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        from config.celery import app

        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited early; see {self.log_path}")
            if app.control.ping(destination=[self.hostname], timeout=0.5):
                # Asked of the worker itself: its queues follow its own environment and -Q.
                replies = app.control.inspect(destination=[self.hostname], timeout=5).active_queues() or {}
                self.consumed = [queue["name"] for queue in replies.get(self.hostname, [])]
                if self.consumed:
                    return
        raise RuntimeError(f"the Celery worker did not answer within {WORKER_START_TIMEOUT}s; see {self.log_path}")

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        """True once the worker's queues are empty and the worker holds no task."""
        from config.celery import app

        # The worker's own broker, which a test may have pointed elsewhere (environment).
        broker = redis.Redis.from_url(self.environment.get("CELERY_BROKER_URL", settings.CELERY_BROKER_URL))

        def idle() -> bool:
            if any(broker.llen(queue) for queue in self.consumed):
                return False
            inspect = app.control.inspect(destination=[self.hostname], timeout=0.5)
            busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
            return not any(busy)

        return wait_for(idle, timeout=timeout, interval=0.2)

    def kill(self) -> None:
        """kill -9 the worker and its pool processes, as a crashed machine would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """One real worker for the session, on the test database and a queue of the tests' own."""
    from config.celery import app

    app.control.purge()  # leftovers of an interrupted earlier run, on the tests' own queue only
    worker = WorkerProcess(tmp_path_factory.mktemp("celery") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def wait_for(condition: Callable[[], bool], *, timeout: float = 30.0, interval: float = 0.1) -> bool:
    """Poll until ``condition()`` holds; the worker runs in another process, so tests wait for its effects."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@contextlib.contextmanager
def eager_tasks() -> Iterator[None]:
    """Celery tasks run in this process as they are sent, as the demo runs them without a broker."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def tasks_in_process() -> Iterator[None]:
    """Run Celery tasks eagerly in the test process, as the demo does without a broker.

    Combine with ``django_capture_on_commit_callbacks(execute=True)``: tasks are sent
    on commit, and a test's transaction never commits.
    """
    with eager_tasks():
        yield


@pytest.fixture
def default_rating_scale(db: None) -> None:
    """The rating scale migration 0003 seeds, restored for tests that follow a
    transactional test (which empties every table when it ends)."""
    import importlib

    from django.apps import apps

    importlib.import_module("factcheck.migrations.0003_default_rating_scale").seed_scale(apps, None)


@pytest.fixture
def roles(db: None) -> None:
    """The role groups migration 0011 creates, with the permissions 0031 adds, restored for tests that
    follow a transactional test (which empties every table when it ends)."""
    import importlib

    from django.apps import apps

    importlib.import_module("factcheck.migrations.0011_roles").create_roles(apps, None)
    importlib.import_module("factcheck.migrations.0031_role_permissions").grant(apps, None)


SAMPLE_LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels" / "extraction.json"
NEWS_ARTICLES = REPO_ROOT / "factcheck" / "sample_data" / "news"
# The five real articles beside the repo (not part of it; FACTCHECK_SEEDS_DIR elsewhere, e.g. from a
# git worktree): the seeds label set is about them.
SEEDS_ARTICLES = Path(os.environ.get("FACTCHECK_SEEDS_DIR") or REPO_ROOT.parent / "shared" / "seeds")


def ingest_corpus(*paths: Path, outlet_from_filename: bool = False) -> list[object]:
    """Ingest every article of ``paths`` (files, or folders of them) through the ingest service, as
    `manage.py ingest` does (``outlet_from_filename``: each file its own outlet, named after the file);
    returns the outcomes."""
    from factcheck.documents import read_document
    from factcheck.management.commands.ingest import expand_paths
    from factcheck.services.ingest import source_ingest

    outcomes: list[object] = []
    for path in expand_paths(paths):
        document = read_document(path, max_bytes=10**7)
        outlet = path.stem if outlet_from_filename else ""
        outcomes.append(source_ingest(document=document, outlet_name=outlet, file_name=path.name).outcome)
    return outcomes


def ingest_sample_corpus() -> list[object]:
    """Ingest every sample article through the ingest service; returns the outcomes."""
    from factcheck.management.commands.demo import SAMPLE_ARTICLES

    return ingest_corpus(SAMPLE_ARTICLES)


@pytest.fixture(scope="session")
def sample_corpus_snapshot(django_db_setup: None, django_db_blocker: Any) -> Snapshot:
    """The rows of the sample corpus ingested in a test's transaction, made once per session (tests/snapshots.py)."""
    with django_db_blocker.unblock(), eager_tasks():
        return snapshot_of(ingest_sample_corpus, committed=False)


@pytest.fixture(scope="session")
def committed_sample_corpus_snapshot(django_db_setup: None, django_db_blocker: Any) -> Snapshot:
    """The rows of the sample corpus ingested as a transactional test does, each source's tasks run
    as it commits (the checks then see the sources as they arrive), made once per session."""
    with django_db_blocker.unblock(), eager_tasks():
        return snapshot_of(ingest_sample_corpus, committed=True)


@pytest.fixture
def sample_corpus(
    sample_corpus_snapshot: Snapshot, tasks_in_process: None, django_capture_on_commit_callbacks: Any
) -> None:
    """The sample corpus ingested, split, extracted and checked in-process (callbacks chain until
    done): the session's snapshot of it, or the real thing where the test made rows of those tables first."""
    if not restore(sample_corpus_snapshot):
        with django_capture_on_commit_callbacks(execute=True):
            ingest_sample_corpus()


@pytest.fixture
def committed_sample_corpus(committed_sample_corpus_snapshot: Snapshot) -> None:
    """For transactional tests (a live server reads from other threads): the sample corpus through
    the pipeline with tasks in-process, committed source by source; emptied by the test's flush."""
    if not restore(committed_sample_corpus_snapshot):
        with eager_tasks():
            ingest_sample_corpus()


@pytest.fixture
def news_corpus(tasks_in_process: None, django_capture_on_commit_callbacks) -> None:
    """The retold real stories of sample_data/news (its own outlets), ingested like the sample corpus."""
    with django_capture_on_commit_callbacks(execute=True):
        ingest_corpus(NEWS_ARTICLES)


@pytest.fixture
def seeds_corpus(tasks_in_process: None, django_capture_on_commit_callbacks) -> None:
    """The five real articles of ../shared/seeds, one outlet per file; skips where they are absent."""
    if not SEEDS_ARTICLES.is_dir():
        pytest.skip(f"no seeds articles at {SEEDS_ARTICLES}")
    with django_capture_on_commit_callbacks(execute=True):
        ingest_corpus(SEEDS_ARTICLES, outlet_from_filename=True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: throttle counts and readers' cached pages (keyed by
    path) must not carry over from a test whose database rows were rolled back. The near cache
    holds this process's copies of them (factcheck/api/generations.py)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["near"].clear()


@pytest.fixture
def allow_private(settings: Any) -> Any:
    """The loopback test servers (receivers, pages) are private addresses: allowed for this test only."""
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = True
    return settings


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[object, ...]]]:
    """Tasks sent to the broker, recorded instead of sent (in every service that sends them)."""
    from factcheck.services import checks, dispatch, feeds, pipeline, source_fetches, webhooks

    messages: list[tuple[str, tuple[object, ...]]] = []

    def record(task_name: str, *args: object) -> bool:
        messages.append((task_name, args))
        return True

    for module in (dispatch, checks, feeds, pipeline, source_fetches, webhooks):
        if hasattr(module, "enqueue_now"):
            monkeypatch.setattr(module, "enqueue_now", record)
    return messages


@pytest.fixture(autouse=True)
def _worker_idle_before_teardown(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that used the session's worker ends only once the worker is idle: its teardown
    empties the tables, and a TRUNCATE racing the worker's open transactions deadlocks."""
    yield
    if "celery_worker" in request.fixturenames:
        request.getfixturevalue("celery_worker").wait_until_idle(timeout=180)
