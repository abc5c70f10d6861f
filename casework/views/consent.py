"""Consent pages: record a person's consent, record its withdrawal, and (for a
manager) override a withdrawal of information sharing for safeguarding."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from casework.access import (
    case_get_for_user,
    may_override_consent,
    may_record_consent,
)
from casework.forms import (
    GIVER_HINTS,
    ConsentForm,
    ConsentOverrideForm,
    ConsentWithdrawalForm,
)
from casework.models import Case, ConsentPurpose
from casework.selectors.cases import people_on_case
from casework.selectors.consent import case_consents, overridable, withdrawable
from casework.services.consent import (
    consent_override_record,
    consent_record,
    consent_withdraw,
)
from casework.views.cases import case_heading
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.view_access import scoped

CONSENT_SECTION = "#consent"


def _case_for(
    request: HttpRequest, case_id: int, allowed: Callable[[User, Case], bool]
) -> tuple[User, Case]:
    """The user and the case, if ``allowed(user, case)``; 404 otherwise (as
    for a case that does not exist)."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not allowed(user, case):
        raise Http404
    return user, case


def _back(case: Case) -> str:
    return reverse("casework:case", args=[case.pk]) + CONSENT_SECTION


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_record_consent)
def consent_record_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a person's consent: to the request for early help, to sharing
    information with named agencies, or both; who gave it and when."""
    user, case = _case_for(request, case_id, may_record_consent)
    people = list(people_on_case(case.pk))
    chosen = request.GET.get("person", "")
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        people=people,
        initial={"person": chosen} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                case_id=case.pk,
                actor=user,
                person_id=int(data["person"]),
                purposes=data["purposes"],
                agencies=data["agencies"],
                given_by=data["given_by"],
                given_by_name=data["given_by_name"],
                given_on=data["given_on"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Consent recorded.")
            return redirect(_back(case))
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/consent_record.html",
        {
            "case": case,
            **case_heading(user, case),
            "form": form,
            "giver_hints": GIVER_HINTS,
            "back": _back(case),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_record_consent)
def consent_withdraw_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record that someone withdrew a consent: which, who withdrew it, when,
    and what they said. Withdrawing information sharing closes partners'
    access to the case at once."""
    user, case = _case_for(request, case_id, may_record_consent)
    standing = withdrawable(case_consents(case.pk))
    chosen = request.GET.get("consent", "")
    form = ConsentWithdrawalForm(
        request.POST if request.method == "POST" else None,
        consents=standing,
        initial={"consent": chosen} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            withdrawal = consent_withdraw(
                case_id=case.pk,
                actor=user,
                consent_id=int(data["consent"]),
                withdrawn_by=data["withdrawn_by"],
                withdrawn_by_name=data["withdrawn_by_name"],
                withdrawn_on=data["withdrawn_on"],
                details=data["details"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            sharing = withdrawal.consent.purpose == ConsentPurpose.INFORMATION_SHARING
            messages.success(
                request,
                "Withdrawal recorded. Partners on the team no longer see this case."
                if sharing
                else "Withdrawal recorded.",
            )
            return redirect(_back(case))
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(
        user=user,
        objs=list({c.person_id: c.person for c in standing}.values()),
        action="view",
        request=request,
    )
    return render(
        request,
        "casework/consent_withdraw.html",
        {
            "case": case,
            **case_heading(user, case),
            "form": form,
            "standing": standing,
            "giver_hints": GIVER_HINTS,
            "back": _back(case),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_override_consent)
def consent_override_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """A manager keeps partners' access to the case despite a withdrawal of
    information-sharing consent, for a safeguarding reason the data
    protection officer reviews."""
    user, case = _case_for(request, case_id, may_override_consent)
    withdrawals = overridable(case_consents(case.pk))
    chosen = request.GET.get("withdrawal", "")
    if not chosen and len(withdrawals) == 1:
        chosen = str(withdrawals[0].pk)
    form = ConsentOverrideForm(
        request.POST if request.method == "POST" else None,
        withdrawals=withdrawals,
        initial={"withdrawal": chosen} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_override_record(
                case_id=case.pk,
                actor=user,
                withdrawal_id=int(form.cleaned_data["withdrawal"]),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                "Override recorded. Partners on the team see this case again.",
            )
            return redirect(_back(case))
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(
        user=user,
        objs=list(
            {w.consent.person_id: w.consent.person for w in withdrawals}.values()
        ),
        action="view",
        request=request,
    )
    return render(
        request,
        "casework/consent_override.html",
        {
            "case": case,
            **case_heading(user, case),
            "form": form,
            "withdrawals": withdrawals,
            "back": _back(case),
        },
    )
