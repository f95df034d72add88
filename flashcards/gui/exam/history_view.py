"""Past practice exams: a chart of the scaled score over the sittings (the pass mark as
a line, the forecast made at each start as a hollow dot beside the result) and a table
of every sitting, the latest first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.collection.practice_exam import SittingSummary
from flashcards.core.practice_exam import format_used
from flashcards.gui.theme import is_dark, scaled_font


def _colours(dark: bool) -> tuple[QColor, QColor, QColor]:
    """(pass, fail, forecast) colours, as the review's right and wrong marks."""
    if dark:
        return QColor("#63c98f"), QColor("#f07a7a"), QColor("#72aaf0")
    return QColor("#2f8f57"), QColor("#c93c3c"), QColor("#2f72c4")


class TrendChart(QWidget):
    """Scaled scores of past sittings, oldest on the left."""

    MARGIN_LEFT = 44
    MARGIN = 14

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sittings: tuple[SittingSummary, ...] = ()
        self.setMinimumHeight(150)

    def set_sittings(self, sittings: Sequence[SittingSummary]) -> None:
        self.sittings = tuple(sittings)
        self.update()

    def points(self) -> list[tuple[QPointF, QPointF | None]]:
        """Where each sitting's result (and forecast) is drawn."""
        if not self.sittings:
            return []
        low = min(s.score_min for s in self.sittings)
        high = max(s.score_max for s in self.sittings)
        area = self._area()
        span = max(high - low, 1)

        def y(score: float) -> float:
            return area.bottom() - (score - low) / span * area.height()

        step = area.width() / max(len(self.sittings) - 1, 1)
        out: list[tuple[QPointF, QPointF | None]] = []
        for i, sitting in enumerate(self.sittings):
            x = area.left() + (i * step if len(self.sittings) > 1 else area.width() / 2)
            forecast = None if sitting.predicted is None else QPointF(x, y(sitting.predicted))
            out.append((QPointF(x, y(sitting.scaled)), forecast))
        return out

    def _area(self) -> QRectF:
        return QRectF(
            self.MARGIN_LEFT,
            self.MARGIN,
            max(self.width() - self.MARGIN_LEFT - self.MARGIN * 2, 1),
            max(self.height() - self.MARGIN * 2, 1),
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        muted = palette.placeholderText().color()
        passed, failed, forecast = _colours(is_dark(palette))
        area = self._area()
        painter.setPen(QPen(muted, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not self.sittings:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No practice exams yet")
            return
        low = min(s.score_min for s in self.sittings)
        high = max(s.score_max for s in self.sittings)
        mark = self.sittings[-1].pass_mark
        span = max(high - low, 1)
        mark_y = area.bottom() - (mark - low) / span * area.height()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(font)
        for value, y in ((high, area.top()), (mark, mark_y), (low, area.bottom())):
            painter.drawText(
                QRectF(0, y - 8, self.MARGIN_LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )
        painter.setPen(QPen(muted, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), mark_y), QPointF(area.right(), mark_y))
        points = self.points()
        path = QPainterPath(points[0][0])
        for point, _ in points[1:]:
            path.lineTo(point)
        painter.setPen(QPen(palette.windowText().color(), 1.5))
        painter.drawPath(path)
        for (point, predicted), sitting in zip(points, self.sittings, strict=True):
            if predicted is not None:
                painter.setPen(QPen(forecast, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(predicted, 4.5, 4.5)
            colour = passed if sitting.passed else failed
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            painter.drawEllipse(point, 5, 5)
        painter.end()


class HistoryView(QWidget):
    """The trend chart above the table of past sittings. `review_requested(id)` on
    Enter or a double click on a row."""

    review_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.heading = QLabel("Past practice exams", self)
        self.heading.setFont(scaled_font(self.font(), 1.15, weight=QFont.Weight.DemiBold))
        layout.addWidget(self.heading)
        self.legend = QLabel("", self)
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.chart = TrendChart(self)
        layout.addWidget(self.chart, 2)
        self.table = QTreeWidget(self)
        self.table.setObjectName("homeDecks")
        self.table.setHeaderLabels(["Sat", "Score", "Result", "Right", "Predicted", "Time"])
        self.table.setRootIsDecorated(False)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        layout.addWidget(self.table, 3)

    def set_history(self, sittings: Sequence[SittingSummary]) -> None:
        """Show past sittings (oldest first, as `PracticeExams.history` gives them)."""
        self.chart.set_sittings(sittings)
        self.table.clear()
        for sitting in reversed(sittings):
            local = sitting.started.astimezone()
            item = QTreeWidgetItem(
                [
                    f"{local:%a} {local.day} {local:%b %Y, %H:%M}",
                    f"{sitting.scaled}",
                    "Pass" if sitting.passed else "Fail",
                    f"{sitting.right} of {sitting.questions}",
                    "–" if sitting.predicted is None else f"{round(sitting.predicted)}",
                    format_used(sitting.used_seconds),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, sitting.id)
            passed, failed, _ = _colours(is_dark(self.palette()))
            item.setForeground(2, passed if sitting.passed else failed)
            for column in range(1, 6):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(item)
        if not sittings:
            self.legend.setText("Your results will be listed here, with their trend.")
        else:
            last = sittings[-1]
            self.legend.setText(
                f"Scaled score of each sitting (dots: green a pass, red a fail; dashed line: "
                f"the pass mark {last.pass_mark}; hollow blue: the forecast when it began). "
                "Double-click a sitting to review it."
            )

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.review_requested.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
