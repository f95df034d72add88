"""The browser, the editor and a cheat-sheet opened from the real main window, on its
real worker thread; a save in the editor refreshes the open browser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from flashcards.gui.browser import launch
from flashcards.gui.editor import CloseChoice


@pytest.fixture
def main(qtbot: Any, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[Any]:
    from flashcards.collection import Collection
    from flashcards.gui.main_window import MainWindow
    from flashcards.gui.worker import CollectionWorker

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    worker = CollectionWorker(lambda: Collection.open(data_dir, seed=False))
    window = MainWindow(worker, settings=settings, now=lambda: now)
    qtbot.addWidget(window)
    launch.install_menu(window)
    yield window
    for editor in list(launch._windows(window).editors.values()):
        editor.ask_close = lambda: CloseChoice.DISCARD
        editor.close()
    worker.stop()


def test_menu_entries_open_the_tools(main: Any, qtbot: Any) -> None:
    texts = [a.text() for m in main.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert "&Browse cards…" in texts and "C&heat-sheet…" in texts


def test_browser_editor_and_refresh(main: Any, qtbot: Any, data_dir: Path) -> None:
    browser = launch.open_browser(main, query="deck:Tiny")
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 4, timeout=5000)
    editor = launch.open_editor(main, "tiny.md")
    qtbot.waitUntil(lambda: "## Early stopping" in editor.edit.toPlainText(), timeout=5000)
    assert launch.open_editor(main, "tiny.md") is editor  # one editor per file
    editor.edit.appendPlainText("\n## Added in the editor\nAnswer.\n")
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save()
    qtbot.waitUntil(lambda: browser.model.rowCount() == 5, timeout=5000)


def test_cheatsheet_of_a_domain(main: Any, qtbot: Any) -> None:
    from flashcards.gui.cheatsheet import SheetOptions

    sheet = launch.open_cheatsheet(main, SheetOptions(domain="Data Engineering"))
    qtbot.addWidget(sheet)
    qtbot.waitUntil(
        lambda: "Streaming validation metrics" in sheet.view.toPlainText(), timeout=5000
    )


def test_outside_edit_is_synced_and_refreshes_the_browser(
    main: Any, qtbot: Any, data_dir: Path
) -> None:
    browser = launch.open_browser(main, query="deck:Data")
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=5000)
    watcher = launch.watch_library(main)
    qtbot.waitUntil(lambda: len(watcher.watcher.files()) == 2, timeout=5000)
    deck = data_dir / "decks" / "data.md"
    deck.write_text(
        deck.read_text(encoding="utf-8") + "\n## Written in vim\nYes.\n", encoding="utf-8"
    )
    qtbot.waitUntil(lambda: browser.model.rowCount() == 2, timeout=8000)


def test_main_window_close_waits_for_unsaved_editors(main: Any, qtbot: Any) -> None:
    main.show()
    editor = launch.open_editor(main, "tiny.md")
    qtbot.waitUntil(lambda: "## Early stopping" in editor.edit.toPlainText(), timeout=5000)
    editor.edit.appendPlainText("unsaved")
    editor.ask_close = lambda: CloseChoice.CANCEL
    main.close()
    assert main.isVisible() and editor.isVisible()
    editor.ask_close = lambda: CloseChoice.DISCARD
    main.close()
    assert not main.isVisible()
