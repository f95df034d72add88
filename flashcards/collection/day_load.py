"""Reviews due on each coming study day, per preset: what the load balancer weighs.

Counting them takes one indexed range scan of the review cards due in the next
`HORIZON_DAYS` days; that happens once per preset and study day (or after a change the
queue cache does not survive either: a sync, a card action, an undo). Each answer then
moves its card from its old day to its new one in the cached counts, so the review
loop pays a list update, not a query.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from flashcards.collection.queue import Window
from flashcards.collection.settings import DayConfig
from flashcards.core.days import day_start
from flashcards.core.load_balance import HORIZON_DAYS, DayLoad
from flashcards.storage.convert import to_epoch

_DUE_SQL = (
    "SELECT due FROM cards INDEXED BY ix_cards_queue WHERE present = 1 AND suspended = 0 "
    "AND state = 2 AND due >= ? AND due < ?{decks}"
)
_DECKS_SQL = "SELECT id, preset_id FROM decks WHERE present = 1"
# By note: left to itself SQLite walks the queue index over the due range instead.
_SIBLINGS_SQL = (
    "SELECT due FROM cards INDEXED BY ix_cards_note_id WHERE note_id = ? AND id != ? "
    "AND present = 1 AND state = 2 AND due >= ? AND due < ?"
)


@dataclass
class _Counts:
    generation: int
    today: int
    starts: list[int]  # epoch s each study day from today on starts (HORIZON_DAYS + 1)
    counts: list[int]

    def day_of(self, due_s: int) -> int | None:
        """Days after today of a due time, or None outside the horizon."""
        index = bisect_right(self.starts, due_s) - 1
        return index if 0 <= index < HORIZON_DAYS else None


class DayLoads:
    """The cached per-day due counts of each preset's decks."""

    def __init__(self) -> None:
        self._by_preset: dict[int, _Counts] = {}

    def load(
        self,
        cur: sqlite3.Cursor,
        *,
        preset_id: int,
        window: Window,
        day_config: DayConfig,
        generation: int,
        siblings_of: tuple[str, str] | None = None,
    ) -> DayLoad:
        """The due counts for the decks of `preset_id`, with the days the siblings of
        `siblings_of` (note id, card id) are due."""
        counts = self._counts(cur, preset_id, window, day_config, generation)
        sibling_days: set[int] = set()
        if siblings_of is not None:
            note_id, card_id = siblings_of
            for (due,) in cur.execute(
                _SIBLINGS_SQL, (note_id, card_id, counts.starts[0], counts.starts[-1])
            ):
                day = counts.day_of(due)
                if day is not None:
                    sibling_days.add(day)
        return DayLoad(
            counts=counts.counts,
            first_weekday=date.fromordinal(window.today).weekday(),
            sibling_days=frozenset(sibling_days),
        )

    def moved(self, preset_id: int, *, old_due_s: int | None, new_due_s: int | None) -> None:
        """A review card of `preset_id` left the day of `old_due_s` for that of `new_due_s`
        (None: it was not, or is no longer, a review card)."""
        counts = self._by_preset.get(preset_id)
        if counts is None:
            return
        for due, step in ((old_due_s, -1), (new_due_s, 1)):
            if due is None:
                continue
            day = counts.day_of(due)
            if day is not None:
                counts.counts[day] = max(0, counts.counts[day] + step)

    def clear(self) -> None:
        self._by_preset.clear()

    def _counts(
        self,
        cur: sqlite3.Cursor,
        preset_id: int,
        window: Window,
        day_config: DayConfig,
        generation: int,
    ) -> _Counts:
        cached = self._by_preset.get(preset_id)
        if cached is not None and (cached.generation, cached.today) == (generation, window.today):
            return cached
        starts = [
            to_epoch(day_start(window.today + i, day_config.tz, day_config.rollover_hour))
            for i in range(HORIZON_DAYS + 1)
        ]
        counts = _Counts(generation, window.today, starts, [0] * HORIZON_DAYS)
        presets = cur.execute(_DECKS_SQL).fetchall()
        mine = tuple(deck for deck, preset in presets if preset == preset_id)
        deck_ids = None if len(mine) == len(presets) else mine
        decks = "" if deck_ids is None else f" AND deck_id IN ({','.join('?' * len(deck_ids))})"
        for (due,) in cur.execute(
            _DUE_SQL.format(decks=decks), (starts[0], starts[-1], *(deck_ids or ()))
        ):
            day = counts.day_of(due)
            if day is not None:
                counts.counts[day] += 1
        self._by_preset[preset_id] = counts
        return counts
