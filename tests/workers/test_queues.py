"""Ingest, checks and webhooks each have a queue (config/settings.py), so a flood of articles never
starves checks or webhook deliveries. Messages go through Redis and a real worker takes them.

The messages are published by a separate process whose default queue is one this test owns. The
other queues are named after the default one, so they are this test's own too, and no worker of the
session takes its messages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
import redis
from django.conf import settings

from factcheck import task_names
from factcheck.documents import Document
from factcheck.models import CheckRun, Source
from factcheck.services.checks import claim_check_request
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import source_ingest
from tests.conftest import REPO_ROOT, WorkerProcess, wait_for, worker_environment

# Sends each task the way the service named sends it (dispatch.enqueue_now) and, when asked, each
# reaper the way beat sends it. Then it prints the names of its queues.
PUBLISH = """
import json, sys
import django
django.setup()
from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings
from config.celery import app
from factcheck.services.dispatch import enqueue_now
request = json.load(sys.stdin)
for task_name, args in request["tasks"]:
    assert enqueue_now(task_name, *args), task_name
if request["beat"]:
    beat = Scheduler(app, lazy=True)
    for name, fields in app.conf.beat_schedule.items():
        beat.apply_async(ScheduleEntry(name=name, app=app, **fields), advance=False)
print(json.dumps({
    "default": settings.CELERY_TASK_DEFAULT_QUEUE,
    "ingest": settings.FACTCHECK_INGEST_QUEUE,
    "checks": settings.FACTCHECK_CHECKS_QUEUE,
    "webhooks": settings.FACTCHECK_WEBHOOKS_QUEUE,
}))
"""


@dataclass
class Namespace:
    """A default queue of this test's own, and the environment that names it."""

    environment: dict[str, str]
    broker: redis.Redis

    def publish(self, tasks: Sequence[tuple[str, tuple[object, ...]]], *, beat: bool = False) -> dict[str, str]:
        """Send ``tasks`` (and the beat schedule) from another process; returns its queues by kind."""
        result = subprocess.run(
            [sys.executable, "-c", PUBLISH],
            input=json.dumps({"tasks": tasks, "beat": beat}),
            cwd=REPO_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])

    def tasks_in(self, queue: str) -> list[str]:
        """The names of the tasks waiting in ``queue``, oldest first (kombu's Redis list: LPUSH, BRPOP)."""
        return [json.loads(raw)["headers"]["task"] for raw in reversed(self.broker.lrange(queue, 0, -1))]


@pytest.fixture
def namespace() -> Iterator[Namespace]:
    default_queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-pools"
    environment = {
        **worker_environment(),
        "CELERY_TASK_DEFAULT_QUEUE": default_queue,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield Namespace(environment, broker)
    # The queues' lists and kombu's bindings of their exchanges (each queue has its own exchange).
    for pattern in (f"{default_queue}*", f"_kombu.binding.{default_queue}*"):
        for key in broker.scan_iter(match=pattern):
            broker.delete(key)


INGEST = [
    task_names.FETCH_SOURCE,
    task_names.SPLIT_SOURCE,
    task_names.EXTRACT_CLAIMS,
    task_names.REQUEUE_STALLED_SOURCES,
    task_names.REQUEUE_STALLED_FETCHES,
    task_names.PREPARE_PASSAGE_MONTHS,
    task_names.POLL_FEED,
    task_names.POLL_DUE_FEEDS,
    task_names.IMPORT_CLAIMREVIEW_SOURCES,
]
CHECKS = [task_names.CHECK_CLAIM, task_names.REQUEUE_STALLED_CHECKS]
WEBHOOKS = [task_names.DELIVER_WEBHOOK, task_names.REQUEUE_STALLED_WEBHOOKS, task_names.SEND_CLAIMS_DIGEST]
REAPERS = {
    task_names.REQUEUE_STALLED_SOURCES,
    task_names.REQUEUE_STALLED_FETCHES,
    task_names.REQUEUE_STALLED_CHECKS,
    task_names.REQUEUE_STALLED_WEBHOOKS,
    task_names.PREPARE_PASSAGE_MONTHS,
    task_names.POLL_DUE_FEEDS,
    task_names.SEND_CLAIMS_DIGEST,
    task_names.IMPORT_CLAIMREVIEW_SOURCES,
}


def test_each_task_and_each_reaper_beat_sends_lands_in_the_queue_of_its_work(namespace: Namespace) -> None:
    work = [(name, (1,)) for name in (*INGEST, *CHECKS, *WEBHOOKS) if name not in REAPERS]

    queues = namespace.publish(work, beat=True)

    assert len(set(queues.values())) == 4, queues
    assert sorted(namespace.tasks_in(queues["ingest"])) == sorted(INGEST)
    assert sorted(namespace.tasks_in(queues["checks"])) == sorted(CHECKS)
    assert sorted(namespace.tasks_in(queues["webhooks"])) == sorted(WEBHOOKS)
    assert namespace.tasks_in(queues["default"]) == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_checks_pool_runs_a_check_while_a_flood_of_articles_waits_in_the_ingest_queue(
    namespace: Namespace, sent: list[tuple[str, tuple[object, ...]]], tmp_path
) -> None:
    flood = 30
    for number in range(flood):
        text = f"Report {number}: Oskaria has deployed approximately {15_000 + number} soldiers to Korva."
        source_ingest(document=Document(text=text, format="txt"), outlet_name=f"Wire {number % 3}")
    claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")
    run_id = claim_check_request(claim_id=claim.pk)
    assert run_id is not None
    # What the services sent (recorded, not yet published): one split per article, then the check,
    # which a single queue would deliver after every split.
    assert [name for name, _ in sent] == [task_names.SPLIT_SOURCE] * flood + [task_names.CHECK_CLAIM]

    queues = namespace.publish(sent)
    pool = WorkerProcess(
        tmp_path / "checks-pool.log", environment=namespace.environment, name="checks-pool", queues=(queues["checks"],)
    )
    pool.start()
    try:
        assert pool.consumed == [queues["checks"]]
        checked = wait_for(lambda: CheckRun.objects.filter(pk=run_id, status=CheckRun.Status.SUCCEEDED).exists())
        assert checked, "the checks pool did not run the check"
    finally:
        pool.stop()

    assert namespace.tasks_in(queues["ingest"]) == [task_names.SPLIT_SOURCE] * flood
    assert not Source.objects.filter(split_at__isnull=False).exists()


@pytest.mark.worker
def test_a_worker_started_without_queues_consumes_every_queue(celery_worker: WorkerProcess) -> None:
    expected = {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        settings.FACTCHECK_INGEST_QUEUE,
        settings.FACTCHECK_CHECKS_QUEUE,
        settings.FACTCHECK_WEBHOOKS_QUEUE,
    }
    assert len(expected) == 4
    assert set(celery_worker.consumed) == expected
