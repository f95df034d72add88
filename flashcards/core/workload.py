"""A year of reviews simulated for a range of desired retentions (fsrs-rs's simulator),
and the retention that costs least per card remembered (Anki's "compute minimum
recommended retention", CMRR).

fsrs-rs simulates a deck of `deck_size` cards learned from new at `new_per_day`, capped
at `reviews_per_day`, with the given parameters; answers are drawn with the user's own
habits (`Habits.from_history`: how often they press each button, how many seconds each
kind of answer takes) where the history has enough of them, Anki's defaults elsewhere.
For each desired retention it reports the mean reviews and minutes a day, the cards
remembered at the end (the sum of their recall probabilities) and the minutes spent per
card remembered; the recommended retention is the one where that last figure is
lowest. Each retention is simulated with the same seeds (common random numbers), and a
deck under 3,000 cards is simulated several times and averaged, so the curves are
smooth and their differences are the retention's, not the dice's. Pure: no clock, no
database.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import fsrs_rs_python as rs

from flashcards.core.errors import CancelledError, FlashcardsError
from flashcards.core.optimize import Answer

Progress = Callable[[int, int, str], bool]

RETENTIONS: tuple[float, ...] = tuple(round(0.70 + 0.03 * i, 2) for i in range(10))
"""0.70 to 0.97 (the range Anki's simulator offers) in steps of 0.03; the recommended
retention is then looked for 0.01 either side of the best of these."""
LOWEST, HIGHEST = RETENTIONS[0], RETENTIONS[-1]
DAYS = 365
SEED = 42
MIN_SIMULATED_CARDS = 3000
"""A smaller deck is simulated several times (seeds SEED, SEED + 1, …) and averaged."""
MAX_SAMPLES = 8
MIN_SAMPLES = 20
"""Answers of one kind before the user's own figure replaces the default."""
_NO_TIME_LIMIT = 1e9  # seconds a day: the simulation caps reviews by count only

_DEFAULTS = rs.default_simulator_config()
DEFAULT_FIRST = tuple(_DEFAULTS.first_rating_prob)
DEFAULT_RECALLED = tuple(_DEFAULTS.review_rating_prob)
DEFAULT_COSTS = tuple(tuple(row) for row in _DEFAULTS.state_rating_costs)
_LEARNING, _REVIEW, _RELEARNING = 0, 1, 2


class WorkloadError(FlashcardsError):
    """Nothing to simulate: no cards, or no new cards a day."""


@dataclass(frozen=True)
class Habits:
    """How a user answers: the first answer's rating, the rating of a recalled review,
    and the seconds an answer takes by the card's state (learning, review,
    relearning) and rating; each from their history where it has enough answers."""

    first_rating: tuple[float, ...] = DEFAULT_FIRST  # Again, Hard, Good, Easy
    recalled_rating: tuple[float, ...] = DEFAULT_RECALLED  # Hard, Good, Easy
    seconds: tuple[tuple[float, ...], ...] = DEFAULT_COSTS  # [state][rating]
    measured: bool = False  # any figure taken from the history

    @classmethod
    def from_history(cls, histories: Mapping[str, Sequence[Answer]]) -> Habits:
        """Measured habits: a card's first answers and same-day answers before its first
        day-apart review are learning; a day-apart answer is a review; same-day answers
        after a lapsed review are relearning."""
        firsts = [0, 0, 0, 0]
        recalled = [0, 0, 0]
        sums = [[0.0] * 4 for _ in range(3)]
        counts = [[0] * 4 for _ in range(3)]
        for history in histories.values():
            state = _LEARNING
            previous: int | None = None
            for answer in history:
                rating = int(answer.rating)
                if not 1 <= rating <= 4:
                    continue
                if previous is None:
                    firsts[rating - 1] += 1
                elif answer.day > previous:
                    state = _REVIEW
                    if rating > 1:
                        recalled[rating - 2] += 1
                if answer.seconds > 0:
                    sums[state][rating - 1] += answer.seconds
                    counts[state][rating - 1] += 1
                if state == _REVIEW and rating == 1:
                    state = _RELEARNING  # for the same day's answers that follow
                previous = answer.day
        measured = False
        first = DEFAULT_FIRST
        if sum(firsts) >= MIN_SAMPLES:
            first, measured = tuple(n / sum(firsts) for n in firsts), True
        again = DEFAULT_RECALLED
        if sum(recalled) >= MIN_SAMPLES:
            again, measured = tuple(n / sum(recalled) for n in recalled), True
        seconds = []
        for state_index, row in enumerate(DEFAULT_COSTS):
            measured_row = []
            for rating_index, default in enumerate(row):
                n = counts[state_index][rating_index]
                if n >= MIN_SAMPLES:
                    measured_row.append(sums[state_index][rating_index] / n)
                    measured = True
                else:
                    measured_row.append(default)
            seconds.append(tuple(measured_row))
        return cls(first, again, tuple(seconds), measured)


@dataclass(frozen=True)
class WorkloadPoint:
    """One desired retention's simulated year."""

    retention: float
    reviews_per_day: float  # mean over the days, learning answers not counted
    minutes_per_day: float  # mean over the days, learning included
    remembered: float  # cards remembered on the last day (sum of recall probabilities)
    minutes_per_card: float  # all minutes / cards remembered: what CMRR minimises


@dataclass(frozen=True)
class Workload:
    """Simulated workload by desired retention; `best` minimises minutes per card."""

    deck_size: int
    new_per_day: int
    days: int
    points: tuple[WorkloadPoint, ...]
    best: float
    habits: Habits

    def at(self, retention: float) -> WorkloadPoint:
        """The point nearest `retention`."""
        return min(self.points, key=lambda p: abs(p.retention - retention))


def simulate_workload(
    parameters: Sequence[float],
    *,
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
    maximum_interval: int = 36500,
    learning_steps: int = 2,
    relearning_steps: int = 1,
    habits: Habits | None = None,
    retentions: Sequence[float] = RETENTIONS,
    also: Sequence[float] = (),
    refine: bool = True,
    days: int = DAYS,
    seed: int = SEED,
    progress: Progress | None = None,
) -> Workload:
    """Simulate `days` of study at each of `retentions` and `also` (the preset's own),
    then, with `refine`, 0.01 either side of the best (see the module's doc).

    fsrs-rs releases the interpreter while it simulates, so the retentions run on as
    many threads as there are processors; `progress` hears of each one finished and
    may cancel (`CancelledError`) between them.
    """
    if deck_size <= 0:
        raise WorkloadError("there are no cards to simulate")
    if new_per_day <= 0:
        raise WorkloadError(
            "the simulation learns the cards from new at your new cards/day, which is 0"
        )
    habits = habits or Habits()
    config = rs.SimulatorConfig(
        deck_size,
        days,
        _NO_TIME_LIMIT,
        float(maximum_interval),
        list(habits.first_rating),
        list(habits.recalled_rating),
        new_per_day,
        max(0, reviews_per_day),
        True,  # new cards do not count against the review limit, as in the app's queue
        [list(row) for row in _DEFAULTS.learning_step_transitions],
        [list(row) for row in _DEFAULTS.relearning_step_transitions],
        [list(row) for row in habits.seconds],
        max(0, learning_steps),
        max(0, relearning_steps),
    )
    weights = list(parameters)

    # A small deck's year is noisy: average several (seeded) years of it.
    samples = max(1, min(MAX_SAMPLES, math.ceil(MIN_SIMULATED_CARDS / deck_size)))

    def run(retention: float) -> WorkloadPoint:
        years = [rs.simulate(weights, retention, config, seed + i) for i in range(samples)]
        return _point(retention, years, days)

    wanted = sorted({round(float(r), 2) for r in (*retentions, *also)})
    points = _run_all(run, wanted, progress, total=len(wanted) + (2 if refine else 0))
    best = min(points, key=lambda p: p.minutes_per_card).retention
    if refine:
        near = [
            r
            for r in (round(best - 0.01, 2), round(best + 0.01, 2))
            if LOWEST <= r <= HIGHEST and r not in wanted
        ]
        points += _run_all(run, near, progress, total=len(wanted) + 2, done=len(wanted))
        points.sort(key=lambda p: p.retention)
        best = min(points, key=lambda p: p.minutes_per_card).retention
    return Workload(deck_size, new_per_day, days, tuple(points), best, habits)


def _run_all(
    run: Callable[[float], WorkloadPoint],
    retentions: Sequence[float],
    progress: Progress | None,
    *,
    total: int,
    done: int = 0,
) -> list[WorkloadPoint]:
    """`run` at each retention on a thread per processor, in order; cancel between them."""
    points: list[WorkloadPoint] = []
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    try:
        for point in pool.map(run, retentions):
            points.append(point)
            done += 1
            if progress is not None and not progress(
                done, total, f"Simulating a year at retention {point.retention:.2f}…"
            ):
                raise CancelledError("simulation cancelled")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return points


def _point(retention: float, years: Sequence[rs.SimulationResult], days: int) -> WorkloadPoint:
    """The mean of the simulated years at one retention."""
    n = len(years)
    reviews = sum(sum(year.review_cnt_per_day) for year in years) / n
    seconds = sum(sum(year.cost_per_day) for year in years) / n
    remembered = (
        sum(float(year.memorized_cnt_per_day[-1]) for year in years if year.memorized_cnt_per_day)
        / n
    )
    return WorkloadPoint(
        retention=retention,
        reviews_per_day=reviews / days,
        minutes_per_day=seconds / 60 / days,
        remembered=remembered,
        minutes_per_card=(seconds / 60 / remembered) if remembered > 0 else float("inf"),
    )
