"""Anki notes as our note blocks: which card shapes a notetype makes, and the Markdown.

Notetypes are recognised by shape, not name (users rename them): a cloze notetype; two
fields with one template showing the first field on the front and the second on the back
(Basic); the same with a second template the other way round (Basic and reversed); three
fields whose second template is conditional on the third (optional reversed). Any other
note type comes in whole, as a declared note type (`anki_notetypes.py`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable

from flashcards.core.card_templates import (
    Node,
    Replace,
    Section,
    TemplateError,
    Text,
    parse_template,
    referenced,
)
from flashcards.core.model import CardId, CardKind, NoteId, card_id_for, template_card_id
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype, AnkiTemplate
from flashcards.interop.anki_notetypes import template_note_block
from flashcards.interop.deck_writer import NoteBlock, stable_id
from flashcards.interop.html_md import html_to_markdown, one_line_title
from flashcards.interop.image_occlusion import is_image_occlusion, occlusion_note_id

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


class Shape(enum.Enum):
    BASIC = "basic"
    REVERSED = "reversed"
    OPTIONAL_REVERSED = "optional reversed"
    CLOZE = "cloze"
    IMAGE_OCCLUSION = "image occlusion"  # one Basic note per card (image_occlusion.py)
    OTHER = "other"


def _shows(template: AnkiTemplate, front: str, back: str) -> bool:
    """Whether a template asks `front` (plainly, no type-in) and answers with `back`."""
    try:
        asked = parse_template(template.qfmt)
        told = referenced(parse_template(template.afmt))
    except TemplateError:
        return False
    return _only(asked) == [Replace(front)] and back in told and "type:" not in template.afmt


def _only(nodes: tuple[Node, ...]) -> list[Node]:
    """The nodes that are not blank text."""
    return [n for n in nodes if not (isinstance(n, Text) and not n.text.strip())]


def _optional_reverse(template: AnkiTemplate, fields: tuple[str, ...]) -> bool:
    """Card 2 of "Basic (optional reversed card)": the back, if the third field is set."""
    try:
        asked = _only(parse_template(template.qfmt))
        told = referenced(parse_template(template.afmt))
    except TemplateError:
        return False
    return (
        len(asked) == 1
        and isinstance(asked[0], Section)
        and asked[0] == Section(fields[2], False, asked[0].children)
        and _only(asked[0].children) == [Replace(fields[1])]
        and fields[0] in told
    )


def shape_of(notetype: AnkiNotetype) -> Shape:
    if is_image_occlusion(notetype):
        return Shape.IMAGE_OCCLUSION
    if notetype.cloze:
        return Shape.CLOZE
    fields, templates = notetype.fields, notetype.templates
    if len(fields) < 2 or not templates or not _shows(templates[0], fields[0], fields[1]):
        return Shape.OTHER
    if len(fields) == 2 and len(templates) == 1:
        return Shape.BASIC
    if len(fields) == 2 and len(templates) == 2 and _shows(templates[1], fields[1], fields[0]):
        return Shape.REVERSED
    if len(fields) == 3 and len(templates) == 2 and _optional_reverse(templates[1], fields):
        return Shape.OPTIONAL_REVERSED
    return Shape.OTHER


OUR_GUID_PREFIX = "fc:"
_OUR_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def note_id_for_guid(guid: str) -> NoteId:
    """Our note id for an Anki note: stable across imports of the same note.

    Notes we exported carry `fc:<our id>` as their guid and get that id back.
    """
    if guid.startswith(OUR_GUID_PREFIX) and _OUR_ID.fullmatch(guid[len(OUR_GUID_PREFIX) :]):
        return NoteId(guid[len(OUR_GUID_PREFIX) :])
    return stable_id("anki", guid)


def card_id_for_ord(note_id: NoteId, shape: Shape, ord_: int) -> CardId | None:
    """Our card id for the Anki card of template/cloze `ord_` (None: no counterpart)."""
    if shape is Shape.CLOZE:
        return card_id_for(note_id, CardKind.CLOZE, ord_ + 1)
    if shape is Shape.OTHER:
        return template_card_id(note_id, ord_ + 1)
    if shape is Shape.IMAGE_OCCLUSION:
        return card_id_for(NoteId(occlusion_note_id(note_id, ord_ + 1)), CardKind.BASIC)
    if ord_ == 0:
        return card_id_for(note_id, CardKind.BASIC)
    if ord_ == 1 and shape in (Shape.REVERSED, Shape.OPTIONAL_REVERSED):
        return card_id_for(note_id, CardKind.REVERSE)
    return None


_CLOZE_OPEN = re.compile(r"\{\{c\d+::")
_NESTED = re.compile(r"\{\{c\d+::(?:(?!\}\}).)*?\{\{", re.S)  # a deletion opened inside one


def flatten_nested_clozes(text: str) -> str:
    """Anki allows `{{c1::a {{c2::b}} c}}`; our syntax does not nest, so inner deletions
    keep only their text (their cards are reported as having no counterpart)."""
    out: list[str] = []
    depth = 0
    pos = 0
    while pos < len(text):
        opener = _CLOZE_OPEN.match(text, pos)
        if opener is not None:
            if depth == 0:
                out.append(opener.group())
            depth += 1
            pos = opener.end()
        elif text.startswith("}}", pos) and depth > 0:
            depth -= 1
            if depth == 0:
                out.append("}}")
            pos += 2
        elif depth > 1 and text.startswith("::", pos):
            # an inner hint: drop it up to the inner deletion's close
            close = text.find("}}", pos)
            pos = close if close >= 0 else len(text)
        else:
            out.append(text[pos])
            pos += 1
    return "".join(out)


def _cloze_title(md: str) -> str:
    masked = _CLOZE.sub(lambda m: f"({m.group(3)})" if m.group(3) else "…", md)
    return one_line_title(masked)


def cloze_extras(
    fields: tuple[str, ...], count: int, *, rename: Callable[[str], str | None]
) -> list[str]:
    """A cloze note's fields after its text (of the `count` its note type has) as
    Markdown: its back holds the non-empty ones, a paragraph apart."""
    return [
        html_to_markdown(fields[i], rename=rename) if i < len(fields) else ""
        for i in range(1, count)
    ]


def note_block(
    note: AnkiNote,
    notetype: AnkiNotetype,
    *,
    rename: Callable[[str], str | None],
    shape: Shape | None = None,
    key: str = "",
) -> NoteBlock:
    """The Markdown note for an Anki note (`key`: its note type's key in the deck's
    front matter, for a note type that is not one of the native shapes)."""
    shape = shape if shape is not None else shape_of(notetype)
    note_id = note_id_for_guid(note.guid)
    fields = note.fields
    count = len(notetype.fields)
    if len(fields) < count:
        fields = (*fields, *[""] * (count - len(fields)))
    label = f"Anki note {note.id}"
    if shape is Shape.OTHER:
        return template_note_block(
            note, notetype, key=key, note_id=note_id, label=label, rename=rename
        )
    if shape is Shape.CLOZE:
        text = html_to_markdown(fields[0], rename=rename, allow_cloze=True) if fields else ""
        if _NESTED.search(text):
            text = flatten_nested_clozes(text)
        extra = "\n\n".join(filter(None, cloze_extras(fields, count, rename=rename)))
        title = _cloze_title(text)
        if extra:
            return NoteBlock(note_id, title, extra, prompt=text, tags=note.tags, label=label)
        return NoteBlock(note_id, title, text, tags=note.tags, label=label)
    prompt = html_to_markdown(fields[0], rename=rename) if fields else ""
    # A front with no text (an image, say) gets an empty title, which shows nothing and
    # goes back to Anki as nothing: not a made-up one such as the field's name.
    title = one_line_title(prompt, fallback="")
    body = "" if prompt == title else prompt
    reverse = shape is Shape.REVERSED or (
        shape is Shape.OPTIONAL_REVERSED and bool(fields[2].strip())
    )
    answer = html_to_markdown(fields[1], rename=rename) if len(fields) > 1 else ""
    return NoteBlock(note_id, title, answer, body, reverse, note.tags, label)
