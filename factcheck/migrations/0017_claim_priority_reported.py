"""The queue's priority gives a claim reported by outlets and confirmed by none +0.25 (models.PRIORITY_REPORTED_BONUS)."""

import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0016_assessment_reported"),
    ]

    operations = [
        # A generated column cannot be altered in place (Django refuses): its indexes and the
        # column are dropped and added again with the new expression; PostgreSQL fills it at once.
        migrations.RemoveIndex(model_name="claim", name="claim_priority_idx"),
        migrations.RemoveIndex(model_name="claim", name="claim_status_priority_idx"),
        migrations.RemoveField(model_name="claim", name="priority"),
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
                                models.When(assessment="reported", then=models.Value(0.25)),
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
                help_text="The queue's order: check-worthiness plus conflicts found, reports unconfirmed, new evidence and reach.",
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
    ]
