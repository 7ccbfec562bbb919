"""Check-worthiness: the shipped model, its served arithmetic and its card. Pure: no database,
and nothing is retrained here (`make train-checkworthiness` does that)."""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
import time
from typing import Any

import pytest

from factcheck.crosscheck.text import split_passages
from factcheck.crosscheck.words import TOKEN as _TOKEN
from factcheck.crosscheck.worthiness import (
    MODEL_FILE,
    MODEL_FORMAT,
    NOT_PROSE_SCORE,
    NUMBER_TOKEN,
    ModelMismatch,
    Term,
    WorthinessModel,
    claim_threshold,
    model_from_json,
    model_terms,
    model_tokens,
    rule_feature_names,
    score_worthiness,
    shipped_model,
)
from factcheck.documents import read_document
from tests.conftest import REPO_ROOT

MODEL_CARD = MODEL_FILE.with_suffix(".md")
SAMPLE_ARTICLES = REPO_ROOT / "factcheck" / "sample_data" / "articles"


def sample_passages() -> list[str]:
    """Every passage of the sample corpus, split as ingestion splits it."""
    return [
        span.text
        for path in sorted(SAMPLE_ARTICLES.iterdir())
        for span in split_passages(read_document(path, max_bytes=5 * 1024 * 1024).text)
    ]


@pytest.fixture(scope="module")
def shipped_json() -> dict[str, Any]:
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


# Written for these tests (none is from the training data): statements a desk would check…
WORTH_CHECKING = [
    "The ministry said on Monday that at least 40 people were killed in the flooding.",
    "Governor Ana Ruiz told reporters the bridge would reopen in May, two months later than planned.",
    "\u201cWe have never sent troops abroad,\u201d Defence Minister Karl Brandt said.",
    "According to the statistics office, unemployment rose to 7.2 percent, the highest level since records began.",
    "Police arrested 12 protesters outside the parliament in Vienna.",
    "The company paid $2.3 billion in taxes last year, according to its annual report.",
    "The new law cut the average waiting time for a hip operation from 40 weeks to 26.",
    "Exports to Brazil doubled between 2019 and 2023.",
    "The minister told parliament that no school had closed because of the strike.",
    "The city spends twice as much on policing as it does on parks.",
]
# …and passages with nothing to check, with the rule reason a reviewer should see ("" for none).
NOT_WORTH_CHECKING = [
    ("Will the ceasefire hold?", "question"),
    ("By Maria Keller", "byline"),
    ("About the author: Tom Lee is a senior correspondent covering Asia.", "byline"),
    ("Image: Reuters / handout", "image_credit"),
    ("pic.twitter.com/Zx81kQ", "link"),
    ("(Reporting by Ana Diaz; Editing by Sam Holt)", "reporting_credit"),
    ("Key takeaways", "heading"),
    ("A Diplomatic Storm Over Neutral Ground", "heading"),
    ("The ministry did not immediately respond to a request for comment.", "non_statement"),
    ("I think the government should resign.", "opinion"),
    ("Thank you very much, it is good to be here tonight.", ""),
    ("Let me tell you a story about my grandmother.", ""),
    ("That is a fair question, and I want to answer it.", ""),
]


@pytest.mark.parametrize("text", WORTH_CHECKING)
def test_statements_with_checkable_content_reach_the_shipped_threshold(text: str) -> None:
    assert score_worthiness(text).score >= claim_threshold()


@pytest.mark.parametrize(("text", "reason"), NOT_WORTH_CHECKING)
def test_passages_with_nothing_to_check_stay_below_it_with_the_reason(text: str, reason: str) -> None:
    worthiness = score_worthiness(text)
    assert worthiness.score < claim_threshold()
    if reason:
        assert reason in worthiness.reasons


def test_every_checkable_statement_outranks_every_passage_with_nothing_to_check() -> None:
    lowest_worthy = min(score_worthiness(text).score for text in WORTH_CHECKING)
    highest_unworthy = max(score_worthiness(text).score for text, _ in NOT_WORTH_CHECKING)
    assert lowest_worthy > highest_unworthy


def test_the_reasons_are_still_the_rule_features_that_fired() -> None:
    worthiness = score_worthiness("Officials in Oslo said more than 300 homes were evacuated.")
    assert {"figure", "attribution", "comparison", "event", "named_entity"} <= set(worthiness.reasons)
    assert set(worthiness.reasons) <= set(rule_feature_names())
    assert 0 <= worthiness.score <= 1


def test_non_prose_is_vetoed_by_the_rules_before_the_model_sees_it() -> None:
    assert score_worthiness("By Maria Keller").score == NOT_PROSE_SCORE


def test_scores_stay_in_the_unit_interval_on_every_sample_passage() -> None:
    for text in sample_passages():
        assert 0.0 <= score_worthiness(text).score <= 1.0


# --- The model reads a passage the engine's way ---------------------------------------------------


def test_the_model_reads_the_engines_words_and_one_token_for_every_number() -> None:
    assert model_tokens("Kyiv's 11,000 SOLDIERS") == ["kyiv", "s", NUMBER_TOKEN, NUMBER_TOKEN, "soldiers"]
    assert model_terms("Prices rose 5%") == ["prices", "rose", NUMBER_TOKEN, "prices rose", f"rose {NUMBER_TOKEN}"]


def tiny_model_json() -> dict[str, Any]:
    names = rule_feature_names()
    return {
        "format": MODEL_FORMAT,
        "tokenizer": {"pattern": _TOKEN.pattern, "number_token": NUMBER_TOKEN},
        "intercept": -1.0,
        "threshold": 0.5,
        "rule_weights": {name: (2.0 if name == "figure" else 0.0) for name in names},
        "terms": {"rose": [2.0, 1.5], "prices": [1.0, -0.5], "prices rose": [3.0, 0.25]},
    }


def test_the_served_arithmetic_is_sublinear_tfidf_l2_normalised_then_logistic() -> None:
    model = model_from_json(tiny_model_json())
    # "prices rose rose 4": rose twice (1 + ln 2), prices once, "prices rose" once; "4" and the
    # other pairs are unknown. The figure rule fires.
    rose, prices, pair = (1 + math.log(2)) * 2.0, 1.0, 3.0
    norm = math.sqrt(rose**2 + prices**2 + pair**2)
    log_odds = -1.0 + (rose * 1.5 + prices * -0.5 + pair * 0.25) / norm + 2.0
    assert model.probability("Prices rose, rose 4", ["figure"]) == pytest.approx(1 / (1 + math.exp(-log_odds)))


def test_a_passage_of_unknown_words_scores_the_intercept_and_its_rules() -> None:
    model = WorthinessModel(intercept=0.0, rule_weights={"figure": 1.0}, terms={"x": Term(1.0, 5.0)}, threshold=0.5)
    assert model.probability("nothing known here", []) == 0.5
    assert model.probability("nothing known here", ["figure"]) == pytest.approx(1 / (1 + math.exp(-1.0)))


def test_extreme_log_odds_neither_overflow_nor_leave_the_unit_interval() -> None:
    for weight in (1e4, -1e4):
        model = WorthinessModel(intercept=weight, rule_weights={}, terms={}, threshold=0.5)
        assert 0.0 <= model.probability("anything", []) <= 1.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="checkworthiness-logistic/0"), "format"),
        (lambda d: d["tokenizer"].update(pattern=r"\w+"), "tokenizer"),
        (lambda d: d["rule_weights"].pop("figure"), "rule features"),
    ],
)
def test_a_model_file_that_does_not_fit_the_code_is_refused(change: Any, message: str) -> None:
    data = copy.deepcopy(tiny_model_json())
    change(data)
    with pytest.raises(ModelMismatch, match=message):
        model_from_json(data)


# --- The shipped file and its card -------------------------------------------------------------------


def test_the_shipped_model_loads_and_fits_the_serving_code(shipped_json: dict[str, Any]) -> None:
    assert shipped_json["format"] == MODEL_FORMAT
    assert tuple(shipped_json["rule_weights"]) == rule_feature_names()
    assert shipped_json["tokenizer"]["pattern"] == _TOKEN.pattern
    model = shipped_model()
    assert len(model.terms) == len(shipped_json["terms"]) > 1000
    assert 0.0 < model.threshold < 1.0


def test_the_shipped_model_is_small(shipped_json: dict[str, Any]) -> None:
    assert MODEL_FILE.stat().st_size <= 5 * 1024 * 1024


def test_the_service_uses_the_shipped_threshold_unless_told_otherwise() -> None:
    from django.conf import settings

    if "FACTCHECK_CLAIM_THRESHOLD" not in os.environ:
        assert claim_threshold() == settings.FACTCHECK_CLAIM_THRESHOLD


def test_the_held_out_figures_are_recorded_in_the_model_and_its_card(shipped_json: dict[str, Any]) -> None:
    held_out = shipped_json["figures"]["held_out"]["all"]
    card = MODEL_CARD.read_text(encoding="utf-8")
    for figure in (held_out["roc_auc"], held_out["f1"], held_out["brier"], shipped_json["threshold"]):
        assert f"{figure:.3f}" in card, f"{figure:.3f} is in the model but not in its card"
    assert shipped_json["trained"] in card
    # The target, on data the model was not fitted to.
    assert held_out["roc_auc"] >= 0.90


def test_the_held_out_reliability_table_covers_every_held_out_passage(shipped_json: dict[str, Any]) -> None:
    table = shipped_json["figures"]["held_out_reliability"]
    assert len(table) == 10
    assert sum(row["passages"] for row in table) == shipped_json["figures"]["held_out"]["all"]["passages"]


# --- Serving stays light and fast -----------------------------------------------------------------


def test_scoring_loads_neither_scikit_learn_nor_numpy() -> None:
    script = (
        "import sys\n"
        "from factcheck.crosscheck.worthiness import score_worthiness\n"
        "score_worthiness('Police arrested 12 protesters.')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'numpy', 'scipy')))\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_scoring_a_passage_takes_well_under_a_millisecond() -> None:
    texts = sample_passages()
    score_worthiness(texts[0])  # the model is read once per process, not per passage
    # CPU time, so that other work on a shared machine does not count against the scorer.
    started = time.process_time()
    for text in texts:
        score_worthiness(text)
    per_passage = (time.process_time() - started) / len(texts)
    # About 0.1-0.3 ms (most of it the rule features); the bound leaves a margin.
    assert per_passage < 1e-3
