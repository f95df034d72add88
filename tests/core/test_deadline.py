"""Deadline maths: the interval cap, the new-card pace, the final pass's choice and the
workload estimate, with exact values and fixed times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from flashcards.core.deadline import (
    DAY_S,
    MAX_PACE,
    DeadlineOptions,
    DeadlineOptionsError,
    NewPace,
    Scheduled,
    cap_interval,
    capped_intervals,
    estimate_workload,
    exam_target,
    final_pass,
    good_chain,
    in_final_days,
    latest_day,
    new_card_reviews,
    new_pace,
    new_per_day,
    pace_line,
    pulled_in_due,
    recall_after,
    workload_line,
)
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, next_intervals

PRESET = replace(Preset(), enable_fuzzing=False)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
TODAY = NOW.date().toordinal()
EXAM = date(2027, 3, 12).toordinal()


# -- the curve and the cap -------------------------------------------------------------------


def test_stability_is_the_day_recall_falls_to_ninety_percent() -> None:
    # FSRS defines stability so: R(S) = 0.9 exactly, and a day later it is below.
    assert recall_after(30, 30, PRESET) == pytest.approx(0.9)
    assert latest_day(30, 0.9, PRESET) == 30
    assert latest_day(10, 0.9, PRESET) == 10
    # R(d) = (1 + factor·d/S)^decay ≥ 0.95 holds to day 12 of a 30-day stability.
    assert latest_day(30, 0.95, PRESET) == 12
    assert recall_after(12, 30, PRESET) >= 0.95 > recall_after(13, 30, PRESET)


def test_an_interval_past_the_exam_is_capped_when_recall_on_the_day_falls_short() -> None:
    # Exam in 20 days; stability 30: R(20) = 0.925, below a 0.95 target.
    assert recall_after(20, 30, PRESET) == pytest.approx(0.92538, abs=1e-5)
    assert cap_interval(40, days_to_exam=20, stability=30, preset=PRESET, target=0.95) == 12
    # At the 0.9 target R(20) is enough: the card may run past the exam.
    assert cap_interval(40, days_to_exam=20, stability=30, preset=PRESET, target=0.9) == 40


def test_fuzz_past_the_exam_is_trimmed_at_the_desired_retention() -> None:
    # Stability 10 with the exam 11 days off: recall there is below 0.9, so a fuzzed
    # 12-day interval comes back to day 10, the last day recall holds 0.9.
    assert cap_interval(12, days_to_exam=11, stability=10, preset=PRESET, target=0.9) == 10


def test_the_cap_leaves_intervals_that_end_by_the_exam_and_stops_after_it() -> None:
    args = {"stability": 30.0, "preset": PRESET, "target": 0.95}
    assert cap_interval(20, days_to_exam=20, **args) == 20  # due on the exam day
    assert cap_interval(5, days_to_exam=20, **args) == 5
    assert cap_interval(40, days_to_exam=0, **args) == 40  # the exam is today
    assert cap_interval(40, days_to_exam=-3, **args) == 40  # it is over


def test_the_cap_is_at_least_a_day_and_before_the_exam_day() -> None:
    # A weak card (stability 0.5) due past an exam two days away: tomorrow.
    assert cap_interval(3, days_to_exam=2, stability=0.5, preset=PRESET, target=0.9) == 1
    # With the exam tomorrow there is no day before it: a day still.
    assert cap_interval(3, days_to_exam=1, stability=0.5, preset=PRESET, target=0.9) == 1


def test_exam_target_is_never_below_the_presets_retention() -> None:
    assert exam_target(PRESET, DeadlineOptions()) == 0.9
    assert exam_target(PRESET, DeadlineOptions(target=0.95)) == 0.95
    assert exam_target(replace(PRESET, desired_retention=0.97), DeadlineOptions(target=0.95)) == (
        0.97
    )


def test_button_labels_show_the_capped_intervals() -> None:
    memory = MemoryState(
        CardState.REVIEW,
        stability=30.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=30),
    )
    plain = next_intervals(memory, now=NOW, preset=PRESET, card_id="c1")
    assert plain[Rating.GOOD] > timedelta(days=20)
    capped = capped_intervals(
        memory, plain, now=NOW, preset=PRESET, card_id="c1", days_to_exam=20, target=0.97
    )
    # Hard 63 days, Good 85, Easy 133: each past an exam 20 days away.
    assert [plain[r].days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)] == [63, 85, 133]
    assert capped[Rating.AGAIN] == plain[Rating.AGAIN]  # relearning: minutes
    # A new stability is the interval at 0.9 (Good's 85 days is 85.3), so recall of 0.97
    # lasts about a fifth of it: Hard to day 14, Good to day 18; after Easy recall on the
    # exam day is still 0.97, so it keeps its 133 days.
    assert capped[Rating.HARD] == timedelta(days=14)
    assert capped[Rating.GOOD] == timedelta(days=18)
    assert capped[Rating.EASY] == plain[Rating.EASY]
    same = capped_intervals(
        memory, plain, now=NOW, preset=PRESET, card_id="c1", days_to_exam=0, target=0.97
    )
    assert same == plain


def test_a_card_scheduled_past_the_exam_is_pulled_in() -> None:
    exam_start = NOW_S + 20 * DAY_S
    card = Scheduled(
        "a", due=NOW_S + 35 * DAY_S, last_review=NOW_S - 5 * DAY_S, stability=30.0, preset=PRESET
    )
    # 25 days from its last review to the exam: R = 0.91 < 0.95, so due on day 12 after
    # that review (recall 0.95 lasts 12 days at stability 30): in 7 days.
    assert pulled_in_due(card, exam_start=exam_start, now=NOW_S, target=0.95) == (NOW_S + 7 * DAY_S)
    # Reviewed 15 days ago, day 12 has passed: due now.
    late = replace(card, last_review=NOW_S - 15 * DAY_S)
    assert pulled_in_due(late, exam_start=exam_start, now=NOW_S, target=0.95) == NOW_S
    # Recall on the day holds the target, or the card is due by the exam day: unchanged.
    assert pulled_in_due(card, exam_start=exam_start, now=NOW_S, target=0.9) is None
    by_exam = replace(card, due=exam_start + DAY_S - 1)
    assert pulled_in_due(by_exam, exam_start=exam_start, now=NOW_S, target=0.95) is None


# -- the pace ----------------------------------------------------------------------------------


def test_pace_spreads_the_new_cards_over_the_days_before_the_buffer() -> None:
    # 12 Mar 2027 exam, a week's buffer: finish by 5 Mar; 28 Nov..5 Mar is 98 days.
    pace = new_pace(2350, today=TODAY, exam_day=EXAM, buffer_days=7)
    assert pace == NewPace(per_day=24, finish_day=EXAM - 7, new_left=2350, capped=False)
    assert date.fromordinal(pace.finish_day) == date(2027, 3, 5)
    assert EXAM - 7 - TODAY + 1 == 98  # 2350 / 98 = 23.98 → 24


def test_pace_on_the_finish_day_and_inside_the_buffer_takes_what_is_left() -> None:
    assert new_pace(30, today=EXAM - 7, exam_day=EXAM, buffer_days=7).per_day == 30
    assert new_pace(30, today=EXAM - 3, exam_day=EXAM, buffer_days=7).per_day == 30
    assert new_pace(0, today=TODAY, exam_day=EXAM, buffer_days=7).per_day == 0


def test_pace_is_capped_and_says_how_many_would_stay_new() -> None:
    pace = new_pace(1000, today=EXAM - 9, exam_day=EXAM, buffer_days=7)  # 3 days
    assert pace.per_day == MAX_PACE and pace.capped
    assert pace.short_by(3) == 700
    assert pace_line(pace, 20, today=EXAM - 9) == (
        "100 new a day (the most the pace asks): 700 still new on 5 Mar"
    )


def test_pace_only_raises_a_decks_new_cards() -> None:
    pace = new_pace(100, today=TODAY, exam_day=EXAM, buffer_days=7)  # 2 a day
    assert pace.per_day == 2
    assert new_per_day(20, pace) == 20
    assert new_per_day(20, replace(pace, per_day=24)) == 24
    assert new_per_day(20, None) == 20


def test_pace_line_names_the_pace_and_the_finish_day() -> None:
    raised = new_pace(2350, today=TODAY, exam_day=EXAM, buffer_days=7)
    assert pace_line(raised, 20, today=TODAY) == "24 new a day to finish by 5 Mar"
    slow = new_pace(100, today=TODAY, exam_day=EXAM, buffer_days=7)
    # 20 a day finishes 100 cards in 5 days: 28 Nov .. 2 Dec.
    assert pace_line(slow, 20, today=TODAY) == (
        "20 new a day finishes the new cards by 2 Dec (deadline 5 Mar)"
    )
    done = new_pace(0, today=TODAY, exam_day=EXAM, buffer_days=7)
    assert pace_line(done, 20, today=TODAY) == "Every new card seen: reviews only until the exam"


def test_pace_line_inside_the_buffer_and_with_a_bigger_own_limit() -> None:
    late = EXAM - 4  # 8 Mar: the finish day, 5 Mar, has passed
    assert pace_line(new_pace(30, today=late, exam_day=EXAM, buffer_days=7), 20, today=late) == (
        "The last 30 new cards today (5 Mar has passed)"
    )
    many = new_pace(250, today=late, exam_day=EXAM, buffer_days=7)
    assert pace_line(many, 20, today=late) == (
        "100 new today (the most the pace asks): 150 still new, and 5 Mar has passed"
    )
    # Decks already taking 150 a day: the pace's cap is not what limits them.
    far = new_pace(1000, today=EXAM - 9, exam_day=EXAM, buffer_days=7)  # 3 days
    assert pace_line(far, 150, today=EXAM - 9) == "150 new a day: 550 still new on 5 Mar"


# -- the final pass ------------------------------------------------------------------------------


def test_final_days_are_the_last_days_before_the_exam() -> None:
    assert [in_final_days(today=EXAM - k, exam_day=EXAM, final_days=3) for k in range(5)] == [
        False,  # the exam day
        True,
        True,
        True,
        False,
    ]


def test_final_pass_picks_the_lowest_recall_on_the_exam_day() -> None:
    exam_start = NOW_S + 3 * DAY_S

    def card(cid: str, stability: float, reviewed_days_ago: float) -> Scheduled:
        last = NOW_S - int(reviewed_days_ago * DAY_S)
        return Scheduled(cid, exam_start + 10 * DAY_S, last, stability, PRESET)

    cards = [
        card("strong", 100.0, 10),  # R(13 days) = 0.98
        card("weak", 20.0, 15),  # R(18) = 0.91
        card("weaker", 10.0, 8),  # R(11) = 0.89
        card("fresh", 20.0, 0),  # R(3) = 0.98
        card("tie-b", 10.0, 8),
    ]
    assert final_pass(cards, exam_start=exam_start, per_day=3) == ["tie-b", "weaker", "weak"]
    assert final_pass(cards, exam_start=exam_start, per_day=0) == []


# -- options and workload ------------------------------------------------------------------------


def test_options_round_trip_and_report_every_problem() -> None:
    options = DeadlineOptions(on=True, buffer_days=10, final_days=2, final_per_day=25, target=0.93)
    assert DeadlineOptions.from_dict(options.to_dict()) == options
    assert DeadlineOptions.from_dict(None) == DeadlineOptions()
    # A bad stored value falls back to the defaults, keeping on/off.
    assert DeadlineOptions.from_dict({"on": True, "buffer_days": -1}) == DeadlineOptions(on=True)
    with pytest.raises(DeadlineOptionsError) as info:
        DeadlineOptions(buffer_days=-1, final_per_day=5000, target=0.5)
    assert str(info.value).count(";") == 2


def test_a_new_card_answered_good_comes_back_on_fixed_days() -> None:
    assert good_chain(PRESET, now=NOW, horizon_days=120) == (2, 13, 59)
    assert good_chain(PRESET, now=NOW, horizon_days=13) == (2,)


def test_new_card_reviews_count_the_chain_days_inside_the_period() -> None:
    # 10 a day for 3 days (25 cards: 10, 10, 5) over 14 days with reviews on days 2 and 13:
    # day 0's cards get both (0+13 < 14), days 1 and 2 only the second-day review.
    assert new_card_reviews(10, 25, days=14, chain=(2, 13)) == 10 * 2 + 10 + 5


def test_workload_with_and_without_the_deadline() -> None:
    pace = new_pace(2350, today=TODAY, exam_day=EXAM, buffer_days=7)
    days = EXAM - TODAY  # 105
    work = estimate_workload(
        days=days,
        due_before_exam=1050,
        pulled_in=210,
        review_cards=5000,
        options=DeadlineOptions(on=True),
        pace=pace,
        own_new_per_day=20,
        chain=(2, 13, 59),
    )
    # Now: 20 new a day for 105 days (2100 cards); each brings the reviews of its chain
    # that land before the exam. With the deadline: 24 a day, the 210 pulled-in cards and
    # 3 days of 40 in the final pass.
    now_reviews = 1050 + new_card_reviews(20, 2350, days=days, chain=(2, 13, 59))
    on_reviews = 1050 + 210 + 120 + new_card_reviews(24, 2350, days=days, chain=(2, 13, 59))
    assert (work.new_now, work.new_on) == (20, 24)
    assert work.reviews_now == -(-now_reviews // days)
    assert work.reviews_on == -(-on_reviews // days)
    assert work.final_cards == 120 and work.pulled_in == 210
    assert work.reviews_on > work.reviews_now
    assert workload_line(work, exam_day=EXAM) == (
        f"With the deadline on: ~{work.reviews_on} reviews/day and 24 new/day until 12 Mar "
        f"(now: {work.reviews_now} and 20)"
    )
