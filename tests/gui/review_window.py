"""Helpers for tests that drive the main window with real keys (not a test module)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from flashcards.gui.deck_tree import Scope
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.review_models import ReviewState
from flashcards.gui.worker import CollectionWorker


class Clock:
    """A window's `now`, moved on by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def open_window(
    qtbot: QtBot,
    data_dir: Path,
    settings_file: Path,
    now: datetime | Callable[[], datetime],
    *,
    seed: bool = False,
    welcomed: bool = True,
) -> MainWindow:
    """The main window on a real collection, its first counts loaded."""
    from flashcards.collection import Collection

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    if welcomed:
        settings.setValue(WELCOME_KEY, True)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=seed))
    clock = now if callable(now) else (lambda: now)
    window = MainWindow(worker, settings=settings, now=clock)
    qtbot.addWidget(window)
    window.show()
    window.start(sync=False)
    idle(qtbot, window)
    return window


def ask(qtbot: QtBot, window: MainWindow, fn: Callable[[Any], Any]) -> Any:
    """Run `fn(collection)` on the window's worker and wait for the answer."""
    box: list[Any] = []
    window.worker.run(fn, success=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.worker.pending == 0 and window.controller.state is not ReviewState.LOADING,
        timeout=10_000,
    )


def press(
    qtbot: QtBot,
    window: MainWindow,
    k: Qt.Key,
    mods: Any = Qt.KeyboardModifier.NoModifier,
    *,
    to: Any = None,
) -> None:
    """A real key press on `to` (default: the page on show), then wait for the worker."""
    qtbot.keyClick(to if to is not None else window.stack.currentWidget(), k, mods)
    idle(qtbot, window)


def current(window: MainWindow) -> Any:
    assert window.controller.screen is not None
    return window.controller.screen.loaded.view


def study(qtbot: QtBot, window: MainWindow, scope: Scope) -> None:
    """Pick `scope` on the Today page and press Space."""
    window.home.set_scope(scope)
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.review
