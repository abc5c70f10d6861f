"""The team around the family: adding someone, taking them off."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from casework.access import case_get_for_user, may_lead
from casework.services.team import case_member_add, case_member_remove
from core.errors import DomainError
from core.view_access import scoped


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_lead)
def team_change(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add someone to the team around the family, or take them off."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_lead(user, case):
        raise Http404
    try:
        if request.POST.get("remove"):
            case_member_remove(
                case_id=case.pk, actor=user, member_id=int(request.POST["remove"])
            )
            messages.success(request, "Taken off the team.")
        else:
            member = case_member_add(
                case_id=case.pk, actor=user, email=request.POST.get("email", "")
            )
            messages.success(request, f"{member.user.display_name} added to the team.")
    except ValueError:
        messages.error(request, "That person is not on the team")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("casework:case", case_id=case.pk)
