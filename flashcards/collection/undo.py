"""Undo: each scheduling change records the exact previous columns of the cards it
touched and the review-log rows it added; undoing restores the one and deletes the
other in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from flashcards.collection.views import Change
from flashcards.core.model import CardId
from flashcards.storage import models as m

UNDO_LIMIT = 50

SNAPSHOT_COLUMNS = (
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
)


@dataclass(frozen=True)
class CardSnapshot:
    """A card's scheduling columns at one moment."""

    card_id: str
    values: tuple[Any, ...]  # in SNAPSHOT_COLUMNS order

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(SNAPSHOT_COLUMNS, self.values, strict=True))


@dataclass(frozen=True)
class UndoEntry:
    label: str  # "Answer", "Suspend", …, for an "Undo Answer" menu item
    snapshots: tuple[CardSnapshot, ...]
    review_ids: tuple[int, ...] = ()


def snapshot(session: Session, ids: Sequence[str]) -> list[CardSnapshot]:
    """The current scheduling columns of cards `ids`."""
    cols = [getattr(m.Card, c) for c in SNAPSHOT_COLUMNS]
    snaps: list[CardSnapshot] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for row in session.execute(select(m.Card.id, *cols).where(m.Card.id.in_(chunk))):
            snaps.append(CardSnapshot(row[0], tuple(row[1:])))
    return snaps


def restore(session: Session, entry: UndoEntry) -> Change:
    """Put every card of `entry` back as it was and delete the log rows it added."""
    for snap in entry.snapshots:
        session.execute(update(m.Card).where(m.Card.id == snap.card_id).values(**snap.as_dict()))
    if entry.review_ids:
        session.execute(delete(m.Review).where(m.Review.id.in_(entry.review_ids)))
    return Change(
        cards=frozenset(CardId(s.card_id) for s in entry.snapshots), label=f"Undo {entry.label}"
    )


class UndoStack:
    """The most recent changes, newest last (in memory: undo lasts for a session)."""

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._entries: list[UndoEntry] = []
        self._limit = limit

    def push(self, entry: UndoEntry) -> None:
        self._entries.append(entry)
        del self._entries[: -self._limit]

    def pop(self) -> UndoEntry | None:
        return self._entries.pop() if self._entries else None

    def peek(self) -> UndoEntry | None:
        return self._entries[-1] if self._entries else None

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
