"""The review loop's statements: the card row an answer reads and writes, its siblings
to bury, the first learning card due, and whether a queued card is still due (review.py
runs them on the DBAPI cursor)."""

from __future__ import annotations

import sqlite3
from typing import Any

from flashcards.collection.base import UnknownCardError
from flashcards.collection.queue import CardScope, Window
from flashcards.core.model import CardId, CardState

# row[1:13] are undo's SNAPSHOT_COLUMNS (the fold's COLUMNS), row[13] the preset,
# row[14] the deck.
CARD_SQL = (
    "SELECT c.note_id, c.suspended, c.buried_until, c.flag, c.state, c.step, c.stability, "
    "c.difficulty, c.due, c.last_review, c.reps, c.lapses, c.head, d.preset_id, c.deck_id "
    "FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = :id"
)
PRESET = 13
DECK = 14


def card_row(cur: sqlite3.Cursor, card_id: CardId | str) -> Any:
    """The card's `CARD_SQL` row; UnknownCardError when there is none."""
    row = cur.execute(CARD_SQL, {"id": str(card_id)}).fetchone()
    if row is None:
        raise UnknownCardError(f"no card with id {card_id!r}")
    return row


SIBLINGS_SQL = (
    "SELECT id, suspended, buried_until, flag, state, step, stability, difficulty, due, "
    "last_review, reps, lapses, head FROM cards WHERE note_id = :note AND id != :id "
    "AND present = 1 AND buried_until < :today AND state IN (0, 2)"
)
ANSWER_SQL = (
    "UPDATE cards SET suspended = ?, buried_until = ?, flag = ?, state = ?, step = ?, "
    "stability = ?, difficulty = ?, due = ?, last_review = ?, reps = ?, lapses = ?, head = ? "
    "WHERE id = ?"
)
BURY_SQL = "UPDATE cards SET buried_until = :today WHERE id = :id"
# Columns are checked in Python: with an OR in the WHERE clause SQLite prefers the
# queue index over the primary key and scans thousands of rows.
STILL_QUEUED_SQL = (
    "SELECT id, present, suspended, buried_until, state, due FROM cards WHERE id IN ({marks})"
)


# The states whose answers count against a day's limits (queue.done_today).
LIMITED = (CardState.NEW, CardState.REVIEW)


LEARNING_SQL = (
    "SELECT id, deck_id FROM cards INDEXED BY ix_cards_queue WHERE present = 1 "
    "AND suspended = 0 AND state IN (1, 3) AND due <= ? AND buried_until < ?{decks} "
    "ORDER BY due, id{limit}"
)


def first_learning(
    cur: sqlite3.Cursor,
    deck_ids: tuple[int, ...] | None,
    window: Window,
    *,
    until_s: int,
    scope: CardScope | None = None,
) -> str | None:
    """The learning card due first by `until_s` (in the selected decks and `scope`)."""
    decks = "" if deck_ids is None else f" AND deck_id IN ({','.join('?' * len(deck_ids))})"
    rows = cur.execute(
        LEARNING_SQL.format(decks=decks, limit="" if scope else " LIMIT 1"),
        (until_s, window.today, *(deck_ids or ())),
    )
    for cid, deck_id in rows:
        if scope is None or scope.holds(cid, deck_id):
            return str(cid)
    return None


def still_due(
    present: int, suspended: int, buried_until: int, state: int, due: int, window: Window
) -> bool:
    """A queued card is still to be shown today: a new card, or a review due today."""
    return bool(
        present
        and not suspended
        and buried_until < window.today
        and (state == 0 or (state == 2 and due < window.end_s))
    )
