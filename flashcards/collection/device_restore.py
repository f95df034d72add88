"""After a backup is restored (backup.restore): the logs agree with the restored database.

The logs hold everything done since the backup was made, here and on other devices, and
merging them again would bring it all back. Restoring means going back, so this device
writes what makes the logs say what the backup says: an `undo` of every card event made
since, the undo or redo status the backup had for events undone or redone since, and the
backup's presets, deck presets and travelling settings. Other devices merge these like any
event: the restore travels. Restoring the backup made just before brings it all back the
same way (its events are redone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flashcards.collection.device_cache import only_new
from flashcards.collection.device_merge import read_new
from flashcards.collection.device_upgrade import global_snapshot
from flashcards.core.card_fold import cancelled_events
from flashcards.core.device_log import Event, decode_stored, short_ref

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync


def reconcile_restored(ds: DeviceSync) -> int:
    """Write the events that take the logs back to the restored database; how many."""
    if ds.readonly or not ds.device:
        return 0
    ds.ready()
    read = read_new(ds)
    with ds.col.db.raw_read() as cur:
        fresh = only_new(cur, read.events)
        if not fresh:
            return 0
        undone_then = cancelled_events(_undo_events(cur))
    undo: dict[str, None] = {}
    redo: dict[str, None] = {}
    undo_cards: dict[str, None] = {}
    redo_cards: dict[str, None] = {}
    for event in fresh:
        if not event.cards:
            continue
        if event.kind in ("undo", "redo"):
            for target in event.refs("u"):
                if target in undone_then:
                    undo[target] = None
                    undo_cards.update(dict.fromkeys(event.cards))
                else:
                    redo[target] = None
                    redo_cards.update(dict.fromkeys(event.cards))
        else:
            undo[event.id] = None
            undo_cards.update(dict.fromkeys(event.cards))
    for target in undo:
        redo.pop(target, None)
    written = 0
    with ds.batch() as log, ds.col.db.raw() as cur:
        for kind, targets, cards in (("redo", redo, redo_cards), ("undo", undo, undo_cards)):
            if targets:
                refs = [short_ref(t, ds.device) for t in targets]
                log.add(cur, kind, list(cards), {"u": refs}, time_ms=log.order_ms, many=True)
                written += 1
        if any(not e.cards for e in fresh):
            for kind, data in global_snapshot(cur):
                log.add(cur, kind, (), data, time_ms=log.order_ms)
                written += 1
    return written


def _undo_events(cur: object) -> Sequence[Event]:
    """The restored database's undo and redo events (one per id), in order."""
    seen: dict[str, Event] = {}
    for device, card, data in cur.execute(  # type: ignore[attr-defined]
        "SELECT device, card_id, data FROM events WHERE kind IN ('undo', 'redo') "
        "ORDER BY ord, device, seq"
    ):
        event = decode_stored(device, card, data)
        seen.setdefault(event.id, event)
    return list(seen.values())
