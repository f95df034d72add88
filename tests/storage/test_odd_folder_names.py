"""A data folder whose name SQLite would misread in a URI or SQLAlchemy in a URL: `?`
ends a URL's path, `#` a URI's, `%` starts an escape. The database stays in the folder."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.collection.backup import list_backups
from flashcards.collection.backup_restore import restore_data_dir
from flashcards.collection.collection import Collection
from flashcards.core.model import Rating
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.storage.engine import DB_NAME, Database, snapshot_file
from flashcards.storage.wal_checkpoint import IdleCheckpointer

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
ODD = "why? #1 at 50% é"
DECK = "# Capitals\n\n## France\n\nParis\n\n## Peru\n\nLima\n"


def test_sqlite_uri_escapes_what_sqlite_would_read(tmp_path: Path) -> None:
    folder = tmp_path / ODD
    folder.mkdir()
    with sqlite3.connect(folder / "x.db") as db:
        db.execute("CREATE TABLE t (v)")
        db.execute("INSERT INTO t VALUES (7)")
    db.close()
    uri = sqlite_uri(folder / "x.db", "ro")
    assert "?" not in uri.split("?mode=")[0] and "#" not in uri
    ro = sqlite3.connect(uri, uri=True)
    try:
        assert ro.execute("SELECT v FROM t").fetchall() == [(7,)]
        with pytest.raises(sqlite3.OperationalError):
            ro.execute("INSERT INTO t VALUES (8)")
    finally:
        ro.close()
    with pytest.raises(sqlite3.OperationalError):  # mode=rw never creates a file
        sqlite3.connect(sqlite_uri(folder / "missing.db", "rw"), uri=True)
    assert not (folder / "missing.db").exists()


def test_collection_in_an_odd_folder(tmp_path: Path) -> None:
    data = tmp_path / ODD / "data"
    col = Collection.open(data, seed=False)
    try:
        (col.library / "capitals.md").write_text(DECK, encoding="utf-8")
        col.sync(now=NOW)
        card = col.next_card(now=NOW)
        assert card is not None
        col.answer(card.id, Rating.GOOD, now=NOW)
        col.backups.create(now=NOW)
    finally:
        col.close()
    # everything in the folder itself, nothing at a path cut short at `?` or `#`
    assert (data / DB_NAME).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [ODD]
    assert sorted(p.name for p in (tmp_path / ODD).iterdir()) == ["data"]

    ro = Database(data, readonly=True)
    try:
        with ro.read() as s:
            assert s.connection().exec_driver_sql("SELECT count(*) FROM cards").scalar() == 2
    finally:
        ro.close()
    snapshot_file(data / DB_NAME, tmp_path / "copy.sqlite3")
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    copy.close()

    backups = list_backups(data, details=True)
    assert len(backups) == 1
    report, damaged = restore_data_dir(data, backups[0].path.name, now=NOW)
    assert damaged is None
    col = Collection.open(data, seed=False)
    try:
        assert len(col.search("Paris", limit=None)) == 1
    finally:
        col.close()


def test_idle_checkpointer_reaches_a_database_in_an_odd_folder(tmp_path: Path) -> None:
    folder = tmp_path / ODD
    folder.mkdir()
    db = sqlite3.connect(folder / DB_NAME)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE t (v)")
    db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    db.commit()
    before = (folder / DB_NAME).stat().st_size  # the rows are still in the write-ahead log
    checkpointer = IdleCheckpointer(folder / DB_NAME, idle=0.05)
    try:
        checkpointer.committed()
        deadline = time.monotonic() + 10
        while checkpointer.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert checkpointer.runs == 1
        assert (folder / DB_NAME).stat().st_size > before  # the log was copied into the file
    finally:
        checkpointer.stop()
        db.close()
