"""Literal zones: fenced code, inline code and HTML comments.

Nothing inside a literal zone is deck syntax (heading, `?` separator, cloze, link,
task-list choice). The parser works on *masked* copies of the lines in which every
character of a literal zone is replaced by `MASK`, so the same column offsets index
both the masked and the original line.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from flashcards.core.errors import DeckFormatError

MASK = "\x00"
"""Stands in for literal characters: not whitespace and no deck syntax."""

FENCE_LINE = MASK
"""Kept for callers of an earlier version: masked lines now keep their length."""

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
    the column where an unclosed comment opened. Linear in the line length, however
    many backtick runs it holds.
    """
    n = len(line)
    runs: list[tuple[int, int]] = []
    by_width: dict[int, list[int]] = {}
    if "`" in line:
        runs = [m.span() for m in _BACKTICKS.finditer(line, start)]
        for s_, e_ in runs:
            by_width.setdefault(e_ - s_, []).append(s_)
    pos = start
    k = 0  # next run to consider
    com = line.find(_COMMENT_OPEN, pos)
    while pos < n:
        while k < len(runs) and runs[k][0] < pos:
            k += 1
        if 0 <= com < pos:
            com = line.find(_COMMENT_OPEN, pos)
        tick = runs[k][0] if k < len(runs) else -1
        if tick < 0 and com < 0:
            break
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
        run_end = runs[k][1]
        # The closing run is the next run of exactly the same width.
        same = by_width[run_end - tick]
        at = bisect_left(same, run_end)
        if at == len(same):
            # An unmatched backtick run is ordinary text.
            masked.append(line[pos:run_end])
            pos = run_end
            continue
        close = same[at] + (run_end - tick)
        masked.append(line[pos:tick])
        masked.append(MASK * (close - tick))
        pos = close
    masked.append(line[pos:])
    return None


def _mask_single_ticks(line: str) -> str:
    """`line` with its code spans masked, when every backtick run in it is one backtick
    and it holds no comment (the common line): each backtick closes the span the one
    before it opened, so the spans are the pairs in order (what `_mask_inline` finds)."""
    parts = line.split("`")
    pairs = (len(parts) - 1) // 2
    out = [parts[0]]
    for j in range(pairs):
        out.append(MASK * (len(parts[2 * j + 1]) + 2))
        out.append(parts[2 * j + 2])
    if len(parts) % 2 == 0:  # an odd backtick at the end is text
        out.append("`" + parts[-1])
    return "".join(out)


def mask_lines(lines: Sequence[str], *, start: int = 0, path: str = "") -> Masked:
    """Mask the literal zones of `lines[start:]` (lines before `start` are masked whole).

    Every masked line has the length of its original. Raises `DeckFormatError` for a
    code fence that never closes. An HTML comment that never closes runs to the end of
    the file, as in CommonMark; the caller warns.
    """
    out = list(lines)
    for index in range(start):
        out[index] = MASK * len(lines[index])
    # Only lines holding a backtick, a tilde or a comment marker can open, close or
    # hold a literal zone; all others are copied through untouched (the common case).
    special = [
        i
        for i in range(start, len(lines))
        if "`" in (line := lines[i]) or "~" in line or "<!--" in line or "-->" in line
    ]
    count = len(special)
    k = 0
    while k < count:
        index = special[k]
        line = lines[index]
        head = line.lstrip(" \t")[:3]
        if head == "```" or head == "~~~":
            opened = _fence_open(line)
            if opened is not None:
                char, length = opened
                close = -1
                for k2 in range(k + 1, count):
                    row = lines[special[k2]]
                    if row.lstrip(" \t")[:1] == char and _closes_fence(row, char, length):
                        close = k2
                        break
                if close < 0:
                    raise DeckFormatError(
                        path, index + 1, f"code fence {char * length} is never closed"
                    )
                for j in range(index, special[close] + 1):
                    out[j] = MASK * len(lines[j])
                k = close + 1
                continue
        if "`" not in line and "<!--" not in line:
            k += 1
            continue
        if "``" not in line and "<!--" not in line:
            out[index] = _mask_single_ticks(line)
            k += 1
            continue
        pieces: list[str] = []
        col = _mask_inline(line, 0, pieces)
        out[index] = "".join(pieces)
        k += 1
        # A comment left open runs on to the first later line holding `-->`.
        while col is not None:
            close = -1
            for k2 in range(k, count):
                if "-->" in lines[special[k2]]:
                    close = k2
                    break
            if close < 0:
                for j in range(index + 1, len(lines)):
                    out[j] = MASK * len(lines[j])
                return Masked(out, index)
            end_row = special[close]
            for j in range(index + 1, end_row):
                out[j] = MASK * len(lines[j])
            row = lines[end_row]
            end = row.index("-->") + 3
            pieces = [MASK * end]
            col = _mask_inline(row, end, pieces)
            out[end_row] = "".join(pieces)
            index = end_row
            k = close + 1
    return Masked(out, None)


def mask_text(text: str) -> str:
    """`text` with every literal-zone character replaced by `MASK` (same offsets).

    Never raises: a code fence that never closes runs to the end of the text, as in
    CommonMark (the parser rejects such decks; a preview of half-typed text must not).
    """
    if "`" not in text and "~" not in text and "<!--" not in text:
        return text
    lines = text.split("\n")
    try:
        return "\n".join(mask_lines(lines).lines)
    except DeckFormatError as error:
        opened = (error.line or 1) - 1
        head = mask_lines(lines[:opened]).lines
        tail = [MASK * len(line) for line in lines[opened:]]
        return "\n".join(head + tail)
