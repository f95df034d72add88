"""The card browser: search, a lazy table, a preview, bulk actions."""

from __future__ import annotations

from flashcards.gui.browser.browser_window import BrowserWindow
from flashcards.gui.browser.card_table_model import CardTableModel
from flashcards.gui.browser.columns import Column

__all__ = ["BrowserWindow", "CardTableModel", "Column"]
