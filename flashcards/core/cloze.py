"""Cloze deletions: `{{text}}`, `{{text::hint}}`, `{{c2::text}}`, `{{c2::text::hint}}`.

Unnumbered deletions each get their own number: once the explicit numbers of a note
are known, every unnumbered deletion takes the next unused number in reading order.
Cards carry the *numbered* form (`{{c3::text}}`), so a renderer never has to redo
the numbering; `iter_clozes` reads that form back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flashcards.core.errors import DeckFormatError
from flashcards.core.literal import mask_text

_NUMBERED = re.compile(r"c(\d{1,9})::")
# Anki's `c` is lowercase only: `{{C2::x}}` is text there (shown as written, no card).
_UPPER = re.compile(r"C\d{1,9}::")


@dataclass(frozen=True)
class Cloze:
    """One deletion; `start`/`end` are offsets of `{{` and after `}}` in the text."""

    start: int
    end: int
    number: int | None  # None until numbered
    text: str
    hint: str | None


def find_clozes(text: str, masked: str, *, path: str = "", first_line: int = 1) -> list[Cloze]:
    """The deletions in `text`, found in `masked` (literal zones masked, same offsets).

    Raises `DeckFormatError` for `{{` that never closes, an empty deletion or `c0`.
    """
    found: list[Cloze] = []
    pos = masked.find("{{")
    line, counted = first_line, 0  # line numbers counted incrementally: stays linear
    while pos >= 0:
        close = masked.find("}}", pos + 2)
        line += text.count("\n", counted, pos)
        counted = pos
        if close < 0:
            raise DeckFormatError(path, line, "cloze '{{' is never closed with '}}'")
        inner = text[pos + 2 : close]
        if _UPPER.match(inner):  # text, as in Anki
            pos = masked.find("{{", close + 2)
            continue
        number = None
        numbered = _NUMBERED.match(inner)
        if numbered is not None:
            number = int(numbered.group(1))
            if number < 1:
                raise DeckFormatError(path, line, "cloze numbers start at c1")
            inner = inner[numbered.end() :]
        body, sep, hint = inner.partition("::")
        if not body.strip():
            raise DeckFormatError(path, line, "cloze deletion has no text")
        found.append(Cloze(pos, close + 2, number, body, hint if sep else None))
        pos = masked.find("{{", close + 2)
    return found


def number_clozes(groups: list[list[Cloze]]) -> list[list[Cloze]]:
    """Give every unnumbered deletion the next unused number, in reading order."""
    used = {c.number for group in groups for c in group if c.number is not None}
    next_number = 1
    out: list[list[Cloze]] = []
    for group in groups:
        numbered: list[Cloze] = []
        for c in group:
            if c.number is None:
                while next_number in used:
                    next_number += 1
                used.add(next_number)
                c = Cloze(c.start, c.end, next_number, c.text, c.hint)
            numbered.append(c)
        out.append(numbered)
    return out


def write_numbers(text: str, clozes: list[Cloze]) -> str:
    """`text` with every deletion written in its numbered form `{{cN::text[::hint]}}`."""
    if not clozes:
        return text
    pieces: list[str] = []
    pos = 0
    for c in clozes:
        pieces.append(text[pos : c.start])
        hint = "" if c.hint is None else f"::{c.hint}"
        pieces.append(f"{{{{c{c.number}::{c.text}{hint}}}}}")
        pos = c.end
    pieces.append(text[pos:])
    return "".join(pieces)


_CARD_CLOZE = re.compile(r"\{\{c(\d{1,9})::(.*?)\}\}", re.DOTALL)


def iter_clozes(text: str) -> Iterator[Cloze]:
    """The numbered deletions (`{{cN::text[::hint]}}`) in a card's Markdown, in order.

    For renderers: card text always carries the numbered form. Literal zones are
    skipped. Never raises.
    """
    masked = mask_text(text)
    if "{{" not in masked:
        return
    for m in _CARD_CLOZE.finditer(masked):
        body, sep, hint = text[m.start(2) : m.end(2)].partition("::")
        yield Cloze(m.start(), m.end(), int(m.group(1)), body, hint if sep else None)


def mask_cloze(text: str, number: int | None) -> str:
    """`text` with deletion `number` written as `[…]` (or `[hint]`) and every other
    deletion as its plain text: the question side as Markdown. Never raises."""
    pieces: list[str] = []
    pos = 0
    for c in iter_clozes(text):
        pieces.append(text[pos : c.start])
        if c.number == number:
            pieces.append(f"[{c.hint.strip() if c.hint and c.hint.strip() else '…'}]")
        else:
            pieces.append(c.text)
        pos = c.end
    pieces.append(text[pos:])
    return "".join(pieces)
