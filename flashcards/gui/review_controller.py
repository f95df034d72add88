"""The review loop, Mnemosyne-style: a controller that drives a passive view.

No Qt imports: the controller talks to the collection through a `Runner` (the app's
serialized worker, or a synchronous runner in tests) and to the screen through
`ReviewView`. Every collection call happens inside a runner function; the controller
only keeps frozen values between calls.

What any session does to the card on screen (reveal, choices, flags, the editor, links)
is `SessionController`'s (session_base.py); this file adds the daily queue: the next
due card, answers, undo and redo, remaining counts and the summary with the next due time.

The counter comes from the collection, never from guesses here: each step fetches the
next card and what is left of the session in one worker call (`review_ops.fetch_next`),
after the answer (or undo, or edit) it follows, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flashcards.core.model import CardId, NoteId, Rating
from flashcards.gui import review_ops as ops
from flashcards.gui.review_models import (
    BACKGROUND,
    CardScreen,
    EditConflict,
    LoadedCard,
    NextCard,
    Progress,
    ReviewState,
    SessionSummary,
)
from flashcards.gui.session_base import SessionController, summarize


class UndoKind:
    ANSWER = "answer"
    SET_ASIDE = "set_aside"  # suspend or bury: the card left the queue
    FLAG = "flag"


@dataclass(frozen=True)
class _Done:
    """One undoable step of this session."""

    card_id: CardId
    kind: str
    rating: Rating | None = None
    duration_ms: int = 0
    deck: str = ""
    seed: int | None = None  # the presentation's: undo shows its options in the same order
    # The card on screen when an undo took this step back, with its seed: a redo shows
    # it again in the same order.
    then_shown: tuple[CardId, int | None] | None = None


class ReviewController(SessionController[Callable[[frozenset[str]], None]]):
    """One review session over a deck (or all decks when `deck` is None).

    `on_change` is told which decks' counts moved (an empty set: it cannot say which).
    """

    # -- session -------------------------------------------------------------------------

    def _new_session(self) -> None:
        self.scope = ops.Scope()  # everything, until start() names a deck
        self._steps: list[_Done] = []
        self._undone: list[_Done] = []  # what undo took back, newest last: for redo
        self._left: tuple[int, int, int] = (0, 0, 0)  # new, learning, review still shown
        self.screen = None

    def start(self, deck: str | None = None, *, domain: str | None = None) -> None:
        """Begin a session over a deck or folder (or an exam domain; None = all)."""
        self._new_session()
        self.scope = ops.Scope(deck=deck, domain=domain)
        scope = self.scope
        seed = self._fresh_seed()
        self._load(lambda col: ops.fetch_next(col, scope, now=self.now(), seed=seed))

    def review_card(self, card_id: CardId) -> None:
        """Show one particular card next (from a link, the browser, or a screenshot)."""
        if self.state is ReviewState.IDLE:
            self._steps = []
            self._undone = []
        scope = self.scope
        seed = self._fresh_seed()
        self._load(lambda col: ops.fetch_card(col, card_id, scope, now=self.now(), seed=seed))

    @property
    def progress(self) -> Progress:
        done = sum(s.kind == UndoKind.ANSWER for s in self._steps)
        return Progress(done=done, left=sum(self._left), parts=self._left)

    def summary(self) -> SessionSummary:
        return summarize(s for s in self._steps if s.kind == UndoKind.ANSWER)

    # -- recording ----------------------------------------------------------------------

    def answer(self, rating: Rating) -> None:
        """1–4 on the answer side: record the rating and move to the next card."""
        if self.state is not ReviewState.ANSWER or self.screen is None:
            return
        card_id = self.screen.card_id
        duration_ms = self._elapsed_ms()
        scope = self.scope
        deck_name = str(self.screen.loaded.view.deck)
        shown = self._seed_on_screen
        self._steps.append(
            _Done(card_id, UndoKind.ANSWER, rating, duration_ms, deck_name, seed=shown)
        )
        self._undone.clear()  # a new change: nothing left to redo
        seed = self._fresh_seed()

        def work(col: Any) -> NextCard:
            now = self.now()
            change = col.answer(card_id, rating, now=now, duration_ms=duration_ms)
            fetched = ops.fetch_next(col, scope, now=now, seed=seed)
            if getattr(change, "leeches", None):
                return replace(fetched, notice=ops.leech_notice(col, change, now=now))
            return fetched

        self._load(work, failure_undo=True)
        self._changed(deck_name)

    # -- actions on the current card -----------------------------------------------------

    def undo(self) -> None:
        """Ctrl+Z: take back the last step and show that card's question again."""
        if self.state is ReviewState.LOADING:
            return
        step = self._steps.pop() if self._steps else None
        if step is not None:
            screen = self.screen
            shown = (screen.card_id, screen.loaded.seed) if screen is not None else None
            self._undone.append(replace(step, then_shown=shown))
        scope = self.scope
        seed = self._fresh_seed() if step is None else step.seed

        def work(col: Any) -> NextCard:
            now = self.now()
            col.undo()
            if step is None:
                return ops.fetch_next(col, scope, now=now, seed=seed)
            return ops.fetch_card(col, step.card_id, scope, now=now, seed=seed)

        self._load(work)
        self._changed(step.deck if step is not None else None)

    def redo(self) -> None:
        """Ctrl+Shift+Z: do again what the last undo took back (an answer, a suspension,
        a flag) and go on from there."""
        if self.state is ReviewState.LOADING:
            return
        step = self._undone.pop() if self._undone else None
        if step is not None:
            self._steps.append(step)
        scope = self.scope
        seed = self._fresh_seed() if step is None or step.kind != UndoKind.FLAG else step.seed

        def work(col: Any) -> NextCard:
            now = self.now()
            change = col.redo()
            if step is not None and step.kind == UndoKind.FLAG:  # the card stays on screen
                fetched = ops.fetch_card(col, step.card_id, scope, now=now, seed=seed)
            else:
                shown = step.then_shown if step is not None else None
                fetched = ops.fetch_next(col, scope, now=now, seed=seed, shown=shown)
            label = change.label.removeprefix("Redo ") if change is not None else ""
            return replace(fetched, notice=f"Redid {label}" if label else "Nothing to redo")

        def failed(failure: Any) -> None:
            if step is not None:
                self._steps.pop()
                self._undone.append(step)
            self._restore_after_failure(failure)

        self.state = ReviewState.LOADING
        self.view.show_loading()
        self.runner.run(work, success=self._on_loaded, failure=failed, label="redo")
        self._changed(step.deck if step is not None else None)

    def save_edit(self, note_id: NoteId, text: str, base: str | None = None) -> None:
        """Write the edited Markdown back (history kept) and show the card afresh. With
        `base` (the lines the editor loaded), lines changed on disk since are not
        overwritten: the card is shown as it is now and the view asks what to keep."""
        screen = self.screen
        card_id = screen.card_id if screen is not None else None
        before = screen.loaded if screen is not None else None
        scope = self.scope
        # The edited card comes back in the order it had (a new one gets a fresh order).
        same, fresh = self._seed_on_screen, self._fresh_seed()

        def work(col: Any) -> tuple[NextCard, EditConflict | None]:
            now = self.now()
            conflict = ops.save_note(col, note_id, text, base=base)
            if card_id is not None:
                reloaded = ops.try_load_card(col, card_id, now=now, seed=same, shown_before=before)
                if reloaded is not None:
                    return NextCard(reloaded, ops.count_left(col, scope, now=now)), conflict
            return ops.fetch_next(col, scope, now=now, seed=fresh), conflict

        def done(result: tuple[NextCard, EditConflict | None]) -> None:
            fetched, conflict = result
            if conflict is None:
                self.view.show_message("Saved; review history kept.")
            self._on_loaded(fetched, before=screen)
            self._changed(str(screen.loaded.view.deck) if screen is not None else None)
            if conflict is not None:  # the card shows the lines on disk; ask about mine
                self.view.show_edit_conflict(conflict)

        self.state = ReviewState.LOADING
        self.runner.run(work, success=done, failure=self._restore_after_failure, label="save")

    # -- plumbing ------------------------------------------------------------------------

    def _flagging(self, screen: CardScreen) -> None:
        deck = str(screen.loaded.view.deck)
        self._steps.append(_Done(screen.card_id, UndoKind.FLAG, deck=deck, seed=screen.loaded.seed))
        self._undone.clear()

    def _put_aside(self, screen: CardScreen, how: str) -> None:
        card_id = screen.card_id
        scope = self.scope
        deck = str(screen.loaded.view.deck)
        self._steps.append(_Done(card_id, UndoKind.SET_ASIDE, deck=deck, seed=screen.loaded.seed))
        self._undone.clear()
        seed = self._fresh_seed()

        def work(col: Any) -> NextCard:
            getattr(col, how)([card_id])
            return ops.fetch_next(col, scope, now=self.now(), seed=seed)

        self._load(work, failure_undo=True)
        self._changed(str(screen.loaded.view.deck))
        self.view.show_message(
            "Card suspended." if how == "suspend" else "Card buried until tomorrow."
        )

    def _load(self, work: Callable[[Any], NextCard], *, failure_undo: bool = False) -> None:
        self.state = ReviewState.LOADING
        self.view.show_loading()

        def failed(failure: Any) -> None:
            if failure_undo and self._steps:
                self._steps.pop()
            self._restore_after_failure(failure)

        self.runner.run(work, success=self._on_loaded, failure=failed, label="review")

    def _restore_after_failure(self, failure: Any) -> None:
        """Put back the card that was on screen (if any), then report the failure."""
        self._settle_state()
        self._show_current()
        self._report_failure(failure)

    def _on_loaded(self, fetched: NextCard, *, before: CardScreen | None = None) -> None:
        """Show the card fetched; `before` is the screen an edit left (if the card is
        the same, it comes back as the user left it: `_show_edited`)."""
        if self.state is ReviewState.IDLE:
            return  # the user left the session while this was in flight
        self._left = fetched.left
        if fetched.notice:
            self.view.show_message(fetched.notice)
        loaded = fetched.loaded
        if loaded is None:
            self._finish()
            return
        if before is not None and before.card_id == CardId(loaded.view.card.id):
            self._show_edited(loaded, before)
            return
        self._show_card(loaded)
        if not loaded.back_html:
            self._render_back(loaded)

    def _render_back(self, loaded: LoadedCard) -> None:
        """Render the answer side while the user reads the question."""

        def done(full: LoadedCard) -> None:
            screen = self.screen
            if screen is not None and screen.loaded is loaded:
                self.screen = replace(screen, loaded=full)

        self.runner.run(
            lambda col: ops.with_back(loaded), success=done, label="render", priority=BACKGROUND
        )

    def _show_current(self) -> None:
        if self.screen is None:
            return
        # Counts may have moved and a failure may have left the state behind.
        self.screen = replace(self.screen, progress=self.progress)
        self._settle_state()
        super()._show_current()

    def _finish(self) -> None:
        self.screen = None
        self.state = ReviewState.SUMMARY
        summary = self.summary()
        self.view.show_summary(summary)

        def with_due(when: datetime | None) -> None:
            if self.state is ReviewState.SUMMARY and when is not None:
                self.view.show_summary(replace(summary, next_due=when))

        scope = self.scope
        self.runner.run(
            lambda col: ops.next_due(col, scope, now=self.now()),
            success=with_due,
            label="next due",
            priority=BACKGROUND,
        )

    def _changed(self, deck: str | None) -> None:
        """Tell the window which deck's counts moved (None: it cannot say which)."""
        if self.on_change is not None:
            self.on_change(frozenset({deck}) if deck else frozenset())
