"""The review counter ("N done · M left") reads right from the first card: after each
reveal, answer and undo, in the daily review and in a "Study these" session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_window import current, open_window, press, study

from flashcards.core.model import Rating
from flashcards.gui.concept_map import ConceptMapWindow
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_controller import ReviewController
from flashcards.gui.review_models import ReviewState
from flashcards.gui.review_view import ReviewPage

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", now)
    yield win
    win.close()


def counter(window: MainWindow) -> str:
    return window.review.count_label.text()


def test_the_counter_is_right_after_every_reveal_answer_and_undo(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))  # four new cards
    assert counter(window) == "0 done · 4 left"
    press(qtbot, window, Qt.Key.Key_Space)  # the answer side
    assert counter(window) == "0 done · 4 left"
    press(qtbot, window, Qt.Key.Key_4)  # Easy: learnt, gone for today
    assert counter(window) == "1 done · 3 left"
    press(qtbot, window, Qt.Key.Key_Space)
    assert counter(window) == "1 done · 3 left"
    again = current(window).id
    press(qtbot, window, Qt.Key.Key_1)  # Again: back in a minute, so still to do
    assert counter(window) == "2 done · 3 left"
    assert "2 new · 1 learning · 0 review" in window.review.count_label.toolTip()
    press(qtbot, window, Qt.Key.Key_Space)
    assert counter(window) == "2 done · 3 left"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # undo the Again
    assert current(window).id == again
    assert counter(window) == "1 done · 3 left"
    press(qtbot, window, Qt.Key.Key_Space)
    assert counter(window) == "1 done · 3 left"
    bar = window.review.progress_bar
    assert bar.value() == round(1 / 4 * 1000)
    seen = []
    while window.controller.state is ReviewState.ANSWER:
        press(qtbot, window, Qt.Key.Key_4)
        if window.controller.state is ReviewState.QUESTION:
            press(qtbot, window, Qt.Key.Key_Space)
            seen.append(counter(window))
    assert seen == ["2 done · 2 left", "3 done · 1 left"]
    assert window.controller.state is ReviewState.SUMMARY


def test_a_learning_card_counts_only_once_the_session_would_show_it(
    qtbot: QtBot, runner: Any, collection: Any, now: datetime
) -> None:
    # A learning step of two hours: an Again card leaves this session (it comes back
    # later today), so the counter must not promise it.
    collection.save_preset(
        replace(collection.presets()[1], learning_steps=(timedelta(hours=2),)), preset_id=1
    )
    page = ReviewPage()
    qtbot.addWidget(page)
    controller = ReviewController(page, runner, now=lambda: now)
    page.controller = controller
    controller.start("Tiny")
    assert page.count_label.text() == "0 done · 4 left"
    controller.reveal()
    controller.answer(Rating.AGAIN)
    assert page.count_label.text() == "1 done · 3 left"
    texts = []
    while controller.state is ReviewState.QUESTION:
        controller.reveal()
        texts.append(page.count_label.text())
        controller.answer(Rating.EASY)
    assert texts == ["1 done · 3 left", "2 done · 2 left", "3 done · 1 left"]
    assert controller.state is ReviewState.SUMMARY
    assert sum(collection.counts("Tiny", now=now)) == 1  # later today, on the Today page


MAP_DECK = """\
---
title: Map
domain: Modeling
---

## Alpha {#alpha1}
First fact.

## Beta {#beta01 .reverse}
Second fact.

## Gamma {#gamma1}
Third {{fact}} and {{c2::more}}.
"""


def test_a_map_session_counts_the_cards_it_shows(
    qtbot: QtBot, data_dir: Path, runner: Any, now: datetime
) -> None:
    (data_dir / "decks" / "map.md").write_text(MAP_DECK, encoding="utf-8")
    runner.col.sync()
    win = ConceptMapWindow(runner, now=lambda: now)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.layout_finished, timeout=15_000):
        win.load()
    model = win.model
    assert model is not None
    for i, note in enumerate(("alpha1", "beta01", "gamma1")):
        win.select(model.index[note], additive=bool(i))
    with qtbot.waitSignal(win.study_started, timeout=5000) as started:
        win.toolbar.study_action.trigger()
    study_window = started.args[0]
    page = study_window.page
    # Three map cards make five cards: Beta has a reverse side, Gamma two blanks.
    assert study_window.windowTitle() == "Study — 5 cards from 3 on the map"
    assert page.count_label.text() == "0 done · 5 left"
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert page.count_label.text() == "0 done · 5 left"
    qtbot.keyClick(page, Qt.Key.Key_3)
    assert page.count_label.text() == "1 done · 4 left"
    skipped = study_window.controller.screen.card_id
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)  # suspend
    assert page.count_label.text() == "1 done · 3 left"
    assert runner.col.card(skipped).suspended
    qtbot.keyClick(page, Qt.Key.Key_Z, CTRL)  # takes back the suspend, not the answer
    assert not runner.col.card(skipped).suspended
    assert study_window.controller.screen.card_id == skipped
    assert page.count_label.text() == "1 done · 4 left"
    qtbot.keyClick(page, Qt.Key.Key_Z, CTRL)  # and then the answer
    assert page.count_label.text() == "0 done · 5 left"
    assert runner.col.history("alpha1") == []
    study_window.close()
    win.close()
