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
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from flashcards.core.model import Card

__all__ = ["file_order", "is_order_of", "presentation_seed", "shuffled_choices"]


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
