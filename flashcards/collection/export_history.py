"""An .apkg's review log made by SQL (collection/export_sql.py): the answers and manual
rows of the exported cards, as the Python way (`apkg_rows.insert_revlog`) writes them.

A row's id is its time. Entries of one millisecond (a Forget or a due date set on
several cards at once writes one row per card at the same moment) clash there: the
Python way moves the later ones up a millisecond each, in the order it reads the
history (by time, entries of one moment card by card in the order the cards were first
answered: `export_rows._history`). The log is then made again with the ids so moved, as
long as no moved id reaches the next moment's (then moving one moves others, and the
export takes the Python way) and no card has two entries of one moment."""

from __future__ import annotations

import sqlite3

from flashcards.core.model import CardState, ReviewKind

_KINDS = {
    "review": ReviewKind.REVIEW.value,
    "manual": ReviewKind.MANUAL.value,
    "new": int(CardState.NEW),  # a manual row that left the card new is a reset
}
# The answers and manual rows of the exported cards, oldest first. An answer is the
# card's first (Anki's learning row) when no answer came since the card's last reset (or
# ever; `reset`: looked for only on cards that had one). {rid}: the row's id, {ties}:
# what it is worked out from.
_REVLOG = """
INSERT INTO main.revlog
SELECT {rid}, cid, -1,
  CASE WHEN kind = :manual THEN 0 ELSE rating END,
  CASE WHEN kind = :manual THEN manual_days(state_after, scheduled_days) ELSE 0 END,
  0,
  CASE WHEN kind = :manual THEN (CASE WHEN state_after = :new THEN 0 ELSE 2500 END)
    WHEN first THEN 0 ELSE 2500 END,
  min(duration_ms, 60000),
  CASE WHEN kind = :manual THEN 4 WHEN first THEN 0 ELSE 1 END
FROM (
  SELECT *, kind = :review AND NOT EXISTS (
    SELECT 1 FROM c.reviews p WHERE p.card_id = h.card_id AND p.time_ms < h.time_ms
      AND p.time_ms > coalesce(h.reset, -1) AND p.kind = :review) AS first
  FROM (
    SELECT r.card_id, r.time_ms, r.rating, r.duration_ms, r.kind, r.state_after,
      r.scheduled_days, xr.cid, {ties}
      CASE WHEN r.card_id IN (SELECT card_id FROM temp.x_resets) THEN (
        SELECT max(q.time_ms) FROM c.reviews q WHERE q.card_id = r.card_id
          AND q.time_ms < r.time_ms AND q.kind = :manual AND q.state_after = :new) END
        AS reset
    FROM c.reviews r JOIN temp.x_rev xr ON xr.card_id = r.card_id
    WHERE r.kind IN (:review, :manual)
  ) h
)
ORDER BY time_ms
"""
_BY_TIME = _REVLOG.format(rid="time_ms", ties="")
# Entries of one moment after the first, a millisecond up each, card by card in the
# order of each card's first history entry (any kind: the Python way reads them all).
_MOVED_UP = _REVLOG.format(
    rid="time_ms + row_number() OVER (PARTITION BY time_ms ORDER BY first_ms, first_id) - 1",
    ties=(
        "(SELECT q.time_ms FROM c.reviews q WHERE q.card_id = r.card_id "
        "ORDER BY q.time_ms, q.id LIMIT 1) AS first_ms, "
        "(SELECT q.id FROM c.reviews q WHERE q.card_id = r.card_id "
        "ORDER BY q.time_ms, q.id LIMIT 1) AS first_id,"
    ),
)
# A card with two entries of one moment: which the Python way takes as its first answer
# depends on more than SQL says here.
_ONE_CARD_TWICE = (
    "SELECT 1 FROM c.reviews r JOIN temp.x_rev xr ON xr.card_id = r.card_id "
    "WHERE r.kind IN (:review, :manual) GROUP BY r.card_id, r.time_ms HAVING count(*) > 1 "
    "LIMIT 1"
)
_RESETS = (
    "INSERT OR IGNORE INTO temp.x_resets SELECT card_id FROM c.reviews "
    "WHERE kind = :manual AND state_after = :new"
)
# History entries of the exported cards that are neither (practice): left out.
_LEFT_OUT = (
    "SELECT count(*) FROM c.reviews r JOIN temp.x_rev xr ON xr.card_id = r.card_id "
    "WHERE r.kind NOT IN (:review, :manual)"
)


def fill_revlog(db: sqlite3.Connection) -> tuple[int, int]:
    """The review log of the cards in `temp.x_rev` (our id, Anki's) into the package;
    how many rows, and how many history entries are left out (practice). Raises
    `sqlite3.IntegrityError` where entries of one moment cannot be moved as the Python
    way moves them."""
    one = db.execute
    one(_RESETS, _KINDS)
    try:
        reviews = one(_BY_TIME, _KINDS).rowcount
    except sqlite3.IntegrityError:  # entries of one moment (the statement made nothing)
        if one(_ONE_CARD_TWICE, _KINDS).fetchone() is not None:
            raise
        reviews = one(_MOVED_UP, _KINDS).rowcount
    return reviews, one(_LEFT_OUT, _KINDS).fetchone()[0]
