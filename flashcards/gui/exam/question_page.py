"""The page a practice exam's questions are shown on — while sitting it, and in the
review afterwards: a header with the clock, the card, the navigator beside it and the
buttons under it. Passive: the window fills it and gets its keys and clicks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.card_text import CardText
from flashcards.gui.exam.navigator import Navigator, NavigatorArea
from flashcards.gui.theme import scaled_font

_Scroll = QAbstractSlider.SliderAction
SCROLL_KEYS = {
    Qt.Key.Key_Up: _Scroll.SliderSingleStepSub,
    Qt.Key.Key_Down: _Scroll.SliderSingleStepAdd,
    Qt.Key.Key_PageUp: _Scroll.SliderPageStepSub,
    Qt.Key.Key_PageDown: _Scroll.SliderPageStepAdd,
}


def button(text: str, parent: QWidget, *, name: str = "", tip: str = "") -> QPushButton:
    """A button that never takes the keyboard focus (keys belong to the page)."""
    widget = QPushButton(text, parent)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if name:
        widget.setObjectName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class QuestionPage(QWidget):
    """`key_pressed(event) -> bool` and `option_clicked(shown)` go to the window."""

    option_clicked = Signal(int)
    link_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self.options = 0  # options of the question shown, for clicks on them
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 14, 28, 16)
        outer.setSpacing(10)

        header = QHBoxLayout()
        self.title = QLabel("", self)
        self.title.setFont(scaled_font(self.font(), 1.25, weight=QFont.Weight.DemiBold))
        self.detail = QLabel("", self)
        self.detail.setObjectName("muted")
        self.clock = QLabel("", self)
        self.clock.setObjectName("examClock")
        self.clock.setFont(scaled_font(self.font(), 1.5, weight=QFont.Weight.DemiBold))
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.detail, 1)
        header.addWidget(self.clock)
        outer.addLayout(header)

        self.banner = QLabel("", self)
        self.banner.setObjectName("examBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        outer.addWidget(self.banner)

        body = QHBoxLayout()
        body.setSpacing(18)
        frame = QFrame(self)
        frame.setObjectName("cardFrame")
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(4, 4, 4, 4)
        self.card = CardText(frame)
        self.card.setObjectName("card")
        self.card.setOpenLinks(False)
        self.card.setOpenExternalLinks(False)
        self.card.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.card.setFrameShape(QFrame.Shape.NoFrame)
        font = self.card.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.3)
        self.card.setFont(font)
        self.card.document().setDocumentMargin(22)
        self.card.viewport().installEventFilter(self)
        self.card.anchorClicked.connect(lambda url: self.link_clicked.emit(url.toString()))
        frame_layout.addWidget(self.card)
        body.addWidget(frame, 1)

        side = QVBoxLayout()
        side.setSpacing(8)
        self.side_heading = QLabel("Questions", self)
        self.side_heading.setFont(scaled_font(self.font(), 1.05, weight=QFont.Weight.DemiBold))
        side.addWidget(self.side_heading)
        self.navigator = Navigator(self)
        side.addWidget(NavigatorArea(self.navigator, self), 1)
        self.side_note = QLabel("", self)
        self.side_note.setObjectName("muted")
        self.side_note.setWordWrap(True)
        self.side_note.setMaximumWidth(210)
        side.addWidget(self.side_note)
        side.addStretch(1)
        body.addLayout(side)
        outer.addLayout(body, 1)

        self.extra = QHBoxLayout()  # the review's links to the card
        self.extra.setSpacing(8)
        outer.addLayout(self.extra)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(10)
        outer.addLayout(self.buttons)
        self.hint = QLabel("", self)
        self.hint.setObjectName("keyHint")
        self.hint.setWordWrap(True)  # a long list of keys wraps on a small screen
        outer.addWidget(self.hint)

    def show_html(self, html: str) -> None:
        self.card.set_card_html(html)

    def show_banner(self, text: str, *, urgent: bool) -> None:
        """A line over the card (time running out); hidden with an empty text."""
        colour = "#c93c3c" if urgent else "#b7791f"
        self.banner.setStyleSheet(
            f"QLabel#examBanner {{ background: {colour}; color: white; border-radius: 6px;"
            " padding: 6px; font-weight: 600; }"
        )
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def scroll_card(self, key: Qt.Key) -> bool:
        """Up, Down, PgUp, PgDn scroll a long question."""
        action = SCROLL_KEYS.get(key)
        if action is None:
            return False
        self.card.verticalScrollBar().triggerAction(action)
        return True

    def choice_at(self, point: QPoint) -> int | None:
        """The option (0 = A) under a point of the card (the card's last table)."""
        cursor = self.card.cursorForPosition(point)
        table = cursor.currentTable()
        if table is None or table.rows() != self.options:
            return None
        return int(table.cellAt(cursor).row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.card.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.options
        ):
            assert isinstance(event, QMouseEvent)
            shown = self.choice_at(event.position().toPoint())
            if shown is not None:
                self.option_clicked.emit(shown)
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.key_handler is not None and self.key_handler(event):
            return
        super().keyPressEvent(event)
