"""The new-card pace of a deadline: how many new cards a day see every new card some days
before the exam (README "Scheduling for an exam date"), and the Today line that says so.
Pure: days are study-day numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

MAX_PACE = 100
"""New cards a day the pace asks for at most: past that a day's study stops being a
review session (the Today line says how many would still be new)."""


@dataclass(frozen=True)
class NewPace:
    """New cards a day that see every new card by `finish_day`."""

    per_day: int  # new cards a day the deadline asks for (0 when none are left)
    finish_day: int  # the study day every new card should have been seen by
    new_left: int  # new cards left at the start of today
    capped: bool  # per_day is MAX_PACE, short of what finishing would take

    def short_by(self, days: int) -> int:
        """New cards still unseen after `days` days at this pace."""
        return max(0, self.new_left - self.per_day * days)


def new_pace(
    new_left: int, *, today: int, exam_day: int, buffer_days: int, max_pace: int = MAX_PACE
) -> NewPace:
    """The pace: ceil(new cards left / days from today to the finish day, both counted);
    all of them today once the finish day has passed; never above `max_pace`."""
    finish = exam_day - buffer_days
    days = finish - today + 1
    need = new_left if days < 1 else math.ceil(new_left / days)
    return NewPace(min(need, max_pace), finish, new_left, need > max_pace)


@dataclass(frozen=True)
class DeckPace:
    """The pace as the queue's limits take it: these decks' new cards a day raised to
    `per_day`, and a selection holding any of them allowed `per_day` of theirs a day."""

    decks: frozenset[int]
    per_day: int


def new_per_day(own: int, pace: NewPace | None) -> int:
    """A deck's new cards a day with the pace: raised to it, never lowered."""
    return own if pace is None else max(own, pace.per_day)


def pace_line(pace: NewPace, own: int, *, today: int) -> str:
    """The Today page's sentence about the pace ("24 new a day to finish by 12 Mar"), with
    `own` the decks' new cards a day without it."""
    finish = short_date(pace.finish_day)
    if pace.new_left == 0:
        return "Every new card seen: reviews only until the exam"
    per_day = max(own, pace.per_day)
    most = " (the most the pace asks)" if pace.capped and per_day == pace.per_day else ""
    days = pace.finish_day - today + 1
    if days < 1:  # inside the buffer: what is left, today
        short = pace.new_left - per_day
        if short > 0:
            return f"{per_day} new today{most}: {short} still new, and {finish} has passed"
        return f"The last {pace.new_left} new cards today ({finish} has passed)"
    short = pace.new_left - per_day * days
    if short > 0:
        return f"{per_day} new a day{most}: {short} still new on {finish}"
    if pace.per_day > own:
        return f"{pace.per_day} new a day to finish by {finish}"
    done = today + math.ceil(pace.new_left / own) - 1
    return f"{own} new a day finishes the new cards by {short_date(done)} (deadline {finish})"


def short_date(day: int) -> str:
    """A study day as "12 Mar"."""
    d = date.fromordinal(day)
    return f"{d.day} {d:%b}"
