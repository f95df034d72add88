"""Values shared by every layer: decks, notes, cards, scheduling state, reviews.

All are frozen dataclasses. A *note* is one card heading in a deck file; it makes
one or more *cards* (a reverse card, one card per cloze number).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NewType

if TYPE_CHECKING:
    from flashcards.core.notetypes import NoteType

NoteId = NewType("NoteId", str)
"""The `{#id}` of a card heading: short, URL-safe, unique in the library."""

CardId = NewType("CardId", str)
"""`<note id>` for the front card, `<note id>:r` reversed, `<note id>:c<n>` cloze n."""


class CardKind(enum.Enum):
    BASIC = "basic"
    REVERSE = "reverse"
    CLOZE = "cloze"
    CHOICE = "choice"
    TEMPLATE = "template"  # a note type's template (core/notetypes.py)


class CardState(enum.IntEnum):
    """FSRS state; values match `fsrs.State` plus NEW for never-answered cards."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Rating(enum.IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class ReviewKind(enum.Enum):
    """What a review-log row records."""

    REVIEW = "review"  # an answer that moved the schedule
    PRACTICE = "practice"  # an answer outside the schedule (cramming, map study)
    MANUAL = "manual"  # reset, set due date, imported state


class Flag(enum.IntEnum):
    NONE = 0
    RED = 1
    ORANGE = 2
    GREEN = 3
    BLUE = 4


def card_id_for(note_id: NoteId, kind: CardKind, cloze: int | None = None) -> CardId:
    """The card id of a note's card of `kind` (and cloze number)."""
    if kind is CardKind.REVERSE:
        return CardId(f"{note_id}:r")
    if kind is CardKind.CLOZE:
        return CardId(f"{note_id}:c{cloze}")
    return CardId(note_id)


def template_card_id(note_id: NoteId | str, number: int) -> CardId:
    """The card id of a note type's template `number` (1-based): the note's id for the
    first, `note:t<n>` for the others."""
    return CardId(str(note_id) if number == 1 else f"{note_id}:t{number}")


def template_number(card_id: CardId | str) -> int:
    """The 1-based template number of a note type's card (see `template_card_id`)."""
    _, sep, suffix = str(card_id).partition(":t")
    return int(suffix) if sep and suffix.isdigit() else 1


def note_id_of(card_id: CardId | str) -> NoteId:
    return NoteId(str(card_id).split(":", 1)[0])


@dataclass(frozen=True)
class Link:
    """A `[[Title]]`, `[[Title|text]]` or `[[file#Title]]` link in a note's text."""

    target: str  # the card title linked to
    file: str | None = None  # the deck file named before '#', as written
    text: str | None = None  # the display text after '|'
    line: int = 0  # 1-based line in the deck file


@dataclass(frozen=True)
class Choice:
    text: str  # Markdown of the option
    correct: bool


@dataclass(frozen=True)
class Card:
    """One reviewable card. `prompt`/`answer` are raw Markdown (cloze markup kept;
    the renderer masks cloze `cloze` on the front)."""

    id: CardId
    note_id: NoteId
    kind: CardKind
    file: str  # POSIX path relative to the library root
    title: str  # heading text, attributes removed
    prompt: str  # Markdown of the front, without the heading
    answer: str  # Markdown of the back
    line_start: int  # 1-based heading line
    line_end: int  # 1-based last line of the note
    section_path: tuple[str, ...] = ()
    cloze: int | None = None
    choices: tuple[Choice, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def correct(self) -> frozenset[int]:
        """0-based indexes of the correct choices."""
        return frozenset(i for i, c in enumerate(self.choices) if c.correct)


@dataclass(frozen=True)
class Note:
    """A card heading and its body. `id` is None until ids are written back."""

    id: NoteId | None
    file: str
    title: str
    level: int
    line_start: int  # heading line, 1-based
    line_end: int  # last body line, 1-based, inclusive
    section_path: tuple[str, ...]
    prompt: str  # Markdown between the heading and a `?` line ("" without one)
    answer: str  # Markdown after `?` (the whole body without one)
    reverse: bool = False
    choices: tuple[Choice, ...] = ()
    cloze_numbers: tuple[int, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    content_hash: str = ""  # sha1 of the note's source lines, id attribute excluded
    cards: tuple[Card, ...] = ()
    notetype: str | None = None  # the key of its deck's note type (`{notetype=KEY}`)
    fields: tuple[tuple[str, str], ...] = ()  # a note type's fields, in its order


@dataclass(frozen=True)
class Section:
    title: str
    level: int
    line: int
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Deck:
    file: str  # POSIX path relative to the library root
    title: str
    domain: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    meta: Mapping[str, object] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    notes: tuple[Note, ...] = ()
    notetypes: Mapping[str, NoteType] = field(default_factory=dict)  # front matter's

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(c for n in self.notes for c in n.cards)


@dataclass(frozen=True)
class ParseWarning:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class MemoryState:
    """A card's scheduling state. `due`/`last_review` are UTC-aware."""

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None


@dataclass(frozen=True)
class ReviewEntry:
    """One row of review history. `time` is UTC-aware."""

    card_id: CardId
    time: datetime
    rating: Rating  # a manual row has none (stored as 0; read back as GOOD: see `kind`)
    duration_ms: int = 0
    kind: ReviewKind = ReviewKind.REVIEW
    # What a manual row left (imports; None: not recorded): NEW for a reset (Forget),
    # REVIEW for a due date set, with the interval it set.
    state_after: CardState | None = None
    scheduled_days: float = 0.0
