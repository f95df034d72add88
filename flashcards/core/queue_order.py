"""Pure ordering rules of the daily queue (no database): sibling spreading and the
round-robin of new cards across exam domains."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def one_per_note(items: Iterable[tuple[T, K]], *, seen: set[K] | None = None) -> list[T]:
    """Keep the first item of each note (siblings wait for another day, as in Anki).

    `items` are (item, note key) in priority order; `seen` carries notes already
    represented earlier in the queue and is updated.
    """
    seen = set() if seen is None else seen
    kept: list[T] = []
    for item, note in items:
        if note in seen:
            continue
        seen.add(note)
        kept.append(item)
    return kept


def interleave(groups: Sequence[Sequence[T]]) -> list[T]:
    """Round-robin across groups (each already in its own order): a1 b1 c1 a2 b2 …"""
    result: list[T] = []
    longest = max((len(g) for g in groups), default=0)
    for i in range(longest):
        for group in groups:
            if i < len(group):
                result.append(group[i])
    return result


def interleave_by(items: Iterable[tuple[T, K]]) -> list[T]:
    """Group (item, key) pairs by key in first-seen order and interleave the groups."""
    groups: dict[K, list[T]] = {}
    for item, key in items:
        groups.setdefault(key, []).append(item)
    return interleave(list(groups.values()))
