"""The FSRS wrapper gives exactly what `fsrs` gives, with fixed UTC times and no fuzz."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import (
    Preset,
    PresetError,
    format_interval,
    fsrs_card_id,
    next_intervals,
    retrievability,
    review,
)

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
PRESET = Preset(enable_fuzzing=False)


def reference(ratings: list[Rating], times: list[datetime]) -> list[fsrs.Card]:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1)
    out = []
    for rating, t in zip(ratings, times, strict=True):
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), t)
        out.append(card)
    return out


@pytest.mark.parametrize(
    "ratings",
    [
        [Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY],
        [Rating.EASY, Rating.HARD, Rating.AGAIN, Rating.AGAIN, Rating.GOOD, Rating.GOOD],
        [Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.GOOD],
    ],
)
def test_same_schedule_as_fsrs(ratings: list[Rating]) -> None:
    memory = MemoryState()
    times = []
    t = T0
    expected_cards = []
    for rating in ratings:
        times.append(t)
        outcome = review(memory, rating, now=t, preset=PRESET, card_id="abc123")
        memory = outcome.after
        expected_cards = reference(ratings[: len(times)], times)
        ref = expected_cards[-1]
        assert memory.state == CardState(int(ref.state))
        assert memory.step == ref.step
        assert memory.stability == pytest.approx(ref.stability)
        assert memory.difficulty == pytest.approx(ref.difficulty)
        assert memory.due == ref.due
        assert outcome.scheduled_days == pytest.approx((ref.due - t) / timedelta(days=1))
        t = ref.due  # answer exactly when due
    assert memory.last_review == times[-1]


def test_new_card_first_answers() -> None:
    outcome = review(MemoryState(), Rating.GOOD, now=T0, preset=PRESET, card_id="x")
    assert outcome.before.state is CardState.NEW
    assert outcome.after.state is CardState.LEARNING
    assert outcome.after.due == T0 + timedelta(minutes=10)
    assert outcome.elapsed_days == 0.0


def test_next_intervals_match_fsrs_for_each_button() -> None:
    memory = review(MemoryState(), Rating.GOOD, now=T0, preset=PRESET, card_id="x").after
    later = T0 + timedelta(minutes=10)
    intervals = next_intervals(memory, now=later, preset=Preset(), card_id="x")  # fuzz ignored
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Learning,
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )
    for rating in Rating:
        ref, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), later)
        assert intervals[rating] == ref.due - later
    assert (
        intervals[Rating.AGAIN]
        < intervals[Rating.HARD]
        <= intervals[Rating.GOOD]
        < intervals[Rating.EASY]
    )


def test_preset_options_reach_fsrs() -> None:
    preset = replace(PRESET, learning_steps=(timedelta(minutes=5),), desired_retention=0.8)
    first = review(MemoryState(), Rating.AGAIN, now=T0, preset=preset, card_id="x").after
    assert first.due == T0 + timedelta(minutes=5)
    easy_90 = review(MemoryState(), Rating.EASY, now=T0, preset=PRESET, card_id="x").after
    easy_80 = review(MemoryState(), Rating.EASY, now=T0, preset=preset, card_id="x").after
    assert easy_80.due is not None and easy_90.due is not None
    assert easy_80.due > easy_90.due  # lower retention → longer intervals


def test_maximum_interval_caps() -> None:
    preset = replace(PRESET, maximum_interval=3)
    memory = review(MemoryState(), Rating.EASY, now=T0, preset=preset, card_id="x").after
    assert memory.due == T0 + timedelta(days=3)


def test_bad_preset_lists_every_problem() -> None:
    with pytest.raises(PresetError) as err:
        Preset(desired_retention=1.5, new_per_day=-1, learning_steps=(timedelta(0),))
    message = str(err.value)
    assert "retention" in message and "new cards" in message and "learning steps" in message


def test_retrievability_and_card_ids() -> None:
    assert retrievability(MemoryState(), now=T0, preset=PRESET) is None
    memory = review(MemoryState(), Rating.EASY, now=T0, preset=PRESET, card_id="x").after
    soon = retrievability(memory, now=T0 + timedelta(days=1), preset=PRESET)
    late = retrievability(memory, now=T0 + timedelta(days=30), preset=PRESET)
    assert soon is not None and late is not None and 1.0 > soon > late > 0.0
    assert fsrs_card_id("abc") == fsrs_card_id("abc") != fsrs_card_id("abd")
    assert fsrs_card_id("abc") > 0


def test_naive_now_refused() -> None:
    with pytest.raises(ValueError):
        review(MemoryState(), Rating.GOOD, now=datetime(2026, 1, 1), preset=PRESET, card_id="x")


def test_format_interval() -> None:
    assert format_interval(timedelta(seconds=30)) == "<1m"
    assert format_interval(timedelta(minutes=10)) == "10m"
    assert format_interval(timedelta(hours=5)) == "5h"
    assert format_interval(timedelta(days=4)) == "4d"
    assert format_interval(timedelta(days=400)) == "1.1y"
