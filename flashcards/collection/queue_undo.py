"""The day's cached queues across undo and redo, as in Anki: after an undo and a redo
the review goes on with the card it would have shown had nothing been undone.

Building a queue afresh does not give back the order a session was consuming: new cards
from several decks or exam domains take turns from the first column again, and reviews
are ranked at a later moment. So an answer records what it took out of each cached queue
(`QueueTrail`: where each card was), which its undo puts back, and an undo keeps a copy of
the queues as they were (`QueueCopy`), which its redo puts back.

Either is only right when nothing else changed the queues in between: each is valid at one
`generation` of the collection (the counter every change to cards or decks moves), and
`QueueEras` knows which generations an undo or redo moved on from without other changes.
Otherwise the queues are built afresh, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flashcards.collection.queue import CardScope
from flashcards.core.model import CardId


@dataclass
class CachedQueue:
    """Today's review and new cards for one selection, consumed as cards are answered."""

    generation: int
    today: int
    cards: list[CardId]
    deck_ids: tuple[int, ...] | None  # None: every deck
    new: frozenset[CardId] = frozenset()  # which of `cards` are new cards
    scope: CardScope | None = None  # the cards of decks an exam domain takes in part


Queues = dict[str | None, CachedQueue]


@dataclass(frozen=True)
class _Removal:
    queue: CachedQueue
    index: int
    card: CardId
    follower: CardId | None  # the card right after it then (None: it was the last)


@dataclass
class QueueTrail:
    """What one answer did to the cached queues: the queues it found (by selection) and
    the cards it took out of them, in order. Valid at `generation`."""

    generation: int
    queues: Queues
    removed: list[_Removal] = field(default_factory=list)

    def take(self, queue: CachedQueue, card: CardId) -> None:
        """Take `card` out of `queue`, noting where it was."""
        index = queue.cards.index(card)
        follower = queue.cards[index + 1] if index + 1 < len(queue.cards) else None
        queue.cards.pop(index)
        self.removed.append(_Removal(queue, index, card, follower))

    def before(self) -> Queues:
        """The queues as the answer found them: its cards put back where they were (before
        the card that followed, if the queue still has it; cards that stopped being due
        may have left its head since)."""
        for gone in reversed(self.removed):
            cards = gone.queue.cards
            if gone.follower is not None and gone.follower in cards:
                cards.insert(cards.index(gone.follower), gone.card)
            else:
                cards.insert(min(gone.index, len(cards)), gone.card)
        return dict(self.queues)


@dataclass(frozen=True)
class QueueCopy:
    """The cached queues at one moment (copies), valid at `generation`."""

    generation: int
    queues: Queues

    @classmethod
    def of(cls, queues: Queues, *, current: int, valid_at: int) -> QueueCopy:
        """A copy of the queues built at generation `current` (the others are stale)."""
        kept = {k: replace(q, cards=list(q.cards)) for k, q in queues.items()}
        return cls(valid_at, {k: q for k, q in kept.items() if q.generation == current})

    def before(self) -> Queues:
        return {k: replace(q, cards=list(q.cards)) for k, q in self.queues.items()}


QueueState = QueueTrail | QueueCopy


class QueueEras:
    """Which generations hold the same queues: an undo or redo that put the queues back
    moved the generation on (for every other cache) but not the queues' era."""

    def __init__(self) -> None:
        self._root: dict[int, int] = {}

    def of(self, generation: int) -> int:
        return self._root.get(generation, generation)

    def carried(self, old: int, new: int) -> None:
        self._root[new] = self.of(old)

    def restore(self, state: QueueState | None, *, since: int, now: int) -> Queues | None:
        """The queues `state` puts back, stamped with generation `now`, if it is valid at
        generation `since` (the one before the undo or redo moved to `now`); else None."""
        if state is None or self.of(state.generation) != self.of(since):
            return None
        queues = state.before()
        for queue in queues.values():
            queue.generation = now
        self.carried(since, now)
        return queues
