"""Load balancing and easy days (core.load_balance): the fuzz range as fsrs has it, the
least-loaded day winning, weekdays set to minimum or reduced getting fewer reviews,
siblings kept apart, and the same draw for the same card every time."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from flashcards.core.load_balance import (
    MAX_BALANCED_INTERVAL,
    DayLoad,
    EasyDay,
    choose_interval,
    easy_day_modifiers,
    fuzz_range,
)
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, review

N, R, M = EasyDay.NORMAL, EasyDay.REDUCED, EasyDay.MINIMUM
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # a Monday


def flat(count: int) -> list[int]:
    return [count] * 99


@pytest.mark.parametrize("days", [3, 5, 8, 15, 30, 60, 90, 200])
def test_the_fuzz_range_is_the_one_fsrs_draws_from(days: int) -> None:
    scheduler = fsrs.Scheduler()
    drawn = {
        scheduler._get_fuzzed_interval(interval=timedelta(days=days)).days for _ in range(3000)
    }
    low, high = fuzz_range(days, 36500)
    # fsrs rounds a uniform draw over [low, high + 1), so high + 1 comes up too, rarely
    # (Anki's range, which the balancer uses, ends at high).
    assert set(range(low, high + 1)) <= drawn <= set(range(low, high + 2))


def test_short_intervals_are_not_fuzzed() -> None:
    assert fuzz_range(2, 36500) is None
    load = DayLoad(flat(0), first_weekday=0)
    assert choose_interval(2, maximum_interval=36500, load=load, seed=1) == 2


def test_the_least_loaded_day_of_the_range_wins() -> None:
    low, high = fuzz_range(20, 36500)
    assert (low, high) == (17, 23)
    for empty in range(low, high + 1):
        counts = flat(40)
        counts[empty] = 0
        load = DayLoad(counts, first_weekday=0)
        picks = {choose_interval(20, maximum_interval=36500, load=load, seed=s) for s in range(50)}
        assert picks == {empty}


def test_a_draw_by_weight_a_lighter_day_wins_most_often_and_nearer_days_win_ties() -> None:
    counts = flat(40)
    counts[21] = 8
    load = DayLoad(counts, first_weekday=0)
    picks = Counter(
        choose_interval(20, maximum_interval=36500, load=load, seed=s) for s in range(500)
    )
    assert picks.most_common(1)[0][0] == 21 and picks[21] > 0.7 * 500
    even = Counter(
        choose_interval(20, maximum_interval=36500, load=DayLoad(flat(10), 0), seed=s)
        for s in range(2000)
    )
    assert even[17] > even[20] > even[23]  # Anki's (1 / days) ** 3: earlier days weigh more


def test_the_same_card_and_state_get_the_same_day() -> None:
    load = DayLoad(flat(5), first_weekday=2)
    first = [choose_interval(30, maximum_interval=36500, load=load, seed=s) for s in range(40)]
    again = [choose_interval(30, maximum_interval=36500, load=load, seed=s) for s in range(40)]
    assert first == again
    assert len(set(first)) > 1  # still spread over the range, card by card


def test_past_ninety_days_it_is_plain_fuzz() -> None:
    counts = flat(50)
    load = DayLoad(counts, first_weekday=0)
    low, high = fuzz_range(MAX_BALANCED_INTERVAL + 30, 36500)
    picks = {
        choose_interval(MAX_BALANCED_INTERVAL + 30, maximum_interval=36500, load=load, seed=s)
        for s in range(300)
    }
    assert picks == set(range(low, high + 1))


def test_a_minimum_easy_day_is_skipped_while_other_days_are_open() -> None:
    # Today is a Monday: day 20 after it is a Sunday (weekday 6).
    load = DayLoad(flat(10), first_weekday=0)
    sundays_off = (N, N, N, N, N, N, M)
    picks = Counter(
        choose_interval(20, maximum_interval=36500, load=load, easy_days=sundays_off, seed=s)
        for s in range(400)
    )
    assert load.weekday(20) == 6
    assert picks[20] == 0
    assert set(picks) == {17, 18, 19, 21, 22, 23}


def test_easy_days_work_without_balancing_too() -> None:
    load = DayLoad(flat(0), first_weekday=0)
    picks = Counter(
        choose_interval(
            20,
            maximum_interval=36500,
            load=load,
            easy_days=(N, N, N, N, N, N, M),
            balance=False,
            seed=s,
        )
        for s in range(400)
    )
    assert picks[20] == 0 and len(picks) == 6


def test_a_reduced_day_is_open_until_it_has_half_the_others_average() -> None:
    weekdays = [0, 1, 2, 3, 4]
    week = (R, N, N, N, N, N, N)
    # The others average 10 a day: a reduced Monday stays open up to 5.
    assert easy_day_modifiers(week, weekdays, [5, 10, 10, 10, 10])[0] == 1.0
    assert easy_day_modifiers(week, weekdays, [6, 10, 10, 10, 10])[0] == pytest.approx(0.0001)
    assert easy_day_modifiers(week, weekdays, [6, 10, 10, 10, 10])[1:] == [1.0] * 4


def test_siblings_days_and_their_neighbours_are_avoided() -> None:
    load = DayLoad(flat(0), first_weekday=0, sibling_days=frozenset({19}))
    picks = Counter(
        choose_interval(20, maximum_interval=36500, load=load, seed=s) for s in range(500)
    )
    assert picks[19] == 0
    assert picks[18] < picks[22] and picks[20] < picks[22]  # next to it: weighed down


def test_review_moves_only_review_cards_and_reports_the_chosen_day() -> None:
    preset = Preset(learning_steps=(), relearning_steps=())
    memory = MemoryState(
        CardState.REVIEW,
        stability=20.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=20),
    )
    unfuzzed = review(
        memory, Rating.GOOD, now=NOW, preset=Preset(enable_fuzzing=False), card_id="c1"
    )
    days = round(unfuzzed.scheduled_days)
    low, high = fuzz_range(days, 36500)
    counts = flat(30)
    counts[low] = 0
    out = review(
        memory, Rating.GOOD, now=NOW, preset=preset, card_id="c1", load=DayLoad(counts, 0), reps=4
    )
    assert out.after.due == NOW + timedelta(days=low)
    assert out.scheduled_days == low
    assert out.after.stability == unfuzzed.after.stability  # the memory state is fsrs's own
    # A new card's first step is not a review: untouched.
    first = review(
        MemoryState(), Rating.GOOD, now=NOW, preset=preset, card_id="c1", load=DayLoad(counts, 0)
    )
    assert first.after.state is CardState.REVIEW or first.scheduled_days < 3
