"""Writes to users, memberships and API tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    ApiToken,
    LocalityMembership,
    Organisation,
    OrganisationKind,
    User,
    api_token_digest,
)
from accounts.phone import phone_clean
from accounts.revisit import RoleChange, access_revisit
from accounts.roles import ADMINISTRATORS_GROUP, Role
from accounts.selectors import api_tokens_of_user
from core.change_log import change_record
from core.errors import InvalidInput
from core.notifications import Message, notifications_queue
from localities.models import Locality


@dataclass(frozen=True)
class UserSaveResult:
    user: User
    created: bool
    removed: tuple[str, ...] = ()


class _Keep(Enum):
    KEEP = "keep"


# ``organisation=KEEP`` leaves the user's organisation as it is.
KEEP = _Keep.KEEP


@transaction.atomic
def user_save(
    *,
    email: str,
    role: str,
    locality_slugs: list[str] | None = None,
    organisation_name: str | None = None,
    organisation_kind: str | None = None,
    password: str | None = None,
    full_name: str | None = None,
    phone: str | None = None,
    organisation: Organisation | None | _Keep = KEEP,
    is_active: bool | None = None,
    actor: User | None = None,
    user_id: int | None = None,
) -> UserSaveResult:
    """Create the user with this e-mail, or update the existing one.

    The role replaces the old one; when locality slugs are given they replace the
    user's memberships; a new organisation name creates the organisation (of
    ``organisation_kind``, else "other"; an existing one keeps its kind unless
    a kind is given), or ``organisation`` sets (or, with None, clears) it. Every
    input is
    checked before anything is written. With ``user_id`` that user is updated
    and ``email`` becomes their address. ``full_name`` and ``phone`` left as
    None keep what the user has.

    A change of role or localities revisits, in this transaction, every team
    place and case grant the user holds (``accounts.revisit``): what the new
    role cannot hold is removed, or the whole change is refused. Administrators
    join the "Administrators" group that opens the administration site; any
    other role leaves it. Every change is written to the change log, by
    ``actor`` (None: a command run on the server).
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
    if organisation_kind is not None:
        if organisation_kind not in OrganisationKind.values:
            raise InvalidInput(
                f"Unknown organisation kind {organisation_kind!r}; choose one of: "
                f"{', '.join(OrganisationKind.values)}.",
                field="organisation_kind",
            )
        if not (organisation_name or "").strip():
            raise InvalidInput(
                "An organisation kind needs the organisation's name.",
                field="organisation_kind",
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

    same_email = User.objects.filter(email__iexact=email)
    if user_id is None:
        user = same_email.select_for_update().first()
    else:
        user = User.objects.select_for_update().get(pk=user_id)
        if same_email.exclude(pk=user_id).exists():
            raise InvalidInput(
                f"Another user has the e-mail address {email}.", field="email"
            )
    created = user is None
    if user is None:
        user = User(email=email)
        before: dict[str, Any] | None = None
        localities_before: frozenset[int] = frozenset()
    else:
        before = _snapshot(user)
        localities_before = _locality_ids(user)
    role_before = user.role
    user.email = email
    user.role = role
    if full_name is not None:
        user.full_name = full_name.strip()
    if phone is not None:
        user.phone = phone.strip()
    if is_active is not None:
        user.is_active = is_active
    if password is not None:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    kind_before: str | None = None
    if organisation_name:
        user.organisation, made = Organisation.objects.get_or_create(
            name=organisation_name.strip(),
            defaults={"kind": organisation_kind or OrganisationKind.OTHER},
        )
        found = user.organisation
        if organisation_kind and not made and found.kind != organisation_kind:
            kind_before = found.kind
            found.kind = organisation_kind
            found.save(update_fields=["kind", "updated_at"])
    elif organisation is not KEEP:
        user.organisation = organisation
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()
    if kind_before is not None and user.organisation is not None:
        change_record(
            actor=actor or user,
            obj=user.organisation,
            before={"kind": kind_before},
            after={"kind": organisation_kind, "by": _by(actor)},
        )
    _administrators_group_sync(user)

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
    change = RoleChange(
        user=user,
        actor=actor,
        role_before=role_before,
        role_after=role,
        localities_before=localities_before,
        localities_after=_locality_ids(user),
    )
    removed = access_revisit(change) if change.changed and not created else []
    _change_log(user, actor, before, _snapshot(user), removed)
    return UserSaveResult(user=user, created=created, removed=tuple(removed))


def _locality_ids(user: User) -> frozenset[int]:
    return frozenset(
        LocalityMembership.objects.filter(user=user).values_list(
            "locality_id", flat=True
        )
    )


def _snapshot(user: User) -> dict[str, Any]:
    """What the change log compares: who the user is and what they may reach."""
    return {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "localities": sorted(
            LocalityMembership.objects.filter(user=user).values_list(
                "locality__slug", flat=True
            )
        ),
        "organisation": user.organisation.name if user.organisation else None,
        "is_active": user.is_active,
    }


def _change_log(
    user: User,
    actor: User | None,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    removed: list[str],
) -> None:
    """One change-log entry with the fields that changed and what the change
    took away; nothing when nothing changed."""
    if before is not None:
        changed = [k for k in after if after[k] != before[k]]
        if not changed:
            return
        before = {k: before[k] for k in changed}
        after = {k: after[k] for k in changed}
        if removed:
            after["removed"] = removed
    if actor is None:
        after["by"] = _by(actor)
    change_record(actor=actor or user, obj=user, before=before, after=after)


def _by(actor: User | None) -> str:
    return "command line" if actor is None else actor.email


def _administrators_group_sync(user: User) -> None:
    """The administration site opens to administrators through their group
    (created by a data migration), never through superuser status."""
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    if user.role == Role.ADMINISTRATOR:
        user.groups.add(group)
    else:
        user.groups.remove(group)


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


def _password_replace(user: User, new: str) -> None:
    """Check and set a new password. Every API token of the user is revoked:
    whoever knew the old password may have made off with one. Preconditions:
    inside the caller's transaction."""
    try:
        validate_password(new, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="new") from exc
    user.set_password(new)
    user.save(update_fields=["password"])
    api_tokens_revoke(tokens=ApiToken.objects.filter(user=user))


@transaction.atomic
def password_change(*, user: User, current: str, new: str) -> None:
    """Change the user's own password. Every other session of the user ends
    (their session hash no longer matches); the caller keeps its own with
    ``update_session_auth_hash``. Every API token of the user is revoked in
    the same transaction: whoever knew the old password may have made off with
    one. An e-mail tells the user, without any case data."""
    if not user.check_password(current):
        raise InvalidInput("Your current password is not correct", field="current")
    _password_replace(user, new)
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


# --- Set-password links and two-factor resets (the administration site) -----------

set_password_tokens = PasswordResetTokenGenerator()


def password_link_send(*, user_id: int, actor: User) -> User:
    """E-mail the user a one-time link to choose a password (a new user, or one
    who has forgotten theirs). Nobody else sees the link: it goes only into the
    outbox. The link stops working once used, when the password changes
    otherwise, and after ``PASSWORD_RESET_TIMEOUT`` seconds."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if not user.is_active:
            raise InvalidInput(f"{user.email} cannot sign in: make them active first.")
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = set_password_tokens.make_token(user)
        link = (
            f"{settings.SITE_URL}{reverse('accounts:password_set', args=[uid, token])}"
        )
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        notifications_queue(
            [
                Message(
                    key=f"set-password:{user.pk}:{timezone.now().isoformat()}",
                    to=user.email,
                    subject="Choose your Early Help Connect password",
                    body=(
                        "Use this link to choose a password for Early Help Connect. "
                        f"It works once, within {days} "
                        f"{'day' if days == 1 else 'days'}. If you did not expect "
                        "it, tell your manager or the service desk.\n\n"
                        f"{link}\n"
                    ),
                )
            ]
        )
        change_record(
            actor=actor, obj=user, before={}, after={"set_password_link": "sent"}
        )
    return user


def password_link_user(uidb64: str, token: str) -> User | None:
    """The user a set-password link is for, while the link is still valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not set_password_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_set(*, uidb64: str, token: str, new: str) -> User:
    """Set the password a link was sent for. Every session of the user ends
    (their session hash no longer matches), and the link cannot be used
    again (the token covers the password)."""
    user = password_link_user(uidb64, token)
    if user is None:
        raise InvalidInput("This link has expired or has already been used")
    user = User.objects.select_for_update().get(pk=user.pk)
    _password_replace(user, new)
    change_record(actor=user, obj=user, before={}, after={"password": "set by link"})
    return user


def two_factor_reset(*, device_id: int, actor: User) -> None:
    """Delete a user's authenticator device: at their next sign-in they enrol
    a new one (and a session verified with it is no longer verified)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .select_related("user")
            .filter(pk=device_id)
            .first()
        )
        if device is None:
            return
        before = {
            "user": device.user.email,
            "name": device.name,
            "confirmed": device.confirmed,
        }
        change_record(
            actor=actor, obj=device, before=before, after=None, object_id=device.pk
        )
        device.delete()


@transaction.atomic
def user_phone_change(*, user_id: int, phone: str) -> bool:
    """Set the user's own work phone number (a UK number, or "" for none),
    which partners on their cases see; whether it changed. Bad input raises
    ``InvalidInput`` and changes nothing; a change is written to the change
    log, by the user themselves."""
    cleaned = phone_clean(phone)
    user = User.objects.select_for_update().get(pk=user_id)
    before = user.phone
    if cleaned == before:
        return False
    user.phone = cleaned
    user.save(update_fields=["phone"])
    change_record(
        actor=user, obj=user, before={"phone": before}, after={"phone": cleaned}
    )
    return True
