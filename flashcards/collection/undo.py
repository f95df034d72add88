"""Undo and redo: each scheduling change records the exact previous columns of the cards
it touched and the review-log rows it added; undoing restores the one and deletes the
other in one transaction. Before it does, `capture_redo` keeps what the undo takes away
(the cards' columns as the change left them and the deleted log rows), and redo puts that
back. A new change clears what there was to redo, as in every editor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from flashcards.collection.views import Change
from flashcards.core.card_fold import COLUMNS
from flashcards.core.model import CardId
from flashcards.storage import models as m

UNDO_LIMIT = 50

# The card columns an undo step restores: the device log's fold keeps the same ones
# (review.py reads both from one row).
SNAPSHOT_COLUMNS = COLUMNS


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
    events: tuple[str, ...] = ()  # ids of the device-log events the change wrote
    # The day's cached queues as the change found them (a queue_undo.QueueState), for the
    # undo to put back; None: they are built afresh.
    queues: Any = None


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


@dataclass(frozen=True)
class RedoEntry:
    """What an undo took away, to put back: the undone entry (its label and, for deck-file
    edits, the files), the cards' columns as the change had left them, and the log rows
    the undo deleted (every column but the id)."""

    entry: UndoEntry
    after: tuple[CardSnapshot, ...]
    reviews: tuple[dict[str, Any], ...]
    queues: Any = None  # the cached queues as the undo found them (queue_undo.QueueCopy)


def capture_redo(session: Session, entry: UndoEntry) -> RedoEntry:
    """Before undoing `entry`: what redo will need to do it again."""
    after = snapshot(session, [snap.card_id for snap in entry.snapshots])
    reviews: list[dict[str, Any]] = []
    if entry.review_ids:
        table = m.Review.__table__
        rows = session.execute(
            select(table).where(table.c.id.in_(entry.review_ids)).order_by(table.c.id)
        ).mappings()
        reviews = [{k: v for k, v in row.items() if k != "id"} for row in rows]
    return RedoEntry(entry, tuple(after), tuple(reviews))


def reapply(session: Session, redo: RedoEntry) -> tuple[list[CardSnapshot], list[int]]:
    """Put the cards back as the undone change left them and its log rows back in the
    log; returns the cards' columns before (for the next undo) and the new row ids."""
    before = snapshot(session, [snap.card_id for snap in redo.after])
    for snap in redo.after:
        session.execute(update(m.Card).where(m.Card.id == snap.card_id).values(**snap.as_dict()))
    review_ids = [
        int(session.execute(insert(m.Review).values(**row).returning(m.Review.id)).scalar_one())
        for row in redo.reviews
    ]
    return before, review_ids


class UndoStack:
    """The most recent changes, newest last, and what undo took back, to redo (in memory:
    undo lasts for a session)."""

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._entries: list[UndoEntry] = []
        self._redo: list[RedoEntry] = []
        self._limit = limit

    def push(self, entry: UndoEntry) -> None:
        """A new change: undoable, and nothing is left to redo."""
        self.push_back(entry)
        self._redo.clear()

    def push_back(self, entry: UndoEntry) -> None:
        """An entry back on the stack without clearing redo (a refused undo, a redo)."""
        self._entries.append(entry)
        del self._entries[: -self._limit]

    def pop(self) -> UndoEntry | None:
        return self._entries.pop() if self._entries else None

    def peek(self) -> UndoEntry | None:
        return self._entries[-1] if self._entries else None

    def push_redo(self, entry: RedoEntry) -> None:
        self._redo.append(entry)
        del self._redo[: -self._limit]

    def pop_redo(self) -> RedoEntry | None:
        return self._redo.pop() if self._redo else None

    def peek_redo(self) -> RedoEntry | None:
        return self._redo[-1] if self._redo else None

    def clear(self) -> None:
        self._entries.clear()
        self._redo.clear()

    def __len__(self) -> int:
        return len(self._entries)
