"""The static files storage: hashed names and compressed copies in every mode.

``collectstatic`` writes each file under a name with its content's hash, with
gzip and Brotli copies beside it, and WhiteNoise serves those from STATIC_ROOT
with far-future caching. Django's manifest storage gives the plain names under
DEBUG; this one hashes there too, so the demo serves what production serves.
Changing a file under a ``static/`` folder therefore needs ``collectstatic``
(``make run`` and the test suite run it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The imports of ES modules (``import … from "../govuk/…js"``): Django rewrites
# them to the hashed names in ``*.js`` files only when told; ours are ``*.mjs``.
_MODULE_IMPORTS = HashedFilesMixin._js_module_import_aggregation_patterns[1]  # type: ignore[attr-defined]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        ("*.mjs", _MODULE_IMPORTS),
    )

    def url(self, name: Any, force: bool = False) -> str:
        return super().url(name, force=True)

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        """Compress only what changed since the last ``collectstatic``: Brotli at
        its best is slow on the large vendored bundles (the API pages' and the
        admin's), and most runs change nothing."""
        hashed = set(self.hashed_files.values())
        return super().compress_files(
            [path for path in paths if not self._compressed(path, hashed)]
        )

    def _compressed(self, name: str, hashed: set[str]) -> bool:
        """A compressed copy is there and is of this content: the file's name
        carries its content's hash, or the copy has the file's modification time
        (WhiteNoise gives it that, and ``collectstatic`` copies a changed source
        file anew)."""
        path = Path(self.path(name))
        try:
            modified = path.stat().st_mtime
        except FileNotFoundError:
            return False
        for suffix in (".br", ".gz"):
            copy = path.with_name(path.name + suffix)
            if copy.exists() and (
                name in hashed or abs(copy.stat().st_mtime - modified) < 0.001
            ):
                return True
        return False
