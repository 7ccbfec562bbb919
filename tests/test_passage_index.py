"""The passages' full-text index, partitioned by publication month (migration 0022): kept in step with
the passages by triggers, whatever path writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from factcheck.models import Outlet, Passage, Source
from factcheck.services.passages import passage_months_prepare

pytestmark = pytest.mark.django_db


def make_source(name: str, published: dt.datetime | None, *texts: str) -> Source:
    source = Source.objects.create(
        outlet=Outlet.objects.get_or_create(name="Meridian")[0],
        text=" ".join(texts),
        content_hash=name.ljust(64, "0"),
        published_at=published,
    )
    Passage.objects.bulk_create(
        Passage(source=source, position=position, text=text, start_offset=0, end_offset=len(text))
        for position, text in enumerate(texts)
    )
    return source


def filed(source: Source) -> list[tuple[str, dt.date]]:
    """Where each passage of the source is indexed: (partition, publication day), in passage order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.tableoid::regclass::text, i.published FROM factcheck_passage_index i "
            "JOIN factcheck_passage p ON p.id = i.passage_id WHERE p.source_id = %s ORDER BY p.position",
            [source.pk],
        )
        return cursor.fetchall()


def matches(words: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM factcheck_passage_index WHERE search_vector @@ plainto_tsquery('english', %s)",
            [words],
        )
        return cursor.fetchone()[0]


def test_each_passage_is_indexed_in_its_months_partition_with_a_full_text_index() -> None:
    source = make_source("a", dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC), "Sand dunes moved.", "Rain fell.")
    assert filed(source) == [("factcheck_passage_index_2024_03", dt.date(2024, 3, 31))] * 2
    assert matches("dune moving") == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'factcheck_passage_index_2024_03'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'factcheck_passage'")
        assert "passage_text_trgm_gin" in {row[0] for row in cursor.fetchall()}
    assert "USING gin (search_vector)" in definitions


def test_an_undated_source_is_filed_under_the_day_it_was_ingested() -> None:
    source = make_source("b", None, "Sand dunes moved.")
    assert filed(source) == [(f"factcheck_passage_index_{source.ingested_at:%Y_%m}", source.ingested_at.date())]


def test_a_source_dated_anew_moves_its_passages_to_the_new_month() -> None:
    source = make_source("c", dt.datetime(2024, 3, 10, tzinfo=dt.UTC), "Sand dunes moved.", "Rain fell.")
    Source.objects.filter(pk=source.pk).update(published_at=dt.datetime(2025, 1, 5, tzinfo=dt.UTC))
    assert filed(source) == [("factcheck_passage_index_2025_01", dt.date(2025, 1, 5))] * 2
    assert matches("dune") == 1


def test_a_changed_text_is_indexed_anew_and_a_deleted_passage_leaves_the_index() -> None:
    source = make_source("d", dt.datetime(2024, 3, 10, tzinfo=dt.UTC), "Sand dunes moved.", "Rain fell.")
    Passage.objects.filter(source=source, position=0).update(text="Glaciers retreated.")
    assert (matches("dune"), matches("glacier")) == (0, 1)
    Passage.objects.filter(source=source, position=1).delete()
    assert len(filed(source)) == 1
    source.delete()
    assert matches("glacier") == 0


def test_old_dates_share_one_partition_and_no_month_is_made_for_them() -> None:
    source = make_source("e", dt.datetime(1887, 5, 1, tzinfo=dt.UTC), "Sand dunes moved.")
    assert filed(source) == [("factcheck_passage_index_before_2000", dt.date(1887, 5, 1))]


def test_passages_stored_with_the_trigger_off_are_indexed_by_the_fill_function() -> None:
    """What a bulk load does (bench/corpus.py): COPY with the trigger off, then index in one statement."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE factcheck_passage DISABLE TRIGGER passage_index_insert")
        source = make_source("f", dt.datetime(2023, 11, 2, tzinfo=dt.UTC), "Sand dunes moved.", "Rain fell.")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check pending: the table may be altered
        cursor.execute("ALTER TABLE factcheck_passage ENABLE TRIGGER passage_index_insert")
        assert filed(source) == []
        cursor.execute("SELECT factcheck_passage_index_fill()")
        assert cursor.fetchone() == (2,)
        cursor.execute("SELECT factcheck_passage_index_fill()")
        assert cursor.fetchone() == (0,)
    assert filed(source) == [("factcheck_passage_index_2023_11", dt.date(2023, 11, 2))] * 2


def test_emptying_the_passage_table_empties_the_index() -> None:
    """Django's flush TRUNCATEs every table: the index must not keep rows for ids that start again."""
    make_source("g", dt.datetime(2024, 3, 10, tzinfo=dt.UTC), "Sand dunes moved.")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE factcheck_passage CASCADE")
    assert matches("dune") == 0


def test_a_date_in_the_future_is_filed_under_the_day_after_ingestion_and_makes_no_partition_of_its_own() -> None:
    """A mistyped or hostile publication date (by any path: a file, the API, the admin) cannot make a
    partition for a month nobody searches."""
    source = make_source("h", dt.datetime(2999, 1, 1, tzinfo=dt.UTC), "Sand dunes moved.")
    day = (source.ingested_at + dt.timedelta(days=1)).date()
    assert filed(source) == [(f"factcheck_passage_index_{day:%Y_%m}", day)]
    Source.objects.filter(pk=source.pk).update(published_at=dt.datetime(3001, 6, 1, tzinfo=dt.UTC))
    assert filed(source) == [(f"factcheck_passage_index_{day:%Y_%m}", day)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'factcheck_passage_index_29%%'")
        assert cursor.fetchone() == (0,)


def test_this_months_and_the_next_months_partitions_are_made_before_they_are_needed() -> None:
    made = passage_months_prepare(today=dt.date(2031, 12, 20))
    assert made == ["factcheck_passage_index_2031_12", "factcheck_passage_index_2032_01"]
    assert passage_months_prepare(today=dt.date(2031, 12, 31)) == made  # made once
