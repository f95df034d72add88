"""Study days: a day starts at the rollover hour in the user's local time zone.

A late-night session at 1 a.m. still belongs to the previous day (with the default
rollover at 4 a.m.), as in Anki. Days are numbered by `date.toordinal()` of the local
calendar date the day started on, so numbers are stable across time-zone changes of
the machine and easy to compare.
"""

from __future__ import annotations

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
