"""Writes to users, memberships and API tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import (
    ApiToken,
    LocalityMembership,
    Organisation,
    User,
    api_token_digest,
)
from accounts.roles import Role
from accounts.selectors import api_tokens_of_user
from core.errors import InvalidInput
from core.notifications import Message, notifications_queue
from localities.models import Locality


@dataclass(frozen=True)
class UserSaveResult:
    user: User
    created: bool


@transaction.atomic
def user_save(
    *,
    email: str,
    role: str,
    locality_slugs: list[str] | None = None,
    organisation_name: str | None = None,
    password: str | None = None,
    full_name: str | None = None,
) -> UserSaveResult:
    """Create the user with this e-mail, or update the existing one.

    The role replaces the old one; when locality slugs are given they replace the
    user's memberships; a new organisation name creates the organisation (kind
    "other"). Every input is checked before anything is written.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            f"Enter a valid e-mail address (got {email!r}).", field="email"
        ) from exc
    if role not in Role.values:
        raise InvalidInput(
            f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.",
            field="role",
        )
    slugs = list(dict.fromkeys(locality_slugs or []))
    localities = list(Locality.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {loc.slug for loc in localities})
    if missing:
        known = ", ".join(
            Locality.objects.order_by("slug").values_list("slug", flat=True)
        )
        raise InvalidInput(
            f"Unknown locality {', '.join(missing)}; known localities: {known}.",
            field="locality",
        )

    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
    user.role = role
    if full_name is not None:
        user.full_name = full_name.strip()
    if password is not None:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    if organisation_name:
        organisation, _ = Organisation.objects.get_or_create(
            name=organisation_name.strip()
        )
        user.organisation = organisation
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()

    if locality_slugs is not None:
        LocalityMembership.objects.filter(user=user).exclude(
            locality__in=localities
        ).delete()
        existing = set(
            LocalityMembership.objects.filter(user=user).values_list(
                "locality_id", flat=True
            )
        )
        LocalityMembership.objects.bulk_create(
            [
                LocalityMembership(user=user, locality=loc)
                for loc in localities
                if loc.pk not in existing
            ]
        )
    return UserSaveResult(user=user, created=created)


def api_token_issue(*, user: User, name: str = "") -> str:
    """Create an API token for ``user`` and return it; only its digest is kept,
    so this is the only time it can be shown. It expires
    ``API_TOKEN_LIFETIME_DAYS`` from now."""
    raw = secrets.token_urlsafe(32)
    lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:8],
        digest=api_token_digest(raw),
        expires_at=timezone.now() + lifetime,
    )
    return raw


def api_token_user(raw: str) -> User | None:
    """The active user holding this token, or None for an unknown, revoked or
    expired token. Marks the token as used."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(
            digest=api_token_digest(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    # Write at most once a minute per token, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke every token of ``tokens`` that is not revoked yet and return how
    many. The caller has chosen the tokens: the owner's own (``api_token_revoke``),
    an administrator's selection, or all of a user's on a password change."""
    now = timezone.now()
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=now, updated_at=now)


def api_token_revoke(*, token_id: int, user: User) -> None:
    """Revoke one of ``user``'s own tokens (one already revoked stays as it
    was). A token of somebody else's raises ``ApiToken.DoesNotExist``, as one
    that does not exist does."""
    token = api_tokens_of_user(user).get(pk=token_id)
    api_tokens_revoke(tokens=ApiToken.objects.filter(pk=token.pk))


@transaction.atomic
def password_change(*, user: User, current: str, new: str) -> None:
    """Change the user's own password. Every other session of the user ends
    (their session hash no longer matches); the caller keeps its own with
    ``update_session_auth_hash``. Every API token of the user is revoked in
    the same transaction: whoever knew the old password may have made off with
    one. An e-mail tells the user, without any case data."""
    if not user.check_password(current):
        raise InvalidInput("Your current password is not correct", field="current")
    try:
        validate_password(new, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="new") from exc
    user.set_password(new)
    user.save(update_fields=["password"])
    api_tokens_revoke(tokens=ApiToken.objects.filter(user=user))
    now = timezone.localtime()
    notifications_queue(
        [
            Message(
                key=f"password-changed:{user.pk}:{now.isoformat()}",
                to=user.email,
                subject="Your Early Help Connect password was changed",
                body=(
                    f"Your Early Help Connect password was changed on "
                    f"{now:%-d %B %Y at %H:%M}. Any other sign-ins have been "
                    "ended, and any API tokens you had have been revoked: ask an "
                    "administrator for a new token if a system needs one.\n\n"
                    "If you did not change it, tell your manager or the "
                    "service desk straight away.\n\n"
                    f"{settings.SITE_URL}/sign-in/\n"
                ),
            )
        ]
    )
