"""The concept map: cards and their links as a graph across exam domains."""

from __future__ import annotations

from flashcards.gui.concept_map.launcher import open_concept_map
from flashcards.gui.concept_map.map_window import ConceptMapWindow

__all__ = ["ConceptMapWindow", "open_concept_map"]
