"""ATX heading lines and their `{#id .class key=value}` attribute block."""

from __future__ import annotations

import re
from typing import NamedTuple

from flashcards.core.errors import DeckFormatError
from flashcards.core.literal import MASK

HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
"""An ATX heading opener (CommonMark: up to 3 spaces, 1–6 `#`, then space or end)."""

_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_TOKEN = re.compile(r"""#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+)""")
_TOKENS = re.compile(
    r"""(?:#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+))"""
    r"""(?:[ \t]+(?:#[^\s{}#.]+|\.[^\s{}#.]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}"']+)))*"""
)
ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")
# An attribute block of one valid id first, then only classes (nearly every card heading).
_ID_FIRST = re.compile(r"#([A-Za-z0-9_-]+)((?:[ \t]+\.[^\s{}#.]+)*)")


class Heading(NamedTuple):
    """A parsed heading line. Offsets are columns in the line.

    A NamedTuple rather than a frozen dataclass: one is built per heading and the
    dataclass constructor would be a tenth of the parse time.
    """

    level: int
    title: str  # text without closing hashes and attribute block, stripped
    title_span: tuple[int, int]  # columns of `title` in the line
    id: str | None
    classes: tuple[str, ...]
    text_end: int  # column after the title text (where ` {#id}` is inserted)
    attrs: tuple[int, int] | None  # columns of the `{...}` block, braces included
    id_span: tuple[int, int] | None  # columns of the `#id` token
    notetype: str | None = None  # `notetype=KEY`: the note uses its deck's note type KEY
    keep: tuple[int, ...] = ()  # `keep=2,3`: template cards kept though their fronts are empty


def _before_open_comment(content: str, raw: str) -> str:
    """`content` without a comment that opens at the end of the heading line and does
    not close on it: it runs on past the line (to the end of the file if it never
    closes), so the title, and the id written after it, end before its `<!--`. A comment
    closed on the line stays part of the text."""
    run = len(content) - len(content.rstrip(MASK))
    opened = len(content) - run
    if raw.startswith("<!--", opened) and "-->" not in raw[opened + 4 :]:
        return content[:opened].rstrip(" \t")
    return content


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
    if content[-1:] == MASK:
        content = _before_open_comment(content, line[start:])
    # The regexes below only matter for a heading ending in `#` or `}`.
    if content[-1:] == "#":
        closing = _CLOSING.search(content)
        if closing is not None:
            content = content[: closing.start()].rstrip(" \t")
    attrs = None
    id_ = None
    id_span = None
    classes: list[str] = []
    notetype: str | None = None
    keep: tuple[int, ...] = ()
    if content[-1:] == "}":
        open_col = content.rfind("{")
        inner_start = open_col + 1
        if content[inner_start : inner_start + 1] == ":":
            inner_start += 1
        inner = content[inner_start:-1]
        tokens = inner.strip(" \t")
        inner_start += len(inner) - len(inner.lstrip(" \t"))
        simple = _ID_FIRST.fullmatch(tokens)
        if (
            simple is not None
            and open_col >= 0
            and (open_col == 0 or content[open_col - 1] in " \t")
        ):
            # The usual block, `{#id}` or `{#id .class}`: what the general path finds.
            attrs = (start + open_col, start + len(content))
            id_ = simple.group(1)
            offset = start + inner_start
            id_span = (offset, offset + 1 + len(id_))
            if simple.group(2):
                classes = [c[1:] for c in simple.group(2).split()]
            content = content[:open_col].rstrip(" \t")
        elif (
            open_col >= 0
            and (open_col == 0 or content[open_col - 1] in " \t")
            and _TOKENS.fullmatch(tokens) is not None
        ):
            attrs = (start + open_col, start + len(content))
            for token in _TOKEN.finditer(tokens):
                value = token.group()
                if value[0] == "#":
                    if id_ is not None:
                        raise DeckFormatError(path, number, "heading has two ids")
                    id_ = value[1:]
                    if ID_CHARS.fullmatch(id_) is None:
                        raise DeckFormatError(
                            path, number, f"id '{id_}' may hold only letters, digits, '-' and '_'"
                        )
                    offset = start + inner_start + token.start()
                    id_span = (offset, offset + len(value))
                elif value[0] == ".":
                    classes.append(value[1:])
                elif value.startswith("notetype="):
                    notetype = value[9:].strip("\"'")
                elif value.startswith("keep="):
                    keep = _template_numbers(value[5:].strip("\"'"), path=path, number=number)
            content = content[:open_col].rstrip(" \t")
    end = start + len(content)
    raw = line[start:end]
    title = raw.strip(" \t")
    t0 = start + len(raw) - len(raw.lstrip(" \t"))
    return Heading(
        level,
        title,
        (t0, t0 + len(title)),
        id_,
        tuple(classes),
        end,
        attrs,
        id_span,
        notetype,
        keep,
    )


def _template_numbers(value: str, *, path: str, number: int) -> tuple[int, ...]:
    """`keep=`'s template numbers (`2,3`), in order, each once."""
    parts = [p.strip() for p in value.split(",")]
    if not all(p.isascii() and p.isdigit() and int(p) >= 1 for p in parts):
        raise DeckFormatError(
            path, number, f"keep={value!r}: template numbers from 1, separated by commas"
        )
    return tuple(sorted({int(p) for p in parts}))
