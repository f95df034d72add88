"""The question navigator: a grid of question numbers showing which are answered,
flagged and on screen (while sitting) or right and wrong (in the review). A click
goes to the question."""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QSizePolicy, QToolButton, QWidget

COLUMNS = 5
FLAG_MARK = "⚑"


class Cell(enum.Enum):
    """What a question's number says."""

    EMPTY = "empty"  # not answered yet
    ANSWERED = "answered"
    RIGHT = "right"  # in the review
    WRONG = "wrong"
    SKIPPED = "skipped"  # in the review: never answered


def navigator_style(*, dark: bool) -> str:
    """The cells' looks by state (colours as the review's right and wrong marks)."""
    right, wrong = ("#63c98f", "#f07a7a") if dark else ("#2f8f57", "#c93c3c")
    on_colour = "#15171a" if dark else "white"  # the number on a green or red cell
    flag = "#e69b2e"
    return "\n".join(
        [
            "QToolButton#navCell { border: 1px solid palette(mid); border-radius: 5px;"
            " background: palette(base); min-width: 34px; max-width: 34px;"
            " min-height: 26px; max-height: 26px; font-size: 11px; }",
            'QToolButton#navCell[cell="answered"] { background: palette(highlight);'
            " color: palette(highlighted-text); border-color: palette(highlight); }",
            f'QToolButton#navCell[cell="right"] {{ background: {right}; color: {on_colour};'
            f" border-color: {right}; }}",
            f'QToolButton#navCell[cell="wrong"] {{ background: {wrong}; color: {on_colour};'
            f" border-color: {wrong}; }}",
            'QToolButton#navCell[cell="skipped"] { color: palette(placeholder-text);'
            " border-style: dashed; }",
            f'QToolButton#navCell[flagged="true"] {{ border: 2px solid {flag}; }}',
            'QToolButton#navCell[current="true"] { border: 3px solid palette(window-text); }',
        ]
    )


class Navigator(QWidget):
    """`picked(position)` when a number is clicked."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(5)
        self.cells: list[QToolButton] = []
        self._current = -1
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_count(self, count: int) -> None:
        """One cell a question, numbered from 1."""
        for cell in self.cells:
            cell.deleteLater()
        self.cells = []
        for position in range(count):
            cell = QToolButton(self)
            cell.setObjectName("navCell")
            cell.setText(str(position + 1))
            cell.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            cell.setCursor(Qt.CursorShape.PointingHandCursor)
            cell.setProperty("cell", Cell.EMPTY.value)
            cell.clicked.connect(lambda _=False, p=position: self.picked.emit(p))
            self._grid.addWidget(cell, position // COLUMNS, position % COLUMNS)
            self.cells.append(cell)
        self._current = -1

    def set_cell(self, position: int, state: Cell, *, flagged: bool, tip: str = "") -> None:
        """Show a question's state."""
        cell = self.cells[position]
        number = str(position + 1)
        text = f"{number}{FLAG_MARK}" if flagged else number
        changed = cell.property("cell") != state.value or cell.property("flagged") != flagged
        cell.setText(text)
        cell.setToolTip(tip)
        if changed:
            cell.setProperty("cell", state.value)
            cell.setProperty("flagged", flagged)
            _repolish(cell)

    def set_current(self, position: int) -> None:
        """Outline the question on screen."""
        if position == self._current:
            return
        for index, on in ((self._current, False), (position, True)):
            if 0 <= index < len(self.cells):
                self.cells[index].setProperty("current", on)
                _repolish(self.cells[index])
        self._current = position


class NavigatorArea(QScrollArea):
    """The navigator in a scroll area as wide as it: a long exam's numbers scroll on a
    small screen (1024x600) instead of making the window taller than the screen."""

    def __init__(self, navigator: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(navigator)
        self.setWidgetResizable(True)  # never narrower than the grid: it scrolls instead
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        widget = self.widget()
        inner = widget.sizeHint() if widget is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar, inner.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = self.sizeHint()
        return QSize(hint.width(), min(hint.height(), 120))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.widget() and event.type() in (
            QEvent.Type.LayoutRequest,
            QEvent.Type.Resize,
        ):
            self.updateGeometry()  # more or fewer questions, or a style: another size
        return super().eventFilter(watched, event)


def _repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property the selectors read changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
