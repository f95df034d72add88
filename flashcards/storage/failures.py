"""Storage failures as the user sees them: a `StorageError` that says what happened and
what to do, never a raw `OperationalError` or `OSError` traceback.

A full disk, a folder Flashcards may not write, a read-only medium, a disk error, a
database deleted or replaced under the running app: each becomes a `StorageError` whose
message names the file and whose `advice` says what to do about it. Errors that are bugs
(an SQL mistake, a constraint broken by our own code) are left as they are, so they still
reach the bug report with their traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from flashcards.core.errors import StorageError

FREE_SPACE = "Free some space on that disk, then try again; nothing was saved from this step."
CHECK_PERMISSIONS = "Check the permissions and owner of that file and its folder, then try again."
READ_ONLY_DISK = "The disk is read-only: copy the data folder to a writable disk and open it there."
DISK_ERROR = (
    "Check the disk (is it still connected? does the system log name a fault?), then try "
    "again; if files were damaged, restore your collection from a backup "
    "(File ▸ Restore from backup…)."
)
DAMAGED = (
    "Make a new database from your deck files with `flashcards rebuild` (the review history "
    "comes back from the library's device logs), or go back to a backup with "
    "`flashcards restore FILE` (File ▸ Restore from backup… in the app); either keeps the "
    "damaged file beside the new one."
)
NEARLY_FULL = 1 << 20
"""Free bytes below which a disk error is taken for a full disk (SQLite says "disk I/O
error" when it cannot grow its shared-memory file on a full disk)."""

_ADVICE_BY_ERRNO = {
    errno.ENOSPC: FREE_SPACE,
    errno.EDQUOT: "You have used up your disk quota: free some space, then try again.",
    errno.EFBIG: FREE_SPACE,
    errno.EACCES: CHECK_PERMISSIONS,
    errno.EPERM: CHECK_PERMISSIONS,
    errno.EROFS: READ_ONLY_DISK,
    errno.EIO: DISK_ERROR,
}

# SQLite's primary result codes that mean the file or the disk, not our SQL.
_SQLITE_FULL = 13
_SQLITE_IOERR = 10
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_NOLFS = 22


class StorageFailure(StorageError):
    """A storage failure with advice: `str()` is what happened, `advice` what to do."""

    def __init__(self, message: str, advice: str) -> None:
        super().__init__(f"{message}. {advice}")
        self.message = message
        self.advice = advice


class DatabaseDamagedError(StorageFailure):
    """The database file exists but SQLite cannot read it (or part of it) as a database."""

    def __init__(self, path: Path, reason: str, *, doing: str = "") -> None:
        damaged = f"the database {path} is damaged ({reason})"
        super().__init__(f"{doing}: {damaged}" if doing else damaged, DAMAGED)
        self.path = path
        self.reason = reason


def free_space(path: Path) -> str:
    """ "N MB free on MOUNT" for the disk holding `path` ("" when it cannot be told)."""
    folder = Path(os.path.abspath(path))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    mount = folder
    while not os.path.ismount(mount) and mount != mount.parent:
        mount = mount.parent
    return f"{free / 1e6:.1f} MB free on {mount}"


def _full(path: Path) -> str:
    where = free_space(path)
    return f"the disk is full ({where})" if where else "the disk is full"


def nearly_full(path: Path) -> bool:
    """Is the disk holding `path` (all but) full?"""
    folder = Path(os.path.abspath(path))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def os_failure(exc: OSError, doing: str, *, name_file: bool = True) -> StorageFailure:
    """`exc` raised while `doing` ("cannot save deck.md") as a StorageFailure; the file
    the system names is added unless `name_file` is False (`doing` names it)."""
    reason = exc.strerror or str(exc)
    named = name_file and exc.filename and str(exc.filename) not in doing
    where = f" ({exc.filename})" if named else ""
    if exc.errno == errno.ENOSPC:
        reason += f": {_full(Path(str(exc.filename))) if exc.filename else 'the disk is full'}"
    advice = _ADVICE_BY_ERRNO.get(exc.errno or 0, "Check the disk and the folder, then try again.")
    return StorageFailure(f"{doing}: {reason}{where}", advice)


def _primary_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damaged(exc: BaseException) -> bool:
    """Does this database error say the file is damaged or not a database at all?"""
    return _primary_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or str(
        getattr(exc, "orig", exc)
    ) in ("file is not a database", "database disk image is malformed")


def sqlite_failure(
    exc: BaseException, path: Path, *, doing: str | None = None
) -> StorageFailure | None:
    """The StorageFailure for a database error about the file or the disk, else None
    (the error is a bug and goes on as it is). `exc` is a sqlite3 error, or SQLAlchemy's
    wrapper of one; `doing` says what failed (default: saving to `path`)."""
    doing = doing or f"cannot save to {path}"
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.Error):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig)
    if primary is None:  # older sqlite3 modules: go by the message
        primary = {
            "database or disk is full": _SQLITE_FULL,
            "disk I/O error": _SQLITE_IOERR,
            "attempt to write a readonly database": _SQLITE_READONLY,
            "unable to open database file": _SQLITE_CANTOPEN,
            "database disk image is malformed": _SQLITE_CORRUPT,
            "file is not a database": _SQLITE_NOTADB,
        }.get(text)
    if primary in (_SQLITE_FULL, _SQLITE_NOLFS) or (primary == _SQLITE_IOERR and nearly_full(path)):
        return StorageFailure(f"{doing}: {_full(path)}", FREE_SPACE)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return StorageFailure(f"{doing}: the file is read-only", CHECK_PERMISSIONS)
    if primary == _SQLITE_IOERR:
        return StorageFailure(f"{doing}: the disk reported an error", DISK_ERROR)
    if primary == _SQLITE_CANTOPEN:
        return StorageFailure(
            f"cannot open {path} or its journal",
            "Check that the data folder is there and writable.",
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseDamagedError(path, text)
    if primary == _SQLITE_BUSY:
        return StorageFailure(
            f"the database {path} is busy in another program",
            "Close the other program that has it open, then try again.",
        )
    return None


def write_file(path: Path, data: bytes) -> None:
    """`core.ids.write_atomic`, with an OSError raised as a StorageFailure naming the file."""
    from flashcards.core.ids import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise os_failure(exc, f"cannot save {path}", name_file=False) from exc
