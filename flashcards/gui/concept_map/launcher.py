"""Opening the map from another window (the main window's Go ▸ Concept map)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from flashcards.gui.concept_map.map_window import ConceptMapWindow


def open_concept_map(
    parent: QWidget,
    runner: Any,
    *,
    now: Callable[[], datetime] | None = None,
    on_change: Callable[[], None] | None = None,
) -> ConceptMapWindow:
    """Show `parent`'s concept map window (one per parent, created on first use) and
    load it afresh. `runner` is the app's CollectionWorker; `on_change` is called when
    cards were studied or edited from the map (refresh counts)."""
    from flashcards.gui.concept_map.map_window import ConceptMapWindow  # loaded on first use

    window = parent.findChild(ConceptMapWindow)
    if window is None:
        kwargs: dict[str, Any] = {} if now is None else {"now": now}
        window = ConceptMapWindow(runner, parent=parent, **kwargs)
        if on_change is not None:
            window.collection_changed.connect(on_change)
    window.show()
    window.raise_()
    window.activateWindow()
    window.load()
    return window
