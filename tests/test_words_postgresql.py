"""The engine's stems are the full-text index's lexemes: its words (factcheck.crosscheck.words)
stemmed and stopped as PostgreSQL's `english` configuration does, asked of the server itself."""

from pathlib import Path

import pytest
from django.db import connection

from factcheck.crosscheck.text import split_passages
from factcheck.crosscheck.words import MIN_WORD_LENGTH, STOPWORDS, is_content_word, stem, tokens
from factcheck.management.commands.demo import SAMPLE_ARTICLES

pytestmark = pytest.mark.django_db

POSTGRESQL_STOP_LIST = Path("/usr/share/postgresql/15/tsearch_data/english.stop")

WORDS = [
    "captured", "capturing", "soldiers", "troops", "generously", "recruitment", "territory", "ukraine",
    "ukrainian", "running", "dying", "passengers", "organisations", "officials", "railway", "battalions",
    "denied", "fabricated", "international", "approximately", "the", "because", "nor", "should", "once",
]  # fmt: skip


def lexemes(words: list[str]) -> dict[str, list[str]]:
    """Each word as the english configuration's Snowball dictionary gives it: [] for a stopword."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT w, ts_lexize('english_stem', w) FROM unnest(%s::text[]) AS w", [words])
        return dict(cursor.fetchall())


def engine_lexemes(word: str) -> list[str]:
    return [stem(word)] if is_content_word(word) else []


@pytest.mark.parametrize("word", WORDS)
def test_the_engine_stems_a_word_as_postgresql_does(word: str) -> None:
    assert engine_lexemes(word) == lexemes([word])[word]


def test_every_word_of_the_sample_corpus_is_stemmed_as_postgresql_stems_it() -> None:
    words = sorted(
        {
            word
            for path in SAMPLE_ARTICLES.iterdir()
            for span in split_passages(path.read_text(encoding="utf-8"))
            for word in tokens(span.text)
            if not word.isdigit() and len(word) >= MIN_WORD_LENGTH
        }
    )
    assert len(words) > 1000
    by_postgresql = lexemes(words)
    differing = {word: (engine_lexemes(word), by_postgresql[word]) for word in words}
    assert {word: pair for word, pair in differing.items() if pair[0] != pair[1]} == {}


def test_postgresql_drops_every_stopword_of_the_engine_and_no_other_word() -> None:
    by_postgresql = lexemes([*sorted(STOPWORDS), "war", "said", "according"])
    assert {word for word, found in by_postgresql.items() if not found} == STOPWORDS


@pytest.mark.skipif(not POSTGRESQL_STOP_LIST.exists(), reason="the PostgreSQL 15 server's files are not installed")
def test_the_stop_list_is_a_copy_of_the_servers() -> None:
    assert frozenset(POSTGRESQL_STOP_LIST.read_text().split()) == STOPWORDS
