"""Pixel size of a local PNG, GIF, JPEG or BMP image, read from its header.

QTextBrowser shows an image at its natural size and has no `max-width`, so a large
screenshot in a card would need a horizontal scroll bar; the renderer gives such
images a `width` instead. Only the header is read (no image library in core), and only
from a regular file: a FIFO or a device named by a card is never opened for reading
(`media_files.open_regular_file`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from flashcards.core.media_files import open_regular_file

_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_MAX_JPEG_SCAN = 1 << 20  # a JPEG's frame header is near its start


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels, or None if unreadable or of another format."""
    fd = open_regular_file(path, limit=1 << 62)  # any length: only the header is read
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            head = f.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
                width, height = struct.unpack(">II", head[16:24])
                return width, height
            if head[:6] in (b"GIF87a", b"GIF89a"):
                width, height = struct.unpack("<HH", head[6:10])
                return width, height
            if head.startswith(b"BM") and len(head) >= 26:
                width, height = struct.unpack("<ii", head[18:26])
                return width, abs(height)
            if head.startswith(b"\xff\xd8"):
                f.seek(2)
                return _jpeg_size(f.read(_MAX_JPEG_SCAN))
    except OSError:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 0
    while pos + 9 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None
