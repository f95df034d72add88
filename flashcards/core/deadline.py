"""Deadline-aware scheduling: what an exam date changes in the schedule. Pure: days are
study-day numbers, times epoch seconds, and the caller passes every moment.

With the deadline on and the exam still ahead (README "Scheduling for an exam date"):

- **Interval cap.** A review whose next due day falls after the exam day, when the
  card's recall on the exam day would then be below the target (the preset's desired
  retention unless a higher one is chosen), is due instead on the latest day its recall
  stays at the target — at least a day after the review (`cap_interval`). Plain FSRS
  intervals end where recall meets the desired retention, so at that target the cap
  trims what fuzz and load balancing add; a higher exam-day target pulls more in.
- **New-card pace.** Every new card seen `buffer_days` before the exam:
  ceil(new cards left at the start of today / days until then), raised above the
  decks' own new cards a day, never lowered, and at most `MAX_PACE` (`new_pace`).
- **Final pass.** In the last `final_days` days before the exam, the `final_per_day`
  cards whose recall on the exam day is lowest, of those not due before it, are brought
  forward to today (`final_pass`).
- **Workload.** What that costs a day until the exam, estimated before it is turned on
  (`estimate_workload`).

On the exam day and after, none of this applies: the schedule is the presets' again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import fsrs

from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, fsrs_scheduler, to_fsrs

MAX_PACE = 100
"""New cards a day the pace asks for at most: past that a day's study stops being a
review session (the Today line says how many would still be new)."""

DEFAULT_BUFFER_DAYS = 7
DEFAULT_FINAL_DAYS = 3
DEFAULT_FINAL_PER_DAY = 40
DAY_S = 86400


class DeadlineOptionsError(ValueError):
    """Deadline options with impossible values; lists every bad field."""


@dataclass(frozen=True)
class DeadlineOptions:
    """The deadline settings of one exam profile (stored as a dict in the settings)."""

    on: bool = False
    buffer_days: int = DEFAULT_BUFFER_DAYS  # new cards done this many days before the exam
    final_days: int = DEFAULT_FINAL_DAYS  # the final pass runs on these last days
    final_per_day: int = DEFAULT_FINAL_PER_DAY  # cards it brings forward a day
    target: float | None = None  # recall wanted on the exam day; None: desired retention

    def __post_init__(self) -> None:
        problems = []
        if not 0 <= self.buffer_days <= 365:
            problems.append(f"buffer of {self.buffer_days} days is not 0–365")
        if not 0 <= self.final_days <= 30:
            problems.append(f"final pass of {self.final_days} days is not 0–30")
        if not 0 <= self.final_per_day <= 1000:
            problems.append(f"final pass of {self.final_per_day} cards a day is not 0–1000")
        if self.target is not None and not 0.7 <= self.target <= 0.99:
            problems.append(f"exam-day recall {self.target} is not in 0.70–0.99")
        if problems:
            raise DeadlineOptionsError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "buffer_days": self.buffer_days,
            "final_days": self.final_days,
            "final_per_day": self.final_per_day,
            "target": self.target,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> DeadlineOptions:
        """Options from stored settings; unknown keys and bad values fall back to the
        defaults (a setting written by a newer version must not stop the queue)."""
        data = data or {}
        default = cls()
        values: dict[str, Any] = {}
        for name, kind in (
            ("on", bool),
            ("buffer_days", int),
            ("final_days", int),
            ("final_per_day", int),
        ):
            value = data.get(name)
            if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
                values[name] = value
        target = data.get("target")
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            values["target"] = float(target)
        try:
            return cls(**values)
        except DeadlineOptionsError:
            return replace(default, on=bool(values.get("on", False)))


# -- the forgetting curve -------------------------------------------------------------------


def _curve(preset: Preset) -> tuple[float, float]:
    scheduler = fsrs_scheduler(preset)
    return float(scheduler._DECAY), float(scheduler._FACTOR)


def recall_after(days: float, stability: float, preset: Preset) -> float:
    """FSRS's recall `days` after a review that left the card at `stability`."""
    decay, factor = _curve(preset)
    return float((1 + factor * max(days, 0.0) / stability) ** decay)


def latest_day(stability: float, target: float, preset: Preset) -> int:
    """The last whole day after a review on which recall is still at least `target`."""
    decay, factor = _curve(preset)
    raw = stability / factor * (float(target ** (1 / decay)) - 1)
    day = math.floor(raw + 1e-9)
    # Guard the float edge: the day found must really keep the target.
    while day > 0 and recall_after(day, stability, preset) < target:
        day -= 1
    return max(day, 0)


def exam_target(preset: Preset, options: DeadlineOptions) -> float:
    """The recall wanted on the exam day: the options' if higher, else the preset's."""
    if options.target is None:
        return preset.desired_retention
    return max(options.target, preset.desired_retention)


def cap_interval(
    interval: int, *, days_to_exam: int, stability: float, preset: Preset, target: float
) -> int:
    """The interval (whole days after a review) the deadline allows.

    Unchanged when it ends on or before the exam day, when the exam is today or past
    (`days_to_exam` < 1), or when recall on the exam day stays at `target`; otherwise the
    latest day recall stays at `target`, at least 1 and before the exam day when there
    is a day before it.
    """
    if days_to_exam < 1 or interval <= days_to_exam:
        return interval
    if recall_after(days_to_exam, stability, preset) >= target:
        return interval
    return max(1, min(latest_day(stability, target, preset), days_to_exam - 1))


def capped_intervals(
    memory: MemoryState,
    intervals: Mapping[Rating, timedelta],
    *,
    now: datetime,
    preset: Preset,
    card_id: str,
    days_to_exam: int,
    target: float,
) -> dict[Rating, timedelta]:
    """The rating buttons' intervals (`scheduling.next_intervals`) with the cap applied."""
    out = dict(intervals)
    if days_to_exam < 1:
        return out
    scheduler = fsrs_scheduler(replace(preset, enable_fuzzing=False))
    card = None
    for rating, interval in intervals.items():
        days = round(interval / timedelta(days=1))
        if interval < timedelta(days=1) or days <= days_to_exam:
            continue
        card = card or to_fsrs(memory, card_id=card_id, now=now)
        after, _log = scheduler.review_card(card, fsrs.Rating(int(rating)), now)
        if after.state is not fsrs.State.Review or after.stability is None:
            continue
        capped = cap_interval(
            days,
            days_to_exam=days_to_exam,
            stability=after.stability,
            preset=preset,
            target=target,
        )
        out[rating] = timedelta(days=capped)
    return out


@dataclass(frozen=True)
class Scheduled:
    """A review card as the daily pass reads it (times in epoch seconds)."""

    card_id: str
    due: int
    last_review: int
    stability: float
    preset: Preset


def pulled_in_due(card: Scheduled, *, exam_start: int, now: int, target: float) -> int | None:
    """The new due time of a card scheduled past the exam day whose recall on it would be
    below `target` (the cap as if applied at its last review, but never before `now`);
    None when the card may stay where it is."""
    if card.due < exam_start + DAY_S:
        return None
    # Whole days, as an answer's interval counts them (a due time is the review's time
    # of day plus whole days; the exam "happens" when its study day starts).
    days_to_exam = math.ceil((exam_start - card.last_review) / DAY_S)
    interval = round((card.due - card.last_review) / DAY_S)
    capped = cap_interval(
        interval,
        days_to_exam=days_to_exam,
        stability=card.stability,
        preset=card.preset,
        target=target,
    )
    if capped == interval:
        return None
    return max(now, card.last_review + capped * DAY_S)


# -- the new-card pace ----------------------------------------------------------------------


@dataclass(frozen=True)
class NewPace:
    """New cards a day that see every new card by `finish_day`."""

    per_day: int  # new cards a day the deadline asks for (0 when none are left)
    finish_day: int  # the study day every new card should have been seen by
    new_left: int  # new cards left at the start of today
    capped: bool  # per_day is MAX_PACE, short of what finishing would take

    def short_by(self, days: int) -> int:
        """New cards still unseen after `days` days at this pace."""
        return max(0, self.new_left - self.per_day * days)


def new_pace(
    new_left: int, *, today: int, exam_day: int, buffer_days: int, max_pace: int = MAX_PACE
) -> NewPace:
    """The pace: ceil(new cards left / days from today to the finish day, both counted);
    all of them today once the finish day has passed; never above `max_pace`."""
    finish = exam_day - buffer_days
    days = finish - today + 1
    need = new_left if days < 1 else math.ceil(new_left / days)
    return NewPace(min(need, max_pace), finish, new_left, need > max_pace)


@dataclass(frozen=True)
class DeckPace:
    """The pace as the queue's limits take it: these decks' new cards a day raised to
    `per_day`, and a selection holding any of them allowed `per_day` of theirs a day."""

    decks: frozenset[int]
    per_day: int


def new_per_day(own: int, pace: NewPace | None) -> int:
    """A deck's new cards a day with the pace: raised to it, never lowered."""
    return own if pace is None else max(own, pace.per_day)


def pace_line(pace: NewPace, own: int, *, today: int) -> str:
    """The Today page's sentence about the pace ("24 new a day to finish by 12 Mar"), with
    `own` the decks' new cards a day without it."""
    finish = _short_date(pace.finish_day)
    if pace.new_left == 0:
        return "Every new card seen: reviews only until the exam"
    per_day = max(own, pace.per_day)
    most = " (the most the pace asks)" if pace.capped and per_day == pace.per_day else ""
    days = pace.finish_day - today + 1
    if days < 1:  # inside the buffer: what is left, today
        short = pace.new_left - per_day
        if short > 0:
            return f"{per_day} new today{most}: {short} still new, and {finish} has passed"
        return f"The last {pace.new_left} new cards today ({finish} has passed)"
    short = pace.new_left - per_day * days
    if short > 0:
        return f"{per_day} new a day{most}: {short} still new on {finish}"
    if pace.per_day > own:
        return f"{pace.per_day} new a day to finish by {finish}"
    done = today + math.ceil(pace.new_left / own) - 1
    return f"{own} new a day finishes the new cards by {_short_date(done)} (deadline {finish})"


def _short_date(day: int) -> str:
    d = date.fromordinal(day)
    return f"{d.day} {d:%b}"


# -- the final pass ------------------------------------------------------------------------


def in_final_days(*, today: int, exam_day: int, final_days: int) -> bool:
    """Is today one of the last `final_days` days before the exam day?"""
    return 1 <= exam_day - today <= final_days


def final_pass(candidates: Iterable[Scheduled], *, exam_start: int, per_day: int) -> list[str]:
    """The `per_day` cards with the lowest recall at `exam_start`, lowest first (ties by
    id). Candidates are review cards not due before the exam day."""
    ranked = sorted(
        (recall_after((exam_start - c.last_review) / DAY_S, c.stability, c.preset), c.card_id)
        for c in candidates
    )
    return [cid for _recall, cid in ranked[: max(per_day, 0)]]


# -- the workload ---------------------------------------------------------------------------


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
        f"until {_short_date(exam_day)} (now: {work.reviews_now} and {work.new_now})"
    )
