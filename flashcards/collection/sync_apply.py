"""Applying changed deck files to the database, inside the caller's transaction:
ids written back (decided in `sync_ids`), card rows upserted, vanished cards hidden,
deck names and links refreshed. `sync.sync_into` finds the files; this does the work."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flashcards.collection.deck_names import refresh_names
from flashcards.collection.library import LibraryRoot, deck_name, folder_titles
from flashcards.collection.links_index import relink
from flashcards.collection.sync_files import (
    BIG_SYNC_BYTES,
    DeckFile,
    SyncPlan,
    group_files,
    parse_each,
    sha1_hex,
)
from flashcards.collection.sync_ids import SyncIds, _chunks, _Parsed
from flashcards.collection.sync_ids import _may_hold_id as _may_hold_id
from flashcards.collection.sync_presets import carry_presets, inherited_presets
from flashcards.collection.sync_rows import (
    CARD_INSERT,
    CARD_INSERT_SCHEDULED,
    CARD_UPSERT,
    CARD_UPSERT_SCHEDULED,
    NEW_SCHEDULING,
    NOTE_INSERT,
    NOTE_UPSERT,
    deck_rows,
    json_text,
)
from flashcards.collection.views import SyncReport
from flashcards.core.identity import IndexedNote
from flashcards.core.links import normalise_title
from flashcards.core.model import Deck, NoteId, ParseWarning
from flashcards.storage import models as m
from flashcards.storage.bulk_indexes import indexes_built_after

_DECK_COLUMNS = (
    "key", "root_id", "rel", "name", "title", "domain", "description", "tags", "folders",
    "mtime_ns", "size", "sha1", "present",
)  # fmt: skip
_QUOTED = ", ".join(f'"{c}"' for c in _DECK_COLUMNS)
_DECK_INSERT = (
    f"INSERT INTO decks ({_QUOTED}) VALUES ({', '.join('?' * len(_DECK_COLUMNS))}) RETURNING id"
)
_DECK_UPDATE = (
    "UPDATE decks SET " + ", ".join(f'"{c}" = ?' for c in _DECK_COLUMNS) + " WHERE id = ?"
)

_FTS_AUTOMERGE = "INSERT INTO cards_fts(cards_fts, rank) VALUES ('automerge', ?)"

BULK_ROWS = 2000  # cards in one write from which dropping and rebuilding indexes pays


class Syncer:
    """One sync's work on changed and removed files, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        rows: dict[str, Any],
        *,
        now_s: int,
        on_file: Callable[[str], None] | None,
        initial: Mapping[str, tuple[Any, ...]] | None = None,
    ) -> None:
        self.session = session
        self.rows = rows
        self.now_s = now_s
        self.on_file = on_file
        # card id -> SCHEDULING_COLUMNS values for the card if this sync inserts it
        self.initial = initial or {}
        self.scheduled: set[str] = set()  # the cards inserted with those values
        self._bulk = False  # the notes' and cards' secondary indexes are dropped
        self._fts_mark: int | None = None  # cards above this rowid await `_index_text`
        self._had_notes: bool | None = None  # the notes table had rows when it began
        self.ids = SyncIds(session, rows)

    def _parse(self, files: list[DeckFile], errors: list[str]) -> list[_Parsed]:
        parsed: list[_Parsed] = []
        for file, result in parse_each(sorted(files, key=lambda f: f.key), errors):
            row = self.rows.get(file.key)
            parsed.append(_Parsed(file, result, row.id if row is not None else None))
        return parsed

    def apply(
        self,
        changed: list[DeckFile],
        removed: list[str],
        warnings: list[ParseWarning],
        *,
        overlay_keys: set[str],
    ) -> SyncPlan:
        s = self.session
        errors: list[str] = []
        files = sorted(changed, key=lambda f: f.key)
        groups: list[list[DeckFile]] | None = None
        first: list[_Parsed] = []
        if sum(len(f.data or b"") for f in files) <= BIG_SYNC_BYTES:
            first = self._parse(files, errors)
            claims: dict[str, list[str]] = {
                p.file.key: [str(n.id) for n in p.result.deck.notes if n.id is not None]
                for p in first
            }
        else:
            # A big sync (a first sync of a large library) runs in groups of files so
            # memory holds one group's parsed cards, at the price of parsing twice.
            claims = self.ids.claims(files, errors)
            groups = group_files([f for f in files if f.key in claims])
        affected_decks = [self.rows[k].id for k in claims if k in self.rows]
        affected_decks += [self.rows[k].id for k in removed]

        # The previous index of every affected deck, for identity matching and removal.
        old_notes: dict[int, list[IndexedNote]] = {}
        for chunk in _chunks(affected_decks):
            for nid, deck_id, title, text, key in s.execute(
                select(m.Note.id, m.Note.deck_id, m.Note.title, m.Note.text, m.Deck.key)
                .join(m.Deck, m.Deck.id == m.Note.deck_id)
                .where(m.Note.deck_id.in_(chunk), m.Note.present.is_(True))
            ):
                old_notes.setdefault(deck_id, []).append(IndexedNote(NoteId(nid), key, title, text))
        affected = set(affected_decks)
        owner = self.ids.owners(claims, old_notes, removed)
        inherited = inherited_presets(s, self.rows, claims, removed)

        added = updated = restored = 0
        kept_cards: set[str] = set()
        kept_notes: set[str] = set()
        # Links to re-resolve: those written in changed files, and those naming any title
        # that appeared, changed or vanished here.
        touched = {normalise_title(o.title) for notes in old_notes.values() for o in notes}
        writes: dict[str, tuple[Path, bytes]] = {}
        done_keys: list[str] = []
        deck_ids: list[int] = []
        roots: dict[int, LibraryRoot] = {}
        # A bulk write's indexes stay dropped until the last group is in: rebuilt after
        # each group, they made a big first sync pay for them many times over.
        with contextlib.ExitStack() as indexes:
            for group in [[]] if groups is None else groups:
                parsed = first if groups is None else self._parse(group, errors)
                for p in parsed:
                    self.ids.identify(p, owner, old_notes, warnings)
                    if self.on_file is not None:
                        self.on_file(p.file.key)
                a, u, r = self._write_rows(parsed, touched, indexes, kept_notes, kept_cards)
                added, updated, restored = added + a, updated + u, restored + r
                for p in parsed:
                    done_keys.append(p.file.key)
                    roots[p.file.root.id] = p.file.root
                    if p.deck_id is not None:
                        deck_ids.append(p.deck_id)
                    if p.write is not None:
                        writes[p.file.key] = (p.file.path, p.write)
                    elif p.file.key in overlay_keys:
                        assert p.file.data is not None
                        writes[p.file.key] = (p.file.path, p.file.data)
                del parsed  # a big sync keeps one group's cards in memory at a time
            self._index_text()

        removed_count = self._hide_missing(affected, kept_cards, kept_notes)
        for key in removed:
            s.execute(update(m.Deck).where(m.Deck.key == key).values(present=False))
        refresh_names(s, list(roots.values()))
        relink(s, deck_ids + list(affected), touched)
        report = SyncReport(
            files_changed=tuple(done_keys),
            cards_added=added,
            cards_updated=updated,
            cards_removed=removed_count,
            cards_restored=restored,
            ids_written=tuple(sorted(k for k in writes if k not in overlay_keys)),
            errors=tuple(errors),
        )
        return SyncPlan(report, writes, carried_presets=carry_presets(s, inherited))

    def _deck_row(self, p: _Parsed) -> int:
        deck: Deck = p.result.deck
        file = p.file
        folders = folder_titles(file.root.path, file.rel, label=file.root.label)
        data = p.write if p.write is not None else file.data
        assert data is not None
        values = {
            "key": file.key,
            "root_id": file.root.id,
            "rel": file.rel,
            "name": deck_name(folders, deck.title),
            "title": deck.title,
            "domain": deck.domain,
            "description": deck.description,
            "tags": json_text(list(deck.tags)),
            "folders": json_text(list(folders)),
            # A written-back file gets its real stat after the write; 0 forces a hash check.
            "mtime_ns": file.mtime_ns if p.write is None else 0,
            "size": len(data),
            "sha1": sha1_hex(data),
            "present": 1,
        }
        # Plain SQL: compiling an ORM statement per file was a tenth of a first sync.
        conn = self.session.connection()
        row = tuple(values[c] for c in _DECK_COLUMNS)
        if p.deck_id is None:
            p.deck_id = int(conn.exec_driver_sql(_DECK_INSERT, row).scalar_one())
        else:
            conn.exec_driver_sql(_DECK_UPDATE, (*row, p.deck_id))
        return p.deck_id

    def _write_rows(
        self,
        parsed: list[_Parsed],
        touched: set[str],
        indexes: contextlib.ExitStack,
        kept_notes: set[str],
        kept_cards: set[str],
    ) -> tuple[int, int, int]:
        """Upsert the notes and cards of `parsed`; their title keys go into `touched`,
        their ids into `kept_notes` and `kept_cards`. A bulk write drops the tables'
        secondary indexes until `indexes` closes."""
        s = self.session
        note_rows: list[tuple[Any, ...]] = []
        card_rows: list[tuple[Any, ...]] = []
        tag_json: dict[tuple[str, ...], str] = {}  # cards share few distinct tag lists
        for p in parsed:
            notes, cards, title_keys = deck_rows(
                p.result.deck, self._deck_row(p), self.now_s, tag_json, p.assigned
            )
            note_rows += notes
            card_rows += cards
            touched.update(title_keys)
        conn = s.connection()
        new_notes = self._new_notes(conn, note_rows, kept_notes)
        kept_notes.update(r[0] for r in note_rows)
        existing: dict[str, tuple[bool, str]] = {}
        ids = [r[0] for r in card_rows]
        # The cards table's highest rowid (0: empty, so none of these cards exists yet);
        # the notes upsert below adds no cards, so it is also the FTS mark.
        last = conn.exec_driver_sql(m.MAX_CARD_ROWID).scalar_one() if card_rows else 0
        if card_rows and self._fts_mark is None:
            self._fts_mark = last  # cards above it are this sync's, indexed by `_index_text`
            conn.exec_driver_sql(m.FTS_PAUSE)
        # Only cards that were in the table when this sync began can be there already
        # (this sync's own ids differ across files): none if it was empty.
        for chunk in _chunks(ids if self._fts_mark else []):
            for cid, present, chash in conn.exec_driver_sql(
                "SELECT id, present, content_hash FROM cards "
                f"WHERE id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            ):
                existing[cid] = (bool(present), chash)
        added = restored = updated = 0
        new_cards: list[bool] = []  # no row has the card's id: a plain INSERT
        for r in card_rows:
            old = existing.get(r[0])
            if old is None:
                added += 1
                # nor did an earlier group of this sync, or an earlier row, write it
                new_cards.append(r[0] not in kept_cards)
                kept_cards.add(r[0])
                continue
            new_cards.append(False)
            if not old[0]:
                restored += 1
            elif old[1] != r[12]:
                updated += 1
        kept_cards.update(r[0] for r in card_rows)
        # Raw executemany: the ORM's bulk machinery costs more than SQLite's inserts here.
        # Many rows into small tables (a first sync or import): their secondary indexes
        # are built once afterwards (when `indexes` closes) rather than kept up row by row.
        if not self._bulk and len(card_rows) >= BULK_ROWS and len(card_rows) >= 2 * last:
            indexes.enter_context(indexes_built_after(conn, ("notes", "cards"), bulk=True))
            self._bulk = True
        # New rows first (a plain INSERT each), then upserts of those that may exist: no
        # upsert inserts, so the new cards' rowids keep their order (the FTS mark above).
        _write(conn, NOTE_INSERT, NOTE_UPSERT, note_rows, new_notes)
        if card_rows:
            if self.initial:
                initial = self.initial
                rows = [r + initial.get(r[0], NEW_SCHEDULING) for r in card_rows]
                _write(conn, CARD_INSERT_SCHEDULED, CARD_UPSERT_SCHEDULED, rows, new_cards)
                self.scheduled.update(
                    r[0] for r in card_rows if r[0] in initial and r[0] not in existing
                )
            else:
                _write(conn, CARD_INSERT, CARD_UPSERT, card_rows, new_cards)
        return added, updated, restored

    def _new_notes(self, conn: Any, rows: list[tuple[Any, ...]], written: set[str]) -> list[bool]:
        """For each notes row (id first), whether no row of the table has its id: none
        when this sync began (looked up, unless the table was empty), none this sync
        wrote since (`written`), no earlier row of `rows`."""
        if not rows:
            return []
        if self._had_notes is None:
            self._had_notes = (
                conn.exec_driver_sql("SELECT 1 FROM notes LIMIT 1").first() is not None
            )
        there: set[str] = set()
        if self._had_notes:
            for chunk in _chunks([r[0] for r in rows]):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT id FROM notes WHERE id IN ({marks})"
                there.update(row[0] for row in conn.exec_driver_sql(sql, tuple(chunk)))
        out: list[bool] = []
        fresh: set[str] = set()
        for r in rows:
            rid = r[0]
            out.append(rid not in there and rid not in written and rid not in fresh)
            fresh.add(rid)
        return out

    def _index_text(self) -> None:
        """Add the text of the cards this sync inserted to the FTS index, in one
        statement (per group, FTS5's segment merges grew with the library)."""
        if self._fts_mark is not None:
            conn = self.session.connection()
            if self._bulk:
                # FTS5 merges its segments as they pile up: four of a level by default,
                # which for a 100,000-card first sync cost half again the indexing (and
                # grew faster than the library); eight keeps it linear and searches as
                # fast. The default comes back for the small writes that follow.
                conn.exec_driver_sql(_FTS_AUTOMERGE, (8,))
            conn.exec_driver_sql(m.FTS_ADD_NEW, (self._fts_mark,))
            if self._bulk:
                conn.exec_driver_sql(_FTS_AUTOMERGE, (4,))
            conn.exec_driver_sql(m.FTS_RESUME)
            self._fts_mark = None

    def _hide_missing(self, affected: set[int], kept_cards: set[str], kept_notes: set[str]) -> int:
        """Hide notes and cards of affected decks that no file holds any more."""
        s = self.session
        gone_cards: list[str] = []
        gone_notes: list[str] = []
        decks = sorted(affected)
        for chunk in _chunks(decks):
            for (cid,) in s.execute(
                select(m.Card.id).where(m.Card.deck_id.in_(chunk), m.Card.present.is_(True))
            ):
                if cid not in kept_cards:
                    gone_cards.append(cid)
            for (nid,) in s.execute(
                select(m.Note.id).where(m.Note.deck_id.in_(chunk), m.Note.present.is_(True))
            ):
                if nid not in kept_notes:
                    gone_notes.append(nid)
        for chunk in _chunks(gone_cards):
            s.execute(update(m.Card).where(m.Card.id.in_(chunk)).values(present=False))
        for chunk in _chunks(gone_notes):
            s.execute(update(m.Note).where(m.Note.id.in_(chunk)).values(present=False))
        return len(gone_cards)


def _write(
    conn: Any, insert: str, upsert: str, rows: list[tuple[Any, ...]], new: list[bool]
) -> None:
    """`rows` through `insert` where `new` says no row has their id, the rest `upsert`."""
    if not rows:
        return
    if all(new):
        conn.exec_driver_sql(insert, rows)
        return
    fresh = [r for r, n in zip(rows, new, strict=True) if n]
    if fresh:
        conn.exec_driver_sql(insert, fresh)
    conn.exec_driver_sql(upsert, [r for r, n in zip(rows, new, strict=True) if not n])
