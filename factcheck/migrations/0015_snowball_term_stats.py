"""Recount document frequencies: the engine now stems with Snowball English, the algorithm of
PostgreSQL's `english` configuration (factcheck.crosscheck.words), instead of cutting words to
five letters, so the counts kept under the old stems no longer match the stems looked up.

The stemming is a frozen copy (_frozen_0015.py), not the live engine's: this migration must
count as it did when it was written, whatever the engine does later. (Later recounts without a
migration: `python manage.py rebuild_term_stats`.)"""

from django.db import migrations

from factcheck.migrations._frozen_0015 import content_stems
from factcheck.migrations._term_stats import recount as recount_with


def recount(apps, schema_editor):
    recount_with(apps, content_stems)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0014_verdict_four_eyes_and_frozen")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
