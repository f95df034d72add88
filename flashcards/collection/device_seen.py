"""What each device has merged of the others' logs, and compacting old months
(docs/sync.md, "Compaction").

Every device writes, in its own folder, `seen.json`: for each other device's log file it
has read to the end, the size it had. A device compacts only its own files, and a month
file only when it is closed (the month ended at least `CLOSED_DAYS` ago) and every device
known to the library has seen all of it: nobody can still need it in its old form.
"""

from __future__ import annotations

import contextlib
import gzip
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.core.device_log import encode, read_lines
from flashcards.storage.event_log import devices_dir, read_json, write_compressed, write_json

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync

SEEN_FILE = "seen.json"
CLOSED_DAYS = 31


def note_seen(ds: DeviceSync) -> None:
    """Write this device's `seen.json` if it has read more since."""
    with ds.col.db.raw_read() as cur:
        rows = cur.execute('SELECT path, size, "offset" FROM log_files').fetchall()
    files = {
        path: size
        for path, size, offset in rows
        if not path.startswith(ds.device + "/") and (offset >= size or path.endswith(".gz"))
    }
    path = ds.folder / SEEN_FILE
    if ds.seen_written == files:
        return
    stored = read_json(path)
    if (stored is None and files) or (stored is not None and stored.get("files") != files):
        with contextlib.suppress(OSError):
            write_json(path, {"device": ds.device, "files": files})
    ds.seen_written = files


def compactable(ds: DeviceSync, *, now: datetime) -> list[str]:
    """Names of this device's month files every other device has seen whole, of months
    that ended `CLOSED_DAYS` or more before `now`."""
    root = devices_dir(ds.col.library)
    others: list[dict[str, int]] = []
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if folder.name == ds.device or not folder.is_dir():
                continue
            seen = read_json(folder / SEEN_FILE) or {}
            files = seen.get("files")
            others.append(files if isinstance(files, dict) else {})
    horizon = now.astimezone(UTC) - timedelta(days=CLOSED_DAYS)
    names: list[str] = []
    with contextlib.suppress(OSError):
        for path in sorted(ds.folder.glob("reviews-*.log")):
            month = path.name[len("reviews-") : -len(".log")]
            try:
                start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
            except ValueError:
                continue
            end = (start + timedelta(days=32)).replace(day=1)
            if end > horizon:
                continue
            size = path.stat().st_size
            key = f"{ds.device}/{path.name}"
            if all(files.get(key) == size for files in others):
                names.append(path.name)
    return names


def compact(ds: DeviceSync, *, now: datetime) -> list[str]:
    """Compact this device's closed month files that nobody still needs as they are:
    each is written gzip-compressed (`.log.gz`, every event kept: a device that joins
    later rebuilds from them) and checked, then the plain file is removed. A reader that
    sees both counts each line once. A month compacted before (its plain file made again
    when the clock had been ahead and was set back) is merged into the archive there:
    its lines first, then the new ones it lacks, never one lost. Returns the files
    compacted."""
    done: list[str] = []
    for name in compactable(ds, now=now):
        if ds.writer_has(name):
            continue
        plain = ds.folder / name
        try:
            data = plain.read_bytes()
        except OSError:
            continue
        result = read_lines(data, device=ds.device, path=name)
        if result.problems or result.consumed != len(data):
            continue  # keep a file with bad lines (or a torn one) as it is
        target = ds.folder / (name + ".gz")
        before = _archive(target, ds.device)
        if before is None:
            continue  # an archive that cannot be read is left alone, and so is the month
        have = set(before.splitlines(keepends=True))
        added = [line for line in (encode(e) for e in result.events) if line not in have]
        kept = before + b"".join(dict.fromkeys(added))
        try:
            write_compressed(target, kept)  # a temp file beside it, renamed over
            with gzip.open(target, "rb") as check:
                if check.read() != kept:
                    raise OSError("the compressed file does not read back")
            plain.unlink()
        except OSError:
            with contextlib.suppress(OSError):
                if before:
                    write_compressed(target, before)
                else:
                    target.unlink()
            continue
        done.append(name)
    return done


def _archive(target: Path, device: str) -> bytes | None:
    """The lines of an earlier compaction of the month (b"" when there is none); None
    when it cannot be read whole."""
    try:
        with gzip.open(target, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return b""
    except (OSError, EOFError, zlib.error):
        return None
    result = read_lines(data, device=device, path=target.name, final=True)
    if result.problems:
        return None
    return data if not data or data.endswith(b"\n") else data + b"\n"
