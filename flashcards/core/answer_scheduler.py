"""The scheduler an answer names and the answer recomputed from it (docs/sync.md).

An answer event carries the digest (`h`) of the scheduling options it was made with, and
the options themselves travel once as a `scheduler` event. When two devices answered a
card without seeing each other's answer, `recompute_answer` gives the state after the
same on every device: FSRS without fuzz, then the fuzz day drawn from the card id and
its reps. Pure: no clock, no files, no database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from flashcards.core.load_balance import NORMAL_WEEK, DayLoad, choose_interval
from flashcards.core.model import CardState, MemoryState, Rating
from flashcards.core.scheduling import Preset, fsrs_card_id, review

_NO_LOAD = DayLoad(counts=(), first_weekday=0)


def scheduler_values(preset: Preset) -> dict[str, Any]:
    """The preset's options that decide an answer's outcome, as JSON values."""
    return {
        "retention": preset.desired_retention,
        "learning": [s.total_seconds() for s in preset.learning_steps],
        "relearning": [s.total_seconds() for s in preset.relearning_steps],
        "maximum": preset.maximum_interval,
        "fuzz": preset.enable_fuzzing,
        "parameters": list(preset.parameters),
    }


def scheduler_digest(preset: Preset) -> str:
    """Eight hex digits naming `scheduler_values(preset)`."""
    text = json.dumps(scheduler_values(preset), sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def scheduler_preset(values: Mapping[str, Any]) -> Preset:
    """A preset with the scheduling options of `scheduler_values` (others default)."""
    try:
        return Preset(
            desired_retention=float(values["retention"]),
            learning_steps=tuple(timedelta(seconds=float(s)) for s in values["learning"]),
            relearning_steps=tuple(timedelta(seconds=float(s)) for s in values["relearning"]),
            maximum_interval=int(values["maximum"]),
            enable_fuzzing=bool(values["fuzz"]),
            parameters=tuple(float(p) for p in values["parameters"]),
        )
    except (KeyError, TypeError, ValueError):
        return Preset()


def recompute_answer(
    memory: MemoryState, rating: int, *, now: datetime, preset: Preset, card_id: str, reps: int
) -> MemoryState:
    """An answer's state after, the same on every device: FSRS without fuzz, then the
    fuzz range's day drawn from the card id and reps (no load balancing)."""
    plain = replace(preset, enable_fuzzing=False)
    after = review(memory, Rating(rating), now=now, preset=plain, card_id=card_id).after
    if preset.enable_fuzzing and after.state is CardState.REVIEW and after.due is not None:
        days = (after.due - now).days
        chosen = choose_interval(
            days,
            maximum_interval=preset.maximum_interval,
            load=_NO_LOAD,
            easy_days=NORMAL_WEEK,
            balance=False,
            seed=fsrs_card_id(card_id) + reps,
        )
        if chosen != days:
            after = replace(after, due=now + timedelta(days=chosen))
    return after
