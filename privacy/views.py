"""The data protection officer's pages: who viewed a person's records, subject
access exports (JSON in the request; a readable PDF made by a worker, with its
progress), and the anomalies to review."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.navigation import breadcrumbs
from casework.selectors.consent import consent_overrides_in
from core import clock
from core.access_log import access_log_record, access_log_record_many
from core.forms import GovukFormMixin, MonthField, months_back
from core.models import AccessLog
from core.periods import Month
from core.view_access import scoped
from families.models import Person
from privacy.access import may_answer_for_records, subject_access_pdf_get_for_user
from privacy.selectors import (
    cross_locality_links,
    subject_access_export,
    who_viewed,
)
from privacy.subject_access_pdf import (
    KEEP_FOR,
    subject_access_pdf_available,
    subject_access_pdf_bytes,
    subject_access_pdf_kept_until,
    subject_access_pdf_request,
)

KEEP_HOURS = int(KEEP_FOR.total_seconds() // 3600)

RECORD_KINDS = {
    "families.person": "Person",
    "families.family": "Household",
    # Read before households and people moved to the families app.
    "casework.person": "Person",
    "casework.family": "Household",
    "casework.case": "Case",
    "family_connect.familyconnectform": "Family Connect Form",
}


class PersonLookupForm(GovukFormMixin, forms.Form):
    person = forms.IntegerField(
        label="Person number",
        help_text="As shown on the person's page.",
        min_value=1,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter the person number",
            "invalid": "Enter the person number as digits, like 1234",
            "min_value": "Enter the person number as digits, like 1234",
        },
    )


def _lookup(request: HttpRequest) -> tuple[PersonLookupForm, Person | None]:
    form = PersonLookupForm(request.GET or None)
    person = None
    if form.is_valid():
        person = (
            Person.objects.select_related("family")
            .filter(pk=form.cleaned_data["person"])
            .first()
        )
        if person is None:
            form.add_error("person", "There is no person with this number")
        else:
            # Both pages show the person's name (and the subject access page
            # their date of birth) before anything else: looking is a read.
            access_log_record(user=request.user, obj=person, request=request)
    return form, person


@never_cache
@login_required
@require_GET
@scoped(may_answer_for_records)
def who_viewed_view(request: HttpRequest) -> HttpResponse:
    """Who viewed a person's records, and when, through which page or export."""
    if not may_answer_for_records(request.user):
        raise Http404
    form, person = _lookup(request)
    page = None
    if person is not None:
        page = Paginator(who_viewed(person), 100).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "kind": RECORD_KINDS.get(entry.object_type, entry.object_type)}
        for entry in (page.object_list if page else [])
    ]
    return render(
        request,
        "privacy/who_viewed.html",
        {"form": form, "person": person, "page": page, "rows": rows},
    )


@never_cache
@login_required
@require_GET
@scoped(may_answer_for_records)
def subject_access_view(request: HttpRequest) -> HttpResponse:
    """Find the person, then download everything held about them."""
    if not may_answer_for_records(request.user):
        raise Http404
    form, person = _lookup(request)
    return render(
        request,
        "privacy/subject_access.html",
        {
            "form": form,
            "person": person,
            "keep_hours": KEEP_HOURS,
            "breadcrumbs": breadcrumbs(request.user, ("Privacy", "privacy:who_viewed")),
        },
    )


def _person(person_id: int) -> Person:
    found = (
        Person.objects.select_related("family__locality").filter(pk=person_id).first()
    )
    if found is None:
        raise Http404
    return found


@never_cache
@login_required
@require_GET
@scoped(may_answer_for_records)
def subject_access_json(request: HttpRequest, person_id: int) -> HttpResponse:
    """The export as JSON, made in the request (it is quick); logged."""
    if not may_answer_for_records(request.user):
        raise Http404
    found = _person(person_id)
    export = subject_access_export(found)
    access_log_record(
        user=request.user,
        obj=found,
        channel=AccessLog.Channel.JSON,
        action=AccessLog.Action.EXPORT,
        request=request,
    )
    response = JsonResponse(
        export, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-person-{found.pk}.json"'
    )
    return response


@login_required
@require_POST
@scoped(may_answer_for_records)
def subject_access_pdf_request_view(
    request: HttpRequest, person_id: int
) -> HttpResponse:
    """Ask a worker for the readable PDF (or find the one already asked for),
    then follow its progress."""
    if not may_answer_for_records(request.user):
        raise Http404
    job = subject_access_pdf_request(
        person=_person(person_id),
        actor=request.user,  # type: ignore[arg-type]
    )
    return redirect("privacy:subject_access_pdf_status", job_id=job.pk)


@never_cache
@login_required
@require_GET
@scoped(subject_access_pdf_get_for_user)
def subject_access_pdf_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress of the officer's PDF (HTML, or JSON for the page's script), and
    its download link once made."""
    job = subject_access_pdf_get_for_user(request.user, job_id)
    if job is None:
        raise Http404
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"id": job.pk, "status": job.status, "progress": job.progress}
        )
    # The page shows the person's name: a read of their record.
    access_log_record(user=request.user, obj=job.person, request=request)
    return render(
        request,
        "privacy/subject_access_pdf_status.html",
        {
            "job": job,
            "breadcrumbs": breadcrumbs(
                request.user,
                ("Privacy", "privacy:who_viewed"),
                (
                    "Subject access request",
                    f"{reverse('privacy:subject_access')}?person={job.person_id}",
                ),
            ),
            "person": job.person,
            "available": subject_access_pdf_available(job),
            "kept_until": subject_access_pdf_kept_until(job),
            "keep_hours": KEEP_HOURS,
        },
    )


@never_cache
@login_required
@require_GET
@scoped(subject_access_pdf_get_for_user)
def subject_access_pdf_download(request: HttpRequest, job_id: int) -> HttpResponse:
    """The made PDF, while it is kept; each download is logged."""
    job = subject_access_pdf_get_for_user(request.user, job_id)
    pdf = subject_access_pdf_bytes(job) if job is not None else None
    if job is None or pdf is None:
        raise Http404
    access_log_record(
        user=request.user,
        obj=job.person,
        channel=AccessLog.Channel.PDF,
        action=AccessLog.Action.EXPORT,
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-person-{job.person_id}.pdf"'
    )
    return response


ANOMALY_MONTHS = 13


class AnomalyMonthForm(GovukFormMixin, forms.Form):
    month = MonthField(
        label="Month",
        error_messages={"invalid_choice": "Choose a month from the list"},
    )

    def __init__(self, *args: object, this_month: Month, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["month"]
        assert isinstance(field, MonthField)
        field.months = months_back(this_month, ANOMALY_MONTHS)


@never_cache
@login_required
@require_GET
@scoped(may_answer_for_records)
def anomalies_view(request: HttpRequest) -> HttpResponse:
    """Links of forms to households of another locality, month by month, each
    with its manager's reason and how many such links they made that month;
    and the month's overrides of withdrawn consent to share information, each
    with the manager's reason."""
    if not may_answer_for_records(request.user):
        raise Http404
    this_month = Month.of(clock.now())
    form = AnomalyMonthForm(
        request.GET if "month" in request.GET else {"month": str(this_month)},
        this_month=this_month,
    )
    month = form.cleaned_data["month"] if form.is_valid() else this_month
    rows = cross_locality_links(month)
    overrides = consent_overrides_in(month)
    # The reasons may describe a family: reading them is a read of its record.
    access_log_record_many(
        user=request.user,
        objs=[
            *[("families.family", row.link.family_id) for row in rows],
            *[("casework.case", o.withdrawal.consent.case_id) for o in overrides],
        ],
        request=request,
    )
    return render(
        request,
        "privacy/anomalies.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "overrides": overrides,
            "breadcrumbs": breadcrumbs(request.user, ("Privacy", "privacy:who_viewed")),
        },
    )
