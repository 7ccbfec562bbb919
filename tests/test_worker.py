"""Splitting through a real Celery worker process, on PostgreSQL and Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from factcheck.crosscheck.text import split_passages
from factcheck.documents import Document
from factcheck.models import Claim, Outlet, Passage, Source
from factcheck.services.dispatch import enqueue_now
from factcheck.services.ingest import Outcome, source_ingest
from factcheck.services.passages import SPLIT_SOURCE_TASK
from factcheck.services.pipeline import stalled_sources_requeue
from tests.conftest import WorkerProcess, ingest_sample_corpus, wait_for

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


def test_reingesting_the_sample_corpus_duplicates_nothing() -> None:
    ingest_sample_corpus()
    assert wait_for(all_claims_extracted)
    before = (Outlet.objects.count(), Source.objects.count(), Passage.objects.count(), Claim.objects.count())

    outcomes = ingest_sample_corpus()

    assert set(outcomes) == {Outcome.DUPLICATE}
    after = (Outlet.objects.count(), Source.objects.count(), Passage.objects.count(), Claim.objects.count())
    assert after == before


def test_a_split_task_delivered_twice_creates_passages_once(celery_worker: WorkerProcess) -> None:
    result = source_ingest(document=Document(text="One. Two. Three.", format="txt"), outlet_name="Twice Times")
    source_id = result.source.pk
    assert enqueue_now(SPLIT_SOURCE_TASK, source_id)
    assert enqueue_now(SPLIT_SOURCE_TASK, source_id)

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
