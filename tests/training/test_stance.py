"""The stance model's training labels: which judged passages carry their article's label."""

import pytest

pytest.importorskip("sklearn")

from training.stance import POSITIVE_PASSAGES, REFUTING_RANK, Judged, weak_labels


def judged(dataset: str, gold: str, features: list[dict[str, float]]) -> Judged:
    """One pair whose passages come most related first, as judge_corpus orders them."""
    return Judged(
        dataset, [gold], ["story"], row_pair=[0] * len(features), features=features, rule_stance=[""] * len(features)
    )


def test_the_most_related_passages_of_an_article_carry_its_label() -> None:
    labels = weak_labels(judged("fnc1", "supports", [{} for _ in range(POSITIVE_PASSAGES + 2)]))
    assert labels == ["supports"] * POSITIVE_PASSAGES + [None, None]


def test_a_refuting_article_trains_only_its_passages_that_refute() -> None:
    rows = [{}, {"near_negation": 1.0}, {}, {"passage_refute": 1.0}] + [{"near_refute": 1.0}] * REFUTING_RANK
    labels = weak_labels(judged("fnc1", "conflicts", rows))
    # The restatement it opens with is not a conflict; refuting passages are, as far as REFUTING_RANK.
    assert labels[:4] == [None, "conflicts", None, "conflicts"]
    assert labels[4:REFUTING_RANK] == ["conflicts"] * (REFUTING_RANK - 4)
    assert labels[REFUTING_RANK:] == [None] * (len(rows) - REFUTING_RANK)


def test_an_emergent_headline_carries_its_own_label() -> None:
    assert weak_labels(judged("emergent", "conflicts", [{}])) == ["conflicts"]
