"""The deck files a sync works on: found on disk or staged, grouped for big syncs, parsed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.collection.library import LibraryRoot
from flashcards.collection.views import SyncReport
from flashcards.core.errors import DeckFormatError
from flashcards.core.parser import ParseResult, parse_deck


@dataclass
class DeckFile:
    """A deck file found on disk (or staged by an import)."""

    root: LibraryRoot
    rel: str
    key: str
    mtime_ns: int
    size: int
    data: bytes | None = None
    sha1: str = ""
    parsed: ParseResult | None = None  # `parse_deck(data, path=key)`, if the caller has it

    @property
    def path(self) -> Path:
        return self.root.path / self.rel


@dataclass
class SyncPlan:
    """The outcome of `sync_into`: the report and the files to write before commit."""

    report: SyncReport
    writes: dict[str, tuple[Path, bytes]] = field(default_factory=dict)  # key → (path, data)
    # cards this sync inserted with the scheduling columns the caller gave (`initial`)
    scheduled: set[str] = field(default_factory=set)
    # deck key -> preset id it took over from the deck file it was renamed from
    carried_presets: dict[str, int] = field(default_factory=dict)


BIG_SYNC_BYTES = 8 << 20  # ~40,000 cards of Markdown: above this, sync in groups
GROUP_BYTES = 2 << 20


def group_files(files: list[DeckFile]) -> list[list[DeckFile]]:
    """Consecutive files in groups of about GROUP_BYTES."""
    groups: list[list[DeckFile]] = [[]]
    size = 0
    for file in files:
        if groups[-1] and size + len(file.data or b"") > GROUP_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(file)
        size += len(file.data or b"")
    return [g for g in groups if g]


def sha1_hex(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def parse_each(
    files: Iterable[DeckFile], errors: list[str]
) -> Iterator[tuple[DeckFile, ParseResult]]:
    """Each file that parses, with its result; a file that does not adds its error."""
    for file in files:
        assert file.data is not None
        if file.parsed is not None:  # an import already parsed (and so checked) it
            yield file, file.parsed
            continue
        try:
            result = parse_deck(file.data, path=file.key)
        except DeckFormatError as exc:
            errors.append(str(exc))
            continue
        yield file, result
