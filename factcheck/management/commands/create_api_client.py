"""python manage.py create_api_client NAME --role reader|reviewer|editor

Creates an API client (a user in the role's group, who cannot sign in with a password)
and prints its token once: only a hash of it is stored. Revoke it in the admin (Auth
tokens), or run the command again for the same name to add a second token.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from knox.models import AuthToken

from factcheck.roles import EDITOR, READER, REVIEWER

CLIENT_ROLES = (READER, REVIEWER, EDITOR)


class Command(BaseCommand):
    help = "Create an API client with a role and print its token (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A name for the client, e.g. the newsroom or platform using it.")
        parser.add_argument("--role", choices=CLIENT_ROLES, default=READER)

    def handle(self, *args: Any, **options: Any) -> None:
        name, role = options["name"].strip(), options["role"]
        if not name or len(name) > 150:
            raise CommandError("give the client a name of 1 to 150 characters")
        group = Group.objects.filter(name=role).first()
        if group is None:
            raise CommandError(f"no {role!r} group: run `python manage.py migrate` first")
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(username=name)
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.set([group])
            _, token = AuthToken.objects.create(user=user, expiry=None)
        self.stdout.write(f"{'Created' if created else 'Updated'} API client {name!r} with role {role}.")
        self.stdout.write("Its token (shown once; send it as `Authorization: Token <token>`):")
        self.stdout.write(token)
