"""Turning rows into core values (and core values into column values).

Storage hands core values to the layers above, never ORM objects: those are bound to a
session and a thread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flashcards.core.leeches import LeechAction
from flashcards.core.load_balance import EasyDay
from flashcards.core.model import (
    Card,
    CardId,
    CardKind,
    CardState,
    Choice,
    Link,
    MemoryState,
    NoteId,
    Rating,
    ReviewEntry,
    ReviewKind,
)
from flashcards.core.queue_order import NewGather, NewSort
from flashcards.core.scheduling import Preset

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_epoch(moment: datetime) -> int:
    """UTC epoch seconds of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return int(moment.timestamp())


def to_epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return round(moment.timestamp() * 1000)


def from_epoch(seconds: int | None) -> datetime | None:
    if seconds is None:
        return None
    return EPOCH + timedelta(seconds=seconds)


def from_epoch_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def memory_columns(memory: MemoryState) -> dict[str, Any]:
    """Column values of the cards table for a memory state."""
    return {
        "state": int(memory.state),
        "step": memory.step,
        "stability": memory.stability,
        "difficulty": memory.difficulty,
        "due": to_epoch(memory.due) if memory.due is not None else 0,
        "last_review": to_epoch(memory.last_review) if memory.last_review is not None else None,
    }


def memory_of(
    state: int,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    due: int,
    last_review: int | None,
) -> MemoryState:
    card_state = CardState(state)
    return MemoryState(
        state=card_state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=from_epoch(due) if card_state is not CardState.NEW else None,
        last_review=from_epoch(last_review),
    )


def dump_links(links: Sequence[Link]) -> str:
    return json.dumps([[x.target, x.file, x.text, x.line] for x in links])


def load_links(raw: str) -> tuple[Link, ...]:
    return tuple(Link(target=t, file=f, text=x, line=n) for t, f, x, n in json.loads(raw))


def dump_choices(choices: Sequence[Choice]) -> str:
    return json.dumps([[c.text, c.correct] for c in choices])


def load_choices(raw: str) -> tuple[Choice, ...]:
    return tuple(Choice(text=t, correct=bool(c)) for t, c in json.loads(raw))


def card_of(
    *,
    id: str,
    note_id: str,
    kind: str,
    file: str,
    title: str,
    prompt: str,
    answer: str,
    line_start: int,
    line_end: int,
    section_path: str,
    cloze: int | None,
    choices: str,
    links: str,
    tags: str,
) -> Card:
    """A core Card from the columns of a card row joined with its note and deck."""
    return Card(
        id=CardId(id),
        note_id=NoteId(note_id),
        kind=CardKind(kind),
        file=file,
        title=title,
        prompt=prompt,
        answer=answer,
        line_start=line_start,
        line_end=line_end,
        section_path=tuple(json.loads(section_path)),
        cloze=cloze,
        # Most cards have none of these: the next card is built on every answer.
        choices=() if choices == "[]" else load_choices(choices),
        links=() if links == "[]" else load_links(links),
        tags=() if tags == "[]" else tuple(json.loads(tags)),
    )


def review_of(card_id: str, time_ms: int, rating: int, duration_ms: int, kind: str) -> ReviewEntry:
    return ReviewEntry(
        card_id=CardId(card_id),
        time=from_epoch_ms(time_ms),
        # Manual rows (reset, set due) store rating 0; ReviewEntry needs a Rating, so they
        # read as GOOD — callers tell them apart by `kind` (ReviewKind.MANUAL).
        rating=Rating(rating) if 1 <= rating <= 4 else Rating.GOOD,
        duration_ms=duration_ms,
        kind=ReviewKind(kind),
    )


def preset_columns(preset: Preset) -> dict[str, Any]:
    return {
        "name": preset.name,
        "desired_retention": preset.desired_retention,
        "learning_steps": json.dumps([s.total_seconds() for s in preset.learning_steps]),
        "relearning_steps": json.dumps([s.total_seconds() for s in preset.relearning_steps]),
        "maximum_interval": preset.maximum_interval,
        "enable_fuzzing": preset.enable_fuzzing,
        "new_per_day": preset.new_per_day,
        "reviews_per_day": preset.reviews_per_day,
        "parameters": json.dumps(list(preset.parameters)),
        "new_gather": preset.new_gather.value,
        "new_sort": preset.new_sort.value,
        "leech_threshold": preset.leech_threshold,
        "leech_action": preset.leech_action.value,
        "load_balancing": preset.load_balancing,
        "easy_days": json.dumps([d.value for d in preset.easy_days]),
    }


def preset_of(
    *,
    name: str,
    desired_retention: float,
    learning_steps: str,
    relearning_steps: str,
    maximum_interval: int,
    enable_fuzzing: bool,
    new_per_day: int,
    reviews_per_day: int,
    parameters: str | None,
    new_gather: str = NewGather.DOMAINS.value,
    new_sort: str = NewSort.INTERLEAVED.value,
    leech_threshold: int = 8,
    leech_action: str = LeechAction.TAG.value,
    load_balancing: bool = True,
    easy_days: str | None = None,
) -> Preset:
    extra: dict[str, Any] = {}
    if parameters:
        extra["parameters"] = tuple(float(p) for p in json.loads(parameters))
    # An order this version does not know (a newer app wrote it) reads as the default.
    if new_gather in {g.value for g in NewGather}:
        extra["new_gather"] = NewGather(new_gather)
    if new_sort in {s.value for s in NewSort}:
        extra["new_sort"] = NewSort(new_sort)
    if leech_action in {a.value for a in LeechAction}:
        extra["leech_action"] = LeechAction(leech_action)
    loads = json.loads(easy_days) if easy_days else []
    if len(loads) == 7 and all(v in {d.value for d in EasyDay} for v in loads):
        extra["easy_days"] = tuple(EasyDay(v) for v in loads)
    return Preset(
        name=name,
        desired_retention=desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in json.loads(learning_steps)),
        relearning_steps=tuple(timedelta(seconds=s) for s in json.loads(relearning_steps)),
        maximum_interval=maximum_interval,
        enable_fuzzing=bool(enable_fuzzing),
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        leech_threshold=max(0, leech_threshold),
        load_balancing=bool(load_balancing),
        **extra,
    )
