"""The engine's words: one tokenizer, PostgreSQL's stop list, Snowball stems. Pure: no database.
(tests/test_words_postgresql.py checks the same stems against the database server.)"""

import json
from pathlib import Path

import pytest

from factcheck.crosscheck import words
from factcheck.crosscheck.words import (
    STOPWORDS,
    as_name,
    concept,
    content_stems,
    family,
    is_content_word,
    stem,
    tokens,
    words_standing_for,
)

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
    ("a Pakistani and an Israeli", {"pakistan", "isra"}),  # Snowball's "israeli", shorter than "israel"
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


# A demonym and its place say one thing: the countries' from the packages' data (names.py), a place
# that ends like a demonym (-an, -i) among them; invented places by the demonym suffix.
DEMONYM_AND_PLACE = [
    ("Pakistani engineers", "engineers from Pakistan"),
    ("two Pakistanis", "two from Pakistan"),
    ("an Iranian drone", "a drone from Iran"),
    ("Japanese carmakers", "carmakers in Japan"),
    ("the French navy", "the navy of France"),
    ("Russian gas", "gas from Russia"),
    ("North Korean missiles", "missiles from North Korea"),
    ("Sudanese refugees", "refugees from Sudan"),
    ("an Omani tanker", "a tanker from Oman"),
    ("Taiwanese chips", "chips from Taiwan"),
    ("Afghan interpreters", "interpreters in Afghanistan"),
    ("Dutch dikes", "dikes in the Netherlands"),
    ("Ukrainian grain", "grain from Ukraine"),
    ("Turkish drones", "drones from Turkey"),
    ("Asian markets", "markets in Asia"),
    ("a Valdorian envoy", "an envoy of Valdoria"),  # no data knows this place: the suffix
    ("Tarvan pilots", "pilots from Tarva"),
    ("a Belmeshi general", "a general from Belmesh"),
]


@pytest.mark.parametrize(("a", "b"), DEMONYM_AND_PLACE)
def test_a_demonym_stands_for_its_place(a: str, b: str) -> None:
    assert content_stems(a) == content_stems(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pakistan", {"pakistan"}),  # a known place is no demonym: not "pakista"
        ("Sudan and Oman", {"sudan", "oman"}),
        ("Taiwan", {"taiwan"}),
        ("Human error was blamed.", {"human", "error", "blame"}),  # an English word opening a sentence
        ("The Titan lost contact.", {"titan", "lose", "contact"}),  # a vessel named by an English word
        ("Civilian flights resumed.", {"civilian", "flight", "resum"}),
        ("Tehran and Milan", {"tehran", "milan"}),  # cities: names, not demonyms
    ],
)
def test_names_and_words_that_only_end_like_demonyms_are_not_cut(text: str, expected: set[str]) -> None:
    assert content_stems(text) == expected


def test_a_name_is_compared_as_written_not_by_its_stem() -> None:
    # "Titan" and "Titanic" share a stem: as names they are two.
    assert stem("titan") == stem("titanic")
    assert as_name("Titan") != as_name("Titanic")
    assert as_name("Iranian") == as_name("Iran")
    assert as_name("Valdorian") == as_name("Valdoria")


def test_the_words_standing_for_a_place_include_its_demonym() -> None:
    meanings = content_stems("Pakistan")
    assert words_standing_for("Pakistani officials met Afghan envoys in Pakistan.", meanings) == [
        "Pakistani",
        "Pakistan",
    ]


def test_the_demonym_lookalikes_are_a_generated_list_of_words() -> None:
    listed = json.loads((Path(words.__file__).parent / "data" / "demonym_lookalikes.json").read_text())
    assert len(listed) > 1000
    assert listed == sorted(listed)
    assert {"titan", "human", "civilian", "taliban"} <= set(listed)
    # Proper adjectives whose cut form WordNet files as a place are demonyms: not listed.
    assert not {"siberian", "kashmiri"} & set(listed)
