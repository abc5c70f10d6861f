from __future__ import annotations

from typing import cast

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LocalityMembership, Organisation, User
from accounts.roles import Role
from localities.models import Locality

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.PRACTITIONER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def localities(
        self, create: bool, extracted: list[str] | None, **kwargs: object
    ) -> None:
        if not create or not extracted:
            return
        for slug in extracted:
            LocalityMembership.objects.create(
                user=cast(User, self), locality=Locality.objects.get(slug=slug)
            )


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True
