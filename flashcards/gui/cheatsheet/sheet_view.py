"""The cheat-sheet as the window shows it: one column of paper-white text at a
readable measure, its links to other cards on the sheet scrolling to them."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QWidget

from flashcards.collection.cheatsheet import Layout
from flashcards.collection.cheatsheet_html import sheet_css
from flashcards.gui.plain_copy import PlainCopyBrowser

MARGIN = 36  # pixels around the text
MEASURE = 880  # the widest the text runs, in pixels (lines of about 120 characters)


class SheetView(PlainCopyBrowser):
    """`show_sheet` sets a sheet's HTML; `show_message` a line in place of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(MARGIN)
        # A sheet is paper: dark text on white in either theme, as it will print.
        self.setStyleSheet("QTextBrowser { background: #ffffff; color: #1f2328; }")

    def show_sheet(self, page: str, layout: Layout) -> None:
        self.document().setDefaultStyleSheet(sheet_css(layout))
        self.setHtml(page)
        self._fit_measure()

    def show_message(self, text: str) -> None:
        self.setHtml(text)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Wide windows get white space at the sides, not lines too long to read."""
        side = max(MARGIN, (self.viewport().width() - MEASURE) // 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_measure()

    def _follow(self, url: QUrl) -> None:
        """A link to another card on the sheet: scroll to it."""
        if url.hasFragment() and not url.scheme():
            self.scrollToAnchor(url.fragment())
