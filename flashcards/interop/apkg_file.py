"""The package file an export writes: its tables (Anki's schema 11) and the zip of its
database and media, the database deflated on both cores."""

from __future__ import annotations

import json
import sqlite3
import zipfile
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flashcards.core.errors import InteropError
from flashcards.interop import apkg_schema as schema

# Deflate's fastest level: a third of the default's time for a package a little larger.
_LEVEL = 1


def create_tables(db: sqlite3.Connection, *, colpkg: bool = False) -> list[str]:
    """Make the package's tables (schema 11) in `db`; the CREATE INDEX statements to run
    once they are full (`colpkg`: every index of Anki's schema)."""
    statements = [part.strip() for part in schema.SCHEMA.split(";") if part.strip()]
    for ddl in statements:
        if not ddl.startswith("CREATE INDEX"):
            db.execute(ddl)
    return [
        ddl
        for ddl in statements
        if ddl.startswith("CREATE INDEX") and (colpkg or ddl.split()[2] in _IMPORT_INDEXES)
    ]


def pack(image: bytes, media: Mapping[str, Path], out: Path) -> None:
    """The zip of a package database `image` and its `media` (name in the package ->
    file) at `out` (atomically: a temp file renamed at the end)."""
    tmp_zip = out.with_name(out.name + ".tmp")
    try:
        with zipfile.ZipFile(
            tmp_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_LEVEL
        ) as z:
            _write_image(z, image)
            names = list(media)
            z.writestr(
                "media", json.dumps({str(i): n for i, n in enumerate(names)}, ensure_ascii=False)
            )
            for i, name in enumerate(names):
                z.write(media[name], str(i))
        tmp_zip.replace(out)
    except OSError as exc:
        raise InteropError(str(out), f"cannot write the package ({exc})") from exc
    finally:
        tmp_zip.unlink(missing_ok=True)


# The indexes an importer reads a deck package by (Anki before 2.1.50 reads a card's
# review log with `WHERE cid = ?`); the others (by usn, the scheduler's, by checksum)
# serve a collection in use, so only a whole collection (.colpkg) gets them.
_IMPORT_INDEXES = ("ix_cards_nid", "ix_revlog_cid")


def _write_image(z: zipfile.ZipFile, image: bytes) -> None:
    """The package database as `collection.anki21`, deflated on both cores: each half of
    it on a thread of its own (zlib lets go of the interpreter lock), the first half ended
    by a sync flush, so the two parts one after the other are one deflate stream (as
    pigz makes it). zipfile still counts the sizes and the CRC of what is written."""
    with z.open("collection.anki21", "w", force_zip64=len(image) >= zipfile.ZIP64_LIMIT) as w:
        compressor = getattr(w, "_compressor", None)  # zipfile's own, for this entry
        if len(image) < _SPLIT_FROM or not hasattr(compressor, "flush"):
            w.write(image)
            return
        half = len(image) // 2
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(_deflate, image[:half], zlib.Z_SYNC_FLUSH)
            second = _deflate(image[half:], zlib.Z_FINISH)
            w._compressor = _Deflated([first.result(), second])  # type: ignore[attr-defined]
        w.write(image[:half])
        w.write(image[half:])


_SPLIT_FROM = 1 << 20  # smaller images are deflated in one go


def _deflate(data: bytes, end: int) -> bytes:
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(end)


class _Deflated:
    """Stands in for zipfile's compressor of one entry: hands back the parts deflated
    beforehand, one for each write."""

    def __init__(self, parts: list[bytes]) -> None:
        self._parts = iter(parts)

    def compress(self, data: bytes) -> bytes:
        del data  # deflated already
        return next(self._parts)

    def flush(self) -> bytes:
        return b""
