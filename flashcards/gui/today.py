"""What the Today page shows, gathered on the worker thread (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

SECONDS_PER_NEW = 25.0
SECONDS_PER_REVIEW = 9.0
"""Estimates for a card's time when the history has too little to go on."""


@dataclass(frozen=True)
class Today:
    decks: tuple[Any, ...]  # DeckInfo values
    new: int
    learning: int
    due: int
    reviews_today: int
    streak: int
    minutes: int  # estimated minutes for what is left today

    @property
    def to_study(self) -> int:
        return self.new + self.learning + self.due


def estimate_minutes(*, new: int, learning: int, due: int, seconds_per_card: float | None) -> int:
    """Minutes to get through today's cards (a rough, honest estimate)."""
    if seconds_per_card:
        seconds = (new + learning + due) * seconds_per_card
    else:
        seconds = new * SECONDS_PER_NEW + (learning + due) * SECONDS_PER_REVIEW
    return 0 if seconds == 0 else max(1, round(seconds / 60))


def streak_from_days(days: set[datetime] | set[Any], *, today: Any) -> int:
    """Consecutive study days ending today (or yesterday, if today is not done yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def load_today(col: Any, *, now: datetime) -> Today:
    """Counts per deck, totals, the study streak and a time estimate."""
    decks = tuple(col.decks(now=now))
    new = sum(d.new for d in decks)
    learning = sum(d.learning for d in decks)
    due = sum(d.due for d in decks)
    reviews_today = 0
    stats_fn = getattr(col, "stats", None)
    if stats_fn is not None:
        reviews_today = int(getattr(stats_fn(now=now), "reviews_today", 0))
    streak = 0
    streak_fn = getattr(col, "streak", None)
    if streak_fn is not None:
        streak = int(streak_fn(now=now))
    seconds = None
    per_card = getattr(col, "seconds_per_card", None)
    if per_card is not None:
        seconds = per_card(now=now)
    return Today(
        decks=decks,
        new=new,
        learning=learning,
        due=due,
        reviews_today=reviews_today,
        streak=streak,
        minutes=estimate_minutes(new=new, learning=learning, due=due, seconds_per_card=seconds),
    )
