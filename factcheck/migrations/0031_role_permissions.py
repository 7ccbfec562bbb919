"""The roles' permissions on the models added since the roles were made (migration 0011 set them once):
reviewers and editors see the feeds and their entries, fetches of sources, source revisions, the
stance corrections, and other desks' imported fact-checks with their matches; the admin role has
every permission of the app again, as 0011 meant ("everything")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWED_BY_THE_DESK = [
    "view_feed",
    "view_feedentry",
    "view_sourcefetch",
    "view_sourcerevision",
    "view_stancecorrection",
    "view_importedreview",
    "view_importedreviewmatch",
]
DESK_ROLES = ["reviewer", "editor"]


def grant(apps, schema_editor):
    # As in 0011: permissions are normally created after all migrations ran; these grants need them now.
    app_config = apps.get_app_config("factcheck")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="factcheck")
    viewed = ours.filter(codename__in=VIEWED_BY_THE_DESK)
    for group in Group.objects.filter(name__in=DESK_ROLES):
        group.permissions.add(*viewed)
    for group in Group.objects.filter(name="admin"):
        group.permissions.add(*ours)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    viewed = Permission.objects.filter(content_type__app_label="factcheck", codename__in=VIEWED_BY_THE_DESK)
    for group in Group.objects.filter(name__in=DESK_ROLES):
        group.permissions.remove(*viewed)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0030_imported_reviews"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, revoke)]
