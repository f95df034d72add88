"""Writing this device's events back to its own log when the log lost some: a power
cut took its last lines, a write failed, or the file was replaced by an older copy. The
database's event cache holds them; `device_merge.merge_logs` calls this before merging."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flashcards.core.device_log import Event, decode_stored

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync


def repair_own_log(ds: DeviceSync, own_in_files: int) -> int:
    """This device's events the database holds beyond what its log files hold (a power
    cut took the log's last lines, or a write failed): written again."""
    with ds.col.db.raw_read() as cur:
        rows = cur.execute(
            "SELECT card_id, device, data FROM events WHERE device = ? AND seq > ? "
            "ORDER BY seq, card_id",
            (ds.device, own_in_files),
        ).fetchall()
    return _rewrite(ds, rows)


def _rewrite(ds: DeviceSync, rows: Sequence[tuple[str, str, str]]) -> int:
    """(card, device, data) rows of the cache as whole events, appended to the log."""
    if not rows:
        return 0
    grouped: dict[int, list[Event]] = defaultdict(list)
    for card, device, data in rows:
        event = decode_stored(device, card, data)
        grouped[event.seq].append(event)
    events = [_regroup(parts) for _seq, parts in sorted(grouped.items())]
    ds.write(events)
    return len(events)


def refill_own_log(ds: DeviceSync) -> int:
    """Every event of this device the database holds and its log files do not (the log
    was replaced under us, or a write failed): written again. Reads the device's files
    whole; rare."""
    from flashcards.storage.event_log import list_logs, read_log

    in_files: set[int] = set()
    for info in list_logs(ds.col.library):
        if info.device == ds.device:
            try:
                in_files.update(e.seq for e in read_log(info, offset=0, first_line=1).events)
            except (OSError, EOFError, ValueError):
                continue
    with ds.col.db.raw_read() as cur:
        rows = [
            r
            for r in cur.execute(
                "SELECT card_id, device, seq, data FROM events WHERE device = ? "
                "ORDER BY seq, card_id",
                (ds.device,),
            ).fetchall()
            if r[2] not in in_files
        ]
    ds.writer.replaced = False
    ds.write_failed = False
    return _rewrite(ds, [(card, device, data) for card, device, _seq, data in rows])


def _regroup(parts: list[Event]) -> Event:
    """One event from its rows (one per card) in the cache."""
    first = parts[0]
    if len(parts) == 1:
        return first
    cards = tuple(p.cards[0] for p in parts if p.cards)
    data: dict[str, Any] = dict(first.data)
    if first.kind == "state":
        data["v"] = [p.data.get("v") for p in parts]
    return Event(
        first.device, first.seq, first.time_ms, first.order_ms, first.kind, cards, data, True
    )
