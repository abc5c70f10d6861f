"""GOV.UK form plumbing shared by every app's forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


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


class DateField(forms.MultiValueField):
    """A date in the GOV.UK date input, checked the GOV.UK way: all three parts,
    a real date, no year before 1900."""

    widget = DateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        label = str(self.label or _("Date"))
        if not all(data_list):
            raise forms.ValidationError(
                _("%(label)s must include a day, month and year") % {"label": label}
            )
        try:
            day, month, year = (int(str(v).strip()) for v in data_list)
            value = dt.date(year, month, day)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("%(label)s must be a real date") % {"label": label}
            ) from None
        if year < 1900:
            raise forms.ValidationError(
                _("%(label)s must be a real date") % {"label": label}
            )
        return value


class IsoDateField(forms.DateField):
    """A date typed in one box, as 2026-05-31, with the GOV.UK messages (the
    GOV.UK date input is ``DateField``)."""

    default_error_messages = {
        "required": "Enter the date",
        "invalid": "Enter a real date",
    }


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


class GovukFormMixin:
    """Gives inputs their GOV.UK classes and marks fields in error the GOV.UK
    way: the error class on the input and ``aria-describedby`` pointing at the
    hint and error message."""

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
        field = (renamed or {}).get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else otherwise, exc.message)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
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
                    for sub in field.widget.widgets:
                        sub.attrs["class"] = (
                            sub.attrs.get("class", "") + " govuk-input--error"
                        ).strip()
                described.append(f"{bound.auto_id}-error")
            if described and not isinstance(
                field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                field.widget.attrs["aria-describedby"] = " ".join(described)
