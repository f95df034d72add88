"""The device logs on disk: this device's append-only files, and reading every device's.

    <library>/.flashcards/devices/<device id>/reviews-YYYY-MM.log      (appended)
    <library>/.flashcards/devices/<device id>/reviews-YYYY-MM.log.gz   (compacted)
    <library>/.flashcards/devices/<device id>/upgrade-<stamp>.log.gz   (written once)

Only the device a folder is named after writes in it, so no two machines ever write one
file and a sync engine never sees a conflict. Every `*.log` / `*.log.gz` file of a device
folder is read, whatever else its name says. A sync engine's conflict copy of a log
(`reviews-2026-03.sync-conflict-….log`, `… (conflicted copy …).log`) means two
installations wrote under one id (a data folder copied whole by an older version): its
lines that the folder's own files do not hold are another device's, read as the device
`<id>-<digest of the copy's name>` (`conflict_device`), the same on every machine. Line
format: `core.device_log`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashcards.core.device_log import ReadResult, read_lines
from flashcards.core.ids import write_atomic

LOG_DIR = ".flashcards"
DEVICES_DIR = "devices"
DEVICE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_GZ_BYTES = 2 << 30  # a compacted file larger than this unpacked is not read
# The names a device gives its own files; any other log file in its folder is a copy a
# sync engine made of a conflict.
OWN_LOG_NAME = re.compile(r"^(reviews-\d{4}-\d{2}\.log(\.gz)?|upgrade-[0-9]+\.log\.gz)$")


def is_conflict_copy(name: str) -> bool:
    return not OWN_LOG_NAME.match(name)


def conflict_device(device: str, name: str) -> str:
    """The device a conflict copy `name` in `device`'s folder is read as."""
    return f"{device}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def devices_dir(library: Path) -> Path:
    return library / LOG_DIR / DEVICES_DIR


@dataclass(frozen=True)
class LogFileInfo:
    """A log file found on disk. `key` is `<device>/<name>` (how the cache names it)."""

    device: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def key(self) -> str:
        return f"{self.device}/{self.path.name}"

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")

    @property
    def conflict(self) -> bool:
        """A sync engine's conflict copy (read whole, as another device: module doc)."""
        return self.device != self.path.parent.name


def list_logs(library: Path, problems: list[str] | None = None) -> list[LogFileInfo]:
    """Every device's log files (regular files only), by device then name. Folders
    that are not device ids and files that cannot be looked at are skipped (named in
    `problems`)."""
    root = devices_dir(library)
    found: list[LogFileInfo] = []
    try:
        folders = sorted(os.scandir(root), key=lambda e: e.name)
    except FileNotFoundError:
        return found
    except OSError as exc:
        if problems is not None:
            problems.append(f"{root}: cannot read the folder: {exc.strerror or exc}")
        return found
    for folder in folders:
        if folder.name.startswith(".") or not DEVICE_NAME.match(folder.name):
            continue
        try:
            if not folder.is_dir():
                continue
            entries = sorted(os.scandir(folder.path), key=lambda e: e.name)
        except OSError as exc:
            if problems is not None:
                problems.append(f"{folder.path}: cannot read the folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not name.endswith((".log", ".log.gz")):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                if problems is not None:
                    problems.append(f"{entry.path}: cannot read: {exc.strerror or exc}")
                continue
            device = conflict_device(folder.name, name) if is_conflict_copy(name) else folder.name
            found.append(LogFileInfo(device, Path(entry.path), st.st_size, st.st_mtime_ns))
    return found


def read_log(info: LogFileInfo, *, offset: int, first_line: int) -> ReadResult:
    """The whole lines of a log from byte `offset` (a compressed file: all of it,
    `offset` ignored). OSError when it cannot be read."""
    label = f"{LOG_DIR}/{DEVICES_DIR}/{info.key}"
    if info.conflict:
        return _read_conflict_copy(info, label)
    if info.compressed:
        with gzip.open(info.path, "rb") as handle:
            data = handle.read(MAX_GZ_BYTES)
        return read_lines(data, device=info.device, path=label, final=True)
    with open(info.path, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    result = read_lines(data, device=info.device, path=label, first_line=first_line)
    result.consumed += offset
    return result


def _read_conflict_copy(info: LogFileInfo, label: str) -> ReadResult:
    """A conflict copy's lines that its folder's own files do not hold (the history both
    installations shared before they parted), whole, as `info.device`'s."""
    data = _whole(info.path)
    shared: set[bytes] = set()
    for path in info.path.parent.iterdir():
        if OWN_LOG_NAME.match(path.name) and path.is_file():
            shared.update(line.strip() for line in _whole(path).splitlines())
    end = data.rfind(b"\n") + 1
    lines = [line for line in data[:end].splitlines(keepends=True)]
    own = b"".join(line for line in lines if line.strip() not in shared)
    result = read_lines(own, device=info.device, path=label, final=True)
    result.consumed = info.size
    return result


def _whole(path: Path) -> bytes:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read(MAX_GZ_BYTES)
    return path.read_bytes()


def last_written(folder: Path) -> tuple[int, int]:
    """The greatest sequence number and order time in a device folder's plain logs'
    last lines ((0, 0) when there are none): where this device goes on counting if its
    database was lost or restored from a backup."""
    best_seq = best_order = 0
    try:
        names = [p for p in folder.iterdir() if p.name.endswith(".log")]
    except OSError:
        return 0, 0
    for path in names:
        for line in _tail_lines(path):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            seq, order = obj.get("i"), obj.get("o", obj.get("t"))
            if isinstance(seq, int) and isinstance(order, int):
                best_seq, best_order = max(best_seq, seq), max(best_order, order)
                break
    return best_seq, best_order


def _tail_lines(path: Path, size: int = 65536) -> Iterator[bytes]:
    """The complete lines at the end of `path`, last first."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            handle.seek(max(0, end - size))
            data = handle.read()
    except OSError:
        return
    lines = data.split(b"\n")
    # The last piece is torn (or empty after the final newline); the first may be cut.
    for line in reversed(lines[1 if end > size else 0 : -1]):
        if line.strip():
            yield line


class LogWriter:
    """Appends this device's lines to its month files (one `write` per batch).

    A file is opened for appending once and kept open; on first use a torn tail (a
    crash in the middle of a write, never acknowledged) is cut off first. `append`
    returns where the file ended before, for `cut_back` when the caller's transaction
    fails.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._name: str | None = None
        self._path: Path = folder  # the open file's path (and as a string, for os.stat)
        self._path_str = ""
        self._fd: int | None = None
        self.dirty = False  # written since the last fsync
        self.replaced = False  # the open file was replaced under us (lines may be missing)

    def append(self, name: str, data: bytes) -> tuple[Path, int]:
        """Write `data` (whole lines) at the end of file `name`; (path, old size)."""
        fd = self._open(name)
        start = os.lseek(fd, 0, os.SEEK_END)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        self.dirty = True
        return self._path, start

    @property
    def current(self) -> str | None:
        """The name of the file open for appending."""
        return self._name

    def cut_back(self, path: Path, size: int) -> None:
        """Remove what was appended after `size` (a batch whose commit failed)."""
        with open(path, "r+b") as handle:
            handle.truncate(size)

    def sync(self) -> None:
        """fsync the open file (merge, backup, close)."""
        if self._fd is not None and self.dirty:
            os.fsync(self._fd)
        self.dirty = False

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None
                self._name = None

    def _open(self, name: str) -> int:
        if self._fd is not None and self._name == name:
            # A sync engine (or a person) may have replaced the file: then write to the
            # one at the path, not to the unlinked one still open (what the new file
            # lacks, the next merge writes again from the database).
            try:
                if os.stat(self._path_str).st_ino == os.fstat(self._fd).st_ino:
                    return self._fd
            except OSError:
                pass
            self.replaced = True
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        _cut_torn_tail(path)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        self._fd = os.open(path, flags, 0o666)
        self._name = name
        self._path, self._path_str = path, str(path)
        return self._fd


def _cut_torn_tail(path: Path) -> None:
    """A file of ours ending without a newline was cut mid-write: drop the torn line."""
    try:
        with open(path, "r+b") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end == 0:
                return
            handle.seek(end - 1)
            if handle.read(1) == b"\n":
                return
            chunk = min(end, 1 << 20)
            handle.seek(end - chunk)
            data = handle.read(chunk)
            keep = data.rfind(b"\n") + 1
            handle.truncate(end - chunk + keep if keep else (0 if chunk == end else end))
    except FileNotFoundError:
        return


def write_compressed(path: Path, data: bytes) -> None:
    """`path` (a `.log.gz`) holding `data`, written atomically."""
    write_atomic(path, gzip.compress(data, compresslevel=6, mtime=0))


def remove_temp_files(folder: Path, prefixes: tuple[str, ...]) -> list[Path]:
    """The temp files an atomic write (`core.ids.write_atomic`: `.<name>.<random>.tmp`)
    killed before its rename left in `folder` for a file whose name starts with one of
    `prefixes`, removed (a sync engine's own temp files, `.syncthing.<name>.tmp`, are
    not ours). The ones removed; one that cannot be removed stays for the next open."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        if not name[1:].startswith(prefixes):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def read_json(path: Path) -> dict[str, Any] | None:
    """A small JSON object file (device.json, seen.json); None if absent or unreadable."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_json(path: Path, value: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (json.dumps(value, indent=1, sort_keys=True) + "\n").encode())
