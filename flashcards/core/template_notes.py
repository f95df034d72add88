"""A note of a note type declared in the deck's front matter: its fields read from the
body, and one card per template that shows something (`keep=` on the heading keeps
chosen cards). `notes.build_note` hands such headings here."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from flashcards.core.errors import DeckFormatError
from flashcards.core.headings import Heading
from flashcards.core.model import Card, CardKind, Link, Note, ParseWarning, template_card_id
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
    known: Sequence[str] = (),
) -> Note | None:
    """A note of a declared note type: its fields, and one card per template that shows one.

    `known`: the field values, in the note type's order, from the writer of the note's
    lines, who knows what `read_fields` reads there (deck_writer's read-back, whose tests
    hold the two equal); read from the lines when empty."""
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
    lines = src.lines
    names = notetype.fields
    if len(known) == len(names):
        pairs = tuple(zip(names, known, strict=False))  # (the lengths are equal)
        fields = dict(pairs)
    else:
        fields = read_fields(notetype, lines, src.masked, start, end, title=title, path=path)
        pairs = tuple([(name, fields[name]) for name in names])
    body = "\n".join(lines[start:end])
    links: tuple[Link, ...] = ()
    if "[[" in body:  # masking only hides text: no `[[` in the body, none in its masked copy
        masked_body = "\n".join(src.masked[start:end])
        if "[[" in masked_body:
            links = tuple(_links(body, masked_body, start + 1))
    keep = heading.keep
    sides = note_cards(notetype, fields, tags=tags, deck=deck_title, keep=keep)
    if keep:
        _check_keep(keep, notetype, key, path, line_no, warnings)
    if not sides:
        warnings.append(
            ParseWarning(path, line_no, f"note type '{key}' gives no card: every front is empty")
        )
        return None
    base = heading.id if heading.id is not None else ""
    # Each card is `_fast`'s dict of these, in the order of Card's fields.
    cards = tuple(
        [
            _fast(
                Card,
                {
                    "id": template_card_id(base, side.number),
                    "note_id": base,
                    "kind": CardKind.TEMPLATE,
                    "file": path,
                    "title": title,
                    "prompt": side.prompt,
                    "answer": side.answer,
                    "line_start": line_no,
                    "line_end": last,
                    "section_path": section_path,
                    "cloze": None,
                    "choices": (),
                    "links": links,
                    "tags": tags,
                },
            )
            for side in sides
        ]
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
                f"{digest}\n{key}\n{notetype.digest}{_keep_part(keep)}".encode()
            ).hexdigest(),
            "cards": cards,
            "notetype": key,
            "fields": pairs,
        },
    )


def _check_keep(
    keep: tuple[int, ...],
    notetype: NoteType,
    key: str,
    path: str,
    line_no: int,
    warnings: list[ParseWarning],
) -> None:
    """A warning for `keep=` numbers past the note type's templates."""
    count = len(notetype.templates)
    beyond = [n for n in keep if n > count]
    if beyond:
        warnings.append(
            ParseWarning(
                path,
                line_no,
                f"keep={','.join(map(str, beyond))}: note type '{key}' has {count} template(s)",
            )
        )
