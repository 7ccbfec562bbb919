"""Whether two passages state the same fact. Pure: no Django import.

Lexical, by design: content words reduced to a short stem (so "Lestovian" meets
"Lestovia" and "captured" meets "capture") and a few news-wire synonyms to one
concept ("troops", "soldiers", "forces"), each weighted by how rare it is in the
corpus (inverse document frequency: a name every article carries says little),
scored by how much of the shorter statement the longer one contains, blended
with the weighted Jaccard overlap and RapidFuzz's token-set ratio.
Figures must agree: two statements whose counts differ are different claims
(the cross-check later weighs them against each other), never one claim.

For retrieval (search.py), the terms a claim's query looks for: each country it names with every
other form of its name (names.py), each noun a figure counts with the other nouns of its kind
(figures.COUNTED_CONCEPTS), and the rarest of them by document frequency.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from rapidfuzz import fuzz

from factcheck.crosscheck.claims import figures
from factcheck.crosscheck.figures import COUNTED_CONCEPTS, extract_figures
from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.names import place_forms, place_mentions
from factcheck.crosscheck.words import (
    MIN_WORD_LENGTH,
    NUMBER_WORD_VALUES,
    TOKEN,
    content_stems,
    is_content_word,
    stem,
    tokens,
)

Weight = Callable[[str], float]


def unweighted(_stem: str) -> float:
    return 1.0


def idf_weight(document_frequency: Mapping[str, int], documents: int) -> Weight:
    """Inverse document frequency over ``documents`` passages; unseen stems weigh most.

    The weights are looked up rather than computed: a weight is read millions of times, most often
    as ``math.fsum(map(weight, stems))``, where a dict's own lookup runs twice as fast as a function's.
    (fsum, not sum: a set's order follows the process's hash seed, and a plain sum's rounding with
    it, so one passage's relatedness could differ between two workers, 0.96 against 0.9599.)"""
    unseen = math.log(documents + 1) + 1.0
    table = {stem: math.log((documents + 1) / (count + 1)) + 1.0 for stem, count in document_frequency.items()}
    return _WeightTable(table, unseen).__getitem__


class _WeightTable(dict[str, float]):
    """Stems' weights; a stem not in the table weighs ``unseen``."""

    def __init__(self, weights: Mapping[str, float], unseen: float) -> None:
        super().__init__(weights)
        self.unseen = unseen

    def __missing__(self, stem: str) -> float:
        self[stem] = self.unseen  # a claim's word is weighed against each passage: found at once next time
        return self.unseen


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
    weight_a, weight_b = math.fsum(map(weight, stems_a)), math.fsum(map(weight, stems_b))
    shared = math.fsum(map(weight, stems_a & stems_b))
    containment = shared / min(weight_a, weight_b)
    jaccard = shared / (weight_a + weight_b - shared)
    fuzzy = fuzz.token_set_ratio(" ".join(sorted(stems_a)), " ".join(sorted(stems_b))) / 100
    score = 0.45 * containment + 0.35 * jaccard + 0.2 * fuzzy
    figures_a, figures_b = figure_values(a), figure_values(b)
    conflict = bool(figures_a and figures_b and not figures_a & figures_b)
    return Similarity(round(score, 4), conflict)


# --- Query terms, for retrieval ------------------------------------------------------------


def is_query_word(word: str) -> bool:
    """Whether a word (as written) is worth looking up: a content word of at least ``MIN_WORD_LENGTH``
    characters. Numbers of one or two digits match too much to narrow a search ("12", "2")."""
    low = word.lower()
    return is_content_word(low) and len(low) >= MIN_WORD_LENGTH


def query_words(text: str, *, limit: int | None = None) -> list[str]:
    """Distinct content words of ``text`` as written, letters and digits only (safe in a tsquery):
    the engine's words, so that the index (which drops the same stopwords) holds every one. The case
    is kept for ``rarest_terms`` ("Lestovian" is the place Lestovia); a query ignores it."""
    words: dict[str, str] = {}
    for word in tokens(text, keep_case=True):
        if is_query_word(word):
            words.setdefault(word.lower(), word)
    return list(words.values())[:limit]


Form = tuple[str, ...]  # words a passage must all hold: ("North", "Korea")


@dataclass(frozen=True)
class QueryTerm:
    """One thing a claim says, as a query looks for it: the claim's own words and the other forms
    that say the same ("North Korea": "Pyongyang", "DPRK", "North Korean"; "soldiers": "troops",
    "men"). A passage holding every word of any one form has the term; a query counts shared terms,
    so an alias is the same term found, never one more."""

    written: Form  # the claim's words, () when none is a query word ("U.S.")
    others: tuple[Form, ...] = ()

    @property
    def forms(self) -> tuple[Form, ...]:
        return ((self.written,) if self.written else ()) + self.others


def query_term_groups(text: str, *, limit: int) -> list[QueryTerm]:
    """The terms of ``text`` in order of appearance, at most ``limit``: each country it names (every
    form names.py knows of it, one term however many words its name has), each counted noun of its
    figures (every noun of the counted kind: figures.COUNTED_CONCEPTS), and each other query word.

    Why: a passage reporting the same fact often names the country otherwise ("Minsk has dispatched
    5,000 troops" against "Belarus has sent 3,000 soldiers"); searching the claim's words
    alone misses it, and a figure's conflict is then never seen."""
    mentions = place_mentions(text)
    counted = {
        figure.counted_text.lower(): figure.counted
        for figure in extract_figures(text)
        if figure.counted in COUNTED_CONCEPTS and figure.counted_text
    }
    terms: dict[str, QueryTerm] = {}
    for token in TOKEN.finditer(text):
        word, at = token.group(), token.start()
        mention = next((m for m in mentions if m.start <= at < m.end), None)
        if mention is not None:
            key = "place " + mention.place
            if key not in terms:
                terms[key] = _term(query_words(mention.surface), place_forms(mention.place))
        elif not is_query_word(word):
            continue
        elif word.lower() in counted:
            concept = counted[word.lower()]
            terms.setdefault("counted " + concept, _term([word], tuple(COUNTED_CONCEPTS[concept].split())))
        else:
            terms.setdefault(word.lower(), QueryTerm((word,)))
    return [term for term in terms.values() if term.forms][:limit]


def _term(written: Sequence[str], others: tuple[str, ...]) -> QueryTerm:
    """The claim's words and the other forms, each once (by their stems: "Korean", "Koreans")."""
    own = _stems(written)
    return QueryTerm(tuple(written), tuple(form for form, stems in _forms(others) if stems != own))


@cache
def _forms(names: tuple[str, ...]) -> tuple[tuple[Form, frozenset[str]], ...]:
    """Each name's query words and their stems, each form once (cached: a country's or a counted
    kind's names are the same for every claim naming it)."""
    found: dict[frozenset[str], Form] = {}
    for name in names:
        form = tuple(query_words(name))
        if form:
            found.setdefault(_stems(form), form)
    return tuple((form, stems) for stems, form in found.items())


def _stems(form: Sequence[str]) -> frozenset[str]:
    return frozenset(stem(word.lower()) for word in form)


def forms_in_corpus(term: QueryTerm, frequency: Mapping[str, int]) -> QueryTerm:
    """The term with only the other forms whose every stem some passage holds (``frequency``: how many
    passages hold each stem): a form no passage holds finds nothing and only makes the query longer
    (the 90 nouns for a soldier in WordNet, the transliterations of a capital). The claim's own words
    are always kept."""
    kept = tuple(form for form in term.others if all(frequency.get(s, 0) for s in form_stems(form)))
    return QueryTerm(term.written, kept)


def form_stems(form: Sequence[str]) -> frozenset[str]:
    """The content stems of a form's words, as the index and TermStat hold them."""
    return content_stems(" ".join(form))


def _passages_with(term: str | QueryTerm, frequency: Mapping[str, int], documents: int) -> int:
    """How many passages hold the term, at most (the rarest word of each form, summed over its forms)."""
    forms = (term,) if isinstance(term, str) else tuple(" ".join(form) for form in term.forms)
    seen = sum(min((frequency.get(s, 0) for s in content_stems(form)), default=documents) for form in forms)
    return min(seen, documents) if documents else seen


Term = TypeVar("Term", str, QueryTerm)


def term_weight(term: str | QueryTerm, frequency: Mapping[str, int], documents: int) -> float:
    """How much sharing the term says, by how rare it is: BM25's inverse document frequency
    (log(1 + (N - n + 0.5) / (n + 0.5)) for a term n of N passages hold). Retrieval ranks a passage by
    the weights of the claim's terms it holds: a rare town's name outweighs "people" and "died",
    which look-alike reports of other events share. 1 for every term before any passage is counted."""
    if not documents:
        return 1.0
    held = _passages_with(term, frequency, documents)
    return math.log(1 + (documents - held + 0.5) / (held + 0.5))


def rarest_terms(terms: Sequence[Term], frequency: Mapping[str, int], documents: int, *, limit: int) -> list[Term]:
    """The ``limit`` terms (words or ``QueryTerm``s) of a query that are rarest in the corpus (by the
    document frequency of their stems; a term with other forms counts the passages of every form), in
    their original order.

    Why: an OR of every word of a claim matches a large share of a big table through its
    common words ("said", "forces"), and ranking all those rows is what makes a query
    slow; the rare words (names, figures, specific nouns) find the same restatements.
    Words never seen weigh as rare; they cost nothing when they match nothing.
    """

    def rarity(item: tuple[int, Term]) -> tuple[int, int]:
        position, term = item
        return (_passages_with(term, frequency, documents), position)

    chosen = sorted(sorted(enumerate(terms), key=rarity)[:limit])
    return [term for _, term in chosen]
