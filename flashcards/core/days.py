"""Study days: a day starts at the rollover hour in the user's local time zone.

A late-night session at 1 a.m. still belongs to the previous day (with the default
rollover at 4 a.m.), as in Anki. Days are numbered by `date.toordinal()` of the local
calendar date the day started on, so numbers are stable across time-zone changes of
the machine and easy to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4


def _check(now_utc: datetime, rollover_hour: int) -> None:
    if now_utc.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover hour must be 0–23, got {rollover_hour}")


def day_number(now_utc: datetime, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> int:
    """The study day `now_utc` falls in: the ordinal of the local date it started on."""
    _check(now_utc, rollover_hour)
    local = now_utc.astimezone(tz)
    # Wall-clock subtraction (not elapsed time), so a DST jump does not move the boundary.
    if local.hour < rollover_hour:
        return local.date().toordinal() - 1
    return local.date().toordinal()


def day_start(day: int, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> datetime:
    """The UTC instant study day `day` begins (the rollover hour, local wall clock)."""
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover hour must be 0–23, got {rollover_hour}")
    local = datetime.combine(date.fromordinal(day), time(rollover_hour), tzinfo=tz)
    start = local.astimezone(UTC)
    # A rollover hour inside a spring-forward gap does not exist on that date; zoneinfo
    # maps it forward, which can round-trip to a later hour. Accept that: the day then
    # begins when the clocks jump.
    return start


def day_end(day: int, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> datetime:
    """The UTC instant study day `day` ends (the next day's start)."""
    return day_start(day + 1, tz, rollover_hour)


def days_between(earlier: datetime, later: datetime) -> float:
    """Elapsed time in days (fractional) between two aware datetimes."""
    return (later - earlier) / timedelta(days=1)


@dataclass(frozen=True)
class DaySpan:
    """Consecutive study days whose starts share one UTC offset: within it the day of an
    instant is plain arithmetic, `(t + shift) // 86400` (see `day_spans`)."""

    first_day: int
    last_day: int
    start_s: int  # UTC epoch seconds first_day starts
    end_s: int  # UTC epoch seconds the day after last_day starts
    shift_s: int  # seconds to add to an epoch time so whole days count study days
    offset_s: int  # the UTC offset the days start with (add it for the local clock)


UNIX_EPOCH_DAY = date(1970, 1, 1).toordinal()


def day_spans(
    first_day: int, last_day: int, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR
) -> tuple[DaySpan, ...]:
    """Study days `first_day`…`last_day` cut where the clocks change, so that a database can
    count an instant's day without a calendar: for epoch seconds `t` in a span,
    `min(last, max(first, (t + shift_s) // 86400 + UNIX_EPOCH_DAY))` is its study day.

    A day of 24 hours gives the exact day by the formula; a 25-hour day (clocks back) is
    always the last of its span, and the clamp keeps its extra hour in it."""
    if last_day < first_day:
        return ()
    spans: list[DaySpan] = []
    start = _epoch(day_start(first_day, tz, rollover_hour))
    span_first, span_start = first_day, start
    shift = (first_day - UNIX_EPOCH_DAY) * 86400 - start
    for day in range(first_day, last_day + 1):
        following = _epoch(day_start(day + 1, tz, rollover_hour))
        next_shift = (day + 1 - UNIX_EPOCH_DAY) * 86400 - following
        if next_shift != shift or day == last_day:
            spans.append(
                DaySpan(span_first, day, span_start, following, shift, shift + rollover_hour * 3600)
            )
            span_first, span_start, shift = day + 1, following, next_shift
    return tuple(spans)


def _epoch(instant: datetime) -> int:
    return round(instant.timestamp())


def day_bounds(
    first_day: int, last_day: int, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR
) -> tuple[tuple[int, int, int], ...]:
    """(day, start, end) of each study day `first_day`…`last_day`, in UTC epoch seconds."""
    starts = [_epoch(day_start(d, tz, rollover_hour)) for d in range(first_day, last_day + 2)]
    return tuple((first_day + i, starts[i], starts[i + 1]) for i in range(len(starts) - 1))
