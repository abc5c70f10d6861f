"""``create_user EMAIL --role ROLE [--locality SLUG]... [--organisation NAME
[--organisation-kind KIND]] [--password PW] [--api-token]`` (PRODUCT §4.1).
Creates or updates the user; with ``--api-token`` the last line of standard
output is the token and nothing else."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import OrganisationKind
from accounts.roles import Role
from accounts.services import api_token_issue, user_save
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create or update a user with a role, localities and optionally an API token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--locality",
            action="append",
            dest="localities",
            metavar="SLUG",
            default=None,
        )
        parser.add_argument("--organisation", default=None)
        parser.add_argument(
            "--organisation-kind",
            default=None,
            choices=OrganisationKind.values,
            help='The organisation\'s kind (a new one is "other" without it; an '
            "existing one keeps its kind unless this is given).",
        )
        parser.add_argument("--password", default=None)
        parser.add_argument("--name", default=None, help="The person's full name.")
        parser.add_argument("--api-token", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = user_save(
                email=options["email"],
                role=options["role"],
                locality_slugs=options["localities"],
                organisation_name=options["organisation"],
                organisation_kind=options["organisation_kind"],
                password=options["password"],
                full_name=options["name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            f"{verb} {result.user.email} ({result.user.get_role_display()})"
        )
        if options["api_token"]:
            token = api_token_issue(user=result.user, name="create_user")
            self.stdout.write(token)
