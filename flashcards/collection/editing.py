"""Editing deck files from the app: tags, moving and deleting notes, new decks and
cards, saving a whole deck. Functions of a `Collection` (run on the worker thread).

Every edit changes Markdown files atomically and re-syncs, so ids (and with them
review history) survive: a moved note keeps its `{#id}`, a deleted note's cards are
hidden, not dropped. Edits made here go on the collection's undo stack as a
`FileUndoEntry` holding the files' bytes before and after; `undo` restores them when
the files are still as the edit left them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from flashcards.collection.collection import Collection
from flashcards.collection.move_parts import (
    deck_roots,
    needed_notetypes,
    rebased_lines,
    with_notetypes,
)
from flashcards.collection.undo import UndoEntry
from flashcards.collection.views import Change
from flashcards.core.errors import DeckChangedError, DeckFormatError, FlashcardsError
from flashcards.core.model import CardId, note_id_of
from flashcards.core.parser import parse_deck
from flashcards.interop.merge import used_notetypes
from flashcards.storage import models as m
from flashcards.storage.failures import write_file

__all__ = [
    "DeckChangedError",
    "FileUndoEntry",
    "SavedDeck",
    "add_tags",
    "delete_notes",
    "move_notes",
    "remove_tags",
    "save_deck_text",
    "undo",
]


@dataclass(frozen=True)
class FileState:
    path: str
    before: bytes | None  # None: the file did not exist
    after: bytes | None


@dataclass(frozen=True)
class FileUndoEntry(UndoEntry):
    """An undo entry for edits of deck files (no scheduling columns change)."""

    files: tuple[FileState, ...] = ()

    def undo_with(self, col: Collection) -> Change:
        """Undo this entry (popped already): the collection's `undo` calls this."""
        return _undo_files(col, self)

    def redo_files(self, col: Collection) -> tuple[frozenset[str], tuple[str, ...]]:
        """Write the files as the edit left them again (the collection's `redo`); refused
        when one changed since the undo. The decks that changed, and warnings."""
        return _redo_files(col, self), ()


@dataclass(frozen=True)
class SavedDeck:
    """A saved deck: its bytes as on disk after the sync (ids written back)."""

    key: str
    data: bytes
    change: Change
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class _NoteLoc:
    id: str
    key: str
    start: int  # 1-based, inclusive
    end: int


def _note_ids(ids: Iterable[CardId | str]) -> list[str]:
    return list(dict.fromkeys(str(note_id_of(i)) for i in ids))


def _locations(col: Collection, note_ids: Sequence[str]) -> list[_NoteLoc]:
    col.sync()  # stored line numbers must match the files as they are now
    out: list[_NoteLoc] = []
    with col._read() as s:
        for start in range(0, len(note_ids), 500):
            chunk = list(note_ids[start : start + 500])
            for row in s.execute(
                select(m.Note.id, m.Deck.key, m.Note.line_start, m.Note.line_end)
                .join(m.Deck, m.Deck.id == m.Note.deck_id)
                .where(m.Note.id.in_(chunk), m.Note.present.is_(True))
            ):
                out.append(_NoteLoc(row[0], row[1], row[2], row[3]))
    if len(out) != len(set(note_ids)):
        known = {loc.id for loc in out}
        missing = next(n for n in note_ids if n not in known)
        raise FlashcardsError(f"card #{missing} is not in any deck file")
    return out


def _card_ids(col: Collection, note_ids: Iterable[str]) -> frozenset[CardId]:
    wanted = list(note_ids)
    with col._read() as s:
        return frozenset(
            CardId(r[0])
            for start in range(0, len(wanted), 500)
            for r in s.execute(
                select(m.Card.id).where(m.Card.note_id.in_(wanted[start : start + 500]))
            )
        )


def _newline(data: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in data else b"\n"


def _lines(data: bytes) -> list[bytes]:
    """Lines without their endings (a trailing `\\r` removed too)."""
    return [line.rstrip(b"\r") for line in data.split(b"\n")]


def _join(lines: list[bytes], newline: bytes) -> bytes:
    return newline.join(lines)


def _apply(
    col: Collection,
    label: str,
    new_files: dict[Path, bytes | None],
    *,
    touched_notes: Iterable[str],
) -> Change:
    """Validate, write every file atomically, re-sync and push one undo entry."""
    befores: dict[Path, bytes | None] = {}
    for path, data in new_files.items():
        befores[path] = path.read_bytes() if path.exists() else None
        if data is not None:
            try:
                parse_deck(data, path=path.name)
            except DeckFormatError as exc:  # nothing written yet
                raise FlashcardsError(
                    f"cannot {label.lower()}: {path.name} would not be a valid deck after it"
                    f" ({exc}); nothing was changed"
                ) from None
    for path, data in new_files.items():
        if data is None:
            path.unlink()
        else:
            write_file(path, data)
    report = col.sync()
    states = tuple(
        FileState(str(p), befores[p], p.read_bytes() if p.exists() else None) for p in new_files
    )
    col._undo.push(FileUndoEntry(label, (), (), files=states))
    return Change(
        cards=_card_ids(col, touched_notes),
        decks=frozenset(report.files_changed),
        structure=True,
        label=label,
    )


def _by_file(
    col: Collection, locs: Iterable[_NoteLoc]
) -> Iterator[tuple[Path, bytes, list[bytes], list[_NoteLoc]]]:
    """Per deck file: its path, bytes, lines and notes, the notes from the bottom up
    (so editing one note's lines leaves the line numbers of those above it valid)."""
    by_key: dict[str, list[_NoteLoc]] = {}
    for loc in locs:
        by_key.setdefault(loc.key, []).append(loc)
    for key, notes in by_key.items():
        path = col.deck_path(key)
        data = path.read_bytes()
        notes.sort(key=lambda n: n.start, reverse=True)
        yield path, data, _lines(data), notes


# -- tags --------------------------------------------------------------------------------

_TAG_SPLIT = re.compile(r"[,\s]+")


def _edit_tags(
    col: Collection,
    ids: Iterable[CardId | str],
    label: str,
    edit: Callable[[list[str]], list[str]],
) -> Change:
    locs = _locations(col, _note_ids(ids))
    files: dict[Path, bytes | None] = {}
    for path, data, lines, notes in _by_file(col, locs):
        for loc in notes:
            last = loc.end - 1  # 0-based index of the note's last line
            while last >= loc.start and not lines[last].strip():
                last -= 1
            line = lines[last].decode("utf-8", "replace")
            has_line = last >= loc.start and line.startswith("Tags:")
            tags = [t for t in _TAG_SPLIT.split(line[5:]) if t] if has_line else []
            new_tags = edit(tags)
            if new_tags == tags:
                continue
            new_line = ("Tags: " + ", ".join(new_tags)).encode("utf-8")
            if has_line and new_tags:
                lines[last] = new_line
            elif has_line:
                del lines[last]
            else:
                lines.insert(last + 1, new_line)
        new = _join(lines, _newline(data))
        if new != data:
            files[path] = new
    if not files:
        return Change(label=label)
    return _apply(col, label, files, touched_notes=[loc.id for loc in locs])


def _clean(tags: Iterable[str]) -> list[str]:
    return [t for tag in tags for t in _TAG_SPLIT.split(tag.strip()) if t]


def add_tags(col: Collection, ids: Iterable[CardId | str], tags: Iterable[str]) -> Change:
    """Add tags to the notes of `ids` (their `Tags:` line, created when missing)."""
    extra = _clean(tags)
    return _edit_tags(col, ids, "Add Tags", lambda old: list(dict.fromkeys([*old, *extra])))


def remove_tags(col: Collection, ids: Iterable[CardId | str], tags: Iterable[str]) -> Change:
    """Remove tags from the notes of `ids` (case-insensitively)."""
    gone = {t.lower() for t in _clean(tags)}
    return _edit_tags(
        col, ids, "Remove Tags", lambda old: [t for t in old if t.lower() not in gone]
    )


# -- moving and deleting -----------------------------------------------------------------


def _cut(
    col: Collection, locs: Sequence[_NoteLoc]
) -> tuple[dict[Path, bytes], dict[str, list[bytes]]]:
    """Each source file without the notes, and each note's lines (by note id)."""
    files: dict[Path, bytes] = {}
    taken: dict[str, list[bytes]] = {}
    for path, data, lines, notes in _by_file(col, locs):
        for loc in notes:
            taken[loc.id] = lines[loc.start - 1 : loc.end]
            end = loc.end
            # Take one blank line after the note too, so blank lines don't pile up.
            if end < len(lines) and not lines[end].strip() and end + 1 < len(lines):
                end += 1
            del lines[loc.start - 1 : end]
        files[path] = _join(lines, _newline(data))
    return files, taken


def delete_notes(col: Collection, ids: Iterable[CardId | str]) -> Change:
    """Remove the notes of `ids` from their files; their cards are hidden with their
    history kept (undo puts the Markdown back)."""
    locs = _locations(col, _note_ids(ids))
    files, _ = _cut(col, locs)
    return _apply(col, "Delete", dict(files), touched_notes=[loc.id for loc in locs])


def move_notes(col: Collection, ids: Iterable[CardId | str], deck: str) -> Change:
    """Move the notes of `ids` to the end of deck file `deck` (a library key), keeping
    their ids and so their history."""
    target = col.deck_path(deck)
    locs = [loc for loc in _locations(col, _note_ids(ids)) if loc.key != deck]
    if not locs:
        return Change(label="Move")
    files, taken = _cut(col, locs)
    data = target.read_bytes()
    used: dict[str, tuple[bytes, set[str]]] = {}
    for loc in locs:
        if loc.key not in used:
            used[loc.key] = (col.deck_path(loc.key).read_bytes(), set())
        used[loc.key][1].update(
            used_notetypes(b"\n".join(taken[loc.id]).decode("utf-8", "replace"))
        )
    declare = needed_notetypes(used, target_key=deck, target=data)  # refused: nothing written
    same_root = deck_roots(col, [deck, *used])
    newline = _newline(data)
    lines = _lines(data)
    while lines and not lines[-1].strip():
        lines.pop()
    ordered = sorted(locs, key=lambda n: (n.key, n.start))
    for loc in ordered:
        moved = taken[loc.id]
        if same_root.get(loc.key) == same_root.get(deck):
            moved = rebased_lines(moved, source=loc.key, dest=deck)
        lines.extend([b"", *moved])
    lines.append(b"")
    new_files: dict[Path, bytes | None] = dict(files)
    new_files[target] = with_notetypes(_join(lines, newline), declare, key=deck)
    return _apply(col, "Move", new_files, touched_notes=[loc.id for loc in locs])


# -- undo --------------------------------------------------------------------------------


def undo(col: Collection) -> Change | None:
    """Undo the most recent change: file edits made here, or anything `col.undo` knows."""
    return col.undo()


def _undo_files(col: Collection, entry: FileUndoEntry) -> Change:
    """Put the files back as they were before `entry` (already popped from the stack);
    refused, and the entry pushed back, when a file changed since."""
    for state in entry.files:
        path = Path(state.path)
        now = path.read_bytes() if path.exists() else None
        if now != state.after:
            col._undo.push_back(entry)
            raise FlashcardsError(f"cannot undo {entry.label}: {path.name} was changed after it")
    for state in entry.files:
        path = Path(state.path)
        if state.before is None:
            path.unlink(missing_ok=True)
        else:
            write_file(path, state.before)
    report = col.sync()
    return Change(
        decks=frozenset(report.files_changed), structure=True, label=f"Undo {entry.label}"
    )


def _redo_files(col: Collection, entry: FileUndoEntry) -> frozenset[str]:
    """Write the files of `entry` as its edit left them (after an undo put them back);
    refused when a file changed since the undo."""
    for state in entry.files:
        path = Path(state.path)
        now = path.read_bytes() if path.exists() else None
        if now != state.before:
            raise FlashcardsError(
                f"cannot redo {entry.label}: {path.name} was changed after the undo"
            )
    for state in entry.files:
        path = Path(state.path)
        if state.after is None:
            path.unlink(missing_ok=True)
        else:
            write_file(path, state.after)
    return frozenset(col.sync().files_changed)


# -- saving a deck -----------------------------------------------------------------------


def save_deck_text(
    col: Collection, key: str, source: str, *, base: bytes | None = None
) -> SavedDeck:
    """Write a whole deck file from the editor atomically and re-sync (ids and history
    kept). With `base` (the bytes the editor loaded), a file changed on disk since
    raises `DeckChangedError` and nothing is written. A deck that does not parse
    raises `DeckFormatError` and nothing is written."""
    path = col.deck_path(key)
    current = path.read_bytes() if path.exists() else b""
    if base is not None and current != base:
        raise DeckChangedError(key, current)
    data = _encoded_like(source, current)
    checked = parse_deck(data, path=key)  # DeckFormatError: nothing written
    if data != current:
        write_file(path, data)
    report = col.sync(checked={key: (data, checked)})
    saved = path.read_bytes()
    errors = tuple(e for e in report.errors if e.startswith(key))
    with col._read() as s:
        ids = [
            CardId(r[0])
            for r in s.execute(
                select(m.Card.id)
                .join(m.Deck, m.Deck.id == m.Card.deck_id)
                .where(m.Deck.key == key, m.Card.present.is_(True))
            )
        ]
    change = Change(cards=frozenset(ids), decks=frozenset({key}), structure=True, label="Save")
    return SavedDeck(key, saved, change, errors)


_BOM = b"\xef\xbb\xbf"


def _encoded_like(source: str, current: bytes) -> bytes:
    """The editor's text `source` as bytes in the manner of the file's `current` bytes:
    its line endings and its UTF-8 byte order mark kept; text that is the file's own
    (an unchanged save) gives exactly `current`, whatever its mix of line endings."""
    text = source.replace("\r\n", "\n").removeprefix("\ufeff")
    try:
        if text == current.decode("utf-8-sig").replace("\r\n", "\n"):
            return current
    except UnicodeDecodeError:
        pass
    data = text.encode("utf-8")
    if _newline(current) == b"\r\n":
        data = data.replace(b"\n", b"\r\n")
    return _BOM + data if current.startswith(_BOM) else data


def read_deck(col: Collection, key: str) -> tuple[str, bytes]:
    """The deck file's text (LF line endings) and its bytes, for the editor."""
    data = col.deck_path(key).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckFormatError(key, None, f"not UTF-8 text: {exc.reason}") from exc
    return text.replace("\r\n", "\n"), data
