"""Card info with real keys: I in the review and Ctrl+Shift+I (or the context menu) in the
browser open it on the card at hand, with its history, memory state and links; a link
opens that card's info, Alt+Left goes back, Esc closes. A leech is announced."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from review_window import Clock, ask, current, idle, open_window, press, study

from flashcards.core.model import Rating
from flashcards.gui import shortcut_list as keys
from flashcards.gui.browser import BrowserWindow
from flashcards.gui.card_info import CardInfoWindow
from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_models import ReviewState

ETA = "What is eta in XGBoost?"
ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, clock: Clock) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir, tmp_path / "settings.ini", clock)
    win.resize(1366, 740)
    yield win
    win.close()


def info_window(qtbot: QtBot, owner: Any, title: str) -> CardInfoWindow:
    """The card-info window of `owner`, once it shows the card called `title`."""
    qtbot.waitUntil(lambda: owner.findChild(CardInfoWindow) is not None, timeout=5000)
    info = owner.findChild(CardInfoWindow)
    qtbot.addWidget(info)
    qtbot.waitUntil(
        lambda: info.info is not None and info.info.view.card.title == title, timeout=5000
    )
    return info


def list_texts(widget: Any) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def test_i_in_the_review_shows_history_state_and_links(
    qtbot: QtBot, window: MainWindow, clock: Clock
) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    assert current(window).card.title == ETA
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)  # Good: a learning step
    clock.now += timedelta(minutes=15)
    while current(window).card.title != ETA:  # the other new cards, then eta again
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_3)  # graduates
    # Show it again (as a link or the browser would) and press I on its question.
    view = ask(qtbot, window, lambda col: col.card(col.search("eta XGBoost")[0]))
    window.controller.review_card(view.id)
    idle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_I)

    info = info_window(qtbot, window, ETA)
    assert info.isVisible()
    assert info.history.rowCount() == 2
    cells = [info.history.item(0, c).text() for c in range(info.history.columnCount())]
    assert cells[1] == "Learn" and cells[2] == "Good"  # newest first
    assert info.history.item(1, 3).text() == "10 minutes"  # the first step's interval
    assert info.values["Reviews"].text() == "2"
    assert info.values["Lapses"].text() == "0"
    assert info.values["Stability"].text().endswith("days")
    assert info.values["Difficulty"].text().endswith("of 10")
    assert info.values["Recall now"].text().endswith("%")
    assert "Tiny" in info.place.text() and "Modeling" in info.place.text()
    assert list_texts(info.links) == ["Early stopping  ·  Tiny"]
    assert list_texts(info.backlinks) == ["No card links here."]
    assert window.controller.state is ReviewState.QUESTION  # the review waits underneath

    # A link opens that card's info; Alt+Left comes back; Esc closes.
    info.links.setFocus()
    info.links.setCurrentRow(0)
    qtbot.keyClick(info.links, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: info.info.view.card.title == "Early stopping", timeout=5000)
    assert info.history.rowCount() == 1  # rated Easy above
    assert sorted(list_texts(info.backlinks)) == [
        "Streaming validation metrics  ·  Data",
        f"{ETA}  ·  Tiny",
    ]
    streaming = next(
        i for i in range(info.backlinks.count()) if "Streaming" in info.backlinks.item(i).text()
    )
    qtbot.mouseClick(
        info.backlinks.viewport(),
        Qt.MouseButton.LeftButton,
        pos=info.backlinks.visualItemRect(info.backlinks.item(streaming)).center(),
    )
    qtbot.waitUntil(lambda: "Streaming" in info.info.view.card.title, timeout=5000)
    assert info.no_history.isVisible() and not info.history.isVisible()
    assert info.values["Due"].text() == "New: not studied yet"
    assert info.back_button.isEnabled()
    qtbot.keyClick(info, Qt.Key.Key_Left, ALT)
    qtbot.waitUntil(lambda: info.info.view.card.title == "Early stopping", timeout=5000)
    qtbot.keyClick(info, Qt.Key.Key_Left, ALT)
    qtbot.waitUntil(lambda: info.info.view.card.title == ETA, timeout=5000)
    assert not info.back_button.isEnabled()
    qtbot.keyClick(info, Qt.Key.Key_Escape)
    assert not info.isVisible()


def test_the_window_fits_a_laptop_screen(qtbot: QtBot, window: MainWindow) -> None:
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    press(qtbot, window, Qt.Key.Key_I)
    info = info_window(qtbot, window, ETA)
    available = QApplication.primaryScreen().availableGeometry()
    assert available.contains(info.geometry())
    assert info.height() <= 768 and info.width() <= 1366
    # Every key it has is in Help ▸ Keyboard shortcuts.
    assert set(keys.registered_keys(info)) <= keys.CARD_INFO.covered()


def test_ctrl_shift_i_and_the_context_menu_in_the_browser(
    qtbot: QtBot, runner: Any, tmp_path: Path, now: datetime
) -> None:
    settings = QSettings(str(tmp_path / "b.ini"), QSettings.Format.IniFormat)
    browser = BrowserWindow(runner, settings=settings, now=lambda: now)
    qtbot.addWidget(browser)
    browser.show()
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)  # window shortcuts need it
    browser.search("")
    eta = next(i for i in browser.model.ids if runner.col.card(i).card.title == ETA)
    runner.col.answer(eta, Rating.AGAIN, now=now - timedelta(minutes=5), duration_ms=6500)
    browser._select([eta])
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_I, CTRL_SHIFT)
    info = info_window(qtbot, browser, ETA)
    assert info.history.rowCount() == 1
    assert info.history.item(0, 2).text() == "Again"
    assert info.history.item(0, 4).text() == "6.5 s"
    assert info.values["Average time"].text() == "6.5 s"
    info.close()
    menu = browser.actions_.menu(browser)
    assert menu.actions()[0].text() == "Card &info…"
    menu.actions()[0].trigger()
    assert info.isVisible()  # the same window, reused


def test_a_leech_is_announced_and_undo_takes_it_back(
    qtbot: QtBot, window: MainWindow, data_dir: Path, clock: Clock
) -> None:
    def make_leechy(col: Any) -> str:
        col.save_preset(replace(col.presets()[1], leech_threshold=1), preset_id=1)
        card = next(col.card(i) for i in col.search("Precision"))
        col.set_due([card.id], days=0, now=clock.now - timedelta(days=5))
        return str(card.id)

    ask(qtbot, window, make_leechy)
    deck = data_dir / "decks" / "tiny.md"
    before = deck.read_bytes()
    study(qtbot, window, Scope("Tiny", deck="Tiny"))
    assert current(window).card.title == "Precision"  # the due review comes first
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_1)  # Again: its first lapse, the threshold
    message = window.statusBar().currentMessage()
    assert message.startswith("Leech: “Precision” has been forgotten once — tagged leech.")
    assert "Tags: leech" in deck.read_text()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: deck.read_bytes() == before, timeout=5000)
    assert current(window).card.title == "Precision"
