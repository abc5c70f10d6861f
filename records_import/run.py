"""Reading an ``early-help-episode/1`` file line by line (IMPORT.md).

Memory stays flat however long the file: lines are read one at a time, and the
only thing remembered across lines — which episode ids the file has already
given, with the digest of their content — lives in a throwaway SQLite file on
disk. Each line is checked, then imported in its own transaction; a rejected
line is reported at once (``line 42: request.received_at: ...``) and the
others carry on. ``strict`` checks the whole file first and imports nothing if
any line is bad (or if any episode is refused while importing); ``dry_run``
imports as the real run would and rolls it all back.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from casework.models import ImportedEpisode
from core.errors import DomainError
from family_connect.models import Reason
from localities.models import Locality
from localities.postcodes import locality_for_postcode
from privacy.models import PurgedEpisode
from records_import.bulk.ready import bulk_ready
from records_import.bulk.write import episodes_import_bulk
from records_import.checks import Reference
from records_import.episodes import Episode
from records_import.load import (
    IMPORTED,
    PURGED,
    UNCHANGED,
    UPDATED,
    Directory,
    episode_import,
    line_digest,
)
from records_import.validate import episode_validate

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # Episodes whose records were purged under retention: never imported again.
    purged: int = 0
    created_users: list[str] = field(default_factory=list)
    checked_only: bool = False

    def summary(self) -> str:
        text = (
            f"read {self.read}, imported {self.imported}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )
        if self.purged:
            text += f", not brought back (purged under retention) {self.purged}"
        return text


class _Rejected(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def reference_load() -> Reference:
    cache: dict[str, str | None] = {}

    def resolve(postcode: str) -> str | None:
        district = postcode.split(" ")[0]
        if district not in cache:
            locality = locality_for_postcode(postcode)
            cache[district] = locality.slug if locality else None
        return cache[district]

    return Reference(
        reasons=frozenset(Reason.objects.values_list("code", flat=True)),
        localities=frozenset(Locality.objects.values_list("slug", flat=True)),
        locality_for_postcode=resolve,
        today=timezone.localdate(),
    )


class _Seen:
    """Episode ids already given by this file, and their digests, on disk."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="ehc-import-")
        self._db = sqlite3.connect(str(Path(self._dir.name) / "seen.sqlite"))
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, digest TEXT)")

    def check(self, external_id: str, digest: str) -> str | None:
        """None for a new id; "same" for an identical repeat; "different"."""
        row = self._db.execute(
            "SELECT digest FROM seen WHERE id = ?", (external_id,)
        ).fetchone()
        if row is None:
            self._db.execute("INSERT INTO seen VALUES (?, ?)", (external_id, digest))
            return None
        return "same" if row[0] == digest else "different"

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


@dataclass(frozen=True, slots=True)
class _Line:
    """One checked line: its episode, or the problems that reject it."""

    number: int
    episode: Episode | None = None
    digest: str = ""
    problems: tuple[str, ...] = ()
    repeat: bool = False  # an identical repeat of an earlier line


def _checked(
    lines: Iterable[tuple[int, str]], ref: Reference, seen: _Seen
) -> Iterator[_Line]:
    for number, line in lines:
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Line(number, problems=(f"not valid JSON ({exc.msg})",))
            continue
        except RecursionError:
            # No episode comes near the interpreter's limit; a line that does is
            # reported like any other bad line, not a crash of the whole import.
            yield _Line(number, problems=("not valid JSON (nested too deeply)",))
            continue
        episode, problems = episode_validate(raw, ref)
        if episode is None:
            yield _Line(number, problems=tuple(str(p) for p in problems))
            continue
        digest = line_digest(raw)
        repeat = seen.check(episode.external_id, digest)
        if repeat == "different":
            yield _Line(
                number,
                problems=(
                    f"external_id: {episode.external_id} appears earlier in the "
                    "file with different content",
                ),
            )
            continue
        yield _Line(number, episode, digest, repeat=repeat == "same")


def records_import(
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    report_line: Callable[[int, str], None] = lambda n, m: None,
    progress: Callable[[ImportReport], None] = lambda r: None,
) -> ImportReport:
    """Import the file. ``dry_run`` runs exactly the same import inside a
    transaction that is rolled back at the end, so its report (imported,
    updated, unchanged, rejected with line, path and message; the users that
    would be made) is what the real import would say, and nothing is kept."""
    if not dry_run:
        return _records_import(path, strict, report_line, progress, refresh=True)
    with transaction.atomic():
        report = _records_import(path, strict, report_line, progress, refresh=False)
        transaction.set_rollback(True)
    report.checked_only = True
    return report


def _records_import(
    path: Path,
    strict: bool,
    report_line: Callable[[int, str], None],
    progress: Callable[[ImportReport], None],
    *,
    refresh: bool,
) -> ImportReport:
    ref = reference_load()
    report = ImportReport()
    if strict:
        seen = _Seen()
        try:
            for checked in _checked(_lines(path), ref, seen):
                report.read += 1
                if checked.problems:
                    report.rejected += 1
                    for message in checked.problems:
                        report_line(checked.number, message)
                progress(report)
        finally:
            seen.close()
        if report.rejected:
            return report
        report = ImportReport()
        try:
            with transaction.atomic():
                _import_all(path, ref, report, report_line, progress, strict=True)
        except _Rejected:
            report.imported = report.updated = report.unchanged = 0
            report.created_users = []
        return report
    _import_all(path, ref, report, report_line, progress, strict=False)
    if refresh and (report.imported or report.updated):
        statistics_refresh()
    return report


def statistics_refresh() -> None:
    """Bring PostgreSQL's planner statistics (and visibility map) up to date
    after a large import:
    rows written in bulk are not sampled until autovacuum gets round to them,
    and until then the planner chooses plans for empty tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM also marks the new pages all-visible, so counts can read the
            # indexes alone; it cannot run inside a transaction.
            cursor.execute(
                "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            )


BATCH = 2000


def _import_all(
    path: Path,
    ref: Reference,
    report: ImportReport,
    report_line: Callable[[int, str], None],
    progress: Callable[[ImportReport], None],
    *,
    strict: bool,
) -> None:
    importer = _Importer(report, report_line, strict=strict)
    seen = _Seen()
    try:
        for checked in _checked(_lines(path), ref, seen):
            report.read += 1
            episode = checked.episode
            if checked.problems:
                report.rejected += 1
                for message in checked.problems:
                    report_line(checked.number, message)
                if strict:
                    raise _Rejected(list(checked.problems))
            elif checked.repeat:
                report.unchanged += 1
            elif episode is not None and bulk_ready(episode):
                importer.pending.append((checked.number, episode, checked.digest))
                if len(importer.pending) >= BATCH:
                    importer.flush()
            elif episode is not None:
                importer.flush()
                importer.one(checked.number, episode, checked.digest)
            progress(report)
        importer.flush()
    finally:
        seen.close()
    report.created_users = list(importer.directory.created_users)


@dataclass
class _Importer:
    """Episodes imported in batches where they can be, one by one where not."""

    report: ImportReport
    report_line: Callable[[int, str], None]
    strict: bool
    directory: Directory = field(default_factory=Directory)
    pending: list[tuple[int, Episode, str]] = field(default_factory=list)

    def one(self, number: int, episode: Episode, digest: str) -> None:
        """One episode through the services."""
        report = self.report
        try:
            outcome = episode_import(episode, digest=digest, directory=self.directory)
        except DomainError as exc:
            report.rejected += 1
            path_hint = f"{exc.field}: " if exc.field else ""
            self.report_line(number, f"{path_hint}{exc.message}")
            self.directory.rolled_back()
            if self.strict:
                raise _Rejected([exc.message]) from exc
            return
        if outcome == IMPORTED:
            report.imported += 1
        elif outcome == UPDATED:
            report.updated += 1
        elif outcome == UNCHANGED:
            report.unchanged += 1
        elif outcome == PURGED:
            report.purged += 1

    def flush(self) -> None:
        """New episodes in one batch; the rest (and a failed batch) one by one
        through the services."""
        pending = self.pending
        if not pending:
            return
        ids = [e.external_id for _n, e, _d in pending]
        purged = set(
            PurgedEpisode.objects.filter(external_id__in=ids).values_list(
                "external_id", flat=True
            )
        )
        if purged:
            self.report.purged += sum(
                1 for _n, e, _d in pending if e.external_id in purged
            )
            pending[:] = [i for i in pending if i[1].external_id not in purged]
        existing = dict(
            ImportedEpisode.objects.filter(external_id__in=ids).values_list(
                "external_id", "digest"
            )
        )
        fresh = [item for item in pending if item[1].external_id not in existing]
        same = [
            item for item in pending if existing.get(item[1].external_id) == item[2]
        ]
        self.report.unchanged += len(same)
        rest = [
            item
            for item in pending
            if item[1].external_id in existing
            and existing[item[1].external_id] != item[2]
        ]
        if fresh and not self._batch(fresh):
            rest = [*fresh, *rest]
        for number, episode, digest in sorted(rest, key=lambda item: item[0]):
            self.one(number, episode, digest)
        pending.clear()

    def _batch(self, fresh: list[tuple[int, Episode, str]]) -> bool:
        """Whether the batch was written (else nothing of it was)."""
        try:
            episodes_import_bulk(fresh, directory=self.directory)
        except Exception:
            logger.warning(
                "A batch of %s episodes went through the services one by one",
                len(fresh),
                exc_info=True,
            )
            self.directory.rolled_back()
            return False
        self.report.imported += len(fresh)
        return True
