"""``python manage.py demo_enrich [--seed N] [--if-empty]``: lay the demo's
working day over the imported history (``demo.enrich``). The local demo only:
the benchmark never runs it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo.enrich import demo_enrich, demo_enriched
from demo.generator import Context
from localities.models import PostcodeDistrict


class Command(BaseCommand):
    help = (
        "Add the demo's plans, notes, teams, directories, sign-offs, audits and "
        "partner figures (deterministic per seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the demo's working day was laid before",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LOCAL:
            raise CommandError(
                "The demo's data is only added in the demo (DEMO=1) or with DEBUG on."
            )
        if options["if_empty"] and demo_enriched():
            self.stdout.write("demo working day already laid")
            return
        districts: dict[str, list[str]] = {}
        for district, slug in PostcodeDistrict.objects.order_by(
            "locality__slug", "district"
        ).values_list("district", "locality__slug"):
            districts.setdefault(slug, []).append(district)
        report = demo_enrich(
            seed=options["seed"],
            context=Context(districts=districts, until=timezone.localdate()),
            say=lambda line: self.stderr.write(line),
        )
        self.stdout.write(f"demo working day: {report.summary()}")
