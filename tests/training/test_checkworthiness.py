"""The check-worthiness training command's pieces, on a few sentences written here (no data set is
read and nothing is written): what it fits is what the engine serves, and its figures add up."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from factcheck.crosscheck.worthiness import model_from_json, rule_reasons
from training.checkworthiness import (
    DEBATE,
    NEWS,
    Example,
    at_threshold,
    best_f1_threshold,
    fit,
    model_json,
    reliability_table,
)

WORTHY = [
    "Unemployment fell to 4 percent last year, the lowest rate in a decade.",
    "The state spent 3 billion dollars on roads last year.",
    "Police said 12 people were arrested after the match.",
    "Exports doubled last year, the trade ministry said.",
    "The minister said 40 schools closed last year.",
    "Crime fell by 10 percent in the city last year.",
]
UNWORTHY = [
    "I think we should all be proud of this country.",
    "Thank you, it is good to be here.",
    "What will you do about it?",
    "I hope we can all work together.",
    "Thank you for the question.",
    "We should be proud of what we do.",
]


def examples() -> list[Example]:
    worthy = [Example(text, 1, DEBATE) for text in WORTHY]
    unworthy = [Example(text, 0, DEBATE) for text in UNWORTHY]
    return [*worthy, *unworthy, Example("The ministry said 5 soldiers were held.", 1, NEWS)]


def test_the_served_model_gives_the_fitted_probabilities() -> None:
    fitted = fit(examples(), c=3.0)
    served = model_from_json(model_json(fitted, threshold=0.5))
    texts = [*WORTHY, *UNWORTHY, "Prices rose 7 percent, the office said.", "Nothing here is known"]
    expected = fitted.probabilities([Example(text, 0, DEBATE) for text in texts])
    for text, probability in zip(texts, expected, strict=True):
        assert served.probability(text, rule_reasons(text)) == pytest.approx(probability, abs=1e-5)


def test_the_vocabulary_comes_from_the_public_sentences_only() -> None:
    fitted = fit([*examples(), Example("Lestovia said Lestovia held 5 men.", 1, NEWS)], c=3.0)
    assert "lestovia" not in fitted.vectorizer.vocabulary_
    assert "last year" in fitted.vectorizer.vocabulary_


def test_precision_recall_and_the_f1_threshold() -> None:
    labels = np.array([1, 1, 0, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    point = at_threshold(labels, scores, 0.6)
    assert (point.precision, point.recall) == (0.75, 1.0)
    # 0.8 gives precision 1, recall 2/3 (F1 0.8); 0.6 gives 0.75 and 1 (F1 0.857): the best.
    assert best_f1_threshold(labels, scores) == 0.6


def test_the_reliability_table_puts_each_score_in_one_bin() -> None:
    labels = np.array([0, 1, 1, 0])
    scores = np.array([0.05, 0.95, 1.0, 0.1])
    table = reliability_table(labels, scores)
    assert [row["passages"] for row in table] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert table[9]["share_worthy"] == 1.0
    assert table[9]["mean_score"] == 0.975
