"""Writing a batch of new, ready episodes table by table (``records_import.bulk``)."""

from __future__ import annotations

from django.db import transaction

from accounts.roles import Role
from casework.models import Case, CaseStatus
from family_connect.models import FormEvent, FormStatus
from localities.models import Locality
from records_import.bulk.casework import casework_write
from records_import.bulk.forms import form_rows_write, forms_write
from records_import.bulk.households import households_write
from records_import.bulk.rows import insert
from records_import.bulk.written import Written
from records_import.episodes import Episode
from records_import.load import Directory

SYSTEM_USER = "records-import@early-help.invalid"


def episodes_import_bulk(
    items: list[tuple[int, Episode, str]], *, directory: Directory
) -> None:
    """Import new, ready episodes in one transaction (raises on any failure,
    leaving nothing written)."""
    with transaction.atomic():
        localities = {loc.slug: loc for loc in Locality.objects.all()}
        written, people = households_write([(e, d) for _n, e, d in items], localities)
        _users(written, directory, localities)
        _cases(written, localities)
        forms_write(written, directory, localities)
        form_events = form_rows_write(written, people, localities)
        casework_write(written, people)
        insert(FormEvent, form_events)


def _users(
    written: list[Written], directory: Directory, localities: dict[str, Locality]
) -> None:
    system = None
    for w in written:
        r = w.episode.request
        final = localities.get(r.final_locality or "")
        decision = r.decision
        w.decider = (
            directory.user(decision.by, Role.LOCALITY_MANAGER, final)
            if decision
            else None
        )
        if decision is None and (r.transfers or r.final_status):
            system = system or directory.user(SYSTEM_USER, Role.ADMINISTRATOR, None)
        w.system = system
        if decision and decision.outcome == FormStatus.ALLOCATED:
            assert w.episode.case is not None
            w.lead = directory.user(
                w.episode.case.lead_practitioner, Role.PRACTITIONER, final
            )
            w.auditors = [
                directory.user(a.auditor, Role.AUDITOR, None) for a in w.episode.audits
            ]


def _cases(written: list[Written], localities: dict[str, Locality]) -> None:
    cases: list[Case] = []
    for w in written:
        c = w.episode.case
        if w.lead is None or c is None:
            continue
        status = CaseStatus.ALLOCATED
        if c.assessment is not None:
            status = CaseStatus.PLAN
        closed_at = None
        if c.closure is not None:
            status = CaseStatus.CLOSED
            closed_at = c.closure.closed_at
        w.case = Case(
            family=w.family,
            locality=localities[str(w.episode.request.final_locality)],
            lead_practitioner=w.lead,
            status=status,
            opened_at=c.opened_at,
            closed_at=closed_at,
        )
        cases.append(w.case)
    Case.objects.bulk_create(cases)
