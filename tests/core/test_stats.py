"""core.stats and core.card_stats on fixed rows, against figures worked out by hand."""

from __future__ import annotations

import pytest

from flashcards.core.card_stats import (
    OVERDUE,
    DueKind,
    forecast,
    percent_histogram,
    recall_mean,
    recall_thresholds,
    stability_histogram,
)
from flashcards.core.stats import (
    AnswerCount,
    AnswerType,
    PassFail,
    answer_buttons,
    daily_totals,
    heatmap,
    hour_breakdown,
    review_series,
    series_range,
    true_retention,
)

TODAY = 1000
L, Y, M, R = AnswerType.LEARNING, AnswerType.YOUNG, AnswerType.MATURE, AnswerType.RELEARNING

HISTORY = [
    # today: young 4 pass (Good) 1 fail; mature 2 pass (Hard)
    AnswerCount(1000, Y, 3, 4, 40_000),
    AnswerCount(1000, Y, 1, 1, 20_000),
    AnswerCount(1000, M, 2, 2, 10_000),
    # learning and relearning answers never count for true retention
    AnswerCount(1000, L, 1, 9, 90_000),
    AnswerCount(1000, R, 3, 5, 30_000),
    # yesterday: young 2 fail; mature 3 pass (Easy)
    AnswerCount(999, Y, 1, 2, 6_000),
    AnswerCount(999, M, 4, 3, 6_000),
    # five days ago (in the last week): mature 1 fail
    AnswerCount(995, M, 1, 1, 0),
    # twenty days ago (in the last month): young 5 pass
    AnswerCount(980, Y, 3, 5, 0),
    # 300 days ago (in the last year): mature 7 pass
    AnswerCount(700, M, 3, 7, 0),
    # 400 days ago: outside every period
    AnswerCount(600, Y, 1, 50, 0),
]


def test_true_retention_by_period_as_worked_out_by_hand() -> None:
    rows = {row.key: row for row in true_retention(HISTORY, today=TODAY)}
    assert list(rows) == ["today", "yesterday", "week", "month", "year"]
    assert (rows["today"].young, rows["today"].mature) == (PassFail(4, 1), PassFail(2, 0))
    assert rows["today"].young.retention == pytest.approx(0.8)
    assert rows["today"].total == PassFail(6, 1)
    assert (rows["yesterday"].young, rows["yesterday"].mature) == (PassFail(0, 2), PassFail(3, 0))
    assert rows["yesterday"].young.retention == 0.0
    assert (rows["week"].young, rows["week"].mature) == (PassFail(4, 3), PassFail(5, 1))
    assert (rows["month"].young, rows["month"].mature) == (PassFail(9, 3), PassFail(5, 1))
    assert (rows["year"].young, rows["year"].mature) == (PassFail(9, 3), PassFail(12, 1))
    assert rows["year"].total.retention == pytest.approx(21 / 25)
    assert (rows["week"].first_day, rows["week"].last_day) == (994, 1000)
    assert (rows["year"].first_day, rows["year"].last_day) == (636, 1000)


def test_a_period_without_review_answers_has_no_retention() -> None:
    rows = true_retention([AnswerCount(TODAY, L, 3, 4)], today=TODAY)
    assert rows[0].total == PassFail(0, 0)
    assert rows[0].total.retention is None


def test_heatmap_counts_each_day_and_the_streaks() -> None:
    daily = {996: 3, 997: 1, 998: 2, 999: 5, 1000: 4, 990: 7, 991: 1, 992: 1, 993: 1, 994: 1}
    daily |= {980 + i: 1 for i in range(4)}  # 980-983
    hm = heatmap(daily, first_day=995, today=1000)
    assert hm.counts == (0, 3, 1, 2, 5, 4)
    assert hm.current_streak == 5  # 996-1000
    assert hm.longest_streak == 5
    longer = daily | {984 + i: 1 for i in range(6)}  # 980-994 in a row
    assert heatmap(longer, first_day=995, today=1000).longest_streak == 5  # not shown
    assert heatmap(longer, first_day=980, today=1000).longest_streak == 15
    assert hm.days_studied == 5 and hm.total == 15
    assert hm.daily_average == pytest.approx(15 / 6)
    assert hm.count_on(999) == 5 and hm.count_on(2000) == 0


def test_a_streak_still_counts_until_today_is_over() -> None:
    hm = heatmap({997: 1, 998: 1, 999: 1}, first_day=990, today=1000)
    assert hm.current_streak == 3  # nothing yet today: the streak ends yesterday
    assert heatmap({997: 1, 998: 1}, first_day=990, today=1000).current_streak == 0


def test_daily_totals_add_every_type_and_rating() -> None:
    assert daily_totals(HISTORY)[1000] == 4 + 1 + 2 + 9 + 5


def test_reviews_and_minutes_per_day_by_type() -> None:
    series = review_series(HISTORY, first_day=996, today=TODAY)
    assert (series.first_day, series.bucket_days, series.buckets) == (996, 1, 5)
    assert series.counts[Y] == (0, 0, 0, 2, 5)
    assert series.counts[L] == (0, 0, 0, 0, 9)
    assert series.minutes[Y][4] == pytest.approx(1.0)  # 60 s
    assert series.minutes[L][4] == pytest.approx(1.5)
    assert series.total_answers == 2 + 3 + 4 + 1 + 2 + 9 + 5


def test_a_year_of_bars_is_counted_by_weeks_ending_today() -> None:
    start, size, buckets = series_range(TODAY - 364, TODAY)
    assert (size, buckets) == (7, 53)
    assert start + size * buckets - 1 == TODAY
    series = review_series(HISTORY, first_day=TODAY - 364, today=TODAY)
    assert series.counts[M][-1] == 2 + 3 + 1  # days 994-1000
    assert sum(series.counts[M]) == 2 + 3 + 1 + 7
    assert series.bucket_end(series.buckets - 1) == TODAY


def test_answer_buttons_by_kind_of_card() -> None:
    learning, young, mature = answer_buttons(HISTORY, first_day=994, today=TODAY)
    assert learning.counts == (9, 0, 5, 0)  # relearning counts with learning
    assert young.counts == (3, 0, 4, 0)
    assert mature.counts == (1, 2, 0, 3)
    assert mature.correct == pytest.approx(5 / 6)


def test_hours_count_answers_and_passes() -> None:
    hours = hour_breakdown([(9, 3, 4), (9, 1, 1), (23, 0, 2)])
    assert hours.counts[9] == 5 and hours.passed[9] == 4
    assert hours.success(9) == pytest.approx(0.8)
    assert hours.success(23) == 0.0 and hours.success(0) is None


def test_forecast_puts_overdue_cards_on_today() -> None:
    rows = [
        (OVERDUE, DueKind.YOUNG, 4),
        (TODAY, DueKind.LEARNING, 2),
        (TODAY, DueKind.MATURE, 1),
        (TODAY + 1, DueKind.YOUNG, 3),
        (TODAY + 29, DueKind.MATURE, 5),
        (TODAY + 30, DueKind.MATURE, 100),  # past a 30-day forecast
    ]
    fc = forecast(rows, today=TODAY, days=30)
    assert fc.per_day[0] == 7 and fc.overdue == 4
    assert fc.due[DueKind.YOUNG][0] == 4 and fc.due[DueKind.LEARNING][0] == 2
    assert fc.tomorrow == 3
    assert fc.per_day[29] == 5
    assert fc.total == 15
    assert fc.average == pytest.approx(0.5)


def test_stability_bins_cover_most_cards_and_end_open() -> None:
    per_day = {0: 10, 1: 10, 5: 30, 12: 30, 40: 15, 900: 5}
    hist = stability_histogram(per_day)
    # 95% of the cards have stability below 41 days: 3-day bins (20 of them would reach
    # 60), 14 of them to reach 41; the last one also holds the 900-day cards
    assert hist.edges[1] - hist.edges[0] == 3
    assert len(hist.counts) == 14 and hist.edges[-1] == 42
    assert hist.open_ended
    assert hist.total == 100
    assert hist.counts[0] == 20 and hist.counts[1] == 30 and hist.counts[4] == 30
    assert hist.counts[13] == 15 + 5


def test_recall_thresholds_are_where_recall_crosses_each_five_percent() -> None:
    decay = -0.1542
    factor = 0.9 ** (1 / decay) - 1
    limits = recall_thresholds(decay=decay, factor=factor)
    assert len(limits) == 19
    for k, ratio in enumerate(limits, start=1):
        assert (1 + factor * ratio) ** decay == pytest.approx(k / 20)
    # recall 90% at ratio 1 (elapsed = stability), by FSRS's definition of stability
    assert limits[17] == pytest.approx(1.0)


def test_percent_histogram_and_its_mean() -> None:
    hist = percent_histogram({19: 3, 0: 1, 25: 1})  # out of range: clamped into the last bin
    assert hist.counts[19] == 4 and hist.counts[0] == 1
    assert recall_mean(hist) == pytest.approx((4 * 0.975 + 0.025) / 5)
