"""Loaders for the public stance data sets in ../shared/datasets (training splits only).

Each loader returns ``Pair`` rows that name the claim, the text judged against it, the gold
label in the engine's terms and the group that keeps one article (or one claim) in one fold.
The files are read in place: they are not project data and are never copied into the repository.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from factcheck.crosscheck.articles import FNC_LABELS
from factcheck.crosscheck.stance import CONFLICTS, MENTIONS, SUPPORTS


def _datasets_folder() -> Path:
    """$FACTCHECK_DATASETS, else the nearest ``shared/datasets`` beside the checkout or above it."""
    if "FACTCHECK_DATASETS" in os.environ:
        return Path(os.environ["FACTCHECK_DATASETS"])
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "datasets").is_dir():
            return folder / "shared" / "datasets"
    return Path("../shared/datasets")


DATASETS = _datasets_folder()

# FNC-1 and ARC labels in the engine's terms: "discuss" repeats or attributes the claim
# without taking a side, what a fact-checker calls a report (the service's "mentions").
FNC_TO_STANCE = {label: stance for stance, label in FNC_LABELS.items()}
EMERGENT_TO_STANCE = {"for": SUPPORTS, "against": CONFLICTS, "observing": MENTIONS}


@dataclass(frozen=True)
class Pair:
    dataset: str  # "fnc1", "arc" or "emergent"
    claim: str
    body_id: str  # the key of the text judged (an article body, or the outlet's headline itself)
    stance: str  # gold label in the engine's terms
    group: str  # rows of one group stay in one cross-validation fold


@dataclass(frozen=True)
class Corpus:
    pairs: list[Pair]
    bodies: Mapping[str, str]  # body_id -> text


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def load_fnc_format(dataset: str, stances: Path, bodies: Path) -> Corpus:
    """FNC-1 and ARC: (Headline, Body ID, Stance) rows and (Body ID, articleBody) rows, grouped by body."""
    texts = {f"{dataset}:{row['Body ID']}": row["articleBody"] for row in _rows(bodies)}
    pairs = []
    for row in _rows(stances):
        body_id = f"{dataset}:{row['Body ID']}"
        pairs.append(Pair(dataset, row["Headline"], body_id, FNC_TO_STANCE[row["Stance"]], body_id))
    return Corpus(pairs, texts)


def load_fnc1(root: Path = DATASETS) -> Corpus:
    return load_fnc_format("fnc1", root / "fnc1" / "train_stances.csv", root / "fnc1" / "train_bodies.csv")


def load_arc(root: Path = DATASETS) -> Corpus:
    return load_fnc_format("arc", root / "arc" / "arc_stances_train.csv", root / "arc" / "arc_bodies.csv")


def load_emergent(root: Path = DATASETS) -> Corpus:
    """Claim vs another outlet's headline; the headline is the passage. Grouped by claim, as
    Ferreira & Vlachos split it, so no claim is in two folds."""
    pairs, texts = [], {}
    for row in _rows(root / "emergent" / "url-versions-2015-06-14-clean-train.csv"):
        body_id = f"emergent:{row['articleId']}"
        texts[body_id] = row["articleHeadline"]
        stance = EMERGENT_TO_STANCE[row["articleHeadlineStance"]]
        pairs.append(Pair("emergent", row["claimHeadline"], body_id, stance, f"emergent:{row['claimId']}"))
    return Corpus(pairs, texts)
