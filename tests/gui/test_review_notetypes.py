"""A note type's cards in the review: the hint opens on H or a click, the type-in card
takes the answer in a box under the question and compares it on reveal (issue 15.2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from review_window import ask, current, idle, open_window, press, study

from flashcards.core.model import Rating
from flashcards.core.template_side import BAD_STYLE, GOOD_STYLE, MISSED_STYLE
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState

DECK = """\
---
title: Words
notetypes:
  vocab:
    fields: [Word, Meaning, Hint]
    templates:
      - name: Recall
        front: |-
          {{Meaning}}

          {{hint:Hint}}
        back: |-
          {{FrontSide}}

          ---

          {{Word}}
      - name: Spell
        front: |-
          Spell the word for: {{Meaning}}

          {{type:Word}}
        back: |-
          {{FrontSide}}

          ---

          {{type:Word}}
---

## maison {#maison notetype=vocab}
Meaning: house
Hint: feminine, starts with m
"""


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "words.md").write_text(DECK, encoding="utf-8")
    win = open_window(qtbot, data, tmp_path / "settings.ini", now)
    win.resize(1366, 740)
    yield win
    win.close()


def _to_card(qtbot: QtBot, window: MainWindow, card_id: str) -> None:
    window.controller.review_card(card_id)
    idle(qtbot, window)
    assert current(window).card.id == card_id


def test_h_and_a_click_open_the_hint(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Words", deck="Words"))
    _to_card(qtbot, window, "maison")
    page = window.review
    assert "Show Hint" in page.browser.toHtml()
    assert "feminine" not in page.browser.toPlainText()
    assert page.type_box.isHidden()  # this card asks for nothing typed
    press(qtbot, window, Qt.Key.Key_H)
    assert "feminine, starts with m" in page.browser.toPlainText()
    assert window.controller.state is ReviewState.QUESTION
    # The answer keeps the hint open (the front is part of it), and rating goes on.
    press(qtbot, window, Qt.Key.Key_Space)
    assert "feminine" in page.browser.toPlainText() and "maison" in page.browser.toPlainText()
    # On the next showing the hint is closed again; a click on its link opens it.
    _to_card(qtbot, window, "maison")
    assert "feminine" not in page.browser.toPlainText()
    page.browser.anchorClicked.emit(QUrl("hint:0"))
    idle(qtbot, window)
    assert "feminine" in page.browser.toPlainText()


def test_the_typed_answer_is_compared_on_reveal(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Words", deck="Words"))
    _to_card(qtbot, window, "maison:t2")
    page = window.review
    box = page.type_box
    assert box.isVisible() and box.hasFocus()
    assert "maison" not in page.browser.toPlainText()
    # Letters and digits go into the box, not to the review's keys.
    qtbot.keyClicks(box, "masion 1")
    assert box.text() == "masion 1" and window.controller.state is ReviewState.QUESTION
    box.clear()
    qtbot.keyClicks(box, "masion")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    idle(qtbot, window)
    assert window.controller.state is ReviewState.ANSWER  # Enter did not also rate it
    assert box.isHidden()
    html = page.browser.toHtml()
    text = page.browser.toPlainText()
    assert "ma-sion\n↓\nmaison" in text  # what was typed (a dash where a letter is missing)
    shown = window.controller.screen.html
    assert GOOD_STYLE in shown and BAD_STYLE in shown and MISSED_STYLE in shown
    assert html  # painted
    # The rating keys work at once (the focus left the box).
    press(qtbot, window, Qt.Key.Key_3)
    history = ask(qtbot, window, lambda col: col.history("maison:t2"))
    assert [h.rating for h in history] == [Rating.GOOD]


def test_a_right_answer_is_all_green_and_an_empty_box_shows_the_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    study(qtbot, window, Scope("Words", deck="Words"))
    _to_card(qtbot, window, "maison:t2")
    qtbot.keyClicks(window.review.type_box, "maison")
    window.review.rating_bar.show_answer_clicked.emit()  # the Show answer button
    idle(qtbot, window)
    shown = window.controller.screen.html
    assert GOOD_STYLE in shown and BAD_STYLE not in shown and "↓" not in shown
    _to_card(qtbot, window, "maison:t2")
    assert window.review.type_box.text() == ""
    qtbot.keyClick(window.review.type_box, Qt.Key.Key_Return)
    idle(qtbot, window)
    text = window.review.browser.toPlainText()
    assert "maison" in text and "↓" not in text


def test_a_note_types_card_shows_images_from_elsewhere_in_the_library(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    """A deck in a sub-folder whose field shows a picture kept in another folder of the
    library: the question shows it, before and after the hint opens (the same library
    bounds as any card); one outside the library is never read."""
    data = tmp_path / "data"
    deck = data / "decks" / "french" / "house"
    deck.mkdir(parents=True)
    shared = data / "decks" / "pictures"
    shared.mkdir()
    (shared / "house.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(9))
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(9))
    text = DECK.replace(
        "Meaning: house\n",
        "Meaning: house ![a house](../../pictures/house.png) ![no](../../../../secret.png)\n",
    )
    (deck / "words.md").write_text(text, encoding="utf-8")
    win = open_window(qtbot, data, tmp_path / "settings.ini", now)
    try:
        study(qtbot, win, Scope("French::House::Words", deck="French::House::Words"))
        _to_card(qtbot, win, "maison")
        picture = (shared / "house.png").as_uri()
        assert f'src="{picture}"' in win.controller.screen.html
        assert "secret.png" not in win.controller.screen.html.replace("![no]", "")
        assert "file:" not in win.controller.screen.html.replace(picture, "")
        press(qtbot, win, Qt.Key.Key_H)  # the side again, with its hint open
        assert "feminine" in win.review.browser.toPlainText()
        assert f'src="{picture}"' in win.controller.screen.html
        press(qtbot, win, Qt.Key.Key_Space)
        assert f'src="{picture}"' in win.controller.screen.html
    finally:
        win.close()
