"""A review session over an explicit list of cards ("Study these" on the map).

Each card is shown once, in order. A card that is due (or new) is answered normally
(`col.answer`, FSRS moves it); a card that is not due is practised (`col.practice`:
logged as practice, schedule untouched). No Qt: it drives the review screen
(`ReviewPage`) through the same `ReviewView` interface as the daily ReviewController,
and offers the methods that screen calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flashcards.collection.concept_map import is_due_now
from flashcards.core.model import CardId, Flag, NoteId, Rating
from flashcards.gui import review_ops as ops
from flashcards.gui.review_models import (
    IDLE_CAP_MS,
    CardScreen,
    Face,
    LoadedCard,
    Progress,
    ReviewState,
    ReviewView,
    Runner,
    SessionSummary,
)


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _load(col: Any, card_id: CardId, *, now: datetime) -> _Loaded:
    due = is_due_now(col, card_id, now=now)
    loaded = ops.load_card(col, card_id, now=now)
    if not due:
        # Practice leaves the schedule alone: the buttons show no intervals.
        loaded = replace(loaded, intervals={})
    return _Loaded(loaded, due)


class ListStudyController:
    """Drives a ReviewView through a fixed list of card ids."""

    def __init__(
        self,
        view: ReviewView,
        runner: Runner,
        *,
        now: Callable[[], datetime] = _utc_now,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.view = view
        self.runner = runner
        self.now = now
        self.clock = clock
        self.on_change = on_change
        self.state = ReviewState.IDLE
        self.screen: CardScreen | None = None
        self.cards: list[CardId] = []
        self.position = 0
        self.studied: list[StudiedCard] = []
        self.skipped: list[CardId] = []
        self._due = False
        self._shown_at = 0.0

    # -- session ------------------------------------------------------------------------

    def start(self, card_ids: Sequence[CardId | str]) -> None:
        self.cards = [CardId(str(c)) for c in dict.fromkeys(card_ids)]
        self.position = 0
        self.studied = []
        self.skipped = []
        self.screen = None
        self._show_position()

    def stop(self) -> None:
        self.state = ReviewState.IDLE
        self.screen = None

    @property
    def progress(self) -> Progress:
        return Progress(done=self.position, left=max(0, len(self.cards) - self.position))

    def summary(self) -> SessionSummary:
        return SessionSummary(
            reviewed=len(self.studied),
            again=sum(s.rating is Rating.AGAIN for s in self.studied),
            seconds=sum(s.duration_ms for s in self.studied) / 1000,
        )

    # -- the card's sides ---------------------------------------------------------------

    def reveal(self) -> None:
        if self.state is not ReviewState.QUESTION or self.screen is None:
            return
        loaded = self.screen.loaded
        suggested, correct, html = Rating.GOOD, None, loaded.back_html
        if self.screen.is_choice:
            selected = self.screen.selected
            correct = selected == loaded.view.card.correct
            suggested = Rating.GOOD if correct else Rating.AGAIN
            html = ops.render_back_with_choices(loaded, selected)
        self.screen = replace(
            self.screen, face=Face.BACK, html=html, suggested=suggested, correct=correct
        )
        self.state = ReviewState.ANSWER
        self.view.show_answer(self.screen)

    def toggle_choice(self, index: int) -> None:
        screen = self.screen
        if self.state is not ReviewState.QUESTION or screen is None or not screen.is_choice:
            return
        if not 0 <= index < len(screen.loaded.view.card.choices):
            return
        selected = frozenset(screen.selected ^ {index})
        html = ops.render_front_with_choices(screen.loaded, selected)
        self.screen = replace(screen, selected=selected, html=html)
        self.view.show_question(self.screen)

    def confirm(self) -> None:
        if self.state is ReviewState.ANSWER and self.screen is not None:
            self.answer(self.screen.suggested or Rating.GOOD)

    def answer(self, rating: Rating) -> None:
        """Due cards: a normal review. Others: practice, schedule unchanged."""
        if self.state is not ReviewState.ANSWER or self.screen is None:
            return
        card_id = self.screen.card_id
        practised = not self._due
        duration = min(int((self.clock() - self._shown_at) * 1000), IDLE_CAP_MS)
        self.state = ReviewState.LOADING

        def work(col: Any) -> None:
            if practised:
                col.practice(card_id, rating, now=self.now(), duration_ms=duration)
            else:
                col.answer(card_id, rating, now=self.now(), duration_ms=duration)

        def done(_: None) -> None:
            self.studied.append(StudiedCard(card_id, Rating(rating), practised, duration))
            self.position += 1
            self._changed()
            self._show_position()

        self.runner.run(work, success=done, failure=self._failed, label="study")

    # -- other actions the review screen offers ---------------------------------------------

    def undo(self) -> None:
        """Take back the last answer of this session and show that card again."""
        if self.state is ReviewState.LOADING or not self.studied:
            return
        self.state = ReviewState.LOADING

        def done(_: object) -> None:
            self.studied.pop()
            self.position = max(0, self.position - 1)
            self._changed()
            self._show_position()

        self.runner.run(lambda col: col.undo(), success=done, failure=self._failed, label="undo")

    def suspend(self) -> None:
        self._set_aside("suspend")

    def bury(self) -> None:
        self._set_aside("bury")

    def set_flag(self, flag: Flag) -> None:
        screen = self.screen
        if screen is None or self.state not in (ReviewState.QUESTION, ReviewState.ANSWER):
            return
        card_id = screen.card_id

        def work(col: Any) -> Any:
            col.set_flag([card_id], flag)
            return col.card(card_id)

        def done(view: Any) -> None:
            if self.screen is not None and self.screen.card_id == card_id:
                self.screen = replace(self.screen, loaded=replace(self.screen.loaded, view=view))
                if self.screen.face is Face.BACK:
                    self.view.show_answer(self.screen)
                else:
                    self.view.show_question(self.screen)

        self.runner.run(work, success=done, label="flag")

    def edit(self) -> None:
        screen = self.screen
        if screen is None or self.state not in (ReviewState.QUESTION, ReviewState.ANSWER):
            return
        note_id = NoteId(screen.loaded.view.card.note_id)
        title = str(screen.loaded.view.card.title)
        self.runner.run(
            lambda col: col.note_source(note_id),
            success=lambda source: self.view.show_editor(note_id, source, title=title),
            label="read note",
        )

    def save_edit(self, note_id: NoteId, text: str) -> None:
        def done(_: object) -> None:
            self.view.show_message("Saved; review history kept.")
            self._changed()
            self._show_position()

        self.runner.run(
            lambda col: col.update_note_source(note_id, text),
            success=done,
            failure=self._failed,
            label="save",
        )

    def open_link(self, href: str, *, from_note: NoteId | None = None) -> None:
        source = from_note
        if source is None and self.screen is not None:
            source = NoteId(self.screen.loaded.view.card.note_id)
        if source is None:
            return
        note = source
        self.runner.run(
            lambda col: ops.resolve_link(col, href, from_note=note),
            success=self.view.show_related,
            label="open link",
        )

    def open_related(self, card_id: CardId) -> None:
        self.runner.run(
            lambda col: ops.related_by_id(col, card_id),
            success=self.view.show_related,
            label="open card",
        )

    # -- plumbing -----------------------------------------------------------------------

    def _set_aside(self, how: str) -> None:
        screen = self.screen
        if screen is None or self.state not in (ReviewState.QUESTION, ReviewState.ANSWER):
            return
        card_id = screen.card_id

        def done(_: object) -> None:
            self.skipped.append(card_id)
            self.position += 1
            self._changed()
            self._show_position()

        self.runner.run(
            lambda col: getattr(col, how)([card_id]),
            success=done,
            failure=self._failed,
            label=how,
        )

    def _show_position(self) -> None:
        if self.position >= len(self.cards):
            self.screen = None
            self.state = ReviewState.SUMMARY
            self.view.show_summary(self.summary())
            return
        card_id = self.cards[self.position]
        self.state = ReviewState.LOADING
        self.view.show_loading()
        self.runner.run(
            lambda col: _load(col, card_id, now=self.now()),
            success=self._on_loaded,
            failure=self._failed,
            label="study",
        )

    def _on_loaded(self, result: _Loaded) -> None:
        if self.state is ReviewState.IDLE:
            return  # the window closed while this was in flight
        self._due = result.due
        loaded = result.loaded
        self.screen = CardScreen(
            loaded=loaded, face=Face.FRONT, html=loaded.front_html, progress=self.progress
        )
        self.state = ReviewState.QUESTION
        self._shown_at = self.clock()
        self.view.show_question(self.screen)
        if not result.due:
            self.view.show_message("Not due: practice only, its schedule stays as it is.")

    def _failed(self, failure: Any) -> None:
        self.state = ReviewState.QUESTION if self.screen is not None else ReviewState.IDLE
        if self.screen is not None:
            self.state = ReviewState.ANSWER if self.screen.face is Face.BACK else self.state
        default = getattr(self.runner, "default_failure", None)
        if default is None:
            raise failure.error
        default(failure)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()
