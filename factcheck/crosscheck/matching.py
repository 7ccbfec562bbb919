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
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from factcheck.crosscheck.claims import figures
from factcheck.crosscheck.memo import memoised

STEM_LENGTH = 5
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    (
        "a an the and or but if of to in on at by for from with without into onto over under about after "
        "before as is are was were be been being has have had do does did it its this that these those "
        "there their they them he she his her him we our you your i me my who whom whose which what when "
        "where why how not no than then so such also said says say told would could should will can may "
        "might must said according while who more most some any all many much very just only even still "
        "yet both either neither each other another"
    ).split()
)
_NUMBER_WORD_VALUES = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30", "fifty": "50",
    "hundred": "100", "thousand": "1000",
}  # fmt: skip


# Words news reports use interchangeably for the same thing, by stem.
_CONCEPTS = {
    "troop": ("troop", "soldi", "force", "milit", "fight"),
    "captu": ("captu", "detai", "seize", "priso", "custo", "held"),
    "citiz": ("citiz", "natio"),
    "kill": ("kille", "dead", "death", "died", "die", "toll"),
    "recru": ("recru", "enlis", "hired"),
    "deny": ("denie", "deny", "denia", "rejec", "dismi"),
    "video": ("video", "clip", "foota", "clips"),
    "publi": ("publi", "poste", "uploa", "relea"),
    "wound": ("wound", "injur", "hurt"),
}
_CONCEPT_OF = {stem: concept for concept, stems in _CONCEPTS.items() for stem in stems}

Weight = Callable[[str], float]


def concept(stem: str) -> str:
    """The concept a five-letter stem stands for ("soldi" and "troop" are "troop"), else the stem."""
    return _CONCEPT_OF.get(stem, stem)


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
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content: no stopwords, numbers as digits."""
    stems = set()
    for token in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        token = _NUMBER_WORD_VALUES.get(token, token)
        if token in STOPWORDS or (len(token) < 3 and not token.isdigit()):
            continue
        stem = token if token.isdigit() else token[:STEM_LENGTH]
        stems.add(_CONCEPT_OF.get(stem, stem))
    return frozenset(stems)


@memoised
def figure_values(text: str) -> frozenset[str]:
    values = set()
    for figure in figures(text):
        normalized = figure.lower().replace(",", "")
        values.add(_NUMBER_WORD_VALUES.get(normalized, normalized))
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
