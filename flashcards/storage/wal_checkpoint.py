"""Checkpointing the write-ahead log when the writer is idle, not inside its commits.

SQLite's automatic checkpoint runs inside the commit that crosses its threshold: in a
review session the answer that happens to do it waits while the pages are copied into
the database and both files are fsynced (30–150 ms here). An `IdleCheckpointer` runs a
PASSIVE checkpoint through a connection of its own, on a daemon thread, once no commit
has come for `idle` seconds — between two answers, while the card is read. A passive
checkpoint never blocks the writer or a reader; once it has caught up, the next write
starts the log again from its beginning, so the automatic checkpoint (the connection's
`wal_autocheckpoint`) is only the backstop for a long run of writes without a pause (a
script, a benchmark's loop).

Durability is SQLite's either way: a checkpoint copies only committed pages, and a
crash in the middle of one loses nothing (the log still holds them).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

from flashcards.core.sqlite_uri import sqlite_uri

IDLE_SECONDS = 0.5  # no commit for this long: the writer is idle
_SLICE = 0.02  # how often the thread looks while it waits for a pause (and for `stop`)


class IdleCheckpointer:
    """Passive checkpoints of the database at `path` after `idle` seconds without a
    commit, on a thread of its own (started at the first commit)."""

    def __init__(self, path: Path, *, idle: float = IDLE_SECONDS) -> None:
        self.path = path
        self.idle = idle
        self.runs = 0  # checkpoints done
        self._last_commit = 0.0
        self._pending = False  # a commit not yet checkpointed
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stopped = False
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """A transaction committed (called by the writer: a clock read, no lock, unless
        the thread must be woken)."""
        self._last_commit = time.monotonic()
        if not self._pending:
            with self._lock:
                self._pending = True
                if self._thread is None and not self._stopped:
                    self._thread = threading.Thread(
                        target=self._run, name="flashcards-wal-checkpoint", daemon=True
                    )
                    self._thread.start()
                self._wake.notify()

    def stop(self) -> None:
        """End the thread (after the checkpoint it may be running): before the database
        closes or is replaced."""
        with self._lock:
            self._stopped = True
            self._wake.notify()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                with self._lock:
                    while not self._pending and not self._stopped:
                        self._wake.wait()
                    if self._stopped:
                        return
                # Until no commit has come for `idle` seconds, in short sleeps: a timed
                # wait on a lock never ends under a faked clock (CI runs under faketime).
                while not self._stopped and time.monotonic() < self._last_commit + self.idle:
                    time.sleep(_SLICE)
                with self._lock:
                    if self._stopped:
                        return
                    self._pending = False
                if conn is None:
                    # mode=rw: never create a database where the file has gone.
                    conn = sqlite3.connect(
                        sqlite_uri(self.path, "rw"), uri=True, check_same_thread=False
                    )
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.runs += 1
        except sqlite3.Error:
            return  # cannot open it: the automatic checkpoint still runs
        finally:
            if conn is not None:
                conn.close()
