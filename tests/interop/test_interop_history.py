"""Review-log conversion and the FSRS replay that gives imported cards their memory."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from flashcards.core.model import CardId, CardState, MemoryState, Rating, ReviewEntry
from flashcards.core.scheduling import Preset, review
from flashcards.interop.anki_db import AnkiRevlog
from flashcards.interop.history import REPLAY_PRESET, convert_revlog, memory_from_interval, replay

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def test_replay_matches_answering_one_by_one() -> None:
    rng = random.Random(7)
    entries = []
    for c in range(60):
        when = T0
        for _ in range(rng.randint(1, 8)):
            when += timedelta(hours=rng.randint(1, 400))
            entries.append(ReviewEntry(CardId(f"c{c}"), when, Rating(rng.randint(1, 4))))
    rng.shuffle(entries)  # replay sorts by time itself
    fast = replay(entries)
    for c in range(60):
        state = MemoryState()
        for e in sorted((e for e in entries if e.card_id == f"c{c}"), key=lambda e: e.time):
            state = review(
                state, e.rating, now=e.time, preset=REPLAY_PRESET, card_id=e.card_id
            ).after
        assert fast[CardId(f"c{c}")] == state


@pytest.mark.parametrize(
    "preset",
    [
        REPLAY_PRESET,
        Preset(enable_fuzzing=False, learning_steps=(), relearning_steps=()),
        Preset(
            enable_fuzzing=False,
            learning_steps=(timedelta(minutes=5),),
            relearning_steps=(timedelta(minutes=3), timedelta(hours=2), timedelta(hours=20)),
            desired_retention=0.8,
            maximum_interval=30,
        ),
    ],
)
def test_replay_equals_the_scheduler_for_same_day_and_long_histories(preset: Preset) -> None:
    """The replay's own arithmetic gives exactly fsrs's floats and dates, step by step."""
    rng = random.Random(11)
    entries = []
    for c in range(300):
        when = T0 + timedelta(milliseconds=rng.randint(0, 10**9))
        for _ in range(rng.randint(1, 25)):
            # minutes (same-day steps) up to months (long intervals, forgotten cards)
            when += timedelta(seconds=rng.choice((30, 600, 5000, 86_399, 86_400, 10**6, 10**7)))
            entries.append(ReviewEntry(CardId(f"c{c}"), when, Rating(rng.randint(1, 4))))
    fast = replay(entries, preset=preset)
    for c in range(300):
        state = MemoryState()
        for e in sorted((e for e in entries if e.card_id == f"c{c}"), key=lambda e: e.time):
            state = review(state, e.rating, now=e.time, preset=preset, card_id=e.card_id).after
        assert fast[CardId(f"c{c}")] == state


def test_revlog_rows_become_entries_and_the_rest_is_counted() -> None:
    ms = int(T0.timestamp() * 1000)
    rows = [
        AnkiRevlog(ms, 1, 3, 1, 0, 2500, 4200, 0),
        AnkiRevlog(ms + 1, 1, 1, 1, 0, 2500, 9_999_999, 1),  # walked away: capped
        AnkiRevlog(ms + 2, 1, 0, 0, 0, 0, 0, 4),  # manual
        AnkiRevlog(ms + 3, 1, 0, 0, 0, 0, 0, 1),  # no button
        AnkiRevlog(ms + 4, 99, 3, 0, 0, 0, 0, 1),  # unknown card
    ]
    log = convert_revlog(rows, {1: CardId("abc")})
    assert [(e.card_id, e.rating, e.duration_ms) for e in log.entries] == [
        ("abc", Rating.GOOD, 4200),
        ("abc", Rating.AGAIN, 3_600_000),
    ]
    assert log.entries[0].time == T0
    assert sorted(s.what for s in log.skipped) == ["1 review-log entry"] * 3


def test_memory_from_interval_keeps_the_due_date() -> None:
    due = datetime(2026, 12, 1, tzinfo=UTC)
    memory = memory_from_interval(interval_days=10, due=due, ease_percent=250)
    assert memory.state is CardState.REVIEW
    assert memory.due == due and memory.last_review == due - timedelta(days=10)
    assert memory.stability == 10 and memory.difficulty == 5
    hard = memory_from_interval(interval_days=1, due=due, ease_percent=130)
    assert hard.difficulty == 10
