"""Review history: Anki's revlog as our ReviewEntry rows, and memory states by replay.

A card's FSRS memory state is computed by replaying its answers through our scheduler
(fuzz off, so the result is reproducible), not copied from SM-2 ease and interval; an
Anki card keeps Anki's due date all the same (`anki_due.kept_memory`), the replay's due
date is not used.
Where there is no history but a known interval (Anki cards whose log was pruned,
Obsidian SR comments), `memory_from_interval` builds a review state that keeps the
card's due date.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs
from fsrs.scheduler import STABILITY_MIN

from flashcards.core.model import CardId, CardState, MemoryState, Rating, ReviewEntry, ReviewKind
from flashcards.core.scheduling import Preset, from_fsrs, fsrs_scheduler, to_fsrs
from flashcards.interop.anki_db import AnkiRevlog
from flashcards.interop.bundle import Skipped

REPLAY_PRESET = Preset(enable_fuzzing=False)

_ANSWER_TYPES = {0, 1, 2, 3}  # learn, review, relearn, filtered (rescheduling)
_MANUAL = 4  # Forget or set due date; 5 is "rescheduled" (FSRS rescheduling, set due date)


def ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def datetime_to_ms(when: datetime) -> int:
    return int(round(when.timestamp() * 1000))


@dataclass(frozen=True)
class ConvertedLog:
    entries: tuple[ReviewEntry, ...]
    skipped: tuple[Skipped, ...]


def convert_revlog(rows: Iterable[AnkiRevlog], card_ids: Mapping[int, CardId]) -> ConvertedLog:
    """Anki's log rows as ReviewEntry: answers as REVIEW entries; manual rows (Forget, set
    due date, rescheduling) and rows without an answer button as MANUAL ones, as Anki
    keeps them — a reset (a manual row with no ease factor, Anki's `is_reset`) leaves the
    card new, the others a review due after the interval they set. Rows of cards not
    imported are counted in `skipped` (one line per reason, not per row)."""
    entries: list[ReviewEntry] = []
    counts: dict[str, int] = {}
    ratings = {int(r): r for r in Rating}
    for row in rows:
        card_id = card_ids.get(row.cid)
        if card_id is None:
            reason = "its card is not imported (deleted card or unmatched template)"
            counts[reason] = counts.get(reason, 0) + 1
            continue
        time = ms_to_datetime(row.id)
        duration = max(0, min(row.time, 3_600_000))
        if row.type in _ANSWER_TYPES and row.ease in ratings:
            entries.append(
                ReviewEntry(card_id, time, ratings[row.ease], duration, ReviewKind.REVIEW)
            )
            continue
        reset = row.type == _MANUAL and row.factor == 0
        # A positive interval is in days, a negative one in seconds (a learning step).
        days = row.ivl if row.ivl >= 0 else -row.ivl / 86400
        entries.append(
            ReviewEntry(
                card_id,
                time,
                Rating.GOOD,
                duration,
                ReviewKind.MANUAL,
                state_after=CardState.NEW if reset else CardState.REVIEW,
                scheduled_days=0.0 if reset else float(days),
            )
        )
    skipped = tuple(
        Skipped(f"{n} review-log entr{'y' if n == 1 else 'ies'}", reason)
        for reason, n in counts.items()
    )
    return ConvertedLog(tuple(entries), skipped)


def replay(
    entries: Iterable[ReviewEntry], *, preset: Preset = REPLAY_PRESET
) -> dict[CardId, MemoryState]:
    """Each card's memory state after replaying its REVIEW entries in time order, from
    its last reset (a MANUAL entry that left it new) on, as Anki's FSRS does; a card with
    no answer since has no state here (it is new).

    The same result as `scheduling.review` from a new card, answer by answer (a test
    holds them equal). Without fuzz, `_Replayer` runs fsrs's steps on plain values;
    with fuzz, each answer goes through the scheduler itself.
    """
    by_card: dict[CardId, list[ReviewEntry]] = {}
    resets: dict[CardId, datetime] = {}
    for entry in entries:
        if entry.kind is ReviewKind.REVIEW:
            by_card.setdefault(entry.card_id, []).append(entry)
        elif entry.kind is ReviewKind.MANUAL and entry.state_after is CardState.NEW:
            last = resets.get(entry.card_id)
            resets[entry.card_id] = entry.time if last is None else max(last, entry.time)
    for card_id, reset in resets.items():
        rows = by_card.get(card_id)
        if rows is not None:
            after = [r for r in rows if r.time > reset]
            if after:
                by_card[card_id] = after
            else:
                del by_card[card_id]
    scheduler = fsrs_scheduler(preset)
    states: dict[CardId, MemoryState] = {}
    if not preset.enable_fuzzing:
        replayer = _Replayer(scheduler)
        for card_id, rows in by_card.items():
            rows.sort(key=_time)
            states[card_id] = replayer.run(rows)
        return states
    ratings = {r: fsrs.Rating(int(r)) for r in Rating}
    for card_id, rows in by_card.items():
        rows.sort(key=_time)
        # fsrs insists on the `timezone.utc` object itself, not just a zero offset.
        card = to_fsrs(MemoryState(), card_id=card_id, now=rows[0].time.astimezone(UTC))
        for row in rows:
            card, _ = scheduler.review_card(card, ratings[row.rating], row.time.astimezone(UTC))
        states[card_id] = from_fsrs(card)
    return states


def _time(entry: ReviewEntry) -> datetime:
    return entry.time


_LEARNING = int(fsrs.State.Learning)
_REVIEW = int(fsrs.State.Review)
_RELEARNING = int(fsrs.State.Relearning)
_AGAIN, _HARD, _GOOD, _EASY = 1, 2, 3, 4


class _Walk:
    """One card's state in a replay (a new card: learning, step 0, no stability); times
    as its replayer keeps them (UTC datetimes, or whole microseconds since the epoch)."""

    __slots__ = ("state", "step", "stability", "difficulty", "last", "due")

    def __init__(self, due: Any) -> None:
        self.state = _LEARNING
        self.step: int | None = 0
        self.stability: float | None = None
        self.difficulty = 0.0
        self.last: Any = None
        self.due = due

    def memory(self) -> MemoryState:
        return MemoryState(
            state=CardState(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last,
        )


_US = timedelta(microseconds=1)


def _micro(span: timedelta) -> int:
    return span // _US


def _same(span: timedelta) -> timedelta:
    return span


def _hard_first(steps: Sequence[timedelta]) -> timedelta:
    """Hard's interval on a card at its first step, as fsrs computes it."""
    if len(steps) == 1:
        return steps[0] * 1.5
    if len(steps) >= 2:
        return (steps[0] + steps[1]) / 2.0
    return timedelta(0)


class _Replayer:
    """`fsrs.Scheduler.review_card` without fuzz, on plain values instead of copied Card
    objects: the same formulas in the same order, so the same floats (fsrs 6.x).

    Times are UTC datetimes and intervals timedeltas, or (`micro`) both whole
    microseconds, which a datetime holds exactly: the same days and intervals, in a
    third of the time where the times come as integers (`anki_log`)."""

    def __init__(self, scheduler: fsrs.Scheduler, *, micro: bool = False) -> None:
        p = scheduler.parameters
        self.p = p
        self.decay = scheduler._DECAY
        self.factor = scheduler._FACTOR
        # The steps, and Hard's interval on a first step (fsrs's timedelta arithmetic,
        # rounded to microseconds as it rounds them), in the replayer's unit.
        unit: Callable[[timedelta], Any] = _micro if micro else _same
        self.day = unit(timedelta(days=1))
        self.learning = [unit(step) for step in scheduler.learning_steps]
        self.relearning = [unit(step) for step in scheduler.relearning_steps]
        self.hard_learning = unit(_hard_first(scheduler.learning_steps))
        self.hard_relearning = unit(_hard_first(scheduler.relearning_steps))
        self.maximum = scheduler.maximum_interval
        self.interval_scale = (scheduler.desired_retention ** (1 / self.decay)) - 1
        self.easy_difficulty = p[4] - (math.e ** (p[5] * (_EASY - 1))) + 1
        self.forget_short = math.e ** (p[17] * p[18])
        self.recall_base = math.e ** (p[8])

    def run(self, rows: list[ReviewEntry]) -> MemoryState:
        walk = _Walk(rows[0].time)
        for row in rows:
            when = row.time
            if when.tzinfo is not UTC:
                when = when.astimezone(UTC)
            self.answer(walk, when, int(row.rating))
        return walk.memory()

    def answer(self, walk: _Walk, when: Any, rating: int) -> Any:
        """Apply one answer at `when` (UTC) to `walk`; the interval it set."""
        last = walk.last
        state, step, stability = walk.state, walk.step, walk.stability
        difficulty = walk.difficulty
        days = (when - last) // self.day if last is not None else None
        if stability is None:  # a new card's first answer
            stability = self._initial_stability(rating)
            difficulty = min(max(self._initial_difficulty(rating), 1.0), 10.0)
        elif days is not None and days < 1:
            stability = self._short_term(stability, rating)
            difficulty = self._next_difficulty(difficulty, rating)
        else:
            r = self._retrievability(stability, days)
            stability = self._next_stability(difficulty, stability, r, rating)
            difficulty = self._next_difficulty(difficulty, rating)
        if state == _REVIEW:
            if rating == _AGAIN and self.relearning:
                state, step = _RELEARNING, 0
                interval = self.relearning[0]
            else:
                interval = self._next_interval(stability) * self.day
        else:
            learning = state == _LEARNING
            steps = self.learning if learning else self.relearning
            assert step is not None
            if not steps or (step >= len(steps) and rating != _AGAIN):
                state, step = _REVIEW, None
                interval = self._next_interval(stability) * self.day
            elif rating == _AGAIN:
                step = 0
                interval = steps[0]
            elif rating == _HARD:
                hard = self.hard_learning if learning else self.hard_relearning
                interval = hard if step == 0 else steps[step]
            elif rating == _GOOD and step + 1 != len(steps):
                step += 1
                interval = steps[step]
            else:  # GOOD on the last step, or EASY
                state, step = _REVIEW, None
                interval = self._next_interval(stability) * self.day
        walk.state, walk.step, walk.stability, walk.difficulty = state, step, stability, difficulty
        walk.due = when + interval
        walk.last = when
        return interval

    # The formulas of fsrs.Scheduler's private helpers, operation for operation.

    def _initial_stability(self, rating: int) -> float:
        value: float = max(self.p[rating - 1], STABILITY_MIN)
        return value

    def _initial_difficulty(self, rating: int) -> float:
        p = self.p
        value: float = p[4] - (math.e ** (p[5] * (rating - 1))) + 1
        return value

    def _retrievability(self, stability: float, days: int | None) -> float:
        if days is None:
            return 0
        elapsed = max(0, days)
        value: float = (1 + self.factor * elapsed / stability) ** self.decay
        return value

    def _next_interval(self, stability: float) -> int:
        interval: int = round((stability / self.factor) * self.interval_scale)
        return min(max(interval, 1), self.maximum)

    def _short_term(self, stability: float, rating: int) -> float:
        p = self.p
        increase = (math.e ** (p[17] * (rating - 3 + p[18]))) * (stability ** -p[19])
        if rating != _AGAIN:
            increase = max(increase, 1.0)
        value: float = max(stability * increase, STABILITY_MIN)
        return value

    def _next_difficulty(self, difficulty: float, rating: int) -> float:
        p = self.p
        delta = -(p[6] * (rating - 3))
        arg_2 = difficulty + (10.0 - difficulty) * delta / 9.0
        value: float = p[7] * self.easy_difficulty + (1 - p[7]) * arg_2
        return min(max(value, 1.0), 10.0)

    def _next_stability(self, difficulty: float, stability: float, r: float, rating: int) -> float:
        p = self.p
        if rating == _AGAIN:
            long_term = (
                p[11]
                * (difficulty ** -p[12])
                * (((stability + 1) ** (p[13])) - 1)
                * (math.e ** ((1 - r) * p[14]))
            )
            value = min(long_term, stability / self.forget_short)
        else:
            hard_penalty = p[15] if rating == _HARD else 1
            easy_bonus = p[16] if rating == _EASY else 1
            value = stability * (
                1
                + self.recall_base
                * (11 - difficulty)
                * (stability ** -p[9])
                * ((math.e ** ((1 - r) * p[10])) - 1)
                * hard_penalty
                * easy_bonus
            )
        clamped: float = max(value, STABILITY_MIN)
        return clamped


def difficulty_from_ease(ease_percent: float) -> float:
    """An FSRS difficulty (1–10) for an SM-2 ease (250% ≈ average, 130% = hardest)."""
    return min(10.0, max(1.0, 5.0 + (250.0 - ease_percent) / 20.0))


def memory_from_interval(
    *, interval_days: float, due: datetime, ease_percent: float
) -> MemoryState:
    """A review-state memory that is due at `due`, remembered for about `interval_days`."""
    interval = max(interval_days, 0.1)
    return MemoryState(
        state=CardState.REVIEW,
        step=None,
        stability=interval,
        difficulty=difficulty_from_ease(ease_percent),
        due=due,
        last_review=due - timedelta(days=interval),
    )


# Anki's revlog types (rslib's RevlogReviewKind); 3 (filtered, no rescheduling) is not ours.
ANKI_LEARN, ANKI_REVIEW, ANKI_RELEARN, ANKI_MANUAL = 0, 1, 2, 4


@dataclass
class AnkiCounts:
    """What Anki's card row counts: answers (`reps`) and Again on a review card
    (`lapses`)."""

    reps: int = 0
    lapses: int = 0


def anki_log(
    rows: Iterable[tuple[int, int, int, int]], *, preset: Preset = REPLAY_PRESET
) -> tuple[list[tuple[int, int, int]], AnkiCounts]:
    """One card's review log as Anki writes it, from its rows (time in ms, ease 1–4 or
    0 for a manual row, the interval a manual row set in days, whether a manual row is a
    reset), oldest first: each row's (type, ivl, lastIvl), by the replayed schedule
    (`replay`'s, fuzz off), and the card's counts.

    The type is the card's state before the row (new or learning: 0, review: 1,
    relearning: 2; a manual row 4); ivl the interval the row set, in days, a learning
    step as negative seconds (as Anki, a step of a day or more in days); lastIvl the
    interval before it (0 for a new card). A reset leaves the card new (Anki's Forget,
    which keeps the counts); a due date set makes it a review card (a new one
    remembered for the interval, as `card_actions.set_due`)."""
    replayer = _replayer(preset)
    out: list[tuple[int, int, int]] = []
    counts = AnkiCounts()
    walk: _Walk | None = None
    last_ivl = 0
    for time_ms, ease, days, reset in rows:
        when = time_ms * 1000  # microseconds, as `ms_to_datetime` gives them
        if ease == 0:  # a manual row
            out.append((ANKI_MANUAL, days, last_ivl))
            if reset:
                walk, last_ivl = None, 0
                continue
            if walk is None or walk.stability is None:
                walk = _Walk(when)
                walk.stability, walk.difficulty = float(max(days, 1)), 5.0
                walk.last = when - when % 1_000_000  # the whole second, as set_due keeps it
            walk.state, walk.step = _REVIEW, None
            walk.due = when + timedelta(days=days) // _US
            last_ivl = days
            continue
        if walk is None:
            walk = _Walk(when)
        before = walk.state
        kind = (
            ANKI_LEARN
            if before == _LEARNING
            else ANKI_REVIEW
            if before == _REVIEW
            else ANKI_RELEARN
        )
        seconds = replayer.answer(walk, when, ease) / 1_000_000  # as timedelta.total_seconds
        if walk.state == _REVIEW or seconds >= 86400:
            ivl = max(1, round(seconds / 86400))
        else:
            ivl = -max(1, round(seconds))
        out.append((kind, ivl, last_ivl))
        last_ivl = ivl
        counts.reps += 1
        counts.lapses += kind == ANKI_REVIEW and ease == _AGAIN
    return out, counts


# The replayers of the presets last asked for, by the preset object's identity (the object
# is kept, so its id is not reused): an export asks once a card, and hashing a preset for
# a cache by value cost more than the card's replay.
_REPLAYERS: dict[int, tuple[Preset, _Replayer]] = {}


def _replayer(preset: Preset) -> _Replayer:
    held = _REPLAYERS.get(id(preset))
    if held is None:
        if len(_REPLAYERS) >= 8:
            _REPLAYERS.clear()
        replayer = _Replayer(fsrs_scheduler(preset), micro=True)
        held = _REPLAYERS[id(preset)] = (preset, replayer)
    return held[1]
