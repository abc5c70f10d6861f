"""Every form people fill in speaks GOV.UK: whatever is sent (nothing, junk, too
much), no error is one of Django's generic messages ("This field is required.",
"Select a valid choice. …", "Enter a whole number.", "Ensure this value …").

The forms are found, not listed: every ``GovukFormMixin`` form of the apps'
form modules. The generic messages are Django's own, read from its field
classes and validators, not a hand-made list."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.forms import models as model_forms
from django.template import Context, Template
from django.test import RequestFactory

from casework.models import (
    CaseNote,
    ConsentWithdrawal,
    NoteKind,
    PersonConsent,
    PlanAction,
    PlanOutcome,
    WheelDomain,
)
from core.forms import GovukFormMixin
from core.periods import Month
from localities.models import Locality
from tests.audits.factories import questions
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "accounts.forms",
    "casework.forms",
    "triage.forms",
    "audits.forms",
    "family_connect.forms",
    "search.forms",
    "privacy.views",
]


def _forms() -> list[type[Any]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, GovukFormMixin)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == name
            ):
                found.append(cls)
    return found


def _pattern(message: str) -> re.Pattern[str]:
    text = re.escape(message)
    # "%(value)s", "%(limit_value)d", "{max_days}" stand for anything.
    text = re.sub(r"%\\\(\w+\\\)[sdr]", ".*", text)
    text = re.sub(r"\\\{\w+\\\}", ".*", text)
    return re.compile(text, re.DOTALL)


def _django_messages() -> list[re.Pattern[str]]:
    """Django's own wording: every default message of its form fields, and what
    its validators say when they refuse."""
    messages: set[str] = set()
    for module in (forms.fields, model_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.Field):
                for klass in cls.__mro__:
                    for message in getattr(
                        klass, "default_error_messages", {}
                    ).values():
                        if str(message):
                            messages.add(str(message))
    refusals: list[tuple[Any, Any]] = [
        (validators.MaxLengthValidator(1), "ab"),
        (validators.MaxLengthValidator(2), "abc"),
        (validators.MinLengthValidator(2), "a"),
        (validators.MinLengthValidator(3), "a"),
        (validators.MaxValueValidator(1), 2),
        (validators.MinValueValidator(1), 0),
        (validators.StepValueValidator(2), 3),
        (validators.DecimalValidator(2, 1), __import__("decimal").Decimal("123.45")),
        (validators.EmailValidator(), "x"),
        (validators.URLValidator(), "x"),
        (validators.ProhibitNullCharactersValidator(), "a\x00"),
        (validators.validate_integer, "x"),
        (validators.validate_slug, "a b"),
    ]
    for validator, value in refusals:
        try:
            validator(value)
        except forms.ValidationError as exc:
            messages.update(re.sub(r"\d+", "9", m) for m in exc.messages)
    patterns = [_pattern(m) for m in messages]
    # The rendered validator messages have their numbers as 9: any number.
    return [re.compile(p.pattern.replace("9", r"\d+"), re.DOTALL) for p in patterns]


GENERIC = _django_messages()


def _is_generic(message: str) -> bool:
    return any(p.fullmatch(message) for p in GENERIC)


def test_the_generic_list_knows_djangos_words() -> None:
    for message in (
        "This field is required.",
        "Enter a valid date.",
        "Select a valid choice. x is not one of the available choices.",
        "Enter a whole number.",
        "Ensure this value has at most 10 characters (it has 12).",
        "Ensure this value is greater than or equal to 1.",
        "Enter a complete value.",
        "Enter a valid email address.",
        "Null characters are not allowed.",
    ):
        assert _is_generic(message), message
    assert not _is_generic("Enter the date of the review")


@pytest.fixture
def kwargs_for() -> dict[str, Any]:
    case: Any = CaseFactory()
    child: Any = PersonFactory(family=case.family, role="child", given_name="Ayesha")
    adult: Any = PersonFactory(
        family=case.family, role="adult", given_name="Sara", relationship="mother"
    )
    outcome = PlanOutcome.objects.create(
        case=case,
        text="Calmer mornings",
        domain=WheelDomain.values[0],
        created_by=case.lead_practitioner,
    )
    action = PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Bedtime routine",
        owner_is_family=True,
        due_on=dt.date(2026, 12, 18),
    )
    note = CaseNote.objects.create(
        case=case,
        kind=NoteKind.values[0],
        text="Home visit.",
        happened_at=case.opened_at,
        author=case.lead_practitioner,
    )
    consent = PersonConsent.objects.create(
        case=case,
        person=child,
        purpose="information_sharing",
        agencies="School",
        given_by="parent_carer",
        given_by_name="Sara",
        given_on=dt.date(2026, 5, 1),
        recorded_by=case.lead_practitioner,
        recorded_at=case.opened_at,
    )
    standing = PersonConsent.objects.create(
        case=case,
        person=adult,
        purpose="early_help",
        given_by="self",
        given_on=dt.date(2026, 5, 1),
        recorded_by=case.lead_practitioner,
        recorded_at=case.opened_at,
    )
    withdrawal = ConsentWithdrawal.objects.create(
        consent=consent,
        withdrawn_by="parent_carer",
        withdrawn_by_name="Sara",
        withdrawn_on=dt.date(2026, 5, 2),
        recorded_by=case.lead_practitioner,
        recorded_at=case.opened_at,
    )
    practitioner = SimpleNamespace(
        pk=case.lead_practitioner.pk,
        display_name="Pat Lead",
        caseload=3,
        capacity=10,
        headroom=7,
    )
    return {
        "people": [child, adult],
        "action": action,
        "note": note,
        "case": case,
        "person": child,
        "questions": questions(),
        "practitioners": [practitioner],
        "locality": Locality.objects.get(slug="erdington"),
        "localities": [("erdington", "Erdington")],
        "this_month": Month.of(dt.date(2026, 5, 1)),
        "consents": [standing],
        "withdrawals": [withdrawal],
    }


def _build(cls: type[Any], data: Any, kwargs_for: dict[str, Any]) -> Any:
    wanted = {
        param.name
        for param in inspect.signature(cls.__init__).parameters.values()
        if param.kind is param.KEYWORD_ONLY
    }
    kwargs = {k: kwargs_for[k] for k in wanted if k in kwargs_for}
    if issubclass(cls, AuthenticationForm):
        kwargs["request"] = RequestFactory().post("/sign-in/")
    return cls(data=data, **kwargs)


def _data(form: Any, value: Any, date: tuple[str, str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.MultiWidget):
            for i, part in enumerate(date):
                data[f"{key}_{i}"] = part
        elif isinstance(field, forms.MultipleChoiceField):
            data[key] = [value]
        else:
            data[key] = value
    return data


SENDS = {
    "nothing": ("", ("", "", "")),
    "junk": ("x", ("x", "x", "x")),
    "too long": ("9" * 20001, ("1", "1", "9" * 5)),
    "negative": ("-1", ("-1", "13", "2026")),
    "part of a date": ("0", ("1", "", "2026")),
    "null character": ("a\x00b", ("31", "2", "2026")),
}


@pytest.mark.parametrize("send", list(SENDS))
def test_no_form_answers_in_djangos_generic_words(send, kwargs_for) -> None:
    value, date = SENDS[send]
    generic = []
    checked = 0
    for cls in _forms():
        blank = _build(cls, {}, kwargs_for)
        form = _build(cls, _data(blank, value, date), kwargs_for)
        form.is_valid()
        for field, messages in form.errors.items():
            checked += 1
            generic += [
                f"{cls.__module__}.{cls.__name__}.{field}: {m}"
                for m in messages
                if _is_generic(str(m))
            ]
    assert checked, "no form refused anything: the walk found no forms"
    assert not generic, "\n".join(generic)


def test_the_walk_finds_the_staff_forms() -> None:
    names = {f"{c.__module__}.{c.__name__}" for c in _forms()}
    assert {
        "casework.forms.AssessmentForm",
        "casework.forms.ActionEditForm",
        "casework.forms.NoteAmendForm",
        "casework.forms.ConsentForm",
        "casework.forms.ConsentWithdrawalForm",
        "casework.forms.ConsentOverrideForm",
        "casework.forms.ContactForm",
        "casework.forms.ClosureForm",
        "casework.forms.ReviewForm",
        "casework.forms.OutcomeForm",
        "casework.forms.ActionForm",
        "triage.forms.DecisionForm",
        "audits.forms.RoundForm",
        "audits.forms.GradingForm",
    } <= names


def test_no_label_says_optional_twice_or_for_a_required_field(kwargs_for) -> None:
    """The field's template adds "(optional)": a label must not say it too, and
    a required field never says it."""
    template = Template("{% load govuk %}{% govuk_field field %}")
    wrong = []
    for cls in _forms():
        form = _build(cls, None, kwargs_for)
        for bound in form.visible_fields():
            html = template.render(Context({"field": bound}))
            said = html.count("(optional)")
            if said > 1 or (said and bound.field.required):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{bound.name}")
    assert not wrong, wrong
