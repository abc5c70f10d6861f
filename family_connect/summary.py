"""The check-your-answers page's rows, from a draft's answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import DateField
from core.templatetags.govuk import govuk_date
from family_connect import journey
from family_connect.forms import AdultForm, ChildForm
from family_connect.journey import LOOP_STEPS, Answers


def _display(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return _("Not given")
    if isinstance(field, DateField):
        return govuk_date(value)
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(list(field.choices))  # type: ignore[arg-type]
        return "\n".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(_choice_labels(field).get(value, value))
    return str(value)


def _choice_labels(field: forms.ChoiceField) -> dict[Any, str]:
    """Each choice's label; an option in a group as "Group: option"."""
    labels: dict[Any, str] = {}
    for code, label in list(field.choices):  # type: ignore[arg-type]
        if isinstance(label, (list, tuple)):
            labels.update({c: f"{code}: {option}" for c, option in label})
        else:
            labels[code] = str(label)
    return labels


def _person_rows(
    form_class: type[forms.Form],
    people: list[Answers],
    kind: str,
    context: dict[str, Any],
) -> list[dict[str, Any]]:
    form = form_class(context=context)  # type: ignore[call-arg]
    rows = []
    for i, person in enumerate(people):
        details = [
            f"{field.label}: {_display(field, person.get(name))}"
            for name, field in form.fields.items()
            if name not in ("given_name", "family_name")
            and person.get(name) not in (None, "", False)
        ]
        rows.append(
            {
                "key": " ".join(
                    [person.get("given_name", ""), person.get("family_name", "")]
                ),
                "value": "\n".join(details),
                "change_url": reverse("family_connect:person_change", args=[kind, i])
                + "?change=1",
                "change_label": _("Change"),
            }
        )
    return rows


def check_rows(route: str, answers: Answers, routes: list[str]) -> list[dict[str, Any]]:
    """Sections of (question, answer, change link) for every page that applies."""
    context = {
        "route": route,
        "routes": routes,
        "request_type": answers.get("request_type", "support"),
    }
    sections = []
    for step in journey.steps_for(route, answers, routes):
        if step.slug in LOOP_STEPS:
            kind = "child" if step.slug == "children" else "adult"
            form_class = ChildForm if kind == "child" else AdultForm
            rows = _person_rows(form_class, answers.get(step.slug, []), kind, context)
            if not rows:
                rows = [
                    {
                        "key": _("Adults"),
                        "value": _("None added"),
                        "change_url": reverse("family_connect:step", args=[step.slug])
                        + "?change=1",
                        "change_label": _("Change"),
                    }
                ]
            sections.append({"title": step.title_for(route), "rows": rows})
            continue
        form = step.form_class(context=context)
        url = reverse("family_connect:step", args=[step.slug]) + "?change=1"
        rows = [
            {
                "key": form.fields[name].label,
                "value": _display(form.fields[name], answers.get(name)),
                "change_url": url,
                "change_label": _("Change"),
            }
            for name in form.fields
        ]
        sections.append({"title": step.title_for(route), "rows": rows})
    return sections
