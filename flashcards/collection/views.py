"""Values the collection hands to the CLI and the GUI (frozen, thread-safe)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flashcards.core.model import Card, CardId, CardState, Flag, MemoryState, NoteId, ParseWarning
from flashcards.core.scheduling import Preset, retrievability


@dataclass(frozen=True)
class CardView:
    """A card with where it lives and how it is scheduled."""

    card: Card
    deck: str  # full deck name, "AWS ML Specialty::Modeling"
    deck_title: str
    domain: str | None
    memory: MemoryState
    suspended: bool = False
    buried: bool = False
    flag: Flag = Flag.NONE
    reps: int = 0
    lapses: int = 0
    present: bool = True
    preset: Preset = field(default_factory=Preset, compare=False, repr=False)

    @property
    def id(self) -> CardId:
        return self.card.id

    @property
    def note_id(self) -> NoteId:
        return self.card.note_id

    @property
    def state(self) -> CardState:
        return self.memory.state

    def retrievability(self, now: datetime) -> float | None:
        """Probability of recall at `now` (None for a new card)."""
        return retrievability(self.memory, now=now, preset=self.preset)


@dataclass(frozen=True)
class DeckInfo:
    """A deck file with today's counts (new and due already capped by the daily limits;
    one card of a note a day, as the queue shows them: its siblings wait)."""

    name: str
    file: str  # library key: "aws-ml-specialty/modeling.md"
    title: str
    domain: str | None
    folders: tuple[str, ...]  # folder display names, root first
    new: int = 0
    learning: int = 0
    due: int = 0
    total: int = 0
    path: str = ""  # absolute path of the deck file


@dataclass(frozen=True)
class DeckPreset:
    """A deck and the scheduling preset it uses (see `Collection.deck_presets`)."""

    key: str  # library key: "aws-ml-specialty/modeling.md"
    name: str
    preset_id: int


@dataclass(frozen=True)
class Change:
    """What a mutating call changed, so screens refresh only what they must."""

    cards: frozenset[CardId] = frozenset()
    decks: frozenset[str] = frozenset()  # deck keys
    structure: bool = False  # decks or cards added/removed: lists need a reload
    label: str = ""
    leeches: frozenset[CardId] = frozenset()  # cards this answer made leeches
    warnings: tuple[str, ...] = ()  # what could not be done alongside (told, not raised)

    def __bool__(self) -> bool:
        return bool(self.cards or self.decks or self.structure)


@dataclass(frozen=True)
class SyncReport:
    """What a library sync found and did."""

    files_seen: int = 0
    files_changed: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    cards_added: int = 0
    cards_updated: int = 0
    cards_removed: int = 0  # hidden: their note vanished from the files
    cards_restored: int = 0  # hidden cards whose note came back
    ids_written: tuple[str, ...] = ()  # files whose headings got ids written back
    errors: tuple[str, ...] = ()  # files that could not be parsed (left as they were)
    warnings: tuple[ParseWarning, ...] = ()
    seconds: float = 0.0
    # Other devices' logs (docs/sync.md): events new here, the cards and settings they changed
    events_merged: int = 0
    cards_merged: frozenset[CardId] = frozenset()
    settings_merged: bool = False
    conflicts: tuple[ConflictCopy, ...] = ()  # sync engines' conflict copies of deck files

    @property
    def changed(self) -> bool:
        return bool(
            self.files_changed or self.files_removed or self.cards_merged or self.settings_merged
        )

    def change(self) -> Change:
        return Change(
            cards=self.cards_merged,
            decks=frozenset(self.files_changed + self.files_removed),
            # A merge that only moved cards leaves the lists as they are.
            structure=bool(self.files_changed or self.files_removed or not self.cards_merged),
        )


@dataclass(frozen=True)
class ConflictCopy:
    """A sync engine's copy of a deck file it could not merge (never read as a deck)."""

    path: str  # the copy, absolute
    original: str  # the deck file it is a copy of, absolute (may be missing)
    engine: str  # "Syncthing", "Dropbox", "OneDrive", "git"

    def __str__(self) -> str:
        return f"{self.path}: a {self.engine} conflict copy of {self.original}"


@dataclass(frozen=True)
class ImportReport:
    source: str
    files: tuple[str, ...] = ()  # library keys written
    media: tuple[str, ...] = ()
    cards_added: int = 0
    cards_updated: int = 0
    reviews: int = 0
    warnings: tuple[str, ...] = ()
    format: str = ""  # how it was read: markdown, obsidian, csv, apkg, colpkg
    notes: tuple[str, ...] = ()  # how the file was read (a guessed header row …)


@dataclass(frozen=True)
class ExportReport:
    out: str
    files: tuple[str, ...] = ()
    cards: int = 0
    media: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeckStats:
    name: str
    total: int
    new: int
    learning: int
    review: int
    suspended: int
    due_today: int


@dataclass(frozen=True)
class Stats:
    """Counts for `flashcards stats` and the overview screen."""

    decks: int
    cards: int
    new: int
    learning: int
    review: int
    suspended: int
    hidden: int  # removed from their files, history kept
    due_today: int
    reviews_today: int
    reviews_total: int
    per_deck: tuple[DeckStats, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """Problems found by `check()`: files and database."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems
