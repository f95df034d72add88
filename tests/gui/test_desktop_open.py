"""Packages opened with the app (`flashcards deck.apkg`, a double-click in a file
manager): asked about, then imported; handed to the running app when it is open; and
Help ▸ About."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, QTimer, qVersion
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from flashcards import __version__
from flashcards.cli import split_opened_files
from flashcards.gui import app as app_module
from flashcards.gui.desktop import ask_to_import
from flashcards.gui.main_window import WELCOME_KEY, MainWindow
from flashcards.gui.single_instance import InstanceServer, server_name
from tests.gui.test_main_window import make_window

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DECK = "---\ntitle: Packaged\n---\n\n## A card from a package\nIts answer.\n"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A real .apkg, exported from another collection."""
    from flashcards.collection import Collection

    other = tmp_path / "other"
    (other / "decks").mkdir(parents=True)
    (other / "decks" / "packaged.md").write_text(PACKAGE_DECK, encoding="utf-8")
    out = tmp_path / "shared deck.apkg"
    with Collection.open(other, seed=False) as col:
        col.export("Packaged", out)
    return out


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path: Path, now: datetime) -> Iterator[MainWindow]:
    settings_file = tmp_path / "settings.ini"
    QSettings(str(settings_file), QSettings.Format.IniFormat).setValue(WELCOME_KEY, True)
    win = make_window(qtbot, data_dir, settings_file, now)
    yield win
    win.close()


def _deck_names(window: MainWindow) -> list[str]:
    return [d.name for d in window.home.today.decks] if window.home.today else []


def test_opening_a_package_asks_first_and_import_imports_it(
    qtbot: QtBot, window: MainWindow, package: Path
) -> None:
    box = ask_to_import(window, [package])
    assert box is not None and box.isVisible()
    assert "Import “shared deck.apkg” into your collection?" in box.text()
    assert str(package.parent) in box.informativeText()
    assert "Packaged" not in _deck_names(window)  # nothing before the answer
    import_button = next(b for b in box.buttons() if b.text() == "Import")
    assert box.defaultButton() is import_button
    import_button.click()
    qtbot.waitUntil(lambda: "Packaged" in _deck_names(window), timeout=10_000)


def test_cancel_imports_nothing(qtbot: QtBot, window: MainWindow, package: Path) -> None:
    box = ask_to_import(window, [package])
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=10_000)
    assert not box.isVisible()
    assert "Packaged" not in _deck_names(window)


def test_a_missing_file_is_named_in_a_warning_and_nothing_is_asked(
    window: MainWindow, tmp_path: Path
) -> None:
    assert ask_to_import(window, [tmp_path / "gone.apkg"]) is None
    warnings = [
        w for w in window.findChildren(QMessageBox) if w.isVisible() and "gone.apkg" in w.text()
    ]
    assert warnings and "no such file" in warnings[0].text()
    for box in warnings:
        box.close()


def test_about_names_the_version_licence_data_folder_qt_and_python(
    window: MainWindow, data_dir: Path
) -> None:
    window.data_dir = data_dir
    about = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu()
    next(a for a in about.actions() if a.text() == "&About Flashcards").trigger()
    box = next(b for b in window.findChildren(QMessageBox) if b.windowTitle() == "About Flashcards")
    text = box.text()
    assert f"Flashcards {__version__}" in text
    assert "MIT licence" in text
    assert str(data_dir) in text
    assert f"Qt {qVersion()}" in text and f"PySide6 {pyside_version}" in text
    assert f"Python {platform.python_version()}" in text
    label = next(lab for lab in box.findChildren(QLabel) if "MIT" in lab.text())
    assert label.openExternalLinks()  # the folder's link opens it
    box.close()


def test_flashcards_with_packages_opens_the_app_on_them() -> None:
    assert split_opened_files(["deck.apkg"]) == (["deck.apkg"], [])
    assert split_opened_files(["--data-dir", "d", "A.APKG", "b.colpkg", "--study"]) == (
        ["A.APKG", "b.colpkg"],
        ["--data-dir", "d", "--study"],
    )
    # A command's own arguments are its business; an option's value is no file.
    assert split_opened_files(["import", "deck.apkg"]) == ([], ["import", "deck.apkg"])
    assert split_opened_files(["--data-dir", "x.apkg"]) == ([], ["--data-dir", "x.apkg"])


def test_a_second_start_with_a_package_hands_it_to_the_running_app(
    tmp_path: Path, qtbot: QtBot
) -> None:
    data_dir = tmp_path / "data"
    first = InstanceServer(server_name(data_dir.absolute()))
    assert first.listen()
    opened: list[Path] = []
    first.open_requested.connect(opened.append)
    try:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        with qtbot.waitSignal(first.activation_requested, timeout=30_000):
            second = subprocess.run(
                [sys.executable, "-m", "flashcards", "--data-dir", str(data_dir), "new deck.apkg"],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
            )
        message = second.stderr
        assert second.returncode == 0, message
        assert "asked it to import 1 file" in message
        qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
        assert opened == [tmp_path / "new deck.apkg"]  # made absolute: the app's cwd differs
        assert not (data_dir / "collection.sqlite3").exists()
    finally:
        first.close()


def test_the_server_drops_a_connection_that_sends_what_it_never_asked_for(
    tmp_path: Path, qtbot: QtBot
) -> None:
    name = server_name(tmp_path / "junk")
    server = InstanceServer(name)
    assert server.listen()
    heard: list[object] = []
    server.activation_requested.connect(lambda: heard.append("activate"))
    server.open_requested.connect(heard.append)
    try:
        socket = QLocalSocket()
        socket.connectToServer(name)
        assert socket.waitForConnected(1000)
        socket.write(b"open https://example.org/x.apkg\nGET / HTTP/1.0\nactivate\n")
        socket.flush()
        qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState)
        assert heard == []  # a URL that is no local file, then junk: dropped, nothing after
    finally:
        server.close()


def test_the_app_started_on_a_package_asks_about_it_instead_of_the_welcome(
    tmp_path: Path, qapp: Any, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ini = tmp_path / "settings.ini"
    monkeypatch.setattr(
        app_module, "QSettings", lambda *_: QSettings(str(ini), QSettings.Format.IniFormat)
    )
    asked: list[str] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                asked.append(widget.text())
                widget.button(QMessageBox.StandardButton.Cancel).click()
                QApplication.exit(0)
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    give_up = QTimer()  # never hang the suite
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: QApplication.exit(3))
    give_up.start(30_000)
    try:
        code = app_module.main(
            ["--data-dir", str(tmp_path / "fresh"), "--no-sync", "--open", str(package)]
        )
    finally:
        give_up.stop()
    assert code == 0
    assert asked == ["Import “shared deck.apkg” into your collection?"]
    assert not QSettings(str(ini), QSettings.Format.IniFormat).value(WELCOME_KEY, False, type=bool)
