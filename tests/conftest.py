"""Real parts for tests: an HTTP endpoint, an SMTP server and the daemon as a subprocess."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import settings
from pgserver import PgServer

# CI runs the property tests with a fixed seed: a red CI must be reproducible, and new
# counter-examples are hunted locally (random seeds) where they can be fixed.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

WATCHLIST = {
    "entities": [
        {"id": "zelensky", "name": "Volodymyr Zelensky", "type": "person",
         "aliases": ["Zelenskyy", "Зеленський"], "tags": ["ukraine", "leaders"]},
        {"id": "putin", "name": "Vladimir Putin", "type": "person", "aliases": ["Путин"],
         "tags": ["russia", "leaders"]},
        {"id": "kyiv", "name": "Kyiv", "type": "place", "aliases": ["Kiev"],
         "tags": ["ukraine", "cities"]},
        {"id": "gazprom", "name": "Gazprom", "type": "org", "tags": ["russia", "energy"]},
    ]
}


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.02, what: str = "condition"):
    """Poll until predicate() is truthy; return its value or fail the test."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpSink:
    """A local HTTP endpoint for apprise's json:// target; records every POSTed body.

    Set `status` to make it answer with an error (e.g. 500) until set back to 200.
    """

    def __init__(self):
        self.bodies: list[dict] = []
        self.auth: list[str | None] = []  # the Authorization header of each POST
        self.failures = 0
        self.status = 200
        self.lock = threading.Lock()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with sink.lock:
                    sink.auth.append(self.headers.get("Authorization"))
                    status = sink.status
                    if status == 200:
                        sink.bodies.append(json.loads(body))
                    else:
                        sink.failures += 1
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def received(self) -> list[dict]:
        with self.lock:
            return list(self.bodies)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on localhost; keeps every message received."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(envelope)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self, to: str = "desk@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=watcher@example.org&to={to}"

    def parsed(self):
        import email
        from email import policy

        return [email.message_from_bytes(m.content, policy=policy.default)
                for m in list(self.messages)]

    def close(self):
        self.controller.stop()


@pytest.fixture
def http_sink():
    sink = HttpSink()
    yield sink
    sink.close()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.close()


class Daemon:
    """`watcher run` as a real subprocess on a temporary config, inbox and database."""

    def __init__(self, root: Path, notify: list | None = None, watchlist: dict | None = None,
                 **settings):
        self.root = root
        self.inbox = root / "inbox"
        self.data = root / "data"
        self.watchlist = root / "watchlist.yaml"
        self.config = root / "watcher.yaml"
        self.log_path = root / "daemon.log"
        self.watchlist.write_text(yaml.safe_dump(watchlist or WATCHLIST, allow_unicode=True),
                                  encoding="utf-8")
        self.inbox.mkdir(exist_ok=True)  # as an install makes it (else the daemon warns)
        config = {"inbox": "inbox", "watchlist": "watchlist.yaml", "data_dir": "data",
                  "notify": notify or [], "retry_backoff": "0.2s", "rescan_interval": "2s",
                  "settle_time": "0.3s", **settings}
        self.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        self.proc: subprocess.Popen | None = None
        self.notifications: list[str] = []
        self.database = config.get("database")  # PostgreSQL; None: data/watcher.db

    def start(self, wait_ready: bool = True, env: dict | None = None,
              wrap: list[str] | None = None, preload: str = "") -> Daemon:
        """Start the daemon; wait for READY=1 of *this* start (notifications are per start).

        `wrap`: a command prefix (e.g. setpriv ...); `preload`: Python run in the daemon
        process before the CLI, to inject faults without test hooks in the product code.
        """
        self.notifications = []
        sock_path = self.root / f"notify-{time.monotonic_ns()}.sock"
        self.notify_sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify_sock.bind(str(sock_path))
        # the kernel attaches the sender's pid to each datagram: NotifyAccess=main checks it
        self.notify_sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.notify_pids: set[int] = set()
        self.notify_sock.settimeout(0.1)
        self.notifications = []  # READY=1 of an earlier run must not count for this one
        full_env = {**os.environ, "NOTIFY_SOCKET": str(sock_path), "PYTHONUNBUFFERED": "1",
                    **(env or {})}
        self._log = open(self.log_path, "ab")
        argv = ["run", "--config", str(self.config)]
        if preload:
            cmd = [sys.executable, "-c", f"import sys\n{preload}\nfrom watcher.cli import main\n"
                   f"sys.exit(main({argv!r}))"]
        else:
            cmd = [sys.executable, "-m", "watcher.cli", *argv]
        self.proc = subprocess.Popen([*(wrap or []), *cmd], stdout=self._log,
                                     stderr=subprocess.STDOUT, env=full_env, cwd=ROOT)
        if wait_ready:
            wait_for(lambda: "READY=1" in self.read_notifications() or self._dead(),
                     timeout=30, what="READY=1 from the daemon")
            assert self.proc.poll() is None, f"daemon exited early:\n{self.log()}"
        return self

    def _dead(self) -> bool:
        return self.proc.poll() is not None

    def read_notifications(self) -> str:
        creds = struct.calcsize("3i")
        while True:
            try:
                data, ancillary, _, _ = self.notify_sock.recvmsg(4096, socket.CMSG_SPACE(creds))
            except (TimeoutError, BlockingIOError, OSError):
                break
            self.notifications.append(data.decode())
            for level, kind, value in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    self.notify_pids.add(struct.unpack("3i", value[:creds])[0])
        return "\n".join(self.notifications)

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=timeout)
        self._close()
        return rc

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)
        self._close()

    def _close(self):
        self._log.close()
        self.read_notifications()  # keep what was sent up to the exit (STOPPING=1)
        self.notify_sock.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def drop(self, name: str, text: str | bytes, how: str = "write") -> Path:
        """Put a file in the inbox the way scrapers do: write in place, rename or move in."""
        dest = self.inbox / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode() if isinstance(text, str) else text
        if how == "write":
            dest.write_bytes(data)
        elif how == "rename":
            tmp = dest.with_name(dest.name + ".part")
            tmp.write_bytes(data)
            tmp.rename(dest)
        elif how == "move":
            outside = self.root / "outside" / name
            outside.parent.mkdir(parents=True, exist_ok=True)
            outside.write_bytes(data)
            os.replace(outside, dest)
        else:
            raise ValueError(how)
        return dest

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data / "watcher.db", timeout=30)

    def query(self, sql: str, *args):
        if self.database:
            return pg_query(self.database, sql, *args)
        with self.db() as conn:
            return conn.execute(sql, args).fetchall()

    def count(self, table: str, where: str = "1=1") -> int:
        if not self.database and not (self.data / "watcher.db").exists():
            return 0
        return self.query(f"SELECT count(*) FROM {table} WHERE {where}")[0][0]

    def ensure_stopped(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self._close()


def pg_query(url: str, sql: str, *args):
    """Run one query (sqlite3-style ? placeholders) on a PostgreSQL database."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        cur = conn.execute(sql.replace("?", "%s"), args) if args else conn.execute(sql)
        return cur.fetchall() if cur.description else []


# -- the database engines the store and daemon tests run on ---------------------------------

ENGINES = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the whole run (tests/pgserver.py), stopped at the end."""
    if not PgServer.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run installs it (apt-get)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def engine(request) -> str:
    """sqlite unless a test is parametrized with ENGINES."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(engine, tmp_path, request):
    """A fresh, empty database of the test's engine."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'w.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_db()
    yield url
    server.drop_db(url)


@pytest.fixture
def make_daemon(tmp_path, engine, request):
    daemons: list[Daemon] = []

    def make(**kwargs) -> Daemon:
        if engine == "postgresql" and "database" not in kwargs:
            kwargs["database"] = request.getfixturevalue("db_url")
        d = Daemon(tmp_path, **kwargs)
        daemons.append(d)
        return d

    yield make
    for d in daemons:
        d.ensure_stopped()


def run_cli(*args: str, env: dict | None = None, timeout: float = 120):
    """Run the `watcher` command as a user would; return the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "watcher.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})},
                          timeout=timeout)


# -- in-process alerting with a controllable clock -----------------------------------------

class Clock:
    """A clock the test moves by hand: no sleeps, exact times."""

    def __init__(self, start: str = "2025-03-03T09:14:00+00:00"):
        from datetime import datetime

        self.now = datetime.fromisoformat(start)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now += timedelta(**delta)
        return self.now


class SlackCapture:
    """Stands in for Slack's servers: records the JSON apprise's Slack plugin POSTs.

    Every other HTTP request (the local json:// sink) goes through untouched.
    """

    def __init__(self, real):
        self.real = real
        self.payloads: list[dict] = []
        self.urls: list[str] = []
        self.status = 200

    def __call__(self, method, url, *args, **kwargs):
        if "hooks.slack.com" not in url and "slack.com/api" not in url:
            return self.real(method, url, *args, **kwargs)
        self.urls.append(url)
        payload = json.loads(kwargs.get("data") or "{}")
        if self.status == 200:
            self.payloads.append(payload)
        return _FakeResponse(self.status, b"ok" if self.status == 200 else b"error")


class _FakeResponse:
    def __init__(self, status: int, content: bytes):
        self.status_code = status
        self.content = content
        self.headers: dict = {}


SLACK_URL = "slack://T1AAAAAAA/B2BBBBBBB/abcdefghijklmnopqrstuvwx/#alerts"


@pytest.fixture
def slack():
    from unittest import mock

    import requests
    from apprise.plugins.slack import NotifySlack

    capture = SlackCapture(requests.request)
    # apprise waits 1.2 s between Slack posts (Slack's rate limit): not against a fake
    with mock.patch("requests.request", capture), \
            mock.patch.object(NotifySlack, "request_rate_per_sec", 0):
        yield capture


class World:
    """Store, notifier, dispatcher and pipeline on one database, driven by a Clock.

    `restart()` builds them all again from the same database, as a daemon restart does.
    """

    def __init__(self, root: Path, notify: list[dict], clock: Clock | None = None,
                 watchlist: dict | None = None, **settings):
        from watcher.config import EntitySpec

        self.root = root
        self.clock = clock or Clock()
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.db_url = f"sqlite:///{root / 'watcher.db'}"
        self.notify = notify
        self.settings = settings
        self.entities = [EntitySpec.model_validate(e).to_entity()
                         for e in (watchlist or WATCHLIST)["entities"]]
        self.health: list[tuple[str, str]] = []
        self.restart()

    def restart(self):
        from datetime import timedelta

        from watcher.alerting import Dispatcher
        from watcher.config import NotifyEntry
        from watcher.matcher import Watch
        from watcher.notify import Notifier
        from watcher.parallel import Analyser
        from watcher.pipeline import Pipeline
        from watcher.store import Store

        if getattr(self, "store", None) is not None:
            self.store.close()
        self.store = Store(self.db_url, clock=self.clock)
        entries = [NotifyEntry.model_validate(e) for e in self.notify]
        self.notifier = Notifier(
            entries, backoff=self.settings.get("backoff", timedelta(seconds=30)),
            max_backoff=self.settings.get("max_backoff", timedelta(hours=1)),
            retry_for=self.settings.get("retry_for", timedelta(hours=48)),
            config_path=self.settings.get("config_path"))
        assert not self.notifier.problems, self.notifier.problems
        self.dispatcher = Dispatcher(self.store, self.notifier, clock=self.clock)
        analyser = Analyser(Watch.compile(self.entities))
        self.pipeline = Pipeline(self.store, self.notifier, analyser, max_size=10**7)
        return self

    def drop(self, name: str, text: str):
        path = self.inbox / name
        path.write_text(text, encoding="utf-8")
        return self.pipeline.process(str(path))

    def tick(self) -> int:
        """What the drain job does: flush the policy, then send what is due."""
        self.dispatcher.flush()
        return self.dispatcher.drain()

    def outbox(self, where: str = "1=1"):
        with sqlite3.connect(self.root / "watcher.db") as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(f"SELECT * FROM outbox WHERE {where} ORDER BY id").fetchall()


@pytest.fixture
def world(tmp_path):
    made: list[World] = []

    def make(notify, **kwargs) -> World:
        w = World(tmp_path / f"w{len(made)}", notify, **kwargs)
        made.append(w)
        return w

    yield make
    for w in made:
        w.store.close()
