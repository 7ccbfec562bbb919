"""python -m training.stance [--folds 5] [--out factcheck/crosscheck/models/stance.json] [--no-write]
                             [--desk-labels FILE ...]

Trains the learned stance layer (factcheck/crosscheck/learned.py) on the training splits of
FNC-1, ARC and Emergent, prints cross-validated figures for the rules alone and for the model,
and writes the model file. Reproducible: fixed folds and a deterministic solver; re-run it after
the rules change (their reason codes are features, read from what ``judge`` says now).

The passage-level training set (the service judges passages; FNC-1 and ARC label whole bodies):
- a body is split into passages as ingestion splits a source, with term statistics counted over
  all the data set's passages, and only passages sharing a word with the claim are judged (the
  ones retrieval would bring);
- the ``POSITIVE_PASSAGES`` passages most related to the headline carry the body's label (they
  are where an article agrees, refutes or reports), and for an unrelated pair they carry
  "unrelated" (they are the ones most easily mistaken for related); the others are not trained on;
- an Emergent headline is a passage, with its label;
- so is each passage of the desk's own labels (``--desk-labels``, files written by ``manage.py
  export_stance_labels``): the reviewers' corrections of the checker. They are trained on in every
  fold and never held out: the figures stay those of the public data, which nobody here wrote.

Folds are grouped by FNC-1 and ARC story (training.datasets.stories: bodies linked by the headlines
they are related to) and by Emergent claim, so no story or claim is on both sides. The aggregation's
few parameters (learned.Aggregation) are tuned on the other folds' held-out predictions for each
fold's figures (cross-fitting), and on all of them for the shipped model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import pickle
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from factcheck.crosscheck.articles import FNC_LABELS, article_passages, headline_analysis, passage_idf
from factcheck.crosscheck.features import (
    FEATURE_NAMES,
    LEXICON_PREFIX,
    REASON_PREFIX,
    lexicon_features,
    passage_features,
    shares_content,
    text_cues,
)
from factcheck.crosscheck.learned import MODEL_FORMAT, MODEL_PATH, STANCES
from factcheck.crosscheck.stance import CONFLICTS, MENTIONS, SUPPORTS, UNRELATED, judge
from training.datasets import Corpus, load_arc, load_desk, load_emergent, load_fnc1

POSITIVE_PASSAGES = 2
REFUTING_RANK = 6
# What makes a passage of a refuting article one of its conflicts: a refuting word in it, or a
# refuting word or a negation near the words it shares with the claim (features.text_cues).
REFUTING_CUES = ("passage_refute", "near_refute", "near_negation")
# The lexicon: the words most associated (chi-squared) with supports / conflicts / mentions among the
# labelled passages of the training folds, among words seen with at least LEXICON_MIN_CLAIMS distinct
# claims in each of FNC-1 (news stories) and ARC (opinion posts on other subjects): a word of one
# story ("ISIS", "Ebola", "iPhone") says nothing of the next story's stance, and FNC-1 tells many
# articles of each story, so a count of its claims alone lets story words in.
LEXICON_SIZE = 100
LEXICON_MIN_CLAIMS = 10
LEXICON_DATASETS = ("fnc1", "arc")
SEED = 14
# The service lets the model overrule a rule only from the probability at which, on held-out folds,
# its overrules were right this often: the rules check what the public data does not label
# (figures, quotations and their speakers), and a reviewer should meet few confident mistakes.
OVERRULE_PRECISION = 0.95
OVERRULE_MIN_PASSAGES = 100
# Emergent's 2,000 headlines would weigh little beside FNC-1's 54,000 passages, and they are the
# nearest thing to a passage-level label there is: each counts as this many. The weight and the
# regularisation (C, the inverse strength) were chosen on the cross-validated figures (2026-12-07:
# Emergent weights 4, 6, 9, 12 and C 1.0, 0.3; 9 and 0.3 kept FNC-1 and raised Emergent 0.727 -> 0.734).
DATASET_WEIGHT = {"fnc1": 1.0, "arc": 1.0, "emergent": 9.0, "desk": 9.0}
# Data sets whose every judged passage carries its own label (a headline, a passage a reviewer read).
PASSAGE_LABELLED = frozenset({"emergent", "desk"})
# The desk's labels: trained on, never held out or scored (see the docstring).
DESK = "desk"
C = 0.3
SIDES = (SUPPORTS, CONFLICTS, MENTIONS)
# The grid search works on stance indices in STANCES (the sides first, then unrelated).
CODES = tuple(range(len(STANCES)))
UNRELATED_CODE = STANCES.index(UNRELATED)
GRID_RELATED_AT = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
GRID_TOP = (1, 2, 3)
GRID_CONFLICT_BIAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)
GRID_SUPPORT_BIAS = (0.7, 0.85, 1.0, 1.2, 1.5)


# --- Judging the data sets with the rules ------------------------------------------------------


@dataclass
class Judged:
    """Every judged passage of every pair of one data set, in pair order."""

    dataset: str
    gold: list[str]  # per pair
    groups: list[str]  # per pair
    row_pair: list[int] = field(default_factory=list)  # per judged passage: its pair
    features: list[dict[str, float]] = field(default_factory=list)
    rule_stance: list[str] = field(default_factory=list)
    label: list[str | None] = field(default_factory=list)  # the weak passage label, None = not trained on
    words: list[frozenset[str]] = field(default_factory=list)  # per judged passage, for the lexicon
    claims: list[str] = field(default_factory=list)  # per pair
    seconds: float = 0.0


def judge_corpus(corpus: Corpus, *, every_passage: bool = False) -> Judged:
    """Judge each pair's passages with the rules and read their features; ``every_passage``
    judges a passage even when it shares no word with the claim (an Emergent headline is the
    outlet's only passage, and it is labelled)."""
    started = time.perf_counter()
    passages = {body_id: article_passages(text) for body_id, text in corpus.bodies.items()}
    weight = passage_idf(p.text for body in passages.values() for p in body)
    dataset = corpus.pairs[0].dataset
    judged = Judged(dataset, [p.stance for p in corpus.pairs], [p.group for p in corpus.pairs])
    judged.claims = [p.claim for p in corpus.pairs]
    analyses: dict[str, Any] = {}
    # Pair by pair in body order, so each body's parsed passages stay in the parsers' memo.
    for index in sorted(range(len(corpus.pairs)), key=lambda i: corpus.pairs[i].body_id):
        pair = corpus.pairs[index]
        analysis = analyses.get(pair.claim)
        if analysis is None:
            analysis = analyses[pair.claim] = headline_analysis(pair.claim)
        rows = []
        for passage in passages[pair.body_id]:
            if every_passage or shares_content(analysis, passage.text):
                rule = judge(analysis, passage, weight)
                rows.append((passage_features(analysis, rule, weight), rule.stance, text_cues(passage.text).words))
        rows.sort(key=lambda row: -row[0].get("relatedness", 0.0))
        for features, rule_stance, words in rows:
            judged.words.append(words)
            judged.row_pair.append(index)
            judged.features.append(features)
            judged.rule_stance.append(rule_stance)
    judged.seconds = time.perf_counter() - started
    judged.label = weak_labels(judged)
    return judged


def weak_labels(judged: Judged) -> list[str | None]:
    """Each judged passage's training label (None: not trained on). A pair's passages come most
    related first; the POSITIVE_PASSAGES first carry the pair's label. A refuting article is the
    exception: it often restates the rumour first and refutes it a few sentences on, so among its
    REFUTING_RANK most related passages those that say something refuting (REFUTING_CUES) are its
    conflicts, and the others are not trained on: a restatement labelled a conflict would teach that
    repeating a claim disputes it."""
    labels: list[str | None] = []
    rank, previous = 0, -1
    for pair, features in zip(judged.row_pair, judged.features, strict=True):
        rank = rank + 1 if pair == previous else 0
        previous = pair
        gold = judged.gold[pair]
        if judged.dataset in PASSAGE_LABELLED:
            labels.append(gold)  # a headline, or a passage a reviewer corrected, is one passage: its label is its own
        elif gold == CONFLICTS:
            refutes = rank < REFUTING_RANK and any(features.get(cue) for cue in REFUTING_CUES)
            labels.append(CONFLICTS if refutes else None)
        else:
            labels.append(gold if rank < POSITIVE_PASSAGES else None)
    return labels


def rules_article_stance(rule_stances: Sequence[str]) -> str:
    """Today's engine, read as an article stance the way the assessment reads it: any conflict
    contradicts, else any support agrees, else any related mention discusses."""
    for stance in (CONFLICTS, SUPPORTS, MENTIONS):
        if stance in rule_stances:
            return stance
    return UNRELATED


# --- Scoring -----------------------------------------------------------------------------------


def fnc_score(gold: Sequence[Any], predicted: Sequence[Any], unrelated: Any = UNRELATED) -> float:
    """The official FNC-1 score as a share of the best possible: 0.25 for getting related vs
    unrelated right, and 0.75 more for the exact stance of a related pair."""
    truth, guess = np.asarray(gold), np.asarray(predicted)
    related = truth != unrelated
    score = 0.25 * np.sum(related == (guess != unrelated)) + 0.75 * np.sum(related & (truth == guess))
    best = 0.25 * len(truth) + 0.75 * np.sum(related)
    return float(score / best) if best else 0.0


def macro_f1(gold: np.ndarray, predicted: np.ndarray, labels: Sequence[Any]) -> float:
    """Macro-F1, vectorised (the grid search calls it thousands of times)."""
    scores = []
    for label in labels:
        truth, guess = gold == label, predicted == label
        both = np.sum(truth & guess)
        total = np.sum(truth) + np.sum(guess)
        scores.append(2 * both / total if total else 0.0)
    return float(np.mean(scores))


def class_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    scores = f1_score(gold, predicted, labels=list(labels), average=None, zero_division=0)
    return {FNC_LABELS.get(label, label): round(float(s), 3) for label, s in zip(labels, scores, strict=True)}


def figures(dataset: str, gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    if dataset == "emergent":
        accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
        return {"accuracy": round(accuracy, 3), "f1": class_f1(gold, predicted, SIDES)}
    per_class = class_f1(gold, predicted, STANCES)
    return {
        "fnc_score": round(fnc_score(gold, predicted), 4),
        "macro_f1": round(sum(per_class.values()) / len(per_class), 3),
        "f1": per_class,
    }


# --- The passage model ------------------------------------------------------------------------


def feature_names(judged: Sequence[Judged]) -> list[str]:
    """The engine's features, and the rules' reason codes seen in the data (sorted: reproducible)."""
    reasons = sorted({name for j in judged for row in j.features for name in row if name.startswith(REASON_PREFIX)})
    return [*FEATURE_NAMES, *reasons]


def matrix(rows: Sequence[dict[str, float]], names: Sequence[str]) -> sparse.csr_matrix:
    column = {name: index for index, name in enumerate(names)}
    indptr, indices, values = [0], [], []
    for row in rows:
        for name, value in row.items():
            if name in column:
                indices.append(column[name])
                values.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix((values, indices, indptr), shape=(len(rows), len(names)), dtype=np.float64)


@dataclass(frozen=True)
class Fitted:
    model: LogisticRegression
    mean: np.ndarray
    scale: np.ndarray

    def probabilities(self, x: sparse.csr_matrix) -> np.ndarray:
        """Columns in STANCES order."""
        raw = self.model.predict_proba((x.toarray() - self.mean) / self.scale)
        order = [list(self.model.classes_).index(stance) for stance in STANCES]
        return raw[:, order]


def fit(x: sparse.csr_matrix, y: Sequence[str], weights: np.ndarray) -> Fitted:
    dense = x.toarray()
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=500, tol=1e-3, random_state=SEED)
    model.fit((dense - mean) / scale, y, sample_weight=weights)
    return Fitted(model, mean, scale)


def exported(fitted: Fitted) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Weights per stance on the raw features: the standardisation folded in."""
    classes = list(fitted.model.classes_)
    weights, intercepts = {}, {}
    for stance in STANCES:
        row = fitted.model.coef_[classes.index(stance)] / fitted.scale
        weights[stance] = [round(float(w), 6) for w in row]
        intercepts[stance] = round(float(fitted.model.intercept_[classes.index(stance)] - row @ fitted.mean), 6)
    return weights, intercepts


def select_lexicon(judged: Sequence[Judged], chosen: dict[str, np.ndarray]) -> list[str]:
    """The LEXICON_SIZE words that best tell the sides apart in the chosen (training) rows."""
    per_class: dict[str, Counter[str]] = {side: Counter() for side in SIDES}
    claims_of: dict[str, set[str]] = defaultdict(set)
    datasets = [j.dataset for j in judged if j.dataset in LEXICON_DATASETS]
    for j in judged:
        for row in np.flatnonzero(chosen[j.dataset]):
            label = j.label[row]
            if label in per_class:
                per_class[label].update(j.words[row])
                for word in j.words[row]:
                    claims_of[word].add(f"{j.dataset}:{j.claims[j.row_pair[row]]}")
    totals = {
        side: sum(1 for j in judged for r in np.flatnonzero(chosen[j.dataset]) if j.label[r] == side) for side in SIDES
    }
    rows = sum(totals.values())
    scores = {}
    for word, claims in claims_of.items():
        if word.isdigit() or any(
            sum(claim.startswith(f"{dataset}:") for claim in claims) < LEXICON_MIN_CLAIMS for dataset in datasets
        ):
            continue
        present = sum(per_class[side][word] for side in SIDES)
        chi2 = 0.0
        for side in SIDES:
            for observed, expected in (
                (per_class[side][word], present * totals[side] / rows),
                (totals[side] - per_class[side][word], (rows - present) * totals[side] / rows),
            ):
                chi2 += (observed - expected) ** 2 / expected if expected else 0.0
        scores[word] = chi2
    return sorted(sorted(scores, key=lambda w: (-scores[w], w))[:LEXICON_SIZE])


def with_lexicon(j: Judged, lexicon: Sequence[str]) -> list[dict[str, float]]:
    words = frozenset(lexicon)
    return [
        {**features, **lexicon_features(row_words, words)}
        for features, row_words in zip(j.features, j.words, strict=True)
    ]


# --- Aggregation, vectorised for the grid search ----------------------------------------------


@dataclass(frozen=True)
class PairTable:
    """Per pair: the most related passage's relatedness and, for each ``top``, the mean probability
    of each side over that many most related passages (the inputs of articles.aggregate)."""

    most_related: np.ndarray  # (pairs,)
    most_refuting: np.ndarray  # (pairs,): the largest probability of conflicts over all the pair's passages
    means: dict[int, np.ndarray]  # top -> (pairs, 3) in SIDES order


def pair_table(pairs: int, row_pair: np.ndarray, probabilities: np.ndarray) -> PairTable:
    unrelated = STANCES.index(UNRELATED)
    order = np.lexsort((probabilities[:, unrelated], row_pair))  # by pair, most related first
    pair_of, ordered = row_pair[order], probabilities[order]
    present, first = np.unique(pair_of, return_index=True)
    rank = np.arange(len(pair_of)) - np.repeat(first, np.diff(np.append(first, len(pair_of))))
    most_related = np.zeros(pairs)
    most_related[present] = 1.0 - ordered[first, unrelated]
    means = {}
    for top in GRID_TOP:
        chosen = rank < top
        sums = np.zeros((pairs, len(SIDES)))
        np.add.at(sums, pair_of[chosen], ordered[chosen][:, : len(SIDES)])
        counts = np.bincount(pair_of[chosen], minlength=pairs)
        mean = np.tile([0.0, 0.0, 1.0], (pairs, 1))  # a pair with nothing judged only reports, as aggregate says
        mean[counts > 0] = sums[counts > 0] / counts[counts > 0, None]
        means[top] = mean
    most_refuting = np.zeros(pairs)
    np.maximum.at(most_refuting, pair_of, ordered[:, STANCES.index(CONFLICTS)])
    return PairTable(most_related, most_refuting, means)


@dataclass(frozen=True)
class Params:
    related_at: float
    top: int
    conflict_bias: float
    support_bias: float
    any_refutation: bool

    def as_aggregation(self) -> dict[str, Any]:
        bias = {SUPPORTS: self.support_bias, CONFLICTS: self.conflict_bias, MENTIONS: 1.0, UNRELATED: 1.0}
        return {"related_at": self.related_at, "top": self.top, "bias": bias, "any_refutation": self.any_refutation}


def predict_pairs(table: PairTable, params: Params, *, related: bool) -> np.ndarray:
    """Each pair's stance as its index in STANCES (SIDES are its first three), as articles.aggregate decides it."""
    bias = np.array([params.support_bias, params.conflict_bias, 1.0])
    means = table.means[params.top]
    if params.any_refutation:
        means = means.copy()
        means[:, 1] = np.maximum(means[:, 1], table.most_refuting)
    sides = np.argmax(means * bias, axis=1)
    if related:
        return sides
    return np.where(table.most_related < params.related_at, UNRELATED_CODE, sides)


def objective(tables: dict[str, tuple[PairTable, np.ndarray]], params: Params, mask: dict[str, np.ndarray]) -> float:
    """What the aggregation is tuned for: FNC-1's score and macro-F1 (the score alone all but ignores
    the rare refutations), Emergent's accuracy and ARC's macro-F1, equally."""
    total = 0.0
    for dataset, (table, gold) in tables.items():
        chosen = mask[dataset]
        predicted = predict_pairs(table, params, related=dataset == "emergent")[chosen]
        truth = gold[chosen]
        if dataset == "fnc1":
            total += fnc_score(truth, predicted, UNRELATED_CODE) + macro_f1(truth, predicted, CODES)
        elif dataset == "emergent":
            total += float(np.mean(truth == predicted))
        else:
            total += macro_f1(truth, predicted, CODES)
    return total


def tune(tables: dict[str, tuple[PairTable, np.ndarray]], mask: dict[str, np.ndarray]) -> Params:
    grid = itertools.product(GRID_RELATED_AT, GRID_TOP, GRID_CONFLICT_BIAS, GRID_SUPPORT_BIAS, (False, True))
    return max((Params(*values) for values in grid), key=lambda params: objective(tables, params, mask))


# --- Calibration ---------------------------------------------------------------------------


def brier(probabilities: np.ndarray, labels: Sequence[str]) -> float:
    truth = np.array([[label == stance for stance in STANCES] for label in labels], dtype=float)
    return float(np.mean(np.sum((probabilities - truth) ** 2, axis=1)))


def reliability(probabilities: np.ndarray, labels: Sequence[str], bins: int = 10) -> list[dict[str, Any]]:
    """Top-label reliability: passages binned by the probability of the stance the model picks."""
    picked = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    correct = np.array([STANCES[i] == label for i, label in zip(picked, labels, strict=True)])
    table = []
    for low in np.linspace(0, 1, bins, endpoint=False):
        chosen = (confidence >= low) & (confidence < low + 1 / bins)
        if chosen.any():
            table.append(
                {
                    "bin": f"{low:.1f}-{low + 1 / bins:.1f}",
                    "passages": int(chosen.sum()),
                    "mean_probability": round(float(confidence[chosen].mean()), 3),
                    "accuracy": round(float(correct[chosen].mean()), 3),
                }
            )
    return table


def overrule_threshold(probabilities: np.ndarray, labels: Sequence[str], rules: Sequence[str]) -> dict[str, Any]:
    """For each way the model can overrule a rule ("supports>mentions": the rule said supports, the
    model a report), the lowest probability from which such overrules were right at least
    OVERRULE_PRECISION of the time on the held-out folds, over at least OVERRULE_MIN_PASSAGES; a
    direction with no such probability is left out (the rule stands there)."""
    picked = np.array(STANCES)[probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    truth, rule = np.array(labels), np.array(rules)
    bars: dict[str, float] = {}
    found: dict[str, dict[str, Any]] = {}
    for ruled in STANCES:
        for decided in STANCES:
            if ruled == decided:
                continue
            direction = (rule == ruled) & (picked == decided)
            for threshold in np.arange(0.5, 1.0, 0.01):
                mask = direction & (confidence >= threshold)
                if mask.sum() < OVERRULE_MIN_PASSAGES:
                    break
                if np.mean(picked[mask] == truth[mask]) >= OVERRULE_PRECISION:
                    key = f"{ruled}>{decided}"
                    bars[key] = round(float(threshold), 2)
                    found[key] = {
                        "overrules": int(mask.sum()),
                        "overrules_right": round(float(np.mean(picked[mask] == truth[mask])), 3),
                        "rule_right_there": round(float(np.mean(rule[mask] == truth[mask])), 3),
                    }
                    break
    return {"overrule_at": bars, "directions": found}


# --- The run ---------------------------------------------------------------------------------


def cross_validate(judged: list[Judged], names: list[str], folds: int) -> dict[str, Any]:
    """Held-out passage probabilities for every pair, fold by fold, and the figures they give."""
    fold_of_pair = {}
    for j in judged:
        if j.dataset == DESK:
            fold_of_pair[j.dataset] = np.full(len(j.gold), -1)  # in every fold's training, no fold's held-out
            continue
        splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
        pair_folds = np.zeros(len(j.gold), dtype=int)
        for fold, (_, held) in enumerate(splitter.split(np.zeros(len(j.gold)), groups=j.groups)):
            pair_folds[held] = fold
        fold_of_pair[j.dataset] = pair_folds
    out_of_fold = {j.dataset: np.zeros((len(j.features), len(STANCES))) for j in judged}
    scored = [j for j in judged if j.dataset != DESK]
    for fold in range(folds):
        lexicon = select_lexicon(judged, {j.dataset: fold_of_pair[j.dataset][j.row_pair] != fold for j in judged})
        fold_names = [*names, *(LEXICON_PREFIX + word for word in lexicon)]
        x = {j.dataset: matrix(with_lexicon(j, lexicon), fold_names) for j in judged}
        train_x: list[sparse.csr_matrix] = []
        train_y: list[str] = []
        train_weights: list[float] = []
        for j in judged:
            row_fold = fold_of_pair[j.dataset][j.row_pair]
            keep = np.array([label is not None for label in j.label]) & (row_fold != fold)
            train_x.append(x[j.dataset][keep])
            train_y += [label for label, k in zip(j.label, keep, strict=True) if k and label is not None]
            train_weights += [DATASET_WEIGHT[j.dataset]] * int(keep.sum())
        fitted = fit(sparse.vstack(train_x).tocsr(), train_y, np.array(train_weights))
        for j in scored:
            held = fold_of_pair[j.dataset][j.row_pair] == fold
            out_of_fold[j.dataset][held] = fitted.probabilities(x[j.dataset][held])
        print(f"  fold {fold + 1}/{folds} trained on {len(train_y):,} passages", flush=True)
    tables = {
        j.dataset: (
            pair_table(len(j.gold), np.array(j.row_pair), out_of_fold[j.dataset]),
            np.array([STANCES.index(g) for g in j.gold]),
        )
        for j in scored
    }
    predicted = {j.dataset: np.zeros(len(j.gold), dtype=int) for j in scored}
    for fold in range(folds):
        others = {d: fold_of_pair[d] != fold for d in tables}
        params = tune(tables, others)
        for d, (table, _) in tables.items():
            held = fold_of_pair[d] == fold
            predicted[d][held] = predict_pairs(table, params, related=d == "emergent")[held]
    params = tune(tables, {d: np.ones(len(g), dtype=bool) for d, (_, g) in tables.items()})
    labelled = {j.dataset: [i for i, label in enumerate(j.label) if label is not None] for j in scored}
    all_probabilities = np.vstack([out_of_fold[j.dataset][labelled[j.dataset]] for j in scored])
    all_labels = [label for j in scored for label in j.label if label is not None]
    all_rules = [j.rule_stance[i] for j in scored for i in labelled[j.dataset]]
    return {
        "figures": {j.dataset: figures(j.dataset, j.gold, [STANCES[c] for c in predicted[j.dataset]]) for j in scored},
        "params": params,
        "brier": round(brier(all_probabilities, all_labels), 4),
        "brier_emergent": round(brier(out_of_fold["emergent"][labelled["emergent"]], _labels(judged, "emergent")), 4),
        "reliability": reliability(all_probabilities, all_labels),
        "overrule": overrule_threshold(all_probabilities, all_labels, all_rules),
    }


def _labels(judged: list[Judged], dataset: str) -> list[str]:
    j = next(j for j in judged if j.dataset == dataset)
    return [label for label in j.label if label is not None]


def rules_baseline(judged: Sequence[Judged]) -> dict[str, Any]:
    results = {}
    for j in judged:
        if j.dataset == DESK:
            continue
        by_pair: dict[int, list[str]] = defaultdict(list)
        for pair, stance in zip(j.row_pair, j.rule_stance, strict=True):
            by_pair[pair].append(stance)
        predicted = [rules_article_stance(by_pair.get(i, [])) for i in range(len(j.gold))]
        if j.dataset == "emergent":  # three classes: an unrelated verdict on a headline about the claim is a report
            predicted = [MENTIONS if p == UNRELATED else p for p in predicted]
        results[j.dataset] = figures(j.dataset, j.gold, predicted)
    return results


def print_figures(title: str, results: dict[str, Any]) -> None:
    print(f"\n{title}")
    for dataset, result in results.items():
        print(f"  {dataset:<9}", json.dumps(result))


def judge_all(cache: Path | None, desk_labels: Sequence[Path] = ()) -> list[Judged]:
    desk = [judge_desk(desk_labels)] if desk_labels else []
    if cache is not None and cache.is_file():
        with cache.open("rb") as handle:
            cached = list(pickle.load(handle))  # noqa: S301 - our own file, written below
        for j in cached:
            j.label = weak_labels(j)
        return cached + desk
    judged = []
    for load, every in ((load_fnc1, False), (load_arc, False), (load_emergent, True)):
        j = judge_corpus(load(), every_passage=every)
        print(
            f"{j.dataset}: {len(j.gold):,} pairs, {len(j.features):,} passages judged in {j.seconds:.1f} s "
            f"({len(j.features) / j.seconds:,.0f} judgements + features/s), "
            f"{sum(label is not None for label in j.label):,} labelled {dict(Counter(filter(None, j.label)))}",
            flush=True,
        )
        judged.append(j)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(judged, handle)
    return judged + desk


def judge_desk(paths: Sequence[Path]) -> Judged:
    """The desk's labels judged as Emergent's headlines are: each passage, with its own label."""
    corpus = load_desk(list(paths))
    if not corpus.pairs:
        raise SystemExit(f"no labels in {', '.join(map(str, paths))}")
    judged = judge_corpus(corpus, every_passage=True)
    print(
        f"desk: {len(judged.gold):,} labels from {', '.join(map(str, paths))} {dict(Counter(judged.gold))}", flush=True
    )
    return judged


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1] if __doc__ else None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-write", action="store_true", help="print the figures, do not write the model")
    parser.add_argument(
        "--judged-cache",
        type=Path,
        help="keep the judged passages in this file and reuse them (developing the model, the rules unchanged)",
    )
    parser.add_argument(
        "--desk-labels",
        type=Path,
        nargs="+",
        default=[],
        help="the desk's stance corrections (manage.py export_stance_labels), trained on, never scored",
    )
    options = parser.parse_args(argv)
    threadpool_limits(1)  # one core: the machine is shared
    judged = judge_all(options.judged_cache, options.desk_labels)
    baseline = rules_baseline(judged)
    print_figures("Rules alone (today's engine), read as article stances:", baseline)

    names = feature_names(judged)
    print(f"\nCross-validating ({options.folds} folds grouped by story / claim), {len(names)} features")
    cv = cross_validate(judged, names, options.folds)
    print_figures("Model (cross-validated; aggregation tuned on the other folds):", cv["figures"])
    print(f"\nPassage probabilities on held-out folds: Brier {cv['brier']} (4 stances; 0 is perfect, 0.75 uniform)")
    print(f"  Emergent headlines alone: Brier {cv['brier_emergent']}")
    print("  reliability (picked stance):")
    for row in cv["reliability"]:
        print(
            f"    {row['bin']}: {row['passages']:>7,} passages, "
            f"mean probability {row['mean_probability']}, right {row['accuracy']}"
        )
    print(f"\nAggregation tuned on all folds: {cv['params']}")
    print(f"Overruling the rules (passage level, held-out folds): {cv['overrule']}")
    if options.no_write:
        return

    lexicon = select_lexicon(judged, {j.dataset: np.ones(len(j.features), dtype=bool) for j in judged})
    names = [*names, *(LEXICON_PREFIX + word for word in lexicon)]
    print(f"Lexicon ({len(lexicon)} words): {' '.join(lexicon)}")
    x = sparse.vstack([matrix(with_lexicon(j, lexicon), names) for j in judged]).tocsr()
    labels = [label for j in judged for label in j.label]
    keep = np.array([label is not None for label in labels])
    weights = np.array([DATASET_WEIGHT[j.dataset] for j in judged for _ in j.label])[keep]
    fitted = fit(x[keep], [label for label in labels if label is not None], weights)
    weights, intercepts = exported(fitted)
    card = {
        "trained": dt.date.today().isoformat(),
        "command": "python -m training.stance",
        "data": "FNC-1, ARC and Emergent training splits (../shared/datasets)"
        + (f", and {len(options.desk_labels)} file(s) of the desk's labels" if options.desk_labels else ""),
        "desk_labels": sum(len(j.gold) for j in judged if j.dataset == DESK),
        "passages_trained_on": int(keep.sum()),
        "cross_validated": cv["figures"],
        "rules_alone": baseline,
        "brier": cv["brier"],
        "reliability": cv["reliability"],
        "overrule": cv["overrule"],
    }
    data = {
        "format": MODEL_FORMAT,
        "classes": list(STANCES),
        "features": names,
        "weights": weights,
        "intercepts": intercepts,
        "aggregation": cv["params"].as_aggregation(),
        "overrule_at": cv["overrule"]["overrule_at"],
        "card": card,
    }
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"\nWrote {options.out} ({options.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
