"""Give a user a role on a committee: `grant USERNAME CODE --term T --role secretary|viewer`."""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.management.lookup import find_committee
from indicators.models import RoleKind
from indicators.services.people import role_grant


class Command(BaseCommand):
    help = (
        "Gives USERNAME a role on committee CODE; creates the user if new, with the password "
        "taken from the environment variable GRANT_PASSWORD (none: the account cannot log in yet)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("code", help="committee code, e.g. BK-CM-NH")
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument("--role", required=True, choices=RoleKind.values)
        parser.add_argument("--email", help="the user's e-mail address, where notifications are sent")

    def handle(
        self,
        *args: Any,
        username: str,
        code: str,
        term: str,
        role: str,
        email: str | None = None,
        **options: Any,
    ) -> None:
        committee = find_committee(code=code, term_code=term)
        try:
            grant = role_grant(
                username=username,
                committee=committee,
                role=role,
                password=os.environ.get("GRANT_PASSWORD") or None,
                email=email,
            )
        except (ValidationError, ValueError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from None
        if grant.user_created:
            how = "password from GRANT_PASSWORD" if grant.user.has_usable_password() else "no usable password"
            self.stdout.write(f"Created user {username} ({how}).")
        what = f"{role} of {committee.code} ({committee.name}), term {committee.term.code}"
        if grant.role_created:
            self.stdout.write(f"Granted {username}: {what}.")
        else:
            self.stdout.write(f"{username} already was {what}; nothing changed.")
