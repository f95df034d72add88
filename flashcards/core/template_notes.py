"""A note of a note type declared in the deck's front matter: its fields read from the
body, and one card per template that shows something (`keep=` on the heading keeps
chosen cards). `notes.build_note` hands such headings here."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.model import Card, CardKind, Note, ParseWarning, template_card_id
from flashcards.core.note_parts import Source, _fast, _links, content_hash
from flashcards.core.notetypes import NoteType, note_cards, read_fields


def _keep_part(keep: tuple[int, ...]) -> str:
    return f"\nkeep={','.join(map(str, keep))}" if keep else ""


def template_note(
    src: Source,
    heading: Heading,
    heading_index: int,
    span: tuple[int, int, int],
    section_path: tuple[str, ...],
    tags: tuple[str, ...],
    notetypes: Mapping[str, NoteType],
    deck_title: str,
    warnings: list[ParseWarning],
) -> Note | None:
    """A note of a declared note type: its fields, and one card per template that shows one."""
    start, end, last = span
    path, line_no = src.path, heading_index + 1
    key = heading.notetype or ""
    notetype = notetypes.get(key)
    if notetype is None:
        declared = ", ".join(sorted(notetypes)) or "none"
        raise DeckFormatError(
            path,
            line_no,
            f"note type '{key}' is not declared in the front matter's notetypes "
            f"(declared: {declared})",
        )
    title = heading.title
    fields = read_fields(notetype, src.lines, src.masked, start, end, title=title, path=path)
    body = "\n".join(src.lines[start:end])
    masked_body = "\n".join(src.masked[start:end])
    links = tuple(_links(body, masked_body, start + 1)) if "[[" in masked_body else ()
    sides = note_cards(notetype, fields, tags=tags, deck=deck_title, keep=heading.keep)
    beyond = [n for n in heading.keep if n > len(notetype.templates)]
    if beyond:
        warnings.append(
            ParseWarning(
                path,
                line_no,
                f"keep={','.join(map(str, beyond))}: note type '{key}' has "
                f"{len(notetype.templates)} template(s)",
            )
        )
    if not sides:
        warnings.append(
            ParseWarning(path, line_no, f"note type '{key}' gives no card: every front is empty")
        )
        return None
    base = heading.id if heading.id is not None else ""
    shared: dict[str, Any] = {
        "note_id": base,
        "kind": CardKind.TEMPLATE,
        "file": path,
        "title": title,
        "line_start": line_no,
        "line_end": last,
        "section_path": section_path,
        "links": links,
        "tags": tags,
        "cloze": None,
        "choices": (),
    }
    cards = tuple(
        _fast(
            Card,
            {
                **shared,
                "id": template_card_id(base, side.number),
                "prompt": side.prompt,
                "answer": side.answer,
            },
        )
        for side in sides
    )
    digest = content_hash(src, heading, heading_index, last)
    return _fast(
        Note,
        {
            "id": heading.id,
            "file": path,
            "title": title,
            "level": heading.level,
            "line_start": line_no,
            "line_end": last,
            "section_path": section_path,
            "prompt": "",
            "answer": body,
            "reverse": False,
            "choices": (),
            "cloze_numbers": (),
            "links": links,
            "tags": tags,
            # The note type is part of what the cards show: a template edit changes them;
            # so is keep= (which cards there are), written only where a note has one.
            "content_hash": hashlib.sha1(
                f"{digest}\n{key}\n{notetype.digest}{_keep_part(heading.keep)}".encode()
            ).hexdigest(),
            "cards": cards,
            "notetype": key,
            "fields": tuple((name, fields[name]) for name in notetype.fields),
        },
    )
