"""Passages' speakers resolved again: the engine now takes statements named by their kind
("X promised to rebuild", "X likened the flood to ...") as X speaking, so passages split before
have speakers missing. Filled with a frozen copy of today's resolution (_frozen_0018.py), never
the live engine's; a passage whose speaker is found the same is left as it is."""

from django.db import migrations

from factcheck.migrations._frozen_0018 import resolve_speakers
from factcheck.migrations._speakers import refill_speakers


def fill_speakers(apps, schema_editor):
    refill_speakers(apps, resolve_speakers)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0017_claim_priority_reported")]

    operations = [migrations.RunPython(fill_speakers, migrations.RunPython.noop, elidable=True)]
