"""The deck editor: Markdown with highlighting, live preview, link completion."""

from __future__ import annotations

from flashcards.gui.editor.deck_editor import CloseChoice, ConflictChoice, DeckEditor
from flashcards.gui.editor.highlighter import DeckHighlighter

__all__ = ["CloseChoice", "ConflictChoice", "DeckEditor", "DeckHighlighter"]
