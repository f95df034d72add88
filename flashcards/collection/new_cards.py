"""A day's new cards: which ones (the preset's gather order) and in what order (its sort
order). The orders themselves are pure rules in `core.queue_order`; this module feeds
them from the database.

Decks are read lazily: a gather stops querying as soon as the day's cap is reached, so
the default order reads a handful of decks of a 100,000-card collection, with a few
small indexed queries each (its new notes in file order, its practice questions and
the notes they link to). Only the random gather reads every new card of the selection,
as ids from a covering index.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

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

_NEW = (
    "SELECT id, note_id, position FROM cards INDEXED BY ix_cards_deck_new "
    "WHERE deck_id = :deck AND state = 0 AND present = 1 AND suspended = 0 "
    "AND buried_until < :today{kind} ORDER BY position LIMIT :n OFFSET :skip"
)
_NEW_SQL = text(_NEW.format(kind=""))
_NEW_NOTES_SQL = text(_NEW.format(kind=f" AND kind != '{CHOICE}'"))
# Every present question of the deck (studied ones too: they keep the spread of the
# unlinked ones the same from day to day), with whether it is a new card today.
_QUESTIONS_SQL = text(
    "SELECT id, note_id, position, state = 0 AND suspended = 0 AND buried_until < :today "
    f"FROM cards WHERE deck_id = :deck AND present = 1 AND kind = '{CHOICE}' ORDER BY position"
)
# (question note, linked note, the linked note's first card position) for the notes of
# the same deck that the deck's questions link to.
_ANCHORS_SQL = text(
    "SELECT l.from_note, MIN(t.position) FROM links l JOIN cards t ON t.note_id = l.to_note "
    "WHERE l.from_note IN (SELECT note_id FROM cards WHERE deck_id = :deck AND present = 1 "
    f"AND kind = '{CHOICE}') AND t.deck_id = :deck AND t.present = 1 AND t.kind != '{CHOICE}' "
    "GROUP BY l.from_note, l.to_note"
)
_NOTES_RANGE_SQL = text(
    "SELECT MIN(position), MAX(position) FROM cards "
    f"WHERE deck_id = :deck AND present = 1 AND kind != '{CHOICE}'"
)

Stream = Iterator[tuple[CardId, str]]  # (card id, note id), in a deck's order


def _positions(
    session: Session, deck_id: int, window: Window, *, batch: int, notes_only: bool
) -> Iterator[tuple[CardId, str, int]]:
    """A deck's new cards (id, note, position) in file order, fetched in growing batches."""
    sql = _NEW_NOTES_SQL if notes_only else _NEW_SQL
    skip = 0
    while True:
        rows = session.execute(
            sql, {"deck": deck_id, "today": window.today, "n": batch, "skip": skip}
        ).all()
        for cid, note, position in rows:
            yield CardId(cid), note, int(position)
        if len(rows) < batch:
            return
        skip += batch
        batch *= 2


def file_order(session: Session, deck: DeckRef, window: Window, *, batch: int) -> Stream:
    """A deck's new cards exactly in file order."""
    for cid, note, _ in _positions(session, deck.id, window, batch=batch, notes_only=False):
        yield cid, note


def study_order(session: Session, deck: DeckRef, window: Window, *, batch: int) -> Stream:
    """A deck's new cards in file order, except that each practice question comes right
    after the last note of the deck it links to (unlinked ones spread through the deck)."""
    params = {"deck": deck.id, "today": window.today}
    questions = session.execute(_QUESTIONS_SQL, params).all()
    if not questions:
        yield from file_order(session, deck, window, batch=batch)
        return
    anchors: dict[str, int] = {}
    for note, position in session.execute(_ANCHORS_SQL, params):
        anchors[note] = max(int(position), anchors.get(note, -1))
    notes_range: tuple[int, int] | None = None
    if any(note not in anchors for _, note, _, _ in questions):
        first, last = session.execute(_NOTES_RANGE_SQL, params).one()
        notes_range = None if first is None else (int(first), int(last))
    keyed = question_keys(
        [((CardId(c), n, bool(new)), int(p), anchors.get(n)) for c, n, p, new in questions],
        notes=notes_range,
    )
    placed = [((cid, note), key) for (cid, note, new), key in keyed if new]
    notes = (
        ((cid, note), position)
        for cid, note, position in _positions(
            session, deck.id, window, batch=batch, notes_only=True
        )
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
    order: Any,
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
) -> list[CardId]:
    """Every deck in turn, one card each, deck by deck in their study order."""
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
            stream = streams.setdefault(d.id, study_order(session, d, window, batch=batch))
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
    deck's limit: the same draw all day, another tomorrow."""
    params: dict[str, Any] = {"today": window.today}
    where = ""
    if not all_decks:
        marks = []
        for i, d in enumerate(decks):
            params[f"d{i}"] = d.id
            marks.append(f":d{i}")
        where = f" AND deck_id IN ({','.join(marks)})"
    rows = session.execute(
        text(
            "SELECT id, note_id, deck_id FROM cards INDEXED BY ix_cards_queue "
            "WHERE present = 1 AND suspended = 0 AND state = 0 AND buried_until < :today" + where
        ),
        params,
    ).all()
    day = window.today
    heap = [(random_key(day, cid), cid, note, deck_id) for cid, note, deck_id in rows]
    heapq.heapify(heap)
    left = {d.id: lim.new[d.id] for d in decks}
    picked: list[CardId] = []
    while heap and len(picked) < cap:
        _, cid, note, deck_id = heapq.heappop(heap)
        if left.get(deck_id, 0) <= 0 or note in seen:
            continue
        seen.add(note)
        left[deck_id] -= 1
        picked.append(CardId(cid))
    return picked


def _interleaved(session: Session, ids: list[CardId]) -> list[CardId]:
    """The day's cards with each question after the day's notes it tests (see
    `core.queue_order.interleave_kinds`)."""
    if not ids:
        return ids
    params = {f"i{k}": cid for k, cid in enumerate(ids)}
    marks = ",".join(f":i{k}" for k in range(len(ids)))
    kinds = {
        cid: (note, bool(question))
        for cid, note, question in session.execute(
            text(f"SELECT id, note_id, kind = '{CHOICE}' FROM cards WHERE id IN ({marks})"),
            params,
        )
    }
    tested: dict[str, set[str]] = {}
    questions = sorted({note for note, question in kinds.values() if question})
    if questions:
        qparams = {f"n{k}": note for k, note in enumerate(questions)}
        qmarks = ",".join(f":n{k}" for k in range(len(questions)))
        for source, target in session.execute(
            text(
                "SELECT from_note, to_note FROM links WHERE to_note IS NOT NULL "
                f"AND from_note IN ({qmarks})"
            ),
            qparams,
        ):
            tested.setdefault(source, set()).add(target)
    items = []
    for cid in ids:
        note, question = kinds.get(cid, ("", False))
        items.append((cid, note, tested.get(note, set()) if question else None))
    return interleave_kinds(items)


def gather_new(
    session: Session,
    decks: Sequence[DeckRef],
    window: Window,
    lim: Limits,
    orders: Preset,
    seen: set[str],
    *,
    all_decks: bool = False,
) -> list[CardId]:
    """Today's new cards for `decks`, within their limits, in the gather and sort
    orders of the preset `orders`.

    `seen` holds the notes already in the queue (learning, reviews); it is updated.
    """
    total = sum(lim.new[d.id] for d in decks)
    cap = total if lim.new_cap is None else min(total, lim.new_cap)
    if cap <= 0:
        return []
    gather = orders.new_gather
    if gather is NewGather.RANDOM:
        new = _random(session, decks, window, lim, cap, seen, all_decks=all_decks)
    elif gather is NewGather.POSITION:
        new = _round_robin(session, decks, window, lim, cap, seen)
    else:
        new = _in_turn(
            session,
            decks,
            window,
            lim,
            cap,
            seen,
            by_domain=gather is NewGather.DOMAINS,
            order=file_order if gather is NewGather.FILE else study_order,
        )
    if orders.new_sort is NewSort.RANDOM:
        return sorted(new, key=lambda cid: random_key(window.today, cid))
    if orders.new_sort is NewSort.INTERLEAVED:
        return _interleaved(session, new)
    return new
