"""Library sync: bring the database's index of the deck files up to date.

Unchanged files cost one `stat` each (mtime and size match the deck row), plus one
query for all deck rows. Changed files are parsed, matched to their previous notes
(identity through edits), given ids for new headings (written back byte-for-byte),
and applied to the database in the caller's single transaction. A card whose note
left every file is hidden (`present = 0`), never deleted, so its history survives and
it comes back when its id reappears.

What cannot be read is a problem in the report's `errors`, naming the file (and line):
a deck file or folder that cannot be read (the decks of an unreadable folder are not
taken for removed) and an `exam.toml` that is not a valid exam profile.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flashcards.collection.deck_names import refresh_names
from flashcards.collection.library import LibraryRoot, walk_decks
from flashcards.collection.sync_apply import Syncer
from flashcards.collection.sync_files import DeckFile, SyncPlan, sha1_hex
from flashcards.collection.views import ConflictCopy, SyncReport
from flashcards.core.conflict_copies import merge_conflict_line
from flashcards.core.errors import ExamProfileError
from flashcards.core.exam import parse_exam
from flashcards.core.gc_pause import gc_paused
from flashcards.core.ids import write_atomic
from flashcards.core.media_files import read_regular_file
from flashcards.core.model import ParseWarning
from flashcards.core.parser import ParseResult
from flashcards.storage import models as m

__all__ = ["SyncPlan", "refresh_names", "sync_into"]


def sync_into(
    session: Session,
    roots: Sequence[LibraryRoot],
    *,
    now_s: int,
    overlay: dict[str, tuple[LibraryRoot, str, bytes]] | None = None,
    parsed: Mapping[str, ParseResult] | None = None,
    checked: Mapping[str, tuple[bytes, ParseResult]] | None = None,
    write_back: bool = True,
    on_file: Callable[[str], None] | None = None,
    initial: Mapping[str, tuple[Any, ...]] | None = None,
) -> SyncPlan:
    """Apply every file change to the database in `session` (the caller commits).

    `overlay` maps deck keys to (root, rel, bytes) treated as the file's contents
    (an import staged but not yet moved in). With `write_back`, files that got ids
    are written before returning; otherwise their new contents are in `plan.writes`
    (always so for overlay files). `parsed` maps overlay keys to the caller's
    `parse_deck(bytes, path=key)` of those bytes, which is used instead of parsing them
    again. `checked` maps library files' keys to (bytes, `parse_deck(bytes, path=key)`)
    a caller already parsed (the editor's save checks a deck before writing it): a
    changed file whose bytes on disk are exactly those is not parsed again; other bytes
    are parsed as usual. `on_file` is called per parsed file (tests use it
    to inject failures). `initial` maps card ids to values of `SCHEDULING_COLUMNS` for
    cards the sync inserts (an import's replayed state); the ids it inserted so are in
    `plan.scheduled`, and cards already in the table keep theirs.
    """
    with gc_paused():  # parsing and row building make many small acyclic objects
        return _sync_into(
            session,
            roots,
            now_s=now_s,
            overlay=overlay,
            parsed=parsed or {},
            checked=checked or {},
            write_back=write_back,
            on_file=on_file,
            initial=initial,
        )


def _sync_into(
    session: Session,
    roots: Sequence[LibraryRoot],
    *,
    now_s: int,
    overlay: dict[str, tuple[LibraryRoot, str, bytes]] | None,
    parsed: Mapping[str, ParseResult],
    checked: Mapping[str, tuple[bytes, ParseResult]],
    write_back: bool,
    on_file: Callable[[str], None] | None,
    initial: Mapping[str, tuple[Any, ...]] | None,
) -> SyncPlan:
    started = time.perf_counter()
    overlay = overlay or {}
    rows = {
        r.key: r
        for r in session.execute(
            select(m.Deck.id, m.Deck.key, m.Deck.mtime_ns, m.Deck.size, m.Deck.sha1, m.Deck.present)
        )
    }
    seen: dict[str, DeckFile] = {}
    changed: list[DeckFile] = []
    restat: list[DeckFile] = []
    warnings: list[ParseWarning] = []
    problems: list[str] = []
    unread: list[str] = []  # keys of folders that could not be listed
    exams: list[tuple[Path, str]] = []
    conflicts: list[ConflictCopy] = []  # sync engines' copies: shown, never read (docs/sync.md)
    for root in roots:

        def problem(rel: str, reason: str, root: LibraryRoot = root) -> None:
            key = root.key(rel) if rel else root.label  # the root itself: all of it
            problems.append(f"{root.key(rel) if rel else root.path}: {reason}")
            if reason.startswith("cannot read the folder"):
                unread.append(key)

        def exam(rel: str, root: LibraryRoot = root) -> None:
            exams.append((root.path / rel, root.key(rel)))

        def conflict(rel: str, original: str, engine: str, root: LibraryRoot = root) -> None:
            copy = ConflictCopy(str(root.path / rel), str(root.path / original), engine)
            conflicts.append(copy)

        for rel, st in walk_decks(
            root.path, on_problem=problem, on_exam=exam, on_conflict=conflict
        ):
            key = root.key(rel)
            if key in seen:
                warnings.append(
                    ParseWarning(
                        key,
                        0,
                        f"ignored: {root.path / rel} has the same library path as another deck",
                    )
                )
                continue
            file = DeckFile(root, rel, key, st.st_mtime_ns, st.st_size)
            seen[key] = file
            if key in overlay:
                continue
            row = rows.get(key)
            if (
                row is not None
                and row.present
                and row.mtime_ns == file.mtime_ns
                and row.size == file.size
            ):
                continue
            try:
                file.data = file.path.read_bytes()
            except OSError as exc:
                problems.append(f"{key}: cannot read: {exc.strerror or exc}")
                continue
            marker = merge_conflict_line(file.data)
            if marker is not None:  # git could not merge it: not read until resolved
                problems.append(
                    f"{key}:{marker}: an unresolved git merge conflict (<<<<<<<): "
                    "resolve it, then sync"
                )
                continue
            file.sha1 = sha1_hex(file.data)
            if row is not None and row.present and row.sha1 == file.sha1:
                restat.append(file)
            else:
                known = checked.get(key)
                if known is not None and known[0] == file.data:
                    file.parsed = known[1]  # the caller parsed these exact bytes
                changed.append(file)
    for key, (root, rel, data) in overlay.items():
        file = DeckFile(root, rel, key, 0, len(data), data, sha1_hex(data), parsed.get(key))
        seen[key] = file
        changed.append(file)
    # A deck in a folder that could not be read is not gone: its cards stay as they are.
    removed = [
        key
        for key, row in rows.items()
        if row.present and key not in seen and not _under_any(key, unread)
    ]
    problems.extend(exam_problems(exams))

    if not changed and not removed and not restat:
        return SyncPlan(
            SyncReport(
                files_seen=len(seen),
                errors=tuple(problems),
                warnings=tuple(warnings),
                seconds=time.perf_counter() - started,
                conflicts=tuple(conflicts),
            )
        )

    for file in restat:
        session.execute(
            update(m.Deck)
            .where(m.Deck.key == file.key)
            .values(mtime_ns=file.mtime_ns, size=file.size)
        )
    syncer = Syncer(session, rows, now_s=now_s, on_file=on_file, initial=initial)
    plan = syncer.apply(changed, removed, warnings, overlay_keys=set(overlay))
    plan.scheduled = syncer.scheduled
    if write_back:
        pending = {k: v for k, v in plan.writes.items() if k not in overlay}
        stats = []
        for key, error in _write_all(pending).items():
            path = pending[key][0]
            plan.writes.pop(key)
            if error is not None:
                warnings.append(ParseWarning(key, 0, f"cannot write ids back: {error.strerror}"))
                continue
            st = path.stat()
            stats.append((st.st_mtime_ns, st.st_size, key))
        if stats:
            session.connection().exec_driver_sql(
                "UPDATE decks SET mtime_ns = ?, size = ? WHERE key = ?", stats
            )
    report = plan.report
    plan.report = SyncReport(
        files_seen=len(seen),
        files_changed=report.files_changed,
        files_removed=tuple(removed),
        cards_added=report.cards_added,
        cards_updated=report.cards_updated,
        cards_removed=report.cards_removed,
        cards_restored=report.cards_restored,
        ids_written=report.ids_written,
        errors=report.errors + tuple(problems),
        warnings=tuple(warnings) + report.warnings,
        seconds=time.perf_counter() - started,
        conflicts=tuple(conflicts),
    )
    return plan


def _under_any(key: str, folders: Sequence[str]) -> bool:
    return any(not folder or key.startswith(folder + "/") for folder in folders)


def exam_problems(exams: Sequence[tuple[Path, str]]) -> list[str]:
    """`file:line: problem` for each `exam.toml` (path, library key) that is not a valid
    exam profile (read only if a small regular file)."""
    found: list[str] = []
    for path, key in exams:
        data = read_regular_file(path, limit=EXAM_FILE_LIMIT)
        if data is None:
            found.append(f"{key}: cannot read: not a regular file of at most 1 MB")
            continue
        try:
            parse_exam(data.decode("utf-8-sig"), path=key)
        except UnicodeDecodeError:
            found.append(f"{key}: file is not UTF-8")
        except ExamProfileError as exc:
            found.append(str(exc))
    return found


EXAM_FILE_LIMIT = 1 << 20


def _write_all(files: dict[str, tuple[Path, bytes]]) -> dict[str, OSError | None]:
    """Write files atomically, several at once: each write waits on its own fsync, which
    releases the GIL, so a first sync of many files is not a queue of disk flushes."""

    def one(item: tuple[Path, bytes]) -> OSError | None:
        try:
            write_atomic(*item)
        except OSError as exc:
            return exc
        return None

    if len(files) <= 1:
        return {key: one(item) for key, item in files.items()}
    with ThreadPoolExecutor(max_workers=min(8, len(files))) as pool:
        results = pool.map(one, files.values())
        return dict(zip(files, results, strict=True))
