"""Review histories drawn from known FSRS parameters: data for the optimiser's tests, its
benchmark and demonstrations, reproducible from a seed.

Each card is first answered on a day spread over the first `spread_days`, then reviewed
when a scheduler running on `schedule_with` (the defaults: an app that was never fitted)
asks, with some fuzz; whether it is recalled is drawn from the recall the *true*
parameters predict, so a fit to the history should come out near them and predict it
better than the defaults do. An Again is followed the same day by a Good (a learning or
relearning step), as in a real log.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import UTC, timedelta, tzinfo

import fsrs_rs_python as rs

from flashcards.core.days import day_start
from flashcards.core.model import CardId, Rating, ReviewEntry
from flashcards.core.optimize import Answer

FIRST_RATINGS = (0.20, 0.10, 0.55, 0.15)
"""Chance of Again, Hard, Good, Easy on a card's first answer."""
RECALL_RATINGS = (0.15, 0.70, 0.15)
"""Chance of Hard, Good, Easy when a review is recalled."""
SECONDS = (20.0, 14.0, 9.0, 6.0)
"""Typical seconds an answer takes, by rating."""


def _memory(states: rs.NextStates, rating: int) -> rs.MemoryState:
    return (states.again, states.hard, states.good, states.easy)[rating - 1].memory


def synthetic_history(
    true_parameters: Sequence[float],
    *,
    cards: int,
    reviews_per_card: int,
    seed: int,
    desired_retention: float = 0.9,
    spread_days: int = 180,
    schedule_with: Sequence[float] | None = None,
    first_day: int = 0,
    until: int | None = None,
) -> dict[str, list[Answer]]:
    """`cards` histories of `reviews_per_card` day-apart answers each (plus same-day steps
    after an Again), keyed `c0`, `c1`, …; days count from `first_day`. With `until`, a
    history stops before its first review after that day (a log ends today)."""
    rng = random.Random(seed)
    truth = rs.FSRS(list(true_parameters))
    scheduler = rs.FSRS(list(schedule_with or rs.DEFAULT_PARAMETERS))
    decay = -float(true_parameters[20])
    factor = 0.9 ** (1 / decay) - 1
    histories: dict[str, list[Answer]] = {}

    def seconds(rating: int) -> float:
        return round(SECONDS[rating - 1] * rng.uniform(0.5, 1.8), 1)

    def interval(memory: rs.MemoryState) -> int:
        days = scheduler.next_interval(memory.stability, desired_retention, 3)
        return max(1, round(days * rng.uniform(0.85, 1.2)))

    for index in range(cards):
        day = first_day + rng.randrange(max(1, spread_days))
        rating = rng.choices((1, 2, 3, 4), FIRST_RATINGS)[0]
        answers = [Answer(day, rating, seconds(rating))]
        true_memory = _memory(truth.next_states(None, desired_retention, 0), rating)
        seen = _memory(scheduler.next_states(None, desired_retention, 0), rating)
        if rating == 1:  # a learning step the same day
            answers.append(Answer(day, 3, seconds(3)))
            true_memory = _memory(truth.next_states(true_memory, desired_retention, 0), 3)
            seen = _memory(scheduler.next_states(seen, desired_retention, 0), 3)
        for _ in range(reviews_per_card - 1):
            gap = interval(seen)
            day += gap
            if until is not None and day > until:
                break
            recall = (1 + factor * gap / true_memory.stability) ** decay
            rating = 1 if rng.random() >= recall else rng.choices((2, 3, 4), RECALL_RATINGS)[0]
            answers.append(Answer(day, rating, seconds(rating)))
            true_memory = _memory(truth.next_states(true_memory, desired_retention, gap), rating)
            seen = _memory(scheduler.next_states(seen, desired_retention, gap), rating)
            if rating == 1:  # relearning step
                answers.append(Answer(day, 3, seconds(3)))
                true_memory = _memory(truth.next_states(true_memory, desired_retention, 0), 3)
                seen = _memory(scheduler.next_states(seen, desired_retention, 0), 3)
        histories[f"c{index}"] = answers
    return histories


def review_log(
    histories: Mapping[str, Sequence[Answer]],
    *,
    tz: tzinfo = UTC,
    rollover_hour: int = 4,
    hour: int = 9,
) -> list[ReviewEntry]:
    """The histories as review-log entries (what an import writes): each study day's
    answers from `hour` hours after the day starts, a minute apart, in `tz`."""
    entries = []
    for card_id, answers in histories.items():
        for index, answer in enumerate(answers):
            start = day_start(answer.day, tz, rollover_hour)
            entries.append(
                ReviewEntry(
                    CardId(card_id),
                    start + timedelta(hours=hour, minutes=index),
                    Rating(answer.rating),
                    duration_ms=round(answer.seconds * 1000),
                )
            )
    return entries


def deck_text(card_ids: Sequence[str], *, title: str = "Synthetic") -> str:
    """A deck file with one basic card per id (the id is the note's `{#id}`)."""
    notes = [f"## Card {cid} {{#{cid}}}\nQuestion {cid}?\n?\nAnswer {cid}.\n" for cid in card_ids]
    return f"---\ntitle: {title}\n---\n\n" + "\n".join(notes)
