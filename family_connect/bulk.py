"""Bulk upload: a CSV list of families becomes forms with route ``bulk``.

One row is one household with one child (and optionally one adult). Every row is
checked by the same validation as the API; each valid row becomes a form in its own
transaction, and a bad row is reported by row and column and creates nothing. A row
is keyed on its content, so uploading the same rows again (the whole file, or a
corrected copy of it) creates nothing new for rows already saved. The uploader and
each locality's triage inbox get one e-mail for the whole upload.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accounts.models import User
from core.errors import DomainError
from core.notifications import Message, notifications_queue
from core.uploads import RowError, csv_rows, csv_template
from family_connect.limits import bulk_rows_allowance_take
from family_connect.models import FamilyConnectForm, IdempotencyKey, Route
from family_connect.services.submission import form_submit, triage_inboxes
from family_connect.validation import SubmissionInput, submission_validate

COLUMNS = [
    "postcode",
    "address_line",
    "child_given_name",
    "child_family_name",
    "child_date_of_birth",
    "child_sex",
    "child_ethnicity",
    "child_school",
    "adult_given_name",
    "adult_family_name",
    "adult_relationship",
    "request_type",
    "reasons",
    "level_of_need",
    "consent",
    "consent_given_by",
    "family_words",
]
REQUIRED = {
    "postcode",
    "child_given_name",
    "child_family_name",
    "child_date_of_birth",
    "reasons",
    "level_of_need",
    "consent",
}
EXAMPLE = {
    "postcode": "B23 6TJ",
    "address_line": "12 Example Road",
    "child_given_name": "Ayesha",
    "child_family_name": "Khan",
    "child_date_of_birth": "2014-05-02",
    "child_sex": "female",
    "child_ethnicity": "asian_pakistani",
    "child_school": "Example Primary School",
    "adult_given_name": "Sara",
    "adult_family_name": "Khan",
    "adult_relationship": "mother",
    "request_type": "support",
    "reasons": "financial_housing_employment;education",
    "level_of_need": "additional",
    "consent": "yes",
    "consent_given_by": "Sara Khan (mother)",
    "family_words": "Help with the cost of school uniform and food.",
}

# Where each validation error path points in the file.
_REQUEST_COLUMNS = {
    "request_type": "request_type",
    "reasons": "reasons",
    "level_of_need": "level_of_need",
    "consent": "consent",
    "consent_given_by": "consent_given_by",
    "family_words": "family_words",
}
_MEMBER_COLUMNS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "school": "school",
    "relationship": "relationship",
}


@dataclass
class BulkResult:
    created: list[FamilyConnectForm] = field(default_factory=list)
    already: list[FamilyConnectForm] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


def template_csv() -> str:
    return csv_template(COLUMNS, EXAMPLE)


def _yes_no(value: str) -> bool | str:
    v = value.strip().lower()
    if v in ("yes", "y", "true", "1"):
        return True
    if v in ("no", "n", "false", "0"):
        return False
    return value


def row_payload(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the API body."""
    g = {k: (row.get(k) or "").strip() for k in COLUMNS}
    members: list[dict[str, Any]] = [
        {
            "role": "child",
            "given_name": g["child_given_name"],
            "family_name": g["child_family_name"],
            "date_of_birth": g["child_date_of_birth"] or None,
            "sex": g["child_sex"],
            "ethnicity": g["child_ethnicity"],
            "school": g["child_school"],
        }
    ]
    if g["adult_given_name"] or g["adult_family_name"]:
        members.append(
            {
                "role": "adult",
                "given_name": g["adult_given_name"],
                "family_name": g["adult_family_name"],
                "relationship": g["adult_relationship"],
            }
        )
    return {
        "request": {
            "route": Route.BULK,
            "request_type": g["request_type"] or "support",
            "reasons": [
                r.strip()
                for r in g["reasons"].replace(",", ";").split(";")
                if r.strip()
            ],
            "level_of_need": g["level_of_need"],
            "consent": _yes_no(g["consent"]),
            "consent_given_by": g["consent_given_by"],
            "family_words": g["family_words"],
        },
        "household": {
            "postcode": g["postcode"],
            "address_line": g["address_line"],
            "members": members,
        },
    }


def _errors_for_row(row: int, errors: dict[str, Any]) -> list[RowError]:
    found: list[RowError] = []

    def messages(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [m for v in node.values() for m in messages(v)]
        if isinstance(node, list):
            return [m for v in node for m in messages(v)]
        return [str(node)]

    for name, node in (errors.get("request") or {}).items():
        column = _REQUEST_COLUMNS.get(name, name)
        found += [RowError(row, column, m) for m in messages(node)]
    household = errors.get("household") or {}
    for name, node in household.items():
        if name == "members" and isinstance(node, dict):
            # Errors of a list come keyed by the index of each bad member.
            for i, member_errors in node.items():
                prefix = "child_" if int(i) == 0 else "adult_"
                for mname, mnode in (member_errors or {}).items():
                    column = prefix + _MEMBER_COLUMNS.get(mname, mname)
                    found += [RowError(row, column, m) for m in messages(mnode)]
        elif name == "members":
            found += [RowError(row, "child_given_name", m) for m in messages(node)]
        else:
            found += [RowError(row, name, m) for m in messages(node)]
    return found


def _row_key(data: SubmissionInput) -> str:
    digest = hashlib.sha256(
        json.dumps(dataclasses.asdict(data), sort_keys=True, default=str).encode()
    ).hexdigest()[:40]
    return f"bulk:{digest}"


def bulk_upload(*, content: bytes, actor: User) -> BulkResult:
    """Check every row, then create a form for each valid one (each in its own
    transaction). Rows are numbered as a spreadsheet shows them: the heading is
    row 1. Raises InvalidInput when the file itself cannot be read, and TooMany
    (creating nothing) when its new rows are more than the uploader may still
    send today."""
    rows = csv_rows(content, required=REQUIRED)
    result = BulkResult(rows=len(rows))
    valid = []
    for i, row in enumerate(rows, start=2):
        data, errors = submission_validate(row_payload(row))
        if data is None:
            result.errors.extend(_errors_for_row(i, errors))
        else:
            valid.append((i, data))
    keys = [_row_key(data) for _, data in valid]
    # Rows already saved from an earlier upload create nothing: only new rows
    # count against the day's allowance, and the whole file waits if they do
    # not fit.
    saved = IdempotencyKey.objects.filter(user=actor, key__in=keys).count()
    if len(keys) > saved:
        bulk_rows_allowance_take(user=actor, rows=len(keys) - saved)
    for (i, data), key in zip(valid, keys, strict=True):
        try:
            submitted = form_submit(
                data=data, actor=actor, idempotency_key=key, notify=False
            )
        except DomainError as exc:
            result.errors.append(RowError(i, "", exc.message))
            continue
        (result.created if submitted.created else result.already).append(submitted.form)
    if result.created:
        _notify(actor, result.created)
    return result


def _notify(actor: User, forms: list[FamilyConnectForm]) -> None:
    """One e-mail to the uploader and one per triage inbox, references only."""
    batch = hashlib.sha256("".join(f.reference for f in forms).encode()).hexdigest()[
        :16
    ]
    references = "\n".join(f.reference for f in forms)
    messages = [
        Message(
            key=f"bulk-confirmation:{batch}",
            to=actor.email,
            subject=f"{len(forms)} Family Connect Forms received",
            body=f"We have received these Family Connect Forms:\n\n{references}\n",
        )
    ]
    by_inbox: dict[str, list[str]] = {}
    localities = {f.locality_id: f.locality for f in forms}
    for locality_id, locality in localities.items():
        refs = [f.reference for f in forms if f.locality_id == locality_id]
        for inbox in triage_inboxes(locality):
            by_inbox.setdefault(inbox, []).extend(refs)
    for inbox, refs in by_inbox.items():
        messages.append(
            Message(
                key=f"bulk-new:{batch}:{inbox}",
                to=inbox,
                subject=f"{len(refs)} new Family Connect Forms from a list",
                body=(
                    "New Family Connect Forms from an uploaded list are waiting in "
                    "the triage queue:\n\n" + "\n".join(refs) + "\n\n"
                    "Sign in to Early Help Connect to read them."
                ),
            )
        )
    with transaction.atomic():
        notifications_queue(messages)
