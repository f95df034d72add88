"""A day's new cards: which ones (the preset's gather order) and in what order (its sort
order). The orders themselves are pure rules in `core.queue_order`; this module feeds
them from the database.

Decks are read lazily: a gather stops querying as soon as the day's cap is reached, so
the default order reads a handful of decks of a 100,000-card collection, with two small
indexed statements each (its new cards in file order, and whether its first practice
questions are new). Where a deck's questions go is read from its cards and links once
and kept while the file is unchanged (`question_layout.QuestionLayouts`). Only the
random gather looks at every new card of the selection, inside SQLite.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from flashcards.collection.question_layout import CHOICE as CHOICE
from flashcards.collection.question_layout import DeckQuestions as DeckQuestions
from flashcards.collection.question_layout import QuestionLayouts as QuestionLayouts
from flashcards.collection.question_layout import read_questions as read_questions
from flashcards.core.model import CardId
from flashcards.core.queue_order import (
    NewGather,
    NewSort,
    after_anchors,
    interleave,
    interleave_kinds,
    random_key,
)
from flashcards.core.scheduling import Preset

if TYPE_CHECKING:
    from flashcards.collection.queue import CardScope, DeckRef, Limits, Window

_NEW_SQL = (
    "SELECT id, note_id, position FROM cards INDEXED BY ix_cards_deck_new "
    "WHERE deck_id = ? AND state = 0 AND present = 1 AND suspended = 0 "
    "AND buried_until < ? ORDER BY position LIMIT ? OFFSET ?"
)

Stream = Iterator[tuple[CardId, str]]  # (card id, note id), in a deck's order


def _raw(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection (same transaction), for the small statements
    a queue build runs per deck, where SQLAlchemy's overhead outweighs SQLite's work."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _positions(
    session: Session, deck_id: int, window: Window, *, batch: int
) -> Iterator[tuple[CardId, str, int]]:
    """A deck's new cards (id, note, position) in file order, fetched in growing batches."""
    skip = 0
    while True:
        rows = _raw(session).execute(_NEW_SQL, (deck_id, window.today, batch, skip)).fetchall()
        for cid, note, position in rows:
            yield CardId(cid), note, int(position)
        if len(rows) < batch:
            return
        skip += batch
        batch *= 2


def _new_among(session: Session, ids: Sequence[CardId], window: Window) -> set[str]:
    """Which of `ids` are new cards that may be shown today."""
    # Columns are checked here: given them in the WHERE clause SQLite walks the queue
    # index instead of looking the ids up.
    marks = ",".join("?" * len(ids))
    rows = _raw(session).execute(
        f"SELECT id, state, present, suspended, buried_until FROM cards WHERE id IN ({marks})",
        ids,
    )
    return {
        cid
        for cid, state, present, suspended, buried in rows
        if state == 0 and present and not suspended and buried < window.today
    }


def _still_new(
    session: Session, placed: Sequence[tuple[CardId, str, float]], window: Window
) -> Iterator[tuple[tuple[CardId, str], float]]:
    """The questions of `placed` that are new cards today, looked up in growing chunks
    as the study order reaches them (a day reaches only the first few)."""
    start, chunk = 0, 8
    while start < len(placed):
        part = placed[start : start + chunk]
        new = _new_among(session, [cid for cid, _, _ in part], window)
        for cid, note, key in part:
            if cid in new:
                yield (cid, note), key
        start += chunk
        chunk *= 2


class DeckOrder:
    """How a gather reads one deck's new cards: as the file is written, or in its study
    order (each practice question right after the notes of the deck it links to)."""

    def __init__(
        self, layouts: QuestionLayouts | None, *, study: bool, scope: CardScope | None = None
    ) -> None:
        self.layouts = layouts or QuestionLayouts()
        self.study = study
        self.scope = scope

    def __call__(self, session: Session, deck: DeckRef, window: Window, *, batch: int) -> Stream:
        part = None if self.scope is None else self.scope.cards.get(deck.id)
        stream = self._stream(session, deck, window, batch=batch)
        if part is None:
            return stream
        return ((cid, note) for cid, note in stream if cid in part)  # a domain's part

    def _stream(self, session: Session, deck: DeckRef, window: Window, *, batch: int) -> Stream:
        layout = self.layouts.of(session, deck) if self.study else DeckQuestions()
        if not layout.placed:
            for cid, note, _ in _positions(session, deck.id, window, batch=batch):
                yield cid, note
            return
        placed = _still_new(session, layout.placed, window)
        notes = (
            ((cid, note), position)
            for cid, note, position in _positions(session, deck.id, window, batch=batch)
            if cid not in layout.ids
        )
        yield from after_anchors(notes, placed)


def _take(stream: Stream, want: int, seen: set[str]) -> list[CardId]:
    """Up to `want` cards of a stream, one per note (and none of the notes in `seen`)."""
    picked: list[CardId] = []
    if want <= 0:
        return picked
    for cid, note in stream:
        if note in seen:
            continue
        seen.add(note)
        picked.append(cid)
        if len(picked) >= want:
            break
    return picked


def _in_turn(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    cap: int,
    seen: set[str],
    *,
    by_domain: bool,
    order: DeckOrder,
) -> list[CardId]:
    """Decks one after another in a column per exam domain (one column in all when not
    `by_domain`), the columns taking turns."""
    groups: dict[str, list[DeckRef]] = {}
    for d in decks:
        groups.setdefault((d.domain or d.key) if by_domain else "", []).append(d)
    columns: list[list[CardId]] = []
    for domain_decks in groups.values():
        column: list[CardId] = []
        for d in domain_decks:
            if len(column) >= cap:
                break
            want = min(lim.new[d.id], cap - len(column))
            if want > 0:
                stream = order(session, d, window, batch=want + 10)
                column.extend(_take(stream, want, seen))
        columns.append(column)
    return interleave(columns)[:cap]


def _round_robin(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    cap: int,
    seen: set[str],
    order: DeckOrder,
) -> list[CardId]:
    """Every deck in turn, one card each, each deck read in `order`."""
    batch = math.ceil(cap / max(1, len(decks))) + 10
    streams: dict[int, Stream] = {}
    left = {d.id: lim.new[d.id] for d in decks}
    picked: list[CardId] = []
    active = [d for d in decks if left[d.id] > 0]
    while active and len(picked) < cap:
        still: list[DeckRef] = []
        for d in active:
            if len(picked) >= cap:
                break
            if d.id not in streams:
                streams[d.id] = order(session, d, window, batch=batch)
            stream = streams[d.id]
            got = _take(stream, 1, seen)
            if got:
                picked.extend(got)
                left[d.id] -= 1
                if left[d.id] > 0:
                    still.append(d)
        active = still
    return picked


def _random(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    cap: int,
    seen: set[str],
    *,
    all_decks: bool,
    scope: CardScope | None = None,
) -> list[CardId]:
    """Cards drawn by `random_key(day, card id)` from every selected deck, within each
    deck's limit: the same draw all day, another tomorrow.

    SQLite keys every new card of the selection through the function and keeps only
    the smallest keys (a top-k heap, as for reviews), so no row but those is built in
    Python: about 60 ms for 80,000 new cards. Limits or siblings that skip rows ask
    again for more.
    """
    raw = _raw(session)
    raw.create_function("random_key", 2, random_key, deterministic=True)
    where = ""
    deck_ids: tuple[int, ...] = ()
    if not all_decks:
        where = f" AND deck_id IN ({','.join('?' * len(decks))})"
        deck_ids = tuple(d.id for d in decks)
    sql = (
        "SELECT id, note_id, deck_id FROM cards INDEXED BY ix_cards_queue WHERE present = 1 "
        f"AND suspended = 0 AND state = 0 AND buried_until < ?{where} "
        "ORDER BY random_key(?, id), id LIMIT ?"
    )
    limit = 2 * cap + 10
    while True:
        rows = raw.execute(sql, (window.today, *deck_ids, window.today, limit)).fetchall()
        left = {d.id: lim.new[d.id] for d in decks}
        picked: list[CardId] = []
        notes: set[str] = set()
        for cid, note, deck_id in rows:
            if left.get(deck_id, 0) <= 0 or note in seen or note in notes:
                continue
            if scope is not None and not scope.holds(cid, deck_id):
                continue
            notes.add(note)
            left[deck_id] -= 1
            picked.append(CardId(cid))
            if len(picked) >= cap:
                break
        if len(picked) >= cap or len(rows) < limit:
            seen |= notes
            return picked
        limit *= 4


def _interleaved(session: Session, ids: list[CardId]) -> list[CardId]:
    """The day's cards with each question after the day's notes it tests (see
    `core.queue_order.interleave_kinds`)."""
    if not ids:
        return ids
    rows = _raw(session).execute(
        f"SELECT c.id, c.note_id, c.kind = '{CHOICE}', l.to_note FROM cards c "
        "LEFT JOIN links l ON l.from_note = c.note_id AND l.to_note IS NOT NULL "
        f"AND c.kind = '{CHOICE}' WHERE c.id IN ({','.join('?' * len(ids))})",
        ids,
    )
    note_of: dict[str, str] = {}
    tested: dict[str, set[str]] = {}
    for cid, note, question, target in rows:
        note_of[cid] = note
        if question:
            found = tested.setdefault(cid, set())
            if target is not None:
                found.add(target)
    return interleave_kinds([(cid, note_of.get(cid, ""), tested.get(cid)) for cid in ids])


def _any_new(session: Session, decks: Sequence[DeckRef] | None, window: Window) -> bool:
    """Whether any new card waits in `decks` (None: every deck): one look at the queue
    index, before a query per deck (a thousand decks whose cards are all learned took
    a fifth of building the queue)."""
    where, params = "", [window.today]
    if decks is not None:
        where = f" AND deck_id IN ({','.join('?' * len(decks))})"
        params += [d.id for d in decks]
    return (
        _raw(session)
        .execute(
            "SELECT 1 FROM cards INDEXED BY ix_cards_queue WHERE present = 1 AND suspended = 0 "
            f"AND state = 0 AND buried_until < ?{where} LIMIT 1",
            params,
        )
        .fetchone()
        is not None
    )


def gather_new(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    orders: Preset,
    seen: set[str],
    *,
    all_decks: bool = False,
    layouts: QuestionLayouts | None = None,
    scope: CardScope | None = None,
) -> list[CardId]:
    """Today's new cards for `decks`, within their limits, in the gather and sort
    orders of the preset `orders`; `layouts` keeps decks' question placement between
    calls; `scope`: the cards of the decks an exam domain takes in part.

    `seen` holds the notes already in the queue (learning, reviews); it is updated.
    """
    total = sum(lim.new[d.id] for d in decks)
    cap = total if lim.new_cap is None else min(total, lim.new_cap)
    if cap <= 0 or not _any_new(session, None if all_decks else decks, window):
        return []
    gather = orders.new_gather
    if gather is NewGather.RANDOM:
        new = _random(session, decks, window, lim, cap, seen, all_decks=all_decks, scope=scope)
    elif gather is NewGather.POSITION:
        order = DeckOrder(layouts, study=True, scope=scope)
        new = _round_robin(session, decks, window, lim, cap, seen, order)
    else:
        new = _in_turn(
            session,
            decks,
            window,
            lim,
            cap,
            seen,
            by_domain=gather is NewGather.DOMAINS,
            order=DeckOrder(layouts, study=gather is not NewGather.FILE, scope=scope),
        )
    if orders.new_sort is NewSort.RANDOM:
        return sorted(new, key=lambda cid: random_key(window.today, cid))
    if orders.new_sort is NewSort.INTERLEAVED:
        return _interleaved(session, new)
    return new
