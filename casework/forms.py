"""Casework forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import dateformat

from casework.models import (
    Answer,
    Assessment,
    CaseContact,
    CaseNote,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    ConsentWithdrawal,
    ContactKind,
    DocumentType,
    PersonConsent,
    PlanAction,
    WheelDomain,
)
from casework.selectors.plan import plan_community_services
from casework.services.assessment import AssessmentInput
from casework.services.cases import note_amendment_problems
from casework.services.closure import OPEN_ACTIONS_UNCHECKED, ClosureInput
from casework.services.consent import (
    consent_problems,
    override_problems,
    withdrawal_problems,
)
from casework.services.contacts import ContactInput, contact_problems
from casework.services.people import PersonInput
from casework.services.plan import due_date_problem
from casework.services.reviews import ReviewInput, review_date_problems
from casework.wording import SCALING_MISSING, domain_missing, person_missing
from core.codes import Ethnicity, MemberRole, Relationship, Sex
from core.forms import DateField, GovukFormMixin, needed_for
from core.uploads import MAX_BYTES
from families.models import Person


def _choices(low: int, high: int) -> list[tuple[str, str]]:
    return [("", "Not scored")] + [(str(n), str(n)) for n in range(low, high + 1)]


def _score_field(
    label: str, *, required: bool, missing: str, needed: bool = False
) -> forms.TypedChoiceField:
    """A 1–10 score chosen from a list (wheel domains and people). ``missing``
    says what to select when it is left empty; ``needed`` marks a score that
    may be left empty while saving but is needed to finish."""
    field = forms.TypedChoiceField(
        label=label,
        choices=_choices(1, 10),
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={
            "required": missing,
            "invalid_choice": f"{missing}, from 1 to 10",
        },
    )
    field.needed_to_submit = needed  # type: ignore[attr-defined]
    return field


def _scaling_field(**kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Scaling: how close are things to being good enough to close?",
        help_text="0 is as bad as it could be; 10 is good enough to close.",
        choices=_choices(0, 10),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": SCALING_MISSING,
            "invalid_choice": "Select the family's scaling score, from 0 to 10",
        },
        **kwargs,
    )


_STORY = ("worries", "working_well", "needs_to_happen", "family_voice", "scaling")


class AssessmentForm(GovukFormMixin, forms.Form):
    """The assessment page: the questions, the wheel, and one score per person
    (and a voice per child), built for the household."""

    # Blank is allowed while saving as you go; the service says what is
    # missing, every gap at once, when the assessment is completed. A field
    # needed to complete it is not labelled optional.
    worries = forms.CharField(
        label="What we are worried about",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        max_length=10000,
    )
    working_well = forms.CharField(
        label="What is working well",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        max_length=10000,
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        max_length=10000,
    )
    family_voice = forms.CharField(
        label="The family's voice",
        widget=forms.Textarea({"rows": 4}),
        required=False,
        max_length=10000,
    )
    scaling = _scaling_field(required=False)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for name in ("worries", "working_well", "needs_to_happen", "scaling"):
            self.fields[name].needed_to_submit = True  # type: ignore[attr-defined]
        for domain in WheelDomain:
            self.fields[domain.value] = _score_field(
                f"Family wheel: {domain.label}",
                required=False,
                missing=domain_missing(domain),
                needed=True,
            )
        for person in people:
            self.fields[f"person_{person.pk}"] = _score_field(
                f"Overall score for {person.given_name} {person.family_name}",
                required=False,
                missing=person_missing(person.given_name),
                needed=True,
            )
            if person.role == "child":
                self.fields[f"voice_{person.pk}"] = forms.CharField(
                    label=f"{person.given_name}'s voice",
                    widget=forms.Textarea({"rows": 3}),
                    required=False,
                    max_length=10000,
                )
        self.govuk_classes()

    def answer_sections(self) -> list[dict[str, Any]]:
        """The assessment as the page shows it once it cannot be changed: its
        sections, each a summary list."""
        return [
            {
                "title": title,
                "rows": self.answers(
                    [n for n in self.fields if belongs(n)], empty="Not given"
                ),
            }
            for title, belongs in (
                ("The family's story", lambda n: n in _STORY),
                ("Family wheel (1 to 10)", lambda n: n in WheelDomain.values),
                (
                    "Each person (1 to 10)",
                    lambda n: n.startswith(("person_", "voice_")),
                ),
            )
        ]

    @staticmethod
    def initial_from(assessment: Assessment | None) -> dict[str, Any]:
        if assessment is None:
            return {}
        initial: dict[str, Any] = {
            name: getattr(assessment, name)
            for name in (
                "worries",
                "working_well",
                "needs_to_happen",
                "family_voice",
                "scaling",
            )
        }
        for domain in WheelDomain.values:
            initial[domain] = getattr(assessment, domain)
        for row in assessment.people.all():
            initial[f"person_{row.person_id}"] = row.score
            initial[f"voice_{row.person_id}"] = row.voice
        return initial

    def to_input(self) -> AssessmentInput:
        d = self.cleaned_data
        return AssessmentInput(
            worries=d["worries"],
            working_well=d["working_well"],
            needs_to_happen=d["needs_to_happen"],
            family_voice=d["family_voice"],
            scaling=d["scaling"],
            wheel={domain: d[domain] for domain in WheelDomain.values},
            person_scores={p.pk: d[f"person_{p.pk}"] for p in self.people},
            child_voices={
                p.pk: d.get(f"voice_{p.pk}", "")
                for p in self.people
                if p.role == "child"
            },
        )


class ClosureForm(GovukFormMixin, forms.Form):
    """Closing a case: reason, wheel and everyone's scores at closure, each
    child's happy / healthy / safe, and the family's feedback."""

    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a reason for closing the case",
            "invalid_choice": "Select a reason for closing the case from the list",
        },
    )
    feedback_score = forms.TypedChoiceField(
        label="Family feedback: how helpful was early help? (1 to 5)",
        choices=_choices(1, 5),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": "Select how helpful the family found early help, "
            "from 1 to 5"
        },
    )
    feedback_comment = forms.CharField(
        label="What the family said",
        widget=forms.Textarea({"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(
        self,
        *args: Any,
        people: list[Person],
        open_actions: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        # The scores are needed when the case closes with outcomes met (the
        # page says so above them); the service says which are missing.
        for domain in WheelDomain:
            self.fields[domain.value] = _score_field(
                f"Family wheel at closure: {domain.label}",
                required=False,
                missing=domain_missing(domain, at_closure=True),
                needed=True,
            )
        answers = [("", "Choose")] + list(Answer.choices)
        for person in people:
            self.fields[f"person_{person.pk}"] = _score_field(
                f"Overall score at closure for {person.given_name}",
                required=False,
                missing=person_missing(person.given_name, at_closure=True),
                needed=True,
            )
            if person.role == "child":
                for question in ("happy", "healthy", "safe"):
                    self.fields[f"{question}_{person.pk}"] = forms.ChoiceField(
                        label=f"Does {person.given_name} feel {question}?",
                        choices=answers,
                        required=False,
                        error_messages={
                            "invalid_choice": f"Select whether {person.given_name} "
                            f"feels {question}: yes, no or not asked"
                        },
                    )
        if open_actions:
            # A warning, not a bar: the practitioner may close all the same,
            # once they say they have looked.
            self.fields["open_actions_checked"] = forms.BooleanField(
                label="I have checked the open actions in the plan",
                required=True,
                error_messages={"required": OPEN_ACTIONS_UNCHECKED},
            )
        # The page asks for the family's feedback last: the error summary
        # follows the page.
        # The confirmation sits with the warning, at the top of the page.
        self.order_fields(
            ["open_actions_checked", "reason"]
            + [
                n
                for n in self.fields
                if not n.startswith("feedback_")
                and n not in ("open_actions_checked", "reason")
            ]
            + ["feedback_score", "feedback_comment"]
        )
        self.govuk_classes()

    def to_input(self) -> ClosureInput:
        d = self.cleaned_data
        return ClosureInput(
            reason=d["reason"],
            wheel={domain: d[domain] for domain in WheelDomain.values},
            person_scores={p.pk: d[f"person_{p.pk}"] for p in self.people},
            children={
                p.pk: {
                    q: d[f"{q}_{p.pk}"] or Answer.NOT_ASKED
                    for q in ("happy", "healthy", "safe")
                }
                for p in self.people
                if p.role == "child"
            },
            feedback_score=d["feedback_score"],
            feedback_comment=d["feedback_comment"],
            open_actions_checked=bool(d.get("open_actions_checked")),
        )


class OutcomeForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Outcome, in the family's words",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={
            "required": "Enter the outcome, in the family's words",
            "max_length": "The outcome must be 2,000 characters or fewer",
        },
    )
    domain = forms.ChoiceField(
        label="Part of the family wheel",
        choices=[("", "Choose")] + list(WheelDomain.choices),
        error_messages={
            "required": "Select the part of the family wheel it is about",
            "invalid_choice": "Select the part of the family wheel from the list",
        },
    )


class ActionBaseForm(GovukFormMixin, forms.Form):
    """An action's what, who, by when and whether a community resource
    delivers it: adding one and correcting one ask the same. A due date set
    here must be today or later (``due_date_problem``, the services' rule),
    said with every other problem at once."""

    what = forms.CharField(
        label="What will be done",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={
            "required": "Enter what will be done",
            "max_length": "What will be done must be 2,000 characters or fewer",
        },
    )
    owner = forms.ChoiceField(
        label="Who will do it",
        error_messages={
            "required": "Select who will do it: a member of the team or the family",
            "invalid_choice": "Select who will do it: a member of the team or "
            "the family",
        },
    )
    due_on = DateField(
        label="Due date",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the due date"},
    )
    community = forms.BooleanField(
        label="A community resource will deliver this", required=False
    )

    # The due date the action has (None when adding one): it may be kept.
    due_before: Any = None

    def set_owners(self, owners: list[tuple[str, str]]) -> None:
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("family", "The family"), *owners]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due_on = data.get("due_on")
        if due_on is not None:
            problem = due_date_problem(before=self.due_before, after=due_on)
            if problem:
                self.add_error("due_on", problem)
        return data


class ActionForm(ActionBaseForm):
    """Adding an action towards one of the plan's outcomes."""

    outcome = forms.TypedChoiceField(
        label="Towards the outcome",
        coerce=int,
        error_messages={
            "required": "Select the outcome the action works towards",
            "invalid_choice": "Select an outcome of this plan",
        },
    )
    field_order = ["outcome", "what", "owner", "due_on", "community"]

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [(o.pk, o.text[:80]) for o in case.outcomes.all()]
        self.set_owners(
            [
                (str(m.user_id), m.user.display_name)
                for m in case.members.select_related("user")
            ]
        )


class ReviewForm(GovukFormMixin, forms.Form):
    held_on = DateField(
        label="Date of the review",
        help_text="For example, 20 11 2026",
        error_messages={"required": "Enter the date of the review"},
    )
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={"required": "Enter who attended the review"},
    )
    progress = forms.CharField(
        label="Progress made",
        widget=forms.Textarea({"rows": 4}),
        max_length=10000,
        error_messages={"required": "Enter the progress made since the plan began"},
    )
    plan_changes = forms.CharField(
        label="Changes to the plan",
        widget=forms.Textarea({"rows": 3}),
        max_length=10000,
        required=False,
    )
    scaling = _scaling_field()
    next_review_on = DateField(
        label="Date of the next review",
        help_text="Leave empty for the usual interval. For example, 15 1 2027",
        required=False,
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for domain in WheelDomain:
            self.fields[domain.value] = _score_field(
                f"Family wheel: {domain.label}",
                required=True,
                missing=domain_missing(domain),
            )
        for person in people:
            self.fields[f"person_{person.pk}"] = _score_field(
                f"Overall score for {person.given_name}",
                required=True,
                missing=person_missing(person.given_name),
            )
        self.govuk_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("held_on") is not None:
            # The service's rules for the dates, said with every other problem.
            for field, message in review_date_problems(
                held_on=data["held_on"], next_review_on=data.get("next_review_on")
            ):
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def to_input(self) -> ReviewInput:
        d = self.cleaned_data
        return ReviewInput(
            held_on=d["held_on"],
            attendees=d["attendees"],
            progress=d["progress"],
            plan_changes=d["plan_changes"],
            scaling=d["scaling"],
            wheel={domain: d[domain] for domain in WheelDomain.values},
            person_scores={p.pk: d[f"person_{p.pk}"] for p in self.people},
            next_review_on=d["next_review_on"],
        )


# --- Person records ----------------------------------------------------------------


def _optional(choices: Any) -> list[tuple[str, str]]:
    return [("", "Not known")] + list(choices)


class PersonForm(GovukFormMixin, forms.Form):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter their first name"},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter their last name"},
    )
    date_of_birth = DateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    expected = forms.BooleanField(
        label="Not born yet (the date is the due date)", required=False
    )
    sex = forms.ChoiceField(label="Sex", choices=_optional(Sex.choices), required=False)
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=_optional(Ethnicity.choices), required=False
    )
    relationship = forms.ChoiceField(
        label="Relationship to the children",
        choices=_optional(Relationship.choices),
        required=False,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {f: getattr(person, f) for f in PersonInput.__dataclass_fields__}
        )
        super().__init__(*args, **kwargs)
        if person.role == "child":
            del self.fields["relationship"]
        else:
            del self.fields["expected"]

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            given_name=d["given_name"],
            family_name=d["family_name"],
            date_of_birth=d.get("date_of_birth"),
            expected=bool(d.get("expected")),
            sex=d.get("sex") or "",
            ethnicity=d.get("ethnicity") or "",
            relationship=d.get("relationship") or "",
        )


class CasePersonNewForm(PersonForm):
    """Someone new on the case: a baby born since it opened, an adult who has
    moved in. They join the household too."""

    role = forms.ChoiceField(
        label="Are they a child or an adult?",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they are a child or an adult"},
    )
    field_order = ["role", "given_name", "family_name", "date_of_birth", "expected"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Both a child's and an adult's fields: the role is chosen here.
        GovukFormMixin.__init__(self, *args, **kwargs)
        self.fields["date_of_birth"].help_text = (
            "A child's is needed (for a baby not born yet, the due date). "
            "For example, 27 3 2015"
        )
        self.fields["relationship"].help_text = "For an adult"


class AddressForm(GovukFormMixin, forms.Form):
    address_line = forms.CharField(
        label="Address", max_length=200, required=False, help_text="House and street"
    )
    postcode = forms.CharField(label="Postcode", max_length=10)


class MoveForm(GovukFormMixin, forms.Form):
    case = forms.IntegerField(
        label="Case number of the household they now live in",
        help_text="A case you work on: they join that case's household.",
        min_value=1,
    )


class ReferralForm(GovukFormMixin, forms.Form):
    referred_on = DateField(
        label="Date of the referral", help_text="For example, 1 10 2026"
    )
    referred_time = forms.TimeField(
        label="Time",
        required=False,
        help_text="For example, 14:30. If you do not know it, we record midday.",
        widget=forms.TimeInput({"class": "govuk-input--width-5"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea({"rows": 3}),
        required=False,
        max_length=5000,
    )


class ReferralUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Use the template's columns. At most 500 rows and 2 MB.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        return bytes(upload.read())


# --- Corrections: plan outcomes and actions, chronology notes -------------------

SERVICE_CHOICE = "Choose a service from the directory for the family's area"


def _service_field(case: Any, current: Any = None) -> forms.TypedChoiceField:
    """A service of the community services directory for the case's area; an
    action keeps the one it names even if the directory no longer lists it."""
    services = [(s.pk, s.name) for s in plan_community_services(case)]
    if current is not None and current.pk not in dict(services):
        services.append((current.pk, f"{current.name} (no longer in the directory)"))
    return forms.TypedChoiceField(
        label="Service from the community services directory",
        help_text="Choosing one makes it a community action.",
        choices=[("", "None chosen"), *services],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": SERVICE_CHOICE},
    )


class ActionAddForm(ActionForm):
    """Adding an action, which may name a service of the directory."""

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["community_service"] = _service_field(case)
        self.govuk_classes()


class ActionEditForm(ActionBaseForm):
    """Correcting an action: what, who, by when, and whether a community
    resource delivers it. Prefilled with the action as it is."""

    def __init__(self, *args: Any, action: PlanAction, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "what": action.what,
                "owner": "family" if action.owner_is_family else str(action.owner_id),
                "due_on": action.due_on,
                "community": action.community,
                "community_service": action.community_service_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.action = action
        self.due_before = action.due_on
        self.fields["what"].widget.attrs["rows"] = 3
        self.fields["community_service"] = _service_field(
            action.case, action.community_service
        )
        self.govuk_classes()
        members = [
            (str(m.user_id), m.user.display_name)
            for m in action.case.members.select_related("user").order_by(
                "user__full_name"
            )
        ]
        # An owner since taken off the team may stay the owner.
        if action.owner is not None and str(action.owner_id) not in dict(members):
            members.append(
                (
                    str(action.owner_id),
                    f"{action.owner.display_name} (no longer on the team)",
                )
            )
        self.set_owners(members)


class NoteAmendForm(GovukFormMixin, forms.Form):
    """Amending a chronology note: the text as it should read and why."""

    text = forms.CharField(
        label="The note as it should read",
        widget=forms.Textarea({"rows": 5}),
        max_length=10000,
        error_messages={
            "required": "Enter the note as it should read",
            "max_length": "The note must be 10,000 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why are you amending it?",
        help_text="For example, the wrong date of the visit was written. "
        "The original stays on the record with your reason.",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={
            "required": "Enter why you are amending the note",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, note: CaseNote, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"text": note.text})
        super().__init__(*args, **kwargs)
        self.note = note

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = note_amendment_problems(
            current=self.note.text,
            text=data.get("text", ""),
            reason=data.get("reason", ""),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ContactForm(GovukFormMixin, forms.Form):
    """A professional around the family: who they are and how to reach them.
    Every problem is shown at once, in the service's words
    (``services.contacts.contact_problems``)."""

    kind = forms.ChoiceField(
        label="Who are they?",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who they are: GP, school, health visitor, social "
            "worker or other",
            "invalid_choice": "Select who they are: GP, school, health visitor, "
            "social worker or other",
        },
    )
    name = forms.CharField(
        label="Name",
        help_text="For example, Dr Priya Patel",
        max_length=200,
        error_messages={
            "required": "Enter the contact's name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    role = forms.CharField(
        label="Role",
        help_text="For example, designated safeguarding lead",
        max_length=200,
        required=False,
        error_messages={"max_length": "Their role must be 200 characters or fewer"},
    )
    organisation = forms.CharField(
        label="Organisation",
        help_text="For example, the surgery, school or team they work for",
        max_length=200,
        required=False,
        error_messages={
            "max_length": "The organisation must be 200 characters or fewer"
        },
    )
    phone = forms.CharField(
        label="Telephone number",
        help_text="A UK number, like 0121 496 0000 or 07700 900 982. Give a "
        "telephone number, an e-mail address, or both.",
        required=False,
        widget=forms.TextInput({"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label="E-mail address",
        required=False,
        widget=forms.TextInput(
            {"type": "email", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(
        self, *args: Any, contact: CaseContact | None = None, **kwargs: Any
    ) -> None:
        if contact is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(contact, name)
                    for name in ContactInput.__dataclass_fields__
                },
            )
        super().__init__(*args, **kwargs)
        # One of the two is needed: neither is labelled optional.
        for name in ("phone", "email"):
            self.fields[name].needed_to_submit = True  # type: ignore[attr-defined]
        self.fields["phone"].widget.attrs["class"] += " govuk-input--width-20"

    def to_input(self) -> ContactInput:
        d = self.cleaned_data
        return ContactInput(
            kind=d.get("kind") or "",
            name=d.get("name") or "",
            role=d.get("role") or "",
            organisation=d.get("organisation") or "",
            phone=d.get("phone") or "",
            email=d.get("email") or "",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = ContactInput(
            **{
                name: str(self.data.get(self.add_prefix(name), "") or "")
                for name in ContactInput.__dataclass_fields__
            }
        )
        for field, message in contact_problems(typed):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


# --- Documents on a case --------------------------------------------------------


class DocumentUploadForm(GovukFormMixin, forms.Form):
    """A document for the case: its title, its type, whether the partners on
    the team may see it, and the file. The file's size, type and safety are
    checked by the service (``case_document_upload``) before anything is kept."""

    title = forms.CharField(
        label="Title",
        help_text="For example, Consent to share information, signed by the mother",
        max_length=200,
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    document_type = forms.ChoiceField(
        label="Type of document",
        choices=DocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of document",
            "invalid_choice": "Select the type of document from the list",
        },
    )
    shared_with_partners = forms.TypedChoiceField(
        label="Can the partners on the team see it?",
        help_text="Partners are the team members from outside early help, such "
        "as a school or health visitor.",
        choices=[
            ("no", "No, only early help workers on the case"),
            ("yes", "Yes, share it with the partners on the team"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the partners on the team can see it",
            "invalid_choice": "Select whether the partners on the team can see it",
        },
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF, PNG, JPEG, Word (.docx) or text file, smaller than 20 MB.",
        error_messages={"required": "Select a file to upload"},
    )


# --- Consent ------------------------------------------------------------------


def _giver_field(label: str, missing: str) -> forms.ChoiceField:
    """Who gave or withdrew consent for the person (``ConsentGiver``)."""
    return forms.ChoiceField(
        label=label,
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


def _carer_name_field() -> forms.CharField:
    """The parent's or carer's name, needed when they gave or withdrew it."""
    return needed_for(
        forms.CharField(
            label="Name of the parent or carer",
            max_length=200,
            required=False,
            error_messages={"max_length": "The name must be 200 characters or fewer"},
        ),
        "if a parent or carer",
    )


GIVER_HINTS = {
    ConsentGiver.SELF: "An adult, for themself.",
    ConsentGiver.PARENT_CARER: "Always, for a child under 13.",
    ConsentGiver.COMPETENT_YOUNG_PERSON: (
        "A young person aged 13 to 17, who understands what they are agreeing to."
    ),
}


def consent_label(consent: PersonConsent) -> str:
    person = consent.person
    return (
        f"{person.given_name} {person.family_name}: "
        f"{consent.get_purpose_display().lower()}"
    )


def _person_name(person: Person) -> str:
    return f"{person.given_name} {person.family_name}"


def _add_problems(form: forms.Form, problems: list[tuple[str | None, str]]) -> None:
    """Each problem against its field, unless the field's own check said it."""
    for field, message in problems:
        if field not in form.errors:
            form.add_error(field, message)


def _pk(value: Any) -> int:
    """A chosen option's id (0, which is nobody's, when there is none)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class ConsentForm(GovukFormMixin, forms.Form):
    """A person's consent to early help, to sharing information, or both."""

    person = forms.ChoiceField(
        label="Whose consent is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whose consent this is",
            "invalid_choice": "Select whose consent this is",
        },
    )
    purposes = forms.MultipleChoiceField(
        label="What did they consent to?",
        help_text="Select all that apply.",
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what they consented to",
            "invalid_choice": "Select what they consented to",
        },
    )
    agencies = needed_for(
        forms.CharField(
            label="Which agencies may information be shared with?",
            help_text="For example, the school, the health visitor and housing.",
            max_length=500,
            required=False,
            error_messages={
                "max_length": "The agencies must be 500 characters or fewer"
            },
        ),
        "if sharing information",
    )
    given_by = _giver_field("Who gave consent?", "Select who gave consent")
    given_by_name = _carer_name_field()
    given_on = DateField(
        label="Date consent was given",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date consent was given"},
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        field: Any = self.fields["person"]
        field.choices = [(str(p.pk), _person_name(p)) for p in people]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _add_problems(
            self,
            consent_problems(
                person=self.people.get(_pk(data.get("person"))),
                purposes=list(data.get("purposes") or []),
                agencies=(data.get("agencies") or "").strip(),
                given_by=data.get("given_by") or "",
                given_by_name=(data.get("given_by_name") or "").strip(),
                given_on=data.get("given_on"),
            ),
        )
        return data


class ConsentWithdrawalForm(GovukFormMixin, forms.Form):
    """The withdrawal of a consent that stands: whose, by whom, when."""

    consent = forms.ChoiceField(
        label="Which consent was withdrawn?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the consent that was withdrawn",
            "invalid_choice": "Select the consent that was withdrawn",
        },
    )
    withdrawn_by = _giver_field("Who withdrew it?", "Select who withdrew consent")
    withdrawn_by_name = _carer_name_field()
    withdrawn_on = DateField(
        label="Date consent was withdrawn",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date consent was withdrawn"},
    )
    details = forms.CharField(
        label="What they said",
        help_text="For example, which agencies they no longer want told, and why.",
        widget=forms.Textarea({"rows": 3}),
        max_length=5000,
        required=False,
        error_messages={
            "max_length": "What they said must be 5,000 characters or fewer"
        },
    )

    def __init__(
        self, *args: Any, consents: list[PersonConsent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.consents = {c.pk: c for c in consents}
        field: Any = self.fields["consent"]
        field.choices = [(str(c.pk), consent_label(c)) for c in consents]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _add_problems(
            self,
            withdrawal_problems(
                consent=self.consents.get(_pk(data.get("consent"))),
                withdrawn_by=data.get("withdrawn_by") or "",
                withdrawn_by_name=(data.get("withdrawn_by_name") or "").strip(),
                withdrawn_on=data.get("withdrawn_on"),
            ),
        )
        return data


class ConsentOverrideForm(GovukFormMixin, forms.Form):
    """A manager keeps partners' access despite a withdrawal of sharing."""

    withdrawal = forms.ChoiceField(
        label="Which withdrawal are you overriding?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the withdrawal to override",
            "invalid_choice": "Select the withdrawal to override",
        },
    )
    reason = forms.CharField(
        label="Why must partners keep access?",
        help_text="The safeguarding reason. The data protection officer reviews "
        "every override.",
        widget=forms.Textarea({"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Enter the safeguarding reason partners must keep access",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )

    def __init__(
        self, *args: Any, withdrawals: list[ConsentWithdrawal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.withdrawals = {w.pk: w for w in withdrawals}
        field: Any = self.fields["withdrawal"]
        field.choices = [
            (
                str(w.pk),
                f"{consent_label(w.consent)}, withdrawn "
                f"{dateformat.format(w.withdrawn_on, 'j F Y')}",
            )
            for w in withdrawals
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _add_problems(
            self,
            override_problems(
                withdrawal=self.withdrawals.get(_pk(data.get("withdrawal"))),
                reason=(data.get("reason") or "").strip(),
            ),
        )
        return data
