"""A review session over an explicit list of cards ("Study these" on the map).

Each card is shown once, in order. A card that is due (or new) is answered normally
(`col.answer`, FSRS moves it); a card that is not due is practised (`col.practice`:
logged as practice, schedule untouched). No Qt: it drives the review screen
(`ReviewPage`) through the same `ReviewView` interface as the daily ReviewController,
and offers the methods that screen calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flashcards.collection.concept_map_actions import is_due_now
from flashcards.core.model import CardId, NoteId, Rating
from flashcards.gui import review_ops as ops
from flashcards.gui.review_models import (
    CardScreen,
    EditConflict,
    LoadedCard,
    Progress,
    ReviewState,
    SessionSummary,
)
from flashcards.gui.session_base import SessionController, summarize


@dataclass(frozen=True)
class StudiedCard:
    """One answer of the session; `practised` means the schedule was left alone."""

    card_id: CardId
    rating: Rating
    practised: bool
    duration_ms: int = 0


@dataclass(frozen=True)
class _Loaded:
    loaded: LoadedCard
    due: bool


def _load(
    col: Any, card_id: CardId, *, now: datetime, seed: int, shown_before: LoadedCard | None
) -> _Loaded:
    due = is_due_now(col, card_id, now=now)
    loaded = ops.load_card(col, card_id, now=now, seed=seed, shown_before=shown_before)
    if not due:
        # Practice leaves the schedule alone: the buttons show no intervals.
        loaded = replace(loaded, intervals={})
    return _Loaded(loaded, due)


class ListStudyController(SessionController[Callable[[], None]]):
    """Drives a ReviewView through a fixed list of card ids."""

    _due = False  # the card on screen is due: answer it, else practise it

    # -- session ------------------------------------------------------------------------

    def _new_session(self) -> None:
        self.cards: list[CardId] = []
        self.position = 0
        self.studied: list[StudiedCard] = []
        self.skipped: list[CardId] = []
        # The seed each position was shown with: an undo or an edit shows it the same way.
        self._seeds: dict[int, int] = {}
        # What the collection's undo takes back next, last first: "answer", "skip" or "flag".
        self._undoable: list[str] = []
        # What undo took back, newest last, with the answer or card it removed: for redo.
        self._redoable: list[tuple[str, StudiedCard | CardId | None]] = []
        self.screen = None

    def start(self, card_ids: Sequence[CardId | str]) -> None:
        """Begin with the first of these cards (repeats dropped, order kept)."""
        self._new_session()
        self.cards = [CardId(str(c)) for c in dict.fromkeys(card_ids)]
        self._show_position()

    @property
    def progress(self) -> Progress:
        """Answers so far, and the cards still to show (the one on screen included);
        a suspended or buried card is neither."""
        return Progress(done=len(self.studied), left=max(0, len(self.cards) - self.position))

    def summary(self) -> SessionSummary:
        return summarize(self.studied)

    # -- recording ----------------------------------------------------------------------

    def answer(self, rating: Rating) -> None:
        """Due cards: a normal review. Others: practice, schedule unchanged."""
        if self.state is not ReviewState.ANSWER or self.screen is None:
            return
        card_id = self.screen.card_id
        practised = not self._due
        duration = self._elapsed_ms()
        self.state = ReviewState.LOADING

        def work(col: Any) -> None:
            if practised:
                col.practice(card_id, rating, now=self.now(), duration_ms=duration)
            else:
                col.answer(card_id, rating, now=self.now(), duration_ms=duration)

        def done(_: None) -> None:
            self.studied.append(StudiedCard(card_id, Rating(rating), practised, duration))
            self._undoable.append("answer")
            self._redoable.clear()
            self.position += 1
            self._seeds.pop(self.position, None)  # the next card: a new presentation
            self._changed()
            self._show_position()

        self.runner.run(work, success=done, failure=self._failed, label="study")

    # -- other actions the review screen offers ---------------------------------------------

    def undo(self) -> None:
        """Take back the session's last step (answer, suspend, bury or flag) and show
        that card again."""
        if self.state is ReviewState.LOADING or not self._undoable:
            return
        self.state = ReviewState.LOADING

        def done(_: object) -> None:
            step = self._undoable.pop()
            taken: StudiedCard | CardId | None = None
            if step == "answer":
                taken = self.studied.pop()
            elif step == "skip":
                taken = self.skipped.pop()
            self._redoable.append((step, taken))
            if step != "flag":
                self.position = max(0, self.position - 1)
            self._changed()
            self._show_position()

        self.runner.run(lambda col: col.undo(), success=done, failure=self._failed, label="undo")

    def redo(self) -> None:
        """Do again the step the last undo took back, and move on as it did."""
        if self.state is ReviewState.LOADING or not self._redoable:
            self.view.show_message("Nothing to redo")
            return
        self.state = ReviewState.LOADING

        def done(_: object) -> None:
            step, taken = self._redoable.pop()
            self._undoable.append(step)
            if isinstance(taken, StudiedCard):
                self.studied.append(taken)
            elif taken is not None:
                self.skipped.append(taken)
            if step != "flag":
                self.position += 1
            self._changed()
            self._show_position()

        self.runner.run(lambda col: col.redo(), success=done, failure=self._failed, label="redo")

    def save_edit(self, note_id: NoteId, text: str, base: str | None = None) -> None:
        """Write the edited Markdown back (history kept) and show the card as the user
        left it (`_show_edited`); lines changed on disk since `base` are asked about."""
        before = self.screen

        def done(conflict: EditConflict | None) -> None:
            if conflict is None:
                self.view.show_message("Saved; review history kept.")
            self._changed()
            self._show_position(before=before)
            if conflict is not None:
                self.view.show_edit_conflict(conflict)

        self.runner.run(
            lambda col: ops.save_note(col, note_id, text, base=base),
            success=done,
            failure=self._failed,
            label="save",
        )

    # -- plumbing -----------------------------------------------------------------------

    def _flagging(self, screen: CardScreen) -> None:
        self._undoable.append("flag")
        self._redoable.clear()

    def _put_aside(self, screen: CardScreen, how: str) -> None:
        card_id = screen.card_id

        def done(_: object) -> None:
            self.skipped.append(card_id)
            self._undoable.append("skip")
            self._redoable.clear()
            self.position += 1
            self._seeds.pop(self.position, None)
            self._changed()
            self._show_position()

        self.runner.run(
            lambda col: getattr(col, how)([card_id]),
            success=done,
            failure=self._failed,
            label=how,
        )

    def _show_position(self, *, before: CardScreen | None = None) -> None:
        """Show the card at `position` (`before`: the screen an edit of it left)."""
        if self.position >= len(self.cards):
            self.screen = None
            self.state = ReviewState.SUMMARY
            self.view.show_summary(self.summary())
            return
        card_id = self.cards[self.position]
        seed = self._seeds.get(self.position)
        if seed is None:
            seed = self._seeds[self.position] = self._fresh_seed()
        if before is not None and before.card_id != card_id:
            before = None
        shown_before = before.loaded if before is not None else None
        self.state = ReviewState.LOADING
        self.view.show_loading()
        self.runner.run(
            lambda col: _load(col, card_id, now=self.now(), seed=seed, shown_before=shown_before),
            success=lambda result: self._on_loaded(result, before=before),
            failure=self._failed,
            label="study",
        )

    def _on_loaded(self, result: _Loaded, *, before: CardScreen | None = None) -> None:
        if self.state is ReviewState.IDLE:
            return  # the window closed while this was in flight
        self._due = result.due
        if before is not None:
            self._show_edited(result.loaded, before)
        else:
            self._show_card(result.loaded)
        if not result.due:
            self.view.show_message("Not due: practice only, its schedule stays as it is.")

    def _failed(self, failure: Any) -> None:
        self._settle_state()
        self._report_failure(failure)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()
