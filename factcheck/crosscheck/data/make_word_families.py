"""Regenerate word_families.json from Princeton WordNet 3.0: which Snowball stems are forms of
one word family ("intend" / "intention", "recruit" / "recruitment", "describe" / "description").

Run offline, never at run time (the engine reads only the generated JSON):

    apt-get install wordnet-base        # Debian's WordNet 3.0 data files, /usr/share/wordnet
    .venv/bin/python factcheck/crosscheck/data/make_word_families.py

Snowball English strips inflections and some suffixes but keeps most derivations apart, which
a five-letter cut used to join; WordNet's "derivationally related form" pointers ("+") say which
words are derived from which. A pair is kept only when its two stems also share their beginning
(FAMILY_PREFIX letters and half the shorter stem): a derivation in the word's form, as a reader
sees it ("intend" / "intention"), not a semantic link ("die" / "death"). Stems linked by kept pairs
form a family, named by its shortest stem. WordNet 3.0 licence: see data/README.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from os.path import commonpath
from pathlib import Path

import Stemmer

WORDNET = Path("/usr/share/wordnet")
OUT = Path(__file__).parent / "word_families.json"
FAMILY_PREFIX = 4
# A family larger than this is a chain of loose derivations ("act", "actor", "activate", "actual"):
# left out whole rather than merged.
MAX_FAMILY = 12
_WORD = re.compile(r"^[a-z]+$")


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
        shared = len(commonpath([first, second]))
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


def main() -> None:
    table = families(derivation_pairs(WORDNET))
    OUT.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table)} stems in {len(set(table.values()))} families -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
