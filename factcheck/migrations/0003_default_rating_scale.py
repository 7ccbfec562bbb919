"""Seed a default rating scale; desks edit it in the admin.

Numeric values run 1 (worst) to 5 (best) as ClaimReview's ratingValue; labels that
do not sit on a truth scale ("Unproven") carry no number.
"""

from django.db import migrations

DEFAULT_SCALE = [
    ("false", "False", 1, "The claim is inaccurate."),
    ("mostly-false", "Mostly false", 2, "The claim has an element of truth but ignores facts that change it."),
    ("mixed", "Mixed", 3, "The claim is partly accurate and partly inaccurate."),
    ("mostly-true", "Mostly true", 4, "The claim is accurate but needs clarification or additional information."),
    ("true", "True", 5, "The claim is accurate and nothing significant is missing."),
    ("unproven", "Unproven", None, "The evidence available does not settle the claim either way."),
]


def seed_scale(apps, schema_editor):
    RatingLabel = apps.get_model("factcheck", "RatingLabel")
    for position, (slug, name, value, description) in enumerate(DEFAULT_SCALE):
        RatingLabel.objects.get_or_create(
            slug=slug, defaults={"name": name, "value": value, "description": description, "position": position}
        )


def unseed_scale(apps, schema_editor):
    RatingLabel = apps.get_model("factcheck", "RatingLabel")
    RatingLabel.objects.filter(slug__in=[row[0] for row in DEFAULT_SCALE], verdicts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0002_passage_search_indexes")]

    operations = [migrations.RunPython(seed_scale, unseed_scale)]
