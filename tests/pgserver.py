"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temp folder.

As root (CI) the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
`WATCHER_TEST_PG_URL` (e.g. postgresql+psycopg://me@localhost/postgres) uses a running server
instead; each test gets a database of its own either way.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """Start with .start(), stop with .stop(); .url(db) for SQLAlchemy, .create_db() per test."""

    _names = itertools.count(1)

    def __init__(self, durable: bool = False):
        self.durable = durable  # False: fsync off, for tests; True: PostgreSQL's defaults
        self.admin_url = os.environ.get("WATCHER_TEST_PG_URL")
        self.root: Path | None = None
        self.port = 0

    @staticmethod
    def available() -> bool:
        return bool(os.environ.get("WATCHER_TEST_PG_URL")) or _bindir() is not None

    def _run(self, *cmd: str) -> None:
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       cwd="/")

    def start(self) -> PgServer:
        if self.admin_url:
            return self
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.root = Path(tempfile.mkdtemp(prefix="watcher-pg-"))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        data, log = self.root / "data", self.root / "server.log"
        self._run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = ["-p {port}", f"-k {self.root}", "-c listen_addresses=127.0.0.1",
                   "-c max_connections=300", "-c shared_buffers=64MB"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off",
                        "-c full_page_writes=off"]
        for _attempt in range(5):
            self.port = _free_port()
            try:
                self._options = " ".join(options).format(port=self.port)
                self._run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                          "-t", "60", "-o", self._options, "start")
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)  # the port was taken in between: try another
        else:
            raise RuntimeError(f"PostgreSQL did not start:\n{log.read_text(errors='replace')}")
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._bindir = bindir
        return self

    def url(self, db: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{db}"

    def create_db(self, prefix: str = "t") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self._libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_db(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self._libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @staticmethod
    def _libpq(url: str) -> str:
        return url.replace("postgresql+psycopg://", "postgresql://", 1)

    def restart(self) -> None:
        """Stop and start the server (fast shutdown): every client connection is cut."""
        self._run(str(self._bindir / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                  str(self.root / "server.log"), "-m", "fast", "-w", "-t", "60", "restart")

    def pause(self) -> None:
        """Stop the server (fast shutdown), keeping its data: an outage, until resume()."""
        self._run(str(self._bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                  "-w", "-t", "60", "stop")

    def resume(self) -> None:
        self._run(str(self._bindir / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "-o", self._options, "start")

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            self._run(str(self._bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                      "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
