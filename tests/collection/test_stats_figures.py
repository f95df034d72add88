"""The statistics window's figures read from a real collection: true retention on a
fixed history worked out by hand, days that follow the rollover hour and the time zone,
the forecast, card states and histograms, and every filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from col_helpers import T0, deck_text, note, write

from flashcards.collection import Collection
from flashcards.collection import stats_filter as sf
from flashcards.collection.card_stats import card_figures
from flashcards.collection.domain_retention import domain_retention
from flashcards.collection.stats import history_figures, statistics
from flashcards.collection.stats_filter import StatsFilter
from flashcards.core.card_stats import DueKind
from flashcards.core.errors import QueryError
from flashcards.core.model import Rating
from flashcards.core.stats import AnswerType, PassFail, Period
from flashcards.storage.convert import to_epoch, to_epoch_ms

DAY = timedelta(days=1)


def library(data_dir: Path) -> None:
    """Two domains: Modeling (a.md: cards a0-a5) and Data (b.md: b0-b3), in folder x/."""
    cards_a = [note(f"A{i}", nid=f"a{i}") for i in range(6)]
    cards_b = [note(f"B{i}", nid=f"b{i}") for i in range(4)]
    write(data_dir / "decks" / "x" / "a.md", deck_text(*cards_a, title="A", domain="Modeling"))
    write(data_dir / "decks" / "x" / "b.md", deck_text(*cards_b, title="B", domain="Data"))


def log(
    col: Collection,
    card: str,
    when: datetime,
    rating: int,
    *,
    state_before: int = 2,
    interval_days: float = 5,
    device: str = "dev",
    duration_ms: int = 10_000,
) -> None:
    """One answer in the review log as the app writes it (before-state and interval)."""
    due = to_epoch(when)
    last = due - int(interval_days * 86400) if state_before == 2 else None
    with col._write() as s:
        raw = s.connection().connection.driver_connection
        raw.execute(
            "INSERT INTO reviews (card_id, time_ms, rating, duration_ms, kind, state_before, "
            "due_before, last_review_before, state_after, device_id) "
            "VALUES (?, ?, ?, ?, 'review', ?, ?, ?, 2, ?)",
            (card, to_epoch_ms(when), rating, duration_ms, state_before, due, last, device),
        )


@pytest.fixture
def col(data_dir: Path, open_col: Callable[..., Collection]) -> Collection:
    """UTC days starting at 04:00; T0 is Saturday 28 Nov 2026, 12:00."""
    library(data_dir)
    return open_col()


def fixed_history(col: Collection) -> None:
    today = T0.replace(hour=10)
    log(col, "a0", today, 3)  # young Good
    log(col, "a1", today, 3)  # young Good
    log(col, "a2", today, 1)  # young Again
    log(col, "a3", today, 2, interval_days=30)  # mature Hard
    log(col, "a4", today, 3, state_before=0)  # a new card's first answer: learning
    log(col, "a5", today, 1, state_before=3)  # relearning
    # 02:00 today is before the 04:00 rollover: it belongs to yesterday
    log(col, "b0", T0.replace(hour=2), 1, interval_days=21)  # mature Again
    log(col, "b1", T0 - DAY, 4)  # young Easy, yesterday
    for card in ("b2", "b3", "a0"):
        log(col, card, T0 - 10 * DAY, 3, interval_days=40)  # mature Good, 10 days ago
    # An imported history (no before-state): judged by the time since the previous answer
    start = T0 - 100 * DAY
    log(col, "b3", start, 3, state_before=0, device="import")  # first: learning
    log(col, "b3", start + timedelta(hours=2), 3, state_before=0, device="import")  # learning
    log(col, "b3", start + 5 * DAY, 3, state_before=0, device="import")  # 5 d later: young
    log(col, "b3", start + 40 * DAY, 1, state_before=0, device="import")  # 35 d: mature


def test_true_retention_of_a_fixed_history_as_worked_out_by_hand(col: Collection) -> None:
    fixed_history(col)
    rows = {r.key: r for r in history_figures(col, now=T0).true_retention}
    assert (rows["today"].young, rows["today"].mature) == (PassFail(2, 1), PassFail(1, 0))
    assert (rows["yesterday"].young, rows["yesterday"].mature) == (PassFail(1, 0), PassFail(0, 1))
    assert (rows["week"].young, rows["week"].mature) == (PassFail(3, 1), PassFail(1, 1))
    assert (rows["month"].young, rows["month"].mature) == (PassFail(3, 1), PassFail(4, 1))
    assert (rows["year"].young, rows["year"].mature) == (PassFail(4, 1), PassFail(4, 2))
    assert rows["year"].total.retention == pytest.approx(8 / 11)


def test_both_ways_of_counting_agree(col: Collection, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small selection is read card by card, a big one day by day: the same figures."""
    fixed_history(col)
    for filt in (StatsFilter(), StatsFilter(deck="x/a.md"), StatsFilter(period=Period.ALL)):
        monkeypatch.setattr(sf, "SMALL_SHARE", 1.0)
        by_card = history_figures(col, filt, now=T0)
        monkeypatch.setattr(sf, "SMALL_SHARE", -1.0)
        by_day = history_figures(col, filt, now=T0)
        assert by_card == by_day


def test_answer_buttons_and_hours_of_the_fixed_history(col: Collection) -> None:
    fixed_history(col)
    figures = history_figures(col, StatsFilter(period=Period.MONTH), now=T0)
    learning, young, mature = figures.buttons
    assert learning.counts == (1, 0, 1, 0)  # the relearning Again, the new card's Good
    assert young.counts == (1, 0, 2, 1)
    assert mature.counts == (1, 1, 3, 0)
    # UTC: 10:00 today's six, 02:00 one, 12:00 yesterday's and the three of 10 days ago
    assert figures.hours.counts[10] == 6
    assert figures.hours.counts[2] == 1
    assert figures.hours.counts[12] == 4
    assert figures.hours.passed[10] == 4
    assert figures.hours.total == 11  # the imported ones are older than a month


def test_heatmap_days_follow_the_rollover_hour_and_the_time_zone(col: Collection) -> None:
    ids = col.queue(now=T0)
    # 03:30 and 04:30 UTC on the same date: two study days with the rollover at 04:00
    col.answer(ids[0], Rating.GOOD, now=T0.replace(hour=3, minute=30))
    col.answer(ids[1], Rating.GOOD, now=T0.replace(hour=4, minute=30))
    col.answer(ids[2], Rating.GOOD, now=T0.replace(hour=11))
    today = col.today(T0)
    hm = history_figures(col, now=T0).heatmap
    assert (hm.count_on(today - 1), hm.count_on(today)) == (1, 2)
    assert hm.current_streak == 2 and hm.days_studied == 2
    assert hm.last_day == today and hm.days == 365
    col.set_setting("rollover_hour", 0)
    hm = history_figures(col, now=T0).heatmap
    assert (hm.count_on(today - 1), hm.count_on(today)) == (0, 3)
    # New York: 03:30 and 04:30 UTC are 22:30 and 23:30 the evening before
    col.set_setting("timezone", "America/New_York")
    hm = history_figures(col, now=T0).heatmap
    assert (hm.count_on(today - 1), hm.count_on(today)) == (2, 1)


def test_reviews_and_minutes_per_day(col: Collection) -> None:
    fixed_history(col)
    series = history_figures(col, StatsFilter(period=Period.MONTH), now=T0).reviews
    assert series.bucket_days == 1 and series.buckets == 30
    assert series.counts[AnswerType.YOUNG][-1] == 3 and series.counts[AnswerType.MATURE][-1] == 1
    assert series.counts[AnswerType.MATURE][-2] == 1  # the 02:00 answer, yesterday
    assert series.minutes[AnswerType.LEARNING][-1] == pytest.approx(10 / 60)
    assert series.total_answers == 11


def test_forecast_counts_cards_by_due_day(col: Collection) -> None:
    col.set_due(["a0", "a1"], days=0, now=T0 - 3 * DAY)  # overdue since three days
    col.set_due(["a2"], days=1, now=T0)  # tomorrow, a young card
    col.set_due(["b0", "b1", "b2"], days=40, now=T0)  # mature
    col.set_due(["b3"], days=100, now=T0)  # past 90 days
    fc = card_figures(col, StatsFilter(period=Period.THREE_MONTHS), now=T0).forecast
    assert fc.days == 90
    assert fc.per_day[0] == 2 and fc.overdue == 2
    assert fc.tomorrow == 1 and fc.due[DueKind.YOUNG][1] == 1
    assert fc.due[DueKind.MATURE][40] == 3
    assert fc.total == 6
    year = card_figures(col, StatsFilter(period=Period.YEAR), now=T0).forecast
    assert year.days == 365 and year.per_day[100] == 1 and year.total == 7


def test_card_states_and_histograms(col: Collection) -> None:
    col.set_due(["a0", "a1"], days=5, now=T0)  # young, stability 5
    col.set_due(["a2"], days=30, now=T0)  # mature, stability 30
    col.suspend(["b0"])
    figures = card_figures(col, now=T0)
    states = figures.states
    assert (states.new, states.young, states.mature, states.suspended) == (6, 2, 1, 1)
    assert states.total == 10
    assert figures.stability.total == 3
    assert figures.stability.mean == pytest.approx((5 + 5 + 30) / 3)
    assert figures.difficulty.total == 3
    assert figures.difficulty.counts[8] == 3  # difficulty 5 of 1-10: 44%
    # just reviewed: recall 100%, the top bin
    assert figures.retrievability.counts[19] == 3
    later = card_figures(col, now=T0 + 6 * DAY).retrievability
    assert later.counts[17] == 2  # six days on a stability of five: 88.7%
    assert later.counts[19] == 1  # six days on thirty: 97%
    assert later.total == 3


def test_every_filter_narrows_the_cards(col: Collection) -> None:
    fixed_history(col)
    col.set_due(["a0", "b0"], days=5, now=T0)

    def year(filt: StatsFilter) -> PassFail:
        return history_figures(col, filt, now=T0).true_retention[-1].total

    assert year(StatsFilter()) == PassFail(8, 3)
    assert year(StatsFilter(deck="x/a.md")) == PassFail(4, 1)  # a deck by its file
    assert year(StatsFilter(deck="X::A")) == PassFail(4, 1)  # a deck by its name
    assert year(StatsFilter(deck="x")) == PassFail(8, 3)  # a folder
    assert year(StatsFilter(deck="domain:Data")) == PassFail(4, 2)  # an exam domain
    assert year(StatsFilter(search="B1 or B2")) == PassFail(2, 0)  # the browser's search
    assert year(StatsFilter(deck="domain:Data", search="b3 or B0")) == PassFail(2, 2)
    assert card_figures(col, StatsFilter(deck="domain:Data"), now=T0).states.total == 4
    assert card_figures(col, StatsFilter(search="is:review"), now=T0).states.total == 2
    with pytest.raises(QueryError):
        history_figures(col, StatsFilter(search='"unclosed'), now=T0)


def test_the_period_narrows_the_history_charts_not_true_retention(col: Collection) -> None:
    fixed_history(col)
    log(col, "a0", T0 - 40 * DAY, 3)
    month = history_figures(col, StatsFilter(period=Period.MONTH), now=T0)
    everything = history_figures(col, StatsFilter(period=Period.ALL), now=T0)
    assert month.reviews.total_answers == 11
    assert everything.reviews.total_answers == 16
    assert sum(b.total for b in month.buttons) == 11
    assert month.true_retention == everything.true_retention
    assert everything.first_day == col.today(T0) - 100  # the first (imported) answer
    assert month.heatmap == everything.heatmap  # a year either way


def test_statistics_bundles_every_figure(col: Collection) -> None:
    fixed_history(col)
    figures = statistics(col, StatsFilter(deck="x/b.md"), now=T0)
    assert figures.history.true_retention[-1].total == PassFail(4, 2)
    assert figures.cards.states.total == 4


def test_true_retention_by_exam_domain(col: Collection) -> None:
    fixed_history(col)
    modeling, data = domain_retention(col, now=T0)[::-1]  # sorted by name: Data first
    assert modeling.domain == "Modeling"
    assert (modeling.year_young, modeling.year_mature) == (PassFail(2, 1), PassFail(2, 0))
    assert (modeling.month_young, modeling.month_mature) == (PassFail(2, 1), PassFail(2, 0))
    assert data.domain == "Data"
    assert (data.year_young, data.year_mature) == (PassFail(2, 0), PassFail(2, 2))
    assert (data.month_young, data.month_mature) == (PassFail(1, 0), PassFail(2, 1))
    assert data.year.retention == pytest.approx(4 / 6)
    only = domain_retention(col, StatsFilter(search="B1 or A0"), now=T0)
    assert [(d.domain, d.year) for d in only] == [
        ("Data", PassFail(1, 0)),
        ("Modeling", PassFail(2, 0)),
    ]


def test_leeches_by_exam_domain_follow_the_tag_and_the_filter(
    data_dir: Path, col: Collection
) -> None:
    """Issue 14.5: the statistics show leeches per domain — the cards tagged `leech` (as
    a lapse at the threshold tags them, or Anki's tag), within the filter's cards."""
    assert [d.leeches for d in domain_retention(col, now=T0)] == [0, 0]
    cards_a = [note(f"A{i}", "Answer\nTags: leech" if i < 2 else "", nid=f"a{i}") for i in range(6)]
    cards_b = [note("B0", "Answer\nTags: Leech, other", nid="b0")]
    cards_b += [note(f"B{i}", "Answer\nTags: leeches", nid=f"b{i}") for i in range(1, 4)]
    write(data_dir / "decks" / "x" / "a.md", deck_text(*cards_a, title="A", domain="Modeling"))
    write(data_dir / "decks" / "x" / "b.md", deck_text(*cards_b, title="B", domain="Data"))
    col.sync(now=T0)
    got = {d.domain: d.leeches for d in domain_retention(col, now=T0)}
    assert got == {"Data": 1, "Modeling": 2}  # "leeches" is another tag
    only = domain_retention(col, StatsFilter(search="A0 or B1"), now=T0)
    assert {d.domain: d.leeches for d in only} == {"Data": 0, "Modeling": 1}
