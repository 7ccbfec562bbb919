"""Passages remember who speaks in them, resolved across the article ("he said" is
the person named last), so a quotation can be checked against its speaker without
re-reading the article. Existing passages are filled in from their sources, with a frozen copy
of the speaker resolution (_frozen_0007.py), never the live engine's."""

from django.db import migrations, models

from factcheck.migrations._frozen_0007 import resolve_speakers


def fill_speakers(apps, schema_editor):
    Passage = apps.get_model("factcheck", "Passage")
    Source = apps.get_model("factcheck", "Source")
    for source_id in Source.objects.filter(split_at__isnull=False).values_list("id", flat=True).iterator():
        passages = list(Passage.objects.filter(source_id=source_id).order_by("position"))
        for passage, speaker in zip(passages, resolve_speakers(p.text for p in passages), strict=True):
            passage.speaker = speaker[:300]
        Passage.objects.bulk_update([p for p in passages if p.speaker], ["speaker"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0006_term_stats")]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="speaker",
            field=models.CharField(
                blank=True,
                help_text="Who the passage attributes its words to, resolved in the article ('he said' is the last named).",
                max_length=300,
            ),
        ),
        migrations.RunPython(fill_speakers, migrations.RunPython.noop),
    ]
