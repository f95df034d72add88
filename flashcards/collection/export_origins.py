"""What the imports kept of where the library's notes came from in Anki — each note's
guid and note type, and what they kept of those note types — and how an export names
them again: the Python way through `anki_origins`, the SQL way (export_sql) through
`note_origins`. The notes' versions (`anki_note_versions`) are export_versions'."""

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


# The exported notes in export order, with their note types here.
_NOTE_TYPES = "SELECT k, note_id, nt FROM temp.x_notes ORDER BY k"


def note_origins(
    db: sqlite3.Connection,
    frame: Frame,
    origins: AnkiOrigins,
    *,
    guids: Mapping[str, object],
    mods: Mapping[str, int],
) -> list[str]:
    """What each exported note keeps of Anki in `temp.x_anki` (by its place `k`; a note
    with none of it has no row): the guid it came with (`guids`), the `mod` it goes with
    (`mods`, export_versions'; else the export's time) and the Anki note type it came
    from (`origins`, as the imports kept them), made in `frame` as the Python way makes
    them (`Frame.origin_model`, in the order the notes first use them). Returns the cloze
    types with fields of their own among them (`cloze_notes` fills those).

    The imports' maps are at hand as dicts: a look-up of each exported note in them and
    one row a note on an integer key cost a third of joining the settings' JSON
    (`json_each`) to the notes by their text ids, table by table."""
    came_from, types, kept_fields = origins
    wide = {came: count for came, origin in types.items() if (count := wide_cloze(origin))}
    # (type here, Anki type) -> (Anki type, its id in the package), None where it does
    # not fit; made when a note first uses it (in export order, as the Python way does)
    made: dict[tuple[str, str], tuple[str, int] | None] = {}
    rows: list[tuple[int, str | None, int | None, str | None, int | None]] = []
    for k, note_id, key in db.execute(_NOTE_TYPES):
        guid = guids.get(note_id)
        if not isinstance(guid, str) or not guid:
            guid = None
        mod = mods.get(note_id)
        came = came_from.get(note_id)
        origin = None
        if (
            isinstance(came, str)
            and key is not None
            # A note of a cloze type with fields of its own whose fields the import did
            # not keep (as many as the type has after its text) goes as the stock Cloze.
            and (came not in wide or _all_kept(kept_fields.get(note_id), wide[came]))
        ):
            pair = (key, came)
            if pair in made:
                origin = made[pair]
            else:
                origin = made[pair] = _origin_model(frame, key, came, types)
        if origin is not None:
            rows.append((k, guid, mod, *origin))
        elif guid is not None or mod is not None:
            rows.append((k, guid, mod, None, None))
    db.executemany("INSERT INTO temp.x_anki VALUES (?, ?, ?, ?, ?)", rows)
    return list(wide)


def _all_kept(fields: object, count: int) -> bool:
    return isinstance(fields, list) and len(fields) == count


def _origin_model(
    frame: Frame, key: str, came: str, types: Mapping[str, Mapping[str, object]]
) -> tuple[str, int] | None:
    """(Anki type, its id in the package) for the notes of type `key` here that came
    from Anki type `came`; None where it does not fit (they keep ours)."""
    if not came.isdigit():
        return None
    mid = frame.origin_model(key, int(came), types.get(came))
    return None if mid is None else (came, mid)


_WIDE_NOTES = """
SELECT x.note_id, n.id, n.flds FROM temp.x_anki o JOIN temp.x_notes x ON x.k = o.k
JOIN main.notes n ON n.id = x.nid WHERE o.amid = ? ORDER BY x.k
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
