"""Document frequencies of stems (TermStat): counted once per passage, added to atomically."""

import pytest

from factcheck.models import TermStat
from factcheck.search import term_frequencies
from factcheck.services.terms import idf_for, term_stats_add

pytestmark = pytest.mark.django_db


def test_each_stem_is_counted_once_a_passage_and_counts_add_up_across_calls() -> None:
    term_stats_add(passage_texts=["Floods swept Peltry; floods again.", "Peltry flooded."])
    term_stats_add(passage_texts=["Fire reached Peltry."])
    term_stats_add(passage_texts=[])
    frequency, documents = term_frequencies(["flood", "peltri", "fire", "unseen"])
    assert documents == 3
    assert frequency == {"flood": 2, "peltri": 3, "fire": 1}
    assert TermStat.objects.get(term=TermStat.TOTAL).passages == 3


def test_rarer_stems_weigh_more() -> None:
    term_stats_add(passage_texts=["Floods swept Peltry.", "Floods swept Ostrelia.", "Floods came."])
    weight = idf_for(["Floods swept Peltry"])
    assert weight("peltri") > weight("sweep") > weight("flood")
