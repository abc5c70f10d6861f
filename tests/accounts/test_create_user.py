import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiToken, User, api_token_digest


def run_create_user(*args: str) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_create_user_with_api_token_prints_the_token_last_and_the_token_authenticates():
    lines = run_create_user(
        "x@example.org",
        "--role",
        "locality_manager",
        "--locality",
        "erdington",
        "--api-token",
    )
    token = lines[-1]
    assert token and " " not in token and len(token) >= 40
    user = User.objects.get(email="x@example.org")
    assert user.role == "locality_manager"
    assert [loc.slug for loc in user.localities.all()] == ["erdington"]
    # Only a digest is stored, never the token itself.
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == api_token_digest(token) and token not in stored.digest

    client = APIClient()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json() == {
        "email": "x@example.org",
        "role": "locality_manager",
        "organisation": None,
        "localities": ["erdington"],
    }


@pytest.mark.django_db
def test_api_refuses_a_missing_or_wrong_token():
    run_create_user("y@example.org", "--role", "practitioner", "--api-token")
    client = APIClient()
    assert client.get("/api/v1/me/").status_code == 401
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


@pytest.mark.django_db
def test_create_user_updates_an_existing_user_and_keeps_one_row():
    run_create_user(
        "Same@Example.org", "--role", "practitioner", "--locality", "ladywood"
    )
    run_create_user(
        "same@example.org",
        "--role",
        "locality_manager",
        "--locality",
        "erdington",
        "--locality",
        "yardley",
        "--organisation",
        "Yardley Early Help",
        "--password",
        "a-long-enough-passphrase",
    )
    user = User.objects.get()
    assert user.email == "same@example.org"
    assert user.role == "locality_manager"
    assert sorted(user.localities.values_list("slug", flat=True)) == [
        "erdington",
        "yardley",
    ]
    assert user.organisation.name == "Yardley Early Help"
    assert user.check_password("a-long-enough-passphrase")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--role", "practitioner", "--locality", "atlantis"],
            "Unknown locality atlantis",
        ),
        (["--role", "practitioner", "--password", "short"], "at least 12 characters"),
        (["--role", "practitioner", "--password", "password1234"], "too common"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run_create_user("z@example.org", *args)
    assert not User.objects.filter(email="z@example.org").exists()


def test_create_user_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        run_create_user("z@example.org", "--role", "superhero")


@pytest.mark.django_db
def test_an_organisation_kind_from_the_command_line_opens_its_route():
    """``--organisation-kind school`` makes a school, whose requester submits
    by the school route through the API."""
    from rest_framework.test import APIClient

    from family_connect.models import FamilyConnectForm
    from tests.family_connect.helpers import payload

    out = run_create_user(
        "head@stocklandgreen.example",
        "--role",
        "requester",
        "--organisation",
        "Stockland Green Primary",
        "--organisation-kind",
        "school",
        "--api-token",
    )
    token = out[-1]
    user = User.objects.get(email="head@stocklandgreen.example")
    assert user.organisation.kind == "school"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        "/api/v1/family-connect/",
        payload(request__route="school"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert FamilyConnectForm.objects.get().organisation == user.organisation


@pytest.mark.django_db
def test_an_existing_organisation_keeps_its_kind_unless_one_is_given():
    from django.contrib.admin.models import LogEntry

    from accounts.models import Organisation

    run_create_user("a@example.org", "--role", "requester", "--organisation", "Oak")
    assert Organisation.objects.get(name="Oak").kind == "other"
    run_create_user(
        "b@example.org",
        "--role",
        "requester",
        "--organisation",
        "Oak",
        "--organisation-kind",
        "nursery",
    )
    run_create_user("c@example.org", "--role", "requester", "--organisation", "Oak")
    assert Organisation.objects.get(name="Oak").kind == "nursery"
    changed = LogEntry.objects.filter(object_repr="Oak").get()
    assert '"kind": "nursery"' in changed.change_message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation-kind", "school"], "needs the organisation's name"),
        (["--organisation", "Oak", "--organisation-kind", "castle"], "invalid choice"),
    ],
)
def test_a_bad_organisation_kind_changes_nothing(args, message):
    from accounts.models import Organisation

    with pytest.raises(CommandError, match=message):
        run_create_user("d@example.org", "--role", "requester", *args)
    assert not User.objects.exists() and not Organisation.objects.exists()
