"""The professionals around a family: adding a contact and correcting one."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from casework.access import case_get_for_user, may_lead
from casework.forms import ContactForm
from casework.models import OPEN_STATUSES, Case, CaseContact
from casework.services.contacts import case_contact_add, case_contact_edit
from casework.views.cases import case_heading
from core.access_log import access_log_record
from core.errors import DomainError
from core.view_access import scoped


def _contacts_to_change(request: HttpRequest, case_id: int) -> tuple[User, Case]:
    """The user and the open case whose contacts they may change: its lead
    practitioner or a manager of its locality. 404 for anyone else, as for a
    case that does not exist; a closed case's contacts stay as they were."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_lead(user, case) or case.status not in OPEN_STATUSES:
        raise Http404
    return user, case


def _back_to_contacts(case: Case) -> HttpResponse:
    return redirect(f"{reverse('casework:case', args=[case.pk])}#contacts")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_lead)
def contact_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a professional around the family (GP, school, health visitor, …)."""
    user, case = _contacts_to_change(request, case_id)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = case_contact_add(
                case_id=case.pk, actor=user, data=form.to_input()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{contact.name} added to the contacts.")
            return _back_to_contacts(case)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/contact_form.html",
        {"case": case, **case_heading(user, case), "form": form, "contact": None},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_lead)
def contact_edit(request: HttpRequest, case_id: int, contact_id: int) -> HttpResponse:
    """Correct a professional contact; the change is kept in the case's history
    with what it said before."""
    user, case = _contacts_to_change(request, case_id)
    contact: CaseContact | None = case.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    form = ContactForm(
        request.POST if request.method == "POST" else None, contact=contact
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_contact_edit(contact_id=contact.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Contact saved.")
            return _back_to_contacts(case)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/contact_form.html",
        {"case": case, **case_heading(user, case), "form": form, "contact": contact},
    )
