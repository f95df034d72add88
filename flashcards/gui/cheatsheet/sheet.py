"""A cheat-sheet's cards and HTML (no widgets): `flashcards.collection.cheatsheet` reads
them, `flashcards.collection.cheatsheet_html` sets them; named here for the window."""

from __future__ import annotations

from flashcards.collection.cheatsheet import (
    STRUGGLE_LAPSES,
    STRUGGLE_QUERY,
    STRUGGLE_RECALL,
    Layout,
    Paper,
    Sheet,
    SheetCard,
    SheetOptions,
    load_sheet,
    sheet_scopes,
)
from flashcards.collection.cheatsheet_html import (
    FORMULA_BUDGET_S,
    Block,
    BlockKind,
    inline_images,
    sheet_blocks,
    sheet_html,
)

__all__ = [
    "FORMULA_BUDGET_S",
    "STRUGGLE_LAPSES",
    "STRUGGLE_QUERY",
    "STRUGGLE_RECALL",
    "Block",
    "BlockKind",
    "Layout",
    "Paper",
    "Sheet",
    "SheetCard",
    "SheetOptions",
    "inline_images",
    "load_sheet",
    "sheet_blocks",
    "sheet_html",
    "sheet_scopes",
]
