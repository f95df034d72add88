"""What an .apkg export reads: notes as Anki fields from the store of rendered notes
(`anki_fields`, schema v8), cards, scheduling and history from the index.

Rendering Markdown to HTML is most of an export's work and depends on a note's text
alone, so an export keeps what it rendered by note and content hash. The next one renders
only notes whose text changed (or that a different renderer made) and reads no deck file
unless one of its notes must be rendered again, or it declares note types (their
definition comes from the front matter). The output is what rendering every note gives
(`interop.package_notes.package_data` over freshly parsed decks): tests hold the two equal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards.collection.export_versions import kept_versions
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import (
    CardId,
    CardKind,
    CardState,
    Flag,
    Note,
    NoteId,
    ReviewKind,
    template_number,
)
from flashcards.core.parser import parse_deck
from flashcards.interop.anki_notes import OUR_GUID_PREFIX
from flashcards.interop.apkg_rows import card_anki_ids, note_anki_id, stored_card_ids
from flashcards.interop.bundle import Skipped
from flashcards.interop.export_notes import RENDERER, anki_ord
from flashcards.interop.package_notes import (
    AnkiOrigins,
    IndexedMemory,
    ManualRow,
    PackageCard,
    PackageData,
    PackageNote,
    PackageReview,
    RenderedNote,
    render_note,
)

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin
    from flashcards.collection.queue import DeckRef

_CHUNK = 500  # decks per query (SQLite's bound-parameter limit)
_REVIEW = ReviewKind.REVIEW.value
_MANUAL = ReviewKind.MANUAL.value
_NEW = int(CardState.NEW)  # a manual row that left the card new is a reset (Anki's Forget)
_TEMPLATE = CardKind.TEMPLATE.value
_CLOZE, _REVERSE = CardKind.CLOZE.value, CardKind.REVERSE.value
_FLAGS = {f.value: f for f in Flag}

# How many Anki card ids a stored row holds (None: none readable, as in a row of an
# older form, which the renderer's number marks stale anyway).
CARD_COUNT = (
    "CASE WHEN typeof(f.card_ids) = 'text' AND f.card_ids GLOB ';*' "
    "THEN length(f.card_ids) - length(replace(f.card_ids, ';', '')) END"
)
# A note, and what the store holds of it: (id, deck id, content hash, whether the stored
# row is the note's now (its text, this renderer, with Anki ids), how many card ids,
# then a RenderedNote's columns, the note's Anki id and its cards').
_NOTES_SQL = (
    "SELECT n.id, n.deck_id, n.content_hash, "
    "f.content_hash = n.content_hash AND f.renderer = ? AND f.card_ids IS NOT NULL, "
    f"{CARD_COUNT}, f.notetype, "
    "f.fields, f.tags, f.sort_field, f.checksum, f.fingerprint, f.anki_id, f.card_ids "
    "FROM notes n LEFT JOIN anki_fields f ON f.note_id = n.id "
    "WHERE n.present = 1 AND n.deck_id IN ({marks}) ORDER BY n.deck_id, n.position"
)
_CARDS_SQL = (
    "SELECT id, note_id, kind, cloze, state, stability, difficulty, due, last_review, "
    "suspended, flag FROM cards WHERE present = 1 AND deck_id IN ({marks}) "
    "ORDER BY deck_id, position"
)
_HISTORY_SQL = (
    "SELECT r.card_id, r.time_ms, r.rating, r.duration_ms, r.kind, r.state_after, "
    "r.scheduled_days FROM reviews r "
    "JOIN cards c ON c.id = r.card_id WHERE c.present = 1 AND c.deck_id IN ({marks}) "
    "ORDER BY r.time_ms, r.id"
)
_STORE_SQL = (
    "INSERT OR REPLACE INTO anki_fields (note_id, content_hash, renderer, notetype, fields, "
    "tags, sort_field, checksum, fingerprint, anki_id, card_ids) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _chunks(refs: Sequence[DeckRef]) -> Iterable[tuple[str, list[int]]]:
    for start in range(0, len(refs), _CHUNK):
        ids = [r.id for r in refs[start : start + _CHUNK]]
        yield ",".join("?" * len(ids)), ids


def _cards_by_note(
    rows: Iterable[Sequence[Any]],
) -> tuple[dict[str, list[PackageCard]], set[str]]:
    """`_CARDS_SQL` rows as the writer takes them, by note (a new card needs no memory),
    and the notes of declared note types."""
    out: dict[str, list[PackageCard]] = {}
    templated: set[str] = set()
    flags = _FLAGS
    for cid, nid, kind, cloze, state, stab, diff, due, last, suspended, flag in rows:
        if kind == _CLOZE:
            ord_ = (cloze or 1) - 1
        elif kind == _TEMPLATE:
            ord_ = template_number(cid) - 1
            templated.add(nid)
        else:
            ord_ = 1 if kind == _REVERSE else 0
        memory = IndexedMemory(state, stab, diff, due, last) if state else None
        card = PackageCard(cid, ord_, memory, flags[flag], bool(suspended))
        same = out.get(nid)
        if same is None:
            out[nid] = [card]
        else:
            same.append(card)
    return out, templated


def _cards_of(note: Note, indexed: Sequence[PackageCard]) -> tuple[PackageCard, ...]:
    """A parsed note's cards, scheduled as the index has them (`indexed`)."""
    by_id = {c.id: c for c in indexed}
    out = []
    for card in note.cards:
        had = by_id.get(card.id)
        ord_ = anki_ord(card)
        out.append(PackageCard(card.id, ord_) if had is None else had._replace(ord=ord_))
    return tuple(out)


def _stored(row: Sequence[Any]) -> bool:
    """Whether a `_NOTES_SQL` row's stored fields (and Anki ids) are the note's as it
    is now (compared in the query: no string per note to make for it)."""
    return bool(row[3])


def _rendered(row: Sequence[Any]) -> RenderedNote:
    return RenderedNote(*row[5:11])


def manual_days(state_after: int | None, scheduled_days: float | None) -> int:
    """A manual row's interval as Anki writes it: 0 for a reset, else the days set."""
    if state_after == _NEW:
        return 0
    return max(1, round(scheduled_days or 0))


def _history(rows: Iterable[Sequence[Any]]) -> tuple[list[PackageReview], int]:
    """Answers oldest first, entries of one moment card by card in the order the cards
    were first answered (as `interop.package_notes.package_reviews` orders a snapshot's
    history), with the manual rows (a reset, a due date set) as Anki writes them; and how
    many entries are neither."""
    by_card: dict[str, list[Sequence[Any]]] = {}
    for row in rows:
        by_card.setdefault(row[0], []).append(row)
    flat = sorted((r for rows_ in by_card.values() for r in rows_), key=lambda r: r[1])
    answers = []
    for r in flat:
        if r[4] == _REVIEW:
            answers.append(PackageReview(CardId(r[0]), r[1], r[2], r[3]))
        elif r[4] == _MANUAL:
            row = ManualRow(r[5] == _NEW, manual_days(r[5], r[6]))
            answers.append(PackageReview(CardId(r[0]), r[1], 0, r[3], row))
    return answers, len(flat) - len(answers)


def read_package_data(
    col: ExportMixin,
    deck: str | None,
    *,
    guids: Mapping[str, str],
    sync: bool = True,
    origins: AnkiOrigins | None = None,
) -> PackageData:
    """Deck `deck` (a folder, None: the library) as an .apkg's content; `guids` maps
    note ids to the Anki guids they came with, `origins` to the Anki note types. Notes
    rendered here are kept for the next export (unless the collection is read-only).
    `sync`: sync first (False: just done)."""
    if sync and not col.db.readonly:  # read-only: export what the index holds
        col.sync()
    refs = _selected(col, deck)
    with col._read() as s:
        # The driver's own cursor: tens of thousands of rows, each through SQLAlchemy's
        # result machinery, would cost more than the rest of the read.
        conn = s.connection().connection.driver_connection
        assert conn is not None
        paths = _deck_paths(conn)
        notes: dict[int, list[Sequence[Any]]] = {}
        card_rows: list[Sequence[Any]] = []
        history: list[Sequence[Any]] = []
        for marks, ids in _chunks(refs):
            for row in conn.execute(_NOTES_SQL.format(marks=marks), [RENDERER, *ids]).fetchall():
                notes.setdefault(row[1], []).append(row)
            card_rows.extend(conn.execute(_CARDS_SQL.format(marks=marks), ids).fetchall())
            history.extend(conn.execute(_HISTORY_SQL.format(marks=marks), ids).fetchall())
    cards, templated = _cards_by_note(card_rows)
    out: list[PackageNote] = []
    skipped: list[Skipped] = []
    fresh: list[tuple[object, ...]] = []
    nids: list[int] = []  # the Anki ids as derived from ours, from the store or made here
    cid_blobs: list[str] = []
    for ref in refs:
        rows = notes.get(ref.id, [])
        path = paths[ref.id]
        media_dir = path.parent
        if all(r[3] and r[0] not in templated and r[4] == len(cards.get(r[0], ())) for r in rows):
            for r in rows:
                nids.append(r[11])
                cid_blobs.append(r[12])
                out.append(
                    PackageNote(
                        NoteId(r[0]),
                        _rendered(r),
                        ref.name,
                        tuple(cards.get(r[0], ())),
                        guids.get(r[0]) or f"{OUR_GUID_PREFIX}{r[0]}",
                        ref.key,
                        media_dir,
                    )
                )
            continue
        # Some note must be rendered again (or the deck declares note types): parse it.
        stored = {r[0]: r for r in rows}
        parsed = parse_deck(path.read_bytes(), path=ref.key).deck
        for note in parsed.notes:
            if note.id is None:
                skipped.append(Skipped(f"{note.file}:{note.line_start}", "note has no id yet"))
                continue
            declared = parsed.notetypes.get(note.notetype) if note.notetype else None
            had = stored.get(note.id)
            if (
                had is not None
                and _stored(had)
                and had[2] == note.content_hash
                and had[4] == len(note.cards)
            ):
                rendered = _rendered(had)
                nid, blob = had[11], had[12]
            else:
                rendered = render_note(note, declared)
                nid, blob = note_anki_id(note.id), card_anki_ids(c.id for c in note.cards)
                if had is not None:  # in the index: it is kept
                    fresh.append((note.id, note.content_hash, RENDERER, *rendered, nid, blob))
            nids.append(nid)
            cid_blobs.append(blob)
            out.append(
                PackageNote(
                    note.id,
                    rendered,
                    ref.name,
                    _cards_of(note, cards.get(note.id, ())),
                    guids.get(note.id) or f"{OUR_GUID_PREFIX}{note.id}",
                    ref.key,
                    media_dir,
                    declared,
                )
            )
    if fresh and not col.db.readonly:
        with col._write() as s:
            s.connection().exec_driver_sql(_STORE_SQL, fresh)
    answers, left_out = _history(history)
    anki_ids = (nids, stored_card_ids(cid_blobs))
    return PackageData(
        tuple(out),
        tuple(answers),
        left_out,
        col.library,
        tuple(skipped),
        anki_ids,
        origins or AnkiOrigins(),
        kept_versions(col, refs, paths),
    )


def _selected(col: ExportMixin, deck: str | None) -> list[DeckRef]:
    refs = col._select(deck, subdecks=True)  # a deck with its sub-decks, as Anki exports it
    if not refs:
        raise FlashcardsError("the library has no decks to export")
    return refs


def _deck_paths(conn: sqlite3.Connection) -> dict[int, Path]:
    """Every deck's file, by deck id."""
    return {
        deck_id: Path(root) / rel
        for deck_id, root, rel in conn.execute(
            "SELECT d.id, r.path, d.rel FROM decks d JOIN roots r ON r.id = d.root_id"
        )
    }


def package_decks(col: ExportMixin, deck: str | None) -> tuple[list[DeckRef], dict[int, Path]]:
    """Sync (unless read-only: what the index holds), then the decks of `deck` (a folder,
    None: the library) to export, and their files by deck id."""
    if not col.db.readonly:
        col.sync()
    refs = _selected(col, deck)
    with col._read() as s:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        paths = _deck_paths(conn)
    return refs, paths


def store_rendered(
    col: ExportMixin, refs: Sequence[DeckRef], paths: Mapping[int, Path], stale: dict[int, set[str]]
) -> bool:
    """Render into the store the notes `stale` names (by deck id), each deck file parsed
    once. False where the store cannot hold them (a note has no id yet, a file changed
    since the sync): the export then takes the Python way, `read_package_data`, which
    says why."""
    fresh: list[tuple[object, ...]] = []
    for ref in refs:
        wanted = stale.get(ref.id)
        if not wanted:
            continue
        parsed = parse_deck(paths[ref.id].read_bytes(), path=ref.key).deck
        for note in parsed.notes:
            if note.id is None:
                return False
            if note.id in wanted:
                wanted.discard(note.id)
                nid, blob = note_anki_id(note.id), card_anki_ids(c.id for c in note.cards)
                declared = parsed.notetypes.get(note.notetype) if note.notetype else None
                rendered = render_note(note, declared)
                fresh.append((note.id, note.content_hash, RENDERER, *rendered, nid, blob))
        if wanted:
            return False  # notes the file no longer holds as the index does
    if fresh:
        with col._write() as s:
            s.connection().exec_driver_sql(_STORE_SQL, fresh)
    return True
