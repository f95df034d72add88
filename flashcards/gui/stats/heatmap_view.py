"""The review heatmap (as Anki's Review Heatmap add-on): one column a week, one row a
weekday, each study day coloured by how many answers it had; hover for the date and
count. Painted by hand: QtCharts has no calendar."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from flashcards.core.stats import Heatmap
from flashcards.gui.theme import is_dark

LIGHT = ("#dde1e6", "#b7e4a8", "#6cc46b", "#2f9e4a", "#1d6b33")
DARK = ("#363a42", "#1d4a2c", "#256d3a", "#36a152", "#5fd37a")
LEFT = 34  # room for weekday names
TOP = 18  # room for month names
BOTTOM = 22  # room for the colour key
GAP = 3
MAX_CELL = 20
MIN_CELL = 4


def levels(counts: tuple[int, ...]) -> tuple[int, int, int]:
    """Upper counts of the first three colours: the quartiles of the days studied."""
    studied = sorted(n for n in counts if n > 0)
    if not studied:
        return (1, 2, 3)

    def at(share: float) -> int:
        return studied[min(len(studied) - 1, int(share * len(studied)))]

    return (at(0.25), at(0.5), at(0.75))


def level_of(count: int, cuts: tuple[int, int, int]) -> int:
    if count <= 0:
        return 0
    return 1 + sum(count > cut for cut in cuts)


class HeatmapView(QWidget):
    """Paints a `Heatmap`; days are study-day numbers (date ordinals)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heatmap: Heatmap | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(TOP + 7 * (MAX_CELL + GAP) + BOTTOM)
        self._cuts = (1, 2, 3)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(LEFT + 53 * (MAX_CELL + GAP), TOP + 7 * (MAX_CELL + GAP) + BOTTOM)

    def set_heatmap(self, heatmap: Heatmap | None) -> None:
        self.heatmap = heatmap
        self._cuts = levels(heatmap.counts) if heatmap else (1, 2, 3)
        self._fit_height()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as seven rows of the cells the width allows (small cells, short map)."""
        height = TOP + 7 * (self._cell() + GAP) + BOTTOM
        if self.minimumHeight() != height:
            self.setFixedHeight(height)

    # -- geometry ---------------------------------------------------------------------------

    def _first_monday(self) -> int:
        """The Monday of the first column: the first day's week, or, when the weeks do not
        fit the width even with the smallest cells, the earliest week that leaves room for
        the latest ones (the latest weeks are always shown)."""
        assert self.heatmap is not None
        first = self.heatmap.first_day
        monday = first - date.fromordinal(first).weekday()
        last = self.heatmap.last_day
        last_monday = last - date.fromordinal(last).weekday()
        fit = max(1, (self.width() - LEFT) // (MIN_CELL + GAP))
        return max(monday, last_monday - (fit - 1) * 7)

    def first_shown(self) -> int:
        """The first day drawn (later than the heatmap's first when it does not fit)."""
        assert self.heatmap is not None
        return max(self.heatmap.first_day, self._first_monday())

    def _weeks(self) -> int:
        assert self.heatmap is not None
        return (self.heatmap.last_day - self._first_monday()) // 7 + 1

    def _cell(self) -> int:
        if self.heatmap is None:
            return MAX_CELL
        room = (self.width() - LEFT) // self._weeks() - GAP
        return max(MIN_CELL, min(MAX_CELL, room))

    def _rect(self, day: int) -> QRect:
        size = self._cell()
        offset = day - self._first_monday()
        week, weekday = divmod(offset, 7)
        return QRect(LEFT + week * (size + GAP), TOP + weekday * (size + GAP), size, size)

    def day_at(self, pos: QPoint) -> int | None:
        """The study day under `pos`, if it is one the heatmap covers."""
        if self.heatmap is None:
            return None
        size = self._cell()
        week, x_in = divmod(pos.x() - LEFT, size + GAP)
        weekday, y_in = divmod(pos.y() - TOP, size + GAP)
        if pos.x() < LEFT or pos.y() < TOP or x_in >= size or y_in >= size or weekday > 6:
            return None
        day = self._first_monday() + week * 7 + weekday
        if self.first_shown() <= day <= self.heatmap.last_day:
            return day
        return None

    def tooltip_for(self, day: int) -> str:
        assert self.heatmap is not None
        count = self.heatmap.count_on(day)
        when = date.fromordinal(day)
        label = "today" if day == self.heatmap.last_day else when.strftime("%A")
        answers = "no reviews" if count == 0 else f"{count:,} review{'s' * (count != 1)}"
        return f"{when.strftime('%d %B %Y').lstrip('0')} ({label}): {answers}"

    # -- events -----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            under_days = TOP + 7 * (self._cell() + GAP)
            if day is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_for(day), self)
            elif self.heatmap is not None and event.pos().y() >= under_days:
                QToolTip.showText(event.globalPos(), self.key_text(), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self.heatmap is None:
            return
        colours = [QColor(c) for c in (DARK if is_dark() else LIGHT)]
        text = self.palette().placeholderText().color()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
        painter.setFont(font)
        size = self._cell()
        heat = self.heatmap
        painter.setPen(text)
        for weekday, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
            y = TOP + weekday * (size + GAP)
            painter.drawText(QRect(0, y - 2, LEFT - 6, size + 4), Qt.AlignmentFlag.AlignRight, name)
        monday = self._first_monday()
        shown_month = None
        free_from = 0  # labels never overlap: a month with no room goes unnamed
        metrics = painter.fontMetrics()
        for week in range(self._weeks()):
            first_of_week = date.fromordinal(monday + week * 7)
            month = (first_of_week + timedelta(days=6)).replace(day=1)
            if month != shown_month and (first_of_week + timedelta(days=6)).day <= 7:
                x = LEFT + week * (size + GAP)
                label = month.strftime("%b") if month.month != 1 else month.strftime("%b %Y")
                if x >= free_from and x + metrics.horizontalAdvance(label) < self.width():
                    painter.drawText(QPoint(x, TOP - 5), label)
                    free_from = x + metrics.horizontalAdvance(label) + 6
                shown_month = month
        painter.setPen(Qt.PenStyle.NoPen)
        radius = max(1.0, size / 5)
        shown = self.first_shown()
        for index, count in enumerate(heat.counts):
            day = heat.first_day + index
            if day < shown:
                continue
            painter.setBrush(colours[level_of(count, self._cuts)])
            painter.drawRoundedRect(self._rect(day), radius, radius)
        today = self._rect(heat.last_day)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self.palette().windowText().color(), 1.5))
        painter.drawRoundedRect(today.adjusted(-1, -1, 1, 1), radius, radius)
        self._paint_key(painter, colours, size, radius, text)
        painter.end()

    def _paint_key(
        self, painter: QPainter, colours: list[QColor], size: int, radius: float, text: QColor
    ) -> None:
        """ "Less ▢▢▢▢▢ More" under the last weeks, with the counts each colour stands for."""
        key = min(size, 12)
        right = LEFT + self._weeks() * (size + GAP) - GAP
        y = TOP + 7 * (size + GAP) + 6
        more = painter.fontMetrics().horizontalAdvance("More")
        x = right - more - 6 - len(colours) * (key + 3)
        painter.setPen(text)
        painter.drawText(QRect(x - 60, y - 2, 54, key + 4), Qt.AlignmentFlag.AlignRight, "Less")
        painter.drawText(QRect(right - more, y - 2, more + 2, key + 4), 0, "More")
        painter.setPen(Qt.PenStyle.NoPen)
        for i, colour in enumerate(colours):
            painter.setBrush(colour)
            painter.drawRoundedRect(QRect(x + i * (key + 3), y, key, key), radius, radius)

    def key_text(self) -> str:
        """What each colour means, for the tooltip over the key."""
        low, mid, high = self._cuts
        return f"1–{low}, {low + 1}–{mid}, {mid + 1}–{high}, more than {high} reviews a day"
