"""Bounded rendering: how deep Markdown may nest and how long one card may take.

python-markdown parses nested blocks by recursion, and every level reads the rest of
its block again: a list nested 500 deep on one line (`- - - … x`, 1 KB) or 800
indented lines exhausts Python's stack, and 5,000 nested lines take minutes. A card
from a stranger's deck must not freeze or crash the app, so the block parser of each
converter is guarded (`guard_markdown`):

- nesting: more than `MAX_NESTING` levels of blocks (lists, quotes) inside each other
  stops the conversion — no real card nests a tenth as deep; a line indented more
  than `MAX_INDENT` columns is refused before converting (`check_indent`);
- size: python-markdown builds a tree of the whole text before its inline pass, and
  one table or list is a single block (a 2,000 x 1,000 table, 4 MB, took 31 s and 780 MB
  in one card), so a text with more than `MAX_TEXT_CHARS` characters, `MAX_TABLE_CELLS`
  table cell marks (`|`) or `MAX_LIST_ITEMS` list items outside code is refused before
  converting (`check_size`); under these it lays out in about a second;
- time: a card (or a Markdown page) has `TIME_BUDGET_S` seconds (`time_budget`); the
  parser checks before every block, before the inline patterns run on each piece of
  text (a table cell, a list item) and before every inline match, and stops when it is
  spent.

Any of them raises `RenderLimitError`; `render.py` then shows the card's Markdown source as
text under a one-line reason (`source_html`) instead of the card.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor

from flashcards.core.errors import FlashcardsError
from flashcards.core.render_theme import MUTED_COLOUR

MAX_NESTING = 48
"""Blocks inside blocks (python-markdown parses each list item's body, each quote's
content as a nested block sequence; a list item nested 10 deep is about 20 levels)."""
TIME_BUDGET_S = 3.0
"""Seconds one card or page may spend in the Markdown converter (a card takes ~2 ms)."""
MAX_INDENT = 100
"""Columns of indentation (quote marks count) a line may have: 50 levels at 2 spaces."""
MAX_TEXT_CHARS = 1_000_000
"""Characters of one card's text (or a Markdown page): a long card is a few thousand."""
MAX_TABLE_CELLS = 50_000
"""`|` marks outside code in one text (a table's cells and borders): ~1 s of layout."""
MAX_LIST_ITEMS = 20_000
"""List items (`- `, `* `, `+ `, `1. `, `1) ` lines) outside code in one text: ~0.5 s."""
MAX_SOURCE_SHOWN = 20_000
"""Characters of the source shown in place of a card that cannot render."""

_local = threading.local()
_DEEP_INDENT = re.compile(f"^[ \\t>]{{{MAX_INDENT // 4 + 1},}}", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)


class RenderLimitError(FlashcardsError):
    """A text that cannot be rendered within the limits; `reason` says why in one line."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@contextmanager
def time_budget(seconds: float = TIME_BUDGET_S) -> Iterator[None]:
    """Convert Markdown for at most `seconds` in this block (one card or page); a block
    inside another keeps the outer one's deadline."""
    if getattr(_local, "deadline", None) is not None:
        yield
        return
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = None


def check_time() -> None:
    """Raise `RenderLimitError` once the current budget is spent."""
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise RenderLimitError(f"it takes more than {TIME_BUDGET_S:g} seconds to lay out")


class _TimeCheck(BlockProcessor):
    """First in line for every block: stops the parse when the budget is spent.
    It never claims a block (`test` is False), so it changes no output."""

    def test(self, parent: Any, block: str) -> bool:
        check_time()
        return False

    def run(self, parent: Any, blocks: list[str]) -> bool:  # pragma: no cover - never called
        return False


def guard_markdown(md: markdown.Markdown) -> None:
    """Bound `md`'s block parser by `MAX_NESTING` and the current time budget."""
    parser = md.parser
    plain: Callable[[Any, list[str]], None] = parser.parseBlocks
    depth = threading.local()  # `md` is one thread's, but be safe

    def parse_blocks(parent: Any, blocks: list[str]) -> None:
        level = getattr(depth, "level", 0)
        if level >= MAX_NESTING:
            raise RenderLimitError(f"its lists or quotes nest more than {MAX_NESTING} deep")
        depth.level = level + 1
        try:
            plain(parent, blocks)
        finally:
            depth.level = level

    # The processors call `self.parser.parseBlocks`: the instance attribute wins.
    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]
    parser.blockprocessors.register(_TimeCheck(parser), "flashcards_time_check", 1000)
    # Inline patterns can be slow too (`[` 5,000 times: each one scans the rest for its
    # `]`): the budget is checked before each match is handled.
    for pattern in md.inlinePatterns:
        pattern.handleMatch = _timed(pattern.handleMatch)  # type: ignore[method-assign]
    # ... and the inline pass visits every piece of text (each table cell, each item of a
    # tight list) even where no pattern matches: the first pattern's regex is fetched once
    # per piece (`InlineProcessor.__applyPattern`), so the budget is checked there too.
    if len(md.inlinePatterns):
        first = md.inlinePatterns[0]
        first.getCompiledRegExp = _timed(first.getCompiledRegExp)  # type: ignore[method-assign]


def _timed(handle: Callable[..., Any]) -> Callable[..., Any]:
    def handle_match(*args: Any) -> Any:
        check_time()
        return handle(*args)

    return handle_match


def check_indent(masked: str) -> None:
    """Raise `RenderLimitError` for a line indented (spaces, tabs, `>`) past
    `MAX_INDENT` columns (literal zones masked): python-markdown would first re-read
    the whole block once per level, which for thousands of such lines takes minutes
    before the nesting guard is reached."""
    for m in _DEEP_INDENT.finditer(masked):
        if len(m.group().expandtabs(4)) > MAX_INDENT:
            raise RenderLimitError(f"it is indented more than {MAX_INDENT} columns")


def check_size(masked: str) -> None:
    """Raise `RenderLimitError` for a text (literal zones masked) past `MAX_TEXT_CHARS`,
    `MAX_TABLE_CELLS` or `MAX_LIST_ITEMS`: python-markdown would hold the whole of it
    as a tree, and spend seconds on it before the time budget is next checked."""
    if len(masked) > MAX_TEXT_CHARS:
        raise RenderLimitError(f"it has more than {MAX_TEXT_CHARS:,} characters")
    if masked.count("|") > MAX_TABLE_CELLS:
        raise RenderLimitError(f"its tables have more than {MAX_TABLE_CELLS:,} cells")
    if masked.count("\n") >= MAX_LIST_ITEMS and _count_over(_LIST_ITEM, masked, MAX_LIST_ITEMS):
        raise RenderLimitError(f"its lists have more than {MAX_LIST_ITEMS:,} items")


def _count_over(pattern: re.Pattern[str], text: str, limit: int) -> bool:
    """Whether `pattern` matches `text` more than `limit` times (stops counting there)."""
    return sum(1 for _ in islice(pattern.finditer(text), limit + 1)) > limit


def source_html(source: str, reason: str) -> str:
    """The Markdown `source` as text in a code block under a one-line `reason`: what a
    card that cannot render shows instead."""
    if len(source) > MAX_SOURCE_SHOWN:
        source = source[:MAX_SOURCE_SHOWN] + "\n…"
    return (
        f'<p style="color:{MUTED_COLOUR}; font-style:italic;">'
        f"Shown as written: {html.escape(reason, quote=False)}.</p>"
        f'<pre style="white-space:pre-wrap;">{html.escape(source, quote=False)}</pre>'
    )
