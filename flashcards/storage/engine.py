"""The database: engine, connection pragmas, sessions, opening with the lock held."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from flashcards.core.errors import StorageError
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.storage.db_file import (
    DatabaseDamagedError,
    DatabaseLostError,
    file_identity,
    mark_created,
    refuse_missing,
)
from flashcards.storage.failures import is_damaged, sqlite_failure
from flashcards.storage.lock import FileLock
from flashcards.storage.migrations import SCHEMA_VERSION, migrate, read_version
from flashcards.storage.wal_checkpoint import IdleCheckpointer

DB_NAME = "collection.sqlite3"
LOCK_NAME = "collection.lock"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so DDL
    # in a migration and every statement of a sync share one real transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # NORMAL is durable across application crashes in WAL mode and much faster than FULL.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA temp_store=MEMORY")
    # The WAL is checkpointed on a thread of its own when the writer pauses (between two
    # answers: wal_checkpoint.py); the automatic checkpoint, inside the commit that makes
    # the log ~80 MB, is the backstop for a long run of writes without a pause (a review
    # session writes ~11 pages an answer: ~1,800 answers in a row). `close()`
    # checkpoints, and the WAL file is truncated back to 64 MB at most.
    cur.execute("PRAGMA wal_autocheckpoint=20000")
    cur.execute("PRAGMA journal_size_limit=67108864")
    cur.execute("PRAGMA cache_size=-32000")
    cur.close()


def make_engine(db_path: Path, *, readonly: bool = False, immutable: bool = False) -> Engine:
    """An engine on `db_path` usable from one worker thread at a time.

    `immutable` (with `readonly`) reads a database nothing can change, on read-only
    media: SQLite then needs no `-shm` file beside it, which it could not create there."""
    # The file is named to sqlite3 directly, not in an SQLAlchemy URL, where a `?` in a
    # folder's name would cut the path short.
    if readonly:
        target, uri = sqlite_uri(db_path, "ro", *(["immutable=1"] if immutable else [])), True
    else:
        target, uri = str(db_path), False

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=uri, check_same_thread=False)

    engine = create_engine(
        "sqlite://",
        creator=connect,
        # One connection, reused: the collection is used by one thread at a time and
        # this keeps the per-operation cost to a cursor, not a connect.
        poolclass=StaticPool,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def check_data_dir(data_dir: Path) -> None:
    """Raise StorageError unless `data_dir` exists (or can be made) and is writable."""
    if not data_dir.exists():
        # A fresh home has no ~/.local/share yet: make the parents too, as every app does.
        try:
            data_dir.mkdir(parents=True)
        except FileExistsError:
            pass  # made meanwhile by another process, or a dangling link: checked below
        except OSError as exc:
            raise StorageError(f"cannot create data folder {data_dir}: {exc.strerror}") from exc
    if not data_dir.is_dir():
        raise StorageError(f"data folder {data_dir} is not a folder")
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StorageError(f"data folder {data_dir} is read-only; Flashcards needs to write there")


def snapshot_file(db_path: Path, dest: Path) -> None:
    """A consistent copy of the database `db_path` in `dest`, through a connection of its
    own (read-only; any thread): SQLite's online backup in one step reads one state, and
    in WAL mode the writer goes on meanwhile."""
    source = sqlite3.connect(sqlite_uri(db_path, "ro"), uri=True)
    try:
        _copy(source, dest)
    finally:
        source.close()


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()


def _wal_has_data(db_path: Path) -> bool:
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


class ReadOnlyError(StorageError):
    """A change was asked of a collection opened read-only."""


class Database:
    """An open collection database: the lock, the engine and a session factory.

    `readonly=True` takes no lock and writes nothing (for `flashcards decks` while the
    app has the collection open); the schema must already be this version's.
    A database that existed here and is gone raises `DatabaseMissingError` (db_file.py)
    unless `rebuild=True` asks for a new one. Storage failures (a full disk, no
    permission, a damaged file) are `StorageError`s that say what to do (failures.py);
    a database file deleted or replaced under the open collection stops every write with
    `DatabaseLostError`, after `on_lost` (the collection's rescue backup) has run.
    """

    def __init__(self, data_dir: Path, *, readonly: bool = False, rebuild: bool = False) -> None:
        self.readonly = readonly
        self.previous_version: int | None = None
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.lock = FileLock(data_dir / LOCK_NAME)
        # Called once when the file is found deleted or replaced ("deleted"/"replaced");
        # returns the name of the backup that kept the work, if it made one.
        self.on_lost: Callable[[str], str | None] | None = None
        self._lost: tuple[str, str | None] | None = None
        if readonly:
            self._open_readonly()
        else:
            check_data_dir(data_dir)
            self._open(rebuild=rebuild)
        self._identity = file_identity(self.path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The one pooled connection's DBAPI handle, for the review loop's few statements:
        # through the ORM each costs ~10x what SQLite spends running it.
        self._driver: sqlite3.Connection = self.engine.raw_connection().driver_connection  # type: ignore[assignment]
        # Copies the WAL into the database when the writer pauses (None: read-only).
        self.checkpointer = None if readonly else IdleCheckpointer(self.path)

    def _open_readonly(self) -> None:
        if not self.path.is_file():
            raise StorageError(f"no collection in {self.data_dir}")
        # On read-only media (a folder nobody may write) the database cannot change: read
        # it as immutable. Not with a write-ahead log left beside it (a collection not
        # closed cleanly): its last changes are there, and only a writer reads them in.
        immutable = not os.access(self.data_dir, os.W_OK) and not _wal_has_data(self.path)
        self.engine = make_engine(self.path, readonly=True, immutable=immutable)
        try:
            with self.engine.connect() as conn:
                version = read_version(conn)
        except DatabaseError as exc:
            self.engine.dispose()
            self._damaged(exc)
            hint = ""
            if not immutable and not os.access(self.data_dir, os.W_OK):
                hint = (
                    f"; it was not closed cleanly (its last changes wait in {DB_NAME}-wal) "
                    "and its folder is read-only: open it once where it can be written"
                )
            raise StorageError(f"cannot open database {self.path}: {exc.orig}{hint}") from exc
        if version != SCHEMA_VERSION:
            self.engine.dispose()
            raise StorageError(
                f"{self.path} has schema version {version}; open it once in Flashcards "
                f"(version {SCHEMA_VERSION}) before reading it read-only"
            )
        self.previous_version = version

    def _open(self, *, rebuild: bool = False) -> None:
        self.lock.acquire()
        try:
            refuse_missing(self.data_dir, self.path, rebuild=rebuild)
            self.engine = make_engine(self.path)
            self.previous_version = migrate(self.engine, self.path)
            mark_created(self.data_dir)
        except DatabaseError as exc:
            self.lock.release()
            if is_damaged(exc):
                raise DatabaseDamagedError(self.path, str(exc.orig)) from exc
            failure = sqlite_failure(exc, self.path)
            if failure is not None:  # a full disk, no permission …
                raise failure from exc
            raise StorageError(f"cannot open database {self.path}: {exc.orig}") from exc
        except BaseException:
            self.lock.release()
            raise

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(
                f"the collection in {self.data_dir} is open read-only; nothing was changed"
            )

    def _check_file(self) -> None:
        """Refuse to write when the database file is no longer the one we opened."""
        if self._lost is None:
            now = file_identity(self.path)
            if now == self._identity:
                return
            how = "deleted" if now is None else "replaced"
            self._lost = (how, None)
            if self.on_lost is not None:
                # Best effort: the rescue reads our still-open connection (no writes).
                with contextlib.suppress(Exception):
                    self._lost = (how, self.on_lost(how))
        raise DatabaseLostError(self.path, *self._lost)

    @property
    def lost(self) -> bool:
        """True once the file was found deleted or replaced (every write is refused)."""
        return self._lost is not None

    def changes(self) -> int:
        """Rows changed through this connection since it opened (SQLite's total_changes)."""
        return int(self._driver.total_changes)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        self._writable()
        self._check_file()
        try:
            with self._sessions() as session, session.begin():
                yield session
            if self.checkpointer is not None:
                self.checkpointer.committed()
        except (sqlite3.Error, DBAPIError) as exc:
            failure = sqlite_failure(exc, self.path)
            if failure is None:
                raise
            raise failure from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only (nothing to commit)."""
        try:
            with self._sessions() as session:
                yield session
        except (sqlite3.Error, DBAPIError) as exc:
            self._damaged(exc)
            raise

    def _damaged(self, exc: BaseException) -> None:
        """Raise DatabaseDamagedError (what to do about it) when `exc` says the file is
        damaged: a bad page can be met by any read, long after the file opened."""
        if is_damaged(exc):
            raise DatabaseDamagedError(self.path, str(getattr(exc, "orig", exc))) from exc

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Cursor]:
        """A DBAPI cursor in a transaction: committed on success, rolled back on error.

        For hot paths only (answering, the next card); use `session()` elsewhere.
        """
        self._writable()
        self._check_file()
        cursor = self._driver.cursor()
        try:
            cursor.execute("BEGIN")
            try:
                yield cursor
                cursor.execute("COMMIT")
            except BaseException:
                if self._driver.in_transaction:  # a failed COMMIT (a full disk) too
                    with contextlib.suppress(sqlite3.Error):
                        cursor.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            failure = sqlite_failure(exc, self.path)
            if failure is None:
                raise
            raise failure from exc
        finally:
            cursor.close()
        if self.checkpointer is not None:
            self.checkpointer.committed()

    @contextmanager
    def raw_read(self) -> Iterator[sqlite3.Cursor]:
        """A DBAPI cursor for reads (each statement sees committed data)."""
        cursor = self._driver.cursor()
        try:
            yield cursor
        except sqlite3.Error as exc:
            self._damaged(exc)
            raise
        finally:
            cursor.close()

    def checkpoint(self) -> None:
        """Copy what the WAL holds into the database now (a passive checkpoint: it never
        waits for a reader), as after a bulk change before timing anything."""
        with contextlib.suppress(sqlite3.Error):
            self._driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def snapshot_to(self, dest: Path) -> None:
        """A consistent copy of the database in `dest` (SQLite's online backup from this
        connection: it sees exactly what is committed), self-contained (no WAL)."""
        _copy(self._driver, dest)

    def replace_file(self, new_file: Path) -> None:
        """Put the database `new_file` in place of ours and open it (upgrading its schema
        if older), the lock held throughout: our connection closes, the old WAL files go
        (applied to another database they would damage it), the new file is renamed in."""
        self._writable()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        with contextlib.suppress(sqlite3.Error):
            self._driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        os.replace(new_file, self.path)
        self.engine = make_engine(self.path)
        try:
            self.previous_version = migrate(self.engine, self.path)
        except DatabaseError as exc:
            raise StorageError(f"cannot open database {self.path}: {exc.orig}") from exc
        mark_created(self.data_dir)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._driver = self.engine.raw_connection().driver_connection  # type: ignore[assignment]
        self._identity = file_identity(self.path)
        self._lost = None
        self.checkpointer = IdleCheckpointer(self.path)

    def close(self) -> None:
        try:
            if self.checkpointer is not None:
                self.checkpointer.stop()
            if not self.readonly:
                with contextlib.suppress(sqlite3.Error):
                    self._driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.engine.dispose()
        finally:
            self.lock.release()
