"""Review-log conversion and the FSRS replay that gives imported cards their memory."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from flashcards.core.model import CardId, CardState, MemoryState, Rating, ReviewEntry, ReviewKind
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


def test_revlog_rows_become_entries_and_only_unknown_cards_are_counted() -> None:
    ms = int(T0.timestamp() * 1000)
    rows = [
        AnkiRevlog(ms, 1, 3, 1, 0, 2500, 4200, 0),
        AnkiRevlog(ms + 1, 1, 1, 1, 0, 2500, 9_999_999, 1),  # walked away: capped
        AnkiRevlog(ms + 2, 1, 0, 0, 0, 0, 0, 4),  # manual, no ease factor: a reset (Forget)
        AnkiRevlog(ms + 3, 1, 0, 12, 0, 2500, 0, 4),  # manual with a factor: a due date set
        AnkiRevlog(ms + 4, 1, 0, 30, 5, 2300, 0, 5),  # rescheduled (FSRS, set due date)
        AnkiRevlog(ms + 5, 1, 0, -600, 0, 0, 0, 1),  # no button (a learning step's seconds)
        AnkiRevlog(ms + 6, 99, 3, 0, 0, 0, 0, 1),  # unknown card
    ]
    log = convert_revlog(rows, {1: CardId("abc")})
    assert [(e.card_id, e.kind, e.rating, e.duration_ms) for e in log.entries[:2]] == [
        ("abc", ReviewKind.REVIEW, Rating.GOOD, 4200),
        ("abc", ReviewKind.REVIEW, Rating.AGAIN, 3_600_000),
    ]
    assert log.entries[0].time == T0
    # Anki keeps every other row of its cards, and so do we: manual rows with what they left.
    assert [(e.kind, e.state_after, e.scheduled_days) for e in log.entries[2:]] == [
        (ReviewKind.MANUAL, CardState.NEW, 0.0),
        (ReviewKind.MANUAL, CardState.REVIEW, 12.0),
        (ReviewKind.MANUAL, CardState.REVIEW, 30.0),
        (ReviewKind.MANUAL, CardState.REVIEW, 600 / 86400),
    ]
    assert [(s.what, s.reason) for s in log.skipped] == [
        ("1 review-log entry", "its card is not imported (deleted card or unmatched template)")
    ]


def test_replay_starts_again_after_a_reset() -> None:
    """A Forget (a manual row that left the card new) ends the history FSRS learns from,
    as in Anki: the state is that of the answers after it, or none (new) without any."""
    day = timedelta(days=1)
    before = [ReviewEntry(CardId("a"), T0 + n * 3 * day, Rating.GOOD) for n in range(4)]
    reset = ReviewEntry(
        CardId("a"),
        T0 + 20 * day,
        Rating.GOOD,
        kind=ReviewKind.MANUAL,
        state_after=CardState.NEW,
    )
    after = [ReviewEntry(CardId("a"), T0 + (21 + n) * day, Rating.AGAIN) for n in range(2)]
    set_due = ReviewEntry(
        CardId("b"),
        T0 + 9 * day,
        Rating.GOOD,
        kind=ReviewKind.MANUAL,
        scheduled_days=4.0,
        state_after=CardState.REVIEW,
    )
    b = [ReviewEntry(CardId("b"), T0 + n * 3 * day, Rating.GOOD) for n in range(4)]
    states = replay([*before, reset, *after, set_due, *b])
    assert states[CardId("a")] == replay(after)[CardId("a")]
    assert states[CardId("b")] == replay(b)[CardId("b")]  # a due date set is not a reset
    assert CardId("a") not in replay([*before, reset])


def test_memory_from_interval_keeps_the_due_date() -> None:
    due = datetime(2026, 12, 1, tzinfo=UTC)
    memory = memory_from_interval(interval_days=10, due=due, ease_percent=250)
    assert memory.state is CardState.REVIEW
    assert memory.due == due and memory.last_review == due - timedelta(days=10)
    assert memory.stability == 10 and memory.difficulty == 5
    hard = memory_from_interval(interval_days=1, due=due, ease_percent=130)
    assert hard.difficulty == 10
