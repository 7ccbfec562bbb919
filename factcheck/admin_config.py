"""django.contrib.admin with the desk's home as its index: Django's documented way to replace the
default site (every ``admin.site`` is then factcheck.workspace.desk.DeskAdminSite). A module of its
own: factcheck.apps may declare one AppConfig only, and this one is loaded before any model."""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "factcheck.workspace.desk.DeskAdminSite"
