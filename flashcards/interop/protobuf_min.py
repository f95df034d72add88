"""Just enough protobuf wire-format decoding for Anki's package metadata and media map.

Anki's `meta` (PackageMetadata), `media` (MediaEntries) and the notetype/deck config
blobs are small protobuf messages; reading the few fields we need by hand keeps the
protobuf runtime (and Anki's generated classes) out of our dependencies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """Bytes that are not a well-formed protobuf message."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ProtobufError("varint too long")


def decode(data: bytes) -> dict[int, list[int | bytes]]:
    """Field number -> values in order (varints/fixed as int, length-delimited as bytes)."""
    fields: dict[int, list[int | bytes]] = defaultdict(list)
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        if wire == _VARINT:
            value, pos = _varint(data, pos)
            fields[number].append(value)
        elif wire == _LEN:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ProtobufError("truncated field")
            fields[number].append(data[pos : pos + size])
            pos += size
        elif wire == _I64:
            fields[number].append(int.from_bytes(data[pos : pos + 8], "little"))
            pos += 8
        elif wire == _I32:
            fields[number].append(int.from_bytes(data[pos : pos + 4], "little"))
            pos += 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
    if pos != len(data):
        raise ProtobufError("truncated message")
    return dict(fields)


def first_int(fields: dict[int, list[int | bytes]], number: int, default: int = 0) -> int:
    values = fields.get(number)
    if not values or not isinstance(values[0], int):
        return default
    return values[0]


def first_bytes(fields: dict[int, list[int | bytes]], number: int) -> bytes:
    values = fields.get(number)
    if not values or not isinstance(values[0], bytes):
        return b""
    return values[0]


@dataclass(frozen=True)
class MediaEntry:
    """One entry of Anki's MediaEntries: the file's real name, size and sha1."""

    name: str
    size: int
    sha1: bytes
    zip_name: str  # the entry name inside the zip ("0", "1", …)


def media_entries(data: bytes) -> list[MediaEntry]:
    """Decode a MediaEntries message; entry i lives in zip entry str(i) unless overridden."""
    out = []
    for index, raw in enumerate(decode(data).get(1, [])):
        if not isinstance(raw, bytes):
            raise ProtobufError("media entry is not a message")
        entry = decode(raw)
        legacy = entry.get(255)
        zip_name = str(legacy[0]) if legacy and isinstance(legacy[0], int) else str(index)
        out.append(
            MediaEntry(
                name=first_bytes(entry, 1).decode("utf-8"),
                size=first_int(entry, 2),
                sha1=first_bytes(entry, 3),
                zip_name=zip_name,
            )
        )
    return out
