"""The values interop hands to the collection: what an import brings in, what it skipped.

Readers never write into the library; they return an `ImportBundle` whose deck files are
Markdown text keyed by library-relative POSIX path and whose media are bytes or files
staged in a temporary folder. The collection applies a bundle in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flashcards.core.errors import CancelledError
from flashcards.core.model import CardId, Flag, MemoryState, NoteId, ReviewEntry
from flashcards.core.parser import ParseResult

Progress = Callable[[int, int, str], bool]
"""(done, total, message) -> False to cancel."""


def report_progress(progress: Progress | None, done: int, total: int, message: str) -> None:
    """Call `progress`; raise `CancelledError` when it asks to stop."""
    if progress is not None and progress(done, total, message) is False:
        raise CancelledError()


@dataclass(frozen=True)
class MediaFile:
    """A media file to place at `path` (library-relative): from `data` or a staged `source`."""

    path: str
    data: bytes | None = None
    source: Path | None = None

    def read(self) -> bytes:
        """The file's bytes, wherever they are held."""
        if self.data is not None:
            return self.data
        if self.source is None:
            raise ValueError(f"media {self.path} has neither data nor source")
        return self.source.read_bytes()


class CardImport(NamedTuple):
    """What an import knows about one card beyond its text (a NamedTuple: an import
    makes one per card)."""

    card_id: CardId
    memory: MemoryState = MemoryState()  # frozen: one shared default is safe
    flag: Flag = Flag.NONE
    suspended: bool = False
    buried: bool = False
    lapses: int | None = None  # Anki's lapse count (its card row's); None: not known


def fingerprint(fields: Sequence[str]) -> str:
    """A short digest of a note's Anki fields (HTML), to notice when Anki changed them."""
    return fingerprint_text("\x1f".join(fields))


def fingerprint_text(flds: str) -> str:
    """`fingerprint` of fields already joined by \x1f (as Anki's `flds` column)."""
    return hashlib.sha1(flds.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Skipped:
    """Something left out of an import and why (`what` names it for a person)."""

    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what}: {self.reason}"


@dataclass(frozen=True)
class ImportBundle:
    """Everything an import brings in, as core values; nothing is written yet."""

    source: str  # the imported file's name, for messages
    decks: Mapping[str, str]  # library-relative path -> Markdown text of the whole file
    media: tuple[MediaFile, ...] = ()
    reviews: tuple[ReviewEntry, ...] = ()
    cards: Mapping[CardId, CardImport] = field(default_factory=dict)
    anki_guids: Mapping[NoteId, str] = field(default_factory=dict)  # note id -> Anki guid
    # note id -> fingerprint of the note's Anki fields as they came in (see `fingerprint`):
    # lets a re-import tell a note changed in Anki from one that was only exported there.
    fingerprints: Mapping[NoteId, str] = field(default_factory=dict)
    # note id -> when the note was last changed where it comes from (Anki's `mod`, epoch
    # seconds), where the format says: a re-import updates a note only from a newer copy
    mods: Mapping[NoteId, int] = field(default_factory=dict)
    # note id -> the id (as text) of the Anki note type it came with, and that id -> what
    # an export back needs of it (`anki_origin.origin_entry`): the package then names the
    # same note type, so Anki updates the note instead of calling it conflicting
    anki_types: Mapping[NoteId, str] = field(default_factory=dict)
    anki_notetypes: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    # note id -> a cloze note's fields after its text as Markdown, where its Anki note type
    # has more than Text and Back Extra: the export back fills each again
    # (`anki_origin.cloze_fields`), its back merges them here
    anki_cloze_fields: Mapping[NoteId, list[str]] = field(default_factory=dict)
    note_count: int = 0
    card_count: int = 0
    skipped: tuple[Skipped, ...] = ()
    # path -> `parse_deck(decks[path], path=path)` where the reader already has it (the
    # deck writer checks what it writes), so the collection need not parse it again
    parsed: Mapping[str, ParseResult] = field(default_factory=dict)
    # paths of decks the reader parsed (checked) but did not keep the parse of, to save
    # memory (a CSV of a million rows): the collection need not check them again
    checked: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()  # how the reader read the file, for the person importing
    # note type key -> its front-matter definition (see core/notetypes.py): a re-import
    # declares the ones its notes use in each deck file it merges them into
    notetypes: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    """The short account an import gives a person."""

    notes: int
    cards: int
    reviews: int
    media: int
    decks: tuple[str, ...]  # library-relative paths written
    skipped: tuple[Skipped, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.notes} notes, {self.cards} cards, {self.reviews} review entries, "
            f"{self.media} media files in {len(self.decks)} deck files"
        )
        if self.skipped:
            text += f"; skipped {len(self.skipped)}:\n" + "\n".join(f"  {s}" for s in self.skipped)
        return text


@dataclass(frozen=True)
class ExportReport:
    """The short account an export gives a person."""

    path: Path
    notes: int
    cards: int
    reviews: int = 0
    media: int = 0
    skipped: tuple[Skipped, ...] = ()
    fingerprints: Mapping[NoteId, str] = field(default_factory=dict)  # of the fields written

    def __str__(self) -> str:
        return (
            f"{self.notes} notes, {self.cards} cards, {self.reviews} review entries, "
            f"{self.media} media files written to {self.path}"
        )
