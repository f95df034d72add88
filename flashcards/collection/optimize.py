"""A preset fitted to its decks' review history, and its year of work simulated.

Functions over the collection (not a mixin): `read_history` turns the review log into
`core.optimize` answer histories; `fit_decks` fits them without changing anything (the
Preferences' Optimise, whose result is saved with the dialog); `optimize_preset` fits
and, when the fit is better, saves the parameters (`flashcards optimize`);
`recompute_memory` replays each card's history with a preset's parameters, as Anki
recomputes memory states when parameters change; `simulate_preset` runs
`core.workload` for the preset's cards.

**What counts as history.** Answers that moved the schedule: the log's `review` rows,
which are also what an Anki import writes for Anki's learn, review, relearn and
filtered answers. Practice answers (cramming, map study) do not count: they happen
outside the schedule, and Anki likewise leaves answers in filtered decks without
rescheduling out of its training. A reset (Forget) starts a card's history afresh, as
in Anki; a set due date is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flashcards.collection.queue import DEFAULT_PRESET_ID
from flashcards.core.days import UNIX_EPOCH_DAY, DaySpan, day_number, day_spans
from flashcards.core.errors import CancelledError, FlashcardsError
from flashcards.core.gc_pause import gc_paused
from flashcards.core.model import CardId, CardState, Rating, ReviewEntry, ReviewKind
from flashcards.core.optimize import Answer, Fit, Progress, fit
from flashcards.core.scheduling import Preset
from flashcards.core.workload import Habits, Workload, simulate_workload
from flashcards.interop.history import replay

_CHUNK = 500
HABIT_SAMPLE = 4000
"""Cards whose histories measure the answer habits the simulation uses."""
_RESET = int(CardState.NEW)  # a manual row that leaves the card new is a reset


@dataclass(frozen=True)
class OptimizeReport:
    """What `optimize_preset` found and did."""

    preset_id: int
    preset: str
    fit: Fit
    saved: bool  # the fitted parameters were written to the preset
    cards_updated: int  # memory states recomputed with them

    @property
    def kept(self) -> bool:
        return self.fit.kept

    def to_json(self) -> dict[str, Any]:
        """The figures `flashcards optimize --json` prints."""
        fit = self.fit
        return {
            "preset": self.preset,
            "preset_id": self.preset_id,
            "reviews": fit.reviews,
            "items": fit.items,
            "cards": fit.cards,
            "parameters": list(fit.parameters),
            "fitted": list(fit.fitted),
            "log_loss": {
                "current": fit.current_eval.log_loss,
                "optimized": fit.fitted_eval.log_loss,
            },
            "rmse_bins": {
                "current": fit.current_eval.rmse_bins,
                "optimized": fit.fitted_eval.rmse_bins,
            },
            "kept": fit.kept,
            "cards_updated": self.cards_updated,
        }


@dataclass(frozen=True)
class SimulationReport:
    """`simulate_preset`'s result: the workload and the preset's own retention."""

    preset: str
    desired_retention: float
    workload: Workload

    def to_json(self) -> dict[str, Any]:
        w = self.workload
        return {
            "preset": self.preset,
            "cards": w.deck_size,
            "new_per_day": w.new_per_day,
            "days": w.days,
            "desired_retention": self.desired_retention,
            "minimum_recommended_retention": w.best,
            "habits": "measured" if w.habits.measured else "default",
            "retentions": [
                {
                    "retention": p.retention,
                    "reviews_per_day": round(p.reviews_per_day, 2),
                    "minutes_per_day": round(p.minutes_per_day, 2),
                    "remembered": round(p.remembered, 1),
                    "minutes_per_card": round(p.minutes_per_card, 4),
                }
                for p in w.points
            ],
        }


def preset_decks(col: Any, preset_id: int) -> list[str]:
    """The keys of the decks that use preset `preset_id`."""
    if preset_id not in col.presets():
        raise FlashcardsError(f"no preset with id {preset_id}")
    return [d.key for d in col.deck_presets() if d.preset_id == preset_id]


def find_preset(col: Any, name_or_id: str | int | None) -> int:
    """A preset id from an id or a name (any case); None is the default preset."""
    if name_or_id is None:
        return DEFAULT_PRESET_ID
    presets = col.presets()
    text = str(name_or_id).strip()
    if text.isdigit() and int(text) in presets:
        return int(text)
    for preset_id, preset in presets.items():
        if preset.name.casefold() == text.casefold():
            return int(preset_id)
    names = ", ".join(f"{i} {p.name!r}" for i, p in sorted(presets.items()))
    raise FlashcardsError(f"no preset {text!r}; the presets are: {names}")


def _deck_ids(col: Any, decks: Sequence[str]) -> list[int]:
    wanted = set(decks)
    return [ref.id for ref in col._deck_refs() if ref.key in wanted]


def _log_rows(
    col: Any, deck_ids: Sequence[int], *, cards: int | None = None
) -> list[tuple[Any, ...]]:
    """(card, time ms, study day, rating, duration ms, kind, state after) of the decks'
    cards (the first `cards` of them by id, if given: a sample, ids being random), by
    card and time: answers and manual rows (resets among them)."""
    limit = f" ORDER BY id LIMIT {int(cards)}" if cards is not None else ""
    rows: list[tuple[Any, ...]] = []
    with col.db.raw_read() as cur:
        day = _day_sql(col, cur)
        for start in range(0, len(deck_ids), _CHUNK):
            chunk = list(deck_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows.extend(
                cur.execute(
                    f"SELECT card_id, time_ms, {day}, rating, duration_ms, kind, state_after "
                    "FROM reviews WHERE card_id IN "
                    f"(SELECT id FROM cards WHERE deck_id IN ({marks}){limit}) "
                    "AND kind IN ('review', 'manual') ORDER BY card_id, time_ms, id",
                    chunk,
                ).fetchall()
            )
    return rows


def _day_sql(col: Any, cur: Any) -> str:
    """SQL for the study day of a log row's `time_ms`: plain arithmetic within each span of
    days that share a UTC offset (core.days.day_spans), so SQLite counts the days of a
    million answers without a calendar. The numbers are ours, never user text."""
    first, last = cur.execute("SELECT MIN(time_ms), MAX(time_ms) FROM reviews").fetchone()
    if first is None:
        return "0"
    cfg = col.day_config()

    def day(ms: int) -> int:
        return day_number(datetime.fromtimestamp(ms / 1000, tz=UTC), cfg.tz, cfg.rollover_hour)

    spans = day_spans(day(first), day(last), cfg.tz, cfg.rollover_hour)
    seconds = "(time_ms / 1000)"

    def within(span: DaySpan) -> str:
        count = f"({seconds} + {int(span.shift_s)}) / 86400 + {UNIX_EPOCH_DAY}"
        return f"MIN({int(span.last_day)}, MAX({int(span.first_day)}, {count}))"

    if len(spans) == 1:
        return within(spans[0])
    cases = " ".join(f"WHEN {seconds} < {int(s.end_s)} THEN {within(s)}" for s in spans[:-1])
    return f"CASE {cases} ELSE {within(spans[-1])} END"


def read_history(
    col: Any, decks: Sequence[str], *, cards: int | None = None
) -> dict[str, list[Answer]]:
    """Each card's answers (since its last reset) in the decks with keys `decks`; with
    `cards`, of a sample of that many cards (per 500 decks)."""
    histories: dict[str, list[Answer]] = {}
    with gc_paused():  # a quarter of a million small tuples, none in a cycle
        for card_id, _ms, day, rating, duration_ms, kind, state_after in _log_rows(
            col, _deck_ids(col, decks), cards=cards
        ):
            if kind == "manual":
                if state_after == _RESET:
                    histories.pop(card_id, None)
                continue
            if not 1 <= rating <= 4:
                continue
            answers = histories.get(card_id)
            if answers is None:
                answers = histories[card_id] = []
            answers.append(Answer(day, rating, duration_ms / 1000))
    return histories


def fit_decks(
    col: Any,
    decks: Sequence[str],
    *,
    current: Sequence[float],
    relearning_steps: int = 1,
    progress: Progress | None = None,
) -> Fit:
    """Fit parameters to the decks' history; nothing in the collection changes."""
    if progress is not None and not progress(0, 3, "Reading the review history…"):
        raise CancelledError("optimising cancelled; the parameters are unchanged")
    histories = read_history(col, decks)
    return fit(histories, current=current, relearning_steps=relearning_steps, progress=progress)


def optimize_preset(
    col: Any,
    preset_id: int = DEFAULT_PRESET_ID,
    *,
    save: bool = True,
    progress: Progress | None = None,
) -> OptimizeReport:
    """Fit preset `preset_id` to its decks' history; when the fit is better (and `save`),
    write the fitted parameters and recompute its cards' memory states with them."""
    preset = col.presets().get(preset_id)
    if preset is None:
        raise FlashcardsError(f"no preset with id {preset_id}")
    result = fit_decks(
        col,
        preset_decks(col, preset_id),
        current=preset.parameters,
        relearning_steps=len(preset.relearning_steps),
        progress=progress,
    )
    updated = 0
    if save and result.kept:
        col.save_preset(replace(preset, parameters=result.fitted), preset_id=preset_id)
        updated = recompute_memory(col, preset_id)
    return OptimizeReport(preset_id, preset.name, result, save and result.kept, updated)


def recompute_memory(col: Any, preset_id: int) -> int:
    """Replay the history of the preset's cards with its parameters and store each card's
    stability and difficulty (due dates and states stay: nothing is rescheduled, as in
    Anki without "Reschedule cards on change"). Cards without answers since their last
    reset keep their state. Returns the number of cards updated; clears undo, whose
    snapshots hold the old memory states."""
    preset: Preset = col.presets()[preset_id]
    rows = _log_rows(col, _deck_ids(col, preset_decks(col, preset_id)))
    entries: dict[str, list[ReviewEntry]] = {}
    with gc_paused():  # a ReviewEntry and a datetime per answer, none in a cycle
        for card_id, time_ms, _day, rating, _duration, kind, state_after in rows:
            if kind == "manual":
                if state_after == _RESET:
                    entries.pop(card_id, None)
                continue
            if 1 <= rating <= 4:
                entries.setdefault(card_id, []).append(
                    ReviewEntry(
                        CardId(card_id),
                        datetime.fromtimestamp(time_ms / 1000, tz=UTC),
                        Rating(rating),
                        kind=ReviewKind.REVIEW,
                    )
                )
        states = replay(
            (e for card in entries.values() for e in card),
            preset=replace(preset, enable_fuzzing=False),
        )
    updates = [
        (memory.stability, memory.difficulty, str(card_id))
        for card_id, memory in states.items()
        if memory.stability is not None
    ]
    from flashcards.collection.device_record import record_memory

    with col.devices.batch() as log, col.db.raw() as cur:
        kept = [
            (stability, difficulty, card)
            for stability, difficulty, card in updates
            if cur.execute(
                "UPDATE cards SET stability = ?, difficulty = ? WHERE id = ? AND state != 0",
                (stability, difficulty, card),
            ).rowcount
        ]
        record_memory(log, cur, kept)  # other devices get them too (docs/sync.md)
    col._undo.clear()
    col._generation += 1
    return len(updates)


def simulate_preset(
    col: Any,
    preset_id: int = DEFAULT_PRESET_ID,
    *,
    preset: Preset | None = None,
    decks: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> SimulationReport:
    """A year of the preset's cards simulated at each retention (`core.workload`).

    `preset` and `decks` stand in for the saved preset and its decks (the Preferences
    simulate the options being edited)."""
    preset = preset or col.presets().get(preset_id)
    if preset is None:
        raise FlashcardsError(f"no preset with id {preset_id}")
    keys = list(decks) if decks is not None else preset_decks(col, preset_id)
    deck_ids = _deck_ids(col, keys)
    size = 0
    with col.db.raw_read() as cur:
        for start in range(0, len(deck_ids), _CHUNK):
            chunk = deck_ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            size += cur.execute(
                f"SELECT COUNT(*) FROM cards WHERE deck_id IN ({marks}) "
                "AND present = 1 AND suspended = 0",
                chunk,
            ).fetchone()[0]
    # Answer habits from a sample of cards: as good a measure, a fraction of the reading.
    habits = Habits.from_history(read_history(col, keys, cards=HABIT_SAMPLE))
    workload = simulate_workload(
        preset.parameters,
        deck_size=size,
        new_per_day=preset.new_per_day,
        reviews_per_day=preset.reviews_per_day,
        maximum_interval=preset.maximum_interval,
        learning_steps=len(preset.learning_steps),
        relearning_steps=len(preset.relearning_steps),
        habits=habits,
        also=(preset.desired_retention,),
        progress=progress,
    )
    return SimulationReport(preset.name, preset.desired_retention, workload)
