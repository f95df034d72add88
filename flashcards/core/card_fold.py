"""A card's scheduling columns and history, replayed from its events (docs/sync.md).

`Folder.fold` replays one card's events in their canonical order from a new card;
`Folder.step` applies one event to columns the caller holds (the answer path uses it
too, so what is written when answering is exactly what a replay writes). Pure: no
clock, no files, no database; times are the events' own.

An answer whose parent (`p`) is the card's last scheduling event so far is taken as its
device recorded it. Otherwise two devices answered the card without seeing each other's
answer, and it is recomputed by FSRS from the state so far, with the scheduler its
digest (`h`) names and fuzz seeded by the card id and its reps, so every device gets
the same result (`answer_scheduler`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flashcards.core.answer_scheduler import recompute_answer as recompute_answer
from flashcards.core.answer_scheduler import scheduler_digest as scheduler_digest
from flashcards.core.answer_scheduler import scheduler_preset as scheduler_preset
from flashcards.core.answer_scheduler import scheduler_values as scheduler_values
from flashcards.core.card_columns import COLUMNS as COLUMNS
from flashcards.core.card_columns import REVIEW_COLUMNS as REVIEW_COLUMNS
from flashcards.core.card_columns import REVIEW_INSERT as REVIEW_INSERT
from flashcards.core.card_columns import Columns as Columns
from flashcards.core.card_columns import Row as Row
from flashcards.core.card_columns import from_ms as from_ms
from flashcards.core.card_columns import from_s, memory_values
from flashcards.core.card_columns import to_ms as to_ms
from flashcards.core.device_log import Event, full_ref
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset

_DAY_US = 86_400_000_000
# Kinds a fold must see whole: they change rows or events already applied.
REPLAY_KINDS = frozenset({"undo", "redo", "forget", "history"})


# -- the fold -----------------------------------------------------------------------------


@dataclass
class FoldResult:
    columns: Columns
    rows: list[Row] = field(default_factory=list)  # history rows, in order
    recomputed: int = 0  # answers recomputed after a conflict


def cancelled_events(events: Iterable[Event]) -> set[str]:
    """Event ids undone: for each target, the last undo or redo naming it decides."""
    last: dict[str, bool] = {}
    for event in events:
        if event.kind == "undo" or event.kind == "redo":
            for target in event.refs("u"):
                last[target] = event.kind == "undo"
    return {target for target, undone in last.items() if undone}


class Folder:
    """Replays card events; `schedulers` maps digests to presets (`scheduler` events)."""

    def __init__(self, schedulers: Mapping[str, Preset] | None = None) -> None:
        self.schedulers = schedulers if schedulers is not None else {}
        self.recomputed = 0

    def fold(
        self,
        card_id: str,
        events: Sequence[Event],
        *,
        start: Columns | None = None,
        undo: bool = True,
    ) -> FoldResult:
        """Columns and history of a card after `events` (sorted by `Event.key`), from a
        new card or from `start` (then `events` must hold no `REPLAY_KINDS`). `undo`
        False: the caller knows `events` hold no undo or redo (none to look for)."""
        cols = Columns() if start is None else replace(start)
        rows: list[Row] = []
        seen: set[tuple[Any, ...]] = set()  # history rows already kept (time, kind, rating)
        cancelled = cancelled_events(events) if undo else set()
        before = self.recomputed
        for event in events:
            if cancelled and event.id in cancelled:
                continue
            kind = event.kind
            if kind == "answer":  # most events: step's first case, one call less
                rows.append(self._answer(cols, event, card_id))
            elif kind == "forget":
                rows.clear()
                seen.clear()
            elif kind == "history":
                for row in self.history_rows(event):
                    mark = (row[0], row[3], row[1])
                    if mark not in seen:
                        seen.add(mark)
                        rows.append(row)
            else:
                made = self.step(cols, event, card_id)
                if made is not None:
                    rows.append(made)
        return FoldResult(cols, rows, self.recomputed - before)

    def step(self, cols: Columns, event: Event, card_id: str) -> Row | None:
        """Apply one event to `cols`; the history row it adds, if any. History, forget,
        undo and redo events are the fold's (None here)."""
        kind = event.kind
        data = event.data
        if kind == "answer":
            return self._answer(cols, event, card_id)
        if kind == "practice":
            memory = cols.memory()
            before = memory_values(memory)
            return (
                event.time_ms,
                int(data.get("r", 0)),
                int(data.get("d", 0)),
                "practice",
                *before,
                before[0],
                before[2],
                before[3],
                0.0,
                0.0,
                event.device,
            )
        if kind == "reset":
            return self._manual(cols, event, MemoryState())
        if kind == "set-due":
            return self._set_due(cols, event)
        if kind == "suspend":
            cols.suspended = bool(data.get("v"))
        elif kind == "flag":
            cols.flag = int(data.get("v") or 0)
        elif kind == "bury":
            cols.buried_until = int(data.get("v") or 0)
        elif kind == "state":
            values = data.get("v")
            if isinstance(values, Mapping):
                self._state(cols, event, values)
        return None

    def history_rows(self, event: Event) -> list[Row]:
        """A history event's rows (malformed rows are left out)."""
        rows = event.data.get("v")
        if not isinstance(rows, list):
            return []
        width = len(REVIEW_COLUMNS)
        return [tuple(r) for r in rows if isinstance(r, list) and len(r) == width]

    # -- the kinds ------------------------------------------------------------------------

    def _answer(self, cols: Columns, event: Event, card_id: str) -> Row:
        data = event.data
        recorded = data.get("a")
        parent = data.get("p")  # event.ref("p"), the common case (an int) inline
        ref = f"{event.device}:{parent}" if type(parent) is int else full_ref(parent, event.device)
        if ref == cols.head and type(recorded) is list and _valid_after(recorded):
            return self._as_recorded(cols, event, recorded)
        return self._recomputed(cols, event, card_id)

    def _as_recorded(self, cols: Columns, event: Event, after: list[Any]) -> Row:
        """The answer as its device recorded it: plain arithmetic, no datetimes (the
        rebuild of a million answers); the same values `_recomputed`'s path would store."""
        data = event.data
        now_ms = event.time_ms
        new = cols.state == 0
        before = (
            cols.state,
            cols.step,
            cols.stability,
            cols.difficulty,
            0 if new else cols.due,
            cols.last_review,
        )
        rating = int(data.get("r", 3))
        state, step, stability, difficulty, due_ms = after
        elapsed = 0.0
        last = cols.last_review
        if last is not None and not new:
            elapsed = max(0.0, (now_ms * 1000 - last * 1_000_000) / _DAY_US)
        lapse = rating == 1 and cols.state == 2
        cols.state, cols.step, cols.stability, cols.difficulty = state, step, stability, difficulty
        cols.due = due_ms // 1000
        cols.last_review = now_ms // 1000
        cols.reps += 1
        cols.lapses += lapse
        if data.get("ls"):
            cols.suspended = True
        cols.head = f"{event.device}:{event.seq}"  # event.id
        return (
            now_ms,
            rating,
            int(data.get("d", 0)),
            "review",
            *before,
            state,
            stability,
            difficulty,
            elapsed,
            (due_ms - now_ms) * 1000 / _DAY_US,
            event.device,
        )

    def _recomputed(self, cols: Columns, event: Event, card_id: str) -> Row:
        """Two devices answered apart: FSRS from the state so far (recompute_answer)."""
        data = event.data
        now_ms = event.time_ms
        memory = cols.memory()
        before = memory_values(memory)
        rating = int(data.get("r", 3))
        self.recomputed += 1
        digest = data.get("h")
        preset = self.schedulers.get(digest, Preset()) if isinstance(digest, str) else Preset()
        after = recompute_answer(
            memory, rating, now=from_ms(now_ms), preset=preset, card_id=card_id, reps=cols.reps
        )
        due_ms = to_ms(after.due) if after.due is not None else now_ms
        # As core.scheduling.review measures them, in whole microseconds.
        elapsed = 0.0
        last = cols.last_review
        if last is not None and memory.state is not CardState.NEW:
            elapsed = max(0.0, (now_ms * 1000 - last * 1_000_000) / _DAY_US)
        scheduled = (due_ms - now_ms) * 1000 / _DAY_US
        lapse = rating == Rating.AGAIN and memory.state is CardState.REVIEW
        cols.set_memory(after)
        cols.reps += 1
        cols.lapses += lapse
        if data.get("ls"):
            cols.suspended = True
        cols.head = event.id
        return (
            now_ms,
            rating,
            int(data.get("d", 0)),
            "review",
            *before,
            int(after.state),
            after.stability,
            after.difficulty,
            elapsed,
            scheduled,
            event.device,
        )

    def _manual(self, cols: Columns, event: Event, after: MemoryState) -> Row:
        before = memory_values(cols.memory())
        cols.set_memory(after)
        cols.head = event.id
        return (
            event.time_ms,
            0,
            0,
            "manual",
            *before,
            cols.state,
            cols.stability,
            cols.difficulty,
            0.0,
            0.0,
            event.device,
        )

    def _set_due(self, cols: Columns, event: Event) -> Row:
        """As `card_actions.set_due`: a review card due at `due`; a card without a memory
        state gets the interval as stability."""
        memory = cols.memory()
        days = int(event.data.get("n", 0))
        due_s = int(event.data.get("due", event.time_ms // 1000))
        stability, difficulty, last = memory.stability, memory.difficulty, memory.last_review
        if memory.state is CardState.NEW or memory.stability is None:
            stability, difficulty = float(max(days, 1)), 5.0
            last = from_ms(event.time_ms).replace(microsecond=0)
        after = MemoryState(
            state=CardState.REVIEW,
            step=None,
            stability=stability,
            difficulty=difficulty,
            due=from_s(due_s),
            last_review=last,
        )
        return self._manual(cols, event, after)

    def _state(self, cols: Columns, event: Event, values: Mapping[str, Any]) -> None:
        for name in COLUMNS[:-1]:
            if name in values:
                setattr(cols, name, values[name])
        cols.suspended = bool(cols.suspended)
        if "state" in values:  # a whole state (an import's, the upgrade's), not a
            cols.head = event.id  # recomputed stability and difficulty alone


_NUMBER = (int, float)


def _valid_after(value: list[Any]) -> bool:
    """A recorded state after: [state, step, stability, difficulty, due ms]."""
    return (
        len(value) == 5
        and value[0] in (1, 2, 3)
        and type(value[4]) is int
        and (value[1] is None or type(value[1]) is int)
        and isinstance(value[2], _NUMBER)
        and isinstance(value[3], _NUMBER)
    )
