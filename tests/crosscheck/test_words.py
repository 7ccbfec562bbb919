"""The engine's words: one tokenizer, PostgreSQL's stop list, Snowball stems. Pure: no database.
(tests/test_words_postgresql.py checks the same stems against the database server.)"""

import json
from pathlib import Path

import pytest

from factcheck.crosscheck import words
from factcheck.crosscheck.words import STOPWORDS, concept, content_stems, family, is_content_word, stem, tokens

# Snowball English stems, as PostgreSQL's english configuration makes its lexemes.
STEMS = [
    ("captured", "captur"),
    ("capturing", "captur"),
    ("running", "run"),
    ("ran", "ran"),  # Snowball strips suffixes; it does not know irregular forms
    ("soldiers", "soldier"),
    ("generously", "generous"),
    ("recruitment", "recruit"),
    ("territory", "territori"),
    ("ukraine", "ukrain"),
    ("news", "news"),
    ("passengers", "passeng"),
    ("organisations", "organis"),
    ("dying", "die"),
]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_words_are_reduced_to_their_snowball_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


CONTENT_STEMS = [
    ("ending this war", {"end", "war"}),
    ("it is a an of the", set()),  # stopwords only
    ("Russia's troops, Kyiv's", {"russia", "troop", "kyiv"}),  # the "s" is a stopword
    ("Two men, 11,000 soldiers", {"2", "man", "11", "000", "troop"}),  # number words as digits
    ("Mr Li met the UN", {"meet"}),  # two letters: an initial, a title; "met" is "meet"
    ("Lestovian troops and Lestovia", {"lestovia", "troop"}),  # a demonym is its place
    ("Qareshi nationals", {"qaresh", "citizen"}),
    ("a Pakistani and an Israeli", {"pakistan", "israel"}),
    ("human rights, an urban plan", {"human", "right", "urban", "plan"}),  # only capitalised words are cut
    ("no intention to end it; he intends to end it", {"intend", "end"}),  # one word family
]


@pytest.mark.parametrize(("text", "expected"), CONTENT_STEMS)
def test_it_keeps_the_stems_of_the_words_that_carry_content(text: str, expected: set[str]) -> None:
    assert content_stems(text) == expected


def test_tokens_are_lower_case_runs_of_letters_and_digits() -> None:
    assert tokens("U.S. forces' 9/11 co-operation, 11,000") == [
        "u",
        "s",
        "forces",
        "9",
        "11",
        "co",
        "operation",
        "11",
        "000",
    ]


@pytest.mark.parametrize(
    ("token", "content"), [("the", False), ("nor", False), ("mr", False), ("12", True), ("war", True), ("said", True)]
)
def test_content_words_are_numbers_and_words_of_three_letters_outside_the_stop_list(token: str, content: bool) -> None:
    assert is_content_word(token) is content


def test_the_stop_list_is_postgresqls_english_list() -> None:
    # The copy beside the engine, as data/README.md says: 127 words, one a line.
    listed = Path(words.__file__).parent / "data" / "english.stop"
    assert len(STOPWORDS) == 127
    assert frozenset(listed.read_text().split()) == STOPWORDS
    assert {"the", "and", "nor", "s", "t", "don"} <= STOPWORDS


# News reports say one thing in these words; the label set needs them joined (see words.NEWS_EQUIVALENTS).
SAME_THING = [
    ("troops captured nationals", "soldiers captured citizens"),
    ("Lestovian forces", "Lestovia's troops"),
    ("recruited abroad", "enlisted abroad"),
    ("a clip", "the footage"),
    ("seven aboard the trawler", "seven on board the trawler"),
    ("the missile struck", "a missile strike"),  # an irregular form and its base
    ("two men", "2 man"),
]


@pytest.mark.parametrize(("a", "b"), SAME_THING)
def test_news_wire_equivalents_meet_in_one_concept(a: str, b: str) -> None:
    assert content_stems(a) == content_stems(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("intention", "intend"), ("description", "describe"), ("identified", "identity"), ("defended", "defence")],
)
def test_a_word_and_its_derivation_are_one_family(a: str, b: str) -> None:
    assert family(stem(a)) == family(stem(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("station", "static"), ("passengers", "passed"), ("content", "context"), ("fought", "troops"), ("killed", "dead")],
)
def test_words_that_only_begin_alike_stay_apart(a: str, b: str) -> None:
    # A five-letter cut joined these; the stemmer and WordNet's families do not.
    assert concept(a) != concept(b)


def test_the_word_families_are_a_generated_table_of_stems() -> None:
    table = json.loads((Path(words.__file__).parent / "data" / "word_families.json").read_text())
    assert len(table) > 1000
    # Every family is named by one of its own stems, which is its shortest and names itself.
    assert all(name not in table for name in table.values())
    assert all(len(name) <= len(member) for member, name in table.items())
