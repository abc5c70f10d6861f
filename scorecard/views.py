"""The scorecard dashboard: a month and a scope (the city or a locality), each
indicator's last 12 months, direction of travel and trend; one indicator
across the city and every locality; CSV and PDF; runs on demand with progress."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from core.errors import DomainError
from core.exports import csv_response
from core.forms import month_choices, months_back
from core.periods import Month, months_between, previous_month
from core.uploads import csv_template
from core.view_access import scoped
from localities.models import Locality
from scorecard.access import may_enter_partner_figures, may_read_scorecard
from scorecard.documents import release_pdf_bytes, release_pdf_request
from scorecard.models import (
    Indicator,
    PartnerFigure,
    Release,
    ReleasePDF,
    ReleaseStatus,
)
from scorecard.partners import (
    COLUMNS,
    FigureInput,
    partner_figure_record,
    partner_figures_upload,
)
from scorecard.report import scorecard_lines
from scorecard.selectors import latest_release
from scorecard.services import scorecard_run_request


def _reader(request: HttpRequest) -> User:
    user = cast(User, request.user)  # login_required
    if not may_read_scorecard(user):
        raise Http404
    return user


def _month(request: HttpRequest) -> Month:
    try:
        return Month.parse(request.GET.get("month", ""))
    except ValueError:
        return previous_month(timezone.localdate())


@never_cache
@login_required
@scoped(may_read_scorecard)
def dashboard(request: HttpRequest) -> HttpResponse:
    _reader(request)
    month = _month(request)
    localities = list(Locality.objects.order_by("name"))
    chosen = next(
        (loc for loc in localities if loc.slug == request.GET.get("locality")), None
    )
    release = latest_release(month)
    scope = chosen.pk if chosen else None
    lines = scorecard_lines(month, [scope])[scope] if release else []
    return render(
        request,
        "scorecard/dashboard.html",
        {
            "month": month,
            "months": months_between(month.plus(-11), month),
            # The months to choose from: three years to this one (and the one
            # shown, if an address asked for an older one).
            "month_choices": month_choices(
                months_back(Month.of(timezone.localdate()), also=month)
            ),
            "localities": localities,
            "chosen": chosen,
            "release": release,
            "lines": lines,
            "releases": Release.objects.filter(period=str(month)).order_by("-pk")[:5],
            "can_enter": may_enter_partner_figures(request.user),
            "pdf_job": ReleasePDF.objects.defer("pdf").filter(release=release).first()
            if release
            else None,
        },
    )


@never_cache
@login_required
@scoped(may_read_scorecard)
def indicator(request: HttpRequest, ref: str) -> HttpResponse:
    """One indicator for the month: the city against every locality."""
    _reader(request)
    found = Indicator.objects.filter(ref=ref, active=True).first()
    if found is None:
        raise Http404
    month = _month(request)
    release = latest_release(month)
    rows: list[tuple[str, Any]] = []
    if release is not None:
        lines = scorecard_lines(month)
        names = dict(Locality.objects.values_list("pk", "name"))
        for scope, scope_lines in lines.items():
            line = next(x for x in scope_lines if x.indicator.ref == ref)
            rows.append(("Birmingham (city)" if scope is None else names[scope], line))
        rows.sort(key=lambda r: (r[0] != "Birmingham (city)", r[0]))
    return render(
        request,
        "scorecard/indicator.html",
        {
            "indicator": found,
            "month": month,
            "months": months_between(month.plus(-11), month),
            "release": release,
            "rows": rows,
        },
    )


def _number(value: float | None) -> int | float | str:
    """A value for the CSV at full precision, a whole number without ".0"
    (numbers stay numbers, so the formula guard leaves a negative one alone)."""
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else float(value)


@never_cache
@login_required
@scoped(may_read_scorecard)
def export(request: HttpRequest) -> HttpResponse:
    """The month's latest release as CSV: every scope and indicator."""
    _reader(request)
    month = _month(request)
    release = latest_release(month)
    if release is None:
        raise Http404
    names = dict(Locality.objects.values_list("pk", "slug"))
    titles = dict(Indicator.objects.values_list("ref", "title"))
    rows = (
        [
            str(month),
            release.pk,
            names.get(v.locality_id, "city") if v.locality_id else "city",
            v.ref,
            titles.get(v.ref, ""),
            _number(v.value),
            _number(v.numerator),
            _number(v.denominator),
            "yes" if v.provisional else "no",
        ]
        for v in release.values.order_by("ref", "locality_id")
    )
    return csv_response(
        f"scorecard-{month}-release-{release.pk}.csv",
        [
            "period",
            "release",
            "scope",
            "ref",
            "title",
            "value",
            "numerator",
            "denominator",
            "provisional",
        ],
        rows,
    )


@login_required
@require_POST
@scoped(may_read_scorecard)
def run(request: HttpRequest) -> HttpResponse:
    """Start a run for a month (the beat job does last month on the 1st)."""
    user = _reader(request)
    try:
        month = Month.parse(request.POST.get("month", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("scorecard:dashboard")
    if month > Month.of(timezone.localdate()):
        messages.error(request, "Choose a month that has already started.")
        return redirect("scorecard:dashboard")
    release = scorecard_run_request(period=month, actor=user)
    return redirect("scorecard:run_status", release_id=release.pk)


@never_cache
@login_required
@scoped(may_read_scorecard)
def run_status(request: HttpRequest, release_id: int) -> HttpResponse:
    _reader(request)
    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        raise Http404
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "release": release.pk,
                "period": release.period,
                "status": release.status,
                "progress": release.progress,
            }
        )
    return render(request, "scorecard/run_status.html", {"release": release})


@never_cache
@login_required
@scoped(may_enter_partner_figures)
def partner_figures(request: HttpRequest) -> HttpResponse:
    """Partner-supplied monthly figures: key one in, or upload a CSV."""
    user = cast(User, request.user)  # login_required
    if not may_enter_partner_figures(user):
        raise Http404
    errors: dict[str, str] = {}
    row_errors: list[Any] = []
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                saved, row_errors = partner_figures_upload(
                    content=upload.read(), actor=user
                )
                if saved:
                    messages.success(request, f"{saved} figures saved.")
                    return redirect("scorecard:partner_figures")
            else:
                partner_figure_record(
                    data=FigureInput(
                        ref=request.POST.get("ref", ""),
                        period=request.POST.get("period", ""),
                        locality=request.POST.get("locality", ""),
                        value=request.POST.get("value", ""),
                    ),
                    actor=user,
                )
                messages.success(request, "Figure saved.")
                return redirect("scorecard:partner_figures")
        except DomainError as exc:
            for field, message in exc.problems:
                errors.setdefault(field or "file", message)
    return render(
        request,
        "scorecard/partner_figures.html",
        {
            "indicators": Indicator.objects.filter(source="partner", active=True),
            "localities": Locality.objects.order_by("name"),
            "figures": PartnerFigure.objects.select_related(
                "indicator", "locality", "entered_by"
            ).order_by("-period", "indicator__position")[:50],
            "errors": errors,
            "row_errors": row_errors,
            "posted": request.POST,
            "period_choices": month_choices(
                months_back(Month.of(timezone.localdate()))
            ),
            "period": request.POST.get("period")
            or str(previous_month(timezone.localdate())),
        },
    )


@login_required
@scoped(may_enter_partner_figures)
def partner_figures_template(request: HttpRequest) -> HttpResponse:
    if not may_enter_partner_figures(request.user):
        raise Http404
    response = HttpResponse(
        csv_template(
            COLUMNS,
            {"ref": "EH23D", "period": "2026-10", "locality": "", "value": "42"},
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="partner-figures.csv"'
    return response


@login_required
@require_POST
@scoped(may_read_scorecard)
def pdf_request(request: HttpRequest, release_id: int) -> HttpResponse:
    """Have a worker make a release's PDF (once per release)."""
    _reader(request)
    release = Release.objects.filter(pk=release_id, status=ReleaseStatus.DONE).first()
    if release is None:
        raise Http404
    release_pdf_request(release)
    return redirect("scorecard:pdf_status", release_id=release.pk)


def _pdf_job(release_id: int) -> ReleasePDF:
    job = (
        ReleasePDF.objects.defer("pdf")
        .select_related("release")
        .filter(release_id=release_id)
        .first()
    )
    if job is None:
        raise Http404
    return job


@never_cache
@login_required
@scoped(may_read_scorecard)
def pdf_status(request: HttpRequest, release_id: int) -> HttpResponse:
    """Progress of a release's PDF (HTML, or JSON for the page's script)."""
    _reader(request)
    job = _pdf_job(release_id)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"release": job.release_id, "status": job.status, "progress": job.progress}
        )
    return render(
        request, "scorecard/pdf_status.html", {"job": job, "release": job.release}
    )


@never_cache
@login_required
@scoped(may_read_scorecard)
def pdf_download(request: HttpRequest, release_id: int) -> HttpResponse:
    _reader(request)
    job = _pdf_job(release_id)
    pdf = release_pdf_bytes(job)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="scorecard-{job.release.period}'
        f'-release-{release_id}.pdf"'
    )
    return response
