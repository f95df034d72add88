"""The welcome and the Today page agree on where a newcomer starts: the Getting started
tour while it has new cards, then every deck; and they say what Space then studies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from review_window import current, idle, open_window, press

from flashcards.core.model import Rating
from flashcards.gui import dialogs
from flashcards.gui.deck_tree import Scope
from flashcards.gui.home_page import tour_cards
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState
from flashcards.gui.worker import CollectionWorker


def welcome_dialogs() -> list[dialogs.WelcomeDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, dialogs.WelcomeDialog) and w.isVisible()
    ]


def test_a_fresh_collection_starts_with_the_tour_and_the_welcome_says_so(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    from flashcards.collection import Collection

    data_dir = tmp_path / "fresh"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    worker = CollectionWorker(lambda: Collection.open(data_dir))  # the bundled decks
    window = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.show_welcome_once()  # as on first start: before Today's counts are in
    assert welcome_dialogs() == []
    window.start(sync=False)
    qtbot.waitUntil(lambda: bool(welcome_dialogs()), timeout=20_000)
    idle(qtbot, window)
    home = window.home
    assert home.study_button.text() == "Study Getting started"
    assert home.scope == Scope("Getting started", deck="Getting started")
    assert home.today is not None and home.today.tour is not None
    cards = tour_cards(home.today.tour)
    assert cards > 10
    assert f"{cards} cards that show how the app works" in home.study_hint.text()
    welcome = welcome_dialogs()[0]
    text = welcome.text.text()
    assert "<b>Study Getting started</b> (or Space) starts with that deck" in text
    assert f"{cards} short cards" in text
    assert "Getting started, then the exam decks" not in text  # what it said before
    label = welcome.text  # nothing cut off: its last line is the F1 hint
    assert "Keyboard shortcuts (F1)" in text
    assert label.height() >= label.heightForWidth(label.width())
    assert welcome.height() <= 768 - 40
    welcome.accept()

    press(qtbot, window, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.review
    assert window.review.count_label.text() == f"0 done · {cards} left"  # as promised
    seen = set()
    while window.controller.state is ReviewState.QUESTION:
        assert current(window).deck == "Getting started"
        seen.add(current(window).id)
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
    assert len(seen) == cards
    press(qtbot, window, Qt.Key.Key_Escape)  # back to Today: the tour is done
    qtbot.waitUntil(lambda: home.study_button.text() == "Study now", timeout=10_000)
    assert home.scope == Scope("All decks")
    assert home.study_hint.text() == "Space or Enter"
    assert "takes today's new and due cards from every deck" in home.start_sentence()
    press(qtbot, window, Qt.Key.Key_Space)
    assert current(window).deck != "Getting started"
    window.close()


def test_a_deck_picked_in_the_sidebar_wins_over_the_tour(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    window = open_window(qtbot, tmp_path / "fresh", tmp_path / "s.ini", now, seed=True)
    home = window.home
    assert home.study_button.text() == "Study Getting started"
    home.set_scope(Scope("All decks"))
    window.refresh()
    idle(qtbot, window)
    assert home.study_button.text() == "Study now"
    assert home.study_hint.text() == "Space or Enter"
    assert "from every deck" in home.start_sentence()
    window.close()


def test_someone_who_studied_other_decks_is_past_the_tour(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    from flashcards.collection import Collection

    data_dir = tmp_path / "fresh"
    with Collection.open(data_dir) as col:
        exam_card = col.queue("AWS ML Specialty", now=now)[0]
        col.answer(exam_card, Rating.GOOD, now=now)
    window = open_window(qtbot, data_dir, tmp_path / "s.ini", now)
    assert window.home.today is not None and window.home.today.tour is None
    assert window.home.study_button.text() == "Study now"
    window.close()


def test_without_the_tour_study_now_takes_every_deck(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime
) -> None:
    window = open_window(qtbot, data_dir, tmp_path / "s.ini", now, welcomed=False)
    window.show_welcome_once()
    qtbot.waitUntil(lambda: bool(welcome_dialogs()), timeout=5000)
    welcome = welcome_dialogs()[0]
    assert window.home.study_button.text() == "Study now"
    assert "<b>Study now</b> (or Space) takes today's new and due cards" in welcome.text.text()
    welcome.accept()
    window.close()
