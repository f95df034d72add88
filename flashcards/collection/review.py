"""Reviewing: the day's queue, the next card, answering and practice.

The review loop (next card, answer) runs on the DBAPI cursor: a handful of indexed
statements per answer, where building them through the ORM would cost more than
SQLite spends running them. Card actions and undo are in `card_actions.py`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.orm import Session

from flashcards.collection.base import VIEW_SQL, CollectionBase, utc
from flashcards.collection.day_load import DayLoads
from flashcards.collection.deadline_plan import DeadlineDays
from flashcards.collection.new_cards import QuestionLayouts
from flashcards.collection.queue import (
    DEFAULT_PRESET_ID,
    Queue,
    Window,
    build_queue,
)
from flashcards.collection.queue_undo import CachedQueue, QueueEras, QueueTrail
from flashcards.collection.review_sql import (
    ANSWER_SQL,
    BURY_SQL,
    DECK,
    LIMITED,
    PRESET,
    SIBLINGS_SQL,
    STILL_QUEUED_SQL,
    card_row,
    first_learning,
    still_due,
)
from flashcards.collection.undo import (
    CardSnapshot,
    UndoEntry,
    UndoStack,
)
from flashcards.collection.views import CardView, Change
from flashcards.core.card_fold import REVIEW_INSERT, Columns, Folder, Row
from flashcards.core.device_log import short_ref
from flashcards.core.leeches import LeechAction, is_leech
from flashcards.core.load_balance import DayLoad
from flashcards.core.model import CardId, CardState, Rating
from flashcards.core.scheduling import Preset, next_intervals, review
from flashcards.storage.convert import from_epoch_ms, memory_of, to_epoch_ms

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection


class ReviewMixin(CollectionBase):
    """Queue, answers and card actions."""

    def _init_review(self) -> None:
        self._undo = UndoStack()
        self._day_loads = DayLoads()  # reviews due per coming day, for load balancing
        self._deadline = DeadlineDays()  # the exam date's plan of the day (deadline.py)
        self._queues: dict[str | None, CachedQueue] = {}
        self._queue_eras = QueueEras()  # undo and redo put the queues back (queue_undo)
        self._layouts = QuestionLayouts()  # where each deck's practice questions go

    # -- the queue ------------------------------------------------------------------------

    def queue(self, deck: str | None = None, *, now: datetime | None = None) -> list[CardId]:
        """Today's queue for a deck, a folder or everything (None), in showing order."""
        return self._build(deck, utc(now)).ids()

    def _build(self, deck: str | None, now: datetime) -> Queue:
        window = self._window(now)
        plan = self._deadline.plan(self, window)  # before reading: it may move due dates
        refs, scope = self._selection(deck, now=now)
        with self._read() as s:
            q = build_queue(
                s,
                refs,
                window,
                self._presets,
                all_decks=deck is None,
                layouts=self._layouts,
                pace=None if plan is None else plan.deck_pace,
                scope=scope,
            )
        self._queues[deck] = CachedQueue(
            self._generation,
            window.today,
            [*q.reviews, *q.new],
            None if deck is None else tuple(r.id for r in refs),
            frozenset(q.new),
            scope,
        )
        return q

    def _cached(self, deck: str | None, now: datetime) -> CachedQueue:
        window = self._window(now)
        cached = self._queues.get(deck)
        if cached is None or cached.generation != self._generation or cached.today != window.today:
            self._build(deck, now)
            cached = self._queues[deck]
        return cached

    def counts(
        self, deck: str | None = None, *, now: datetime | None = None, learn_ahead: bool = False
    ) -> tuple[int, int, int]:
        """(new, learning, review) cards left today, for the review screen's counters.

        Learning cards count when due today; with `learn_ahead`, only when `next_card`
        would show them now (due within the learn-ahead window), so a session's counter
        reaches 0 exactly when its last card is answered.
        Cheap enough to call after every answer: it counts what is left of the day's
        cached queue and runs one indexed query for learning cards.
        """
        now = utc(now)
        cached = self._cached(deck, now)
        window = self._window(now)
        until = window.end_s
        if learn_ahead:
            ahead = int(self._settings.get("learn_ahead_minutes", 20)) * 60
            until = window.now_s + ahead + 1  # as next_card: due <= now + ahead
        new = sum(1 for c in cached.cards if c in cached.new)
        decks = (
            ""
            if cached.deck_ids is None
            else (f" AND deck_id IN ({','.join('?' * len(cached.deck_ids))})")
        )
        scope = cached.scope
        what = "COUNT(*)" if scope is None else "id, deck_id"
        with self.db.raw_read() as cur:
            rows = cur.execute(
                f"SELECT {what} FROM cards INDEXED BY ix_cards_queue WHERE present = 1 "
                f"AND suspended = 0 AND state IN (1, 3) AND due < ? AND buried_until < ?{decks}",
                (until, window.today, *(cached.deck_ids or ())),
            ).fetchall()
        if scope is None:
            learning = int(rows[0][0])
        else:  # an exam domain that takes part of a deck: its cards only
            learning = sum(1 for cid, deck_id in rows if scope.holds(cid, deck_id))
        return new, learning, len(cached.cards) - new

    def next_card(self, deck: str | None = None, *, now: datetime | None = None) -> CardView | None:
        """The card to show next, or None when nothing is left today."""
        now = utc(now)
        window = self._window(now)
        cached = self._cached(deck, now)
        with self.db.raw_read() as cur:
            cid = first_learning(
                cur, cached.deck_ids, window, until_s=window.now_s, scope=cached.scope
            )
            if cid is not None:
                return self._raw_view(cur, cid, window.today)
            if cached.cards:
                # The first card is almost always still due (answering removes what it
                # changes): its view row has the columns that tell, so one statement.
                row = cur.execute(VIEW_SQL + "WHERE c.id = ?", (cached.cards[0],)).fetchone()
                if row is not None and still_due(
                    row[28], row[23], row[24], row[17], row[21], window
                ):
                    return self._view_of(row, window.today)
            while cached.cards:
                head = cached.cards[:8]
                rows = cur.execute(
                    STILL_QUEUED_SQL.format(marks=",".join("?" * len(head))), head
                ).fetchall()
                valid = {r[0] for r in rows if still_due(r[1], r[2], r[3], r[4], r[5], window)}
                for cid in head:
                    if cid in valid:
                        return self._raw_view(cur, cid, window.today)
                    cached.cards.remove(cid)
            ahead = int(self._settings.get("learn_ahead_minutes", 20)) * 60
            cid = first_learning(
                cur, cached.deck_ids, window, until_s=window.now_s + ahead, scope=cached.scope
            )
            if cid is not None:
                return self._raw_view(cur, cid, window.today)
        return None

    def _raw_view(self, cur: sqlite3.Cursor, cid: str, today: int) -> CardView:
        row = cur.execute(VIEW_SQL + "WHERE c.id = ?", (cid,)).fetchone()
        return self._view_of(row, today)

    # -- answering ------------------------------------------------------------------------

    def _preset_of(self, preset_id: int) -> Preset:
        return self._presets.get(preset_id) or self._presets[DEFAULT_PRESET_ID]

    def next_intervals(
        self, card_id: CardId | str, *, now: datetime | None = None
    ) -> dict[Rating, timedelta]:
        """The interval each rating would give the card now (for the buttons' labels)."""
        now = utc(now)
        plan = self._deadline.plan(self, self._window(now))
        with self.db.raw_read() as cur:
            row = card_row(cur, card_id)
            capped = plan is not None and plan.covers(cur, str(card_id))
        memory, preset = memory_of(*row[4:10]), self._preset_of(row[12])
        intervals = next_intervals(memory, now=now, preset=preset, card_id=str(card_id))
        if plan is None or not capped:
            return intervals
        return plan.labels(intervals, memory, str(card_id), now=now, preset=preset)

    def answer(
        self,
        card_id: CardId | str,
        rating: Rating,
        *,
        now: datetime | None = None,
        duration_ms: int = 0,
    ) -> Change:
        """Rate a card: schedule it with FSRS, log the review, bury its siblings for today.

        The answer is an event in this device's log (device_sync.py), written before
        this returns; the card's columns and history row are what replaying it gives
        (core.card_fold), so another device or a rebuilt database gets the same."""
        now = to_ms_precision(utc(now))
        rating = Rating(rating)
        window = self._window(now)
        cid = str(card_id)
        plan = self._deadline.plan(self, window)  # outside the transaction: it may write
        time_ms = to_epoch_ms(now)
        # The DBAPI cursor directly: this is the review loop's hot path.
        with self.devices.batch(now) as log, self.db.raw() as s:
            row = card_row(s, card_id)
            before = memory_of(*row[4:10])
            preset = self._preset_of(row[PRESET])
            load = self._day_load(s, row, cid, window) if preset.balances else None
            outcome = review(
                before, rating, now=now, preset=preset, card_id=cid, load=load, reps=row[10]
            )
            if plan is not None and plan.covers(s, cid):  # recall on the exam day
                outcome = plan.cap(outcome, now=now, preset=preset)
            snaps = [CardSnapshot(cid, tuple(row[1:13]))]
            buried: list[str] = []
            if self._settings.get("bury_siblings", True):
                siblings = s.execute(
                    SIBLINGS_SQL, {"note": row[0], "id": cid, "today": window.today}
                ).fetchall()
                for sib in siblings:
                    snaps.append(CardSnapshot(sib[0], tuple(sib[1:])))
                    buried.append(sib[0])
            lapse = rating is Rating.AGAIN and before.state is CardState.REVIEW
            leech = lapse and is_leech(row[11] + 1, preset.leech_threshold)
            after = outcome.after
            assert after.due is not None
            data: dict[str, Any] = {"r": int(rating), "d": self._capped(duration_ms)}
            if row[12] is not None:
                data["p"] = short_ref(row[12], self.devices.device)
            data["h"] = self.devices.scheduler_for(preset)
            data["a"] = [
                int(after.state),
                after.step,
                after.stability,
                after.difficulty,
                to_epoch_ms(after.due),
            ]
            if leech and preset.leech_action is LeechAction.SUSPEND:
                data["ls"] = 1
            event = log.add(s, "answer", (cid,), data, time_ms=time_ms)
            cols = Columns.of(row[1:13])
            log_row = Folder().step(cols, event, cid)
            s.execute(ANSWER_SQL, (*cols.values(), cid))
            if load is not None:
                self._day_loads.moved(
                    row[PRESET],
                    old_due_s=row[8] if before.state is CardState.REVIEW else None,
                    new_due_s=cols.due if outcome.after.state is CardState.REVIEW else None,
                )
            if buried:
                log.add(s, "bury", buried, {"v": window.today}, time_ms=time_ms, many=True)
            for sibling in buried:
                s.execute(BURY_SQL, {"id": sibling, "today": window.today})
            assert log_row is not None
            review_id = _insert_row(s, cid, log_row)
        events = tuple(e.id for e in log.events if e.cards)
        paced = (
            plan.decks
            if plan is not None and before.state is CardState.NEW and row[DECK] in plan.decks
            else frozenset()
        )
        trail = self._consume(
            cid, buried, deck_id=row[DECK], counted=before.state in LIMITED, paced=paced
        )
        self._undo.push(UndoEntry("Answer", tuple(snaps), (review_id,), events, queues=trail))
        change = Change(cards=frozenset(CardId(c) for c in [cid, *buried]), label="Answer")
        if leech:
            # Rare, and slower: the note's Markdown gets the tag (collection.leeches).
            from flashcards.collection.leeches import mark_leech

            change = mark_leech(cast("Collection", self), CardId(cid), change)
        return change

    def _consume(
        self,
        cid: str,
        buried: list[str],
        *,
        deck_id: int,
        counted: bool,
        paced: frozenset[int] = frozenset(),
    ) -> QueueTrail:
        """Take an answered card (and its buried siblings) out of the cached queues.

        A new card or a review uses up a day's limit of every selection holding its deck
        (`queue.limits`: the deck's own, and a folder's or all decks' cap on them
        together); a new card of the exam's deadline pace (`paced`: its decks), of every
        selection holding one of those decks, as the pace is one budget. A queue that held
        the card gave it one of its places; one built without it (another deck's session
        answered it) still counts the place as free, so it is dropped and rebuilt from the
        review log when next asked for.

        The trail returned says where each card was, for the answer's undo."""
        current = {k: q for k, q in self._queues.items() if q.generation == self._generation}
        trail = QueueTrail(self._generation, current)
        for key, cached in list(self._queues.items()):
            held = cid in cached.cards
            for gone in (cid, *buried):
                if gone in cached.cards:
                    trail.take(cached, CardId(gone))
            shared = (
                cached.deck_ids is None
                or deck_id in cached.deck_ids
                or not paced.isdisjoint(cached.deck_ids)
            )
            if counted and shared and not held:
                del self._queues[key]
        return trail

    def _capped(self, duration_ms: int) -> int:
        """An answer's time as logged: at most the setting `answer_cap_seconds`."""
        cap = int(self._settings.get("answer_cap_seconds", 60)) * 1000
        return max(0, min(int(duration_ms), cap))

    def _day_load(self, cur: sqlite3.Cursor, row: Any, cid: str, window: Window) -> DayLoad:
        """Reviews due per coming day in the decks of the card's preset (cached)."""
        siblings = (row[0], cid) if self._settings.get("bury_siblings", True) else None
        return self._day_loads.load(
            cur,
            preset_id=row[PRESET],
            window=window,
            day_config=self.day_config(),
            generation=self._generation,
            siblings_of=siblings,
        )

    def practice(
        self,
        card_id: CardId | str,
        rating: Rating,
        *,
        now: datetime | None = None,
        duration_ms: int = 0,
    ) -> Change:
        """Record an answer outside the schedule (cramming, map study): state unchanged."""
        now = to_ms_precision(utc(now))
        cid = str(card_id)
        data = {"r": int(Rating(rating)), "d": self._capped(duration_ms)}
        with self.devices.batch(now) as log, self.db.raw() as s:
            row = card_row(s, card_id)
            event = log.add(s, "practice", (cid,), data, time_ms=to_epoch_ms(now))
            log_row = Folder().step(Columns.of(row[1:13]), event, cid)
            assert log_row is not None
            review_id = _insert_row(s, cid, log_row)
        self._undo.push(
            UndoEntry("Practice", (CardSnapshot(cid, tuple(row[1:13])),), (review_id,), (event.id,))
        )
        return Change(cards=frozenset({CardId(cid)}), label="Practice")


def to_ms_precision(now: datetime) -> datetime:
    """`now` to the millisecond: the log keeps milliseconds, and a replay must compute
    from the very moment the answer did."""
    return from_epoch_ms(to_epoch_ms(now))


def _insert_row(s: Session | sqlite3.Cursor, card_id: str, row: Row) -> int:
    """Add a history row (core.card_fold's REVIEW_COLUMNS order); its id."""
    values = (card_id, *row)
    if isinstance(s, sqlite3.Cursor):
        s.execute(REVIEW_INSERT, values)
        return int(s.lastrowid or 0)
    cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    cur.execute(REVIEW_INSERT, values)
    return int(cur.lastrowid or 0)
