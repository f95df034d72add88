"""A card's scheduling columns and its history rows: the shapes a fold produces.

`Columns` is one card's scheduling columns as the cards table stores them (`COLUMNS`
order, undo's snapshot columns); a history row (`Row`) is the reviews table's values in
`REVIEW_COLUMNS` order, written by `REVIEW_INSERT`. Times are stored in whole seconds
(columns) or milliseconds (events, rows); the converters here are the only ones a fold
uses. Pure: no clock, no files, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flashcards.core.model import CardState, MemoryState

COLUMNS = (
    "suspended",
    "buried_until",
    "flag",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "head",
)
"""The cards table's scheduling columns a fold produces (undo's snapshot columns)."""

REVIEW_COLUMNS = (
    "time_ms",
    "rating",
    "duration_ms",
    "kind",
    "state_before",
    "step_before",
    "stability_before",
    "difficulty_before",
    "due_before",
    "last_review_before",
    "state_after",
    "stability_after",
    "difficulty_after",
    "elapsed_days",
    "scheduled_days",
    "device_id",
)
"""A history row's values in order (the reviews table's columns after `card_id`)."""
REVIEW_INSERT = (
    "INSERT INTO reviews (card_id, "
    + ", ".join(REVIEW_COLUMNS)
    + ") VALUES ("
    + ",".join("?" * (len(REVIEW_COLUMNS) + 1))
    + ")"
)
"""The statement that writes one history row (`card_id` first)."""

Row = tuple[Any, ...]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class Columns:
    """One card's scheduling columns (integers as the cards table stores them)."""

    suspended: bool = False
    buried_until: int = 0
    flag: int = 0
    state: int = 0
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int = 0
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0
    head: str | None = None  # the last scheduling event applied

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in COLUMNS)

    @classmethod
    def of(cls, values: Sequence[Any]) -> Columns:
        """From a row in `COLUMNS` order (SQLite gives booleans as 0/1)."""
        cols = cls(*values)
        cols.suspended = bool(cols.suspended)
        return cols

    def memory(self) -> MemoryState:
        """As `storage.convert.memory_of` reads the columns."""
        state = CardState(self.state)
        return MemoryState(
            state=state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=from_s(self.due) if state is not CardState.NEW else None,
            last_review=from_s(self.last_review) if self.last_review is not None else None,
        )

    def set_memory(self, memory: MemoryState) -> None:
        """As `storage.convert.memory_columns` writes a memory state."""
        self.state = int(memory.state)
        self.step = memory.step
        self.stability = memory.stability
        self.difficulty = memory.difficulty
        self.due = to_s(memory.due) if memory.due is not None else 0
        self.last_review = to_s(memory.last_review) if memory.last_review is not None else None


def from_s(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def to_s(moment: datetime) -> int:
    return int(moment.timestamp())


def to_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def memory_values(memory: MemoryState) -> tuple[Any, ...]:
    """state, step, stability, difficulty, due, last_review as a log row's `*_before`."""
    return (
        int(memory.state),
        memory.step,
        memory.stability,
        memory.difficulty,
        to_s(memory.due) if memory.due is not None else 0,
        to_s(memory.last_review) if memory.last_review is not None else None,
    )
