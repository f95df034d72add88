"""The order a multiple-choice card's options are shown in, one per presentation.

The deck file keeps its order (exports and cheat-sheets show it); the screen shows the
options in an order drawn afresh each time the card is presented, so the place of the
right answer cannot be learnt instead of the answer. The order is a pure function of
the card and a per-presentation seed: the review screen keeps the seed while the card
is on screen and in its undo record, so a re-render, an edit or an undo shows the same
order; tests fix the seed.

An order is a tuple of the choices' indexes in the file, in the order shown: `(2, 0, 1)`
shows the file's third option as A, its first as B, its second as C. What the user picks
is kept as file indexes, so checking answers needs no order at all.

An edit can change a card's options while it is on screen. `carried_options` says which
old option each new one is (same text, else edited in place), so the picks and the order
shown carry over to the edited card (`carried_picks`, `carried_order`).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from flashcards.core.model import Card

__all__ = [
    "carried_options",
    "carried_order",
    "carried_picks",
    "file_order",
    "is_order_of",
    "presentation_seed",
    "shuffled_choices",
]


def presentation_seed(shown_at: datetime, count: int) -> int:
    """A seed for one presentation: the time it began and how many came before it in
    this session (two presentations in the same instant still differ)."""
    text = f"{shown_at.isoformat()}|{count}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def shuffled_choices(card: Card, seed: int | None) -> tuple[int, ...]:
    """The order to show `card`'s options in for the presentation `seed` (None: the
    file's order). Every order is equally likely; the card's id is mixed in, so one seed
    shuffles different cards differently."""
    count = len(card.choices)
    if seed is None or count < 2:
        return file_order(count)
    prefix = f"{card.id}|{seed}|".encode()
    return tuple(
        sorted(
            range(count),
            key=lambda index: hashlib.blake2b(prefix + str(index).encode(), digest_size=8).digest(),
        )
    )


def file_order(count: int) -> tuple[int, ...]:
    """The options as the file has them."""
    return tuple(range(count))


def is_order_of(order: Sequence[int], count: int) -> bool:
    """Whether `order` shows each of `count` options exactly once."""
    return len(order) == count and sorted(order) == list(range(count))


def carried_options(old: Card, new: Card) -> dict[int, int]:
    """Which option of the edited card `new` each option of `old` became (file indexes,
    old → new); an option the edit removed is missing. An option keeps its text (wherever
    the edit moved it), or is the one edited in its place: between two unchanged options,
    the n-th changed old option is the n-th changed new one."""
    before = [" ".join(c.text.split()) for c in old.choices]
    after = [" ".join(c.text.split()) for c in new.choices]
    carried: dict[int, int] = {}
    unused: dict[str, list[int]] = {}
    for index, text in enumerate(after):
        unused.setdefault(text, []).append(index)
    for index, text in enumerate(before):
        if unused.get(text):
            carried[index] = unused[text].pop(0)
    taken = set(carried.values())
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        olds = [i for i in range(i1, i2) if i not in carried]
        news = [j for j in range(j1, j2) if j not in taken]
        for i, j in zip(olds, news, strict=False):
            carried[i] = j
            taken.add(j)
    return carried


def carried_picks(picks: frozenset[int], carried: Mapping[int, int]) -> frozenset[int]:
    """The options picked before an edit, as options of the edited card (a pick whose
    option the edit removed is dropped)."""
    return frozenset(carried[i] for i in picks if i in carried)


def carried_order(
    shown: Sequence[int], carried: Mapping[int, int], drawn: Sequence[int]
) -> tuple[int, ...]:
    """The order to show the edited card's options in: the options it kept, in the order
    `shown` had them, and any new option where the edited card's own draw `drawn` (same
    seed) puts it."""
    kept = iter(carried[i] for i in shown if i in carried)
    new_kept = set(carried.values())
    return tuple(next(kept) if index in new_kept else index for index in drawn)
