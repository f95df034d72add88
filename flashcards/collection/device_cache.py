"""What the merge asks of the events cache (docs/sync.md, "Merging").

Which read events are new to it, the last cached event of a card, a card's whole
history and its stored columns, the schedulers answers name, and the cards whose deck
file arrived after their events. (The indexes a rebuild drops while it fills the tables:
`storage/bulk_indexes.drop_indexes`.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from flashcards.core.card_fold import COLUMNS, Columns, scheduler_preset
from flashcards.core.device_log import Event, decode_stored
from flashcards.core.scheduling import Preset

_CHUNK = 500
_EVENT_KEY = attrgetter("order_ms", "device", "seq")
_CARD_COLUMNS = "SELECT id, " + ", ".join(COLUMNS) + " FROM cards WHERE id IN ({marks})"
_LAST_EVENT = (
    "SELECT ord, device, seq FROM events WHERE card_id = ? "
    "ORDER BY ord DESC, device DESC, seq DESC LIMIT 1"
)
_HAS_UNDO = "SELECT 1 FROM events WHERE card_id = ? AND kind IN ('undo', 'redo') LIMIT 1"
_CARD_EVENTS = "SELECT device, data FROM events WHERE card_id = ? ORDER BY ord, device, seq"


def only_new(cur: Any, events: Sequence[Event]) -> list[Event]:
    """`events` not in the cache yet, each once (a line read twice counts once)."""
    by_device: dict[str, dict[int, Event]] = defaultdict(dict)
    for event in events:
        by_device[event.device].setdefault(event.seq, event)
    fresh: list[Event] = []
    for device, found in by_device.items():
        low, high = min(found), max(found)
        known = {
            r[0]
            for r in cur.execute(
                "SELECT seq FROM events WHERE device = ? AND seq BETWEEN ? AND ?",
                (device, low, high),
            )
        }
        fresh.extend(e for seq, e in found.items() if seq not in known)
    fresh.sort(key=_EVENT_KEY)  # Event.key
    return fresh


def last_events(cur: Any, cards: Iterable[str]) -> tuple[dict[str, tuple[int, str, int]], set[str]]:
    """The key of the last cached event of each of `cards` that has one, and those of them
    with undo or redo events already (they may name new ones)."""
    last: dict[str, tuple[int, str, int]] = {}
    undone: set[str] = set()
    for card in cards:
        row = cur.execute(_LAST_EVENT, (card,)).fetchone()
        if row is not None:
            last[card] = (row[0], row[1], row[2])
            if cur.execute(_HAS_UNDO, (card,)).fetchone() is not None:
                undone.add(card)
    return last, undone


def orphans_arrived(cur: Any) -> list[str]:
    """Cards named by events before their deck file arrived, now in the library."""
    return [
        r[0]
        for r in cur.execute(
            "SELECT o.card_id FROM event_orphans o JOIN cards c ON c.id = o.card_id"
        )
    ]


def card_columns(cur: Any, ids: Iterable[str]) -> dict[str, Columns]:
    unique = list(dict.fromkeys(ids))
    found: dict[str, Columns] = {}
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        sql = _CARD_COLUMNS.format(marks=",".join("?" * len(chunk)))
        for row in cur.execute(sql, chunk):
            found[row[0]] = Columns.of(row[1:])
    return found


def card_events(cur: Any, card: str) -> list[Event]:
    return [decode_stored(r[0], card, r[1]) for r in cur.execute(_CARD_EVENTS, (card,)).fetchall()]


def schedulers(cur: Any) -> dict[str, Preset]:
    """Every scheduler an answer may name, by digest."""
    found: dict[str, Preset] = {}
    for device, data in cur.execute(
        "SELECT device, data FROM events WHERE card_id = '' AND kind = 'scheduler'"
    ).fetchall():
        event = decode_stored(device, "", data)
        digest, values = event.data.get("h"), event.data.get("v")
        if isinstance(digest, str) and isinstance(values, dict):
            found.setdefault(digest, scheduler_preset(values))
    return found
