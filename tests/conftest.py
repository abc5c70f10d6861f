from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session: pytest.Session) -> None:
    """Pages name their static files by the hashed names that collectstatic
    writes to its manifest, in the tests as in production: build GOV.UK Frontend
    and collect the files again when a source is newer than what was built (once,
    before any worker of a parallel run starts)."""
    if hasattr(session.config, "workerinput"):
        return
    collect_static()


def collect_static() -> None:
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    def modified(path: Path) -> float:
        return path.stat().st_mtime if path.exists() else 0.0

    built = ROOT / "static" / "govuk" / "govuk-frontend.min.css"
    sources = [ROOT / "assets" / "govuk-frontend.scss", ROOT / "package-lock.json"]
    if modified(built) < max(modified(source) for source in sources):
        subprocess.run([str(ROOT / "scripts" / "build-assets.sh")], check=True)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        storage.get_modified_time(path).timestamp()
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    if modified(manifest) < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and throttles live in the cache; every test starts from nothing.
    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers():
    """Transactional tests end by emptying every table in one TRUNCATE, which the
    append-only tables refuse (core/append_only.py). The test database's
    superuser flushes with triggers off for that one transaction
    (``session_replication_role`` is a superuser-only setting: the application's
    role cannot do this, see tests/core/test_database_roles.py)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        sql = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *sql] if sql else sql

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


REFERENCE_DATA_LOADERS = [
    "localities.migrations.0002_load_localities_wards_districts",
    "family_connect.migrations.0002_load_reasons",
    "audits.migrations.0002_load_grade_scale_and_default_template",
    "scorecard.migrations.0002_load_indicator_registry",
    "scorecard.migrations.0004_eh22_outcome_breakdown",
    "casework.migrations.0011_retention_rules",
    "accounts.migrations.0003_administrators_group",
]


def _app_now(app_label: str, model: str) -> str:
    """The app that holds a model now (models move between apps with their
    rows; a data migration names them where they were when it ran)."""
    from django.apps import apps

    try:
        apps.get_model(app_label, model)
        return app_label
    except LookupError:
        (label,) = {
            m._meta.app_label
            for m in apps.get_models()
            if m._meta.model_name == model.lower()
        }
        return label


def _now_labelled(permissions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A data migration's ``app label → model → …`` map with each model under
    the app that holds it now."""
    now: dict[str, dict[str, Any]] = {}
    for app_label, models in permissions.items():
        for model, value in models.items():
            now.setdefault(_app_now(app_label, model), {})[model] = value
    return now


class _TodaysApps:
    """Today's app registry, answering a loader's ``get_model`` for a moved
    model with the model where it is now."""

    def __init__(self, apps: Any) -> None:
        self._apps = apps

    def get_model(self, app_label: str, model_name: str) -> Any:
        return self._apps.get_model(_app_now(app_label, model_name), model_name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._apps, name)


def _load_reference_data() -> None:
    from django.apps import apps

    for module_name in REFERENCE_DATA_LOADERS:
        module = importlib.import_module(module_name)
        # Loaded with today's models, not the migration's.
        permissions = getattr(module, "PERMISSIONS", None)
        with pytest.MonkeyPatch.context() as patch:
            if permissions is not None:
                patch.setattr(module, "PERMISSIONS", _now_labelled(permissions))
            module.load(_TodaysApps(apps), None)


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


@pytest.fixture(scope="session", autouse=True)
def _documents_storage(tmp_path_factory):
    """Case documents are kept in a folder of the test run's own, never the
    project's ``var/documents``."""
    from django.test import override_settings

    location = tmp_path_factory.mktemp("documents")
    storages = {
        **settings.STORAGES,
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {"location": str(location)},
        },
    }
    with override_settings(STORAGES=storages):
        yield location


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run queued tasks in-process, except where a test starts a real worker."""
    from config.celery import app

    if {"real_celery_worker", "real_celery_workers"} & set(request.fixturenames):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class CeleryWorker(subprocess.Popen):
    log: Path

    def output(self) -> str:
        """The worker's log (e-mails sent through the console backend too)."""
        return self.log.read_text(errors="replace")

    def wait_for_sent(self, **match: Any) -> list[Any]:
        """The e-mails (``core.Notification`` rows matching ``match``, e.g.
        ``subject=`` or ``key__in=``) once the worker has sent every one of them;
        at least one must match. Fails with the worker's log after 60 s."""
        from core.models import Notification

        deadline = time.monotonic() + 60
        while True:
            rows = list(Notification.objects.filter(**match))
            if rows and all(row.sent_at is not None for row in rows):
                return rows
            assert self.poll() is None, self.output()
            assert time.monotonic() < deadline, ("not sent", match, self.output())
            time.sleep(0.2)


def _start_celery_worker(
    log: Path, *, pool: str = "solo", env: dict[str, str] | None = None
) -> CeleryWorker:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with log.open("ab") as out:
        process = CeleryWorker(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    process.log = log
    return process


def _stop_celery_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def real_celery_worker(transactional_db, django_db_serialized_rollback, tmp_path):
    """A real Celery worker (solo pool) on the test Redis and the test database,
    as in production; queued tasks are not run in-process for the test. Like
    every transactional test here, it restores the serialized reference data
    afterwards (a plain flush recreates content types under new ids, which the
    next serialized test then collides with)."""
    from config.celery import app

    assert settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER
    app.control.purge()  # nothing left over from an earlier test
    process = _start_celery_worker(tmp_path / "celery-worker.log")
    yield process
    _stop_celery_worker(process)


@pytest.fixture
def real_celery_workers(transactional_db, django_db_serialized_rollback, tmp_path):
    """Start real Celery workers as a test needs them (to kill one and start
    another): ``start(pool="solo" | "prefork", **env)``, one process each (a
    prefork worker has one child). All are stopped at the end."""
    from config.celery import app

    assert settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER
    app.control.purge()
    started: list[CeleryWorker] = []

    def start(pool: str = "solo", **env: str) -> CeleryWorker:
        log = tmp_path / f"celery-worker-{len(started)}.log"
        started.append(_start_celery_worker(log, pool=pool, env=env))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            _stop_celery_worker(process)
