"""Row shapes of a sync: the notes/cards rows of a parsed deck (with the ids written back
since the parse, without parsing again), their upsert statements and JSON columns."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from flashcards.core.identity import note_text
from flashcards.core.links import normalise_title
from flashcards.core.model import Deck, NoteId, card_id_for
from flashcards.storage.convert import dump_choices, dump_links

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


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def _upsert(table: str, columns: tuple[str, ...], keep: tuple[str, ...], extra: str = "") -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keep)
    return f"{_insert(table, columns)} ON CONFLICT(id) DO UPDATE SET {sets}{extra}"


NOTE_UPSERT = _upsert("notes", NOTE_COLUMNS, ("id",))
# Rows known to be new (no row has their id) go in plainly: SQLite's upsert costs about a
# third more per row than an INSERT (with foreign keys on), a fifth of a first import's
# row writes.
NOTE_INSERT = _insert("notes", NOTE_COLUMNS)
# `added` never moves; `modified` only when the text did.
_MODIFIED = (
    ", modified = CASE WHEN cards.content_hash != excluded.content_hash "
    "THEN excluded.modified ELSE cards.modified END"
)
CARD_UPSERT = _upsert("cards", CARD_COLUMNS, ("id", "added", "modified"), _MODIFIED)
CARD_INSERT = _insert("cards", CARD_COLUMNS)
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
CARD_INSERT_SCHEDULED = _insert("cards", CARD_COLUMNS + SCHEDULING_COLUMNS)


def json_list(values: Sequence[str]) -> str:
    return json_text(list(values)) if values else "[]"


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def deck_rows(
    deck: Deck,
    deck_id: int,
    now_s: int,
    tag_json: dict[tuple[str, ...], str],
    assigned: Mapping[int, NoteId] | None = None,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[str]]:
    """The NOTE_COLUMNS and CARD_COLUMNS rows of a parsed deck and its notes' title keys.
    `tag_json` caches the JSON of each tag list and section path across decks (cards
    share few distinct ones). `assigned` maps heading lines to ids written back since the
    parse: those notes and their cards get them, as parsing the written file would give
    (ids add no lines, and neither titles nor content hashes include them)."""
    note_rows: list[tuple[Any, ...]] = []
    card_rows: list[tuple[Any, ...]] = []
    title_keys: list[str] = []
    position = 0
    for index, note in enumerate(deck.notes):
        title_key = normalise_title(note.title)
        title_keys.append(title_key)
        new = assigned.get(note.line_start) if assigned else None
        note_id = note.id if new is None else new
        note_rows.append(
            (
                note_id,
                deck_id,
                note.title,
                index,
                note.line_start,
                note.line_end,
                tag_json.get(note.section_path)
                or tag_json.setdefault(note.section_path, json_list(note.section_path)),
                dump_links(note.links) if note.links else "[]",
                note.content_hash,
                note_text(note),
                1,
                title_key,
            )
        )
        for card in note.cards:
            card_rows.append(
                (
                    card.id if new is None else card_id_for(new, card.kind, card.cloze),
                    note_id,
                    deck_id,
                    position,
                    card.kind.value,
                    card.cloze,
                    card.title,
                    card.prompt,
                    card.answer,
                    dump_choices(card.choices) if card.choices else "[]",
                    tag_json.get(card.tags) or tag_json.setdefault(card.tags, json_list(card.tags)),
                    deck.domain,
                    note.content_hash,
                    1,
                    now_s,
                    now_s,
                )
            )
            position += 1
    return note_rows, card_rows, title_keys
