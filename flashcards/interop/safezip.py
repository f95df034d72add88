"""Reading untrusted zip packages: no path tricks, no links, no bombs.

Every entry name is checked before anything is read; sizes are capped by ratio and by a
total budget while streaming, so a lying header cannot make us unpack more than allowed.
Nothing is written except into the folder the caller gives.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, cast

import zstandard

from flashcards.core.errors import InteropError

_CHUNK = 1 << 20
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass(frozen=True)
class Limits:
    """Caps on what one package may unpack to."""

    max_total: int = 2 << 30  # bytes unpacked over the whole package
    max_ratio: float = 100.0  # unpacked / packed, per entry
    ratio_floor: int = 1 << 20  # entries smaller than this are not ratio-checked


class SafeZip:
    """A zip file whose entries have been checked; reads stream within `limits`."""

    def __init__(self, path: Path, *, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        self._unpacked = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InteropError(str(path), f"not a readable zip package ({exc})") from exc
        self._entries: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in self._zip.infolist():
            self._check_entry(info)
            self._entries[info.filename] = info
            declared += info.file_size
        if declared > self.limits.max_total:
            raise InteropError(
                str(path), f"package would unpack to {declared} bytes, over the limit"
            )

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        where = f"{self.path} entry {name!r}"
        pure = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or pure.is_absolute() or (len(name) > 1 and name[1] == ":"):
            raise InteropError(where, "absolute path in package")
        if ".." in pure.parts:
            raise InteropError(where, "path leaves the package ('..')")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise InteropError(where, "symbolic link in package")
        if info.flag_bits & 0x1:
            raise InteropError(where, "encrypted entry")
        packed = max(info.compress_size, 1)
        if (
            info.file_size >= self.limits.ratio_floor
            and info.file_size / packed > self.limits.max_ratio
        ):
            raise InteropError(where, "compression ratio too high (zip bomb?)")

    def _spend(self, n: int, name: str) -> None:
        self._unpacked += n
        if self._unpacked > self.limits.max_total:
            raise InteropError(f"{self.path} entry {name!r}", "package unpacks past the size limit")

    def _chunks(self, name: str, zstd: bool) -> Iterator[bytes]:
        info = self._entries.get(name)
        if info is None:
            raise InteropError(str(self.path), f"package has no {name!r}")
        try:
            with self._zip.open(info) as raw:
                inner = _maybe_zstd(raw, self, name, packed=info.file_size, zstd=zstd)
                for chunk in inner:
                    self._spend(len(chunk), name)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, zstandard.ZstdError) as exc:
            raise InteropError(
                f"{self.path} entry {name!r}", f"cannot be unpacked ({exc})"
            ) from exc

    def read(self, name: str, *, zstd: bool = False) -> bytes:
        """The entry's bytes; with `zstd`, a zstd frame is decompressed."""
        return b"".join(self._chunks(name, zstd))

    def extract(self, name: str, dest: Path, *, zstd: bool = False) -> int:
        """Stream the entry into `dest` (decompressing zstd with `zstd`); returns its size."""
        size = 0
        with dest.open("wb") as out:
            for chunk in self._chunks(name, zstd):
                out.write(chunk)
                size += len(chunk)
        return size


def _maybe_zstd(
    raw: IO[bytes], owner: SafeZip, name: str, *, packed: int, zstd: bool
) -> Iterator[bytes]:
    """The entry's content, decompressing a zstd frame (Anki's new layout) when asked."""
    head = raw.read(4)
    if not zstd or head != _ZSTD_MAGIC:
        if head:
            yield head
        while chunk := raw.read(_CHUNK):
            yield chunk
        return
    source = cast(IO[bytes], _Prefixed(head, raw))  # duck-typed: only read() is used
    reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
    produced = 0
    limits = owner.limits
    while chunk := reader.read(_CHUNK):
        produced += len(chunk)
        if produced >= limits.ratio_floor and produced / max(packed, 1) > limits.max_ratio:
            raise InteropError(
                f"{owner.path} entry {name!r}", "compression ratio too high (zip bomb?)"
            )
        yield chunk


class _Prefixed:
    """A reader that replays the bytes already peeked, then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def read(self, n: int = -1) -> bytes:
        if self._head:
            if n < 0:
                out, self._head = self._head + self._rest.read(), b""
                return out
            out, self._head = self._head[:n], self._head[n:]
            if len(out) < n:
                out += self._rest.read(n - len(out))
            return out
        return self._rest.read(n)
