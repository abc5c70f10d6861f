from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core import clock


def test_now_is_the_present_unless_replaying():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()
    moment = dt.datetime(2021, 3, 28, 1, 30, tzinfo=dt.UTC)
    with clock.replaying_at(moment):
        assert clock.now() == moment
    assert clock.now() >= before


def test_a_replayed_moment_needs_an_offset():
    with pytest.raises(ValueError), clock.replaying_at(dt.datetime(2021, 1, 1)):
        pass
