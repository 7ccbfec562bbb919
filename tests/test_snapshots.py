"""The session's corpus snapshots (tests/snapshots.py) put back what ingesting writes, and only that."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from factcheck.management.commands.demo import SAMPLE_ARTICLES
from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, Source, TermStat
from tests.conftest import ingest_corpus
from tests.snapshots import Snapshot, SnapshotRefused, restore, snapshot_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

# Two outlets on one story: the build splits, extracts, matches claims across them and checks them, with evidence.
TWO_ARTICLES = ("09_westvale-observer_ostrel-strike.md", "10_brightwater-tribune_ostrel-strike.html")


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    for name in TWO_ARTICLES:
        shutil.copy(SAMPLE_ARTICLES / name, tmp_path / name)
    return tmp_path


def what_ingesting_left() -> dict[str, list[tuple[object, ...]]]:
    """The rows the pipeline writes, by what they say rather than by their ids."""
    return {
        "sources": sorted(
            (name, outlet, title, published, split is not None, extracted is not None)
            for name, outlet, title, published, split, extracted in Source.objects.values_list(
                "file_name", "outlet__name", "title", "published_at", "split_at", "claims_extracted_at"
            )
        ),
        "passages": sorted(Passage.objects.values_list("source__file_name", "text", "speaker")),
        "claims": sorted(
            Claim.objects.values_list("text", "status", "assessment", "confidence", "appearance_count", "priority")
        ),
        "runs": sorted(CheckRun.objects.values_list("claim__text", "status", "trigger", "assessment")),
        "evidence": sorted(Evidence.objects.values_list("run__claim__text", "passage__text", "stance", "reason")),
        "terms": sorted(TermStat.objects.values_list("term", "passages")),
    }


def test_a_restored_snapshot_holds_what_ingesting_writes(
    two_articles: Path, django_capture_on_commit_callbacks
) -> None:
    snapshot = snapshot_of(lambda: ingest_corpus(two_articles), committed=False)
    assert not Source.objects.exists(), "the build is undone"
    with transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):
            ingest_corpus(two_articles)
        ingested = what_ingesting_left()
        transaction.set_rollback(True)
    assert ingested["claims"]
    assert ingested["evidence"]

    assert restore(snapshot)

    assert what_ingesting_left() == ingested


def test_the_builds_times_move_to_the_restore_and_the_articles_dates_stay(two_articles: Path) -> None:
    snapshot = snapshot_of(lambda: ingest_corpus(two_articles), committed=False)
    time.sleep(1)  # the snapshot's age: without the move, its rows would look a second old
    restoring = timezone.now()

    assert restore(snapshot)

    last_finished = CheckRun.objects.aggregate(last=Max("finished_at"))["last"]
    assert restoring - dt.timedelta(seconds=0.5) <= last_finished <= timezone.now()
    first_ingested = Source.objects.aggregate(first=Min("ingested_at"))["first"]
    assert restoring - (snapshot.built_until - snapshot.built_from) <= first_ingested < last_finished
    published = set(Source.objects.values_list("published_at", flat=True))
    assert None not in published, "the articles name their dates"
    assert all(day is not None and day < snapshot.built_from - dt.timedelta(days=30) for day in published)


def test_rows_made_after_a_restore_get_ids_of_their_own(two_articles: Path) -> None:
    snapshot = snapshot_of(lambda: ingest_corpus(two_articles), committed=False)
    outlets = next(table for table in snapshot.tables if table.table == "factcheck_outlet")
    first_id = min(int(row.split(b"\t")[outlets.columns.index("id")]) for row in outlets.rows.splitlines())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('factcheck_outlet', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT last_value FROM " + sequence)  # noqa: S608 - the catalogue's own name
        last = cursor.fetchone()[0]
        # As after a reset of the sequence: its next id is one the snapshot holds.
        cursor.execute("SELECT setval(%s, %s, false)", [sequence, first_id])
    try:
        assert restore(snapshot)
        restored = set(Outlet.objects.values_list("pk", flat=True))
        assert first_id in restored

        added = Outlet.objects.create(name="An outlet of the test's own")

        assert added.pk not in restored
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(%s, GREATEST(%s, last_value)) FROM {sequence}", [sequence, last])  # noqa: S608


def test_a_table_that_already_has_rows_is_left_alone(two_articles: Path) -> None:
    snapshot = snapshot_of(lambda: ingest_corpus(two_articles), committed=False)
    Outlet.objects.create(name="Made by the test first")

    assert not restore(snapshot)

    assert list(Outlet.objects.values_list("name", flat=True)) == ["Made by the test first"]
    assert not Source.objects.exists()


def test_a_build_that_changes_rows_it_found_is_refused() -> None:
    outlet = Outlet.objects.create(name="Already there")

    def reweigh() -> None:
        Outlet.objects.filter(pk=outlet.pk).update(reliability_weight=0.5)

    with pytest.raises(SnapshotRefused, match="factcheck_outlet"):
        snapshot_of(reweigh, committed=False)
    assert Outlet.objects.get(pk=outlet.pk).reliability_weight == 1.0


def test_the_sample_corpus_snapshots_fill_only_the_pipelines_tables(
    sample_corpus_snapshot: Snapshot, committed_sample_corpus_snapshot: Snapshot
) -> None:
    for snapshot in (sample_corpus_snapshot, committed_sample_corpus_snapshot):
        tables = {table.table for table in snapshot.tables}
        assert {"factcheck_source", "factcheck_passage", "factcheck_claim", "factcheck_evidence"} <= tables
        assert not any(table.startswith(("auth_", "django_", "knox_")) for table in tables), tables
