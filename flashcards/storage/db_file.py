"""The database file under a running app: noticing it deleted or replaced, and knowing at
the next start that a collection existed.

An open SQLite connection keeps writing into the file it opened, even after another
program deleted it or put another file in its place: every answer would then go into a
file nobody will open again. `Database` compares the path's identity (device and inode)
with the one it opened before each write transaction (one `stat`) and stops writing with
`DatabaseLostError` when it differs.

`collection.created`, a small file beside the database, says that a collection was
created in this folder. Without it a missing database is a new collection; with it the
database has gone missing, and opening raises `DatabaseMissingError` instead of silently
starting an empty one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from flashcards.core.errors import StorageError
from flashcards.storage.event_log import DEVICE_NAME
from flashcards.storage.failures import DatabaseDamagedError as DatabaseDamagedError
from flashcards.storage.failures import StorageFailure

MARKER_NAME = "collection.created"
BACKUPS_DIR = "backups"
_MARKER_TEXT = (
    "This file tells Flashcards that a collection database was created in this folder,\n"
    "so that a missing collection.sqlite3 is reported (restore a backup, or rebuild from\n"
    "the deck files) instead of silently starting an empty collection.\n"
)

Identity = tuple[int, int]


def file_identity(path: Path) -> Identity | None:
    """(device, inode) of `path`, or None when there is no file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


class DatabaseLostError(StorageFailure):
    """The database file was deleted or replaced while the collection was open."""

    def __init__(self, path: Path, how: str, rescued: str | None) -> None:
        self.how = how  # "deleted" or "replaced"
        self.rescued = rescued  # the backup that kept the work, if one could be made
        kept = (
            f"Everything saved up to now is in the backup {rescued} (in the data folder's backups)."
            if rescued
            else "Your latest backup is in the data folder's backups folder."
        )
        if how == "deleted":
            message = (
                f"the collection database {path} was deleted while Flashcards had it open; "
                "Flashcards has stopped saving, so nothing goes into a file that no longer "
                "exists"
            )
            advice = f"{kept} Quit Flashcards and start it again: it offers to restore it."
        else:
            message = (
                f"the collection database {path} was replaced by another file while "
                "Flashcards had it open; Flashcards has stopped saving into the old one"
            )
            advice = (
                f"{kept} Quit Flashcards and start it again to use the new file; "
                "File ▸ Restore from backup… brings the backup back if you want it."
            )
        super().__init__(message, advice)


class DatabaseMissingError(StorageError):
    """A collection was created in the data folder but its database is gone."""

    def __init__(self, data_dir: Path, db_path: Path) -> None:
        self.data_dir = data_dir
        self.db_path = db_path
        self.backups = data_dir / BACKUPS_DIR
        self.advice = (
            f"Restore it from a backup (flashcards restore FILE; backups are in "
            f"{self.backups}), or start a new database from your deck files with "
            "flashcards rebuild (their review history is then lost)."
        )
        super().__init__(
            f"the collection database {db_path} is missing, though a collection was "
            f"created in {data_dir} (was it deleted or moved?). {self.advice}"
        )


def set_aside(db_path: Path) -> Path:
    """Rename a damaged database (and its WAL files) out of the way, for a restore or a
    rebuild to start afresh; returns its new name (nothing is deleted)."""
    n = 1
    while (aside := db_path.with_name(f"{db_path.name}.damaged-{n}")).exists():
        n += 1
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{db_path}{suffix}")
        if extra.exists():
            os.replace(extra, Path(f"{aside}{suffix}"))
    os.replace(db_path, aside)
    return aside


def refuse_missing(data_dir: Path, db_path: Path, *, rebuild: bool) -> None:
    """Raise DatabaseMissingError when the marker says a database existed and it is gone
    (unless `rebuild`: a new database is wanted, or this device's log in the library
    holds the history: the database is only its cache then, docs/sync.md)."""
    if (
        not rebuild
        and not db_path.exists()
        and (data_dir / MARKER_NAME).exists()
        and not history_in_device_log(data_dir)
    ):
        raise DatabaseMissingError(data_dir, db_path)


def history_in_device_log(data_dir: Path) -> bool:
    """Whether this data folder's device logs into its library (decks/): a database
    rebuilt from the decks and the logs then loses nothing."""
    try:
        stored = json.loads((data_dir / "device.json").read_text(encoding="utf-8"))
        ident = stored.get("id") if isinstance(stored, dict) else None
        if not isinstance(ident, str) or not DEVICE_NAME.match(ident):
            return False
        # device.json is written at the first open that logs (an older collection's history
        # goes into the log then): from then on every change made here is in the logs,
        # in this device's folder of the library, or nowhere if nothing was done.
        return (data_dir / "decks").is_dir()
    except (OSError, ValueError):
        return False


def mark_created(data_dir: Path) -> None:
    """Leave the marker (best effort: a folder we cannot write fails elsewhere first)."""
    marker = data_dir / MARKER_NAME
    if not marker.exists():
        with contextlib.suppress(OSError):
            marker.write_text(_MARKER_TEXT, encoding="utf-8")
