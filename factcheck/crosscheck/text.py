"""Text normalisation and passage splitting. Pure: no Django import.

A passage is a sentence-sized span of a source's normalised text; its offsets
index into that text so that evidence can always be shown in place.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

# A passage longer than this (a run-on paragraph with no full stop, hostile input)
# is cut at whitespace so that indexing and comparison stay bounded.
MAX_PASSAGE_CHARS = 2000

_LINE_END = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")

# Candidate sentence ends: terminal punctuation, optional closing quotes or brackets,
# then whitespace. Whether a candidate really ends the sentence is decided in code.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_LIST_MARKER = re.compile(r"(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")
_HEADING_MARKER = re.compile(r"#{1,6}\s+")
# "MAROVKA, April 8 (Meridian Press Agency) - ": where and when a wire story was filed, not part of its first sentence.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019-]+(?:\s[A-Z][A-Z.'\u2019-]+){0,3}"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s+\([^()\n]{2,60}\))?|\s+\([^()\n]{2,60}\))"
    r"\s+[-\u2013\u2014]{1,2}\s+"
)
# Residue of an embedded social-media post, split off into a passage of its own.
_EMBED_RESIDUE = re.compile(r"\s*(?:pic\.twitter\.com|https?://t\.co)/\S+")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "vs",
        "approx",
        "est",
        "dept",
        "univ",
        "fig",
        "vol",
        "mt",
        "ft",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_OPENING_QUOTES = "\u201c\u2018"
_CLOSING_QUOTES = "\u201d\u2019"


@dataclass(frozen=True)
class PassageSpan:
    start: int
    end: int
    text: str


def normalize_text(text: str) -> str:
    """The canonical form stored for a source: NFC, LF line ends, no trailing blanks."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_END.sub("\n", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def split_passages(text: str) -> list[PassageSpan]:
    """Split normalised text into sentence passages with offsets into ``text``.

    Each line is a block (paragraph, heading or list item); list and heading
    markers are left out of the passage; sentences do not end inside quotations
    or after common abbreviations and initials.
    """
    spans: list[PassageSpan] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(_split_block(line, offset))
        offset += len(line) + 1
    return spans


def _split_block(line: str, base: int) -> list[PassageSpan]:
    start = _skip_markers(line)
    spans: list[PassageSpan] = []
    for match in _SENTENCE_END.finditer(line, start):
        end = match.end()
        if _is_sentence_end(line, start, end, match.group()):
            spans.extend(_bounded_spans(line, start, end, base))
            start = _skip_space(line, end)
    spans.extend(_bounded_spans(line, start, len(line), base))
    return [piece for span in spans for piece in _split_embed_residue(span)]


def _split_embed_residue(span: PassageSpan) -> list[PassageSpan]:
    residue = _EMBED_RESIDUE.search(span.text)
    if residue is None or residue.start() == 0:
        return [span]
    head_end = residue.start()
    tail_start = residue.start() + len(residue.group()) - len(residue.group().lstrip())
    return [
        PassageSpan(span.start, span.start + head_end, span.text[:head_end]),
        PassageSpan(span.start + tail_start, span.end, span.text[tail_start:]),
    ]


def _skip_markers(line: str) -> int:
    position = _skip_space(line, 0)
    for marker in (_LIST_MARKER, _HEADING_MARKER, _DATELINE):
        found = marker.match(line, position)
        if found:
            return found.end()
    return position


def _skip_space(line: str, position: int) -> int:
    while position < len(line) and line[position].isspace():
        position += 1
    return position


def _trim_end(line: str, start: int, end: int) -> int:
    while end > start and line[end - 1].isspace():
        end -= 1
    return end


def _is_sentence_end(line: str, start: int, end: int, punctuation: str) -> bool:
    following = line[_skip_space(line, end) : _skip_space(line, end) + 1]
    if not following or not (following.isupper() or following.isdigit() or following in "\"'(" + _OPENING_QUOTES):
        return False
    if punctuation.startswith(".") and _ends_with_abbreviation(line[start : end - len(punctuation) + 1]):
        return False
    return not _inside_quotation(line[start:end])


def _ends_with_abbreviation(sentence: str) -> bool:
    words = sentence.split()
    if not words:
        return False
    last = words[-1].lstrip("(\"'" + _OPENING_QUOTES).rstrip(".").lower()
    # A single letter followed by a full stop is an initial ("J. Smith") or part of "U.S.".
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _inside_quotation(sentence: str) -> bool:
    curly_open = sum(sentence.count(mark) for mark in _OPENING_QUOTES[:1])
    curly_close = sentence.count(_CLOSING_QUOTES[0])
    if curly_open > curly_close:
        return True
    return sentence.count('"') % 2 == 1


def _bounded_spans(line: str, start: int, end: int, base: int) -> list[PassageSpan]:
    """The span line[start:end] trimmed, cut into pieces of at most MAX_PASSAGE_CHARS."""
    end = _trim_end(line, start, end)
    spans: list[PassageSpan] = []
    while end - start > MAX_PASSAGE_CHARS:
        cut = line.rfind(" ", start + 1, start + MAX_PASSAGE_CHARS)
        if cut <= start:
            cut = start + MAX_PASSAGE_CHARS
        piece_end = _trim_end(line, start, cut)
        spans.append(PassageSpan(base + start, base + piece_end, line[start:piece_end]))
        start = _skip_space(line, cut)
    if end > start:
        spans.append(PassageSpan(base + start, base + end, line[start:end]))
    return spans


@dataclass(frozen=True)
class SentenceChanges:
    removed: list[str]
    added: list[str]


def sentence_changes(old: str, new: str) -> SentenceChanges:
    """What a revision of an article changed, sentence by sentence (as the article is split into passages)."""
    before = [span.text for span in split_passages(old)]
    after = [span.text for span in split_passages(new)]
    removed: list[str] = []
    added: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op != "equal":
            removed += before[a1:a2]
            added += after[b1:b2]
    return SentenceChanges(removed, added)
