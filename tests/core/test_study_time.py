"""The study-time estimate: looks per kind of card, the user's own pace once there are
enough looks, defaults before."""

from __future__ import annotations

import pytest

from flashcards.core.model import CardState
from flashcards.core.study_time import (
    FIRST_LOOK_SECONDS,
    LEARNING_LOOK_SECONDS,
    MIN_LOOKS,
    REVIEW_SECONDS,
    Pace,
    estimate_minutes,
    estimate_seconds,
)

NEW, LEARNING, REVIEW, RELEARNING = (
    CardState.NEW,
    CardState.LEARNING,
    CardState.REVIEW,
    CardState.RELEARNING,
)


def test_without_history_the_defaults_count_a_new_cards_learning_steps() -> None:
    pace = Pace.from_looks([])
    assert pace == Pace()
    assert pace.review == REVIEW_SECONDS
    assert pace.new_card == pytest.approx(FIRST_LOOK_SECONDS + 1.5 * LEARNING_LOOK_SECONDS)
    # The Today page of the issue: 20 new, 5 learning, 6 due (31 cards) is not 2 minutes.
    assert estimate_minutes(new=20, learning=5, due=6, pace=pace) == 12


def test_the_users_own_pace_replaces_each_default_once_there_are_enough_looks() -> None:
    looks = [(NEW, 30_000)] * MIN_LOOKS + [(LEARNING, 5_000)] * (2 * MIN_LOOKS)
    looks += [(REVIEW, 6_000)] * (MIN_LOOKS - 1)  # one look short: the default stays
    pace = Pace.from_looks(looks)
    assert pace.first_look == 30.0
    assert pace.learning_look == 5.0
    assert pace.looks_per_new == 3.0  # two learning steps after each first look
    assert pace.review == REVIEW_SECONDS
    assert pace.new_card == 40.0
    assert estimate_seconds(new=3, learning=2, due=4, pace=pace) == 3 * 40 + 2 * 5 + 4 * 10


def test_relearning_looks_time_learning_but_do_not_add_steps_to_new_cards() -> None:
    looks = [(NEW, 20_000)] * MIN_LOOKS + [(RELEARNING, 4_000)] * MIN_LOOKS
    pace = Pace.from_looks(looks)
    assert pace.learning_look == 4.0
    assert pace.looks_per_new == 1.0


def test_looks_without_a_duration_are_left_out() -> None:
    imported = [(REVIEW, 0)] * 500  # an Anki import's history carries no times
    assert Pace.from_looks(imported) == Pace()
    looks = imported + [(REVIEW, 4_000)] * MIN_LOOKS
    assert Pace.from_looks(looks).review == 4.0


def test_nothing_to_study_takes_no_time_and_anything_at_least_a_minute() -> None:
    pace = Pace(first_look=1, learning_look=1, review=1, looks_per_new=1)
    assert estimate_minutes(new=0, learning=0, due=0, pace=pace) == 0
    assert estimate_minutes(new=0, learning=0, due=1, pace=pace) == 1
