"""Rendering notes as Anki fields before an export asks for them, a few at a time.

An export reads each note's Anki fields from the store of rendered notes (`anki_fields`,
collection/export_rows.py) and renders only the notes missing there or changed since, which
is most of a first export's time. `RenderAhead` fills that store in small steps, so the app
can run it as background work after a sync or an import found notes changed: each `step`
parses at most one deck file and renders at most `notes` notes, and what it stores is what
the export would have rendered (the same `render_note`, content hash and renderer).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.core.errors import FlashcardsError
from flashcards.core.model import Deck, Note
from flashcards.core.parser import parse_deck
from flashcards.interop.apkg_rows import card_anki_ids, note_anki_id
from flashcards.interop.export_notes import RENDERER
from flashcards.interop.package_notes import render_note

if TYPE_CHECKING:
    from flashcards.collection.base import CollectionBase

STEP_NOTES = 40  # notes rendered per step: a few ms each at most, so a step stays short
STEP_DECKS = 64  # decks a step looks through for notes to render (a query each)

# A note needs rendering when the store has no row for it, or one for other text, another
# renderer, or without the Anki ids.
_STALE = (
    "n.present = 1 AND (f.note_id IS NULL OR f.content_hash != n.content_hash "
    "OR f.renderer != ? OR f.card_ids IS NULL)"
)
_STALE_NOTES_SQL = (
    "SELECT n.id, n.content_hash FROM notes n LEFT JOIN anki_fields f ON f.note_id = n.id "
    f"WHERE n.deck_id = ? AND {_STALE}"
)
_DECK_SQL = (
    "SELECT r.path, d.rel, d.key FROM decks d JOIN roots r ON r.id = d.root_id WHERE d.id = ?"
)
# Only for a note still in the index (it may have gone since the step read it).
_STORE_SQL = (
    "INSERT OR REPLACE INTO anki_fields (note_id, content_hash, renderer, notetype, fields, "
    "tags, sort_field, checksum, fingerprint, anki_id, card_ids) "
    "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM notes WHERE id = ?)"
)


class RenderAhead:
    """Renders the notes an export would render, in steps (`step`), into the store.

    `decks`: the library paths of the decks to look at (None: every deck)."""

    def __init__(self, decks: Iterable[str] | None = None) -> None:
        self.decks = None if decks is None else frozenset(decks)
        self._pending: list[int] | None = None  # deck ids with notes to render
        # The deck being rendered: its id, file (mtime, size), parse, and its notes still
        # to render (id -> content hash as the index has it)
        self._parsed: tuple[int, tuple[int, int], Deck] | None = None
        self._stale: dict[str, str] = {}
        self._todo: Iterator[Note] = iter(())
        self.rendered = 0  # notes rendered so far

    def step(self, col: CollectionBase, *, notes: int = STEP_NOTES) -> bool:
        """Render and store at most `notes` notes of one deck; whether work remains.
        The first step only lists the decks; a step looks through at most `STEP_DECKS`
        decks for one with notes to render."""
        if col.db.readonly:
            return False  # nothing can be stored
        with col._read() as s:
            conn = s.connection().connection.driver_connection
            assert conn is not None
            if self._pending is None:
                keys = conn.execute("SELECT id, key FROM decks ORDER BY id").fetchall()
                self._pending = [i for i, k in keys if self.decks is None or k in self.decks]
                self._pending.reverse()  # taken from the end
                return bool(self._pending)
            looked = 0
            while self._pending:
                if looked == STEP_DECKS:
                    return True
                looked += 1
                deck_id = self._pending[-1]
                if self._parsed is None or self._parsed[0] != deck_id:
                    self._parsed = None
                    self._stale = dict(conn.execute(_STALE_NOTES_SQL, (deck_id, RENDERER)))
                if self._stale:
                    where = conn.execute(_DECK_SQL, (deck_id,)).fetchone()
                    break
                self._pending.pop()
            else:
                return False
        rows = self._render(deck_id, where, notes) if where is not None else []
        if rows:
            with col._write() as s:
                s.connection().exec_driver_sql(_STORE_SQL, rows)
        if len(rows) < notes or not self._stale:
            # done with the deck (what is left changed on disk since the index read it:
            # the next sync says so, and the export renders it)
            self._pending.pop()
            self._parsed, self._stale = None, {}
        return bool(self._pending)

    def _render(self, deck_id: int, where: Sequence[str], notes: int) -> list[tuple[object, ...]]:
        root, rel, key = where
        path = Path(root) / rel
        try:
            stat = path.stat()
            seen = (stat.st_mtime_ns, stat.st_size)
            if self._parsed is None or self._parsed[:2] != (deck_id, seen):
                self._parsed = (deck_id, seen, parse_deck(path.read_bytes(), path=key).deck)
                self._todo = iter(self._parsed[2].notes)
        except (OSError, FlashcardsError):
            return []  # gone or unreadable: the next sync says so
        deck = self._parsed[2]
        stale = self._stale
        rows: list[tuple[object, ...]] = []
        for note in self._todo:
            if note.id is None or stale.pop(note.id, None) != note.content_hash:
                continue
            declared = deck.notetypes.get(note.notetype) if note.notetype else None
            rendered = render_note(note, declared)
            ids = card_anki_ids(c.id for c in note.cards)
            rows.append(
                (note.id, note.content_hash, RENDERER, *rendered, note_anki_id(note.id), ids)
                + (note.id,)
            )
            self.rendered += 1
            if len(rows) == notes:
                break
        return rows
