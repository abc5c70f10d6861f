"""``python manage.py seed_demo --scale small|city|city5y [--seed N]``: write a
realistic ``early-help-episode/1`` file and import it."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.models import ImportedEpisode
from demo.generator import SCALES, Context, demo_episodes
from localities.models import PostcodeDistrict
from records_import.run import records_import


class Command(BaseCommand):
    help = (
        "Generate demo or benchmark episodes (deterministic per seed) and import them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="the last day of history (default: today)",
        )
        parser.add_argument(
            "--output", type=Path, default=None, help="where to write the file"
        )
        parser.add_argument(
            "--no-import", action="store_true", help="write the file only"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when records were imported before (the demo's start)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and ImportedEpisode.objects.exists():
            self.stdout.write("demo records already loaded")
            return
        until = options["until"] or timezone.localdate()
        districts: dict[str, list[str]] = {}
        for district, slug in PostcodeDistrict.objects.order_by(
            "locality__slug", "district"
        ).values_list("district", "locality__slug"):
            districts.setdefault(slug, []).append(district)
        if not districts:
            raise CommandError("No postcode districts: run the migrations first.")
        scale, seed = options["scale"], options["seed"]
        output = options["output"] or Path(f"demo-{scale}-seed{seed}.jsonl")
        started = time.monotonic()
        written = 0
        with output.open("w", encoding="utf-8") as handle:
            for episode in demo_episodes(
                scale=scale,
                seed=seed,
                context=Context(districts=districts, until=until),
            ):
                handle.write(json.dumps(episode, ensure_ascii=False) + "\n")
                written += 1
        self.stdout.write(
            f"wrote {written} episodes to {output} in "
            f"{time.monotonic() - started:.1f} s"
        )
        if options["no_import"]:
            return
        report = records_import(
            output, report_line=lambda n, m: self.stderr.write(f"line {n}: {m}")
        )
        self.stdout.write(report.summary())
        if report.rejected:
            sys.exit(1)
