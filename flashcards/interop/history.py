"""Review history: Anki's revlog as our ReviewEntry rows, and memory states by replay.

A card's FSRS memory state is computed by replaying its answers through our scheduler
(fuzz off, so the result is reproducible), not copied from SM-2 ease and interval.
Where there is no history but a known interval (Anki cards whose log was pruned,
Obsidian SR comments), `memory_from_interval` builds a review state that keeps the
card's due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs

from flashcards.core.model import CardId, CardState, MemoryState, Rating, ReviewEntry, ReviewKind
from flashcards.core.scheduling import Preset, from_fsrs, fsrs_scheduler, to_fsrs
from flashcards.interop.anki_db import AnkiRevlog
from flashcards.interop.bundle import Skipped

REPLAY_PRESET = Preset(enable_fuzzing=False)

_ANSWER_TYPES = {0, 1, 2, 3}  # learn, review, relearn, filtered (rescheduling)
_TYPE_NAMES = {4: "manual", 5: "rescheduled"}


def ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def datetime_to_ms(when: datetime) -> int:
    return int(round(when.timestamp() * 1000))


@dataclass(frozen=True)
class ConvertedLog:
    entries: tuple[ReviewEntry, ...]
    skipped: tuple[Skipped, ...]


def convert_revlog(rows: Iterable[AnkiRevlog], card_ids: Mapping[int, CardId]) -> ConvertedLog:
    """Answers in `rows` as ReviewEntry; manual rows, ease 0 and unknown cards are counted
    in `skipped` (one line per reason, not per row)."""
    entries: list[ReviewEntry] = []
    counts: dict[str, int] = {}
    for row in rows:
        card_id = card_ids.get(row.cid)
        if card_id is None:
            reason = "its card is not imported (deleted card or unmatched template)"
        elif row.type not in _ANSWER_TYPES:
            reason = f"{_TYPE_NAMES.get(row.type, f'type {row.type}')} entry, not an answer"
        elif not 1 <= row.ease <= 4:
            reason = "no answer button recorded (ease 0)"
        else:
            entries.append(
                ReviewEntry(
                    card_id=card_id,
                    time=ms_to_datetime(row.id),
                    rating=Rating(row.ease),
                    duration_ms=max(0, min(row.time, 3_600_000)),
                    kind=ReviewKind.REVIEW,
                )
            )
            continue
        counts[reason] = counts.get(reason, 0) + 1
    skipped = tuple(
        Skipped(f"{n} review-log entr{'y' if n == 1 else 'ies'}", reason)
        for reason, n in counts.items()
    )
    return ConvertedLog(tuple(entries), skipped)


def replay(
    entries: Iterable[ReviewEntry], *, preset: Preset = REPLAY_PRESET
) -> dict[CardId, MemoryState]:
    """Each card's memory state after replaying its REVIEW entries in time order.

    The same steps as `scheduling.review` from a new card, without converting to and
    from our MemoryState between answers (a long history replays several times faster).
    """
    by_card: dict[CardId, list[ReviewEntry]] = {}
    for entry in entries:
        if entry.kind is ReviewKind.REVIEW:
            by_card.setdefault(entry.card_id, []).append(entry)
    scheduler = fsrs_scheduler(preset)
    ratings = {r: fsrs.Rating(int(r)) for r in Rating}
    states: dict[CardId, MemoryState] = {}
    for card_id, rows in by_card.items():
        rows.sort(key=lambda e: e.time)
        # fsrs insists on the `timezone.utc` object itself, not just a zero offset.
        card = to_fsrs(MemoryState(), card_id=card_id, now=rows[0].time.astimezone(UTC))
        for row in rows:
            card, _ = scheduler.review_card(card, ratings[row.rating], row.time.astimezone(UTC))
        states[card_id] = from_fsrs(card)
    return states


def difficulty_from_ease(ease_percent: float) -> float:
    """An FSRS difficulty (1–10) for an SM-2 ease (250% ≈ average, 130% = hardest)."""
    return min(10.0, max(1.0, 5.0 + (250.0 - ease_percent) / 20.0))


def memory_from_interval(
    *, interval_days: float, due: datetime, ease_percent: float
) -> MemoryState:
    """A review-state memory that is due at `due`, remembered for about `interval_days`."""
    interval = max(interval_days, 0.1)
    return MemoryState(
        state=CardState.REVIEW,
        step=None,
        stability=interval,
        difficulty=difficulty_from_ease(ease_percent),
        due=due,
        last_review=due - timedelta(days=interval),
    )
