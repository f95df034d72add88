"""The write-ahead log is checkpointed when the writer pauses, on a thread of its own."""

from __future__ import annotations

import time
from pathlib import Path

from flashcards.storage.engine import Database
from flashcards.storage.wal_checkpoint import IdleCheckpointer


def _wait_for(predicate: object, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def _write(db: Database, times: int) -> None:
    for i in range(times):
        with db.raw() as cur:
            cur.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", ("k", str(i)))


def _log_frames(db: Database) -> int:
    """Frames in the WAL now (a passive checkpoint's report; it copies them too)."""
    _busy, frames, _done = db._driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(frames)


def test_a_pause_after_writes_checkpoints_and_the_log_starts_again(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        db.checkpointer = IdleCheckpointer(db.path, idle=0.05)
        db.checkpoint()
        _write(db, 1)
        one = _log_frames(db)  # the frames of one commit, once the log has started again
        _write(db, 200)
        assert _wait_for(lambda: db.checkpointer.runs >= 1)
        # Caught up while nothing was written: the next commit starts the log afresh.
        _write(db, 1)
        assert _log_frames(db) <= one
    finally:
        db.close()


def test_no_checkpoint_while_commits_keep_coming(tmp_path: Path) -> None:
    db = Database(tmp_path)
    try:
        checkpointer = IdleCheckpointer(db.path, idle=5.0)
        db.checkpointer = checkpointer
        _write(db, 50)
        time.sleep(0.2)
        assert checkpointer.runs == 0  # the writer has not paused for 5 s
    finally:
        db.close()


def test_close_ends_the_thread(tmp_path: Path) -> None:
    db = Database(tmp_path)
    checkpointer = IdleCheckpointer(db.path, idle=0.05)
    db.checkpointer = checkpointer
    _write(db, 3)
    thread = checkpointer._thread
    assert thread is not None and thread.is_alive()
    db.close()
    assert not thread.is_alive()


def test_a_database_that_is_gone_is_not_created_again(tmp_path: Path) -> None:
    missing = tmp_path / "gone.sqlite3"
    checkpointer = IdleCheckpointer(missing, idle=0.01)
    checkpointer.committed()
    thread = checkpointer._thread
    assert thread is not None
    assert _wait_for(lambda: not thread.is_alive())  # it could not open the file
    checkpointer.stop()
    assert not missing.exists() and checkpointer.runs == 0


def test_a_read_only_database_has_no_checkpointer(tmp_path: Path) -> None:
    Database(tmp_path).close()
    db = Database(tmp_path, readonly=True)
    try:
        assert db.checkpointer is None
    finally:
        db.close()
