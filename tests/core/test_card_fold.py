"""Replaying a card's events (core/card_fold.py, docs/sync.md "Merging")."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from flashcards.core.card_fold import (
    Columns,
    Folder,
    cancelled_events,
    recompute_answer,
    scheduler_digest,
    scheduler_preset,
    scheduler_values,
    to_ms,
)
from flashcards.core.device_log import Event
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, review

A, B = "aaaaaaaaaaaa", "bbbbbbbbbbbb"
T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
CARD = "k3f9q2"


def recorded(
    device: str, seq: int, when: datetime, rating: Rating, *, parent: str | None, cols: Columns
) -> Event:
    """An answer as a device makes it: FSRS from the columns it holds."""
    after = review(
        cols.memory(), rating, now=when, preset=Preset(), card_id=CARD, reps=cols.reps
    ).after
    assert after.due is not None
    data = {
        "r": int(rating),
        "d": 1000,
        "h": scheduler_digest(Preset()),
        "a": [int(after.state), after.step, after.stability, after.difficulty, to_ms(after.due)],
    }
    if parent is not None:
        data["p"] = parent
    ms = to_ms(when)
    return Event(device, seq, ms, ms, "answer", (CARD,), data)


def test_answers_one_after_another_are_taken_as_recorded() -> None:
    cols = Columns()
    first = recorded(A, 1, T0, Rating.GOOD, parent=None, cols=cols)
    Folder().step(cols, first, CARD)
    second = recorded(B, 1, T0 + timedelta(days=2), Rating.EASY, parent=first.id, cols=cols)
    folder = Folder({scheduler_digest(Preset()): Preset()})
    result = folder.fold(CARD, [first, second])
    assert result.recomputed == 0 and result.columns.head == second.id
    assert result.columns.reps == 2 and len(result.rows) == 2
    assert result.rows[1][-1] == B  # each history row names its device
    assert result.columns.stability == second.data["a"][2]


def test_answers_made_apart_are_recomputed_the_same_in_any_order() -> None:
    base = Columns()
    a = recorded(A, 1, T0, Rating.GOOD, parent=None, cols=base)
    b = recorded(B, 1, T0 + timedelta(hours=3), Rating.AGAIN, parent=None, cols=base)
    schedulers = {scheduler_digest(Preset()): Preset()}
    results = []
    for events in ([a, b], [b, a]):
        ordered = sorted(events, key=lambda e: e.key)
        results.append(Folder(schedulers).fold(CARD, ordered))
    assert results[0] == results[1]
    result = results[0]
    assert result.recomputed == 1 and result.columns.reps == 2
    # B's Again is applied on top of A's Good, not on the new card it saw.
    assert result.rows[1][4] == int(CardState.LEARNING) and result.rows[1][10] == 1
    assert result.columns.lapses == 0


def test_a_recomputed_answer_is_the_same_everywhere_with_fuzz() -> None:
    memory = MemoryState(
        state=CardState.REVIEW,
        step=None,
        stability=40.0,
        difficulty=5.0,
        due=T0,
        last_review=T0 - timedelta(days=40),
    )
    runs = {
        recompute_answer(memory, 3, now=T0, preset=Preset(), card_id=CARD, reps=7) for _ in range(5)
    }
    assert len(runs) == 1
    (after,) = runs
    plain = review(
        memory, Rating.GOOD, now=T0, preset=Preset(enable_fuzzing=False), card_id=CARD
    ).after
    assert after.due is not None and plain.due is not None
    assert abs((after.due - plain.due).days) <= 6  # within the fuzz range, seeded


def test_undo_and_redo_the_last_word_decides() -> None:
    cols = Columns()
    a = recorded(A, 1, T0, Rating.GOOD, parent=None, cols=cols)
    undo = Event(A, 2, to_ms(T0) + 5, to_ms(T0) + 5, "undo", (CARD,), {"u": [1]})
    redo = Event(A, 3, to_ms(T0) + 9, to_ms(T0) + 9, "redo", (CARD,), {"u": [1]})
    assert cancelled_events([a, undo]) == {a.id}
    assert cancelled_events([a, undo, redo]) == set()
    undone = Folder().fold(CARD, [a, undo])
    assert undone.columns == Columns() and undone.rows == []
    assert Folder().fold(CARD, [a, undo, redo]).columns.reps == 1


def test_set_due_on_a_new_card_makes_a_memory_state() -> None:
    due_s = int((T0 + timedelta(days=3)).timestamp())
    event = Event(A, 1, to_ms(T0), to_ms(T0), "set-due", (CARD,), {"n": 3, "due": due_s})
    result = Folder().fold(CARD, [event])
    cols = result.columns
    assert (cols.state, cols.stability, cols.difficulty, cols.due) == (2, 3.0, 5.0, due_s)
    assert cols.last_review == int(T0.timestamp()) and result.rows[0][3] == "manual"


def test_history_seen_twice_is_kept_once_and_forget_drops_it() -> None:
    row = [1000, 3, 0, "review", 0, None, None, None, 0, None, 0, None, None, 0.0, 0.0, "import"]
    h1 = Event(A, 1, 5, 5, "history", (CARD,), {"v": [row]})
    h2 = Event(B, 1, 6, 6, "history", (CARD,), {"v": [row, [*row[:1], 4, *row[2:]]]})
    assert len(Folder().fold(CARD, [h1, h2]).rows) == 2
    forget = Event(B, 2, 7, 7, "forget", (CARD,), {})
    assert Folder().fold(CARD, [h1, h2, forget]).rows == []


def test_flags_suspensions_and_burying_last_writer_wins() -> None:
    events = [
        Event(A, 1, 1, 1, "suspend", (CARD,), {"v": True}),
        Event(B, 1, 2, 2, "flag", (CARD,), {"v": 3}),
        Event(A, 2, 3, 3, "bury", (CARD,), {"v": 20100}),
        Event(B, 2, 4, 4, "suspend", (CARD,), {"v": False}),
    ]
    cols = Folder().fold(CARD, events).columns
    assert (cols.suspended, cols.flag, cols.buried_until, cols.head) == (False, 3, 20100, None)


def test_scheduler_values_round_trip() -> None:
    rng = random.Random(4)
    preset = Preset(
        desired_retention=0.87,
        learning_steps=(timedelta(minutes=2), timedelta(minutes=30)),
        relearning_steps=(),
        maximum_interval=400,
        enable_fuzzing=False,
        parameters=tuple(round(p * rng.uniform(0.9, 1.1), 4) for p in Preset().parameters),
    )
    back = scheduler_preset(scheduler_values(preset))
    assert scheduler_digest(back) == scheduler_digest(preset)
    assert scheduler_digest(Preset()) != scheduler_digest(preset)
    assert scheduler_preset({"broken": True}) == Preset()
