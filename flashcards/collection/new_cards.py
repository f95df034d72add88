"""A day's new cards: which ones (the preset's gather order) and in what order (its sort
order). The orders themselves are pure rules in `core.queue_order`; this module feeds
them from the database.

Decks are read lazily: a gather stops querying as soon as the day's cap is reached, so
the default order reads a handful of decks of a 100,000-card collection, with two small
indexed statements each (its new cards in file order, and whether its first practice
questions are new). Where a deck's questions go is read from its cards and links once
and kept while the file is unchanged (`QuestionLayouts`). Only the random gather looks
at every new card of the selection, inside SQLite.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from flashcards.core.model import CardId
from flashcards.core.queue_order import (
    NewGather,
    NewSort,
    after_anchors,
    interleave,
    interleave_kinds,
    question_keys,
    random_key,
)
from flashcards.core.scheduling import Preset

if TYPE_CHECKING:
    from flashcards.collection.queue import DeckRef, Limits, Window

CHOICE = "choice"  # core CardKind.CHOICE: a practice (multiple-choice) question

_NEW_SQL = (
    "SELECT id, note_id, position FROM cards INDEXED BY ix_cards_deck_new "
    "WHERE deck_id = ? AND state = 0 AND present = 1 AND suspended = 0 "
    "AND buried_until < ? ORDER BY position LIMIT ? OFFSET ?"
)
# A deck's questions, studied ones too (they keep the spread of the unlinked ones the
# same from day to day). The index is named: left to itself SQLite walks the queue
# index's `present` column, the whole collection.
_QUESTIONS_SQL = text(
    "SELECT id, note_id, position FROM cards INDEXED BY ix_cards_deck_new "
    f"WHERE deck_id = :deck AND present = 1 AND kind = '{CHOICE}' ORDER BY position"
)
# (question note, the first card position of a note of the same deck it links to).
_ANCHORS_SQL = text(
    "SELECT l.from_note, MIN(t.position) FROM cards q INDEXED BY ix_cards_deck_new "
    "CROSS JOIN links l INDEXED BY ix_links_from_note ON l.from_note = q.note_id "
    "CROSS JOIN cards t INDEXED BY ix_cards_note_id ON t.note_id = l.to_note "
    f"WHERE q.deck_id = :deck AND q.present = 1 AND q.kind = '{CHOICE}' "
    f"AND t.deck_id = :deck AND t.present = 1 AND t.kind != '{CHOICE}' "
    "GROUP BY l.from_note, l.to_note"
)
_NOTES_RANGE_SQL = text(
    "SELECT MIN(position), MAX(position) FROM cards INDEXED BY ix_cards_deck_new "
    f"WHERE deck_id = :deck AND present = 1 AND kind != '{CHOICE}'"
)

Stream = Iterator[tuple[CardId, str]]  # (card id, note id), in a deck's order


def _raw(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection (same transaction), for the small statements
    a queue build runs per deck, where SQLAlchemy's overhead outweighs SQLite's work."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


@dataclass(frozen=True)
class DeckQuestions:
    """Where a deck's practice questions go among its notes, as `question_keys` puts
    them: (card, note, sort key on the notes' positions), earliest first."""

    placed: tuple[tuple[CardId, str, float], ...] = ()
    ids: frozenset[CardId] = frozenset()


def read_questions(session: Session, deck_id: int) -> DeckQuestions:
    """A deck's questions and where they go, from its cards and links."""
    params = {"deck": deck_id}
    questions = session.execute(_QUESTIONS_SQL, params).all()
    if not questions:
        return DeckQuestions()
    anchors: dict[str, int] = {}
    for note, position in session.execute(_ANCHORS_SQL, params):
        anchors[note] = max(int(position), anchors.get(note, -1))
    notes_range: tuple[int, int] | None = None
    if any(note not in anchors for _, note, _ in questions):
        first, last = session.execute(_NOTES_RANGE_SQL, params).one()
        notes_range = None if first is None else (int(first), int(last))
    keyed = question_keys(
        [((CardId(c), str(n)), int(p), anchors.get(n)) for c, n, p in questions],
        notes=notes_range,
    )
    return DeckQuestions(
        tuple((cid, note, key) for (cid, note), key in keyed),
        frozenset(CardId(c) for c, _, _ in questions),
    )


class QuestionLayouts:
    """`DeckQuestions` per deck, kept while the deck file's hash (`DeckRef.stamp`) stays
    the same: they depend on the file alone (its notes and its links to its own notes),
    and reading them is most of what a deck's study order costs."""

    def __init__(self) -> None:
        self._decks: dict[int, tuple[str, DeckQuestions]] = {}

    def of(self, session: Session, deck: DeckRef) -> DeckQuestions:
        kept = self._decks.get(deck.id)
        if kept is not None and deck.stamp and kept[0] == deck.stamp:
            return kept[1]
        layout = read_questions(session, deck.id)
        if deck.stamp:
            self._decks[deck.id] = (deck.stamp, layout)
        return layout


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

    def __init__(self, layouts: QuestionLayouts | None, *, study: bool) -> None:
        self.layouts = layouts or QuestionLayouts()
        self.study = study

    def __call__(self, session: Session, deck: DeckRef, window: Window, *, batch: int) -> Stream:
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
) -> list[CardId]:
    """Today's new cards for `decks`, within their limits, in the gather and sort
    orders of the preset `orders`; `layouts` keeps decks' question placement between
    calls.

    `seen` holds the notes already in the queue (learning, reviews); it is updated.
    """
    total = sum(lim.new[d.id] for d in decks)
    cap = total if lim.new_cap is None else min(total, lim.new_cap)
    if cap <= 0 or not _any_new(session, None if all_decks else decks, window):
        return []
    gather = orders.new_gather
    if gather is NewGather.RANDOM:
        new = _random(session, decks, window, lim, cap, seen, all_decks=all_decks)
    elif gather is NewGather.POSITION:
        new = _round_robin(session, decks, window, lim, cap, seen, DeckOrder(layouts, study=True))
    else:
        new = _in_turn(
            session,
            decks,
            window,
            lim,
            cap,
            seen,
            by_domain=gather is NewGather.DOMAINS,
            order=DeckOrder(layouts, study=gather is not NewGather.FILE),
        )
    if orders.new_sort is NewSort.RANDOM:
        return sorted(new, key=lambda cid: random_key(window.today, cid))
    if orders.new_sort is NewSort.INTERLEAVED:
        return _interleaved(session, new)
    return new
