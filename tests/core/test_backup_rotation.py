"""Which backups the rotation keeps: the newest 12, then one a day for 7 more days, then
one a week for 4 more weeks (the user's days)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flashcards.core.backup_rotation import Rotation, backups_to_keep

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # a Saturday


def test_every_half_hour_for_sixty_days() -> None:
    times = [T0 - timedelta(minutes=30 * i) for i in range(60 * 48)]
    kept = sorted(backups_to_keep(times, tz=UTC), reverse=True)
    assert len(kept) == 12 + 7 + 4
    assert kept[:12] == times[:12]  # the newest, all of them
    days = [t.date() for t in kept[12:19]]
    # One a day for the 7 days before today's, each the newest of its day.
    assert days == [(T0 - timedelta(days=d)).date() for d in range(1, 8)]
    assert all(t.time() == time(23, 30) for t in kept[12:19])
    weeks = [t.isocalendar()[:2] for t in kept[19:]]
    assert len(set(weeks)) == 4
    assert all(w < (T0 - timedelta(days=7)).isocalendar()[:2] for w in weeks)


def test_few_backups_are_all_kept() -> None:
    times = [T0 - timedelta(days=3 * i) for i in range(10)]
    assert backups_to_keep(times, tz=UTC) == set(times)


def test_days_are_the_users_local_days() -> None:
    # 23:30 and 00:30 UTC are the same day in New York: only the newer is kept as "daily".
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    early = datetime(2026, 11, 21, 0, 30, tzinfo=UTC)
    recent = [T0 - timedelta(minutes=i) for i in range(2)]
    rotation = Rotation(frequent=2, daily=5, weekly=0)
    assert backups_to_keep([*recent, late, early], tz=UTC, rotation=rotation) == {
        *recent,
        late,
        early,
    }
    assert backups_to_keep(
        [*recent, late, early], tz=ZoneInfo("America/New_York"), rotation=rotation
    ) == {*recent, early}
