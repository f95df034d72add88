"""Cheat-sheets: a deck or a domain as one document to read, print or export."""

from __future__ import annotations

from flashcards.gui.cheatsheet.cheatsheet_window import CheatSheetWindow
from flashcards.gui.cheatsheet.sheet import Sheet, SheetOptions, load_sheet, sheet_html

__all__ = ["CheatSheetWindow", "Sheet", "SheetOptions", "load_sheet", "sheet_html"]
