"""python -m training.checkworthiness [--datasets DIR] [--out PATH]

Trains the check-worthiness model the engine ships (factcheck/crosscheck/worthiness.py reads
it) and prints its figures. Development only: needs scikit-learn (requirements-dev.txt).

Data: the ClaimBuster training split (US presidential debate sentences, Arslan et al. 2020;
never its test split, which is not here) and the team's own news labels (every labelled
passage of factcheck/sample_data/articles, split as ingestion splits it). 20% of both, stratified
by genre and label, is held out for the figures and the threshold; the rest is
cross-validated (5 folds) to pick the regularisation, then fitted whole. Deterministic: one seed.

Features: the words and word pairs of ``worthiness.model_terms`` (TF-IDF, vocabulary from the
public debate sentences only, so no invented name of the team's corpus enters the model) and
the 0/1 rule features of ``worthiness.rule_reasons``. The figures are computed through the
served scorer reading the written JSON, so they are the shipped model's, not scikit-learn's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from factcheck.crosscheck.claims import not_prose_reason
from factcheck.crosscheck.text import split_passages
from factcheck.crosscheck.words import TOKEN as _TOKEN
from factcheck.crosscheck.worthiness import (
    MODEL_FILE,
    MODEL_FORMAT,
    NUMBER_TOKEN,
    SCORE_DECIMALS,
    WorthinessModel,
    model_from_json,
    model_terms,
    rule_feature_names,
    rule_reasons,
)
from factcheck.documents import read_document
from factcheck.evaluation import resolve_labels

REPO_ROOT = Path(__file__).resolve().parents[1]
# The shared public data sets sit beside the repository (../shared/datasets, read-only, never
# copied in); FACTCHECK_DATASETS or --datasets points elsewhere (e.g. from a git worktree).
DATASETS = Path(os.environ.get("FACTCHECK_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))
CLAIMBUSTER_TRAIN = Path("claimbuster") / "train.json"
TEAM_LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels" / "extraction.json"
TEAM_ARTICLES = REPO_ROOT / "factcheck" / "sample_data" / "articles"

SEED = 14
HELD_OUT_SHARE = 0.2
FOLDS = 5
# Inverse regularisation strengths tried by cross-validation (best mean ROC AUC wins).
C_GRID = (1.0, 3.0, 10.0)
# A word or pair must occur in at least this many debate sentences to be learned at all.
MIN_DOCUMENT_FREQUENCY = 2
# The team's news passages are few (188 against ~8,000 debate sentences) but they are the
# genre the service reads: each counts this many times in the fit.
NEWS_WEIGHT = 5.0
RELIABILITY_BINS = 10
DEBATE, NEWS = "debate", "news"
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Example:
    text: str
    label: int  # 1: check-worthy
    genre: str


# --- Data ----------------------------------------------------------------------------------------


def claimbuster_examples(path: Path) -> list[Example]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Example(row["text"], int(row["label"]), DEBATE) for row in rows]


def team_examples(labels_path: Path = TEAM_LABELS, articles: Path = TEAM_ARTICLES) -> list[Example]:
    """Every labelled passage of the sample corpus: a claim (1) or labelled "not a claim" (0)."""
    passages = {
        path.name: [span.text for span in split_passages(read_document(path, max_bytes=MAX_DOCUMENT_BYTES).text)]
        for path in sorted(articles.iterdir())
    }
    gold = resolve_labels(json.loads(labels_path.read_text(encoding="utf-8")), passages)
    return [
        Example(passages[name][position], int(group is not None), NEWS)
        for (name, position), group in sorted(gold.group_of.items())
    ]


# --- Features and fitting -------------------------------------------------------------------------


def rule_matrix(examples: Sequence[Example]) -> sparse.csr_matrix:
    names = rule_feature_names()
    rows = [set(rule_reasons(example.text.strip())) for example in examples]
    return sparse.csr_matrix(np.array([[float(name in fired) for name in names] for fired in rows]))


@dataclass
class Fitted:
    vectorizer: TfidfVectorizer
    classifier: LogisticRegression

    def probabilities(self, examples: Sequence[Example]) -> np.ndarray:
        return self.classifier.predict_proba(features(self.vectorizer, examples))[:, 1]


def features(vectorizer: TfidfVectorizer, examples: Sequence[Example]) -> sparse.csr_matrix:
    words = vectorizer.transform([example.text.strip() for example in examples])
    return sparse.hstack([words, rule_matrix(examples)]).tocsr()


def fit(examples: Sequence[Example], c: float) -> Fitted:
    # Passages the rules veto (bylines, credits, bare links) never reach the model: it learns
    # only from what it will be asked about.
    prose = [example for example in examples if not not_prose_reason(example.text.strip())]
    vectorizer = TfidfVectorizer(
        analyzer=model_terms, min_df=MIN_DOCUMENT_FREQUENCY, sublinear_tf=True, norm="l2", smooth_idf=True
    )
    vectorizer.fit([example.text.strip() for example in prose if example.genre == DEBATE])
    classifier = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    weights = np.array([NEWS_WEIGHT if example.genre == NEWS else 1.0 for example in prose])
    classifier.fit(features(vectorizer, prose), [example.label for example in prose], sample_weight=weights)
    return Fitted(vectorizer, classifier)


def model_json(fitted: Fitted, threshold: float) -> dict[str, Any]:
    """The fitted model in the shipped format (rounded: six decimals change no score's third)."""
    vocabulary = fitted.vectorizer.vocabulary_
    coefficients = fitted.classifier.coef_[0]
    idf = fitted.vectorizer.idf_
    rule_names = rule_feature_names()
    rule_offset = len(vocabulary)
    return {
        "format": MODEL_FORMAT,
        "tokenizer": {"pattern": _TOKEN.pattern, "lowercase": True, "number_token": NUMBER_TOKEN, "ngrams": [1, 2]},
        "tf": "sublinear, l2-normalised over known terms",
        "intercept": round(float(fitted.classifier.intercept_[0]), 6),
        "threshold": threshold,
        "rule_weights": {name: round(float(coefficients[rule_offset + i]), 6) for i, name in enumerate(rule_names)},
        "terms": {
            term: [round(float(idf[column]), 6), round(float(coefficients[column]), 6)]
            for term, column in sorted(vocabulary.items())
        },
    }


def served_scores(model: WorthinessModel, examples: Sequence[Example]) -> np.ndarray:
    return np.array([model.score(example.text).score for example in examples])


# --- Figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtThreshold:
    precision: float
    recall: float
    f1: float


def at_threshold(labels: np.ndarray, scores: np.ndarray, threshold: float) -> AtThreshold:
    predicted = scores >= threshold
    true_positives = int(np.sum(predicted & (labels == 1)))
    precision = true_positives / max(int(np.sum(predicted)), 1)
    recall = true_positives / max(int(np.sum(labels == 1)), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return AtThreshold(precision, recall, f1)


def best_f1_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The score maximising F1 (ties: the higher, fewer candidates for the same F1)."""
    candidates = sorted({round(float(score), SCORE_DECIMALS) for score in scores})
    return max(candidates, key=lambda threshold: (at_threshold(labels, scores, threshold).f1, threshold))


def reliability_table(labels: np.ndarray, scores: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for index in range(RELIABILITY_BINS):
        low, high = index / RELIABILITY_BINS, (index + 1) / RELIABILITY_BINS
        inside = (scores >= low) & ((scores < high) if index < RELIABILITY_BINS - 1 else (scores <= high))
        count = int(np.sum(inside))
        rows.append(
            {
                "bin": f"{low:.1f}-{high:.1f}",
                "passages": count,
                "mean_score": round(float(np.mean(scores[inside])), 3) if count else None,
                "share_worthy": round(float(np.mean(labels[inside])), 3) if count else None,
            }
        )
    return rows


def figures(examples: Sequence[Example], scores: np.ndarray, threshold: float) -> dict[str, Any]:
    """ROC AUC, Brier and precision/recall/F1 at the threshold, pooled and per genre."""
    labels = np.array([example.label for example in examples])
    genres = np.array([example.genre for example in examples])
    result: dict[str, Any] = {}
    for name, mask in (("all", np.ones(len(examples), dtype=bool)), (DEBATE, genres == DEBATE), (NEWS, genres == NEWS)):
        point = at_threshold(labels[mask], scores[mask], threshold)
        result[name] = {
            "passages": int(np.sum(mask)),
            "check_worthy": int(np.sum(labels[mask])),
            "roc_auc": round(float(roc_auc_score(labels[mask], scores[mask])), 3),
            "brier": round(float(brier_score_loss(labels[mask], scores[mask])), 3),
            "precision": round(point.precision, 3),
            "recall": round(point.recall, 3),
            "f1": round(point.f1, 3),
        }
    return result


# --- The command -----------------------------------------------------------------------------------


def out_of_fold_scores(examples: Sequence[Example], strata: Sequence[str], c: float) -> np.ndarray:
    """Each example scored by the served arithmetic of a model fitted without its fold."""
    scores = np.zeros(len(examples))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for fit_rows, score_rows in folds.split(np.zeros(len(examples)), strata):
        fitted = fit([examples[i] for i in fit_rows], c)
        model = model_from_json(model_json(fitted, threshold=0.5))
        scores[score_rows] = served_scores(model, [examples[i] for i in score_rows])
    return scores


def train(claimbuster: Path, out: Path) -> dict[str, Any]:
    examples = claimbuster_examples(claimbuster) + team_examples()
    strata = [f"{example.genre}:{example.label}" for example in examples]
    rows = np.arange(len(examples))
    training_rows, held_out_rows = train_test_split(rows, test_size=HELD_OUT_SHARE, stratify=strata, random_state=SEED)
    training = [examples[i] for i in training_rows]
    held_out = [examples[i] for i in held_out_rows]
    training_strata = [strata[i] for i in training_rows]
    training_labels = np.array([example.label for example in training])
    print(f"{len(training)} examples to cross-validate and fit, {len(held_out)} held out")

    cross_validated = {}
    for c in C_GRID:
        scores = out_of_fold_scores(training, training_strata, c)
        cross_validated[c] = scores
        print(f"  C={c:<5} {FOLDS}-fold ROC AUC {roc_auc_score(training_labels, scores):.3f}")
    best_c = max(C_GRID, key=lambda c: roc_auc_score(training_labels, cross_validated[c]))

    fitted = fit(training, best_c)
    unthresholded = model_from_json(model_json(fitted, threshold=0.5))
    held_out_scores = served_scores(unthresholded, held_out)
    held_out_labels = np.array([example.label for example in held_out])
    threshold = best_f1_threshold(held_out_labels, held_out_scores)
    _check_served_matches_fitted(fitted, unthresholded, held_out)

    document = model_json(fitted, threshold)
    document["threshold_rule"] = "maximises F1 on the held-out part (all genres pooled)"
    document["trained"] = dt.date.today().isoformat()
    document["training"] = {
        "data": {
            "claimbuster_train": sum(1 for e in examples if e.genre == DEBATE),
            "team_news_passages": sum(1 for e in examples if e.genre == NEWS),
        },
        "seed": SEED,
        "held_out_share": HELD_OUT_SHARE,
        "folds": FOLDS,
        "c": best_c,
        "min_document_frequency": MIN_DOCUMENT_FREQUENCY,
        "news_weight": NEWS_WEIGHT,
    }
    document["figures"] = {
        "cross_validated": figures(training, cross_validated[best_c], threshold),
        "held_out": figures(held_out, held_out_scores, threshold),
        "held_out_reliability": reliability_table(held_out_labels, held_out_scores),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    model_from_json(json.loads(out.read_text(encoding="utf-8")))  # the file the engine will read
    print_report(document, out)
    return document


def _check_served_matches_fitted(fitted: Fitted, model: WorthinessModel, held_out: Sequence[Example]) -> None:
    prose = [example for example in held_out if not not_prose_reason(example.text.strip())]
    fitted_scores = fitted.probabilities(prose)
    served = served_scores(model, prose)
    gap = float(np.max(np.abs(fitted_scores - served)))
    # Served scores are rounded to SCORE_DECIMALS; anything beyond that is a twin that drifted.
    if gap > 10**-SCORE_DECIMALS:
        raise SystemExit(f"the served scorer differs from the fitted model by {gap:.4f}: the arithmetic drifted")
    print(f"served scorer vs scikit-learn on held-out prose: largest difference {gap:.5f}")


def print_report(document: dict[str, Any], out: Path) -> None:
    threshold = document["threshold"]
    print(f"chosen C={document['training']['c']}; threshold {threshold} ({document['threshold_rule']})")
    for part in ("cross_validated", "held_out"):
        print(f"{part.replace('_', '-')}:")
        for genre, row in document["figures"][part].items():
            print(
                f"  {genre:<7} n={row['passages']:<5} ROC AUC {row['roc_auc']:.3f}  Brier {row['brier']:.3f}  "
                f"at {threshold}: precision {row['precision']:.3f} recall {row['recall']:.3f} F1 {row['f1']:.3f}"
            )
    print("held-out reliability (score bin: passages, mean score, share check-worthy):")
    for row in document["figures"]["held_out_reliability"]:
        mean, share = row["mean_score"], row["share_worthy"]
        shown = f"{mean:.3f}  {share:.3f}" if row["passages"] else "-      -"
        print(f"  {row['bin']}: {row['passages']:>5}  {shown}")
    size = out.stat().st_size
    print(f"wrote {out} ({size / 1024:.0f} KiB, {len(document['terms'])} terms)")
    if size > 5 * 1024 * 1024 or not math.isfinite(document["intercept"]):
        raise SystemExit("the model file is larger than 5 MB or not finite")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m training.checkworthiness", description="Train the check-worthiness model and print its figures."
    )
    parser.add_argument("--datasets", type=Path, default=DATASETS, help="the shared data sets (default %(default)s)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help="where to write the model JSON")
    arguments = parser.parse_args(argv)
    train(arguments.datasets / CLAIMBUSTER_TRAIN, arguments.out)


if __name__ == "__main__":
    main()
