"""Values the review controller hands to its view, and the view's interface.

No Qt here: the controller and these values are tested without a display.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from flashcards.core.card_templates import asks_typed_answer
from flashcards.core.model import CardId, CardKind, NoteId, Rating

T = TypeVar("T")

INTERACTIVE = 0
"""Worker priority of what a user waits for: the next card, a save."""
BACKGROUND = 1
"""Worker priority of refreshes (counts, figures): after any waiting interactive work."""

IDLE_CAP_MS = 60_000
"""A review's recorded duration is capped here: longer means the user walked away."""


class ReviewState(enum.Enum):
    IDLE = "idle"  # no session
    LOADING = "loading"  # waiting for the worker
    QUESTION = "question"
    ANSWER = "answer"
    SUMMARY = "summary"


class Face(enum.Enum):
    FRONT = "front"
    BACK = "back"


@dataclass(frozen=True)
class Progress:
    """Cards answered in this session, and cards it still shows (the one on screen too)."""

    done: int
    left: int
    parts: tuple[int, int, int] | None = None  # what `left` is made of: new, learning, review

    @property
    def fraction(self) -> float:
        total = self.done + self.left
        return self.done / total if total else 0.0


@dataclass(frozen=True)
class LoadedCard:
    """A card fetched on the worker with everything the screen needs."""

    view: Any  # flashcards.collection.views.CardView (frozen)
    front_html: str
    back_html: str
    intervals: Mapping[Rating, timedelta]
    base_dir: Any = None  # Path of the deck file's folder, for re-rendering choices
    seed: int | None = None  # the presentation's seed: kept for re-renders and undo
    order: tuple[int, ...] | None = None  # choices' file indexes as shown (None: file order)
    media_root: Any = None  # Path of its library folder: images and sounds stay inside it

    def file_index(self, shown: int) -> int:
        """The file index of the option shown at `shown` (0 = A)."""
        return self.order[shown] if self.order is not None else shown


@dataclass(frozen=True)
class NextCard:
    """What a session shows next (None: nothing left) and what it then has left,
    counted on the worker in the same call, after the answer or undo it follows."""

    loaded: LoadedCard | None
    left: tuple[int, int, int] = (0, 0, 0)  # new, learning, review
    notice: str = ""  # what the answer before it did besides (a card became a leech)


@dataclass(frozen=True)
class CardScreen:
    """What the view paints for one side of one card."""

    loaded: LoadedCard
    face: Face
    html: str
    progress: Progress
    selected: frozenset[int] = frozenset()
    suggested: Rating | None = None  # focused rating button on the answer side
    correct: bool | None = None  # multiple choice: was the selection right?
    hints: frozenset[int] = frozenset()  # a note type's card: the hints opened (0-based)
    typed: str | None = None  # a note type's card: the answer typed in, once revealed

    @property
    def card_id(self) -> CardId:
        return CardId(self.loaded.view.card.id)

    @property
    def asks_typed_answer(self) -> bool:
        """Whether the question asks for an answer typed in (a `{{type:Field}}` card)."""
        card = self.loaded.view.card
        return card.kind is CardKind.TEMPLATE and asks_typed_answer(card.prompt) is not None

    @property
    def is_choice(self) -> bool:
        return bool(self.loaded.view.card.choices)


@dataclass(frozen=True)
class SessionSummary:
    reviewed: int
    again: int
    seconds: float
    next_due: datetime | None = None  # set when nothing more is due now

    @property
    def again_rate(self) -> float:
        return self.again / self.reviewed if self.reviewed else 0.0


@dataclass(frozen=True)
class NoteSource:
    """A note's Markdown for the editor, with what its preview and completion need."""

    note_id: NoteId
    text: str
    title: str
    deck: str = ""  # the deck file's key (the preview parses the note as a deck of it)
    base_dir: Any = None  # Path of the deck file's folder, for images in the preview
    titles: tuple[str, ...] = ()  # every card title, for completing [[links]]
    media_root: Any = None  # Path of its library folder: images stay inside it
    base: str | None = None  # the lines on disk `text` answers to (None: `text` itself)

    @property
    def loaded(self) -> str:
        """What a save checks the file against (NoteChangedError when it differs)."""
        return self.text if self.base is None else self.base


@dataclass(frozen=True)
class EditConflict:
    """A card editor's save refused: the note's lines changed on disk meanwhile."""

    note_id: NoteId
    mine: str  # the text the user saved
    theirs: str  # the note's lines on disk now ("" when the note is gone)
    deck: str  # the deck file's key


@dataclass(frozen=True)
class RelatedCards:
    """A linked card for the side panel, with the cards that link to it."""

    view: Any  # CardView
    html: str
    backlinks: tuple[Any, ...] = field(default=())  # CardViews


class Runner(Protocol):
    """Runs a function of the collection, somewhere, and calls back (CollectionWorker)."""

    def run(
        self,
        fn: Callable[[Any], T],
        *,
        success: Callable[[T], None] | None = None,
        failure: Callable[[Any], None] | None = None,
        label: str = "",
        priority: int = INTERACTIVE,
    ) -> object: ...


class ReviewView(Protocol):
    """The passive screen the controller drives."""

    def show_loading(self) -> None: ...

    def show_question(self, screen: CardScreen) -> None: ...

    def show_answer(self, screen: CardScreen) -> None: ...

    def show_summary(self, summary: SessionSummary) -> None: ...

    def show_progress(self, progress: Progress) -> None: ...

    def show_editor(self, source: NoteSource) -> None: ...

    def show_edit_conflict(self, conflict: EditConflict) -> None: ...

    def show_related(self, related: RelatedCards) -> None: ...

    def show_message(self, text: str) -> None: ...

    def show_card_info(self, card_id: CardId) -> None: ...
