"""Merging imported notes into deck files that already exist.

A re-import must update notes in place, keep whatever else the user wrote in the file,
and append only notes that are new. Notes are located by their `{#id}` with our parser,
and replaced line range by line range; every other byte of the file stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flashcards.core.model import NoteId
from flashcards.core.parser import parse_deck


def note_sources(text: str, *, path: str) -> tuple[str, dict[NoteId, str]]:
    """(the text before the first note, each note's own lines by id, in file order)."""
    lines = text.splitlines(keepends=True)
    notes = [n for n in parse_deck(text, path=path).deck.notes if n.id is not None]
    head_end = notes[0].line_start - 1 if notes else len(lines)
    out: dict[NoteId, str] = {}
    for note in notes:
        assert note.id is not None
        out[note.id] = "".join(lines[note.line_start - 1 : note.line_end]).rstrip("\n") + "\n"
    return "".join(lines[:head_end]), out


def merge_notes(
    existing: str,
    *,
    path: str,
    replace: Mapping[NoteId, str] | None = None,
    append: Iterable[str] = (),
    remove: Iterable[NoteId] = (),
) -> str:
    """`existing` with the notes in `replace` swapped in place, those in `remove` dropped,
    and the `append` blocks added at the end."""
    replace = replace or {}
    dropped = set(remove)
    lines = existing.splitlines(keepends=True)
    notes = [n for n in parse_deck(existing, path=path).deck.notes if n.id is not None]
    for note in sorted(notes, key=lambda n: n.line_start, reverse=True):
        assert note.id is not None
        span = slice(note.line_start - 1, note.line_end)
        if note.id in dropped:
            lines[span] = []
        elif note.id in replace:
            lines[span] = [replace[note.id]]
    text = "".join(lines)
    extra = [block.rstrip("\n") + "\n" for block in append]
    if extra:
        text = text.rstrip("\n") + "\n\n" + "\n".join(extra)
    return text
