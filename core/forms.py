"""GOV.UK form plumbing shared by every app's forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.periods import Month


class DateWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes."""

    template_name = "components/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"class": "govuk-input govuk-date-input__input", "inputmode": "numeric"}
        super().__init__(
            [
                forms.TextInput(
                    {**box, "class": box["class"] + " govuk-input--width-2"}
                ),
                forms.TextInput(
                    {**box, "class": box["class"] + " govuk-input--width-2"}
                ),
                forms.TextInput(
                    {**box, "class": box["class"] + " govuk-input--width-4"}
                ),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> Any:
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["label"] = label
        return context


_PARTS = (_("day"), _("month"), _("year"))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _date_error(message: str, parts: tuple[int, ...]) -> forms.ValidationError:
    """A refusal of a GOV.UK date input naming the boxes in error (0 day, 1
    month, 2 year): those boxes are marked and the error links to the first."""
    return forms.ValidationError(
        message.replace("%", "%%"), code="date", params={"parts": parts}
    )


def date_parts_in_error(bound: Any) -> tuple[int, ...]:
    """Which boxes of a date input a bound field's errors are about: those the
    field named, else all three (a service's refusal is about the date)."""
    parts: set[int] = set()
    for error in bound.errors.as_data():
        parts.update((error.params or {}).get("parts", (0, 1, 2)))
    return tuple(sorted(parts))


class DateField(forms.MultiValueField):
    """A date in the GOV.UK date input, checked the GOV.UK way, every message
    named from the label: "Enter the due date", "Due date must include a
    month", "Due date must be a real date" (no year before 1900). The boxes in
    error are marked and the error summary links to the first of them.

    Whether a date may be in the past or the future is a rule of the service
    the form feeds (a due date, a date something happened): the form asks it."""

    widget = DateWidget

    def __init__(self, **kwargs: Any) -> None:
        # The parts are checked together in ``compress``, in GOV.UK words, not
        # one by one in Django's ("Enter a complete value.").
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        title = _sentence(_label(self.label) or str(_("Date")))
        texts = [str(v or "").strip() for v in data_list]
        missing = tuple(i for i, text in enumerate(texts) if not text)
        if missing:
            raise _date_error(
                _("%(label)s must include a %(parts)s")
                % {"label": title, "parts": _and([str(_PARTS[i]) for i in missing])},
                missing,
            )
        real = _("%(label)s must be a real date") % {"label": title}
        numbers = [int(t) if t.isdigit() and len(t) <= 4 else None for t in texts]
        day, month, year = numbers
        wrong = tuple(i for i, n in enumerate(numbers) if n is None)
        if not wrong:
            if not 1 <= (month or 0) <= 12:
                wrong = (1,)
            elif not 1900 <= (year or 0) <= 9999:
                wrong = (2,)
        if wrong:
            raise _date_error(real, wrong)
        assert day is not None and month is not None and year is not None
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise _date_error(real, (0,)) from None


class MonthField(forms.ChoiceField):
    """A month chosen from a list (a GOV.UK select), newest first, sent as
    YYYY-MM (as the addresses and the API write it). ``months`` are the
    months offered; ``clean`` gives the chosen ``Month``."""

    def __init__(self, *, months: list[Month] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.months = months or []

    @property
    def months(self) -> list[Month]:
        return self._months

    @months.setter
    def months(self, months: list[Month]) -> None:
        self._months = sorted(set(months), reverse=True)
        self.choices = month_choices(self._months)

    def clean(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().clean(value)
        return Month.parse(text) if text else None


MONTHS_OFFERED = 36
"""How far back a list of months goes: three years."""


def months_back(
    newest: Month, count: int = MONTHS_OFFERED, *, also: Month | None = None
) -> list[Month]:
    """The ``count`` months to ``newest``, newest first, and ``also`` (a month
    asked for outside them, so an address naming it still shows it chosen)."""
    months = [newest.plus(-n) for n in range(count)]
    return months + ([also] if also is not None and also not in months else [])


def month_choices(months: list[Month]) -> list[tuple[str, str]]:
    """(YYYY-MM, "May 2026") for a select of months, newest first."""
    return [(str(m), m.label()) for m in sorted(set(months), reverse=True)]


# --- Error messages in GOV.UK words, named from each field's label ------------------

# Django's own wording for every field class, to recognise (and replace) it.
_DJANGO_DEFAULTS: dict[str, set[str]] = {}
for _cls in (
    forms.Field,
    forms.CharField,
    forms.IntegerField,
    forms.FloatField,
    forms.DecimalField,
    forms.DateField,
    forms.TimeField,
    forms.DateTimeField,
    forms.DurationField,
    forms.EmailField,
    forms.URLField,
    forms.UUIDField,
    forms.FileField,
    forms.ChoiceField,
    forms.MultipleChoiceField,
    forms.MultiValueField,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
    forms.JSONField,
):
    for _code, _message in getattr(_cls, "default_error_messages", {}).items():
        _DJANGO_DEFAULTS.setdefault(_code, set()).add(str(_message))


def _label(label: Any) -> str:
    """The label as a name: without a trailing "(optional)"-like aside, a
    trailing question mark or colon."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", str(label or "")).strip()
    return text.rstrip("?:. ")


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _phrase(label: str) -> str:
    """The label inside a sentence: "Who attended" → "who attended"; an
    initialism keeps its capitals ("GP"). (A label that starts with a person's
    name needs messages of its own.)"""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


_NO_ARTICLE = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "your",
    "their",
    "his",
    "her",
    "its",
    "our",
    "my",
    "any",
    "each",
    "every",
    "some",
    "all",
    "one",
    "more",
    "who",
    "what",
    "why",
    "how",
    "when",
    "where",
    "which",
    "whether",
    "if",
    "at",
    "to",
    "in",
    "for",
    "by",
    "on",
    "from",
    "with",
}


def _named(label: str) -> str:
    """The label as a thing to enter or select: "Title" → "the title", "Who
    attended" → "who attended"."""
    phrase = _phrase(label)
    first = phrase.split(" ", 1)[0]
    if phrase[:1].isupper() or first in _NO_ARTICLE:
        return phrase
    return f"the {phrase}"


def _is_question(label: Any) -> bool:
    return str(label or "").strip().endswith("?")


def govuk_error_messages(field: forms.Field, name: str = "") -> None:
    """Give ``field`` a specific GOV.UK message for every way it can be wrong,
    named from its label, wherever it still has Django's generic one ("This
    field is required.", "Select a valid choice. …", "Enter a whole number.",
    "Ensure this value has at most …"). A message the field was given is kept.
    A field without a label (a hidden one) is named by ``name``."""
    label = _label(field.label) or name.replace("_", " ")
    if not label or not translation.get_language().startswith("en"):
        # The words below are English: in another language, Django's own
        # translated message is kept rather than mixing two languages.
        return
    question = _is_question(field.label)
    name, title = _named(label), _sentence(label)
    safe = title.replace("%", "%%")  # for messages Django formats with params
    choosing = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField))
    numbers = isinstance(field, (forms.IntegerField, forms.FloatField))
    messages: dict[str, str] = {
        "required": (
            f"Answer the question: {label}?"
            if question
            else f"Select {name}"
            if choosing or isinstance(field, (forms.FileField, forms.BooleanField))
            else f"Enter {name}"
        ),
        "invalid_choice": (
            f"Select one of the options given for: {label}?"
            if question
            else f"Select one of the options given for {name}"
        ).replace("%", "%%"),
        "invalid_list": f"Select one of the options given for {name}",
        "invalid_pk_value": (f"Select one of the options given for {name}").replace(
            "%", "%%"
        ),
        "incomplete": f"Enter all of {name}",
        "null_characters_not_allowed": f"{title} must not contain null characters",
    }
    if isinstance(field, forms.IntegerField) and not isinstance(
        field, (forms.FloatField, forms.DecimalField)
    ):
        messages["invalid"] = f"{title} must be a whole number, like 3"
    elif numbers or isinstance(field, forms.DecimalField):
        messages["invalid"] = f"{title} must be a number"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{title} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{title} must be a real date"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"{title} must be a real time, like 14:30"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = (
            f"Enter {name} in the correct format, like name@example.org"
        )
    elif isinstance(field, forms.FileField):
        messages["invalid"] = f"Select {name} to upload"
        messages["missing"] = f"Select {name}"
        messages["empty"] = "The selected file is empty"
        messages["contradiction"] = f"Select {name}, or clear it, not both"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter {name} as a web address, like https://…"
    elif isinstance(field, forms.UUIDField):
        messages["invalid"] = f"{title} is not in the correct format"
    if isinstance(field, forms.CharField) and not isinstance(field, forms.URLField):
        if field.max_length is not None:
            messages["max_length"] = (
                f"{safe} must be {field.max_length:,} characters or fewer"
            )
        if field.min_length is not None:
            messages["min_length"] = (
                f"{safe} must be {field.min_length:,} characters or more"
            )
    if numbers or isinstance(field, forms.DecimalField):
        limits: Any = field
        if limits.min_value is not None:
            messages["min_value"] = f"{safe} must be {limits.min_value} or more"
        if limits.max_value is not None:
            messages["max_value"] = f"{safe} must be {limits.max_value} or less"
        if getattr(limits, "step_size", None) is not None:
            messages["step_size"] = f"{safe} must be a multiple of {limits.step_size}"
    if isinstance(field, forms.DecimalField):
        for code in ("max_digits", "max_decimal_places", "max_whole_digits"):
            messages[code] = f"{safe} has too many digits"
    for code, message in messages.items():
        current = field.error_messages.get(code)
        if current is None or str(current) in _DJANGO_DEFAULTS.get(code, set()):
            field.error_messages[code] = message


F = TypeVar("F", bound=forms.Field)


def needed_for(field: F, when: str) -> F:
    """Mark a field needed for one choice only: its label says so ("Lead
    practitioner (if allocating)"), not "(optional)". The form's ``clean``
    checks it for that choice."""
    field.needed_for = when  # type: ignore[attr-defined]
    return field


def _base_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.Select) and not isinstance(
        widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
    ):
        return "govuk-select"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    if isinstance(widget, forms.widgets.Input) and not isinstance(
        widget, (forms.CheckboxInput, forms.HiddenInput)
    ):
        return "govuk-input"
    return None


def _chosen(form: Any, name: str) -> str:
    """The option chosen for ``name`` as the page submits it: a radio's value,
    or "on" for a ticked checkbox; "" when nothing (valid) was chosen."""
    field = form.fields[name]
    value = form.cleaned_data.get(name)
    if isinstance(field, forms.BooleanField):
        return "on" if value else ""
    return "" if value in (None, "") else str(value)


class GovukFormMixin:
    """Gives inputs their GOV.UK classes and marks fields in error the GOV.UK
    way: the error class on the input and ``aria-describedby`` pointing at the
    hint and error message.

    ``reveals`` names the follow-up questions of a choice: ``{choice: {option:
    [follow-up fields]}}`` (a single checkbox's option is "on"). The page shows
    each follow-up under its option, as a GOV.UK conditional reveal (with
    JavaScript it opens when the option is chosen; without it every follow-up
    shows under its option). Only the chosen option's follow-ups are checked
    and kept: what was typed under another option is dropped, never refused."""

    reveals: ClassVar[dict[str, dict[str, list[str]]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.govuk_classes()

    def govuk_classes(self) -> None:
        """Give every field's input its GOV.UK class (call again after adding
        fields in ``__init__``)."""
        form: Any = self
        for field in form.fields.values():
            base = _base_class(field.widget)
            classes = field.widget.attrs.get("class", "")
            if base and base not in classes.split():
                field.widget.attrs["class"] = f"{base} {classes}".strip()

    def add_domain_error(
        self,
        exc: DomainError,
        *,
        renamed: Mapping[str, str] | None = None,
        otherwise: str | None = None,
    ) -> None:
        """Show a service's refusal on the form: against the field it names when
        the form has that field (``renamed`` maps the service's names to the
        form's where they differ), else against ``otherwise``, else at the top
        of the form. The error summary lists it either way."""
        form: Any = self
        for name, message in exc.problems:
            field = (renamed or {}).get(name or "", name)
            if field in form.fields and field in form.errors:
                # The form's own check said it first (and said it better).
                continue
            form.add_error(field if field in form.fields else otherwise, message)

    def answers(
        self, names: list[str] | None = None, *, empty: str = "Not given"
    ) -> list[tuple[str, str]]:
        """The form's values as a GOV.UK summary list shows a finished record:
        each field's label and its value (a choice by its label, ``empty`` when
        none). For pages that show a record nobody may change any more, or that
        the reader may not change, instead of disabled inputs."""
        form: Any = self
        rows = []
        for name in names if names is not None else list(form.fields):
            field = form.fields[name]
            if field.widget.is_hidden:
                continue
            value = form[name].value()
            if isinstance(field, forms.BooleanField):
                text = "Yes" if value else "No"
            elif isinstance(field, forms.ChoiceField):
                choices: Any = field.choices
                labels = {str(code): str(label) for code, label in choices}
                text = "" if value in (None, "") else labels.get(str(value), "")
            else:
                text = "" if value is None else str(value).strip()
            rows.append((str(field.label), text or empty))
        return rows

    def followups(self) -> set[str]:
        """Every field asked under an option of a choice (see ``reveals``)."""
        return {
            name
            for options in self.reveals.values()
            for names in options.values()
            for name in names
        }

    def _drop_unchosen_followups(self) -> None:
        form: Any = self
        if not hasattr(form, "cleaned_data"):
            return
        for choice, options in self.reveals.items():
            if choice not in form.fields:
                continue
            chosen = _chosen(form, choice)
            for option, names in options.items():
                if option == chosen:
                    continue
                for name in names:
                    if name not in form.fields:
                        continue
                    form._errors.pop(name, None)
                    form.cleaned_data[name] = getattr(
                        form.fields[name], "empty_value", None
                    )

    def full_clean(self) -> None:
        form: Any = self
        # Every field, those added in ``__init__`` too, speaks GOV.UK.
        for name, field in form.fields.items():
            govuk_error_messages(field, name)
        super().full_clean()  # type: ignore[misc]
        self._drop_unchosen_followups()
        for name, errors in getattr(form, "_errors", {}).items():
            field = form.fields.get(name)
            for error in errors.as_data() if field is not None else []:
                # A choice of records checks for NUL with the validator itself,
                # past the field's messages (the middleware refuses NUL first;
                # this is for any other caller).
                if error.code == "null_characters_not_allowed":
                    error.message = field.error_messages[error.code]
                    error.params = None
        for name, field in form.fields.items():
            bound = form[name]
            described = [f"{bound.auto_id}-hint"] if field.help_text else []
            if name in form.errors:
                base = _base_class(field.widget)
                if base:
                    classes = field.widget.attrs.get("class", "")
                    if f"{base}--error" not in classes:
                        field.widget.attrs["class"] = f"{classes} {base}--error".strip()
                elif isinstance(field.widget, forms.MultiWidget):
                    # Only the boxes in error (a missing month: the month box).
                    for part in date_parts_in_error(bound):
                        sub = field.widget.widgets[part]
                        classes = sub.attrs.get("class", "")
                        if "govuk-input--error" not in classes:
                            sub.attrs["class"] = f"{classes} govuk-input--error"
                described.append(f"{bound.auto_id}-error")
            if described and not isinstance(
                field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                field.widget.attrs["aria-describedby"] = " ".join(described)
