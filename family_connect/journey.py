"""The pages of the Family Connect journey and how answers become a submission.

The journey is data: an ordered list of steps, each with its form and a rule for
when it applies (by route and earlier answers). Views walk it; drafts store the
answers as JSON; ``payload_from_answers`` shapes them as the API body so the same
validation and service take them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.codes import MemberRole
from family_connect import forms as f
from family_connect.models import RequestType, Route

Answers = dict[str, Any]

PUBLIC_ROUTES = frozenset({Route.FAMILY, Route.PHONE})


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[f.StepForm]
    title: str | Promise
    applies: Callable[[str, Answers, list[str]], bool] = lambda route, a, routes: True
    # Fields answered on this page; a page with one field shows its label as the
    # page heading.
    optional: bool = False
    # The title a family asking for itself reads, where it differs.
    family_title: str | Promise | None = None

    def title_for(self, route: str) -> str | Promise:
        if route == Route.FAMILY and self.family_title is not None:
            return self.family_title
        return self.title


def _yes(answers: Answers, name: str) -> bool:
    return answers.get(name) == "yes"


STEPS: list[Step] = [
    Step(
        "route",
        f.RouteForm,
        _("How the request reached you"),
        lambda route, a, routes: len(routes) > 1,
    ),
    Step("safeguarding", f.SafeguardingForm, _("Is a child at risk?")),
    Step(
        "front-door",
        f.FrontDoorForm,
        _("Contact the children's advice and support service"),
        lambda route, a, routes: _yes(a, "safeguarding_concern"),
    ),
    Step(
        "request-type",
        f.RequestTypeForm,
        _("What you are asking for"),
        lambda route, a, routes: route != Route.FAMILY,
    ),
    Step("consent", f.ConsentForm, _("Consent")),
    Step(
        "contact",
        f.ContactForm,
        _("Your contact details"),
        lambda route, a, routes: route in PUBLIC_ROUTES,
    ),
    Step(
        "step-down",
        f.StepDownForm,
        _("Step-down from social care"),
        lambda route, a, routes: route == Route.STEP_DOWN,
    ),
    Step("address", f.AddressForm, _("Where does the family live?")),
    Step("children", f.AddAnotherForm, _("Children")),
    Step("adults", f.AddAnotherForm, _("Adults in the household")),
    Step("language", f.LanguageForm, _("Language")),
    Step("communication", f.CommunicationForm, _("Communication needs"), optional=True),
    Step("reasons", f.ReasonsForm, _("Reasons for asking for help")),
    Step(
        "need",
        f.NeedForm,
        _("Level of need"),
        family_title=_("How much help you need"),
    ),
    Step("family-words", f.FamilyWordsForm, _("What would help")),
    Step("child-voice", f.ChildVoiceForm, _("The child's voice"), optional=True),
    Step("working-well", f.WorkingWellForm, _("What is working well"), optional=True),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
# Steps whose answers are a list of people, not fields.
LOOP_STEPS = {"children": "children", "adults": "adults"}


def steps_for(route: str, answers: Answers, routes: list[str]) -> list[Step]:
    return [s for s in STEPS if s.applies(route, answers, routes)]


def answered(step: Step, answers: Answers, route: str) -> bool:
    if step.slug == "children":
        children = answers.get("children") or []
        return (
            bool(answers.get("children_done"))
            and bool(children)
            and all(f.child_part_missing(child) is None for child in children)
        )
    if step.slug in LOOP_STEPS:
        return bool(answers.get(f"{step.slug}_done"))
    return all(name in answers for name in step.form_class.asked(route))


def first_unanswered(route: str, answers: Answers, routes: list[str]) -> Step | None:
    for step in steps_for(route, answers, routes):
        if not answered(step, answers, route):
            return step
    return None


def neighbours(
    slug: str, route: str, answers: Answers, routes: list[str]
) -> tuple[Step | None, Step | None]:
    steps = steps_for(route, answers, routes)
    slugs = [s.slug for s in steps]
    if slug not in slugs:
        return None, None
    i = slugs.index(slug)
    return (steps[i - 1] if i > 0 else None), (
        steps[i + 1] if i + 1 < len(steps) else None
    )


# --- Storing answers ---------------------------------------------------------------


def to_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def answers_from_form(form: forms.Form) -> Answers:
    return {name: to_json(value) for name, value in form.cleaned_data.items()}


def initial_for(step: Step, answers: Answers, route: str) -> Answers:
    asked = step.form_class.asked(route)
    return {name: answers[name] for name in asked if name in answers}


# --- From answers to a submission --------------------------------------------------


def _bool(value: Any) -> bool:
    return value in ("yes", True)


def _member(person: Answers, role: str) -> Answers:
    member = {
        "role": role,
        "given_name": person.get("given_name", ""),
        "family_name": person.get("family_name", ""),
        "date_of_birth": person.get("date_of_birth") or None,
    }
    if role == MemberRole.CHILD:
        member.update(
            expected=bool(person.get("expected")),
            sex=person.get("sex", ""),
            gender_identity=person.get("gender_identity", ""),
            ethnicity=person.get("ethnicity", ""),
            school=person.get("school", ""),
            send=person.get("send", ""),
            young_carer=_bool(person["young_carer"])
            if person.get("young_carer")
            else None,
        )
    else:
        member["relationship"] = person.get("relationship", "")
    return member


def payload_from_answers(route: str, answers: Answers) -> dict[str, Any]:
    """The answers as the ``request`` + ``household`` body of the API."""
    request: dict[str, Any] = {
        "route": route,
        "request_type": (
            RequestType.SUPPORT
            if route == Route.FAMILY
            else answers.get("request_type", "")
        ),
        "reasons": answers.get("reasons", []),
        "level_of_need": answers.get("level_of_need", ""),
        "consent": _bool(answers.get("consent")),
        "consent_given_by": answers.get("consent_given_by", ""),
        "safeguarding_concern": _bool(answers.get("safeguarding_concern")),
        "front_door_contacted": bool(answers.get("front_door_contacted")),
        "family_words": answers.get("family_words", ""),
        "child_voice": answers.get("child_voice", ""),
        "working_well": answers.get("working_well", ""),
        "language": answers.get("language", ""),
        "interpreter_needed": _bool(answers.get("interpreter_needed")),
        "communication_needs": answers.get("communication_needs", ""),
    }
    if route == Route.STEP_DOWN:
        request["closed_to_social_care_on"] = answers.get("closed_to_social_care_on")
    if route in PUBLIC_ROUTES:
        request["contact"] = {
            "name": answers.get("contact_name", ""),
            "phone": answers.get("contact_phone", ""),
            "email": answers.get("contact_email", ""),
        }
    members = [_member(c, MemberRole.CHILD) for c in answers.get("children", [])]
    members += [_member(a, MemberRole.ADULT) for a in answers.get("adults", [])]
    return {
        "request": request,
        "household": {
            "postcode": answers.get("postcode", ""),
            "address_line": answers.get("address_line", ""),
            "members": members,
        },
    }


# Where each field of the submission is asked, to link errors back to a page.
FIELD_STEP = {
    "route": "route",
    "request_type": "request-type",
    "reasons": "reasons",
    "level_of_need": "need",
    "consent": "consent",
    "consent_given_by": "consent",
    "closed_to_social_care_on": "step-down",
    "front_door_contacted": "front-door",
    "safeguarding_concern": "safeguarding",
    "family_words": "family-words",
    "language": "language",
    "contact": "contact",
    "postcode": "address",
    "address_line": "address",
    "members": "children",
}


def errors_to_steps(errors: dict[str, Any]) -> list[tuple[str, str]]:
    """Flatten submission errors into (step slug, message) pairs."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k if k in FIELD_STEP else key)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif node:
            found.append((FIELD_STEP.get(key, "address"), str(node)))

    walk(errors, "")
    return found
