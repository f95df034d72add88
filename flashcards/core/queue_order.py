"""Pure ordering rules of the daily queue (no database): sibling spreading, the
round-robin of new cards across exam domains, and the new-card gather and sort orders
a preset chooses (as Anki's deck options do)."""

from __future__ import annotations

import enum
import math
import zlib
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class NewGather(enum.Enum):
    """Which new cards a day takes from the decks of a selection, and in what order
    (Anki's "new card gather order")."""

    DOMAINS = "domains"
    DECKS = "decks"
    POSITION = "position"
    FILE = "file"
    RANDOM = "random"


class NewSort(enum.Enum):
    """The order a day's gathered new cards are shown in (Anki's "new card sort order")."""

    INTERLEAVED = "interleaved"
    GATHERED = "gathered"
    RANDOM = "random"


NEW_GATHER_ORDERS: dict[NewGather, str] = {
    NewGather.DOMAINS: "Exam domains in turn",
    NewGather.DECKS: "Deck order",
    NewGather.POSITION: "Position across decks",
    NewGather.FILE: "File order, as written",
    NewGather.RANDOM: "Random cards",
}
"""Human labels of the gather orders, in the order a combo box should list them."""

NEW_GATHER_HELP: dict[NewGather, str] = {
    NewGather.DOMAINS: "Exam domains take turns; a domain's decks one after another. In each "
    "deck, a practice question comes right after the notes it tests.",
    NewGather.DECKS: "One deck after another. In each deck, a practice question comes right "
    "after the notes it tests.",
    NewGather.POSITION: "Every deck takes a turn: the first card of each deck, then the second… "
    "In each deck, a practice question comes right after the notes it tests.",
    NewGather.FILE: "One deck after another, each exactly as the file is written (practice "
    "questions where the file has them, often at the end).",
    NewGather.RANDOM: "Cards drawn at random from every deck, the same draw all day.",
}
"""One sentence per gather order, for a tooltip."""

NEW_SORT_ORDERS: dict[NewSort, str] = {
    NewSort.INTERLEAVED: "Interleaved by kind",
    NewSort.GATHERED: "As gathered",
    NewSort.RANDOM: "Random",
}
"""Human labels of the sort orders, in the order a combo box should list them."""

NEW_SORT_HELP: dict[NewSort, str] = {
    NewSort.INTERLEAVED: "Notes and practice questions mixed: a question right after the "
    "day's notes it tests, the others spread evenly among the notes.",
    NewSort.GATHERED: "In the order they were gathered.",
    NewSort.RANDOM: "Shuffled, the same way all day.",
}
"""One sentence per sort order, for a tooltip."""


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


_MASK = (1 << 32) - 1


def random_key(day: int, card_id: str) -> int:
    """A pseudo-random sort key fixed by the study day and the card id.

    Random orders sort by it, so a queue rebuilt during the day (or in a test) comes out
    the same, and tomorrow's draw differs. CRC-32 seeded by the day, then a
    multiplicative mix so the order is not just the CRC's bit pattern.
    """
    x = (zlib.crc32(card_id.encode(), _day_seed(day)) * 0x9E3779B1) & _MASK
    return x ^ (x >> 16)


@lru_cache(maxsize=8)
def _day_seed(day: int) -> int:
    return zlib.crc32(day.to_bytes(8, "little", signed=True))


def question_keys(
    questions: Sequence[tuple[T, int, int | None]], *, notes: tuple[int, int] | None
) -> list[tuple[T, float]]:
    """Where a deck's practice questions go among its notes, as sort keys on the notes'
    file positions, earliest first.

    `questions` are (item, file position, anchor) in file order, where the anchor is the
    position of the last note in the deck the question links to (None without one).
    A question sorts right after its anchor; questions without one are spread evenly
    through `notes`, the (first, last) position of the deck's notes (None: no notes,
    the questions keep their file order).
    """
    loose = [i for i, (_, _, anchor) in enumerate(questions) if anchor is None]
    spread: dict[int, float] = {}
    if notes is not None:
        first, last = notes
        for n, i in enumerate(loose):
            spread[i] = first + (last - first) * (n + 1) / (len(loose) + 1)
    keyed = []
    for i, (item, position, anchor) in enumerate(questions):
        key = float(anchor) if anchor is not None else spread.get(i, float(position))
        keyed.append((key, position, item))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [(item, key) for key, _, item in keyed]


def after_anchors(
    notes: Iterable[tuple[T, int]], questions: Iterable[tuple[T, float]]
) -> Iterator[T]:
    """A deck's study order: its notes (item, position) in file order, each question of
    `question_keys` right after the last note at or before its key.

    Lazy in both, so a caller can stop after a day's worth of cards.
    """
    pending = iter(questions)
    nxt = next(pending, None)
    for item, position in notes:
        while nxt is not None and nxt[1] < position:
            yield nxt[0]
            nxt = next(pending, None)
        yield item
    while nxt is not None:
        yield nxt[0]
        nxt = next(pending, None)


def interleave_kinds(items: Sequence[tuple[T, K, Collection[K] | None]]) -> list[T]:
    """The "interleaved by kind" sort of a day's new cards.

    `items` are (item, note, tested) in gather order: `tested` is None for a note's card
    and, for a practice question, the notes it links to. Notes keep their order; a
    question follows the last of the day's notes it tests; the other questions are
    spread evenly among the notes, in their gathered order.
    """
    units: list[list[T]] = []
    unit_of: dict[K, int] = {}
    for item, note, tested in items:
        if tested is None:
            unit_of.setdefault(note, len(units))
            units.append([item])
    loose: list[T] = []
    for item, _, tested in items:
        if tested is None:
            continue
        spots = [unit_of[n] for n in tested if n in unit_of]
        if spots:
            units[max(spots)].append(item)
        else:
            loose.append(item)
    result: list[T] = []
    # The j-th loose question (1-based) follows ceil(j * m / (k + 1)) of the m units.
    after = [math.ceil(j * len(units) / (len(loose) + 1)) for j in range(1, len(loose) + 1)]
    q = 0
    for u, unit in enumerate(units):
        while q < len(loose) and after[q] <= u:
            result.append(loose[q])
            q += 1
        result.extend(unit)
    result.extend(loose[q:])
    return result
