"""The pieces every kind of note is built from: a deck file's lines (`Source`), the
`[[links]]` of a span with their line numbers, the content hash that detects a changed
note, and the fast builder of frozen `Card`s and `Note`s the parser uses for each one."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any, TypeVar

from flashcards.core.headings import Heading
from flashcards.core.links import parse_link_text
from flashcards.core.model import Card, Link, Note

_T = TypeVar("_T")

_LINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")


@dataclass(frozen=True)
class Source:
    """The lines of one deck file: originals (no line endings) and masked copies."""

    path: str
    lines: Sequence[str]
    masked: Sequence[str]


def _links(text: str, masked: str, first_line: int) -> list[Link]:
    links: list[Link] = []
    line, counted = first_line, 0
    new = object.__new__
    for m in _LINK.finditer(masked):
        start = m.start()
        line += text.count("\n", counted, start)
        counted = start
        inner = text[start + 2 : m.end() - 2]
        if "|" in inner or "#" in inner:
            link = parse_link_text(inner, line=line)
            if link is not None:
                links.append(link)
            continue
        target = inner.strip()
        if target:  # the common `[[Title]]`, built as `parse_link_text` builds it
            link = new(Link)
            object.__setattr__(
                link, "__dict__", {"target": target, "file": None, "text": None, "line": line}
            )
            links.append(link)
    return links


def _defaults(cls: type) -> dict[str, Any]:
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


_DEFAULTS: dict[type, dict[str, Any]] = {Card: _defaults(Card), Note: _defaults(Note)}
_FIELD_COUNT: dict[type, int] = {Card: len(fields(Card)), Note: len(fields(Note))}


def _fast(cls: type[_T], values: dict[str, Any]) -> _T:
    """Build a frozen Card or Note without its `__init__`; `values` becomes its `__dict__`
    (the caller hands over a dict it no longer uses).

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`:
    ~4 µs per card, a fifth of the parse time of a large library. Defaults fill any field
    `values` lacks, so a field added to the model later is never missing (tests compare
    against the real constructor).
    """
    obj = object.__new__(cls)
    if len(values) != _FIELD_COUNT[cls]:
        values = {**_DEFAULTS[cls], **values}
    object.__setattr__(obj, "__dict__", values)
    return obj


def content_hash(src: Source, heading: Heading, heading_index: int, end: int) -> str:
    """sha1 of the note's text without its id: for change detection, never identity.

    The heading enters as level, title and classes, so adding or removing the `#id`
    (or reformatting the attribute block) leaves the hash unchanged.
    """
    head = f"{'#' * heading.level} {heading.title} {' '.join(heading.classes)}"
    body = "\n".join(src.lines[heading_index + 1 : end])
    return hashlib.sha1(f"{head}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()
