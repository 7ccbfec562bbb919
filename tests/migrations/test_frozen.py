"""Migrations keep doing what they did: 0007, 0018, 0019 and 0021 resolve speakers and 0009, 0015 and 0020 count
stems with frozen copies of the engine's code (factcheck/migrations/_frozen_0007.py, _frozen_0018.py,
_frozen_0019.py, _frozen_0021.py, _frozen_0009.py, _frozen_0015.py, _frozen_0020.py), never the live engine. pyproject.toml's import-linter
contract (run by tests/test_architecture.py) keeps every migration off the live engine and services."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

from factcheck.crosscheck import words as live_words
from factcheck.crosscheck.claims import resolve_speakers as live_resolve_speakers
from factcheck.crosscheck.text import split_passages
from factcheck.crosscheck.words import content_stems as live_content_stems
from factcheck.management.commands.demo import SAMPLE_ARTICLES
from factcheck.migrations import _frozen_0020
from factcheck.migrations._frozen_0007 import resolve_speakers as frozen_0007_resolve_speakers
from factcheck.migrations._frozen_0009 import content_stems as frozen_0009_content_stems
from factcheck.migrations._frozen_0015 import content_stems as frozen_0015_content_stems
from factcheck.migrations._frozen_0018 import resolve_speakers as frozen_0018_resolve_speakers
from factcheck.migrations._frozen_0019 import resolve_speakers as frozen_0019_resolve_speakers
from factcheck.migrations._frozen_0020 import content_stems as frozen_content_stems
from factcheck.migrations._frozen_0021 import resolve_speakers as frozen_resolve_speakers
from factcheck.models import Passage, TermStat

speakers_0007 = importlib.import_module("factcheck.migrations.0007_passage_speaker")
speakers_0018 = importlib.import_module("factcheck.migrations.0018_passage_speaker_statements")
speakers_0019 = importlib.import_module("factcheck.migrations.0019_passage_speaker_roles")
speakers_0021 = importlib.import_module("factcheck.migrations.0021_passage_speaker_by_role")
recount_0009 = importlib.import_module("factcheck.migrations.0009_recount_term_stats")
recount_0015 = importlib.import_module("factcheck.migrations.0015_snowball_term_stats")
recount_0020 = importlib.import_module("factcheck.migrations.0020_demonym_term_stats")


def sample_articles() -> list[list[str]]:
    """The passages of each sample article, as the splitter cuts them."""
    return [
        [span.text for span in split_passages(path.read_text(encoding="utf-8"))]
        for path in sorted(SAMPLE_ARTICLES.iterdir())
    ]


def sample_passages() -> list[str]:
    return [text for article in sample_articles() for text in article]


def test_the_frozen_stemming_of_0020_gives_todays_engine_stems_on_the_sample_corpus() -> None:
    # When this fails the engine's stemming changed: that is allowed, but then 0020 must keep
    # its frozen copy and counts made by the live engine need a new recount migration.
    passages = sample_passages()
    assert len(passages) > 100
    differing = [text for text in passages if frozen_content_stems(text) != live_content_stems(text)]
    assert differing == []


def test_the_frozen_place_words_of_0020_read_every_word_as_todays_engine_does() -> None:
    # Every word the live tables name, and every word that looks like a demonym to either.
    listed = [*live_words._place_names(), *_frozen_0020._PLACE_NAMES, *live_words._LOOKALIKES]
    for word in [*listed, *(word.capitalize() for word in live_words._LOOKALIKES)]:
        assert _frozen_0020._place_word(word) == live_words._place_word(word), word


@pytest.mark.parametrize(
    ("migration", "frozen"),
    [
        (recount_0009, frozen_0009_content_stems),
        (recount_0015, frozen_0015_content_stems),
        (recount_0020, frozen_content_stems),
    ],
)
def test_the_recount_migrations_use_their_frozen_stemming_not_the_engine(migration, frozen) -> None:
    assert migration.content_stems is frozen


def test_the_three_recounts_count_differently() -> None:
    # 0009 cut words to five letters; 0015 stems them (Snowball) and cuts any capitalised -an or -i
    # word as a demonym; 0020 reads demonyms as their places from data and keeps places whole.
    text = "Lestovian troops have captured two Qareshi nationals."
    assert frozen_0009_content_stems(text) != frozen_0015_content_stems(text)
    places = "Pakistani engineers in Pakistan"
    assert frozen_0015_content_stems(places) == {"pakistan", "engin", "pakista"}
    assert frozen_content_stems(places) == {"pakistan", "engin"}


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_corpus")
def test_migration_0020_recounts_what_ingesting_counted() -> None:
    from django.apps import apps

    counted_on_ingest = dict(TermStat.objects.values_list("term", "passages"))
    assert counted_on_ingest[TermStat.TOTAL] > 100

    TermStat.objects.all().delete()
    recount_0020.recount(apps, None)

    assert dict(TermStat.objects.values_list("term", "passages")) == counted_on_ingest


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_corpus")
def test_migration_0009_still_recounts_with_five_letter_stems() -> None:
    from django.apps import apps

    expected: Counter[str] = Counter()
    for text in Passage.objects.values_list("text", flat=True):
        expected.update(frozen_0009_content_stems(text))
        expected[TermStat.TOTAL] += 1

    recount_0009.recount(apps, None)

    assert dict(TermStat.objects.values_list("term", "passages")) == expected
    assert TermStat.objects.filter(term="troop").exists()
    assert not TermStat.objects.filter(term="soldier").exists()


def test_the_frozen_speaker_resolution_of_0021_gives_todays_engine_speakers_on_the_sample_corpus() -> None:
    # When this fails the engine's speaker resolution changed: that is allowed, but then 0021 must
    # keep its frozen copy and the passages split before need a new migration to resolve them again.
    articles = sample_articles()
    frozen = [frozen_resolve_speakers(article) for article in articles]
    assert sum(1 for speakers in frozen for speaker in speakers if speaker) > 20, "too few speakers to compare"
    assert frozen == [live_resolve_speakers(article) for article in articles]


def test_the_speaker_resolutions_differ_on_a_statement_named_by_its_kind_and_on_a_person_named_by_role() -> None:
    article = ["Mayor Ilse Brandt visited the flooded district.", "Brandt promised to rebuild every bridge."]
    assert frozen_0007_resolve_speakers(article)[1] == ""
    assert frozen_0018_resolve_speakers(article)[1] == "Ilse Brandt"
    by_role = ['"We will rebuild," said Brightway co-founder Ilse Brandt.']
    assert frozen_0018_resolve_speakers(by_role) == ["Brightway"]
    assert frozen_0019_resolve_speakers(by_role) == ["Ilse Brandt"]
    opened_on = ["Harbour master Piet Olsen said so.", "Mayor Ilse Brandt thanked the crew.", '"Heroes," she said.']
    assert frozen_0018_resolve_speakers(opened_on)[2] == "Piet Olsen"
    assert frozen_0019_resolve_speakers(opened_on)[2] == "Ilse Brandt"


def test_the_speaker_resolutions_differ_on_a_speaker_named_by_role_or_as_an_organisation() -> None:
    article = [
        "Its operator, Norland Freight, said the crew were safe.",
        "The company said the hull was intact.",
        "The barge's operator has said the lock gates were not to blame.",
    ]
    assert frozen_0019_resolve_speakers(article) == ["", "The company", "s operator"]
    assert frozen_resolve_speakers(article) == ["Norland Freight, operator"] * 3
    # And 0021 gives what 0019 gave where no one is named by role.
    named = ['"We will rebuild," said Brightway co-founder Ilse Brandt.', "Mayor Piet Olsen thanked the crew."]
    assert frozen_resolve_speakers(named) == frozen_0019_resolve_speakers(named)


@pytest.mark.parametrize(
    ("migration", "frozen"),
    [
        (speakers_0007, frozen_0007_resolve_speakers),
        (speakers_0018, frozen_0018_resolve_speakers),
        (speakers_0019, frozen_0019_resolve_speakers),
        (speakers_0021, frozen_resolve_speakers),
    ],
)
def test_the_speaker_migrations_use_their_frozen_resolution_not_the_engine(migration, frozen) -> None:
    assert migration.resolve_speakers is frozen


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_corpus")
def test_migration_0021_fills_in_the_speakers_splitting_found() -> None:
    from django.apps import apps

    found_on_split = dict(Passage.objects.values_list("pk", "speaker"))
    assert sum(1 for speaker in found_on_split.values() if speaker) > 20

    Passage.objects.update(speaker="")
    speakers_0021.fill_speakers(apps, None)

    assert dict(Passage.objects.values_list("pk", "speaker")) == found_on_split
