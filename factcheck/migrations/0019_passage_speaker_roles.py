"""Passages' speakers resolved again: "said OceanGate co-founder Guillermo Sohnlein" was taken for
OceanGate speaking, so a quotation given to the person looked misattributed; and "he said" after
"Governor Wes Moore repeated his praise." was the last person quoted before. Filled with a frozen
copy of today's resolution (_frozen_0019.py), never the live engine's; a passage whose speaker is
found the same is left as it is."""

from django.db import migrations

from factcheck.migrations._frozen_0019 import resolve_speakers
from factcheck.migrations._speakers import refill_speakers


def fill_speakers(apps, schema_editor):
    refill_speakers(apps, resolve_speakers)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0018_passage_speaker_statements")]

    operations = [migrations.RunPython(fill_speakers, migrations.RunPython.noop, elidable=True)]
