"""An .apkg's content as its writer takes it: every note already as Anki fields.

Named tuples rather than dataclasses: an export makes one per note and card, and tuples
cost a fraction to make.

Rendering a note's Markdown to HTML is most of an export's work, and what it gives
(`RenderedNote`) depends on the note's text alone, so the collection keeps it per note by
content hash and fills `PackageData` from that store (collection/export_rows.py),
rendering only the notes changed since. `package_data` is the plain way from parsed notes
(`ExportData`): it renders every note, and is what the store's output must equal.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flashcards.core.model import (
    CardId,
    CardState,
    Flag,
    MemoryState,
    Note,
    NoteId,
    ReviewEntry,
    ReviewKind,
)
from flashcards.core.notetypes import NoteType
from flashcards.interop.bundle import Skipped, fingerprint_text
from flashcards.interop.export_notes import (
    ExportCard,
    ExportData,
    anki_fields,
    anki_ord,
    guid_for,
)
from flashcards.interop.history import datetime_to_ms

_TAGS_HTML = re.compile(r"<[^>]+>")


class RenderedNote(NamedTuple):
    """A note as Anki's `notes` row has it, before media names are fitted to the package:
    note type (a stock type's name, or a declared type's `declared_key`), `flds` (the
    fields as HTML joined by \x1f), tags (space-separated), `sfld`, `csum`, and the
    fields' fingerprint (`bundle.fingerprint`)."""

    notetype: str
    flds: str
    tags: str
    sort_field: str
    checksum: int
    fingerprint: str


def sort_field(value: str) -> str:
    """Anki's `sfld` of a first field: its text without tags or entities."""
    if "<" in value:
        value = _TAGS_HTML.sub(" ", value)
    return html_lib.unescape(value).strip()


def checksum(sort_field: str) -> int:
    """Anki's `csum`: the first 32 bits of the sort field's sha1."""
    return int.from_bytes(hashlib.sha1(sort_field.encode("utf-8")).digest()[:4], "big")


def rendered(notetype: str, fields: Sequence[str], tags: Iterable[str]) -> RenderedNote:
    """The `RenderedNote` of a note type's field values (HTML) and tags."""
    flds = "\x1f".join(fields)
    sfld = sort_field(fields[0])
    return RenderedNote(
        notetype, flds, " ".join(tags), sfld, checksum(sfld), fingerprint_text(flds)
    )


class IndexedMemory(NamedTuple):
    """A studied card's memory as the collection stores it (times in epoch seconds):
    what `MemoryState` holds, without building datetimes for every card of a library."""

    state: int  # CardState value, never NEW
    stability: float | None
    difficulty: float | None
    due: int
    last_review: int | None


class PackageCard(NamedTuple):
    """A card of an exported note: its Anki ordinal and scheduling (no memory: new)."""

    id: CardId
    ord: int
    memory: MemoryState | IndexedMemory | None = None
    flag: Flag = Flag.NONE
    suspended: bool = False
    buried: bool = False


class PackageNote(NamedTuple):
    """A note to write: rendered, with its deck ("Parent::Child"), cards and guid."""

    id: NoteId
    rendered: RenderedNote
    deck: str
    cards: tuple[PackageCard, ...]
    guid: str
    file: str  # library path of its deck file
    media_dir: Path | None = None  # where relative media resolve (None: root / file's folder)
    declared: NoteType | None = None  # the deck's declaration of its note type, if any


class PackageReview(NamedTuple):
    """An answer, or a manual row (Forget, set due date), to carry into Anki's review log."""

    card_id: CardId
    time_ms: int
    rating: int  # 0 for a manual row
    duration_ms: int
    manual: ManualRow | None = None


class ManualRow(NamedTuple):
    """What a manual row did, as Anki writes it: a reset has no ease factor."""

    reset: bool
    interval_days: int


class AnkiOrigins(NamedTuple):
    """The Anki note types notes came from (`anki_origin`): note id -> the Anki note
    type's id as text, and that id -> what the import kept of it; a note of a cloze type
    with fields of its own, what those held (`anki_origin.cloze_fields`)."""

    notes: Mapping[str, str] = {}
    types: Mapping[str, Mapping[str, object]] = {}
    # note id -> a cloze note's fields after its text, as the import kept them (Markdown)
    cloze: Mapping[str, Sequence[str]] = {}


class KeptVersion(NamedTuple):
    """A note that came from Anki, as an export finds it (collection/export_versions.py):
    the Anki `mod` it came with, and when it was edited here since (its deck file's
    modification time; 0: its lines are still what the import wrote)."""

    mod: int
    edited: int = 0


def export_mod(kept: KeptVersion | None, now_s: int) -> int:
    """The `mod` a note goes with (Anki's import replaces its own copy only with a newer
    one): the Anki `mod` it came with where unchanged here; where edited here, the time of
    that edit (no later than the export, and later than the copy it was edited from); the
    export's time for a note made here."""
    if kept is None:
        return now_s
    if not kept.edited:
        return kept.mod
    return max(min(kept.edited, now_s), kept.mod + 1)


@dataclass(frozen=True)
class PackageData:
    """Everything an .apkg holds. `reviews` are the answers (practice and manual entries
    are not Anki's), oldest first; `left_out` counts the history entries that are not."""

    notes: tuple[PackageNote, ...]
    reviews: tuple[PackageReview, ...] = ()
    left_out: int = 0
    root: Path | None = None  # library root, to find media referenced by notes
    skipped: tuple[Skipped, ...] = ()  # notes that cannot go (no id yet)
    # The Anki ids of the notes and of their cards in order, as `stable_int` derives them
    # (before a clash moves one), when the reader has them (None: the writer derives them).
    ids: tuple[Sequence[int], Sequence[int]] | None = None
    origins: AnkiOrigins = AnkiOrigins()
    # note id -> what the note came from Anki as (`export_mod`; absent: the export's time)
    versions: Mapping[str, KeptVersion] = field(default_factory=dict)


def declared_key(notetype: NoteType) -> str:
    """What names a declared note type in the package (and the store of rendered notes):
    its name and the digest of its definition, so the same definition in several decks is
    one Anki note type, and an edited one another (never a stock type, whatever its name)."""
    return f"{DECLARED}{notetype.name}:{notetype.digest}"


DECLARED = "declared:"  # how a `declared_key` starts


def render_note(note: Note, notetype: NoteType | None = None) -> RenderedNote:
    """`note` as Anki fields (`notetype`: its deck's declaration of the note's type)."""
    name, fields = anki_fields(note, notetype=notetype)
    if notetype is not None and note.notetype is not None:
        name = declared_key(notetype)
    return rendered(name, fields, note.tags)


def package_cards(note: Note, exported: tuple[ExportCard, ...]) -> tuple[PackageCard, ...]:
    """The note's cards in its order, with the scheduling `exported` gives them."""
    states = {c.card.id: c for c in exported}
    out = []
    for card in note.cards:
        item = states.get(card.id)
        if item is None:
            out.append(PackageCard(card.id, anki_ord(card)))
        else:
            out.append(
                PackageCard(
                    card.id, anki_ord(card), item.memory, item.flag, item.suspended, item.buried
                )
            )
    return tuple(out)


def package_reviews(entries: Iterable[ReviewEntry]) -> tuple[list[PackageReview], int]:
    """The answers and the manual rows that say what they did (a reset, a due date set:
    Anki's own, imported) among review entries, oldest first (a stable sort: entries of
    one moment keep their order), and how many entries are neither."""
    rows: list[PackageReview] = []
    left_out = 0
    for entry in sorted(entries, key=lambda e: e.time):
        if entry.kind is ReviewKind.MANUAL and entry.state_after is not None:
            reset = entry.state_after is CardState.NEW
            days = 0 if reset else max(1, round(entry.scheduled_days))
            rows.append(
                PackageReview(
                    entry.card_id,
                    datetime_to_ms(entry.time),
                    0,
                    entry.duration_ms,
                    ManualRow(reset, days),
                )
            )
            continue
        if entry.kind is not ReviewKind.REVIEW:
            left_out += 1
            continue
        rows.append(
            PackageReview(
                entry.card_id, datetime_to_ms(entry.time), int(entry.rating), entry.duration_ms
            )
        )
    return rows, left_out


def package_data(data: ExportData) -> PackageData:
    """`data` with every note rendered; notes without an id are skipped, said why."""
    notes: list[PackageNote] = []
    skipped: list[Skipped] = []
    for item in data.notes:
        note = item.note
        if note.id is None:
            skipped.append(Skipped(f"{note.file}:{note.line_start}", "note has no id yet"))
            continue
        declared = item.notetype if note.notetype is not None else None
        notes.append(
            PackageNote(
                note.id,
                render_note(note, declared),
                item.deck or "Default",
                package_cards(note, item.cards),
                guid_for(item),
                note.file,
                item.media_dir,
                declared,
            )
        )
    reviews, left_out = package_reviews(data.reviews)
    return PackageData(tuple(notes), tuple(reviews), left_out, data.root, tuple(skipped))
