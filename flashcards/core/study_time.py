"""How long today's cards will take: the user's pace, read from their recent looks at
cards, and a plain estimate from today's counts. Pure: no clock, no database.

A new card is not one look: it is read once and then seen again at each learning step
(1 and 10 minutes by default) before it leaves the day, so a day of 20 new cards is
some 50 looks. Each kind of look is timed on its own; a kind with too few looks in
the history keeps a default taken from Anki's guidance (8–10 s a review, new cards
several times that). Means, not medians: the estimate is of a total, and the worst
outliers (a walk away from the screen) are capped when a review is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flashcards.core.model import CardState

FIRST_LOOK_SECONDS = 20.0
"""Reading a new card for the first time, until there is history."""
LEARNING_LOOK_SECONDS = 8.0
"""A learning step: a card seen minutes ago."""
REVIEW_SECONDS = 10.0
"""A review of a card learnt on an earlier day."""
LOOKS_PER_NEW = 2.5
"""Looks a new card takes on its first day: the first, then its learning steps."""
MIN_LOOKS = 20
"""Looks of one kind before the user's own pace replaces its default."""


@dataclass(frozen=True)
class Pace:
    """Seconds per look at a card, by what the card was before the look."""

    first_look: float = FIRST_LOOK_SECONDS
    learning_look: float = LEARNING_LOOK_SECONDS
    review: float = REVIEW_SECONDS
    looks_per_new: float = LOOKS_PER_NEW

    @classmethod
    def from_looks(cls, looks: Iterable[tuple[int, int]]) -> Pace:
        """The pace of these looks: (state before the look, duration in ms) pairs, the
        most recent ones; looks without a duration (imported history) are ignored."""
        times: dict[str, list[int]] = {"new": [], "learning": [], "review": []}
        steps = 0  # looks at cards in their first learning steps (not relearning)
        for state, duration_ms in looks:
            if duration_ms <= 0:
                continue
            if state == CardState.NEW:
                times["new"].append(duration_ms)
            elif state in (CardState.LEARNING, CardState.RELEARNING):
                times["learning"].append(duration_ms)
                steps += state == CardState.LEARNING
            elif state == CardState.REVIEW:
                times["review"].append(duration_ms)
        default = cls()

        def mean(kind: str, fallback: float) -> float:
            values = times[kind]
            return sum(values) / len(values) / 1000 if len(values) >= MIN_LOOKS else fallback

        firsts = len(times["new"])
        looks_per_new = default.looks_per_new
        if firsts >= MIN_LOOKS:
            looks_per_new = min(max(1.0 + steps / firsts, 1.0), 6.0)
        return cls(
            first_look=mean("new", default.first_look),
            learning_look=mean("learning", default.learning_look),
            review=mean("review", default.review),
            looks_per_new=looks_per_new,
        )

    @property
    def new_card(self) -> float:
        """Seconds a new card takes on its first day, all its looks together."""
        return self.first_look + (self.looks_per_new - 1.0) * self.learning_look


def estimate_seconds(*, new: int, learning: int, due: int, pace: Pace) -> float:
    """Seconds to get through today's new, learning and due cards at this pace."""
    return new * pace.new_card + learning * pace.learning_look + due * pace.review


def estimate_minutes(*, new: int, learning: int, due: int, pace: Pace) -> int:
    """Whole minutes for today's cards: 0 for none, at least 1 for any."""
    seconds = estimate_seconds(new=new, learning=learning, due=due, pace=pace)
    return 0 if seconds == 0 else max(1, round(seconds / 60))
