"""A package's database is deflated in two halves on two threads (apkg_file._write_image):
the entry reads back byte for byte, with zipfile's CRC check, as one deflate stream."""

from __future__ import annotations

import random
import zipfile
import zlib
from pathlib import Path

from flashcards.interop.apkg_file import _write_image


def _image(size: int) -> bytes:
    rng = random.Random(7)  # pages of text with runs of zeros, like a SQLite file
    words = [
        bytes(rng.choice(b"abcdefghij ") for _ in range(rng.randint(2, 9))) for _ in range(500)
    ]
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choice(words) for _ in range(300)) + bytes(rng.randint(0, 900))
    return bytes(out[:size])


def test_a_large_image_reads_back_from_its_two_deflated_halves(tmp_path: Path) -> None:
    image = _image(3 << 20)
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        _write_image(z, image)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        info = z.getinfo("collection.anki21")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < len(image)
        assert z.read("collection.anki21") == image
        raw = path.read_bytes()[info.header_offset :]
    # one raw deflate stream from the entry's data on: a plain inflater reads it whole
    start = 30 + len(info.filename) + len(info.extra)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    assert inflater.decompress(raw[start : start + info.compress_size]) == image
    assert inflater.eof


def test_a_small_image_is_deflated_in_one_go(tmp_path: Path) -> None:
    image = _image(200_000)
    with zipfile.ZipFile(tmp_path / "s.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
        _write_image(z, image)
    with zipfile.ZipFile(tmp_path / "s.zip") as z:
        assert z.read("collection.anki21") == image
