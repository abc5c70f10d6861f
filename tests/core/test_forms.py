"""The GOV.UK form mixin: a service's refusal shown on the form."""

from __future__ import annotations

import datetime as dt

from django import forms

from core.errors import InvalidInput
from core.forms import DateField, GovukFormMixin, IsoDateField


class TwoFieldForm(GovukFormMixin, forms.Form):
    name = forms.CharField(required=False)
    file = forms.CharField(required=False)


def _form() -> TwoFieldForm:
    form = TwoFieldForm({"name": "", "file": ""})
    assert form.is_valid()
    return form


def test_a_named_field_of_the_form_gets_the_error() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Enter the name", field="name"))
    assert form.errors == {"name": ["Enter the name"]}


def test_a_field_the_form_does_not_have_goes_to_the_top_of_the_form() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Choose a household", field="family"))
    assert form.non_field_errors() == ["Choose a household"]


def test_no_field_goes_to_the_top_of_the_form() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("The case is closed."))
    assert form.non_field_errors() == ["The case is closed."]


def test_otherwise_names_the_field_for_an_error_the_form_cannot_place() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Not a CSV file"), otherwise="file")
    form.add_domain_error(
        InvalidInput("No such household", field="family"), otherwise="file"
    )
    assert form.errors == {"file": ["Not a CSV file", "No such household"]}


def test_renamed_maps_the_services_field_to_the_forms() -> None:
    form = _form()
    form.add_domain_error(
        InvalidInput("Cannot be in the future", field="referred_at"),
        renamed={"referred_at": "name"},
    )
    assert form.errors == {"name": ["Cannot be in the future"]}


class DatesForm(GovukFormMixin, forms.Form):
    born = DateField(label="Date of birth")
    held_on = IsoDateField(label="Date of the review")


def test_the_govuk_date_input_reads_day_month_and_year() -> None:
    form = DatesForm(
        {"born_0": "27", "born_1": "3", "born_2": "2015", "held_on": "2026-11-20"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "born": dt.date(2015, 3, 27),
        "held_on": dt.date(2026, 11, 20),
    }


def test_dates_are_refused_in_govuk_words() -> None:
    assert DatesForm({"born_0": "31", "born_1": "2", "born_2": "2015"}).errors == {
        "born": ["Date of birth must be a real date"],
        "held_on": ["Enter the date of the review"],
    }
    assert DatesForm(
        {"born_0": "1", "born_1": "1", "born_2": "1899", "held_on": "2026-13-01"}
    ).errors == {
        "born": ["Date of birth must be a real date"],
        "held_on": ["Date of the review must be a real date, like 2026-05-31"],
    }


class MixedForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=5)
    attendees = forms.CharField(label="Who attended")
    count = forms.IntegerField(label="Cases to draw", min_value=1, max_value=50)
    kind = forms.ChoiceField(label="Kind of help", choices=[("a", "A")])
    email = forms.EmailField(label="Moderator's e-mail address")
    voice = forms.CharField(label="Jo's voice (optional)", required=False)
    given = forms.CharField(
        label="Reason", error_messages={"required": "Enter the reason for it"}
    )


def test_every_field_is_named_from_its_label_when_left_empty() -> None:
    assert MixedForm({}).errors == {
        "title": ["Enter the title"],
        "attendees": ["Enter who attended"],
        "count": ["Enter the cases to draw"],
        "kind": ["Select the kind of help"],
        "email": ["Enter the moderator's e-mail address"],
        "given": ["Enter the reason for it"],  # a message given is kept
    }


def test_every_way_a_field_can_be_wrong_is_said_from_its_label() -> None:
    errors = MixedForm(
        {
            "title": "Too long",
            "attendees": "Sara",
            "count": "x",
            "kind": "z",
            "email": "nope",
            "voice": "fine",
            "given": "yes",
        }
    ).errors
    assert errors == {
        "title": ["Title must be 5 characters or fewer"],
        "count": ["Cases to draw must be a whole number, like 3"],
        "kind": ["Select one of the options given for the kind of help"],
        "email": [
            "Enter the moderator's e-mail address in the correct format, "
            "like name@example.org"
        ],
    }
    assert MixedForm({"count": "0"}).errors["count"] == [
        "Cases to draw must be 1 or more"
    ]
    assert MixedForm({"count": "51"}).errors["count"] == [
        "Cases to draw must be 50 or less"
    ]


def test_a_date_with_a_part_missing_or_too_long_is_said_the_govuk_way() -> None:
    assert DatesForm(
        {"born_0": "1", "born_1": "", "born_2": "2015", "held_on": "2026-11-20"}
    ).errors == {"born": ["Date of birth must include a day, month and year"]}
    assert DatesForm(
        {"born_0": "123", "born_1": "1", "born_2": "20155", "held_on": "2026-11-20"}
    ).errors == {"born": ["Date of birth must be a real date"]}
