"""An .apkg's notes, cards and review log made by SQL from the collection's tables.

Once every exported note is in the store of rendered notes (`anki_fields`, filled by
`export_rows.refresh_store`), the package's rows follow from the store, the index's cards
and the review history by column expressions alone. So the package database (in memory)
attaches the collection's file read-only and fills its tables with `INSERT … SELECT`:
no row becomes a Python object, and SQLite does the work without the interpreter lock.
Python touches only what SQL cannot say exactly: a studied card's `data` JSON (Python's
float formatting), a manual row's rounded interval, and the few notes with media (their
file names are fitted to the package).

The rows equal those of the Python way (`export_rows.read_package_data` and
`apkg_export.write_package`); tests hold the two packages equal. Where this way does not
apply it says so (None) and the export takes the Python way: a deck declaring note types
or a note the store lacks, two notes or cards whose Anki ids clash, two history entries
of one millisecond (the Python way moves one id up).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from flashcards.collection.export_rows import CARD_COUNT
from flashcards.core.model import CardKind, CardState, NoteId, ReviewKind
from flashcards.interop.anki_notes import OUR_GUID_PREFIX
from flashcards.interop.apkg_export import (
    Frame,
    Media,
    create_tables,
    pack,
    package_times,
    refit_media,
)
from flashcards.interop.apkg_rows import DAY, card_data
from flashcards.interop.bundle import ExportReport, Progress, Skipped, report_progress
from flashcards.interop.export_notes import RENDERER

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin
    from flashcards.collection.queue import DeckRef

GUID_SETTING = "anki_guids"  # as interop_ops.GUID_SETTING (note id -> the Anki guid)
_REVIEW, _MANUAL = ReviewKind.REVIEW.value, ReviewKind.MANUAL.value
_NEW = int(CardState.NEW)

# The exported notes in export order (k: 1, 2, …), with what the store holds of them.
_NOTES = """
INSERT INTO temp.x_notes (note_id, nid, deck, ids, fp)
SELECT n.id, f.anki_id, n.deck_id, f.card_ids, f.fingerprint
FROM temp.x_decks d JOIN c.notes n ON n.deck_id = d.id AND n.present = 1
JOIN c.anki_fields f ON f.note_id = n.id
ORDER BY d.ord, n.position
"""
# Their cards in note order, with the Anki id the store keeps for each place.
_CARDS = """
INSERT INTO temp.x_cards (card_id, k, cid)
SELECT c.id, x.k, json_extract(x.ids, '$[' || (row_number() OVER (
  PARTITION BY x.k ORDER BY c.position) - 1) || ']')
FROM temp.x_notes x JOIN c.cards c ON c.note_id = x.note_id AND c.present = 1
"""
_PACKAGE_NOTES = """
INSERT INTO main.notes
SELECT x.nid, coalesce(nullif(g.guid, ''), :prefix || x.note_id), m.mid, :mod, -1,
  CASE WHEN f.tags != '' THEN ' ' || f.tags || ' ' ELSE '' END,
  f.fields, f.sort_field, f.checksum, 0, ''
FROM temp.x_notes x JOIN c.anki_fields f ON f.note_id = x.note_id
JOIN temp.x_models m ON m.name = f.notetype
LEFT JOIN temp.x_guids g ON g.note_id = x.note_id
"""
# Python's round(a / DAY) of whole seconds a >= 0 (half to even), at least 1.
_IVL = (
    "CASE WHEN c.last_review IS NULL THEN 0 WHEN c.due - c.last_review <= 0 THEN 1 "
    f"ELSE max(1, (c.due - c.last_review) / {DAY} + ("
    f"((c.due - c.last_review) % {DAY}) * 2 > {DAY} OR (((c.due - c.last_review) % {DAY}) * 2 "
    f"= {DAY} AND ((c.due - c.last_review) / {DAY}) % 2 = 1))) END"
)
_STUDIED = "c.state IS NOT NULL AND c.state != 0"
# Python's (due - crt) // DAY: floor division, also for a due date before crt.
_REVIEW_DUE = f"(c.due - :crt - (((c.due - :crt) % {DAY}) + {DAY}) % {DAY}) / {DAY}"
_PACKAGE_CARDS = f"""
INSERT INTO main.cards
SELECT xc.cid, x.nid, d.did,
  CASE c.kind WHEN :cloze THEN coalesce(nullif(c.cloze, 0), 1) - 1
    WHEN :reverse THEN 1 ELSE 0 END,
  :mod, -1,
  CASE WHEN NOT ({_STUDIED}) THEN 0 WHEN c.state = :review THEN 2
    WHEN c.state = :learning THEN 1 ELSE 3 END,
  CASE WHEN c.suspended THEN -1 WHEN NOT ({_STUDIED}) THEN 0
    WHEN c.state = :review THEN 2 ELSE 1 END,
  CASE WHEN NOT ({_STUDIED}) THEN x.k WHEN c.state = :review THEN {_REVIEW_DUE}
    ELSE c.due END,
  CASE WHEN NOT ({_STUDIED}) OR c.state = :learning THEN 0 ELSE {_IVL} END,
  CASE WHEN {_STUDIED} THEN 2500 ELSE 0 END,
  0, 0,
  CASE WHEN NOT ({_STUDIED}) OR c.state = :review THEN 0 ELSE 1 END,
  0, 0, c.flag,
  CASE WHEN {_STUDIED} THEN card_data(c.stability, c.difficulty, c.last_review) ELSE '{{}}' END
FROM temp.x_cards xc JOIN c.cards c ON c.id = xc.card_id
JOIN temp.x_notes x ON x.k = xc.k JOIN temp.x_decks d ON d.id = x.deck
"""
# The answers and manual rows of the exported cards; `seg` counts the resets up to a
# row, so a card's first answer after a reset (or ever) is its `nth` 1 in its segment.
_KEPT = """
  FROM temp.x_cards xc JOIN c.reviews r ON r.card_id = xc.card_id
  WHERE r.kind IN (:review, :manual)
"""
_HISTORY = f"""
WITH h AS (
  SELECT r.id AS rid, r.time_ms, r.rating, r.duration_ms, r.kind, r.state_after,
    r.scheduled_days, xc.card_id, xc.cid {_KEPT}
), s AS (
  SELECT *, sum(kind = :manual AND state_after = :new) OVER (
    PARTITION BY card_id ORDER BY time_ms, rid ROWS UNBOUNDED PRECEDING) AS seg FROM h
), f AS (
  SELECT *, row_number() OVER (
    PARTITION BY card_id, seg, kind ORDER BY time_ms, rid) AS nth FROM s
)
"""
_REVLOG = (
    _HISTORY
    + """
INSERT INTO main.revlog
SELECT time_ms, cid, -1,
  CASE WHEN kind = :manual THEN 0 ELSE rating END,
  CASE WHEN kind = :manual THEN manual_days(state_after, scheduled_days) ELSE 0 END,
  0,
  CASE WHEN kind = :manual THEN (CASE WHEN state_after = :new THEN 0 ELSE 2500 END)
    WHEN nth = 1 THEN 0 ELSE 2500 END,
  min(duration_ms, 60000),
  CASE WHEN kind = :manual THEN 4 WHEN nth = 1 THEN 0 ELSE 1 END
FROM f
"""
)
_HISTORY_TIMES = f"SELECT count(*) - count(DISTINCT r.time_ms) {_KEPT}"
_ALL_HISTORY = (
    "SELECT count(*) FROM c.reviews r JOIN c.cards c ON c.id = r.card_id "
    "JOIN temp.x_decks d ON d.id = c.deck_id WHERE c.present = 1"
)
# Every exported note is in the store as it is now, with its cards' ids.
_STALE = f"""
SELECT count(*) FROM temp.x_decks d JOIN c.notes n ON n.deck_id = d.id AND n.present = 1
LEFT JOIN c.anki_fields f ON f.note_id = n.id
WHERE f.note_id IS NULL OR f.content_hash != n.content_hash OR f.renderer != :renderer
  OR f.anki_id IS NULL OR {CARD_COUNT} IS NOT (
    SELECT count(*) FROM c.cards c WHERE c.note_id = n.id AND +c.present = 1)
  OR f.notetype NOT IN (SELECT name FROM temp.x_models)
"""
_TEMPLATED = (
    "SELECT count(*) FROM temp.x_decks d JOIN c.cards c ON c.deck_id = d.id "
    "WHERE c.present = 1 AND c.kind = :template"
)
_IDS_CLASH = (
    "SELECT count(*) - count(DISTINCT id) FROM "
    "(SELECT nid AS id FROM temp.x_notes UNION ALL SELECT cid FROM temp.x_cards)"
)
_MEDIA_NOTES = """
SELECT x.note_id, x.nid, f.fields, x.deck FROM temp.x_notes x
JOIN c.anki_fields f ON f.note_id = x.note_id
WHERE f.fields LIKE '%<img%' OR instr(f.fields, '🔊') > 0 ORDER BY x.k
"""
_TEMP_TABLES = (
    "CREATE TEMP TABLE x_decks (id INTEGER PRIMARY KEY, ord INTEGER, did INTEGER, "
    "media TEXT, file TEXT)",
    "CREATE TEMP TABLE x_models (name TEXT PRIMARY KEY, mid INTEGER)",
    "CREATE TEMP TABLE x_guids (note_id TEXT PRIMARY KEY, guid TEXT)",
    "CREATE TEMP TABLE x_notes (k INTEGER PRIMARY KEY, note_id TEXT, nid INTEGER, "
    "deck INTEGER, ids TEXT, fp TEXT)",
    "CREATE TEMP TABLE x_cards (card_id TEXT, k INTEGER, cid INTEGER)",
)


def _manual_days(state_after: int | None, scheduled_days: float | None) -> int:
    """A manual row's interval as `export_rows` writes it: 0 for a reset."""
    if state_after == _NEW:
        return 0
    return max(1, round(scheduled_days or 0))


def _attach_uri(path: Path) -> str:
    return f"file:{quote(str(path))}?mode=ro"


def write_package_sql(
    col: ExportMixin,
    refs: Sequence[DeckRef],
    paths: dict[int, Path],
    out: Path,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> ExportReport | None:
    """Decks `refs` (their files at `paths`, by deck id) as an .apkg at `out`, the rows
    made by SQL; None where this way does not apply (nothing written)."""
    now_s, crt = package_times(now)
    report_progress(progress, 0, 1, "writing notes")
    db = sqlite3.connect(":memory:", isolation_level=None, uri=True)
    try:
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute("ATTACH ? AS c", (_attach_uri(col.db.path),))
        # Several passes over the collection's notes and cards: keep their pages at hand.
        db.execute("PRAGMA c.cache_size=-64000")
        db.execute("PRAGMA c.mmap_size=1073741824")
        db.create_function("card_data", 3, card_data, deterministic=True)
        db.create_function("manual_days", 2, _manual_days, deterministic=True)
        db.execute("BEGIN")
        filled = _fill(db, col, refs, paths, now_s=now_s, crt=crt)
        if filled is None:
            db.execute("ROLLBACK")
            return None
        db.execute("COMMIT")
        image = db.serialize()
    finally:
        db.close()
    report_progress(progress, 1, 1, "packing")
    media, notes, cards, reviews, skipped, prints = filled
    pack(image, media, out)
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


def _fill(
    db: sqlite3.Connection,
    col: ExportMixin,
    refs: Sequence[DeckRef],
    paths: dict[int, Path],
    *,
    now_s: int,
    crt: int,
) -> _Filled | None:
    for ddl in _TEMP_TABLES:
        db.execute(ddl)
    frame = Frame(crt=crt, now_s=now_s)
    db.executemany(
        "INSERT INTO temp.x_models VALUES (?, ?)",
        [(name, m["id"]) for name, m in frame.models.items()],
    )
    db.executemany(
        "INSERT INTO temp.x_decks (id, ord) VALUES (?, ?)",
        [(ref.id, i) for i, ref in enumerate(refs)],
    )
    one = db.execute
    if one(_TEMPLATED, {"template": CardKind.TEMPLATE.value}).fetchone()[0]:
        return None  # a declared note type: its definition is in the deck file
    if one(_STALE, {"renderer": RENDERER}).fetchone()[0]:
        return None
    one(_NOTES)
    one(_CARDS)
    history = {"review": _REVIEW, "manual": _MANUAL, "new": _NEW}
    times = {"review": _REVIEW, "manual": _MANUAL}
    if one(_IDS_CLASH).fetchone()[0] or one(_HISTORY_TIMES, times).fetchone()[0]:
        return None  # ids that move up, in the order the Python way gives them
    one(
        "INSERT OR REPLACE INTO temp.x_guids SELECT key, value FROM json_each("
        "(SELECT value FROM c.settings WHERE key = ?)) WHERE type = 'text'",
        (GUID_SETTING,),
    )
    # Anki decks for the decks with notes, in export order (parents first, as made).
    names = {ref.id: ref.name for ref in refs}
    used = [r[0] for r in one("SELECT deck FROM temp.x_notes GROUP BY deck ORDER BY min(k)")]
    db.executemany(
        "UPDATE temp.x_decks SET did = ? WHERE id = ?",
        [(frame.deck_id(names[deck]), deck) for deck in used],
    )
    indexes = create_tables(db)
    one(_PACKAGE_NOTES, {"prefix": OUR_GUID_PREFIX, "mod": now_s})
    prints = dict(one("SELECT note_id, fp FROM temp.x_notes").fetchall())
    media = Media(col.library)
    files = {ref.id: ref.key for ref in refs}
    updates = []
    for note_id, nid, flds, deck in one(_MEDIA_NOTES).fetchall():
        refitted = refit_media(flds, media.resolver(paths[deck].parent, files[deck]))
        if refitted is not None:
            updates.append((*refitted[:3], nid))
            prints[NoteId(note_id)] = refitted[3]
    db.executemany("UPDATE main.notes SET flds = ?, sfld = ?, csum = ? WHERE id = ?", updates)
    one(
        _PACKAGE_CARDS,
        {
            "cloze": CardKind.CLOZE.value,
            "reverse": CardKind.REVERSE.value,
            "review": int(CardState.REVIEW),
            "learning": int(CardState.LEARNING),
            "mod": now_s,
            "crt": crt,
        },
    )
    one(_REVLOG, history)
    for ddl in indexes:
        one(ddl)
    frame.insert_col(db)
    notes = one("SELECT count(*) FROM main.notes").fetchone()[0]
    cards = one("SELECT count(*) FROM main.cards").fetchone()[0]
    reviews = one("SELECT count(*) FROM main.revlog").fetchone()[0]
    left_out = one(_ALL_HISTORY).fetchone()[0] - reviews
    skipped: tuple[Skipped, ...] = ()
    if left_out:
        skipped = (
            Skipped(f"{left_out} review entries", "practice/manual entries or cards not exported"),
        )
    return media, notes, cards, reviews, skipped, prints
