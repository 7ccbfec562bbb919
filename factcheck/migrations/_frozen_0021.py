"""The speaker resolution migration 0021 fills Passage.speaker with again, frozen as
factcheck.crosscheck.claims.resolve_speakers was when 0021 was written: _frozen_0019.py (reused as
it is: names, titles, "said OceanGate co-founder Guillermo Sohnlein", "he said" after an opening
person) with speakers named by role or as an organisation: "the ship's technical manager has said"
is that role, "a spokesman for the port authority said" the authority, "Its technical manager,
Bernhard Schulte Shipmanagement, said" the company with that role, and "the company said" (or
"the canal authority said") the organisation the article named in that role, with those words or
that spoke last. A speaker given a role is written "Name, role".

_frozen_0021_role_heads.json holds the WordNet tables the role's last word is looked up in, as
they were (noun_groups.KINDS_OF_PERSON and COLLECTIVES; WordNet 3.0, the licence of
factcheck/crosscheck/data/WORDNET-LICENSE.txt).

A migration must keep doing what it did however the engine changes later, so it never imports
live code (a contract in pyproject.toml, [tool.importlinter]). Never edit this to follow the
engine. tests/migrations/test_frozen.py checks that, today, this gives the engine's speakers.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.migrations._frozen_0019 import (
    _ACCORDING_TO,
    _NAME,
    _NOT_NAMES,
    _PRONOUN_OR_ROLE,
    _SPEECH_VERBS,
    _VERB_THEN_NAME,
    _opening_person,
    clean_name,
    named_entities,
)
from factcheck.migrations._frozen_0019 import SpeakerTracker as _Tracker0019

_TABLES = json.loads((Path(__file__).parent / "_frozen_0021_role_heads.json").read_text(encoding="utf-8"))
_KINDS_OF_PERSON = frozenset(_TABLES["kinds_of_person"].split())
_COLLECTIVES = frozenset(_TABLES["collectives"].split())

_ORGANISATION_HEADS = (
    "ministry|government|military|army|police|agency|office|spokesman|spokeswoman|spokesperson|embassy|company|"
    "council|service|command|operator|authority|regulator"
)
_ORGANISATION_PHRASE = rf"(?:[A-Z][\w'\u2019-]*\s+)?(?:[a-z]+\s+){{0,2}}(?:{_ORGANISATION_HEADS})"
_ACCORDING_TO_ORGANISATION = re.compile(rf"\b(?i:according to)\s+(?:the\s+)?({_ORGANISATION_PHRASE})\b")
_NAME_THEN_VERB = re.compile(
    rf"({_NAME})(?:,([^,]{{1,80}}),)?\s+(?:has\s+|had\s+|also\s+|further\s+)?(?:{_SPEECH_VERBS})\b"
)
_BEFORE_VERB = r"(?:has\s+|had\s+|also\s+|[a-z]{2,}ly\s+)?"
_DETERMINER = r"(?i:the|its|their|his|her|a|an)"
_POSSESSOR = r"(?:(?i:the)\s+)?[a-z][\w-]*['\u2019]s"
_ROLE_WORDS = r"(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*"
_ROLE_THEN_VERB = re.compile(
    rf"(?<![\w'\u2019-])(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS})"
    rf"(?:\s+for\s+(?:the\s+)?(?P<org>{_NAME}|{_ROLE_WORDS}))?"
    rf"\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)
_ROLE_THEN_NAME = re.compile(
    rf"(?<![\w'\u2019-])(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS}),\s+(?P<name>{_NAME}),"
    rf"\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)
_INDEFINITE = frozenset(("a", "an"))
_BUSINESSES = frozenset(("company", "firm", "operator", "corporation", "carrier", "airline"))
_ORGANISATION_NOUNS = _COLLECTIVES | frozenset(_ORGANISATION_HEADS.split("|"))
_ROLE_HEADS = _KINDS_OF_PERSON | _ORGANISATION_NOUNS
_ORGANISATION = re.compile(
    rf"(?<![\w'\u2019])(?:the\s+)?((?:{_POSSESSOR}\s+)?{_ORGANISATION_PHRASE})\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)


@dataclass(frozen=True)
class Attribution:
    claimant: str
    refers_back: bool = False
    role: str = ""
    unnamed: bool = False


def find_claimant(text: str) -> Attribution:
    """Who the passage attributes its statement to, if anyone."""
    organisation = _ACCORDING_TO_ORGANISATION.search(text)
    if organisation:
        return _organisation(organisation.group(1))
    for match in _ROLE_THEN_NAME.finditer(text):
        name = clean_name(match.group("name"))
        if name and _is_role(match.group("role")):
            return Attribution(name, role=_role_phrase(match.group("det"), match.group("role")))
    for pattern in (_ACCORDING_TO, _VERB_THEN_NAME, _NAME_THEN_VERB):
        for match in pattern.finditer(text):
            name = clean_name(match.group(1))
            if name:
                apposition = match.group(2) if pattern is _NAME_THEN_VERB else None
                return Attribution(name, role=_apposed_role(apposition))
    organisation = _ORGANISATION.search(text)
    if organisation:
        return _organisation(organisation.group(1))
    if _PRONOUN_OR_ROLE.search(text):
        return Attribution("", refers_back=True)
    return _role_speaker(text)


def _organisation(phrase: str) -> Attribution:
    words = phrase.split()
    if words[0] in _NOT_NAMES:
        words = words[1:]
    if any(word[0].isupper() for word in words):
        return Attribution(phrase.strip())
    return Attribution(" ".join(words), unnamed=True)


def _one_role(match: re.Match[str]) -> bool:
    head = match.group("role").rsplit(None, 1)[-1].lower()
    plural = head.endswith("men") or (head.endswith("s") and not head.endswith("ss"))
    return _is_role(head) and not plural and not match.string[: match.start()].rstrip().endswith(" of")


def _is_role(words: str) -> bool:
    return words.rsplit(None, 1)[-1].lower() in _ROLE_HEADS


def _apposed_role(apposition: str | None) -> str:
    found = re.fullmatch(rf"\s*(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS})\s*", apposition or "")
    if not found or found.group("det").lower() in _INDEFINITE or not _is_role(found.group("role")):
        return ""
    return _role_phrase(found.group("det"), found.group("role"))


def _role_phrase(determiner: str, role: str) -> str:
    owner = determiner.split()[-1]
    return f"{owner} {role}" if owner.lower().endswith(("'s", "\u2019s")) else role


def _role_speaker(text: str) -> Attribution:
    for match in _ROLE_THEN_VERB.finditer(text):
        if not _one_role(match):
            continue
        organisation = match.group("org")
        if organisation:
            if organisation[0].isupper():
                return Attribution(clean_name(organisation))
            if _is_role(organisation):
                return Attribution(organisation, unnamed=True)
            continue
        if match.group("det").lower() in _INDEFINITE:
            continue
        return Attribution(_role_phrase(match.group("det"), match.group("role")), unnamed=True)
    return Attribution("")


def _role_key(role: str) -> tuple[str, str]:
    words = role.lower().replace("\u2019", "'").split()
    owner = ""
    if words and words[0].endswith("'s"):
        owner, words = words[0][:-2], words[1:]
    return owner, " ".join(words)


def _speaker_name(speaker: str) -> str:
    name, _, role = speaker.partition(", ")
    if not role and not any(word[:1].isupper() for word in name.split() if word not in _NOT_NAMES):
        return ""
    return name


class SpeakerTracker(_Tracker0019):
    """Resolves who speaks in each passage of one article: 0019's, with roles."""

    def __init__(self) -> None:
        super().__init__()
        self.role_of: dict[str, str] = {}
        self.named_as: dict[tuple[str, str], str] = {}

    def claimant_of(self, text: str) -> str:
        attribution = find_claimant(text)
        claimant = self._full_name(attribution.claimant) if attribution.claimant else ""
        if attribution.refers_back:
            claimant = self.last_claimant
        elif attribution.unnamed:
            claimant = self._named(attribution.claimant)
        elif claimant and attribution.role:
            self.role_of[claimant] = attribution.role
            self.named_as[_role_key(attribution.role)] = claimant
        for entity in named_entities(text):
            name = clean_name(entity)
            if len(name.split()) >= 2 and name not in self.full_names:
                self.full_names.append(name)
        if claimant:
            self.last_claimant = claimant
        elif subject := _opening_person(text):
            self.last_claimant = self._full_name(subject)
        name = _speaker_name(claimant)
        return f"{name}, {self.role_of[name]}" if name in self.role_of else claimant

    def _named(self, role: str) -> str:
        owner, what = _role_key(role)
        for (known_owner, known_what), name in self.named_as.items():
            if known_what == what and (not owner or not known_owner or owner == known_owner):
                return name
        words = what.split()
        for full in reversed(self.full_names):
            if set(words) <= set(full.lower().split()):
                return full
        if len(words) == 1 and not owner and what in _BUSINESSES:
            return self.last_claimant or role
        return role


def resolve_speakers(texts: Iterable[str]) -> list[str]:
    """The speaker of each passage of one article, in order ("" where nobody is quoted or named)."""
    tracker = SpeakerTracker()
    return [tracker.claimant_of(text) for text in texts]
