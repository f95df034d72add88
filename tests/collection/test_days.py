"""Study days start at the rollover hour, local wall-clock time, through DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flashcards.core.days import day_end, day_number, day_start

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_day_changes_at_rollover_hour_local_time() -> None:
    # 03:59 Berlin (CET, UTC+1) on 28 Nov belongs to 27 Nov; 04:00 starts 28 Nov.
    before = day_number(utc(2026, 11, 28, 2, 59), BERLIN, 4)
    after = day_number(utc(2026, 11, 28, 3, 0), BERLIN, 4)
    assert after == before + 1
    assert after == datetime(2026, 11, 28).toordinal()


def test_day_start_round_trips() -> None:
    day = datetime(2026, 11, 28).toordinal()
    start = day_start(day, BERLIN, 4)
    assert start == utc(2026, 11, 28, 3, 0)
    assert day_number(start, BERLIN, 4) == day
    assert day_number(start - timedelta(seconds=1), BERLIN, 4) == day - 1
    assert day_end(day, BERLIN, 4) == utc(2026, 11, 29, 3, 0)


def test_spring_forward_day_is_23_hours() -> None:
    # Clocks go 02:00 → 03:00 in Berlin on 29 March 2026.
    day = datetime(2026, 3, 29).toordinal()
    start, end = day_start(day, BERLIN, 4), day_end(day, BERLIN, 4)
    assert start == utc(2026, 3, 29, 2, 0)  # 04:00 CEST
    assert end - start == timedelta(hours=24)  # 29 Mar 04:00 CEST → 30 Mar 04:00 CEST
    previous = day_start(day - 1, BERLIN, 4)
    assert start - previous == timedelta(hours=23)  # the day holding the jump is short
    # 03:30 local on the 29th (01:30 UTC) still belongs to the 28th.
    assert day_number(utc(2026, 3, 29, 1, 30), BERLIN, 4) == day - 1


def test_fall_back_day_is_25_hours() -> None:
    # Clocks go 03:00 → 02:00 in Berlin on 25 October 2026.
    day = datetime(2026, 10, 25).toordinal()
    previous = day_start(day - 1, BERLIN, 4)
    start = day_start(day, BERLIN, 4)
    assert start == utc(2026, 10, 25, 3, 0)  # 04:00 CET
    assert start - previous == timedelta(hours=25)
    # Both 02:30s of the repeated hour belong to the 24th.
    assert day_number(utc(2026, 10, 25, 0, 30), BERLIN, 4) == day - 1
    assert day_number(utc(2026, 10, 25, 1, 30), BERLIN, 4) == day - 1
    assert day_number(utc(2026, 10, 25, 3, 0), BERLIN, 4) == day


def test_rollover_inside_the_dst_gap() -> None:
    # A 2 a.m. rollover does not exist on 29 March; the day starts when clocks jump.
    day = datetime(2026, 3, 29).toordinal()
    start = day_start(day, BERLIN, 2)
    assert start == utc(2026, 3, 29, 1, 0)
    assert day_number(start, BERLIN, 2) == day


def test_naive_time_and_bad_hour_are_refused() -> None:
    with pytest.raises(ValueError):
        day_number(datetime(2026, 1, 1), BERLIN, 4)
    with pytest.raises(ValueError):
        day_number(utc(2026, 1, 1), BERLIN, 24)
