"""FSRS scheduling: a thin, pure wrapper around `fsrs.Scheduler`.

Our `MemoryState` has a NEW state that fsrs lacks (fsrs treats a never-reviewed card as
Learning step 0 without stability); the conversion lives here and nowhere else. The
caller always passes `now` (UTC-aware); nothing here reads the clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import fsrs

from flashcards.core.leeches import LeechAction
from flashcards.core.load_balance import NORMAL_WEEK, DayLoad, EasyDay, choose_interval
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.queue_order import NewGather, NewSort


class PresetError(ValueError):
    """A preset with impossible values; lists every bad field."""


@dataclass(frozen=True)
class Preset:
    """Scheduling options shared by the decks that use them (Anki's "deck options")."""

    name: str = "Default"
    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    parameters: tuple[float, ...] = field(default=tuple(fsrs.Scheduler().parameters))
    # Which new cards a day takes and the order they come in (queue_order; a value's
    # string, such as "random", is accepted too).
    new_gather: NewGather = NewGather.DOMAINS
    new_sort: NewSort = NewSort.INTERLEAVED
    # Lapses that make a card a leech (0: never), and what then happens to it (leeches).
    leech_threshold: int = 8
    leech_action: LeechAction = LeechAction.TAG
    # Due dates picked within the fuzz range to even out days, and weekdays with fewer
    # reviews, Monday first (load_balance).
    load_balancing: bool = True
    easy_days: tuple[EasyDay, ...] = NORMAL_WEEK

    def __post_init__(self) -> None:
        problems = []
        days = tuple(self.easy_days)
        try:
            object.__setattr__(self, "easy_days", tuple(EasyDay(d) for d in days))
        except ValueError:
            problems.append(f"easy days {days!r} are not normal/reduced/minimum values")
        if len(days) != 7:
            problems.append(f"easy days need one value per weekday, not {len(days)}")
        if self.leech_threshold < 0:
            problems.append(f"leech threshold {self.leech_threshold} is negative")
        for name, kind in (
            ("new_gather", NewGather),
            ("new_sort", NewSort),
            ("leech_action", LeechAction),
        ):
            value = getattr(self, name)
            if isinstance(value, kind):
                continue
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError:
                allowed = ", ".join(k.value for k in kind)
                problems.append(f"{name} {value!r} is not one of {allowed}")
        if not 0.7 <= self.desired_retention <= 0.99:
            problems.append(f"desired retention {self.desired_retention} is not in 0.70–0.99")
        if self.maximum_interval < 1:
            problems.append(f"maximum interval {self.maximum_interval} is below 1 day")
        if self.new_per_day < 0:
            problems.append(f"new cards per day {self.new_per_day} is negative")
        if self.reviews_per_day < 0:
            problems.append(f"reviews per day {self.reviews_per_day} is negative")
        for label, steps in (
            ("learning", self.learning_steps),
            ("relearning", self.relearning_steps),
        ):
            if any(s <= timedelta(0) for s in steps):
                problems.append(f"{label} steps must be positive")
        if problems:
            raise PresetError("; ".join(problems))

    @property
    def balances(self) -> bool:
        """Does this preset choose due dates by load (balancing or easy days)?"""
        return self.enable_fuzzing and (self.load_balancing or self.easy_days != NORMAL_WEEK)


@dataclass(frozen=True)
class Outcome:
    """The result of answering a card: its new state and what the review log records."""

    before: MemoryState
    after: MemoryState
    rating: Rating
    elapsed_days: float  # since the previous review (0 for a new card)
    scheduled_days: float  # from this review to the new due time


def fsrs_card_id(card_id: str) -> int:
    """A stable positive integer for our string id (fsrs sleeps 1 ms when given none)."""
    return int.from_bytes(hashlib.sha1(card_id.encode()).digest()[:6], "big") + 1


@lru_cache(maxsize=64)
def fsrs_scheduler(preset: Preset) -> fsrs.Scheduler:
    """The fsrs scheduler for a preset (cached: it holds no per-card state)."""
    return fsrs.Scheduler(
        parameters=preset.parameters,
        desired_retention=preset.desired_retention,
        learning_steps=preset.learning_steps,
        relearning_steps=preset.relearning_steps,
        maximum_interval=preset.maximum_interval,
        enable_fuzzing=preset.enable_fuzzing,
    )


# The schedulers of the presets last asked for, by the preset object's identity (the
# object is kept, so its id is not reused): the review loop asks with the same preset
# every answer, and hashing one (21 parameters, the steps) for `fsrs_scheduler`'s cache
# cost more than the rest of the look-up.
_BY_IDENTITY: dict[tuple[int, bool], tuple[Preset, fsrs.Scheduler]] = {}


def _scheduler(preset: Preset, *, fuzz: bool) -> fsrs.Scheduler:
    """`fsrs_scheduler(preset)`, or of the preset without fuzz when not `fuzz`."""
    key = (id(preset), fuzz)
    hit = _BY_IDENTITY.get(key)
    if hit is None or hit[0] is not preset:
        if len(_BY_IDENTITY) >= 64:
            _BY_IDENTITY.clear()
        hit = (preset, fsrs_scheduler(preset if fuzz else _without_fuzz(preset)))
        _BY_IDENTITY[key] = hit
    return hit[1]


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # fsrs insists on the `timezone.utc` object itself, not just a zero offset.
    return now.astimezone(UTC)


def to_fsrs(memory: MemoryState, *, card_id: str, now: datetime) -> fsrs.Card:
    """The fsrs card for a memory state (a NEW card is fsrs Learning step 0)."""
    if memory.state is CardState.NEW:
        return fsrs.Card(card_id=fsrs_card_id(card_id), state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=fsrs_card_id(card_id),
        state=fsrs.State(int(memory.state)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due or now,
        last_review=memory.last_review,
    )


def from_fsrs(card: fsrs.Card) -> MemoryState:
    return MemoryState(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def review(
    memory: MemoryState,
    rating: Rating,
    *,
    now: datetime,
    preset: Preset,
    card_id: str,
    load: DayLoad | None = None,
    reps: int = 0,
) -> Outcome:
    """Answer a card with `rating` at `now`; returns the new state and log figures.

    With `load` (the reviews due on coming days) and a preset that `balances`, a review
    card's due day is chosen within the fuzz range by `load_balance.choose_interval`,
    seeded by the card id and its `reps` so far: the same answer gives the same day.
    """
    now = _utc(now)
    balanced = load is not None and preset.balances
    scheduler = _scheduler(preset, fuzz=not balanced)
    card, _log = scheduler.review_card(
        to_fsrs(memory, card_id=card_id, now=now), fsrs.Rating(int(rating)), now
    )
    after = from_fsrs(card)
    if balanced and load is not None and after.state is CardState.REVIEW and after.due:
        days = (after.due - now).days
        chosen = choose_interval(
            days,
            maximum_interval=preset.maximum_interval,
            load=load,
            easy_days=preset.easy_days,
            balance=preset.load_balancing,
            seed=fsrs_card_id(card_id) + reps,
        )
        if chosen != days:
            after = replace(after, due=now + timedelta(days=chosen))
    elapsed = (
        (now - memory.last_review) / timedelta(days=1)
        if memory.last_review is not None and memory.state is not CardState.NEW
        else 0.0
    )
    assert after.due is not None
    return Outcome(
        before=memory,
        after=after,
        rating=rating,
        elapsed_days=max(0.0, elapsed),
        scheduled_days=(after.due - now) / timedelta(days=1),
    )


def next_intervals(
    memory: MemoryState, *, now: datetime, preset: Preset, card_id: str
) -> dict[Rating, timedelta]:
    """The interval each rating button would give, for the rating buttons' labels.

    Fuzz is left out so the labels are stable while the card is shown.
    """
    now = _utc(now)
    unfuzzed = _scheduler(preset, fuzz=False)
    card = to_fsrs(memory, card_id=card_id, now=now)
    result = {}
    for rating in Rating:
        new_card, _log = unfuzzed.review_card(card, fsrs.Rating(int(rating)), now)
        result[rating] = new_card.due - now
    return result


@lru_cache(maxsize=64)
def _without_fuzz(preset: Preset) -> Preset:
    return replace(preset, enable_fuzzing=False)


def retrievability(memory: MemoryState, *, now: datetime, preset: Preset) -> float | None:
    """Probability of recall at `now` (None for a card never reviewed)."""
    if memory.state is CardState.NEW or memory.stability is None or memory.last_review is None:
        return None
    elapsed = max(0.0, (_utc(now) - memory.last_review) / timedelta(days=1))
    scheduler = fsrs_scheduler(preset)
    factor: float = scheduler._FACTOR
    decay: float = scheduler._DECAY
    return float((1 + factor * elapsed / memory.stability) ** decay)


def format_interval(interval: timedelta) -> str:
    """Short label for a button: `<1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.5y`."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
