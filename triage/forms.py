"""The triage decision form, closing a decided form, and the community services
directory's form."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukFormMixin, needed_for
from family_connect.models import FormStatus
from localities.models import CommunityService, Locality
from triage.services.allocation import TRANSFER_FIRST

OUTCOME_CHOICES = [
    (FormStatus.ALLOCATED, "Allocate to a lead practitioner"),
    (FormStatus.SIGNPOSTED, "Signpost to a community service"),
    (FormStatus.CONSULTATION_GIVEN, "Consultation given"),
    (FormStatus.STEPPED_UP, "Step up to children's social care"),
    (FormStatus.NO_FURTHER_ACTION, "No further action"),
    ("transferred", "Transfer to another locality"),
    (FormStatus.DUPLICATE, "Duplicate of another form"),
    (FormStatus.WITHDRAWN, "Withdrawn"),
]


def _version_field() -> forms.CharField:
    # The version of the form the page showed; the page writes it from the record
    # it shows, so a page re-shown after a refusal carries the current one.
    # No length rule: a tampered value is simply not the form's version (Stale).
    return forms.CharField(widget=forms.HiddenInput, required=False)


# What each decision needs besides the reason: the field, and what to say
# when it is left empty.
NEEDED = {
    FormStatus.ALLOCATED: ("lead_practitioner", "Select the lead practitioner"),
    FormStatus.SIGNPOSTED: ("community_service", "Select the community service"),
    "transferred": ("to_locality", "Select the locality to transfer the form to"),
    FormStatus.DUPLICATE: (
        "duplicate_of",
        "Enter the reference of the form it duplicates",
    ),
}


# Where each follow-up is asked: under the decision that needs it.
REVEALS = {"outcome": {str(outcome): [field] for outcome, (field, _) in NEEDED.items()}}


class OutcomeField(forms.ChoiceField):
    """The decision: a decision the form cannot take now (allocating a form
    whose locality is not known) is not offered, and if sent all the same it is
    refused with the reason (``unavailable``), not as an unknown choice."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unavailable: dict[str, str] = {}

    def validate(self, value: Any) -> None:
        if value in self.unavailable:
            raise forms.ValidationError(self.unavailable[value], code="unavailable")
        super().validate(value)


def _needed_for_outcome(form: forms.Form, outcome: str | None) -> None:
    """Every field the chosen decision needs, each said at once with the rest."""
    field, message = NEEDED.get(outcome or "", ("", ""))
    missing = field in form.fields and not form.cleaned_data.get(field)
    if missing and field not in form.errors:
        form.add_error(field, message)


def _duplicate_field() -> forms.CharField:
    return needed_for(
        forms.CharField(
            label="Reference of the original form",
            max_length=12,
            required=False,
            widget=forms.TextInput(
                {"class": "govuk-input--width-10", "spellcheck": "false"}
            ),
            error_messages={
                "max_length": "The reference must be 12 characters or fewer, "
                "like FC-7K3M-Q9TD"
            },
        ),
        "if it is a duplicate",
    )


class DecisionForm(GovukFormMixin, forms.Form):
    reveals = REVEALS

    outcome = OutcomeField(
        label="What have you decided?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a decision",
            "invalid_choice": "Select one of the decisions listed",
        },
    )
    lead_practitioner = needed_for(
        forms.TypedChoiceField(
            label="Lead practitioner",
            help_text="Most headroom first: capacity less the families they lead now.",
            required=False,
            coerce=int,
            empty_value=None,
            error_messages={
                "invalid_choice": "Select a lead practitioner from the list",
            },
        ),
        "if allocating",
    )
    community_service = needed_for(
        forms.ModelChoiceField(
            label="Community service",
            queryset=CommunityService.objects.none(),
            required=False,
            empty_label="Choose a service",
            error_messages={
                "invalid_choice": "Select a service from the locality's directory",
            },
        ),
        "if signposting",
    )
    to_locality = needed_for(
        forms.ModelChoiceField(
            label="Locality to transfer the form to",
            queryset=Locality.objects.all(),
            to_field_name="slug",
            required=False,
            empty_label="Choose a locality",
            error_messages={
                "invalid_choice": "Select another locality from the list",
            },
        ),
        "if transferring",
    )
    duplicate_of = _duplicate_field()
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea({"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Enter the reason for the decision",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
    version = _version_field()

    def __init__(
        self,
        *args: Any,
        practitioners: list[Any],
        locality: Locality | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if locality is None:
            # Allocation opens a case in the form's locality: an unresolved
            # form is transferred first. The page says so where it would offer
            # the allocation.
            outcome = self.fields["outcome"]
            assert isinstance(outcome, OutcomeField)
            outcome.choices = [
                (code, label)
                for code, label in OUTCOME_CHOICES
                if code != FormStatus.ALLOCATED
            ]
            outcome.unavailable = {FormStatus.ALLOCATED: TRANSFER_FIRST}
            outcome.help_text = TRANSFER_FIRST
            del self.fields["lead_practitioner"]
        else:
            lead = self.fields["lead_practitioner"]
            assert isinstance(lead, forms.ChoiceField)
            lead.choices = [("", "Choose a practitioner")] + [
                (
                    p.pk,
                    f"{p.display_name}: {p.caseload} of {p.capacity} families "
                    f"({p.headroom} free)",
                )
                for p in practitioners
            ]
        service = self.fields["community_service"]
        assert isinstance(service, forms.ModelChoiceField)
        services = CommunityService.objects.filter(active=True)
        service.queryset = (
            services.filter(locality__in=[locality]) | services.filter(locality=None)
            if locality is not None
            else services.filter(locality=None)
        )
        target = self.fields["to_locality"]
        assert isinstance(target, forms.ModelChoiceField)
        if locality is not None:
            target.queryset = Locality.objects.exclude(pk=locality.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _needed_for_outcome(self, data.get("outcome"))
        return data


class CloseDecidedForm(GovukFormMixin, forms.Form):
    """Close a decided form as withdrawn or a duplicate (its own action)."""

    reveals = {"outcome": {str(FormStatus.DUPLICATE): ["duplicate_of"]}}

    outcome = forms.ChoiceField(
        label="Close this form",
        choices=[
            (
                FormStatus.WITHDRAWN,
                "Withdrawn: the family no longer wants help, or it was sent in error",
            ),
            (FormStatus.DUPLICATE, "Duplicate of another form"),
        ],
        widget=forms.RadioSelect,
        help_text="The decision stays on record. A step-up's referrals to "
        "children's social care are removed.",
        error_messages={
            "required": "Select how to close the form",
            "invalid_choice": "Select withdrawn or duplicate",
        },
    )
    duplicate_of = _duplicate_field()
    reason = forms.CharField(
        label="Why are you closing it?",
        widget=forms.Textarea({"rows": 3}),
        max_length=5000,
        error_messages={
            "required": "Enter the reason for closing the form",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
    version = _version_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _needed_for_outcome(self, data.get("outcome"))
        return data


class CommunityServiceForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the service's name"},
    )
    category = forms.CharField(
        label="Kind of help",
        help_text="For example, food, debt advice, parenting",
        max_length=100,
        error_messages={"required": "Enter what kind of help it gives"},
    )
    contact = forms.CharField(
        label="How families contact it",
        help_text="Phone, e-mail or address",
        max_length=300,
        error_messages={"required": "Enter how families contact it"},
    )
