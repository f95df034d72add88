"""The workload simulator: more reviews at higher retention, the recommended retention,
and answer habits measured from a history."""

from __future__ import annotations

import pytest

from flashcards.core.errors import CancelledError
from flashcards.core.optimize import Answer
from flashcards.core.scheduling import Preset
from flashcards.core.workload import (
    DEFAULT_COSTS,
    DEFAULT_FIRST,
    RETENTIONS,
    Habits,
    WorkloadError,
    simulate_workload,
)

DEFAULTS = tuple(Preset().parameters)


def test_more_reviews_and_minutes_at_higher_retention() -> None:
    workload = simulate_workload(
        DEFAULTS, deck_size=1500, new_per_day=20, reviews_per_day=9999, also=(0.9,)
    )
    points = workload.points
    retentions = [p.retention for p in points]
    assert retentions == sorted(retentions)
    assert {0.70, 0.90, 0.97} <= set(retentions)
    reviews = [p.reviews_per_day for p in points]
    minutes = [p.minutes_per_day for p in points]
    assert all(a <= b for a, b in zip(reviews, reviews[1:], strict=False)), reviews
    assert all(a <= b for a, b in zip(minutes, minutes[1:], strict=False)), minutes
    assert reviews[-1] > 2 * reviews[0]
    # More is remembered at the end of the year too, but each card costs more to keep.
    assert points[-1].remembered > points[0].remembered
    assert points[-1].minutes_per_card > points[0].minutes_per_card
    assert workload.at(0.9).retention == 0.9
    assert workload.deck_size == 1500 and workload.days == 365


def test_the_recommended_retention_costs_least_per_card_remembered() -> None:
    workload = simulate_workload(DEFAULTS, deck_size=800, new_per_day=10, reviews_per_day=9999)
    best = workload.at(workload.best)
    assert best.retention == workload.best
    assert all(best.minutes_per_card <= p.minutes_per_card for p in workload.points)
    assert RETENTIONS[0] <= workload.best <= RETENTIONS[-1]
    # The grid (0.03 apart) is refined 0.01 either side of its best point.
    simulated = {p.retention for p in workload.points}
    extra = simulated - set(RETENTIONS)
    assert extra and all(any(abs(r - g) < 0.011 for g in RETENTIONS) for r in extra)
    assert len(simulated) > len(RETENTIONS)


def test_the_same_inputs_give_the_same_year() -> None:
    def year() -> object:
        return simulate_workload(
            DEFAULTS,
            deck_size=300,
            new_per_day=10,
            reviews_per_day=100,
            retentions=(0.8, 0.9),
            refine=False,
        )

    assert year() == year()


def test_habits_are_measured_where_the_history_has_enough() -> None:
    history: dict[str, list[Answer]] = {}
    for i in range(30):
        first = 1 if i < 6 else 3  # 6 Again, 24 Good
        history[f"c{i}"] = [
            Answer(0, first, 20.0),
            Answer(3, 3 if i % 3 else 4, 8.0),  # recalled: 20 Good, 10 Easy
        ]
    habits = Habits.from_history(history)
    assert habits.measured
    assert habits.first_rating == pytest.approx((0.2, 0.0, 0.8, 0.0))
    assert habits.recalled_rating == pytest.approx((0.0, 2 / 3, 1 / 3))
    # Learning Good answers were timed 24 times at 20 s; Again only 6 times: default.
    assert habits.seconds[0][2] == pytest.approx(20.0)
    assert habits.seconds[0][0] == pytest.approx(DEFAULT_COSTS[0][0])
    assert habits.seconds[1][2] == pytest.approx(8.0)  # 20 review Goods at 8 s
    assert habits.seconds[1][3] == pytest.approx(DEFAULT_COSTS[1][3])  # 10 Easy: too few

    few = Habits.from_history({"a": [Answer(0, 3, 5.0)]})
    assert not few.measured and few.first_rating == DEFAULT_FIRST


def test_nothing_to_simulate_is_said() -> None:
    with pytest.raises(WorkloadError, match="no cards"):
        simulate_workload(DEFAULTS, deck_size=0, new_per_day=20, reviews_per_day=200)
    with pytest.raises(WorkloadError, match="new cards/day, which is 0"):
        simulate_workload(DEFAULTS, deck_size=100, new_per_day=0, reviews_per_day=200)


def test_a_simulation_can_be_cancelled() -> None:
    with pytest.raises(CancelledError):
        simulate_workload(
            DEFAULTS,
            deck_size=500,
            new_per_day=20,
            reviews_per_day=200,
            progress=lambda done, total, text: done < 2,
        )
