"""Lines this device just appended to its own log, noted as read (an import's).

The merge after a change reads every log file whose size or mtime differs from what it
last read (device_merge.read_new), this device's own file included, and drops the events
the database already holds. After an import that is thousands of lines parsed back to
find nothing new (a tenth of a second at 100,000 cards). When the file was read to its
end before the append, what the read would record is known without reading: the file's
new size and mtime, its line count grown by the lines written, its greatest sequence
number. `before_append` looks (inside the change's transaction, before the batch writes),
`after_append` notes the file in `pending_files` as the merge would. Anything unexpected
(a file changed meanwhile, a failed write, a size that is not the old one plus the lines)
notes nothing, and the merge reads the file as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards.core.device_log import Event, encode, log_name

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync

_ROW = 'SELECT path, size, mtime_ns, "offset", lines, max_seq FROM log_files WHERE path = ?'


@dataclass(frozen=True)
class OwnFile:
    """This device's month file as it was before the append, fully read."""

    name: str
    path: Path
    prior: tuple[str, int, int, int, int, int]  # its log_files row (zeros: a new file)


def before_append(ds: DeviceSync, cur: Any, order_ms: int) -> OwnFile | None:
    """The own file a batch of `order_ms` appends to, if the merges have read all of it;
    `cur` a DBAPI cursor of the open transaction."""
    if ds.readonly or not ds.device or ds.write_failed or ds.writer.replaced:
        return None
    name = log_name(order_ms)
    path = ds.folder / name
    key = f"{ds.device}/{name}"
    prior = ds.pending_files.get(key)
    if prior is None:
        row = cur.execute(_ROW, (key,)).fetchone()
        prior = tuple(row) if row is not None else None
    try:
        st = path.stat()
    except FileNotFoundError:
        # A file no merge has seen: the append starts it.
        return OwnFile(name, path, (key, 0, 0, 0, 0, 0)) if prior is None else None
    except OSError:
        return None
    if prior is None or (prior[1], prior[2], prior[3]) != (st.st_size, st.st_mtime_ns, st.st_size):
        return None
    return OwnFile(name, path, prior)


def after_append(ds: DeviceSync, before: OwnFile | None, events: Sequence[Event]) -> None:
    """Note `before`'s file as read to its new end, when `events` (just written by the
    batch) are exactly what it grew by."""
    if before is None or not events or ds.write_failed or ds.writer.replaced:
        return
    if any(log_name(e.order_ms) != before.name for e in events):
        return
    appended = sum(len(e.raw if e.raw is not None else encode(e)) for e in events)
    key, size, _mtime, _offset, lines, max_seq = before.prior
    try:
        st = before.path.stat()
    except OSError:
        return
    if st.st_size != size + appended:
        return
    top = max(max_seq, max(e.seq for e in events))
    ds.pending_files[key] = (key, st.st_size, st.st_mtime_ns, st.st_size, lines + len(events), top)
