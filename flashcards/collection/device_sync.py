"""Studying on several machines (docs/sync.md): this device's log and merging the others'.

    col.devices.batch()   # what every scheduling change writes through (review.py …)
    col.devices.merge()   # read the logs of every device, replay what changed (col.sync)

A change is written in the database's transaction (an `events` row per card, the card's
`head`); the lines go to this device's month file as soon as the transaction has
committed, before the change is acknowledged. The line reaches the operating system
(`write`), which an application crash or kill cannot undo, and is fsynced on merge, on
backup and on close: the promise SQLite makes with `synchronous=NORMAL`. An fsync per
answer would cost more than the whole answer. Whatever a power cut takes from one side is
put back from the other: events the database has and the log lacks are written again, and
events the log has and the database lacks are merged.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from flashcards.collection.base import utc
from flashcards.collection.device_id import DEVICE_FILE, device_id, machine_name
from flashcards.collection.views import SyncReport
from flashcards.core.card_fold import scheduler_digest, scheduler_values
from flashcards.core.device_log import Event, _event, encode, log_name, payload_json
from flashcards.core.errors import FlashcardsError
from flashcards.core.scheduling import Preset
from flashcards.storage.event_log import (
    LogWriter,
    devices_dir,
    last_written,
    read_json,
    remove_temp_files,
    write_json,
)

if TYPE_CHECKING:
    from flashcards.collection.collection import Collection
    from flashcards.collection.device_merge import MergeReport

CLOCK_KEY = "device_log_clock"  # the greatest order time written or merged
STARTED_KEY = "device_log_started"  # the database's history is in this device's log
# The files of this device's folder written atomically (device.json, seen.json, compacted
# months, the upgrade's history): a temp file of theirs left by a kill is removed on open.
OWN_TEMP_PREFIXES = ("device.json.", "seen.json.", "reviews-", "upgrade-")

_INSERT = (
    "INSERT OR IGNORE INTO events (card_id, ord, device, seq, kind, data) VALUES (?,?,?,?,?,?)"
)


def now_ms(now: datetime) -> int:
    return round(now.timestamp() * 1000)


def _cursor(conn: Session | sqlite3.Cursor) -> Any:
    """Something with `execute`/`executemany` taking `?` parameters."""
    if isinstance(conn, sqlite3.Cursor):
        return conn
    return conn.connection().connection.driver_connection  # the DBAPI connection


class Batch:
    """The events of one change: written to the cache with the change, to the log after
    its commit. All share one order time (one moment of this device's clock)."""

    def __init__(self, owner: DeviceSync, order_ms: int) -> None:
        self.owner = owner
        self.order_ms = order_ms
        self.events: list[Event] = []

    def add(
        self,
        conn: Session | sqlite3.Cursor,
        kind: str,
        cards: Sequence[str],
        data: Mapping[str, Any],
        *,
        time_ms: int,
        many: bool = False,
    ) -> Event:
        """Record an event in the cache through `conn` (the change's transaction)."""
        owner = self.owner
        if kind == "answer":
            digest = data.get("h")
            if isinstance(digest, str):
                self._scheduler(conn, digest, time_ms)
        owner.seq += 1
        event = _event(
            owner.device,
            owner.seq,
            time_ms,
            self.order_ms,
            kind,
            tuple(cards),
            dict(data),
            many or len(cards) > 1,
        )
        object.__setattr__(event, "raw", encode(event))  # one encoding: line and cache
        _store(_cursor(conn), [event])
        self.events.append(event)
        return event

    def cursor(self, conn: Session | sqlite3.Cursor) -> Any:
        """The DBAPI handle of `conn` (for helpers that run plain SQL in its transaction)."""
        return _cursor(conn)

    def add_many(self, conn: Session | sqlite3.Cursor, events: Sequence[Event]) -> None:
        """Events made by the caller with `owner.next_seq()` numbers (bulk writers)."""
        _store(_cursor(conn), events)
        self.events.extend(events)

    def _scheduler(self, conn: Session | sqlite3.Cursor, digest: str, time_ms: int) -> None:
        """Before the first answer of a file naming `digest`, the scheduler it names."""
        owner = self.owner
        name = log_name(self.order_ms)
        written = owner.digests_in(name)
        if digest in written or any(
            e.kind == "scheduler" and e.data.get("h") == digest for e in self.events
        ):
            return
        preset = owner.scheduler_presets.get(digest)
        if preset is None:
            return
        owner.seq += 1
        event = Event(
            owner.device,
            owner.seq,
            time_ms,
            self.order_ms,
            "scheduler",
            (),
            {"h": digest, "v": scheduler_values(preset)},
        )
        _store(_cursor(conn), [event])
        self.events.append(event)


def _store(cur: Any, events: Sequence[Event], *, ordered: bool = False) -> None:
    """The events' rows in the cache (`ordered`: `events` are sorted by `Event.key`; the
    rows go in the table's key order, for a bulk load)."""
    rows = []
    for event in events:
        cards = event.cards
        if len(cards) <= 1 and not event.many:
            card = cards[0] if cards else ""
            rows.append(
                (card, event.order_ms, event.device, event.seq, event.kind, payload_json(event))
            )
            continue
        for index, card in enumerate(cards):
            one = event.for_card(index)
            rows.append(
                (card, event.order_ms, event.device, event.seq, event.kind, payload_json(one))
            )
    if ordered:  # stable: by card, each card's rows already in (ord, device, seq) order
        rows.sort(key=itemgetter(0))
    if len(rows) == 1:
        cur.execute(_INSERT, rows[0])
    elif rows:
        cur.executemany(_INSERT, rows)


class DeviceSync:
    """This device's log and the merge of every device's (composition: `col.devices`)."""

    def __init__(self, col: Collection) -> None:
        self.col = col
        self.readonly = col.db.readonly
        legacy = str(col.setting("device_id") or "")
        if not self.readonly:  # a write killed before its rename left its temp file
            remove_temp_files(col.data_dir, (DEVICE_FILE + ".",))
        self.device = device_id(col.data_dir, adopt=legacy, readonly=self.readonly)
        self.folder = devices_dir(col.library) / self.device if self.device else col.library
        if not self.readonly and self.device:
            remove_temp_files(self.folder, OWN_TEMP_PREFIXES)
        self.writer = LogWriter(self.folder)
        self.seq = 0
        self.clock = 0
        # The time of changes made without a `now` (settings, presets, flags, undo); tests
        # set a fixed one.
        self.wall: Callable[[], datetime] = lambda: utc(None)
        self.problems: list[str] = []  # log writes that failed (repaired at the next merge)
        self.write_failed = False
        self.scheduler_presets: dict[str, Preset] = {}
        self._digests: dict[str, set[str]] = {}
        self._digest_of: dict[int, tuple[Preset, str]] = {}  # by the preset's identity
        self._described = False  # device.json was found or written
        self._ready = False
        self.seen_written: dict[str, int] | None = None  # device_seen.note_seen
        self.compacted_day = 0  # the day compaction last looked (device_merge)
        # log_files rows of this device's own files read back, not yet stored (merge)
        self.pending_files: dict[str, tuple[str, int, int, int, int, int]] = {}
        if not self.readonly and self.device and legacy != self.device:
            col.set_setting("device_id", self.device)  # the history's device column

    # -- counting --------------------------------------------------------------------------

    def ready(self) -> None:
        """Counters from the cache and the log (where a lost database left off)."""
        if self._ready or self.readonly:
            return
        with self.col.db.raw_read() as cur:
            row = cur.execute(
                "SELECT MAX(seq) FROM events WHERE device = ?", (self.device,)
            ).fetchone()
        seq, order = last_written(self.folder)
        self.seq = max(int(row[0] or 0), seq)
        self.clock = max(self.clock, int(self.col.setting(CLOCK_KEY) or 0), order)
        self._ready = True

    def tick(self, when_ms: int) -> int:
        """The order time of a change made at `when_ms`: after everything this device
        has written or merged, so an event sorts after every event it could know."""
        self.clock = max(when_ms, self.clock + 1)
        return self.clock

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def saw(self, order_ms: int) -> None:
        """A merged event's order time (the clock never goes back behind it)."""
        if order_ms > self.clock:
            self.clock = order_ms

    def digests_in(self, name: str) -> set[str]:
        """The scheduler digests already written in this device's file `name`."""
        found = self._digests.get(name)
        if found is None:
            found = set()
            path = self.folder / name
            with contextlib.suppress(OSError), open(path, "rb") as handle:
                for line in handle:
                    if b'"k":"scheduler"' in line:
                        start = line.find(b'"h":"')
                        if start >= 0:
                            found.add(line[start + 5 : start + 13].decode("ascii", "replace"))
            self._digests[name] = found
        return found

    def scheduler_for(self, preset: Preset) -> str:
        """The digest answers scheduled with `preset` record (kept by the preset object:
        an answer asks with the one it was given)."""
        hit = self._digest_of.get(id(preset))
        if hit is not None and hit[0] is preset:
            return hit[1]
        digest = scheduler_digest(preset)
        self.scheduler_presets.setdefault(digest, preset)
        if len(self._digest_of) >= 64:
            self._digest_of.clear()
        self._digest_of[id(preset)] = (preset, digest)
        return digest

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self, when: datetime | None = None) -> Iterator[Batch]:
        """Enter before the change's transaction, so the lines are written after its
        commit: `with col.devices.batch(now) as log, col.db.raw() as cur: …`."""
        if self.readonly:
            yield Batch(self, 0)
            return
        self.ready()
        seq, clock = self.seq, self.clock
        batch = Batch(self, self.tick(now_ms(when if when is not None else self.wall())))
        try:
            yield batch
        except BaseException:
            self.seq, self.clock = seq, clock  # rolled back: nothing was written
            raise
        if batch.events:
            self.write(batch.events)
        else:
            self.clock = clock  # nothing happened: the clock stays

    def write(self, events: Sequence[Event]) -> None:
        """Append `events` (committed) to this device's log, one write per month file."""
        by_file: dict[str, list[bytes]] = {}
        for event in events:
            line = event.raw if event.raw is not None else encode(event)
            by_file.setdefault(log_name(event.order_ms), []).append(line)
            if event.kind == "scheduler":
                self.digests_in(log_name(event.order_ms)).add(str(event.data.get("h")))
        try:
            if not self._described or any(n != self.writer.current for n in by_file):
                self._describe_device()  # once, and again whenever a file is opened
                self._described = True
            for name, lines in by_file.items():
                self.writer.append(name, b"".join(lines))
        except OSError as exc:
            # Committed in the database: the next merge writes the lines again.
            self.problems.append(f"cannot write {self.folder}: {exc.strerror or exc}")
            self.write_failed = True

    def _describe_device(self) -> None:
        path = self.folder / "device.json"
        if not path.exists():
            write_json(path, {"id": self.device, "name": machine_name()})

    def writer_has(self, name: str) -> bool:
        return self.writer.current == name

    def flush(self) -> None:
        """fsync what was appended (merge, backup, close)."""
        if not self.readonly:
            try:
                self.writer.sync()
            except OSError as exc:
                self.problems.append(f"cannot flush {self.folder}: {exc.strerror or exc}")

    def close_files(self) -> None:
        """fsync and close this device's open log file (a restore replaces the database)."""
        with contextlib.suppress(OSError):
            self.writer.close()

    def close(self) -> None:
        if self.readonly:
            return
        with contextlib.suppress(OSError):
            self.writer.close()
        if self._ready:
            from flashcards.collection.device_merge import save_files

            with contextlib.suppress(FlashcardsError):
                save_files(self)  # and the clock

    # -- merging ---------------------------------------------------------------------------

    def merge(self, *, now: datetime | None = None) -> MergeReport:
        """Read every device's log and replay what is new (see device_merge); `now`
        decides which closed months may be compacted (the wall clock when None)."""
        from flashcards.collection.device_merge import MergeReport, merge_logs

        if self.readonly or not self.device:
            return MergeReport()
        self.ready()
        return merge_logs(self, now=now)

    def known_devices(self) -> dict[str, str]:
        """Device id -> machine name of every device with a folder in the library."""
        found: dict[str, str] = {}
        root = devices_dir(self.col.library)
        with contextlib.suppress(OSError):
            for folder in sorted(root.iterdir()):
                info = read_json(folder / "device.json") or {}
                found[folder.name] = str(info.get("name") or folder.name)
        return found


def merged_into(report: SyncReport, merged: MergeReport) -> SyncReport:
    """A library sync's report with what merging the device logs did."""
    if not (merged.events or merged.problems or merged.cards or merged.settings):
        return report
    return replace(
        report,
        events_merged=merged.events,
        cards_merged=merged.cards,
        settings_merged=merged.settings,
        errors=report.errors + merged.problems,
    )
