"""The questions of the Family Connect journey, one Django form per page.

Field-level checks live here so each page can show its own GOV.UK errors; the
whole form is then checked once more by ``validation.submission_validate``, the
same check the API and bulk upload use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.codes import LEVEL_OF_NEED_HELP, Ethnicity, LevelOfNeed, Relationship, Sex
from core.forms import DateField, GovukFormMixin
from core.templatetags.phones import tel
from core.uploads import MAX_BYTES
from families.query import MAX_LENGTH, SearchQuery, parse_query
from family_connect.models import FormStatus, Reason, RequestType, Route, Send
from family_connect.selectors import FormFilters
from family_connect.validation import MSG_CONSENT, MSG_DOB_FUTURE, MSG_POSTCODE
from localities.postcodes import postcode_normalise

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StepForm(GovukFormMixin, forms.Form):
    """A page of the journey. ``context`` carries the route and earlier answers."""

    def __init__(
        self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        self.context = context or {}
        super().__init__(*args, **kwargs)

    @classmethod
    def asked(cls, route: str) -> list[str]:
        """The fields this page asks on a route (without building the form)."""
        return list(cls.base_fields)

    @property
    def journey_route(self) -> str:
        return str(self.context.get("route", Route.FAMILY))


class RouteForm(StepForm):
    route = forms.ChoiceField(
        label=_("How did this request reach you?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the request reached you")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = self.context.get("routes", [])
        field = self.fields["route"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, Route(r).label) for r in allowed]


class SafeguardingForm(StepForm):
    safeguarding_concern = forms.ChoiceField(
        label=_("Do you think a child may be at risk of significant harm?"),
        help_text=_(
            "For example, a child has been hurt, or someone is hurting or "
            "neglecting them."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if a child may be at risk of significant harm")
        },
    )


class FrontDoorForm(StepForm):
    front_door_contacted = forms.BooleanField(
        label=_("I have contacted the children's advice and support service"),
        error_messages={
            "required": _(
                "Confirm that you have contacted the children's advice and support "
                "service"
            )
        },
    )


class RequestTypeForm(StepForm):
    request_type = forms.ChoiceField(
        label=_("What are you asking for?"),
        choices=RequestType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select support or advice")},
    )


class ConsentForm(StepForm):
    # Who agreed is asked under "Yes" (a partner's or a call's form; a family
    # gives its own consent).
    reveals = {"consent": {"yes": ["consent_given_by"]}}

    consent = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if the family agrees")},
    )
    consent_given_by = forms.CharField(
        label=_("Who in the family agreed?"),
        help_text=_("Their name and how they are related to the child."),
        max_length=200,
        required=False,
    )

    @classmethod
    def asked(cls, route: str) -> list[str]:
        # A family gives its own consent: nobody else to name.
        return ["consent"] if route == Route.FAMILY else list(cls.base_fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.journey_route == Route.FAMILY:
            self.fields["consent"].label = _(
                "Do you agree to us sharing what you tell us with the services that "
                "can help your family?"
            )
            self.fields["consent"].help_text = _(
                "We share it only with people who need it to help you, such as your "
                "child's school, health visitor or an early help worker."
            )
            del self.fields["consent_given_by"]
        else:
            self.fields["consent"].label = _(
                "Does the family agree to this request and to information about them "
                "being shared?"
            )
            # Blank only when the family did not agree (a consultation); needed
            # with a yes, so it is not labelled optional.
            self.fields["consent_given_by"].needed_to_submit = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        request_type = self.context.get("request_type", RequestType.SUPPORT)
        if data.get("consent") == "no" and request_type == RequestType.SUPPORT:
            self.add_error("consent", MSG_CONSENT)
        if (
            data.get("consent") == "yes"
            and "consent_given_by" in self.fields
            and not data.get("consent_given_by")
        ):
            self.add_error("consent_given_by", _("Enter who in the family agreed"))
        return data


class ContactForm(StepForm):
    contact_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={"required": _("Enter your full name")},
    )
    contact_phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False
    )
    contact_email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={
            "invalid": _(
                "Enter an email address in the correct format, like name@example.com"
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.journey_route == Route.PHONE:
            self.fields["contact_name"].label = _("Caller's full name")
            self.fields["contact_name"].error_messages["required"] = _(
                "Enter the caller's full name"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("contact_phone")
            and not data.get("contact_email")
            and not self.errors
        ):
            self.add_error(
                "contact_phone", _("Enter a phone number or an email address")
            )
        return data


class StepDownForm(StepForm):
    closed_to_social_care_on = DateField(
        label=_("Date the child's social care involvement closed"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date social care involvement closed")},
    )

    def clean_closed_to_social_care_on(self) -> dt.date:
        value = self.cleaned_data["closed_to_social_care_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("The date social care closed must be today or in the past")
            )
        return value


class AddressForm(StepForm):
    address_line = forms.CharField(
        label=_("Address"),
        help_text=_("House number and street"),
        max_length=200,
        required=False,
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        error_messages={"required": _("Enter the postcode")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "postal-code",
            }
        )
        self.fields["address_line"].widget.attrs.update(
            {"autocomplete": "address-line1"}
        )

    def clean_postcode(self) -> str:
        normalised = postcode_normalise(self.cleaned_data["postcode"])
        if normalised is None:
            raise forms.ValidationError(MSG_POSTCODE)
        return normalised


def grouped_choices(choices: list[tuple[str, Any]]) -> list[tuple[Any, Any]]:
    """Labels like "Group: option" become option groups under "Group", so a long
    list (the 19 ethnic groups) reads as a few short ones on a phone."""
    grouped: list[tuple[Any, Any]] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in choices:
        group, colon, option = str(label).partition(": ")
        if not colon or not code:
            grouped.append((code, label))
            continue
        if group not in groups:
            groups[group] = []
            grouped.append((group, groups[group]))
        groups[group].append((code, option))
    return grouped


class ChildForm(StepForm):
    """A child, asked over three short pages (``CHILD_PARTS``); the whole form
    checks a child at once."""

    given_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter the child's first name")},
    )
    family_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter the child's last name")},
    )
    expected = forms.BooleanField(
        label=_("This is an unborn baby (enter the due date as the date of birth)"),
        required=False,
    )
    date_of_birth = DateField(
        label=_("Date of birth"),
        help_text=_("For example, 27 3 2016"),
        error_messages={"required": _("Enter the child's date of birth")},
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the child's sex")},
    )
    gender_identity = forms.CharField(
        label=_("Gender identity, if different from sex"),
        max_length=100,
        required=False,
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group"),
        choices=[("", _("Select an ethnic group")), *Ethnicity.choices],
        error_messages={"required": _("Select the child's ethnic group")},
    )
    school = forms.CharField(
        label=_("School, nursery or college"), max_length=200, required=False
    )
    send = forms.ChoiceField(
        label=_(
            "Does the child have special educational needs or a disability (SEND)?"
        ),
        choices=Send.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    young_carer = forms.ChoiceField(
        label=_("Does the child look after someone in the family (a young carer)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, part: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if part is not None:
            asked = CHILD_PARTS[part]
            for name in list(self.fields):
                if name not in asked:
                    del self.fields[name]
        if "ethnicity" in self.fields:
            ethnicity = self.fields["ethnicity"]
            assert isinstance(ethnicity, forms.ChoiceField)
            ethnicity.choices = grouped_choices(
                [("", _("Select an ethnic group")), *Ethnicity.choices]
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dob = data.get("date_of_birth")
        if dob:
            today = timezone.localdate()
            if data.get("expected") and dob < today:
                self.add_error(
                    "date_of_birth", _("A baby's due date must be in the future")
                )
            elif not data.get("expected") and dob > today:
                self.add_error("date_of_birth", MSG_DOB_FUTURE)
        return data


# The pages a child is asked on, in order: the first has no name in its address.
CHILD_PARTS: dict[str, list[str]] = {
    "": ["given_name", "family_name", "expected", "date_of_birth"],
    "about": ["sex", "gender_identity", "ethnicity"],
    "school": ["school", "send", "young_carer"],
}


def child_part_missing(child: dict[str, Any]) -> str | None:
    """The first page of a child not yet answered, or None."""
    for part, names in CHILD_PARTS.items():
        if not all(name in child for name in names):
            return part
    return None


class AdultForm(StepForm):
    given_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter the adult's first name")},
    )
    family_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter the adult's last name")},
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the child"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the adult is related to the child")},
    )
    date_of_birth = DateField(
        label=_("Date of birth"), help_text=_("For example, 19 1 1988"), required=False
    )

    def clean_date_of_birth(self) -> dt.date | None:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(MSG_DOB_FUTURE)
        return value


class AddAnotherForm(StepForm):
    add_another = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes or no")},
    )


class LanguageForm(StepForm):
    language = forms.CharField(
        label=_("What is the family's main language?"),
        max_length=100,
        error_messages={"required": _("Enter the family's main language")},
    )
    interpreter_needed = forms.ChoiceField(
        label=_("Does the family need an interpreter?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if the family needs an interpreter")},
    )


class CommunicationForm(StepForm):
    communication_needs = forms.CharField(
        label=_("Does anyone in the family have communication or accessibility needs?"),
        help_text=_(
            "For example, large print, British Sign Language or step-free access."
        ),
        widget=forms.Textarea({"rows": 4}),
        max_length=5000,
        required=False,
    )


class ReasonsForm(StepForm):
    reasons = forms.MultipleChoiceField(
        label=_("What does the family need help with?"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one reason for asking for help")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reasons"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (r.code, gettext(r.label)) for r in Reason.objects.filter(active=True)
        ]


class NeedForm(StepForm):
    level_of_need = forms.ChoiceField(
        label=_("How much help do you think the family needs?"),
        choices=LevelOfNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how much help the family needs")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_hints: dict[Any, Any] = dict(LEVEL_OF_NEED_HELP)
        if self.journey_route == Route.FAMILY:
            # A parent is asked in their own words; the team reads the same
            # levels of need from the answer.
            field = self.fields["level_of_need"]
            assert isinstance(field, forms.ChoiceField)
            field.label = _("How much help does your family need at the moment?")
            field.error_messages["required"] = _(
                "Select how much help your family needs"
            )
            field.choices = FAMILY_NEED_WORDS
            self.choice_hints = {
                **FAMILY_NEED_HINTS,
                # 999 as a number a phone dials when tapped.
                LevelOfNeed.COMPLEX_SIGNIFICANT: format_html(
                    gettext(
                        "Things are very hard, or you are worried someone may get "
                        "hurt. If a child is in danger, call {emergency}."
                    ),
                    emergency=tel("999"),
                ),
            }


# The levels of need as a parent would put them (same codes, same order).
FAMILY_NEED_WORDS = [
    (LevelOfNeed.UNIVERSAL, _("Some advice or information")),
    (LevelOfNeed.UNIVERSAL_PLUS, _("A bit of extra help with one thing")),
    (LevelOfNeed.ADDITIONAL, _("Help with several things")),
    (LevelOfNeed.COMPLEX_SIGNIFICANT, _("A lot of help, straight away")),
]
FAMILY_NEED_HINTS: dict[Any, Any] = {
    LevelOfNeed.UNIVERSAL: _(
        "For example, where to find a parenting course or help with money."
    ),
    LevelOfNeed.UNIVERSAL_PLUS: _(
        "For example, support from a family support worker or a community group."
    ),
    LevelOfNeed.ADDITIONAL: _(
        "More than one service working with your family, such as school, health "
        "and housing together."
    ),
}


class FamilyWordsForm(StepForm):
    family_words = forms.CharField(
        label=_("What would help the family?"),
        help_text=_("In the family's own words, if you can."),
        widget=forms.Textarea({"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Tell us what would help")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.journey_route == Route.FAMILY:
            self.fields["family_words"].label = _("What would help your family?")
            self.fields["family_words"].help_text = _("Tell us in your own words.")


class ChildVoiceForm(StepForm):
    child_voice = forms.CharField(
        label=_("What do the children say about things at home?"),
        help_text=_("The child's own words, if they can tell you."),
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
        required=False,
    )


class WorkingWellForm(StepForm):
    working_well = forms.CharField(
        label=_("What is working well for the family?"),
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
        required=False,
    )


class SubmitForm(GovukFormMixin, forms.Form):
    """The check-your-answers button, with a honeypot field people never see."""

    website = forms.CharField(required=False, label=_("Leave this blank"))


class UploadForm(GovukFormMixin, forms.Form):
    """A CSV list of families (``family_connect.bulk``)."""

    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Use the template's columns. At most 500 rows and 2 MB.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        return upload.read()


class FormListFilterForm(GovukFormMixin, forms.Form):
    """The filters above the forms list: a search box (a name, a postcode or a
    reference), a status and a locality. Read from the query string, so the
    list filters without JavaScript and a filtered page can be bookmarked."""

    q = forms.CharField(
        label=_("Name, postcode or reference"),
        required=False,
        max_length=MAX_LENGTH,
        error_messages={"max_length": f"Enter no more than {MAX_LENGTH} characters"},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *FormStatus.choices],
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    locality = forms.ChoiceField(
        label=_("Locality"),
        required=False,
        error_messages={"invalid_choice": _("Choose a locality from the list")},
    )

    def __init__(
        self,
        *args: Any,
        localities: list[tuple[str, str]],
        details_limited: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = (
            _(
                "A child's name, a postcode or a reference like FC-7K3M-Q9TD. "
                "Names and postcodes find only the forms you sent or keyed in; "
                "find a colleague's form by its reference."
            )
            if details_limited
            else _("A child's name, a postcode or a reference like FC-7K3M-Q9TD")
        )
        for field in self.fields.values():
            field.narrows = True  # type: ignore[attr-defined]
        locality = self.fields["locality"]
        assert isinstance(locality, forms.ChoiceField)
        locality.choices = [("", _("Any locality")), *localities]

    def clean_q(self) -> SearchQuery | None:
        typed = self.cleaned_data.get("q") or ""
        if not typed.strip():
            return None
        query = parse_query(typed)
        if query.errors:
            raise forms.ValidationError(list(query.errors))
        return query

    def filters(self) -> FormFilters:
        """The filters to apply: those given and valid (a field in error is
        left out, and its message shown)."""
        if not self.is_bound:
            return FormFilters()
        self.is_valid()  # cleans once; ``cleaned_data`` keeps the valid fields
        data = self.cleaned_data
        return FormFilters(
            query=data.get("q"),
            status=data.get("status") or "",
            locality=data.get("locality") or "",
        )

    def described(self) -> list[str]:
        """The filters applied, in words, for "No forms match …"."""
        filters = self.filters()
        words = []
        if filters.query is not None:
            words.append(f"‘{filters.query.text}’")
        if filters.status:
            words.append(
                gettext("status ‘%(status)s’")
                % {"status": FormStatus(filters.status).label}
            )
        if filters.locality:
            choices = dict(self.fields["locality"].choices)  # type: ignore[attr-defined]
            name = choices[filters.locality]
            words.append(gettext("locality ‘%(name)s’") % {"name": name})
        return words
