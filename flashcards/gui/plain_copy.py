"""A text browser for rendered cards whose copies read as the deck was written.

Rendered cards carry invisible break hints in long words (see `core.word_breaks`):
copying or dragging text out of a card leaves them behind, so a copied
`ProvisionedThroughputExceededException` pastes as one word into a search box or code.

Every card view is one of these, so it is also where local files are gated: images load
only from regular files inside the library (`card_media.py`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QTextBrowser

from flashcards.core.word_breaks import without_break_hints
from flashcards.gui.card_media import is_local, load_local_resource


class PlainCopyBrowser(QTextBrowser):
    """A `QTextBrowser` whose copies and drags leave out the break hints."""

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt override)
        data = super().createMimeDataFromSelection()
        # A fresh object with plain text and HTML only: the original also offers an
        # OpenDocument copy of the selection, hints and all.
        clean = QMimeData()
        clean.setText(without_break_hints(data.text()))
        if data.hasHtml():
            clean.setHtml(without_break_hints(data.html()))
        return clean

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802 (Qt override)
        # Qt would read any local path to its end (a FIFO never ends, nor /dev/zero).
        url = name if isinstance(name, QUrl) else QUrl(name)
        if is_local(url):
            return load_local_resource(kind, url)
        return super().loadResource(kind, name)
