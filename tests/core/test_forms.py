"""The GOV.UK form mixin: a service's refusal shown on the form."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from core.errors import InvalidInput
from core.forms import DateField, GovukFormMixin, MonthField, months_back
from core.periods import Month
from core.templatetags.govuk import govuk_anchor


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
    due_on = DateField(label="Due date")


def _dates(born: tuple[str, str, str], due: tuple[str, str, str]) -> dict[str, str]:
    data = {f"born_{i}": part for i, part in enumerate(born)}
    return data | {f"due_on_{i}": part for i, part in enumerate(due)}


def test_the_govuk_date_input_reads_day_month_and_year() -> None:
    form = DatesForm(_dates(("27", "3", "2015"), (" 18", "12 ", "2026")))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "born": dt.date(2015, 3, 27),
        "due_on": dt.date(2026, 12, 18),
    }


def test_dates_are_refused_in_govuk_words() -> None:
    assert DatesForm(_dates(("31", "2", "2015"), ("", "", ""))).errors == {
        "born": ["Date of birth must be a real date"],
        "due_on": ["Enter the due date"],
    }
    for born in (("1", "1", "1899"), ("1", "13", "2015"), ("x", "1", "2015")):
        assert DatesForm(_dates(born, ("1", "1", "2027"))).errors == {
            "born": ["Date of birth must be a real date"]
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
    due = ("18", "12", "2026")
    for born, message in (
        (("1", "", "2015"), "Date of birth must include a month"),
        (("", "", "2015"), "Date of birth must include a day and month"),
        (("1", "", ""), "Date of birth must include a month and year"),
        (("", "3", ""), "Date of birth must include a day and year"),
        (("123", "1", "20155"), "Date of birth must be a real date"),
    ):
        assert DatesForm(_dates(born, due)).errors == {"born": [message]}


BOXES = re.compile(r'<input[^>]*name="(born_\d)"[^>]*>')


def _boxes_in_error(form: DatesForm) -> list[str]:
    html = str(form["born"])
    return [
        name
        for tag, name in ((m.group(0), m.group(1)) for m in BOXES.finditer(html))
        if "govuk-input--error" in tag
    ]


def test_only_the_boxes_in_error_are_marked_and_the_summary_links_the_first() -> None:
    due = ("18", "12", "2026")
    for born, marked in (
        (("1", "", "2015"), ["born_1"]),
        (("", "3", ""), ["born_0", "born_2"]),
        (("1", "13", "2015"), ["born_1"]),
        (("1", "1", "99"), ["born_2"]),
        (("31", "2", "2015"), ["born_0"]),
        (("", "", ""), ["born_0", "born_1", "born_2"]),
    ):
        form = DatesForm(_dates(born, due))
        assert not form.is_valid()
        assert _boxes_in_error(form) == marked, born
        assert govuk_anchor(form["born"]) == f"id_{marked[0]}"
    form = DatesForm(_dates(("1", "1", "2015"), due))
    assert form.is_valid()
    assert _boxes_in_error(form) == [] and govuk_anchor(form["born"]) == "id_born_0"


def test_a_services_refusal_of_a_date_marks_every_box() -> None:
    form = DatesForm(_dates(("1", "1", "2015"), ("1", "1", "2020")))
    assert form.is_valid()
    form.add_domain_error(
        InvalidInput("The due date must be today or in the future", field="due_on")
    )
    assert govuk_anchor(form["due_on"]) == "id_due_on_0"


class MonthsForm(GovukFormMixin, forms.Form):
    month = MonthField(label="Month")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["month"]
        assert isinstance(field, MonthField)
        field.months = months_back(Month(2026, 11), 3, also=Month(2020, 1))


def test_a_month_is_chosen_from_a_list_newest_first_and_sent_as_yyyy_mm() -> None:
    form = MonthsForm({"month": "2026-10"})
    assert form.is_valid()
    assert form.cleaned_data["month"] == Month(2026, 10)
    assert list(form.fields["month"].choices) == [  # type: ignore[attr-defined]
        ("2026-11", "November 2026"),
        ("2026-10", "October 2026"),
        ("2026-09", "September 2026"),
        ("2020-01", "January 2020"),
    ]
    assert MonthsForm({"month": "2026-08"}).errors == {
        "month": ["Select one of the options given for the month"]
    }
    assert MonthsForm({}).errors == {"month": ["Select the month"]}
