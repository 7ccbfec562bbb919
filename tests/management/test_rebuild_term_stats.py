"""`manage.py rebuild_term_stats`: the stored document frequencies recounted with today's stemming."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from factcheck.crosscheck.words import content_stems
from factcheck.models import Outlet, Passage, Source, TermStat

pytestmark = pytest.mark.django_db

TEXTS = [
    "Lestovian troops have captured two Qareshi nationals.",
    "Soldiers detained two citizens of Qaresh near Dalmir.",
    "A missile struck the railway station in Ostrel.",
]


@pytest.fixture
def passages() -> list[Passage]:
    source = Source.objects.create(outlet=Outlet.objects.create(name="wire"), text="wire", content_hash="0" * 64)
    return [
        Passage.objects.create(source=source, position=position, text=text, start_offset=0, end_offset=len(text))
        for position, text in enumerate(TEXTS)
    ]


def counted_now() -> dict[str, int]:
    return dict(TermStat.objects.values_list("term", "passages"))


def expected_counts(texts: list[str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(content_stems(text))
    return {**counts, TermStat.TOTAL: len(texts)}


@pytest.mark.usefixtures("passages")
def test_it_replaces_stale_counts_with_the_stems_of_every_passage() -> None:
    # Counts kept under five-letter stems, as before the stemmer changed, and a stray total.
    TermStat.objects.bulk_create([TermStat(term="lesto", passages=7), TermStat(term=TermStat.TOTAL, passages=99)])
    out = StringIO()

    call_command("rebuild_term_stats", stdout=out, stderr=StringIO())

    assert counted_now() == expected_counts(TEXTS)
    assert counted_now()["troop"] == 2  # "troops" and "Soldiers": one stem, counted once a passage
    assert counted_now()["2"] == 2
    assert "lesto" not in counted_now()
    assert "3 passage(s) counted" in out.getvalue()


def test_it_counts_nothing_but_the_total_when_there_are_no_passages() -> None:
    TermStat.objects.create(term="lesto", passages=7)

    call_command("rebuild_term_stats", stdout=StringIO(), stderr=StringIO())

    assert counted_now() == {}


def test_rebuilding_twice_changes_nothing(passages: list[Passage]) -> None:
    call_command("rebuild_term_stats", stdout=StringIO(), stderr=StringIO())
    first = counted_now()
    call_command("rebuild_term_stats", stdout=StringIO(), stderr=StringIO())
    assert counted_now() == first == expected_counts([p.text for p in passages])
