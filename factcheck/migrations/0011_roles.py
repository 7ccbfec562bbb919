"""The four roles as groups with their permissions. Reader: API clients that see published
verdicts only. Reviewer: works the claim queue and drafts verdicts. Editor: also approves,
publishes, corrects and retracts. Admin: everything (also superusers)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READER, REVIEWER, EDITOR, ADMIN = "reader", "reviewer", "editor", "admin"

REVIEWER_PERMISSIONS = [
    "review_claim",
    "view_claim",
    "change_claim",
    "add_claim",
    "view_verdict",
    "add_verdict",
    "change_verdict",
    "view_source",
    "add_source",
    "view_passage",
    "view_checkrun",
    "view_evidence",
    "view_outlet",
    "view_ratinglabel",
    "view_claimappearance",
    "view_claimmatchsuggestion",
    "change_claimmatchsuggestion",
]
EDITOR_PERMISSIONS = [*REVIEWER_PERMISSIONS, "publish_verdict", "view_webhooksubscription", "view_webhookdelivery"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these groups need them now.
    app_config = apps.get_app_config("factcheck")
    stub = getattr(app_config, "models_module", None) is None
    if stub:  # the migration state's app stub lacks it, and create_permissions asks for it
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="factcheck")
    for name, codenames in [
        (READER, []),
        (REVIEWER, REVIEWER_PERMISSIONS),
        (EDITOR, EDITOR_PERMISSIONS),
        (ADMIN, None),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(ours if codenames is None else ours.filter(codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[READER, REVIEWER, EDITOR, ADMIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0010_review_workflow"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
