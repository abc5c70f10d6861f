import pytest
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from core.access_log import (
    access_log_for_object,
    access_log_record,
    access_log_record_many,
)
from core.models import AccessLog
from localities.models import Locality
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_read_is_recorded_with_who_what_when_and_where():
    user = UserFactory()
    locality = Locality.objects.get(slug="erdington")
    request = RequestFactory().get("/cases/1/?tab=plan", REMOTE_ADDR="192.0.2.10")
    entry = access_log_record(user=user, obj=locality, request=request, channel="api")
    assert entry.pk and entry.at
    assert (entry.user, entry.user_email, entry.object_type, entry.object_id) == (
        user,
        user.email,
        "localities.locality",
        str(locality.pk),
    )
    assert (entry.channel, entry.action, entry.ip_address) == (
        "api",
        "view",
        "192.0.2.10",
    )
    assert entry.path == "/cases/1/?tab=plan"


def test_a_list_page_is_recorded_in_one_insert(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        count = access_log_record_many(
            user=user, objs=[("families.person", n) for n in range(25)]
        )
    assert count == 25
    assert list(
        access_log_for_object(("families.person", 7)).values_list(
            "user_email", flat=True
        )
    ) == [user.email]


def test_the_application_cannot_change_or_delete_entries():
    entry = access_log_record(user=UserFactory(), obj=("casework.case", 1))
    entry.object_id = "2"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AccessLog.objects.get(pk=entry.pk).object_id == "1"


def test_the_database_refuses_updates_and_deletes_too():
    # The suite runs on PostgreSQL, where migration core.0002 installs the trigger.
    entry = access_log_record(user=UserFactory(), obj=("casework.case", 1))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(object_id="2")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get(pk=entry.pk).object_id == "1"
