"""python manage.py demo [--no-serve] [--addrport HOST:PORT]

Migrates, loads the sample corpus and other desks' fact-checks about it, prints what the database holds, creates a
demo admin login and serves the site. Safe to run again: nothing is duplicated
and the demo login gets a fresh password.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from factcheck.selectors import corpus_counts, outlets_with_counts

SAMPLE_ARTICLES = Path(__file__).resolve().parents[2] / "sample_data" / "articles"
# Other desks' fact-checks about the sample story (invented, as the articles are): "Already fact-checked".
SAMPLE_REVIEWS = Path(__file__).resolve().parents[2] / "sample_data" / "claimreviews" / "other_desks.json"
DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Set up and serve a demo: migrate, load the sample corpus, create a demo admin login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Do everything but start the web server.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000).")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Loading the sample corpus from {SAMPLE_ARTICLES}")
        call_command("ingest", str(SAMPLE_ARTICLES), stdout=self.stdout._out, stderr=self.stderr._out)
        self.stdout.write("Importing other desks' fact-checks about the same story")
        call_command("import_claimreviews", str(SAMPLE_REVIEWS), stdout=self.stdout._out, stderr=self.stderr._out)
        self.print_contents()
        password = self.reset_demo_login()
        url = f"http://{options['addrport']}/admin/"
        self.stdout.write(self.style.SUCCESS(f"Admin: {url}  user: {DEMO_USERNAME}  password: {password}"))
        self.stdout.write(f"API docs: http://{options['addrport']}/api/v1/docs/ (signed in as {DEMO_USERNAME})")
        if options["no_serve"]:
            return
        call_command("runserver", options["addrport"], use_reloader=False)

    def print_contents(self) -> None:
        counts = corpus_counts()
        self.stdout.write(
            f"Holds {counts.outlets} outlets, {counts.sources} sources, "
            f"{counts.passages} passages, {counts.claims} claims."
        )
        if counts.unsplit_sources:
            self.stdout.write(f"  {counts.unsplit_sources} sources are still waiting for the workers to split them.")
        for outlet in outlets_with_counts():
            self.stdout.write(
                f"  {outlet.name:<28} {outlet.source_count} sources, {outlet.passage_count} passages"  # type: ignore[attr-defined]
            )

    def reset_demo_login(self) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        return password
