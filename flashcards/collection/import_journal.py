"""Imports that survive a crash at any moment: the whole import with its history, or nothing.

`apply_import` writes every file it will put in the library into a staging folder
`tmp/import-XXXXXXXX/new/…` beside a journal (`journal.json`) naming them. Its database
transaction also records the staging folder's name in the setting `imports_in_progress`,
and commits; only then are the staged files moved into the library and the name removed.

So the commit decides. Killed before it, the library is untouched and the database has
nothing of the import: the next open deletes the staging folder. Killed after it, the
database holds the import (cards, history, states) and the next open moves in the files
still staged before anything else reads the library. Either way library and database
agree.

`tidy_on_open` also removes what other crashes leave: staging folders of ours in `tmp/`
(`import-…`, interop's `interop-…`, backup.py's `backup-…` and `restore-…` work folders)
and the hidden temporary files of an atomic write (`.deck.md.XXXXXXXX.tmp`) in the deck
folders. Only names made by our own code are touched.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from flashcards.collection.settings import get_setting, set_setting
from flashcards.core.crash_point import crash_point
from flashcards.core.ids import write_atomic_many
from flashcards.storage.engine import Database

PENDING_KEY = "imports_in_progress"
STAGE_PREFIX = "import-"
JOURNAL = "journal.json"
TMP_DIR = "tmp"

# tempfile's names: a prefix and 8 characters of [a-z0-9_] (mkdtemp, mkstemp).
_OUR_TMP_FOLDER = re.compile(r"^(import|interop|backup|restore)-[a-z0-9_]{8}$")
_OUR_TEMP_FILE = re.compile(r"^\..+\.md\.[a-z0-9_]{8}\.tmp$", re.IGNORECASE)


class MovesUnfinished(OSError):
    """Moving a committed import's files into the library failed part-way."""


# -- during an import -----------------------------------------------------------------


def stage_files(stage: Path, items: Sequence[tuple[str, bytes]]) -> None:
    """Write the import's files under `stage/new/`; deck files reach the disk (fsync)."""
    new = stage / "new"
    decks: list[tuple[Path, bytes]] = []
    for rel, data in items:
        staged = new / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        if rel.lower().endswith(".md"):
            decks.append((staged, data))
        else:
            staged.write_bytes(data)
    if decks:
        write_atomic_many(decks)


def staged_stats(stage: Path, rels: Iterable[str]) -> list[tuple[int, int, str]]:
    """(mtime_ns, size, rel) of staged files: a rename keeps a file's mtime and size, so
    the deck rows can hold what the moved files will have, and the sync after the move
    need not read and hash them again (a file whose stat differs then is read as usual)."""
    out = []
    for rel in rels:
        st = (stage / "new" / rel).stat()
        out.append((st.st_mtime_ns, st.st_size, rel))
    return out


def make_parents(library: Path, rels: Iterable[str]) -> list[Path]:
    """Create the library folders the files go into (before the commit, so the moves
    after it are renames only); the folders made, parents first."""
    made: list[Path] = []
    for rel in rels:
        for parent in reversed((library / rel).parents):
            if not parent.exists():
                parent.mkdir()
                made.append(parent)
            elif not parent.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "a file is in the way", str(parent))
    return made


def remove_made(folders: Sequence[Path]) -> None:
    """Remove folders `make_parents` made, if still empty (an import that did not commit)."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_journal(stage: Path, rels: Sequence[str]) -> None:
    """Name the staged files (library-relative) in the stage's journal, durably."""
    data = json.dumps({"files": list(rels)}, ensure_ascii=False).encode("utf-8")
    write_atomic_many([(stage / JOURNAL, data)])


def mark_pending(session: Session, token: str) -> None:
    """Record, in the import's own transaction, that staging folder `token` is to be
    moved in: committed, the import is decided."""
    pending = list(get_setting(session, PENDING_KEY) or [])
    set_setting(session, PENDING_KEY, [*pending, token])


def clear_pending(session: Session, token: str) -> None:
    pending = [t for t in get_setting(session, PENDING_KEY) or [] if t != token]
    set_setting(session, PENDING_KEY, pending)


def move_in(stage: Path, library: Path) -> None:
    """Move every file still staged in `stage` into `library` (renames, each atomic).

    Idempotent: a file already moved is no longer staged. Raises MovesUnfinished when a
    move fails; the rest stay staged for the next try.
    """
    rels = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))["files"]
    folders: set[Path] = set()
    for index, rel in enumerate(rels):
        staged = stage / "new" / rel
        if not staged.exists():
            continue  # moved before a crash
        target = library / rel
        crash_point(f"import-move-{index}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        except OSError as exc:
            raise MovesUnfinished(exc.errno, exc.strerror, str(target)) from exc
        folders.add(target.parent)
    for folder in folders:
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# -- on open ---------------------------------------------------------------------------


def tidy_on_open(db: Database, data_dir: Path, library: Path) -> list[str]:
    """Finish committed imports a crash interrupted, drop uncommitted ones, and remove our
    leftover staging folders. Runs with the lock held, before the first sync. Returns a
    line per import finished (for the log; nothing is asked of the user)."""
    tmp = data_dir / TMP_DIR
    with db.read() as s:
        pending = [str(t) for t in get_setting(s, PENDING_KEY) or []]
    done: list[str] = []
    for token in pending:
        stage = tmp / token
        if (stage / JOURNAL).is_file():
            move_in(stage, library)  # MovesUnfinished: left for the next open, and said
            done.append(f"finished an import interrupted by a crash ({token})")
        with db.session() as s:
            clear_pending(s, token)
        shutil.rmtree(stage, ignore_errors=True)
    if tmp.is_dir():
        for entry in tmp.iterdir():
            if _OUR_TMP_FOLDER.match(entry.name) and entry.name not in pending:
                # Never committed (or interop's work folder): nothing of it is in the library.
                shutil.rmtree(entry, ignore_errors=True)
    return done


def remove_temp_files(roots: Iterable[Path]) -> int:
    """Delete atomic writes' leftover temporary files (`.deck.md.XXXXXXXX.tmp`) under
    `roots`, in the folders a sync reads; returns how many."""
    removed = 0
    seen: set[tuple[int, int]] = set()
    stack = list(roots)
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            entries = list(os.scandir(folder))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            try:
                if entry.name.startswith("."):
                    if _OUR_TEMP_FILE.match(entry.name) and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
                        removed += 1
                elif entry.is_dir():
                    stack.append(Path(entry.path))
            except OSError:
                continue
    return removed
