"""The speaker resolution migration 0019 fills Passage.speaker with again, frozen as
factcheck.crosscheck.claims.resolve_speakers was when 0019 was written: _frozen_0018.py with the
person named after an organisation and a role ("said OceanGate co-founder Guillermo Sohnlein" is
Guillermo Sohnlein's, not OceanGate's), and "he said" meaning the person the sentence before
opened on ("Governor Wes Moore repeated his praise.") when that sentence quoted nobody.

A migration must keep doing what it did however the engine changes later, so it never imports
live code (a contract in pyproject.toml, [tool.importlinter]). Never edit this to follow the
engine. tests/migrations/test_frozen.py checks that, today, this gives the engine's speakers.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_CAPITALISED = re.compile(r"[A-Z][\w'\u2019-]*")

# Words that are capitalised for reasons other than naming someone.
_NOT_NAMES = frozenset(
    (
        "I A An The This That These Those It Its He She They We You His Her Their Our But And Or If When "
        "While After Before As In On At By For From With Without Of To Into Over Under About Some Many "
        "Most All No Not There Here What Which Who Whom Whose Why How Yet Also Still Both Either Neither "
        "Each Every One"
    ).split()
    + [w.capitalize() for w in _WEEKDAYS]
    + [m.capitalize() for m in _MONTHS.split("|")]
)


def named_entities(text: str) -> list[str]:
    """Runs of capitalised words that are not just the first word of the sentence."""
    entities: list[str] = []
    current: list[str] = []
    for index, word in enumerate(_WORD.findall(text)):
        is_name = bool(_CAPITALISED.fullmatch(word)) and word not in _NOT_NAMES and not (index == 0 and word.isalpha())
        if is_name:
            current.append(word)
        elif current:
            entities.append(" ".join(current))
            current = []
    if current:
        entities.append(" ".join(current))
    return entities


_SPEECH_VERBS = (
    "said|says|told|claims|claimed|stated|announced|noted|wrote|added|insisted|denied|denies|confirmed|"
    "argued|warned|estimated|accused|alleged|posted|revealed|acknowledged|admitted|maintains|maintained|"
    "rejected|disputed|suggested|observed|declared|urged|asked|called|"
    # Statements by their kind: "Erdogan promised to rebuild ...", "Cameron compared the disaster with ..."
    "promised|pledged|vowed|likened|compared|described|praised|criticised|criticized|condemned|predicted|"
    "conceded|threatened|blamed"
)
# Bounded repetitions: a page of capitalised words must not make matching quadratic.
_NAME = r"[A-Z][\w'\u2019.-]{0,40}(?:\s+(?:[A-Z][\w'\u2019.-]{0,40}|of|de|al|bin|von|van)){0,5}"
_ORGANISATION_HEADS = (
    "ministry|government|military|army|police|agency|office|spokesman|spokeswoman|spokesperson|embassy|company|"
    "council|service|command|operator"
)
_ORGANISATION_PHRASE = rf"(?:[A-Z][\w'\u2019-]*\s+)?(?:[a-z]+\s+){{0,2}}(?:{_ORGANISATION_HEADS})"
_ACCORDING_TO_ORGANISATION = re.compile(rf"\b(?i:according to)\s+(?:the\s+)?({_ORGANISATION_PHRASE})\b")
_ACCORDING_TO = re.compile(rf"\b(?i:according to)\s+(?:the\s+)?({_NAME})")
_NAME_THEN_VERB = re.compile(
    rf"({_NAME})(?:,[^,]{{1,80}},)?\s+(?:has\s+|had\s+|also\s+|further\s+)?(?:{_SPEECH_VERBS})\b"
)
_FUNCTION_WORDS = "on|in|at|of|to|for|by|with|from|that|and|or|but|as|after|before|when|while|the|a|an|it|its|is|was"
_ROLE_OF = rf"(?:(?:{_NAME})\s+(?:(?!(?:{_FUNCTION_WORDS})\b)[a-z][\w-]{{0,30}}\s+){{1,3}}(?=[A-Z]))"
_VERB_THEN_NAME = re.compile(
    rf"[,\u201d\"]\s*(?:{_SPEECH_VERBS})\s+(?:the\s+)?(?:(?:former|then)\s+)?{_ROLE_OF}?({_NAME})"
)
_ORGANISATION = re.compile(rf"\b(?:the\s+)?({_ORGANISATION_PHRASE})\s+(?:has\s+|had\s+|also\s+)?(?:{_SPEECH_VERBS})\b")
_PRONOUN_OR_ROLE = re.compile(
    rf"\b(?:he|she|they|the (?:president|minister|governor|spokesman|spokeswoman|official|leader|general))\s+"
    rf"(?:also\s+)?(?:{_SPEECH_VERBS})\b",
    re.IGNORECASE,
)
_TITLES = frozenset(
    (
        "President Prime Minister Foreign Defence Defense Interior Secretary General Gen. Lt. Colonel "
        "Col. Governor Gov. Mayor Spokesman Spokeswoman Chancellor King Queen Senator Sen. Ambassador "
        "Commander Chief Deputy Vice Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof. Professor Ukrainian Russian "
        "Chinese Lestovian Korvan Qareshi Oskarian"
    ).split()
)


@dataclass(frozen=True)
class Attribution:
    claimant: str
    # True when the text names no one ("he said", "the president said"): the
    # speaker is whoever the article named last.
    refers_back: bool = False


def find_claimant(text: str) -> Attribution:
    """Who the passage attributes its statement to, if anyone."""
    organisation = _ACCORDING_TO_ORGANISATION.search(text)
    if organisation:
        return Attribution(organisation.group(1).strip())
    for pattern in (_ACCORDING_TO, _VERB_THEN_NAME, _NAME_THEN_VERB):
        for match in pattern.finditer(text):
            name = clean_name(match.group(1))
            if name:
                return Attribution(name)
    organisation = _ORGANISATION.search(text)
    if organisation:
        return Attribution(organisation.group(1).strip())
    if _PRONOUN_OR_ROLE.search(text):
        return Attribution("", refers_back=True)
    return Attribution("")


def clean_name(raw: str) -> str:
    words = raw.replace("\u2019", "'").split()
    # "Lestovia's President Teodor Malesh" -> "Teodor Malesh"
    for index, word in enumerate(words):
        if word.endswith("'s"):
            words = words[index + 1 :]
            break
    while words and (words[0] in _TITLES or words[0] in _NOT_NAMES):
        words = words[1:]
    while words and words[-1] in {"of", "de", "al", "bin", "von", "van"}:
        words = words[:-1]
    return " ".join(words).strip(" .,")


class SpeakerTracker:
    """Resolves who speaks in each passage of one article: "he said" is whoever the
    article named last, and "Malesh" is the "Teodor Malesh" it named before."""

    def __init__(self) -> None:
        self.last_claimant = ""
        self.full_names: list[str] = []

    def claimant_of(self, text: str) -> str:
        attribution = find_claimant(text)
        claimant = self._full_name(attribution.claimant) if attribution.claimant else ""
        if attribution.refers_back:
            claimant = self.last_claimant
        for entity in named_entities(text):
            name = clean_name(entity)
            if len(name.split()) >= 2 and name not in self.full_names:
                self.full_names.append(name)
        if claimant:
            self.last_claimant = claimant
        elif subject := _opening_person(text):
            # "Governor Wes Moore repeated his praise. 'They saved lives,' he said.": the person a
            # sentence is about is whom the next "he said" means.
            self.last_claimant = self._full_name(subject)
        return claimant

    def _full_name(self, name: str) -> str:
        if " " in name:
            return name
        for full in reversed(self.full_names):
            if full.split()[-1] == name:
                return full
        return name


# A sentence opening on a name and its verb: "Governor Wes Moore repeated ...".
_OPENING_NAME = re.compile(rf"^\W*({_NAME})\s+[a-z]")


def _opening_person(text: str) -> str:
    """The person a sentence opens on, named in full (two words or more, titles aside), if any; not
    a heading's capitalised words ("Russia Has Recruited Foreign Soldiers for Years")."""
    if not text.rstrip().endswith((".", "!", "?", '"', "\u201d")):
        return ""
    found = _OPENING_NAME.match(text)
    name = clean_name(found.group(1)) if found else ""
    return name if len(name.split()) >= 2 else ""


def resolve_speakers(texts: Iterable[str]) -> list[str]:
    """The speaker of each passage of one article, in order ("" where nobody is quoted or named)."""
    tracker = SpeakerTracker()
    return [tracker.claimant_of(text) for text in texts]
