"""The search box (and, for the data protection officer, the locality)."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukFormMixin
from families.query import MAX_LENGTH, SearchQuery, parse_query
from localities.models import Locality


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_LENGTH,
        error_messages={
            "max_length": f"Enter no more than {MAX_LENGTH} characters",
        },
    )

    def __init__(self, *args: Any, citywide: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if citywide:
            self.fields["locality"] = forms.ModelChoiceField(
                label="Locality (optional)",
                queryset=Locality.objects.order_by("name"),
                required=False,
                to_field_name="slug",
                empty_label="Anywhere in the city",
                error_messages={"invalid_choice": "Choose a locality from the list"},
            )
            self.govuk_classes()

    def clean_q(self) -> SearchQuery:
        query = parse_query(self.cleaned_data.get("q"))
        for error in query.errors:
            self.add_error("q", error)
        return query
