"""Whether two passages state the same fact. Pure: no Django import.

Lexical, by design: content words reduced to a short stem (so "Lestovian" meets
"Lestovia" and "captured" meets "capture") and a few news-wire synonyms to one
concept ("troops", "soldiers", "forces"), each weighted by how rare it is in the
corpus (inverse document frequency: a name every article carries says little),
scored by how much of the shorter statement the longer one contains, blended
with the weighted Jaccard overlap and RapidFuzz's token-set ratio.
Figures must agree: two statements whose counts differ are different claims
(the cross-check later weighs them against each other), never one claim.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from factcheck.crosscheck.claims import figures
from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.words import NUMBER_WORD_VALUES, content_stems

Weight = Callable[[str], float]


def unweighted(_stem: str) -> float:
    return 1.0


def idf_weight(document_frequency: Mapping[str, int], documents: int) -> Weight:
    """Inverse document frequency over ``documents`` passages; unseen stems weigh most."""

    def weight(stem: str) -> float:
        return math.log((documents + 1) / (document_frequency.get(stem, 0) + 1)) + 1.0

    return weight


@dataclass(frozen=True)
class Similarity:
    score: float
    figures_conflict: bool


@memoised
def figure_values(text: str) -> frozenset[str]:
    values = set()
    for figure in figures(text):
        normalized = figure.lower().replace(",", "")
        values.add(NUMBER_WORD_VALUES.get(normalized, normalized))
    return frozenset(values)


def statement_similarity(a: str, b: str, weight: Weight = unweighted) -> Similarity:
    """0..1: how likely ``a`` and ``b`` state the same fact."""
    stems_a, stems_b = content_stems(a), content_stems(b)
    if not stems_a or not stems_b:
        return Similarity(0.0, False)
    weight_a, weight_b = sum(map(weight, stems_a)), sum(map(weight, stems_b))
    shared = sum(map(weight, stems_a & stems_b))
    containment = shared / min(weight_a, weight_b)
    jaccard = shared / (weight_a + weight_b - shared)
    fuzzy = fuzz.token_set_ratio(" ".join(sorted(stems_a)), " ".join(sorted(stems_b))) / 100
    score = 0.45 * containment + 0.35 * jaccard + 0.2 * fuzzy
    figures_a, figures_b = figure_values(a), figure_values(b)
    conflict = bool(figures_a and figures_b and not figures_a & figures_b)
    return Similarity(round(score, 4), conflict)


def rarest_terms(words: Sequence[str], frequency: Mapping[str, int], documents: int, *, limit: int) -> list[str]:
    """The ``limit`` words of a query that are rarest in the corpus (by the document
    frequency of their stem), in their original order.

    Why: an OR of every word of a claim matches a large share of a big table through its
    common words ("said", "forces"), and ranking all those rows is what makes a query
    slow; the rare words (names, figures, specific nouns) find the same restatements.
    Words never seen weigh as rare; they cost nothing when they match nothing.
    """

    def rarity(item: tuple[int, str]) -> tuple[int, int]:
        position, word = item
        stems = content_stems(word)
        seen = min((frequency.get(stem, 0) for stem in stems), default=documents)
        return (seen, position)

    chosen = sorted(sorted(enumerate(words), key=rarity)[:limit])
    return [word for _, word in chosen]
