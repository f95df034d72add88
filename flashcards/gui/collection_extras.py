"""Read-only figures the Today and summary screens want that the facade does not offer yet:
when the next card falls due, the study streak, whether the user has studied beyond a deck
(the study pace: collection/study_pace.py).

Each prefers a facade method of the same name when there is one, and otherwise reads
the database through the collection's own read session (run on the worker thread).
No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flashcards.core.days import day_number, day_start

STREAK_LOOKBACK_DAYS = 400


def _deck_filter(decks: Sequence[str] | None, params: dict[str, Any]) -> str:
    if not decks:
        return ""
    parts = []
    for i, name in enumerate(decks):
        params[f"d{i}"] = name
        params[f"p{i}"] = name + "::%"
        parts.append(f"d.name = :d{i} OR d.name LIKE :p{i}")
    return " AND (" + " OR ".join(parts) + ")"


def next_due(col: Any, *, decks: Sequence[str] | None, now: datetime) -> datetime | None:
    """When a card in `decks` (all when None) is next due after `now`, or None."""
    finder = getattr(col, "next_due", None)
    if callable(finder):
        result: datetime | None = finder(now=now)
        return result
    from sqlalchemy import text  # here: the GUI's start-up need not load SQLAlchemy

    params: dict[str, Any] = {"now": int(now.timestamp())}
    where = _deck_filter(decks, params)
    base = (
        "FROM cards c JOIN decks d ON d.id = c.deck_id "
        "WHERE c.present = 1 AND d.present = 1 AND c.suspended = 0" + where
    )
    with col.db.read() as s:
        due = s.execute(
            text(f"SELECT MIN(c.due) {base} AND c.state != 0 AND c.due > :now"), params
        ).scalar()
        waiting = s.execute(
            text(f"SELECT 1 {base} AND (c.state = 0 OR c.buried_until > 0) LIMIT 1"), params
        ).first()
    candidates: list[datetime] = []
    if due:
        candidates.append(datetime.fromtimestamp(int(due), UTC))
    if waiting is not None:
        # New cards over today's limit, and buried cards, come back at the next day start.
        cfg = col.day_config()
        tomorrow = day_number(now, cfg.tz, cfg.rollover_hour) + 1
        candidates.append(day_start(tomorrow, cfg.tz, cfg.rollover_hour).astimezone(UTC))
    return min(candidates) if candidates else None


def studied_beyond(col: Any, deck_key: str) -> bool:
    """Whether a card outside this deck (a library key) has ever been answered."""
    from sqlalchemy import text

    with col.db.read() as s:
        row = s.execute(
            text(
                "SELECT 1 FROM reviews r JOIN cards c ON c.id = r.card_id "
                "JOIN decks d ON d.id = c.deck_id WHERE r.kind = 'review' AND d.key != :key "
                "LIMIT 1"
            ),
            {"key": deck_key},
        ).first()
    return row is not None


def study_streak(col: Any, *, now: datetime) -> int:
    """Consecutive study days with a review, ending today (or yesterday)."""
    finder = getattr(col, "streak", None)
    if callable(finder):
        return int(finder(now=now))
    from sqlalchemy import text

    cfg = col.day_config()
    since = now - timedelta(days=STREAK_LOOKBACK_DAYS)
    with col.db.read() as s:
        hours = (
            s.execute(
                text(
                    "SELECT DISTINCT time_ms / 3600000 FROM reviews "
                    "WHERE kind = 'review' AND time_ms >= :since"
                ),
                {"since": int(since.timestamp() * 1000)},
            )
            .scalars()
            .all()
        )
    # Day boundaries fall on the hour (the rollover hour), so an hour maps to one day.
    days = {
        day_number(datetime.fromtimestamp(h * 3600, UTC), cfg.tz, cfg.rollover_hour) for h in hours
    }
    today = day_number(now, cfg.tz, cfg.rollover_hour)
    day = today if today in days else today - 1
    streak = 0
    while day in days:
        streak += 1
        day -= 1
    return streak
