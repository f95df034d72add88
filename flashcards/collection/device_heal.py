"""Two installations that wrote under one device id (docs/sync.md, "Device id"): a data
folder copied whole by a version that kept the id. Both appended to one log file; the
sync engine kept one version and a conflict copy of the other. Each installation that
finds a conflict copy in its own log folder takes a new id from then on, and reads that
folder again as the files say: its own lines and the copy's other lines (read as another
device, `storage.event_log.conflict_device`), so both machines hold the same events and
every card they touch is replayed from its whole history.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flashcards.collection.device_id import new_device_id
from flashcards.storage.event_log import LogWriter, devices_dir, is_conflict_copy

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync


def shared_id(ds: DeviceSync) -> bool:
    """Does this device's own folder hold a sync engine's conflict copy of a log?"""
    try:
        names = os.listdir(ds.folder)
    except OSError:
        return False
    return any(
        not n.startswith(".") and n.endswith((".log", ".log.gz")) and is_conflict_copy(n)
        for n in names
    )


def heal(ds: DeviceSync) -> str | None:
    """When the id is shared (`shared_id`): a new one, and the old id's events read again
    from the files (the cards they touch replayed). The old id, or None."""
    if ds.readonly or not ds.device or not shared_id(ds):
        return None
    col = ds.col
    old = ds.device
    ds.close_files()
    new = new_device_id(col.data_dir)
    with col.db.raw() as cur:
        cards = [
            (r[0],)
            for r in cur.execute(
                "SELECT DISTINCT card_id FROM events WHERE device = ? AND card_id != ''", (old,)
            )
        ]
        cur.execute("DELETE FROM events WHERE device = ?", (old,))
        cur.execute("DELETE FROM log_files WHERE substr(path, 1, ?) = ?", (len(old) + 1, old + "/"))
        cur.executemany("INSERT OR IGNORE INTO event_orphans (card_id) VALUES (?)", cards)
    col.set_setting("device_id", new)
    ds.device = new
    ds.folder = devices_dir(col.library) / new
    ds.writer = LogWriter(ds.folder)
    ds.pending_files = {k: v for k, v in ds.pending_files.items() if not k.startswith(old + "/")}
    ds.seen_written = None
    ds._digests.clear()
    ds._described = False
    ds._ready = False
    ds.seq = 0
    ds.ready()
    return old
