"""Learning steps as people type them: "1m 10m 1h 1d" (Anki's deck options syntax).

A step is a number with a unit: s (seconds), m (minutes), h (hours) or d (days); a bare
number is minutes, as in Anki. Steps are separated by spaces or commas.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flashcards.core.errors import FlashcardsError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_SEPARATORS = re.compile(r"[\s,]+")
MAX_STEP = timedelta(days=365)
MAX_STEPS = 20


class StepsError(FlashcardsError):
    """Steps text that cannot be read; the message says which step and why."""


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """The steps in `text` ("1m 10m 1h"); empty text is no steps."""
    steps: list[timedelta] = []
    for word in _SEPARATORS.split(text.strip().lower()):
        if not word:
            continue
        m = _STEP.fullmatch(word)
        if m is None:
            raise StepsError(
                f"“{word}” is not a step: write a number and a unit, like 1m 10m 1h 1d"
                " (s, m, h or d)"
            )
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "m"]
        if seconds < 1:
            raise StepsError(f"“{word}” is too short: a step is at least 1 second")
        step = timedelta(seconds=round(seconds))
        if step > MAX_STEP:
            raise StepsError(f"“{word}” is too long: a step is at most 365 days")
        steps.append(step)
    if len(steps) > MAX_STEPS:
        raise StepsError(f"{len(steps)} steps is too many: at most {MAX_STEPS}")
    return tuple(steps)


def format_step(step: timedelta) -> str:
    """One step in the largest unit that divides it ("90s", "10m", "1h", "2d")."""
    seconds = round(step.total_seconds())
    for unit in ("d", "h", "m"):
        size = _UNITS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def format_steps(steps: tuple[timedelta, ...]) -> str:
    """Steps as `parse_steps` reads them back: "1m 10m"."""
    return " ".join(format_step(s) for s in steps)
