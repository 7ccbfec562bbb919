"""Migrations keep doing what they did: 0009 counts with a frozen copy of the engine's stemming
(factcheck/migrations/_frozen_0009.py), never the live engine. pyproject.toml's import-linter
contract (run by tests/test_architecture.py) keeps every migration off the live engine and services."""

from __future__ import annotations

import importlib

import pytest

from factcheck.crosscheck.matching import content_stems as live_content_stems
from factcheck.crosscheck.text import split_passages
from factcheck.management.commands.demo import SAMPLE_ARTICLES
from factcheck.migrations._frozen_0009 import content_stems as frozen_content_stems
from factcheck.models import TermStat

recount_0009 = importlib.import_module("factcheck.migrations.0009_recount_term_stats")


def sample_passages() -> list[str]:
    passages = []
    for path in sorted(SAMPLE_ARTICLES.iterdir()):
        passages += [span.text for span in split_passages(path.read_text(encoding="utf-8"))]
    return passages


def test_the_frozen_stemming_of_0009_gives_todays_engine_stems_on_the_sample_corpus() -> None:
    # When this fails the engine's stemming changed: that is allowed, but then 0009 must keep
    # its frozen copy and counts made by the live engine need a new recount migration.
    passages = sample_passages()
    assert len(passages) > 100
    differing = [text for text in passages if frozen_content_stems(text) != live_content_stems(text)]
    assert differing == []


def test_migration_0009_uses_the_frozen_stemming_not_the_engine() -> None:
    assert recount_0009.content_stems is frozen_content_stems


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_corpus")
def test_migration_0009_recounts_what_ingesting_counted() -> None:
    from django.apps import apps

    counted_on_ingest = dict(TermStat.objects.values_list("term", "passages"))
    assert counted_on_ingest[TermStat.TOTAL] > 100

    TermStat.objects.all().delete()
    recount_0009.recount(apps, None)

    assert dict(TermStat.objects.values_list("term", "passages")) == counted_on_ingest
