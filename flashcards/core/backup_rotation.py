"""Which automatic backups to keep, as Anki keeps them: the most recent ones, then one a
day, then one a week (pure: the times in, the times to keep out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo


@dataclass(frozen=True)
class Rotation:
    """How many backups to keep: the newest `frequent`, then the newest of each of
    `daily` other days, then the newest of each of `weekly` other weeks."""

    frequent: int = 12
    daily: int = 7
    weekly: int = 4


def backups_to_keep(
    times: Iterable[datetime], *, tz: tzinfo, rotation: Rotation = Rotation()
) -> set[datetime]:
    """The backup times to keep; days and weeks are the user's local ones (`tz`)."""
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    kept: set[datetime] = set()
    daily = weekly = 0
    for index, when in enumerate(sorted(set(times), reverse=True)):
        local = when.astimezone(tz).date()
        week = local.isocalendar()[:2]
        if index < rotation.frequent:
            keep = True
        elif local not in days and daily < rotation.daily:
            keep, daily = True, daily + 1
        elif week not in weeks and weekly < rotation.weekly:
            keep, weekly = True, weekly + 1
        else:
            keep = False
        if keep:
            kept.add(when)
            days.add(local)
            weeks.add((week[0], week[1]))
    return kept
