"""flashcards.gui: the PySide6 app.

The binding work-around in `qt_compat` runs first, before any Qt object exists.
"""

from __future__ import annotations

from flashcards.gui.qt_compat import immortalise_singletons

immortalise_singletons()
