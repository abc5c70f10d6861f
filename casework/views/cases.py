"""Casework pages: caseloads and the case."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.navigation import breadcrumbs
from casework.access import (
    case_get_for_user,
    case_queryset_for_user,
    may_amend_note,
    may_download_case_summary,
    may_download_plan_pdf,
    may_lead,
    may_override_consent,
    may_sign_off_closure,
    may_use_caseload,
    may_work_on,
    notes_amendable_by,
    sees_team_view_only,
)
from casework.forms import NoteAmendForm
from casework.models import Case, NoteKind
from casework.selectors.cases import (
    case_page_data,
    case_team,
    caseload_page,
    caseload_sort,
    people_on_case,
)
from casework.selectors.contacts import case_contacts
from casework.selectors.names import case_family_name
from casework.selectors.progress import case_progress
from casework.selectors.timeline import (
    SHOW_HINTS,
    SHOWS,
    show_summary,
    timeline_show,
)
from casework.services.cases import case_note_add, case_note_amend
from core import clock
from core.access_log import access_log_record, access_log_record_many
from core.codes import MemberRole
from core.errors import DomainError
from core.view_access import scoped


def workable_case(request: HttpRequest, case_id: int) -> tuple[User, Case]:
    """The signed-in user and the case, if they may work on it; 404 otherwise
    (the same answer as a case that does not exist)."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case):
        raise Http404
    return user, case


def readable_case(request: HttpRequest, case_id: int) -> tuple[User, Case, bool]:
    """The case file's pages (assessment, reviews): read by anyone who sees the
    whole case (its workers, and auditors while their round is open), changed
    only by those who may work on it. Partners on the team see the team view
    only. Returns whether the user may change it; 404 as for a missing case."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or sees_team_view_only(user):
        raise Http404
    can_work = may_work_on(user, case)
    if request.method == "POST" and not can_work:
        raise Http404
    return user, case, can_work


def case_heading(user: User, case: Case) -> dict[str, Any]:
    """What every page of a case shows above its content: the family's name
    (one query) and the breadcrumbs back to the case."""
    family = case_family_name(case.pk)
    return {
        "family": family,
        # A case with nobody on it yet is known by its number alone.
        "family_named": family.title != f"Case {case.pk}",
        "breadcrumbs": breadcrumbs(
            user,
            ("Cases", "casework:caseload"),
            (family.title, reverse("casework:case", args=[case.pk])),
        ),
    }


@never_cache
@login_required
@scoped(case_queryset_for_user)
def caseload(request: HttpRequest) -> HttpResponse:
    """My cases (practitioners), the locality's cases (managers), the families
    whose team I am on (requesters)."""
    user = cast(User, request.user)  # login_required
    if not may_use_caseload(user):
        raise Http404
    include_closed = request.GET.get("closed") == "1"
    sort, descending = caseload_sort(request.GET.get("sort"))
    team_view = sees_team_view_only(user)
    page = caseload_page(
        user,
        now=clock.now(),
        include_closed=include_closed,
        sort=f"-{sort}" if descending else sort,
        page=request.GET.get("page"),
        with_children=not team_view,
    )
    access_log_record_many(
        user=request.user,
        objs=[("casework.case", row["pk"]) for row in page.object_list],
        request=request,
    )
    return render(
        request,
        "casework/caseload.html",
        {
            "rows": page.object_list,
            "page": page,
            "include_closed": include_closed,
            "columns": _sort_columns(sort, descending, include_closed),
            "sort_query": f"sort={'-' if descending else ''}{sort}",
            # Partners on a team see neither the family nor the workers'
            # targets (asked once, not in each row).
            "team_view": team_view,
        },
    )


# The caseload's columns: heading, sort key, and whether partners see it.
_COLUMNS = [
    ("Family", "family", True),
    ("Status", "status", True),
    ("Level of need", "need", False),
    ("Allocated", "allocated", True),
    ("Next review", "next_review", False),
    ("Last contact", "last_contact", False),
    ("Lead practitioner", "lead", True),
]


def _sort_columns(
    sort: str, descending: bool, include_closed: bool
) -> list[dict[str, object]]:
    """Each column's heading, its ``aria-sort`` and the link that sorts by it
    (ascending first; the sorted column's link reverses it)."""
    closed = "&closed=1" if include_closed else ""
    out: list[dict[str, object]] = []
    for heading, key, partners in _COLUMNS:
        current = key == sort
        aria = ("descending" if descending else "ascending") if current else "none"
        flip = "" if current and descending else ("-" if current else "")
        out.append(
            {
                "heading": heading,
                "key": key,
                "aria_sort": aria,
                "href": f"?sort={flip}{key}{closed}",
                "partners": partners,
            }
        )
    return out


@never_cache
@login_required
@scoped(case_get_for_user)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None:
        raise Http404
    if sees_team_view_only(user):
        # Partners on the team see the team, the plan, the children's names
        # and how to reach the lead practitioner: not the family's address or
        # other details.
        team = case_team(case)
        children = list(people_on_case(case.pk).filter(role=MemberRole.CHILD))
        # The case's read and its children's, in one INSERT.
        access_log_record_many(
            user=user, objs=[case, *children], action="view", request=request
        )
        context = {
            "case": case,
            **case_heading(user, case),
            "team": team,
            # They work with the family too: they need to reach its GP, school…
            "contacts": list(case_contacts(case.pk)),
            "children": children,
            "lead": next((m.user for m in team if m.is_lead), case.lead_practitioner),
            "may_download_plan": may_download_plan_pdf(user, case),
        }
        return render(request, "casework/case_team_view.html", context)
    show = timeline_show(request.GET.getlist("show"))
    data = case_page_data(case, show=show)
    can_lead = may_lead(user, case)
    amendable = notes_amendable_by(
        user, case, [e["note"] for e in data["timeline"] if "note" in e]
    )
    for entry in data["timeline"]:
        entry["can_amend"] = "note" in entry and entry["note"].pk in amendable
    can_work = may_work_on(user, case)
    # The case's read and its people's, in one INSERT; the household's other
    # people are shown in passing: their reads count too.
    access_log_record_many(
        user=user,
        objs=[case, *data["people"], *data["household_others"]],
        action="view",
        request=request,
    )
    return render(
        request,
        "casework/case.html",
        {
            "case": case,
            **case_heading(user, case),
            "can_work": can_work,
            "can_lead": can_lead,
            "may_sign_off": may_sign_off_closure(user, case),
            "may_download_plan": may_download_plan_pdf(user, case),
            "may_download_summary": may_download_case_summary(
                user, case, works_on=can_work
            ),
            # The same rule as leading (``may_record_consent``), read once.
            "can_record_consent": can_lead,
            # Offered only while a withdrawal closes partners' access.
            "can_override_consent": bool(data["sharing_withdrawals"])
            and may_override_consent(user, case),
            "progress": case_progress(case, people=data["people"]),
            "note_kinds": NoteKind.choices,
            "note_refused": _note_refused(request),
            "show": show,
            "show_summary": show_summary(show),
            "shows": [
                {"code": code, "label": label, "hint": SHOW_HINTS[code]}
                for code, label in SHOWS.items()
            ],
            **data,
        },
    )


NOTE_REFUSED = "casework.note_refused"
NOTE_FIELDS = ("kind", "text")


def _note_refused(request: HttpRequest) -> dict[str, Any] | None:
    """A note the case's page refused a moment ago (once): what was typed and
    each problem, against the note's field it concerns (``note-kind``,
    ``note-text``)."""
    refused = request.session.pop(NOTE_REFUSED, None)
    if not isinstance(refused, dict):
        return None
    problems = [
        (field if field in NOTE_FIELDS else "text", message)
        for field, message in refused.get("problems", [])
    ]
    return {
        **refused,
        "problems": problems,
        "errors": dict(reversed(problems)),
    }


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_work_on)
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a note to the chronology."""
    user, case = workable_case(request, case_id)
    try:
        case_note_add(
            case_id=case.pk,
            actor=user,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            significant=request.POST.get("significant") == "1",
        )
    except DomainError as exc:
        # The case page shows the note again, every problem by its field.
        request.session[NOTE_REFUSED] = {
            "problems": [[field, message] for field, message in exc.problems],
            "kind": request.POST.get("kind", ""),
            "text": request.POST.get("text", ""),
            "significant": request.POST.get("significant") == "1",
        }
    else:
        messages.success(request, "Note added.")
    return redirect("casework:case", case_id=case.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_amend_note)
def note_amend(request: HttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """Amend a chronology note: the new text and why; the original stays on the
    record. Its author, or a manager of the case's locality (``may_amend_note``);
    404 for anyone else, as for a note that does not exist."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    note = (
        None
        if case is None
        else case.notes.select_related("author").filter(pk=note_id).first()
    )
    if case is None or note is None or not may_amend_note(user, case, note):
        raise Http404
    form = NoteAmendForm(request.POST if request.method == "POST" else None, note=note)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_amend(
                note_id=note.pk,
                actor=user,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Note amended. The original stays on the record.")
            return redirect(
                f"{reverse('casework:case', args=[case.pk])}#note-{note.pk}"
            )
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/note_amend.html",
        {
            "case": case,
            **case_heading(user, case),
            "form": form,
            "note": note,
            "amendments": list(note.amendments.select_related("amended_by")),
        },
    )
