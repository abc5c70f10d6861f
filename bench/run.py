"""The benchmark: ``python -m bench.run --scale city5y`` (``make bench``).

Generates and imports the demo data at the scale asked, starts the application
under gunicorn on loopback, measures every figure of QUALITY §1 that exists so
far next to its target, stops everything it started, and prints one JSON
report. Bounded: a fixed number of requests per page and a fixed load duration.
Needs ``DATABASE_URL`` (``scripts/bench.sh`` starts a throwaway PostgreSQL).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.measure import http_get, percentile
from bench.search import search_measure, search_queries

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
UNTIL = "2026-11-23"  # fixed, so a scale and seed always give the same data
# The audit report for the financial year to the last full month before UNTIL.
AUDIT_MONTH = "2026-10"
AUDIT_REPORT = f"/audits/reports/?month={AUDIT_MONTH}&kind=year"
SCORECARD = f"/scorecard/?month={AUDIT_MONTH}"

# What a run measures; ``--only`` picks some of them.
PARTS = ("pages", "search", "queries", "submission", "audit_pdf", "scorecard")

TARGETS = {
    "import_episodes_per_second": ">= 500",
    "import_peak_rss_mib": "<= 1024",
    "page_median_ratio_to_floor": "<= 3",
    "page_median_ms": "<= 150",
    "search_p95_ms": "<= 150",
    "queries_per_page": "<= 20, constant in rows",
    "submission_throughput_ratio_to_floor": ">= 0.10",
    "submission_errors": "0",
    "submission_p95_ms": "<= 200",
    "scorecard_run_seconds": "<= 20",
    "scorecard_run_ratio_to_hand_sql": "<= 3",
    "scorecard_pdf_seconds": "<= 10",
    "scorecard_pdf_peak_rss_mib": "<= 400",
    "audit_pdf_seconds": "<= 5",
    "worker_rss_mib_after": "<= 250",
}


def _run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; its wall time, its own peak RSS in MiB, and its output."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(  # noqa: S603  # our own manage.py
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed:\n{text[-3000:]}")
    return time.monotonic() - started, usage.ru_maxrss / 1024, text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _sessions() -> dict[str, Any]:
    """Bench sign-ins (verified sessions) and an API token, for the busiest
    locality's manager, the practitioner with the most open cases, and a
    requester submitting forms."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organisation, User
    from accounts.roles import Role
    from accounts.services import api_token_issue
    from casework.models import OPEN_STATUSES, Case
    from localities.models import Locality

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def session_for(user: User) -> str:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", confirmed=True
        )
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return str(session.session_key)

    busiest = Locality.objects.annotate(n=Count("cases")).order_by("-n", "slug").first()
    assert busiest is not None
    manager, _ = User.objects.get_or_create(
        email="bench.manager@bench.invalid",
        defaults={
            "role": Role.LOCALITY_MANAGER,
            "is_active": True,
            "full_name": "Bench Manager",
        },
    )
    manager.memberships.get_or_create(locality=busiest)
    lead_id = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values("lead_practitioner")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("lead_practitioner", flat=True)
        .first()
    )
    assert lead_id is not None, "no open cases to measure"
    practitioner = User.objects.get(pk=lead_id)
    practitioner.is_active = True
    practitioner.save(update_fields=["is_active"])
    case = (
        Case.objects.filter(lead_practitioner=practitioner)
        .order_by("-opened_at")
        .first()
    )
    school, _ = Organisation.objects.get_or_create(
        name="Bench Primary School", defaults={"kind": Organisation.Kind.SCHOOL}
    )
    requester, _ = User.objects.get_or_create(
        email="bench.requester@bench.invalid",
        defaults={"role": Role.REQUESTER, "is_active": True, "organisation": school},
    )
    lead, _ = User.objects.get_or_create(
        email="bench.lead@bench.invalid",
        defaults={"role": Role.PERFORMANCE_LEAD, "is_active": True},
    )
    return {
        "locality": busiest.slug,
        "searches": search_queries(busiest),
        "performance_lead": session_for(lead),
        "manager": session_for(manager),
        "practitioner": session_for(practitioner),
        "practitioner_cases": Case.objects.filter(
            lead_practitioner=practitioner, status__in=OPEN_STATUSES
        ).count(),
        "case": case.pk if case else None,
        "manager_token": api_token_issue(user=manager, name="bench"),
        "requester_token": api_token_issue(user=requester, name="bench"),
        "users": {
            "manager": manager,
            "practitioner": practitioner,
            "performance_lead": lead,
        },
    }


def _pages(port: int, s: dict[str, Any], requests: int) -> dict[str, Any]:
    """Each page's median and p95 over ``requests`` requests (after three to
    warm up), and its median's ratio to the floor view's, measured in the
    same rounds."""
    pages = {
        "floor": ("/benchmark/floor/", {"session": s["manager"]}),
        "triage_queue": (f"/triage/{s['locality']}/", {"session": s["manager"]}),
        "my_caseload": ("/cases/", {"session": s["practitioner"]}),
        "case_page": (f"/cases/{s['case']}/", {"session": s["practitioner"]}),
        "my_work": ("/cases/my-work/", {"session": s["practitioner"]}),
        "form_list_api": ("/api/v1/family-connect/", {"token": s["manager_token"]}),
        "audit_report": (AUDIT_REPORT, {"session": s["performance_lead"]}),
        "scorecard_dashboard": (SCORECARD, {"session": s["performance_lead"]}),
    }
    statuses: dict[str, set[int]] = {name: set() for name in pages}
    times: dict[str, list[float]] = {name: [] for name in pages}
    # Round by round, every page once in each: a machine that is slower for a
    # while slows the floor view and the pages alike, so ratios stay fair.
    for i in range(requests + 3):
        for name, (path, auth) in pages.items():
            status, ms = http_get(port, path, **auth)
            statuses[name].add(status)
            if i >= 3:
                times[name].append(ms)
    out: dict[str, Any] = {
        name: {
            "path": path,
            "status": sorted(statuses[name]),
            "median_ms": round(statistics.median(times[name]), 1),
            "p95_ms": round(percentile(times[name], 0.95), 1),
        }
        for name, (path, _auth) in pages.items()
    }
    floor = out["floor"]["median_ms"]
    for name, row in out.items():
        if name != "floor":
            row["ratio_to_floor"] = round(row["median_ms"] / floor, 2)
    return out


def _query_counts(s: dict[str, Any]) -> dict[str, int]:
    """Queries per page, counted in-process through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    counts = {}
    for name, path, who in (
        ("triage_queue", f"/triage/{s['locality']}/", "manager"),
        ("my_caseload", "/cases/", "practitioner"),
        ("case_page", f"/cases/{s['case']}/", "practitioner"),
        ("my_work", "/cases/my-work/", "practitioner"),
        ("audit_report", AUDIT_REPORT, "performance_lead"),
        ("scorecard_dashboard", SCORECARD, "performance_lead"),
        ("search_page", "/search/?" + urlencode({"q": s["searches"][0]}), "manager"),
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        user = s["users"][who]
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(
            user=user, name="bench"
        ).persistent_id
        session.save()
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        counts[name] = len(ctx.captured_queries) if status == 200 else -status
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {s['manager_token']}"
    )
    client.get("/api/v1/family-connect/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/family-connect/")
    counts["form_list_api"] = len(ctx.captured_queries)
    return counts


SUBMISSION = {
    "request": {
        "route": "school",
        "request_type": "support",
        "reasons": ["education", "health_emotional_wellbeing"],
        "level_of_need": "universal_plus",
        "consent": True,
        "consent_given_by": "Parent",
        "family_words": "Help with mornings and school attendance.",
    },
    "household": {
        "postcode": "B23 6TJ",
        "members": [
            {
                "role": "child",
                "given_name": "Bench",
                "family_name": "Child",
                "date_of_birth": "2015-03-02",
            },
            {
                "role": "adult",
                "given_name": "Bench",
                "family_name": "Parent",
                "relationship": "mother",
            },
        ],
    },
}


def _load(
    port: int, path: str, body: bytes, token: str, seconds: float, threads: int
) -> dict[str, Any]:
    """POST the body as fast as ``threads`` clients can for ``seconds``."""
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 201
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ms = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    times.append(ms)
                else:
                    errors[0] += 1
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(times),
        "errors": errors[0],
        "per_second": round(len(times) / elapsed, 1),
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
    }


def _audit_pdf() -> dict[str, Any]:
    """The monthly audit PDF for AUDIT_MONTH, built in-process as the worker
    builds it: seconds and the finalised audits it counts."""
    from audits.models import AuditReport
    from audits.monthly import audit_report_build
    from audits.reports import finalised_in
    from core.periods import Month, financial_year_of

    month = Month.parse(AUDIT_MONTH)
    AuditReport.objects.filter(period=AUDIT_MONTH).delete()
    job = AuditReport.objects.create(period=AUDIT_MONTH)
    started = time.monotonic()
    audit_report_build(report_id=job.pk)
    seconds = time.monotonic() - started
    job.refresh_from_db()
    first, _last = financial_year_of(month)
    return {
        "period": AUDIT_MONTH,
        "status": job.status,
        "seconds": round(seconds, 2),
        "bytes": len(bytes(job.pdf or b"")),
        "audits_in_year": finalised_in(first, until=month.end).count(),
    }


def _scorecard() -> dict[str, Any]:
    """The monthly run for AUDIT_MONTH (every indicator, ten localities and the
    city) after the eleven months before it, as the dashboard shows twelve;
    then the PDF of that release, made as its worker makes it, in a subprocess
    for its own peak RSS (the larger of the process and its largest
    part renderer)."""
    from bench.scorecard_sql import differences, reference_values
    from core.periods import Month
    from localities.models import Locality
    from scorecard.models import Value
    from scorecard.services import scorecard_run

    month = Month.parse(AUDIT_MONTH)
    for back in range(11, 0, -1):
        scorecard_run(period=month.plus(-back))
    # The run and the same values by hand-written SQL, each timed three times
    # (the median kept), the SQL as at the moment of the last run; the SQL's
    # values are compared with that run's release.
    runs = []
    for _ in range(3):
        started = time.monotonic()
        release = scorecard_run(period=month)
        runs.append(time.monotonic() - started)
    run_seconds = statistics.median(runs)
    localities = dict(Locality.objects.values_list("pk", "slug"))
    sql_runs = []
    for _ in range(3):
        started = time.monotonic()
        reference = reference_values(month, release.started_at, localities)
        sql_runs.append(time.monotonic() - started)
    hand_sql_seconds = statistics.median(sql_runs)
    mismatches = differences(release.pk, reference)
    script = (
        "import resource, time, django; django.setup()\n"
        "from scorecard.models import Release\n"
        "from scorecard.documents import release_pdf_bytes, release_pdf_make\n"
        f"r = Release.objects.get(pk={release.pk})\n"
        "t = time.monotonic(); pdf = release_pdf_bytes(release_pdf_make(r))\n"
        "print(round(time.monotonic() - t, 2), len(pdf),"
        " round(max(resource.getrusage(who).ru_maxrss for who in"
        " (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024, 1))\n"
    )
    out = subprocess.run(  # noqa: S603  # our own code
        [PY, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "period": AUDIT_MONTH,
        "release": release.pk,
        "values": Value.objects.filter(release=release).count(),
        "run_seconds": round(run_seconds, 2),
        "pdf_seconds": float(out[0]),
        "pdf_bytes": int(out[1]),
        "pdf_peak_rss_mib": float(out[2]),
        "hand_sql_seconds": round(hand_sql_seconds, 3),
        "ratio": round(run_seconds / hand_sql_seconds, 2),
        "mismatches": len(mismatches),
    }


def _worker_rss(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = children.read_text().split() if children.exists() else []
    out = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out.append(round(int(line.split()[1]) / 1024, 1))
    return out


def _submission(
    port: int, sessions: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Form submissions under load against the bare-insert view's."""
    body = json.dumps(SUBMISSION).encode()
    floor = _load(port, "/benchmark/insert/", body, "", args.load_seconds, args.threads)
    submit = _load(
        port,
        "/api/v1/family-connect/",
        body,
        sessions["requester_token"],
        args.load_seconds,
        args.threads,
    )
    return {
        "floor_insert": floor,
        "form_submit": submit,
        "ratio_to_floor": round(submit["per_second"] / floor["per_second"], 3)
        if floor["per_second"]
        else None,
        "seconds_each": args.load_seconds,
        "threads": args.threads,
    }


def _generate_and_import(scale: str, seed: int, env: dict[str, str]) -> dict[str, Any]:
    """Generate the scale's episodes and import them, timed."""
    work = Path(tempfile.mkdtemp(prefix="ehc-bench-"))
    data = work / f"{scale}.jsonl"
    manage = [PY, "manage.py"]
    gen_s, _rss, _ = _run_measured(
        [
            *manage,
            "seed_demo",
            f"--scale={scale}",
            f"--seed={seed}",
            f"--until={UNTIL}",
            f"--output={data}",
            "--no-import",
        ],
        {**env, "DEMO_DATA": "1"},
    )
    episodes = sum(1 for _ in data.open())
    import_s, import_rss, import_out = _run_measured(
        [*manage, "import_records", str(data)], env
    )
    result = {
        "episodes": episodes,
        "generate_seconds": round(gen_s, 1),
        "seconds": round(import_s, 1),
        "episodes_per_second": round(episodes / import_s, 1),
        "peak_rss_mib": round(import_rss, 1),
        "summary": import_out.strip().splitlines()[0] if import_out.strip() else "",
    }
    data.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="small", choices=["small", "city", "city5y"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=60, help="per page")
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the data already in DATABASE_URL: no generation or import",
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"the parts to measure, comma-separated (of {', '.join(PARTS)})",
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if parts - set(PARTS):
        raise SystemExit(f"--only: unknown parts {sorted(parts - set(PARTS))}")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "Set DATABASE_URL (scripts/bench.sh starts a throwaway PostgreSQL)."
        )
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "BENCHMARK_VIEWS": "1",
        # One requester sends every form of the load: the per-user limit is
        # still checked on each, at a height the load does not reach.
        "USER_FORMS_PER_HOUR": "100000000",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
    }
    report: dict[str, Any] = {
        "scale": args.scale,
        "seed": args.seed,
        "targets": TARGETS,
    }
    manage = [PY, "manage.py"]
    _run_measured([*manage, "migrate", "--no-input", "-v0"], env)
    if not args.existing:
        report["import"] = _generate_and_import(args.scale, args.seed, env)

    _django(env)
    sessions = _sessions()
    report["fixtures"] = {
        "locality": sessions["locality"],
        "practitioner_open_cases": sessions["practitioner_cases"],
        "case": sessions["case"],
    }
    port = _free_port()
    gunicorn = subprocess.Popen(  # noqa: S603  # our own gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if http_get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        # The scorecard first: the dashboard is measured with its releases.
        if "scorecard" in parts or "pages" in parts:
            scorecard = _scorecard()
        if "pages" in parts:
            report["pages"] = _pages(port, sessions, args.requests)
        if "search" in parts:
            report["search"] = search_measure(port, sessions, args.requests)
        if "queries" in parts:
            report["queries_per_page"] = _query_counts(sessions)
        if "submission" in parts:
            report["submission"] = _submission(port, sessions, args)
        if "audit_pdf" in parts:
            report["audit_pdf"] = _audit_pdf()
        if "scorecard" in parts:
            report["scorecard"] = scorecard
        report["worker_rss_mib_after"] = _worker_rss(gunicorn.pid)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
