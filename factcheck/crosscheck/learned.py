"""The learned layer that decides a passage's stance; the rules explain it. Pure: no Django,
numpy or scikit-learn import.

``decide()`` runs the rules (``judge``), reads the passage's features (features.py) and lets a
multinomial logistic regression, trained offline on public data (``python -m training.stance``;
``models/stance.md`` is its card), pick the stance and its probability. The reviewer still sees
the rules' reason code and spans; ``details`` says what the model said and, when it overruled
the rule, what the rule had said. A passage the rules took as support but the model reads as a
report (the claim repeated under attribution or hedging) gets the reason ``reported``.

The model file holds one weight per (feature, stance); the standardisation of training is folded
into the weights, so prediction is a sparse dot product and a softmax: a few microseconds. Half
of a passage's features are its own or its claim's (features.text_features), so what they add to
the logits is remembered per text, and a judgement adds up only the pair's features.
bench/judging.py times it against the rules alone; bench/decisions.py checks that a change meant
to be faster decides as before.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from factcheck.crosscheck.features import (
    CLAIM,
    FEATURE_NAMES,
    LEXICON_PREFIX,
    PASSAGE,
    REASON_PREFIX,
    TextCues,
    pair_features,
    text_cues,
    text_features,
)
from factcheck.crosscheck.matching import Weight, unweighted
from factcheck.crosscheck.memo import PARSE_CACHE_SIZE, forgotten_with_the_rest
from factcheck.crosscheck.stance import (
    CONFLICTS,
    MENTIONS,
    SUPPORTS,
    UNRELATED,
    CandidatePassage,
    ClaimAnalysis,
    Judgement,
    judge,
)

MODEL_PATH = Path(__file__).resolve().parent / "models" / "stance.json"
MODEL_FORMAT = 1
STANCES = (SUPPORTS, CONFLICTS, MENTIONS, UNRELATED)
# The reason of a passage the rules read as support and the model as a report.
REPORTED = "reported"
Logits = tuple[float, float, float, float]
NO_LOGITS: Logits = (0.0, 0.0, 0.0, 0.0)
# Texts whose features' share of the logits is remembered: each parser's memo, for passages and claims.
TEXT_LOGITS_MEMO_SIZE = 2 * PARSE_CACHE_SIZE


class ModelFileError(ValueError):
    """The model file does not fit this engine (wrong format, unknown features)."""


@dataclass(frozen=True)
class Aggregation:
    """How passages' probabilities make one article's stance (articles.py), tuned by cross-validation.

    ``related_at``: the article is unrelated unless some passage is related with at least this
    probability; ``top``: how many of its most related passages decide; ``bias``: what each stance's
    probability is multiplied by before the largest wins (a refutation is rare, so a calibrated
    probability of it must count for more than its face value to be seen at all); ``any_refutation``:
    a refutation counts from whichever passage makes it, not only from the most related ones (an
    article often states the rumour first and refutes it further on).
    """

    related_at: float = 0.5
    top: int = 2
    bias: Mapping[str, float] | None = None
    any_refutation: bool = False

    def weighted(self, stance: str, probability: float) -> float:
        return probability * (self.bias or {}).get(stance, 1.0)


@dataclass(frozen=True)
class StanceModel:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature name -> one weight per class
    aggregation: Aggregation
    card: Mapping[str, Any]  # what was trained on, when, and the cross-validated figures
    lexicon: frozenset[str] = frozenset()  # the words with a weight of their own (features.LEXICON_PREFIX)
    # For each way the model may overrule a rule ("supports>mentions"), the probability from which
    # it does: where such overrules were right at least OVERRULE_PRECISION of the time on held-out
    # folds (the training command chooses them). A way not listed never overrules.
    overrule_at: Mapping[str, float] = field(default_factory=dict)

    def overrules(self, rule_stance: str, stance: str, probability: float) -> bool:
        bar = self.overrule_at.get(f"{rule_stance}>{stance}")
        return bar is not None and probability >= bar

    # What each text's own features (features.text_features) add to the logits, by (side, text):
    # a passage meets many claims and a claim many passages, so a judgement adds up only the
    # features of the pair. Emptied with the parsers' memo (memo.forget_parsed).
    _text_logits: dict[tuple[str, str], Logits] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        forgotten_with_the_rest(self._text_logits.clear)

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """The calibrated probability of each stance for one passage."""
        return self._softmax(self._added(self.intercepts, features))

    def passage_probabilities(self, analysis: ClaimAnalysis, rule: Judgement, weight: Weight) -> dict[str, float]:
        """``probabilities(passage_features(analysis, rule, weight, lexicon))``, added up in parts:
        the pair's features, and each text's own, remembered."""
        passage_text, claim_text = rule.passage.text, analysis.claim.text
        passage, claim = text_cues(passage_text), text_cues(claim_text)
        pair = pair_features(analysis, rule, weight, passage, claim)
        first, second, third, fourth = self._added(self.intercepts, pair)
        in_passage = self._text_share(PASSAGE, passage_text, passage)
        in_claim = self._text_share(CLAIM, claim_text, claim)
        return self._softmax(
            (
                first + in_passage[0] + in_claim[0],
                second + in_passage[1] + in_claim[1],
                third + in_passage[2] + in_claim[2],
                fourth + in_passage[3] + in_claim[3],
            )
        )

    def _text_share(self, side: str, text: str, cues: TextCues) -> Logits:
        key = (side, text)
        found = self._text_logits.get(key)
        if found is None:
            if len(self._text_logits) >= TEXT_LOGITS_MEMO_SIZE:
                self._text_logits.clear()  # bounded: emptied when full, as the pairs' memo is
            found = self._text_logits[key] = self._added(NO_LOGITS, text_features(cues, side, self.lexicon))
        return found

    def _added(self, logits: tuple[float, ...], features: Mapping[str, float]) -> Logits:
        """``logits`` plus the weighted features (a feature the model does not know weighs nothing)."""
        # Four stances, unrolled: this is the one loop every judgement runs.
        first, second, third, fourth = logits
        table = self.weights
        for name, value in features.items():
            weights = table.get(name)
            if weights is not None:
                first += weights[0] * value
                second += weights[1] * value
                third += weights[2] * value
                fourth += weights[3] * value
        return first, second, third, fourth

    def _softmax(self, logits: Logits) -> dict[str, float]:
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = sum(exps)
        return {stance: exp / total for stance, exp in zip(self.classes, exps, strict=True)}

    def stance(self, probabilities: Mapping[str, float]) -> str:
        """The stance decided for one passage: the most probable. The aggregation's biases are not
        applied here: they make a few passages' mean outvote a rare stance's prior in an article,
        and on a single passage they would turn every uncertain one into a conflict."""
        return max(self.classes, key=probabilities.__getitem__)


def model_from_data(data: Mapping[str, Any]) -> StanceModel:
    if data.get("format") != MODEL_FORMAT:
        raise ModelFileError(f"model format {data.get('format')!r}, this engine reads {MODEL_FORMAT}")
    classes = tuple(data["classes"])
    if sorted(classes) != sorted(STANCES):
        raise ModelFileError(f"model stances {classes}, expected {STANCES}")
    unknown = [
        name
        for name in data["features"]
        if name not in FEATURE_NAMES and not name.startswith((REASON_PREFIX, LEXICON_PREFIX))
    ]
    if unknown:
        raise ModelFileError(f"the model uses features this engine does not compute: {unknown}")
    weights = {
        name: tuple(float(data["weights"][stance][index]) for stance in classes)
        for index, name in enumerate(data["features"])
    }
    aggregation = Aggregation(**data["aggregation"])
    intercepts = tuple(float(data["intercepts"][stance]) for stance in classes)
    lexicon = frozenset(name.removeprefix(LEXICON_PREFIX) for name in weights if name.startswith(LEXICON_PREFIX))
    bars = data.get("overrule_at", {})
    # A single probability (an older file) is the bar for every way of overruling.
    overrule_at = (
        {f"{a}>{b}": float(bars) for a in classes for b in classes if a != b}
        if isinstance(bars, int | float)
        else {str(way): float(bar) for way, bar in bars.items()}
    )
    return StanceModel(classes, intercepts, weights, aggregation, data.get("card", {}), lexicon, overrule_at)


def load_model(path: Path = MODEL_PATH) -> StanceModel:
    return model_from_data(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped_model() -> StanceModel:
    """The model shipped with the engine, read once per process."""
    return load_model()


def decide(
    analysis: ClaimAnalysis,
    passage: CandidatePassage,
    weight: Weight = unweighted,
    model: StanceModel | None = None,
) -> Judgement:
    """The stance of ``passage`` towards the analysed claim: the model decides, the rules explain."""
    return decision(analysis, passage, weight, model)[0]


def decision(
    analysis: ClaimAnalysis,
    passage: CandidatePassage,
    weight: Weight = unweighted,
    model: StanceModel | None = None,
) -> tuple[Judgement, dict[str, float]]:
    """``decide``'s judgement and the model's probabilities as computed (the judgement's details
    hold them rounded): what bench/decisions.py records to show an optimisation changed nothing."""
    model = model or shipped_model()
    rule = judge(analysis, passage, weight)
    probabilities = model.passage_probabilities(analysis, rule, weight)
    return explained(rule, analysis, model, probabilities), probabilities


def explained(
    rule: Judgement, analysis: ClaimAnalysis, model: StanceModel, probabilities: Mapping[str, float]
) -> Judgement:
    """The rule's judgement with the model's stance and probability, and the overrule recorded."""
    stance = model.stance(probabilities)
    probability = probabilities[stance]
    shown = {name: round(value, 4) for name, value in probabilities.items()}
    details: dict[str, Any] = {
        **rule.details,
        "model": {"stance": stance, "probability": shown[stance], "probabilities": shown},
    }
    if stance == rule.stance:
        return revised(rule, score=_score(rule, stance, shown[stance]), details=details)
    if not model.overrules(rule.stance, stance, probability) or _report_confirms(analysis, rule, stance):
        # Not sure enough to overrule, or a report that confirms: the rule stands, the dissent is on record.
        return revised(rule, details=details)
    details["rule_stance"] = rule.stance
    details["rule_reason"] = rule.reason
    reason = REPORTED if stance == MENTIONS and rule.stance == SUPPORTS else rule.reason
    return revised(rule, stance=stance, reason=reason, score=_score(rule, stance, shown[stance]), details=details)


def revised(judgement: Judgement, **changes: Any) -> Judgement:
    """``dataclasses.replace(judgement, **changes)`` at a quarter of its cost: every judgement the
    learned layer makes is one, and replace checks each field and passes it through the frozen
    dataclass's __init__. A copy of the fields is the same judgement, as a Judgement has no
    __post_init__ (tests/crosscheck/test_learned.py checks both)."""
    copy = object.__new__(Judgement)
    copy.__dict__.update(judgement.__dict__, **changes)
    return copy


def _report_confirms(analysis: ClaimAnalysis, rule: Judgement, stance: str) -> bool:
    """A claim about what someone said (a quotation, reported speech, a claimant's denial) is
    confirmed by a passage reporting that they said it: the model's "report" does not withdraw
    the rule's support there ("Korva's ministry said the strike hit a hub" is what outlets report).
    Nor for a claim that keeps its own distance ("is believed to include a few hundred"): a passage
    repeating it as a belief says just what it says (the rules' in_its_voice reads it so too)."""
    says = bool(analysis.quotations) or (bool(analysis.claim.claimant) and analysis.is_denial) or analysis.hedged
    return says and rule.stance == SUPPORTS and stance == MENTIONS


def _score(rule: Judgement, stance: str, probability: float) -> float:
    """A decided stance is as strong as the model's probability of it (as shown, to 4 decimals); a
    mention or an unrelated passage keeps the rules' score (its relatedness), which orders what the
    reviewer reads."""
    return probability if stance in (SUPPORTS, CONFLICTS) else rule.score


def model_probabilities(judgement: Judgement) -> Mapping[str, float]:
    """The model's probability of each stance for a judgement ``decide`` made ({} for a rule's)."""
    return judgement.details.get("model", {}).get("probabilities", {})
