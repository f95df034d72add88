"""A practice exam being sat, without Qt: the question on screen, the picks and flags,
the time on each question and the clock. The window shows it and saves what changed.

Every moment comes from the caller (`now`), so a test drives the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flashcards.collection.practice_exam import AnswerUpdate, Question
from flashcards.core.practice_exam import warnings_crossed
from flashcards.gui.exam.practice_ops import ExamLoad


@dataclass
class _State:
    picked: frozenset[int] | None
    flagged: bool
    seconds: float


@dataclass(frozen=True)
class Tick:
    """What one reading of the clock found."""

    left: float | None  # seconds left (None: untimed)
    used: float
    warnings: tuple[int, ...]  # warning marks just passed (seconds left)
    time_up: bool


class ExamSession:
    """The sitting on screen. Options are addressed as shown (0 = A); picks are kept
    as the card's file indexes, as the collection stores them."""

    def __init__(self, load: ExamLoad, *, now: datetime) -> None:
        self.load = load
        self.sitting = load.sitting
        self.questions: tuple[Question, ...] = load.sitting.questions
        self._states = [_State(q.picked, q.flagged, q.seconds) for q in self.questions]
        self.current = min(max(load.sitting.current, 0), len(self.questions) - 1)
        self.clock = load.sitting.clock.started(now)
        self._shown_since = now
        self._last_left = self.clock.left_at(now)
        self.dirty: set[int] = set()  # questions changed since the last save

    # -- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def question(self) -> Question:
        return self.questions[self.current]

    def picked(self, position: int) -> frozenset[int] | None:
        return self._states[position].picked

    def flagged(self, position: int) -> bool:
        return self._states[position].flagged

    def answered(self, position: int) -> bool:
        return self._states[position].picked is not None

    def unanswered_numbers(self) -> list[int]:
        """Question numbers (1-based) without an answer."""
        return [i + 1 for i in range(len(self)) if not self.answered(i)]

    def flagged_numbers(self) -> list[int]:
        return [i + 1 for i in range(len(self)) if self.flagged(i)]

    def choices(self, position: int | None = None) -> int:
        """How many options the question has."""
        position = self.current if position is None else position
        return len(self.load.order(position))

    def html(self, position: int | None = None) -> str:
        """The question as shown, its picks marked."""
        from flashcards.core import render

        position = self.current if position is None else position
        question = self.questions[position]
        return str(
            render.render_card(
                self.load.views[question.card_id].card,
                side=render.Side.FRONT,
                base_dir=self.load.base_dirs.get(question.card_id),
                selected=self._states[position].picked or frozenset(),
                order=self.load.order(position),
                media_root=self.load.media_roots.get(question.card_id),
            )
        )

    # -- answering --------------------------------------------------------------------------

    def pick(self, shown: int) -> bool:
        """The option shown at letter `shown` (0 = A): a one-answer question takes it
        instead of the last pick; a "choose two" question toggles it. True if it changed."""
        order = self.load.order(self.current)
        if not 0 <= shown < len(order):
            return False
        index = order[shown]
        state = self._states[self.current]
        before = state.picked
        if self.question.choose > 1:
            picks = set(before or ()) ^ {index}
            state.picked = frozenset(picks) or None
        else:
            state.picked = frozenset({index})
        if state.picked == before:
            return False
        self.dirty.add(self.current)
        return True

    def clear(self) -> bool:
        """Take the answer back (the question counts as unanswered)."""
        state = self._states[self.current]
        if state.picked is None:
            return False
        state.picked = None
        self.dirty.add(self.current)
        return True

    def toggle_flag(self) -> bool:
        """Flag the question for review (or unflag it); returns the new flag."""
        state = self._states[self.current]
        state.flagged = not state.flagged
        self.dirty.add(self.current)
        return state.flagged

    def go(self, position: int, *, now: datetime) -> bool:
        """Show question `position` (clamped); its time starts now. True if it moved."""
        position = min(max(position, 0), len(self) - 1)
        if position == self.current:
            return False
        self._note_time(now)
        self.current = position
        return True

    def _note_time(self, now: datetime) -> None:
        """Add the time since the question came on screen to it."""
        spent = max((now - self._shown_since).total_seconds(), 0.0)
        if spent:
            self._states[self.current].seconds += spent
            self.dirty.add(self.current)
        self._shown_since = now

    # -- the clock --------------------------------------------------------------------------

    def tick(self, now: datetime) -> Tick:
        """Read the clock: time left, warnings newly due, whether time is up."""
        left = self.clock.left_at(now)
        warnings = warnings_crossed(self._last_left, left)
        self._last_left = left
        return Tick(left, self.clock.used_at(now), warnings, self.clock.is_up(now))

    def pause(self, now: datetime) -> None:
        """The exam leaves the screen: the clock and the question's time stop."""
        self._note_time(now)
        self.clock = self.clock.paused(now)

    def resume(self, now: datetime) -> None:
        self._shown_since = now
        self.clock = self.clock.started(now)

    def used(self, now: datetime) -> float:
        return self.clock.used_at(now)

    # -- saving -----------------------------------------------------------------------------

    def take_updates(self, now: datetime, *, every: bool = False) -> tuple[AnswerUpdate, ...]:
        """The questions changed since the last call (or all), as the collection saves them."""
        self._note_time(now)
        positions = range(len(self)) if every else sorted(self.dirty)
        self.dirty.clear()
        return tuple(
            AnswerUpdate(
                i,
                picked=self._states[i].picked,
                flagged=self._states[i].flagged,
                seconds=round(self._states[i].seconds, 3),
            )
            for i in positions
        )
