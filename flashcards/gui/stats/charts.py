"""QtCharts helpers for the statistics window: a themed chart view, stacked bars over
days, grouped bars, a pie, and hover tooltips.

Every function fills a chart from plain values; the figures come from the collection's
statistics (core.stats / core.card_stats), never from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from flashcards.gui.theme import is_dark

# Anki's colours for card types, a little muted.
TYPE_COLOURS = {
    "New": "#4f8fdc",
    "Learning": "#e8993a",
    "Relearning": "#d9534f",
    "Young": "#8cc152",
    "Mature": "#2e8b57",
    "Suspended": "#d9b73f",
    "Buried": "#9aa0a6",
}
LINE_COLOUR = "#6a5acd"

Tooltip = Callable[[int], str]


def text_colour() -> QColor:
    return QColor("#e6e6e6") if is_dark() else QColor("#1f2328")


def grid_colour() -> QColor:
    return QColor(255, 255, 255, 30) if is_dark() else QColor(0, 0, 0, 28)


class ChartView(QChartView):
    """A chart that takes the window's colours, with its legend on top."""

    def __init__(self, parent: QWidget | None = None, *, height: int = 230) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: transparent")
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        legend.setLabelColor(text_colour())
        font = QFont(legend.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        legend.setFont(font)

    def clear(self) -> None:
        """Remove every series and axis (the chart is filled again from new figures)."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)


def _style_axis(axis: QAbstractAxis) -> None:
    axis.setLabelsColor(text_colour())
    axis.setGridLineColor(grid_colour())
    axis.setLinePen(QPen(grid_colour()))
    font = QFont(axis.labelsFont())
    font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
    axis.setLabelsFont(font)


def value_axis(top: float, *, label_format: str = "%d", ticks: int = 5) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, nice_top(top))
    axis.setLabelFormat(label_format)
    axis.setTickCount(ticks)
    _style_axis(axis)
    return axis


def nice_top(top: float) -> float:
    """A round maximum at or above `top`, with room for four round ticks."""
    if top <= 0:
        return 4.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if step * 4 >= top:
            return float(step * 4)
    magnitude = 10 ** len(str(int(top // 4)))
    return float(magnitude * 4)


def label_axis(labels: Sequence[tuple[int, str]], count: int) -> QCategoryAxis:
    """An x axis for `count` bars that labels only the bars given (index, text)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for index, text in labels:
        axis.append(text, index)
    axis.setRange(-0.5, count - 0.5)
    axis.setGridLineVisible(False)
    _style_axis(axis)
    return axis


def category_axis(names: Sequence[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(names))
    axis.setGridLineVisible(False)
    _style_axis(axis)
    return axis


def bar_set(name: str, values: Sequence[float], colour: str) -> QBarSet:
    bars = QBarSet(name)
    bars.append([float(v) for v in values])
    bars.setColor(QColor(colour))
    bars.setBorderColor(QColor(colour))
    return bars


def show_tooltip(text: str) -> None:
    QToolTip.showText(QCursor.pos(), text)


def stacked_bars(
    view: ChartView,
    sets: Sequence[tuple[str, Sequence[float], str]],
    *,
    labels: Sequence[tuple[int, str]],
    tooltip: Tooltip,
    value_format: str = "%d",
) -> None:
    """Bars stacked by `sets` (name, one value a bar, colour); `tooltip(index)` is shown
    while the mouse is over a bar."""
    view.clear()
    chart = view.chart()
    series = QStackedBarSeries()
    series.setBarWidth(0.8)
    count = max((len(values) for _n, values, _c in sets), default=0)
    for name, values, colour in sets:
        bars = bar_set(name, values, colour)
        bars.hovered.connect(
            lambda over, index: show_tooltip(tooltip(index)) if over else QToolTip.hideText()
        )
        series.append(bars)
    chart.addSeries(series)
    totals = [sum(values[i] for _n, values, _c in sets if i < len(values)) for i in range(count)]
    x = label_axis(labels, count)
    y = value_axis(max(totals, default=0), label_format=value_format)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(len(sets) > 1)


def grouped_bars(
    view: ChartView,
    categories: Sequence[str],
    sets: Sequence[tuple[str, Sequence[float], str]],
    *,
    tooltip: Callable[[str, int], str],
) -> None:
    """Bars side by side: one group per category, one bar per set."""
    view.clear()
    chart = view.chart()
    series = QBarSeries()
    top = 0.0
    for name, values, colour in sets:
        bars = bar_set(name, values, colour)
        bars.hovered.connect(
            lambda over, index, n=name: (
                show_tooltip(tooltip(n, index)) if over else QToolTip.hideText()
            )
        )
        series.append(bars)
        top = max([top, *values])
    chart.addSeries(series)
    x = category_axis(categories)
    y = value_axis(top)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(True)


def bars_with_line(
    view: ChartView,
    bars: tuple[str, Sequence[float], str],
    line: tuple[str, Sequence[float | None]],
    *,
    labels: Sequence[tuple[int, str]],
    tooltip: Tooltip,
) -> None:
    """Bars (left axis) with a line of percentages over them (right axis, 0-100%)."""
    view.clear()
    chart = view.chart()
    name, values, colour = bars
    series = QBarSeries()
    series.setBarWidth(0.75)
    bar = bar_set(name, values, colour)
    bar.hovered.connect(
        lambda over, index: show_tooltip(tooltip(index)) if over else QToolTip.hideText()
    )
    series.append(bar)
    chart.addSeries(series)
    curve = QLineSeries()
    curve.setName(line[0])
    for index, value in enumerate(line[1]):
        if value is not None:
            curve.append(index, value * 100)
    pen = QPen(QColor(LINE_COLOUR))
    pen.setWidthF(2.0)
    curve.setPen(pen)
    curve.setPointsVisible(True)
    chart.addSeries(curve)
    x = label_axis(labels, len(values))
    y = value_axis(max(values, default=0))
    percent = value_axis(100, label_format="%d%%")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(percent, Qt.AlignmentFlag.AlignRight)
    series.attachAxis(x)
    series.attachAxis(y)
    curve.attachAxis(x)
    curve.attachAxis(percent)
    chart.legend().setVisible(True)


def pie(view: ChartView, parts: Sequence[tuple[str, int, str]]) -> None:
    """A pie of (name, count, colour) with the counts in the legend."""
    view.clear()
    chart = view.chart()
    series = QPieSeries()
    series.setHoleSize(0.45)
    total = sum(n for _name, n, _c in parts)
    for name, count, colour in parts:
        if count <= 0:
            continue
        share = count / total if total else 0
        piece = series.append(f"{name}  {count:,} ({share:.0%})", count)
        piece.setColor(QColor(colour))
        piece.setBorderColor(QColor(colour))
        piece.hovered.connect(
            lambda over, n=name, c=count, s=share: (
                show_tooltip(f"{n}: {c:,} cards ({s:.0%})") if over else QToolTip.hideText()
            )
        )
    chart.addSeries(series)
    legend = chart.legend()
    legend.setVisible(True)
    legend.setAlignment(Qt.AlignmentFlag.AlignRight)
