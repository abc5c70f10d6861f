"""The triage decision form, closing a decided form, and the community services
directory's form."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukFormMixin
from family_connect.models import FormStatus
from localities.models import CommunityService, Locality

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


class DecisionForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="What have you decided?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    lead_practitioner = forms.TypedChoiceField(
        label="Lead practitioner (allocation)",
        help_text="Most headroom first: capacity less the families they lead now.",
        required=False,
        coerce=int,
        empty_value=None,
    )
    community_service = forms.ModelChoiceField(
        label="Community service (signposting)",
        queryset=CommunityService.objects.none(),
        required=False,
        empty_label="Choose a service",
    )
    to_locality = forms.ModelChoiceField(
        label="Transfer to (transfer)",
        queryset=Locality.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Choose a locality",
    )
    duplicate_of = forms.CharField(
        label="Reference of the original form (duplicate)",
        max_length=12,
        required=False,
        widget=forms.TextInput(
            {"class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea({"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the reason for the decision"},
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


class CloseDecidedForm(GovukFormMixin, forms.Form):
    """Close a decided form as withdrawn or a duplicate (its own action)."""

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
        error_messages={"required": "Select how to close the form"},
    )
    duplicate_of = DecisionForm.base_fields["duplicate_of"]
    reason = forms.CharField(
        label="Why are you closing it?",
        widget=forms.Textarea({"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter the reason for closing the form"},
    )
    version = _version_field()


class CommunityServiceForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    category = forms.CharField(
        label="Kind of help",
        help_text="For example, food, debt advice, parenting",
        max_length=100,
    )
    contact = forms.CharField(
        label="How families contact it",
        help_text="Phone, e-mail or address",
        max_length=300,
    )
