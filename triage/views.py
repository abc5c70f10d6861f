"""Triage pages for locality managers."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.navigation import breadcrumbs
from casework.access import case_queryset_for_user
from casework.selectors.names import FamilyName, case_family_names
from core.access_log import access_log_record, access_log_record_many
from core.codes import LevelOfNeed
from core.errors import DomainError
from core.pagination import CountedPaginator
from core.periods import Month
from core.templatetags.govuk import govuk_date
from core.view_access import scoped
from family_connect.access import form_get_for_user, triages_citywide
from family_connect.models import (
    FamilyConnectForm,
    FormStatus,
    MatchCandidate,
    Reason,
    RequestType,
    Route,
)
from family_connect.services.matches import match_candidate_decide
from family_connect.transitions import can_close_decided
from localities.models import CommunityService, Locality
from triage.access import queue_for_user, triage_localities_for_user
from triage.forms import CloseDecidedForm, CommunityServiceForm, DecisionForm
from triage.selectors import (
    BANDS,
    QueueFilters,
    TriageDuplicate,
    band_counts,
    breaches_this_month,
    duplicates_for_triage,
    match_candidates_for_triage,
    practitioners_by_headroom,
    queue_rows,
    returning_for_triage,
    triage_queue,
)
from triage.services.capacity import practitioner_capacity_set
from triage.services.community_services import community_service_save
from triage.services.outcomes import form_decide

# A screenful a manager reads through, as GOV.UK's paged lists show; the bands'
# counts and the filters say what the other pages hold.
PAGE_SIZE = 25


@never_cache
@login_required
@scoped(triage_localities_for_user)
def triage_index(request: HttpRequest) -> HttpResponse:
    localities = list(triage_localities_for_user(request.user))
    if not localities:
        raise Http404
    citywide = triages_citywide(request.user)
    if len(localities) == 1 and not citywide:
        return redirect("triage:queue", slug=localities[0].slug)
    return render(
        request,
        "triage/triage_index.html",
        {"localities": localities, "citywide": citywide},
    )


def _filters(request: HttpRequest) -> QueueFilters:
    get = request.GET
    return QueueFilters(
        route=get.get("route", "") if get.get("route") in Route.values else "",
        request_type=(
            get.get("request_type", "")
            if get.get("request_type") in RequestType.values
            else ""
        ),
        reason=get.get("reason", "")[:50],
        level_of_need=(
            get.get("level_of_need", "")
            if get.get("level_of_need") in LevelOfNeed.values
            else ""
        ),
        safeguarding=get.get("safeguarding") == "1",
        band=get.get("band", "") if get.get("band") in {b.code for b in BANDS} else "",
    )


@never_cache
@login_required
@scoped(queue_for_user)
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """A locality's triage queue (or the city-wide unresolved one), oldest first,
    each form's age against the 7-day target."""
    allowed, locality = queue_for_user(request.user, slug)
    if not allowed:
        raise Http404
    now = timezone.now()
    filters = _filters(request)
    unbanded = QueueFilters(**{**filters.__dict__, "band": ""})
    counts = band_counts(triage_queue(request.user, locality, unbanded, now), now)
    forms = triage_queue(request.user, locality, filters, now)
    # The bands' counts already say how many forms the queue lists.
    listed = counts[filters.band] if filters.band else sum(counts.values())
    page = CountedPaginator(forms, PAGE_SIZE, count=listed).get_page(
        request.GET.get("page")
    )
    rows = queue_rows(cast(QuerySet[FamilyConnectForm], page.object_list), now)
    access_log_record_many(
        user=request.user, objs=[row.access_key for row in rows], request=request
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "triage/queue.html",
        {
            "locality": locality,
            "slug": slug,
            "rows": rows,
            "page": page,
            "bands": [(band, counts[band.code]) for band in BANDS],
            "total": sum(counts.values()),
            "filters": filters,
            "routes": Route.choices,
            "request_types": RequestType.choices,
            "levels": LevelOfNeed.choices,
            "reasons": Reason.objects.filter(active=True).values_list("code", "label"),
            "other_queues": [
                other
                for other in triage_localities_for_user(request.user)
                if other.slug != slug
            ],
            "show_unresolved": slug != "unresolved" and triages_citywide(request.user),
            "query": query.urlencode(),
        },
    )


def _triage_form(request: HttpRequest, reference: str) -> FamilyConnectForm:
    """The form if the user runs its queue; 404 otherwise."""
    form = form_get_for_user(request.user, reference)
    if form is None:
        raise Http404
    allowed, _ = queue_for_user(
        request.user, form.locality.slug if form.locality else "unresolved"
    )
    if not allowed:
        raise Http404
    return form


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(form_get_for_user, queue_for_user)
def form_triage(request: HttpRequest, reference: str) -> HttpResponse:
    """Every answer on a form, its match candidates and events, and the decision."""
    form = _triage_form(request, reference)
    practitioners = (
        list(practitioners_by_headroom(form.locality)) if form.locality else []
    )
    closing = request.POST.get("action") == "close"
    decision_form = DecisionForm(
        request.POST if request.method == "POST" and not closing else None,
        practitioners=practitioners,
        locality=form.locality,
    )
    close_form = CloseDecidedForm(request.POST if closing else None)
    posted: DecisionForm | CloseDecidedForm = close_form if closing else decision_form
    if request.method == "POST" and posted.is_valid():
        data = {
            "lead_practitioner": None,
            "community_service": None,
            "to_locality": None,
            **posted.cleaned_data,
        }
        by_pk = {p.pk: p for p in practitioners}
        duplicate_of = None
        if data["duplicate_of"]:
            duplicate_of = form_get_for_user(request.user, data["duplicate_of"])
            if duplicate_of is None:
                posted.add_error(
                    "duplicate_of", "No form with this reference in your queues"
                )
        if not posted.errors:
            try:
                form_decide(
                    form_id=form.pk,
                    actor=request.user,  # type: ignore[arg-type]  # login_required
                    outcome=data["outcome"],
                    reason=data["reason"],
                    lead_practitioner=by_pk.get(data["lead_practitioner"]),
                    community_service=data["community_service"],
                    duplicate_of=duplicate_of,
                    to_locality=data["to_locality"],
                    seen_version=data["version"] or None,
                )
            except DomainError as exc:
                posted.add_domain_error(exc)
                # Show the form as it is now (decided by someone else, say).
                form = _triage_form(request, reference)
            else:
                messages.success(
                    request,
                    f"{form.reference} closed: "
                    f"{FormStatus(data['outcome']).label.lower()}."
                    if closing
                    else _decided_message(
                        form, data, by_pk.get(data["lead_practitioner"])
                    ),
                )
                slug = form.locality.slug if form.locality else "unresolved"
                return redirect("triage:queue", slug=slug)
    members = list(form.members.all())
    candidates = match_candidates_for_triage(form)
    duplicates = duplicates_for_triage(request.user, form, members)
    returning = returning_for_triage(request.user, form, candidates)
    if request.method == "GET" and not _is_decided(form):
        offered = _duplicate_offered(request, duplicates)
        if offered is not None:
            decision_form = DecisionForm(
                practitioners=practitioners,
                locality=form.locality,
                initial=offered,
            )
            posted = decision_form
    access_log_record(user=request.user, obj=form, request=request)
    # The candidates show other households' people, other forms and closed
    # cases, however little of them: their reads are logged too.
    access_log_record_many(
        user=request.user,
        objs=[
            *(
                record
                for c in candidates
                for record in (c.candidate.person or c.candidate.family,)
                if record is not None
            ),
            *(d.form for d in duplicates),
            *(("casework.case", r.closed.case_id) for r in returning),
        ],
        action="view",
        request=request,
    )
    slug = form.locality.slug if form.locality else "unresolved"
    return render(
        request,
        "triage/form.html",
        {
            "form_record": form,
            "case_family": _open_case_name(request.user, form),
            "case_number": f"Case {form.case_id}",
            "breadcrumbs": breadcrumbs(
                request.user,
                ("Triage", "triage:index"),
                (
                    f"{form.locality.name} queue" if form.locality else "Unresolved",
                    reverse("triage:queue", args=[slug]),
                ),
            ),
            "members": members,
            "reasons": form.reasons.all(),
            "candidates": candidates,
            "duplicates": duplicates,
            "returning": returning,
            "events": form.events.select_related("actor"),
            "decision_form": decision_form,
            "close_form": close_form,
            "posted_form": posted,
            "form": posted,
            "decided": _is_decided(form),
            "closable": can_close_decided(form.status, FormStatus.WITHDRAWN),
        },
    )


def _is_decided(form: FamilyConnectForm) -> bool:
    return form.status != FormStatus.SUBMITTED


def _duplicate_offered(
    request: HttpRequest, duplicates: list[TriageDuplicate]
) -> dict[str, str] | None:
    """The decision form filled in to close this form as a duplicate of the
    waiting form named by ``?duplicate_of=``, when it is one of the form's
    possible duplicates the manager may open; None otherwise (the page then
    shows the decision form empty, as usual)."""
    reference = request.GET.get("duplicate_of", "").strip().upper()
    for duplicate in duplicates:
        original = duplicate.form
        if duplicate.may_open and original.reference == reference:
            received = timezone.localtime(original.received_at)
            return {
                "outcome": FormStatus.DUPLICATE,
                "duplicate_of": original.reference,
                "reason": (
                    f"The same family as {original.reference}, received "
                    f"{govuk_date(received)} at {received:%H:%M}."
                ),
            }
    return None


def _open_case_name(user: Any, form: FamilyConnectForm) -> FamilyName | None:
    """The family name of the case the form is attached to, if the user may
    open that case (two queries; none for a form without a case)."""
    if form.case_id is None:
        return None
    visible = case_queryset_for_user(user).filter(pk=form.case_id)
    return case_family_names(visible.values_list("pk", flat=True)).get(form.case_id)


def _decided_message(
    form: FamilyConnectForm, data: dict[str, Any], lead: Any | None
) -> str:
    """What happened to the form, named (a transfer is not a decision)."""
    outcome = data["outcome"]
    if outcome == "transferred":
        return (
            f"{form.reference} transferred to {data['to_locality'].name}: "
            "it is no longer in this queue."
        )
    if outcome == FormStatus.ALLOCATED and lead is not None:
        what = f"allocated to {lead.display_name}"
    elif outcome == FormStatus.SIGNPOSTED and data["community_service"]:
        what = f"signposted to {data['community_service'].name}"
    else:
        what = FormStatus(outcome).label.lower()
    return f"Decision recorded for {form.reference}: {what}."


@never_cache
@login_required
@require_POST
@scoped(form_get_for_user, queue_for_user)
def candidate_decide(
    request: HttpRequest, reference: str, candidate_id: int
) -> HttpResponse:
    form = _triage_form(request, reference)
    candidate = (
        form.match_candidates.select_related("family", "member", "person")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    confirm = request.POST.get("confirm") == "yes"
    try:
        match_candidate_decide(
            candidate_id=candidate.pk,
            actor=request.user,  # type: ignore[arg-type]  # login_required
            confirm=confirm,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _candidate_message(candidate, confirm=confirm))
    return redirect("triage:form", reference=form.reference)


def _candidate_message(candidate: MatchCandidate, *, confirm: bool) -> str:
    """What the manager's click did, in words: the status column alone is easy
    to miss after the page reloads."""
    if candidate.member is None:
        where = candidate.family.locality if candidate.family else None
        household = f"the household in {where.name}" if where else "the household"
        if confirm:
            return (
                f"Match confirmed: this form is linked to {household}. Confirm "
                "each person who is the same too; anyone not confirmed is added "
                "to the family as a new person."
            )
        return f"Match rejected: this form is not about {household}."
    person = candidate.person
    known = "the person we know"
    if person is not None:
        known = f"the {person.given_name} {person.family_name} we know"
        if person.date_of_birth:
            known += f" (born {person.date_of_birth.year})"
    member = candidate.member.full_name
    if confirm:
        return f"Match confirmed: {member} on this form is {known}."
    return f"Match rejected: {member} on this form is not {known}."


def _managed_locality(request: HttpRequest, slug: str) -> Locality:
    allowed, locality = queue_for_user(request.user, slug)
    if not allowed or locality is None:
        raise Http404
    return locality


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(queue_for_user)
def team(request: HttpRequest, slug: str) -> HttpResponse:
    """The locality at a glance: forms waiting per band, breaches this month, and
    each practitioner's caseload against capacity (which the manager sets)."""
    locality = _managed_locality(request, slug)
    error = None
    if request.method == "POST":
        try:
            practitioner_capacity_set(
                locality=locality,
                practitioner_id=int(request.POST.get("practitioner", "0") or 0),
                capacity=int(request.POST.get("capacity", "-1") or -1),
                actor=request.user,
            )
        except ValueError:
            error = "Capacity must be a whole number"
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "Capacity saved.")
            return redirect("triage:team", slug=slug)
    now = timezone.now()
    waiting = triage_queue(request.user, locality, QueueFilters(), now)
    counts = band_counts(waiting, now)
    practitioners = list(practitioners_by_headroom(locality))
    return render(
        request,
        "triage/team.html",
        {
            "locality": locality,
            "bands": [(band, counts[band.code]) for band in BANDS],
            "waiting": sum(counts.values()),
            # The queue's "Over 7 days" band, counted by the same query.
            "past_target": counts["breached"],
            "breaches": breaches_this_month(locality, now),
            "month_start": Month.of(now).first_day,
            "practitioners": practitioners,
            "total_caseload": sum(p.caseload for p in practitioners),
            "total_capacity": sum(p.capacity for p in practitioners),
            "error": error,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(queue_for_user)
def community_services(request: HttpRequest, slug: str) -> HttpResponse:
    """The directory of community services families are signposted to."""
    locality = _managed_locality(request, slug)
    form = CommunityServiceForm(request.POST or None)
    if request.method == "POST":
        service_id = request.POST.get("service")
        if service_id:  # switch a service on or off
            try:
                service = CommunityService.objects.get(
                    pk=int(service_id), locality=locality
                )
            except (ValueError, CommunityService.DoesNotExist):
                raise Http404 from None
            community_service_save(
                locality=locality,
                actor=request.user,
                service_id=service.pk,
                name=service.name,
                category=service.category,
                contact=service.contact,
                active=request.POST.get("active") == "1",
            )
            return redirect("triage:services", slug=slug)
        if form.is_valid():
            try:
                community_service_save(
                    locality=locality, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "Service added.")
                return redirect("triage:services", slug=slug)
    services = CommunityService.objects.filter(locality=locality).order_by(
        "-active", "name"
    )
    citywide = CommunityService.objects.filter(locality=None, active=True)
    return render(
        request,
        "triage/services.html",
        {
            "locality": locality,
            "services": services,
            "citywide": citywide,
            "form": form,
        },
    )
