"""Whether two statements are the same fact: pure, no database."""

import pytest

from factcheck.crosscheck.matching import idf_weight, rarest_terms, statement_similarity

SAME_FACT = [
    (
        "Lestovian troops have captured two Qareshi nationals fighting for Korva, President Malesh said.",
        "Two Qareshi citizens fighting for Korva were captured by Lestovian soldiers, Malesh said on Tuesday.",
    ),
    (
        "The ministry said 12 people were killed when the missile struck the station.",
        "A missile strike on the station killed 12 people, the ministry said.",
    ),
]
DIFFERENT_FACTS = [
    (
        "Lestovian troops have captured two Qareshi nationals fighting for Korva.",
        "Flooding closed the coastal highway for three days in March.",
    ),
    (
        "The ministry said the station would reopen on Thursday.",
        "Rescuers searched the rubble through the night for survivors.",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME_FACT)
def test_the_same_fact_in_other_words_scores_high(a: str, b: str) -> None:
    similarity = statement_similarity(a, b)
    assert similarity.score >= 0.6
    assert not similarity.figures_conflict


@pytest.mark.parametrize(("a", "b"), DIFFERENT_FACTS)
def test_different_facts_score_low(a: str, b: str) -> None:
    assert statement_similarity(a, b).score < 0.35


def test_different_counts_of_the_same_thing_are_flagged_as_a_conflict() -> None:
    similarity = statement_similarity(
        "Oskaria has sent 11,000 soldiers to Korva.", "Oskaria has sent approximately 15,000 soldiers to Korva."
    )
    assert similarity.score > 0.6
    assert similarity.figures_conflict


def test_number_words_and_digits_are_the_same_figure() -> None:
    assert not statement_similarity("Two men were held.", "Police held 2 men.").figures_conflict


def test_rare_shared_words_weigh_more_than_common_ones() -> None:
    frequency = {"lestovia": 90, "qaresh": 90, "korva": 90, "consul": 1, "acced": 2}
    weight = idf_weight(frequency, 100)
    a = "Lestovia and Qaresh discussed consular access for Korva."
    b = "Lestovia, Qaresh and Korva met again."
    c = "Consular access was discussed."
    assert statement_similarity(a, c, weight).score > statement_similarity(a, b, weight).score
    assert weight("unseen") > weight("lestovia")


RAREST_CASES = [
    # (words, document frequency by stem, passages, limit, expected)
    (["lestovian", "troops", "dalmir"], {"lestovian": 90, "troop": 500, "dalmir": 3}, 1000, 2, ["lestovian", "dalmir"]),
    (["said", "kresnik", "forces"], {"say": 900, "troop": 400}, 1000, 1, ["kresnik"]),  # unseen words are rarest
    (["alpha", "beta"], {"alpha": 5, "beta": 5}, 100, 5, ["alpha", "beta"]),  # order kept
    ([], {}, 0, 3, []),
]


@pytest.mark.parametrize(("words", "frequency", "documents", "limit", "expected"), RAREST_CASES)
def test_it_keeps_the_rarest_words_in_their_order(words, frequency, documents, limit, expected) -> None:
    assert rarest_terms(words, frequency, documents, limit=limit) == expected
