"""A small chart of the simulated workload by desired retention (QtCharts): reviews a day
on the left axis, minutes a day on the right, dashed lines at the preset's retention and
at the one that costs least per card remembered."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from flashcards.gui.theme import is_dark


class WorkloadChart(QChartView):
    """Reviews and minutes a day by desired retention; the two marked retentions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setChart(QChart())
        self.report: Any = None

    def show_report(self, report: Any) -> None:
        """Chart a `SimulationReport`."""
        self.report = report
        dark = is_dark(self.palette())
        chart = QChart()
        chart.setTheme(
            QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
        )
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        chart.legend().setFont(small)
        points = report.workload.points
        reviews, minutes = QLineSeries(), QLineSeries()
        reviews.setName("Reviews a day")
        minutes.setName("Minutes a day")
        for p in points:
            reviews.append(QPointF(p.retention, p.reviews_per_day))
            minutes.append(QPointF(p.retention, p.minutes_per_day))
        blue, orange = QColor("#2f6fd6"), QColor("#d9822b")
        reviews.setPen(QPen(blue, 2))
        minutes.setPen(QPen(orange, 2))
        chart.addSeries(reviews)
        chart.addSeries(minutes)
        x = QValueAxis()
        x.setRange(0.70, 0.97)
        x.setTickCount(10)
        x.setLabelFormat("%.2f")
        x.setTitleText("Desired retention")
        left, right = QValueAxis(), QValueAxis()
        left.setTitleText("Reviews a day")
        right.setTitleText("Minutes a day")
        left.setRange(0, max(1.0, max(p.reviews_per_day for p in points)))
        right.setRange(0, max(1.0, max(p.minutes_per_day for p in points)))
        for axis in (left, right):
            axis.setTickCount(5)
            axis.applyNiceNumbers()  # round ticks: 0, 20, 40, …
        for axis in (x, left, right):
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            axis.setLabelFormat("%.2f" if axis is x else "%d")
        left.setLabelsColor(blue)
        right.setLabelsColor(orange)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        for series, axis in ((reviews, left), (minutes, right)):
            series.attachAxis(x)
            series.attachAxis(axis)
        top = left.max()
        for retention, name, colour in (
            (report.desired_retention, "Yours", QColor("#7a7a7a" if not dark else "#bbbbbb")),
            (report.workload.best, "Least time per card remembered", QColor("#2e9e5b")),
        ):
            line = QLineSeries()
            line.setName(f"{name} ({retention:.2f})")
            pen = QPen(colour, 2, Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.append(QPointF(retention, 0))
            line.append(QPointF(retention, top))
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(left)
        dots = QScatterSeries()
        dots.setMarkerSize(7)
        dots.setColor(blue)
        dots.setBorderColor(blue)
        for p in points:
            dots.append(QPointF(p.retention, p.reviews_per_day))
        chart.addSeries(dots)
        dots.attachAxis(x)
        dots.attachAxis(left)
        chart.legend().markers(dots)[0].setVisible(False)
        self.setChart(chart)
