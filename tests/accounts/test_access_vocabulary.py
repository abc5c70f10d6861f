"""The access vocabulary the apps' access rules are written in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.access import active_user, manages_locality, works_in_locality
from family_connect.access import routes_for_user
from tests.factories import OrganisationFactory, UserFactory
from tests.scorecard.helpers import loc

pytestmark = pytest.mark.django_db


def test_only_a_signed_in_active_account_counts():
    user = UserFactory(role="practitioner", localities=["erdington"])
    assert active_user(user)
    assert not active_user(AnonymousUser()) and not active_user(None)
    user.is_active = False
    assert not active_user(user)
    assert not works_in_locality(user, loc("erdington").pk)


def test_managing_a_locality_is_a_manager_who_is_a_member_of_it():
    erdington, ladywood = loc("erdington").pk, loc("ladywood").pk
    manager = UserFactory(role="locality_manager", localities=["erdington"])
    practitioner = UserFactory(role="practitioner", localities=["erdington"])
    assert manages_locality(manager, erdington)
    assert not manages_locality(manager, ladywood)
    assert not manages_locality(manager, None)
    assert works_in_locality(practitioner, erdington)
    assert not manages_locality(practitioner, erdington)
    manager.is_active = False
    assert not manages_locality(manager, erdington)


def test_an_inactive_requester_has_only_the_public_route():
    requester = UserFactory(
        role="requester", organisation=OrganisationFactory(kind="school")
    )
    assert routes_for_user(requester)[0] == "school"
    requester.is_active = False
    # As for anyone not signed in: the family's own route.
    assert routes_for_user(requester) == ["family"]
