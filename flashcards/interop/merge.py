"""Merging imported notes into deck files that already exist.

A re-import must update notes in place, keep whatever else the user wrote in the file,
and append only notes that are new. Notes are located by their `{#id}` with our parser,
and replaced line range by line range; every other byte of the file stays as it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from flashcards.core.frontmatter import load_yaml
from flashcards.core.model import NoteId
from flashcards.core.notetypes import NOTETYPES_KEY
from flashcards.core.parser import ParseResult, parse_deck
from flashcards.interop.deck_writer import dump_front_matter


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


def block_digest(source: str) -> str:
    """A short digest of a note's own lines (as `note_sources` gives them): what an import
    wrote, to tell later whether the note was edited in its file since."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def note_digests(
    text: str, ids: AbstractSet[str], *, path: str, parsed: ParseResult | None = None
) -> dict[NoteId, str]:
    """`block_digest` of each note of `ids` in `text` (`parsed`: its parse, if at hand)."""
    if parsed is None:
        _, sources = note_sources(text, path=path)
        return {nid: block_digest(src) for nid, src in sources.items() if nid in ids}
    lines = text.splitlines(keepends=True)
    out: dict[NoteId, str] = {}
    for note in parsed.deck.notes:
        if note.id is not None and note.id in ids:
            src = "".join(lines[note.line_start - 1 : note.line_end]).rstrip("\n") + "\n"
            out[note.id] = block_digest(src)
    return out


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


_USES = re.compile(r"^#{1,6} .*\{[^{}\n]*\bnotetype=([^\s{}\"']+)", re.M)


def used_notetypes(text: str) -> set[str]:
    """The note type keys that headings in `text` name (`{... notetype=KEY}`)."""
    return set(_USES.findall(text))


def declare_notetypes(
    text: str, notetypes: Mapping[str, Mapping[str, object]], *, path: str = "front matter"
) -> str:
    """`text` whose front matter declares each of `notetypes` as given (added, or replaced
    where it differs). Untouched when all are declared so already; otherwise the front
    matter is written anew (its keys kept, in order; YAML comments in it are lost)."""
    if not notetypes:
        return text
    lines = text.split("\n")
    close = None
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    data: dict[str, object] = {}
    if close is not None:
        loaded = load_yaml("\n".join(lines[1:close]), path=path)
        data = dict(loaded) if isinstance(loaded, dict) else {}
    declared = data.get(NOTETYPES_KEY)
    declared = dict(declared) if isinstance(declared, dict) else {}
    wanted = {k: dict(v) for k, v in notetypes.items()}
    if all(declared.get(k) == v for k, v in wanted.items()):
        return text
    declared.update(wanted)
    data[NOTETYPES_KEY] = declared
    head = dump_front_matter(data)
    rest = lines[close + 1 :] if close is not None else ["", *lines]
    return head + "\n".join(rest)
