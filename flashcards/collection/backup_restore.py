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

from flashcards.collection.backup import (
    DB_ENTRY,
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
    saved: BackupInfo  # the collection as it was just before, backed up first
    decks_written: int
    decks_removed: int


def find_backup(data_dir: Path, file: str | os.PathLike[str]) -> Path:
    """`file` as given, or the backup of that name in the data folder's backups."""
    path = Path(file).expanduser()
    if path.is_file():
        return path.absolute()
    named = data_dir / BACKUPS_DIR / path.name
    if named.is_file():
        return named
    raise BackupError(f"{file}: no such backup (the backups are in {data_dir / BACKUPS_DIR})")


def _unpack(file: Path, work: Path) -> tuple[dict[str, Any], Path, dict[str, bytes]]:
    """Check `file` is a backup of ours and unpack it: manifest, database, deck files."""
    try:
        with SafeZip(file, limits=_LIMITS) as z:
            names = z.names()
            entry = DB_ENTRY if DB_ENTRY in names else DB_NAME
            if MANIFEST not in names or entry not in names:
                raise BackupError(f"{file} is not a Flashcards backup (no {MANIFEST})")
            manifest = json.loads(z.read(MANIFEST))
            db_file = work / DB_NAME
            z.extract(entry, db_file, zstd=True)
            decks: dict[str, bytes] = {}
            for name in names:
                if not name.startswith("decks/") or name.endswith("/"):
                    continue
                rel = PurePosixPath(name[len("decks/") :])
                if any(p.startswith(".") for p in rel.parts) or not (
                    rel.suffix.lower() == ".md" or rel.name == "exam.toml"
                ):
                    raise BackupError(f"{file}: unexpected entry {name!r}; nothing was changed")
                decks[rel.as_posix()] = z.read(name)
    except InteropError as exc:
        raise BackupError(f"{file} is not a readable backup: {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{file} is not a Flashcards backup ({exc})") from exc
    _check_database(file, db_file)
    return manifest, db_file, decks


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
        manifest, db_file, decks = _unpack(path, work)
        restored = BackupInfo(
            path,
            parsed[0] if parsed else datetime.fromisoformat(str(manifest.get("created"))),
            parsed[1] if parsed else str(manifest.get("kind", "manual")),
            path.stat().st_size,
            manifest.get("cards"),
            manifest.get("reviews"),
        )
        saved = col.backups.create(now=now, kind="before-restore")
        col.devices.close_files()  # the log as it is (fsynced); `fresh` opens it again
        db = col.db
        try:
            db.replace_file(db_file)
        except OSError as exc:
            raise os_failure(exc, f"cannot put the backup's database in {db.path}") from exc
        with db.session() as s:
            ensure_library_root(s, col.library)
        written, removed = _restore_decks(col.library, decks)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fresh = Collection(db)
    from flashcards.collection.device_restore import reconcile_restored

    reconcile_restored(fresh.devices)  # the logs go back with it (docs/sync.md)
    fresh.sync(now=now)
    return fresh, RestoreReport(restored, saved, written, removed)


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
        try:
            Collection.open(data_dir, sync=False, seed=False).close()
        except DatabaseDamagedError:
            note = f"the damaged database was kept as {set_aside(db_path).name}"
        else:
            raise FlashcardsError(
                f"the database {db_path} is there and opens: nothing to rebuild "
                "(flashcards check --repair mends a damaged index; flashcards restore FILE "
                "goes back to a backup)"
            )
    with Collection.open(data_dir, seed=False, rebuild=True, now=now) as col:
        col.set_setting("seeded", True)  # the library is the user's: no bundled decks back
        cards = _card_count(col)
    return cards, note


def _card_count(col: Collection) -> int:
    with col.db.raw_read() as cur:
        return int(cur.execute("SELECT COUNT(*) FROM cards WHERE present = 1").fetchone()[0])
