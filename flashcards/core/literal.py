"""Literal zones: fenced code, inline code and HTML comments.

Nothing inside a literal zone is deck syntax (heading, `?` separator, cloze, link,
task-list choice). The parser works on *masked* copies of the lines in which every
character of a literal zone is replaced by `MASK`, so the same column offsets index
both the masked and the original line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flashcards.core.errors import DeckFormatError

MASK = "\x00"
"""Stands in for literal characters: not whitespace and no deck syntax."""

FENCE_LINE = MASK
"""The masked form of every line of a fenced code block, fences included."""

_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
_BACKTICKS = re.compile(r"`+")
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


@dataclass(frozen=True)
class Masked:
    """The masked lines (same length as the input) and any unclosed-comment line."""

    lines: list[str]
    unclosed_comment: int | None = None  # 0-based index of a `<!--` that never closes


def _fence_open(line: str) -> tuple[str, int] | None:
    """(fence char, fence length) if `line` opens a fenced code block."""
    m = _FENCE_OPEN.fullmatch(line)
    if m is None:
        return None
    fence = m.group(1)
    # A backtick fence's info string may not hold backticks (CommonMark), else it is
    # inline code such as ```` ```a``` ````.
    if fence[0] == "`" and "`" in m.group(2):
        return None
    return fence[0], len(fence)


def _closes_fence(line: str, char: str, length: int) -> bool:
    stripped = line.strip(" \t")
    return len(stripped) >= length and stripped == char * len(stripped)


def _mask_inline(line: str, start: int, masked: list[str]) -> int | None:
    """Mask inline code and comments in `line` from column `start`.

    Appends pieces to `masked`; returns None when the line ends outside a comment, or
    the column where an unclosed comment opened.
    """
    pos = start
    n = len(line)
    while pos < n:
        tick = line.find("`", pos)
        com = line.find(_COMMENT_OPEN, pos)
        if tick < 0 and com < 0:
            masked.append(line[pos:])
            return None
        if com >= 0 and (tick < 0 or com < tick):
            masked.append(line[pos:com])
            end = line.find(_COMMENT_CLOSE, com + 4)
            if end < 0:
                masked.append(MASK * (n - com))
                return com
            end += 3
            masked.append(MASK * (end - com))
            pos = end
            continue
        run = _BACKTICKS.match(line, tick)
        assert run is not None
        width = run.end() - tick
        close = tick
        # Look for a closing run of exactly the same width on this line.
        search = run.end()
        while True:
            other = _BACKTICKS.search(line, search)
            if other is None:
                close = -1
                break
            if other.end() - other.start() == width:
                close = other.end()
                break
            search = other.end()
        if close < 0:
            # An unmatched backtick run is ordinary text.
            masked.append(line[pos : run.end()])
            pos = run.end()
            continue
        masked.append(line[pos:tick])
        masked.append(MASK * (close - tick))
        pos = close
    return None


def mask_lines(lines: Sequence[str], *, start: int = 0, path: str = "") -> Masked:
    """Mask the literal zones of `lines[start:]` (lines before `start` are masked whole).

    Raises `DeckFormatError` for a code fence that never closes. An HTML comment that
    never closes runs to the end of the file, as in CommonMark; the caller warns.
    """
    out: list[str] = [FENCE_LINE] * start
    append = out.append
    fence: tuple[str, int, int] | None = None  # char, length, opening index
    in_comment = False
    unclosed: int | None = None
    comment_start = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None:
            append(FENCE_LINE)
            if (
                line
                and line.lstrip(" \t")[:1] == fence[0]
                and _closes_fence(line, fence[0], fence[1])
            ):
                fence = None
            continue
        if in_comment:
            end = line.find(_COMMENT_CLOSE)
            if end < 0:
                append(MASK * len(line))
                continue
            end += 3
            in_comment = False
            pieces = [MASK * end]
        else:
            head = line.lstrip(" \t")[:3]
            if head == "```" or head == "~~~":
                opened = _fence_open(line)
                if opened is not None:
                    fence = (opened[0], opened[1], index)
                    append(FENCE_LINE)
                    continue
            if "`" not in line and "<" not in line:
                append(line)
                continue
            end = 0
            pieces = []
        col = _mask_inline(line, end, pieces)
        if col is not None:
            in_comment = True
            comment_start = index
        append("".join(pieces))
    if fence is not None:
        raise DeckFormatError(
            path, fence[2] + 1, f"code fence {fence[0] * fence[1]} is never closed"
        )
    if in_comment:
        unclosed = comment_start
    return Masked(out, unclosed)
