"""What a deadline costs a day: reviews and new cards a day until the exam, estimated
before the deadline is turned on. Pure: the caller passes every count and moment."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

import fsrs

from flashcards.core.deadline_pace import NewPace, new_per_day, short_date
from flashcards.core.model import CardState, MemoryState
from flashcards.core.scheduling import Preset, fsrs_scheduler, to_fsrs

if TYPE_CHECKING:  # deadline re-exports this module's names
    from flashcards.core.deadline import DeadlineOptions


def good_chain(preset: Preset, *, now: datetime, horizon_days: int) -> tuple[int, ...]:
    """The days after its first look on which a new card answered Good every time is
    reviewed again, within `horizon_days` (no fuzz): what each new card brings."""
    scheduler = fsrs_scheduler(replace(preset, enable_fuzzing=False))
    card = to_fsrs(MemoryState(CardState.NEW), card_id="pace", now=now)
    days: list[int] = []
    moment = now
    for _ in range(200):
        card, _log = scheduler.review_card(card, fsrs.Rating.Good, moment)
        moment = card.due
        offset = (moment - now).days
        if offset >= horizon_days:
            break
        if offset >= 1:
            days.append(offset)
    return tuple(days)


def new_card_reviews(per_day: int, new_left: int, *, days: int, chain: Sequence[int]) -> int:
    """Reviews (not first looks) within `days` days of introducing `new_left` new cards at
    `per_day` a day, each reviewed on the days of `chain` after its first look."""
    total = 0
    left = new_left
    for day in range(days):
        introduced = min(per_day, left)
        if introduced <= 0:
            break
        left -= introduced
        total += introduced * sum(1 for offset in chain if day + offset < days)
    return total


@dataclass(frozen=True)
class Workload:
    """Reviews and new cards a day until the exam, without and with the deadline."""

    days: int  # study days until the exam day (today counted, the exam day not)
    reviews_now: int
    new_now: int
    reviews_on: int
    new_on: int
    pulled_in: int  # cards whose due date the cap brings before the exam
    final_cards: int  # cards the final pass brings forward, in all


def estimate_workload(
    *,
    days: int,
    due_before_exam: int,
    pulled_in: int,
    review_cards: int,
    options: DeadlineOptions,
    pace: NewPace,
    own_new_per_day: int,
    chain: Sequence[int],
) -> Workload:
    """A simple estimate: reviews already due before the exam (each once), plus those the
    new cards bring (`chain`), spread over the days left; with the deadline add the cards
    pulled in and the final pass, and the new cards come at the pace."""
    days = max(days, 1)
    new_now = min(own_new_per_day, pace.new_left)
    new_on = min(new_per_day(own_new_per_day, pace), pace.new_left)
    final = min(min(options.final_days, days) * options.final_per_day, review_cards)
    before = due_before_exam + new_card_reviews(new_now, pace.new_left, days=days, chain=chain)
    after = (
        due_before_exam
        + pulled_in
        + final
        + new_card_reviews(new_on, pace.new_left, days=days, chain=chain)
    )
    return Workload(
        days=days,
        reviews_now=math.ceil(before / days),
        new_now=new_now,
        reviews_on=math.ceil(after / days),
        new_on=new_on,
        pulled_in=pulled_in,
        final_cards=final,
    )


def workload_line(work: Workload, *, exam_day: int) -> str:
    """The workload in a sentence: "With the deadline on: ~N reviews/day and M new/day until
    12 Mar (now: X and Y)"."""
    return (
        f"With the deadline on: ~{work.reviews_on} reviews/day and {work.new_on} new/day "
        f"until {short_date(exam_day)} (now: {work.reviews_now} and {work.new_now})"
    )
