"""The declared note types an .apkg made by SQL needs (collection/export_sql.py).

The store of rendered notes names a declared note type's notes by its `declared_key`
(name and digest of the definition), not by the definition itself, which lives in the
front matter of the deck file. So for the decks whose notes use one, the export reads the
front matter (not the notes after it) and makes the package's note types from it
exactly as the Python way does (`apkg_export.Frame.declared_model`), in the order the
notes first use them. A key the front matter no longer declares (the file changed since
the sync) means this way does not apply."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from flashcards.core.errors import FlashcardsError
from flashcards.core.frontmatter import read_front_matter
from flashcards.core.notetypes import NOTETYPES_KEY, NoteType, read_notetypes
from flashcards.core.parser import decode_deck, split_lines
from flashcards.interop.apkg_export import Frame
from flashcards.interop.package_notes import DECLARED, declared_key

# The declared note types of the exported notes, with a deck of each, in first use.
_USED = (
    f"SELECT nt, deck FROM temp.x_notes WHERE nt GLOB '{DECLARED}*' "
    "GROUP BY nt, deck ORDER BY min(k)"
)


def deck_notetypes(path: Path, key: str) -> dict[str, NoteType] | None:
    """The note types deck file `path` (library path `key`) declares, by `declared_key`;
    None where it cannot be read (the export then takes the Python way, which says why)."""
    try:
        lines = split_lines(decode_deck(path.read_bytes(), path=key))
        front = read_front_matter(lines, path=key)
        if NOTETYPES_KEY not in front.meta:
            return {}
        declared = read_notetypes(front.meta, path=key, lines=lines[: front.end])
    except (OSError, FlashcardsError):
        return None
    return {declared_key(t): t for t in declared.values()}


def add_declared_models(
    db: sqlite3.Connection, frame: Frame, paths: Mapping[int, Path], keys: Mapping[int, str]
) -> bool:
    """The declared note types of the exported notes (`temp.x_notes`) made in `frame`, in
    the order the notes first use them, from their decks' files (`paths`, library paths
    `keys`, by deck id); False where a deck no longer declares one."""
    read: dict[int, dict[str, NoteType] | None] = {}
    for name, deck in db.execute(_USED).fetchall():
        if deck not in read:
            read[deck] = deck_notetypes(paths[deck], keys[deck])
        notetype = (read[deck] or {}).get(name)
        if notetype is None:
            return False
        frame.declared_model(notetype)
    return True
