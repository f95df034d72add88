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
  decks' own new cards a day, never lowered, and at most `MAX_PACE` (`new_pace`, in
  `deadline_pace`).
- **Final pass.** In the last `final_days` days before the exam, the `final_per_day`
  cards whose recall on the exam day is lowest, of those not due before it, are brought
  forward to today (`final_pass`).
- **Workload.** What that costs a day until the exam, estimated before it is turned on
  (`estimate_workload`, in `deadline_workload`).

On the exam day and after, none of this applies: the schedule is the presets' again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import fsrs

# The pace and the workload live in their own modules; their names stay importable here.
from flashcards.core.deadline_pace import MAX_PACE as MAX_PACE
from flashcards.core.deadline_pace import DeckPace as DeckPace
from flashcards.core.deadline_pace import NewPace as NewPace
from flashcards.core.deadline_pace import new_pace as new_pace
from flashcards.core.deadline_pace import new_per_day as new_per_day
from flashcards.core.deadline_pace import pace_line as pace_line
from flashcards.core.deadline_workload import Workload as Workload
from flashcards.core.deadline_workload import estimate_workload as estimate_workload
from flashcards.core.deadline_workload import good_chain as good_chain
from flashcards.core.deadline_workload import new_card_reviews as new_card_reviews
from flashcards.core.deadline_workload import workload_line as workload_line
from flashcards.core.model import MemoryState, Rating
from flashcards.core.scheduling import Preset, fsrs_scheduler, to_fsrs

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
