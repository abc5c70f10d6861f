"""The signed-in user's home page: what their role does, and where to go."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.roles import ROLE_SUMMARIES, Role
from accounts.selectors import localities_for_user
from accounts.two_factor import needs_two_factor
from core.view_access import signed_in

HOME_TEMPLATES = {role: f"accounts/home/{role.value}.html" for role in Role}


@never_cache
@login_required
@require_GET
@signed_in("the home page: links for the user's role, no records")
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home page: their role, localities and organisation."""
    user = cast(User, request.user)  # login_required
    role = Role(user.role) if user.role in Role.values else None
    context = {
        "role": role,
        "role_summary": ROLE_SUMMARIES.get(role) if role else None,
        "role_template": HOME_TEMPLATES.get(role) if role else None,
        "localities": list(localities_for_user(user)),
        "organisation": user.organisation,
        "needs_two_factor": needs_two_factor(request, user),
    }
    return render(request, "accounts/home.html", context)
