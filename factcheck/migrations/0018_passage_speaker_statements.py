"""Passages' speakers resolved again: the engine now takes statements named by their kind
("X promised to rebuild", "X likened the flood to ...") as X speaking, so passages split before
have speakers missing. Filled with a frozen copy of today's resolution (_frozen_0018.py), never
the live engine's; a passage whose speaker is found the same is left as it is."""

from django.db import migrations

from factcheck.migrations._frozen_0018 import resolve_speakers


def fill_speakers(apps, schema_editor):
    Passage = apps.get_model("factcheck", "Passage")
    Source = apps.get_model("factcheck", "Source")
    for source_id in Source.objects.filter(split_at__isnull=False).values_list("id", flat=True).iterator():
        passages = list(Passage.objects.filter(source_id=source_id).order_by("position"))
        changed = []
        for passage, speaker in zip(passages, resolve_speakers(p.text for p in passages), strict=True):
            if passage.speaker != speaker[:300]:
                passage.speaker = speaker[:300]
                changed.append(passage)
        Passage.objects.bulk_update(changed, ["speaker"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0017_claim_priority_reported")]

    operations = [migrations.RunPython(fill_speakers, migrations.RunPython.noop, elidable=True)]
