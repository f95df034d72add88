"""Review-log statistics from plain rows: true retention, reviews by day and card type,
the review heatmap and streaks, answer buttons and hour of day (the cards' figures, the
due forecast and histograms, are in `card_stats`).

The collection aggregates the review log and the cards in SQL (a few thousand rows
however long the history) and hands the rows here; everything is a pure function of
them and of `today`, a study-day number (core.days). Nothing here reads the clock.

Card types follow Anki: a *learning* answer is a new or learning card's, *relearning*
a lapsed card's, and a review answer is *young* when the interval it was shown after is
under 21 days, else *mature*. True retention (the True Retention add-on's figure) is the
share of review answers that passed: Hard, Good or Easy.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MATURE_DAYS = 21


class AnswerType(enum.IntEnum):
    """What a card was when it was answered (the numbers are stored by the SQL)."""

    LEARNING = 0
    YOUNG = 1
    MATURE = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Period(enum.Enum):
    """How far back the history charts look."""

    MONTH = "month"
    THREE_MONTHS = "3 months"
    YEAR = "year"
    ALL = "all"

    @property
    def days(self) -> int | None:
        """Days it covers, today included (None: since the first review)."""
        return {"month": 30, "3 months": 90, "year": 365, "all": None}[self.value]

    @property
    def label(self) -> str:
        return {"month": "1 month", "3 months": "3 months", "year": "1 year", "all": "All history"}[
            self.value
        ]

    @property
    def forecast_days(self) -> int:
        """The due forecast's horizon for this period: 30, 90 or 365 days."""
        return {"month": 30, "3 months": 90}.get(self.value, 365)


@dataclass(frozen=True)
class AnswerCount:
    """One row of the review log's aggregate: answers of a type and rating on a day."""

    day: int
    type: AnswerType
    rating: int  # 1-4 (Again…Easy)
    count: int
    duration_ms: int = 0


# -- true retention ------------------------------------------------------------------------


@dataclass(frozen=True)
class PassFail:
    passed: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def retention(self) -> float | None:
        """Share passed (None when there was no answer)."""
        return self.passed / self.total if self.total else None

    def __add__(self, other: PassFail) -> PassFail:
        return PassFail(self.passed + other.passed, self.failed + other.failed)


@dataclass(frozen=True)
class RetentionRow:
    """True retention over the study days `first_day`…`last_day`."""

    key: str  # today, yesterday, week, month, year
    label: str
    first_day: int
    last_day: int
    young: PassFail
    mature: PassFail

    @property
    def total(self) -> PassFail:
        return self.young + self.mature


RETENTION_PERIODS: tuple[tuple[str, str, int, int], ...] = (
    # key, label, first and last day as days before today
    ("today", "Today", 0, 0),
    ("yesterday", "Yesterday", 1, 1),
    ("week", "Last week", 6, 0),
    ("month", "Last month", 29, 0),
    ("year", "Last year", 364, 0),
)


def true_retention(rows: Iterable[AnswerCount], *, today: int) -> tuple[RetentionRow, ...]:
    """Pass and fail counts of young and mature review answers for today, yesterday and
    the last 7, 30 and 365 days (each ending today)."""
    tallies: dict[tuple[int, AnswerType, bool], int] = {}
    for row in rows:
        if row.type in (AnswerType.YOUNG, AnswerType.MATURE):
            tally = (row.day, row.type, row.rating > 1)
            tallies[tally] = tallies.get(tally, 0) + row.count
    out = []
    for key, label, back_first, back_last in RETENTION_PERIODS:
        first, last = today - back_first, today - back_last
        counts = {(t, ok): 0 for t in (AnswerType.YOUNG, AnswerType.MATURE) for ok in (True, False)}
        for (day, answer_type, ok), n in tallies.items():
            if first <= day <= last:
                counts[(answer_type, ok)] += n
        out.append(
            RetentionRow(
                key,
                label,
                first,
                last,
                young=PassFail(counts[(AnswerType.YOUNG, True)], counts[(AnswerType.YOUNG, False)]),
                mature=PassFail(
                    counts[(AnswerType.MATURE, True)], counts[(AnswerType.MATURE, False)]
                ),
            )
        )
    return tuple(out)


# -- the heatmap and streaks --------------------------------------------------------------


@dataclass(frozen=True)
class Heatmap:
    """Answers per study day from `first_day` to `last_day` (today), and streaks."""

    first_day: int
    last_day: int
    counts: tuple[int, ...]  # one per day, first_day first
    current_streak: int  # days in a row with an answer, ending today (or yesterday)
    longest_streak: int  # within the days shown
    days_studied: int  # days of the range with an answer

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def days(self) -> int:
        return len(self.counts)

    @property
    def daily_average(self) -> float:
        """Answers per day of the range (days without study count as 0)."""
        return self.total / self.days if self.days else 0.0

    @property
    def studied_share(self) -> float:
        return self.days_studied / self.days if self.days else 0.0

    def count_on(self, day: int) -> int:
        index = day - self.first_day
        return self.counts[index] if 0 <= index < len(self.counts) else 0


def daily_totals(rows: Iterable[AnswerCount]) -> dict[int, int]:
    """Answers per day, every type and rating together."""
    totals: dict[int, int] = {}
    for row in rows:
        totals[row.day] = totals.get(row.day, 0) + row.count
    return totals


def heatmap(daily: Mapping[int, int], *, first_day: int, today: int) -> Heatmap:
    """The heatmap of `daily` answer counts over `first_day`…`today`, with the streaks
    within those days (the days shown)."""
    counts = tuple(daily.get(day, 0) for day in range(first_day, today + 1))
    studied = sorted(day for day, n in daily.items() if n > 0 and first_day <= day <= today)
    longest = run = 0
    previous: int | None = None
    for day in studied:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    studied_set = set(studied)
    day = today if today in studied_set else today - 1
    current = 0
    while day in studied_set:
        current += 1
        day -= 1
    return Heatmap(
        first_day=first_day,
        last_day=today,
        counts=counts,
        current_streak=current,
        longest_streak=longest,
        days_studied=sum(1 for n in counts if n > 0),
    )


# -- reviews and time per day -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSeries:
    """Answers and minutes per bucket of `bucket_days` days, by card type. Bucket i covers
    days `first_day + i*bucket_days` onwards; the last one ends today (it may be short)."""

    first_day: int
    last_day: int
    bucket_days: int
    counts: Mapping[AnswerType, tuple[int, ...]]
    minutes: Mapping[AnswerType, tuple[float, ...]]

    @property
    def buckets(self) -> int:
        return len(next(iter(self.counts.values()), ()))

    def bucket_start(self, index: int) -> int:
        return self.first_day + index * self.bucket_days

    def bucket_end(self, index: int) -> int:
        return min(self.last_day, self.bucket_start(index) + self.bucket_days - 1)

    @property
    def total_answers(self) -> int:
        return sum(sum(v) for v in self.counts.values())

    @property
    def total_minutes(self) -> float:
        return sum(sum(v) for v in self.minutes.values())

    @property
    def days(self) -> int:
        return self.last_day - self.first_day + 1


def bucket_days_for(days: int) -> int:
    """Bars of one day up to three months, of a week up to a year and a half, then of
    four weeks: about 30 to 80 bars, thick enough to read."""
    if days <= 92:
        return 1
    if days <= 550:
        return 7
    return 28


def series_range(first_day: int, today: int) -> tuple[int, int, int]:
    """(start day, days per bucket, buckets) of the bars from `first_day` to `today`: the
    buckets end today, so the first one may begin a little before `first_day`."""
    span = max(1, today - first_day + 1)
    size = bucket_days_for(span)
    buckets = math.ceil(span / size)
    return today - buckets * size + 1, size, buckets


def review_series(rows: Iterable[AnswerCount], *, first_day: int, today: int) -> ReviewSeries:
    """Answers and minutes per day (or week, or four weeks) from `first_day` (rounded back
    to a whole bucket, see `series_range`) to `today`."""
    start, size, buckets = series_range(first_day, today)
    counts = {t: [0] * buckets for t in AnswerType}
    millis = {t: [0] * buckets for t in AnswerType}
    for row in rows:
        if start <= row.day <= today:
            index = (row.day - start) // size
            counts[row.type][index] += row.count
            millis[row.type][index] += row.duration_ms
    return ReviewSeries(
        first_day=start,
        last_day=today,
        bucket_days=size,
        counts={t: tuple(v) for t, v in counts.items()},
        minutes={t: tuple(ms / 60000 for ms in v) for t, v in millis.items()},
    )


# -- answer buttons and hours -------------------------------------------------------------


@dataclass(frozen=True)
class ButtonCounts:
    """Again, Hard, Good, Easy presses for one kind of card (Anki's Answer buttons)."""

    label: str
    counts: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def correct(self) -> float | None:
        """Share of answers other than Again."""
        return (self.total - self.counts[0]) / self.total if self.total else None


BUTTON_GROUPS: tuple[tuple[str, frozenset[AnswerType]], ...] = (
    ("Learning", frozenset({AnswerType.LEARNING, AnswerType.RELEARNING})),
    ("Young", frozenset({AnswerType.YOUNG})),
    ("Mature", frozenset({AnswerType.MATURE})),
)


def answer_buttons(
    rows: Iterable[AnswerCount], *, first_day: int, today: int
) -> tuple[ButtonCounts, ...]:
    """Presses of each button by learning (with relearning), young and mature cards."""
    tallies = {label: [0, 0, 0, 0] for label, _ in BUTTON_GROUPS}
    for row in rows:
        if not first_day <= row.day <= today or not 1 <= row.rating <= 4:
            continue
        for label, types in BUTTON_GROUPS:
            if row.type in types:
                tallies[label][row.rating - 1] += row.count
    return tuple(
        ButtonCounts(label, (v[0], v[1], v[2], v[3]))
        for label, v in ((label, tallies[label]) for label, _ in BUTTON_GROUPS)
    )


@dataclass(frozen=True)
class HourBreakdown:
    """Answers by the local hour they were given at, and how many passed."""

    counts: tuple[int, ...]  # 24
    passed: tuple[int, ...]  # 24

    def success(self, hour: int) -> float | None:
        n = self.counts[hour]
        return self.passed[hour] / n if n else None

    @property
    def total(self) -> int:
        return sum(self.counts)


def hour_breakdown(rows: Iterable[tuple[int, int, int]]) -> HourBreakdown:
    """From (hour 0-23, answers passed, answers) rows."""
    counts, passed = [0] * 24, [0] * 24
    for hour, ok, n in rows:
        counts[hour % 24] += n
        passed[hour % 24] += ok
    return HourBreakdown(tuple(counts), tuple(passed))
