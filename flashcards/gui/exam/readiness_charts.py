"""The Readiness window's two pictures, painted with QPainter (no chart library):
a bar of expected recall per domain, and the predicted score day by day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from flashcards.collection.readiness import Snapshot
from flashcards.core.model import Rating
from flashcards.core.readiness import DomainForecast
from flashcards.gui.theme import rating_colour

NEAR = 0.05  # within this of the pass share: amber


def recall_colour(recall: float, pass_share: float) -> QColor:
    """Red below the pass share, amber just above it, green well above."""
    if recall < pass_share:
        return QColor(rating_colour(Rating.AGAIN))
    if recall < pass_share + NEAR:
        return QColor(rating_colour(Rating.HARD))
    return QColor(rating_colour(Rating.GOOD))


class DomainBars(QWidget):
    """One row a domain: its name and weight, a bar of expected recall on the day (the
    pass share marked), the percentage and its cards."""

    ROW = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("domainBars")
        self.domains: tuple[DomainForecast, ...] = ()
        self.pass_share = 0.7
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_domains(self, domains: Sequence[DomainForecast], *, pass_share: float) -> None:
        self.domains = tuple(domains)
        self.pass_share = pass_share
        self.setFixedHeight(max(1, len(self.domains)) * self.ROW + 4)
        self.setToolTip(
            "Expected recall on the exam day per domain; the tick marks the share of right "
            f"answers the pass mark needs ({self.pass_share:.0%})."
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(560, max(1, len(self.domains)) * self.ROW + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.windowText().color()
        muted = palette.placeholderText().color()
        track = palette.alternateBase().color()
        metrics = painter.fontMetrics()
        width = self.width()
        label_w = min(max(220, width * 2 // 5), 380)
        figure_w = metrics.horizontalAdvance("100%  2,000 cards · 2,000 new") + 8
        bar_x = label_w + 10
        bar_w = max(60, width - bar_x - figure_w - 10)
        for row, domain in enumerate(self.domains):
            top = row * self.ROW + 2
            mid = top + self.ROW / 2
            name = metrics.elidedText(
                f"{domain.name} ({domain.weight:.0%})", Qt.TextElideMode.ElideMiddle, label_w
            )
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top, label_w, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                name,
            )
            bar = QRectF(bar_x, mid - 7, bar_w, 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 4, 4)
            filled = QRectF(bar_x, mid - 7, bar_w * max(0.0, min(1.0, domain.recall)), 14)
            painter.setBrush(recall_colour(domain.recall, self.pass_share))
            painter.drawRoundedRect(filled, 4, 4)
            tick = bar_x + bar_w * self.pass_share
            painter.setPen(QPen(text, 2))
            painter.drawLine(QPointF(tick, mid - 10), QPointF(tick, mid + 10))
            painter.setPen(text)
            figures = f"{domain.recall:.0%}"
            painter.drawText(
                QRectF(bar_x + bar_w + 10, top, figure_w, self.ROW / 2 + 4),
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft),
                figures,
            )
            painter.setPen(muted)
            cards = f"{domain.cards:,} cards" + (f" · {domain.new:,} new" if domain.new else "")
            painter.drawText(
                QRectF(bar_x + bar_w + 10, mid + 1, figure_w, self.ROW / 2),
                int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft),
                cards,
            )
        painter.end()


class TrendChart(QWidget):
    """The predicted score of each day it was looked at, its band shaded, and the pass
    mark as a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.points: tuple[Snapshot, ...] = ()
        self.scale = (100, 1000)
        self.pass_mark = 750
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(170)

    def set_points(
        self, points: Sequence[Snapshot], *, scale: tuple[int, int], pass_mark: int
    ) -> None:
        self.points = tuple(points)
        self.scale = scale
        self.pass_mark = pass_mark
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.windowText().color()
        muted = palette.placeholderText().color()
        metrics = painter.fontMetrics()
        left = metrics.horizontalAdvance("1000") + 12
        area = QRectF(left, 8, max(10, self.width() - left - 12), self.height() - 30)
        lo, hi = self.scale
        span = max(1, hi - lo)

        def y(score: float) -> float:
            return area.bottom() - (min(max(score, lo), hi) - lo) / span * area.height()

        painter.setPen(QPen(muted, 1))
        painter.drawRect(area)
        for value in (lo, self.pass_mark, hi):
            painter.drawText(
                QRectF(0, y(value) - 8, left - 6, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
        pass_pen = QPen(QColor(rating_colour(Rating.HARD)), 1, Qt.PenStyle.DashLine)
        painter.setPen(pass_pen)
        painter.drawLine(
            QPointF(area.left(), y(self.pass_mark)), QPointF(area.right(), y(self.pass_mark))
        )
        if len(self.points) < 2:
            painter.setPen(muted)
            painter.drawText(
                area,
                int(Qt.AlignmentFlag.AlignCenter),
                "The trend appears after a second day: the forecast is kept once a day.",
            )
            painter.end()
            return
        first, last = self.points[0].day, self.points[-1].day
        days = max(1, (last - first).days)

        def x(day: date) -> float:
            return area.left() + (day - first).days / days * area.width()

        band = QPainterPath()
        band.moveTo(x(self.points[0].day), y(self.points[0].high))
        for p in self.points[1:]:
            band.lineTo(x(p.day), y(p.high))
        for p in reversed(self.points):
            band.lineTo(x(p.day), y(p.low))
        band.closeSubpath()
        accent = QColor(rating_colour(Rating.EASY))
        shade = QColor(accent)
        shade.setAlpha(50)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shade)
        painter.drawPath(band)
        line = QPainterPath()
        line.moveTo(x(self.points[0].day), y(self.points[0].score))
        for p in self.points[1:]:
            line.lineTo(x(p.day), y(p.score))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(accent, 2))
        painter.drawPath(line)
        painter.setPen(text)
        painter.drawText(
            QRectF(area.left(), area.bottom() + 4, area.width(), 18),
            int(Qt.AlignmentFlag.AlignLeft),
            f"{first.day} {first:%b %Y}",
        )
        painter.drawText(
            QRectF(area.left(), area.bottom() + 4, area.width(), 18),
            int(Qt.AlignmentFlag.AlignRight),
            f"{last.day} {last:%b %Y}",
        )
        painter.end()
