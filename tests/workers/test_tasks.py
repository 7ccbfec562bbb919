"""Splitting, extraction and cross-source checks through a real Celery worker process, on PostgreSQL and Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from factcheck import task_names
from factcheck.crosscheck.text import split_passages
from factcheck.documents import Document
from factcheck.management.commands.demo import SAMPLE_ARTICLES
from factcheck.management.commands.ingest import expand_paths
from factcheck.models import CheckRun, CheckTrigger, Claim, Evidence, Outlet, Passage, Source
from factcheck.services.checks import claim_check_request, stalled_check_runs_requeue
from factcheck.services.claims import claim_submit
from factcheck.services.dispatch import enqueue_now
from factcheck.services.ingest import Outcome, source_ingest
from factcheck.services.pipeline import stalled_sources_requeue
from tests.conftest import WorkerProcess, ingest_corpus, ingest_sample_corpus, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]


def all_sources_split() -> bool:
    return not Source.objects.filter(split_at__isnull=True).exists()


def all_claims_extracted() -> bool:
    return not Source.objects.filter(claims_extracted_at__isnull=True).exists()


def test_the_worker_splits_every_sample_source() -> None:
    outcomes = ingest_sample_corpus()
    assert outcomes == [Outcome.CREATED] * len(outcomes)
    assert len(outcomes) >= 10

    assert wait_for(all_sources_split), "the worker did not split every source in time"
    assert Source.objects.count() == len(outcomes)
    for source in Source.objects.all():
        expected = [span.text for span in split_passages(source.text)]
        assert list(source.passages.order_by("position").values_list("text", flat=True)) == expected
    assert Outlet.objects.count() >= 5
    assert wait_for(all_claims_extracted), "the worker did not extract claims from every source in time"
    assert Claim.objects.count() > 0


def test_reingesting_the_sample_corpus_duplicates_nothing(celery_worker: WorkerProcess) -> None:
    ingest_sample_corpus()
    assert wait_for(all_claims_extracted)
    before = (Outlet.objects.count(), Source.objects.count(), Passage.objects.count(), Claim.objects.count())

    outcomes = ingest_sample_corpus()

    assert set(outcomes) == {Outcome.DUPLICATE}
    after = (Outlet.objects.count(), Source.objects.count(), Passage.objects.count(), Claim.objects.count())
    assert after == before
    # The extracted claims' checks are still running: the test's teardown empties the tables,
    # which must not race the worker's open transactions (it deadlocked once).
    assert celery_worker.wait_until_idle(timeout=180)


def test_a_split_task_delivered_twice_creates_passages_once(celery_worker: WorkerProcess) -> None:
    result = source_ingest(document=Document(text="One. Two. Three.", format="txt"), outlet_name="Twice Times")
    source_id = result.source.pk
    assert enqueue_now(task_names.SPLIT_SOURCE, source_id)
    assert enqueue_now(task_names.SPLIT_SOURCE, source_id)

    assert wait_for(all_sources_split)
    assert celery_worker.wait_until_idle(), "the second delivery was not processed"
    assert list(Passage.objects.filter(source_id=source_id).values_list("position", "text")) == [
        (0, "One."),
        (1, "Two."),
        (2, "Three."),
    ]


def test_a_source_whose_task_was_lost_is_split_after_the_reaper_runs() -> None:
    # A source as it is after Redis lost its message: committed, never split.
    outlet = Outlet.objects.create(name="Lost Ledger")
    text = "The message was lost. The database remembers."
    source = Source.objects.create(outlet=outlet, text=text, content_hash="f" * 64)
    Source.objects.filter(pk=source.pk).update(ingested_at=timezone.now() - dt.timedelta(minutes=10))

    requeued = stalled_sources_requeue(older_than=dt.timedelta(minutes=5))

    assert requeued.split == [source.pk]
    assert wait_for(all_sources_split)
    assert Passage.objects.filter(source=source).count() == 2
    assert wait_for(all_claims_extracted), "extraction follows the re-sent split"


# --- Cross-source checks through the worker ------------------------------------------------------


def test_the_worker_checks_every_extracted_claim() -> None:
    # The corpus in two parts, the second sent once the first is checked: its sources bear on claims
    # whose checks are done, so those are checked again (new_source) however fast this test sends the
    # articles and the worker takes them (sent all at once, the first checks may still be waiting,
    # and a waiting check takes the new source in without a second run).
    articles = expand_paths([SAMPLE_ARTICLES])
    half = len(articles) // 2
    for part in (articles[:half], articles[half:]):
        ingest_corpus(*part)
        assert wait_for(all_claims_extracted, timeout=60)
        assert wait_for(no_check_pending, timeout=120), "the worker did not finish the checks in time"
    assert not Claim.objects.filter(status=Claim.Status.CHECKING).exists()
    assert CheckRun.objects.filter(status=CheckRun.Status.SUCCEEDED, trigger=CheckTrigger.EXTRACTION).exists()
    assert CheckRun.objects.filter(status=CheckRun.Status.SUCCEEDED, trigger=CheckTrigger.NEW_SOURCE).exists()
    assert Evidence.objects.filter(stance="conflicts", reason="figure_conflict").exists()


def no_check_pending() -> bool:
    return not CheckRun.objects.filter(status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).exists()


def test_a_check_delivered_twice_is_done_once(celery_worker: WorkerProcess) -> None:
    source_ingest(
        document=Document(text="Oskaria has deployed approximately 15,000 soldiers to Korva.", format="txt"),
        outlet_name="Atlas Wire",
    )
    assert wait_for(all_claims_extracted)
    assert wait_for(no_check_pending)
    claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")

    run_id = claim_check_request(claim_id=claim.pk)  # sent on commit (autocommit here)
    assert run_id is not None
    assert enqueue_now(task_names.CHECK_CLAIM, run_id)

    assert wait_for(no_check_pending)
    assert celery_worker.wait_until_idle(), "the second delivery was not processed"
    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts, run.assessment) == (CheckRun.Status.SUCCEEDED, 1, "contradicted")
    assert list(Evidence.objects.filter(run=run).values_list("stance", "reason")) == [("conflicts", "figure_conflict")]


def test_a_run_whose_worker_died_is_checked_after_the_reaper_runs() -> None:
    claim = claim_submit(text="Oskaria sent 11,000 soldiers to Korva under a defence treaty.")
    run_id = claim_check_request(claim_id=claim.pk, send=False)
    assert run_id is not None
    # As a worker killed mid-check leaves it: running, its lease run out, no message in the queue.
    CheckRun.objects.filter(pk=run_id).update(
        status=CheckRun.Status.RUNNING, attempts=1, lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    reaped = stalled_check_runs_requeue(queued_longer_than=dt.timedelta(minutes=5))

    assert reaped.requeued == [run_id]
    assert wait_for(no_check_pending)
    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts) == (CheckRun.Status.SUCCEEDED, 2)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_REVIEW
