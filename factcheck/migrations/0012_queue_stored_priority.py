"""The claim queue at scale: each claim's appearance count and priority stored and indexed.

``appearance_count`` is filled from the appearances before ``priority`` (a stored generated
column computed from it) is added, so that every existing claim gets its priority at once.
"""

import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_appearance_counts(apps, schema_editor):
    Claim = apps.get_model("factcheck", "Claim")
    ClaimAppearance = apps.get_model("factcheck", "ClaimAppearance")
    counted = (
        ClaimAppearance.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Claim.objects.update(appearance_count=Coalesce(Subquery(counted), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0011_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="appearance_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                verbose_name="appearances",
                db_default=0,
                help_text="How many places the claim appeared (its appearances).",
            ),
        ),
        migrations.RunPython(fill_appearance_counts, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="claim",
            name="priority",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            models.F("check_worthiness"),
                            "+",
                            models.Case(
                                models.When(assessment__in=["conflicting", "contradicted"], then=models.Value(0.5)),
                                default=models.Value(0.0),
                            ),
                        ),
                        "+",
                        models.Case(
                            models.When(has_new_evidence=True, then=models.Value(0.5)), default=models.Value(0.0)
                        ),
                    ),
                    "+",
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.functions.comparison.Least(models.F("appearance_count"), models.Value(5)),
                        "*",
                        models.Value(0.05),
                    ),
                ),
                help_text="The queue's order: check-worthiness plus conflicts found, new evidence and reach.",
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["priority", "created_at", "id"], name="claim_priority_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "priority", "created_at", "id"], name="claim_status_priority_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["created_at", "id"], name="claim_created_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["check_worthiness", "id"], name="claim_worthiness_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["appearance_count", "id"], name="claim_appearance_count_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["confidence", "id"], name="claim_confidence_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("has_new_evidence", True)), fields=["created_at", "id"], name="claim_flagged_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["status", "assessment", "has_new_evidence"],
                name="claim_counts_idx",
            ),
        ),
    ]
