"""Backups, as Anki makes them: making, listing and rotating them.

A backup is one zip file in `<data folder>/backups/`:

    backup.json              what it is: when (UTC, from `now`), kind, schema, cards, answers
    collection.sqlite3.zst   a consistent snapshot of the database (SQLite's online backup
                             API: a backup taken while answering is never torn), zstd
    decks/…              the library's deck files (.md) and exam profiles (exam.toml)
    folders/<id>/…       the same of each folder used where it is (`add_folder`); the
                             manifest's "folders" names each one's path and label

Images and sounds are not copied (they stay in the library and no restore removes them).
The app makes one every 30 minutes of use with changes and on close (`Backups.maybe`,
`Backups.on_close`); `flashcards backup` makes one by hand. Automatic and manual ones are
rotated (core/backup_rotation.py: the newest 12, then one a day for 7 days, one a week for
4 weeks); the copies made before a restore or a repair, and the one rescued when the
database vanished under the app, are kept until you delete them.

Restoring one (`restore`, `restore_data_dir`) and rebuilding a lost database
(`rebuild_data_dir`) are in `backup_restore.py`; they import from here too.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import zstandard

from flashcards import __version__
from flashcards.collection.base import utc
from flashcards.collection.import_journal import TMP_DIR
from flashcards.collection.library import LibraryRoot, walk_decks
from flashcards.core.backup_rotation import Rotation, backups_to_keep
from flashcards.core.errors import FlashcardsError
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.storage.db_file import BACKUPS_DIR
from flashcards.storage.engine import DB_NAME, snapshot_file
from flashcards.storage.failures import (
    DatabaseDamagedError,
    is_damaged,
    os_failure,
    sqlite_failure,
)
from flashcards.storage.migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection

EVERY = timedelta(minutes=30)
MANIFEST = "backup.json"
DB_ENTRY = f"{DB_NAME}.zst"  # the database, zstd-compressed
FOLDERS = "folders/"  # then the folder's root id: the deck files of a folder used in place
KINDS = {
    "auto": "automatic",
    "manual": "made by you",
    "before-restore": "before a restore",
    "before-repair": "before a repair",
    "rescue": "rescued when the database vanished",
}
ROTATED = frozenset({"auto", "manual"})
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{6}Z)-([a-z]+(?:-[a-z]+)*)(?:-(\d+))?\.zip$")
_PARTIAL = re.compile(r"^\..+\.zip\.partial$")
_STAMP = "%Y-%m-%dT%H%M%SZ"


class BackupError(FlashcardsError):
    """A file that is not a usable Flashcards backup; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: when it was made (UTC), its kind and size, and (read from it when
    asked) how many cards and answers it holds."""

    path: Path
    created: datetime
    kind: str
    size: int
    cards: int | None = None
    reviews: int | None = None

    @property
    def label(self) -> str:
        """The kind in words ("automatic", "before a restore", …)."""
        return KINDS.get(self.kind, self.kind)


def parse_name(path: Path) -> tuple[datetime, str] | None:
    """(created, kind) from a backup's file name, or None for a file that is not ours."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    created = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
    return created, match.group(2)


def list_backups(data_dir: Path, *, details: bool = False) -> list[BackupInfo]:
    """The backups in the data folder, newest first; `details` reads each one's counts."""
    folder = data_dir / BACKUPS_DIR
    found: list[BackupInfo] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            parsed = parse_name(Path(entry.name))
            if parsed is None or not entry.is_file():
                continue
            info = BackupInfo(Path(entry.path), parsed[0], parsed[1], entry.stat().st_size)
            found.append(_with_counts(info) if details else info)
    return sorted(found, key=lambda b: (b.created, _number(b.path)), reverse=True)


def _number(path: Path) -> int:
    """1, or n for the n-th backup made in the same second (`…-auto-2.zip`)."""
    match = _NAME.match(path.name)
    return int(match.group(3)) if match and match.group(3) else 1


def _with_counts(info: BackupInfo) -> BackupInfo:
    try:
        with zipfile.ZipFile(info.path) as z:
            manifest = json.loads(z.read(MANIFEST))
        return BackupInfo(
            info.path,
            info.created,
            info.kind,
            info.size,
            int(manifest.get("cards", 0)),
            int(manifest.get("reviews", 0)),
        )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return info  # listed all the same; restoring it says what is wrong


def library_files(library: Path) -> list[tuple[str, Path]]:
    """(POSIX path in the library, file) of every deck file and exam profile."""
    files = [(rel, library / rel) for rel, _ in walk_decks(library)]
    for exam in library.rglob("exam.toml"):
        rel = exam.relative_to(library)
        if not any(p.startswith(".") for p in rel.parts) and exam.is_file():
            files.append((rel.as_posix(), exam))
    return sorted(files)


class Backups:
    """The backups of one open collection (`col.backups`): making, listing, rotating.

    `create` runs where it is called, through the collection's own connection (it also
    works when the database file has vanished: the rescue). `start` makes an automatic
    backup in a thread of its own, through a second, read-only connection: SQLite's
    online backup in one step reads one consistent state while answers go on being
    written, so a big collection's backup never holds up the review.
    """

    def __init__(self, col: Collection, *, rotation: Rotation | None = None) -> None:
        self.col = col
        self.folder = col.data_dir / BACKUPS_DIR
        self.rotation = rotation or Rotation()
        self._changes_at_last = col.db.changes()
        self._thread: threading.Thread | None = None
        self.last_error: Exception | None = None  # of the last backup made in a thread

    def list(self, *, details: bool = False) -> builtins.list[BackupInfo]:
        return list_backups(self.col.data_dir, details=details)

    def changed(self) -> bool:
        """Has the collection changed since it was opened or last backed up?"""
        return self.col.db.changes() != self._changes_at_last

    def due(self, *, now: datetime | None = None) -> bool:
        """A periodic backup is due: changes, and none in the last 30 minutes. A backup
        dated after `now` (made while the clock was ahead) is not a recent one: it
        would hold the backups back until that date."""
        if not self.changed() or self.running:
            return False
        at = utc(now)
        return not any(
            b.kind in ROTATED and timedelta(0) <= at - b.created < EVERY for b in self.list()
        )

    def maybe(self, *, now: datetime | None = None) -> BackupInfo | None:
        """The periodic backup, made here when due."""
        return self.create(now=now, kind="auto") if self.due(now=now) else None

    def start(self, *, now: datetime | None = None) -> bool:
        """The periodic backup, when due, made in a thread (the app asks every few
        minutes); True if one started. A failure is kept in `last_error`."""
        if not self.due(now=now):
            return False
        job = self._job(utc(now), "auto")
        snapshot = functools.partial(snapshot_file, self.col.db.path)

        def run() -> None:
            try:
                job.run(snapshot)
            except Exception as exc:  # noqa: BLE001 - kept for the app to say
                self.last_error = exc

        self.last_error = None
        self._thread = threading.Thread(target=run, name="backup", daemon=True)
        self._thread.start()
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self) -> None:
        """Until a backup running in its thread has finished (closing waits for it)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def on_close(self, *, now: datetime | None = None) -> BackupInfo | None:
        """The backup on close: made when anything changed since the last one."""
        self.wait()
        return self.create(now=now, kind="auto") if self.changed() else None

    def rescue(self, how: str) -> str:
        """The database file vanished under us (`how`: deleted or replaced): save what our
        still-open connection holds. Called from the write that noticed, so it has no
        `now`: the clock names it. Returns the backup's file name."""
        return self.create(now=None, kind="rescue").path.name

    def create(self, *, now: datetime | None = None, kind: str = "manual") -> BackupInfo:
        """Make a backup now, here (see the module docstring); rotates automatic ones."""
        self.wait()
        return self._job(utc(now), kind).run(self.col.db.snapshot_to)

    def _job(self, now: datetime, kind: str) -> _BackupJob:
        if kind not in KINDS:
            raise ValueError(f"unknown backup kind {kind!r}")
        job = _BackupJob(
            folder=self.folder,
            tmp=self.col.data_dir / TMP_DIR,
            library=self.col.library,
            folders=tuple(root for root in self.col.roots() if root.external),
            database=self.col.db.path,
            created=now.replace(microsecond=0),
            kind=kind,
            rotation=self.rotation if kind in ROTATED else None,
            tz=self.col.day_config().tz,
        )
        self._changes_at_last = self.col.db.changes()
        return job

    def rotate(self) -> builtins.list[Path]:
        """Delete automatic and manual backups the rotation does not keep (and partial
        files a crash left); returns what was deleted."""
        return rotate(self.folder, tz=self.col.day_config().tz, rotation=self.rotation)


@dataclass(frozen=True)
class _BackupJob:
    """One backup to write; touches no collection object (it may run in a thread)."""

    folder: Path
    tmp: Path
    library: Path
    folders: tuple[LibraryRoot, ...]  # the folders used where they are
    database: Path  # the collection's, to name in an error
    created: datetime
    kind: str
    rotation: Rotation | None
    tz: tzinfo

    def run(self, snapshot: Callable[[Path], None]) -> BackupInfo:
        """Write it: `snapshot(dest)` copies the database; then the zip, atomically."""
        partial: Path | None = None
        try:
            self.folder.mkdir(exist_ok=True)
            self.tmp.mkdir(exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="backup-", dir=self.tmp))
            try:
                copy = work / DB_NAME
                cards, reviews = self._snapshot(snapshot, copy)
                name = _free_name(self.folder, self.created, self.kind)
                partial = self.folder / f".{name}.partial"
                files = library_files(self.library)
                folders = [(root, library_files(root.path)) for root in self.folders]
                manifest = {
                    "format": 1,
                    "created": self.created.isoformat(),
                    "kind": self.kind,
                    "schema": SCHEMA_VERSION,
                    "app": __version__,
                    "cards": cards,
                    "reviews": reviews,
                    "decks": [rel for rel, _ in files],
                    "folders": [
                        {
                            "id": root.id,
                            "label": root.label,
                            "path": str(root.path),
                            "decks": [rel for rel, _ in found],
                        }
                        for root, found in folders
                    ],
                }
                with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr(MANIFEST, json.dumps(manifest, indent=1))
                    # zstd (as Anki's packages): a 240 MB database packs in about a second.
                    with (
                        z.open(zipfile.ZipInfo(DB_ENTRY), "w") as entry,
                        open(copy, "rb") as source,
                    ):
                        zstandard.ZstdCompressor(level=1).copy_stream(source, entry)
                    entries = [(f"decks/{rel}", path) for rel, path in files]
                    for root, found in folders:
                        entries += [(f"{FOLDERS}{root.id}/{rel}", path) for rel, path in found]
                    for entry_name, path in entries:
                        with contextlib.suppress(OSError):  # vanished or unreadable: left out
                            z.writestr(entry_name, path.read_bytes(), compresslevel=1)
                with open(partial, "rb") as handle:
                    os.fsync(handle.fileno())
                final = self.folder / name
                os.replace(partial, final)
                partial = None
            finally:
                shutil.rmtree(work, ignore_errors=True)
        except OSError as exc:
            raise os_failure(exc, f"cannot make a backup in {self.folder}") from exc
        finally:
            if partial is not None:
                partial.unlink(missing_ok=True)
        info = BackupInfo(final, self.created, self.kind, final.stat().st_size, cards, reviews)
        if self.rotation is not None:
            rotate(self.folder, tz=self.tz, rotation=self.rotation)
        return info

    def _snapshot(self, snapshot: Callable[[Path], None], copy: Path) -> tuple[int, int]:
        """The database copied to `copy` and checked (SQLite's quick check: a damaged
        file copies without a word, and restoring it would fail); its counts."""
        doing = f"cannot make a backup in {self.folder}"
        try:
            snapshot(copy)
            with contextlib.closing(sqlite3.connect(sqlite_uri(copy, "ro"), uri=True)) as raw:
                rows = [row[0] for row in raw.execute("PRAGMA quick_check").fetchall()]
            if rows != ["ok"]:
                from flashcards.collection.backup_restore import check_summary

                raise DatabaseDamagedError(self.database, check_summary(rows), doing=doing)
            return _counts(copy)
        except sqlite3.Error as exc:
            if is_damaged(exc):
                raise DatabaseDamagedError(self.database, str(exc), doing=doing) from exc
            failure = sqlite_failure(exc, copy, doing=doing)
            if failure is None:
                raise
            raise failure from exc


def _free_name(folder: Path, created: datetime, kind: str) -> str:
    base = f"{created.strftime(_STAMP)}-{kind}"
    name, n = f"{base}.zip", 2
    while (folder / name).exists():
        name, n = f"{base}-{n}.zip", n + 1
    return name


def rotate(folder: Path, *, tz: tzinfo, rotation: Rotation) -> list[Path]:
    """Delete the automatic and manual backups in `folder` the rotation does not keep
    (and partial files a crash left); returns what was deleted."""
    backups = [b for b in list_backups(folder.parent) if b.kind in ROTATED]
    keep = backups_to_keep((b.created for b in backups), tz=tz, rotation=rotation)
    kept_times: set[datetime] = set()
    deleted: list[Path] = []
    for backup in backups:  # newest first: of two made in one second, the newer stays
        if backup.created in keep and backup.created not in kept_times:
            kept_times.add(backup.created)
            continue
        with contextlib.suppress(OSError):
            backup.path.unlink()
            deleted.append(backup.path)
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if _PARTIAL.match(entry.name) and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    return deleted


def _counts(db_file: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(sqlite_uri(db_file, "ro"), uri=True)) as raw:
        cards = raw.execute("SELECT COUNT(*) FROM cards WHERE present = 1").fetchone()[0]
        reviews = raw.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    return int(cards), int(reviews)


# Restoring (and rebuilding) lives in backup_restore.py; its names stay importable from here.
# (Imported last: backup_restore imports this module's names.)
from flashcards.collection.backup_restore import RestoreReport as RestoreReport  # noqa: E402
from flashcards.collection.backup_restore import find_backup as find_backup  # noqa: E402
from flashcards.collection.backup_restore import rebuild_data_dir as rebuild_data_dir  # noqa: E402
from flashcards.collection.backup_restore import restore as restore  # noqa: E402
from flashcards.collection.backup_restore import restore_data_dir as restore_data_dir  # noqa: E402
