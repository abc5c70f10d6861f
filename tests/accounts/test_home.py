import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db

HEADINGS = {role: role.label for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_own_home_page_with_localities_and_organisation(client, role):
    user = UserFactory(
        role=role,
        localities=["erdington", "ladywood"],
        organisation__name="Kingstanding Academy",
    )
    if user.is_staff_role:
        sign_in_verified(client, user)
    else:
        sign_in(client, user)
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="home-heading">{HEADINGS[role]}<' in html
    assert "Erdington" in html and "Ladywood" in html
    assert "Kingstanding Academy" in html
    assert "no-store" in page["Cache-Control"]


def test_a_user_without_a_role_sees_nothing(client):
    user = UserFactory(role="")
    sign_in(client, user)
    page = client.get("/")
    assert page.status_code == 200
    assert b'data-testid="no-role"' in page.content
    assert b"Erdington" not in page.content
