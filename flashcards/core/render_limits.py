"""Bounded rendering: how deep Markdown may nest and how long one card may take.

python-markdown parses nested blocks by recursion, and every level reads the rest of
its block again: a list nested 500 deep on one line (`- - - … x`, 1 KB) or 800
indented lines exhausts Python's stack, and 5,000 nested lines take minutes. A card
from a stranger's deck must not freeze or crash the app, so the block parser of each
converter is guarded (`guard_markdown`):

- nesting: more than `MAX_NESTING` levels of blocks (lists, quotes) inside each other
  stops the conversion — no real card nests a tenth as deep; a line indented more
  than `MAX_INDENT` columns is refused before converting (`check_indent`);
- time: a card (or a Markdown page) has `TIME_BUDGET_S` seconds (`time_budget`); the
  parser checks before every block and every inline match, and stops when it is spent.

Either raises `RenderLimitError`; `render.py` then shows the card's Markdown source as
text under a one-line reason (`source_html`) instead of the card.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
MAX_SOURCE_SHOWN = 20_000
"""Characters of the source shown in place of a card that cannot render."""

_local = threading.local()
_DEEP_INDENT = re.compile(f"^[ \\t>]{{{MAX_INDENT // 4 + 1},}}", re.MULTILINE)


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
