"""Filling the statistics window's charts from figures: labels, colours, tooltips and
the line of figures under each chart. Plain functions of a panel and the figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from flashcards.collection.card_stats import CardFigures
from flashcards.collection.stats import HistoryFigures
from flashcards.core.card_stats import DueKind, Forecast, Histogram
from flashcards.core.model import Rating
from flashcards.core.stats import AnswerType, Heatmap, HourBreakdown, ReviewSeries
from flashcards.gui.stats.charts import (
    TYPE_COLOURS,
    ChartView,
    bars_with_line,
    grouped_bars,
    pie,
    stacked_bars,
)
from flashcards.gui.stats.heatmap_view import HeatmapView
from flashcards.gui.stats.panel import Panel
from flashcards.gui.stats.retention_table import RetentionTable, percent
from flashcards.gui.theme import RATING_NAMES, rating_colour

TYPES = (AnswerType.LEARNING, AnswerType.RELEARNING, AnswerType.YOUNG, AnswerType.MATURE)


def day_label(day: int) -> str:
    """ "28 Nov" for a study-day number."""
    return date.fromordinal(day).strftime("%d %b").lstrip("0")


def long_day(day: int) -> str:
    return date.fromordinal(day).strftime("%a %d %b %Y").replace(" 0", " ")


def plural(n: float, word: str) -> str:
    whole = round(n)
    return f"{whole:,} {word}{'s' * (whole != 1)}"


def spread_labels(
    count: int, label: Callable[[int], str], *, most: int = 7
) -> list[tuple[int, str]]:
    """Labels for about `most` evenly spread bars of `count`, from the first; the last bar
    is left unlabelled when its label would run off the chart's edge."""
    step = max(1, -(-count // most))
    indexes = [i for i in range(0, count, step) if count < 3 or i < count - step / 2 or i == 0]
    return [(i, label(i)) for i in indexes]


def bucket_name(series: ReviewSeries, index: int) -> str:
    first, last = series.bucket_start(index), series.bucket_end(index)
    return long_day(first) if first == last else f"{day_label(first)} – {long_day(last)}"


# -- history ---------------------------------------------------------------------------------


def fill_history(panels: dict[str, Panel], figures: HistoryFigures) -> None:
    fill_heatmap(panels["heatmap"], figures.heatmap)
    table = panels["retention"].body
    assert isinstance(table, RetentionTable)
    table.set_rows(figures.true_retention)
    year = figures.true_retention[-1]
    panels["retention"].set_summary(
        "Review answers only (not learning or relearning). Passed: Hard, Good or Easy. "
        f"Young: interval under 21 days. Last year: {percent(year.total.retention)} of "
        f"{year.total.total:,}."
    )
    fill_reviews(panels["reviews"], panels["time"], figures.reviews)
    fill_buttons(panels["buttons"], figures)
    fill_hours(panels["hours"], figures.hours)


def fill_heatmap(panel: Panel, heat: Heatmap) -> None:
    view = panel.body
    assert isinstance(view, HeatmapView)
    view.set_heatmap(heat)
    since = date.fromordinal(heat.first_day).strftime("%B %Y")
    panel.title.setText(
        "Reviews in the past year" if heat.days <= 366 else f"Reviews since {since}"
    )
    panel.set_summary(
        f"Daily average: {plural(heat.daily_average, 'review')}  ·  "
        f"Days learned: {heat.studied_share:.0%}  ·  "
        f"Longest streak: {plural(heat.longest_streak, 'day')}  ·  "
        f"Current streak: {plural(heat.current_streak, 'day')}"
    )


def fill_reviews(count_panel: Panel, time_panel: Panel, series: ReviewSeries) -> None:
    unit = {1: "day", 7: "week"}.get(series.bucket_days, f"{series.bucket_days} days")
    labels = spread_labels(series.buckets, lambda i: day_label(series.bucket_start(i)))
    for panel, values, in_minutes in (
        (count_panel, series.counts, False),
        (time_panel, series.minutes, True),
    ):
        view = panel.body
        assert isinstance(view, ChartView)
        stacked_bars(
            view,
            [(t.label, values[t], TYPE_COLOURS[t.label]) for t in TYPES],
            labels=labels,
            tooltip=_series_tip(series, values, minutes=in_minutes),
            value_format="%d min" if in_minutes else "%d",
        )
    days = series.days
    studied = _days_studied(series)
    answers = series.total_answers
    minutes = series.total_minutes
    count_panel.set_summary(
        f"{plural(answers, 'answer')} (a bar a {unit})  ·  average {answers / days:,.1f} a day"
        + (f", {answers / studied:,.1f} on the {studied} days studied" if studied else "")
    )
    seconds = minutes * 60 / answers if answers else 0
    time_panel.set_summary(
        f"{_amount(minutes, True)} in all  ·  average {_amount(minutes / days, True)} a day"
        f"  ·  {seconds:.1f} s an answer"
    )


def _series_tip(
    series: ReviewSeries, values: Mapping[AnswerType, tuple[float, ...]], *, minutes: bool
) -> Callable[[int], str]:
    def tip(index: int) -> str:
        total = sum(values[t][index] for t in TYPES)
        detail = ", ".join(
            f"{t.label.lower()} {_amount(values[t][index], minutes)}"
            for t in TYPES
            if values[t][index]
        )
        return f"{bucket_name(series, index)}: {_amount(total, minutes)}" + (
            f" ({detail})" if detail else ""
        )

    return tip


def _days_studied(series: ReviewSeries) -> int:
    if series.bucket_days != 1:
        return 0  # not known from weekly bars
    return sum(1 for i in range(series.buckets) if any(series.counts[t][i] for t in TYPES))


def _amount(value: float, minutes: bool) -> str:
    if not minutes:
        return plural(value, "review")
    if value >= 90:
        return f"{value / 60:.1f} h"
    return f"{value:.0f} min" if value >= 1 or value == 0 else f"{value * 60:.0f} s"


def fill_buttons(panel: Panel, figures: HistoryFigures) -> None:
    view = panel.body
    assert isinstance(view, ChartView)
    groups = figures.buttons
    names = [g.label for g in groups]

    def tip(rating_name: str, index: int) -> str:
        group = groups[index]
        rating = [r for r in Rating if RATING_NAMES[r] == rating_name][0]
        n = group.counts[int(rating) - 1]
        share = n / group.total if group.total else 0
        return f"{group.label} cards, {rating_name}: {n:,} ({share:.0%})"

    grouped_bars(
        view,
        names,
        [
            (RATING_NAMES[r], [g.counts[int(r) - 1] for g in groups], rating_colour(r))
            for r in Rating
        ],
        tooltip=tip,
    )
    total = sum(g.total for g in groups)
    correct = "  ·  ".join(
        f"{g.label.lower()} {percent(g.correct)}" for g in groups if g.correct is not None
    )
    panel.set_summary(
        f"Correct (any button but Again): {correct}" if total else "No answers in this period."
    )


def fill_hours(panel: Panel, hours: HourBreakdown) -> None:
    view = panel.body
    assert isinstance(view, ChartView)

    def tip(hour: int) -> str:
        n = hours.counts[hour]
        rate = hours.success(hour)
        return f"{hour:02d}:00–{hour:02d}:59: {plural(n, 'answer')}" + (
            f", {rate:.0%} passed" if rate is not None else ""
        )

    bars_with_line(
        view,
        ("Answers", hours.counts, TYPE_COLOURS["New"]),
        ("% passed", [hours.success(h) for h in range(24)]),
        labels=[(h, f"{h}h") for h in range(0, 24, 3)],
        tooltip=tip,
    )
    # The best hour among those with a fair share of the answers (not 2 lucky ones).
    enough = max(10, hours.total // 50)
    busy = [h for h in range(24) if hours.counts[h] >= enough] or list(range(24))
    best = max(busy, key=lambda h: (hours.success(h) or 0, hours.counts[h]))
    panel.set_summary(
        f"{plural(hours.total, 'answer')} by local hour"
        + (
            f"  ·  best hour {best}:00 ({percent(hours.success(best))} passed)"
            if hours.total
            else ""
        )
    )


# -- cards -----------------------------------------------------------------------------------


def fill_cards(panels: dict[str, Panel], figures: CardFigures) -> None:
    fill_forecast(panels["forecast"], figures.forecast)
    states = figures.states
    view = panels["states"].body
    assert isinstance(view, ChartView)
    pie(view, [(name, n, TYPE_COLOURS[name]) for name, n in states.parts()])
    panels["states"].set_summary(f"{plural(states.total, 'card')}. Young: interval under 21 days.")
    fill_histogram(
        panels["stability"],
        figures.stability,
        label=lambda lo, hi: f"{lo:.0f}–{hi:.0f} days",
        axis=lambda lo: f"{lo:.0f}d",
        mean=lambda m: f"average {m:.0f} days (until recall falls to 90%)",
    )
    fill_histogram(
        panels["difficulty"],
        figures.difficulty,
        label=lambda lo, hi: f"{lo:.0%}–{hi:.0%}",
        axis=lambda lo: f"{lo:.0%}",
        mean=lambda m: f"average {m:.0%}",
    )
    fill_histogram(
        panels["recall"],
        figures.retrievability,
        label=lambda lo, hi: f"{lo:.0%}–{hi:.0%}",
        axis=lambda lo: f"{lo:.0%}",
        mean=lambda m: f"average about {m:.0%}",
    )


def fill_forecast(panel: Panel, fc: Forecast) -> None:
    view = panel.body
    assert isinstance(view, ChartView)
    size = 7 if fc.days > 120 else 1
    buckets = -(-fc.days // size)
    kinds = (DueKind.LEARNING, DueKind.YOUNG, DueKind.MATURE)

    def summed(kind: DueKind, index: int) -> int:
        return sum(fc.due[kind][index * size : (index + 1) * size])

    def tip(index: int) -> str:
        first = fc.today + index * size
        last = min(fc.today + fc.days - 1, first + size - 1)
        name = (
            "Today"
            if first == fc.today and size == 1
            else (long_day(first) if size == 1 else f"{day_label(first)} – {long_day(last)}")
        )
        total = sum(summed(k, index) for k in kinds)
        detail = ", ".join(
            f"{k.label.lower()} {summed(k, index):,}" for k in kinds if summed(k, index)
        )
        late = f"; {fc.overdue:,} of them overdue" if index == 0 and fc.overdue else ""
        return f"{name}: {total:,} due" + (f" ({detail}{late})" if detail else "")

    def axis_label(index: int) -> str:
        return "today" if index == 0 else f"+{index * size}d"

    stacked_bars(
        view,
        [(k.label, [summed(k, i) for i in range(buckets)], TYPE_COLOURS[k.label]) for k in kinds],
        labels=spread_labels(buckets, axis_label),
        tooltip=tip,
    )
    panel.title.setText(f"Due in the next {fc.days} days")
    panel.set_summary(
        f"{fc.total:,} due  ·  average {fc.average:,.1f} a day  ·  due tomorrow {fc.tomorrow:,}"
        + (f"  ·  {fc.overdue:,} overdue (counted today)" if fc.overdue else "")
    )


def fill_histogram(
    panel: Panel,
    hist: Histogram,
    *,
    label: Callable[[float, float], str],
    axis: Callable[[float], str],
    mean: Callable[[float], str],
) -> None:
    view = panel.body
    assert isinstance(view, ChartView)
    edges = hist.edges
    last = len(hist.counts) - 1

    def name(index: int) -> str:
        if hist.open_ended and index == last:
            return label(edges[index], edges[index + 1]).split("–")[0] + " or more"
        return label(edges[index], edges[index + 1])

    def tip(index: int) -> str:
        n = hist.counts[index]
        share = n / hist.total if hist.total else 0
        return f"{name(index)}: {plural(n, 'card')} ({share:.0%})"

    stacked_bars(
        view,
        [("Cards", hist.counts, TYPE_COLOURS["Young"])],
        labels=spread_labels(len(hist.counts), lambda i: axis(edges[i]), most=6),
        tooltip=tip,
    )
    if hist.total == 0:
        panel.set_summary("No reviewed cards.")
        return
    text = f"{plural(hist.total, 'card')}"
    if hist.mean is not None:
        text += f"  ·  {mean(hist.mean)}"
    panel.set_summary(text)
