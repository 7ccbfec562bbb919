"""python manage.py create_api_client NAME --role reader|reviewer|editor [--label TEXT] [--change-role]

Creates an API client (a user in the role's group, who cannot sign in with a password)
and prints its token once: only a hash of it is stored. Revoke it in the admin (Auth
tokens), or run the command again for the same name and role to add a second token.

A token keeps the role it was issued with. A client's role changes only with --change-role,
which revokes all its earlier tokens and issues a new one: otherwise a reader token handed to
a partner would silently become an editor's. People's logins are never turned into clients.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from knox.models import AuthToken

from factcheck.roles import EDITOR, READER, REVIEWER, role_of
from factcheck.services.tokens import token_issue

CLIENT_ROLES = (READER, REVIEWER, EDITOR)


class Command(BaseCommand):
    help = "Create an API client with a role and print its token (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A name for the client, e.g. the newsroom or platform using it.")
        parser.add_argument("--role", choices=CLIENT_ROLES, default=READER)
        parser.add_argument(
            "--label",
            default="",
            help="What the token is for, shown in the admin beside it (default: the day it was issued).",
        )
        parser.add_argument(
            "--change-role",
            action="store_true",
            help="Give an existing client another role: all its earlier tokens are revoked and a new one issued.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name, role = options["name"].strip(), options["role"]
        if not name or len(name) > 150:
            raise CommandError("give the client a name of 1 to 150 characters")
        group = Group.objects.filter(name=role).first()
        if group is None:
            raise CommandError(f"no {role!r} group: run `python manage.py migrate` first")
        with transaction.atomic():
            user = get_user_model().objects.select_for_update().filter(username=name).first()
            revoked = 0
            if user is None:
                user = get_user_model().objects.create_user(username=name)  # no password: cannot sign in
                user.groups.set([group])
                self.stdout.write(f"Created API client {name!r} with role {role}.")
            else:
                _refuse_a_persons_login(user)
                current = role_of(user)
                if current != role:
                    if not options["change_role"]:
                        raise CommandError(_role_change_refusal(name, current, role, user))
                    revoked, _ = AuthToken.objects.filter(user=user).delete()
                    user.groups.set([group])
                    self.stdout.write(
                        f"API client {name!r} changed from role {current} to {role}; "
                        f"its {revoked} earlier token(s) are revoked."
                    )
                else:
                    self.stdout.write(f"API client {name!r} (role {role}): a further token.")
            _, token = token_issue(user=user, label=options["label"])
        self.stdout.write("Its token (shown once; send it as `Authorization: Token <token>` or `Bearer <token>`):")
        self.stdout.write(token)


def _refuse_a_persons_login(user: Any) -> None:
    """API clients are made by this command, without a password; a person's login is not one."""
    if user.has_usable_password() or user.is_staff or user.is_superuser:
        raise CommandError(f"{user.username!r} is a person's login, not an API client: choose another name")


def _role_change_refusal(name: str, current: str | None, role: str, user: Any) -> str:
    tokens = AuthToken.objects.filter(user=user).count()
    return (
        f"API client {name!r} has role {current}, and its {tokens} token(s) keep it. To give it role {role}, "
        "run again with --change-role: its earlier tokens are revoked and a new one is issued."
    )
