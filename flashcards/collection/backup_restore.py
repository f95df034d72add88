"""Putting a collection back: from one of its backups (`restore`; `restore_data_dir` for
`flashcards restore FILE`, also when the database is missing or damaged), or a new database
from the deck files and the device logs (`rebuild_data_dir`, `flashcards rebuild`).

`restore` first backs up the collection as it is, then puts the backup's database in place
(the lock held throughout) and its deck files in the library, and returns the reopened
collection. Making and listing backups is `backup.py`, which also exports these names.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from flashcards.collection.backup import (
    DB_ENTRY,
    FOLDERS,
    MANIFEST,
    BackupError,
    BackupInfo,
    library_files,
    parse_name,
)
from flashcards.collection.base import ensure_library_root
from flashcards.collection.import_journal import TMP_DIR
from flashcards.core.errors import FlashcardsError, InteropError
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.interop.safezip import Limits, SafeZip
from flashcards.storage import models as m
from flashcards.storage.db_file import BACKUPS_DIR, DatabaseDamagedError, set_aside
from flashcards.storage.engine import DB_NAME
from flashcards.storage.failures import os_failure, write_file
from flashcards.storage.migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection

# Our own backups: a database compresses far better than a stranger's package may.
_LIMITS = Limits(max_total=64 << 30, max_ratio=100_000.0)


@dataclass(frozen=True)
class RestoreReport:
    restored: BackupInfo
    saved: BackupInfo | None  # the collection as it was just before, backed up first
    decks_written: int
    decks_removed: int
    # A damaged database cannot be backed up: it is copied aside (saved is None then).
    damaged_kept: Path | None = None
    notes: tuple[str, ...] = ()  # a folder used where it is that could not be put back

    @property
    def kept_name(self) -> str:
        """The file name of the backup (or copy) of the collection as it was."""
        return self.saved.path.name if self.saved is not None else str(self.damaged_kept)

    @property
    def kept_as(self) -> str:
        """Where the collection as it was is kept, in words."""
        if self.saved is not None:
            return f"the collection as it was is backed up in {self.saved.path}"
        return f"the damaged database as it was is kept as {self.damaged_kept}"


def find_backup(data_dir: Path, file: str | os.PathLike[str]) -> Path:
    """`file` as given, or the backup of that name in the data folder's backups."""
    path = Path(file).expanduser()
    if path.is_file():
        return path.absolute()
    named = data_dir / BACKUPS_DIR / path.name
    if named.is_file():
        return named
    raise BackupError(f"{file}: no such backup (the backups are in {data_dir / BACKUPS_DIR})")


Files = dict[str, bytes]  # POSIX path in a folder of decks: contents


def _unpack(file: Path, work: Path) -> tuple[dict[str, Any], Path, Files, dict[int, Files]]:
    """Check `file` is a backup of ours and unpack it: manifest, database, the library's
    deck files, and those of each folder used where it is (by root id)."""
    try:
        with SafeZip(file, limits=_LIMITS) as z:
            names = z.names()
            entry = DB_ENTRY if DB_ENTRY in names else DB_NAME
            if MANIFEST not in names or entry not in names:
                raise BackupError(f"{file} is not a Flashcards backup (no {MANIFEST})")
            manifest = json.loads(z.read(MANIFEST))
            db_file = work / DB_NAME
            z.extract(entry, db_file, zstd=True)
            decks: Files = {}
            folders: dict[int, Files] = {}
            for name in names:
                if name.endswith("/"):
                    continue
                if name.startswith("decks/"):
                    into, rest = decks, name[len("decks/") :]
                elif name.startswith(FOLDERS):
                    root, _, rest = name[len(FOLDERS) :].partition("/")
                    if not root.isdigit():
                        raise BackupError(f"{file}: unexpected entry {name!r}; nothing was changed")
                    into = folders.setdefault(int(root), {})
                else:
                    continue
                rel = PurePosixPath(rest)
                if any(p.startswith(".") for p in rel.parts) or not (
                    rel.suffix.lower() == ".md" or rel.name == "exam.toml"
                ):
                    raise BackupError(f"{file}: unexpected entry {name!r}; nothing was changed")
                into[rel.as_posix()] = z.read(name)
    except InteropError as exc:
        raise BackupError(f"{file} is not a readable backup: {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{file} is not a Flashcards backup ({exc})") from exc
    _check_database(file, db_file)
    return manifest, db_file, decks, folders


def _check_database(file: Path, db_file: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(sqlite_uri(db_file, "ro"), uri=True)) as raw:
            (ok,) = raw.execute("PRAGMA integrity_check").fetchone()
            (version,) = raw.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{file}: its database cannot be read ({exc})") from exc
    if ok != "ok":
        raise BackupError(f"{file}: its database is damaged ({ok})")
    if int(version) > SCHEMA_VERSION:
        raise BackupError(
            f"{file} was made by a newer Flashcards (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); update Flashcards to restore it"
        )


def restore(
    col: Collection, file: str | os.PathLike[str], *, now: datetime | None = None
) -> tuple[Collection, RestoreReport]:
    """Put the collection back as it was in backup `file`: the current state is backed
    up first, then the database and the library's deck files are replaced (media stay).
    Returns the reopened collection (use it; `col` is spent) and what was done."""
    from flashcards.collection.collection import Collection

    path = find_backup(col.data_dir, file)
    parsed = parse_name(path)
    tmp = col.data_dir / TMP_DIR
    try:
        tmp.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="restore-", dir=tmp))
    except OSError as exc:
        raise os_failure(exc, f"cannot restore in {tmp}") from exc
    try:
        manifest, db_file, decks, folders = _unpack(path, work)
        restored = BackupInfo(
            path,
            parsed[0] if parsed else datetime.fromisoformat(str(manifest.get("created"))),
            parsed[1] if parsed else str(manifest.get("kind", "manual")),
            path.stat().st_size,
            manifest.get("cards"),
            manifest.get("reviews"),
        )
        saved, kept = _save_first(col, now)
        col.devices.close_files()  # the log as it is (fsynced); `fresh` opens it again
        db = col.db
        try:
            db.replace_file(db_file)
        except OSError as exc:
            raise os_failure(exc, f"cannot put the backup's database in {db.path}") from exc
        with db.session() as s:
            ensure_library_root(s, col.library)
        written, removed = _restore_decks(col.library, decks)
        notes: list[str] = []
        for entry in manifest.get("folders") or []:
            done = _restore_folder(db, path, entry, folders.get(int(entry.get("id", -1)), {}))
            if isinstance(done, str):
                notes.append(done)
            else:
                written, removed = written + done[0], removed + done[1]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fresh = Collection(db)
    from flashcards.collection.device_restore import reconcile_restored

    reconcile_restored(fresh.devices)  # the logs go back with it (docs/sync.md)
    fresh.sync(now=now)
    return fresh, RestoreReport(restored, saved, written, removed, kept, tuple(notes))


def _save_first(col: Collection, now: datetime | None) -> tuple[BackupInfo | None, Path | None]:
    """The collection as it is, backed up before the restore replaces it; a damaged
    database (no backup of it passes the check) is copied aside instead."""
    try:
        return col.backups.create(now=now, kind="before-restore"), None
    except DatabaseDamagedError:
        pass
    col.db.checkpoint()
    n = 1
    while (aside := col.db.path.with_name(f"{DB_NAME}.damaged-{n}")).exists():
        n += 1
    try:
        shutil.copyfile(col.db.path, aside)
    except OSError as exc:
        raise os_failure(exc, f"cannot keep a copy of the damaged database in {aside}") from exc
    return None, aside


def _restore_folder(
    db: Any, file: Path, entry: dict[str, Any], files: Files
) -> tuple[int, int] | str:
    """A folder used where it is, as in the backup: (written, removed), or why it was
    not put back. Only into a folder that is there and that the restored collection
    uses (never a folder the backup alone names)."""
    folder = Path(str(entry.get("path", "")))
    label = str(entry.get("label", folder.name))
    with db.read() as s:
        used = s.execute(
            select(m.Root.id).where(m.Root.path == str(folder), m.Root.external.is_(True))
        ).first()
    if used is None or not folder.is_absolute():
        return (
            f"{label}: {folder} is not a folder the restored collection uses; its deck "
            "files were not put back"
        )
    if not folder.is_dir():
        return (
            f"the folder {folder} ({label}) is not there (moved, or on a disk not "
            f"connected?): its {len(files)} deck file(s) were not put back; they are in "
            f"{file.name} under {FOLDERS}{entry.get('id')}/"
        )
    return _restore_decks(folder, files)


def _restore_decks(library: Path, decks: dict[str, bytes]) -> tuple[int, int]:
    """The library's deck files and exam profiles as in the backup; media untouched."""
    written = removed = 0
    for rel, data in sorted(decks.items()):
        target = library / rel
        try:
            if target.is_file() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_failure(exc, f"cannot restore {target}") from exc
        write_file(target, data)
        written += 1
    for rel, path in library_files(library):
        if rel not in decks:
            try:
                path.unlink()
            except OSError as exc:
                raise os_failure(exc, f"cannot remove {path}") from exc
            removed += 1
    return written, removed


def _open_for_restore(data_dir: Path) -> tuple[Collection, str | None]:
    """The collection to restore over, lock held: a missing database made anew, a damaged
    one set aside first (renamed, never deleted). The note says which, if either."""
    from flashcards.collection.collection import Collection

    try:
        return Collection.open(data_dir, sync=False, seed=False, rebuild=True), None
    except DatabaseDamagedError:
        aside = set_aside(data_dir / DB_NAME)
    col = Collection.open(data_dir, sync=False, seed=False, rebuild=True)
    return col, f"the damaged database was kept as {aside.name}"


def restore_data_dir(
    data_dir: Path, file: str | os.PathLike[str], *, now: datetime | None = None
) -> tuple[RestoreReport, str | None]:
    """`flashcards restore FILE`: restore into the collection in `data_dir`, which must
    not be open elsewhere (CollectionLockedError); works when its database is missing or
    damaged too. Returns the report and a note on a damaged database set aside."""
    find_backup(data_dir, file)  # a wrong name says so before anything opens
    col, note = _open_for_restore(data_dir)
    fresh: Collection | None = None
    try:
        fresh, report = restore(col, file, now=now)
    finally:
        (fresh or col).close()
    return report, note


def rebuild_data_dir(data_dir: Path, *, now: datetime | None = None) -> tuple[int, str | None]:
    """`flashcards rebuild`: a new database from the deck files when the old one is missing
    or damaged (review history and states come back from the device logs, docs/sync.md).
    Refused while the database is fine.
    Returns the number of cards and a note on a damaged database set aside."""
    from flashcards.collection.collection import Collection

    db_path = data_dir / DB_NAME
    note = None
    if db_path.exists():
        problem = _quick_check(data_dir)
        if problem is None:
            raise FlashcardsError(
                f"the database {db_path} is there, opens and passes SQLite's check: nothing "
                "to rebuild (flashcards check --repair mends a damaged index; flashcards "
                "restore FILE goes back to a backup)"
            )
        note = f"the damaged database ({problem}) was kept as {set_aside(db_path).name}"
    with Collection.open(data_dir, seed=False, rebuild=True, now=now) as col:
        col.set_setting("seeded", True)  # the library is the user's: no bundled decks back
        cards = _card_count(col)
    return cards, note


def _quick_check(data_dir: Path) -> str | None:
    """What SQLite's quick check finds wrong with the database (None: nothing). A few bad
    pages in the middle of the file let it open, and fail only the reads that meet them."""
    from flashcards.collection.collection import Collection

    try:
        with (
            Collection.open(data_dir, sync=False, seed=False) as col,
            col.db.raw_read() as cur,
        ):
            rows = [row[0] for row in cur.execute("PRAGMA quick_check").fetchall()]
    except DatabaseDamagedError as exc:
        return exc.reason
    if rows == ["ok"]:
        return None
    return check_summary(rows)


def check_summary(rows: list[str]) -> str:
    """SQLite's quick/integrity check findings in one line: the first, and how many more."""
    lines = [
        line.strip()
        for row in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    if not lines:
        return "SQLite's check failed"
    more = f" and {len(lines) - 1} more problem(s)" if len(lines) > 1 else ""
    return f"{lines[0][:200]}{more}"


def _card_count(col: Collection) -> int:
    with col.db.raw_read() as cur:
        return int(cur.execute("SELECT COUNT(*) FROM cards WHERE present = 1").fetchone()[0])
