"""Whose is each note id in a sync: the ids changed files claim, which file owns a
contested one, ids restored through an edit and fresh ids drawn for new headings.
`sync_apply.Syncer` writes the rows; this decides the ids they carry."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from flashcards.collection.sync_files import DeckFile, parse_each
from flashcards.core.cloze_numbers import number_blanks
from flashcards.core.identity import IndexedNote, match_notes
from flashcards.core.ids import AnyOf, IdWriteBack, assign_ids
from flashcards.core.model import NoteId, ParseWarning
from flashcards.core.parser import ParseResult, parse_deck

_CHUNK = 500  # bound parameters per IN (...) list, well under SQLite's limit


@dataclass
class _Parsed:
    file: DeckFile
    result: ParseResult
    deck_id: int | None
    reuse: dict[int, NoteId] = field(default_factory=dict)
    write: bytes | None = None  # new contents with ids written back
    # The ids written back, by heading line: they stand in for the parsed notes' own
    # (rebuilding every note and card with its new id was a twentieth of a first sync).
    assigned: dict[int, NoteId] = field(default_factory=dict)


# `#` inside a `{...}` block on a heading line: the only place an id can be (false
# positives, in code or comments, only cost a parse).
_ATTR_HASH = re.compile(rb"\{[^}\n]*#")
_HEADING_START = re.compile(rb"(?:\xef\xbb\xbf)? {0,3}#{1,6}[ \t]")


def _may_hold_id(data: bytes) -> bool:
    for match in _ATTR_HASH.finditer(data):
        line = data.rfind(b"\n", 0, match.start()) + 1
        if _HEADING_START.match(data, line):
            return True
    return False


class _OwnedElsewhere:
    """The ids `owner` gives to files other than `key` (a live view of the map)."""

    __slots__ = ("key", "owner")

    def __init__(self, owner: Mapping[str, str], key: str) -> None:
        self.owner = owner
        self.key = key

    def __contains__(self, nid: object) -> bool:
        return isinstance(nid, str) and self.owner.get(nid, self.key) != self.key


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SyncIds:
    """One sync's note ids: claimed, contested, restored and drawn."""

    def __init__(self, session: Session, rows: dict[str, Any]) -> None:
        self.session = session
        self.rows = rows
        self._no_notes: bool | None = None  # the notes table was empty (known once asked)

    def claims(self, files: list[DeckFile], errors: list[str]) -> dict[str, list[str]]:
        """Parse each file once and keep only the ids it holds (a big sync's first pass).

        A new file with no heading that could hold an id (a library's first sync, before
        ids are written) claims none, unparsed: should it not parse, the second pass
        reports it, and no deck of the index depends on it."""
        claims: dict[str, list[str]] = {}
        to_parse = []
        for file in files:
            assert file.data is not None
            if file.parsed is None and file.key not in self.rows and not _may_hold_id(file.data):
                claims[file.key] = []
            else:
                to_parse.append(file)
        for file, result in parse_each(to_parse, errors):
            claims[file.key] = [str(n.id) for n in result.deck.notes if n.id is not None]
        return claims

    def owners(
        self,
        claims: dict[str, list[str]],
        old_notes: dict[int, list[IndexedNote]],
        removed: list[str],
    ) -> dict[str, str]:
        """Which file owns each contested id: unchanged decks keep theirs; among changed
        files the previous owner wins, then library order. Only ids these files mention
        (or used to hold) can be contested; fresh ids are checked in `assign`."""
        relevant = {nid for ids in claims.values() for nid in ids}
        relevant |= {o.id for notes in old_notes.values() for o in notes}
        owner: dict[str, str] = {}
        conn = self.session.connection()
        for chunk in _chunks(sorted(relevant)):
            for nid, key in conn.exec_driver_sql(
                "SELECT n.id, d.key FROM notes n JOIN decks d ON d.id = n.deck_id "
                f"WHERE n.present = 1 AND d.present = 1 AND n.id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            ):
                owner[nid] = key
        for key in removed:
            for o in old_notes.get(self.rows[key].id, []):
                owner.pop(o.id, None)
        previous_owner = dict(owner)
        for nid, key in list(owner.items()):
            if key in claims:
                del owner[nid]  # re-claimed below from the new contents
        for key in sorted(claims):
            for nid in claims[key]:
                current = owner.get(nid)
                if current is None or (current in claims and previous_owner.get(nid) == key):
                    owner[nid] = key
        return owner

    def identify(
        self,
        p: _Parsed,
        owner: dict[str, str],
        old_notes: dict[int, list[IndexedNote]],
        warnings: list[ParseWarning],
    ) -> None:
        """Restore ids lost in an edit, draw ids for new headings, note renamed copies."""
        key = p.file.key
        if p.deck_id is not None and old_notes.get(p.deck_id):
            for match in match_notes(old_notes[p.deck_id], p.result.deck.notes):
                old = match.old_id
                if match.note.id is None and old is not None and owner.get(old, key) == key:
                    p.reuse[match.note.line_start] = old
                    owner[old] = key
        # Ids are drawn only for a note without one or whose id another file owns. The
        # ids owned elsewhere are a view of the owner map: a set of them built per file
        # made a first sync quadratic in the library's size.
        if any(n.id is None or owner.get(n.id, key) != key for n in p.result.deck.notes):
            wb = self.assign(p, _OwnedElsewhere(owner, key))
        else:
            wb = IdWriteBack(None)
        if wb.data is not None:
            p.write = wb.data
            p.assigned = wb.assigned
            for line, old_id, new_id in wb.renamed:
                warnings.append(
                    ParseWarning(key, line, f"id #{old_id} belongs to another card; now #{new_id}")
                )
        # Unnumbered cloze deletions get their numbers written with the ids, so a deletion
        # added in front later cannot move their cards' history (deck-format rule 13).
        data = p.write if p.write is not None else p.file.data
        assert data is not None
        numbered = number_blanks(data, p.result)
        if numbered is not None:
            p.write = numbered
            p.result = parse_deck(numbered, path=p.result.deck.file)  # ids now in the file
            p.assigned = {}
        for note in p.result.deck.notes:
            nid = p.assigned.get(note.line_start, note.id)
            assert nid is not None
            owner[nid] = key
        warnings.extend(p.result.warnings)

    def assign(self, p: _Parsed, taken: Container[str]) -> IdWriteBack:
        """Ids for `p`'s notes that lack one; a fresh id that some note in the table
        already has (even a hidden one, whose history it would inherit) is drawn again."""
        assert p.file.data is not None
        conn = self.session.connection()
        if self._no_notes is None:
            self._no_notes = not conn.exec_driver_sql("SELECT 1 FROM notes LIMIT 1").first()
        while True:
            wb = assign_ids(p.file.data, p.result, taken=taken, reuse=p.reuse)
            if self._no_notes:
                # The table held no note when first asked, so every note in it now was
                # written by this sync, and `taken` holds their ids.
                return wb
            fresh = sorted(set(wb.assigned.values()) - set(p.reuse.values()))
            clashes: set[str] = set()
            for chunk in _chunks(fresh):
                marks = ",".join("?" * len(chunk))
                clashes.update(
                    r[0]
                    for r in conn.exec_driver_sql(
                        f"SELECT id FROM notes WHERE id IN ({marks})", tuple(chunk)
                    )
                )
            if not clashes:
                return wb
            taken = AnyOf(taken, clashes)
