from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.utils.autoreload import autoreload_started


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        autoreload_started.connect(watch_static_manifest)


def watch_static_manifest(sender: Any, **kwargs: Any) -> None:
    """The development server restarts when ``collectstatic`` writes a new
    manifest, as the pages' static file names are read from it once a process."""
    sender.extra_files.add(Path(settings.STATIC_ROOT) / "staticfiles.json")
