"""What one passage says about a claim: supports, conflicts, mentions or unrelated. Pure: no Django import.

Every stance comes with a reason code and the spans of the passage that decided it,
so a reviewer can verify it in seconds. The rules, strongest first:

1. A quotation of the claim found in the passage: verbatim or nearly verbatim it
   supports (``quote_verbatim``, ``quote_near_verbatim``), re-worded as a variant it
   supports weakly (``quote_variant``: a translation is not a fabrication), and given
   to another speaker it conflicts (``quote_misattributed``).
2. A figure of the claim and one of the passage that count the same thing: if their
   intervals cannot both hold, the passage conflicts (``figure_conflict``); if they
   agree, it supports (``figure_agrees``) when the passage is also about the claim.
   Each claim figure is decided on its own, and a passage figure that agrees with it
   beats one that does not ("25 dead and five more wounded" confirms "kills 25"). A
   count of another subject decides nothing (``other_subject``): "All 22 crew members
   of the Dali" is no evidence about the Ever Given's 25; nor is a count of another day (named,
   or the day the passage was published) about a claim that names its day: queues grow and tolls rise.
   A conflict needs more: a passage that never names whose count the claim gives ("The Dali had
   22 crew"), or that does not state the moment the claim counts at ("when the canal reopened",
   "after the 1967 war"), or that names another incident ("died in the collapse"), contradicts nothing.
3. A refutation in a related passage whose rejected words are the claim's: a denial
   ("denied sending troops") or a debunk ("reports of troops are a hoax", "no evidence
   that ...") conflicts (``denial``, ``refutation``), and so does a plain negation of
   the claim's predicate ("has not sent troops": ``negated``); unless the claim itself
   denies it, in which case the refutation supports it (``denial_reported``) and a
   passage that affirms what the claim denies conflicts (``denied_affirmed``).
4. Strong wording overlap with no conflict supports (``wording_overlap``); some overlap
   is a mention (``related``); little is ``unrelated``. A passage that counts the same
   kind of thing as the claim in another event is a mention (``other_figure``), however
   many words it shares: "155 citizens serving" says nothing of "two citizens captured".

Support is confirmation, not repetition. A passage that would support the claim but
repeats it at a distance, without vouching for it or naming who does ("reportedly",
"is said to", "accused ... of"), is a report: a mention with reason ``reported`` that never
counts towards corroboration. So is a passage whose named source is the claimant
itself: five outlets repeating what the claimant said confirm only that it was said
(unless the claim is about what was said). A passage that supports on a named source's
authority carries that source in ``attributed_to``, and the assessment counts each
source once, however many outlets repeat it. A claim with nothing to check besides a
name ("Malesh said so.") is confirmed by nothing (``nothing_to_check``).

Wording overlap only ever decides how related a passage is, and figures, quotations
and refutations decide agreement: two sentences can share every word and disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import fsum  # weights added exactly: see matching.idf_weight
from typing import Any, NamedTuple

from factcheck.crosscheck.claims import CALENDAR_WORDS, WEEKDAYS, claim_date, find_claimant, has_quotation, month_days
from factcheck.crosscheck.figures import (
    APPROXIMATE_TOLERANCE,
    EVENT_CONCEPTS,
    READINGS,
    Figure,
    Qualifier,
    Relation,
    compare_figures,
    extract_figures,
    is_measurement,
    stated,
)
from factcheck.crosscheck.matching import Weight, statement_similarity, unweighted
from factcheck.crosscheck.memo import PARSE_CACHE_SIZE, forgotten_with_the_rest, memoised
from factcheck.crosscheck.names import PlaceForm, PlaceMention, country_name, is_title_case, place_mentions, places
from factcheck.crosscheck.quotes import (
    Quotation,
    QuoteMatch,
    QuoteMatchKind,
    extract_quotations,
    mask_quotations,
    match_quotation,
    same_person,
)
from factcheck.crosscheck.voice import (
    Cue,
    clause_end,
    debunked_statement,
    distance,
    done_to_someone,
    hedge,
    hedged_region,
    negated_words,
    referred_back,
    refutations,
    reported_content,
)
from factcheck.crosscheck.words import STOPWORDS, as_name, content_stems, tokens, words_standing_for

SUPPORTS, CONFLICTS, MENTIONS, UNRELATED = "supports", "conflicts", "mentions", "unrelated"

# Relatedness (statement_similarity, 0..1) thresholds, tuned on the team's label set.
RELATED = 0.22  # below: unrelated, whatever it shares
FIGURE_CONFLICT_CONTEXT = 0.25  # a clash of figures counts only in a passage at least this related
# An agreeing figure supports only a passage that also says the rest of the claim: "the two
# prisoners" in every report does not confirm that their identities were confirmed.
FIGURE_SUPPORT_CONTEXT = 0.42
# ...and that repeats this share of what the claim says besides its figures.
REST_OF_CLAIM = 0.5
# A number at least this large, exact on both sides, is specific enough to identify a fact.
SPECIFIC_FIGURE = 10
# ...and repeats at least this share of the claim's words (a headline shares a few, not the claim).
WORDING_COVERAGE = 0.5
SUPPORT_BY_WORDING = 0.46  # no figure or quotation decided: this much overlap supports
# ...if the passage also repeats this share of what the claim says happened, besides its names.
PREDICATE_COVERAGE = 0.25
DENIAL_CONTEXT = 0.28
# Share of the claim's content (IDF-weighted) that the denied clause must repeat.
DENIED_CONTENT = 0.4
# ...and, when the claim reports a denial too, the share that shows it is the same denial.
DENIAL_REPORTED_CONTENT = 0.3
# ...in at least this many of the claim's words (all of them when it has fewer): as with a
# quotation's variant, one shared word is never enough, however rare.
DENIED_MIN_SHARED = 2
# A rumour a debunk refers back to is the claim when the claim repeats this share of it (IDF-weighted).
RUMOUR_IS_THE_CLAIM = 0.5

# A claim that denies something: "X denied ...", "reports of X are false", "X had no part in ...".
_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|"
    r"debunk\w*|hoax|fake|no evidence|not true|untrue|false|fabricat\w*|baseless|groundless|unfounded|never\b|"
    r"rubbish|exaggerat\w*|overblown|overstated|"
    r"no part in|no role in|had nothing to do|has nothing to do)",
    re.IGNORECASE,
)
MAX_REPORTED_CHARS = 1000
# How much of an article is read for the names it gives (article_names): a long feature rarely
# names its subject for the first time after its first few thousand characters.
ARTICLE_NAME_CHARS = 20_000
# Claim-passage pairs whose coverages are remembered (see _per_pair).
PAIR_MEMO_SIZE = 20_000
# A re-worded quotation given to another speaker is a misattribution from this similarity on.
MISATTRIBUTED_VARIANT = 0.5
# The shortest start of a name read as that name ("Korva" in "Korvan").
MIN_NAME_STEM = 4
# A part of a quotation with this many content words must be said by a rendering of it: at least
# this share of its words ("lost everything" shares only "lose" with "have nothing left to lose"),
# and by the same words nearly verbatim at least NEAR_VERBATIM_PART_SAID ("our rescue teams prove
# this was deliberate" is not "our rescue teams were only going to work", the rest alike or not).
MIN_PART_WORDS = 2
PART_SAID = 1 / 3
NEAR_VERBATIM_PART_SAID = 2 / 3
MIN_REPORTED_WORDS = 5
# A re-wording of a quotation has at most this many times its content words, and at least
# this fraction of them: a translation says about as much as the original.
RENDERING_LENGTH = 2.5


@dataclass(frozen=True)
class ClaimText:
    text: str
    claimant: str = ""


@dataclass(frozen=True)
class CandidatePassage:
    """A passage from another source, as the engine needs it."""

    passage_id: int
    source_id: int
    outlet_id: int
    outlet: str
    origin_cluster_id: int | None
    text: str
    speaker: str = ""
    # When its source was published, if known: a count the passage gives without naming a day is that day's.
    published: dt.date | None = None
    # What its article said before it, which the passage may leave unsaid ("It hit the pier at about
    # 1:28 a.m."): the article's title and the passage just before. Read only for the names of what
    # the claim is about (passage_in_context) and for the rumour a debunk refers back to ("The coast
    # guard said the claim was false."), never for a figure or a quotation of its own.
    context: str = ""
    # The passage just after it: where an article debunks the rumour it has just reported ("Other posts
    # claimed the ship was run aground on purpose. There is no evidence for that either.").
    following: str = ""
    # The name words of its whole article (article_names): a passage whose names are all others than
    # the claim's is about something else only when its article never names the claim's subject.
    article_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str  # what the span is: "figure", "quotation", "denial"


def article_context(title: str, before: str) -> str:
    """A passage's ``context``: its article's title and the passage before it (each once: a
    title is often the article's first passage too)."""
    return "\n".join(dict.fromkeys(part for part in (title.strip(), before.strip()) if part))


@dataclass(frozen=True)
class Judgement:
    passage: CandidatePassage
    stance: str
    reason: str
    score: float  # strength of the stance, 0..1 (relatedness for mentions)
    spans: tuple[Span, ...] = ()
    claim_value: str = ""  # the claim's figure or quotation, as written, when one decided
    evidence_value: str = ""  # the passage's, as written
    details: Mapping[str, Any] = field(default_factory=dict)
    # Who vouches for a supporting passage when it names someone ("the ministry said"):
    # outlets repeating one source are one origin.
    attributed_to: str = ""


@dataclass(frozen=True)
class ClaimAnalysis:
    """What is extracted from the claim once and compared with every passage."""

    claim: ClaimText
    figures: tuple[Figure, ...]
    quotations: tuple[Quotation, ...]
    is_denial: bool
    # "a third Qareshi fighter": an ordinal that states how many there are now.
    states_count: bool = False
    # The claim's words besides names and reporting verbs: empty for "Malesh said so."
    predicate: frozenset[str] = frozenset()
    # The words the claim itself negates ("has not sent"): a passage negating them agrees.
    negated: frozenset[str] = frozenset()
    # The claim repeats something at a distance itself ("reportedly"): so may its evidence.
    hedged: bool = False
    # Who the claim says said it ("NATO has called China ..."): the claim is about what was said.
    says_who: str = ""
    # It quotes someone in quote marks (claims.has_quotation): its quotations are their very words,
    # not what they said in the claim's words (reported speech).
    quoted: bool = False


# "a third fighter", "a second strike": the claim is about how many; words alone cannot confirm it.
_ORDINAL_COUNT = re.compile(
    r"\b(?:a|the)\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?!time\b)[a-z]+",
    re.IGNORECASE,
)


def analyse_claim(claim: ClaimText) -> ClaimAnalysis:
    quotations = extract_quotations(claim.text, default_speaker=claim.claimant)
    return ClaimAnalysis(
        claim=claim,
        figures=tuple(extract_figures(claim.text)),
        quotations=tuple(quotations or reported_speech(claim)),
        is_denial=denies(claim.text, predicate_stems(claim.text)),
        states_count=bool(_ORDINAL_COUNT.search(claim.text)),
        predicate=predicate_stems(claim.text),
        negated=frozenset(stem for word, _ in negated_words(claim.text) for stem in content_stems(word)),
        hedged=hedge(claim.text) is not None,
        says_who=find_claimant(claim.text).claimant,
        quoted=has_quotation(claim.text),
    )


# "Delic said Drazhin is hunting for soldiers abroad": what someone said, without quote marks.
_REPORTED = re.compile(
    r"\b(?:said|says|told (?:reporters|journalists|the \w+)|stated|declared|wrote|argued|insisted|warned|likened"
    # "called the crew heroes" says what someone said of them; "called for a ceasefire" is what many ask
    r"|called(?!\s+(?:for|on|off|up|in|out|back)\b))"
    r"(?:,)?(?:\s+that)?\s+(?P<words>\S.{15,})$",
    re.IGNORECASE,
)


def reported_speech(claim: ClaimText) -> list[Quotation]:
    """The words a claim says its claimant said, as a quotation to look for, so that a
    paraphrased claim is still checked against who said it."""
    found = _REPORTED.search(claim.text[:MAX_REPORTED_CHARS])
    if not claim.claimant or found is None or len(found.group("words").split()) < MIN_REPORTED_WORDS:
        return []
    words = found.group("words").rstrip(" .")
    return [Quotation(words, found.start("words"), found.start("words") + len(words), claim.claimant)]


def _per_pair(measure: Callable[[ClaimAnalysis, str, Weight], float]) -> Callable[..., float]:
    """A measure of one claim against one passage under one weighting, remembered: the rules
    and the learned layer's features read the same coverages of each pair several times. Keyed
    by the claim's words (an analysis is a function of them) to keep hashing cheap."""
    memo: dict[tuple[str, str, str, Weight], float] = {}

    def remembered(analysis: ClaimAnalysis, passage: str, weight: Weight = unweighted) -> float:
        key = (analysis.claim.text, analysis.claim.claimant, passage, weight)
        found = memo.get(key)
        if found is None:
            if len(memo) >= PAIR_MEMO_SIZE:
                memo.clear()  # a check reads ~40 passages: a bounded memo, emptied when full
            found = memo[key] = measure(analysis, passage, weight)
        return found

    remembered.__doc__ = measure.__doc__
    forgotten_with_the_rest(memo.clear)
    _PAIR_MEMOS.append(memo)
    return remembered


_PAIR_MEMOS: list[dict[tuple[str, str, str, Weight], float]] = []
_PAIR_CACHES: list[Callable[[], None]] = []  # the cache_clear of lru_caches of pairs' measures


def forget_pair_measures() -> None:
    """Empty the pairs' memos only (the benchmark's passes after the first: passages read before,
    by another claim's check, but not this pair)."""
    for memo in _PAIR_MEMOS:
        memo.clear()
    for clear in _PAIR_CACHES:
        clear()


@_per_pair
def relatedness(analysis: ClaimAnalysis, passage: str, weight: Weight = unweighted) -> float:
    """How much of the claim the passage talks about, 0..1: the mean of claim_coverage and the
    symmetric statement similarity. Coverage keeps a short passage that repeats two common words
    ("It did not mention the station") from looking related; the similarity keeps a long passage
    that mentions everything in passing from looking like a restatement."""
    coverage = claim_coverage(analysis, passage, weight)
    return round((coverage + statement_similarity(analysis.claim.text, passage, weight).score) / 2, 4)


@_per_pair
def claim_coverage(analysis: ClaimAnalysis, passage: str, weight: Weight = unweighted) -> float:
    """The IDF-weighted share of the claim's content words the passage repeats; a figure the
    passage agrees with counts as repeating the words that state it ("41" for "Forty-one")."""
    claim_stems = content_stems(analysis.claim.text)
    total = fsum(map(weight, claim_stems))
    if not total:
        return 0.0
    shared = claim_stems & (
        content_stems(passage) | _agreeing_figure_stems(analysis, passage) | _shared_place_stems(analysis, passage)
    )
    return fsum(map(weight, shared)) / total


def _shared_place_stems(analysis: ClaimAnalysis, passage: str) -> frozenset[str]:
    """The claim's words that name a country the passage names too, in whatever form
    ("North Korea" for "Pyongyang", "Russia" for "the Kremlin")."""
    mentions = place_mentions(analysis.claim.text)
    if not mentions:
        return frozenset()  # most claims name no country: the passage's need not be read
    named = places(passage)
    return frozenset().union(*(content_stems(m.surface) for m in mentions if m.place in named))


def _agreeing_figure_stems(analysis: ClaimAnalysis, passage: str) -> frozenset[str]:
    """The claim's words that state a figure the passage agrees with: the number, the noun
    counted and the event, however the passage words them ("41 taken to hospital" for "Forty-one injured")."""
    if not analysis.figures:
        return frozenset()
    agreeing = [
        claim_figure
        for evidence_figure in extract_figures(passage)
        for claim_figure in analysis.figures
        if compare_figures(claim_figure, evidence_figure) == Relation.AGREE
    ]
    return frozenset().union(*(_figure_stems(f) for f in agreeing))


@_per_pair
def rest_of_claim_coverage(analysis: ClaimAnalysis, passage: str, weight: Weight = unweighted) -> float:
    """The IDF-weighted share of the claim's words, other than those stating its figures,
    that the passage repeats: "Tamir confirmed the identities of the two prisoners" is not
    confirmed by a passage that only mentions the two prisoners."""
    figure_words = frozenset().union(*(_figure_stems(f) for f in analysis.figures))
    rest = content_stems(analysis.claim.text) - figure_words
    total = fsum(map(weight, rest))
    if not total:
        return 1.0
    shared = rest & (content_stems(passage) | _shared_place_stems(analysis, passage))
    return (fsum(map(weight, shared)) / total + len(shared) / len(rest)) / 2


def _figure_stems(figure: Figure) -> frozenset[str]:
    return content_stems(f"{figure.text} {figure.kind} {figure.counted_text} {EVENT_CONCEPTS.get(figure.event, '')}")


def judge(analysis: ClaimAnalysis, passage: CandidatePassage, weight: Weight = unweighted) -> Judgement:
    """The stance of ``passage`` towards the analysed claim, with its reason and spans."""
    judgement = _judge_alone(analysis, passage, weight)
    return _debunked_after(analysis, passage, judgement, weight) or judgement


# A passage that repeats the claim at a distance ("reportedly": it would have supported it), or that
# reports something in other words than the claim's ("A viral theory claims the ship was smuggling
# ..."), which only mention it: whether that something is the claim, the rumour decides (_rumour_is_the_claim).
_MAY_BE_A_RUMOUR = frozenset({"reported", "related"})


def _debunked_after(
    analysis: ClaimAnalysis, passage: CandidatePassage, judgement: Judgement, weight: Weight
) -> Judgement | None:
    """A conflict when the passage repeats the claim as a rumour and its article's next sentence
    debunks that rumour ("Other posts claimed the ship was run aground on purpose." / "There is no
    evidence for that either."): the debunk repeats none of the claim's words, so it is judged here,
    with the rumour it refers back to."""
    if not passage.following or judgement.reason not in _MAY_BE_A_RUMOUR:
        return None
    if not debunked_statement(passage.following, passage.text):
        # The next sentence rejects nothing it refers back to, or the passage vouches for what it
        # says: only a statement repeated at a distance is a rumour for a debunk to refer back to.
        return None
    after = replace(passage, text=passage.following, context=passage.text, following="")
    refuted = _judge_refutation(analysis, after, judgement.score, weight)
    if refuted is None or refuted.stance != CONFLICTS:
        return None
    details = {**refuted.details, "debunked_after": passage.following[:MAX_REPORTED_CHARS]}
    return replace(refuted, passage=passage, spans=(), details=details)


def _judge_alone(analysis: ClaimAnalysis, passage: CandidatePassage, weight: Weight) -> Judgement:
    """``judge``, but for what the next passage says of it."""
    related = relatedness(analysis, passage.text, weight)
    quoted = _judge_quotations(analysis, passage)
    if quoted is not None:
        return quoted
    if related < RELATED:
        return Judgement(passage, UNRELATED, "unrelated", related)
    if not analysis.predicate and not analysis.figures:
        # Nothing but a name to check: a passage naming the person confirms nothing.
        return Judgement(passage, MENTIONS, "nothing_to_check", related)
    if analysis.quoted and _another_speaker(analysis, passage):
        # The claim is that someone said these words, which the quotation rules did not find here:
        # another person's words, however alike their figures, times or denials, neither confirm
        # nor dispute that they were said. (What someone said in the claim's own words is judged
        # on: it may be confirmed by their spokesman's, their ministry's or their office's words.)
        return Judgement(passage, MENTIONS, "quote_other_speaker", related)
    other = other_event(analysis.claim.text, passage.text) or _happened_elsewhere(analysis, passage)
    if other is not None:
        return Judgement(passage, MENTIONS, "other_event", related, details={"other_event": other})
    others = _about_others_only(analysis, passage)
    if others is not None:
        return Judgement(passage, MENTIONS, "other_subject", related, details={"other_subject": others})
    by_figures = _judge_figures(analysis, passage, related, rest_of_claim_coverage(analysis, passage.text, weight))
    text = passage_in_context(analysis, passage)
    if text != passage.text and (by_figures is None or by_figures.stance == MENTIONS):
        # Its figure agrees and its article names what the passage leaves unsaid ("Five people
        # were on board" of the Titan): support. Never a conflict from the article's words.
        in_context = _judge_figures(
            analysis,
            passage,
            max(related, relatedness(analysis, text, weight)),
            rest_of_claim_coverage(analysis, text, weight),
        )
        by_figures = in_context if in_context is not None and in_context.stance == SUPPORTS else by_figures
    if by_figures is not None and by_figures.stance == CONFLICTS:
        return by_figures
    refuted = _judge_refutation(analysis, passage, related, weight)
    if refuted is not None:
        return refuted
    when = _judge_time_of_day(analysis, passage, related)
    if when is not None:
        return when
    if by_figures is not None and by_figures.stance == SUPPORTS:
        by_figures = _judge_place(analysis, passage, related) or by_figures
    if by_figures is not None:
        return in_its_voice(analysis, passage, by_figures)
    clock = _judge_clock_time(analysis, passage, related)
    if clock is not None:
        return in_its_voice(analysis, passage, clock)
    if not _refers_back(passage.text):
        text = passage.text
    elif text != passage.text:
        related = max(related, relatedness(analysis, text, weight))
    worded = _judge_wording(analysis, passage, related, weight, text)
    return in_its_voice(analysis, passage, worded)


# A claim that gives a cause or an origin: after the cue ("because its engine failed", "was caused
# by the wind", "came from the submarine"), or before it ("The wind was the only reason ...").
_CAUSE_AFTER = re.compile(
    r"\b(?:because(?: of)?|due to|caused by|as a result of|owing to|blamed on|(?:came|come|comes|originated) from)\b",
    re.IGNORECASE,
)
# ... up to the clause's end, or a clause that dates it ("... by a cyberattack before it crashed").
_CAUSE_END = re.compile(r"[.;,!?]|\b(?:before|after|when|while|until|once)\b", re.IGNORECASE)
_CAUSE_BEFORE = re.compile(r"\b(?:reasons?|causes?|caused|led to)\b", re.IGNORECASE)
# The agent of a passive: "was disabled by a cyberattack".
_AGENT = re.compile(r"\b(?:was|were|been|being) [a-z]+ed by\b", re.IGNORECASE)


# A claim that links two things without naming a cause: "the noises are linked to the wreck".
_LINKED = re.compile(r"\b(?:link|linked|links|connected|connection|tied to|related to)\b", re.IGNORECASE)


@memoised
def cause_stems(claim: str) -> frozenset[str]:
    """The words of the cause the claim gives, if it gives one (else none): what a passage must
    repeat to confirm it."""
    found = _CAUSE_AFTER.search(claim)
    if found is not None:
        return _stems_up_to_clause_end(claim, found.end())
    found = _CAUSE_BEFORE.search(claim)
    if found is not None:
        return content_stems(claim[: found.start()])
    return frozenset()


@memoised
def agent_stems(claim: str) -> frozenset[str]:
    """The words of the agent of the claim's passive ("was disabled by a cyberattack"), if any."""
    found = _AGENT.search(claim)
    return _stems_up_to_clause_end(claim, found.end()) if found else frozenset()


def _stems_up_to_clause_end(claim: str, start: int) -> frozenset[str]:
    end = _CAUSE_END.search(claim, start)
    return content_stems(claim[start : end.start() if end else len(claim)])


def passage_in_context(analysis: ClaimAnalysis, passage: CandidatePassage) -> str:
    """The passage's text, with the claim's names it leaves to its article when the article's
    title or the passage before names them: "It hit the pier at about 1:28 a.m." is about the
    ship and the bridge its article named. Names only: what the claim says happened must be in
    the passage itself (predicate coverage reads the passage alone)."""
    if not passage.context:
        return passage.text
    unsaid = _claim_names(analysis.claim.text) - content_stems(passage.text)
    written = _claim_name_words(analysis.claim.text)
    # A word of the context lends the claim's name only written as the claim writes it (a demonym
    # as its place): "Titanic" shares the stem of "Titan", not its name.
    named = [word for word in words_standing_for(passage.context, unsaid) if as_name(word) in written] if unsaid else []
    return f"{passage.text} ({' '.join(named)})" if named else passage.text


@memoised
def _claim_names(claim: str) -> frozenset[str]:
    """What the claim's names stand for, as content_stems reads them in the claim; not a
    capitalised word opening it ("Divers pulled ...")."""
    return content_stems(" ".join(_words_of_claim_names(claim))) & content_stems(claim)


@memoised
def _claim_name_words(claim: str) -> frozenset[str]:
    """The claim's names, word by word, as names (``as_name``): "Titan", not "Titanic"."""
    return frozenset(as_name(token) for word in _words_of_claim_names(claim) for token in tokens(word, keep_case=True))


def _words_of_claim_names(claim: str) -> list[str]:
    return [
        word
        for run in _NAME_RUN.finditer(claim)
        if not _opens_sentence(claim, run)
        for word in run.group().split()
        if _bare(word) not in CALENDAR_WORDS and _bare(word) not in _NUMBER_WORDS
    ]


# A sentence opening on a pronoun or a definite noun ("It hit the pier", "The bridge opened in
# 1977") is about something its article named before: its words alone may confirm the claim.
_OPENS_ON_A_REFERENCE = re.compile(r"^\W*(?:it|its|they|their|he|his|she|her|the|this|these|those)\b", re.IGNORECASE)


# Before a nationality the claim predicates ("were all Indian nationals", "is a Chinese citizen"),
# rather than one that tells whom it is about ("the captured Chinese men").
_PREDICATED = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:all|both|mostly|also|not)\s+)?(?:an?\s+)?$")
# ... or before the countries it says someone is from ("were from Mexico, Guatemala and Peru", "came from"),
# up to the end of that list.
_FROM = re.compile(r"\b(?:is|are|was|were|be|been|come|comes|came)\s+(?:(?:all|both|mostly|also|originally)\s+)?from\b")
_LIST_END = re.compile(r"[.;:!?]|\b(?:who|which|that|when|after|before|while)\b")


@memoised
def _predicated_places(claim: str) -> tuple[PlaceMention, ...]:
    """The countries the claim says someone belongs to: a nationality it predicates ("were Indian
    nationals") or where it says they are from ("were from Mexico and Peru"). Whose they are is then
    part of what the claim says, not whom its story is about."""
    claim = claim[:MAX_REPORTED_CHARS]
    mentions = place_mentions(claim)
    if not mentions:
        return ()
    origin = _FROM.search(claim)
    end = _LIST_END.search(claim, origin.end()) if origin else None
    stop = end.start() if end else len(claim)
    return tuple(
        m
        for m in mentions
        if m.place
        and (
            (m.form == PlaceForm.DEMONYM and _PREDICATED.search(claim, 0, m.start))
            or (origin is not None and origin.end() <= m.start < stop)
        )
    )


def _nationalities_not_given(claim: str, passage: CandidatePassage) -> frozenset[str]:
    """The countries the claim says someone belongs to ("were Indian nationals", "were from India")
    that neither the passage nor its article's context names in any form ("India", "New Delhi", "Indians")."""
    claimed = frozenset(m.place for m in _predicated_places(claim))
    return claimed - places(passage.text) - places(passage.context) if claimed else frozenset()


@memoised
def _negated_heads(claim: str) -> frozenset[str]:
    """What the claim says did not happen: the first word of each negated phrase that says more than
    who reported it ("not treated for Ebola": treated; "did not say pets go to heaven": pets). A
    passage naming Ebola or heaven does not affirm what was denied of them."""
    heads = set()
    for words, _ in negated_words(claim):
        stems = [stem for word in words.split() for stem in content_stems(word) - _REPORTING]
        heads.update(stems[:1])
    return frozenset(heads)


# A verb that gives something its name: what follows is the name, and the name is what the claim says.
# Not "called" (also what someone said of it: "called the crew heroes") nor "identified as" (as often
# a description: "identified as a British rapper").
_NAMING = re.compile(r"\b(?:named|renamed|dubbed|christened)\s+(?=[A-Z])")


def _names_not_given(analysis: ClaimAnalysis, text: str) -> tuple[NameRun, ...]:
    """The names the claim says someone or something was given ("was named Aya", "dubbed Big
    Ben") of which ``text`` gives no word: the name is then what the claim says, and a passage
    about the baby that never gives her name does not confirm it."""
    claim = analysis.claim.text[:MAX_REPORTED_CHARS]
    given = [name_runs(claim[found.end() :])[:1] for found in _NAMING.finditer(claim)]
    words = _name_words(text) if given else frozenset()
    return tuple(name for first in given for name in first if not name.key & words)


def _refers_back(text: str) -> bool:
    return bool(_OPENS_ON_A_REFERENCE.match(text))


def _judge_wording(
    analysis: ClaimAnalysis, passage: CandidatePassage, related: float, weight: Weight, text: str
) -> Judgement:
    """``text``: the passage in its article's context (passage_in_context)."""
    restates = (
        related >= SUPPORT_BY_WORDING
        and claim_coverage(analysis, text, weight) >= WORDING_COVERAGE
        # Naming the claim's subject is not saying what it says happened: "Salvage teams
        # refloated the Ever Given" says nothing of what the Ever Given was carrying. And a passage
        # whose subject is its article's ("The bridge carried ...") must say more of what happened.
        and _predicate_coverage(analysis, passage.text, weight)
        >= (PREDICATE_COVERAGE if text == passage.text else WORDING_COVERAGE)
    )
    affirmed = _negated_heads(analysis.claim.text) & content_stems(passage.text) - _passage_negated(passage.text)
    if restates and affirmed and not refutations(passage.text) and not denies(passage.text, analysis.predicate):
        rumour = hedge(passage.text)
        if rumour is not None:
            # It repeats the rumour the claim denies ("a post claiming the singer had died"), at a
            # distance: that is what the denial is about, not evidence against it.
            return Judgement(passage, MENTIONS, "related", related, details={"rumour": rumour.text})
        # The claim says it did not happen; the passage says it did.
        return Judgement(passage, CONFLICTS, "denied_affirmed", related, details={"affirmed": sorted(affirmed)})
    elsewhere = _judge_place(analysis, passage, related) if restates else None
    if elsewhere is not None:
        return elsewhere
    unsaid = _nationalities_not_given(analysis.claim.text, passage) if restates else frozenset()
    if unsaid:
        # Whose they are is part of what the claim says: "The Dali had 25 crew members on board"
        # says nothing of "All of the Dali's crew members were Indian nationals" (unless its article
        # says whose they are: "the two men captured" of an article about Chinese prisoners).
        return Judgement(passage, MENTIONS, "related", related, details={"nationality_not_given": sorted(unsaid)})
    where = tuple(name for name in name_runs(analysis.claim.text) if name.located)
    if restates and where and not _mentioned(where, text):
        # Where it happened is part of what the claim says: a passage that does not say where
        # does not confirm "captured in the Kharkiv region".
        return Judgement(passage, MENTIONS, "related", related, details={"place_not_given": _place_names(where)})
    unnamed = _names_not_given(analysis, text) if restates else ()
    if unnamed:
        # The name the claim says someone was given is what it says: "the baby was named Aya" is
        # not confirmed by a passage about the baby that never gives her name.
        return Judgement(passage, MENTIONS, "name_not_given", related, details={"names": _place_names(unnamed)})
    if analysis.is_denial != denies(passage.text, analysis.predicate):
        # One denies and the other does not, and the denial was not about the claim's words:
        # a passage that rejects something else, or states the fact a claimed denial is about,
        # confirms nothing of the claim.
        return Judgement(passage, MENTIONS, "related", related)
    cause = cause_stems(analysis.claim.text)
    if restates and cause and not cause & content_stems(passage.text):
        # The claim's point is why it happened: "ran aground because its engine failed" is not
        # confirmed by a passage saying only that the ship ran aground.
        return Judgement(passage, MENTIONS, "related", related, details={"cause_not_given": True})
    if analysis.states_count or any(figure.counted or figure.event for figure in analysis.figures):
        # The claim's point is a number: words alone, without the number, confirm nothing.
        return Judgement(passage, MENTIONS, "figure_not_given", related)
    if restates and analysis.quoted:
        # A claim that quotes someone word for word is confirmed by those words, which the quotation
        # rules did not find here: "Erdogan called it "the disaster of the century"" is not
        # confirmed by "Erdogan said it was the worst disaster since 1939".
        return Judgement(passage, MENTIONS, "quote_absent", related)
    quoted = extract_quotations(passage.text) if restates and analysis.quotations else []
    if restates and not quoted:
        # A claim that quotes someone is confirmed by their words, not by other words of theirs
        # on the same subject: the quotation rules found none of the claim's in this passage.
        return Judgement(passage, SUPPORTS, "wording_overlap", related)
    said_by = analysis.quotations[0].speaker if analysis.quotations else ""
    by_them = not (said_by and passage.speaker) or same_person(said_by, passage.speaker)
    if restates and by_them and _restates_outside(analysis, passage.text, quoted, weight):
        # The claim reports what someone said in its own words ("Berdowski warned that refloating
        # the ship could take weeks"), and so does the passage, beside another quotation of theirs.
        return Judgement(passage, SUPPORTS, "wording_overlap", related)
    return Judgement(passage, MENTIONS, "related", related)


def _restates_outside(analysis: ClaimAnalysis, text: str, quoted: list[Quotation], weight: Weight) -> bool:
    """Whether the passage says what the claim reports someone said outside these quotations of it."""
    unquoted = mask_quotations(text, [(quotation.start, quotation.end) for quotation in quoted])
    return (
        claim_coverage(analysis, unquoted, weight) >= WORDING_COVERAGE
        and _predicate_coverage(analysis, unquoted, weight) >= WORDING_COVERAGE
    )


def in_its_voice(analysis: ClaimAnalysis, passage: CandidatePassage, judgement: Judgement) -> Judgement:
    """A supporting judgement as the passage's voice allows: a report when the passage keeps its
    distance ("reportedly") or its source is the claimant, else support on its source's authority."""
    if judgement.stance != SUPPORTS:
        return judgement
    about_saying = bool(analysis.says_who or analysis.quotations)
    # An accusation is a hedge only when nobody is named as making it: "Malesh alleged ..." is
    # evidence on Malesh's authority, "the army is accused of ..." is a rumour repeated.
    accusations_hedge = not (about_saying or passage.speaker)
    cue = None if analysis.hedged else (hedge if accusations_hedge else distance)(passage.text)
    if cue is not None and _keeps_distance(analysis, passage.text, judgement, cue):
        return _reported(judgement, Span(cue.start, cue.end, "hedge"), {"hedge": cue.text})
    return on_whose_authority(analysis, passage, judgement)


def on_whose_authority(analysis: ClaimAnalysis, passage: CandidatePassage, judgement: Judgement) -> Judgement:
    """A supporting judgement on its source's authority: outlets repeating one source are one
    origin, and the claimant repeating the claim confirms only that it was made."""
    if analysis.says_who or analysis.quotations:
        # The claim is about what someone said: each outlet reporting it is a witness of its own.
        return judgement
    claimant = analysis.claim.claimant
    if passage.speaker and claimant and same_person(claimant, passage.speaker):
        # The claimant repeating their own claim confirms only that they made it.
        return _reported(judgement, None, {"said_by": passage.speaker})
    return replace(judgement, attributed_to=passage.speaker)


def _keeps_distance(analysis: ClaimAnalysis, text: str, judgement: Judgement, cue: Cue) -> bool:
    """Whether the hedge is on what supports the claim: the figure or quotation that decided is
    in the hedged part, or the hedged part says more of the claim than the rest of the passage
    ("losses are believed to have been heavy, and Oskaria has rotated fresh battalions" vouches
    for the rotation)."""
    start, end = hedged_region(text, cue)
    if judgement.spans:
        return any(span.start < end and span.end > start for span in judgement.spans)
    rest = text[:start] + " " + text[end:]
    claimed = content_stems(analysis.claim.text)
    if not cue.describes_noun and claimed & content_stems(text[start:end]) - content_stems(rest):
        # Some of what the claim says is said only under the hedge: "The baby born under the
        # rubble has reportedly been named Aya" vouches for the baby, not for her name.
        return True
    hedged, vouched = claim_coverage(analysis, text[start:end]), claim_coverage(analysis, rest)
    # A hedged description of a noun ("a video apparently showing ...") leaves the sentence's own
    # statement about that noun vouched for, unless the description says more of the claim.
    return hedged > vouched if cue.describes_noun else hedged >= vouched


def _reported(judgement: Judgement, span: Span | None, why: dict[str, str]) -> Judgement:
    return replace(
        judgement,
        stance=MENTIONS,
        reason="reported",
        spans=judgement.spans + ((span,) if span else ()),
        details={**judgement.details, **why, "would_support": judgement.reason},
    )


# --- Same event ----------------------------------------------------------------------------

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# A run of capitalised words, "of" allowed inside ("Bank of England"): a name as news writes it.
_NAME_RUN = re.compile(r"[A-Z][\w'\u2019.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'\u2019.-]*){0,5}")


# Capitalised at the start of a sentence, not as a name ("Six people died ...").
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred hundreds "
    "thousand thousands dozens several".split()
)


def _bare(word: str) -> str:
    """ "Korva's" -> "korva": the name without its possessive or punctuation."""
    return word.lower().replace("\u2019", "'").removesuffix("'s").strip(".'")


def other_event(claim: str, passage: str) -> str | None:
    """What shows that ``passage`` is about another event than the claim, if anything: it dates
    itself to a year the claim does not give and names only others than the claim does ("When the
    freighter Summit Venture hit the Sunshine Skyway Bridge in May 1980, 35 people died" is no
    evidence about the Key Bridge). A passage that names nobody may be about the claim's event,
    referring back to it ("Six people died in the collapse"): it is not set aside."""
    other_years = set(_YEAR.findall(passage[:MAX_REPORTED_CHARS])) - set(_YEAR.findall(claim))
    if not other_years:
        return None
    theirs = name_keys(passage)
    if not theirs:
        return None
    ours = name_keys(claim)
    shared = [a for a in ours if any(a <= b or b <= a for b in theirs)]
    # A capitalised word opening the claim ("Around 11,000 ...") is no name the passage must give.
    named = {run.key for run in name_runs(claim) if not run.opens}
    if shared and (named <= set(shared) or not _names_others(theirs, ours)):
        return None
    # It names none of the claim's names, or names one of them (the ship, the company) in another
    # place than the claim's others ("In July 2016 the Dali hit a quay wall in Antwerp" is not
    # the Dali hitting the Key Bridge): another event.
    return f"{min(other_years)}"


def _names_others(theirs: Iterable[frozenset[str]], ours: Iterable[frozenset[str]]) -> bool:
    """Whether some of ``theirs`` is none of ``ours``."""
    return any(not any(a <= b or b <= a for a in ours) for b in theirs)


# Which one of a series the text speaks of: "the first quake" is not "the second" or "a new earthquake".
_SERIES = re.compile(
    r"\b(?P<which>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|initial|new|latest)\s+"
    r"(?!time\b|times\b|of\b|to\b|in\b|and\b)[a-z]",
    re.IGNORECASE,
)


def other_subject(analysis: ClaimAnalysis, passage: CandidatePassage, *, conflict: bool = False) -> str | None:
    """What shows that the passage's figures count something of another subject than the claim's,
    if anything: they count the same kind of thing, but the passage names only others than the claim
    does, leaving aside who is speaking and where ("All 22 crew members of the Dali" for "the Ever
    Given's 25 crew"), or another one of a series ("a new earthquake" for "the first earthquake"); for
    a conflict, also a series the other does not place the figure in ("the second quake" for "a
    magnitude 7.8 earthquake"), or a count the passage gives for another day than the claim's
    (_published_another_day). A passage that names nobody may refer back to the claim's subject
    ("Another 41 people were taken to hospital"): it is not set aside."""
    claimed, given = _series(analysis.claim.text), _series(passage.text)
    if (claimed and given and not claimed & given) or (conflict and claimed != given and not claimed & given):
        return f"{', '.join(sorted(given)) or 'no series'} (not {', '.join(sorted(claimed)) or 'no series'})"
    claimed, given = _days(analysis.claim.text), _days(passage.text)
    if claimed and given and not claimed & given:
        # A count given for another day: tolls rise and queues grow ("above 21,000 on Friday" is
        # no evidence about "above 11,000 by Wednesday").
        return f"{', '.join(sorted(given))} (not {', '.join(sorted(claimed))})"
    if given and not claimed:
        elsewhen = _weekday_not_the_claims_date(analysis, passage, given)
        if elsewhen is not None:
            return elsewhen
    if conflict and not given:
        elsewhen = _published_another_day(analysis, passage, claimed)
        if elsewhen is not None:
            return elsewhen
    ours, theirs = _subjects(analysis, passage)
    if not (_named(ours) and _named(theirs)):
        return None
    if not _mentioned(ours, passage.text) and not _mentioned(theirs, analysis.claim.text):
        return _listed(_named(theirs))
    # One of the claim's names replaced by another: "25,000 troops to fight for Brarashesh" for
    # "25,000 soldiers to fight for Stema", "a missile hit the Mapest hospital" for "the Tregesk
    # market". A name the passage leaves out but its article gives is referred back to.
    given = _name_words(f"{passage.text} {passage.context}")
    missing = [name for name in _named(ours) if not _loosely_named(name, given)]
    claimed = _name_words(analysis.claim.text)
    instead = [name for name in _named(theirs) if not _loosely_named(name, claimed)]
    slots = frozenset().union(*(_slots(analysis.claim.text, name) for name in missing))
    replaced = [name for name in instead if _slots(passage.text, name) & slots]
    if missing and replaced:
        return f"{_listed(replaced)} (not {_listed(missing)})"
    return None


def _subjects(analysis: ClaimAnalysis, passage: CandidatePassage) -> tuple[tuple[NameRun, ...], tuple[NameRun, ...]]:
    """The names of what the claim is about, and of what the passage is about (subject_names)."""
    ours = subject_names(analysis.claim.text, analysis.claim.claimant, analysis.says_who)
    theirs = subject_names(passage.text, passage.speaker)
    if not places(analysis.claim.text):
        # A country is another subject only against a claim that names one: passages add the
        # nationality of a ship's crew or flag ("all of them Indian nationals") to any claim about it.
        # Unless its article never names what the claim is about: then a country named as such is
        # what it is about ("an earthquake struck southern Turkey, killing more than 2,300" is no
        # toll of "when the Dali brought down the Key Bridge").
        countries = _countries_added(passage, ours)
        theirs = tuple(name for name in theirs if not name.key <= countries)
    return ours, theirs


def _about_others_only(analysis: ClaimAnalysis, passage: CandidatePassage) -> str | None:
    """The names a passage is about when they are all others than the claim's, and its article names
    none of the claim's anywhere: the passage is about another story, however alike its words
    ("Foreign Minister Delic would summon Qaresh's charge d'affaires" for "Ukraine's foreign minister
    was told to seek an explanation from Beijing"). Not when either is a Title Case headline, whose
    capitals say nothing of which words are names. Read for every passage judged: the common case,
    an article that names the claim's subject, costs a few set lookups."""
    ours = _claim_subjects(analysis.claim.text, analysis.claim.claimant, analysis.says_who)
    if not ours or _article_names_any(passage, ours) or is_title_case(passage.text):
        return None
    # A passage that names nobody is not set aside, whatever its article: an article may tell the
    # claim's story without its names ("a container ship knocked it down", never "the Dali").
    theirs = tuple(_named(_subjects(analysis, passage)[1]))
    claimed = _name_words(analysis.claim.text)
    if not theirs or any(_loosely_named(name, claimed) for name in theirs):
        return None
    return _listed(theirs)


def names_replaced(a: str, b: str) -> str | None:
    """What shows that two statements alike in their words are about different parties, if anything:
    each names someone or something of which the other gives no word ("Moderna's vaccine is 95%
    effective" and "Pfizer's vaccine is 95% effective"; "Lithuania summoned China's envoy" and
    "Ukraine summoned China's envoy"), leaving aside who is speaking and where it happened
    (subject_names). A statement naming nobody may mean the other's ("The company's vaccine ..."),
    and a Title Case headline's capitals say nothing: neither is set apart."""
    if is_title_case(a) or is_title_case(b):
        return None
    words_a, words_b = _name_words(a), _name_words(b)
    missing = [name for name in _statement_names(a) if not _any_word_given(name, words_b)]
    instead = [name for name in _statement_names(b) if not _any_word_given(name, words_a)]
    return f"{_listed(instead)} (not {_listed(missing)})" if missing and instead else None


def _any_word_given(name: NameRun, words: frozenset[str]) -> bool:
    """Whether ``words`` give any word of the name, loosely (_loosely_named): "the bridge" gives the
    "Key Bridge", "Lestovia's army" the "Lestovian troops"."""
    return any(_loosely_given(frozenset({word}), words) for word in name.key)


# A statement opening on a possessive names whose it is: "Moderna's vaccine", "Russia's economy";
# not a day's ("Today's storm", "Monday's vote") nor anyone's.
_OPENING_POSSESSIVE = re.compile(r"\s*[\"'\u201c]?([A-Z][\w-]*)['\u2019]s\b")
_NO_OWNERS = CALENDAR_WORDS | frozenset(
    "today yesterday tomorrow tonight everyone everybody nobody someone somebody anyone anybody".split()
)


def _statement_names(text: str) -> list[NameRun]:
    """The names of what a statement is about (subject_names): its opening word too when it is a
    country or opens on a possessive, which no sentence opener does for any other reason."""
    opening = _OPENING_POSSESSIVE.match(text)
    owner = _bare(opening.group(1)) if opening and opening.group(1).lower() not in _NO_OWNERS else ""
    return [
        name
        for name in dict.fromkeys(subject_names(text))
        if not name.opens or name.key == {owner} or name.key <= places(text)
    ]


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _claim_subjects(claim: str, claimant: str, says_who: str) -> tuple[NameRun, ...]:
    """The names of what a claim is about (subject_names, surely names), none for a Title Case headline."""
    return () if is_title_case(claim) else tuple(_named(subject_names(claim, claimant, says_who)))


forgotten_with_the_rest(_claim_subjects.cache_clear)


def _article_names_any(passage: CandidatePassage, names: Iterable[NameRun]) -> bool:
    """Whether the passage, its context or anywhere in its article names one of ``names`` (loosely:
    "Korvan" names "Korva"). Its article's names hold its own and its context's when it has them."""
    given = passage.article_names or _name_words(f"{passage.text} {passage.context}")
    return any(name.key <= given for name in names) or any(_loosely_given(name.key, given) for name in names)


def _countries_added(passage: CandidatePassage, ours: tuple[NameRun, ...]) -> frozenset[str]:
    """The countries a passage names that say whose or which, not what it is about: every one when
    its article names the claim's subject (or the claim names none), else only those named by their
    people ("Indian nationals"), which say whose the crew is."""
    named = _named(ours)
    if not named or _article_names_any(passage, named):
        return places(passage.text)
    return frozenset(m.place for m in place_mentions(passage.text) if m.place and m.form == PlaceForm.DEMONYM)


_WORD_BEFORE = re.compile(r"([a-z]+)\s+(?:(?:the|a|an)\s+)?$")
_WORD_AFTER = re.compile(r"[\w'\u2019-]*\s+([a-z]+)")
# The slot of a name that names a thing by the noun after it: "the Tregesk market", "the Voshak bus depot".
NAMING_A_THING = "+"


def _slots(text: str, name: NameRun) -> frozenset[str]:
    """Where ``text`` first gives the name: the word before it ("for" in "to fight for Stema", "hit"
    in "hit the Tregesk market"), and NAMING_A_THING when a noun follows it ("the Tregesk market",
    "strike on the Voshak bus depot"). A name in the same place in the other text stands in for it.
    Empty when it opens the sentence, or follows and precedes other names."""
    text = text[:MAX_REPORTED_CHARS]
    found = [
        m for word in name.key if word.islower() for m in [re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE)] if m
    ]
    if not found:
        return frozenset()
    first, last = min(m.start() for m in found), max(m.start() for m in found)
    before = _WORD_BEFORE.search(text, 0, first)
    after = _WORD_AFTER.match(text, last)
    noun = after.group(1) if after else ""
    names_a_thing = bool(noun) and noun not in STOPWORDS and not _a_verb_follows(noun)
    return frozenset({before.group(1)} if before else ()) | ({NAMING_A_THING} if names_a_thing else frozenset())


def _loosely_named(name: NameRun, words: frozenset[str]) -> bool:
    """Whether ``words`` hold each word of the name, or a word that begins it or that it begins: a
    people's name for its country's ("Korvan" for "Korva"), which no table knows for every place."""
    return _loosely_given(name.key, words)


@lru_cache(maxsize=PAIR_MEMO_SIZE)
def _loosely_given(key: frozenset[str], words: frozenset[str]) -> bool:
    """_loosely_named, remembered: an article's names are looked up for each of its passages."""
    return all(
        word in words or any(len(w) >= MIN_NAME_STEM and (w.startswith(word) or word.startswith(w)) for w in words)
        for word in key
    )


_PAIR_CACHES.append(_loosely_given.cache_clear)
forgotten_with_the_rest(_loosely_given.cache_clear)


def _listed(names: Iterable[NameRun]) -> str:
    """The names for a reviewer, as written ("Foreign Minister Roksana Delic; Qaresh"), each once."""
    return "; ".join(sorted({name.written or " ".join(sorted(name.key)) for name in names}))


# A moment a count is given for by what happened then: "when the canal reopened", "after the
# 1967 war", "during the morning rush". The clause runs to the next punctuation.
_MOMENT = re.compile(r"\b(?:when|after|before|since|until|during|once)\s+(?P<what>[^,.;:!?]+)", re.IGNORECASE)
# A passage that places its count at a moment the sentences before it named: "at the time".
_THAT_MOMENT = re.compile(r"\bat (?:the|that) time\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019-]*")


def _moment_not_stated(claim: str, passage: CandidatePassage) -> str | None:
    """The moment the claim gives its count for (a year, or an event: "when the canal reopened",
    "after the 1967 war"), when the passage does not state it: queues grow, tolls rise, and a
    count of another moment ("321 ships were waiting", the Saturday before) does not contradict
    it. A passage states the year by repeating it; it states the event by repeating most of what
    happened then, besides the names, which the whole story shares ("a missile slammed into the
    railway station" for "when a missile hit the railway station", not "the stuck Ever Given" for
    "when the Ever Given was refloated"), or by placing its count at a moment of its own ("when the
    blast tore through the hall", "at the time"): which moment that is, the other rules judge. A
    passage of no known day (no day named, no publication date) is taken to refer back to the
    claim's moment, as a passage that names nobody is taken to refer back to its subject."""
    claim, text = claim[:MAX_REPORTED_CHARS], passage.text[:MAX_REPORTED_CHARS]
    # A passage that names no year gives its count for the year it was published.
    given_years = set(_YEAR.findall(text)) | ({str(passage.published.year)} if passage.published else set())
    missing_years = set(_YEAR.findall(claim)) - given_years
    if missing_years:
        return f"in {min(missing_years)} (not stated)"
    if _MOMENT.search(text) or _THAT_MOMENT.search(text):
        return None
    if passage.published is None and not _days(text) and not month_days(text):
        return None  # a passage of no known day may be of the claim's moment, referring back to it
    # The article may state the moment once for all its counts: the title "Canal reopens after
    # six-day blockage" over "422 ships were waiting" dates the count, as the passage would.
    stated = content_stems(text) | content_stems(passage.context[:MAX_REPORTED_CHARS])
    for moment in _MOMENT.finditer(claim):
        what = content_stems(_CAPITALISED.sub(" ", moment.group("what"))) or content_stems(moment.group("what"))
        if 2 * len(what & stated) <= len(what):
            return f"{moment.group().strip()} (not stated)"
    return None


@memoised
def _name_words(text: str) -> frozenset[str]:
    """Every word of ``text`` as a name's word may match it: bare, the countries it names, the
    acronyms of its names of several words ("un" for "United Nations")."""
    text = text[:MAX_REPORTED_CHARS]
    words = {_bare(word) for word in _WORDS.findall(text)} | set(places(text))
    return frozenset(words | {name.initials for name in name_runs(text) if name.initials})


def article_names(title: str, text: str) -> frozenset[str]:
    """A passage's ``article_names``: the name words (as _name_words reads them) of its article's
    title and of its text, as far as ARTICLE_NAME_CHARS (a story names its subject early)."""
    return frozenset().union(
        *(_name_words(chunk) for chunk in _chunks(f"{title}\n{text}"[:ARTICLE_NAME_CHARS], MAX_REPORTED_CHARS))
    )


def _chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters, cut at a space where there is one."""
    while text:
        cut = len(text) if len(text) <= size else (text.rfind(" ", 0, size) + 1 or size)
        yield text[:cut]
        text = text[cut:]


_DAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)


def _judge_place(analysis: ClaimAnalysis, passage: CandidatePassage, related: float) -> Judgement | None:
    """A passage that says what the claim says, but somewhere else: "captured in the Donetsk region"
    for "captured in the Kharkiv region", "12 killed in Marovka" for "12 killed in Ostrel"."""
    elsewhere = None if analysis.is_denial else _other_place(analysis, passage)
    if elsewhere is None:
        return None
    claimed, given = elsewhere
    return Judgement(
        passage,
        CONFLICTS,
        "place_conflict",
        round(max(related, 0.6), 4),
        claim_value=claimed,
        evidence_value=given,
        details={"claim_place": claimed, "evidence_place": given},
    )


def _happened_elsewhere(analysis: ClaimAnalysis, passage: CandidatePassage) -> str | None:
    """Where the passage's account happened, when it happened somewhere else than the claim's and
    is therefore another event, however alike its words and figures: "A passenger train derailed
    near Jafoshin, killing 13" is no evidence about "20 died when a train derailed near Lesuava";
    "7,700 were evacuated from Rojoava" counts another town's evacuees than "3,700 from Sastoven",
    even in an article that names both towns. Only a claim that counts nothing and whose actors
    the passage names may be contradicted by another place: the same people acting somewhere else
    is the claim misplacing what they did (_judge_place), unless the article names the claim's
    place too, and the passage is then about another part of the story."""
    if analysis.is_denial:
        return None
    elsewhere = _other_place(analysis, passage)
    if elsewhere is None:
        return None
    claim = analysis.claim.text
    if not analysis.figures:
        # A capitalised word opening the claim counts too, when the passage names it ("Qareshi nationals").
        actors = subject_names(claim, analysis.claim.claimant, analysis.says_who)
        ours = tuple(name for name in name_runs(claim) if name.located)
        if (
            actors
            and all(_mentioned((actor,), passage.text) for actor in actors)
            and not _mentioned(ours, passage.context)
        ):
            return None
    claimed, given = elsewhere
    return f"{given} (not {claimed})"


def _other_place(analysis: ClaimAnalysis, passage: CandidatePassage) -> tuple[str, str] | None:
    """Where the claim says it happened and where the passage says it did, when both say where
    ("in", "at", "near" a name) and neither names the other's place anywhere ("in Ukraine's Kharkiv
    region" / "in eastern Ukraine's Donetsk region"; not "in Ukraine" / "in Ukraine's Donetsk region")."""
    ours = tuple(name for name in name_runs(analysis.claim.text) if name.located)
    theirs = tuple(name for name in name_runs(passage.text) if name.located)
    if not ours or not theirs or _mentioned(ours, passage.text) or _mentioned(theirs, analysis.claim.text):
        return None
    return _place_names(ours), _place_names(theirs)


def _place_names(names: tuple[NameRun, ...]) -> str:
    return "; ".join(
        " ".join(sorted(country_name(word) if word.isupper() else word.title() for word in name.key)) for name in names
    )


def _weekday_not_the_claims_date(
    analysis: ClaimAnalysis, passage: CandidatePassage, weekdays: frozenset[str]
) -> str | None:
    """The date a passage's "on Monday" stands for, counted back from the day it was published, when
    the claim names another date: "a new quake of magnitude 6.4 struck on Monday", published on
    February 21, is about February 20, not "the February 6 earthquake"."""
    claimed = month_days(analysis.claim.text[:MAX_REPORTED_CHARS])
    text = passage.text[:MAX_REPORTED_CHARS]
    if not claimed or passage.published is None or month_days(text):
        return None
    day = claim_date(text, passage.published)
    if day is None or (day == passage.published and WEEKDAYS[day.weekday()] not in weekdays):
        return None  # no "on <weekday>" read ("Monday's toll" is no date of its count)
    if (day.month, day.day) in claimed:
        return None
    return f"{_month_days({(day.month, day.day)})} (not {_month_days(claimed)})"


def _published_another_day(analysis: ClaimAnalysis, passage: CandidatePassage, weekdays: frozenset[str]) -> str | None:
    """The day a passage that names no day of the week gives its count for, when it is not the
    claim's: the date it names ("on March 27"), else the day its source was published. "More than
    400 vessels were waiting", published on a Monday, does not contradict "321 were waiting on
    Saturday" (the queue grew). The claim's day is the one it names (``weekdays``, a date); a
    claim that names none is not compared with the day a passage was published: most counts it
    would be checked against ("11,000 soldiers", a crew of 25) do not change from day to day, and
    outlets report the same fact on different days. Only a conflict is set aside so: a count that
    agrees on another day may be one that did not change."""
    claimed = month_days(analysis.claim.text[:MAX_REPORTED_CHARS])
    named = month_days(passage.text[:MAX_REPORTED_CHARS])
    if named:
        return f"{_month_days(named)} (not {_month_days(claimed)})" if claimed and not named & claimed else None
    published = passage.published
    if published is None:
        return None
    if weekdays:
        day = WEEKDAYS[published.weekday()]
        return None if day in weekdays else f"published on a {day.title()} (not {', '.join(sorted(weekdays))})"
    if not claimed or (published.month, published.day) in claimed:
        return None
    return f"published {_month_days({(published.month, published.day)})} (not {_month_days(claimed)})"


def _month_days(days: Iterable[tuple[int, int]]) -> str:
    return ", ".join(f"{calendar.month_name[month]} {day}" for month, day in sorted(days))


def _days(text: str) -> frozenset[str]:
    return frozenset(day.lower() for day in _DAY.findall(text[:MAX_REPORTED_CHARS]))


def _series(text: str) -> frozenset[str]:
    return frozenset(found.group("which").lower() for found in _SERIES.finditer(text[:MAX_REPORTED_CHARS]))


# Who is speaking, as news names them: "..., according to the canal services firm Leth Agencies",
# "Osama Rabie said", "the ship's manager, Synergy Marine Group, said", "said Osama Rabie".
_CAPITALISED_RUN = r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,5}"
_SAID = r"(?:said|says|told|wrote|writes|stated|announced|added|confirmed|estimated)"
_SPOKE = re.compile(_SAID)
_ATTRIBUTION = re.compile(
    rf"\baccording to\b[^.;]*|{_CAPITALISED_RUN},?\s+(?:has\s+|had\s+)?{_SAID}\b"
    rf"|\b{_SAID}\s+(?:the\s+)?{_CAPITALISED_RUN}"
    # Who found what the passage reports is its source too: "documents reviewed by the Review".
    rf"|\b(?:reviewed|seen|obtained|compiled|cited|quoted)\s+by\s+(?:the\s+)?{_CAPITALISED_RUN}"
)


def subject_names(text: str, *speakers: str) -> tuple[NameRun, ...]:
    """The names of what ``text`` is about (name_runs), without those of who is speaking (the
    speakers given, and whoever the text says said it) or of where it happened ("in Baltimore")."""
    text = _ATTRIBUTION.sub(" ", text[:MAX_REPORTED_CHARS])
    spoken = frozenset(_bare(word) for speaker in speakers for word in speaker.replace(",", " ").split())
    return tuple(name for name in name_runs(text) if not name.located and not name.key <= spoken)


def _named(names: tuple[NameRun, ...]) -> list[NameRun]:
    """The names that are surely names: not a single word that only opens the sentence ("Divers
    recovered ...", "Another 41 people ...": capitalised, perhaps, for that alone)."""
    return [name for name in names if not name.opens]


def _mentioned(names: tuple[NameRun, ...], text: str) -> bool:
    """Whether ``text`` names any of ``names``, in any form: a country however written, a name's
    words anywhere ("Korva leaned ..." names the claim's "Korva")."""
    words = _name_words(text)
    return any(name.key <= words for name in names)


_WORDS = re.compile(r"[\w'\u2019.-]+")


@memoised
def name_keys(text: str) -> frozenset[frozenset[str]]:
    """The names of ``text``, each as its set of words (a country as its code, however written),
    so that "Key Bridge" is found in "Francis Scott Key Bridge" and "Pyongyang" is "North Korea"."""
    return frozenset(name.key for name in name_runs(text))


class NameRun(NamedTuple):
    key: frozenset[str]  # as name_keys gives it
    opens: bool  # a single word opening a sentence
    located: bool  # where something happened: "in Baltimore", "east of Cape Cod"
    initials: str = ""  # of a name of several words, as its acronym would be: "un" for "United Nations"
    written: str = ""  # as the text writes it, without a possessive: what a reviewer is shown


# Before a name that says where, not who: "in Ukraine", "near the Titanic", "some 1,450 kilometres east of Cape Cod".
# Or a place people were moved out of: "evacuated from Sastoven".
_LOCATED = re.compile(
    r"\b(?:in|at|near|around|off|inside|outside|(?:north|south|east|west)(?:east|west)? of"
    r"|(?:evacuated|evacuees|fled|rescued|displaced|expelled|deported) from)\s+(?:the\s+)?(?:[a-z]+\s+)?"
    # "near the village of Grizhashik", "in the city of Duzanovo"
    r"(?:(?:village|town|city|region|province|district|port) of\s+)?$"
)


_POSSESSIVE_END = re.compile(r"['\u2019]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


@memoised
def name_runs(text: str) -> tuple[NameRun, ...]:
    """Each name of ``text`` as name_keys gives it, with what its place in the sentence says of it.
    A country is its code however written; a run that names one and more ("Ukraine's Kharkiv region",
    "The Chinese") keeps the code and its other words."""
    text = text[:MAX_REPORTED_CHARS]
    countries = place_mentions(text)
    found = []
    for run in _NAME_RUN.finditer(text):
        located = bool(_LOCATED.search(text, max(0, run.start() - 40), run.start())) and _ends_a_place(text, run)
        inside = [m for m in countries if run.start() <= m.start < run.end()]
        rest = run.group()
        for mention in inside:
            offset = mention.start - run.start()
            rest = rest[:offset] + " " * len(mention.surface) + rest[offset + len(mention.surface) :]
        words = [_bare(w) for w in rest.split() if w.lower() not in ("of", "the")]
        words = [w for w in words if w and w not in CALENDAR_WORDS and w not in STOPWORDS and w not in _NUMBER_WORDS]
        key = frozenset(m.place for m in inside) | frozenset(words)
        if not key:
            continue
        written = _POSSESSIVE_END.sub("", _LEADING_THE.sub("", run.group().strip()))
        if not words:
            found.append(NameRun(key, False, located, written=written))
            continue
        initials = "".join(word[0] for word in words) if len(words) > 1 and not inside else ""
        found.append(NameRun(key, _opens_sentence(text, run) and not inside, located, initials, written))
    return tuple(found)


# Nouns a place name is written before: "the Donetsk region", "Hatay province", "the Suez Canal port".
_PLACE_NOUNS = frozenset(
    "region province city town village district area county state oblast port capital country territory "
    "republic island islands coast border river sea bay lake valley airport square street harbour harbor "
    "neighbourhood neighborhood suburb municipality governorate prefecture canal strait peninsula".split()
)
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


def _ends_a_place(text: str, run: re.Match[str]) -> bool:
    """Whether the name after "in" is where, not what: "in the Donetsk region", "in Kharkiv on
    Tuesday", but not "in the Erzincan earthquake" (a name of the earthquake)."""
    following = _NEXT_WORD.match(text, run.end())
    word = following.group(1) if following else ""
    possessive = run.group().endswith(("'s", "\u2019s"))  # "in Korva's armed forces": whose, not where
    return not word or word in STOPWORDS or word in _PLACE_NOUNS or (not possessive and _a_verb_follows(word))


def _a_verb_follows(word: str) -> bool:
    """Whether the word after a name is what its sentence's subject did ("Police in Vodilel arrested
    251", "officials in Dalmir said"): the name said where they are, and is no name of a thing."""
    return _SPOKE.fullmatch(word) is not None or (len(word) > 4 and word.endswith("ed")) or word in _VERBS_OF_HEADLINES


# What a headline says happened, after where: "missile strike on the depot in Lifemgrad kills 6".
_VERBS_OF_HEADLINES = frozenset({"kills", "hits", "strikes", "leaves", "wounds", "injures", "claims"})


_SENTENCE_OPENERS = frozenset('.!?:;"\u201c\u2018(\u2014-')


def _opens_sentence(text: str, run: re.Match[str]) -> bool:
    return " " not in run.group() and (not run.start() or text[: run.start()].rstrip()[-1:] in _SENTENCE_OPENERS)


# --- Quotations -----------------------------------------------------------------------------

_QUOTE_STANCE = {
    QuoteMatchKind.VERBATIM: ("quote_verbatim", 1.0),
    QuoteMatchKind.NEAR_VERBATIM: ("quote_near_verbatim", 0.9),
    QuoteMatchKind.VARIANT: ("quote_variant", 0.7),
}


def _judge_quotations(analysis: ClaimAnalysis, passage: CandidatePassage) -> Judgement | None:
    best: tuple[Quotation, QuoteMatch] | None = None
    reported = not analysis.quoted  # what someone said, in the claim's words
    for quotation in analysis.quotations:
        # Matched as if nobody said it, so that a re-worded quotation given to someone else
        # is found too; who said it is compared below.
        anonymous = replace(quotation, speaker="")
        match = match_quotation(anonymous, passage.text, passage_speaker=passage.speaker)
        if match.kind != QuoteMatchKind.VERBATIM and _polarity(quotation.text) != _polarity(match.matched_text):
            continue  # "we will not send troops" is not a rendering of "we will send troops"
        if match.kind == QuoteMatchKind.VARIANT and not _renders(quotation.text, match.matched_text, reported):
            continue
        if match.kind == QuoteMatchKind.NEAR_VERBATIM and not _nearly_the_same(
            quotation.text, _quoted_around(passage.text, match), reported
        ):
            continue  # the same words but for a name, or a clause, are another statement
        if match.kind != QuoteMatchKind.ABSENT and (best is None or match.score > best[1].score):
            best = (quotation, match)
    if best is None:
        return None
    quotation, match = best
    span = (Span(match.start, match.end, "quotation"),)
    details = {"quotation": quotation.text, "match": match.kind.value, "similarity": round(match.score, 3)}
    other_speaker = bool(quotation.speaker and match.speaker and not same_person(quotation.speaker, match.speaker))
    if other_speaker and match.kind == QuoteMatchKind.VARIANT and match.score < MISATTRIBUTED_VARIANT:
        # Two people saying something alike is common; only a close rendering is the same words misattributed.
        return Judgement(passage, MENTIONS, "quote_other_speaker", match.score, span, details=details)
    if other_speaker:
        return Judgement(
            passage,
            CONFLICTS,
            "quote_misattributed",
            match.score,
            span,
            claim_value=quotation.speaker,
            evidence_value=match.speaker,
            details={**details, "claim_speaker": quotation.speaker, "evidence_speaker": match.speaker},
        )
    reason, strength = _QUOTE_STANCE[match.kind]
    return Judgement(
        passage,
        SUPPORTS,
        reason,
        round(strength * match.score, 4),
        span,
        claim_value=quotation.text,
        evidence_value=match.matched_text,
        details={**details, "evidence_speaker": match.speaker},
    )


def _nearly_the_same(quoted: str, found: str, reported: bool) -> bool:
    """Whether a near-verbatim match is the quotation with a few words changed, not another
    statement that shares most of its words: the same names, and each part nearly all said."""
    return _keeps_names(quoted, found, reported) and _says_every_part(quoted, found, NEAR_VERBATIM_PART_SAID)


def _quoted_around(text: str, match: QuoteMatch) -> str:
    """The whole quotation of the passage that a near-verbatim match lies in: the match aligns the
    claim's words and may leave out the passage's own ("The families at the Gudost factory were only
    going to work" aligned with "Our rescue teams were only going to work" from "were")."""
    for quotation in extract_quotations(text):
        if quotation.start <= match.end and match.start <= quotation.end:
            return quotation.text
    return match.matched_text


def _renders(quoted: str, rendering: str, reported: bool = False) -> bool:
    """Whether ``rendering`` can be the quotation in other words: it keeps the numbers and the
    names, and says about as much (another statement by the same speaker on the same subject
    shares a few words and says far more, or far less)."""
    said, rendered = len(content_stems(quoted)), len(content_stems(rendering))
    as_much = said <= rendered * RENDERING_LENGTH and rendered <= said * RENDERING_LENGTH
    return (
        as_much
        and _keeps_figures(quoted, rendering)
        and _keeps_names(quoted, rendering, reported)
        and _says_every_part(quoted, rendering)
    )


def _keeps_names(quoted: str, rendering: str, reported: bool = False) -> bool:
    """Whether the rendering names what the quotation names, in any form ("Pyongyang" for "North
    Korea"), and nothing else: other words may render a quotation, other names say something else
    ("our brigade near Brokaovo" is no rendering of "our brigade near Repostik", nor "the families
    at the Gudost factory were only going to work" of "our rescue teams were only going to work").
    Not for what someone said ``reported`` in the claim's own words: the claim names what they only
    referred to ("Lestovian soldiers" for their "our soldiers") and leaves out what it sums up
    ("drawing China into the war" for "Russia's involvement of China ... in this war in Europe")."""
    return reported or (_names_in(quoted, rendering) and _names_in(rendering, quoted))


def _names_in(text: str, other: str) -> bool:
    words = _name_words(other)
    return all(name.key <= words for name in _named(name_runs(text)))


# Where a statement's parts meet: "the town lost everything, the firefighters had no equipment and ...".
_PARTS = re.compile(r"[,;:]|\b(?:and|but|because|while|so that)\b", re.IGNORECASE)


def _says_every_part(quoted: str, rendering: str, share: float = PART_SAID) -> bool:
    """Whether the rendering says something of each part of the quotation: two statements that
    share stock phrases ("the people responsible will answer for it") and differ in the rest ("the
    lower town lost everything overnight" against "the railway had been broken for weeks") are two
    statements, however much of one the other holds."""
    said = content_stems(rendering)
    parts = (content_stems(part) for part in _PARTS.split(quoted[:MAX_REPORTED_CHARS]))
    return all(len(part & said) >= len(part) * share for part in parts if len(part) >= MIN_PART_WORDS)


def _polarity(text: str) -> bool:
    """True when the words deny or negate: a denial is never a re-wording of an assertion."""
    return bool(refutations(text) or negated_words(text))


def _keeps_figures(quoted: str, rendering: str) -> bool:
    claimed = extract_figures(quoted)
    given = extract_figures(rendering)
    return all(any(compare_figures(c, g) == Relation.AGREE for g in given) for c in claimed)


# --- Figures --------------------------------------------------------------------------------


def _judge_figures(analysis: ClaimAnalysis, passage: CandidatePassage, related: float, rest: float) -> Judgement | None:
    """A conflict or an agreement between figures counting the same thing; or, when the
    passage only counts the same kind of thing in another event (the 155 serving, not
    the two captured), or of another subject (the Dali's crew, not the Ever Given's),
    a mention: its shared words are about another fact."""
    if not analysis.figures or related < FIGURE_CONFLICT_CONTEXT or _figures_only_quoted(analysis):
        return None
    judgement = _judge_figures_of_a_subject(analysis, passage, related, rest)
    if judgement is None or judgement.stance == MENTIONS:
        return judgement
    elsewhere = other_subject(analysis, passage, conflict=judgement.stance == CONFLICTS)
    if elsewhere is not None:
        # The same kind of count, of something else: "All 22 crew members of the Dali" neither
        # confirms nor contradicts "All 25 crew members of the Ever Given".
        return Judgement(passage, MENTIONS, "other_subject", related, details={"other_subject": elsewhere})
    return judgement


def _figures_only_quoted(analysis: ClaimAnalysis) -> bool:
    """Whether the claim's figures are all in the words it quotes: it says that someone said them,
    which their quotation confirms (the quotation rules), not another passage's figure ("the carriages
    saved dozens of lives", said by someone else, for "the railway company saved dozens of lives")."""
    return analysis.quoted and all(
        any(q.start <= figure.start and figure.end <= q.end for q in analysis.quotations) for figure in analysis.figures
    )


def _judge_figures_of_a_subject(
    analysis: ClaimAnalysis, passage: CandidatePassage, related: float, rest: float
) -> Judgement | None:
    """_judge_figures, taking for granted that the passage's figures are of the claim's subject."""
    evidence = extract_figures(passage.text)
    relations = [[compare_figures(c, e) for e in evidence] for c in analysis.figures]
    conflict = _figure_conflict(analysis.figures, evidence, relations)
    if conflict is not None:
        elsewhere = _count_of_another_moment_or_owner(analysis, passage, *conflict)
        if elsewhere is not None:
            return Judgement(passage, MENTIONS, "other_subject", related, details={"other_subject": elsewhere})
        return _figure_judgement(passage, CONFLICTS, "figure_conflict", *conflict, 1.0)
    agreeing: tuple[Figure, Figure] | None = None
    other_count: Figure | None = None
    of_another_group: tuple[Figure, Figure] | None = None
    for e, evidence_figure in enumerate(evidence):
        for c, claim_figure in enumerate(analysis.figures):
            relation = relations[c][e]
            if relation == Relation.AGREE and (
                agreeing is None or _agreement_rank(claim_figure, evidence_figure) > _agreement_rank(*agreeing)
            ):
                agreeing = (claim_figure, evidence_figure)
            elif (
                relation == Relation.UNRELATED
                and claim_figure.counted
                and claim_figure.counted == evidence_figure.counted
            ):
                other_count = evidence_figure
                if claim_figure.group and evidence_figure.group and not claim_figure.group & evidence_figure.group:
                    of_another_group = (claim_figure, evidence_figure)
    says_the_rest = related >= FIGURE_SUPPORT_CONTEXT and rest >= REST_OF_CLAIM
    if agreeing is not None and _bound_short_of(*agreeing):
        # "More than 160,000 buildings" is no confirmation of "more than 520,000 buildings", nor
        # "more than 2,300 killed" of "about 33,000": a lower bound well under what the claim states.
        claim_figure, evidence_figure = agreeing
        span = (Span(evidence_figure.start, evidence_figure.end, "figure"),)
        details = {"figure": figure_details(evidence_figure), "bound_under": stated(claim_figure)}
        return Judgement(passage, MENTIONS, "other_figure", related, span, details=details)
    if agreeing is not None and (says_the_rest or _specific(*agreeing)):
        elsewhen = _agrees_by_a_bound_another_day(analysis, passage, *agreeing)
        if elsewhen is not None:
            return Judgement(passage, MENTIONS, "other_subject", related, details={"other_subject": elsewhen})
        strength = min(1.0, 0.5 + related)
        return _figure_judgement(passage, SUPPORTS, "figure_agrees", *agreeing, strength)
    if of_another_group is not None:
        # The same count of another owner: "All 23 crew members of the Halcyon" for "the Keel's 19 crew".
        owners = " (not ".join(", ".join(sorted(figure.group)) for figure in reversed(of_another_group))
        return Judgement(passage, MENTIONS, "other_subject", related, details={"other_subject": f"{owners})"})
    if other_count is not None:
        span = (Span(other_count.start, other_count.end, "figure"),)
        return Judgement(
            passage, MENTIONS, "other_figure", related, span, details={"figure": figure_details(other_count)}
        )
    return None


def _count_of_another_moment_or_owner(
    analysis: ClaimAnalysis, passage: CandidatePassage, claim_figure: Figure, evidence_figure: Figure
) -> str | None:
    """What shows that a passage's count, which the claim's contradicts, may be of another owner
    or another moment: the claim says whose count it is ("The Keel had 20 crew") and the passage
    never names them (its "all 25 crew" may be of the ship the sentences before it named); or the
    claim's count is of a state at a moment it names ("ships were waiting when the canal reopened",
    "trapped after the 1967 war") that the passage does not state. A toll of an incident is tied
    to it by its event ("killed", "wounded") instead: "Twenty died when the missile struck" and
    "Twelve died in Wednesday's attack" are counts of one incident. Or the passage's count is a
    part of the claim's total (``_count_of_a_part``)."""
    part = _count_of_a_part(analysis, passage, claim_figure, evidence_figure)
    if part is not None:
        return part
    outside_moments = _MOMENT.sub(" ", passage.text[:MAX_REPORTED_CHARS])
    unsaid = _owner_unsaid(claim_figure, evidence_figure, passage, outside_moments)
    if unsaid is not None:
        return unsaid
    if claim_figure.event:
        return None
    ours = _named(subject_names(analysis.claim.text, analysis.claim.claimant, analysis.says_who))
    if ours and _mentioned(tuple(ours), passage.text) and not _mentioned(tuple(ours), outside_moments):
        # Named only to say when: "the eight-member crew fixing the road when the Dali struck it"
        # is not the Dali's crew.
        return f"{'; '.join(sorted(' '.join(sorted(name.key)) for name in ours))} (named only to say when)"
    return _moment_not_stated(analysis.claim.text, passage)


# Words that make one count of several places: "the toll in Peru and Chile together", "combined".
_TOGETHER = re.compile(r"\b(?:together|combined|altogether|in all|in total|in both countries)\b", re.IGNORECASE)


def _count_of_a_part(
    analysis: ClaimAnalysis, passage: CandidatePassage, claim_figure: Figure, evidence_figure: Figure
) -> str | None:
    """The claim counts several countries together ("the toll in Peru and Chile together passed
    900") and the passage counts them one by one ("Peruvian officials reported 412 deaths and Chile
    230"): a count of a part is no count of the total, and contradicts it only by being larger than
    the total can be."""
    claimed = places(analysis.claim.text)
    if len(claimed) < 2 or evidence_figure.low > claim_figure.high or not _TOGETHER.search(analysis.claim.text):
        return None
    owners = {figure.group & claimed for figure in extract_figures(passage.text)} - {frozenset()}
    if len(owners) < 2:
        return None  # one count of them all ("the toll in both countries"), or of one alone
    return f"{evidence_figure.text} (a part of the total)"


def _owner_unsaid(claim_figure: Figure, evidence_figure: Figure, passage: CandidatePassage, text: str) -> str | None:
    """Whose count the claim gives ("25 crew members aboard the Keel"), when neither the passage's
    figure, its ``text`` nor its article's title and the passage before it name them: a conflict
    needs them named ("all 25 crew members were safe" may be another ship's crew), and "all 22
    crew members" under the title "The Keel: what we know" are the Keel's."""
    if not claim_figure.group or evidence_figure.group or _group_named(claim_figure.group, text):
        return None
    if _group_named(claim_figure.group, passage.context[:MAX_REPORTED_CHARS]):
        return None
    return f"{', '.join(sorted(claim_figure.group))} (not named)"


def _agreement_rank(claim_figure: Figure, evidence_figure: Figure) -> tuple[bool, bool]:
    """Which of a passage's agreeing figures speaks for it: one that is no bound under the claim's,
    then one specific enough to stand on its own ("passed 47,000" before "two weeks")."""
    return not _bound_short_of(claim_figure, evidence_figure), _specific(claim_figure, evidence_figure)


def _bound_short_of(claim_figure: Figure, evidence_figure: Figure) -> bool:
    """Whether the passage's figure agrees only as a lower bound under what the claim states: "more
    than 160,000" holds with 520,000, but says nothing of it."""
    claimed = stated(claim_figure)
    if claimed is None:
        claimed = claim_figure.low
    if not math.isinf(evidence_figure.high) or _the_count_as_a_minimum(claim_figure, evidence_figure):
        return False
    return claimed > evidence_figure.low * (1 + APPROXIMATE_TOLERANCE) or _running_toll(claim_figure, evidence_figure)


def _the_count_as_a_minimum(claim_figure: Figure, evidence_figure: Figure) -> bool:
    """Whether the passage gives the claim's exact count as the least it may be: "at least 12 people
    were killed" for "12 people died". News gives a toll so while it may still rise; it is the count
    the claim states, so far, and confirms it (a bound under it, "at least 3" for "six", does not)."""
    return (
        claim_figure.qualifier == Qualifier.EXACT
        and evidence_figure.qualifier == Qualifier.AT_LEAST
        and evidence_figure.low == claim_figure.low
    )


# Tolls rise for days after an incident: a lower bound of one is the count so far.
_RISING_EVENTS = frozenset({"killed", "wounded"})


def _running_toll(claim_figure: Figure, evidence_figure: Figure) -> bool:
    """Whether the passage bounds from below a toll the claim gives as a number ("killing more than
    400" for "killed about 400"): the count so far, which the final toll may pass by far. It confirms
    a bound ("more than 400 died"), not the number."""
    if evidence_figure.event not in _RISING_EVENTS or is_measurement(evidence_figure):
        return False  # no toll, or a time ("dead for more than 48 minutes")
    return math.isfinite(claim_figure.high)


def _agrees_by_a_bound_another_day(
    analysis: ClaimAnalysis, passage: CandidatePassage, claim_figure: Figure, evidence_figure: Figure
) -> str | None:
    """The day a passage's count is of, when it agrees with the claim's only by a bound and the
    claim names another day: "More than 150 ships were waiting on Thursday" is not confirmed by
    "321 ships were waiting" published on Saturday (the queue grew past the bound). The very same
    number may be a count that did not change, and stays a confirmation."""
    weekdays = _days(analysis.claim.text)
    if not weekdays and not month_days(analysis.claim.text[:MAX_REPORTED_CHARS]):
        return None
    if stated(claim_figure) == stated(evidence_figure) or _days(passage.text):
        return None  # a day the passage names is judged by other_subject
    return _published_another_day(analysis, passage, weekdays)


def _group_named(group: frozenset[str], text: str) -> bool:
    """Whether ``text`` names a group as figures.Figure.group gives it (a country's code, or a
    name cut to a short stem): "Keel" for "keel", "Pyongyang" for "KP"."""
    words = _name_words(text)
    return any(name in words or any(word.startswith(name) for word in words) for name in group)


def _figure_conflict(
    claimed: tuple[Figure, ...], given: tuple[Figure, ...], relations: list[list[Relation]]
) -> tuple[Figure, Figure] | None:
    """The first claim figure that the passage contradicts, with the figure that does; None if none.

    A passage often gives several counts of one thing ("25 Taliban dead and five more wounded",
    "$500 for steel, $4,000 for gold"): a figure that agrees stands for the passage, and the others
    are about something else. So each claim figure is decided on its own: it is contradicted only
    when no figure of the passage agrees with it as closely (the same noun counted is closer than
    "fighters" for "civilians": "40 fighters and 25 civilians killed" contradicts "25 fighters
    killed"), and only by a passage figure that agrees with no figure of the claim (that one is
    accounted for). One contradicted claim figure is enough: "12 killed and 41 wounded" is wrong
    if the passage says 12 killed and 50 wounded."""
    agreed_given = {e for row in relations for e, relation in enumerate(row) if relation == Relation.AGREE}
    for c, row in enumerate(relations):
        closest_agreement = max(
            (_closeness(claimed[c], given[e]) for e, relation in enumerate(row) if relation == Relation.AGREE),
            default=-1,
        )
        for e, relation in enumerate(row):
            if relation != Relation.CONFLICT or e in agreed_given:
                continue
            if _closeness(claimed[c], given[e]) > closest_agreement:
                return claimed[c], given[e]
    return None


def _closeness(claim_figure: Figure, evidence_figure: Figure) -> int:
    """1 when both figures count the same noun (or both leave it unsaid), 0 when only aligned ("men", "people")."""
    return int(claim_figure.counted == evidence_figure.counted)


def _specific(claim_figure: Figure, evidence_figure: Figure) -> bool:
    """A figure that identifies a fact on its own, though the sentence leaves the place to the
    one before it ("Another 41 people were taken to hospital"): the same exact, uncommon number
    of the same thing in the same event (or the same bound of it), or the very same words ("several
    hundred passengers")."""
    if claim_figure.counted in READINGS and claim_figure.qualifier == evidence_figure.qualifier == Qualifier.EXACT:
        return True  # "magnitude 7.8": a reading to a tenth names the one thing read
    if claim_figure.low < SPECIFIC_FIGURE:
        return False
    exact = {claim_figure.qualifier, evidence_figure.qualifier} == {Qualifier.EXACT}
    # "passed 47,000" dead and "has passed 47,000" dead: the same bound of the same toll.
    same_bound = claim_figure.qualifier == evidence_figure.qualifier and stated(claim_figure) == stated(evidence_figure)
    same_words = (
        bool(claim_figure.counted) and _as_written(claim_figure).casefold() == _as_written(evidence_figure).casefold()
    )
    return ((exact or same_bound) and bool(claim_figure.event)) or same_words


def _figure_judgement(
    passage: CandidatePassage, stance: str, reason: str, claim_figure: Figure, evidence_figure: Figure, score: float
) -> Judgement:
    return Judgement(
        passage,
        stance,
        reason,
        round(score, 4),
        (Span(evidence_figure.start, evidence_figure.end, "figure"),),
        claim_value=_as_written(claim_figure),
        evidence_value=_as_written(evidence_figure),
        details={"claim_figure": figure_details(claim_figure), "evidence_figure": figure_details(evidence_figure)},
    )


def _as_written(figure: Figure) -> str:
    return f"{figure.text} {figure.counted_text}".strip()


def figure_details(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text,
        "low": figure.low,
        "high": None if figure.high == float("inf") else figure.high,
        "qualifier": figure.qualifier.value,
        "counted": figure.counted,
        "counted_text": figure.counted_text,  # the noun as written, what the review page shows
        "event": figure.event,
    }


# --- Time of day ---------------------------------------------------------------------------

# When in the day something happened, as reports word it: a strike "late on Wednesday evening"
# is not the one that hit "during the morning rush" or "shortly before 8 a.m.".
# A clock time says the part of the day itself, however it is told: "1:28 a.m." and "1:28 in the
# morning" are both the night (the earliest match wins, and the clock comes before the words).
_AM = r"(?:a\.?m\b|in the morning\b)"
_PM = r"(?:p\.?m\b|in the (?:afternoon|evening)\b|at night\b)"
_PARTS_OF_DAY = {
    # "early on Tuesday" is the small hours or the morning: it conflicts with neither.
    "early": r"\bearly (?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    "morning": rf"\b(?:morning|dawn|daybreak)\b|\b(?:[5-9]|1[01])(?::\d\d)?\s*{_AM}",
    "afternoon": rf"\b(?:afternoon|midday|noon)\b|\b(?:12|[1-4])(?::\d\d)?\s*{_PM}",
    "evening": rf"\b(?:evening|dusk)\b|\b[5-9](?::\d\d)?\s*{_PM}",
    "night": rf"\b(?:overnight|night|midnight)\b|\b[1-3](?::\d\d)?\s*{_AM}|\b1[01](?::\d\d)?\s*{_PM}",
}
_PART_OF_DAY = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PARTS_OF_DAY.items()), re.IGNORECASE)


_EARLY = frozenset({"early", "night"}), frozenset({"early", "morning"})
# A time to the minute, with its half of the day: "1:28 a.m.", "1:28 in the morning", "9.45pm".
_CLOCK = re.compile(rf"\b(?P<hour>1[0-2]|0?[1-9])[:.](?P<minute>[0-5]\d)\s*(?:(?P<am>{_AM})|{_PM})", re.IGNORECASE)


@memoised
def clock_times(text: str) -> tuple[tuple[int, re.Match[str]], ...]:
    """The times to the minute that ``text`` gives, as minutes after midnight, with their words."""
    return tuple(
        ((int(m["hour"]) % 12 + (0 if m["am"] else 12)) * 60 + int(m["minute"]), m)
        for m in _CLOCK.finditer(text[:MAX_REPORTED_CHARS])
    )


def _judge_clock_time(analysis: ClaimAnalysis, passage: CandidatePassage, related: float) -> Judgement | None:
    """The very minute the claim gives ("at around 1:28 in the morning") in a related passage: like
    an uncommon number (_specific), a time to the minute names one moment of the story on its own."""
    claimed = {minutes for minutes, _ in clock_times(analysis.claim.text)}
    match = next((m for minutes, m in clock_times(passage.text) if minutes in claimed), None) if claimed else None
    if match is None or related < FIGURE_CONFLICT_CONTEXT:
        return None
    return Judgement(
        passage,
        SUPPORTS,
        "time_agrees",
        round(min(1.0, 0.5 + related), 4),
        (Span(match.start(), match.end(), "time"),),
        evidence_value=match.group(),
    )


@memoised
def part_of_day(text: str) -> tuple[str, re.Match[str]] | None:
    found = _PART_OF_DAY.search(text[:MAX_REPORTED_CHARS])
    return (found.lastgroup or "", found) if found else None


def _judge_time_of_day(analysis: ClaimAnalysis, passage: CandidatePassage, related: float) -> Judgement | None:
    claimed = part_of_day(analysis.claim.text)
    reported = part_of_day(passage.text) if claimed else None
    if claimed is None or reported is None or related < FIGURE_CONFLICT_CONTEXT:
        return None
    if claimed[0] == reported[0] or {claimed[0], reported[0]} in _EARLY:
        return None
    match = reported[1]
    return Judgement(
        passage,
        CONFLICTS,
        "time_conflict",
        round(max(related, 0.6), 4),
        (Span(match.start(), match.end(), "time"),),
        claim_value=claimed[1].group(),
        evidence_value=match.group(),
        details={"claim_part_of_day": claimed[0], "evidence_part_of_day": reported[0]},
    )


# --- Denials --------------------------------------------------------------------------------


def _judge_refutation(
    analysis: ClaimAnalysis, passage: CandidatePassage, related: float, weight: Weight
) -> Judgement | None:
    if related < DENIAL_CONTEXT:
        return None
    found = refutations(passage.text)
    if analysis.is_denial and found and related >= SUPPORT_BY_WORDING:
        # Both report a denial, in much the same words: the passage confirms that it was made.
        return _refutation_judgement(analysis, passage, SUPPORTS, "denial_reported", related, found[0].cue, "")
    needed = DENIAL_REPORTED_CONTENT if analysis.is_denial else DENIED_CONTENT
    cause = cause_stems(analysis.claim.text)
    # What the claim says did it, besides names (a name is whom the story is about, not a cause).
    doer = (cause | agent_stems(analysis.claim.text)) & analysis.predicate
    for refutation in found:
        rumour = referred_back(passage.text, refutation, _previous_text(passage))
        if rumour and not _rumour_is_the_claim(analysis, rumour, weight):
            continue  # the rumour debunked says more than the claim: "deliberately run aground"
        rejected = f"{rumour} {refutation.rejected}" if rumour else refutation.rejected
        # Rejecting the cause a claim gives rejects the claim: "claims that the ship was the target
        # of a cyberattack have no basis" for "the ship was disabled by a cyberattack".
        cause_rejected = bool(doer) and not analysis.is_denial and doer <= content_stems(rejected)
        if refutation.link and not (cause or _LINKED.search(analysis.claim.text)):
            continue  # "no connection between the noises and the wreck": the noises were heard
        if not cause_rejected and _predicate_coverage(analysis, rejected, weight) < needed:
            continue
        if analysis.is_denial:
            # Both report the denial: the passage confirms that it was made.
            stance, reason = SUPPORTS, "denial_reported"
        else:
            stance, reason = CONFLICTS, refutation.kind
        return _refutation_judgement(analysis, passage, stance, reason, related, refutation.cue, rejected)
    return _judge_negation(analysis, passage, related, weight)


def _another_speaker(analysis: ClaimAnalysis, passage: CandidatePassage) -> bool:
    """Whether the passage gives its words to someone else than the person the claim quotes
    ("Kodrak said: "The dams were never repaired"" against Marr's "the town was never repaired")."""
    speakers = [quotation.speaker for quotation in analysis.quotations if quotation.speaker]
    return bool(speakers and passage.speaker) and not any(same_person(s, passage.speaker) for s in speakers)


def _rumour_is_the_claim(analysis: ClaimAnalysis, rumour: str, weight: Weight) -> bool:
    """Whether the rumour a debunk refers back to says what the claim says and little else: its
    debunk then rejects the claim. "The ship was deliberately run aground" is debunked without a
    word against "the ship ran aground"."""
    said = content_stems(reported_content(rumour)) - _REPORTING
    total = fsum(map(weight, said))
    return bool(total) and fsum(map(weight, said & content_stems(analysis.claim.text))) / total >= RUMOUR_IS_THE_CLAIM


def _previous_text(passage: CandidatePassage) -> str:
    """What the passage's article said just before it, for a debunk that refers back to it ("the claim
    was false"). ``context`` (when the service gives one) is the article's title and the passage before."""
    return getattr(passage, "context", "")


def _judge_negation(
    analysis: ClaimAnalysis, passage: CandidatePassage, related: float, weight: Weight
) -> Judgement | None:
    """A passage that negates what the claim says happened ("has not sent troops to Korva"):
    the negated word is the claim's, and so are most of the words of the negated clause."""
    for words, cue in negated_words(passage.text):
        negated = content_stems(words) & analysis.predicate
        if not negated:
            continue  # other words negated
        if _only_modifiers_negated(passage.text, cue, analysis.predicate):
            continue  # "I have no pre-2014 phone backups": backups are denied, not phones
        clause = passage.text[cue.start : clause_end(passage.text, cue.start)]
        if negated & analysis.negated:
            # The claim negates them too: "there was no engine failure" for "it did not suffer an
            # engine failure" reports the same denial, if it repeats enough of it.
            if _predicate_coverage(analysis, clause, weight) >= DENIAL_REPORTED_CONTENT:
                return _refutation_judgement(analysis, passage, SUPPORTS, "denial_reported", related, cue, clause)
            continue
        if _predicate_coverage(analysis, clause, weight) < DENIED_CONTENT:
            continue  # "it is not clear whether ..." negates nothing the claim says
        return _refutation_judgement(analysis, passage, CONFLICTS, "negated", related, cue, clause)
    return None


# "No" denies the noun phrase after it: its head (the last word before a preposition, a verb, a
# relative pronoun or the clause's end; "no mechanical or engine failure" is one phrase), and what
# a verb right after it says of it ("no passengers were hurt").
_NO_PHRASE = re.compile(
    r"no\s+(?!longer\b|less\b|more\b|fewer\b)(?P<phrase>(?:[\w'\u2019-]+\s+){0,5}?(?P<head>[\w'\u2019-]+))"
    r"(?=\s*(?:[,.;:!?()]|$)|\s+(?P<next>in|of|on|at|to|for|with|from|by|about|than|that|which|who|but|"
    r"is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|ever)\b)",
    re.IGNORECASE,
)
# After the head, what says more of it: a verb ("no passengers were hurt"), or what it is of
# ("no reports of injuries", "no sign of the crew").
_SAID_OF_THE_HEAD = frozenset("of is are was were be been has have had will would can could may might ever".split())


def _only_modifiers_negated(text: str, cue: Cue, predicate: frozenset[str]) -> bool:
    """Whether a "no" denies a noun phrase whose head is not the claim's and of which nothing
    is then said: "no pre-2014 phone backups in the cloud" denies backups, not phones."""
    found = _NO_PHRASE.match(text, cue.start)
    if found is None or (found.group("next") or "").lower() in _SAID_OF_THE_HEAD:
        return False
    return not content_stems(found.group("head")) & predicate


def _passage_negated(text: str) -> frozenset[str]:
    return frozenset(stem for word, _ in negated_words(text) for stem in content_stems(word))


def _refutation_judgement(
    analysis: ClaimAnalysis,
    passage: CandidatePassage,
    stance: str,
    reason: str,
    related: float,
    cue: Cue,
    rejected: str,
) -> Judgement:
    span = (Span(cue.start, cue.end, "denial"),)
    details = {"denial": cue.text, "denied": rejected.strip()[:300]}
    if stance == SUPPORTS:
        # A denial reported is on its speaker's authority: outlets repeating one spokesman are one
        # origin. (Its hedges are what it rejects: "claims that X are untrue" is in the outlet's voice.)
        return on_whose_authority(analysis, passage, Judgement(passage, stance, reason, related, span, details=details))
    return Judgement(
        passage,
        stance,
        reason,
        round(max(related, 0.6), 4),
        span,
        claim_value=analysis.claim.text[:200],
        evidence_value=passage.text[cue.start : cue.start + 200].strip(),
        details=details,
    )


_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*")
# Verbs that report a statement rather than say what happened ("Qaresh admitted that ..."),
# and the denial itself: neither is among the denied words.
_REPORTING = content_stems(
    "said says admitted admits acknowledged confirmed confirms claimed claims stated announced reported "
    "told insisted alleged accused argued denied rejected"
)


# "no fewer than 155", "no more than 30": a negation that bounds a figure denies nothing.
_BOUND = re.compile(r"(?:fewer|less|more)\b")


def denies(text: str, predicate: frozenset[str]) -> bool:
    """Whether ``text`` denies or negates what ``predicate`` says happened: "Qaresh denied ...",
    "No independent body ever certified the Titan" (not "no fewer than 15 died", whose negation
    is a bound on a figure)."""
    return _has_denial_word(text) or any(
        content_stems(words) & predicate for words, _ in negated_words(text) if not _BOUND.match(words)
    )


@memoised
def _has_denial_word(text: str) -> bool:
    # Remembered: a passage is read against many claims, and the pattern is long.
    return any(not done_to_someone(text, match) for match in _DENIAL.finditer(text))


def predicate_stems(claim: str) -> frozenset[str]:
    """What the claim says happened: its content words other than names, numbers (the figure
    rules judge those) and reporting verbs. A year is kept: it is no count but when it happened
    ("opened in 1977"), which a passage saying the same must say too.
    Names are left out because they are whom the story is about, not what is denied: a denial
    that Qaresh allowed recruitment shares "Qaresh", "citizens" and "Korva" with the capture
    of Qareshi citizens fighting for Korva, and denies nothing of it (the countries it says someone
    belongs to are another matter: what it says of them, "were from Peru")."""
    names = content_stems(" ".join(_capitalised_names(claim))) - frozenset().union(
        *(content_stems(m.surface) for m in _predicated_places(claim))
    )
    return frozenset(
        stem for stem in content_stems(claim) - names - _REPORTING if not stem.isdigit() or _YEAR.fullmatch(stem)
    )


def _capitalised_names(claim: str) -> list[str]:
    """The claim's names, as its predicate leaves them out: its capitalised words; in a Title Case
    headline, where every word is capitalised ("Small Meteorite Strikes Nicaragua's Capital"), only
    the places it names, as otherwise the whole headline would be names and nothing left to check."""
    if is_title_case(claim):
        return [mention.surface for mention in place_mentions(claim)]
    return _NAME.findall(claim)


def _predicate_coverage(analysis: ClaimAnalysis, denied: str, weight: Weight) -> float:
    """The IDF-weighted share of the claim's predicate that the denied words repeat, in at least
    DENIED_MIN_SHARED of its words (one shared word is never enough, however rare)."""
    shared = analysis.predicate & content_stems(denied)
    total = fsum(map(weight, analysis.predicate))
    if not total or len(shared) < min(DENIED_MIN_SHARED, len(analysis.predicate)):
        return 0.0
    return fsum(map(weight, shared)) / total
