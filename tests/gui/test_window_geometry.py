"""Every window fits a laptop screen and opens where it was left.

tests/gui/screens.json gives the offscreen platform three screens side by side: 1366×768
(primary), 1280×720 and 1024×700. A window without an owner opens on the screen under
the mouse, so each test puts the mouse on the screen it wants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QAbstractButton, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from flashcards.gui.window_geometry import FRAME, fit_rect, saved_rect
from tests.gui.conftest import SMALL_DECK, write_library

LAPTOP = QRect(0, 0, 1366, 768)


# -- the rule ---------------------------------------------------------------------------


def test_a_preferred_size_that_fits_is_kept_and_centred() -> None:
    rect = fit_rect(QSize(800, 500), LAPTOP)
    assert rect.size() == QSize(800, 500)
    room = LAPTOP.marginsRemoved(FRAME)
    assert abs(rect.center().x() - room.center().x()) <= 1
    assert abs(rect.center().y() - room.center().y()) <= 1


@pytest.mark.parametrize("available", [LAPTOP, QRect(0, 0, 1280, 720), QRect(0, 27, 1024, 673)])
def test_a_window_bigger_than_the_screen_shrinks_inside_it_with_its_frame(
    available: QRect,
) -> None:
    for preferred in (QSize(1240, 780), QSize(960, 900), QSize(1360, 860), QSize(1180, 760)):
        rect = fit_rect(preferred, available)
        assert available.contains(rect.marginsAdded(FRAME)), (preferred, rect)
        assert rect.width() == min(preferred.width(), available.width() - 8)


def test_a_place_saved_on_a_bigger_monitor_is_shrunk_and_moved_onto_this_one() -> None:
    saved = QRect(300, 200, 1800, 1100)  # a 1920×1200 monitor's window
    rect = fit_rect(QSize(1000, 700), LAPTOP, saved=saved)
    assert LAPTOP.contains(rect.marginsAdded(FRAME))
    assert rect.size() == LAPTOP.marginsRemoved(FRAME).size()


def test_a_saved_place_that_fits_is_restored_exactly() -> None:
    saved = QRect(120, 90, 900, 560)
    assert fit_rect(QSize(1000, 700), LAPTOP, saved=saved) == saved


def test_a_saved_place_half_off_the_screen_moves_in_and_keeps_its_size() -> None:
    saved = QRect(1000, 500, 700, 400)
    rect = fit_rect(QSize(1000, 700), LAPTOP, saved=saved, frame=QMargins())
    assert rect == QRect(1366 - 700, 768 - 400, 700, 400)


# -- every window -----------------------------------------------------------------------


def screen_named(prefix: str) -> QScreen:
    for screen in QGuiApplication.screens():
        if screen.name().startswith(prefix):
            return screen
    raise AssertionError(f"no screen {prefix}: is tests/gui/screens.json in use?")


def mouse_on(prefix: str) -> tuple[str, QRect]:
    """Put the mouse on screen `prefix`: its full name and free area (values: PySide
    may drop a QScreen wrapper between two calls)."""
    screen = screen_named(prefix)
    QCursor.setPos(screen.geometry().center())
    return screen.name(), screen.availableGeometry()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


class Owner(QWidget):
    """Stands for the main window: the settings tool windows use when given none."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings


@pytest.fixture
def build(
    qtbot: QtBot, runner: Any, settings: QSettings, now: datetime, tmp_path: Path
) -> Callable[[str], QWidget]:
    """`build(kind)`: a real window of that kind, shown (as the app opens it)."""
    from flashcards.gui.browser.browser_window import BrowserWindow
    from flashcards.gui.cheatsheet import CheatSheetWindow
    from flashcards.gui.concept_map.map_window import ConceptMapWindow
    from flashcards.gui.concept_map.study_window import StudyWindow
    from flashcards.gui.editor import DeckEditor
    from flashcards.gui.editor.new_card_dialog import NewCardDialog
    from flashcards.gui.editor.new_deck_dialog import NewDeckDialog

    owners: list[Owner] = []

    def owner() -> Owner:
        """The main window's stand-in, on the screen under the mouse (never shown)."""
        widget = Owner(settings)
        owners.append(widget)
        qtbot.addWidget(widget)
        widget.setGeometry(QRect(QCursor.pos() - QPoint(50, 50), QSize(100, 100)))
        return widget

    def make(kind: str) -> QWidget:
        window: QWidget
        if kind == "main":
            window = main_window(tmp_path / "main", settings, now)
        elif kind == "browser":
            window = BrowserWindow(runner, settings=settings, now=lambda: now)
        elif kind == "editor":
            window = DeckEditor(runner, key="tiny.md", settings=settings)
        elif kind == "cheatsheet":
            window = CheatSheetWindow(runner, now=lambda: now, settings=settings)
        elif kind == "map":
            window = ConceptMapWindow(runner, now=lambda: now, parent=owner())
        elif kind == "study":
            window = StudyWindow(runner, [], title="three cards", now=lambda: now, parent=owner())
        elif kind == "new card":
            window = NewCardDialog(runner)
        elif kind == "new deck":
            window = NewDeckDialog(runner)
        elif kind == "statistics":
            from flashcards.gui.stats import StatsWindow

            window = StatsWindow(runner, settings=settings, now=lambda: now)
        else:
            raise ValueError(kind)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def main_window(data_dir: Path, settings: QSettings, now: datetime) -> QWidget:
    """The main window on its own small library (its worker opens the collection)."""
    from flashcards.collection import Collection
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.worker import CollectionWorker

    write_library(data_dir, {"tiny.md": SMALL_DECK})
    settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    return MainWindow(worker, settings=settings, now=lambda: now)


KINDS = [
    "main",
    "browser",
    "editor",
    "cheatsheet",
    "map",
    "study",
    "new card",
    "new deck",
    "statistics",
]


@pytest.mark.parametrize("screen_name", ["a-laptop-1366x768", "b-laptop-1280x720"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_window_opens_inside_the_screen(
    build: Callable[[str], QWidget], kind: str, screen_name: str
) -> None:
    name, available = mouse_on(screen_name)
    window = build(kind)
    frame = window.frameGeometry()
    assert window.screen().name() == name
    assert available.contains(frame), (kind, frame)


@pytest.mark.parametrize(
    "kind", ["main", "browser", "editor", "cheatsheet", "map", "study", "statistics"]
)
def test_every_window_opens_where_it_was_left(build: Callable[[str], QWidget], kind: str) -> None:
    _name, available = mouse_on("b-laptop")
    first = build(kind)
    place = QRect(available.topLeft() + QPoint(60, 50), QSize(960, 650))
    first.setGeometry(place)
    first.close()
    mouse_on("a-laptop")  # the mouse elsewhere: the window still goes back
    again = build(kind)
    assert again.geometry() == place


def test_a_place_saved_on_a_missing_monitor_opens_on_this_one(
    build: Callable[[str], QWidget], settings: QSettings
) -> None:
    name, available = mouse_on("a-laptop")
    settings.setValue("windows/browser/geometry", QRect(4000, 100, 1700, 1000))
    window = build("browser")
    assert window.screen().name() == name
    assert available.contains(window.frameGeometry())


def test_a_maximized_window_opens_maximized_with_its_normal_size_kept(
    build: Callable[[str], QWidget], settings: QSettings
) -> None:
    mouse_on("a-laptop")
    first = build("browser")
    first.setGeometry(QRect(100, 80, 900, 600))
    first.showMaximized()
    first.close()
    again = build("browser")
    assert again.isMaximized()
    assert saved_rect(settings, "browser") == QRect(100, 80, 900, 600)


# -- a small screen: 1024×700 -------------------------------------------------------------


def clipped(window: QWidget) -> list[str]:
    """What a user cannot fully see: toolbar entries pushed into the overflow menu, and
    buttons squeezed narrower than their text."""
    problems = []
    for bar in window.findChildren(QToolBar):
        if not bar.isVisible():
            continue
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if widget is not None and not action.isSeparator() and not widget.isVisible():
                problems.append(f"{bar.windowTitle()}: {action.text() or widget}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.width() < button.sizeHint().width():
            problems.append(f"button {button.text()!r}: {button.width()} < {button.sizeHint()}")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_important_is_clipped_at_1024x700(
    build: Callable[[str], QWidget], kind: str, qtbot: QtBot
) -> None:
    _name, available = mouse_on("c-small")
    window = build(kind)
    qtbot.waitExposed(window)
    qtbot.wait(20)  # posted layout requests (a toolbar moving under another) run
    assert available.contains(window.frameGeometry())
    assert clipped(window) == []


def test_the_study_button_keeps_its_word_for_a_long_deck_name_at_1024x700(
    build: Callable[[str], QWidget], qtbot: QtBot
) -> None:
    from flashcards.gui.deck_tree import Scope

    mouse_on("c-small")
    window: Any = build("main")
    qtbot.waitExposed(window)
    name = "Modeling: training, hyperparameters and tuning at scale on SageMaker"
    window.home.set_scope(Scope(name, deck=f"AWS ML Specialty::{name}"))
    qtbot.wait(10)  # the layout settles
    button = window.home.study_button
    assert button.text().startswith("Study Modeling")
    assert "…" in button.text() and button.toolTip() == f"Study {name}"
    assert button.width() >= button.sizeHint().width()
    assert clipped(window) == []
