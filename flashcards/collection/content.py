"""Reading and editing card content: history, a note's Markdown source, links, search."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import cast

from sqlalchemy import select

from flashcards.collection.base import CollectionBase, UnknownCardError
from flashcards.collection.views import CardView, Change
from flashcards.core.errors import DeckFormatError, FlashcardsError, NoteChangedError
from flashcards.core.model import CardId, NoteId, ReviewEntry
from flashcards.core.parser import decode_deck, parse_deck
from flashcards.storage import models as m
from flashcards.storage.convert import review_of
from flashcards.storage.failures import write_file


class ContentMixin(CollectionBase):
    """Card details beyond scheduling."""

    def history(self, card_id: CardId | str) -> list[ReviewEntry]:
        """Every review-log row of a card, oldest first (practice and manual rows too)."""
        with self._read() as s:
            rows = s.execute(
                select(*m.review_entry_columns())
                .where(m.Review.card_id == str(card_id))
                .order_by(m.Review.time_ms, m.Review.id)
            ).all()
        return [review_of(*r) for r in rows]

    def _note_location(self, note_id: NoteId | str) -> tuple[str, int, int]:
        key, start, end, _present = self._note_row(note_id)
        return key, start, end

    def _note_row(self, note_id: NoteId | str) -> tuple[str, int, int, bool]:
        with self._read() as s:
            row = s.execute(
                select(m.Deck.key, m.Note.line_start, m.Note.line_end, m.Note.present)
                .join(m.Deck, m.Deck.id == m.Note.deck_id)
                .where(m.Note.id == str(note_id))
            ).first()
        if row is None:
            raise UnknownCardError(f"no note with id {note_id!r}")
        return row.key, row.line_start, row.line_end, bool(row.present)

    def note_source(self, note_id: NoteId | str) -> str:
        """The note's Markdown lines (heading to last body line) as in its file."""
        key, start, end = self._note_location(note_id)
        text = _lines_of(self.deck_path(key).read_bytes(), key, start, end)
        self._opened_notes()[str(note_id)] = text  # the base of a later save without one
        return text

    def _opened_notes(self) -> dict[str, str]:
        """Each note's lines as `note_source` last handed them out (an editor's base)."""
        opened: dict[str, str] = vars(self).setdefault("_note_bases", {})
        return opened

    def update_note_source(
        self, note_id: NoteId | str, source: str, *, base: str | None = None
    ) -> Change:
        """Replace the note's lines in its file (atomically), then re-sync; the note keeps
        its id and history. A replacement that breaks the deck changes nothing. With
        `base` (the lines the editor loaded, `note_source`), lines changed on disk since
        raise `NoteChangedError` and nothing is written, as the deck editor's save;
        without it, the lines `note_source` last read are the base."""
        if base is None:
            base = self._opened_notes().get(str(note_id))
        self.sync()  # the stored line numbers must match the file as it is now
        key, start, end, present = self._note_row(note_id)
        path = self.deck_path(key)
        data = path.read_bytes() if path.exists() else b""
        if not present:  # its stored lines are another note's now
            if base is not None:
                raise NoteChangedError(key, data, note_id=str(note_id), current="")
            raise FlashcardsError(f"card #{note_id} is no longer in {key}; nothing was written")
        if base is not None:
            current = _lines_of(data, key, start, end)
            if _plain(current) != _plain(base):
                raise NoteChangedError(key, data, note_id=str(note_id), current=current)
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        lines = data.split(b"\n")
        body = source.replace("\r\n", "\n").rstrip("\n").encode("utf-8").split(b"\n")
        if newline == b"\r\n":
            body = [b + b"\r" for b in body]
        new = b"\n".join([*lines[: start - 1], *body, *lines[end:]])
        result = parse_deck(new, path=key)  # raises DeckFormatError: nothing written
        if not any(n.id == str(note_id) or n.id is None for n in result.deck.notes):
            raise DeckFormatError(key, start, f"the edit removes card #{note_id}")
        write_file(path, new)
        self._opened_notes().pop(str(note_id), None)
        self.sync()
        with self._read() as s:
            ids = [r[0] for r in s.execute(select(m.Card.id).where(m.Card.note_id == str(note_id)))]
        return Change(
            cards=frozenset(CardId(i) for i in ids),
            decks=frozenset({key}),
            structure=True,
            label="Edit",
        )

    def _note_cards(self, note_ids: list[str], now: datetime | None) -> list[CardView]:
        if not note_ids:
            return []
        with self._read() as s:
            ids: list[str] = []
            for nid in note_ids:
                ids.extend(
                    r[0]
                    for r in s.execute(
                        select(m.Card.id)
                        .where(m.Card.note_id == nid, m.Card.present.is_(True))
                        .order_by(m.Card.position)
                    )
                )
            return self._views(s, ids, today=self.today(now))

    def links_of(self, note_id: NoteId | str, *, now: datetime | None = None) -> list[CardView]:
        """Cards of the notes this note links to (first card of each), in link order."""
        with self._read() as s:
            targets = [
                r[0]
                for r in s.execute(
                    select(m.LinkRow.to_note)
                    .where(m.LinkRow.from_note == str(note_id), m.LinkRow.to_note.is_not(None))
                    .order_by(m.LinkRow.line, m.LinkRow.id)
                )
            ]
        return _first_per_note(self._note_cards([t for t in dict.fromkeys(targets) if t], now))

    def backlinks(self, note_id: NoteId | str, *, now: datetime | None = None) -> list[CardView]:
        """Cards of the notes that link to this note."""
        with self._read() as s:
            sources = [
                r[0]
                for r in s.execute(
                    select(m.LinkRow.from_note)
                    .where(m.LinkRow.to_note == str(note_id))
                    .order_by(m.LinkRow.from_note)
                )
            ]
        return _first_per_note(self._note_cards(list(dict.fromkeys(sources)), now))

    def unresolved_links(self) -> list[str]:
        """`file:line: [[target]]` for every link that matches no card."""
        with self._read() as s:
            rows = s.execute(
                select(m.Deck.key, m.LinkRow.line, m.LinkRow.target, m.LinkRow.file)
                .join(m.Note, m.Note.id == m.LinkRow.from_note)
                .join(m.Deck, m.Deck.id == m.Note.deck_id)
                .where(m.LinkRow.to_note.is_(None))
                .order_by(m.Deck.key, m.LinkRow.line)
            ).all()
        return [
            f"{k}:{line}: [[{(f + '#') if f else ''}{t}]] matches no card" for k, line, t, f in rows
        ]

    def search(self, query: str, *, limit: int | None = 200) -> list[CardId]:
        """Full-text search over card titles, prompts and answers: every word must match,
        the last one as a prefix (as you type).

        With a `limit` (200 by default): the best matches by relevance (FTS5's bm25), best
        first. With `limit=None`: every match, unranked, in the order the cards came into
        the collection; scoring tens of thousands of matches costs more than finding them,
        so only a search that shows a page ranks it."""
        words = [w for w in query.replace('"', " ").split() if w]
        if not words or (limit is not None and limit <= 0):
            return []
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        params: dict[str, str | int] = {"q": match.strip(), "n": limit or 0}
        sql = _ALL_MATCHES if limit is None else _BEST_MATCHES
        with self.db.raw_read() as cur:
            try:
                (joined,) = cur.execute(sql, params).fetchone()
            except sqlite3.Error as exc:  # FTS5 rejects some inputs as a syntax error
                raise FlashcardsError(f"cannot search for {query!r}: {exc}") from exc
        # One string, not a row per id: building 70,000 row tuples costs more than the
        # match. (Card ids never hold a newline.)
        return cast(list[CardId], joined.split("\n") if joined else [])


# Every visible match in the text index's order (the cards' rowids): the index drives,
# each match's card row is read once, nothing is sorted.
_ALL_MATCHES = (
    "SELECT group_concat(id, char(10)) FROM (SELECT c.id AS id FROM cards_fts f "
    "CROSS JOIN cards c ON c.rowid = f.rowid WHERE cards_fts MATCH :q AND c.present = 1)"
)
# The best :n visible matches: ranked inside the text index, and only they (and as many
# more as there are hidden cards, which may be among them) join the cards table. Ties in
# rank go in rowid order.
_BEST_MATCHES = (
    "SELECT group_concat(id, char(10)) FROM (SELECT c.id AS id FROM ("
    "SELECT rowid AS r, rank AS k FROM cards_fts WHERE cards_fts MATCH :q ORDER BY rank, rowid "
    "LIMIT :n + (SELECT COUNT(*) FROM cards WHERE present = 0)) AS top "
    "JOIN cards c ON c.rowid = top.r WHERE c.present = 1 ORDER BY top.k, top.r LIMIT :n)"
)


def _lines_of(data: bytes, key: str, start: int, end: int) -> str:
    lines = decode_deck(data, path=key).split("\n")
    return "\n".join(line.rstrip("\r") for line in lines[start - 1 : end])


def _plain(text: str) -> str:
    """Note text compared for a conflict: line endings and trailing blank lines aside."""
    return text.replace("\r\n", "\n").rstrip("\n")


def _first_per_note(views: list[CardView]) -> list[CardView]:
    seen: set[str] = set()
    out = []
    for v in views:
        if v.note_id not in seen:
            seen.add(v.note_id)
            out.append(v)
    return out
