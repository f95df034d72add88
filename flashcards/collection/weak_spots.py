"""The weakest decks and tags of an exam profile: where the expected recall on the exam
day is lowest, and the cards to study first in each.

    spots = weak_spots(col, now=t)           # WeakSpots(decks=(...), tags=(...))
    weakest_cards(col, spots.decks[0], now=t)   # card ids, lowest expected recall first
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import text

from flashcards.collection.base import utc
from flashcards.collection.collection import Collection
from flashcards.collection.exam import Exams, ProfileRef
from flashcards.collection.readiness import first_look_prior, prediction_moment
from flashcards.collection.readiness_scan import presets_in_order, scan
from flashcards.core.model import CardId
from flashcards.core.readiness import CardTable, expected_recall

STUDY_CARDS = 20  # cards a weak spot's "Study" takes


@dataclass(frozen=True)
class WeakSpot:
    """A deck or a tag among the profile's cards, by mean expected recall on the day."""

    kind: str  # "deck" or "tag"
    key: str  # deck key, or the tag
    name: str  # deck name, or the tag
    cards: int
    new: int
    recall: float


@dataclass(frozen=True)
class WeakSpots:
    decks: tuple[WeakSpot, ...]
    tags: tuple[WeakSpot, ...]


def _ref(col: Collection, profile: ProfileRef | str | None) -> ProfileRef:
    return profile if isinstance(profile, ProfileRef) else Exams(col).profile(profile)


def weak_spots(
    col: Collection,
    profile: ProfileRef | str | None = None,
    *,
    now: datetime | None = None,
    limit: int = 5,
    min_cards: int = 3,
) -> WeakSpots:
    """The `limit` decks and tags of the profile's cards with the lowest mean expected
    recall on the exam day (each of at least `min_cards` cards)."""
    now = utc(now)
    ref = _ref(col, profile)
    at = prediction_moment(col, ref, now=now)
    prior = first_look_prior(col, ref, now=now)
    by_deck = scan(col, ref, now=now, at=at, prior=prior)
    by_tag = scan(col, ref, now=now, at=at, prior=prior, by_tag=True)
    with col._read() as s:
        names = {
            int(i): (str(k), str(n))
            for i, k, n in s.execute(text("SELECT id, key, name FROM decks WHERE present = 1"))
        }
    decks = [
        WeakSpot("deck", names[i][0], names[i][1], t.cards, t.new, t.mean(prior))
        for i, t in by_deck.groups.items()
        if int(i) in names and t.cards >= min_cards
    ]
    tags = [
        WeakSpot("tag", str(tag), str(tag), t.cards, t.new, t.mean(prior))
        for tag, t in by_tag.groups.items()
        if t.cards >= min_cards
    ]

    def lowest(items: Sequence[WeakSpot]) -> tuple[WeakSpot, ...]:
        return tuple(sorted(items, key=lambda w: (w.recall, -w.cards, w.name))[:limit])

    return WeakSpots(decks=lowest(decks), tags=lowest(tags))


_ROWS = (
    "SELECT c.id, c.state != 0 AND c.stability > 0 AND c.last_review IS NOT NULL, "
    "ifnull(c.stability, 1), ifnull(c.difficulty, 5), c.due, ifnull(c.last_review, 0), "
    "c.suspended, d.preset_id FROM cards c JOIN decks d ON d.id = c.deck_id "
    "WHERE c.present = 1 AND c.id IN ({marks})"
)


def weakest_cards(
    col: Collection,
    spot: WeakSpot,
    profile: ProfileRef | str | None = None,
    *,
    now: datetime | None = None,
    limit: int = STUDY_CARDS,
) -> list[CardId]:
    """The spot's cards in the profile, lowest expected recall on the day first (a new
    card counts at the prior); suspended cards left out."""
    now = utc(now)
    ref = _ref(col, profile)
    members: set[str] = set()
    for ids in Exams(col).domain_cards(ref, now=now).values():
        members.update(ids)
    query = f'deck:"{spot.key}"' if spot.kind == "deck" else f'tag:"{spot.key}"'
    from flashcards.collection.browse import search_cards

    ids = [i for i in search_cards(col, query, now=now) if i in members]
    if not ids:
        return []
    presets, position = presets_in_order(col)
    rows: list[Any] = []
    with col._read() as s:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            params = {f"i{k}": v for k, v in enumerate(chunk)}
            rows += s.execute(text(_ROWS.format(marks=marks)), params).all()
    rows = [r for r in rows if not r[6]]
    if not rows:
        return []
    prior = first_look_prior(col, ref, now=now)
    table = CardTable(
        studied=np.array([bool(r[1]) for r in rows]),
        stability=np.array([float(r[2]) for r in rows]),
        difficulty=np.array([float(r[3]) for r in rows]),
        due=np.array([float(r[4]) for r in rows]),
        last_review=np.array([float(r[5]) for r in rows]),
        suspended=np.zeros(len(rows), dtype=bool),
        preset=np.array([position.get(int(r[7]), 0) for r in rows], dtype=np.int64),
    )
    at = prediction_moment(col, ref, now=now)
    recall = expected_recall(
        table, at=at.timestamp(), now=now.timestamp(), presets=presets, new_prior=prior
    )
    # Studied cards first among equals: a new card is better met in the daily queue.
    order = sorted(range(len(rows)), key=lambda k: (recall[k], not rows[k][1], k))
    return [CardId(rows[k][0]) for k in order[:limit]]
