"""Card actions — suspend, bury, flag, reset, set due date — and multi-step undo and redo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import update

from flashcards.collection.base import UnknownCardError, utc
from flashcards.collection.review import ReviewMixin
from flashcards.collection.undo import UndoEntry, capture_redo, reapply, restore, snapshot
from flashcards.collection.views import Change
from flashcards.core.days import day_start
from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardId, CardState, Flag, MemoryState, ReviewKind
from flashcards.storage import models as m
from flashcards.storage.convert import memory_columns, memory_of, to_epoch


class CardActionsMixin(ReviewMixin):
    """Changes to cards' scheduling other than answers, each undoable."""

    # -- card actions ---------------------------------------------------------------------

    def _act(self, label: str, ids: Iterable[CardId | str], values: dict[str, Any]) -> Change:
        wanted = list(dict.fromkeys(str(i) for i in ids))
        with self._write() as s:
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
        self._undo.push(UndoEntry(label, tuple(snaps)))
        self._generation += 1
        return Change(cards=frozenset(CardId(i) for i in wanted), label=label)

    def suspend(self, ids: Iterable[CardId | str]) -> Change:
        """Take cards out of the queue until unsuspended."""
        return self._act("Suspend", ids, {"suspended": True})

    def unsuspend(self, ids: Iterable[CardId | str]) -> Change:
        return self._act("Unsuspend", ids, {"suspended": False})

    def bury(self, ids: Iterable[CardId | str], *, now: datetime | None = None) -> Change:
        """Hide cards until the next study day."""
        return self._act("Bury", ids, {"buried_until": self.today(now)})

    def unbury(self, ids: Iterable[CardId | str]) -> Change:
        return self._act("Unbury", ids, {"buried_until": 0})

    def set_flag(self, ids: Iterable[CardId | str], flag: Flag) -> Change:
        """Flag cards (Flag.NONE clears the flag)."""
        return self._act("Flag", ids, {"flag": int(Flag(flag))})

    def reset(self, ids: Iterable[CardId | str], *, now: datetime | None = None) -> Change:
        """Forget cards: back to new (history kept, a manual row logged)."""
        new = memory_columns(MemoryState())
        return self._manual("Reset", ids, utc(now), lambda _mem: new)

    def set_due(
        self, ids: Iterable[CardId | str], *, days: int, now: datetime | None = None
    ) -> Change:
        """Make cards review cards due `days` study days from today (0 = today)."""
        now = utc(now)
        cfg = self.day_config()
        due = day_start(self.today(now) + days, cfg.tz, cfg.rollover_hour) if days > 0 else now

        def values(mem: MemoryState) -> dict[str, Any]:
            cols = memory_columns(mem)
            if mem.state is CardState.NEW or mem.stability is None:
                # FSRS needs a memory state to schedule a review: take the interval as stability.
                cols.update(
                    stability=float(max(days, 1)), difficulty=5.0, last_review=to_epoch(now)
                )
            cols.update(state=int(CardState.REVIEW), step=None, due=to_epoch(due))
            return cols

        return self._manual("Set Due Date", ids, now, values)

    def _manual(
        self, label: str, ids: Iterable[CardId | str], now: datetime, values: Any
    ) -> Change:
        wanted = list(dict.fromkeys(str(i) for i in ids))
        review_ids: list[int] = []
        with self._write() as s:
            snaps = snapshot(s, wanted)
            if len(snaps) != len(wanted):
                raise UnknownCardError(
                    "no card with id "
                    + repr(next(i for i in wanted if i not in {sn.card_id for sn in snaps}))
                )
            for snap in snaps:
                d = snap.as_dict()
                before = memory_of(
                    d["state"],
                    d["step"],
                    d["stability"],
                    d["difficulty"],
                    d["due"],
                    d["last_review"],
                )
                cols = values(before)
                s.execute(update(m.Card).where(m.Card.id == snap.card_id).values(**cols))
                after = memory_of(
                    cols["state"],
                    cols["step"],
                    cols["stability"],
                    cols["difficulty"],
                    cols["due"],
                    cols["last_review"],
                )
                review_ids.append(
                    self._log(
                        s, snap.card_id, now, 0, 0, ReviewKind.MANUAL, before, after, 0.0, 0.0
                    )
                )
        self._undo.push(UndoEntry(label, tuple(snaps), tuple(review_ids)))
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
            with self._write() as s:
                change = restore(s, entry)
            self._generation += 1
        self._undo.push_redo(redo)
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
        with self._write() as s:
            before, review_ids = reapply(s, redo)
        self._undo.push_back(
            replace(entry, snapshots=tuple(before), review_ids=tuple(review_ids))
        )
        self._generation += 1
        return Change(
            cards=frozenset(CardId(snap.card_id) for snap in redo.after),
            decks=decks,
            structure=bool(decks),
            label=f"Redo {entry.label}",
            warnings=warnings,
        )
