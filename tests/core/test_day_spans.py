"""core.days.day_spans and day_bounds: a database's arithmetic agrees with day_number."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flashcards.core.days import UNIX_EPOCH_DAY, day_bounds, day_number, day_spans


def day_by_spans(epoch_s: int, spans) -> int | None:  # noqa: ANN001 (test helper)
    for span in spans:
        if span.start_s <= epoch_s < span.end_s:
            raw = (epoch_s + span.shift_s) // 86400 + UNIX_EPOCH_DAY
            return min(span.last_day, max(span.first_day, raw))
    return None


@pytest.mark.parametrize(
    ("zone", "rollover"),
    [
        ("Europe/Berlin", 4),
        ("America/New_York", 0),
        ("Asia/Kolkata", 4),
        ("UTC", 4),
        ("Australia/Lord_Howe", 3),
    ],
)
def test_every_hour_of_a_year_falls_in_the_day_day_number_says(zone: str, rollover: int) -> None:
    tz = ZoneInfo(zone)
    first = date(2026, 1, 1).toordinal()
    last = first + 365
    spans = day_spans(first, last, tz, rollover)
    assert len(spans) <= 4  # cut only where the clocks change
    t = spans[0].start_s
    while t < spans[-1].end_s:
        moment = datetime.fromtimestamp(t, UTC)
        assert day_by_spans(t, spans) == day_number(moment, tz, rollover), moment
        t += 1800  # every half hour (Kolkata and Lord Howe have half-hour offsets)


def test_spans_cut_at_the_clock_changes_and_carry_the_offset() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = date(2026, 3, 20).toordinal()
    spans = day_spans(first, first + 20, berlin, 4)
    assert [date.fromordinal(s.last_day) for s in spans] == [date(2026, 3, 28), date(2026, 4, 9)]
    assert [s.offset_s for s in spans] == [3600, 7200]


def test_day_bounds_follow_the_rollover_hour() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    day = date(2026, 3, 28).toordinal()  # the night the clocks go forward
    (d, start, end), (d2, start2, _end2) = day_bounds(day, day + 1, berlin, 4)
    assert (d, d2) == (day, day + 1)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 3, 28, 3, tzinfo=UTC)
    assert end == start2
    assert end - start == 23 * 3600
    assert datetime.fromtimestamp(start2, UTC) + timedelta(hours=2) == datetime(
        2026, 3, 29, 4, tzinfo=UTC
    )
