"""The cheat-sheet's pages as they will print: paper-white pages on a grey desk, as wide
as the window allows, one under the other."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from flashcards.gui.cheatsheet.pages import SheetPages
from flashcards.gui.theme import is_dark

MAX_WIDTH = 900  # pixels: wider pages only make the text big


class PagePreview(QScrollArea):
    """`show_pages` draws them; they are drawn again, sharp, after a resize."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.pages: SheetPages | None = None
        self.labels: list[QLabel] = []
        self._inner = QWidget(self)
        self._column = QVBoxLayout(self._inner)
        self._column.setContentsMargins(24, 18, 24, 18)
        self._column.setSpacing(18)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._inner)
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(150)
        self._redraw.timeout.connect(self._draw)
        self._follow_theme()

    def _follow_theme(self) -> None:
        desk = "#2b2d31" if is_dark() else "#e6e8eb"
        self._inner.setStyleSheet(f"background:{desk};")

    def show_pages(self, pages: SheetPages) -> None:
        self.pages = pages
        self._follow_theme()
        self._draw()

    def page_width(self) -> int:
        return max(200, min(MAX_WIDTH, self.viewport().width() - 48))

    def _draw(self) -> None:
        pages = self.pages
        if pages is None:
            return
        while len(self.labels) > pages.count:
            label = self.labels.pop()
            self._column.removeWidget(label)
            label.deleteLater()
        while len(self.labels) < pages.count:
            label = QLabel(self._inner)
            label.setStyleSheet("background:white; border:1px solid #b9bec7;")
            self._column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(label)
        width = self.page_width()
        for index, label in enumerate(self.labels):
            label.setPixmap(QPixmap.fromImage(pages.image(index, width=width)))
            label.setToolTip(f"Page {index + 1} of {pages.count}")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.pages is not None:
            self._redraw.start()
