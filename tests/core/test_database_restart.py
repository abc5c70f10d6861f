"""A PostgreSQL restart under submission load (QUALITY §3): every failure is a
503 with ``Retry-After``, every 201 is a stored form, and retries with the same
``Idempotency-Key`` make exactly one form each. The same holds through a crash
of PostgreSQL (an immediate shutdown) and its recovery.

The test runs its own PostgreSQL cluster (in a temporary directory, on
loopback, on its own port) so that it can restart it, migrates it, and serves
the application from it under gunicorn, as production runs it. Several threads
send forms while the database stops and starts again."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.family_connect.helpers import payload

ROOT = Path(__file__).resolve().parents[2]
FORMS_API = "/api/v1/family-connect/"
SENDERS = 4
# Each sender sends at most this many new forms: the loops are bounded in count
# as well as in time.
MAX_FORMS_PER_SENDER = 150
RETRIES_PER_KEY = 30


def _postgres_bin() -> Path | None:
    """Where initdb and pg_ctl are, as scripts/throwaway-services.sh finds them."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [
            int(x) if x.isdigit() else 0 for x in p.parent.parent.name.split(".")
        ],
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A private PostgreSQL cluster on loopback, stopped by its data directory
    (pg_ctl signals the postmaster named in its pid file)."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "pg"
        self.log = root / "pg.log"
        self.port = _free_port()
        # initdb refuses to run as root: the cluster belongs to postgres then.
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/early_help"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_owner, *args],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        # Without fsync, but with synchronous commit: a commit answered is in
        # the operating system's hands, so it outlives a crash of PostgreSQL.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "30",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            mode,
            "-w",
            "-t",
            "30",
            "stop",
        )

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def shut_down(self) -> None:
        """Stop the cluster whatever its state (for ``finally``)."""
        pid = self.pid()
        if pid is None:
            return
        try:
            self.stop("immediate")
        except (subprocess.SubprocessError, OSError):
            # Only the postmaster named in the pid file, if it is still one.
            with contextlib.suppress(OSError):
                if b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql).fetchall()


# Migrate, then make the requester and its API token (PRODUCT §4.1), in one
# process: Django starts once.
PREPARE = """
import io, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
out = io.StringIO()
call_command(
    "create_user", "sender@example.org", "--role", "requester",
    "--organisation", "Example Family Support Charity", "--api-token", stdout=out,
)
print(out.getvalue().strip().splitlines()[-1])
"""


def _prepare(env: dict[str, str]) -> str:
    """The requester's API token, on a migrated database."""
    done = subprocess.run(
        [sys.executable, "-c", PREPARE],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = _postgres_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user to own the cluster")
    root = Path(tempfile.mkdtemp(prefix="ehc-restart."))
    root.chmod(0o755)
    db = Cluster(bindir, root)
    try:
        db.init()
        db.start()
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{db.port}/postgres", autocommit=True
        ) as admin:
            admin.execute("CREATE DATABASE early_help")
        yield db
    finally:
        db.shut_down()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Outcome:
    """What one key got: the answers in order (status, Retry-After, reference),
    or the transport error that took the place of an answer."""

    key: str
    answers: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def created(self) -> str | None:
        refs = [ref for code, _, ref in self.answers if code == 201]
        return refs[0] if refs else None


class Sender:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.body = json.dumps(payload(request__route="professional")).encode()

    def post(self, outcome: Outcome) -> int | None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "POST",
                FORMS_API,
                body=self.body,
                headers={
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": outcome.key,
                },
            )
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            outcome.errors.append(f"{type(exc).__name__}: {exc}")
            return None
        finally:
            conn.close()
        reference = None
        if response.status == 201:
            reference = json.loads(raw)["reference"]
        elif response.status != 503:
            outcome.errors.append(f"{response.status}: {raw[:300]!r}")
        outcome.answers.append(
            (response.status, response.getheader("Retry-After"), reference)
        )
        return response.status


@pytest.fixture
def web(cluster: Cluster) -> Iterator[tuple[Cluster, int, str, Path]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DATABASE_URL=cluster.url,
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # The load is one account's: its hourly number of forms is not the subject.
        USER_FORMS_PER_HOUR="100000",
        # The log shows what went wrong, not the e-mails sent.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    port = _free_port()
    log = cluster.root / "gunicorn.log"
    with log.open("wb") as out_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=out_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # gunicorn starts while the database is migrated; it answers once the
        # database is ready.
        token = _prepare(env)
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield cluster, port, token, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_database_restart_under_load_loses_and_doubles_no_form(web):
    cluster, port, token, log = web
    sender = Sender(port, token)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop = threading.Event()
    restarted = threading.Event()
    sent_at_stop: list[int] = []

    def send(n: int) -> None:
        for i in range(MAX_FORMS_PER_SENDER):
            if stop.is_set():
                return
            outcome = Outcome(key=f"restart-{n}-{i}")
            with lock:
                outcomes.append(outcome)
            sender.post(outcome)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    try:
        # A restart (fast shutdown: open transactions are cut off), then a
        # crash (immediate shutdown, recovery at start), as a failover looks.
        for mode, down in (("fast", 2.0), ("immediate", 1.0)):
            time.sleep(3)
            sent_at_stop.append(len(outcomes))
            cluster.stop(mode)
            time.sleep(down)
            cluster.start()
        restarted.set()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert restarted.is_set()
    # Forms were being sent at each stop, and again after the first start.
    assert 0 < sent_at_stop[0] < sent_at_stop[1], sent_at_stop

    def report() -> str:
        bad = [o for o in outcomes if o.errors]
        return "\n".join(
            [f"{o.key}: {o.errors} {o.answers}" for o in bad[:20]]
            + ["--- gunicorn log ---", log.read_text(errors="replace")[-6000:]]
        )

    # Every answer is a 201 or a 503 with Retry-After; no connection was dropped.
    assert not [o for o in outcomes if o.errors], report()
    codes = [code for o in outcomes for code, _, _ in o.answers]
    assert set(codes) <= {201, 503}, report()
    assert 503 in codes, "the restart was not seen: no 503 at all"
    assert all(
        retry_after and int(retry_after) > 0
        for o in outcomes
        for code, retry_after, _ in o.answers
        if code == 503
    ), report()

    # Every 201 is a stored form.
    stored = dict(
        cluster.query(
            "SELECT k.key, f.reference FROM family_connect_idempotencykey k "
            "JOIN family_connect_familyconnectform f ON f.id = k.form_id"
        )
    )
    for o in outcomes:
        if o.created() is not None:
            assert stored.get(o.key) == o.created(), (o.key, o.answers)

    # A key that got no 201 gets one by sending it again, unchanged (the
    # senders each send their own keys again, at once).
    def send_again(n: int) -> None:
        for o in outcomes[n::SENDERS]:
            for tries in range(RETRIES_PER_KEY):
                if o.created() is not None or o.errors:
                    break
                if tries:
                    time.sleep(0.2)
                sender.post(o)

    threads = [threading.Thread(target=send_again, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not [o for o in outcomes if o.errors], report()
    assert all(o.created() is not None for o in outcomes), [
        (o.key, o.answers) for o in outcomes if o.created() is None
    ][:10]
    # And a key that did get one gets the same form again.
    for o in outcomes[:: max(1, len(outcomes) // 10)]:
        first = o.created()
        sender.post(o)
        assert o.answers[-1][0] == 201 and o.answers[-1][2] == first, o.answers

    # One form per key, and no form without its key.
    forms = cluster.query("SELECT count(*) FROM family_connect_familyconnectform")[0][0]
    keys = cluster.query(
        "SELECT key, count(*), count(DISTINCT form_id) "
        "FROM family_connect_idempotencykey GROUP BY key"
    )
    assert forms == len(outcomes)
    assert len(keys) == len(outcomes)
    assert all(count == 1 and distinct == 1 for _, count, distinct in keys)
    assert {key for key, _, _ in keys} == {o.key for o in outcomes}
    linked = cluster.query(
        "SELECT count(DISTINCT form_id) FROM family_connect_idempotencykey"
    )[0][0]
    assert linked == forms
