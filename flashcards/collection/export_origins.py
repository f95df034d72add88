"""What the imports kept of where the library's notes came from in Anki — each note's
guid and note type, and what they kept of those note types — and how an export names
them again: the Python way through `anki_origins`, the SQL way (export_sql) through
`origin_models`. The notes' versions (`anki_note_versions`) are export_versions'."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

from flashcards.core.model import NoteId
from flashcards.interop import package_notes
from flashcards.interop.anki_origin import cloze_fields, wide_cloze
from flashcards.interop.apkg_export import Frame
from flashcards.interop.package_notes import AnkiOrigins

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin

GUID_SETTING = "anki_guids"  # note id -> the Anki guid it came with (kept for re-export)
# note id -> the id (text) of the Anki note type it came with; that id -> what the import
# kept of the note type (`anki_origin.origin_entry`): the export back names it again
NOTE_TYPE_SETTING = "anki_note_types"
NOTETYPE_SETTING = "anki_notetypes"
# note id -> a cloze note's fields after its text as the import wrote them (Markdown),
# where its Anki note type has fields of its own (`anki_origin.cloze_fields`)
CLOZE_FIELDS_SETTING = "anki_cloze_fields"


def anki_origins(col: ExportMixin) -> AnkiOrigins:
    """The Anki note types the library's notes came from, as the imports kept them."""
    return AnkiOrigins(
        col.setting(NOTE_TYPE_SETTING) or {},
        col.setting(NOTETYPE_SETTING) or {},
        col.setting(CLOZE_FIELDS_SETTING) or {},
    )


# The exported notes' Anki note types as the imports kept them (`NOTE_TYPE_SETTING`).
_ORIGINS = """
INSERT INTO temp.x_origin (note_id, amid) SELECT j.key, j.value FROM json_each(
  (SELECT value FROM c.settings WHERE key = ?)) j JOIN temp.x_notes x ON x.note_id = j.key
WHERE j.type = 'text'
"""
# A note of a cloze type with fields of its own whose fields the import did not keep (as
# many as the type has after its text) goes as the stock Cloze (`anki_origin`).
_UNKEPT = """
DELETE FROM temp.x_origin WHERE amid = ? AND note_id NOT IN (SELECT key FROM json_each(
  (SELECT value FROM c.settings WHERE key = ?)) WHERE type = 'array'
  AND json_array_length(value) = ?)
"""
# Each (note type here, Anki note type) pair, in the order the notes first use it.
_ORIGIN_PAIRS = """
SELECT x.nt, o.amid FROM temp.x_notes x JOIN temp.x_origin o ON o.note_id = x.note_id
GROUP BY x.nt, o.amid ORDER BY min(x.k)
"""


def origin_models(
    db: sqlite3.Connection, frame: Frame, types: Mapping[str, Mapping[str, object]]
) -> list[str]:
    """The Anki note types the exported notes came from, made in `frame` as the Python
    way makes them (`Frame.origin_model`, in the order the notes first use them), and
    each such note's Anki note type id in `temp.x_origin.mid` (NULL: ours). Returns the
    cloze types with fields of their own among them (`cloze_notes` fills those)."""
    db.execute(_ORIGINS, (NOTE_TYPE_SETTING,))
    wide = []
    for came, origin in types.items():
        count = wide_cloze(origin)
        if count:
            db.execute(_UNKEPT, (came, CLOZE_FIELDS_SETTING, count))
            wide.append(came)
    for key, came in db.execute(_ORIGIN_PAIRS).fetchall():
        if not came.isdigit() or key is None:
            continue
        mid = frame.origin_model(key, int(came), types.get(came))
        if mid is not None:
            db.execute(
                "UPDATE temp.x_origin SET mid = ? WHERE amid = ? AND note_id IN "
                "(SELECT note_id FROM temp.x_notes WHERE nt = ?)",
                (mid, came, key),
            )
    return wide


_WIDE_NOTES = """
SELECT x.note_id, n.id, n.flds FROM temp.x_origin o JOIN temp.x_notes x ON x.note_id = o.note_id
JOIN main.notes n ON n.id = x.nid WHERE o.amid = ? AND o.mid IS NOT NULL ORDER BY x.k
"""


def cloze_notes(
    db: sqlite3.Connection, wide: list[str], kept: Mapping[str, list[str]]
) -> dict[NoteId, str]:
    """The package's notes of the cloze types `wide` (with fields of their own) given
    each field again (`anki_origin.cloze_fields`, from what the import `kept`), as the
    Python way gives them; their new fingerprints."""
    prints: dict[NoteId, str] = {}
    updates = []
    for came in wide:
        for note_id, nid, flds in db.execute(_WIDE_NOTES, (came,)).fetchall():
            _, flds, _, sfld, csum, print_ = package_notes.rendered(
                "", cloze_fields(flds, kept[note_id]), ()
            )
            updates.append((flds, sfld, csum, nid))
            prints[NoteId(note_id)] = print_
    db.executemany("UPDATE main.notes SET flds = ?, sfld = ?, csum = ? WHERE id = ?", updates)
    return prints
