"""An .apkg's notes, cards and review log made by SQL from the collection's tables.

Once every exported note is in the store of rendered notes (`anki_fields`; the notes it
lacks `export_by_sql` renders first), the package's rows follow from the store, the
index's cards and the review history by column expressions alone. So the package
database (in memory) attaches the collection's file read-only and fills its tables with
`INSERT … SELECT`: no row becomes a Python object, and SQLite does the work without the
interpreter lock. Python touches only what SQL cannot say exactly: a studied card's
`data` JSON (Python's float formatting), a manual row's rounded interval, and the few
notes with media (their file names are fitted to the package).

Notes of a note type their deck declares go the same way: the store names their type
by its `declared_key`, and the package's note types come from the decks' front matter
(collection/export_models.py).

Anki ids are derived from ours and rarely clash; where two do, they move up as the
Python way moves them (`_move_clashing_ids`), as do the ids of history entries of one
moment (collection/export_history.py).

The rows equal those of the Python way (`export_rows.read_package_data` and
`apkg_export.write_package`); tests hold the two packages equal. Where this way does not
apply it says so (None) and the export takes the Python way: a note the store cannot hold
as the index has it (a file changed since the sync, a note without an id), history
entries of one moment that SQL cannot order as the Python way does."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.collection.export_history import fill_revlog
from flashcards.collection.export_models import add_declared_models
from flashcards.collection.export_origins import (
    CLOZE_FIELDS_SETTING,
    GUID_SETTING,
    anki_origins,
    cloze_notes,
    note_origins,
)
from flashcards.collection.export_rows import (
    CARD_COUNT,
    manual_days,
    package_decks,
    store_rendered,
)
from flashcards.collection.export_versions import kept_versions
from flashcards.core.model import CardKind, CardState, NoteId
from flashcards.core.sqlite_uri import sqlite_uri
from flashcards.interop.anki_notes import OUR_GUID_PREFIX
from flashcards.interop.apkg_export import Frame, Media, package_times, refit_media
from flashcards.interop.apkg_file import create_tables, pack
from flashcards.interop.apkg_rows import DAY, card_data, fill_anki_history, moved_ids
from flashcards.interop.bundle import ExportReport, Progress, Skipped, report_progress
from flashcards.interop.export_notes import RENDERER
from flashcards.interop.package_notes import export_mod

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin
    from flashcards.collection.queue import DeckRef

# The exported notes in export order (k: 1, 2, …), with what the store holds of them
# when that is the note as it is now (the others are left out here, and counted).
_NOTES = f"""
INSERT INTO temp.x_notes (note_id, nid, deck, ids, n_ids, fp, media, nt)
SELECT n.id, f.anki_id, n.deck_id, f.card_ids, {CARD_COUNT}, f.fingerprint,
  f.fields LIKE '%<img%' OR instr(f.fields, '🔊') > 0, f.notetype
FROM temp.x_decks d JOIN c.notes n ON n.deck_id = d.id AND n.present = 1
LEFT JOIN c.anki_fields f ON f.note_id = n.id AND f.content_hash = n.content_hash
  AND f.renderer = :renderer AND f.anki_id IS NOT NULL
ORDER BY d.ord, n.position
"""
# The notes the store lacks as they are now (or holds without their cards' ids).
_STALE = "SELECT deck, note_id FROM temp.x_notes WHERE n_ids IS NULL"
_PRESENT = (
    "SELECT count(*) FROM temp.x_decks d JOIN c.cards c ON c.deck_id = d.id WHERE c.present = 1"
)
# Python's round(a / DAY) of whole seconds a > 0 (half to even), at least 1.
_SPAN = "(c.due - c.last_review)"
_IVL = (
    f"CASE WHEN c.last_review IS NULL THEN 0 WHEN {_SPAN} <= 0 THEN 1 "
    f"ELSE max(1, {_SPAN} / {DAY} + ({_SPAN} % {DAY} * 2 > {DAY} "
    f"OR ({_SPAN} % {DAY} * 2 = {DAY} AND {_SPAN} / {DAY} % 2 = 1))) END"
)
# Python's (due - crt) // DAY: floor division, also for a due date before crt.
_REVIEW_DUE = f"(c.due - :crt - ((c.due - :crt) % {DAY} + {DAY}) % {DAY}) / {DAY}"
# A card's Anki id as the store keeps it (NULL: not there).
_CID = (
    "CAST(substr(x.ids, nullif(instr(x.ids, ';' || c.id || '='), 0) + length(c.id) + 2, 13) "
    "AS INTEGER)"
)
# A declared note type's card: template n (id `note:tn`, the first the note's id) is
# Anki's ordinal n - 1 (`model.template_number`).
_AFTER_T = "substr(c.id, instr(c.id, ':t') + 2)"
_TEMPLATE_ORD = (
    f"CASE WHEN instr(c.id, ':t') > 0 AND {_AFTER_T} != '' AND {_AFTER_T} NOT GLOB '*[^0-9]*' "
    f"THEN CAST({_AFTER_T} AS INTEGER) - 1 ELSE 0 END"
)
# The exported notes' cards, as `apkg_rows.insert_cards` makes them: a new card (state 0
# or NULL: `c.state > 0` is not true) is due by its note's place; a studied one is
# scheduled as `apkg_rows.schedule_indexed` says. A card the store has no id for gets -1.
_PACKAGE_CARDS = f"""
INSERT INTO main.cards
SELECT coalesce({_CID}, -1), x.nid, d.did,
  CASE c.kind WHEN :cloze THEN coalesce(nullif(c.cloze, 0), 1) - 1
    WHEN :reverse THEN 1 WHEN :template THEN {_TEMPLATE_ORD} ELSE 0 END,
  :mod, -1,
  CASE WHEN c.state > 0 THEN (CASE c.state WHEN :review THEN 2 WHEN :learning THEN 1
    ELSE 3 END) ELSE 0 END,
  CASE WHEN c.suspended THEN -1 WHEN c.state > 0 THEN (CASE c.state WHEN :review THEN 2
    ELSE 1 END) ELSE 0 END,
  CASE WHEN c.state > 0 THEN (CASE c.state WHEN :review THEN {_REVIEW_DUE} ELSE c.due END)
    ELSE x.k END,
  CASE WHEN c.state > 0 AND c.state != :learning THEN {_IVL} ELSE 0 END,
  CASE WHEN c.state > 0 THEN 2500 ELSE 0 END,
  0, 0,
  CASE WHEN c.state > 0 AND c.state != :review THEN 1 ELSE 0 END,
  0, 0, c.flag,
  CASE WHEN c.state > 0 THEN card_data(c.stability, c.difficulty, c.last_review)
    ELSE '{{}}' END
FROM c.cards c JOIN temp.x_notes x ON x.note_id = c.note_id
JOIN temp.x_decks d ON d.id = x.deck
WHERE c.present = 1
"""
# The Anki ids of the exported cards that have history.
_HISTORY_CARDS = f"""
INSERT INTO temp.x_rev
SELECT c.id, {_CID} FROM (SELECT DISTINCT card_id FROM c.reviews) r
JOIN c.cards c ON c.id = r.card_id AND c.present = 1
JOIN temp.x_notes x ON x.note_id = c.note_id
"""
_PACKAGE_NOTES = """
INSERT INTO main.notes
SELECT x.nid, coalesce(o.guid, :prefix || x.note_id), coalesce(o.mid, m.mid),
  coalesce(o.mod, :mod), -1, CASE WHEN f.tags != '' THEN ' ' || f.tags || ' ' ELSE '' END,
  f.fields, f.sort_field, f.checksum, 0, ''
FROM c.anki_fields f JOIN temp.x_notes x ON x.note_id = f.note_id
JOIN temp.x_models m ON m.name = f.notetype
LEFT JOIN temp.x_anki o ON o.k = x.k
ORDER BY x.nid
"""
# A note's Anki id that is also a card's (the Python way moves the card's up).
_IDS_CLASH = "SELECT 1 FROM main.cards c JOIN main.notes n ON n.id = c.id LIMIT 1"
_MEDIA_NOTES = """
SELECT x.note_id, x.nid, n.flds, x.deck FROM temp.x_notes x
JOIN main.notes n ON n.id = x.nid WHERE x.media ORDER BY x.k
"""
_TEMP_TABLES = (
    "CREATE TEMP TABLE x_decks (id INTEGER PRIMARY KEY, ord INTEGER, did INTEGER)",
    "CREATE TEMP TABLE x_models (name TEXT PRIMARY KEY, mid INTEGER)",
    # What an exported note (its place k) keeps of Anki: its guid, `mod` (else the
    # export's time) and note type (amid; mid in the package), `export_origins`.
    "CREATE TEMP TABLE x_anki (k INTEGER PRIMARY KEY, guid TEXT, mod INTEGER, amid TEXT, "
    "mid INTEGER)",
    "CREATE TEMP TABLE x_notes (k INTEGER PRIMARY KEY, note_id TEXT UNIQUE, nid INTEGER, "
    "deck INTEGER, ids TEXT, n_ids INTEGER, fp TEXT, media INTEGER, nt TEXT)",
    "CREATE TEMP TABLE x_rev (card_id TEXT PRIMARY KEY, cid INTEGER)",
    "CREATE TEMP TABLE x_resets (card_id TEXT PRIMARY KEY)",
)


class _NotHere(Exception):
    """The SQL way does not apply to this export."""


class _Stale(Exception):
    """Notes the store lacks as they are now (note ids by deck id)."""

    def __init__(self, notes: dict[int, set[str]]) -> None:
        super().__init__()
        self.notes = notes


def export_by_sql(
    col: ExportMixin,
    deck: str | None,
    out: Path,
    *,
    now: datetime,
    progress: Progress | None = None,
    colpkg: bool = False,
) -> ExportReport | None:
    """Deck `deck` (a folder, None: the library) as an .apkg at `out`, its rows made by
    SQL (`colpkg`: as a whole collection, every index of Anki's schema), after syncing and
    rendering into the store the notes it lacks (read-only: what the index and the store
    hold); None where this way does not apply (nothing written): the export then takes
    the Python way."""
    refs, paths = package_decks(col, deck)
    for _ in range(2):
        try:
            made = write_package_sql(
                col, refs, paths, out, now=now, progress=progress, colpkg=colpkg
            )
        except sqlite3.OperationalError:
            if not col.db.readonly:
                raise
            # On read-only media the collection's own reader opens it immutable (no
            # `-shm` beside it can be made); a second reader cannot: the Python way.
            return None
        if not isinstance(made, dict):
            return made
        if col.db.readonly or not store_rendered(col, refs, paths, made):
            return None
    return None  # rendered, and still not as the index has them


def write_package_sql(
    col: ExportMixin,
    refs: Sequence[DeckRef],
    paths: Mapping[int, Path],
    out: Path,
    *,
    now: datetime,
    progress: Progress | None = None,
    colpkg: bool = False,
) -> ExportReport | dict[int, set[str]] | None:
    """Decks `refs` (their files at `paths`, by deck id) as an .apkg at `out`, the rows
    made by SQL from the store (`colpkg`: every index of Anki's schema). Else, nothing
    written: the notes the store lacks as they are now (ids by deck id), or None where
    this way does not apply."""
    now_s, crt = package_times(now)
    report_progress(progress, 0, 1, "writing notes")
    db = sqlite3.connect(":memory:", isolation_level=None, uri=True)
    try:
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute("ATTACH ? AS c", (sqlite_uri(col.db.path, "ro"),))
        # Several passes over the collection's notes and cards: keep their pages at hand.
        db.execute("PRAGMA c.cache_size=-64000")
        db.execute("PRAGMA c.mmap_size=1073741824")
        db.create_function("card_data", 3, card_data, deterministic=True)
        db.create_function("manual_days", 2, manual_days, deterministic=True)
        db.execute("BEGIN")
        try:
            filled = _fill_rows(db, col, refs, paths, now_s=now_s, crt=crt, colpkg=colpkg)
        except _Stale as stale:
            return stale.notes
        except (_NotHere, sqlite3.IntegrityError):  # IntegrityError: an Anki id twice
            return None  # (the Python way moves one up); the memory database goes unsaved
        db.execute("COMMIT")
        image = db.serialize()
    finally:
        db.close()
    report_progress(progress, 1, 1, "packing")
    media, notes, cards, reviews, skipped, prints = filled
    pack(image, media.files, out)
    return ExportReport(
        path=out,
        notes=notes,
        cards=cards,
        reviews=reviews,
        media=len(media.files),
        skipped=skipped,
        fingerprints=prints,
    )


_Filled = tuple[Media, int, int, int, tuple[Skipped, ...], dict[NoteId, str]]


def _check(condition: bool) -> None:
    if not condition:
        raise _NotHere()


def _fill_rows(
    db: sqlite3.Connection,
    col: ExportMixin,
    refs: Sequence[DeckRef],
    paths: Mapping[int, Path],
    *,
    now_s: int,
    crt: int,
    colpkg: bool,
) -> _Filled:
    one = db.execute
    for ddl in _TEMP_TABLES:
        one(ddl)
    frame = Frame(crt=crt, now_s=now_s)
    db.executemany(
        "INSERT INTO temp.x_decks (id, ord) VALUES (?, ?)",
        [(ref.id, i) for i, ref in enumerate(refs)],
    )
    cards = one(_PRESENT).fetchone()[0]
    notes = one(_NOTES, {"renderer": RENDERER}).rowcount
    stale: dict[int, set[str]] = {}
    for deck, note_id in one(_STALE):
        stale.setdefault(deck, set()).add(note_id)
    if stale:
        raise _Stale(stale)
    files = {ref.id: ref.key for ref in refs}
    _check(add_declared_models(db, frame, paths, files))
    mods = {k: export_mod(v, now_s) for k, v in kept_versions(col, refs, paths).items()}
    wide = note_origins(
        db, frame, anki_origins(col), guids=col.setting(GUID_SETTING) or {}, mods=mods
    )
    db.executemany(
        "INSERT INTO temp.x_models VALUES (?, ?)",
        [(name, m["id"]) for name, m in frame.models.items()],
    )
    # Anki decks for the decks with notes, in export order (parents first, as made).
    names = {ref.id: ref.name for ref in refs}
    used = [r[0] for r in one("SELECT deck FROM temp.x_notes GROUP BY deck ORDER BY min(k)")]
    db.executemany(
        "UPDATE temp.x_decks SET did = ? WHERE id = ?",
        [(frame.deck_id(names[deck]), deck) for deck in used],
    )
    indexes = create_tables(db, colpkg=colpkg)
    counts = (notes, cards)
    if not _notes_and_cards(db, counts, now_s=now_s, crt=crt):
        _move_clashing_ids(db)
        _check(_notes_and_cards(db, counts, now_s=now_s, crt=crt))
    prints: dict[NoteId, str] = dict(one("SELECT note_id, fp FROM temp.x_notes").fetchall())
    if wide:  # (before the media: they are fitted in each field)
        prints.update(cloze_notes(db, wide, col.setting(CLOZE_FIELDS_SETTING) or {}))
    media = Media(col.library)
    updates = []
    for note_id, nid, flds, deck in one(_MEDIA_NOTES).fetchall():
        refitted = refit_media(flds, media.resolver(paths[deck].parent, files[deck]))
        if refitted is not None:
            updates.append((*refitted[:3], nid))
            prints[NoteId(note_id)] = refitted[3]
    db.executemany("UPDATE main.notes SET flds = ?, sfld = ?, csum = ? WHERE id = ?", updates)
    one(_HISTORY_CARDS)
    reviews, left_out = fill_revlog(db)
    fill_anki_history(db)
    for ddl in indexes:
        one(ddl)
    frame.insert_col(db)
    skipped: tuple[Skipped, ...] = ()
    if left_out:
        skipped = (
            Skipped(f"{left_out} review entries", "practice/manual entries or cards not exported"),
        )
    return media, notes, cards, reviews, skipped, prints


def _notes_and_cards(
    db: sqlite3.Connection, counts: tuple[int, int], *, now_s: int, crt: int
) -> bool:
    """The package's notes and cards (`counts`: how many of each are exported); False
    where two of their Anki ids clash (then none are in)."""
    one = db.execute
    notes, cards = counts
    try:
        inserted = one(_PACKAGE_NOTES, {"prefix": OUR_GUID_PREFIX, "mod": now_s}).rowcount
        _check(inserted == notes)  # every note type is one of ours
        # Every card is a note's, with the id the store keeps for it, and the store no more.
        ids = one("SELECT sum(n_ids) FROM temp.x_notes").fetchone()[0]
        inserted = one(
            _PACKAGE_CARDS,
            {
                "cloze": CardKind.CLOZE.value,
                "reverse": CardKind.REVERSE.value,
                "template": CardKind.TEMPLATE.value,
                "review": int(CardState.REVIEW),
                "learning": int(CardState.LEARNING),
                "crt": crt,
                "mod": now_s,
            },
        ).rowcount
        _check(inserted == cards == ids)
        _check(one("SELECT 1 FROM main.cards WHERE id = -1").fetchone() is None)
        clash = one(_IDS_CLASH).fetchone() is not None
    except sqlite3.IntegrityError:  # one id twice among the notes or the cards
        clash = True
    if clash:
        one("DELETE FROM main.notes")
        one("DELETE FROM main.cards")
    return not clash


def _move_clashing_ids(db: sqlite3.Connection) -> None:
    """The exported notes' and cards' Anki ids (`temp.x_notes`) moved as the Python way
    moves them where two clash (`apkg_rows.moved_ids`: in export order, a note then its
    cards in the order the store keeps their ids, the note's)."""
    rows = db.execute("SELECT k, note_id, ids FROM temp.x_notes ORDER BY k").fetchall()
    cards = [[part.rpartition("=")[0] for part in ids.split(";")[1:]] for _, _, ids in rows]
    moved = moved_ids(
        (note_id, of_note) for (_, note_id, _), of_note in zip(rows, cards, strict=True)
    )
    db.executemany(
        "UPDATE temp.x_notes SET nid = ?, ids = ? WHERE k = ?",
        [
            (nid, "".join(f";{c}={i}" for c, i in zip(of_note, cids, strict=True)), row[0])
            for row, of_note, (nid, cids) in zip(rows, cards, moved, strict=True)
        ],
    )
