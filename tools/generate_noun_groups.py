"""Generate factcheck/crosscheck/noun_groups.py from WordNet 3.0: which counted nouns name one kind.

Run once, offline, when the groups change (needs Debian's ``wordnet-base``, i.e. /usr/share/wordnet):

    apt-get install wordnet-base
    .venv/bin/python tools/generate_noun_groups.py > factcheck/crosscheck/noun_groups.py
    .venv/bin/ruff format factcheck/crosscheck/noun_groups.py

The engine never reads WordNet at run time: it ships the small table this prints. Two groups:

- TROOPS: members of an armed force, whatever a report calls them ("11,000 soldiers" here,
  "approximately 15,000 men" there): the synonyms and hyponyms of serviceman.n.01 (its synset
  holds "man" and "military personnel"), without officers and veterans (a count of officers or
  of veterans is not the size of a force), plus the synonyms of military_personnel.n.01 ("troops"),
  combatant.n.01 ("fighter"), force.n.04 ("force", "personnel") and mercenary.n.01 and its hyponyms.
- MEASURES: units of measurement and periods of time ("feet", "minutes", "years"): a figure that
  measures something is about whatever it measures, which the words around it rarely name.
- COLLECTIVES: nouns whose most frequent sense is a group ("crew", "team", "family", "fleet"): in
  "a road crew of eight" the number after "of" counts the crew's members, the noun before it.
- KINDS_OF_PERSON: nouns whose most frequent sense is a person ("worker", "diver", "tourist"): "nobody
  was hurt" is a count of people that "three dock workers died" contradicts, and "three cranes" does not.
- ONE_KIND: for a noun whose most frequent sense is a thing made, a person or an animal, the
  words of that sense's synset and of its direct hypernyms ("ship": "vessel", "watercraft";
  "boat": "vessel"): one report counts "321 ships" where the next counts "321 vessels". The
  engine uses it for agreement only: a count of vessels may take in more than the ships.

A word joins TROOPS when its most frequent noun sense is in the group (WordNet orders senses by
frequency: "rebel" and "striker" are soldiers only in a later sense), or when it is a lemma of a
synset named above ("man" is a serviceman in its second sense, "force" personnel in its fourth);
it joins MEASURES when one of its two most frequent senses does ("minute" is a unit in its second).
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
MEASURE_SENSES = 2  # "minute" measures time in its second sense
TROOP_SENSES = 1  # "rebel", "striker" and "sailor" are troops only in a later sense

TROOP_TREES = ["serviceman.n.01", "mercenary.n.01"]
# Officers and veterans are not the size of a force; a noncombatant is no fighter; "Rebel" is a Confederate.
TROOP_TREES_LEFT_OUT = [
    "military_officer.n.01",
    "ex-serviceman.n.01",
    "veteran.n.01",
    "noncombatant.n.01",
    "confederate_soldier.n.01",
]
TROOP_SYNONYMS = ["military_personnel.n.01", "serviceman.n.01", "combatant.n.01", "force.n.04", "mercenary.n.01"]
LINE = 100
WORD = re.compile(r"[a-z][a-z'-]*[a-z]")  # no digits ("1990s", "24/7"), no one-letter symbols ("a" for ampere)
MEASURE_TREES = ["unit_of_measurement.n.01", "time_unit.n.01", "time_period.n.01"]
COLLECTIVE_TREES = ["group.n.01"]
COLLECTIVE_SENSES = 1  # "force" and "number" are groups only in later senses
# What is counted as one of a kind: things made, people, animals (not abstractions: "a case", "a point").
ONE_KIND_TREES = ["artifact.n.01", "person.n.01", "animal.n.01"]
PERSON_TREES = ["person.n.01"]
PERSON_SENSES = 1  # "crane" is a bird in a later sense, "pilot" a program


class WordNet:
    def __init__(self, folder: Path) -> None:
        self.lemmas: dict[str, list[str]] = {}  # synset offset -> its words
        self.hyponyms: dict[str, list[str]] = {}  # synset offset -> its hyponyms (no instances: no people's names)
        self.hypernyms: dict[str, list[str]] = {}  # synset offset -> its hypernyms (no instances)
        self.licence: list[str] = []
        for line in (folder / "data.noun").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # the licence at the top of the file, numbered
                self.licence.append(line.strip().partition(" ")[2].strip())
                continue
            fields = line.split(" | ")[0].split()
            offset, count = fields[0], int(fields[3], 16)
            self.lemmas[offset] = [fields[4 + 2 * k].lower() for k in range(count)]
            pointers_at = 4 + 2 * count
            pointers = [
                fields[pointers_at + 1 + 4 * k : pointers_at + 4 + 4 * k] for k in range(int(fields[pointers_at]))
            ]
            self.hyponyms[offset] = [target for symbol, target, pos in pointers if symbol == "~" and pos == "n"]
            self.hypernyms[offset] = [target for symbol, target, pos in pointers if symbol == "@" and pos == "n"]
        self.senses: dict[str, list[str]] = {}  # word -> its synsets, most frequent sense first
        for line in (folder / "index.noun").read_text(encoding="latin-1").splitlines():
            if not line.startswith("  "):
                fields = line.split()
                self.senses[fields[0]] = fields[-int(fields[2]) :]
        self.plurals: dict[str, list[str]] = {}  # "man" -> ["men"]: plurals the engine cannot form
        for line in (folder / "noun.exc").read_text(encoding="latin-1").splitlines():
            plural, *singulars = line.split()
            for singular in singulars:
                self.plurals.setdefault(singular, []).append(plural)

    def synset(self, name: str) -> str:
        """An offset from an NLTK-style name: "serviceman.n.01" is the first sense of "serviceman"."""
        word, _, number = name.rsplit(".", 2)
        return self.senses[word][int(number) - 1]

    def tree(self, names: Iterable[str]) -> set[str]:
        found: set[str] = set()
        stack = [self.synset(name) for name in names]
        while stack:
            offset = stack.pop()
            if offset not in found:
                found.add(offset)
                stack.extend(self.hyponyms[offset])
        return found

    def words_in(self, synsets: set[str], senses_considered: int) -> set[str]:
        return {
            word
            for word, senses in self.senses.items()
            if "_" not in word and any(offset in synsets for offset in senses[:senses_considered])
        }

    def synonyms(self, names: Iterable[str]) -> set[str]:
        return {word for name in names for word in self.lemmas[self.synset(name)] if "_" not in word}

    def one_kind(self, trees: Iterable[str]) -> dict[str, set[str]]:
        """Each word whose most frequent sense is in the trees, with the other words of that sense
        and of its direct hypernyms: "ship" -> {"vessel", "watercraft"}."""
        within = self.tree(trees)
        found: dict[str, set[str]] = {}
        for word, senses in self.senses.items():
            if senses[0] not in within or not WORD.fullmatch(word):
                continue
            near = {
                lemma
                for synset in [senses[0], *self.hypernyms[senses[0]]]
                for lemma in self.lemmas[synset]
                if lemma != word and WORD.fullmatch(lemma)
            }
            if near:
                found[word] = near
        return found

    def with_plurals(self, words: set[str]) -> set[str]:
        return words | {plural for word in words for plural in self.plurals.get(word, []) if "_" not in plural}


def main() -> None:
    wordnet = WordNet(WORDNET)
    troop_synsets = wordnet.tree(TROOP_TREES) - wordnet.tree(TROOP_TREES_LEFT_OUT)
    troops = wordnet.with_plurals(wordnet.words_in(troop_synsets, TROOP_SENSES) | wordnet.synonyms(TROOP_SYNONYMS))
    measures = wordnet.with_plurals(wordnet.words_in(wordnet.tree(MEASURE_TREES), MEASURE_SENSES)) - troops
    out = sys.stdout
    out.write('"""Counted nouns that name one kind. GENERATED by tools/generate_noun_groups.py: do not edit.\n\n')
    out.write("Source: WordNet 3.0, Copyright 2006 by Princeton University (WordNet 3.0 licence: use, copy,\n")
    out.write("modify and distribute with this notice), as Debian's wordnet-base package installs it.\n")
    out.write("How the groups are chosen, and how to regenerate: that script's docstring. Pure: no Django import.\n\n")
    out.write("The WordNet licence, as its data files carry it:\n\n")
    out.writelines(f"    {line}".rstrip() + "\n" for line in wordnet.licence)
    out.write('"""\n\n')
    collectives = wordnet.words_in(wordnet.tree(COLLECTIVE_TREES), COLLECTIVE_SENSES)
    persons = wordnet.with_plurals(wordnet.words_in(wordnet.tree(PERSON_TREES), PERSON_SENSES))
    groups = (("TROOPS", troops), ("MEASURES", measures), ("COLLECTIVES", collectives), ("KINDS_OF_PERSON", persons))
    for name, words in groups:
        lines = textwrap.wrap(" ".join(sorted(word for word in words if WORD.fullmatch(word))), LINE)
        out.write(f"{name} = frozenset(\n    (\n")
        out.writelines(f'        "{line} "\n' for line in lines)
        out.write("    ).split()\n)\n")
    out.write("# Each line: a noun, then the nouns of its most frequent sense and of that sense's hypernyms.\n")
    out.write("_ONE_KIND_LINES = (\n")
    for word, near in sorted(wordnet.one_kind(ONE_KIND_TREES).items()):
        *lines, last = textwrap.wrap(f"{word} {' '.join(sorted(near))}", LINE)
        out.writelines(f'    "{line} "\n' for line in lines)
        out.write(f'    "{last}\\n"\n')
    out.write(")\n")
    out.write("ONE_KIND = {line.split()[0]: frozenset(line.split()[1:]) for line in _ONE_KIND_LINES.splitlines()}\n")


if __name__ == "__main__":
    main()
