"""The scheduling half of an import, written in bulk inside `apply_import`'s transaction:
memory states, flags, imported history and the reps it implies.

Raw executemany, one statement per kind: an ORM UPDATE per card costs about a
millisecond each, which for a few thousand reviewed cards was most of an import's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from flashcards.collection.sync_rows import NEW_SCHEDULING
from flashcards.core.model import CardId, Flag, MemoryState, ReviewEntry, ReviewKind
from flashcards.storage.bulk_indexes import indexes_built_after
from flashcards.storage.convert import memory_columns, to_epoch_ms

_CHUNK = 500  # bound parameters per IN (...) list, well under SQLite's limit

# Imported history: no before/after memory (replay recomputes it), nothing to undo; a
# manual row keeps what it left (a reset leaves the card new) and the interval it set.
_REVIEW_INSERT = (
    "INSERT INTO reviews (card_id, time_ms, rating, duration_ms, kind, state_before, "
    "due_before, state_after, elapsed_days, scheduled_days, device_id) "
    "VALUES (?, ?, ?, ?, ?, 0, 0, ?, 0.0, ?, 'import')"
)
_MEMORY_UPDATE = (
    "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ? WHERE id = ?"
)
# reps of a card with imported history: its REVIEW entries, old and new
_REPS_UPDATE = (
    "UPDATE cards SET reps = (SELECT COUNT(*) FROM reviews WHERE card_id = ? "
    "AND kind = 'review') WHERE id = ?"
)


# The history's highest row id: about its row count (answers are rarely deleted).
_LAST_REVIEW = "SELECT COALESCE(MAX(id), 0) FROM reviews"
BULK_REVIEWS = 2000  # imported answers from which dropping and rebuilding indexes pays


def existing_cards(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Those of `ids` that are rows of the cards table."""
    unique = list(dict.fromkeys(ids))
    found: set[str] = set()
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM cards WHERE id IN ({marks})", tuple(chunk)
            )
        )
    return found


def _review_row(entry: ReviewEntry) -> tuple[str, int, int, int, str, int, float]:
    manual = entry.kind is ReviewKind.MANUAL
    after = entry.state_after
    return (
        str(entry.card_id),
        to_epoch_ms(entry.time),
        0 if manual else int(entry.rating),  # manual rows have no rating (stored 0)
        max(0, int(entry.duration_ms)),
        entry.kind.value,
        int(after) if after is not None else 0,
        float(entry.scheduled_days),
    )


def initial_scheduling(
    states: Mapping[CardId, MemoryState], reviews: Iterable[ReviewEntry]
) -> dict[str, tuple[Any, ...]]:
    """`sync_into`'s `initial`: the SCHEDULING_COLUMNS a card gets if the sync inserts it,
    so a new card's memory state and reps go into its INSERT rather than two UPDATEs.

    A card the sync inserts has no history yet, so its reps are its REVIEW entries here.
    """
    reps: dict[str, int] = {}
    for entry in reviews:
        if entry.kind is ReviewKind.REVIEW:
            key = str(entry.card_id)
            reps[key] = reps.get(key, 0) + 1
    out: dict[str, tuple[Any, ...]] = {}
    for cid, memory in states.items():
        key = str(cid)
        out[key] = (*_memory_values(memory), reps.get(key, 0))
    for key, count in reps.items():
        if key not in out:
            out[key] = (*NEW_SCHEDULING[:-1], count)
    return out


def _memory_values(memory: MemoryState) -> tuple[Any, ...]:
    """state, step, stability, difficulty, due, last_review: the card columns in order."""
    c = memory_columns(memory)
    return (c["state"], c["step"], c["stability"], c["difficulty"], c["due"], c["last_review"])


def write_scheduling(
    conn: Connection,
    *,
    states: Mapping[CardId, MemoryState],
    card_flags: Mapping[CardId, tuple[bool, Flag]],
    replace_history_for: set[CardId],
    reviews: list[ReviewEntry],
    scheduled: set[str] | None = None,
    lapses: Mapping[CardId, int] | None = None,
) -> None:
    """Apply history, memory states and flags to the cards that exist; ids of cards the
    collection does not have are ignored. Old history of `replace_history_for` goes first.
    `scheduled` cards were just inserted with `initial_scheduling`'s values: their memory
    state and reps are already written. `lapses`: lapse counts to set (an Anki card's)."""
    scheduled = scheduled or set()
    asked = {
        *map(str, states),
        *map(str, card_flags),
        *map(str, replace_history_for),
        *(str(r.card_id) for r in reviews),
        *map(str, lapses or {}),
    }
    known = scheduled | existing_cards(conn, sorted(asked - scheduled))
    gone = [(str(cid),) for cid in replace_history_for if str(cid) in known]
    if gone:
        conn.exec_driver_sql("DELETE FROM reviews WHERE card_id = ?", gone)
    memory_rows = []
    for cid, memory in states.items():
        if str(cid) in known and str(cid) not in scheduled:
            memory_rows.append((*_memory_values(memory), str(cid)))
    if memory_rows:
        conn.exec_driver_sql(_MEMORY_UPDATE, memory_rows)
    flag_rows = [
        (bool(suspended), int(flag), str(cid))
        for cid, (suspended, flag) in card_flags.items()
        if str(cid) in known
    ]
    if flag_rows:
        conn.exec_driver_sql("UPDATE cards SET suspended = ?, flag = ? WHERE id = ?", flag_rows)
    lapse_rows = [(n, str(cid)) for cid, n in (lapses or {}).items() if str(cid) in known]
    if lapse_rows:
        conn.exec_driver_sql("UPDATE cards SET lapses = ? WHERE id = ?", lapse_rows)
    rows = [_review_row(r) for r in reviews if str(r.card_id) in known]
    if rows:
        # Into a small history (a first import), the history's indexes are built once
        # after the rows rather than kept up row by row (at 60,000 imported answers the
        # random card ids made the insert half again as long).
        held = conn.exec_driver_sql(_LAST_REVIEW).scalar_one()
        bulk = len(rows) >= BULK_REVIEWS and len(rows) >= 2 * held
        with indexes_built_after(conn, ("reviews",), bulk=bulk):
            conn.exec_driver_sql(_REVIEW_INSERT, rows)
        counted = {r[0] for r in rows} - scheduled
        if counted:
            conn.exec_driver_sql(_REPS_UPDATE, [(cid, cid) for cid in counted])
