"""Flashcards: spaced repetition on Markdown decks, scheduled by FSRS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flashcards.core.errors import DeckFormatError, FlashcardsError
from flashcards.core.model import CardKind, CardState, Flag, Rating

__all__ = [
    "Collection",
    "CardKind",
    "CardState",
    "DeckFormatError",
    "Flag",
    "FlashcardsError",
    "Rating",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from flashcards.collection import Collection


def __getattr__(name: str) -> Any:
    # The collection pulls in SQLAlchemy; import it only when asked for.
    if name == "Collection":
        from flashcards.collection import Collection

        return Collection
    raise AttributeError(name)
