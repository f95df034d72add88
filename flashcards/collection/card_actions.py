"""Card actions — suspend, bury, flag, reset, set due date — and multi-step undo and redo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from flashcards.collection.base import UnknownCardError, utc
from flashcards.collection.queue_undo import QueueCopy
from flashcards.collection.review import ReviewMixin, _insert_row, to_ms_precision
from flashcards.collection.undo import UndoEntry, capture_redo, reapply, restore, snapshot
from flashcards.collection.views import Change
from flashcards.core.card_fold import COLUMNS, Columns, Folder
from flashcards.core.days import day_start
from flashcards.core.device_log import Event, short_ref
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardId, Flag
from flashcards.storage import models as m
from flashcards.storage.convert import to_epoch, to_epoch_ms


class CardActionsMixin(ReviewMixin):
    """Changes to cards' scheduling other than answers, each undoable."""

    # -- card actions ---------------------------------------------------------------------

    def _act(
        self,
        label: str,
        ids: Iterable[CardId | str],
        values: dict[str, Any],
        event: tuple[str, Any],
        now: datetime | None = None,
    ) -> Change:
        """Set `values` on cards; `event` is the (kind, value) the device log records."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        with self.devices.batch(now) as log, self._write() as s:
            snaps = snapshot(s, wanted)
            if len(snaps) != len(wanted):
                known = {sn.card_id for sn in snaps}
                missing = next(i for i in wanted if i not in known)
                raise UnknownCardError(f"no card with id {missing!r}")
            for start in range(0, len(wanted), 500):
                s.execute(
                    update(m.Card)
                    .where(m.Card.id.in_(wanted[start : start + 500]))
                    .values(**values)
                )
            kind, value = event
            if wanted:
                log.add(s, kind, wanted, {"v": value}, time_ms=log.order_ms, many=True)
        self._undo.push(UndoEntry(label, tuple(snaps), events=_ids(log.events)))
        self._generation += 1
        return Change(cards=frozenset(CardId(i) for i in wanted), label=label)

    def suspend(self, ids: Iterable[CardId | str]) -> Change:
        """Take cards out of the queue until unsuspended."""
        return self._act("Suspend", ids, {"suspended": True}, ("suspend", True))

    def unsuspend(self, ids: Iterable[CardId | str]) -> Change:
        return self._act("Unsuspend", ids, {"suspended": False}, ("suspend", False))

    def toggle_suspend(self, ids: Iterable[CardId | str]) -> Change:
        """Unsuspend the cards when every one of them is suspended, else suspend them all.

        Decided from the cards' stored state (a browser knows only the rows it has
        shown); the change's label says which it did ("Suspend" or "Unsuspend")."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        active = False
        with self._read() as s:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(m.Card.id).where(m.Card.id.in_(chunk), m.Card.suspended.is_(False))
                if s.execute(query.limit(1)).first() is not None:
                    active = True
                    break
        return self.suspend(wanted) if active or not wanted else self.unsuspend(wanted)

    def bury(self, ids: Iterable[CardId | str], *, now: datetime | None = None) -> Change:
        """Hide cards until the next study day."""
        day = self.today(now)
        return self._act("Bury", ids, {"buried_until": day}, ("bury", day), now)

    def unbury(self, ids: Iterable[CardId | str]) -> Change:
        return self._act("Unbury", ids, {"buried_until": 0}, ("bury", 0))

    def set_flag(self, ids: Iterable[CardId | str], flag: Flag) -> Change:
        """Flag cards (Flag.NONE clears the flag)."""
        return self._act("Flag", ids, {"flag": int(Flag(flag))}, ("flag", int(Flag(flag))))

    def reset(self, ids: Iterable[CardId | str], *, now: datetime | None = None) -> Change:
        """Forget cards: back to new (history kept, a manual row logged)."""
        return self._manual("Reset", ids, utc(now), "reset", {})

    def set_due(
        self, ids: Iterable[CardId | str], *, days: int, now: datetime | None = None
    ) -> Change:
        """Make cards review cards due `days` study days from today (0 = today); a card
        without a memory state takes the interval as its stability (core.card_fold)."""
        now = to_ms_precision(utc(now))
        cfg = self.day_config()
        due = day_start(self.today(now) + days, cfg.tz, cfg.rollover_hour) if days > 0 else now
        return self._manual("Set Due Date", ids, now, "set-due", {"n": days, "due": to_epoch(due)})

    def _manual(
        self,
        label: str,
        ids: Iterable[CardId | str],
        now: datetime,
        kind: str,
        data: dict[str, Any],
    ) -> Change:
        """A reset or due date: one device-log event for the cards, each card's columns
        and manual history row what replaying it gives."""
        now = to_ms_precision(now)
        wanted = list(dict.fromkeys(str(i) for i in ids))
        review_ids: list[int] = []
        with self.devices.batch(now) as log, self._write() as s:
            snaps = snapshot(s, wanted)
            if len(snaps) != len(wanted):
                raise UnknownCardError(
                    "no card with id "
                    + repr(next(i for i in wanted if i not in {sn.card_id for sn in snaps}))
                )
            if snaps:
                event = log.add(s, kind, wanted, data, time_ms=to_epoch_ms(now), many=True)
                folder = Folder()
                for snap in snaps:
                    cols = Columns.of(snap.values)
                    row = folder.step(cols, event, snap.card_id)
                    assert row is not None
                    values = dict(zip(COLUMNS, cols.values(), strict=True))
                    s.execute(update(m.Card).where(m.Card.id == snap.card_id).values(**values))
                    review_ids.append(_insert_row(s, snap.card_id, row))
        self._undo.push(UndoEntry(label, tuple(snaps), tuple(review_ids), _ids(log.events)))
        self._generation += 1
        return Change(cards=frozenset(CardId(i) for i in wanted), label=label)

    # -- undo -----------------------------------------------------------------------------

    def undo_label(self) -> str | None:
        """ "Answer", "Suspend", … for the Undo menu item, or None when nothing to undo."""
        entry = self._undo.peek()
        return entry.label if entry else None

    def undo(self) -> Change | None:
        """Undo the most recent change; returns what changed (None: nothing to undo)."""
        entry = self._undo.pop()
        if entry is None:
            return None
        with self._read() as s:
            redo = capture_redo(s, entry)
        undo_with = getattr(entry, "undo_with", None)
        if undo_with is not None:  # deck-file edits (collection.editing) restore their files
            change: Change = undo_with(self)
        else:
            change = self._restore(entry)
            redo = replace(redo, queues=self._queues_back(entry.queues))
        self._undo.push_redo(redo)
        return change

    def _queues_back(self, state: Any) -> QueueCopy:
        """After an undo or redo wrote the cards: move the generation on and put the day's
        queues back as `state` has them, if it is still valid (queue_undo). Returns the
        queues as they were before, for the redo or undo that follows."""
        since = self._generation
        self._generation += 1
        kept = QueueCopy.of(self._queues, current=since, valid_at=self._generation)
        queues = self._queue_eras.restore(state, since=since, now=self._generation)
        if queues is not None:
            self._queues = queues
        return kept

    def _restore(self, entry: UndoEntry) -> Change:
        """Put the cards of `entry` back (undo.restore) and log the undo (device_sync)."""
        with self.devices.batch() as log, self._write() as s:
            change = restore(s, entry)
            if entry.events:
                cards = [snap.card_id for snap in entry.snapshots]
                refs = [short_ref(e, self.devices.device) for e in entry.events]
                log.add(s, "undo", cards, {"u": refs}, time_ms=log.order_ms, many=True)
        return change

    def redo_label(self) -> str | None:
        """ "Answer", "Suspend", … for the Redo menu item, or None when nothing to redo."""
        redo = self._undo.peek_redo()
        return redo.entry.label if redo else None

    def redo(self) -> Change | None:
        """Do again what the last undo took back (None: nothing to redo). Any new change
        clears what there is to redo."""
        redo = self._undo.pop_redo()
        if redo is None:
            return None
        entry = redo.entry
        decks: frozenset[str] = frozenset()
        warnings: tuple[str, ...] = ()
        redo_files = getattr(entry, "redo_files", None)
        if redo_files is not None:  # deck-file edits write their files again
            try:
                decks, warnings = redo_files(self)
            except FlashcardsError:
                self._undo.push_redo(redo)
                raise
        with self.devices.batch() as log, self._write() as s:
            before, review_ids = reapply(s, redo)
            if entry.events:
                cards = [snap.card_id for snap in redo.after]
                refs = [short_ref(e, self.devices.device) for e in entry.events]
                log.add(s, "redo", cards, {"u": refs}, time_ms=log.order_ms, many=True)
        queues = None if redo_files is not None else self._queues_back(redo.queues)
        if redo_files is not None:
            self._generation += 1
        self._undo.push_back(
            replace(entry, snapshots=tuple(before), review_ids=tuple(review_ids), queues=queues)
        )
        return Change(
            cards=frozenset(CardId(snap.card_id) for snap in redo.after),
            decks=decks,
            structure=bool(decks),
            label=f"Redo {entry.label}",
            warnings=warnings,
        )


def _ids(events: Iterable[Event]) -> tuple[str, ...]:
    """The ids of the card events a change wrote (what its undo names)."""
    return tuple(e.id for e in events if e.cards)
