"""What the imports kept of where the library's notes came from in Anki — each note's
guid and note type, and what they kept of those note types — and how an export names
them again: the Python way through `anki_origins`, the SQL way (export_sql) through
`origin_models`. The notes' versions (`anki_note_versions`) are export_versions'."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

from flashcards.interop.apkg_export import Frame
from flashcards.interop.package_notes import AnkiOrigins

if TYPE_CHECKING:
    from flashcards.collection.export import ExportMixin

GUID_SETTING = "anki_guids"  # note id -> the Anki guid it came with (kept for re-export)
# note id -> the id (text) of the Anki note type it came with; that id -> what the import
# kept of the note type (`anki_origin.origin_entry`): the export back names it again
NOTE_TYPE_SETTING = "anki_note_types"
NOTETYPE_SETTING = "anki_notetypes"


def anki_origins(col: ExportMixin) -> AnkiOrigins:
    """The Anki note types the library's notes came from, as the imports kept them."""
    return AnkiOrigins(col.setting(NOTE_TYPE_SETTING) or {}, col.setting(NOTETYPE_SETTING) or {})


# The exported notes' Anki note types as the imports kept them (`NOTE_TYPE_SETTING`).
_ORIGINS = """
INSERT INTO temp.x_origin (note_id, amid) SELECT j.key, j.value FROM json_each(
  (SELECT value FROM c.settings WHERE key = ?)) j JOIN temp.x_notes x ON x.note_id = j.key
WHERE j.type = 'text'
"""
# Each (note type here, Anki note type) pair, in the order the notes first use it.
_ORIGIN_PAIRS = """
SELECT x.nt, o.amid FROM temp.x_notes x JOIN temp.x_origin o ON o.note_id = x.note_id
GROUP BY x.nt, o.amid ORDER BY min(x.k)
"""


def origin_models(
    db: sqlite3.Connection, frame: Frame, types: Mapping[str, Mapping[str, object]]
) -> None:
    """The Anki note types the exported notes came from, made in `frame` as the Python
    way makes them (`Frame.origin_model`, in the order the notes first use them), and
    each such note's Anki note type id in `temp.x_origin.mid` (NULL: ours)."""
    db.execute(_ORIGINS, (NOTE_TYPE_SETTING,))
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
