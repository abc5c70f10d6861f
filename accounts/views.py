from __future__ import annotations

import base64
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts.forms import (
    DetailsForm,
    PasswordChangeForm,
    PasswordSetForm,
    SignInForm,
    TokenForm,
)
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import ApiToken, User
from accounts.selectors import api_tokens_of_user
from accounts.services import (
    api_token_revoke,
    password_change,
    password_link_user,
    password_set,
    user_phone_change,
)
from accounts.two_factor import confirmed_device, pending_device
from core.errors import InvalidInput
from core.view_access import public, signed_in


@public("signing in")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # rotates the session id
        now = timezone.now().timestamp()
        self.request.session[SIGNED_IN_AT] = now
        self.request.session[LAST_SEEN_AT] = now
        return response


@public("signing out ends the session")
class SignOutView(auth_views.LogoutView):
    pass


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@signed_in("the user's own authenticator")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the key as a QR code and as text, then
    confirm it with a first code."""
    if confirmed_device(request.user):
        return redirect("accounts:two_factor_verify")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("accounts:home")
        form.add_error("code", "The security code is not correct or has expired")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "secret": _grouped_secret(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@signed_in("the user's own second factor")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target,
                allowed_hosts={request.get_host()},
                require_https=request.is_secure(),
            ):
                target = reverse("accounts:home")
            return redirect(target)
        form.add_error(
            "code",
            "The security code is not correct or has expired"
            if allowed
            else "Too many wrong codes. Wait a minute, then try again",
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _grouped_secret(device: Any) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@signed_in("the user's own password")
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change your password; your other sign-ins end, this one carries on."""
    user = cast(User, request.user)  # login_required
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=user,
                current=form.cleaned_data["current"],
                new=form.cleaned_data["new"],
            )
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            update_session_auth_hash(request, user)  # a new session id too
            messages.success(
                request,
                "Your password has been changed. Other sign-ins have ended and "
                "your API tokens have been revoked.",
            )
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@signed_in("the user's own details")
def details_view(request: HttpRequest) -> HttpResponse:
    """Your details: who you are, and the work phone number partners on your
    cases see, which you may change."""
    user = cast(User, request.user)  # login_required
    form = DetailsForm(request.POST or None, initial={"phone": user.phone})
    if request.method == "POST" and form.is_valid():
        try:
            changed = user_phone_change(
                user_id=user.pk, phone=form.cleaned_data["phone"]
            )
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            user.refresh_from_db(fields=["phone"])
            if not changed:
                text = "Your phone number is as it was: nothing changed."
            elif user.phone:
                text = f"Your phone number is now {user.phone}."
            else:
                text = "Your phone number has been removed."
            messages.success(request, text)
            return redirect("accounts:details")
    return render(request, "accounts/details.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@public("a set-password link: its one-time token is the credential")
def password_set_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a password through the link an administrator had sent; every
    session of the user ends, and the link cannot be used again."""
    if password_link_user(uidb64, token) is None:
        return render(request, "accounts/password_set_expired.html", status=200)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_set(uidb64=uidb64, token=token, new=form.cleaned_data["new"])
        except InvalidInput as exc:
            form.add_domain_error(exc, otherwise="new")
        else:
            messages.success(
                request, "Your password has been set. Sign in with it now."
            )
            return redirect("accounts:sign_in")
    return render(request, "accounts/password_set.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET"])
@signed_in("the user's own API tokens")
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: when each was issued, last used and expires, and
    a button to revoke each one still active."""
    user = cast(User, request.user)  # login_required
    tokens = api_tokens_of_user(user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens})


@never_cache
@login_required
@require_http_methods(["POST"])
@signed_in("the user's own API tokens")
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    try:
        api_token_revoke(token_id=token_id, user=user)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, "The API token has been revoked.")
    return redirect("accounts:api_tokens")
