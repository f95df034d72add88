"""Row shapes of a sync: the notes/cards upsert statements and their JSON columns, and
parse results re-identified after ids were written back (without parsing again)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from flashcards.core.model import NoteId, card_id_for
from flashcards.core.parser import ParseResult


def with_ids(result: ParseResult, assigned: dict[int, NoteId]) -> ParseResult:
    """`result` with the ids `assign_ids` wrote (by heading line) — what re-parsing the
    written file would give, without parsing it again (ids add no lines, and neither
    titles nor content hashes include them)."""
    notes = []
    for note in result.deck.notes:
        new = assigned.get(note.line_start)
        if new is None:
            notes.append(note)
            continue
        cards = tuple(
            evolve(c, id=card_id_for(new, c.kind, c.cloze), note_id=new) for c in note.cards
        )
        notes.append(evolve(note, id=new, cards=cards))
    return replace(result, deck=replace(result.deck, notes=tuple(notes)))


_T = TypeVar("_T")


def evolve(value: _T, **changes: Any) -> _T:
    """`dataclasses.replace` for frozen values without re-running `__init__` (a sync may
    re-id tens of thousands of cards; only already-valid fields change)."""
    new = object.__new__(type(value))
    new.__dict__.update(value.__dict__)
    new.__dict__.update(changes)
    return new


NOTE_COLUMNS = (
    "id",
    "deck_id",
    "title",
    "position",
    "line_start",
    "line_end",
    "section_path",
    "links",
    "content_hash",
    "text",
    "present",
    "title_key",
)
CARD_COLUMNS = (
    "id",
    "note_id",
    "deck_id",
    "position",
    "kind",
    "cloze",
    "title",
    "prompt",
    "answer",
    "choices",
    "tags",
    "domain",
    "content_hash",
    "present",
    "added",
    "modified",
)


def _upsert(table: str, columns: tuple[str, ...], keep: tuple[str, ...], extra: str = "") -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keep)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(id) DO UPDATE SET {sets}{extra}"
    )


NOTE_UPSERT = _upsert("notes", NOTE_COLUMNS, ("id",))
# `added` never moves; `modified` only when the text did.
_MODIFIED = (
    ", modified = CASE WHEN cards.content_hash != excluded.content_hash "
    "THEN excluded.modified ELSE cards.modified END"
)
CARD_UPSERT = _upsert("cards", CARD_COLUMNS, ("id", "added", "modified"), _MODIFIED)
# An import's scheduling of the cards it inserts (see `Syncer`): only a new row takes them,
# an existing card keeps its own (the import updates those afterwards, where they differ).
SCHEDULING_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps")
NEW_SCHEDULING = (0, None, None, None, 0, None, 0)  # the table's defaults: a new card
CARD_UPSERT_SCHEDULED = _upsert(
    "cards",
    CARD_COLUMNS + SCHEDULING_COLUMNS,
    ("id", "added", "modified", *SCHEDULING_COLUMNS),
    _MODIFIED,
)


def json_list(values: Sequence[str]) -> str:
    return json_text(list(values)) if values else "[]"


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
