"""Regenerate word_families.json and irregular_forms.json from Princeton WordNet 3.0: which
Snowball stems are forms of one word family ("intend" / "intention", "describe" / "description"),
and which words are irregular forms of another ("struck" / "strike", "men" / "man").

Run offline, never at run time (the engine reads only the generated JSON):

    apt-get install wordnet-base        # Debian's WordNet 3.0 data files, /usr/share/wordnet
    .venv/bin/python factcheck/crosscheck/data/make_word_families.py

Snowball English strips inflections and some suffixes but keeps most derivations apart, which
a five-letter cut used to join; WordNet's "derivationally related form" pointers ("+") say which
words are derived from which. A pair is kept only when its two stems also share their beginning
(FAMILY_PREFIX letters and half the shorter stem): a derivation in the word's form, as a reader
sees it ("intend" / "intention"), not a semantic link ("die" / "death"). Stems linked by kept pairs
form a family, named by its shortest stem.

A suffix-stripping stemmer cannot see that "struck" is "strike": WordNet's exception lists
(noun.exc, verb.exc) name the base of each irregular form. Only the forms whose stem differs
from their base's stem are kept (the rest the stemmer joins already), and only forms with one base.
A capitalised word ending like a demonym ("Lestovian", "Korvan", "Qareshi") is cut to its place's
name by words.py when no country's data names it; the words WordNet knows that end so are listed
(demonym_lookalikes.json) so that the cut leaves them whole ("Titan", "Human", "Civilian", "Milan",
"Taliban"), but for a proper adjective whose cut form WordNet files as a place ("Siberian" / "Siberia",
"Kashmiri" / "Kashmir"): that one is a demonym.
WordNet 3.0 licence: see data/README.md. The stems are PyStemmer's, as requirements.txt pins it.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import Stemmer

WORDNET = Path("/usr/share/wordnet")
OUT = Path(__file__).parent / "word_families.json"
IRREGULAR_OUT = Path(__file__).parent / "irregular_forms.json"
LOOKALIKES_OUT = Path(__file__).parent / "demonym_lookalikes.json"
FAMILY_PREFIX = 4
# A family larger than this is a chain of loose derivations ("act", "actor", "activate", "actual"):
# left out whole rather than merged.
MAX_FAMILY = 12
_WORD = re.compile(r"^[a-z]+$")
# A word the demonym cut would shorten, lower-cased: words._DEMONYM_LIKE's pattern.
_DEMONYM_LIKE = re.compile(r"[a-z]{4,}?(?:(?<=a)n|i)")
# WordNet's lexicographer file of places (lexnames: 15 is noun.location).
_LOCATION_FILE = "15"


def derivation_pairs(wordnet: Path) -> set[tuple[str, str]]:
    """Pairs of single lower-case words that WordNet gives as derivationally related forms."""
    lemmas: dict[tuple[str, str], list[str]] = {}
    pointers: list[tuple[str, str, int, str, str, int]] = []
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (wordnet / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            fields = line.split(" | ")[0].split()
            offset, ss_type, count = fields[0], fields[2], int(fields[3], 16)
            words = [fields[4 + 2 * i].lower() for i in range(count)]
            key_type = "a" if ss_type == "s" else ss_type
            lemmas[(offset, key_type)] = words
            at = 4 + 2 * count
            for i in range(int(fields[at])):
                symbol, target, target_type, numbers = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                if symbol == "+":
                    source_number, target_number = int(numbers[:2], 16), int(numbers[2:], 16)
                    pointers.append((offset, key_type, source_number, target, target_type, target_number))
    pairs = set()
    for offset, key_type, source_number, target, target_type, target_number in pointers:
        source_word = lemmas[(offset, key_type)][source_number - 1]
        target_word = lemmas[(target, "a" if target_type == "s" else target_type)][target_number - 1]
        if _WORD.match(source_word) and _WORD.match(target_word):
            pairs.add((source_word, target_word))
    return pairs


def _shared_start(first: str, second: str) -> int:
    """How many letters two words begin with alike."""
    shorter = min(len(first), len(second))
    return next((i for i in range(shorter) if first[i] != second[i]), shorter)


def families(pairs: set[tuple[str, str]]) -> dict[str, str]:
    """Each stem of a family (but its name) -> the family's name, its shortest stem."""
    stemmer = Stemmer.Stemmer("english")
    parent: dict[str, str] = {}

    def find(stem: str) -> str:
        while parent.setdefault(stem, stem) != stem:
            stem = parent[stem]
        return stem

    for a, b in pairs:
        first, second = stemmer.stemWord(a), stemmer.stemWord(b)
        shared = _shared_start(first, second)
        if first != second and shared >= FAMILY_PREFIX and 2 * shared >= min(len(first), len(second)):
            parent[find(first)] = find(second)
    members: dict[str, list[str]] = defaultdict(list)
    for stem in parent:
        members[find(stem)].append(stem)
    table = {}
    for group in members.values():
        if 1 < len(group) <= MAX_FAMILY:
            name = min(group, key=lambda stem: (len(stem), stem))
            table.update({stem: name for stem in group if stem != name})
    return dict(sorted(table.items()))


def irregular_forms(wordnet: Path) -> dict[str, str]:
    """Irregular noun and verb forms -> their base word ("struck" -> "strike"), where the
    stemmer does not join them and WordNet gives one base."""
    stemmer = Stemmer.Stemmer("english")
    bases: dict[str, set[str]] = defaultdict(set)
    for pos in ("noun", "verb"):
        for line in (wordnet / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            form, *base = line.split()
            if _WORD.match(form) and len(base) == 1 and _WORD.match(base[0]):
                bases[form].add(base[0])
    return {
        form: base
        for form, (base,) in sorted((form, found) for form, found in bases.items() if len(found) == 1)
        if stemmer.stemWord(form) != stemmer.stemWord(base)
    }


def demonym_lookalikes(wordnet: Path) -> list[str]:
    """The single words of WordNet, lower-cased, that the demonym cut would shorten and must not: all
    but the proper adjectives (written capitalised only) whose cut form WordNet has as a capitalised
    place ("Siberian" -> "Siberia")."""
    written: dict[str, set[str]] = defaultdict(set)
    places: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (wordnet / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            fields = line.split(" | ")[0].split()
            words = [re.sub(r"\(\w+\)$", "", fields[4 + 2 * i]) for i in range(int(fields[3], 16))]
            for word in words:
                if word.isalpha() and word.isascii():
                    written[word.lower()].add(word)
                    if pos == "noun" and fields[1] == _LOCATION_FILE and word[0].isupper():
                        places.add(word.lower())
    lookalikes = []
    for word, forms in written.items():
        if not _DEMONYM_LIKE.fullmatch(word):
            continue
        proper_adjective = all(form[0].isupper() for form in forms)
        if not (proper_adjective and word[:-1] in places):
            lookalikes.append(word)
    return sorted(lookalikes)


def write(table: dict[str, str] | list[str], path: Path) -> None:
    path.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    table = families(derivation_pairs(WORDNET))
    write(table, OUT)
    print(f"{len(table)} stems in {len(set(table.values()))} families -> {OUT}", file=sys.stderr)
    irregular = irregular_forms(WORDNET)
    write(irregular, IRREGULAR_OUT)
    print(f"{len(irregular)} irregular forms -> {IRREGULAR_OUT}", file=sys.stderr)
    lookalikes = demonym_lookalikes(WORDNET)
    write(lookalikes, LOOKALIKES_OUT)
    print(f"{len(lookalikes)} words that look like demonyms -> {LOOKALIKES_OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
