"""Four-eyes that means it: verdict contributors and rating corrections awaiting a second
editor; the never-used "approved" state dropped (an editor approves by publishing)."""

from django.conf import settings
from django.db import migrations, models


def approved_to_draft_and_authors_contribute(apps, schema_editor):
    Verdict = apps.get_model("factcheck", "Verdict")
    Verdict.objects.filter(status="approved").update(status="draft", approved_by=None)
    Through = Verdict.contributors.through
    Through.objects.bulk_create(
        [
            Through(verdict_id=pk, user_id=author_id)
            for pk, author_id in Verdict.objects.filter(author__isnull=False).values_list("pk", "author_id")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0013_source_fetch_and_webhook_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="verdict",
            name="verdict_status_valid",
        ),
        migrations.AddField(
            model_name="historicalverdict",
            name="proposed_correction",
            field=models.JSONField(
                blank=True, help_text="A rating correction awaiting a second editor's confirmation.", null=True
            ),
        ),
        migrations.AddField(
            model_name="verdict",
            name="contributors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Everyone who set this verdict's rating, summary or citations.",
                related_name="contributed_verdicts",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="verdict",
            name="proposed_correction",
            field=models.JSONField(
                blank=True, help_text="A rating correction awaiting a second editor's confirmation.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="historicalverdict",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("corrected", "Corrected"),
                    ("retracted", "Retracted"),
                ],
                default="draft",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("corrected", "Corrected"),
                    ("retracted", "Retracted"),
                ],
                default="draft",
                max_length=12,
            ),
        ),
        migrations.RunPython(approved_to_draft_and_authors_contribute, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="verdict",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "published", "corrected", "retracted"])),
                name="verdict_status_valid",
            ),
        ),
    ]
