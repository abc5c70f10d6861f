"""Team membership is an object-level grant in guardian's direct foreign-key
table, and the access choke point reads the grant."""

from __future__ import annotations

import pytest
from guardian.models import UserObjectPermission

from accounts.roles import Role
from casework.access import case_queryset_for_user, may_work_on
from casework.grants import VIEW, WORK, case_revoke
from casework.models import CaseMember, CaseUserObjectPermission
from casework.services.team import case_member_add, case_member_remove
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, join_team

pytestmark = pytest.mark.django_db


def grants(user, case):
    return set(
        CaseUserObjectPermission.objects.filter(
            user=user, content_object=case
        ).values_list("permission__codename", flat=True)
    )


def test_joining_the_team_grants_what_the_role_allows_in_the_direct_table():
    case = CaseFactory()
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    dsl = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    case_member_add(case_id=case.pk, actor=case.lead_practitioner, email=worker.email)
    case_member_add(case_id=case.pk, actor=case.lead_practitioner, email=dsl.email)

    assert grants(worker, case) == {"view_case", "change_case"}
    assert grants(dsl, case) == {"view_case"}
    assert grants(case.lead_practitioner, case) == {"view_case", "change_case"}
    # Never the text-keyed generic table.
    assert not UserObjectPermission.objects.exists()
    # Guardian's backend answers from the same rows.
    assert worker.has_perm(WORK, case) and dsl.has_perm(VIEW, case)
    assert not dsl.has_perm(WORK, case)


def test_leaving_the_team_revokes_at_once():
    case = CaseFactory()
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    member = join_team(case, worker)
    assert case_queryset_for_user(worker).filter(pk=case.pk).exists()
    assert may_work_on(worker, case)

    case_member_remove(
        case_id=case.pk, actor=case.lead_practitioner, member_id=member.pk
    )

    assert grants(worker, case) == set()
    assert not case_queryset_for_user(worker).filter(pk=case.pk).exists()
    assert not may_work_on(worker, case)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.REQUESTER])
def test_access_reads_the_grant_not_the_team_row(role):
    case = CaseFactory()
    kwargs = (
        {"localities": ["erdington"]}
        if role == Role.PRACTITIONER
        else {"organisation": OrganisationFactory()}
    )
    user = UserFactory(role=role, **kwargs)
    join_team(case, user)
    case_revoke(user, case, VIEW)
    case_revoke(user, case, WORK)

    assert CaseMember.objects.filter(case=case, user=user).exists()
    assert not case_queryset_for_user(user).filter(pk=case.pk).exists()
    assert not may_work_on(user, case)


def test_a_view_grant_alone_does_not_let_a_practitioner_work_on_the_case():
    case = CaseFactory()
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    join_team(case, worker)
    case_revoke(worker, case, WORK)
    assert case_queryset_for_user(worker).filter(pk=case.pk).exists()
    assert not may_work_on(worker, case)
