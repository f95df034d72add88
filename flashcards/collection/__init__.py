"""The collection facade: library sync, review, undo, import/export, stats."""

from __future__ import annotations

from flashcards.collection.collection import Collection
from flashcards.collection.views import (
    CardView,
    Change,
    CheckReport,
    DeckInfo,
    ExportReport,
    ImportReport,
    Stats,
    SyncReport,
)

__all__ = [
    "CardView",
    "Change",
    "CheckReport",
    "Collection",
    "DeckInfo",
    "ExportReport",
    "ImportReport",
    "Stats",
    "SyncReport",
]
