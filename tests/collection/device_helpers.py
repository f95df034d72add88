"""Two machines sharing a library, for the device-log tests (docs/sync.md).

Each machine has its own data folder; "the sync engine" copies the library's files from
one to the other as Syncthing or Dropbox would: whole files, some files before others, a
file caught half-written, conflict copies.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flashcards.collection import Collection

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CARDS = 12
LOGS = Path(".flashcards") / "devices"


def deck_text(cards: int = CARDS) -> str:
    parts = ["# Sync\n\n"]
    for i in range(cards):
        parts.append(f"## Card {i} {{#c{i:05d}}}\nQuestion {i}\n?\nAnswer {i}\n\n")
    # Siblings: a reverse card buries its front and back for the day.
    parts.append("## Pair {.reverse #pair01}\nfront\n?\nback\n\n")
    return "".join(parts)


def make_machine(root: Path, name: str, *, deck: str | None = None) -> Path:
    data = root / name
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "sync.md").write_text(deck or deck_text(), encoding="utf-8")
    return data


def open_machine(data: Path, *, when: datetime = T0, **kwargs: Any) -> Collection:
    col = Collection.open(data, seed=False, **kwargs)
    col.devices.wall = lambda: when  # changes made without a `now` (flags, settings)
    if col.setting("timezone") != "UTC":
        col.set_setting("timezone", "UTC")
    return col


def log_files(data: Path) -> list[Path]:
    root = data / "decks" / LOGS
    return sorted(p for p in root.rglob("*") if p.is_file())


def deliver(
    src: Path,
    dst: Path,
    *,
    files: Iterable[Path] | None = None,
    cut: dict[Path, int] | None = None,
) -> None:
    """Copy `src`'s device logs into `dst`'s library as a sync engine does: the given
    files (all by default), each whole or, in `cut`, only its first n bytes (a file
    caught while being written). A file is replaced whole (temp file, rename), and only
    by a newer version: a log by a longer one, other files by a later change."""
    root = src / "decks"
    chosen = list(files) if files is not None else log_files(src)
    for path in chosen:
        rel = path.relative_to(root)
        target = dst / "decks" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if cut and path in cut:
            data = data[: cut[path]]
        if target.exists():
            if ".log" in target.name:
                if len(data) <= target.stat().st_size:
                    continue
            elif path.stat().st_mtime_ns <= target.stat().st_mtime_ns:
                continue
        tmp = target.with_name(target.name + ".syncing")
        tmp.write_bytes(data)
        tmp.replace(target)


def exchange(a: Path, b: Path) -> None:
    """Everything both ways (the engine caught up)."""
    deliver(a, b)
    deliver(b, a)


def snapshot(col: Collection) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every card's scheduling columns and every history row (without row ids)."""
    with col.db.raw_read() as cur:
        cards = cur.execute(
            "SELECT id, suspended, buried_until, flag, state, step, stability, difficulty, "
            "due, last_review, reps, lapses, head FROM cards ORDER BY id"
        ).fetchall()
        history = cur.execute(
            "SELECT card_id, time_ms, rating, duration_ms, kind, state_before, step_before, "
            "stability_before, difficulty_before, due_before, last_review_before, "
            "state_after, stability_after, difficulty_after, elapsed_days, scheduled_days, "
            "device_id FROM reviews ORDER BY card_id, time_ms, device_id, kind, rating"
        ).fetchall()
    return cards, history


def rebuilt(data: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The snapshot of a database made anew from the deck files and the logs."""
    for name in ("collection.sqlite3", "collection.sqlite3-wal", "collection.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    col = open_machine(data)  # a plain open: the logs hold the history, no question asked
    try:
        return snapshot(col)
    finally:
        col.close()


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst)
