"""The stemming migration 0015 counts with, frozen as factcheck.crosscheck.words.content_stems
was when 0015 was written: Snowball English (PyStemmer), PostgreSQL's English stop list, number
words as digits, demonyms cut to their place, irregular forms as their base and word families
(both from WordNet), news-wire equivalents as one word. It counts with the PyStemmer that requirements.txt pins (2.2.0.3, Snowball 2.2).

A migration must keep doing what it did however the engine changes later, so it never imports
live code (a contract in pyproject.toml, [tool.importlinter]). Never edit this to follow the
engine: a new recount is a new migration with a frozen copy of its own.
tests/migrations/test_frozen.py checks that, today, this gives the engine's stems.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

import json
import re
from pathlib import Path

import Stemmer

_TOKEN = re.compile(r"[^\W_]+")
MIN_WORD_LENGTH = 3
# PostgreSQL 15's english.stop, as factcheck/crosscheck/data/english.stop was.
STOPWORDS = frozenset(
    (
        "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
        "himself she her hers herself it its itself they them their theirs themselves what which who "
        "whom this that these those am is are was were be been being have has had "
        "having do does did doing a an the and but if or because as until while "
        "of at by for with about against between into through during before after above below to "
        "from up down in out on off over under again further then once here there when "
        "where why how all any both each few more most other some such no nor not "
        "only own same so than too very s t can will just don should now"
    ).split()
)
NUMBER_WORD_VALUES = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30", "fifty": "50",
    "hundred": "100", "thousand": "1000",
}  # fmt: skip
NEWS_EQUIVALENTS = (
    ("troops", "soldiers", "forces"),
    ("citizens", "nationals"),
    ("recruited", "enlisted", "hired"),
    ("video", "clip", "footage"),
)
_DEMONYM = re.compile(r"\b(?P<name>[A-Z][a-z]{3,}?)(?:(?<=a)n|i)\b")
_STEMMER = Stemmer.Stemmer("english")
# factcheck/crosscheck/data/irregular_forms.json and word_families.json as they were (WordNet 3.0).
_IRREGULAR = json.loads((Path(__file__).parent / "_frozen_0015_irregular_forms.json").read_text(encoding="utf-8"))
_FAMILY_OF = json.loads((Path(__file__).parent / "_frozen_0015_word_families.json").read_text(encoding="utf-8"))


def _family_of_word(word: str) -> str:
    stem = _STEMMER.stemWord(_IRREGULAR.get(word, word))
    return _FAMILY_OF.get(stem, stem)


_CONCEPT_OF = {_family_of_word(word): _family_of_word(group[0]) for group in NEWS_EQUIVALENTS for word in group}


def content_stems(text: str) -> frozenset[str]:
    """What the words that carry content stand for: no stopwords, number words as digits, a demonym
    as its place ("Lestovian" as "Lestovia"), irregular forms, word families and news-wire
    equivalents as one word each."""
    stems = set()
    for token in _TOKEN.findall(_DEMONYM.sub(r"\g<name>", text).lower()):
        token = NUMBER_WORD_VALUES.get(token, token)
        if token.isdigit():
            stems.add(token)
        elif len(token) >= MIN_WORD_LENGTH and token not in STOPWORDS:
            family = _family_of_word(token)
            stems.add(_CONCEPT_OF.get(family, family))
    return frozenset(stems)
