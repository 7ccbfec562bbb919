"""The stemming migration 0009 counts with, frozen as factcheck.crosscheck.matching.content_stems
was when 0009 was written (commit 32c8006; only memoised since, up to 5b5e96f).

A migration must keep doing what it did however the engine changes later, so it never imports
live code (a contract in pyproject.toml, [tool.importlinter]). Never edit this to follow the
engine: a new recount is a new migration with a frozen copy of its own.
tests/migrations/test_frozen.py checks that, today, this gives the engine's stems.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

import re

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
