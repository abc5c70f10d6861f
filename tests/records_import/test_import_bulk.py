"""The batched import writes exactly the rows the services write: the same file
imported both ways gives the same records, row for row."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import models, transaction

from audits.models import CaseAudit
from casework import models as cw
from families import models as fam
from family_connect import models as fc
from records_import import run as import_run
from records_import.run import records_import
from tests.demo.test_seed_demo import context
from tests.records_import.test_import_records import good, signposted, undecided

pytestmark = pytest.mark.django_db

TABLES: list[Any] = [
    fc.FamilyConnectForm,
    fc.FormMember,
    fc.FamilyConnectForm.reasons.through,
    fc.FormEvent,
    fc.FormTransfer,
    fc.FormDecision,
    fc.FormFeedback,
    cw.ImportedEpisode,
    fam.Family,
    fam.Person,
    cw.Case,
    cw.CaseMember,
    cw.CaseUserObjectPermission,
    cw.CaseEvent,
    cw.Assessment,
    cw.AssessmentPerson,
    cw.Review,
    cw.ReviewPerson,
    cw.CaseClosure,
    cw.ClosurePerson,
    cw.PostClosureCheck,
    cw.SocialCareReferral,
    cw.PersonConsent,
    CaseAudit,
]
SKIP = {"id", "created_at", "updated_at", "reference", "status_key", "imported_at"}


class _Rollback(Exception):
    pass


def snapshot() -> dict[str, list[str]]:
    """Every row of every table the import writes, with keys replaced by what
    they point at (external ids, e-mails, episode ids), sorted."""
    episode_of_form = dict(
        cw.ImportedEpisode.objects.values_list("form_id", "external_id")
    )
    case_key = {
        case_id: episode_of_form[form_id]
        for form_id, case_id in fc.FamilyConnectForm.objects.exclude(
            case=None
        ).values_list("pk", "case_id")
    }
    references = dict(fc.FamilyConnectForm.objects.values_list("reference", "pk"))
    natural: dict[type[models.Model], dict[Any, Any]] = {
        fc.FamilyConnectForm: episode_of_form,
        cw.Case: case_key,
        fam.Family: dict(fam.Family.objects.values_list("pk", "external_id")),
        fam.Person: dict(fam.Person.objects.values_list("pk", "external_id")),
        cw.ImportedEpisode: dict(
            cw.ImportedEpisode.objects.values_list("pk", "external_id")
        ),
        cw.Assessment: {a.pk: case_key[a.case_id] for a in cw.Assessment.objects.all()},
        cw.Review: {
            r.pk: (case_key[r.case_id], r.held_at.isoformat())
            for r in cw.Review.objects.all()
        },
        cw.CaseClosure: {
            c.pk: case_key[c.case_id] for c in cw.CaseClosure.objects.all()
        },
        cw.SocialCareReferral: {
            r.pk: (
                r.person_id and natural_person(r.person_id),
                r.referred_at.isoformat(),
                r.source,
            )
            for r in cw.SocialCareReferral.objects.all()
        },
    }
    natural[cw.PersonConsent] = {
        c.pk: (natural_person(c.person_id), c.purpose, case_key[c.case_id])
        for c in cw.PersonConsent.objects.all()
    }
    from django.contrib.auth.models import Permission

    from accounts.models import Organisation, User

    natural[User] = dict(User.objects.values_list("pk", "email"))
    natural[Organisation] = dict(Organisation.objects.values_list("pk", "name"))
    natural[Permission] = dict(Permission.objects.values_list("pk", "codename"))
    out: dict[str, list[str]] = {}
    for table in TABLES:
        rows = []
        for row in table.objects.values():
            clean = {}
            for name, value in row.items():
                if name in SKIP:
                    continue
                field = next(
                    f
                    for f in table._meta.concrete_fields
                    if f.attname == name or f.name == name
                )
                related = getattr(field, "related_model", None)
                if related in natural and value is not None:
                    value = natural[related][value]
                if isinstance(value, dict):
                    value = _data(value, references, natural)
                clean[name] = value
            rows.append(json.dumps(clean, sort_keys=True, default=str))
        out[table._meta.label] = sorted(rows)
    return out


_PERSONS: dict[int, str] = {}


def natural_person(pk: int) -> str:
    if pk not in _PERSONS:
        _PERSONS[pk] = str(fam.Person.objects.get(pk=pk).external_id)
    return _PERSONS[pk]


def _data(data: dict, references: dict, natural: dict) -> dict:
    out = {}
    for key, value in data.items():
        if key == "form":
            value = natural[fc.FamilyConnectForm][references[value]]
        elif key == "case" and value is not None:
            value = natural[cw.Case][value]
        elif key == "review":
            value = natural[cw.Review][value]
        elif key == "referral":
            value = natural[cw.SocialCareReferral][value]
        elif key == "people":
            value = [natural[fam.Person][v] for v in value]
        elif key == "consents":
            value = sorted(natural[cw.PersonConsent][v] for v in value)
        elif key == "lead_practitioner":
            from accounts.models import User

            value = User.objects.get(pk=value).email
        out[key] = value
    return out


def episodes() -> list[dict]:
    from demo.generator import demo_episodes

    made = list(demo_episodes(scale="small", seed=7, context=context(), count=250))
    withdrawn = undecided(90)
    withdrawn["request"]["final_status"] = "withdrawn"
    return [good(), signposted(91), undecided(92), withdrawn, *made]


def test_the_batched_path_writes_what_the_services_write(tmp_path, monkeypatch):
    path = tmp_path / "both.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes()))

    monkeypatch.setattr(import_run, "bulk_ready", lambda e: False)
    try:
        with transaction.atomic():
            report = records_import(path)
            assert report.rejected == 0 and report.imported == 254
            by_services = snapshot()
            _PERSONS.clear()
            raise _Rollback
    except _Rollback:
        pass
    assert not cw.ImportedEpisode.objects.exists()

    monkeypatch.undo()
    batches: list[int] = []
    real = import_run.episodes_import_bulk

    def counting(items, **kwargs):
        batches.append(len(items))
        return real(items, **kwargs)

    monkeypatch.setattr(import_run, "episodes_import_bulk", counting)
    warnings: list[str] = []
    monkeypatch.setattr(
        import_run.logger, "warning", lambda *a, **k: warnings.append(a[0])
    )
    report = records_import(path)
    assert report.rejected == 0 and report.imported == 254
    assert warnings == [] and sum(batches) > 200
    batched = snapshot()
    assert len(by_services["audits.CaseAudit"]) >= 2  # audit history is compared too
    assert by_services["casework.PersonConsent"]  # and the consent carried
    for table in by_services:
        assert batched[table] == by_services[table], table


def test_the_batched_path_also_writes_without_copy(tmp_path, monkeypatch):
    """Where COPY is not available (the embedded SQLite demo) the same rows go
    through ``bulk_create``; nothing falls back to the services."""
    from django.db import connection

    path = tmp_path / "few.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes()[:30]))
    monkeypatch.setattr(connection, "vendor", "sqlite")
    warnings: list[str] = []
    monkeypatch.setattr(
        import_run.logger, "warning", lambda *a, **k: warnings.append(a[0])
    )
    report = records_import(path)
    assert report.rejected == 0 and report.imported == 30
    assert warnings == []
