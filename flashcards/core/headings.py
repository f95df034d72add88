"""ATX heading lines and their `{#id .class key=value}` attribute block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.core.errors import DeckFormatError

HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
"""An ATX heading opener (CommonMark: up to 3 spaces, 1–6 `#`, then space or end)."""

_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_ATTRS = re.compile(r"(?:^|[ \t]+)\{:?[ \t]*([^{}\n]*?)[ \t]*\}[ \t]*$")
_TOKEN = re.compile(r"""#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+)""")
_TOKENS = re.compile(
    r"""(?:#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+))"""
    r"""(?:[ \t]+(?:#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+)))*"""
)
ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Heading:
    """A parsed heading line. Offsets are columns in the line."""

    level: int
    title: str  # text without closing hashes and attribute block, stripped
    title_span: tuple[int, int]  # columns of `title` in the line
    id: str | None
    classes: tuple[str, ...]
    text_end: int  # column after the title text (where ` {#id}` is inserted)
    attrs: tuple[int, int] | None  # columns of the `{...}` block, braces included
    id_span: tuple[int, int] | None  # columns of the `#id` token


def parse_heading(masked: str, line: str, *, path: str = "", number: int = 0) -> Heading | None:
    """Parse `line` as a heading, using `masked` (same columns) to find syntax.

    Returns None when the line is not a heading. Raises `DeckFormatError` for a
    malformed id (two ids, or characters other than letters, digits, `-`, `_`).
    """
    opener = HEADING.match(masked)
    if opener is None:
        return None
    level = len(opener.group(1))
    start = opener.end()
    content = masked[start:].rstrip(" \t")
    closing = _CLOSING.search(content)
    if closing is not None:
        content = content[: closing.start()]
    attrs = None
    id_ = None
    id_span = None
    classes: list[str] = []
    block = _ATTRS.search(content)
    if block is not None and _TOKENS.fullmatch(block.group(1)) is not None:
        open_col = content.index("{", block.start())
        attrs = (start + open_col, start + content.rindex("}") + 1)
        for token in _TOKEN.finditer(block.group(1)):
            value = token.group()
            if value[0] == "#":
                if id_ is not None:
                    raise DeckFormatError(path, number, "heading has two ids")
                id_ = value[1:]
                if ID_CHARS.fullmatch(id_) is None:
                    raise DeckFormatError(
                        path, number, f"id '{id_}' may hold only letters, digits, '-' and '_'"
                    )
                offset = start + block.start(1) + token.start()
                id_span = (offset, offset + len(value))
            elif value[0] == ".":
                classes.append(value[1:])
        content = content[: block.start()]
    end = start + len(content)
    raw = line[start:end]
    title = raw.strip(" \t")
    t0 = start + len(raw) - len(raw.lstrip(" \t"))
    return Heading(
        level=level,
        title=title,
        title_span=(t0, t0 + len(title)),
        id=id_,
        classes=tuple(classes),
        text_end=end,
        attrs=attrs,
        id_span=id_span,
    )
