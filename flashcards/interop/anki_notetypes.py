"""Anki note types as the deck format's note types, and their notes as field blocks.

A note type that is not one of the shapes the deck format writes natively (Basic,
Basic and reversed, optional reversed, Cloze) comes in whole: its fields and its
templates, turned from HTML into Markdown, are declared in the deck's front matter
(`notetypes:`), and each note names it (`{notetype=KEY}`) and writes its fields as
`Name: value` blocks. Our parser then makes the same cards Anki makes (one per template
whose front shows a non-empty field), rendered from the same templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from flashcards.core.card_templates import SPECIAL_FIELDS, TemplateError, parse_template, referenced
from flashcards.core.errors import DeckFormatError, InteropError
from flashcards.core.model import NoteId
from flashcards.core.notetypes import NOTETYPES_KEY, label_pattern, read_notetypes
from flashcards.interop.anki_db import AnkiNote, AnkiNotetype
from flashcards.interop.deck_writer import NoteBlock, slug
from flashcards.interop.html_md import html_to_markdown, one_line_title

_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"\{\{.*?\}\}", re.S)
_HOLD_OPEN, _HOLD_CLOSE = "\ue030", "\ue031"
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")
_ANKI_EMPTY = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.I)  # Anki's field_is_empty
_FENCE = ("```", "~~~")


def notetype_keys(
    notetypes: Iterable[AnkiNotetype], *, taken: set[str] | None = None
) -> dict[int, str]:
    """A distinct front-matter key for each note type (by id): its name as a slug, none
    of those `taken` already."""
    taken = set(taken or ())
    out: dict[int, str] = {}
    for nt in sorted(notetypes, key=lambda n: (n.name.casefold(), n.id)):
        base = slug(nt.name, fallback="notetype")
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        out[nt.id] = key
    return out


def template_markdown(template_html: str) -> str:
    """A template's HTML as Markdown, its `{{…}}` tags kept exactly (scripts and styles
    dropped: the deck format has no place for them)."""
    text = _DROP.sub("", template_html)
    tags: list[str] = []

    def hold(m: re.Match[str]) -> str:
        tags.append(m.group())
        return f"{_HOLD_OPEN}{len(tags) - 1}{_HOLD_CLOSE}"

    md = html_to_markdown(_TAG.sub(hold, text), allow_cloze=True)
    return _HELD.sub(lambda m: tags[int(m.group(1))], md)


def definition(notetype: AnkiNotetype) -> dict[str, object]:
    """The front-matter entry for an Anki note type: name, fields, templates as Markdown.

    A template reference to a field the note type lacks (Anki shows an error there) is
    dropped, so the definition reads back without error."""
    fields = list(notetype.fields)
    known = set(fields) | SPECIAL_FIELDS
    templates: list[dict[str, str]] = []
    for template in notetype.templates:
        front = _known_only(template_markdown(template.qfmt), known)
        back = _known_only(template_markdown(template.afmt), known)
        templates.append({"name": template.name, "front": front, "back": back})
    return {"name": notetype.name, "fields": fields, "templates": templates}


def declared_definitions(
    notetypes: Iterable[AnkiNotetype], keys: Mapping[int, str], *, source: str
) -> dict[str, dict[str, object]]:
    """The front-matter entry of each note type, by its key; `InteropError` naming the
    package `source` and the Anki note type where the deck format cannot declare one
    (a hand-made package: Anki itself refuses such note types), not the deck file the
    import would have written."""
    out: dict[str, dict[str, object]] = {}
    for notetype in notetypes:
        key = keys[notetype.id]
        entry = definition(notetype)
        try:
            read_notetypes({NOTETYPES_KEY: {key: entry}}, path=source)
        except DeckFormatError as exc:
            reason = exc.message.removeprefix(f"note type '{key}': ")
            raise InteropError(source, f"Anki note type '{notetype.name}': {reason}") from None
        out[key] = entry
    return out


def _known_only(template: str, known: set[str]) -> str:
    try:
        if referenced(parse_template(template)) <= known | {""}:
            return template
    except TemplateError:
        return _TAG.sub("", template)  # unbalanced sections: Anki could not show it either

    def keep(m: re.Match[str]) -> str:
        inner = m.group()[2:-2].strip().lstrip("#^/").strip()
        return m.group() if inner.split(":")[-1].strip() in known | {""} else ""

    return _TAG.sub(keep, template)


def _escape_labels(md: str, label: re.Pattern[str]) -> str:
    """A field value whose lines would read as another field's `Name:` label, escaped
    (`Name&#58;` shows a colon), except inside code fences."""
    if ":" not in md:
        return md
    lines = md.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(_FENCE):
            fenced = not fenced
            continue
        if not fenced:
            m = label.match(line)
            if m is not None:
                lines[i] = f"{m.group(1)}&#58;{line[m.end() :]}"
    return "\n".join(lines)


@lru_cache(maxsize=64)
def _as_declared(fields: tuple[str, ...]) -> bool:
    """Whether the deck's note type names `fields` as they are (it strips their spaces)."""
    return all(name == name.strip() for name in fields)


def template_note_block(
    note: AnkiNote,
    notetype: AnkiNotetype,
    *,
    key: str,
    note_id: NoteId,
    label: str,
    rename: Callable[[str], str | None],
) -> NoteBlock:
    """The note as a heading naming its note type and its fields as `Name: value` blocks."""
    names = notetype.fields
    values = list(note.fields) + [""] * (len(names) - len(note.fields))
    pattern = label_pattern(names)
    md: list[str] = []
    for raw in values[: len(names)]:
        text = html_to_markdown(raw, rename=rename) if raw else ""
        if not text.strip() and not _ANKI_EMPTY.match(raw):
            text = "&nbsp;"  # not empty to Anki (an entity, say): not empty here either
        md.append(_escape_labels(text, pattern))
    # The first field's text, else the first text of another; else none (an image, say):
    # the title shows in lists, never on the card, and an invented one would read as text.
    title = next((t for t in (one_line_title(v, fallback="") for v in md if v.strip()) if t), "")
    lines: list[str] = []
    read: list[str] = []  # each value as the parser reads these lines back
    for index, (name, value) in enumerate(zip(names, md, strict=False)):
        if index == 0 and value == title:
            read.append(title)  # the heading is the first field
            continue
        if not value.strip():
            if index == 0:
                lines.append(f"{name}:")  # empty, not the title
            read.append("")
            continue
        read.append(value)
        # A field named Tags goes below its label: `Tags: …` as the body's last line
        # would read as the note's tags (deck-format rule 16).
        if "\n" in value or value[:1] in (" ", "\t") or name == "Tags":
            lines.append(f"{name}:\n{value}")
        else:
            lines.append(f"{name}: {value}")
    known = tuple(read) if _as_declared(names) else ()
    return NoteBlock(
        note_id, title, "\n".join(lines), tags=note.tags, label=label, notetype=key, fields=known
    )
