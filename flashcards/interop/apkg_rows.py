"""The rows of an .apkg's notes, cards and review log, as Anki's schema 11 has them.

Anki ids are derived from ours (`stable_int`), so a re-export updates rather than
duplicates; scheduling becomes Anki's type/queue/due/ivl plus the FSRS memory in the
card's `data`. Rows go to the package database through `RowInserts`, a thread of its
own: SQLite's work on each row (and each index, made once its table is full) runs there
without the GIL while the caller builds the next rows.
"""

from __future__ import annotations

import json
import math
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from flashcards.core.model import CardId, CardState
from flashcards.interop.bundle import Skipped
from flashcards.interop.export_notes import stable_int
from flashcards.interop.history import anki_log
from flashcards.interop.package_notes import IndexedMemory, PackageCard, PackageData, PackageNote

DAY = 86400
CHUNK = 2000  # rows handed to the inserting thread at a time
# The columns every row has the same value in are written into the statements: fewer
# values to put in each row's tuple and to bind. {mod}: the export's time (an int).
# notes: id, guid, mid, mod (`package_notes.export_mod`), tags, flds, sfld, csum
NOTES_SQL = "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')"
# cards: id, nid, did, ord, type, queue, due, ivl, factor, left, flags, data
_CARDS_SQL = "INSERT INTO cards VALUES (?, ?, ?, ?, {mod}, -1, ?, ?, ?, ?, ?, 0, 0, ?, 0, 0, ?, ?)"
# revlog: id, cid, ease, factor, time, type
_REVLOG_SQL = "INSERT INTO revlog VALUES (?, ?, -1, ?, 0, 0, ?, ?, ?)"
# A manual row (Anki's type 4, no answer button): id, cid, ivl, factor (0: a reset), time
_MANUAL_REVLOG_SQL = "INSERT INTO revlog VALUES (?, ?, -1, 0, ?, 0, ?, ?, 4)"
_REVIEW, _LEARNING = CardState.REVIEW.value, CardState.LEARNING.value


class RowInserts:
    """Statements run on the package database by a thread of their own, in the order
    given. `close` waits for them and re-raises the first error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._jobs: queue.SimpleQueue[tuple[str, list[tuple[Any, ...]] | None] | None] = (
            queue.SimpleQueue()
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="apkg-insert", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is not None:
                continue
            sql, rows = job
            try:
                if rows is None:
                    self._db.execute(sql)
                elif rows:
                    self._db.executemany(sql, rows)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller in close()
                self._error = exc

    def put(self, sql: str, rows: list[tuple[Any, ...]] | None = None) -> None:
        """Run `sql` for each of `rows` (None: once, without parameters)."""
        self._jobs.put((sql, rows))

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def schedule(item: PackageCard, *, crt: int, position: int) -> tuple[int, int, int, int, int, str]:
    """(type, queue, due, ivl, left, data) for an Anki card."""
    memory = item.memory
    if isinstance(memory, IndexedMemory):
        return schedule_indexed(memory, crt=crt)
    if memory is None or memory.state is CardState.NEW or memory.due is None:
        return 0, 0, position, 0, 0, "{}"
    last = None if memory.last_review is None else int(memory.last_review.timestamp())
    data = card_data(memory.stability, memory.difficulty, last)
    ivl = 0
    if memory.last_review is not None:
        ivl = max(1, round((memory.due - memory.last_review) / timedelta(days=1)))
    if memory.state is CardState.REVIEW:
        due_day = int((memory.due.timestamp() - crt) // DAY)
        return 2, 2, due_day, ivl, 0, data
    kind = 1 if memory.state is CardState.LEARNING else 3
    return kind, 1, int(memory.due.timestamp()), ivl if kind == 3 else 0, 1, data


def schedule_indexed(memory: IndexedMemory, *, crt: int) -> tuple[int, int, int, int, int, str]:
    """`schedule` of a memory in whole epoch seconds, in integer arithmetic: the same
    values as through datetimes (a difference of whole seconds over a day's seconds
    rounds as the same difference in microseconds over a day's microseconds)."""
    state, stability, difficulty, due, last = memory
    data = card_data(stability, difficulty, last)
    ivl = 0 if last is None else max(1, round((due - last) / DAY))
    if state == _REVIEW:
        return 2, 2, (due - crt) // DAY, ivl, 0, data
    kind = 1 if state == _LEARNING else 3
    return kind, 1, due, ivl if kind == 3 else 0, 1, data


def card_data(stability: float | None, difficulty: float | None, last: int | None) -> str:
    """The card's `data` JSON: FSRS memory and last review time, as `json.dumps` writes
    it (formatted here: a tenth of the time, for every studied card)."""
    lrt = "" if last is None else f'"lrt": {int(last)}'
    if stability is None or difficulty is None:
        return "{" + lrt + "}"
    s, d = round(stability, 4), round(difficulty, 4)
    if not (math.isfinite(s) and math.isfinite(d)):  # NaN, Infinity: json's own words
        return json.dumps({"s": s, "d": d, **({"lrt": last} if last is not None else {})})
    return f'{{"s": {s!r}, "d": {d!r}' + (", " + lrt if lrt else "") + "}"


def anki_ids(
    notes: Sequence[PackageNote], derived: tuple[Sequence[int], Sequence[int]] | None = None
) -> tuple[Sequence[int], Sequence[int]]:
    """The Anki ids of the notes and of their cards (in note order), derived from ours
    (`derived`: as `stable_int` gives them, read from the store of rendered notes); an id
    taken by an earlier note or card (note, then its cards) moves up to a free one."""
    if derived is not None:
        nids, cids = derived
    else:
        nids = [note_anki_id(item.id) for item in notes]
        cids = [stable_int("card:" + card.id) for item in notes for card in item.cards]
    if len(set(nids).union(cids)) == len(nids) + len(cids):
        return nids, cids  # none taken twice (the rule: 2^40 ids, rarely a clash)
    moved_nids: list[int] = []
    moved_cids: list[int] = []
    for nid, card_ids in moved_ids((item.id, [c.id for c in item.cards]) for item in notes):
        moved_nids.append(nid)
        moved_cids.extend(card_ids)
    return moved_nids, moved_cids


def moved_ids(notes: Iterable[tuple[str, Sequence[str]]]) -> Iterator[tuple[int, list[int]]]:
    """The Anki ids of notes (our id, their cards' ids) in order, where some clash: an id
    taken by an earlier note or card (note, then its cards) moves up to a free one."""
    used: set[int] = set()
    for note_id, card_ids in notes:
        nid = _unique(note_anki_id(note_id), used)
        yield nid, [_unique(stable_int("card:" + c), used) for c in card_ids]


def note_anki_id(note_id: str) -> int:
    """A note's Anki id as derived from ours (before a clash moves it)."""
    return stable_int("note:" + note_id)


def card_anki_ids(card_ids: Iterable[str]) -> str:
    """Cards' Anki ids as derived from ours, as the store keeps them: `;card=id` for each
    card in order (ids are letters, digits, `_ - :`), so SQLite finds a card's with `instr`
    where it builds a package."""
    return "".join(f";{c}={stable_int('card:' + c)}" for c in card_ids)


def stored_card_ids(stored: list[str]) -> list[int]:
    """The ids of `card_anki_ids` texts, one after the other."""
    return [int(part.rpartition("=")[2]) for text in stored for part in text.split(";")[1:]]


def insert_cards(
    inserts: RowInserts,
    notes: Sequence[PackageNote],
    nids: Sequence[int],
    cids: Sequence[int],
    deck_id: Callable[[str], int],
    *,
    crt: int,
    now_s: int,
) -> dict[CardId, int]:
    """Insert the notes' cards; our card id -> Anki's."""
    sql = _CARDS_SQL.format(mod=int(now_s))
    card_rows: dict[CardId, int] = {}
    rows: list[tuple[Any, ...]] = []
    k = 0
    for index, item in enumerate(notes):
        did = deck_id(item.deck)
        nid = nids[index]
        for card in item.cards:
            card_id, ord_, memory, flag, suspended, buried = card
            cid = cids[k]
            k += 1
            card_rows[card_id] = cid
            if memory is None:  # new: due by position
                queue_ = -1 if suspended else -3 if buried else 0
                rows.append((cid, nid, did, ord_, 0, queue_, index + 1, 0, 0, 0, flag, "{}"))
            else:
                type_, queue_, due, ivl, left, data = schedule(card, crt=crt, position=index + 1)
                if suspended:
                    queue_ = -1
                elif buried:
                    queue_ = -3
                factor = 2500 if type_ else 0
                rows.append(
                    (cid, nid, did, ord_, type_, queue_, due, ivl, factor, left, flag, data)
                )
            if len(rows) == CHUNK:
                inserts.put(sql, rows)
                rows = []
    inserts.put(sql, rows)
    return card_rows


def _unique(value: int, used: set[int]) -> int:
    while value in used:
        value += 1
    used.add(value)
    return value


def insert_revlog(
    inserts: RowInserts,
    data: PackageData,
    card_rows: dict[CardId, int],
    skipped: list[Skipped],
) -> int:
    """Insert the answers and manual rows of exported cards (ids: their times, made
    unique); how many."""
    rows = []
    manual = []
    used: set[int] = set()
    seen: set[CardId] = set()
    left_out = data.left_out
    for entry in data.reviews:
        cid = card_rows.get(entry.card_id)
        if cid is None:
            left_out += 1
            continue
        rid = _unique(entry.time_ms, used)
        if entry.manual is not None:
            if entry.manual.reset:
                seen.discard(entry.card_id)  # a new card again: its next answer learns
            factor = 0 if entry.manual.reset else 2500
            time = min(entry.duration_ms, 60_000)
            manual.append((rid, cid, entry.manual.interval_days, factor, time))
            continue
        first = entry.card_id not in seen
        seen.add(entry.card_id)
        rows.append(
            (
                rid,
                cid,
                entry.rating,
                0 if first else 2500,
                min(entry.duration_ms, 60_000),
                0 if first else 1,
            )
        )
    inserts.put(_REVLOG_SQL, rows)
    if manual:
        inserts.put(_MANUAL_REVLOG_SQL, manual)
    if left_out:
        skipped.append(
            Skipped(f"{left_out} review entries", "practice/manual entries or cards not exported")
        )
    return len(rows) + len(manual)


_LOG_ROWS = "SELECT cid, id, ease, ivl, factor FROM main.revlog ORDER BY cid, id"
_LOG_UPDATE = "UPDATE main.revlog SET type = ?, ivl = ?, lastIvl = ? WHERE id = ?"
_COUNTS_UPDATE = "UPDATE main.cards SET reps = ?, lapses = ? WHERE id = ?"


def fill_anki_history(db: sqlite3.Connection) -> None:
    """The package's review log made Anki's (`history.anki_log`): each row's type, ivl
    and lastIvl by the replayed schedule, and its cards' reps and lapses. Both ways of
    writing a package run it on the rows they wrote (rows alike, so the result alike)."""
    log_updates: list[tuple[int, int, int, int]] = []
    count_updates: list[tuple[int, int, int]] = []
    card: list[tuple[int, int, int, int]] = []
    ids: list[int] = []
    current = 0

    def flush() -> None:
        made, counts = anki_log(card)
        log_updates.extend((*row, rid) for row, rid in zip(made, ids, strict=True))
        count_updates.append((counts.reps, counts.lapses, current))

    for cid, rid, ease, ivl, factor in db.execute(_LOG_ROWS).fetchall():
        if cid != current:
            if card:
                flush()
            card, ids, current = [], [], cid
        card.append((rid, ease, ivl, ease == 0 and factor == 0))
        ids.append(rid)
    if card:
        flush()
    log_updates.sort(key=_last)  # by row id: the table's order, each page once
    db.executemany(_LOG_UPDATE, log_updates)
    db.executemany(_COUNTS_UPDATE, count_updates)


def _last(row: tuple[int, ...]) -> int:
    return row[-1]
