"""Forms of the audit pages: parse and check shape; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from audits.codes import AuditType
from audits.models import AuditGrade, AuditQuestion, CaseAudit
from audits.services import GradingInput, RoundInput
from core.forms import DateField, GovukFormMixin, MonthField, months_back, needed_for
from core.periods import Month
from localities.models import Locality


def _emails(text: str) -> list[str]:
    return [e.strip() for e in text.replace(",", "\n").splitlines() if e.strip()]


class RoundForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Monthly city-wide audit, May 2026",
        error_messages={"required": "Enter a title for the round"},
    )
    type = forms.ChoiceField(
        label="Type of audit",
        choices=AuditType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of audit",
            "invalid_choice": "Select one of the types of audit listed",
        },
    )
    period_start = DateField(
        label="Period starts",
        help_text="For example, 1 5 2026",
        error_messages={"required": "Enter the date the period starts"},
    )
    period_end = DateField(
        label="Period ends",
        help_text="For example, 31 5 2026",
        error_messages={"required": "Enter the date the period ends"},
    )
    localities = forms.MultipleChoiceField(
        label="Localities",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one locality",
            "invalid_choice": "Select localities from the list",
        },
    )
    sample_size = forms.IntegerField(
        label="Cases to draw from each locality",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter how many cases to draw",
            "invalid": "Enter a whole number",
            "min_value": "Draw at least 1 case",
            "max_value": "Draw at most 50 cases from each locality",
        },
    )
    due_on = DateField(
        label="Audits due by",
        help_text="For example, 30 6 2026",
        error_messages={"required": "Enter the date the audits are due by"},
    )
    auditors = forms.CharField(
        label="Auditors' e-mail addresses",
        help_text="One per line, from different agencies",
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": "Enter at least one auditor's e-mail address"},
    )
    moderator = forms.EmailField(
        label="Moderator's e-mail address",
        error_messages={
            "required": "Enter the moderator's e-mail address",
            "invalid": "Enter an e-mail address, like name@example.org",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["localities"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(
            Locality.objects.order_by("name").values_list("slug", "name")
        )

    def to_input(self) -> RoundInput:
        d = self.cleaned_data
        return RoundInput(
            type=d["type"],
            title=d["title"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            locality_slugs=list(d["localities"]),
            sample_size=d["sample_size"],
            due_on=d["due_on"],
            auditor_emails=_emails(d["auditors"]),
            moderator_email=d["moderator"],
        )


def grade_choices() -> list[tuple[str, str]]:
    return list(AuditGrade.objects.order_by("position").values_list("code", "label"))


class GradingForm(GovukFormMixin, forms.Form):
    """A grade (and comment) per question of the audit's template, then the
    overall grade and the narrative. Blank is allowed while saving as you go.
    What the family said is asked under the box saying it was sought."""

    reveals = {"family_feedback_sought": {"on": ["family_feedback"]}}

    grade = forms.ChoiceField(
        label="Overall grade",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the overall grade from the scale"},
    )
    strengths = forms.CharField(
        label="Strengths", widget=forms.Textarea({"rows": 4}), required=False
    )
    improvements = forms.CharField(
        label="Areas for improvement",
        widget=forms.Textarea({"rows": 4}),
        required=False,
    )
    family_feedback_sought = forms.BooleanField(
        label="The family's feedback was sought", required=False
    )
    family_feedback = needed_for(
        forms.CharField(
            label="What the family said",
            widget=forms.Textarea({"rows": 3}),
            required=False,
        ),
        "if their feedback was sought",
    )

    def __init__(
        self, *args: Any, questions: list[AuditQuestion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = grade_choices()
        grade = self.fields["grade"]
        assert isinstance(grade, forms.ChoiceField)
        grade.choices = choices
        self.questions = questions
        for q in questions:
            question = forms.ChoiceField(
                label=q.text,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": f"Select a grade on the scale for: {q.text}"
                },
            )
            question.needed_to_submit = True  # type: ignore[attr-defined]
            question.inline = True  # type: ignore[attr-defined]
            self.fields[f"q{q.pk}"] = question
            self.fields[f"c{q.pk}"] = forms.CharField(
                label="Comment",
                widget=forms.Textarea({"rows": 2}),
                required=False,
            )
        for name in ("grade", "strengths", "improvements"):
            self.fields[name].needed_to_submit = True  # type: ignore[attr-defined]
        # The page asks the questions first: the error summary follows the page.
        self.order_fields(
            [name for q in questions for name in (f"q{q.pk}", f"c{q.pk}")]
        )
        self.govuk_classes()

    @staticmethod
    def initial_from(audit: CaseAudit) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "grade": audit.grade_id or "",
            "strengths": audit.strengths,
            "improvements": audit.improvements,
            "family_feedback_sought": audit.family_feedback_sought,
            "family_feedback": audit.family_feedback,
        }
        for answer in audit.answers.all():
            initial[f"q{answer.question_id}"] = answer.grade_id or ""
            initial[f"c{answer.question_id}"] = answer.comment
        return initial

    def domains(self) -> list[dict[str, Any]]:
        """The questions' fields grouped by domain, in template order."""
        grouped: dict[int, dict[str, Any]] = {}
        for q in self.questions:
            entry = grouped.setdefault(
                q.domain_id, {"title": q.domain.title, "questions": []}
            )
            entry["questions"].append((self[f"q{q.pk}"], self[f"c{q.pk}"]))
        return list(grouped.values())

    def to_input(self) -> GradingInput:
        d = self.cleaned_data
        return GradingInput(
            answers={q.pk: d.get(f"q{q.pk}") or "" for q in self.questions},
            comments={q.pk: d.get(f"c{q.pk}") or "" for q in self.questions},
            grade=d.get("grade") or "",
            strengths=d.get("strengths") or "",
            improvements=d.get("improvements") or "",
            family_feedback_sought=bool(d.get("family_feedback_sought")),
            family_feedback=d.get("family_feedback") or "",
        )


class ModerationForm(GovukFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label="Final grade",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the final grade",
            "invalid_choice": "Select the final grade from the scale",
        },
    )
    reason = needed_for(
        forms.CharField(
            label="Reason for changing the grade",
            widget=forms.Textarea({"rows": 3}),
            required=False,
        ),
        "if you change the auditor's grade",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade = self.fields["grade"]
        assert isinstance(grade, forms.ChoiceField)
        grade.choices = grade_choices()


class ActionForm(GovukFormMixin, forms.Form):
    what = forms.CharField(
        label="What needs to happen",
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": "Enter what needs to happen"},
    )
    owner = forms.EmailField(
        label="Owner's e-mail address",
        error_messages={
            "required": "Enter the owner's e-mail address",
            "invalid": "Enter an e-mail address, like name@example.org",
        },
    )
    due_on = DateField(
        label="Due by",
        help_text="For example, 31 7 2026",
        error_messages={"required": "Enter the date the action is due by"},
    )


PERIOD_KINDS = [
    ("month", "Month"),
    ("half_year", "Half year (April to September, October to March)"),
    ("year", "Financial year (April to March)"),
]


class ReportFilterForm(GovukFormMixin, forms.Form):
    """The report's month (from a list, newest first, sent as YYYY-MM as the
    addresses write it) and the period to count up to its end."""

    month = MonthField(label="Month", required=False)
    kind = forms.ChoiceField(
        label="Period", choices=PERIOD_KINDS, required=False, initial="month"
    )

    def __init__(self, *args: Any, this_month: Month, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        assert isinstance(field, MonthField)
        field.narrows = True  # type: ignore[attr-defined]
        asked = str(self.data.get("month", "")) if self.is_bound else ""
        try:
            month: Month | None = Month.parse(asked)
        except ValueError:
            month = None
        if month is not None and month > this_month:
            field.error_messages["invalid_choice"] = (
                "Choose a month that has already started"
            )
            month = None
        # An address naming a month before the list still shows it.
        field.months = months_back(this_month, also=month)
