"""The review loop without Qt: a real collection, a synchronous runner, a recording view."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from flashcards.core.errors import FlashcardsError
from flashcards.core.model import CardKind, Flag, Rating
from flashcards.gui.review_controller import ReviewController
from flashcards.gui.review_models import IDLE_CAP_MS, Face, ReviewState


class RecordingView:
    """A passive view that remembers what it was told to show."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, Any]] = []
        self.editor: tuple[Any, str] | None = None
        self.related: Any = None

    def show_loading(self) -> None:
        self.shown.append(("loading", None))

    def show_question(self, screen: Any) -> None:
        self.shown.append(("question", screen))

    def show_answer(self, screen: Any) -> None:
        self.shown.append(("answer", screen))

    def show_summary(self, summary: Any) -> None:
        self.shown.append(("summary", summary))

    def show_progress(self, progress: Any) -> None:
        self.shown.append(("progress", progress))

    def show_editor(self, source: Any) -> None:
        self.editor = (source.note_id, source.text)

    def show_related(self, related: Any) -> None:
        self.related = related

    def show_message(self, text: str) -> None:
        self.shown.append(("message", text))

    def last(self, kind: str) -> Any:
        return next(value for k, value in reversed(self.shown) if k == kind)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def session(runner: Any, now: datetime) -> tuple[ReviewController, RecordingView, Any, Clock]:
    view, clock = RecordingView(), Clock()
    controller = ReviewController(view, runner, now=lambda: now, clock=clock)
    return controller, view, runner, clock


def test_a_whole_session_records_durations_and_ends_with_a_summary(session: Any) -> None:
    controller, view, runner, clock = session
    controller.start("Tiny")
    seen = []
    while controller.state is ReviewState.QUESTION:
        screen = view.last("question")
        seen.append(screen.loaded.view.card.kind)
        clock.t += 7.5
        controller.reveal()
        assert controller.state is ReviewState.ANSWER
        assert view.last("answer").face is Face.BACK
        controller.answer(Rating.EASY)
    assert controller.state is ReviewState.SUMMARY
    assert sorted(k.value for k in seen) == ["basic", "basic", "choice", "cloze"]
    summary = view.last("summary")
    assert summary.reviewed == 4 and summary.again == 0
    assert summary.seconds == pytest.approx(30.0)
    history = runner.col.history(view.shown[1][1].loaded.view.card.id)
    assert [h.duration_ms for h in history] == [7500]
    assert runner.failures == []


def test_next_due_is_reported_when_nothing_is_left(session: Any, now: datetime) -> None:
    controller, view, _, _ = session
    controller.start("Tiny")
    while controller.state is ReviewState.QUESTION:
        controller.reveal()
        controller.answer(Rating.EASY)
    summary = view.last("summary")
    assert summary.next_due is not None
    assert summary.next_due > now + timedelta(days=1)


def test_idle_time_is_capped(session: Any) -> None:
    controller, view, runner, clock = session
    controller.start("Tiny")
    card_id = view.last("question").card_id
    clock.t += 3600
    controller.reveal()
    controller.answer(Rating.GOOD)
    assert runner.col.history(card_id)[-1].duration_ms == IDLE_CAP_MS


def test_undo_goes_back_to_the_previous_card(session: Any) -> None:
    controller, view, runner, _ = session
    controller.start("Tiny")
    first = view.last("question").card_id
    controller.reveal()
    controller.answer(Rating.AGAIN)
    assert view.last("question").card_id != first
    assert controller.progress.done == 1
    controller.undo()
    assert controller.state is ReviewState.QUESTION
    assert view.last("question").card_id == first
    assert controller.progress.done == 0
    assert runner.col.history(first) == []


def test_multiple_choice_marks_and_suggests_a_rating(session: Any) -> None:
    controller, view, _, _ = session
    controller.start("Tiny")
    while not view.last("question").is_choice:
        controller.reveal()
        controller.answer(Rating.EASY)
    order = view.last("question").loaded.order  # the options as shown (file indexes)
    controller.toggle_choice(0)
    assert view.last("question").selected == frozenset({order[0]})
    controller.toggle_choice(0)
    controller.toggle_choice(order.index(1))  # the letter the right option shows at
    assert view.last("question").selected == frozenset({1})
    controller.reveal()
    right = view.last("answer")
    assert right.correct is True and right.suggested is Rating.GOOD
    assert "✓" in right.html


def test_a_wrong_choice_suggests_again_and_confirm_takes_it(session: Any) -> None:
    controller, view, runner, _ = session
    controller.start("Tiny")
    while not view.last("question").is_choice:
        controller.reveal()
        controller.answer(Rating.EASY)
    card_id = view.last("question").card_id
    controller.toggle_choice(view.last("question").loaded.order.index(0))  # Accuracy
    controller.reveal()
    wrong = view.last("answer")
    assert wrong.correct is False and wrong.suggested is Rating.AGAIN
    assert "✗" in wrong.html
    controller.confirm()
    assert runner.col.history(card_id)[-1].rating is Rating.AGAIN


def test_cloze_front_hides_and_back_shows(session: Any) -> None:
    controller, view, _, _ = session
    controller.start("Tiny")
    while view.last("question").loaded.view.card.kind is not CardKind.CLOZE:
        controller.reveal()
        controller.answer(Rating.EASY)
    front = view.last("question").html
    assert "TP / (TP + FP)" not in front
    controller.reveal()
    assert "TP / (TP + FP)" in view.last("answer").html


def test_suspend_bury_and_flag(session: Any) -> None:
    controller, view, runner, _ = session
    controller.start("Tiny")
    first = view.last("question").card_id
    controller.set_flag(Flag.RED)
    assert runner.col.card(first).flag is Flag.RED
    assert view.last("question").loaded.view.flag is Flag.RED
    controller.suspend()
    assert runner.col.card(first).suspended
    second = view.last("question").card_id
    assert second != first
    controller.bury()
    assert runner.col.card(second).buried
    controller.undo()
    assert not runner.col.card(second).buried
    assert view.last("question").card_id == second


def test_edit_saves_the_markdown_and_keeps_history(session: Any) -> None:
    controller, view, runner, _ = session
    controller.start("Tiny")
    card_id = view.last("question").card_id
    controller.reveal()
    controller.answer(Rating.AGAIN)  # history to keep
    controller.undo()
    controller.reveal()
    controller.answer(Rating.AGAIN)
    while view.last("question").card_id != card_id:
        controller.reveal()
        controller.answer(Rating.EASY)
    controller.edit()
    assert view.editor is not None
    note_id, source = view.editor
    assert "What is eta" in source
    controller.save_edit(note_id, source.replace("The learning rate", "The shrinkage rate"))
    assert "shrinkage" in view.last("question").loaded.back_html
    assert len(runner.col.history(card_id)) == 1
    assert "shrinkage" in (runner.col.deck_path("tiny.md")).read_text()


def test_links_open_the_related_card_with_backlinks(session: Any) -> None:
    controller, view, _, _ = session
    controller.start("Tiny")
    assert "What is eta" in view.last("question").loaded.view.card.title
    controller.open_link("card:Early%20stopping")
    related = view.related
    assert related.view.card.title == "Early stopping"
    domains = {b.domain for b in related.backlinks}
    assert domains == {"Modeling", "Data Engineering"}


def test_an_empty_deck_goes_straight_to_the_summary(
    session: Any, collection: Any, now: datetime
) -> None:
    controller, view, _, _ = session
    collection.suspend(collection.queue("Tiny", now=now))
    controller.start("Tiny")
    assert controller.state is ReviewState.SUMMARY
    assert view.last("summary").reviewed == 0


def test_a_failing_operation_is_reported_and_the_card_stays(session: Any) -> None:
    controller, view, runner, _ = session
    controller.start("Tiny")
    screen = view.last("question")
    controller.reveal()
    original = runner.col.answer

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise FlashcardsError("disk is full")

    runner.col.answer = broken
    try:
        controller.answer(Rating.GOOD)
    finally:
        runner.col.answer = original
    assert [str(f.error) for f in runner.failures] == ["disk is full"]
    assert controller.state is ReviewState.ANSWER
    assert view.last("answer").card_id == screen.card_id
    assert controller.progress.done == 0


def test_a_domain_session_covers_that_domains_decks(session: Any) -> None:
    controller, view, _, _ = session
    controller.start(None, domain="Data Engineering")
    assert view.last("question").loaded.view.domain == "Data Engineering"
    controller.reveal()
    controller.answer(Rating.EASY)
    assert controller.state is ReviewState.SUMMARY
