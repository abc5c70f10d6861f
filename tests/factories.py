from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LocalityMembership, Organisation, User
from accounts.roles import Role
from casework.models import Case, CaseMember, CasePerson
from families.models import Family, Person
from families.names import name_key
from family_connect.models import FamilyConnectForm, Reason
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
    # A made-up staff name can never share a word with the families' names
    # that tests look for (or for the absence of) on a page.
    full_name = factory.Sequence(lambda n: f"Staff {n} Member")
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


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    postcode = "B23 6TJ"
    address_line = factory.Sequence(lambda n: f"{n} Example Road")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    role = "child"
    given_name = "Ayesha"
    family_name = "Khan"
    given_name_key = factory.LazyAttribute(lambda o: name_key(o.given_name))
    family_name_key = factory.LazyAttribute(lambda o: name_key(o.family_name))
    date_of_birth = datetime.date(2014, 5, 2)
    sex = "female"
    ethnicity = "asian_pakistani"

    @factory.post_generation
    def on_cases(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A person made in a household with cases is on them, as if named on
        the forms that opened them; ``on_cases=False`` makes someone who joined
        the household later and is on none of them."""
        person = cast(Person, self)
        if create and extracted is not False and person.family_id is not None:
            on_opening_forms(Case.objects.filter(family=person.family), [person])


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    locality = factory.LazyFunction(lambda: Locality.objects.get(slug="erdington"))
    lead_practitioner = factory.SubFactory(
        UserFactory, role=Role.PRACTITIONER, localities=["erdington"]
    )
    status = "allocated"
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def lead_member(self, create: bool, extracted: object, **kwargs: object) -> None:
        # As allocation does: the lead is the first member of the team.
        if create:
            case = cast(Case, self)
            if not CaseMember.objects.filter(case=case, is_lead=True).exists():
                join_team(case, case.lead_practitioner, is_lead=True)

    @factory.post_generation
    def household_on_case(
        self, create: bool, extracted: object, **kwargs: object
    ) -> None:
        # As allocation does: the people of the opening form (here, the
        # household as it is) are on the case.
        if create and extracted is not False:
            case = cast(Case, self)
            on_opening_forms([case], Person.objects.filter(family_id=case.family_id))


def on_opening_forms(cases: Iterable[Case], people: Iterable[Person]) -> None:
    """Each person on each case, as if named on the form that opened it."""
    people = list(people)
    CasePerson.objects.bulk_create(
        [
            CasePerson(
                case=case,
                locality_id=case.locality_id,
                person=person,
                added_at=case.opened_at,
                source=CasePerson.Source.OPENING_FORM,
            )
            for case in cases
            for person in people
        ],
        ignore_conflicts=True,
    )


def join_team(case: Case, user: Any, *, is_lead: bool = False) -> CaseMember:
    """Put a user on a case's team with the grants their role allows, as the
    team service does."""
    from casework.grants import team_member_create

    return team_member_create(case=case, user=user, added_by=None, is_lead=is_lead)


class FormFactory(factory.django.DjangoModelFactory):
    """A submitted form as intake leaves it (use the API in tests of intake)."""

    class Meta:
        model = FamilyConnectForm
        skip_postgeneration_save = True

    # Shaped as a real reference (FC-XXXX-XXXX) however long the run: a search
    # reads only that shape as a reference.
    reference = factory.Sequence(
        lambda n: f"FC-T{n // 10000 % 1000:03d}-{n % 10000:04d}"
    )
    status_key = factory.Sequence(lambda n: f"status-key-{n}")
    route = "school"
    request_type = "support"
    received_at = factory.LazyFunction(timezone.now)
    postcode = "B23 6TJ"
    locality = factory.LazyFunction(lambda: Locality.objects.get(slug="erdington"))
    level_of_need = "additional"
    consent = True

    @factory.post_generation
    def reason_codes(
        self, create: bool, extracted: list[str] | None, **kwargs: object
    ) -> None:
        if create:
            form = cast(FamilyConnectForm, self)
            form.reasons.set(Reason.objects.filter(code__in=extracted or ["education"]))


def grant_citywide_triage(user: User) -> User:
    """Give a locality manager the city-wide unresolved queue."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="triage_citywide"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached
