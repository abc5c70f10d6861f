from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.roles import STAFF_ROLES, Role
from core.models import TimeStampedModel

if TYPE_CHECKING:
    from localities.models import Locality


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    NURSERY = "nursery", "Nursery"
    COLLEGE = "college", "College"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    VCS = "vcs", "Voluntary and community sector"
    CHILDRENS_TRUST = "childrens_trust", "Children's trust"
    COUNCIL = "council", "Council"
    OTHER = "other", "Other"


class Organisation(TimeStampedModel):
    Kind = OrganisationKind

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    school_urn = models.CharField(
        "school URN", max_length=7, blank=True, null=True, unique=True
    )
    locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(school_urn__isnull=True)
                | models.Q(school_urn__regex=r"^[0-9]{6,7}$"),
                name="organisation_school_urn_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address.

    ``role`` is empty for a user who has not been given a role: such a user sees
    nothing beyond the home page (deny by default).
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    # A work number partners on a family's team can ring; optional.
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    localities: models.ManyToManyField[Locality, LocalityMembership] = (
        models.ManyToManyField(
            "localities.Locality",
            through="LocalityMembership",
            related_name="members",
            blank=True,
        )
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May use the Django administration site."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["", *Role.values]),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class LocalityMembership(TimeStampedModel):
    """A user's membership of a locality (practitioners and locality managers)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    locality = models.ForeignKey(
        "localities.Locality", on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.locality}"


def api_token_digest(raw: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is a safe one-way key."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(TimeStampedModel):
    """An API token; only its SHA-256 digest is stored. It authenticates until
    it expires (``API_TOKEN_LIFETIME_DAYS`` after issue) or is revoked (by its
    owner, an administrator, or the owner's password change)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(
        max_length=8, help_text="First characters, to tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
