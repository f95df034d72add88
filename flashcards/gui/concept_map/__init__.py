"""The concept map: cards and their links as a graph across exam domains.

`open_concept_map` is cheap to import (the app installs its menu entry at start-up);
the window and its numpy/networkx machinery load when the map is first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flashcards.gui.concept_map.launcher import open_concept_map

if TYPE_CHECKING:
    from flashcards.gui.concept_map.map_window import ConceptMapWindow

__all__ = ["ConceptMapWindow", "open_concept_map"]


def __getattr__(name: str) -> Any:
    if name == "ConceptMapWindow":
        from flashcards.gui.concept_map.map_window import ConceptMapWindow

        return ConceptMapWindow
    raise AttributeError(name)
