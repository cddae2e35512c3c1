"""Tables and transactions: the only module that imports sqlmodel / SQLAlchemy (with the
alembic migrations in watcher/migrations, which are part of it).

SQLite is opened in WAL mode with a busy timeout and `synchronous=FULL`, and every write
transaction starts with BEGIN IMMEDIATE: a deferred transaction that later wants to write
fails at once with "database is locked" when another writer got there first, busy timeout or
not, which loses rows under concurrent writers.

PostgreSQL (`postgresql+psycopg://...`) runs at READ COMMITTED in UTC; where several daemons
compete for a row (a document claim, an outbox message) the row is locked (`FOR UPDATE`,
`SKIP LOCKED` for the outbox), and a unique key decides a race between two INSERTs.

The schema is versioned by alembic; `Store(url)` brings the database to the newest version
under a lock (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so daemons started
together migrate once.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from select import POLLIN, POLLPRI, poll

from sqlalchemy import (
    BigInteger,
    Index,
    bindparam,
    delete,
    event,
    func,
    insert,
    literal,
    literal_column,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)
from sqlmodel import Field, Session, SQLModel, create_engine, select

from .errors import StoreError
from .models import Hit, Mention

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentRow(SQLModel, table=True):
    __tablename__ = "documents"
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True, unique=True)
    path: str
    size: int = Field(sa_type=BigInteger)
    encoding: str = ""
    status: str = "processed"  # processed | failed
    error: str = ""
    hit_count: int = 0
    processed_at: datetime = Field(default_factory=utcnow, index=True)


class FileRow(SQLModel, table=True):
    """What we last saw at a path, so a rescan skips files without reading them again."""

    __tablename__ = "files"
    path: str = Field(primary_key=True)
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)  # nanoseconds overflow 32 bits
    ctime_ns: int = Field(default=0, sa_type=BigInteger)  # 0: recorded before it was kept
    sha256: str = ""  # empty for a file that failed before it could be hashed
    status: str = "processed"  # processed | failed | vanished
    error: str = ""  # why it failed (also for files never hashed: links, FIFOs, too large)
    seen_at: datetime = Field(default_factory=utcnow)


class HitRow(SQLModel, table=True):
    __tablename__ = "hits"
    __table_args__ = (Index("ix_hits_entity_found", "entity_id", "found_at"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    entity_id: str
    name: str
    start: int
    end: int
    text: str
    alias: str
    score: float
    method: str = ""
    detail: str = ""
    before: str = ""
    after: str = ""
    found_at: datetime = Field(default_factory=utcnow, index=True)


class OutboxRow(SQLModel, table=True):
    """One message for one notify entry. The entry is named, never its URL (a secret)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entry: str
    kind: str = "alert"  # alert | digest | health | test
    entity_id: str = ""
    document_id: int | None = None
    title: str
    body: str
    body_format: str = "text"
    status: str = "pending"  # pending | sent | dead
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    last_error: str = ""


class PendingRow(SQLModel, table=True):
    """One entity in one document for one notify entry, waiting for its entry's policy.

    The pipeline writes these with the document; the flush step (notify policy) turns them
    into outbox messages: at once, after a group window, after quiet hours, in a digest, or
    never (silenced). state: new (undecided) | held (in a cooldown: counted in the next
    message) | sent (in message `message_id`) | silenced.
    """

    __tablename__ = "pending"
    # (entry, entity, state) finds a flush's rows; decided_at last, so a cooldown lookup reads
    # only an entity's alerts inside the window, from the index alone
    __table_args__ = (Index("ix_pending_last_alert", "entry", "entity_id", "state", "decided_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entry: str
    entity_id: str
    entity_name: str
    entity_type: str = "other"
    document_id: int = Field(foreign_key="documents.id")
    mentions: int = 0
    score: float = 0
    state: str = Field(default="new", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    message_id: int | None = None


class SilenceRow(SQLModel, table=True):
    """Hits of this entity found before `until` are stored but not sent."""

    __tablename__ = "silences"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(index=True)
    until: datetime
    reason: str = ""
    created_at: datetime = Field(default_factory=utcnow)


# -- a group of daemons on one database (new tables: migration 0002) ---------------------------

class DaemonRow(SQLModel, table=True):
    """A daemon of the group: registered at start, heartbeat every few seconds."""

    __tablename__ = "daemons"
    id: str = Field(primary_key=True)  # host:pid:start
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime = Field(index=True)
    stopped_at: datetime | None = None
    processed: int = 0
    failed: int = 0
    queue: int = 0
    last_error: str = ""
    # the watchlist and notify entries it runs (a digest, no secret): they should not differ
    config_digest: str = ""


class ClaimRow(SQLModel, table=True):
    """A document being processed: one owner per content hash, until the lease expires."""

    __tablename__ = "claims"
    sha256: str = Field(primary_key=True)
    owner: str = Field(index=True)
    path: str
    claimed_at: datetime
    expires_at: datetime


class MessageLeaseRow(SQLModel, table=True):
    """An outbox message being sent by one daemon, until the lease expires."""

    __tablename__ = "outbox_leases"
    message_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    owner: str = Field(index=True)
    expires_at: datetime


class JobRunRow(SQLModel, table=True):
    """One run of a scheduled job (e.g. a digest) for one schedule time, across the group."""

    __tablename__ = "job_runs"
    job: str = Field(primary_key=True)
    scheduled_for: datetime = Field(primary_key=True)
    owner: str
    claimed_at: datetime
    finished_at: datetime | None = None


def _retry_on_conflict(func):
    """Run a write again when a concurrent INSERT of the same key won the race.

    Under several daemons two may insert the same document (same SHA-256), file path or claim
    at once: one commits, the other gets an IntegrityError. Run again, the loser's SELECT sees
    the winner's row and takes the "already there" branch.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(5):
            try:
                return func(*args, **kwargs)
            except IntegrityError:
                if attempt == 4:
                    raise
                log.debug("%s: lost a race on a unique key, trying again", func.__name__)
    return wrapper


def _sqlite_pragmas(engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _drop_dead_connections(engine) -> None:
    """A pooled PostgreSQL connection whose server went away is replaced at checkout.

    A server that restarts or kills a backend closes its socket, so the dead connection has
    something to read (end of file) while a live idle one has nothing: one local poll() per
    transaction instead of pool_pre_ping's round trip to the server (five per document)."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, _record, _proxy):
        if dbapi_conn.closed or dbapi_conn.broken or _has_input(dbapi_conn):
            raise DisconnectionError("the server closed the connection")


def _has_input(dbapi_conn) -> bool:
    try:
        poller = poll()
        poller.register(dbapi_conn.fileno(), POLLIN | POLLPRI)
        return bool(poller.poll(0))
    except Exception:  # noqa: BLE001 - no usable socket: a fresh connection is the safe answer
        return True


# the columns of a document's hits and pending rows that differ from row to row
HIT_COLUMNS = ("entity_id", "name", "start", "end", "text", "alias", "score", "method", "detail",
               "before", "after")
PENDING_COLUMNS = ("entry", "entity_id", "entity_name", "entity_type", "mentions", "score")


def _rows_of(table, doc, columns: Sequence[str], fixed: dict):
    """PostgreSQL: a CTE adding rows of `table` to the document `doc` inserted (none if it
    was not there to insert). `columns` come from a JSON parameter named after the table, a
    list of objects read with the table's own column types; `fixed` are the same in each row.
    (Arrays, one per column, cost the driver more than the rows: it quotes each element.)"""
    given = func.json_populate_recordset(literal_column(f"NULL::{table.name}"),
                                         bindparam(table.name, type_=postgresql.JSON))
    given = given.table_valued(*columns)
    rows = select(doc.c.id, *fixed.values(), *[given.c[c] for c in columns]).select_from(
        doc.join(given, true()))  # each given row with the one document row
    return insert(table).from_select(["document_id", *fixed, *columns], rows).cte(
        f"{table.name}_rows")


def _claim_values(owner: str, path: str, lease: timedelta) -> dict:
    now = utcnow()
    return {"owner": owner, "path": path, "claimed_at": now, "expires_at": now + lease}


class _Statements:
    """The statements every file or message runs, built once. Built on each call, SQLAlchemy
    coerces every value and computes the statement's cache key again: more CPU than the
    database spends on the statement (and several daemons share a host's cores)."""

    def __init__(self, dialect):
        files, docs, claims = FileRow.__table__, DocumentRow.__table__, ClaimRow.__table__
        outbox, leases = OutboxRow.__table__, MessageLeaseRow.__table__
        upsert = dialect.insert(files)  # one statement: merge() would SELECT first
        self.upsert_file = upsert.on_conflict_do_update(
            index_elements=["path"],
            set_={c.name: upsert.excluded[c.name] for c in files.c if c.name != "path"})
        self.file_seen = select(files.c.size, files.c.mtime_ns, files.c.ctime_ns,
                                files.c.status, files.c.sha256).where(
            files.c.path == bindparam("path"))
        self.document_id = select(docs.c.id).where(docs.c.sha256 == bindparam("sha256"))
        # the unique SHA-256 decides: the same content twice is one document
        self.add_document = dialect.insert(docs).on_conflict_do_nothing(
            index_elements=["sha256"]).returning(docs.c.id)
        self.add_claim = dialect.insert(claims).on_conflict_do_nothing().returning(
            claims.c.sha256)
        self.drop_claim = delete(claims).where(claims.c.sha256 == bindparam("sha256"),
                                               claims.c.owner == bindparam("owner"))
        self.sent = update(outbox).where(outbox.c.id == bindparam("message")).values(
            status="sent", sent_at=bindparam("now"), attempts=outbox.c.attempts + 1,
            last_error="")
        self.drop_lease = delete(leases).where(leases.c.message_id == bindparam("message"),
                                               leases.c.owner == bindparam("owner"))
        # a drain pass, twice at least: the messages due, after `after` by id
        self.due = select(outbox).where(
            outbox.c.status == "pending", outbox.c.next_attempt_at <= bindparam("now"),
            outbox.c.id > bindparam("after"),
            outbox.c.entry.not_in(bindparam("skip", expanding=True)),
        ).order_by(outbox.c.id).limit(bindparam("limit"))
        # ... and not leased by another daemon (it is sending them)
        self.due_free = self.due.where(~select(leases.c.message_id).where(
            leases.c.message_id == outbox.c.id, leases.c.expires_at > bindparam("now"),
            leases.c.owner != bindparam("owner")).exists())
        pending = PendingRow.__table__  # a flush
        self.pending = select(pending).where(
            pending.c.state.in_(bindparam("states", expanding=True))).order_by(
            pending.c.created_at, pending.c.id)
        self.pending_of = self.pending.where(
            pending.c.entry.in_(bindparam("entries", expanding=True)))
        silences = SilenceRow.__table__  # a flush, too: seldom any
        self.silences = select(silences).order_by(silences.c.id)
        self.silences_at = self.silences.where(silences.c.until > bindparam("at"))
        # PostgreSQL: one statement for many rows, their values as arrays. Run per row
        # (executemany), each row is a statement the server parses and executes: most of
        # the statements a document cost, on the cores the daemons share
        self.pg_sent_rows = text(
            "UPDATE pending SET state = 'sent', decided_at = :now, message_id = v.message "
            "FROM unnest(CAST(:rows AS integer[]), CAST(:messages AS integer[])) "
            "AS v(row, message) WHERE pending.id = v.row")
        self.pg_add_leases = text(
            "INSERT INTO outbox_leases (message_id, owner, expires_at) "
            "SELECT unnest(CAST(:ids AS integer[])), :owner, :expires "
            "ON CONFLICT (message_id) DO UPDATE "
            "SET owner = excluded.owner, expires_at = excluded.expires_at")
        # PostgreSQL: a stored document in one statement (one statement is one transaction):
        # its files row, its claim let go, its documents row, and its hits and pending rows
        # from JSON. Statement by statement it took BEGIN, five statements and COMMIT, each
        # a round trip on the worker's path and work the server does on the cores the daemons
        # share. (SQLite has no INSERT or DELETE inside WITH: _save_sqlite.)
        file_row = dialect.insert(files).values(
            path=bindparam("path"), size=bindparam("size"), mtime_ns=bindparam("mtime_ns"),
            ctime_ns=bindparam("ctime_ns"), sha256=bindparam("hash"), status="processed",
            error="", seen_at=bindparam("now"))
        file_row = file_row.on_conflict_do_update(
            index_elements=["path"],
            set_={c.name: file_row.excluded[c.name] for c in files.c if c.name != "path"})
        claim = delete(claims).where(claims.c.sha256 == bindparam("hash"),
                                     claims.c.owner == bindparam("owner"))
        doc = dialect.insert(docs).values(
            sha256=bindparam("hash"), path=bindparam("location"), size=bindparam("size"),
            encoding=bindparam("encoding"), status="processed", error="",
            hit_count=bindparam("hit_count"), processed_at=bindparam("now"),
        ).on_conflict_do_nothing(index_elements=["sha256"]).returning(docs.c.id).cte("doc")
        now = bindparam("now", type_=docs.c.processed_at.type)
        self.pg_save = select(doc.c.id).add_cte(
            file_row.cte("file_row"), claim.cte("claim"),
            _rows_of(HitRow.__table__, doc, HIT_COLUMNS, {"found_at": now}),
            _rows_of(PendingRow.__table__, doc, PENDING_COLUMNS,
                     {"created_at": now, "state": literal("new")}))
        # PostgreSQL: what a new file asks first, in one statement: what was handled at its
        # path (file_seen), and its content claimed unless stored already (claim_document's
        # common cases). Its CTEs share one snapshot: a document stored by another daemon
        # just after it began is not seen, and the claim is taken; the match is then done
        # twice, but the document is stored once (add_document's unique SHA-256 decides)
        self.pg_look = text(
            "WITH stored AS (SELECT id FROM documents WHERE sha256 = :sha256), "
            "claim AS (INSERT INTO claims (sha256, owner, path, claimed_at, expires_at) "
            "SELECT :sha256, :owner, :path, :claimed_at, :expires_at "
            "WHERE NOT EXISTS (SELECT 1 FROM stored) ON CONFLICT DO NOTHING RETURNING 1) "
            "SELECT f.size, f.mtime_ns, f.ctime_ns, f.status, f.sha256, "
            "EXISTS (SELECT 1 FROM stored) AS stored, EXISTS (SELECT 1 FROM claim) AS claimed "
            "FROM (SELECT 1) AS one LEFT JOIN files AS f ON f.path = :path")
        self.pg_sent = text(  # the message and its lease, in one statement
            "WITH gone AS (DELETE FROM outbox_leases "
            "WHERE message_id = :message AND owner = :owner) "
            "UPDATE outbox SET status = 'sent', sent_at = :now, attempts = attempts + 1, "
            "last_error = '' WHERE id = :message")


class Store:
    """The database: documents, hits and the outbox of alerts to send."""

    def __init__(self, url: str, clock: Callable[[], datetime] = utcnow, migrate: bool = True):
        self.url = url
        self.clock = clock  # every timestamp we write; tests pass a controllable one
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.postgres = url.startswith("postgresql")
        self._dialect = postgresql if self.postgres else sqlite  # for INSERT ... ON CONFLICT
        self._sql = _Statements(self._dialect)
        try:
            self.engine = create_engine(url, connect_args=self._connect_args(url),
                                        **self._engine_args(url))
            if url.startswith("sqlite"):
                _sqlite_pragmas(self.engine)
            if self.postgres:
                _drop_dead_connections(self.engine)
            # PostgreSQL: a lone statement needs no transaction around it; without one it
            # saves a BEGIN and a COMMIT, each a round trip and a statement of the server's
            # (SQLite's are in-process, and its writes want BEGIN IMMEDIATE)
            self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT") \
                if self.postgres else self.engine
        except SQLAlchemyError as exc:
            raise self._cannot_open(exc) from None
        except ImportError as exc:  # postgresql+pg8000:// without pg8000
            raise StoreError(f"cannot open database {_safe_url(url)}: its driver is not "
                             f"installed (no module {exc.name!r}; psycopg 3 comes with "
                             "pip install 'entity-watcher[postgres]')") from None
        if migrate:
            self.migrate()

    def _cannot_open(self, exc: SQLAlchemyError) -> StoreError:
        return StoreError(f"cannot open database {_safe_url(self.url)}: "
                          f"{exc.__class__.__name__}: {getattr(exc, 'orig', exc)}")

    @staticmethod
    def _connect_args(url: str) -> dict:
        if url.startswith("postgresql"):
            # naive timestamps in the tables are UTC whatever the server's zone
            return {"options": "-c timezone=UTC", "connect_timeout": 10}
        return {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}

    @staticmethod
    def _engine_args(url: str) -> dict:
        if url.startswith("postgresql"):
            return {"isolation_level": "READ COMMITTED", "pool_size": 10, "max_overflow": 20}
        return {}

    # -- schema ----------------------------------------------------------------------------

    def migrate(self) -> tuple[str | None, str]:
        """Bring the schema to the newest version; return (version before, version now).

        Safe to call from several daemons at once: the first takes the lock and migrates, the
        others wait for it and find nothing left to do.
        """
        from .migrations import upgrade

        try:
            return upgrade(self.engine)
        except SQLAlchemyError as exc:
            raise self._cannot_open(exc) from None

    def schema_version(self) -> str | None:
        from .migrations import current

        try:
            with self.engine.connect() as conn:
                return current(conn)
        except SQLAlchemyError as exc:
            raise self._cannot_open(exc) from None

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def group_lock(self, name: str) -> Iterator[None]:
        """Held by one daemon of the group at a time, others wait (PostgreSQL: an advisory
        lock in a transaction of its own, freed when it ends or its daemon dies). SQLite:
        no lock; BEGIN IMMEDIATE serialises each write transaction anyway."""
        if not self.postgres:
            yield
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield

    def _upsert_file(self, conn, **values) -> None:
        """Insert or replace the files row of a path."""
        conn.execute(self._sql.upsert_file, {"error": "", **values, "seen_at": self.clock()})

    # -- documents -------------------------------------------------------------------------

    def known_files(self) -> dict[str, tuple[int, int, int]]:
        """path -> (size, mtime_ns, ctime_ns) of every file already handled."""
        with self.session() as s:
            return {r.path: (r.size, r.mtime_ns, r.ctime_ns) for r in s.exec(select(FileRow))}

    def file_seen(self, path: str):
        """What was last handled at this path: a row with size, mtime_ns, ctime_ns, status
        and sha256, or None."""
        with self._autocommit.begin() as conn:  # Core: once per file, the ORM's get costs more
            return conn.execute(self._sql.file_seen, {"path": path}).first()

    def files_seen(self, paths: Sequence[str]) -> dict[str, tuple[int, int, int]]:
        """path -> (size, mtime_ns, ctime_ns) as handled, for those of `paths` that were."""
        with self.session() as s:
            rows = s.exec(select(FileRow.path, FileRow.size, FileRow.mtime_ns,
                                 FileRow.ctime_ns).where(FileRow.path.in_(list(paths))))
            return {path: (size, mtime, ctime) for path, size, mtime, ctime in rows}

    def record_vanished(self, path: str, error: str) -> bool:
        """A path that was gone when read; never overwrites what a path already has (in
        move mode a stale queue entry finds its file moved away after processing). Returns
        whether it was recorded."""
        with self.session() as s:
            if s.get(FileRow, path) is not None:
                return False
            s.add(FileRow(path=path, size=0, mtime_ns=0, status="vanished", error=error,
                          seen_at=self.clock()))
            return True

    def has_document(self, sha256: str) -> bool:
        """Whether a document with this content is stored."""
        with self.engine.begin() as conn:
            return conn.execute(self._sql.document_id, {"sha256": sha256}).first() is not None

    def record_file(self, path: str, size: int, mtime_ns: int, sha256: str, status: str,
                    ctime_ns: int = 0) -> None:
        with self.session() as s:
            self._upsert_file(s.connection(), path=path, size=size, mtime_ns=mtime_ns,
                              ctime_ns=ctime_ns, sha256=sha256, status=status)

    @_retry_on_conflict
    def save_document(self, *, path: str, sha256: str, size: int, mtime_ns: int, encoding: str,
                      hits: Sequence[tuple[Hit, Mention]], pending: Sequence[dict],
                      ctime_ns: int = 0,
                      claim_owner: str | None = None,
                      location: str | None = None) -> tuple[int, bool]:
        """Store a document, its hits and its pending notifications in one transaction.
        `path` is where it was found (its files row), `location` where it is kept, if
        elsewhere (move mode): the document's path, which alerts name.

        Returns (document id, created). When a document with the same SHA-256 is already
        stored, nothing is added and created is False: the same content twice is one document.
        `claim_owner`: that daemon's claim on the document is let go in the same transaction
        (one commit less per document than releasing it after).
        """
        now = self.clock()
        row = {"path": path, "size": size, "mtime_ns": mtime_ns, "ctime_ns": ctime_ns,
               "hash": sha256, "now": now, "owner": claim_owner, "location": location or path,
               "encoding": encoding, "hit_count": len(hits)}
        hit_rows = [_hit_values(hit, mention) for hit, mention in hits]
        pending_rows = [{"entity_type": "other", "mentions": 0, "score": 0, **p}
                        for p in pending]
        if self.postgres:
            with self._autocommit.connect() as conn:
                doc_id = conn.execute(self._sql.pg_save, {
                    **row, "hits": hit_rows, "pending": pending_rows}).scalar()
                if doc_id is None:  # stored already
                    return conn.execute(self._sql.document_id,
                                        {"sha256": sha256}).scalar_one(), False
                return doc_id, True
        # Core in one transaction, with statements built once (_Statements): the ORM's
        # session and unit of work cost more CPU than the statements
        with self.engine.begin() as conn:
            doc_id = self._save_sqlite(conn, row)
            if doc_id is None:  # stored already
                return conn.execute(self._sql.document_id, {"sha256": sha256}).scalar_one(), \
                    False
            # RETURNING makes SQLAlchemy send the rows as one multi-row INSERT
            # ("insertmanyvalues"), not one statement per row
            for table, rows, fixed in (
                    (HitRow.__table__, hit_rows, {"found_at": now}),
                    (PendingRow.__table__, pending_rows, {"state": "new", "created_at": now})):
                if rows:
                    conn.execute(insert(table).returning(table.c.id), [
                        {**r, **fixed, "document_id": doc_id} for r in rows])
            return doc_id, True

    def _save_sqlite(self, conn, row: dict) -> int | None:
        """pg_save's first part statement by statement: the new document's id, None if it
        was stored already."""
        self._upsert_file(conn, path=row["path"], size=row["size"], mtime_ns=row["mtime_ns"],
                          ctime_ns=row["ctime_ns"], sha256=row["hash"], status="processed")
        if row["owner"] is not None:
            conn.execute(self._sql.drop_claim, {"sha256": row["hash"], "owner": row["owner"]})
        return conn.execute(self._sql.add_document, {
            "sha256": row["hash"], "path": row["location"], "size": row["size"],
            "encoding": row["encoding"], "status": "processed", "error": "",
            "hit_count": row["hit_count"], "processed_at": row["now"]}).scalar()

    @_retry_on_conflict
    def save_failure(self, *, path: str, sha256: str, size: int, mtime_ns: int,
                     error: str, ctime_ns: int = 0, location: str | None = None) -> None:
        """Record a document that could not be processed (kept for `watcher status`);
        `location` as for save_document."""
        with self.session() as s:
            self._upsert_file(s.connection(), path=path, size=size, mtime_ns=mtime_ns,
                              ctime_ns=ctime_ns, sha256=sha256, status="failed", error=error[:2000])
            if sha256 and not s.exec(select(DocumentRow.id).where(
                    DocumentRow.sha256 == sha256)).first():
                s.add(DocumentRow(sha256=sha256, path=location or path, size=size,
                                  status="failed", error=error[:2000]))

    def files(self, status: str, since: datetime | None = None) -> list[dict]:
        """The paths last seen with this status (failed, vanished, processed), newest last:
        what was never screened, and why."""
        query = select(FileRow).where(FileRow.status == status)
        if since:
            query = query.where(FileRow.seen_at >= since)
        with self.session() as s:
            return [{"seen_at": as_utc(f.seen_at).isoformat(timespec="seconds"),
                     "path": f.path, "size": f.size, "sha256": f.sha256, "error": f.error}
                    for f in s.exec(query.order_by(FileRow.seen_at, FileRow.path))]

    # -- hits ------------------------------------------------------------------------------

    def hits(self, *, entity: str | Sequence[str] | None = None,
             since: datetime | None = None, until: datetime | None = None,
             limit: int | None = None) -> list[dict]:
        """Stored hits, oldest first; with `limit`, the newest that many."""
        query = self._hits_query(entity, since, until).order_by(HitRow.found_at.desc(),
                                                                HitRow.id.desc())
        if limit:
            query = query.limit(limit)
        with self.session() as s:
            return [_hit_dict(h, path, sha) for h, path, sha in s.exec(query)][::-1]

    def iter_hits(self, *, entity: str | Sequence[str] | None = None,
                  since: datetime | None = None,
                  until: datetime | None = None) -> Iterator[dict]:
        """hits() a batch at a time, oldest first: an export of millions of rows in little
        memory."""
        query = self._hits_query(entity, since, until).order_by(HitRow.found_at, HitRow.id)
        with self.session() as s:
            for h, path, sha in s.exec(query.execution_options(yield_per=2000)):
                yield _hit_dict(h, path, sha)

    @staticmethod
    def _hits_query(entity, since, until):
        query = select(HitRow, DocumentRow.path, DocumentRow.sha256).join(
            DocumentRow, HitRow.document_id == DocumentRow.id)
        if entity:
            query = query.where(HitRow.entity_id.in_([entity] if isinstance(entity, str)
                                                     else entity))
        if since:
            query = query.where(HitRow.found_at >= since)
        if until:
            query = query.where(HitRow.found_at < until)
        return query

    def counts(self) -> dict[str, int]:
        with self.session() as s:
            docs = dict(s.exec(select(DocumentRow.status, func.count()).group_by(
                DocumentRow.status)).all())
            outbox = dict(s.exec(select(OutboxRow.status, func.count()).group_by(
                OutboxRow.status)).all())
            retrying = s.exec(select(func.count()).select_from(OutboxRow).where(
                OutboxRow.status == "pending", OutboxRow.attempts > 0)).one()
            hits = s.exec(select(func.count()).select_from(HitRow)).one()
            files = dict(s.exec(select(FileRow.status, func.count()).group_by(
                FileRow.status)).all())
            waiting = s.exec(select(func.count()).select_from(PendingRow).where(
                PendingRow.state.in_(("new", "held")))).one()
        # failed: every path that failed, also those never hashed (links, FIFOs, too large)
        return {"documents": docs.get("processed", 0), "failed": files.get("failed", 0),
                "vanished": files.get("vanished", 0),
                "hits": hits, "pending": outbox.get("pending", 0), "retrying": retrying,
                "sent": outbox.get("sent", 0), "dead": outbox.get("dead", 0),
                "waiting": waiting}

    # -- outbox ----------------------------------------------------------------------------

    def add_messages(self, messages: Sequence[dict]) -> None:
        now = self.clock()
        with self.session() as s:
            s.add_all(OutboxRow(created_at=now, next_attempt_at=now, **m) for m in messages)

    def due_messages(self, now: datetime | None = None, limit: int = 100,
                     skip_entries: Sequence[str] = (), after_id: int = 0,
                     free_for: str | None = None) -> list[Row]:
        """Messages due to be sent (rows with OutboxRow's columns as attributes); `free_for`:
        not those another daemon holds a lease on (it is sending them: reading them would be
        wasted, lease_messages refuses them)."""
        params = {"now": now or self.clock(), "after": after_id, "skip": list(skip_entries),
                  "limit": limit, "owner": free_for}
        with self.engine.begin() as conn:
            return list(conn.execute(self._sql.due if free_for is None else self._sql.due_free,
                                     params))

    def mark_sent(self, message_id: int, owner: str | None = None) -> None:
        """A message was delivered. `owner`: its lease is let go in the same transaction."""
        values = {"message": message_id, "now": self.clock(), "owner": owner}
        if self.postgres and owner is not None:
            with self._autocommit.begin() as conn:  # one statement: atomic by itself
                conn.execute(self._sql.pg_sent, values)
            return
        with self.engine.begin() as conn:  # Core: one per message sent, the ORM's update costs
            conn.execute(self._sql.sent, values)
            if owner is not None:
                conn.execute(self._sql.drop_lease, values)

    def mark_failed(self, message_id: int, error: str, retry_at: datetime | None) -> OutboxRow:
        """Count a failed attempt; with no retry time the message is dead."""
        with self.session() as s:
            row = s.get(OutboxRow, message_id)
            row.attempts += 1
            row.last_error = error[:2000]
            if retry_at is None:
                row.status = "dead"
            else:
                row.next_attempt_at = retry_at
            return row

    def outbox(self, status: str | None = None) -> list[OutboxRow]:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if status:
            query = query.where(OutboxRow.status == status)
        with self.session() as s:
            return list(s.exec(query))

    def retry(self, status: str = "dead") -> int:
        """Put failed or dead messages back in line now; return how many."""
        with self.session() as s:
            rows = list(s.exec(select(OutboxRow).where(OutboxRow.status == status)))
            now = self.clock()
            for row in rows:
                # a fresh delivery window: otherwise it would be dead again at once
                row.status, row.next_attempt_at, row.created_at = "pending", now, now
                row.attempts = 0
            return len(rows)

    def outbox_counts(self) -> dict[str, int]:
        """pending (never tried), failed (pending, tried and failed), sent, dead."""
        with self.session() as s:
            # grouped by the label: PostgreSQL refuses `GROUP BY attempts > $2` for a
            # `SELECT attempts > $1`, the same expression bound twice
            tried = (OutboxRow.attempts > 0).label("tried")
            rows = s.exec(select(OutboxRow.status, tried, func.count())
                          .group_by(OutboxRow.status, tried)).all()
        out = {"pending": 0, "failed": 0, "sent": 0, "dead": 0}
        for status, tried, n in rows:
            out["failed" if status == "pending" and tried else status] += n
        return out

    def defer(self, message_ids: Sequence[int], until: datetime) -> None:
        """Quiet hours: try these later; not a failed attempt."""
        with self.session() as s:
            for row in s.exec(select(OutboxRow).where(OutboxRow.id.in_(message_ids))):
                row.next_attempt_at = until

    def defer_entry(self, entry: str, until: datetime) -> int:
        """After a failed send, the entry's other due messages wait as long (not attempts)."""
        with self.session() as s:
            rows = list(s.exec(select(OutboxRow).where(
                OutboxRow.entry == entry, OutboxRow.status == "pending",
                OutboxRow.next_attempt_at <= until)))
            for row in rows:
                row.next_attempt_at = max(as_utc(row.next_attempt_at), until)
            return len(rows)

    # -- pending notifications -------------------------------------------------------------

    def pending(self, states: Sequence[str] = ("new", "held"),
                entries: Sequence[str] | None = None) -> list[Row]:
        """Pending rows in these states (rows with PendingRow's columns as attributes), oldest
        first; of these entries only, if given."""
        params = {"states": list(states), "entries": list(entries or ())}
        with self.engine.begin() as conn:
            return list(conn.execute(
                self._sql.pending if entries is None else self._sql.pending_of, params))

    def last_alerts(self, entries: Sequence[str], entities: Iterable[str],
                    since: datetime) -> dict[tuple[str, str], datetime]:
        """(entry, entity_id) -> when its last alert message was made (for cooldowns), for
        these entities, if after `since` (ix_pending_last_alert: only the rows in the window)."""
        query = (select(PendingRow.entry, PendingRow.entity_id, func.max(PendingRow.decided_at))
                 .where(PendingRow.entry.in_(entries), PendingRow.entity_id.in_(sorted(entities)),
                        PendingRow.state == "sent", PendingRow.decided_at > since)
                 .group_by(PendingRow.entry, PendingRow.entity_id))
        with self.session() as s:
            return {(e, ent): as_utc(t) for e, ent, t in s.exec(query) if t is not None}

    def alert_sources(self, pairs: Sequence[tuple[int, str]]
                      ) -> tuple[dict[int, Row], dict[tuple[int, str], list[Row]]]:
        """For (document_id, entity_id) pairs: the documents by id, and each pair's hits in
        text order (rows with the columns as attributes); one transaction for a whole flush.

        Core rows, not ORM objects: a flush in a burst reads thousands of hits."""
        out: dict[tuple[int, str], list[Row]] = {p: [] for p in pairs}
        if not pairs:
            return {}, out
        ids = {d for d, _ in pairs}
        docs_t, hits_t = DocumentRow.__table__, HitRow.__table__
        with self.engine.begin() as conn:
            docs = {r.id: r for r in conn.execute(select(docs_t.c.id, docs_t.c.path,
                                                         docs_t.c.sha256)
                                                  .where(docs_t.c.id.in_(ids)))}
            query = select(hits_t).where(hits_t.c.document_id.in_(ids),
                                         hits_t.c.entity_id.in_(sorted({e for _, e in pairs})))
            for h in conn.execute(query.order_by(hits_t.c.start)):
                if (h.document_id, h.entity_id) in out:
                    out[(h.document_id, h.entity_id)].append(h)
        return docs, out

    def decide(self, *, messages: Sequence[tuple[dict, Sequence[int]]],
               states: dict[str, Sequence[int]]) -> int:
        """Apply a flush in one transaction: new outbox messages with the pending rows they
        carry (state sent), and other rows set to `states` (held, silenced).

        Only rows still new or held are touched, so a flush racing another changes nothing
        twice; a message none of whose rows is left is not added. Returns the number of
        messages added. Core statements, a few per flush: a flush may hold hundreds of rows.
        """
        now = self.clock()
        wanted = {i for _, ids in messages for i in ids}
        wanted.update(i for ids in states.values() for i in ids)
        pending = PendingRow.__table__
        with self.engine.begin() as conn:  # Core: once per flush, see save_document
            free = self._undecided(conn, wanted)  # id -> state, locked
            batches = []
            for message, row_ids in messages:
                rows = [i for i in row_ids if free.pop(i, None) is not None]
                if rows:
                    batches.append((message, rows))
            if batches:
                outbox = OutboxRow.__table__
                ids = conn.execute(
                    insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True),
                    [_outbox_values(m, now) for m, _ in batches]).scalars().all()
                pairs = [(r, m) for (_, rows), m in zip(batches, ids, strict=True) for r in rows]
                if self.postgres:
                    conn.execute(self._sql.pg_sent_rows, {
                        "now": now, "rows": [r for r, _ in pairs],
                        "messages": [m for _, m in pairs]})
                else:  # one statement run with each row's parameters: compiled once
                    conn.execute(update(pending).where(pending.c.id == bindparam("row"))
                                 .values(state="sent", decided_at=now,
                                         message_id=bindparam("message")),
                                 [{"row": r, "message": m} for r, m in pairs])
            for state, row_ids in states.items():
                change = [i for i in row_ids if free.get(i, state) != state]
                for i in row_ids:
                    free.pop(i, None)
                if change:
                    conn.execute(update(pending).where(pending.c.id.in_(change)).values(
                        state=state, decided_at=now))
        return len(batches)

    def _undecided(self, conn, row_ids: set[int]) -> dict[int, str]:
        """Rows still to decide (id -> state), locked: a second daemon flushing the same rows
        waits, then finds them decided (PostgreSQL re-checks the condition after the lock;
        SQLite's BEGIN IMMEDIATE serialises the whole flush)."""
        if not row_ids:
            return {}
        pending = PendingRow.__table__
        query = select(pending.c.id, pending.c.state).where(
            pending.c.id.in_(row_ids), pending.c.state.in_(("new", "held")))
        if self.postgres:
            query = query.with_for_update()
        return dict(conn.execute(query).all())

    # -- silences --------------------------------------------------------------------------

    def add_silence(self, entity_id: str, until: datetime, reason: str) -> SilenceRow:
        with self.session() as s:
            row = SilenceRow(entity_id=entity_id, until=until, reason=reason,
                             created_at=self.clock())
            s.add(row)
            s.flush()
            return row

    def silences(self, active_at: datetime | None = None) -> list[Row]:
        """Silences (rows with SilenceRow's columns as attributes); those that end after
        `active_at`, if given."""
        with self.engine.begin() as conn:
            if active_at is None:
                return list(conn.execute(self._sql.silences))
            return list(conn.execute(self._sql.silences_at, {"at": active_at}))

    def remove_silence(self, silence_id: int) -> bool:
        with self.session() as s:
            row = s.get(SilenceRow, silence_id)
            if row is None:
                return False
            s.delete(row)
            return True

    # -- a group of daemons sharing this database --------------------------------------------

    def register_daemon(self, daemon_id: str, host: str, pid: int,
                        started_at: datetime) -> None:
        now = utcnow()
        with self.session() as s:
            s.merge(DaemonRow(id=daemon_id, host=host, pid=pid, started_at=started_at,
                              heartbeat_at=now))

    def heartbeat(self, daemon_id: str, lease: timedelta, **stats) -> None:
        """The daemon is alive: stamp it and extend the leases of what it holds."""
        now = utcnow()
        until = now + lease
        with self.session() as s:
            s.exec(update(DaemonRow).where(DaemonRow.id == daemon_id)
                   .values(heartbeat_at=now, stopped_at=None, **stats))
            s.exec(update(ClaimRow).where(ClaimRow.owner == daemon_id)
                   .values(expires_at=until))
            s.exec(update(MessageLeaseRow).where(MessageLeaseRow.owner == daemon_id)
                   .values(expires_at=until))
            # expired claims and leases are free for anyone anyway; drop those of dead
            # daemons (e.g. killed after storing a document, before letting go of its claim)
            s.exec(delete(ClaimRow).where(ClaimRow.expires_at < now))
            s.exec(delete(MessageLeaseRow).where(MessageLeaseRow.expires_at < now))

    def leave(self, daemon_id: str, **stats) -> None:
        """A clean stop: give back every claim and lease at once."""
        with self.session() as s:
            s.exec(update(DaemonRow).where(DaemonRow.id == daemon_id)
                   .values(stopped_at=utcnow(), **stats))
            s.exec(delete(ClaimRow).where(ClaimRow.owner == daemon_id))
            s.exec(delete(MessageLeaseRow).where(MessageLeaseRow.owner == daemon_id))

    def live_daemons(self, lease: timedelta) -> list[str]:
        """Ids of the daemons running with a heartbeat younger than `lease`."""
        since = utcnow() - lease
        with self.session() as s:
            return sorted(s.exec(select(DaemonRow.id).where(
                DaemonRow.heartbeat_at > since, DaemonRow.stopped_at.is_(None))))

    def daemons(self, forget_after: timedelta = timedelta(days=1)) -> list[dict]:
        """The group: every daemon seen recently, with the claims and leases it holds."""
        since = utcnow() - forget_after
        with self.session() as s:
            rows = list(s.exec(select(DaemonRow).where(DaemonRow.heartbeat_at >= since)
                               .order_by(DaemonRow.started_at)))
            claims = dict(s.exec(select(ClaimRow.owner, func.count()).group_by(
                ClaimRow.owner)).all())
            leases = dict(s.exec(select(MessageLeaseRow.owner, func.count()).group_by(
                MessageLeaseRow.owner)).all())
        return [{**r.model_dump(), "started_at": as_utc(r.started_at),
                 "heartbeat_at": as_utc(r.heartbeat_at),
                 "stopped_at": r.stopped_at and as_utc(r.stopped_at),
                 "claims": claims.get(r.id, 0), "leases": leases.get(r.id, 0)} for r in rows]

    def claim_document(self, sha256: str, owner: str, path: str,
                       lease: timedelta) -> tuple[str, datetime | None]:
        """Claim a document for processing. Returns ("mine", None) when `owner` holds it now,
        ("busy", expiry) while another daemon's lease runs, ("done", None) when the document
        is stored already (claimed and finished by another daemon since we last looked).

        A holder saves its document before (or as) it lets go of the claim, so no claim and no
        document means nobody processed it (on PostgreSQL within one statement's snapshot:
        see _Statements.pg_look).
        """
        if self.postgres:
            return self.look_and_claim(path, sha256, owner, lease)[1:]
        return self._claim_held(sha256, _claim_values(owner, path, lease))

    def look_and_claim(self, path: str, sha256: str, owner: str,
                       lease: timedelta) -> tuple[Row | None, str, datetime | None]:
        """file_seen(path) and claim_document(sha256, ...) together: on PostgreSQL one round
        trip answers the common cases (a new document, or one stored already)."""
        if not self.postgres:
            return self.file_seen(path), *self.claim_document(sha256, owner, path, lease)
        mine = _claim_values(owner, path, lease)
        with self._autocommit.connect() as conn:
            row = conn.execute(self._sql.pg_look, {"sha256": sha256, **mine}).one()
        seen = row if row.size is not None else None  # (a files row's size is never NULL)
        if row.stored:
            return seen, "done", None
        if row.claimed:
            return seen, "mine", None
        return seen, *self._claim_held(sha256, mine)  # a claim row is there

    @_retry_on_conflict
    def _claim_held(self, sha256: str, mine: dict) -> tuple[str, datetime | None]:
        """claim_document() in a transaction: all of it on SQLite; on PostgreSQL for a claim
        row that is there (pg_look's INSERT did nothing), locked."""
        claims = ClaimRow.__table__
        owner, now = mine["owner"], mine["claimed_at"]
        with self.engine.begin() as conn:  # Core: once per file, the ORM's unit of work costs
            state = None if self.postgres else self._new_claim(conn, sha256, mine)
            if state is not None:
                return state, None
            row = conn.execute(select(claims.c.owner, claims.c.expires_at)
                               .where(claims.c.sha256 == sha256).with_for_update()).first()
            if row is not None and row.owner != owner and as_utc(row.expires_at) > now:
                return "busy", as_utc(row.expires_at)
            if conn.execute(self._sql.document_id, {"sha256": sha256}).first():
                if row is not None:
                    conn.execute(delete(claims).where(claims.c.sha256 == sha256))
                return "done", None
            if row is None:  # let go since the INSERT: a race with another claim fails here
                conn.execute(insert(claims).values(sha256=sha256, **mine))
                return "mine", None
            if row.owner != owner:
                log.warning("taking over %s (sha256=%s) from %s, whose lease expired",
                            mine["path"], sha256[:12], row.owner)
            conn.execute(update(claims).where(claims.c.sha256 == sha256).values(**mine))
            return "mine", None

    def _new_claim(self, conn, sha256: str, mine: dict) -> str | None:
        """SQLite: most hashes are new: a claim row inserted where none was makes the document
        ours ("mine") unless it was stored meanwhile ("done": its holder stores it, then lets
        go of the claim). None: a claim row was there."""
        if not conn.execute(self._sql.add_claim, {"sha256": sha256, **mine}).first():
            return None
        if conn.execute(self._sql.document_id, {"sha256": sha256}).first():
            conn.execute(self._sql.drop_claim, {"sha256": sha256, "owner": mine["owner"]})
            return "done"
        return "mine"

    def release_document(self, sha256: str, owner: str) -> None:
        with self.session() as s:
            s.exec(delete(ClaimRow).where(ClaimRow.sha256 == sha256, ClaimRow.owner == owner))

    def claim_messages(self, owner: str, lease: timedelta, now: datetime | None = None,
                       limit: int = 100) -> list[Row]:
        """Due outbox messages, each leased to `owner` so that no other daemon sends it."""
        rows = self.due_messages(now or utcnow(), limit=limit)
        mine = self.lease_messages([r.id for r in rows], owner, lease, now)
        return [r for r in rows if r.id in mine]

    def lease_messages(self, ids: Sequence[int], owner: str, lease: timedelta,
                       now: datetime | None = None) -> set[int]:
        """Lease these messages to `owner`; return those it got (not leased by another).

        PostgreSQL: the rows are locked FOR UPDATE SKIP LOCKED (rows another daemon is leasing
        right now are skipped, not waited for), then the leases are checked by a fresh
        statement (it sees leases committed since the first one began) and written; SQLite:
        the same under BEGIN IMMEDIATE, which serialises it anyway.
        """
        if not ids:
            return set()
        now = now or utcnow()
        query = select(OutboxRow.id).where(OutboxRow.id.in_(ids), OutboxRow.status == "pending")
        if self.postgres:
            query = query.with_for_update(skip_locked=True)
        with self.session() as s:
            locked = list(s.exec(query))
            if not locked:
                return set()
            taken = set(s.exec(select(MessageLeaseRow.message_id).where(
                MessageLeaseRow.message_id.in_(locked),
                MessageLeaseRow.expires_at > now, MessageLeaseRow.owner != owner)))
            mine = {i for i in locked if i not in taken}
            if mine and self.postgres:
                s.connection().execute(self._sql.pg_add_leases, {
                    "ids": sorted(mine), "owner": owner, "expires": now + lease})
            elif mine:
                stmt = self._dialect.insert(MessageLeaseRow.__table__)
                s.connection().execute(stmt.on_conflict_do_update(
                    index_elements=["message_id"],
                    set_={"owner": stmt.excluded.owner, "expires_at": stmt.excluded.expires_at}),
                    [{"message_id": i, "owner": owner, "expires_at": now + lease}
                     for i in sorted(mine)])
            return mine

    def release_message(self, message_id: int, owner: str) -> None:
        with self.session() as s:
            s.exec(delete(MessageLeaseRow).where(MessageLeaseRow.message_id == message_id,
                                                 MessageLeaseRow.owner == owner))

    def claim_run(self, job: str, scheduled_for: datetime, owner: str,
                  stale_after: timedelta) -> bool:
        """Whether `owner` runs `job` for this schedule time: True for exactly one daemon of
        the group. A run claimed by a daemon whose heartbeat stopped more than `stale_after`
        ago, and never finished, is taken over."""
        key = as_utc(scheduled_for)
        now = utcnow()
        try:
            with self.session() as s:
                s.add(JobRunRow(job=job, scheduled_for=key, owner=owner, claimed_at=now))
            return True
        except IntegrityError:
            pass
        with self.session() as s:
            row = s.get(JobRunRow, (job, key), with_for_update=True)
            if row is None or row.finished_at is not None:
                return False
            if row.owner == owner:
                return True
            holder = s.get(DaemonRow, row.owner)
            alive = holder is not None and holder.stopped_at is None and (
                now - as_utc(holder.heartbeat_at) < stale_after)
            if alive:
                return False
            log.warning("taking over job %s for %s from %s", job, key, row.owner)
            row.owner, row.claimed_at = owner, now
            return True

    def finish_run(self, job: str, scheduled_for: datetime, owner: str,
                   messages: Sequence[dict] = ()) -> bool:
        """Queue the run's messages and mark it done, in one transaction; False (nothing
        queued) when the run is no longer ours."""
        key = as_utc(scheduled_for)
        now = utcnow()
        with self.session() as s:
            row = s.get(JobRunRow, (job, key), with_for_update=True)
            if row is None or row.owner != owner or row.finished_at is not None:
                return False
            row.finished_at = now
            s.add_all(OutboxRow(created_at=now, next_attempt_at=now, **m) for m in messages)
            return True

    def integrity_ok(self) -> bool:
        if not self.url.startswith("sqlite"):
            return True
        with self.engine.connect() as conn:
            return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def _outbox_values(message: dict, now: datetime) -> dict:
    """The columns of a new outbox row (OutboxRow's defaults) for a Core insert."""
    return {"kind": "alert", "entity_id": "", "document_id": None, "body_format": "text",
            **message, "status": "pending", "attempts": 0, "created_at": now,
            "next_attempt_at": now, "sent_at": None, "last_error": ""}


def _hit_values(hit: Hit, mention: Mention) -> dict:
    return {"entity_id": hit.entity_id, "name": hit.name, "start": hit.start, "end": hit.end,
            "text": hit.text, "alias": hit.alias, "score": hit.score, "method": hit.method,
            "detail": hit.detail, "before": mention.before, "after": mention.after}


def _hit_dict(hit: HitRow, path: str, sha256: str) -> dict:
    # sha256 names the version of the file: a file rewritten at its path keeps its name
    return {"file": path, "sha256": sha256, "entity_id": hit.entity_id, "name": hit.name,
            "start": hit.start, "end": hit.end, "text": hit.text, "alias": hit.alias,
            "score": hit.score, "method": hit.method, "detail": hit.detail,
            "found_at": as_utc(hit.found_at).isoformat(timespec="seconds")}


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for another engine or one in memory."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):])
    return None


def as_utc(dt: datetime) -> datetime:
    """A time in UTC. SQLite hands datetimes back without a zone: ours are all UTC."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL must not leak into the message
        return "(database URL)"


def is_transient(exc: BaseException) -> bool:
    """A database error worth retrying (locked, disk full, I/O) rather than a bug."""
    return isinstance(exc, OperationalError)

