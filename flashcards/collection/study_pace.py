"""The user's study pace from their review history (see core/study_time.py)."""

from __future__ import annotations

from sqlalchemy import text

from flashcards.collection.collection import Collection
from flashcards.core.study_time import Pace

RECENT_LOOKS = 1000
"""How far back the pace looks: about a week of steady study, so it follows the user."""


def study_pace(col: Collection, *, recent: int = RECENT_LOOKS) -> Pace:
    """Seconds per look by kind of card, from the most recent timed answers."""
    with col._read() as s:
        rows = s.execute(
            text(
                "SELECT state_before, duration_ms FROM reviews "
                "WHERE kind = 'review' AND duration_ms > 0 ORDER BY id DESC LIMIT :n"
            ),
            {"n": recent},
        ).all()
    return Pace.from_looks((int(state), int(duration)) for state, duration in rows)
