"""The "Study these" window: the review screen driven by a ListStudyController."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from flashcards.core.model import CardId
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.concept_map.study_session import ListStudyController
from flashcards.gui.review_view import ReviewPage
from flashcards.gui.window_geometry import fit_to_screen


class StudyWindow(QWidget):
    """A session over exactly the given cards; `finished` when closed."""

    finished = Signal()

    def __init__(
        self,
        runner: Any,
        card_ids: Sequence[CardId],
        *,
        title: str,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"Study — {title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.page = ReviewPage(self)
        self.status = QLabel("", self)
        self.status.setObjectName("muted")
        self.status.setContentsMargins(12, 4, 12, 6)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.status)
        kwargs: dict[str, Any] = {} if now is None else {"now": now}
        self.controller = ListStudyController(self.page, runner, **kwargs)
        self.page.controller = self.controller
        self.page.home_requested.connect(self.close)
        self.page.message.connect(self.status.setText)
        self.card_ids = list(card_ids)
        add_close_keys(self, esc=False)  # Esc: the review's own "back", which closes
        fit_to_screen(self, QSize(920, 680), key="study")  # the main window's settings

    def start(self) -> None:
        self.show()
        self.controller.start(self.card_ids)
        self.page.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.controller.stop()
        self.finished.emit()
        super().closeEvent(event)
