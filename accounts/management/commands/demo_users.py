"""``demo_users``: demo sign-ins for every role in two localities (the local demo
only). Prints the sign-ins. Refuses to run outside the demo and DEBUG."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.services import user_save

DEMO_PASSWORD = "early-help-demo-2026"
CITYWIDE_MANAGER = "manager.erdington@demo.example"

DEMO_USERS: list[tuple[str, str, str, list[str], str, str]] = [
    # email, role, name, localities, organisation, organisation kind
    (
        "manager.erdington@demo.example",
        Role.LOCALITY_MANAGER,
        "Maya Hughes",
        ["erdington"],
        "Erdington Early Help Locality",
        Organisation.Kind.VCS,
    ),
    (
        "manager.ladywood@demo.example",
        Role.LOCALITY_MANAGER,
        "Imran Shah",
        ["ladywood"],
        "Ladywood Early Help Locality",
        Organisation.Kind.VCS,
    ),
    (
        "practitioner.erdington@demo.example",
        Role.PRACTITIONER,
        "Grace Okafor",
        ["erdington"],
        "Erdington Early Help Locality",
        Organisation.Kind.VCS,
    ),
    (
        "practitioner.ladywood@demo.example",
        Role.PRACTITIONER,
        "Tomasz Nowak",
        ["ladywood"],
        "Ladywood Early Help Locality",
        Organisation.Kind.VCS,
    ),
    (
        "dsl@demo.example",
        Role.REQUESTER,
        "Sarah Ahmed",
        [],
        "Stockland Green Primary School",
        Organisation.Kind.SCHOOL,
    ),
    (
        "social.worker@demo.example",
        Role.REQUESTER,
        "Daniel Price",
        [],
        "Birmingham Children's Trust",
        Organisation.Kind.CHILDRENS_TRUST,
    ),
    (
        "auditor@demo.example",
        Role.AUDITOR,
        "Priya Patel",
        [],
        "City Children's Trust",
        Organisation.Kind.CHILDRENS_TRUST,
    ),
    (
        "auditor.health@demo.example",
        Role.AUDITOR,
        "Nkechi Adeyemi",
        [],
        "Birmingham Community Healthcare",
        Organisation.Kind.HEALTH,
    ),
    (
        "moderator@demo.example",
        Role.AUDITOR,
        "Robert Hartley",
        [],
        "City Council Education Services",
        Organisation.Kind.COUNCIL,
    ),
    (
        "performance@demo.example",
        Role.PERFORMANCE_LEAD,
        "David Clarke",
        [],
        "City Council",
        Organisation.Kind.COUNCIL,
    ),
    (
        "privacy@demo.example",
        Role.DATA_PROTECTION,
        "Eleanor Whitmore",
        [],
        "City Council",
        Organisation.Kind.COUNCIL,
    ),
    (
        "admin@demo.example",
        Role.ADMINISTRATOR,
        "Helen Morris",
        [],
        "City Council",
        Organisation.Kind.COUNCIL,
    ),
]


class Command(BaseCommand):
    help = "Create demo sign-ins for every role (local demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LOCAL:
            raise CommandError(
                "Demo sign-ins are only created in the demo (DEMO=1) or with DEBUG on."
            )
        for email, role, name, localities, org_name, org_kind in DEMO_USERS:
            Organisation.objects.get_or_create(
                name=org_name, defaults={"kind": org_kind}
            )
            user_save(
                email=email,
                role=role,
                locality_slugs=localities,
                organisation_name=org_name,
                password=DEMO_PASSWORD,
                full_name=name,
                # Also after an import that made them inactive (no sign-in).
                is_active=True,
            )
        # The Erdington manager also runs the city-wide unresolved queue.
        User.objects.get(email=CITYWIDE_MANAGER).user_permissions.add(
            Permission.objects.get(codename="triage_citywide")
        )
        if options["quiet"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for email, role, _name, localities, _org, _kind in DEMO_USERS:
            where = f" — {', '.join(localities)}" if localities else ""
            if email == CITYWIDE_MANAGER:
                where += " and the unresolved queue"
            self.stdout.write(f"  {Role(role).label:<18} {email}{where}")
        self.stdout.write("")
