"""Note types: several cards from one note's fields, each card a template's view of them.

A deck declares its note types in the front matter (`notetypes:`); a note uses one with
`{notetype=KEY}` in its heading and writes its fields as `Name: value` blocks. Each
template whose front shows a non-empty field (Anki's rule) makes one card: template 1
has the note's id, template n the id `note:tn`. The full rules are in
`docs/deck-format.md` (rules 25–28).

```markdown
---
notetypes:
  vocab:
    name: Vocabulary (+IPA)
    fields: [Word, IPA, Meaning]
    templates:
      - name: Card 1
        front: "{{Word}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{IPA}}\\n\\n{{Meaning}}"
      - name: Card 2
        front: "{{Meaning}}"
        back: "{{FrontSide}}\\n\\n---\\n\\n{{Word}}"
---

## maison {#k3f9q2 notetype=vocab}
IPA: /mɛ.zɔ̃/
Meaning: house
```
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from flashcards.core.card_templates import (
    SPECIAL_FIELDS,
    TYPE_OPEN,
    CardContext,
    Node,
    Parts,
    Replace,
    Section,
    TemplateError,
    fill,
    is_empty,
    parse_template,
    plain_parts,
    referenced,
    render,
    renders,
    with_expected_answers,
    without_type_marks,
)
from flashcards.core.errors import DeckFormatError

NOTETYPES_KEY = "notetypes"
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")
_BAD_FIELD_CHARS = re.compile(r"[:{}\"\n\r]")


@dataclass(frozen=True)
class CardTemplate:
    """One card of a note type: its name and the Markdown of its two sides."""

    name: str
    front: str
    back: str
    front_nodes: tuple[Node, ...] = ()
    back_nodes: tuple[Node, ...] = ()


@dataclass(frozen=True)
class NoteType:
    """A note type as a deck declares it (`key` is what headings name)."""

    key: str
    name: str
    fields: tuple[str, ...]
    templates: tuple[CardTemplate, ...]
    digest: str = ""  # sha1 of the definition: part of each note's content hash

    @property
    def label(self) -> re.Pattern[str]:
        """A line that starts a field: `Name:` then a space or the end of the line."""
        return label_pattern(self.fields)

    @cached_property
    def front_names(self) -> frozenset[str]:
        """Every field or section name the templates' fronts read."""
        return frozenset(name for t in self.templates for name in referenced(t.front_nodes))

    @cached_property
    def plans(self) -> tuple[_Plan, ...]:
        """What `note_cards` needs of each template, worked out once per note type."""
        return tuple(
            _Plan(
                t,
                any(isinstance(n, Replace) and "type" in n.filters for n in _flat(t.back_nodes)),
                plain_parts(t.front_nodes, self.fields),
                plain_parts(t.back_nodes, self.fields),
            )
            for t in self.templates
        )


class _Plan(NamedTuple):
    """A template, whether its back asks to type an answer, and its sides as `fill`
    renders them (None: `render` them)."""

    template: CardTemplate
    asks_type: bool
    front: Parts | None
    back: Parts | None


_LABELS: dict[tuple[str, ...], re.Pattern[str]] = {}


def label_pattern(fields: tuple[str, ...]) -> re.Pattern[str]:
    """`Name:` (then a space, a tab or the line's end) of one of `fields`, compiled once
    per set of names."""
    pattern = _LABELS.get(fields)
    if pattern is None:
        names = "|".join(re.escape(f) for f in sorted(fields, key=len, reverse=True))
        pattern = re.compile(f"({names}):(?=[ \\t]|$)")
        _LABELS[fields] = pattern
    return pattern


def _line_of(lines: Sequence[str], key: str, default: int) -> int:
    """The 1-based line of `key:` in the front matter, for error messages."""
    pattern = re.compile(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:")
    for index, line in enumerate(lines):
        if pattern.match(line):
            return index + 1
    return default


def read_notetypes(
    meta: Mapping[str, object], *, path: str, lines: Sequence[str] = ()
) -> dict[str, NoteType]:
    """The note types declared under `notetypes:` in a deck's front matter.

    Raises `DeckFormatError` naming the note type and what is wrong with it.
    """
    raw = meta.get(NOTETYPES_KEY)
    if raw is None:
        return {}
    top = _line_of(lines, NOTETYPES_KEY, 1)
    if not isinstance(raw, dict):
        raise DeckFormatError(path, top, "notetypes must map a key to each note type")
    out: dict[str, NoteType] = {}
    for key, spec in raw.items():
        key = str(key)
        line = _line_of(lines, key, top)
        out[key] = _read_one(key, spec, path=path, line=line)
    return out


def _read_one(key: str, spec: object, *, path: str, line: int) -> NoteType:
    def fail(message: str) -> DeckFormatError:
        return DeckFormatError(path, line, f"note type '{key}': {message}")

    if _KEY.fullmatch(key) is None:
        raise fail("a key holds only letters, digits and _ . + - (no spaces)")
    if not isinstance(spec, dict):
        raise fail("must be a mapping with fields and templates")
    name = spec.get("name", key)
    fields = spec.get("fields")
    templates = spec.get("templates")
    if not isinstance(fields, list) or not fields:
        raise fail("'fields' must be a list of field names")
    names = tuple(str(f).strip() for f in fields)
    for field_name in names:
        if not field_name or _BAD_FIELD_CHARS.search(field_name):
            raise fail(f"field name {field_name!r} must be non-empty, without : {{ }} or quotes")
    if len(set(names)) != len(names):
        raise fail("two fields have the same name")
    if not isinstance(templates, list) or not templates:
        raise fail("'templates' must be a list of {name, front, back}")
    known = set(names) | SPECIAL_FIELDS
    cards: list[CardTemplate] = []
    for number, t in enumerate(templates, 1):
        if not isinstance(t, dict) or "front" not in t:
            raise fail(f"template {number} must be a mapping with front (and back)")
        front, back = str(t.get("front") or ""), str(t.get("back") or "")
        try:
            front_nodes, back_nodes = parse_template(front), parse_template(back)
        except TemplateError as exc:
            raise fail(f"template {number}: {exc}") from None
        if not (_names(front_nodes) & set(names)):
            raise fail(f"template {number}'s front names no field, so it can never make a card")
        unknown = sorted((_names(front_nodes) | _names(back_nodes)) - known - {""})
        if unknown:
            raise fail(f"template {number} names unknown fields: {', '.join(unknown)}")
        cards.append(
            CardTemplate(
                str(t.get("name") or f"Card {number}"), front, back, front_nodes, back_nodes
            )
        )
    digest = hashlib.sha1(
        json.dumps(
            [key, str(name), names, [(c.name, c.front, c.back) for c in cards]], ensure_ascii=False
        ).encode("utf-8", "surrogatepass")
    ).hexdigest()
    return NoteType(key, str(name), names, tuple(cards), digest)


def _names(nodes: Sequence[Node]) -> set[str]:
    return referenced(nodes)


def read_fields(
    notetype: NoteType,
    lines: Sequence[str],
    masked: Sequence[str],
    start: int,
    end: int,
    *,
    title: str,
    path: str,
) -> dict[str, str]:
    """A note's field values from its body lines [start, end) (the tags line excluded).

    `Name:` at the start of a line (outside code and comments) starts a field; text
    before the first such line belongs to the first field; without either, the first
    field is the heading's title. Raises `DeckFormatError` for a field given twice.
    """
    # Once per note of every note-type deck: inlined where that pays (one-line fields).
    match = notetype.label.match
    values: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    current: list[str] = []
    first = notetype.fields[0]
    lead = current
    for index in range(start, end):
        row = masked[index]
        m = match(row) if ":" in row else None
        if m is None:
            current.append(lines[index])
            continue
        name = m.group(1)
        if name in values or (name == first and lead and _text(lead)):
            before = where.get(name, start + 1)
            raise DeckFormatError(
                path, index + 1, f"field '{name}' is given twice (first on line {before})"
            )
        current = [lines[index][m.end() :].lstrip(" \t")]
        values[name] = current
        where[name] = index + 1
    out: dict[str, str] = {}
    for name, parts in values.items():
        if len(parts) == 1:
            value = parts[0]
            out[name] = value if value.strip() else ""
        else:
            out[name] = _text(parts)
    if first not in out:
        lead_text = _text(lead)
        out[first] = lead_text if lead_text else title
    if len(out) != len(notetype.fields):
        for name in notetype.fields:
            out.setdefault(name, "")
    return out


def _text(lines: list[str]) -> str:
    """The lines joined, without blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


class TemplateSide(NamedTuple):
    """One card a note type gives a note: its template number (1-based) and its sides.
    (A NamedTuple: one is built per card of every note-type note.)"""

    number: int
    prompt: str
    answer: str


def note_cards(
    notetype: NoteType,
    fields: Mapping[str, str],
    *,
    tags: tuple[str, ...] = (),
    deck: str = "",
    keep: tuple[int, ...] = (),
) -> list[TemplateSide]:
    """The cards the note type's templates make of these fields, by Anki's rule, and
    those of the templates numbered in `keep` whose fronts show nothing for them: empty
    cards Anki kept (its Empty Cards deletes them), shown with a line that says so."""
    # (only the fronts' names: whether a card is made reads no other)
    nonempty = {
        name
        for name in notetype.front_names
        if (value := fields.get(name)) is not None and not is_empty(value)
    }
    out: list[TemplateSide] = []
    for number, (template, asks_type, front_parts, back_parts) in enumerate(notetype.plans, 1):
        kept = False
        if not renders(template.front_nodes, nonempty):
            if number not in keep:
                continue
            kept = True
        # What the special fields show: read only by a side `fill` cannot take.
        context = None
        front = fill(front_parts, fields) if front_parts is not None else None
        if front is None:
            context = CardContext(tags, deck, template.name, notetype.name)
            front = render(template.front_nodes, fields, context=context)
        if kept:
            front = empty_card_note(template.name, number) + ("\n\n" + front if front else "")
        if asks_type:
            frontside = without_type_marks(front)
        else:
            frontside = with_expected_answers(front, fields) if TYPE_OPEN in front else front
        back = fill(back_parts, fields, frontside) if back_parts is not None else None
        if back is None:
            context = context or CardContext(tags, deck, template.name, notetype.name)
            back = render(
                template.back_nodes, fields, context=context, frontside=frontside, back=True
            )
        out.append(TemplateSide(number, front, back))
    return out


def empty_card_note(template: str, number: int) -> str:
    """The line an empty card that was kept shows above whatever its template shows."""
    return (
        f"*(An empty card: template {number}, “{template}”, shows no field of this note. "
        f"Anki kept it; remove {number} from `keep=` in the heading to delete it.)*"
    )


def _flat(nodes: Sequence[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        if isinstance(node, Section):
            out.extend(_flat(node.children))
    return out
