"""What the learned stance layer reads about one passage: the rules' verdict and signals, and
lexical cues. Pure: no Django, numpy or scikit-learn import.

A feature vector is a dict from feature name to value (absent = 0), so that the model file
names what each weight multiplies and a feature the model does not know is simply ignored.

- the rules: ``judge()``'s stance and reason code (one-hot: ``rule=supports``, ``reason=denial``),
  its score, the quotation match that decided, relatedness, claim coverage, rest-of-claim coverage;
- figures: whether any figure of the passage agrees with, or conflicts with, one of the claim's;
- wording: bigram overlap (the claim's word pairs the passage repeats in order);
- cues, in the passage and in the claim, and whether a passage cue sits near the words it shares
  with the claim: refuting words ("hoax", "debunked", "no evidence"), negation ("not", "never"),
  hedging ("reportedly", "allegedly", "may"), attribution ("said", "according to") and confirming
  words ("confirmed"). The lists are generic news vocabulary (the FNC-1 baseline's refuting words,
  and the hedges and reporting verbs of style guides), nothing about any corpus of ours.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

from factcheck.crosscheck.figures import Relation, compare_figures, extract_figures
from factcheck.crosscheck.matching import Weight, unweighted
from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.stance import (
    ClaimAnalysis,
    Judgement,
    claim_coverage,
    relatedness,
    rest_of_claim_coverage,
)
from factcheck.crosscheck.words import STOPWORDS, content_stems, tokens

# --- Cue vocabularies -------------------------------------------------------------------------

# Words with which news refutes a report: the FNC-1 baseline's refuting words and their usual kin.
REFUTING = frozenset(
    "hoax hoaxes fake faked fakes false falsely untrue deny denies denied denying denial denials debunk debunked "
    "debunks debunking satire satirical fabricated fabrication bogus myth nonsense fraud fraudulent prank pranks "
    "spoof parody retract retracted retraction misleading incorrect inaccurate wrong unfounded baseless groundless "
    "refute refuted refutes refuting dismissed dismisses rejects rejected doubt doubts doubted dubious "
    "disputed disputes discredited".split()
)
REFUTING_PHRASES = frozenset({("no", "evidence"), ("no", "proof"), ("not", "true"), ("made", "up"), ("is", "false")})
NEGATION = frozenset("not no never nothing nobody none neither nor cannot without".split())
# Hedges: the outlet repeats without vouching for it.
HEDGING = frozenset(
    "reportedly allegedly alleged alleges purportedly purported apparently supposedly rumour rumours rumor rumors "
    "rumoured rumored unconfirmed unverified may might could possibly possible perhaps suggests suggest suggested "
    "appears appear seems seem speculation speculated speculate believed thought claims claimed claim claiming "
    "if whether likely unclear".split()
)
# Attribution: someone else says it ("according to", "X said", "reports").
ATTRIBUTION = frozenset(
    "said says say according told reports reported reporting report sources source cited citing quoted "
    "tweeted posted wrote writes stated statement spokesman spokeswoman spokesperson".split()
)
CONFIRMING = frozenset(
    "confirmed confirms confirm confirming official officially proved proven proof verified announced "
    "revealed shows showed evidence indeed actually".split()
)
CUE_FAMILIES = {
    "refute": REFUTING,
    "negation": NEGATION,
    "hedge": HEDGING,
    "attribution": ATTRIBUTION,
    "confirm": CONFIRMING,
}
# Families whose presence on one side only says the two disagree in polarity or certainty.
POLARITY_FAMILIES = ("refute", "negation", "hedge")
# A cue within this many words of a word the passage shares with the claim is "near" it:
# "reports that the spider burrowed ... are a hoax" puts the hoax next to what it refutes.
NEAR_WORDS = 6

RULE_STANCES = ("supports", "conflicts", "mentions", "unrelated")
QUOTE_MATCHES = ("verbatim", "near_verbatim", "variant")

# Every feature name except the reason codes (``reason=<code>``), which come from the rules.
FEATURE_NAMES: tuple[str, ...] = (
    *(f"rule={stance}" for stance in RULE_STANCES),
    "rule_score",
    *(f"quote={kind}" for kind in QUOTE_MATCHES),
    "relatedness",
    "claim_coverage",
    "rest_of_claim_coverage",
    "bigram_overlap",
    "figure_agrees",
    "figure_conflicts",
    "passage_words_log",
    "claim_words_log",
    "passage_question",
    "claim_question",
    *(f"passage_{family}" for family in CUE_FAMILIES),
    *(f"near_{family}" for family in CUE_FAMILIES),
    *(f"claim_{family}" for family in CUE_FAMILIES),
    *(f"related_x_{family}" for family in CUE_FAMILIES),
    *(f"mismatch_{family}" for family in POLARITY_FAMILIES),
)
REASON_PREFIX = "reason="
# Words the training command found to tell the stances apart in the training folds (the model's
# lexicon, ``word=<word>``): the cue lists above, learned from data rather than written by hand.
LEXICON_PREFIX = "word="


# --- Reading a text once ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextCues:
    """What the features need of one text, read once (memoised: a passage meets many claims)."""

    stems: tuple[str, ...]  # the stem of each word in order ("" for stopwords and short words)
    words: frozenset[str]  # the lower-cased words, for the learned lexicon
    # Consecutive content stems, as "first second" (a stem has no space): strings, not pairs, as
    # a memo of thousands of texts holds them and the garbage collector scans every tuple it holds.
    bigrams: frozenset[str]
    cue_positions: tuple[tuple[int, ...], ...]  # word positions of each cue family, in CUE_FAMILIES order
    question: bool
    stem_set: frozenset[str]  # the content stems, as a set
    # For each cue family, the content stems of the words within NEAR_WORDS of one of its cues: a
    # cue is near the claim's words when one of these is the claim's.
    near_stems: tuple[frozenset[str], ...]
    families: frozenset[int]  # the cue families found, by their index in CUE_FAMILIES


@lru_cache(maxsize=65536)
def word_stem(word: str) -> str:
    """The engine's stem of one lower-cased word, "" if it carries no content (a stopword).
    A word list is small, so its own cache keeps the texts' memo from being flooded by words."""
    if word in STOPWORDS:
        return ""
    stems = content_stems.__wrapped__(word)  # type: ignore[attr-defined]
    return next(iter(stems)) if len(stems) == 1 else ""


# Each cue word's families, for one pass over a text's words.
_FAMILIES_OF: dict[str, tuple[int, ...]] = {}
for _index, _cues in enumerate(CUE_FAMILIES.values()):
    for _word in _cues:
        _FAMILIES_OF[_word] = (*_FAMILIES_OF.get(_word, ()), _index)
_NEGATION_INDEX = list(CUE_FAMILIES).index("negation")
_REFUTE_INDEX = list(CUE_FAMILIES).index("refute")
# The words that may start a cue: the others are passed over at once.
_CUE_STARTS = frozenset({*_FAMILIES_OF, "t", *(first for first, _ in REFUTING_PHRASES)})


@memoised
def text_cues(text: str) -> TextCues:
    words = tokens(text.replace("\u2019", "'"))
    stems = tuple(map(word_stem, words))
    content = [stem for stem in stems if stem]
    positions: list[list[int]] = [[] for _ in CUE_FAMILIES]
    for position, word in enumerate(words):
        if word not in _CUE_STARTS:
            continue
        for family in _FAMILIES_OF.get(word, ()):
            positions[family].append(position)
        if word == "t" and position and words[position - 1].endswith("n"):  # "didn't" reads "didn", "t"
            positions[_NEGATION_INDEX].append(position - 1)
        if (word, words[position + 1] if position + 1 < len(words) else "") in REFUTING_PHRASES:
            positions[_REFUTE_INDEX].append(position)
    return TextCues(
        stems,
        frozenset(words),
        frozenset(map(" ".join, itertools.pairwise(content))),
        tuple(tuple(sorted(set(found))) for found in positions),
        "?" in text,
        frozenset(content),
        tuple(_stems_near(stems, found) for found in positions),
        frozenset(family for family, found in enumerate(positions) if found),
    )


def _stems_near(stems: tuple[str, ...], cues: list[int]) -> frozenset[str]:
    if not cues:
        return frozenset()
    near: set[str] = set()
    for cue in cues:
        near.update(stems[max(cue - NEAR_WORDS, 0) : cue + NEAR_WORDS + 1])
    near.discard("")
    return frozenset(near)


# --- The features ------------------------------------------------------------------------------

PASSAGE, CLAIM = "passage", "claim"
# Each side's feature names, made once: a judgement reads a dozen of them.
_WORDS_LOG = {side: f"{side}_words_log" for side in (PASSAGE, CLAIM)}
_QUESTION = {side: f"{side}_question" for side in (PASSAGE, CLAIM)}
_FAMILY_NAMES = {side: tuple(f"{side}_{family}" for family in CUE_FAMILIES) for side in (PASSAGE, CLAIM)}
_NEAR_NAMES = tuple(f"near_{family}" for family in CUE_FAMILIES)
_RELATED_NAMES = tuple(f"related_x_{family}" for family in CUE_FAMILIES)
_MISMATCH_NAMES = tuple(f"mismatch_{family}" if family in POLARITY_FAMILIES else "" for family in CUE_FAMILIES)
_POLARITY_INDICES = frozenset(index for index, family in enumerate(CUE_FAMILIES) if family in POLARITY_FAMILIES)
_RULE_NAMES = {stance: f"rule={stance}" for stance in RULE_STANCES}
_QUOTE_NAMES = {kind: f"quote={kind}" for kind in QUOTE_MATCHES}


def passage_features(
    analysis: ClaimAnalysis,
    judgement: Judgement,
    weight: Weight = unweighted,
    lexicon: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """The features of ``judgement.passage`` against the analysed claim (non-zero ones only);
    ``lexicon``: the words whose presence is a feature of its own. They are the pair's
    (``pair_features``) and each text's own (``text_features``): the learned layer remembers
    what a text's own features add up to, since a passage meets many claims."""
    passage, claim = text_cues(judgement.passage.text), text_cues(analysis.claim.text)
    return {
        **pair_features(analysis, judgement, weight, passage, claim),
        **text_features(passage, PASSAGE, lexicon),
        **text_features(claim, CLAIM, lexicon),
    }


def text_features(cues: TextCues, side: str, lexicon: frozenset[str] = frozenset()) -> dict[str, float]:
    """The features of one text of the pair on its own (``side``: PASSAGE or CLAIM), non-zero only:
    its length, whether it asks, its cue families, and for the passage the lexicon's words it holds
    (the lexicon is of passages' words: the training command chose it from them)."""
    features = {_WORDS_LOG[side]: math.log1p(len(cues.stems))} if cues.stems else {}
    if cues.question:
        features[_QUESTION[side]] = 1.0
    for name, found in zip(_FAMILY_NAMES[side], cues.cue_positions, strict=True):
        if found:
            features[name] = 1.0
    if side == PASSAGE:
        features.update(lexicon_features(cues.words, lexicon))
    return features


def pair_features(
    analysis: ClaimAnalysis, judgement: Judgement, weight: Weight, passage: TextCues, claim: TextCues
) -> dict[str, float]:
    """The features of the passage that depend on the claim too (non-zero only): the rules'
    verdict and measures, the figures' relations, the shared bigrams, and where the passage's cues
    sit against the claim's words and cues."""
    text = judgement.passage.text
    features = {_RULE_NAMES[judgement.stance]: 1.0, REASON_PREFIX + judgement.reason: 1.0}
    # Each feature is set only when it is not 0 (the vector is sparse), without a pass to drop zeros.
    if judgement.score:
        features["rule_score"] = judgement.score
    related = relatedness(analysis, text, weight)
    if related:
        features["relatedness"] = related
        for family in passage.families:
            features[_RELATED_NAMES[family]] = related
        for family in (passage.families ^ claim.families) & _POLARITY_INDICES:
            # One refutes, negates or hedges and the other does not, weighed by how related they are:
            # "X is a hoax" against "X", or "X did not" against "X did".
            features[_MISMATCH_NAMES[family]] = related
    coverage = claim_coverage(analysis, text, weight)
    if coverage:
        features["claim_coverage"] = coverage
    rest = rest_of_claim_coverage(analysis, text, weight)
    if rest:
        features["rest_of_claim_coverage"] = rest
    match = judgement.details.get("match")
    if match in QUOTE_MATCHES:
        features[_QUOTE_NAMES[match]] = 1.0
    if analysis.figures:
        agrees, conflicts = figure_relations(analysis, text)
        if agrees:
            features["figure_agrees"] = 1.0
        if conflicts:
            features["figure_conflicts"] = 1.0
    if claim.bigrams:
        shared = len(claim.bigrams & passage.bigrams)
        if shared:
            features["bigram_overlap"] = shared / len(claim.bigrams)
    for family in passage.families:
        if not claim.stem_set.isdisjoint(passage.near_stems[family]):
            features[_NEAR_NAMES[family]] = 1.0
    return features


def lexicon_features(words: frozenset[str], lexicon: frozenset[str]) -> dict[str, float]:
    return {LEXICON_PREFIX + word: 1.0 for word in words & lexicon}


def figure_relations(analysis: ClaimAnalysis, text: str) -> tuple[bool, bool]:
    """Whether any figure of the passage agrees with one of the claim's, and whether any conflicts."""
    agrees = conflicts = False
    if analysis.figures:
        for evidence_figure in extract_figures(text):
            for claim_figure in analysis.figures:
                relation = compare_figures(claim_figure, evidence_figure)
                agrees = agrees or relation == Relation.AGREE
                conflicts = conflicts or relation == Relation.CONFLICT
    return agrees, conflicts


def shares_content(analysis: ClaimAnalysis, text: str) -> bool:
    """Whether the passage repeats any content word of the claim: the passages the index
    retrieves as candidates do; the others are unrelated without a judgement."""
    return not content_stems(analysis.claim.text).isdisjoint(content_stems(text))
