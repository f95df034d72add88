"""Which exported notes are still the copy an Anki import brought, for the `mod` an
.apkg gives them.

Anki's package import replaces a note it has only with a newer one (the package's `mod`
later than its own). An export stamping every note with the export's time would make a
copy unchanged here look newer than an edit made in Anki since, and overwrite it. So a
note that came from Anki and whose lines are still what the import wrote (the digest the
import kept, `VERSION_SETTING`) goes with the Anki `mod` it came with; a note edited here
goes with the time of that edit as far as it is known: its deck file's modification time
(`package_notes.export_mod`). Both ways of writing a package read this (the SQL way and
`export_rows.read_package_data`), so their rows stay equal."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.collection.import_files import read_entry
from flashcards.collection.sync_files import sha1_hex
from flashcards.interop.merge import block_digest
from flashcards.interop.package_notes import KeptVersion

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin
    from flashcards.collection.queue import DeckRef

# note id -> the Anki `mod` of the copy last imported and the digest of the lines that
# import wrote (import_files.version_entry): a re-import updates only from a newer copy,
# an export sends an unchanged note with that `mod`
VERSION_SETTING = "anki_note_versions"

# The present notes with their line ranges, as the sync indexed them (the parser's, as
# `merge.note_sources` slices a note's lines). A scan of the notes and a look-up in the
# setting's dict take half the time of joining the setting's JSON to them.
_LINES = "SELECT id, deck_id, line_start, line_end FROM notes WHERE present = 1"
_FEW = 200  # decks named by their ids in the query (more: every note, the others skipped)

# The `block_digest` of each note of a deck file whose text is what the index holds, by
# the file's path and SHA-1 (the index's `decks.sha1`): the notes and their lines follow
# from that text alone, so a later export of the file unchanged digests none of them again.
# Whatever else changes (the imports' digests, the file's time) is read each export.
_DIGESTS: dict[str, tuple[str, dict[str, str]]] = {}


def kept_versions(
    col: ExportMixin, refs: Sequence[DeckRef], paths: Mapping[int, Path]
) -> dict[str, KeptVersion]:
    """The exported notes (decks `refs`, their files at `paths`) that came from Anki with
    a `mod`: that `mod`, and for a note whose lines differ from what the import wrote,
    its deck file's modification time (epoch seconds). A deck file that cannot be read
    as text gives none (its notes go with the export's time)."""
    versions: Mapping[str, str] = col.setting(VERSION_SETTING) or {}
    if not versions:
        return {}
    digests: dict[int, dict[str, str]] = {}
    mtimes: dict[int, int] = {}
    with col._read() as s:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        indexed = dict(conn.execute("SELECT id, sha1 FROM decks").fetchall())
        unknown: set[int] = set()
        for ref in refs:
            path = paths.get(ref.id)
            held = None if path is None else _DIGESTS.get(str(path))
            if path is None or held is None:
                unknown.add(ref.id)  # (its notes' lines are read only where one is kept)
                continue
            read = _read(path)
            if read is not None and held[0] == sha1_hex(read[0]) == indexed.get(ref.id):
                digests[ref.id], mtimes[ref.id] = held[1], read[1]
            else:
                unknown.add(ref.id)
        for deck, notes in _note_lines(conn, unknown, versions).items():
            path = paths.get(deck)
            read = None if path is None else _read(path)
            made = None if read is None else _digests(read[0], notes)
            if path is None or read is None or made is None:
                continue
            digests[deck], mtimes[deck] = made, read[1]
            sha1 = sha1_hex(read[0])
            if sha1 == indexed.get(deck):
                _DIGESTS[str(path)] = (sha1, made)
    out: dict[str, KeptVersion] = {}
    for deck, of_deck in digests.items():
        mtime = mtimes[deck]
        for note_id, current in of_deck.items():
            entry = versions.get(note_id)
            if entry is None:
                continue
            mod, digest = read_entry(entry)
            if mod <= 0 or not digest:
                continue  # no time, or lines the import did not write: the export's time
            out[note_id] = KeptVersion(mod, 0 if current == digest else mtime)
    return out


def _note_lines(
    conn: sqlite3.Connection, decks: set[int], versions: Mapping[str, str]
) -> dict[int, list[tuple[str, int, int]]]:
    """The present notes of `decks` with their line ranges, by deck; none for a deck
    whose notes have no version kept (nothing to digest there)."""
    args: tuple[int, ...]
    sql, args = _LINES, ()
    if len(decks) <= _FEW:  # a few decks of a large library: their notes alone
        sql = f"{_LINES} AND deck_id IN ({', '.join('?' * len(decks))})"
        args = tuple(decks)
    by_deck: dict[int, list[tuple[str, int, int]]] = {}
    kept: set[int] = set()
    for note_id, deck, start, end in conn.execute(sql, args):
        if deck in decks:
            by_deck.setdefault(deck, []).append((note_id, start, end))
            if note_id in versions:
                kept.add(deck)
    return {deck: rows for deck, rows in by_deck.items() if deck in kept}


def _read(path: Path) -> tuple[bytes, int] | None:
    """A deck file's bytes and modification time (epoch seconds); None: unreadable."""
    try:
        return path.read_bytes(), int(path.stat().st_mtime)
    except OSError:
        return None


def _digests(data: bytes, notes: list[tuple[str, int, int]]) -> dict[str, str] | None:
    """`block_digest` of each note's lines in a deck file's `data` (None: not text)."""
    try:
        lines = data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None
    return {
        note_id: block_digest("".join(lines[start - 1 : end]).rstrip("\n") + "\n")
        for note_id, start, end in notes
    }
