"""Recount document frequencies: the engine now reads a demonym as its place from the packages'
data (factcheck.crosscheck.words, names.place_words) instead of cutting any capitalised word that
ends in -an or -i ("Pakistan" was counted as "pakista", "Pakistani" as "pakistan", "Japanese" apart
from "Japan"), so the counts kept under the old stems no longer match the stems looked up.

The stemming is a frozen copy (_frozen_0020.py), not the live engine's: this migration must count
as it did when it was written, whatever the engine does later. (Later recounts without a
migration: `python manage.py rebuild_term_stats`.)"""

from django.db import migrations

from factcheck.migrations._frozen_0020 import content_stems
from factcheck.migrations._term_stats import recount as recount_with


def recount(apps, schema_editor):
    recount_with(apps, content_stems)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0019_passage_speaker_roles")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
