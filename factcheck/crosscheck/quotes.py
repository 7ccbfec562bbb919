"""Quotations in news passages, and whether another outlet carries them. Pure: no Django import.

``extract_quotations`` finds the quoted spans of a passage and who the passage
gives them to. ``match_quotation`` decides, for a quotation in a claim, whether a
passage carries it:

- VERBATIM: the same words, once both sides are normalised (quote marks, dashes,
  whitespace, case, invisible characters) and punctuation at the ends is ignored;
- NEAR_VERBATIM: a fuzzy alignment of at least ``NEAR_VERBATIM_SCORE`` (a word or
  two changed, a typo);
- VARIANT: a quotation of the passage, by the same or an unknown speaker, that is
  the same statement in other words (a different translation), judged by shared
  content words;
- ABSENT: none of these.

The match names who the passage gives the words to, and flags a conflict when both
speakers are known and are different people: a misattribution. Offsets index into
the original strings, so evidence can be shown in place. Work is bounded on hostile
input: no backtracking regular expressions, and capped lengths are aligned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice

from rapidfuzz import fuzz

from factcheck.crosscheck.claims import find_claimant, role_key, speaker_parts
from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.names import country_named_by, place_mentions
from factcheck.crosscheck.words import TOKEN, content_stems

# Alignment costs grow with the product of these: a quotation is compared by its first
# 1,000 characters (cut at a space), over the first 20,000 characters of a passage.
MAX_QUOTE_CHARS = 1_000
MAX_PASSAGE_CHARS = 20_000
# Attribution is looked for in this much of a passage (passages are sentence-sized).
MAX_CLAIMANT_CHARS = 4_000
# A quoted span of fewer words is a term held at arm's length ("no limits"), not speech.
MIN_QUOTE_WORDS = 3
# Surnames this similar (RapidFuzz ratio, 0-100) are spellings of one name.
SAME_NAME_RATIO = 85
# Fuzzy similarity (0..1) from which a passage carries the quotation nearly verbatim:
# "as" for "because" or "has captured" for "captured" scores ~0.97, a re-translation 0.4-0.77.
NEAR_VERBATIM_SCORE = 0.9
# Share of the quotation's content stems a passage quotation must carry to be a variant
# of it: re-translations keep 0.5-0.9 of them (names, key nouns), another statement on
# the same subject ~0.25. Token-set ratio is not used: it is 1.0 for any subset of words.
VARIANT_OVERLAP = 0.4
# ...and at least this many stems, so one shared name or noun is never enough; one more for a quotation
# of this many stems or more: two common words ("search", "area") are not a rendering of five.
VARIANT_MIN_SHARED = 2
VARIANT_LONG_QUOTE = 5
# How far (in characters) a fuzzy alignment's ends are moved to land on word edges.
ALIGN_SLACK = 24
# Alignments scoring less are not sought (reported as 0): a window under 0.8 cannot hold a word-edged
# span of 0.9, and the cutoff lets RapidFuzz prune, keeping "ab ab" against "ba ba" fast.
ALIGN_CUTOFF = 0.8


class QuoteMatchKind(StrEnum):
    VERBATIM = "verbatim"
    NEAR_VERBATIM = "near_verbatim"
    VARIANT = "variant"
    ABSENT = "absent"


@dataclass(frozen=True)
class Quotation:
    text: str  # the quoted words as written, without the quote marks
    start: int  # analysed[start:end] == text
    end: int
    speaker: str  # who the sentence gives it to ("" if unknown)


@dataclass(frozen=True)
class QuoteMatch:
    kind: QuoteMatchKind
    score: float  # 0..1 similarity of the best alignment
    start: int  # span of the aligned words in the passage; -1, -1 when ABSENT
    end: int
    matched_text: str  # passage[start:end], "" when ABSENT
    speaker: str  # who the passage gives the matched words to ("" if unknown)
    speaker_conflict: bool  # both speakers known and different people


# --- Normalisation --------------------------------------------------------------------

_FOLD = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    "\u2212": "-",  # minus sign: a dash in running text
    "\u2026": "...",
}


@memoised
def normalize_quote_text(text: str) -> str:
    """Curly quotes straight, dashes "-", whitespace collapsed, casefolded: for comparison only."""
    return _normalize_with_map(text)[0]


@memoised
def _normalize_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The normalised text and, for each of its characters, the index it came from in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    space_at = -1  # a run of whitespace seen since the last character kept
    for index, char in enumerate(text):
        if char.isspace():
            if chars and space_at < 0:
                space_at = index
            continue
        category = unicodedata.category(char)
        # Format characters (zero-width spaces, joiners, BOM, bidi controls, soft
        # hyphens) are invisible: one inserted into a word must not hide a match.
        if category == "Cf":
            continue
        if space_at >= 0:
            chars.append(" ")
            origin.append(space_at)
            space_at = -1
        folded = _FOLD.get(char) or ("-" if category == "Pd" else char.casefold())
        for piece in folded:  # casefolding may expand one character ("ß" -> "ss")
            chars.append(piece)
            origin.append(index)
    return "".join(chars), tuple(origin)


def _trim(text: str, start: int, end: int, keep: Callable[[str], bool] = str.isalnum) -> tuple[int, int]:
    """Narrow ``text[start:end]`` to begin and end on a character to ``keep``: by default a letter or digit."""
    while start < end and not keep(text[start]):
        start += 1
    while end > start and not keep(text[end - 1]):
        end -= 1
    return start, end


def _not_space(char: str) -> bool:
    return not char.isspace()


# --- Extraction -----------------------------------------------------------------------

# Opening mark -> the marks that close it. Outlets mix straight and curly marks.
_CLOSERS = {'"': '"\u201d', "\u201c": '\u201d"', "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019"}
_MARK = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]')


def extract_quotations(text: str, *, default_speaker: str = "") -> list[Quotation]:
    """Quoted spans of at least ``MIN_QUOTE_WORDS`` words, with who the passage gives them to.

    An unclosed quotation runs to the end of the text. Every quotation of the
    passage gets the same speaker: passages are sentence-sized. When the passage
    names nobody, or only refers back ("he said"), ``default_speaker`` is used:
    the caller knows whom the article named last.
    """
    spans = [span for span in _quoted_spans(text) if _has_words(text, *span, MIN_QUOTE_WORDS)]
    if not spans:
        return []
    attribution = find_claimant(mask_quotations(text, spans)[:MAX_CLAIMANT_CHARS])
    speaker = default_speaker if attribution.refers_back or not attribution.claimant else attribution.claimant
    return [Quotation(text[start:end], start, end, speaker) for start, end in spans]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words between quote marks, without surrounding whitespace."""
    spans = []
    opener, open_at = "", 0
    for mark in _MARK.finditer(text):
        char, index = mark.group(), mark.start()
        if not opener:
            if char in _CLOSERS and (char != "\u2018" or _opens_single(text, index)):
                opener, open_at = char, index + 1
        elif char in _CLOSERS[opener] and (opener != "\u2018" or _closes_single(text, index)):
            spans.append(_trim(text, open_at, index, _not_space))
            opener = ""
    if opener:
        spans.append(_trim(text, open_at, len(text), _not_space))
    return spans


def _opens_single(text: str, index: int) -> bool:
    # A left single mark opens a quotation at the start of a word, not inside one.
    return index == 0 or not text[index - 1].isalnum()


def _closes_single(text: str, index: int) -> bool:
    # A right single mark followed by a letter is an apostrophe (Qaresh's, didn't). After
    # a plural possessive (soldiers' families) it is taken as a close: the quotation ends early.
    return index + 1 == len(text) or not text[index + 1].isalpha()


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    return len(list(islice(TOKEN.finditer(text, start, end), count))) >= count


def mask_quotations(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with quoted words replaced by "…": a name inside a quotation is not its speaker, and
    what a passage says in its own words is what stands outside them."""
    pieces, previous = [], 0
    for start, end in spans:
        pieces += [text[previous:start], "\u2026"]
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


# --- Matching -------------------------------------------------------------------------


def match_quotation(quote: Quotation, passage: str, *, passage_speaker: str = "") -> QuoteMatch:
    """Whether ``passage`` carries ``quote`` verbatim, nearly verbatim, as a variant, or not at all."""
    needle = normalize_quote_text(_head(quote.text, MAX_QUOTE_CHARS))
    needle = needle[slice(*_trim(needle, 0, len(needle)))]
    passage = passage[:MAX_PASSAGE_CHARS]  # offsets into this prefix index the full passage too
    if not needle:
        return QuoteMatch(QuoteMatchKind.ABSENT, 0.0, -1, -1, "", "", False)
    haystack, origin = _normalize_with_map(passage)
    quotations = extract_quotations(passage, default_speaker=passage_speaker)

    kind, score, span = QuoteMatchKind.VERBATIM, 1.0, _verbatim_span(needle, haystack)
    if span is None:
        score, span = _fuzzy_span(needle, haystack)
        kind = QuoteMatchKind.NEAR_VERBATIM if score >= NEAR_VERBATIM_SCORE else QuoteMatchKind.ABSENT
    if span is not None and kind is not QuoteMatchKind.ABSENT:
        start, end = origin[span[0]], origin[span[1] - 1] + 1
        speaker = _speaker_of(start, end, quotations, passage, passage_speaker)
        return QuoteMatch(kind, score, start, end, passage[start:end], speaker, _conflict(quote.speaker, speaker))

    variant = _best_variant(quote, quotations)
    if variant is not None:
        overlap, found = variant
        return QuoteMatch(QuoteMatchKind.VARIANT, overlap, found.start, found.end, found.text, found.speaker, False)
    return QuoteMatch(QuoteMatchKind.ABSENT, score, -1, -1, "", "", False)


def _head(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at whitespace so no word is cut in two."""
    if len(text) <= limit:
        return text
    words = text[: limit + 1].rsplit(None, 1)
    return words[0] if len(words) == 2 else text[:limit]


def _verbatim_span(needle: str, haystack: str) -> tuple[int, int] | None:
    """The first occurrence of ``needle`` in ``haystack`` that starts and ends on word edges."""
    position = haystack.find(needle)
    while position >= 0:
        end = position + len(needle)
        if _word_edge(haystack, position - 1) and _word_edge(haystack, end):
            return position, end
        position = haystack.find(needle, position + 1)
    return None


def _word_edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def _fuzzy_span(needle: str, haystack: str) -> tuple[float, tuple[int, int] | None]:
    """The best fuzzy alignment of ``needle`` in ``haystack``, moved onto word edges.

    partial_ratio aligns a window of the needle's length, which may cut words or
    take in a word of the attribution (",\" malesh"). Nearby word edges are tried
    and the span whose plain ratio to the needle is highest is kept, so a passage
    holding only part of the quotation scores low.
    """
    alignment = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=ALIGN_CUTOFF * 100)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return 0.0, None
    best_score, best_span = 0.0, None
    for start in _edges(haystack, alignment.dest_start, opening=True):
        for end in _edges(haystack, alignment.dest_end, opening=False):
            score = fuzz.ratio(needle, haystack[start:end]) / 100 if start < end else 0.0
            if score > best_score:
                best_score, best_span = score, (start, end)
    return round(best_score, 4), best_span


def _edges(text: str, around: int, *, opening: bool) -> list[int]:
    """Word starts (``opening``) or word ends within ``ALIGN_SLACK`` characters of ``around``."""
    low, high = max(0, around - ALIGN_SLACK), min(len(text), around + ALIGN_SLACK)
    if opening:
        return [index for index in range(low, high) if text[index].isalnum() and _word_edge(text, index - 1)]
    return [index for index in range(low + 1, high + 1) if text[index - 1].isalnum() and _word_edge(text, index)]


def _visible(text: str) -> str:
    """``text`` without its invisible format characters (as ``normalize_quote_text`` drops them),
    its case kept: content_stems reads a capital as a name ("Lestovian" is the place Lestovia)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _speaker_of(start: int, end: int, quotations: list[Quotation], passage: str, passage_speaker: str) -> str:
    """The speaker of the passage quotation holding the middle of ``start:end``, else of the passage."""
    middle = (start + end) // 2
    inside = next((found for found in quotations if found.start <= middle < found.end), None)
    if inside is not None:
        return inside.speaker
    masked = mask_quotations(passage, [(found.start, found.end) for found in quotations])
    return passage_speaker or find_claimant(masked[:MAX_CLAIMANT_CHARS]).claimant


def _best_variant(quote: Quotation, quotations: list[Quotation]) -> tuple[float, Quotation] | None:
    """The passage quotation, by a compatible speaker, sharing most of the quote's content stems."""
    text = _visible(_head(quote.text, MAX_QUOTE_CHARS))
    stems = content_stems(text)
    countries = _country_stems(text)
    best: tuple[float, Quotation] | None = None
    for found in quotations:
        if _conflict(quote.speaker, found.speaker):
            continue  # another person's words are not a rendering of this quotation
        shared = stems & content_stems(_visible(found.text[: MAX_QUOTE_CHARS * 2]))
        overlap = round(len(shared) / len(stems), 4) if stems else 0.0
        enough = VARIANT_MIN_SHARED + (len(stems) >= VARIANT_LONG_QUOTE)
        # The countries both name say where or whose, not what was said: "China", "Russia" and
        # "Ukraine" in two statements on one war do not make one a rendering of the other.
        says_more = not shared <= countries
        if len(shared) >= enough and says_more and overlap >= VARIANT_OVERLAP and (best is None or overlap > best[0]):
            best = (overlap, found)
    return best


def _country_stems(text: str) -> frozenset[str]:
    """What the words naming countries in ``text`` stand for ("Chinese" and "China": "china")."""
    return frozenset().union(*(content_stems(mention.surface) for mention in place_mentions(text)))


# --- Speakers ------------------------------------------------------------------------------


def same_person(a: str, b: str) -> bool:
    """Compared by surname: "Malesh" is "Teodor Malesh", and transliterations that differ by a
    letter or two are one name ("Zelensky", "Zelenskyy", "Zelenskiy"). A government quoted under
    its country's names is one speaker ("the Kremlin", "Moscow", "Russia"). A speaker the text
    names only by role ("the ship's technical manager") is whoever another gives that role to
    ("Bernhard Schulte Shipmanagement, technical manager")."""
    (name_a, role_a), (name_b, role_b) = speaker_parts(a), speaker_parts(b)
    if not (name_a or name_b) and _owners_differ(role_a, role_b):
        return False
    if not (name_a and name_b) and role_a and role_b and _same_role(role_a, role_b):
        return True
    a, b = name_a or a, name_b or b
    government = country_named_by(a)
    if government and government == country_named_by(b):
        return True
    first, second = _surname(a), _surname(b)
    return first == second or (min(len(first), len(second)) >= 5 and fuzz.ratio(first, second) >= SAME_NAME_RATIO)


def _same_role(a: str, b: str) -> bool:
    """ "ship's technical manager" and "technical manager" are one role; the ship's and the
    port's managers are not."""
    return role_key(a)[1] == role_key(b)[1] and not _owners_differ(a, b)


def _owners_differ(a: str, b: str) -> bool:
    owner_a, owner_b = role_key(a)[0], role_key(b)[0]
    return bool(owner_a and owner_b and owner_a != owner_b)


def _surname(name: str) -> str:
    words = name.replace("\u2019", "'").split()
    return words[-1].strip(".,'").casefold() if words else ""


def _conflict(claim_speaker: str, found_speaker: str) -> bool:
    return bool(claim_speaker.strip() and found_speaker.strip()) and not same_person(claim_speaker, found_speaker)
