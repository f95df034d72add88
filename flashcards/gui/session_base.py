"""What every review session does to the card on screen, whatever feeds it the cards.

`SessionController` holds the card-level behaviour shared by the daily review loop
(`ReviewController`) and "Study these" from the concept map (`ListStudyController`):
the two sides of a card, multiple choice, flags, the note editor, links, set-aside
guards and failure reporting. A subclass says only what differs: where the next card
comes from, how a rating is recorded, progress and summary, and the end of a session.
Each presentation of a card gets a seed (`_fresh_seed`) that fixes the order of its
options (`core/choice_order.py`); a session keeps it while the card is on screen and
hands it back when an undo or an edit shows the card again.
No Qt: the view is the passive `ReviewView`, the collection is reached through a `Runner`.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from flashcards.core.card_templates import hint_count
from flashcards.core.choice_order import carried_options, carried_picks, presentation_seed
from flashcards.core.model import CardId, CardKind, Flag, NoteId, Rating
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

OnChange = TypeVar("OnChange", bound=Callable[..., None])
"""What a session calls after it changed cards (each session says with which arguments)."""


def utc_now() -> datetime:
    """The default session clock for due dates."""
    return datetime.now(UTC)


class TimedAnswer(Protocol):
    """A recorded rating with how long the user took."""

    @property
    def rating(self) -> Rating | None: ...

    @property
    def duration_ms(self) -> int: ...


def summarize(answers: Iterable[TimedAnswer]) -> SessionSummary:
    """The end-of-session figures for these answers."""
    answers = list(answers)
    return SessionSummary(
        reviewed=len(answers),
        again=sum(a.rating is Rating.AGAIN for a in answers),
        seconds=sum(a.duration_ms for a in answers) / 1000,
    )


class SessionController(abc.ABC, Generic[OnChange]):
    """Card-level actions of a review session; subclasses supply the card source."""

    def __init__(
        self,
        view: ReviewView,
        runner: Runner,
        *,
        now: Callable[[], datetime] = utc_now,
        clock: Callable[[], float] = time.monotonic,
        on_change: OnChange | None = None,
    ) -> None:
        self.view = view
        self.runner = runner
        self.now = now
        self.clock = clock
        self.on_change = on_change
        self.state = ReviewState.IDLE
        self.screen: CardScreen | None = None
        self._shown_at = 0.0
        self._presentations = 0  # never reset: every presentation's seed differs
        self._new_session()

    # -- what a session must say -------------------------------------------------------

    @property
    @abc.abstractmethod
    def progress(self) -> Progress:
        """How far the session has come."""

    @abc.abstractmethod
    def summary(self) -> SessionSummary:
        """The figures shown when the session ends."""

    @abc.abstractmethod
    def answer(self, rating: Rating) -> None:
        """1–4 on the answer side: record the rating and move on."""

    @abc.abstractmethod
    def undo(self) -> None:
        """Ctrl+Z: take back the session's last action and show its card again."""

    @abc.abstractmethod
    def redo(self) -> None:
        """Ctrl+Shift+Z: do again what the last undo took back."""

    @abc.abstractmethod
    def _new_session(self) -> None:
        """Forget the cards and answers of any earlier session (on creation and start)."""

    @abc.abstractmethod
    def _put_aside(self, screen: CardScreen, how: str) -> None:
        """Suspend or bury (`how`) the card on `screen` and move on."""

    def stop(self) -> None:
        """Leave the session (Esc): nothing pending is applied afterwards."""
        self.state = ReviewState.IDLE
        self.screen = None

    # -- the card's two sides ------------------------------------------------------------

    def reveal(self, typed: str | None = None) -> None:
        """Space/Enter on the question: show the answer (submits choices, and compares
        `typed` with the expected answer of a card that asks to type it)."""
        if self.state is not ReviewState.QUESTION or self.screen is None:
            return
        loaded = ops.with_back(self.screen.loaded)  # normally rendered already
        self.screen = replace(self.screen, loaded=loaded)
        suggested = Rating.GOOD
        correct: bool | None = None
        html = loaded.back_html
        typed = typed if self.screen.asks_typed_answer else None
        if typed or self.screen.hints:
            self.screen = replace(self.screen, typed=typed)
            html = ops.render_template_side(loaded, back=True, hints=self.screen.hints, typed=typed)
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

    def show_hint(self, index: int | None = None) -> None:
        """H, or a click on a hint's link: open hint `index` of the side shown (None: the
        next one not open yet) on a note type's card."""
        screen = self._acting_on()
        if screen is None or screen.loaded.view.card.kind is not CardKind.TEMPLATE:
            return
        back = screen.face is Face.BACK
        card = screen.loaded.view.card
        count = hint_count(card.answer if back else card.prompt)
        if index is None:
            index = next((i for i in range(count) if i not in screen.hints), None)
        if index is None or not 0 <= index < count or index in screen.hints:
            return
        hints = screen.hints | {index}
        html = ops.render_template_side(screen.loaded, back=back, hints=hints, typed=screen.typed)
        self.screen = replace(screen, hints=hints, html=html)
        self._show_current()

    def toggle_choice(self, shown: int) -> None:
        """A, B, C… on a multiple-choice question: toggle the option shown at that
        letter (0 = A). The selection holds file indexes, whatever the order shown."""
        screen = self.screen
        if self.state is not ReviewState.QUESTION or screen is None or not screen.is_choice:
            return
        if not 0 <= shown < len(screen.loaded.view.card.choices):
            return
        selected = frozenset(screen.selected ^ {screen.loaded.file_index(shown)})
        html = ops.render_front_with_choices(screen.loaded, selected)
        self.screen = replace(screen, selected=selected, html=html)
        self.view.show_question(self.screen)

    def confirm(self) -> None:
        """Space/Enter on the answer: take the pre-selected rating."""
        if self.state is ReviewState.ANSWER and self.screen is not None:
            self.answer(self.screen.suggested or Rating.GOOD)

    # -- actions on the current card -----------------------------------------------------

    def suspend(self) -> None:
        """Take the current card out of study until unsuspended."""
        self._set_aside("suspend")

    def bury(self) -> None:
        """Hide the current card until tomorrow."""
        self._set_aside("bury")

    def set_flag(self, flag: Flag) -> None:
        """Ctrl+1..4 flag the current card, Ctrl+0 clears; the side shown stays."""
        screen = self._acting_on()
        if screen is None:
            return
        card_id = screen.card_id
        self._flagging(screen)

        def work(col: Any) -> Any:
            col.set_flag([card_id], flag)
            return col.card(card_id)

        def done(view: Any) -> None:
            if self.screen is not None and self.screen.card_id == card_id:
                self.screen = replace(self.screen, loaded=replace(self.screen.loaded, view=view))
                self._show_current()

        self.runner.run(work, success=done, label="flag")

    def edit(self) -> None:
        """E / Ctrl+E: open the note's Markdown in the view's editor."""
        screen = self._acting_on()
        if screen is None:
            return
        card = screen.loaded.view.card
        note_id, title, file = NoteId(card.note_id), str(card.title), str(card.file)
        self.runner.run(
            lambda col: ops.note_source(col, note_id, title=title, file=file),
            success=self.view.show_editor,
            label="read note",
        )

    def card_info(self) -> None:
        """I: the card's info (history, memory state, links) in its own window."""
        screen = self._acting_on()
        if screen is not None:
            self.view.show_card_info(screen.card_id)

    def open_link(self, href: str, *, from_note: NoteId | None = None) -> None:
        """A `card:` link was clicked: show the linked card and its backlinks."""
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
        """A backlink in the side panel was picked: show that card there."""
        self.runner.run(
            lambda col: ops.related_by_id(col, card_id),
            success=self.view.show_related,
            label="open card",
        )

    # -- plumbing for subclasses ---------------------------------------------------------

    def _fresh_seed(self) -> int:
        """The seed of a new presentation: it fixes the order of its options."""
        self._presentations += 1
        return presentation_seed(self.now(), self._presentations)

    @property
    def _seed_on_screen(self) -> int | None:
        """The seed of the presentation on screen, to show the card again as it was."""
        return self.screen.loaded.seed if self.screen is not None else None

    def _acting_on(self) -> CardScreen | None:
        """The card an action applies to, or None when no card is on screen."""
        if self.state not in (ReviewState.QUESTION, ReviewState.ANSWER):
            return None
        return self.screen

    def _set_aside(self, how: str) -> None:
        screen = self._acting_on()
        if screen is not None:
            self._put_aside(screen, how)

    def _flagging(self, screen: CardScreen) -> None:  # noqa: B027 (optional hook)
        """Hook: the card on `screen` is about to be flagged (to record an undo step)."""

    def _show_card(self, loaded: LoadedCard, *, selected: frozenset[int] = frozenset()) -> None:
        """Put a freshly loaded card's question on screen (with options `selected`
        picked) and start its timer."""
        html = ops.render_front_with_choices(loaded, selected) if selected else loaded.front_html
        self.screen = CardScreen(
            loaded=loaded, face=Face.FRONT, html=html, progress=self.progress, selected=selected
        )
        self.state = ReviewState.QUESTION
        self._shown_at = self.clock()
        self.view.show_question(self.screen)

    def _show_edited(self, loaded: LoadedCard, before: CardScreen) -> None:
        """Show a card an edit reloaded as the user left it (`before`): on the side it
        showed, with the options that were picked (those the edit kept, now options of the
        edited card: `core/choice_order.carried_picks`) and the answer that was typed. A
        checked card is checked again, against the edited card's right options."""
        card = loaded.view.card
        picks: frozenset[int] = frozenset()
        if before.selected and card.choices:
            carried = carried_options(before.loaded.view.card, card)
            picks = carried_picks(before.selected, carried)
        self._show_card(loaded, selected=picks)
        if before.face is Face.BACK:
            self.reveal(typed=before.typed)

    def _settle_state(self) -> None:
        """Set the state to match the screen: the side it shows, or IDLE without one."""
        if self.screen is None:
            self.state = ReviewState.IDLE
        elif self.screen.face is Face.BACK:
            self.state = ReviewState.ANSWER
        else:
            self.state = ReviewState.QUESTION

    def _show_current(self) -> None:
        """Paint the current screen again, on the side it shows."""
        if self.screen is None:
            return
        if self.screen.face is Face.BACK:
            self.view.show_answer(self.screen)
        else:
            self.view.show_question(self.screen)

    def _report_failure(self, failure: Any) -> None:
        """Hand a worker failure to the runner's reporter, or raise it (tests)."""
        default = getattr(self.runner, "default_failure", None)
        if default is None:
            raise failure.error
        default(failure)

    def _elapsed_ms(self) -> int:
        return min(int((self.clock() - self._shown_at) * 1000), IDLE_CAP_MS)
