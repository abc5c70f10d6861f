"""Writes to the locality reference data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from core.errors import InvalidInput
from localities.models import Locality, Postcode, Ward
from localities.postcodes import postcode_normalise

# The ONS Postcode Directory has renamed its columns over the years (pcd/pcd2/pcds;
# osward then wd<yy>cd; pcon then pcon<yy>cd). These are matched case-insensitively,
# first match wins.
POSTCODE_COLUMNS = ("pcds", "pcd2", "pcd", "pcd8", "pcd7")
WARD_COLUMN_PREFIXES = ("osward", "wd")
CONSTITUENCY_COLUMN_PREFIXES = ("pcon",)
TERMINATED_COLUMN = "doterm"
BATCH_SIZE = 5000


@dataclass
class PostcodeImportResult:
    read: int = 0
    kept: int = 0
    skipped_outside_city: int = 0
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)


def _pick(
    header: list[str], names: Iterable[str], *, prefix: bool = False
) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        for index, column in enumerate(lowered):
            if column == name or (
                prefix and column.startswith(name) and column.endswith("cd")
            ):
                return index
    return None


def _columns(header: list[str]) -> tuple[int, int | None, int | None, int | None]:
    postcode = _pick(header, POSTCODE_COLUMNS)
    ward = _pick(header, ("osward",))
    if ward is None:
        ward = _pick(header, WARD_COLUMN_PREFIXES, prefix=True)
    constituency = _pick(header, ("pcon",))
    if constituency is None:
        constituency = _pick(header, CONSTITUENCY_COLUMN_PREFIXES, prefix=True)
    terminated = _pick(header, (TERMINATED_COLUMN,))
    if postcode is None:
        raise InvalidInput(
            "The file has no postcode column (expected one of: pcds, pcd2, pcd). "
            "Is it the ONS Postcode Directory CSV?"
        )
    if ward is None and constituency is None:
        raise InvalidInput(
            "The file has no ward (osward) or constituency (pcon) column."
        )
    return postcode, ward, constituency, terminated


def postcodes_import(
    lines: Iterable[str],
    *,
    all_rows: bool = False,
    progress: Callable[[PostcodeImportResult], None] | None = None,
) -> PostcodeImportResult:
    """Load ONS Postcode Directory rows, streaming, in batches.

    Keeps the rows whose ward or constituency belongs to one of the city's
    localities (every row with ``all_rows``). Rows already loaded are updated, so a
    newer release of the directory can be loaded over an older one.
    """
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InvalidInput("The file is empty.") from exc
    pc_i, ward_i, pcon_i, term_i = _columns(header)
    city_wards = set(Ward.objects.values_list("code", flat=True))
    city_constituencies = set(
        Locality.objects.exclude(constituency_code="").values_list(
            "constituency_code", flat=True
        )
    )
    result = PostcodeImportResult()
    batch: dict[str, Postcode] = {}

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    def flush() -> None:
        if not batch:
            return
        with transaction.atomic():
            Postcode.objects.bulk_create(
                list(batch.values()),
                update_conflicts=True,
                unique_fields=["postcode"],
                update_fields=["ward_code", "constituency_code", "terminated"],
            )
        result.kept += len(batch)
        batch.clear()
        if progress:
            progress(result)

    for row in reader:
        if not row:
            continue
        result.read += 1
        postcode = postcode_normalise(cell(row, pc_i))
        if postcode is None:
            result.invalid += 1
            if len(result.invalid_examples) < 5:
                result.invalid_examples.append(
                    f"row {result.read + 1}: {cell(row, pc_i)!r}"
                )
            continue
        ward_code = cell(row, ward_i)
        constituency_code = cell(row, pcon_i)
        if (
            not all_rows
            and ward_code not in city_wards
            and constituency_code not in city_constituencies
        ):
            result.skipped_outside_city += 1
            continue
        batch[postcode] = Postcode(
            postcode=postcode,
            ward_code=ward_code,
            constituency_code=constituency_code,
            terminated=bool(cell(row, term_i)),
        )
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    return result


def open_text(path: str) -> Iterator[str]:
    """Lines of a CSV file, tolerating a byte-order mark and Windows encodings."""
    with open(path, "rb") as handle:
        wrapper = io.TextIOWrapper(
            handle, encoding="utf-8-sig", errors="replace", newline=""
        )
        yield from wrapper
