"""Opening an Anki package (.apkg / .colpkg) in any of its three layouts.

Layouts: `collection.anki2` (legacy 1), `collection.anki21` (legacy 2, JSON media map)
and `collection.anki21b` (latest: zstd SQLite, protobuf `meta`, zstd protobuf media map,
zstd media entries). Newer packages also carry a dummy `collection.anki2` for old
clients, so the newest file present wins. Media are staged in the caller's temp folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from flashcards.core.errors import InteropError
from flashcards.interop import protobuf_min as pb
from flashcards.interop.anki_convert import convert_collection
from flashcards.interop.anki_db import AnkiCollection, read_collection
from flashcards.interop.bundle import ImportBundle, Progress, report_progress
from flashcards.interop.safezip import Limits, SafeZip

_LATEST = 3
_KNOWN_VERSIONS = {1: "collection.anki2", 2: "collection.anki21", _LATEST: "collection.anki21b"}


def _layout(pkg: SafeZip, label: str) -> int:
    if "meta" in pkg:
        try:
            version = pb.first_int(pb.decode(pkg.read("meta")), 1)
        except pb.ProtobufError as exc:
            raise InteropError(label, f"unreadable package metadata ({exc})") from exc
        if version not in _KNOWN_VERSIONS:
            raise InteropError(label, f"unknown package version {version} (made by a newer Anki?)")
        if _KNOWN_VERSIONS[version] not in pkg:
            raise InteropError(label, f"package lacks {_KNOWN_VERSIONS[version]}")
        return version
    for version in (_LATEST, 2, 1):
        if _KNOWN_VERSIONS[version] in pkg:
            return version
    raise InteropError(label, "not an Anki package (no collection file)")


def _media_map(pkg: SafeZip, version: int, label: str) -> dict[str, str]:
    """Media name -> zip entry name."""
    if "media" not in pkg:
        return {}
    if version == _LATEST:
        try:
            entries = pb.media_entries(pkg.read("media", zstd=True))
        except (pb.ProtobufError, UnicodeDecodeError) as exc:
            raise InteropError(label, f"unreadable media list ({exc})") from exc
        return {e.name: e.zip_name for e in entries}
    try:
        raw = json.loads(pkg.read("media").decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InteropError(label, f"unreadable media list ({exc})") from exc
    if not isinstance(raw, dict):
        raise InteropError(label, "unreadable media list (not a JSON object)")
    return {str(name): str(entry) for entry, name in raw.items()}


def read_package(
    path: Path, *, workdir: Path, limits: Limits | None = None
) -> tuple[AnkiCollection, dict[str, Path]]:
    """The collection in the package at `path` and its media, staged under `workdir`."""
    label = path.name
    with SafeZip(path, limits=limits) as pkg:
        version = _layout(pkg, label)
        member = _KNOWN_VERSIONS[version]
        db_file = workdir / "collection.sqlite"
        pkg.extract(member, db_file, zstd=version == _LATEST)
        col = read_collection(db_file, label=f"{label}:{member}")
        media_dir = workdir / "media"
        media_dir.mkdir(exist_ok=True)
        staged: dict[str, Path] = {}
        for index, (name, entry) in enumerate(sorted(_media_map(pkg, version, label).items())):
            if entry not in pkg:
                continue  # reported as a missing reference if a note uses it
            dest = media_dir / str(index)
            pkg.extract(entry, dest, zstd=version == _LATEST)
            staged[name] = dest
    return col, staged


def import_anki_package(
    path: Path,
    *,
    workdir: Path,
    prefix: str = "",
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> ImportBundle:
    """Read an .apkg/.colpkg into a bundle; `workdir` is an empty temp folder we may fill."""
    report_progress(progress, 0, 1, f"reading {path.name}")
    col, media = read_package(path, workdir=workdir, limits=limits)
    return convert_collection(col, source=path.name, media=media, prefix=prefix, progress=progress)
