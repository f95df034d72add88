"""An exclusive, process-wide lock on an open file: one writer per collection.

The OS drops the lock when the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from flashcards.core.errors import CollectionLockedError, StorageError


class FileLock:
    """Holds an exclusive lock on `path` from `acquire()` until `release()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock or raise CollectionLockedError at once (never waits)."""
        if self._handle is not None:
            return
        try:
            handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's life
        except OSError as exc:
            raise StorageError(f"cannot create lock file {self.path}: {exc.strerror}") from exc
        try:
            _lock(handle)
        except OSError as exc:
            handle.close()
            raise CollectionLockedError(
                f"the collection in {self.path.parent} is open in another Flashcards "
                "window or process; close it first"
            ) from exc
        # Record who holds it, for people debugging a "locked" message. Only a note: on a
        # full disk the lock is held all the same (flock needs no room), and the first
        # write to the collection says what is wrong.
        # Written unbuffered, so a failed write leaves nothing for close() to flush.
        try:
            os.ftruncate(handle.fileno(), 0)
            os.write(handle.fileno(), str(os.getpid()).encode())
        except OSError:
            pass
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        # flock locks the open file description, so a second open in this same
        # process is refused too (what the tests rely on).
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
