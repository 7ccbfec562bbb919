"""How worth checking a passage is: a learned model decides, the rules explain. Pure: no Django,
no numpy, no scikit-learn.

The score is the probability a logistic regression gives (calibrated: a passage scoring
0.7 is check-worthy about 7 times in 10 on held-out data). It reads two kinds of features:
the passage's words and word pairs (TF-IDF, over the engine's own tokenizer) and the rule
features of ``claims.py`` (a figure, an attribution, a quotation, a question, an opinion…).
The reasons a reviewer sees are the rule features that fired, as before. Passages that are
not prose at all (a byline, an image credit, a bare link) are never shown to the model: the
rules veto them.

The model is trained offline by ``python -m training.checkworthiness`` and shipped as JSON
(models/checkworthiness.json, with its card models/checkworthiness.md). Training and serving
share ``model_terms`` and ``rule_reasons`` below, so they read a passage the same way.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from factcheck.crosscheck.claims import not_prose_reason, rule_features
from factcheck.crosscheck.words import TOKEN as _TOKEN  # the engine's one tokenizer: imported, never copied

MODEL_FILE = Path(__file__).resolve().parent / "models" / "checkworthiness.json"
# Bumped whenever the features or their arithmetic change; a model of another format is refused.
MODEL_FORMAT = "checkworthiness-logistic/1"
# Every number is one word to the model: which number a debate mentioned says nothing about
# whether a news passage's number is worth checking.
NUMBER_TOKEN = "<num>"  # noqa: S105 (a word, not a password); the tokenizer never yields "<"
# Passages that are not prose at all score this, whatever else they contain.
NOT_PROSE_SCORE = 0.02
# Scores are stored and compared with this many decimals (the threshold too).
SCORE_DECIMALS = 3


class ModelMismatch(ValueError):
    """The model file does not fit this code (format, tokenizer or rule features); retrain it."""


@dataclass(frozen=True)
class Worthiness:
    score: float
    reasons: tuple[str, ...]


def score_worthiness(text: str) -> Worthiness:
    """How worth checking a passage is, in [0, 1], with the rule features that fired."""
    return shipped_model().score(text)


def claim_threshold() -> float:
    """The score at or above which a passage becomes a candidate claim: chosen on held-out
    data when the model was trained, and shipped with it."""
    return shipped_model().threshold


# --- What the model reads (shared with training) ----------------------------------------------


def model_tokens(text: str) -> list[str]:
    """The engine's word tokenizer over lowercased text, every number one token."""
    return [NUMBER_TOKEN if _has_digit(token) else token for token in _TOKEN.findall(text.lower())]


def model_terms(text: str) -> list[str]:
    """Words and adjacent word pairs ("a b"), as scikit-learn's word n-grams (1, 2) spell them."""
    tokens = model_tokens(text)
    return tokens + [f"{first} {second}" for first, second in itertools.pairwise(tokens)]


def rule_reasons(text: str) -> tuple[str, ...]:
    """The rule features that fired on a (stripped) passage: the model's rule inputs and the
    reasons a reviewer sees."""
    return tuple(name for name, fired in rule_features(text) if fired)


def rule_feature_names() -> tuple[str, ...]:
    """Every rule feature, in the order the rules list them (and training's columns)."""
    return tuple(name for name, _fired in rule_features(""))


def _has_digit(token: str) -> bool:
    return any(character.isdigit() for character in token)


# --- The model ----------------------------------------------------------------------------------


class Term(NamedTuple):
    idf: float
    weight: float


@dataclass(frozen=True)
class WorthinessModel:
    """A logistic regression over L2-normalised sublinear TF-IDF terms plus 0/1 rule features."""

    intercept: float
    rule_weights: Mapping[str, float]
    terms: Mapping[str, Term]
    threshold: float

    def score(self, text: str) -> Worthiness:
        stripped = text.strip()
        not_prose = not_prose_reason(stripped)
        if not_prose:
            return Worthiness(NOT_PROSE_SCORE, (not_prose,))
        reasons = rule_reasons(stripped)
        return Worthiness(round(self.probability(stripped, reasons), SCORE_DECIMALS), reasons)

    def probability(self, text: str, reasons: Iterable[str]) -> float:
        return _sigmoid(self.log_odds(model_terms(text), reasons))

    def log_odds(self, terms: Sequence[str], reasons: Iterable[str]) -> float:
        return self.intercept + self._terms_log_odds(terms) + sum(self.rule_weights.get(r, 0.0) for r in reasons)

    def _terms_log_odds(self, terms: Sequence[str]) -> float:
        # scikit-learn's TfidfVectorizer(sublinear_tf=True, norm="l2"): (1 + ln count) * idf,
        # scaled to unit length over the terms the vocabulary knows.
        table = self.terms
        counts: dict[str, int] = {}
        for term in terms:
            if term in table:
                counts[term] = counts.get(term, 0) + 1
        dot = squares = 0.0
        for term, count in counts.items():
            idf, weight = table[term]
            value = idf if count == 1 else (1.0 + math.log(count)) * idf
            dot += value * weight
            squares += value * value
        return dot / math.sqrt(squares) if squares else 0.0


def _sigmoid(log_odds: float) -> float:
    if log_odds < 0:  # never exp() of a large positive number
        odds = math.exp(log_odds)
        return odds / (1.0 + odds)
    return 1.0 / (1.0 + math.exp(-log_odds))


def model_from_json(data: Mapping[str, Any]) -> WorthinessModel:
    """The model a JSON document describes, refused if it does not fit this code."""
    if data.get("format") != MODEL_FORMAT:
        raise ModelMismatch(f"model format {data.get('format')!r}, this code reads {MODEL_FORMAT!r}")
    tokenizer = data.get("tokenizer", {})
    if tokenizer.get("pattern") != _TOKEN.pattern or tokenizer.get("number_token") != NUMBER_TOKEN:
        raise ModelMismatch(f"model tokenizer {tokenizer!r} is not the engine's ({_TOKEN.pattern!r})")
    if tuple(data["rule_weights"]) != rule_feature_names():
        raise ModelMismatch(f"model rule features {list(data['rule_weights'])} are not the engine's")
    return WorthinessModel(
        intercept=float(data["intercept"]),
        rule_weights={name: float(weight) for name, weight in data["rule_weights"].items()},
        terms={term: Term(float(idf), float(weight)) for term, (idf, weight) in data["terms"].items()},
        threshold=float(data["threshold"]),
    )


def load_model(path: Path = MODEL_FILE) -> WorthinessModel:
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def shipped_model() -> WorthinessModel:
    """The model in the repository, read once per process (on first use: training imports this
    module before a model file exists)."""
    return load_model()
