"""The first open after the upgrade (docs/sync.md, "Upgrade"): everything the database
holds goes into this device's log once, so it travels like new answers.

Every review row becomes part of a `history` event (verbatim), every card with history
or a scheduling state, flag, suspension or burying a `state` event with all its columns,
every preset a `preset` event, every deck not on the default preset a `deck-preset`
event, every travelling setting a `setting` event; in one compressed file,
`upgrade-<stamp>.log.gz`. Each card's `head` becomes its state event.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from flashcards.collection.device_travel import DEFAULT_UID, TRAVELS, preset_data, preset_uid
from flashcards.core.card_fold import COLUMNS, REVIEW_COLUMNS
from flashcards.core.device_log import Event, encode
from flashcards.core.scheduling import Preset
from flashcards.storage.convert import preset_columns, preset_of
from flashcards.storage.event_log import write_compressed

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync

_CARDS = (
    "SELECT id, " + ", ".join(COLUMNS[:-1]) + " FROM cards WHERE state != 0 OR suspended != 0 "
    "OR flag != 0 OR buried_until != 0 OR reps != 0 OR lapses != 0 "
    "OR id IN (SELECT card_id FROM reviews)"
)
_REVIEWS = (
    "SELECT card_id, " + ", ".join(REVIEW_COLUMNS) + " FROM reviews ORDER BY card_id, time_ms, id"
)
_PRESET_COLUMNS = (
    "name, desired_retention, learning_steps, relearning_steps, maximum_interval, "
    "enable_fuzzing, new_per_day, reviews_per_day, parameters, new_gather, new_sort, "
    "leech_threshold, leech_action, load_balancing, easy_days"
)


def start_log(ds: DeviceSync) -> int:
    """Write the database into this device's log if it never was; the events written."""
    from flashcards.collection.device_sync import STARTED_KEY, _store, now_ms

    col = ds.col
    if col.setting(STARTED_KEY):
        return 0
    when = now_ms(ds.wall())
    order = max(when, ds.clock + 1)  # the clock moves only if something is written
    events: list[Event] = []

    def add(kind: str, cards: tuple[str, ...], data: dict[str, Any]) -> Event:
        event = Event(ds.device, ds.seq + len(events) + 1, when, order, kind, cards, data)
        events.append(event)
        return event

    heads: list[tuple[str, str]] = []
    with col.db.raw() as cur:
        untouched = preset_columns(Preset())
        for kind, data in global_snapshot(cur):
            if kind == "preset" and data["u"] == DEFAULT_UID and data["v"] == untouched:
                continue  # every device starts with it
            add(kind, (), data)
        history: dict[str, list[list[Any]]] = defaultdict(list)
        for card, *row in cur.execute(_REVIEWS):
            history[card].append(row)
        for card, *values in cur.execute(_CARDS).fetchall():
            if card in history:
                add("history", (card,), {"v": history.pop(card)})
            state = dict(zip(COLUMNS[:-1], values, strict=True))
            state["suspended"] = bool(state["suspended"])
            heads.append((add("state", (card,), {"v": state}).id, card))
        for card, rows in history.items():  # rows of cards no longer in the table
            add("history", (card,), {"v": rows})
        if events:
            ds.seq += len(events)
            ds.tick(order)
            stamp = f"{order}"
            ds.folder.mkdir(parents=True, exist_ok=True)
            write_compressed(
                ds.folder / f"upgrade-{stamp}.log.gz", b"".join(encode(e) for e in events)
            )
            _store(cur, events)
            cur.executemany("UPDATE cards SET head = ? WHERE id = ?", heads)
        cur.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, 'true')", (STARTED_KEY,)
        )
    col._settings[STARTED_KEY] = True
    return len(events)


def global_snapshot(cur: Any) -> list[tuple[str, dict[str, Any]]]:
    """The presets, deck presets and travelling settings this database holds, as
    (kind, payload) of the events that say so."""
    out: list[tuple[str, dict[str, Any]]] = []
    names = [n.strip() for n in _PRESET_COLUMNS.split(",")]
    for preset_id, *values in cur.execute(
        f"SELECT id, {_PRESET_COLUMNS} FROM presets ORDER BY id"
    ).fetchall():
        preset = preset_of(**dict(zip(names, values, strict=True)))
        out.append(("preset", preset_data(cur, preset_id, preset)))
    for key, preset_id in cur.execute(
        "SELECT key, preset_id FROM decks WHERE preset_id != 1 ORDER BY key"
    ).fetchall():
        out.append(("deck-preset", {"deck": key, "u": preset_uid(cur, preset_id)}))
    for key, value in cur.execute("SELECT key, value FROM settings ORDER BY key").fetchall():
        if key in TRAVELS:
            out.append(("setting", {"key": key, "v": json.loads(value)}))
    return out
