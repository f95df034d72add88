"""Sync engines' conflict copies of deck files (docs/sync.md): found by every library sync
(`SyncReport.conflicts`), never read as decks; shown with their original, and resolved
by keeping one of the two. The other is moved to `<data folder>/conflicts/`, never
deleted.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from flashcards.collection.views import ConflictCopy, SyncReport
from flashcards.core.errors import FlashcardsError
from flashcards.storage.failures import os_failure

CONFLICTS_DIR = "conflicts"
TEXT_LIMIT = 4 << 20  # bytes of a deck shown side by side


def conflict_copies(col: Any) -> tuple[ConflictCopy, ...]:
    """The conflict copies the library holds now (a sync finds them)."""
    report: SyncReport = col.sync()
    return report.conflicts


def read_both(copy: ConflictCopy) -> tuple[str, str]:
    """The original's text and the copy's, to compare (missing: empty)."""

    def text(path: str) -> str:
        try:
            with open(path, "rb") as handle:
                return handle.read(TEXT_LIMIT).decode("utf-8", errors="replace")
        except OSError:
            return ""

    return text(copy.original), text(copy.path)


def resolve_conflict(col: Any, copy: ConflictCopy, *, keep: str) -> SyncReport:
    """Keep the original (`keep="original"`) or the copy (`"copy"`, which then becomes
    the original); the other goes to the data folder's `conflicts/`. Syncs after."""
    if keep not in ("original", "copy"):
        raise ValueError(f"keep must be 'original' or 'copy', not {keep!r}")
    copy_path, original = Path(copy.path), Path(copy.original)
    if not copy_path.is_file():
        raise FlashcardsError(f"{copy_path} is no longer there: sync to see what is")
    aside = col.data_dir / CONFLICTS_DIR
    try:
        aside.mkdir(exist_ok=True)
        if keep == "original":
            shutil.move(copy_path, _free(aside, copy_path.name))
        else:
            if original.exists():
                shutil.move(original, _free(aside, original.name))
            copy_path.replace(original)
    except OSError as exc:
        raise os_failure(exc, f"cannot resolve the conflict copy {copy_path.name}") from exc
    report: SyncReport = col.sync()
    return report


def _free(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`… if taken."""
    target = folder / name
    n = 2
    while target.exists():
        target = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return target
