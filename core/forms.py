"""GOV.UK form plumbing shared by every app's forms."""

from __future__ import annotations

from typing import Any


class GovukFormMixin:
    """Marks fields in error the GOV.UK way: the error class on the input and
    ``aria-describedby`` pointing at the hint and error message."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        for name, field in form.fields.items():
            bound = form[name]
            described = [f"{bound.id_for_label}-hint"] if field.help_text else []
            if name in form.errors:
                classes = field.widget.attrs.get("class", "")
                if "govuk-input--error" not in classes:
                    field.widget.attrs["class"] = (
                        f"{classes} govuk-input--error".strip()
                    )
                described.append(f"{bound.id_for_label}-error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
