"""Shuffled options in a review session, without Qt (issue 13.2): each presentation draws
an order, the letters follow it, it holds while the card is on screen (picks, flags, the
answer side, an edit) and through undo, the map's study window does the same, and the
setting off shows the file's order. Real collection, synchronous runner."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from quiz_deck import SINGLES, file_texts, write_quiz
from test_review_controller import Clock, RecordingView

from flashcards.core.model import CardId, Flag, NoteId, Rating
from flashcards.gui.concept_map.study_session import ListStudyController
from flashcards.gui.review_controller import ReviewController
from flashcards.gui.review_models import CardScreen, Face, ReviewState

ROW = re.compile(r"<tr>.*?</tr>", re.DOTALL)
LETTER = re.compile(r"&nbsp;([A-Z])&nbsp;")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_quiz(tmp_path / "data")


@pytest.fixture
def session(runner: Any, now: datetime) -> tuple[ReviewController, RecordingView, Any]:
    view = RecordingView()
    return ReviewController(view, runner, now=lambda: now, clock=Clock()), view, runner


def rows(screen: CardScreen) -> list[tuple[str, str]]:
    """(letter, option text) per row of the screen's HTML, top to bottom."""
    found = []
    for row in ROW.findall(screen.html):
        letter = LETTER.search(row)
        assert letter is not None
        text = next(t for t in file_texts(screen.loaded.view.card) if f">{t}<" in row)
        found.append((letter.group(1), text))
    return found


def shown_texts(screen: CardScreen) -> list[str]:
    return [text for _, text in rows(screen)]


def test_each_question_is_shown_in_its_own_order_lettered_as_shown(session: Any) -> None:
    controller, view, _ = session
    controller.start("Quiz")
    right_letters = Counter()
    orders = set()
    while controller.state is ReviewState.QUESTION:
        screen = view.last("question")
        card = screen.loaded.view.card
        order = screen.loaded.order
        assert order is not None and sorted(order) == list(range(len(card.choices)))
        orders.add(order)
        assert [letter for letter, _ in rows(screen)] == list("ABCDE"[: len(order)])
        assert shown_texts(screen) == [file_texts(card)[i] for i in order]
        for index in card.correct:
            right_letters["ABCDE"[order.index(index)]] += 1
        controller.reveal()
        assert shown_texts(view.last("answer")) == [file_texts(card)[i] for i in order]
        controller.answer(Rating.EASY)
    assert sum(right_letters.values()) == SINGLES + 2
    assert len(orders) > 3 and right_letters["B"] < SINGLES  # not "always B" any more


def test_the_order_holds_through_picks_flags_the_answer_and_an_edit(session: Any) -> None:
    controller, view, runner = session
    controller.review_card(CardId("quiz03"))
    first = view.last("question")
    shown = shown_texts(first)
    controller.toggle_choice(2)
    assert view.last("question").selected == {first.loaded.order[2]}
    assert shown_texts(view.last("question")) == shown
    controller.set_flag(Flag.RED)
    assert shown_texts(controller.screen) == shown
    controller.reveal()
    assert shown_texts(view.last("answer")) == shown
    controller.edit()
    note_id, source = view.editor
    controller.save_edit(NoteId(note_id), source.replace("Bravo 3.", "Bravo 3, edited."))
    back = view.last("answer")
    assert back.card_id == "quiz03" and back.face is Face.BACK
    assert "edited" in back.html and shown_texts(back) == shown
    assert runner.failures == []


def test_the_letter_shown_decides_what_is_picked_and_checked(session: Any) -> None:
    controller, view, runner = session
    controller.review_card(CardId("pick02"))
    screen = view.last("question")
    order = screen.loaded.order
    for index in (1, 2):  # Banana and Cherry, wherever they are shown
        controller.toggle_choice(order.index(index))
    assert view.last("question").selected == {1, 2}
    controller.reveal()
    assert view.last("answer").correct is True
    assert view.last("answer").suggested is Rating.GOOD
    controller.confirm()
    assert [h.rating for h in runner.col.history("pick02")] == [Rating.GOOD]


def test_undo_shows_the_card_again_in_the_order_it_had(session: Any) -> None:
    controller, view, runner = session
    controller.start("Quiz")
    answered = view.last("question")
    controller.reveal()
    controller.answer(Rating.AGAIN)
    buried = view.last("question")
    assert buried.card_id != answered.card_id
    controller.bury()
    flagged = view.last("question")
    controller.set_flag(Flag.BLUE)

    controller.undo()  # the flag: the card stays, as it was shown
    assert controller.screen.card_id == flagged.card_id
    assert controller.screen.loaded.order == flagged.loaded.order
    assert controller.screen.html == flagged.html
    controller.undo()  # the bury
    assert controller.screen.card_id == buried.card_id
    assert controller.screen.html == buried.html
    controller.undo()  # the answer
    assert controller.screen.card_id == answered.card_id
    assert controller.screen.loaded.order == answered.loaded.order
    assert controller.screen.html == answered.html
    assert runner.col.history(answered.card_id) == []


def test_each_new_presentation_draws_again(session: Any) -> None:
    controller, view, _ = session
    orders = []
    for _ in range(12):
        controller.review_card(CardId("quiz01"))
        orders.append(view.last("question").loaded.order)
    assert len(set(orders)) > 4
    assert len({o.index(1) for o in orders}) > 2  # the right one moves about


def test_with_the_setting_off_the_file_order_is_shown(session: Any) -> None:
    controller, view, runner = session
    runner.col.set_setting("shuffle_choices", False)
    controller.start("Quiz")
    screen = view.last("question")
    assert screen.loaded.order is None
    assert shown_texts(screen) == file_texts(screen.loaded.view.card)
    controller.toggle_choice(1)  # B, as the file has it: the right one
    controller.reveal()
    assert view.last("answer").correct is True


def test_the_maps_study_window_shuffles_and_undo_keeps_the_order(
    runner: Any, now: datetime
) -> None:
    view = RecordingView()
    controller = ListStudyController(view, runner, now=lambda: now, clock=Clock())
    controller.start([f"quiz{n:02d}" for n in range(1, SINGLES + 1)])
    first = view.last("question")
    orders = {first.loaded.order}
    controller.toggle_choice(first.loaded.order.index(1))
    controller.reveal()
    assert view.last("answer").correct is True
    controller.answer(Rating.GOOD)
    while controller.state is ReviewState.QUESTION:
        orders.add(view.last("question").loaded.order)
        controller.reveal()
        controller.answer(Rating.GOOD)
    assert len(orders) > 3
    for _ in range(SINGLES - 1):
        controller.undo()
    assert controller.screen is not None and controller.screen.card_id == "quiz02"
    controller.undo()
    assert controller.screen.card_id == first.card_id
    assert controller.screen.loaded.order == first.loaded.order
    assert controller.screen.html == first.html
