"""Recount document frequencies: the cross-source checks made "video"/"clip"/"footage",
"published"/"posted" and "wounded"/"injured" one concept each (factcheck.crosscheck.matching),
so the counts kept under the old stems no longer match the stems looked up.

The stemming is a frozen copy (_frozen_0009.py), not the live engine's: this migration must
count as it did when it was written, whatever the engine does later."""

from django.db import migrations

from factcheck.migrations._frozen_0009 import content_stems
from factcheck.migrations._term_stats import recount as recount_with


def recount(apps, schema_editor):
    recount_with(apps, content_stems)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0008_check_runs")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
