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

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.collection.import_files import read_entry
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
    decks = {ref.id for ref in refs}
    args: tuple[int, ...]
    by_deck: dict[int, list[tuple[str, int, int, str]]] = {}
    with col._read() as s:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        sql, args = _LINES, ()
        if len(decks) <= _FEW:  # a few decks of a large library: their notes alone
            sql = f"{_LINES} AND deck_id IN ({', '.join('?' * len(decks))})"
            args = tuple(decks)
        for note_id, deck, start, end in conn.execute(sql, args):
            entry = versions.get(note_id)
            if entry is not None and deck in decks:
                by_deck.setdefault(deck, []).append((note_id, start, end, entry))
    out: dict[str, KeptVersion] = {}
    for deck, rows in by_deck.items():
        path = paths.get(deck)
        if path is None:
            continue
        try:
            lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
            mtime = int(path.stat().st_mtime)
        except (OSError, UnicodeDecodeError):
            continue
        for note_id, start, end, entry in rows:
            mod, digest = read_entry(entry)
            if mod <= 0 or not digest:
                continue  # no time, or lines the import did not write: the export's time
            source = "".join(lines[start - 1 : end]).rstrip("\n") + "\n"
            out[note_id] = KeptVersion(mod, 0 if block_digest(source) == digest else mtime)
    return out
