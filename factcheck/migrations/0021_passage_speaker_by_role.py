"""Passages' speakers resolved again: speakers named by role or as an organisation ("the ship's
technical manager has said", "a spokesman for the port authority said", "Its technical manager,
Bernhard Schulte Shipmanagement, said", "the company said") were nobody, or "The company", so two
outlets repeating one company looked like two origins. Filled with a frozen copy of today's
resolution (_frozen_0021.py), never the live engine's; a passage whose speaker is found the same is
left as it is."""

from django.db import migrations

from factcheck.migrations._frozen_0021 import resolve_speakers
from factcheck.migrations._speakers import refill_speakers


def fill_speakers(apps, schema_editor):
    refill_speakers(apps, resolve_speakers)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0020_demonym_term_stats")]

    operations = [migrations.RunPython(fill_speakers, migrations.RunPython.noop, elidable=True)]
