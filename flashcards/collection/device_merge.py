"""Merging the device logs into the database (docs/sync.md, "Merging").

Read what is new in every device's files, keep each event once in the `events` cache,
let the last setting, preset and deck-preset events win, and bring every card that got
events up to date: forward from its stored columns when its new events all come after its
old ones, else replayed from its whole history. The result depends only on the set of
events, so every device (and a database rebuilt from the logs) ends up the same.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flashcards.collection.device_cache import (
    card_columns,
    card_events,
    last_events,
    only_new,
    orphans_arrived,
    schedulers,
)
from flashcards.collection.device_log_repair import refill_own_log, repair_own_log
from flashcards.core.card_fold import COLUMNS, REPLAY_KINDS, REVIEW_INSERT, Folder
from flashcards.core.device_log import Event
from flashcards.core.gc_pause import gc_paused
from flashcards.core.model import CardId
from flashcards.storage.bulk_indexes import drop_indexes
from flashcards.storage.event_log import list_logs, read_log

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync

_UPDATE = "UPDATE cards SET " + ", ".join(f"{c} = ?" for c in COLUMNS) + " WHERE id = ?"


@dataclass
class MergeReport:
    """What a merge of the device logs did."""

    events: int = 0  # events new to this database
    cards: frozenset[CardId] = frozenset()  # cards whose columns or history changed
    replayed: int = 0  # of them, replayed from their whole history
    recomputed: int = 0  # answers recomputed: two devices answered without seeing each other
    settings: bool = False  # settings, presets or deck presets changed
    repaired: int = 0  # this device's events written to its log again
    problems: tuple[str, ...] = ()  # lines or files that could not be read
    devices: tuple[str, ...] = ()  # devices whose new events were merged

    @property
    def changed(self) -> bool:
        return bool(self.cards) or self.settings


@dataclass
class _Read:
    events: list[Event] = field(default_factory=list)
    files: list[tuple[str, int, int, int, int, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    own_max: int = 0  # greatest own sequence number the files hold
    own_shrank: bool = False  # an own file is shorter than what was read of it


def read_new(ds: DeviceSync) -> _Read:
    """The lines of every device's files that the last merge did not read."""
    out = _Read()
    infos = list_logs(ds.col.library, out.problems)
    with ds.col.db.raw_read() as cur:
        known = {
            r[0]: r[1:]
            for r in cur.execute(
                'SELECT path, size, mtime_ns, "offset", lines, max_seq FROM log_files'
            )
        }
    known.update({key: row[1:] for key, row in ds.pending_files.items()})
    for info in infos:
        prior = known.get(info.key)
        if prior is not None and prior[0] == info.size and prior[1] == info.mtime_ns:
            if info.device == ds.device:
                out.own_max = max(out.own_max, prior[4])
            continue
        resume = (
            prior is not None and not info.compressed and info.size >= prior[2] and prior[2] > 0
        )
        if info.device == ds.device and prior is not None and info.size < prior[2]:
            out.own_shrank = True  # replaced by an older copy: lines may be missing
        offset, lines, max_seq = 0, 0, 0
        if resume and prior is not None:
            offset, lines, max_seq = prior[2], prior[3], prior[4]
        try:
            result = read_log(info, offset=offset, first_line=lines + 1)
        except (OSError, EOFError, ValueError) as exc:
            out.problems.append(
                f"{info.path}: cannot read: {getattr(exc, 'strerror', None) or exc}"
            )
            continue
        out.problems.extend(result.problems)
        for event in result.events:
            if event.seq > max_seq:
                max_seq = event.seq
        out.events.extend(e for e in result.events if e.device == info.device)
        out.files.append(
            (info.key, info.size, info.mtime_ns, result.consumed, lines + result.lines, max_seq)
        )
        if info.device == ds.device:
            out.own_max = max(out.own_max, max_seq)
    return out


def merge_logs(ds: DeviceSync, *, now: datetime | None = None) -> MergeReport:
    """Merge what is new in every device's log (the module docstring)."""
    with gc_paused():  # a rebuild reads a million lines: no collection finds anything
        return _merge_logs(ds, now)


def _merge_logs(ds: DeviceSync, now: datetime | None) -> MergeReport:
    col = ds.col
    from flashcards.collection.device_heal import heal
    from flashcards.collection.device_seen import note_seen
    from flashcards.collection.device_upgrade import start_log

    heal(ds)  # an id two installations wrote under: a new one, the old one's files again
    start_log(ds)  # the first open after the upgrade: the database's history, once
    read = read_new(ds)
    problems = [*ds.problems, *read.problems]
    ds.problems.clear()
    if read.own_shrank or ds.writer.replaced or ds.write_failed:
        repaired = refill_own_log(ds)
    else:
        repaired = repair_own_log(ds, read.own_max)
    with col.db.raw_read() as cur:
        fresh = only_new(cur, read.events)
        arrived = bool(orphans_arrived(cur))
    # This device's own lines read back are only a new offset: kept in memory until a
    # merge writes anyway, so a merge with nothing new writes nothing (a full disk, a
    # read-only moment, and the database's change counter for backups).
    for row in read.files:
        ds.pending_files[row[0]] = row
    foreign = any(not key.startswith(ds.device + "/") for key in ds.pending_files)
    report = MergeReport()
    if fresh or arrived or foreign:
        with col.db.raw() as cur:
            report = _apply(ds, cur, fresh)
            cur.executemany(
                'INSERT OR REPLACE INTO log_files (path, size, mtime_ns, "offset", lines, '
                "max_seq) VALUES (?,?,?,?,?,?)",
                list(ds.pending_files.values()),
            )
            for event in fresh:
                ds.saw(event.order_ms)
            _save_clock(ds, cur)
        ds.pending_files.clear()
    ds.flush()
    note_seen(ds)
    _compact_daily(ds, now)
    report.problems = tuple(problems)
    report.repaired = repaired
    if report.cards or report.settings:
        col._undo.clear()  # its snapshots may be of states the merge replaced
        col._generation += 1
    if report.settings:
        col._reload()
    return report


def _compact_daily(ds: DeviceSync, now: datetime | None) -> None:
    """Once a day: this device's closed months that every device has read, compressed
    (device_seen.compact)."""
    from flashcards.collection.device_seen import compact

    now = ds.wall() if now is None else now
    day = now.date().toordinal()
    if ds.compacted_day == day:
        return
    ds.compacted_day = day
    compact(ds, now=now)


def save_files(ds: DeviceSync) -> None:
    """The offsets of this device's own files read back, kept by `merge_logs` in memory
    (at close)."""
    from flashcards.collection.device_sync import CLOCK_KEY

    if ds.pending_files or ds.clock > int(ds.col.setting(CLOCK_KEY) or 0):
        with ds.col.db.raw() as cur:
            cur.executemany(
                'INSERT OR REPLACE INTO log_files (path, size, mtime_ns, "offset", lines, '
                "max_seq) VALUES (?,?,?,?,?,?)",
                list(ds.pending_files.values()),
            )
            _save_clock(ds, cur)
        ds.pending_files.clear()


def _save_clock(ds: DeviceSync, cur: Any) -> None:
    from flashcards.collection.device_sync import CLOCK_KEY

    if ds.clock > int(ds.col.setting(CLOCK_KEY) or 0):
        cur.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            (CLOCK_KEY, json.dumps(ds.clock)),
        )
        ds.col._settings[CLOCK_KEY] = ds.clock


def _apply(ds: DeviceSync, cur: Any, fresh: Sequence[Event]) -> MergeReport:
    """Store `fresh` events and bring settings and cards up to date."""
    from flashcards.collection.device_sync import _store
    from flashcards.collection.device_travel import apply_global

    report = MergeReport(events=len(fresh))
    empty = cur.execute("SELECT 1 FROM events LIMIT 1").fetchone() is None
    per_card: dict[str, list[Event]] = defaultdict(list)
    global_events: list[Event] = []
    new_undo: set[str] = set()  # cards with new undo or redo events
    for event in fresh:
        cards = event.cards
        if len(cards) == 1:
            per_card[cards[0]].append(event)
        elif not cards:
            global_events.append(event)
        else:
            for index, card in enumerate(cards):
                per_card[card].append(event.for_card(index))
        if event.kind == "undo" or event.kind == "redo":
            new_undo.update(cards)
    last_old: dict[str, tuple[int, str, int]] = {}
    undone: set[str] = set()  # cards with undo or redo events already (they may name new ones)
    if not empty:
        last_old, undone = last_events(cur, per_card)
    # A rebuild (every event new to an empty cache): the rows in key order, and the
    # secondary indexes of the two big tables built once after instead of row by row.
    bulk = empty and len(fresh) > BULK_EVENTS
    tables: tuple[str, ...] = ("events", "reviews")
    if bulk:  # most cards' columns change: the cards' indexes made again once, too
        (count,) = cur.execute("SELECT COUNT(*) FROM cards").fetchone()
        if len(per_card) * 4 > count:
            tables = ("events", "reviews", "cards")
    rebuild = drop_indexes(cur, tables) if bulk else []
    if bulk:  # room for the big tables' pages while they fill (engine.py: 32 MB)
        cur.execute("PRAGMA cache_size=-262144")
    _store(cur, fresh, ordered=bulk)
    report.devices = tuple(sorted({e.device for e in fresh}))
    if global_events:
        report.settings = apply_global(ds, cur, global_events)
    arrived = orphans_arrived(cur)
    if not per_card and not arrived:
        for sql in rebuild:
            cur.execute(sql)
        if bulk:
            cur.execute("PRAGMA cache_size=-32000")
        return report
    existing = card_columns(cur, [*per_card, *arrived])
    missing = [c for c in per_card if c not in existing]
    if missing:
        cur.executemany(
            "INSERT OR IGNORE INTO event_orphans (card_id) VALUES (?)", [(c,) for c in missing]
        )
    folder = Folder(schedulers(cur))
    updates: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    cleared: list[tuple[str]] = []
    replayed = 0
    for card, columns in existing.items():
        new = per_card.get(card, [])
        old_last = last_old.get(card)
        forward = (
            card not in arrived
            and card not in undone
            and old_last is not None
            and all(e.key > old_last for e in new)
            and not any(e.kind in REPLAY_KINDS for e in new)
        )
        if forward:
            result = folder.fold(card, new, start=columns, undo=card in new_undo)
            if result.columns == columns and not result.rows:
                continue
        elif old_last is None and card not in arrived:  # every event of the card is new
            result = folder.fold(card, new, undo=card in new_undo)
            cleared.append((card,))
            replayed += 1
        else:
            result = folder.fold(card, card_events(cur, card))
            cleared.append((card,))
            replayed += 1
        updates.append((*result.columns.values(), card))
        rows.extend((card, *row) for row in result.rows)
    if cleared and not bulk:
        cur.executemany("DELETE FROM reviews WHERE card_id = ?", cleared)
    elif cleared:  # the reviews' card index is dropped: one pass, not a scan per card
        cur.execute(
            "DELETE FROM reviews WHERE card_id IN (SELECT value FROM json_each(?))",
            (json.dumps([c for (c,) in cleared]),),
        )
    if updates:
        cur.executemany(_UPDATE, updates)
    if rows:
        cur.executemany(REVIEW_INSERT, rows)
    if arrived:
        cur.executemany("DELETE FROM event_orphans WHERE card_id = ?", [(c,) for c in arrived])
    for sql in rebuild:
        cur.execute(sql)
    if bulk:
        cur.execute("PRAGMA cache_size=-32000")
    report.cards = frozenset(CardId(u[-1]) for u in updates)
    report.replayed = replayed
    report.recomputed = folder.recomputed
    return report


BULK_EVENTS = 20_000
