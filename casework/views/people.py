"""Person pages: the record and its history, who else is involved, corrections,
moving household, and a social care referral made outside early help keyed in;
and adding people to a case."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from casework.access import (
    case_get_for_user,
    may_work_on,
    person_queryset_for_user,
    sees_team_view_only,
)
from casework.forms import (
    AddressForm,
    CasePersonNewForm,
    MoveForm,
    PersonForm,
    ReferralForm,
)
from casework.selectors.people import person_involvement, record_history
from casework.services.people import (
    case_person_add,
    family_update,
    person_move,
    person_update,
)
from casework.services.referrals import social_care_referral_record
from casework.views.cases import case_heading, workable_case
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.models import AccessLog
from core.view_access import scoped
from families.models import Person

MIDDAY = dt.time(12, 0)


def _person(request: HttpRequest, person_id: int) -> tuple[User, Person]:
    """The signed-in user and the person, if they work a case of the person's
    household; 404 otherwise. Logs the read."""
    user = cast(User, request.user)  # login_required
    person = (
        person_queryset_for_user(user)
        .select_related("family", "family__locality")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404
    access_log_record(user=user, obj=person, request=request)
    return user, person


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(person_queryset_for_user)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's record, household, referrals, who else is involved and the
    history of their record; a referral made elsewhere is recorded here."""
    user, person = _person(request, person_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        when = timezone.make_aware(
            dt.datetime.combine(
                form.cleaned_data["referred_on"],
                form.cleaned_data.get("referred_time") or MIDDAY,
            )
        )
        try:
            _referral, created = social_care_referral_record(
                person=person,
                actor=user,
                referred_at=when,
                reason=form.cleaned_data.get("reason", ""),
            )
        except DomainError as exc:
            form.add_domain_error(exc, renamed={"referred_at": "referred_on"})
        else:
            messages.success(
                request,
                "Referral recorded."
                if created
                else "This referral was already recorded: nothing changed.",
            )
            return redirect("casework:person", person_id=person.pk)
    household = (
        list(
            Person.objects.filter(family_id=person.family_id)
            .exclude(pk=person.pk)
            .order_by("role", "date_of_birth", "pk")
        )
        if person.family_id
        else []
    )
    # The household's address and its other people are shown in passing: each
    # is a read of their records too (the who-viewed page lists them).
    access_log_record_many(
        user=user,
        objs=[*([person.family] if person.family else []), *household],
        action=AccessLog.Action.VIEW,
        request=request,
    )
    history = record_history(person)
    if person.family is not None:
        history = sorted(
            history + record_history(person.family), key=lambda e: e["at"], reverse=True
        )
    return render(
        request,
        "casework/person.html",
        {
            "person": person,
            "household": household,
            "referrals": person.social_care_referrals.order_by("-referred_at"),
            "history": history,
            "form": form,
            **person_involvement(user, person),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(person_queryset_for_user)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user, person = _person(request, person_id)
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person_id=person.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Details saved.")
            return redirect("casework:person", person_id=person.pk)
    return render(
        request,
        "casework/person_form.html",
        {"person": person, "form": form, "title": "Change their details"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(person_queryset_for_user)
def person_address(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record the household's new address (for everyone who lives there)."""
    user, person = _person(request, person_id)
    family = person.family
    if family is None:
        raise Http404
    access_log_record(user=user, obj=family, request=request)
    form = AddressForm(
        request.POST or None,
        initial={"postcode": family.postcode, "address_line": family.address_line},
    )
    if request.method == "POST" and form.is_valid():
        try:
            family_update(
                family_id=family.pk,
                actor=user,
                postcode=form.cleaned_data["postcode"],
                address_line=form.cleaned_data["address_line"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Address saved for the whole household.")
            return redirect("casework:person", person_id=person.pk)
    return render(
        request,
        "casework/person_form.html",
        {"person": person, "form": form, "title": "Change the household's address"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(person_queryset_for_user, case_get_for_user)
def person_move_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Move the person into the household of another case the user works."""
    user, person = _person(request, person_id)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = case_get_for_user(user, form.cleaned_data["case"])
        if case is None or sees_team_view_only(user):
            form.add_error("case", "No case with this number in the cases you work")
        else:
            try:
                person_move(person_id=person.pk, actor=user, family_id=case.family_id)
            except DomainError as exc:
                form.add_domain_error(exc, otherwise="case")
            else:
                messages.success(request, f"Moved to the household of case {case.pk}.")
                return redirect("casework:person", person_id=person.pk)
    return render(
        request,
        "casework/person_form.html",
        {"person": person, "form": form, "title": "Move to another household"},
    )


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_work_on)
def case_person_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add someone in the household (a baby born since, say) to the case."""
    user, case = workable_case(request, case_id)
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        messages.error(request, "Choose someone in the family's household")
    else:
        try:
            person = case_person_add(case_id=case.pk, actor=user, person_id=person_id)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"{person.given_name} {person.family_name} added to the case."
            )
    return redirect("casework:case", case_id=case.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def case_person_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add someone new to the case and its household."""
    user, case = workable_case(request, case_id)
    form = CasePersonNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = case_person_add(
                case_id=case.pk,
                actor=user,
                role=form.cleaned_data["role"],
                data=form.to_input(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, f"{person.given_name} {person.family_name} added to the case."
            )
            return redirect("casework:case", case_id=case.pk)
    return render(
        request,
        "casework/case_person_new.html",
        {"case": case, "form": form, **case_heading(user, case)},
    )
