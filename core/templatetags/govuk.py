"""GOV.UK Design System fields from Django bound fields, from one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.dates import MONTHS

from core.forms import date_parts_in_error

register = template.Library()


def field_kind(bound: BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "text"


@register.filter
def govuk_anchor(bound: BoundField) -> str:
    """The id an error summary links to: the first option of a group, the
    first box of a date in error (the month box when only the month is
    missing)."""
    if field_kind(bound) == "date":
        parts = date_parts_in_error(bound) if bound.errors else (0,)
        return f"{bound.auto_id}_{parts[0] if parts else 0}"
    if field_kind(bound) in ("radios", "checkboxes"):
        return f"{bound.auto_id}_0"
    return bound.id_for_label


def _revealed(bound: BoundField, option: str) -> list[BoundField]:
    """The follow-up fields the form asks under ``option`` of this choice."""
    reveals = getattr(bound.form, "reveals", {}).get(bound.name, {})
    return [
        bound.form[name]
        for name in reveals.get(option, [])
        if name in bound.form.fields
    ]


@register.inclusion_tag("components/field.html")
def govuk_field(
    bound: BoundField,
    heading: bool = False,
    hints: dict[str, Any] | None = None,
    revealed: bool = False,
) -> dict[str, Any]:
    """Render a bound field as its GOV.UK component. ``heading`` makes the label
    or legend the page's h1 (one question per page); ``hints`` gives a hint per
    radio option.

    A choice with follow-up questions (the form's ``reveals``) shows each under
    its option, as a GOV.UK conditional reveal; a follow-up is rendered there
    (``revealed``), so asked for on its own it renders nothing."""
    followups = getattr(bound.form, "followups", None)
    if not revealed and followups is not None and bound.name in followups():
        return {"skip": True}
    kind = field_kind(bound)
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
    options = []
    if kind in ("radios", "checkboxes"):
        value = bound.value()
        selected = {
            str(v)
            for v in (value if isinstance(value, list) else [value])
            if v not in (None, "")
        }
        choices = getattr(bound.field, "choices", [])
        for i, (code, label) in enumerate(choices):
            options.append(
                {
                    "id": f"{bound.auto_id}_{i}",
                    "value": code,
                    "label": label,
                    "checked": str(code) in selected,
                    "hint": (hints or {}).get(code),
                    "reveals": _revealed(bound, str(code)),
                }
            )
    return {
        "field": bound,
        "kind": kind,
        "heading": heading,
        # A field may be blank while a draft is saved yet needed to submit
        # (``needed_to_submit``): it is not labelled optional. Nor is a filter
        # above a list (``narrows``): every one may be left empty. A field
        # needed for one choice only says which (``needed_for``: "if
        # allocating"), not "optional".
        "optional": not bound.field.required
        and kind not in ("checkbox",)
        and not getattr(bound.field, "needed_to_submit", False)
        and not getattr(bound.field, "narrows", False)
        and not getattr(bound.field, "needed_for", ""),
        "needed_for": getattr(bound.field, "needed_for", ""),
        "inline": getattr(bound.field, "inline", False),
        "described_by": " ".join(described),
        "options": options,
        "anchor": govuk_anchor(bound),
        "reveals": _revealed(bound, "on") if kind == "checkbox" else [],
    }


@register.filter(expects_localtime=True)
def govuk_date(value: Any) -> str:
    """Dates as "2 May 2024" (GOV.UK style). In a template an aware datetime
    is first put in the current time zone (Europe/London), so a form received
    at 00:30 on a summer morning shows that day, not the day before in UTC."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, (dt.date, dt.datetime)):
        # What ``formats.date_format(value, "j F Y")`` gives (the day in the
        # value's own time zone), without parsing the format on every call:
        # a list page shows hundreds of dates.
        return f"{value.day} {MONTHS[value.month]} {value.year:04d}"
    return ""


@register.filter
def govuk_month(value: Any) -> str:
    """A month ("2024-05" or a Month) as "May 2024"; anything else unchanged."""
    from core.periods import Month

    try:
        return Month.parse(str(value)).label()
    except ValueError:
        return str(value)
