from __future__ import annotations

import importlib

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and throttles live in the cache; every test starts from nothing.
    cache.clear()
    yield


REFERENCE_DATA_LOADERS = [
    "localities.migrations.0002_load_localities_wards_districts",
    "family_connect.migrations.0002_load_reasons",
    "audits.migrations.0002_load_grade_scale_and_default_template",
    "scorecard.migrations.0002_load_indicator_registry",
    "scorecard.migrations.0004_eh22_outcome_breakdown",
    "casework.migrations.0011_retention_rules",
]


def _load_reference_data() -> None:
    from django.apps import apps

    for module in REFERENCE_DATA_LOADERS:
        importlib.import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests (real workers, live servers) empty every table when they
    end, reference data included; load it again the way migrate does. A test in
    a transaction that runs after one of them on the same worker finds the
    tables empty and loads it inside its own transaction."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
        _load_reference_data()
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
        from localities.models import Locality

        if not Locality.objects.exists():
            _load_reference_data()
    yield


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run queued tasks in-process, except where a test starts a real worker."""
    from config.celery import app

    if "real_celery_worker" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
